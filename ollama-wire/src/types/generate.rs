//! `POST /api/generate`: request and response.

use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::metrics::{metrics_of, serialize_some};
use super::{DoneReason, Format, KeepAlive, Logprob, Metrics, RawJson, Think, ToolCall, is_false};

/// A generate (completion) request.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GenerateRequest {
    /// Model name.
    pub model: String,
    /// The prompt; empty only loads the model.
    #[serde(default)]
    pub prompt: String,
    /// Text after the insertion point (models with the `insert` capability).
    pub suffix: Option<String>,
    /// System prompt override.
    pub system: Option<String>,
    /// Prompt template override.
    pub template: Option<String>,
    /// Token context from a previous reply (deprecated by Ollama).
    pub context: Option<Vec<i64>>,
    /// Stream NDJSON chunks (the server's default is `true`).
    pub stream: Option<bool>,
    /// Send the prompt without applying the template.
    #[serde(default, skip_serializing_if = "is_false")]
    pub raw: bool,
    /// `"json"` or a JSON Schema for structured output.
    pub format: Option<Format>,
    /// How long the model stays loaded after the request.
    pub keep_alive: Option<KeepAlive>,
    /// Base64-encoded images.
    pub images: Option<Vec<String>>,
    /// Modelfile parameters.
    pub options: Option<Map<String, Value>>,
    /// Reasoning on/off or level (v0.9.0+).
    pub think: Option<Think>,
    /// Truncate the prompt to fit the context (v0.12.4+).
    pub truncate: Option<bool>,
    /// Shift the context when it fills up (v0.12.4+).
    pub shift: Option<bool>,
    /// Return log probabilities (v0.12.11+).
    #[serde(default, skip_serializing_if = "is_false")]
    pub logprobs: bool,
    /// Number of alternatives per token, 0–20.
    pub top_logprobs: Option<u8>,
}

impl GenerateRequest {
    /// A request for `model` with `prompt`.
    pub fn new(model: impl Into<String>, prompt: impl Into<String>) -> Self {
        Self {
            model: model.into(),
            prompt: prompt.into(),
            ..Self::default()
        }
    }
}

/// One chunk of a generate stream, or the whole reply of a non-stream generate.
///
/// Field order when encoded: `model`, `remote_model`?, `remote_host`?, `created_at`, `response`,
/// `thinking`?, `done`, `done_reason`?, `context`?, the [`Metrics`], `tool_calls`?,
/// `_debug_info`?, `logprobs`?.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct GenerateResponse {
    /// Model name as requested.
    pub model: String,
    /// Upstream model of a cloud model.
    pub remote_model: Option<String>,
    /// Upstream host of a cloud model.
    pub remote_host: Option<String>,
    /// RFC 3339 timestamp, kept verbatim.
    pub created_at: Option<String>,
    /// Generated text of this chunk (always written, `""` when empty).
    pub response: String,
    /// Reasoning text of this chunk (v0.9.0+).
    pub thinking: Option<String>,
    /// Whether this is the last chunk.
    pub done: bool,
    /// Why generation stopped.
    pub done_reason: Option<DoneReason>,
    /// Token context for a follow-up request (last chunk, not in raw mode): token ids, Go
    /// `int`s on the server, so `i64` here; a value outside `i64` makes the chunk malformed.
    pub context: Option<Vec<i64>>,
    /// Counters, normally on the last chunk.
    pub metrics: Metrics,
    /// Tool calls (builtin parsers only, on the last chunk).
    pub tool_calls: Option<Vec<ToolCall>>,
    /// `_debug_info`, kept raw.
    pub debug_info: Option<RawJson>,
    /// Log probabilities of this chunk's tokens.
    pub logprobs: Option<Vec<Logprob>>,
}

impl GenerateResponse {
    /// Decodes one JSON object.
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when `json` is not one JSON value (invalid UTF-8 or trailing
    /// characters included), or not a generate chunk: `model` missing, or a field of the wrong
    /// type (a `context` entry that is not an `i64` included).
    pub fn from_slice(json: &[u8]) -> Result<Self, serde_json::Error> {
        super::parse_json(json)
    }
}

#[derive(Deserialize)]
struct GenerateResponseWire {
    model: String,
    remote_model: Option<String>,
    remote_host: Option<String>,
    created_at: Option<String>,
    #[serde(default)]
    response: String,
    thinking: Option<String>,
    #[serde(default)]
    done: bool,
    done_reason: Option<DoneReason>,
    context: Option<Vec<i64>>,
    total_duration: Option<u64>,
    load_duration: Option<u64>,
    prompt_eval_count: Option<u64>,
    prompt_eval_duration: Option<u64>,
    eval_count: Option<u64>,
    eval_duration: Option<u64>,
    tool_calls: Option<Vec<ToolCall>>,
    #[serde(rename = "_debug_info")]
    debug_info: Option<RawJson>,
    logprobs: Option<Vec<Logprob>>,
}

impl<'de> Deserialize<'de> for GenerateResponse {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let w = GenerateResponseWire::deserialize(deserializer)?;
        Ok(Self {
            model: w.model,
            remote_model: w.remote_model,
            remote_host: w.remote_host,
            created_at: w.created_at,
            response: w.response,
            thinking: w.thinking,
            done: w.done,
            done_reason: w.done_reason,
            context: w.context,
            metrics: metrics_of!(w),
            tool_calls: w.tool_calls,
            debug_info: w.debug_info,
            logprobs: w.logprobs,
        })
    }
}

impl Serialize for GenerateResponse {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("GenerateResponse", 19)?;
        s.serialize_field("model", &self.model)?;
        serialize_some(&mut s, "remote_model", self.remote_model.as_ref())?;
        serialize_some(&mut s, "remote_host", self.remote_host.as_ref())?;
        serialize_some(&mut s, "created_at", self.created_at.as_ref())?;
        s.serialize_field("response", &self.response)?;
        serialize_some(&mut s, "thinking", self.thinking.as_ref())?;
        s.serialize_field("done", &self.done)?;
        serialize_some(&mut s, "done_reason", self.done_reason.as_ref())?;
        serialize_some(&mut s, "context", self.context.as_ref())?;
        self.metrics.serialize_into(&mut s)?;
        serialize_some(&mut s, "tool_calls", self.tool_calls.as_ref())?;
        serialize_some(&mut s, "_debug_info", self.debug_info.as_ref())?;
        serialize_some(&mut s, "logprobs", self.logprobs.as_ref())?;
        s.end()
    }
}
