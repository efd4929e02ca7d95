//! Borrowed `chat.completion.chunk` types for hot paths.
//!
//! Decoded from a `&'a str` (for example with
//! [`StreamDecoder::next_as`](crate::chunks::StreamDecoder::next_as)), every
//! text field without JSON escapes points into the input instead of being
//! copied; a text with escapes is unescaped into an owned [`Cow`]. Decoding
//! rules are those of the owned types (unknown fields ignored, `null`
//! accepted where a field is optional, the same reasoning-key choice; the
//! owned delta decodes through [`ChatCompletionDeltaRef`]), and
//! [`ChatCompletionChunkRef::into_owned`] gives exactly the
//! [`ChatCompletionChunk`] the owned decoder would have produced.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer};
use wire_core::borrow::{opt_text, text_or_empty};

use super::{
    ChatCompletionChunk, ChatCompletionDelta, ChatCompletionFinishReason,
    ChatCompletionToolCallDelta, ChoiceLogprobs, ChunkChoice, CompletionUsage, FunctionDelta,
    ReasoningKey, Role, null_default, pick_reasoning,
};

/// One `chat.completion.chunk`, borrowing its text from the input.
///
/// ```
/// use openai_wire::chat::ChatCompletionChunkRef;
///
/// let data = r#"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"qwen3","choices":[{"index":0,"delta":{"reasoning":"Let me see"},"finish_reason":null}]}"#;
/// let chunk: ChatCompletionChunkRef<'_> = serde_json::from_str(data).unwrap();
/// assert_eq!(chunk.choices[0].delta.reasoning.as_deref(), Some("Let me see"));
/// assert!(matches!(chunk.model, std::borrow::Cow::Borrowed(_))); // not copied
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ChatCompletionChunkRef<'a> {
    /// Completion id.
    #[serde(borrow, default, deserialize_with = "text_or_empty")]
    pub id: Cow<'a, str>,
    /// `"chat.completion.chunk"`.
    #[serde(borrow, default, deserialize_with = "text_or_empty")]
    pub object: Cow<'a, str>,
    /// Unix seconds.
    #[serde(default, deserialize_with = "null_default")]
    pub created: i64,
    /// Model name.
    #[serde(borrow, default, deserialize_with = "text_or_empty")]
    pub model: Cow<'a, str>,
    /// Backend fingerprint.
    #[serde(borrow, default, deserialize_with = "opt_text")]
    pub system_fingerprint: Option<Cow<'a, str>>,
    /// Choices; empty in the usage chunk.
    #[serde(borrow, deserialize_with = "null_default")]
    pub choices: Vec<ChunkChoiceRef<'a>>,
    /// Token usage (the final usage chunk only).
    #[serde(default)]
    pub usage: Option<CompletionUsage>,
}

/// One choice of a [`ChatCompletionChunkRef`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct ChunkChoiceRef<'a> {
    /// Choice index.
    #[serde(default, deserialize_with = "null_default")]
    pub index: u32,
    /// The increment.
    #[serde(borrow)]
    pub delta: ChatCompletionDeltaRef<'a>,
    /// Set on the chunk that ends the choice.
    #[serde(default)]
    pub finish_reason: Option<ChatCompletionFinishReason>,
    /// Token log probabilities, when requested (owned: rare and nested).
    #[serde(default)]
    pub logprobs: Option<ChoiceLogprobs>,
}

/// The increment of a [`ChunkChoiceRef`].
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct ChatCompletionDeltaRef<'a> {
    /// Author role.
    pub role: Option<Role>,
    /// Content text.
    pub content: Option<Cow<'a, str>>,
    /// Reasoning text, from `reasoning`, `reasoning_content` or `reasoning_text`
    /// (chosen as [`ChatCompletionDelta::reasoning`] is).
    pub reasoning: Option<Cow<'a, str>>,
    /// Which key [`reasoning`](Self::reasoning) came from.
    pub reasoning_key: ReasoningKey,
    /// Refusal text.
    pub refusal: Option<Cow<'a, str>>,
    /// Tool-call fragments.
    pub tool_calls: Option<Vec<ChatCompletionToolCallDeltaRef<'a>>>,
}

/// The wire shape of a delta (three reasoning keys); the owned [`ChatCompletionDelta`] decodes
/// through it too.
#[derive(Deserialize)]
struct DeltaIn<'a> {
    #[serde(default)]
    role: Option<Role>,
    #[serde(borrow, default, deserialize_with = "opt_text")]
    content: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "opt_text")]
    reasoning: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "opt_text")]
    reasoning_content: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "opt_text")]
    reasoning_text: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "opt_text")]
    refusal: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    tool_calls: Option<Vec<ChatCompletionToolCallDeltaRef<'a>>>,
}

impl<'de: 'a, 'a> Deserialize<'de> for ChatCompletionDeltaRef<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = DeltaIn::deserialize(d)?;
        let (reasoning, reasoning_key) =
            pick_reasoning(raw.reasoning_content, raw.reasoning, raw.reasoning_text);
        Ok(Self {
            role: raw.role,
            content: raw.content,
            reasoning,
            reasoning_key,
            refusal: raw.refusal,
            tool_calls: raw.tool_calls,
        })
    }
}

/// A tool-call fragment of a [`ChatCompletionDeltaRef`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
// Errors name the type as the owned decoder always has.
#[serde(rename = "ChatCompletionToolCallDelta")]
#[non_exhaustive]
pub struct ChatCompletionToolCallDeltaRef<'a> {
    /// Call id.
    #[serde(borrow, default, deserialize_with = "opt_text")]
    pub id: Option<Cow<'a, str>>,
    /// Position of the call.
    #[serde(default)]
    pub index: Option<u32>,
    /// `"function"`.
    #[serde(borrow, default, rename = "type", deserialize_with = "opt_text")]
    pub kind: Option<Cow<'a, str>>,
    /// Name and argument fragment.
    #[serde(borrow, default)]
    pub function: Option<FunctionDeltaRef<'a>>,
}

/// The function part of a [`ChatCompletionToolCallDeltaRef`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(rename = "FunctionDelta")]
#[non_exhaustive]
pub struct FunctionDeltaRef<'a> {
    /// Function name.
    #[serde(borrow, default, deserialize_with = "opt_text")]
    pub name: Option<Cow<'a, str>>,
    /// A fragment of the JSON arguments text.
    #[serde(borrow, default, deserialize_with = "opt_text")]
    pub arguments: Option<Cow<'a, str>>,
}

fn owned(text: Cow<'_, str>) -> String {
    text.into_owned()
}

impl ChatCompletionChunkRef<'_> {
    /// The owned chunk: equal to decoding the same text as [`ChatCompletionChunk`].
    pub fn into_owned(self) -> ChatCompletionChunk {
        ChatCompletionChunk {
            id: owned(self.id),
            object: owned(self.object),
            created: self.created,
            model: owned(self.model),
            system_fingerprint: self.system_fingerprint.map(owned),
            choices: self
                .choices
                .into_iter()
                .map(ChunkChoiceRef::into_owned)
                .collect(),
            usage: self.usage,
        }
    }
}

impl ChunkChoiceRef<'_> {
    /// The owned choice.
    pub fn into_owned(self) -> ChunkChoice {
        ChunkChoice {
            index: self.index,
            delta: self.delta.into_owned(),
            finish_reason: self.finish_reason,
            logprobs: self.logprobs,
        }
    }
}

impl ChatCompletionDeltaRef<'_> {
    /// The owned delta.
    pub fn into_owned(self) -> ChatCompletionDelta {
        ChatCompletionDelta {
            role: self.role,
            content: self.content.map(owned),
            reasoning: self.reasoning.map(owned),
            reasoning_key: self.reasoning_key,
            refusal: self.refusal.map(owned),
            tool_calls: self.tool_calls.map(|calls| {
                calls
                    .into_iter()
                    .map(ChatCompletionToolCallDeltaRef::into_owned)
                    .collect()
            }),
        }
    }
}

impl ChatCompletionToolCallDeltaRef<'_> {
    /// The owned fragment.
    pub fn into_owned(self) -> ChatCompletionToolCallDelta {
        ChatCompletionToolCallDelta {
            id: self.id.map(owned),
            index: self.index,
            kind: self.kind.map(owned),
            function: self.function.map(FunctionDeltaRef::into_owned),
        }
    }
}

impl FunctionDeltaRef<'_> {
    /// The owned function part.
    pub fn into_owned(self) -> FunctionDelta {
        FunctionDelta {
            name: self.name.map(owned),
            arguments: self.arguments.map(owned),
        }
    }
}
