//! `GET /api/tags`: the locally available models.

use serde::{Deserialize, Serialize};

use super::Capability;

/// The reply of `GET /api/tags`: `{"models": [...]}` (`[]` when none, newest first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ListResponse {
    /// The models.
    pub models: Vec<ListModel>,
}

/// One entry of [`ListResponse`].
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ListModel {
    /// Shortest display name: `llama3.2:latest`, `hf.co/user/repo:Q4_K_M`, `myns/model:tag`.
    pub name: String,
    /// Same as `name` on current servers.
    #[serde(default)]
    pub model: String,
    /// Upstream model of a cloud model.
    pub remote_model: Option<String>,
    /// Upstream host of a cloud model (its presence marks a cloud stub).
    pub remote_host: Option<String>,
    /// Manifest modification time, RFC 3339 with the host's offset, kept verbatim.
    #[serde(default)]
    pub modified_at: String,
    /// Bytes on disk (tiny for cloud stubs).
    #[serde(default)]
    pub size: i64,
    /// Manifest digest: 64 hex digits without a `sha256:` prefix.
    #[serde(default)]
    pub digest: String,
    /// Format, family, size and quantization.
    #[serde(default)]
    pub details: ModelDetails,
    /// Capabilities (v0.30+ only; sometimes missing per entry).
    pub capabilities: Option<Vec<Capability>>,
}

impl ListModel {
    /// The model id to use in requests: `model`, or `name` when `model` is empty.
    pub fn id(&self) -> &str {
        if self.model.is_empty() {
            &self.name
        } else {
            &self.model
        }
    }
}

/// Model details shared by `/api/tags` and `/api/show`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ModelDetails {
    /// Parent model, usually `""`.
    #[serde(default)]
    pub parent_model: String,
    /// `gguf`, `safetensors`, or `""` for cloud models.
    #[serde(default)]
    pub format: String,
    /// Model family, e.g. `qwen3`.
    #[serde(default)]
    pub family: String,
    /// Families; `null` on some servers (always written, `null` when `None`).
    #[serde(default)]
    #[serialize_always]
    pub families: Option<Vec<String>>,
    /// `"8.2B"`, `"751.63M"`, or a bare integer string for cloud models.
    #[serde(default)]
    pub parameter_size: String,
    /// `Q4_K_M`, `MXFP4`, `F16`, …
    #[serde(default)]
    pub quantization_level: String,
    /// Maximum context length (v0.30+ `/api/tags` only).
    pub context_length: Option<u64>,
    /// Embedding length (v0.30+ `/api/tags` only).
    pub embedding_length: Option<u64>,
}
