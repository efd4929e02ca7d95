//! The explicit-config shape: `{"models": {"providers": {"ollama": {...}}}}`.
//!
//! Every struct keeps keys it does not know in an `other` map, so a configuration read and
//! written back loses nothing. Fields the user left out stay `None` and are not written back:
//! explicit models are used as written, never completed with invented values.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Number, Value};

use crate::url::{Api, BaseUrl, BaseUrlError};

/// A configuration document, of which this crate reads `models.providers.ollama`.
///
/// ```
/// use ollama_catalog::{Api, Config};
///
/// let config: Config = serde_json::from_str(r#"{
///   "models": {"providers": {"ollama": {
///     "baseUrl": "http://gpu-box:11434/v1",
///     "api": "openai-completions",
///     "models": [{"id": "hf.co/user/repo:Q4_K_M", "contextWindow": 32768,
///                 "params": {"streaming": false}}]
///   }}},
///   "agents": {"defaults": {"model": {"primary": "ollama/hf.co/user/repo:Q4_K_M"}}}
/// }"#)?;
/// let ollama = config.ollama().unwrap();
/// assert_eq!(ollama.api, Some(Api::OpenaiCompletions));
/// assert_eq!(ollama.models[0].context_window, Some(32768));
/// assert_eq!(ollama.models[0].params.as_ref().unwrap().streaming, Some(false));
/// assert!(config.other.contains_key("agents")); // kept, not interpreted
/// # Ok::<(), serde_json::Error>(())
/// ```
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Config {
    /// The `models` section.
    pub models: Option<ModelsSection>,
    /// Every other top-level key, kept verbatim.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl Config {
    /// A document holding only `models.providers.ollama = provider`: the shape a user pastes.
    pub fn with_ollama(provider: ProviderConfig) -> Self {
        Self {
            models: Some(ModelsSection {
                providers: Providers {
                    ollama: Some(provider),
                    other: Map::new(),
                },
                other: Map::new(),
            }),
            other: Map::new(),
        }
    }

    /// `models.providers.ollama`, when present.
    pub fn ollama(&self) -> Option<&ProviderConfig> {
        self.models.as_ref()?.providers.ollama.as_ref()
    }
}

/// The `models` section of a [`Config`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ModelsSection {
    /// `models.providers`.
    #[serde(default)]
    pub providers: Providers,
    /// Every other key of `models`, kept verbatim.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `models.providers`: the Ollama entry, and every other provider kept verbatim.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Providers {
    /// `models.providers.ollama`. Its presence disables discovery.
    pub ollama: Option<ProviderConfig>,
    /// Other providers, kept verbatim.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// `models.providers.ollama`: where the server is, how to talk to it, and its models.
///
/// `Debug` never prints the API key.
#[serde_with::skip_serializing_none]
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ProviderConfig {
    /// Server URL as written (`baseURL` is accepted too); see [`BaseUrl::parse`].
    #[serde(default, skip_serializing_if = "Option::is_none", alias = "baseURL")]
    pub base_url: Option<String>,
    /// API key (any value for a local server, conventionally `ollama-local`).
    pub api_key: Option<String>,
    /// API mode; `None` means [`Api::Ollama`].
    pub api: Option<Api>,
    /// The models, in order.
    #[serde(default)]
    pub models: Vec<ModelEntry>,
    /// Every other key (headers, auth, …), kept verbatim.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl ProviderConfig {
    /// A provider entry with a base URL, an API mode and models.
    pub fn new(base_url: &BaseUrl, api: Api, models: Vec<ModelEntry>) -> Self {
        Self {
            base_url: Some(base_url.root().to_owned()),
            api_key: None,
            api: Some(api),
            models,
            other: Map::new(),
        }
    }

    /// The API mode, [`Api::Ollama`] when not written.
    pub fn api(&self) -> Api {
        self.api.unwrap_or_default()
    }

    /// The normalized server root ([`DEFAULT_BASE_URL`](crate::DEFAULT_BASE_URL) when not
    /// written).
    ///
    /// # Errors
    ///
    /// [`BaseUrl::parse`]'s: [`BaseUrlError::UnsupportedScheme`] when `base_url` does not start
    /// with `http://` or `https://`, [`BaseUrlError::MissingHost`] when it has no host.
    pub fn base_url(&self) -> Result<BaseUrl, BaseUrlError> {
        BaseUrl::parse(self.base_url.as_deref().unwrap_or_default())
    }

    /// The URL a chat client talks to: the root for `ollama`, `<root>/v1` for
    /// `openai-completions`.
    ///
    /// # Errors
    ///
    /// As [`base_url`](Self::base_url): a [`BaseUrlError`] when `base_url` is not an `http://` or
    /// `https://` URL with a host.
    pub fn chat_base_url(&self) -> Result<String, BaseUrlError> {
        Ok(self.base_url()?.for_api(self.api()))
    }

    /// The model with exactly this id.
    pub fn model(&self, id: &str) -> Option<&ModelEntry> {
        self.models.iter().find(|m| m.id == id)
    }
}

impl fmt::Debug for ProviderConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderConfig")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("api", &self.api)
            .field("models", &self.models)
            .field("other", &self.other)
            .finish()
    }
}

/// One model of a provider. Discovered entries fill every field except `params`; explicit entries
/// keep exactly what the user wrote.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ModelEntry {
    /// The model name as Ollama lists it: `qwen3:8b`, `hf.co/user/repo:Q4_K_M`.
    pub id: String,
    /// A readable name.
    pub name: Option<String>,
    /// Whether the model produces separate reasoning output.
    pub reasoning: Option<bool>,
    /// Accepted input kinds.
    pub input: Option<Vec<InputKind>>,
    /// Prices; always zero for discovered models.
    pub cost: Option<Cost>,
    /// Maximum context, in tokens.
    pub context_window: Option<u64>,
    /// Maximum output tokens.
    pub max_tokens: Option<u64>,
    /// Per-model request parameters.
    pub params: Option<ModelParams>,
    /// Every other key, kept verbatim.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl ModelEntry {
    /// An entry with only an id.
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            ..Self::default()
        }
    }
}

/// An input kind a model accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum InputKind {
    /// `"text"`
    Text,
    /// `"image"`
    Image,
}

/// Prices per token class. Numbers are kept as written (`0`, `0.15`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Cost {
    /// Input tokens.
    #[serde(default = "zero")]
    pub input: Number,
    /// Output tokens.
    #[serde(default = "zero")]
    pub output: Number,
    /// Cache reads.
    #[serde(default = "zero")]
    pub cache_read: Number,
    /// Cache writes.
    #[serde(default = "zero")]
    pub cache_write: Number,
}

fn zero() -> Number {
    Number::from(0u8)
}

impl Cost {
    /// All four prices `0`: what every discovered model gets.
    pub fn free() -> Self {
        Self {
            input: zero(),
            output: zero(),
            cache_read: zero(),
            cache_write: zero(),
        }
    }
}

impl Default for Cost {
    fn default() -> Self {
        Self::free()
    }
}

/// `params` of a model entry.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ModelParams {
    /// Whether to stream responses (`false` forces non-streaming requests).
    pub streaming: Option<bool>,
    /// Every other parameter, kept verbatim.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}
