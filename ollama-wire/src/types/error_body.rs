//! The error object Ollama sends: `{"error": "…"}`.

use serde::{Deserialize, Serialize};

/// An error reported by the server, as a whole body (non-2xx status, or a pre-stream failure) or
/// as one line inside a 200 NDJSON stream.
///
/// Cloud endpoints add `signin_url` to `401 unauthorized` errors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorBody {
    /// The error message.
    pub error: String,
    /// Where to sign in (cloud models, `401`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signin_url: Option<String>,
}

impl ErrorBody {
    /// An error body with a message.
    pub fn new(error: impl Into<String>) -> Self {
        Self {
            error: error.into(),
            signin_url: None,
        }
    }
}
