//! Errors, categorised by who is at fault.

use std::fmt;

use crate::types::ErrorBody;

/// Why a stream or body could not be decoded.
///
/// Each variant carries the byte offset (in the whole input) of the line it concerns.
/// [`Malformed`](Self::Malformed) and [`LineTooLong`](Self::LineTooLong) concern one line and
/// decoding continues after them; [`Upstream`](Self::Upstream) and
/// [`Truncated`](Self::Truncated) end the stream.
#[derive(Debug)]
#[non_exhaustive]
pub enum DecodeError {
    /// The peer's bytes: a line that is not valid JSON, or not the expected object.
    Malformed {
        /// Offset of the line.
        offset: u64,
        /// What serde_json reported (its line/column are relative to the line).
        source: serde_json::Error,
    },
    /// Our limit: a line longer than the configured maximum (its bytes are dropped).
    LineTooLong {
        /// Offset of the line.
        offset: u64,
        /// The limit in bytes.
        limit: usize,
    },
    /// The server reported an error: an `{"error": …}` line inside the stream (or the v0.11.3
    /// variant whose single key starts with `error`).
    Upstream {
        /// Offset of the error line.
        offset: u64,
        /// The error as sent.
        error: ErrorBody,
    },
    /// The input ended before a `"done": true` chunk.
    Truncated {
        /// Total bytes received.
        offset: u64,
        /// Chunks decoded before the end.
        chunks: u64,
    },
    /// Non-blank data after the stream's terminal line (`done: true` or an error line).
    AfterEnd {
        /// Offset of the first line after the end.
        offset: u64,
    },
}

/// Who is at fault for an error: one type shared by every wire crate of this project.
pub use wire_core::ErrorCategory;

impl DecodeError {
    /// Who is at fault.
    pub fn category(&self) -> ErrorCategory {
        match self {
            Self::Malformed { .. } | Self::AfterEnd { .. } => ErrorCategory::Malformed,
            Self::LineTooLong { .. } => ErrorCategory::Limit,
            Self::Upstream { .. } => ErrorCategory::Upstream,
            Self::Truncated { .. } => ErrorCategory::Truncated,
        }
    }

    /// Byte offset the error refers to.
    pub fn offset(&self) -> u64 {
        match self {
            Self::Malformed { offset, .. }
            | Self::LineTooLong { offset, .. }
            | Self::Upstream { offset, .. }
            | Self::Truncated { offset, .. }
            | Self::AfterEnd { offset } => *offset,
        }
    }

    /// Whether the stream is over after this error.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            Self::Upstream { .. } | Self::Truncated { .. } | Self::AfterEnd { .. }
        )
    }
}

impl wire_core::Categorized for DecodeError {
    fn category(&self) -> ErrorCategory {
        Self::category(self)
    }

    /// Always `Some`: every error of the NDJSON decoder has an offset.
    fn offset(&self) -> Option<u64> {
        Some(Self::offset(self))
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Malformed { offset, source } => {
                write!(f, "malformed line at byte {offset}: {source}")
            }
            Self::LineTooLong { offset, limit } => {
                write!(
                    f,
                    "line at byte {offset} exceeds the limit of {limit} bytes"
                )
            }
            Self::Upstream { offset, error } => {
                write!(f, "server error at byte {offset}: {}", error.error)
            }
            Self::Truncated { offset, chunks } => write!(
                f,
                "stream ended at byte {offset} after {chunks} chunk(s) without a \"done\": true chunk"
            ),
            Self::AfterEnd { offset } => {
                write!(f, "data at byte {offset} after the end of the stream")
            }
        }
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Malformed { source, .. } => Some(source),
            _ => None,
        }
    }
}
