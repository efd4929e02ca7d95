//! Constructed `/api/tags` and `/api/show` bodies (the shapes of ollama/ollama api/types.go `ListModelResponse` and `ShowResponse`, as the Ollama 0.33 recordings in fixtures/ollama/ollama033-tags and -show-* confirm) for the HTTP tests. Kept out
//! of `common/mod.rs` so that tests without a server do not carry them as dead code.

use serde_json::json;

/// An `/api/tags` body listing `ids`.
pub(crate) fn tags_body(ids: &[&str]) -> serde_json::Value {
    let models: Vec<_> = ids
        .iter()
        .map(|id| {
            json!({"name": id, "model": id, "modified_at": "2026-01-01T00:00:00Z",
                         "size": 1, "digest": "00", "details": {"family": "x"}})
        })
        .collect();
    json!({ "models": models })
}

/// An `/api/show` body for architecture `arch` with the given context length and capabilities.
pub(crate) fn show_body(arch: &str, context: u64, caps: &[&str]) -> serde_json::Value {
    json!({"details": {"family": arch},
           "model_info": {"general.architecture": arch, format!("{arch}.context_length"): context},
           "capabilities": caps, "modified_at": "2026-01-01T00:00:00Z"})
}
