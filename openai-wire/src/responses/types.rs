//! The request, the response object, its output items, content parts and usage.
//!
//! Field order is the order of Ollama's Go structs (`ResponsesResponse`, `ResponsesOutputItem`,
//! … in its `openai/responses.go`), so that a non-streamed body re-encodes byte for byte with
//! [`Encoder::new()`](crate::Encoder::new). Streamed events carry the same values as Go maps,
//! whose keys Go writes sorted; [`ResponsesEncoder`](super::ResponsesEncoder) sorts them.

use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use wire_core::open_enum;

use crate::chat::{ReasoningEffort, Role, ToolChoiceMode};

open_enum! {
    /// The status of a response.
    pub enum ResponseStatus {
        /// `completed`.
        Completed = "completed",
        /// `failed`.
        Failed = "failed",
        /// `in_progress`.
        InProgress = "in_progress",
        /// `cancelled`.
        Cancelled = "cancelled",
        /// `queued`.
        Queued = "queued",
        /// `incomplete`.
        Incomplete = "incomplete",
    }
}

open_enum! {
    /// The status of an output item (or an input item the client sends back).
    pub enum ResponseItemStatus {
        /// `in_progress`.
        InProgress = "in_progress",
        /// `completed`.
        Completed = "completed",
        /// `incomplete`.
        Incomplete = "incomplete",
    }
}

/// Deserializes a present value (also `null`) as `Some(..)`: with `#[serde(default)]`, an
/// absent field stays `None`, so `null` and absent re-encode as they came.
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// A JSON value kept as its exact text (key order, spacing and number spelling), such as a
/// `json_schema` format's `schema`, which Ollama echoes verbatim: the one `RawJson` of every
/// wire crate.
pub use wire_core::RawJson;

// ---------------------------------------------------------------------------------------------
// Configuration echoed in requests and responses.

/// `reasoning`: effort and summary settings. Each field tells absent (`None`) from `null`
/// (`Some(None)`): Ollama writes `"summary":null` in streamed events and omits it in a
/// non-streamed body.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseReasoning {
    /// `low`, `medium`, `high`, …
    #[serde(default, deserialize_with = "present")]
    pub effort: Option<Option<ReasoningEffort>>,
    /// Deprecated name of `summary`.
    #[serde(default, deserialize_with = "present")]
    pub generate_summary: Option<Option<String>>,
    /// `auto`, `concise` or `detailed`.
    #[serde(default, deserialize_with = "present")]
    pub summary: Option<Option<String>>,
}

impl ResponseReasoning {
    /// A setting with only an effort.
    pub fn effort(effort: ReasoningEffort) -> Self {
        Self {
            effort: Some(Some(effort)),
            ..Self::default()
        }
    }
}

/// `text`: output text settings.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseTextConfig {
    /// The output format.
    pub format: Option<ResponseFormatTextConfig>,
    /// `low`, `medium` or `high`.
    pub verbosity: Option<String>,
}

/// `text.format`: `{"type":"text"}`, `{"type":"json_object"}` or `{"type":"json_schema",
/// "name":…,"schema":…,"strict":…}`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseFormatTextConfig {
    /// `text`, `json_object` or `json_schema`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The schema's name (`json_schema`).
    pub name: Option<String>,
    /// What the schema is for (`json_schema`).
    pub description: Option<String>,
    /// The JSON Schema, verbatim (`json_schema`).
    pub schema: Option<RawJson>,
    /// Strict adherence (`json_schema`).
    pub strict: Option<bool>,
}

impl ResponseFormatTextConfig {
    /// `{"type":"text"}`.
    pub fn text() -> Self {
        Self {
            kind: "text".to_owned(),
            ..Self::default()
        }
    }
}

/// A tool: `{"type":"function","name":…,"description":…,"strict":…,"parameters":…}` (the
/// function fields are not nested as in chat completions). Ollama writes `description`,
/// `strict` and `parameters` always, `null` when unset; clients usually omit them: each tells
/// absent (`None`) from `null` (`Some(None)`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseTool {
    /// `function` (or a built-in tool type).
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The function name.
    pub name: Option<String>,
    /// What it does.
    #[serde(default, deserialize_with = "present")]
    pub description: Option<Option<String>>,
    /// Strict schema adherence.
    #[serde(default, deserialize_with = "present")]
    pub strict: Option<Option<bool>>,
    /// JSON Schema of the arguments.
    #[serde(default, deserialize_with = "present")]
    pub parameters: Option<Option<Value>>,
}

impl ResponseTool {
    /// A function tool.
    pub fn function(
        name: impl Into<String>,
        description: Option<String>,
        parameters: Option<Value>,
    ) -> Self {
        Self {
            kind: "function".to_owned(),
            name: Some(name.into()),
            description: description.map(Some),
            strict: None,
            parameters: parameters.map(Some),
        }
    }
}

/// `tool_choice`: a mode (`"auto"`, which Ollama always writes) or an object
/// (`{"type":"function","name":…}`, kept as sent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ResponseToolChoice {
    /// `none`, `auto` or `required`.
    Mode(ToolChoiceMode),
    /// A forced tool.
    Object(Map<String, Value>),
}

// ---------------------------------------------------------------------------------------------
// The request.

/// A `POST /v1/responses` request body.
///
/// Fields are written in the order the OpenAI clients send them; unknown fields are ignored, as
/// in the chat types.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseCreateParams {
    /// Model name.
    #[serde(default)]
    pub model: String,
    /// A system message put first (a string; Ollama accepts no items here).
    pub instructions: Option<String>,
    /// The input: a user text or a list of items. Ollama accepts a request without it.
    pub input: Option<ResponseInput>,
    /// Available tools.
    pub tools: Option<Vec<ResponseTool>>,
    /// Tool selection (ignored by Ollama).
    pub tool_choice: Option<ResponseToolChoice>,
    /// Allow parallel tool calls.
    pub parallel_tool_calls: Option<bool>,
    /// Reasoning settings (Ollama maps `effort` to `think`).
    pub reasoning: Option<ResponseReasoning>,
    /// Output text settings (`json_schema` becomes Ollama's `format`).
    pub text: Option<ResponseTextConfig>,
    /// Output token limit (Ollama's `num_predict`).
    pub max_output_tokens: Option<u64>,
    /// Most built-in tool calls.
    pub max_tool_calls: Option<u64>,
    /// Sampling temperature (Ollama's default: 1).
    pub temperature: Option<f64>,
    /// Nucleus sampling.
    pub top_p: Option<f64>,
    /// Alternatives per token with log probabilities.
    pub top_logprobs: Option<u32>,
    /// `auto` or `disabled`.
    pub truncation: Option<String>,
    /// Stream the answer as SSE events (default `false`).
    pub stream: Option<bool>,
    /// Continue from a stored response (not supported by Ollama).
    pub previous_response_id: Option<String>,
    /// Store the response (Ollama never does).
    pub store: Option<bool>,
    /// Key-value pairs to attach.
    pub metadata: Option<Map<String, Value>>,
    /// Run in the background (not supported by Ollama).
    pub background: Option<bool>,
    /// Extra output to include.
    pub include: Option<Vec<String>>,
    /// Service tier.
    pub service_tier: Option<String>,
    /// End-user id for abuse detection.
    pub safety_identifier: Option<String>,
    /// Prompt cache key.
    pub prompt_cache_key: Option<String>,
    /// End-user id (legacy).
    pub user: Option<String>,
    /// A conversation id or object.
    pub conversation: Option<Value>,
}

/// `input`: a string (one user message) or a list of items.
// Serialized as the variant's value, with nothing around it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ResponseInput {
    /// A user text.
    Text(String),
    /// Messages, function calls and their outputs, reasoning items.
    Items(Vec<ResponseInputItem>),
}

impl<'de> Deserialize<'de> for ResponseInput {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = ResponseInput;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string or an array of input items")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ResponseInput, E> {
                Ok(ResponseInput::Text(v.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<ResponseInput, E> {
                Ok(ResponseInput::Text(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<ResponseInput, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(ResponseInput::Items(items))
            }
        }
        d.deserialize_any(V)
    }
}

/// One input item. An object without `type` but with `role` is a message (the shorthand
/// `{"role":"user","content":"hi"}`, re-encoded without `type`).
// Serialized as the variant's value, with nothing around it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ResponseInputItem {
    /// `{"type":"message","role":…,"content":…}`.
    Message(ResponseInputMessage),
    /// An earlier function call of the assistant.
    FunctionCall(ResponseFunctionToolCall),
    /// The result of a function call.
    FunctionCallOutput(ResponseFunctionCallOutput),
    /// An earlier reasoning item.
    Reasoning(ResponseReasoningItem),
    /// An earlier assistant message, as the response gave it.
    OutputMessage(ResponseOutputMessage),
    /// Any other item, kept as sent.
    Other(Value),
}

/// A message in `input`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseInputMessage {
    /// `"message"`, or `None` for the shorthand without `type`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// `user`, `system`, `developer` or `assistant`.
    #[serde(default)]
    pub role: Role,
    /// A text or parts.
    pub content: Option<ResponseInputMessageContent>,
    /// Item status, when sent back.
    pub status: Option<ResponseItemStatus>,
}

impl ResponseInputMessage {
    /// A `message` item with text parts as one `input_text`.
    pub fn new(role: Role, text: impl Into<String>) -> Self {
        Self {
            kind: Some("message".to_owned()),
            role,
            content: Some(ResponseInputMessageContent::Parts(vec![
                ResponseInputContent::InputText(ResponseInputText::new(text)),
            ])),
            status: None,
        }
    }
}

/// A message's content: a string or a list of parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ResponseInputMessageContent {
    /// Plain text.
    Text(String),
    /// Typed parts.
    Parts(Vec<ResponseInputContent>),
}

/// One input content part.
// Serialized as the variant's value, with nothing around it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ResponseInputContent {
    /// `{"type":"input_text","text":…}`.
    InputText(ResponseInputText),
    /// `{"type":"output_text","text":…}` (assistant history).
    OutputText(ResponseInputText),
    /// `{"type":"input_image","detail":…,"image_url":…}`.
    InputImage(ResponseInputImage),
    /// Any other part (`input_file`, …), kept as sent.
    Other(Value),
}

/// A text part of an input message.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseInputText {
    /// `input_text` or `output_text`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The text.
    #[serde(default)]
    pub text: String,
}

impl ResponseInputText {
    /// An `input_text` part.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            kind: "input_text".to_owned(),
            text: text.into(),
        }
    }
}

/// An image part of an input message.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseInputImage {
    /// `input_image`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// `auto`, `low` or `high`.
    pub detail: Option<String>,
    /// An uploaded file's id.
    pub file_id: Option<String>,
    /// A URL or `data:` URI.
    pub image_url: Option<String>,
}

/// The result of a function call in `input`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseFunctionCallOutput {
    /// Item id, when sent back.
    pub id: Option<String>,
    /// `function_call_output`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The call answered.
    #[serde(default)]
    pub call_id: String,
    /// A string, or content parts (kept as sent).
    #[serde(default)]
    pub output: Value,
    /// Item status, when sent back.
    pub status: Option<ResponseItemStatus>,
}

impl ResponseFunctionCallOutput {
    /// The text result of call `call_id`.
    pub fn new(call_id: impl Into<String>, output: impl Into<String>) -> Self {
        Self {
            id: None,
            kind: "function_call_output".to_owned(),
            call_id: call_id.into(),
            output: Value::String(output.into()),
            status: None,
        }
    }
}

/// Dispatches an object on its `type` (the `role` shorthand for messages when `type` is
/// absent) to the typed item, or keeps it whole.
impl<'de> Deserialize<'de> for ResponseInputItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        let kind = value.get("type").and_then(Value::as_str);
        let is_message = kind == Some("message") || (kind.is_none() && value.get("role").is_some());
        // An assistant message with an `id` and `output_text` parts is an earlier output item.
        let output_message = is_message && value.get("id").is_some();
        let item = match kind {
            _ if output_message => Self::OutputMessage(from(value)?),
            _ if is_message => Self::Message(from(value)?),
            Some("function_call") => Self::FunctionCall(from(value)?),
            Some("function_call_output") => Self::FunctionCallOutput(from(value)?),
            Some("reasoning") => Self::Reasoning(from(value)?),
            _ => Self::Other(value),
        };
        Ok(item)
    }
}

impl<'de> Deserialize<'de> for ResponseInputContent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        let part = match value.get("type").and_then(Value::as_str) {
            Some("input_text") => Self::InputText(from(value)?),
            Some("output_text") => Self::OutputText(from(value)?),
            Some("input_image") => Self::InputImage(from(value)?),
            _ => Self::Other(value),
        };
        Ok(part)
    }
}

/// A typed value out of an object already read whole.
fn from<T: serde::de::DeserializeOwned, E: serde::de::Error>(value: Value) -> Result<T, E> {
    T::deserialize(value).map_err(E::custom)
}

// ---------------------------------------------------------------------------------------------
// The response object.

/// The response object: a non-streamed reply, and the `response` of the `response.created`,
/// `response.in_progress`, `response.completed`, `response.incomplete` and `response.failed`
/// events (Go's `ResponsesResponse`).
///
/// Fields Ollama writes as `null` when unset are `Option`s that are always written; fields it
/// writes as plain values are `Option`s written when present.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Response {
    /// Response id (`resp_…`).
    #[serde(default)]
    pub id: String,
    /// `"response"`.
    #[serde(default)]
    pub object: String,
    /// Unix seconds.
    #[serde(default)]
    pub created_at: i64,
    /// Unix seconds; `null` until the response completes.
    #[serde(default)]
    #[serialize_always]
    pub completed_at: Option<i64>,
    /// The status.
    pub status: Option<ResponseStatus>,
    /// Why the response is incomplete; always written.
    #[serde(default)]
    #[serialize_always]
    pub incomplete_details: Option<ResponseIncompleteDetails>,
    /// The model.
    #[serde(default)]
    pub model: String,
    /// Always written (`null` on Ollama).
    #[serde(default)]
    #[serialize_always]
    pub previous_response_id: Option<String>,
    /// The request's instructions; always written.
    #[serde(default)]
    #[serialize_always]
    pub instructions: Option<String>,
    /// The output items (`[]` while in progress; `null` when Ollama produced none).
    #[serde(default)]
    #[serialize_always]
    pub output: Option<Vec<ResponseOutputItem>>,
    /// The error of a failed response; always written.
    #[serde(default)]
    #[serialize_always]
    pub error: Option<ResponseError>,
    /// The request's tools.
    pub tools: Option<Vec<ResponseTool>>,
    /// Tool selection (`"auto"` on Ollama).
    pub tool_choice: Option<ResponseToolChoice>,
    /// `disabled` or `auto`.
    pub truncation: Option<String>,
    /// Parallel tool calls allowed.
    pub parallel_tool_calls: Option<bool>,
    /// Output text settings.
    pub text: Option<ResponseTextConfig>,
    /// Nucleus sampling.
    pub top_p: Option<f64>,
    /// Presence penalty.
    pub presence_penalty: Option<f64>,
    /// Frequency penalty.
    pub frequency_penalty: Option<f64>,
    /// Alternatives per token.
    pub top_logprobs: Option<u32>,
    /// Sampling temperature.
    pub temperature: Option<f64>,
    /// Reasoning settings; always written.
    #[serde(default)]
    #[serialize_always]
    pub reasoning: Option<ResponseReasoning>,
    /// Token counts; `null` until the response completes.
    #[serde(default)]
    #[serialize_always]
    pub usage: Option<ResponseUsage>,
    /// Output token limit; always written.
    #[serde(default)]
    #[serialize_always]
    pub max_output_tokens: Option<u64>,
    /// Built-in tool call limit; always written.
    #[serde(default)]
    #[serialize_always]
    pub max_tool_calls: Option<u64>,
    /// Stored.
    pub store: Option<bool>,
    /// Run in the background.
    pub background: Option<bool>,
    /// `default` on Ollama.
    pub service_tier: Option<String>,
    /// Attached key-value pairs.
    pub metadata: Option<Map<String, Value>>,
    /// Always written (`null` on Ollama).
    #[serde(default)]
    #[serialize_always]
    pub safety_identifier: Option<String>,
    /// Always written (`null` on Ollama).
    #[serde(default)]
    #[serialize_always]
    pub prompt_cache_key: Option<String>,
}

impl Response {
    /// The text of every `output_text` part of every message item, joined.
    pub fn output_text(&self) -> String {
        self.output
            .iter()
            .flatten()
            .filter_map(|item| match item {
                ResponseOutputItem::Message(m) => Some(m),
                _ => None,
            })
            .flat_map(|m| &m.content)
            .filter_map(|part| match part {
                ResponseOutputContent::OutputText(t) => Some(t.text.as_str()),
                _ => None,
            })
            .collect()
    }
}

/// `incomplete_details`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseIncompleteDetails {
    /// `max_output_tokens` or `content_filter`.
    #[serde(default)]
    pub reason: String,
}

/// The `error` of a failed response (Go's `ResponsesError`: `code`, then `message`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseError {
    /// `server_error`, `rate_limit_exceeded`, …
    #[serde(default)]
    pub code: String,
    /// What went wrong.
    #[serde(default)]
    pub message: String,
}

/// Token counts (Go's `ResponsesUsage`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseUsage {
    /// Prompt tokens.
    #[serde(default)]
    pub input_tokens: u64,
    /// Generated tokens.
    #[serde(default)]
    pub output_tokens: u64,
    /// Their sum.
    #[serde(default)]
    pub total_tokens: u64,
    /// Prompt details.
    pub input_tokens_details: Option<ResponseInputTokensDetails>,
    /// Output details.
    pub output_tokens_details: Option<ResponseOutputTokensDetails>,
}

/// `input_tokens_details`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseInputTokensDetails {
    /// Tokens read from the cache (`0` on Ollama).
    #[serde(default)]
    pub cached_tokens: u64,
}

/// `output_tokens_details`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseOutputTokensDetails {
    /// Reasoning tokens (`0` on Ollama).
    #[serde(default)]
    pub reasoning_tokens: u64,
}

// ---------------------------------------------------------------------------------------------
// Output items and their parts.

/// One output item (Go's `ResponsesOutputItem`, one struct for all three kinds).
// Serialized as the variant's value, with nothing around it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ResponseOutputItem {
    /// An assistant message with `output_text` parts.
    Message(ResponseOutputMessage),
    /// Reasoning: summary parts (Ollama puts the thinking text there, and again in
    /// `encrypted_content`).
    Reasoning(ResponseReasoningItem),
    /// A function call.
    FunctionCall(ResponseFunctionToolCall),
    /// Any other item, kept as sent.
    Other(Value),
}

impl ResponseOutputItem {
    /// The item's id (`None` for an other item without a string `id`).
    pub fn id(&self) -> Option<&str> {
        match self {
            Self::Message(m) => Some(&m.id),
            Self::Reasoning(r) => Some(&r.id),
            Self::FunctionCall(c) => c.id.as_deref(),
            Self::Other(v) => v.get("id").and_then(Value::as_str),
        }
    }

    /// The wire `type`.
    pub fn kind(&self) -> &str {
        match self {
            Self::Message(m) => &m.kind,
            Self::Reasoning(r) => &r.kind,
            Self::FunctionCall(c) => &c.kind,
            Self::Other(v) => v.get("type").and_then(Value::as_str).unwrap_or(""),
        }
    }
}

impl<'de> Deserialize<'de> for ResponseOutputItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        if !value.is_object() {
            return Err(D::Error::custom("an output item must be an object"));
        }
        let item = match value.get("type").and_then(Value::as_str) {
            Some("message") => Self::Message(from(value)?),
            Some("reasoning") => Self::Reasoning(from(value)?),
            Some("function_call") => Self::FunctionCall(from(value)?),
            _ => Self::Other(value),
        };
        Ok(item)
    }
}

/// An assistant message item.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseOutputMessage {
    /// Item id (`msg_…`).
    #[serde(default)]
    pub id: String,
    /// `message`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// `in_progress` when added, `completed` when done.
    pub status: Option<ResponseItemStatus>,
    /// `assistant`.
    pub role: Option<Role>,
    /// The parts (`[]` when added).
    #[serde(default)]
    pub content: Vec<ResponseOutputContent>,
}

/// One part of a message item.
// Serialized as the variant's value, with nothing around it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ResponseOutputContent {
    /// `{"type":"output_text","text":…,"annotations":[],"logprobs":[]}`.
    OutputText(ResponseOutputText),
    /// `{"type":"refusal","refusal":…}`.
    Refusal(ResponseOutputRefusal),
    /// Any other part, kept as sent.
    Other(Value),
}

/// An `output_text` part.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseOutputText {
    /// `output_text`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The text (`""` in `response.content_part.added`).
    #[serde(default)]
    pub text: String,
    /// Citations (`[]` on Ollama).
    pub annotations: Option<Vec<Value>>,
    /// Token log probabilities (`[]` on Ollama).
    pub logprobs: Option<Vec<Value>>,
}

impl ResponseOutputText {
    /// An `output_text` part with empty annotations and log probabilities, as Ollama writes it.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            kind: "output_text".to_owned(),
            text: text.into(),
            annotations: Some(Vec::new()),
            logprobs: Some(Vec::new()),
        }
    }
}

/// A `refusal` part.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseOutputRefusal {
    /// `refusal`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The refusal text.
    #[serde(default)]
    pub refusal: String,
}

impl<'de> Deserialize<'de> for ResponseOutputContent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        let part = match value.get("type").and_then(Value::as_str) {
            Some("output_text") => Self::OutputText(from(value)?),
            Some("refusal") => Self::Refusal(from(value)?),
            _ => Self::Other(value),
        };
        Ok(part)
    }
}

/// A reasoning item.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseReasoningItem {
    /// Item id (`rs_…`).
    #[serde(default)]
    pub id: String,
    /// `reasoning`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// Item status (Ollama writes none).
    pub status: Option<ResponseItemStatus>,
    /// Summary parts (`summary_text`; `[]` when added).
    #[serde(default)]
    pub summary: Vec<ResponseReasoningPart>,
    /// Reasoning text parts (`reasoning_text`).
    pub content: Option<Vec<ResponseReasoningPart>>,
    /// Opaque reasoning state (Ollama: the thinking text itself).
    pub encrypted_content: Option<String>,
}

impl ResponseReasoningItem {
    /// The summary texts, joined.
    pub fn summary_text(&self) -> String {
        self.summary.iter().map(|p| p.text.as_str()).collect()
    }
}

/// A `summary_text` or `reasoning_text` part.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseReasoningPart {
    /// `summary_text` or `reasoning_text`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The text.
    #[serde(default)]
    pub text: String,
}

impl ResponseReasoningPart {
    /// A `summary_text` part.
    pub fn summary_text(text: impl Into<String>) -> Self {
        Self {
            kind: "summary_text".to_owned(),
            text: text.into(),
        }
    }
}

/// A function call: an output item, or an earlier call sent back in `input`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseFunctionToolCall {
    /// Item id (`fc_…`; optional in `input`).
    pub id: Option<String>,
    /// `function_call`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// `in_progress` when added, `completed` when done.
    pub status: Option<ResponseItemStatus>,
    /// The call id the output answers (`call_…`).
    #[serde(default)]
    pub call_id: String,
    /// Function name.
    #[serde(default)]
    pub name: String,
    /// JSON arguments text (`""` when added).
    #[serde(default)]
    pub arguments: String,
}
