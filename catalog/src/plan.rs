//! The implicit/explicit decision and the sans-IO discovery plan.

use ollama_wire::{ListModel, ListResponse, ShowRequest};

use crate::config::{Config, ProviderConfig};
use crate::derive::{
    Catalog, ShowPolicy, ShowResults, ShowSummaries, derive_catalog, derive_catalog_from_summaries,
};
use crate::url::BaseUrl;

/// What the decision reads from outside the configuration, passed in explicitly: this crate never
/// reads environment variables itself.
///
/// ```
/// use ollama_catalog::Environment;
///
/// let env = Environment::new().with_ollama_api_key(std::env::var("OLLAMA_API_KEY").ok());
/// # let _ = env;
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Environment {
    /// The value of `OLLAMA_API_KEY`, when set (any value counts, even empty).
    pub ollama_api_key: Option<String>,
    /// The key of an Ollama auth profile, when one is configured.
    pub auth_profile_key: Option<String>,
}

impl Environment {
    /// Nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets (or clears) the `OLLAMA_API_KEY` value.
    pub fn with_ollama_api_key(mut self, key: Option<String>) -> Self {
        self.ollama_api_key = key;
        self
    }

    /// Sets (or clears) the auth-profile key.
    pub fn with_auth_profile_key(mut self, key: Option<String>) -> Self {
        self.auth_profile_key = key;
        self
    }
}

impl std::fmt::Debug for Environment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let redact = |key: &Option<String>| key.as_ref().map(|_| "<redacted>");
        f.debug_struct("Environment")
            .field("ollama_api_key", &redact(&self.ollama_api_key))
            .field("auth_profile_key", &redact(&self.auth_profile_key))
            .finish()
    }
}

/// The outcome of [`decide`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Decision {
    /// `models.providers.ollama` is set: no discovery; its models are used as written, with the
    /// `OLLAMA_API_KEY` value filled in as `apiKey` when the entry has none.
    Explicit(ProviderConfig),
    /// No explicit entry, but a key is available: discover from the default local server.
    Discover(DiscoveryPlan),
    /// No explicit entry and no key: no Ollama provider.
    Disabled,
}

/// Decides between the explicit provider, implicit discovery and nothing.
///
/// - `models.providers.ollama` present (even with an empty `models` list) → [`Decision::Explicit`];
///   discovery is skipped entirely.
/// - otherwise, `OLLAMA_API_KEY` set (any value) or an auth profile given →
///   [`Decision::Discover`] from [`DEFAULT_BASE_URL`](crate::DEFAULT_BASE_URL);
/// - otherwise [`Decision::Disabled`].
///
/// ```
/// use ollama_catalog::{Config, Decision, Environment, decide};
///
/// let env = Environment::new().with_ollama_api_key(Some("ollama-local".into()));
/// let Decision::Discover(plan) = decide(&Config::default(), &env) else { unreachable!() };
/// assert_eq!(plan.tags_url(), "http://127.0.0.1:11434/api/tags");
///
/// let config: Config = serde_json::from_str(
///     r#"{"models":{"providers":{"ollama":{"models":[{"id":"qwen3:8b"}]}}}}"#)?;
/// let Decision::Explicit(provider) = decide(&config, &env) else { unreachable!() };
/// assert_eq!(provider.api_key.as_deref(), Some("ollama-local"));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn decide(config: &Config, env: &Environment) -> Decision {
    if let Some(explicit) = config.ollama() {
        let mut provider = explicit.clone();
        if provider.api_key.is_none() {
            provider.api_key.clone_from(&env.ollama_api_key);
        }
        return Decision::Explicit(provider);
    }
    match env
        .ollama_api_key
        .as_ref()
        .or(env.auth_profile_key.as_ref())
    {
        Some(key) => Decision::Discover(
            DiscoveryPlan::new(BaseUrl::default_local()).with_api_key(Some(key.clone())),
        ),
        None => Decision::Disabled,
    }
}

/// The requests discovery makes and how their replies become a [`Catalog`], without doing IO.
///
/// 1. `GET` [`tags_url`](Self::tags_url) → decode a [`ListResponse`];
/// 2. for each id of [`show_targets`](Self::show_targets): `POST` [`show_url`](Self::show_url)
///    with [`show_body`](Self::show_body) → `Ok(ShowResponse)` or a
///    [`ShowFailure`](crate::ShowFailure) — or, decoding only what the rules read,
///    `Ok(ShowSummary)`;
/// 3. [`derive`](Self::derive) (or [`derive_summaries`](Self::derive_summaries)).
///
/// Send `Authorization: Bearer <api_key>` when [`api_key`](Self::api_key) is set.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DiscoveryPlan {
    /// The server root.
    pub base_url: BaseUrl,
    /// The key to send, if any.
    pub api_key: Option<String>,
    /// When `/api/show` may be skipped.
    pub show_policy: ShowPolicy,
}

impl DiscoveryPlan {
    /// A plan for the server at `base_url`, without a key, querying `/api/show` for every model.
    pub fn new(base_url: BaseUrl) -> Self {
        Self {
            base_url,
            api_key: None,
            show_policy: ShowPolicy::Always,
        }
    }

    /// Sets the key sent as a bearer token.
    pub fn with_api_key(mut self, key: Option<String>) -> Self {
        self.api_key = key;
        self
    }

    /// Sets the [`ShowPolicy`].
    pub fn with_show_policy(mut self, policy: ShowPolicy) -> Self {
        self.show_policy = policy;
        self
    }

    /// `<root>/api/tags`.
    pub fn tags_url(&self) -> String {
        self.base_url.endpoint("/api/tags")
    }

    /// `<root>/api/show`.
    pub fn show_url(&self) -> String {
        self.base_url.endpoint("/api/show")
    }

    /// The JSON body of the show request for `model`: `{"model": "<id>"}`.
    pub fn show_body(&self, model: &str) -> Vec<u8> {
        serde_json::to_vec(&ShowRequest::new(model)).unwrap_or_default()
    }

    /// The ids that need `/api/show`, each once, in `/api/tags` order.
    pub fn show_targets<'a>(&self, tags: &'a ListResponse) -> Vec<&'a str> {
        let mut seen = std::collections::BTreeSet::new();
        tags.models
            .iter()
            .filter(|row| self.show_policy.needs_show(row))
            .map(ListModel::id)
            .filter(|id| !id.is_empty() && seen.insert(*id))
            .collect()
    }

    /// [`derive_catalog`] with this plan's base URL and policy.
    pub fn derive(&self, tags: &ListResponse, shows: &ShowResults) -> Catalog {
        derive_catalog(&self.base_url, tags, shows, self.show_policy)
    }

    /// [`derive_catalog_from_summaries`] with this plan's base URL and policy: the same catalog
    /// from lean [`ShowSummary`](ollama_wire::ShowSummary) decodes of the `/api/show` replies.
    pub fn derive_summaries(&self, tags: &ListResponse, shows: &ShowSummaries) -> Catalog {
        derive_catalog_from_summaries(&self.base_url, tags, shows, self.show_policy)
    }
}

impl std::fmt::Debug for DiscoveryPlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiscoveryPlan")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("show_policy", &self.show_policy)
            .finish()
    }
}
