//! `GET /api/ps`: the models loaded in memory.

use serde::{Deserialize, Serialize};

use super::ModelDetails;

/// The reply of `GET /api/ps`: `{"models": [...]}` (`[]` when nothing is loaded).
///
/// Go's `api.ProcessResponse`; fields in its order, all always written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProcessResponse {
    /// The loaded models.
    pub models: Vec<ProcessModel>,
}

/// One loaded model (Go's `api.ProcessModelResponse`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProcessModel {
    /// Display name, e.g. `llama3.2:latest`.
    pub name: String,
    /// Model id, the same as `name` on current servers.
    #[serde(default)]
    pub model: String,
    /// Bytes the loaded model takes (RAM and VRAM together).
    #[serde(default)]
    pub size: i64,
    /// Manifest digest: 64 hex digits without a `sha256:` prefix.
    #[serde(default)]
    pub digest: String,
    /// Format, family, size and quantization.
    #[serde(default)]
    pub details: ModelDetails,
    /// When the model will be unloaded, RFC 3339, kept verbatim.
    #[serde(default)]
    pub expires_at: String,
    /// Bytes of `size` held in GPU memory (`0` on a CPU-only host).
    #[serde(default)]
    pub size_vram: i64,
    /// The context window the model was loaded with: the window actually served, which
    /// `/api/show` cannot tell. Absent before Ollama 0.6.
    pub context_length: Option<u64>,
}
