//! Discovery over HTTP (feature `discover`): runs a [`DiscoveryPlan`] with `reqwest`.

use std::time::Duration;

use futures_util::stream::{self, StreamExt};
use ollama_wire::{ErrorBody, ListResponse, ResponseError, ShowResponse, ShowSummary, decode_json};
use reqwest::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;

use crate::derive::{Catalog, ShowFailure, ShowFailureReason, ShowSummaries};
use crate::plan::DiscoveryPlan;

/// Limits of [`discover`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DiscoverOptions {
    /// How many `/api/show` requests may be in flight at once (at least 1).
    pub concurrency: usize,
    /// Deadline for the whole `/api/tags` exchange (request and body).
    pub tags_timeout: Duration,
    /// Deadline for each whole `/api/show` exchange.
    pub show_timeout: Duration,
}

impl Default for DiscoverOptions {
    /// 8 concurrent shows, 5 s for tags, 3 s per show.
    fn default() -> Self {
        Self {
            concurrency: 8,
            tags_timeout: Duration::from_secs(5),
            show_timeout: Duration::from_secs(3),
        }
    }
}

impl DiscoverOptions {
    /// Sets [`concurrency`](Self::concurrency).
    pub fn with_concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency;
        self
    }

    /// Sets [`tags_timeout`](Self::tags_timeout).
    pub fn with_tags_timeout(mut self, timeout: Duration) -> Self {
        self.tags_timeout = timeout;
        self
    }

    /// Sets [`show_timeout`](Self::show_timeout).
    pub fn with_show_timeout(mut self, timeout: Duration) -> Self {
        self.show_timeout = timeout;
        self
    }
}

/// Why discovery produced no catalog. Every variant names the URL that was tried.
///
/// Only `/api/tags` failures are errors: a failed `/api/show` leaves that one model out with a
/// [`DiagnosticKind::ShowFailed`](crate::DiagnosticKind::ShowFailed).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DiscoverError {
    /// No connection could be made (nothing listening, DNS failure, …).
    #[error("Ollama could not be reached at {url}: {source}")]
    Unreachable {
        /// The URL that was tried.
        url: String,
        /// The transport error.
        source: reqwest::Error,
    },
    /// The connection was made but the exchange failed (reset, broken body, …).
    #[error("request to {url} failed: {source}")]
    Transport {
        /// The URL that was tried.
        url: String,
        /// The transport error.
        source: reqwest::Error,
    },
    /// No complete reply within the timeout.
    #[error("no reply from {url} within {after:?}")]
    Timeout {
        /// The URL that was tried.
        url: String,
        /// The timeout.
        after: Duration,
    },
    /// The server answered with an error status or an error object.
    #[error("{url} answered HTTP {status}: {}", error.error)]
    Http {
        /// The URL that was tried.
        url: String,
        /// HTTP status.
        status: u16,
        /// The server's error (plain-text bodies become its message).
        error: ErrorBody,
    },
    /// The body is not a `/api/tags` reply.
    #[error("{url} did not answer with a model list: {source}")]
    Malformed {
        /// The URL that was tried.
        url: String,
        /// What the JSON decoder reported.
        source: serde_json::Error,
    },
}

impl DiscoverError {
    /// The URL that was tried.
    pub fn url(&self) -> &str {
        match self {
            Self::Unreachable { url, .. }
            | Self::Transport { url, .. }
            | Self::Timeout { url, .. }
            | Self::Http { url, .. }
            | Self::Malformed { url, .. } => url,
        }
    }
}

enum FetchError {
    Timeout,
    Transport(reqwest::Error),
}

async fn fetch(
    request: reqwest::RequestBuilder,
    timeout: Duration,
) -> Result<(u16, Vec<u8>), FetchError> {
    let exchange = async {
        let response = request.send().await?;
        let status = response.status().as_u16();
        let body = response.bytes().await?;
        Ok::<_, reqwest::Error>((status, body.to_vec()))
    };
    match tokio::time::timeout(timeout, exchange).await {
        Ok(result) => result.map_err(FetchError::Transport),
        Err(_elapsed) => Err(FetchError::Timeout),
    }
}

fn authorize(request: reqwest::RequestBuilder, plan: &DiscoveryPlan) -> reqwest::RequestBuilder {
    match &plan.api_key {
        Some(key) => request.bearer_auth(key),
        None => request,
    }
}

/// Lists the server's models (`GET /api/tags`).
///
/// # Errors
///
/// Each [`DiscoverError`] names the tags URL:
/// - [`DiscoverError::Timeout`] when the request and its whole body take longer than `timeout`;
/// - [`DiscoverError::Unreachable`] when no connection could be made (reqwest's `is_connect`);
/// - [`DiscoverError::Transport`] when the request or reading the body failed otherwise;
/// - [`DiscoverError::Http`] when the status is not 2xx or the body is an `{"error": …}`
///   object;
/// - [`DiscoverError::Malformed`] when the body is not JSON or not a `/api/tags` reply (e.g.
///   no `models` array, or a row without `name`).
pub async fn fetch_tags(
    client: &reqwest::Client,
    plan: &DiscoveryPlan,
    timeout: Duration,
) -> Result<ListResponse, DiscoverError> {
    let url = plan.tags_url();
    let request = authorize(client.get(&url), plan);
    let (status, body) = fetch(request, timeout).await.map_err(|e| match e {
        FetchError::Timeout => DiscoverError::Timeout {
            url: url.clone(),
            after: timeout,
        },
        FetchError::Transport(source) if source.is_connect() => DiscoverError::Unreachable {
            url: url.clone(),
            source,
        },
        FetchError::Transport(source) => DiscoverError::Transport {
            url: url.clone(),
            source,
        },
    })?;
    decode_json(status, &body).map_err(|e| match e {
        ResponseError::Upstream { status, error } => DiscoverError::Http { url, status, error },
        ResponseError::Malformed { source } => DiscoverError::Malformed { url, source },
        other => DiscoverError::Http {
            url,
            status,
            error: ErrorBody::new(other.to_string()),
        },
    })
}

/// Asks for one model's details (`POST /api/show`).
///
/// # Errors
///
/// A [`ShowFailure`] naming the show URL and `model`, whose reason is:
/// - [`ShowFailureReason::Timeout`] when the request and its whole body take longer than
///   `timeout`;
/// - [`ShowFailureReason::Transport`] when the request could not be sent (no connection
///   included) or the body could not be read;
/// - [`ShowFailureReason::Upstream`] when the status is not 2xx or the body is an
///   `{"error": …}` object;
/// - [`ShowFailureReason::Malformed`] when the body is not JSON or not a show reply.
pub async fn fetch_show(
    client: &reqwest::Client,
    plan: &DiscoveryPlan,
    model: &str,
    timeout: Duration,
) -> Result<ShowResponse, ShowFailure> {
    fetch_show_as(client, plan, model, timeout).await
}

/// Asks for one model's details (`POST /api/show`) and decodes only what the catalog reads
/// ([`ShowSummary`]), as [`discover`] does.
///
/// # Errors
///
/// As [`fetch_show`]: a [`ShowFailure`] whose reason is [`ShowFailureReason::Timeout`],
/// [`Transport`](ShowFailureReason::Transport), [`Upstream`](ShowFailureReason::Upstream) (an
/// error status or error object) or [`Malformed`](ShowFailureReason::Malformed) (a body that
/// is not JSON, not valid UTF-8, or not of the show reply's shape).
pub async fn fetch_show_summary(
    client: &reqwest::Client,
    plan: &DiscoveryPlan,
    model: &str,
    timeout: Duration,
) -> Result<ShowSummary, ShowFailure> {
    fetch_show_as(client, plan, model, timeout).await
}

async fn fetch_show_as<T: DeserializeOwned>(
    client: &reqwest::Client,
    plan: &DiscoveryPlan,
    model: &str,
    timeout: Duration,
) -> Result<T, ShowFailure> {
    let url = plan.show_url();
    let request = authorize(client.post(&url), plan)
        .header(CONTENT_TYPE, "application/json")
        .body(plan.show_body(model));
    let failure = |reason| ShowFailure::new(url.clone(), model, reason);
    let (status, body) = fetch(request, timeout).await.map_err(|e| {
        failure(match e {
            FetchError::Timeout => ShowFailureReason::Timeout { after: timeout },
            FetchError::Transport(source) => ShowFailureReason::Transport {
                message: source.to_string(),
            },
        })
    })?;
    decode_json(status, &body).map_err(|e| {
        failure(match e {
            ResponseError::Upstream { status, error } => {
                ShowFailureReason::Upstream { status, error }
            }
            ResponseError::Malformed { source } => ShowFailureReason::Malformed {
                message: source.to_string(),
            },
            other => ShowFailureReason::Malformed {
                message: other.to_string(),
            },
        })
    })
}

/// Runs `plan`: `/api/tags`, then `/api/show` for each model that needs it (at most
/// `options.concurrency` at once, each bounded by `options.show_timeout`, each reply decoded as
/// a [`ShowSummary`]: only what the rules read), then [`DiscoveryPlan::derive_summaries`].
///
/// A failed `/api/tags` is an error naming the URL; a failed `/api/show` leaves that model out
/// with a diagnostic. TLS support is whatever the `client`'s reqwest build has.
///
/// # Errors
///
/// Only from `/api/tags`, as [`fetch_tags`]: [`DiscoverError::Timeout`] (after
/// `options.tags_timeout`), [`Unreachable`](DiscoverError::Unreachable),
/// [`Transport`](DiscoverError::Transport), [`Http`](DiscoverError::Http) or
/// [`Malformed`](DiscoverError::Malformed). Failed `/api/show` requests are never errors.
///
/// ```no_run
/// # async fn run() -> Result<(), ollama_catalog::DiscoverError> {
/// use ollama_catalog::{BaseUrl, DiscoverOptions, DiscoveryPlan, discover};
///
/// let plan = DiscoveryPlan::new(BaseUrl::default_local());
/// let catalog = discover(&reqwest::Client::new(), &plan, &DiscoverOptions::default()).await?;
/// println!("{}", serde_json::to_string_pretty(&catalog.to_config()).unwrap());
/// for why in catalog.left_out() {
///     eprintln!("{why}");
/// }
/// # Ok(()) }
/// ```
pub async fn discover(
    client: &reqwest::Client,
    plan: &DiscoveryPlan,
    options: &DiscoverOptions,
) -> Result<Catalog, DiscoverError> {
    let tags = fetch_tags(client, plan, options.tags_timeout).await?;
    let shows: ShowSummaries = stream::iter(plan.show_targets(&tags))
        .map(|model| async move {
            let show = fetch_show_summary(client, plan, model, options.show_timeout).await;
            (model.to_owned(), show)
        })
        .buffer_unordered(options.concurrency.max(1))
        .collect()
        .await;
    Ok(plan.derive_summaries(&tags, &shows))
}
