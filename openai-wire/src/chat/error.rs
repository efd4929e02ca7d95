//! Error bodies and payloads.

use std::sync::LazyLock;

use memchr::memmem;
use serde_json::value::RawValue;

use super::*;

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

#[derive(Deserialize)]
struct Probe<'a> {
    #[serde(borrow, default)]
    error: Option<&'a RawValue>,
}

/// Looks for a truthy `error` key in a JSON text.
///
/// `Ok(Some(payload))` when the key is there and truthy (`payload` is `None`
/// when it is neither a string nor an OpenAI error object); `Ok(None)`
/// otherwise, also for text that does not parse or is not an object (the
/// caller's own decode reports that); `Err` when the `error` value parses as
/// JSON text but not as a value (a number out of range).
pub(crate) fn probe_error(text: &str) -> Result<Option<Option<ErrorPayload>>, serde_json::Error> {
    // Only objects can carry the key (a derived struct would also accept an
    // array); anything else is left to the chunk decoder to reject.
    if !text.trim_start().starts_with('{') {
        return Ok(None);
    }
    // A key `error` is the bytes `"error"`; inside a JSON string its quotes
    // would be escaped, so without those bytes there is no such key and the
    // second parse can be skipped (most chunks). A key spelled with `\u`
    // escapes slips past this filter and then fails as a chunk of an
    // unexpected shape: still an error item, never a silent one.
    static ERROR_KEY: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new(b"\"error\""));
    if ERROR_KEY.find(text.as_bytes()).is_none() {
        return Ok(None);
    }
    let raw = match serde_json::from_str::<Probe<'_>>(text) {
        Ok(Probe { error: Some(raw) }) => raw,
        Ok(Probe { error: None }) => return Ok(None),
        // Text that does not parse (or not as an object) is left to the decoder of the
        // chunk or body type, which reports the same fault with its own offset and class.
        Err(_) => return Ok(None),
    };
    let value: serde_json::Value = serde_json::from_str(raw.get())?;
    let truthy = match &value {
        serde_json::Value::Null | serde_json::Value::Bool(false) => false,
        serde_json::Value::String(s) => !s.is_empty(),
        serde_json::Value::Object(m) => !m.is_empty(),
        serde_json::Value::Array(a) => !a.is_empty(),
        _ => true,
    };
    if !truthy {
        return Ok(None);
    }
    Ok(Some(serde_json::from_value(value).ok()))
}
