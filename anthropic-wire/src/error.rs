//! Errors of the Anthropic layer, sorted by who is at fault.

use crate::events::ProtocolError;
use crate::messages::ErrorResponse;
use crate::sse::{SseError, Truncated};

/// Who is at fault for an error: one type shared by every wire crate of this project.
pub use wire_core::ErrorCategory;

/// An error the server reported: an error body or an `error` event, with its JSON parsed into
/// [`payload`](Self::payload) when it is Anthropic's error shape.
///
/// ```
/// use anthropic_wire::response::decode_error_body;
///
/// let body = br#"{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens is required and must be positive"},"request_id":"req_415d"}"#;
/// let error = decode_error_body(400, body);
/// assert_eq!(error.error_type(), Some("invalid_request_error"));
/// assert_eq!(error.request_id(), Some("req_415d"));
/// assert_eq!(error.to_string(), "HTTP 400: max_tokens is required and must be positive");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AnthropicError {
    /// HTTP status, for an error response body.
    pub status: Option<u16>,
    /// Stream offset of the event, for a mid-stream error.
    pub offset: Option<u64>,
    /// The SSE event type, for a mid-stream error that had one.
    pub event: Option<String>,
    /// The parsed body or data, when it had Anthropic's error shape.
    pub payload: Option<ErrorResponse>,
    /// The raw body or event data (lossily decoded).
    pub body: String,
}

impl AnthropicError {
    /// The best human-readable message: the payload's, else the raw body (trimmed).
    pub fn message(&self) -> &str {
        match &self.payload {
            Some(p) if !p.error.message.is_empty() => &p.error.message,
            _ => self.body.trim(),
        }
    }

    /// The error's `type` (`invalid_request_error`, `overloaded_error`, …), when parsed.
    pub fn error_type(&self) -> Option<&str> {
        self.payload.as_ref().map(|p| p.error.kind.as_str())
    }

    /// The `request_id`, when there was one.
    pub fn request_id(&self) -> Option<&str> {
        self.payload.as_ref().and_then(|p| p.request_id.as_deref())
    }
}

impl std::fmt::Display for AnthropicError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.status, self.offset) {
            (Some(status), _) if self.message().is_empty() => {
                write!(f, "HTTP {status} with an empty body")
            }
            (Some(status), _) => write!(f, "HTTP {status}: {}", self.message()),
            (None, Some(offset)) => write!(f, "at byte {offset}: {}", self.message()),
            (None, None) => f.write_str(self.message()),
        }
    }
}

/// An error of the stream and body decoders.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// An SSE limit was hit (category [`Limit`](ErrorCategory::Limit)).
    #[error(transparent)]
    Sse(#[from] SseError),
    /// Event data (or a body) is not JSON. Never skipped silently.
    #[error("data at byte {offset} is not JSON: {source}")]
    NotJson {
        /// Stream offset of the event (0 for a body).
        offset: u64,
        /// The parser's complaint.
        #[source]
        source: serde_json::Error,
    },
    /// Event data (or a body) is JSON but not of the expected shape.
    #[error("data at byte {offset} is JSON of an unexpected shape: {source}")]
    UnexpectedJson {
        /// Stream offset of the event (0 for a body).
        offset: u64,
        /// The decoder's complaint.
        #[source]
        source: serde_json::Error,
    },
    /// An event broke the order of the event stream (blocks started, fed and stopped one at a
    /// time, between `message_start` and `message_stop`). The event is in the error; decoding
    /// goes on.
    #[error(transparent)]
    Protocol(Box<ProtocolError>),
    /// An event arrived after `message_stop` (reported once; later events are dropped).
    #[error("event at byte {offset} after `message_stop`")]
    AfterEnd {
        /// Stream offset of the first event after `message_stop`.
        offset: u64,
    },
    /// The server reported an error.
    #[error("upstream error {0}")]
    Upstream(Box<AnthropicError>),
    /// The stream ended without `message_stop` (also: a 200 with an empty body).
    #[error("stream ended at byte {offset} without `message_stop` after {chunks} event(s)")]
    Truncated {
        /// Total bytes received.
        offset: u64,
        /// Events decoded before the end.
        chunks: u64,
        /// Pending SSE input that was discarded, if any.
        sse: Option<Truncated>,
    },
}

impl DecodeError {
    /// Who is at fault.
    pub fn category(&self) -> ErrorCategory {
        match self {
            Self::Sse(e) => e.category(),
            Self::NotJson { .. }
            | Self::UnexpectedJson { .. }
            | Self::Protocol(_)
            | Self::AfterEnd { .. } => ErrorCategory::Malformed,
            Self::Upstream(_) => ErrorCategory::Upstream,
            Self::Truncated { .. } => ErrorCategory::Truncated,
        }
    }

    /// The stream offset the error refers to, if any (an error body has none).
    pub fn offset(&self) -> Option<u64> {
        match self {
            Self::Sse(e) => Some(e.offset()),
            Self::NotJson { offset, .. }
            | Self::UnexpectedJson { offset, .. }
            | Self::AfterEnd { offset }
            | Self::Truncated { offset, .. } => Some(*offset),
            Self::Protocol(e) => Some(e.offset),
            Self::Upstream(e) => e.offset,
        }
    }

    /// Classifies a serde_json failure at `offset`.
    pub(crate) fn json(offset: u64, source: serde_json::Error) -> Self {
        if source.is_syntax() || source.is_eof() {
            Self::NotJson { offset, source }
        } else {
            Self::UnexpectedJson { offset, source }
        }
    }
}

wire_core::inherent_categorized!(DecodeError);
