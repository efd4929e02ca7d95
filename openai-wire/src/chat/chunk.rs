//! `chat.completion.chunk`: the streamed chunk, its choices, deltas and log probabilities.

use super::*;

/// One `chat.completion.chunk` (a streamed SSE event's data).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatCompletionChunk {
    /// Completion id, the same in every chunk of a stream.
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    /// `"chat.completion.chunk"`.
    #[serde(default, deserialize_with = "null_default")]
    pub object: String,
    /// Unix seconds.
    #[serde(default, deserialize_with = "null_default")]
    pub created: i64,
    /// Model name.
    #[serde(default, deserialize_with = "null_default")]
    pub model: String,
    /// Backend fingerprint (`fp_ollama`, `b0-unknown`).
    pub system_fingerprint: Option<String>,
    /// Choices; empty in the usage chunk.
    #[serde(deserialize_with = "null_default")]
    pub choices: Vec<ChunkChoice>,
    /// Token usage (the final usage chunk only).
    pub usage: Option<CompletionUsage>,
}

impl ChatCompletionChunk {
    /// A chunk with no choices: `object` is `"chat.completion.chunk"`, no fingerprint, no usage.
    pub fn new(id: impl Into<String>, created: i64, model: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            object: "chat.completion.chunk".to_owned(),
            created,
            model: model.into(),
            system_fingerprint: None,
            choices: Vec::new(),
            usage: None,
        }
    }
}

impl ChunkChoice {
    /// A choice carrying `delta`, without finish reason or log probabilities.
    pub fn new(index: u32, delta: ChatCompletionDelta) -> Self {
        Self {
            index,
            delta,
            finish_reason: None,
            logprobs: None,
        }
    }
}

impl CompletionUsage {
    /// Token counts; `total_tokens` is their sum.
    pub fn new(prompt_tokens: u64, completion_tokens: u64) -> Self {
        Self {
            prompt_tokens,
            completion_tokens,
            total_tokens: prompt_tokens.saturating_add(completion_tokens),
            ..Self::default()
        }
    }
}

impl ChatCompletionToolCallDelta {
    /// A fragment of the call at `index`.
    pub fn new(index: u32) -> Self {
        Self {
            index: Some(index),
            ..Self::default()
        }
    }
}

impl FunctionDelta {
    /// A function part with an optional name and argument fragment.
    pub fn new(name: Option<String>, arguments: Option<String>) -> Self {
        Self { name, arguments }
    }
}

/// One choice of a chunk.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChunkChoice {
    /// Choice index.
    #[serde(default, deserialize_with = "null_default")]
    pub index: u32,
    /// The increment.
    pub delta: ChatCompletionDelta,
    /// Set on the chunk that ends the choice; always written, `null` before.
    #[serde(default)]
    #[serialize_always]
    pub finish_reason: Option<ChatCompletionFinishReason>,
    /// Token log probabilities, when requested.
    pub logprobs: Option<ChoiceLogprobs>,
}

/// The increment carried by a chunk.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct ChatCompletionDelta {
    /// Author role (usually on the first chunk only).
    pub role: Option<Role>,
    /// Content text; `Some("")` is written, `None` is omitted.
    pub content: Option<String>,
    /// Reasoning text, from `reasoning`, `reasoning_content` or `reasoning_text`.
    pub reasoning: Option<String>,
    /// Which key [`reasoning`](Self::reasoning) came from and is written to.
    pub reasoning_key: ReasoningKey,
    /// Refusal text.
    pub refusal: Option<String>,
    /// Tool-call fragments.
    pub tool_calls: Option<Vec<ChatCompletionToolCallDelta>>,
}

#[derive(Serialize)]
struct DeltaOut<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'a Role>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reasoning: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reasoning_content: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reasoning_text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refusal: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tool_calls: Option<&'a [ChatCompletionToolCallDelta]>,
}

/// Decoded as [`ChatCompletionDeltaRef`] is, then owned: one set of decoding rules for both.
impl<'de> Deserialize<'de> for ChatCompletionDelta {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        ChatCompletionDeltaRef::deserialize(d).map(ChatCompletionDeltaRef::into_owned)
    }
}

impl Serialize for ChatCompletionDelta {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (reasoning, reasoning_content, reasoning_text) =
            split_reasoning(self.reasoning.as_deref(), self.reasoning_key);
        DeltaOut {
            role: self.role.as_ref(),
            content: self.content.as_deref(),
            reasoning,
            reasoning_content,
            reasoning_text,
            refusal: self.refusal.as_deref(),
            tool_calls: self.tool_calls.as_deref(),
        }
        .serialize(s)
    }
}

/// A tool-call fragment in a delta. Servers differ: Ollama sends whole calls,
/// OpenAI sends the name first and argument fragments after, llama-cpp-python
/// repeats `id` and `name` in every fragment.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatCompletionToolCallDelta {
    /// Call id (often only on the first fragment; may be `""`).
    pub id: Option<String>,
    /// Position of the call (absent on old Ollama versions).
    pub index: Option<u32>,
    /// `"function"`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Name and argument fragment.
    pub function: Option<FunctionDelta>,
}

/// Function part of a tool-call fragment.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FunctionDelta {
    /// Function name.
    pub name: Option<String>,
    /// A fragment of the JSON arguments text.
    pub arguments: Option<String>,
}

/// Token counts.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CompletionUsage {
    /// Prompt tokens.
    #[serde(default, deserialize_with = "null_default")]
    pub prompt_tokens: u64,
    /// Generated tokens.
    #[serde(default, deserialize_with = "null_default")]
    pub completion_tokens: u64,
    /// Sum of both.
    #[serde(default, deserialize_with = "null_default")]
    pub total_tokens: u64,
    /// Prompt details (`cached_tokens`, …).
    pub prompt_tokens_details: Option<Map<String, Value>>,
    /// Completion details (`reasoning_tokens`, …).
    pub completion_tokens_details: Option<Map<String, Value>>,
}

/// Log probabilities of a choice.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChoiceLogprobs {
    /// Per content token.
    pub content: Option<Vec<ChatCompletionTokenLogprob>>,
    /// Per refusal token.
    pub refusal: Option<Vec<ChatCompletionTokenLogprob>>,
}

/// One token's log probability.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatCompletionTokenLogprob {
    /// The token text.
    #[serde(default, deserialize_with = "null_default")]
    pub token: String,
    /// Its log probability.
    #[serde(default, deserialize_with = "null_default")]
    pub logprob: f64,
    /// Its UTF-8 bytes.
    pub bytes: Option<Vec<u8>>,
    /// The most likely alternatives.
    pub top_logprobs: Option<Vec<TopLogprob>>,
}

/// An alternative token.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TopLogprob {
    /// The token text.
    #[serde(default, deserialize_with = "null_default")]
    pub token: String,
    /// Its log probability.
    #[serde(default, deserialize_with = "null_default")]
    pub logprob: f64,
    /// Its UTF-8 bytes.
    pub bytes: Option<Vec<u8>>,
}
