//! Chat-completions types: request, response, `chat.completion.chunk`, errors.
//!
//! Decoding is lenient: unknown fields are ignored and explicit `null`s are
//! accepted wherever a field is optional. Encoding writes fields in the order
//! Ollama's `/v1` layer writes them, with its omission rules, so
//! Ollama-shaped chunks re-encode byte-identically: `finish_reason` is always
//! written (`null` until the finish), `"delta":{}` is possible, and a usage
//! chunk has `"choices":[]`.
//!
//! ```
//! use openai_wire::chat::{ChatCompletionChunk, FinishReason};
//!
//! let line = r#"{"id":"chatcmpl-492","object":"chat.completion.chunk","created":1768064132,"model":"qwen3:32b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#;
//! let chunk: ChatCompletionChunk = serde_json::from_str(line).unwrap();
//! assert_eq!(chunk.choices[0].finish_reason, Some(FinishReason::Stop));
//! assert_eq!(serde_json::to_string(&chunk).unwrap(), line);
//! ```

use serde::de::Deserializer;
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Defines a string enum with known values and `Other(String)` for the rest.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )* }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this crate does not know, kept verbatim.
            Other(String),
        }

        impl $name {
            /// The wire spelling.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $text, )*
                    Self::Other(s) => s,
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $text => Self::$variant, )*
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                match s.as_str() {
                    $( $text => Self::$variant, )*
                    _ => Self::Other(s),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("a string")
                    }
                    // Known values are matched without allocating.
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        Ok($name::from(v))
                    }
                    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<$name, E> {
                        Ok($name::from(v))
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}

open_enum! {
    /// Why a choice stopped.
    pub enum FinishReason {
        /// Natural end or a stop sequence.
        Stop = "stop",
        /// Token limit reached.
        Length = "length",
        /// The model called tools.
        ToolCalls = "tool_calls",
        /// Content was filtered.
        ContentFilter = "content_filter",
        /// Legacy function call.
        FunctionCall = "function_call",
    }
}

open_enum! {
    /// A message author.
    pub enum Role {
        /// `system`.
        System = "system",
        /// `developer`.
        Developer = "developer",
        /// `user`.
        User = "user",
        /// `assistant`.
        Assistant = "assistant",
        /// `tool`.
        Tool = "tool",
    }
}

open_enum! {
    /// Requested reasoning effort.
    pub enum ReasoningEffort {
        /// `none`.
        None = "none",
        /// `minimal`.
        Minimal = "minimal",
        /// `low`.
        Low = "low",
        /// `medium`.
        Medium = "medium",
        /// `high`.
        High = "high",
        /// `xhigh`.
        XHigh = "xhigh",
        /// `max`.
        Max = "max",
    }
}

open_enum! {
    /// A `tool_choice` given as a string.
    pub enum ToolChoiceMode {
        /// Never call tools.
        None = "none",
        /// The model decides.
        Auto = "auto",
        /// The model must call a tool.
        Required = "required",
    }
}

/// Which JSON key carried the reasoning text. Re-encoding writes the same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ReasoningKey {
    /// `reasoning` (Ollama, OpenRouter).
    #[default]
    Reasoning,
    /// `reasoning_content` (DeepSeek, vLLM, llama.cpp).
    ReasoningContent,
    /// `reasoning_text`.
    ReasoningText,
}

/// Picks the reasoning text: the first non-empty of `reasoning_content`,
/// `reasoning`, `reasoning_text`; else the first present.
fn pick_reasoning<T: AsRef<str>>(
    content: Option<T>,
    plain: Option<T>,
    text: Option<T>,
) -> (Option<T>, ReasoningKey) {
    let candidates = [
        (content, ReasoningKey::ReasoningContent),
        (plain, ReasoningKey::Reasoning),
        (text, ReasoningKey::ReasoningText),
    ];
    let chosen = candidates
        .iter()
        .position(|(v, _)| v.as_ref().is_some_and(|s| !s.as_ref().is_empty()))
        .or_else(|| candidates.iter().position(|(v, _)| v.is_some()));
    match chosen.and_then(|i| candidates.into_iter().nth(i)) {
        Some((v, k)) => (v, k),
        None => (None, ReasoningKey::default()),
    }
}

/// Splits reasoning back into the three optional keys for encoding.
fn split_reasoning(
    reasoning: Option<&str>,
    key: ReasoningKey,
) -> (Option<&str>, Option<&str>, Option<&str>) {
    match key {
        ReasoningKey::Reasoning => (reasoning, None, None),
        ReasoningKey::ReasoningContent => (None, reasoning, None),
        ReasoningKey::ReasoningText => (None, None, reasoning),
    }
}

// ---------------------------------------------------------------- chunks

/// One `chat.completion.chunk` (a streamed SSE event's data).
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_fingerprint: Option<String>,
    /// Choices; empty in the usage chunk.
    #[serde(deserialize_with = "null_default")]
    pub choices: Vec<ChunkChoice>,
    /// Token usage (the final usage chunk only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
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
    pub fn new(index: u32, delta: Delta) -> Self {
        Self {
            index,
            delta,
            finish_reason: None,
            logprobs: None,
        }
    }
}

impl Usage {
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

impl ToolCallDelta {
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChunkChoice {
    /// Choice index.
    #[serde(default, deserialize_with = "null_default")]
    pub index: u32,
    /// The increment.
    pub delta: Delta,
    /// Set on the chunk that ends the choice; always written, `null` before.
    #[serde(default)]
    pub finish_reason: Option<FinishReason>,
    /// Token log probabilities, when requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logprobs: Option<ChoiceLogprobs>,
}

/// The increment carried by a chunk.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct Delta {
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
    pub tool_calls: Option<Vec<ToolCallDelta>>,
}

#[derive(Deserialize)]
struct DeltaIn {
    #[serde(default)]
    role: Option<Role>,
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    reasoning: Option<String>,
    #[serde(default)]
    reasoning_content: Option<String>,
    #[serde(default)]
    reasoning_text: Option<String>,
    #[serde(default)]
    refusal: Option<String>,
    #[serde(default)]
    tool_calls: Option<Vec<ToolCallDelta>>,
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
    tool_calls: Option<&'a [ToolCallDelta]>,
}

impl<'de> Deserialize<'de> for Delta {
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

impl Serialize for Delta {
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
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ToolCallDelta {
    /// Call id (often only on the first fragment; may be `""`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Position of the call (absent on old Ollama versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<u32>,
    /// `"function"`.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Name and argument fragment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<FunctionDelta>,
}

/// Function part of a tool-call fragment.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FunctionDelta {
    /// Function name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A fragment of the JSON arguments text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arguments: Option<String>,
}

/// Token counts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Usage {
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_tokens_details: Option<Map<String, Value>>,
    /// Completion details (`reasoning_tokens`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_tokens_details: Option<Map<String, Value>>,
}

/// Log probabilities of a choice.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChoiceLogprobs {
    /// Per content token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<Vec<TokenLogprob>>,
    /// Per refusal token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<Vec<TokenLogprob>>,
}

/// One token's log probability.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TokenLogprob {
    /// The token text.
    #[serde(default, deserialize_with = "null_default")]
    pub token: String,
    /// Its log probability.
    #[serde(default, deserialize_with = "null_default")]
    pub logprob: f64,
    /// Its UTF-8 bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<Vec<u8>>,
    /// The most likely alternatives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_logprobs: Option<Vec<TopLogprob>>,
}

/// An alternative token.
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<Vec<u8>>,
}

// ---------------------------------------------------------------- response

/// A non-streamed `chat.completion` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatCompletion {
    /// Completion id.
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    /// `"chat.completion"`.
    #[serde(default, deserialize_with = "null_default")]
    pub object: String,
    /// Unix seconds.
    #[serde(default, deserialize_with = "null_default")]
    pub created: i64,
    /// Model name.
    #[serde(default, deserialize_with = "null_default")]
    pub model: String,
    /// Backend fingerprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_fingerprint: Option<String>,
    /// Choices.
    #[serde(deserialize_with = "null_default")]
    pub choices: Vec<Choice>,
    /// Token usage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<Usage>,
}

/// One choice of a non-streamed response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Choice {
    /// Choice index.
    #[serde(default, deserialize_with = "null_default")]
    pub index: u32,
    /// The generated message.
    pub message: Message,
    /// Why it stopped; always written.
    #[serde(default)]
    pub finish_reason: Option<FinishReason>,
    /// Token log probabilities, when requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logprobs: Option<ChoiceLogprobs>,
}

// ---------------------------------------------------------------- messages

/// A chat message, in a request or in a response.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct Message {
    /// Author role.
    pub role: Role,
    /// Text or content parts; `None` for `null`/absent (assistant tool calls).
    pub content: Option<Content>,
    /// Reasoning text (`reasoning`, `reasoning_content` or `reasoning_text`).
    pub reasoning: Option<String>,
    /// Which key [`reasoning`](Self::reasoning) came from and is written to.
    pub reasoning_key: ReasoningKey,
    /// Refusal text.
    pub refusal: Option<String>,
    /// Participant or tool name.
    pub name: Option<String>,
    /// Tool calls made by the assistant.
    pub tool_calls: Option<Vec<ToolCall>>,
    /// For `tool` messages: the call answered.
    pub tool_call_id: Option<String>,
}

// `open_enum!` has no `#[default]` hook, so this is written by hand.
#[allow(clippy::derivable_impls)]
impl Default for Role {
    fn default() -> Self {
        Self::User
    }
}

impl Message {
    /// A message with text content.
    pub fn new(role: Role, text: impl Into<String>) -> Self {
        Self {
            role,
            content: Some(Content::Text(text.into())),
            ..Self::default()
        }
    }
}

#[derive(Deserialize)]
struct MessageIn {
    #[serde(default, deserialize_with = "null_default")]
    role: Role,
    #[serde(default)]
    content: Option<Content>,
    #[serde(default)]
    reasoning: Option<String>,
    #[serde(default)]
    reasoning_content: Option<String>,
    #[serde(default)]
    reasoning_text: Option<String>,
    #[serde(default)]
    refusal: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    tool_calls: Option<Vec<ToolCall>>,
    #[serde(default)]
    tool_call_id: Option<String>,
}

#[derive(Serialize)]
struct MessageOut<'a> {
    role: &'a Role,
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<&'a Content>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reasoning: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reasoning_content: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reasoning_text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refusal: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tool_calls: Option<&'a [ToolCall]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tool_call_id: Option<&'a str>,
}

impl<'de> Deserialize<'de> for Message {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = MessageIn::deserialize(d)?;
        let (reasoning, reasoning_key) =
            pick_reasoning(raw.reasoning_content, raw.reasoning, raw.reasoning_text);
        Ok(Self {
            role: raw.role,
            content: raw.content,
            reasoning,
            reasoning_key,
            refusal: raw.refusal,
            name: raw.name,
            tool_calls: raw.tool_calls,
            tool_call_id: raw.tool_call_id,
        })
    }
}

impl Serialize for Message {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (reasoning, reasoning_content, reasoning_text) =
            split_reasoning(self.reasoning.as_deref(), self.reasoning_key);
        MessageOut {
            role: &self.role,
            content: self.content.as_ref(),
            reasoning,
            reasoning_content,
            reasoning_text,
            refusal: self.refusal.as_deref(),
            name: self.name.as_deref(),
            tool_calls: self.tool_calls.as_deref(),
            tool_call_id: self.tool_call_id.as_deref(),
        }
        .serialize(s)
    }
}

/// Message content: a string or an array of parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Content {
    /// Plain text.
    Text(String),
    /// Typed parts (text, images, audio, …).
    Parts(Vec<ContentPart>),
}

/// One content part.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ContentPart {
    /// `{"type":"text","text":…}`.
    Text {
        /// The text.
        text: String,
    },
    /// `{"type":"image_url","image_url":{"url":…,"detail":…}}`; a bare
    /// string `image_url` is accepted too.
    ImageUrl {
        /// URL or `data:` URI.
        url: String,
        /// `auto`, `low` or `high`.
        detail: Option<String>,
    },
    /// `{"type":"input_audio","input_audio":{"data":…,"format":…}}`.
    InputAudio {
        /// Base64 audio.
        data: String,
        /// `wav`, `mp3`, …
        format: String,
    },
    /// Any other part, kept verbatim.
    Other(Value),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ImageUrlIn {
    Bare(String),
    Object {
        url: String,
        #[serde(default)]
        detail: Option<String>,
    },
}

#[derive(Deserialize)]
struct InputAudioIn {
    data: String,
    format: String,
}

impl<'de> Deserialize<'de> for ContentPart {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = Value::deserialize(d)?;
        let field = |name: &str| value.get(name).cloned().unwrap_or(Value::Null);
        let part = match value.get("type").and_then(Value::as_str) {
            Some("text") => Self::Text {
                text: String::deserialize(field("text")).map_err(D::Error::custom)?,
            },
            Some("image_url") => {
                match ImageUrlIn::deserialize(field("image_url")).map_err(D::Error::custom)? {
                    ImageUrlIn::Bare(url) => Self::ImageUrl { url, detail: None },
                    ImageUrlIn::Object { url, detail } => Self::ImageUrl { url, detail },
                }
            }
            Some("input_audio") => {
                let a =
                    InputAudioIn::deserialize(field("input_audio")).map_err(D::Error::custom)?;
                Self::InputAudio {
                    data: a.data,
                    format: a.format,
                }
            }
            _ => Self::Other(value),
        };
        Ok(part)
    }
}

impl Serialize for ContentPart {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let value = match self {
            Self::Text { text } => serde_json::json!({"type": "text", "text": text}),
            Self::ImageUrl { url, detail } => {
                let mut inner = Map::new();
                inner.insert("url".into(), Value::from(url.as_str()));
                if let Some(detail) = detail {
                    inner.insert("detail".into(), Value::from(detail.as_str()));
                }
                serde_json::json!({"type": "image_url", "image_url": inner})
            }
            Self::InputAudio { data, format } => serde_json::json!({
                "type": "input_audio",
                "input_audio": {"data": data, "format": format},
            }),
            Self::Other(value) => return value.serialize(s),
        };
        value.serialize(s)
    }
}

/// A complete tool call (request history or non-streamed response).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ToolCall {
    /// Call id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Position (Ollama writes it; OpenAI does not in responses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<u32>,
    /// `"function"`.
    #[serde(
        rename = "type",
        default = "function_type",
        deserialize_with = "null_function"
    )]
    pub kind: String,
    /// The call.
    pub function: FunctionCall,
}

fn function_type() -> String {
    "function".to_owned()
}

fn null_function<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_else(function_type))
}

/// Function name and JSON arguments text.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FunctionCall {
    /// Function name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Arguments as a JSON text (a string on the wire).
    #[serde(default, deserialize_with = "null_default")]
    pub arguments: String,
}

// ---------------------------------------------------------------- request

/// A `POST /v1/chat/completions` request body.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatRequest {
    /// Model name.
    #[serde(default, deserialize_with = "null_default")]
    pub model: String,
    /// The conversation.
    #[serde(default, deserialize_with = "null_default")]
    pub messages: Vec<Message>,
    /// Stream the answer as SSE (default `false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<bool>,
    /// Streaming options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_options: Option<StreamOptions>,
    /// Available tools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<Tool>>,
    /// Tool selection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<ToolChoice>,
    /// Allow parallel tool calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallel_tool_calls: Option<bool>,
    /// Output token limit (legacy name; Ollama maps it to `num_predict`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u64>,
    /// Output token limit (current name; ignored by Ollama).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_completion_tokens: Option<u64>,
    /// Reasoning effort (flat form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning_effort: Option<ReasoningEffort>,
    /// Reasoning settings (`{"effort":…}`; wins over `reasoning_effort` on Ollama).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reasoning: Option<ReasoningOptions>,
    /// Output format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_format: Option<ResponseFormat>,
    /// Sampling temperature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// Nucleus sampling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    /// Sampling seed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
    /// Stop sequences.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop: Option<Stop>,
    /// Frequency penalty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency_penalty: Option<f64>,
    /// Presence penalty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presence_penalty: Option<f64>,
    /// Return log probabilities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logprobs: Option<bool>,
    /// Alternatives per token with `logprobs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_logprobs: Option<u32>,
    /// Number of choices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<u32>,
    /// End-user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
}

/// `stream_options`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StreamOptions {
    /// Ask for a final usage chunk (ignored by llama-cpp-python).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_usage: Option<bool>,
}

/// `reasoning` request object.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReasoningOptions {
    /// Effort.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<ReasoningEffort>,
}

/// A tool definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Tool {
    /// `"function"`.
    #[serde(
        rename = "type",
        default = "function_type",
        deserialize_with = "null_function"
    )]
    pub kind: String,
    /// The function.
    pub function: FunctionDefinition,
}

impl Tool {
    /// A function tool.
    pub fn function(
        name: impl Into<String>,
        description: Option<String>,
        parameters: Option<Value>,
    ) -> Self {
        Self {
            kind: function_type(),
            function: FunctionDefinition {
                name: name.into(),
                description,
                parameters,
                strict: None,
            },
        }
    }
}

/// A function a tool exposes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FunctionDefinition {
    /// Name.
    pub name: String,
    /// What it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// JSON Schema of the arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Value>,
    /// Strict schema adherence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strict: Option<bool>,
}

/// `tool_choice`: a mode string or a named function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ToolChoice {
    /// `"none"`, `"auto"`, `"required"`.
    Mode(ToolChoiceMode),
    /// `{"type":"function","function":{"name":…}}`.
    Named(NamedToolChoice),
}

/// A forced function in `tool_choice`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NamedToolChoice {
    /// `"function"`.
    #[serde(
        rename = "type",
        default = "function_type",
        deserialize_with = "null_function"
    )]
    pub kind: String,
    /// The function.
    pub function: NamedFunction,
}

impl NamedToolChoice {
    /// Forces the named function.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            kind: function_type(),
            function: NamedFunction { name: name.into() },
        }
    }
}

/// A function name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NamedFunction {
    /// Name.
    pub name: String,
}

/// `response_format`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseFormat {
    /// `text`, `json_object` or `json_schema`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The schema for `json_schema`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json_schema: Option<JsonSchemaFormat>,
}

/// `response_format.json_schema`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JsonSchemaFormat {
    /// Schema name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The JSON Schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<Value>,
    /// Strict adherence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strict: Option<bool>,
}

/// `stop`: one string or several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Stop {
    /// One sequence.
    One(String),
    /// Several sequences.
    Many(Vec<String>),
}

// ---------------------------------------------------------------- errors

/// An error body: `{"error": {...}}` (OpenAI) or `{"error": "…"}` (Ollama native).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorEnvelope {
    /// The error.
    pub error: ErrorPayload,
}

/// The value of an `error` key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ErrorPayload {
    /// `{"message":…,"type":…,"param":…,"code":…}`.
    Object(ApiError),
    /// A plain message string.
    Message(String),
}

impl ErrorPayload {
    /// The human-readable message.
    pub fn message(&self) -> &str {
        match self {
            Self::Object(e) => &e.message,
            Self::Message(m) => m,
        }
    }
}

/// An OpenAI-shaped error object.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ApiError {
    /// Message.
    #[serde(default, deserialize_with = "null_default")]
    pub message: String,
    /// `invalid_request_error`, `not_found_error`, `api_error`, …
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// The offending parameter (a string when present); always written
    /// (`null` when absent).
    #[serde(default)]
    pub param: Option<Value>,
    /// A string (`context_length_exceeded`) or a number (llama-server: `400`);
    /// always written.
    #[serde(default)]
    pub code: Option<Value>,
    /// Any other keys (`n_prompt_tokens`, `n_ctx`, …).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Deserializes `null` as the default value.
fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

mod borrowed;
pub use borrowed::{
    ChatCompletionChunkRef, ChunkChoiceRef, DeltaRef, FunctionDeltaRef, ToolCallDeltaRef,
};

#[cfg(test)]
mod tests;
