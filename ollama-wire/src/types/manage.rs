//! Model management requests: `/api/copy`, `/api/delete`, `/api/pull`, `/api/push`,
//! `/api/create`. Their replies are an empty 200 (copy, delete) or a progress stream
//! ([`ProgressResponse`](super::ProgressResponse)).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Message;

/// A `POST /api/copy` request. The reply is `200` with an empty body, or `404` when `source` is
/// unknown (recorded from Ollama 0.33: `fixtures/ollama/ollama033-copy-plain`,
/// `ollama033-err-copy-unknown-model`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CopyRequest {
    /// The model to copy.
    pub source: String,
    /// The new name.
    pub destination: String,
}

impl CopyRequest {
    /// Copy `source` to `destination`.
    pub fn new(source: impl Into<String>, destination: impl Into<String>) -> Self {
        Self {
            source: source.into(),
            destination: destination.into(),
        }
    }
}

/// A `DELETE /api/delete` request. The reply is `200` with an empty body, or `404` when the
/// model is unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeleteRequest {
    /// The model to delete.
    pub model: String,
}

impl DeleteRequest {
    /// Delete `model`.
    pub fn new(model: impl Into<String>) -> Self {
        Self {
            model: model.into(),
        }
    }
}

/// A `POST /api/pull` or `POST /api/push` request (Go's `api.PullRequest` / `api.PushRequest`).
/// The reply is a progress stream, or one `{"status":"success"}` with `"stream": false`.
///
/// ```
/// use ollama_wire::{Encoder, TransferRequest};
///
/// let request = TransferRequest::new("llama3.2").without_stream();
/// assert_eq!(Encoder::new().to_vec(&request)?, br#"{"model":"llama3.2","stream":false}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TransferRequest {
    /// The model to pull or push.
    pub model: String,
    /// Allow a registry without TLS.
    #[serde(default, skip_serializing_if = "super::is_false")]
    pub insecure: bool,
    /// Stream progress lines (the server's default is `true`).
    pub stream: Option<bool>,
}

impl TransferRequest {
    /// Pull or push `model`, streaming progress.
    pub fn new(model: impl Into<String>) -> Self {
        Self {
            model: model.into(),
            ..Self::default()
        }
    }

    /// Ask for one reply at the end instead of a stream.
    #[must_use]
    pub fn without_stream(mut self) -> Self {
        self.stream = Some(false);
        self
    }
}

/// A `POST /api/create` request (Go's `api.CreateRequest`, fields in its order): a model from
/// an existing model (`from`) or from uploaded blobs (`files`, name → `sha256:` digest), with a
/// template, system prompt, parameters, renderer and parser.
///
/// ```
/// use ollama_wire::{CreateRequest, Encoder};
///
/// let mut request = CreateRequest::new("gemma3-plain");
/// request.files = Some([("model.gguf".to_owned(), "sha256:a5fd".to_owned())].into());
/// request.stream = Some(false);
/// assert_eq!(
///     Encoder::new().to_vec(&request)?,
///     br#"{"model":"gemma3-plain","stream":false,"files":{"model.gguf":"sha256:a5fd"}}"#
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreateRequest {
    /// The new model's name.
    pub model: String,
    /// Stream progress lines (the server's default is `true`).
    pub stream: Option<bool>,
    /// Quantize to this level (`q4_K_M`, …).
    pub quantize: Option<String>,
    /// The model (or file) to start from.
    pub from: Option<String>,
    /// Upstream Ollama host of a cloud model.
    pub remote_host: Option<String>,
    /// Files already uploaded with `/api/blobs`: file name → `sha256:<hex>` digest.
    pub files: Option<BTreeMap<String, String>>,
    /// LoRA adapters: file name → digest.
    pub adapters: Option<BTreeMap<String, String>>,
    /// The prompt template (Go template syntax).
    pub template: Option<String>,
    /// A licence text or a list of them.
    pub license: Option<Value>,
    /// The system prompt.
    pub system: Option<String>,
    /// Modelfile parameters (`temperature`, `num_ctx`, `stop`, …).
    pub parameters: Option<Map<String, Value>>,
    /// Messages placed before every conversation.
    pub messages: Option<Vec<Message>>,
    /// A built-in renderer (`qwen3.5`, `functiongemma`, …) instead of a template.
    pub renderer: Option<String>,
    /// A built-in output parser (`qwen3.5`, `functiongemma`, …).
    pub parser: Option<String>,
    /// The minimum Ollama version the model needs.
    pub requires: Option<String>,
}

impl CreateRequest {
    /// A request creating `model`; set `from` or `files` and the rest as needed.
    pub fn new(model: impl Into<String>) -> Self {
        Self {
            model: model.into(),
            ..Self::default()
        }
    }
}
