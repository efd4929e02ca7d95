//! Errors of the OpenAI layer, sorted by who is at fault.

use crate::chat::ErrorPayload;
use crate::responses::ProtocolError;
use crate::sse::{SseError, Truncated};

/// What ends a chat-completions or completions stream, as [`DecodeError::Truncated`] names it.
pub const DONE_TERMINATOR: &str = "`data: [DONE]`";

/// What ends a `/v1/responses` stream, as [`DecodeError::Truncated`] names it.
pub const RESPONSES_TERMINATOR: &str =
    "a terminal event (`response.completed`, `response.incomplete` or `response.failed`)";

/// Who is at fault for an error: one type shared by every wire crate of this project.
pub use wire_core::ErrorCategory;

/// An error an OpenAI-compatible server reported: an error body or a mid-stream error event,
/// with its `{"error": …}` value parsed into [`payload`](Self::payload) when it had one.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct OpenAiError {
    /// HTTP status, for an error response body.
    pub status: Option<u16>,
    /// Stream offset of the event, for a mid-stream error.
    pub offset: Option<u64>,
    /// The SSE event type, when it was `error` (or another explicit type).
    pub event: Option<String>,
    /// The parsed `error` value, when the body or data had one.
    pub payload: Option<ErrorPayload>,
    /// The raw body or event data (lossily decoded).
    pub body: String,
}

impl OpenAiError {
    /// The best human-readable message: the payload's, else the raw body.
    pub fn message(&self) -> &str {
        match &self.payload {
            Some(p) if !p.message().is_empty() => p.message(),
            _ => self.body.trim(),
        }
    }
}

impl std::fmt::Display for OpenAiError {
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

/// An error of the chat-completions stream and body decoders.
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
    /// An event arrived after `data: [DONE]` (reported once; later events are dropped).
    #[error("event at byte {offset} after `data: [DONE]`")]
    AfterEnd {
        /// Stream offset of the first event after `[DONE]`.
        offset: u64,
    },
    /// The server reported an error.
    #[error("upstream error {0}")]
    Upstream(Box<OpenAiError>),
    /// A `/v1/responses` event that breaks the protocol's consistency (an unknown item, a
    /// sequence number out of order, …), with the event (category
    /// [`Malformed`](ErrorCategory::Malformed); decoding goes on).
    #[error("protocol violation: {0}")]
    Protocol(Box<ProtocolError>),
    /// The stream ended without its end marker (also: a 200 with an empty body):
    /// `data: [DONE]` for chat completions and completions, a terminal event for
    /// `/v1/responses`.
    #[error("stream ended at byte {offset} without {terminator} after {chunks} chunk(s)")]
    Truncated {
        /// Total bytes received.
        offset: u64,
        /// Chunks (or events) decoded before the end.
        chunks: u64,
        /// What should have ended the stream, for the message: [`DONE_TERMINATOR`] or
        /// [`RESPONSES_TERMINATOR`].
        terminator: &'static str,
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
            | Self::AfterEnd { .. }
            | Self::Protocol(_) => ErrorCategory::Malformed,
            Self::Upstream(_) => ErrorCategory::Upstream,
            Self::Truncated { .. } => ErrorCategory::Truncated,
        }
    }

    /// The stream offset the error refers to, if any.
    pub fn offset(&self) -> Option<u64> {
        match self {
            Self::Sse(e) => Some(e.offset()),
            Self::NotJson { offset, .. }
            | Self::UnexpectedJson { offset, .. }
            | Self::AfterEnd { offset } => Some(*offset),
            Self::Protocol(e) => Some(e.offset),
            Self::Upstream(e) => e.offset,
            Self::Truncated { offset, .. } => Some(*offset),
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
