//! `POST /api/embed` and the legacy `POST /api/embeddings`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::KeepAlive;

/// The `input` of an embed request: one text or several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum EmbedInput {
    /// One text: one embedding.
    Text(String),
    /// Several texts: one embedding each, in order.
    Texts(Vec<String>),
}

impl From<&str> for EmbedInput {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl From<Vec<String>> for EmbedInput {
    fn from(texts: Vec<String>) -> Self {
        Self::Texts(texts)
    }
}

/// A `POST /api/embed` request (Go's `api.EmbedRequest`, fields in its order).
///
/// ```
/// use ollama_wire::{EmbedRequest, Encoder};
///
/// let mut request = EmbedRequest::new("all-minilm", vec!["a".to_owned(), "b".to_owned()].into());
/// request.dimensions = Some(64);
/// let json = Encoder::new().to_vec(&request)?;
/// assert_eq!(json, br#"{"model":"all-minilm","input":["a","b"],"dimensions":64}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmbedRequest {
    /// Model name.
    pub model: String,
    /// The text or texts to embed.
    pub input: EmbedInput,
    /// How long the model stays loaded after the request.
    pub keep_alive: Option<KeepAlive>,
    /// Truncate inputs longer than the context (the server's default is `true`; `false`
    /// makes an over-long input a 400).
    pub truncate: Option<bool>,
    /// Cut each embedding to this many dimensions.
    pub dimensions: Option<u32>,
    /// Modelfile parameters.
    pub options: Option<Map<String, Value>>,
}

impl EmbedRequest {
    /// A request embedding `input` with `model`.
    pub fn new(model: impl Into<String>, input: EmbedInput) -> Self {
        Self {
            model: model.into(),
            input,
            keep_alive: None,
            truncate: None,
            dimensions: None,
            options: None,
        }
    }
}

/// The reply of `POST /api/embed` (Go's `api.EmbedResponse`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmbedResponse {
    /// The model that embedded.
    #[serde(default)]
    pub model: String,
    /// One embedding per input text.
    #[serde(default)]
    pub embeddings: Vec<Vec<f32>>,
    /// Nanoseconds spent in total (omitted when zero).
    pub total_duration: Option<u64>,
    /// Nanoseconds spent loading the model (omitted when zero).
    pub load_duration: Option<u64>,
    /// Input tokens (omitted when zero).
    pub prompt_eval_count: Option<u64>,
}

/// A legacy `POST /api/embeddings` request (Go's `api.EmbeddingRequest`): one prompt.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmbeddingRequest {
    /// Model name.
    pub model: String,
    /// The text to embed.
    pub prompt: String,
    /// How long the model stays loaded after the request.
    pub keep_alive: Option<KeepAlive>,
    /// Modelfile parameters.
    pub options: Option<Map<String, Value>>,
}

impl EmbeddingRequest {
    /// A request embedding `prompt` with `model`.
    pub fn new(model: impl Into<String>, prompt: impl Into<String>) -> Self {
        Self {
            model: model.into(),
            prompt: prompt.into(),
            keep_alive: None,
            options: None,
        }
    }
}

/// The reply of the legacy `POST /api/embeddings`: `{"embedding":[…]}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmbeddingResponse {
    /// The embedding (64-bit floats on this legacy route).
    #[serde(default)]
    pub embedding: Vec<f64>,
}
