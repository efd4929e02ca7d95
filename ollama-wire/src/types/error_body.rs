//! The error object Ollama sends: `{"error": "…"}`.

use std::borrow::Cow;
use std::fmt;

use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

/// An error reported by the server, as a whole body (non-2xx status, or a pre-stream failure) or
/// as one line inside a 200 NDJSON stream.
///
/// Cloud endpoints add `signin_url` to `401 unauthorized` errors.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorBody {
    /// The error message.
    pub error: String,
    /// Where to sign in (cloud models, `401`).
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

/// Cheap pre-check: Ollama writes error lines as `{"error…`.
pub(crate) fn looks_like_error(line: &[u8]) -> bool {
    let trimmed = line.trim_ascii_start();
    trimmed
        .strip_prefix(b"{")
        .map(<[u8]>::trim_ascii_start)
        .is_some_and(|rest| rest.starts_with(b"\"error"))
}

/// Recognises an error object: `{"error": "<string>", …}` without a `done` key, or the v0.11.3
/// variant `{"error parsing tool call": "<string>"}` (a single key starting with `error`).
pub(crate) fn error_line(line: &[u8]) -> Option<ErrorBody> {
    struct Probe(Option<ErrorBody>);
    impl<'de> Deserialize<'de> for Probe {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Probe;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an object")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Probe, A::Error> {
                    let mut error = None;
                    let mut signin_url = None;
                    let mut variant = None;
                    let mut keys = 0usize;
                    let mut has_done = false;
                    while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                        keys += 1;
                        match &*key {
                            "error" => error = map.next_value::<Option<String>>()?,
                            "signin_url" => signin_url = map.next_value::<Option<String>>()?,
                            "done" => {
                                has_done = true;
                                map.next_value::<IgnoredAny>()?;
                            }
                            k if k.starts_with("error") => {
                                let value = map.next_value::<serde_json::Value>()?;
                                let text = match value {
                                    serde_json::Value::String(s) => s,
                                    other => other.to_string(),
                                };
                                variant = Some(format!("{k}: {text}"));
                            }
                            _ => {
                                map.next_value::<IgnoredAny>()?;
                            }
                        }
                    }
                    if has_done {
                        return Ok(Probe(None));
                    }
                    let body = match (error, variant) {
                        (Some(error), _) => Some(ErrorBody { error, signin_url }),
                        (None, Some(text)) if keys == 1 => Some(ErrorBody::new(text)),
                        _ => None,
                    };
                    Ok(Probe(body))
                }
            }
            d.deserialize_map(V)
        }
    }
    serde_json::from_slice::<Probe>(line).ok().and_then(|p| p.0)
}
