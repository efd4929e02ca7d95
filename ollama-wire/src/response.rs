//! Whole HTTP responses: what kind of body a status and content type announce, and decoding of
//! single-object bodies (`/api/tags`, `/api/show`, `/api/version`, non-stream replies, errors).

use std::fmt;

use serde::de::DeserializeOwned;

use crate::types::ErrorBody;
use crate::types::error_body::{error_line, looks_like_error};

/// What an HTTP response body holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BodyKind {
    /// `application/x-ndjson`: a stream of chunks ending with `"done": true`.
    NdjsonStream,
    /// One JSON object without a trailing newline: a non-stream reply, a load/unload reply, or
    /// any other route's reply. Ollama answers this way even to `stream: true` requests when it
    /// has nothing to stream.
    Json,
    /// A non-2xx status: the body is an error (`{"error": …}`, or plain text from a proxy).
    Error,
}

/// Classifies a response by its status and `Content-Type`, never by what the request asked for.
///
/// A 2xx response with a missing or unknown content type is treated as a stream: the stream
/// decoders also decode a single object correctly, so that choice loses nothing.
///
/// ```
/// use ollama_wire::{BodyKind, classify};
///
/// assert_eq!(classify(200, Some("application/x-ndjson")), BodyKind::NdjsonStream);
/// assert_eq!(classify(200, Some("application/json; charset=utf-8")), BodyKind::Json);
/// assert_eq!(classify(404, Some("application/json; charset=utf-8")), BodyKind::Error);
/// ```
pub fn classify(status: u16, content_type: Option<&str>) -> BodyKind {
    if !(200..300).contains(&status) {
        return BodyKind::Error;
    }
    let mime = content_type
        .and_then(|ct| ct.split(';').next())
        .map(str::trim)
        .unwrap_or_default();
    if mime.eq_ignore_ascii_case("application/json") {
        BodyKind::Json
    } else {
        BodyKind::NdjsonStream
    }
}

/// Why a whole response could not be decoded into the expected type.
#[derive(Debug)]
#[non_exhaustive]
pub enum ResponseError {
    /// The server reported an error (non-2xx status, or a 2xx body that is an error object).
    Upstream {
        /// HTTP status.
        status: u16,
        /// The error; plain-text bodies become its message.
        error: ErrorBody,
    },
    /// The body is not the expected JSON.
    Malformed {
        /// What serde_json reported.
        source: serde_json::Error,
    },
}

impl ResponseError {
    /// Who is at fault.
    pub fn category(&self) -> crate::ErrorCategory {
        match self {
            Self::Upstream { .. } => crate::ErrorCategory::Upstream,
            Self::Malformed { .. } => crate::ErrorCategory::Malformed,
        }
    }
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Upstream { status, error } => {
                write!(f, "server error (HTTP {status}): {}", error.error)
            }
            Self::Malformed { source } => write!(f, "malformed response body: {source}"),
        }
    }
}

impl std::error::Error for ResponseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Malformed { source } => Some(source),
            Self::Upstream { .. } => None,
        }
    }
}

/// The error a non-2xx body carries: `{"error": …}` when it is one, else its text (trimmed,
/// invalid UTF-8 replaced), as Ollama's Go client does.
pub fn decode_error_body(body: &[u8]) -> ErrorBody {
    error_line(body).unwrap_or_else(|| ErrorBody::new(String::from_utf8_lossy(body).trim()))
}

/// Decodes a single-object response body, turning error statuses and error objects into
/// [`ResponseError::Upstream`].
///
/// # Errors
///
/// - [`ResponseError::Upstream`] when `status` is not 2xx (the error is
///   [`decode_error_body`]'s), or when the body is an error object (`{"error": …}` without a
///   `done` key, or the v0.11.3 single `error…` key), whatever `T` would accept.
/// - [`ResponseError::Malformed`] when the body is not JSON, not valid UTF-8 (anywhere, also in
///   a string `T` skips), or not a `T`.
///
/// ```
/// use ollama_wire::{ListResponse, ResponseError, decode_json};
///
/// let tags: ListResponse = decode_json(200, br#"{"models":[]}"#)?;
/// assert!(tags.models.is_empty());
///
/// let err = decode_json::<ListResponse>(404, br#"{"error":"model 'foo' not found"}"#);
/// assert!(matches!(err, Err(ResponseError::Upstream { status: 404, .. })));
/// # Ok::<(), ResponseError>(())
/// ```
pub fn decode_json<T: DeserializeOwned>(status: u16, body: &[u8]) -> Result<T, ResponseError> {
    if !(200..300).contains(&status) {
        return Err(ResponseError::Upstream {
            status,
            error: decode_error_body(body),
        });
    }
    // An error object is an error whatever the status, also when `T` would accept it (every
    // field of a show reply is optional: `{"error": …}` must not pass as an empty reply).
    if looks_like_error(body) {
        if let Some(error) = error_line(body) {
            return Err(ResponseError::Upstream { status, error });
        }
    }
    parse_strict(body).map_err(|source| match error_line(body) {
        Some(error) => ResponseError::Upstream { status, error },
        None => ResponseError::Malformed { source },
    })
}

/// Parses a whole body. UTF-8 is validated once up front and the text parsed without serde_json
/// re-validating each string. Invalid UTF-8 is an error even where `T` skips the string holding
/// it (serde_json skips strings without validating them, as a lean type such as
/// [`ShowSummary`](crate::ShowSummary) does with the ones it does not read): the error is the
/// one a full parse reports, naming the position.
fn parse_strict<T: DeserializeOwned>(body: &[u8]) -> Result<T, serde_json::Error> {
    match simdutf8::basic::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => {
            let value = serde_json::from_slice::<T>(body)?;
            // Reached only when `T` skipped the invalid bytes; a `Value` reads every string,
            // so this fails (on the first invalid string) and the value is never returned.
            serde_json::from_slice::<serde_json::Value>(body).map(|_| value)
        }
    }
}
