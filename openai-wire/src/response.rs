//! Whole-response helpers: what kind of HTTP response is this, and decoding
//! a non-streamed body.
//!
//! Dispatch on the status and `Content-Type`, not on the request's `stream`
//! flag: servers answer `stream:true` requests with a JSON error (llama-server
//! on context overflow), a plain-text error (llama-cpp-python on bad JSON), or
//! an empty 200 event stream (llama-cpp-python on an unknown tool).

use serde::de::DeserializeOwned;

use crate::chat::ErrorEnvelope;
use crate::chat::probe_error;
use crate::error::{DecodeError, OpenAiError};

/// What kind of HTTP response this is: the classification every event-stream wire shares
/// (`sse-wire`'s).
pub use crate::sse::{BodyKind, classify};

/// Decodes a 2xx JSON body as `T`; a body with a truthy `error` key is an
/// [`DecodeError::Upstream`] carrying `status`.
///
/// # Errors
///
/// - [`DecodeError::NotJson`] (offset 0) when the body is not valid UTF-8 or not
///   JSON.
/// - [`DecodeError::Upstream`] when the body is an object whose `error` key is
///   truthy (not `null`, `false`, `""`, `{}` or `[]`), whatever `T` would
///   accept.
/// - [`DecodeError::UnexpectedJson`] (offset 0) when the body is JSON but not a
///   `T`.
pub fn decode_json<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, DecodeError> {
    let text = simdutf8::basic::from_utf8(body).map_err(|_| {
        let source = serde_json::from_slice::<serde_json::Value>(body)
            .err()
            .unwrap_or_else(|| serde::de::Error::custom("invalid UTF-8"));
        DecodeError::NotJson { offset: 0, source }
    })?;
    match probe_error(text).map_err(|e| DecodeError::json(0, e))? {
        Some(payload) => Err(DecodeError::Upstream(Box::new(OpenAiError {
            status: Some(status),
            offset: None,
            event: None,
            payload,
            body: text.to_owned(),
        }))),
        None => serde_json::from_str(text).map_err(|e| DecodeError::json(0, e)),
    }
}

/// Turns an error response into an [`OpenAiError`]. The payload is parsed
/// when the body is an `{"error":…}` envelope (of either shape); otherwise
/// only the text is kept (e.g. `Internal Server Error`, `{"detail":"Not Found"}`).
pub fn decode_error_body(status: u16, body: &[u8]) -> OpenAiError {
    let payload = serde_json::from_slice::<ErrorEnvelope>(body)
        .ok()
        .map(|e| e.error);
    OpenAiError {
        status: Some(status),
        offset: None,
        event: None,
        payload,
        body: String::from_utf8_lossy(body).into_owned(),
    }
}
