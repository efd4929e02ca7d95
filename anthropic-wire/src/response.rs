//! Whole-response helpers: what kind of HTTP response is this, decoding a non-streamed or
//! error body, and writing a body as Ollama does.
//!
//! Dispatch on the status and `Content-Type`, not on the request's `stream` flag: Ollama
//! answers a rejected `stream: true` request with a JSON error (`400`, Anthropic's error
//! object), and a route it does not serve (`/v1/messages/count_tokens`) with a plain-text
//! `404 page not found`.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::Encoder;
use crate::error::{AnthropicError, DecodeError};
use crate::json::Fields;
use crate::messages::ErrorResponse;

/// What kind of HTTP response this is: the classification every event-stream wire shares
/// (`sse-wire`'s).
pub use crate::sse::{BodyKind, classify};

/// Whether `text` is an object whose `type` is `"error"`.
fn is_error_object(text: &str) -> bool {
    Fields::parse(text)
        .and_then(|f| f.peek_str("type"))
        .is_ok_and(|kind| kind == "error")
}

/// Decodes a 2xx JSON body as `T` (e.g. [`AnthropicMessage`](crate::messages::AnthropicMessage));
/// a body that is an error object (`"type":"error"`) is a [`DecodeError::Upstream`] carrying
/// `status`.
///
/// # Errors
///
/// - [`DecodeError::NotJson`] (offset 0) when the body is not valid UTF-8 or not JSON.
/// - [`DecodeError::Upstream`] when the body is an object whose `type` is `"error"`, whatever
///   `T` would accept.
/// - [`DecodeError::UnexpectedJson`] (offset 0) when the body is JSON but not a `T`.
pub fn decode_json<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, DecodeError> {
    let text = std::str::from_utf8(body).map_err(|_| {
        let source = serde_json::from_slice::<serde::de::IgnoredAny>(body)
            .err()
            .unwrap_or_else(|| serde::de::Error::custom("invalid UTF-8"));
        DecodeError::NotJson { offset: 0, source }
    })?;
    if is_error_object(text) {
        return Err(DecodeError::Upstream(Box::new(decode_error_body(
            status, body,
        ))));
    }
    serde_json::from_str(text).map_err(|e| DecodeError::json(0, e))
}

/// Turns an error response into an [`AnthropicError`]. The payload is parsed when the body is
/// Anthropic's error object; otherwise only the text is kept (e.g. `404 page not found`).
pub fn decode_error_body(status: u16, body: &[u8]) -> AnthropicError {
    AnthropicError {
        status: Some(status),
        offset: None,
        event: None,
        payload: serde_json::from_slice::<ErrorResponse>(body).ok(),
        body: String::from_utf8_lossy(body).into_owned(),
    }
}

/// `value` as Ollama writes a JSON body (`json.NewEncoder(w).Encode`): Go's escaping and one
/// `\n` at the end. (Ollama's request-validation errors are written by gin without the
/// `\n`: use [`Encoder::to_vec`] for those.)
///
/// # Errors
///
/// A [`serde_json::Error`] when `value` cannot be written as JSON.
///
/// ```
/// use anthropic_wire::messages::ErrorResponse;
///
/// let body = anthropic_wire::response::encode_body(&ErrorResponse::new("api_error", "a < b"))?;
/// assert_eq!(body, b"{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"a \\u003c b\"}}\n");
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn encode_body<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::new();
    Encoder::new().encode_line(value, &mut out)?;
    Ok(out)
}
