//! `POST /api/chat`: request and response (one NDJSON line, or the whole non-stream body).

use std::fmt;

use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::metrics::serialize_some;
use super::{
    DoneReason, Format, KeepAlive, Logprob, Message, Metrics, RawJson, Think, Tool, is_false,
};

/// A chat request.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatRequest {
    /// Model name, e.g. `llama3.2` or `hf.co/user/repo:Q4_K_M`.
    pub model: String,
    /// The conversation. Empty (or absent) only loads the model.
    #[serde(default)]
    pub messages: Vec<Message>,
    /// Stream NDJSON chunks (the server's default is `true`).
    pub stream: Option<bool>,
    /// `"json"` or a JSON Schema for structured output.
    pub format: Option<Format>,
    /// How long the model stays loaded after the request.
    pub keep_alive: Option<KeepAlive>,
    /// Tools the model may call.
    pub tools: Option<Vec<Tool>>,
    /// Modelfile parameters (`temperature`, `num_ctx`, `num_predict`, `seed`, `stop`, …).
    pub options: Option<Map<String, Value>>,
    /// Reasoning on/off or level (v0.9.0+).
    pub think: Option<Think>,
    /// Truncate the history to fit the context (v0.12.4+, default true).
    pub truncate: Option<bool>,
    /// Shift the context when it fills up (v0.12.4+, default true).
    pub shift: Option<bool>,
    /// Return log probabilities (v0.12.11+).
    #[serde(default, skip_serializing_if = "is_false")]
    pub logprobs: bool,
    /// Number of alternatives per token, 0–20.
    pub top_logprobs: Option<u8>,
}

impl ChatRequest {
    /// A request for `model` with `messages`.
    pub fn new(model: impl Into<String>, messages: Vec<Message>) -> Self {
        Self {
            model: model.into(),
            messages,
            ..Self::default()
        }
    }
}

/// Where `done_reason` stands relative to `done` in an encoded [`ChatResponse`].
///
/// Ollama wrote `"done_reason", "done"` until v0.12.0 and `"done", "done_reason"` since. Decoding
/// with [`ChatResponse::from_slice`] records which one a line used so re-encoding reproduces it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FieldOrder {
    /// `"done"` then `"done_reason"` (v0.12.0 and later).
    #[default]
    Current,
    /// `"done_reason"` then `"done"` (before v0.12.0).
    DoneReasonFirst,
}

/// One chunk of a chat stream, or the whole reply of a non-stream chat.
///
/// Field order when encoded (v0.12.0+): `model`, `remote_model`?, `remote_host`?, `created_at`,
/// `message`, `done`, `done_reason`?, `_debug_info`?, `logprobs`?, then the [`Metrics`].
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ChatResponse {
    /// Model name as requested.
    pub model: String,
    /// Upstream model of a cloud model (v0.12.0+).
    pub remote_model: Option<String>,
    /// Upstream host of a cloud model (v0.12.0+).
    pub remote_host: Option<String>,
    /// RFC 3339 timestamp, kept verbatim (0–9 fractional digits, `Z` or an offset).
    pub created_at: Option<String>,
    /// The message delta (streaming) or the whole message (non-stream).
    pub message: Message,
    /// Whether this is the last chunk.
    pub done: bool,
    /// Why generation stopped; only on the last chunk, and not always there.
    pub done_reason: Option<DoneReason>,
    /// `_debug_info` (debug render requests), kept raw.
    pub debug_info: Option<RawJson>,
    /// Log probabilities of this chunk's tokens (v0.12.11+).
    pub logprobs: Option<Vec<Logprob>>,
    /// Counters, normally on the last chunk.
    pub metrics: Metrics,
    /// Where `done_reason` stands relative to `done` when encoded.
    pub field_order: FieldOrder,
}

impl ChatResponse {
    /// Decodes one JSON object, recording the `done_reason`/`done` order for faithful
    /// re-encoding.
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when `json` is not one JSON value (invalid UTF-8 or trailing
    /// characters included), or not a chat chunk: `model`, `message` or `message.role` missing,
    /// or a field of the wrong type (tool-call `arguments` that are not an object included).
    pub fn from_slice(json: &[u8]) -> Result<Self, serde_json::Error> {
        super::ChatResponseRef::from_slice(json).map(super::ChatResponseRef::into_owned)
    }
}

/// Finds whether the top-level key `done_reason` comes before `done`.
pub(crate) fn detect_field_order(json: &[u8]) -> Result<FieldOrder, serde_json::Error> {
    struct KeyOrder(FieldOrder);
    impl<'de> Deserialize<'de> for KeyOrder {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = KeyOrder;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an object")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeyOrder, A::Error> {
                    let mut order = FieldOrder::Current;
                    let mut seen_done = false;
                    while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                        map.next_value::<IgnoredAny>()?;
                        match &*key {
                            "done" => seen_done = true,
                            "done_reason" if !seen_done => order = FieldOrder::DoneReasonFirst,
                            _ => {}
                        }
                    }
                    Ok(KeyOrder(order))
                }
            }
            deserializer.deserialize_map(V)
        }
    }
    super::parse_json::<KeyOrder>(json).map(|k| k.0)
}

/// Decoded as [`ChatResponseRef`](super::ChatResponseRef) is, then owned: one set of decoding
/// rules for both.
impl<'de> Deserialize<'de> for ChatResponse {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        super::ChatResponseRef::deserialize(deserializer).map(super::ChatResponseRef::into_owned)
    }
}

impl Serialize for ChatResponse {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("ChatResponse", 16)?;
        s.serialize_field("model", &self.model)?;
        serialize_some(&mut s, "remote_model", self.remote_model.as_ref())?;
        serialize_some(&mut s, "remote_host", self.remote_host.as_ref())?;
        serialize_some(&mut s, "created_at", self.created_at.as_ref())?;
        s.serialize_field("message", &self.message)?;
        match self.field_order {
            FieldOrder::DoneReasonFirst => {
                serialize_some(&mut s, "done_reason", self.done_reason.as_ref())?;
                s.serialize_field("done", &self.done)?;
            }
            FieldOrder::Current => {
                s.serialize_field("done", &self.done)?;
                serialize_some(&mut s, "done_reason", self.done_reason.as_ref())?;
            }
        }
        serialize_some(&mut s, "_debug_info", self.debug_info.as_ref())?;
        serialize_some(&mut s, "logprobs", self.logprobs.as_ref())?;
        self.metrics.serialize_into(&mut s)?;
        s.end()
    }
}
