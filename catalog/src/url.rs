//! Base URL normalization: one server root, from which both the native and the OpenAI-compatible
//! endpoints are built.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Which API the provider speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Api {
    /// `"ollama"`: the native `/api/chat` API at the server root (the default).
    #[default]
    Ollama,
    /// `"openai-completions"`: the OpenAI-compatible `/v1/chat/completions` API at `<root>/v1`.
    OpenaiCompletions,
}

/// Where a local Ollama listens by default.
pub const DEFAULT_BASE_URL: &str = "http://127.0.0.1:11434";

/// A normalized Ollama server root, e.g. `http://127.0.0.1:11434` or `https://proxy/ollama`.
///
/// [`BaseUrl::parse`] trims whitespace, strips trailing slashes, then strips **one** trailing
/// `/v1` path segment (case-insensitive) and the slashes before it. A reverse-proxy path is kept.
/// The native API lives under the root (`<root>/api/tags`); the `openai-completions` mode uses
/// `<root>/v1`.
///
/// ```
/// use ollama_catalog::{Api, BaseUrl};
///
/// let url = BaseUrl::parse("http://gpu-box:11434/v1/")?;
/// assert_eq!(url.root(), "http://gpu-box:11434");
/// assert_eq!(url.for_api(Api::OpenaiCompletions), "http://gpu-box:11434/v1");
/// assert_eq!(url.endpoint("/api/tags"), "http://gpu-box:11434/api/tags");
/// assert_eq!(BaseUrl::parse("")?.root(), "http://127.0.0.1:11434");
/// # Ok::<(), ollama_catalog::BaseUrlError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl {
    root: String,
}

/// Why a base URL was rejected. Each variant carries the URL as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BaseUrlError {
    /// The URL does not start with `http://` or `https://`.
    #[error("base URL {url:?} must start with http:// or https://")]
    UnsupportedScheme {
        /// The URL as written.
        url: String,
    },
    /// Nothing follows the scheme.
    #[error("base URL {url:?} has no host")]
    MissingHost {
        /// The URL as written.
        url: String,
    },
}

impl BaseUrl {
    /// Normalizes a configured base URL; an empty (or all-whitespace) string means
    /// [`DEFAULT_BASE_URL`].
    ///
    /// # Errors
    ///
    /// - [`BaseUrlError::UnsupportedScheme`] when the trimmed URL does not start with `http://`
    ///   or `https://` (in any case).
    /// - [`BaseUrlError::MissingHost`] when nothing comes between the scheme and the first `/`
    ///   (`http://`, `http:///v1`).
    pub fn parse(url: &str) -> Result<Self, BaseUrlError> {
        let trimmed = url.trim();
        if trimmed.is_empty() {
            return Ok(Self::default_local());
        }
        let scheme_len = ["http://", "https://"]
            .iter()
            .find(|scheme| {
                trimmed
                    .get(..scheme.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(scheme))
            })
            .map(|scheme| scheme.len())
            .ok_or_else(|| BaseUrlError::UnsupportedScheme {
                url: url.to_owned(),
            })?;
        let (scheme, rest) = trimmed.split_at(scheme_len);
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if host.is_empty() {
            return Err(BaseUrlError::MissingHost {
                url: url.to_owned(),
            });
        }
        let mut path = path.trim_end_matches('/');
        let split = path.len().checked_sub(3).and_then(|at| {
            let (head, tail) = (path.get(..at)?, path.get(at..)?);
            tail.eq_ignore_ascii_case("/v1").then_some(head)
        });
        if let Some(head) = split {
            path = head.trim_end_matches('/');
        }
        Ok(Self {
            root: format!("{scheme}{host}{path}"),
        })
    }

    /// [`DEFAULT_BASE_URL`].
    pub fn default_local() -> Self {
        Self {
            root: DEFAULT_BASE_URL.to_owned(),
        }
    }

    /// The server root, without a trailing slash: the base of the native API.
    pub fn root(&self) -> &str {
        &self.root
    }

    /// The base URL a client of `api` talks to: the root for [`Api::Ollama`], `<root>/v1` for
    /// [`Api::OpenaiCompletions`].
    pub fn for_api(&self, api: Api) -> String {
        match api {
            Api::Ollama => self.root.clone(),
            Api::OpenaiCompletions => format!("{}/v1", self.root),
        }
    }

    /// `<root><path>`, for a native path such as `/api/tags`.
    pub fn endpoint(&self, path: &str) -> String {
        format!("{}{path}", self.root)
    }
}

impl Default for BaseUrl {
    fn default() -> Self {
        Self::default_local()
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.root)
    }
}
