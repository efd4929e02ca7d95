//! Which route a request takes, and the error body of each wire (sans-IO).

use hyper::{Method, StatusCode};

use crate::repair::Wire;

/// How the relay handles a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// `GET /health`: answered by the relay, never forwarded.
    Health,
    /// A chat route whose stream is decoded, merged and re-encoded.
    Repair(Wire),
    /// A model route passed through as is (embeddings: no stream to repair); it takes a
    /// stream slot and the first-byte and idle timeouts.
    Generate,
    /// Everything else: passed through byte-exact, streamed both ways.
    Passthrough,
}

impl Route {
    /// The route of `method path` (the query is not part of `path`).
    pub fn of(method: &Method, path: &str) -> Self {
        if path == "/health" && (method == Method::GET || method == Method::HEAD) {
            return Self::Health;
        }
        if method != Method::POST {
            return Self::Passthrough;
        }
        if let Some(wire) = Wire::for_route(path) {
            return Self::Repair(wire);
        }
        match path {
            "/api/embed" | "/api/embeddings" | "/v1/embeddings" => Self::Generate,
            _ => Self::Passthrough,
        }
    }

    /// The name written in the log line's `wire` field.
    pub fn wire_name(self) -> &'static str {
        match self {
            Self::Health => "health",
            Self::Repair(wire) => wire.as_str(),
            Self::Generate => "generate",
            Self::Passthrough => "passthrough",
        }
    }

    /// Whether the relay reads the request body (to learn the model) before forwarding it:
    /// the model routes, whose bodies are small JSON. Other bodies are streamed.
    pub fn reads_body(self) -> bool {
        matches!(self, Self::Repair(_) | Self::Generate)
    }
}

/// The error body shape of a route's wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorShape {
    /// Ollama native: `{"error":"…"}`.
    Ollama,
    /// OpenAI (chat completions, completions, Responses, models, embeddings):
    /// `{"error":{"message":…,"type":…,"param":null,"code":null}}`.
    OpenAi,
    /// Anthropic: `{"type":"error","error":{"type":…,"message":…}}`.
    Anthropic,
}

impl ErrorShape {
    /// The shape clients of `path` read.
    pub fn of(path: &str) -> Self {
        if path == "/v1/messages" || path.starts_with("/v1/messages/") {
            Self::Anthropic
        } else if path == "/v1" || path.starts_with("/v1/") {
            Self::OpenAi
        } else {
            Self::Ollama
        }
    }

    /// The JSON error body for `status` with `message`.
    pub fn body(self, status: StatusCode, message: &str) -> Vec<u8> {
        let value = match self {
            Self::Ollama => serde_json::json!({ "error": message }),
            Self::OpenAi => {
                let kind = match status.as_u16() {
                    400 | 401 | 403 | 413 => "invalid_request_error",
                    404 => "not_found_error",
                    429 => "rate_limit_error",
                    _ => "api_error",
                };
                serde_json::json!({
                    "error": { "message": message, "type": kind, "param": null, "code": null }
                })
            }
            Self::Anthropic => {
                let kind = match status.as_u16() {
                    400 => "invalid_request_error",
                    401 => "authentication_error",
                    403 => "permission_error",
                    404 => "not_found_error",
                    413 => "request_too_large",
                    429 => "rate_limit_error",
                    503 | 529 => "overloaded_error",
                    _ => "api_error",
                };
                serde_json::json!({ "type": "error", "error": { "type": kind, "message": message } })
            }
        };
        value.to_string().into_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        for (method, path, route) in [
            (Method::POST, "/api/chat", Route::Repair(Wire::Ollama)),
            (Method::POST, "/v1/messages", Route::Repair(Wire::Anthropic)),
            (Method::GET, "/api/chat", Route::Passthrough),
            (
                Method::POST,
                "/api/generate",
                Route::Repair(Wire::OllamaGenerate),
            ),
            (
                Method::POST,
                "/v1/completions",
                Route::Repair(Wire::Completions),
            ),
            (Method::POST, "/api/embed", Route::Generate),
            (Method::HEAD, "/", Route::Passthrough),
            (Method::GET, "/health", Route::Health),
            (Method::POST, "/api/chat/", Route::Passthrough),
        ] {
            assert_eq!(Route::of(&method, path), route, "{method} {path}");
        }
    }

    #[test]
    fn error_shapes() {
        let body = |shape: ErrorShape, status: u16| -> serde_json::Value {
            let status = StatusCode::from_u16(status).unwrap();
            serde_json::from_slice(&shape.body(status, "boom")).unwrap()
        };
        assert_eq!(
            body(ErrorShape::of("/api/tags"), 502),
            serde_json::json!({"error": "boom"})
        );
        assert_eq!(
            body(ErrorShape::of("/v1/chat/completions"), 502),
            serde_json::json!({"error": {"message": "boom", "type": "api_error", "param": null, "code": null}})
        );
        assert_eq!(
            body(ErrorShape::of("/v1/messages"), 502),
            serde_json::json!({"type": "error", "error": {"type": "api_error", "message": "boom"}})
        );
        assert_eq!(
            body(ErrorShape::of("/v1/messages"), 401)["error"]["type"],
            "authentication_error"
        );
    }
}
