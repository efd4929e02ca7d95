//! `GET /v1/models` and `GET /v1/models/{id}`.
//!
//! Ollama writes these from Go structs (`ListCompletion`, `Model` in its `openai/openai.go`): the
//! fields in this order, and `"data": null` — not `[]` — when no model is installed (recorded
//! from Ollama 0.33: `fixtures/openai/ollama033-models-empty`).
//!
//! ```
//! use openai_wire::models::ModelList;
//! use openai_wire::{Encoder, Escaping};
//!
//! let body = br#"{"object":"list","data":[{"id":"gemma3-plain:latest","object":"model","created":1796112717,"owned_by":"library"}]}"#;
//! let list: ModelList = serde_json::from_slice(body)?;
//! assert_eq!(list.models().next().map(|m| m.id.as_str()), Some("gemma3-plain:latest"));
//! assert_eq!(Encoder::with_escaping(Escaping::Go).to_vec(&list)?, body);
//!
//! let empty: ModelList = serde_json::from_slice(br#"{"object":"list","data":null}"#)?;
//! assert_eq!(empty.models().count(), 0);
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::{Deserialize, Serialize};

/// The reply of `GET /v1/models`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ModelList {
    /// `"list"`.
    #[serde(default)]
    pub object: String,
    /// The models; `None` when the server wrote `"data": null` (Ollama with no models).
    pub data: Option<Vec<Model>>,
}

impl ModelList {
    /// The models, none for `"data": null`.
    pub fn models(&self) -> impl Iterator<Item = &Model> {
        self.data.iter().flatten()
    }
}

/// One model: an entry of [`ModelList`], and the reply of `GET /v1/models/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Model {
    /// The model id (Ollama: the name `/api/tags` lists, e.g. `gemma3-plain:latest`).
    pub id: String,
    /// `"model"`.
    #[serde(default)]
    pub object: String,
    /// Unix seconds (Ollama: the manifest's modification time).
    #[serde(default)]
    pub created: i64,
    /// The owner (Ollama: the model name's namespace, `library` for official models).
    #[serde(default)]
    pub owned_by: String,
}
