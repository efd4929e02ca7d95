//! Pure derivation: `/api/tags` plus `/api/show` replies in, catalog entries and diagnostics out.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::time::Duration;

use ollama_wire::{Capability, ErrorBody, ListModel, ListResponse, ShowResponse, ShowSummary};

use crate::config::{Config, Cost, InputKind, ModelEntry, ProviderConfig};
use crate::url::Api;
use crate::url::BaseUrl;

/// `contextWindow` when the model does not report `<arch>.context_length`.
pub const DEFAULT_CONTEXT_WINDOW: u64 = 8192;

/// `maxTokens` is this many times `contextWindow`.
pub const MAX_TOKENS_FACTOR: u64 = 10;

/// `/api/show` replies (or why each failed), keyed by model id as listed by `/api/tags`.
pub type ShowResults = BTreeMap<String, Result<ShowResponse, ShowFailure>>;

/// `/api/show` replies decoded lean, as [`ShowSummary`] (or why each failed), keyed by model id
/// as listed by `/api/tags`: what [`discover`](crate::discover) collects. A summary holds every
/// fact the derivation reads, so [`derive_catalog_from_summaries`] gives the same catalog as
/// [`derive_catalog`] over the full replies.
pub type ShowSummaries = BTreeMap<String, Result<ShowSummary, ShowFailure>>;

/// When `/api/show` may be skipped.
///
/// Servers from v0.30 put `capabilities` and `details.context_length` in each `/api/tags` row,
/// which is all the catalog needs. The spec takes the context from `/api/show`'s
/// `model_info["<arch>.context_length"]`, and the tags value is not guaranteed to be the same
/// number (it is a separate field, missing for some rows, and a server may fill it from another
/// source), so [`ShowPolicy::Always`] is the default; [`ShowPolicy::WhenTagsSuffice`] trades that
/// guarantee for one request instead of N+1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ShowPolicy {
    /// Query `/api/show` for every listed model (the spec).
    #[default]
    Always,
    /// Skip `/api/show` for rows that carry both `capabilities` and `details.context_length`
    /// (v0.30+ servers); query it for the others.
    WhenTagsSuffice,
}

impl ShowPolicy {
    /// Whether this policy needs `/api/show` for `row`.
    pub fn needs_show(self, row: &ListModel) -> bool {
        match self {
            Self::Always => true,
            Self::WhenTagsSuffice => !tags_suffice(row),
        }
    }
}

fn tags_suffice(row: &ListModel) -> bool {
    row.capabilities.is_some() && row.details.context_length.is_some()
}

/// Why one `/api/show` request gave no usable reply. Carries the URL that was tried.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("POST {url} for {model:?}: {reason}")]
#[non_exhaustive]
pub struct ShowFailure {
    /// The URL that was tried.
    pub url: String,
    /// The model that was asked about.
    pub model: String,
    /// What went wrong.
    pub reason: ShowFailureReason,
}

impl ShowFailure {
    /// A failure of `POST url {"model": model}`.
    pub fn new(
        url: impl Into<String>,
        model: impl Into<String>,
        reason: ShowFailureReason,
    ) -> Self {
        Self {
            url: url.into(),
            model: model.into(),
            reason,
        }
    }
}

/// What went wrong with one `/api/show` request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ShowFailureReason {
    /// No complete reply within the timeout.
    #[error("no reply within {after:?}")]
    Timeout {
        /// The timeout.
        after: Duration,
    },
    /// The request could not be sent or the body could not be read.
    #[error("transport error: {message}")]
    Transport {
        /// The transport's message.
        message: String,
    },
    /// The server answered with an error.
    #[error("server error (HTTP {status}): {}", error.error)]
    Upstream {
        /// HTTP status.
        status: u16,
        /// The server's error.
        error: ErrorBody,
    },
    /// The body is not a show reply.
    #[error("malformed body: {message}")]
    Malformed {
        /// What the JSON decoder reported.
        message: String,
    },
}

/// Something worth knowing about one listed model: why it was left out, or a note on how its
/// entry was built.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Diagnostic {
    /// The model id as listed (empty for a row without a name).
    pub model: String,
    /// What happened.
    pub kind: DiagnosticKind,
}

/// What a [`Diagnostic`] reports. [`DiagnosticKind::excludes`] tells exclusions from notes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// Left out: the capabilities are known and do not include `tools`.
    NoTools,
    /// Left out: an embedding model (`embedding` without `completion`).
    EmbeddingOnly,
    /// Left out: neither `/api/show` nor `/api/tags` reports capabilities, and there is no
    /// template to infer tool support from (cloud stubs on older servers).
    NoCapabilities,
    /// Left out: `/api/show` failed.
    ShowFailed(ShowFailure),
    /// Left out: no `/api/show` result was supplied for the model.
    ShowMissing,
    /// Left out: the id was already listed.
    DuplicateId,
    /// Left out: the row has neither `model` nor `name`.
    EmptyId,
    /// Note: a cloud model, proxied to `remote_host`.
    Cloud {
        /// The upstream host.
        remote_host: String,
    },
    /// Note: the server predates `capabilities` (v0.6.4); tool support was inferred from the
    /// template mentioning `.Tools`, `thinking` is taken as absent, `vision` from
    /// `projector_info`.
    CapabilitiesInferred,
    /// Note: no `<arch>.context_length`; `contextWindow` is [`DEFAULT_CONTEXT_WINDOW`].
    ContextDefaulted,
    /// Note: `/api/show` was skipped; capabilities and context come from `/api/tags`.
    FromTags,
}

impl DiagnosticKind {
    /// Whether the model was left out of the catalog.
    pub fn excludes(&self) -> bool {
        matches!(
            self,
            Self::NoTools
                | Self::EmbeddingOnly
                | Self::NoCapabilities
                | Self::ShowFailed(_)
                | Self::ShowMissing
                | Self::DuplicateId
                | Self::EmptyId
        )
    }
}

impl fmt::Display for DiagnosticKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoTools => f.write_str("left out: no `tools` capability"),
            Self::EmbeddingOnly => f.write_str("left out: embedding-only model"),
            Self::NoCapabilities => {
                f.write_str("left out: no capabilities reported and no template to infer them")
            }
            Self::ShowFailed(failure) => write!(f, "left out: {failure}"),
            Self::ShowMissing => f.write_str("left out: no /api/show result"),
            Self::DuplicateId => f.write_str("left out: listed twice"),
            Self::EmptyId => f.write_str("left out: row without a name"),
            Self::Cloud { remote_host } => write!(f, "cloud model via {remote_host}"),
            Self::CapabilitiesInferred => {
                f.write_str("capabilities inferred from the template (server before v0.6.4)")
            }
            Self::ContextDefaulted => write!(
                f,
                "no <arch>.context_length; contextWindow defaults to {DEFAULT_CONTEXT_WINDOW}"
            ),
            Self::FromTags => {
                f.write_str("/api/show skipped; capabilities and context from /api/tags")
            }
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.model, self.kind)
    }
}

/// A derived catalog: the provider entry (in the explicit-config shape) and what happened to
/// each listed model.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Catalog {
    /// `baseUrl` (the server root), `api: "ollama"`, and the kept models in `/api/tags` order.
    pub provider: ProviderConfig,
    /// Exclusions and notes, in `/api/tags` order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Catalog {
    /// The kept models.
    pub fn models(&self) -> &[ModelEntry] {
        &self.provider.models
    }

    /// The diagnostics of models that were left out.
    pub fn left_out(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.kind.excludes())
    }

    /// The catalog as a configuration document a user can paste:
    /// `{"models": {"providers": {"ollama": {"baseUrl", "api", "models"}}}}`. The API key used
    /// for discovery is never part of it.
    pub fn to_config(&self) -> Config {
        Config::with_ollama(self.provider.clone())
    }
}

/// A readable name for a model id: the path, then the tag in parentheses unless it is `latest`.
///
/// ```
/// use ollama_catalog::readable_name;
///
/// assert_eq!(readable_name("qwen3:8b"), "qwen3 (8b)");
/// assert_eq!(readable_name("llama3.2:latest"), "llama3.2");
/// assert_eq!(readable_name("hf.co/user/repo:Q4_K_M"), "hf.co/user/repo (Q4_K_M)");
/// assert_eq!(readable_name("localhost:5000/ns/model"), "localhost:5000/ns/model");
/// ```
pub fn readable_name(id: &str) -> String {
    // The tag is after the last ':' of the last path segment (a ':' before a '/' is a port).
    let last_segment = id.rfind('/').map_or(0, |slash| slash + 1);
    let tag_colon = id
        .get(last_segment..)
        .and_then(|segment| segment.rfind(':'))
        .map(|colon| last_segment + colon);
    match tag_colon.and_then(|at| Some((id.get(..at)?, id.get(at + 1..)?))) {
        Some((path, "latest")) => path.to_owned(),
        Some((path, tag)) if !path.is_empty() && !tag.is_empty() => format!("{path} ({tag})"),
        _ => id.to_owned(),
    }
}

/// What the catalog needs to know about a model, from whichever reply supplied it.
struct Facts {
    capabilities: Option<Vec<Capability>>,
    inferred: bool,
    context_length: Option<u64>,
}

impl Facts {
    fn has(&self, capability: &Capability) -> bool {
        self.capabilities
            .as_deref()
            .is_some_and(|caps| caps.contains(capability))
    }
}

fn facts_from_tags(row: &ListModel) -> Facts {
    Facts {
        capabilities: row.capabilities.clone(),
        inferred: false,
        context_length: row.details.context_length,
    }
}

/// What the derivation reads from a `/api/show` reply, whichever way it was decoded.
trait ShowFacts {
    fn capabilities(&self) -> Option<&[Capability]>;
    /// `model_info["<general.architecture>.context_length"]` as an unsigned integer.
    fn context_length(&self) -> Option<u64>;
    /// Whether the template mentions `.Tools`; `None` without a template.
    fn template_mentions_tools(&self) -> Option<bool>;
    fn has_projector(&self) -> bool;
    fn remote_host(&self) -> Option<&str>;
}

impl ShowFacts for ShowResponse {
    fn capabilities(&self) -> Option<&[Capability]> {
        self.capabilities.as_deref()
    }
    fn context_length(&self) -> Option<u64> {
        self.model_info
            .as_ref()
            .and_then(|info| info.context_length())
    }
    fn template_mentions_tools(&self) -> Option<bool> {
        // Read only when capabilities are absent, so the text is scanned only then.
        self.template
            .as_deref()
            .map(|template| template.contains(".Tools"))
    }
    fn has_projector(&self) -> bool {
        self.projector_info.is_some()
    }
    fn remote_host(&self) -> Option<&str> {
        self.remote_host.as_deref()
    }
}

impl ShowFacts for ShowSummary {
    fn capabilities(&self) -> Option<&[Capability]> {
        self.capabilities.as_deref()
    }
    fn context_length(&self) -> Option<u64> {
        self.context_length
    }
    fn template_mentions_tools(&self) -> Option<bool> {
        self.template_mentions_tools
    }
    fn has_projector(&self) -> bool {
        self.has_projector
    }
    fn remote_host(&self) -> Option<&str> {
        self.remote_host.as_deref()
    }
}

fn facts_from_show(row: &ListModel, show: &impl ShowFacts) -> Facts {
    let context_length = show.context_length();
    if let Some(caps) = show
        .capabilities()
        .map(<[Capability]>::to_vec)
        .or_else(|| row.capabilities.clone())
    {
        return Facts {
            capabilities: Some(caps),
            inferred: false,
            context_length,
        };
    }
    // Before v0.6.4 there is no `capabilities`: infer from the template, as Ollama's own
    // `Model.Capabilities` (ollama/ollama server/images.go) reads the template's variables.
    let capabilities = show.template_mentions_tools().map(|mentions_tools| {
        let mut caps = vec![Capability::Completion];
        if mentions_tools {
            caps.push(Capability::Tools);
        }
        if show.has_projector() {
            caps.push(Capability::Vision);
        }
        caps
    });
    Facts {
        inferred: capabilities.is_some(),
        capabilities,
        context_length,
    }
}

/// Derives the catalog from a `/api/tags` reply and the `/api/show` results.
///
/// The rules, per listed model, in `/api/tags` order:
/// - capabilities come from `/api/show`, else from the `/api/tags` row (v0.30+), else (servers
///   before v0.6.4) are inferred from the template ([`DiagnosticKind::CapabilitiesInferred`]);
/// - embedding-only models and models without `tools` are left out, with a diagnostic;
/// - `reasoning` is `thinking`; `input` is `["text"]`, plus `"image"` with `vision`;
/// - `contextWindow` is `model_info["<general.architecture>.context_length"]` (that exact key),
///   else [`DEFAULT_CONTEXT_WINDOW`]; `maxTokens` is [`MAX_TOKENS_FACTOR`] × `contextWindow`;
/// - every cost is `0`; `id` is the listed name; `name` is [`readable_name`].
///
/// With [`ShowPolicy::WhenTagsSuffice`], rows carrying capabilities and `context_length` are
/// derived from the row alone and need no entry in `shows`.
///
/// [`derive_catalog_from_summaries`] does the same from lean [`ShowSummary`] decodes.
pub fn derive_catalog(
    base_url: &BaseUrl,
    tags: &ListResponse,
    shows: &ShowResults,
    policy: ShowPolicy,
) -> Catalog {
    derive_with(base_url, tags, shows, policy)
}

/// [`derive_catalog`] from `/api/show` replies decoded as [`ShowSummary`], which skips
/// everything the rules do not read (tensors, licence, modelfile, template text, the other
/// `model_info` keys). For the same bodies the catalog is the same.
///
/// ```
/// use ollama_catalog::{BaseUrl, ShowPolicy, ShowSummaries, derive_catalog_from_summaries};
/// use ollama_wire::{ListResponse, ShowSummary, decode_json};
///
/// let tags: ListResponse =
///     decode_json(200, br#"{"models":[{"name":"qwen3:8b","model":"qwen3:8b"}]}"#)?;
/// let qwen3: ShowSummary = decode_json(200, br#"{"license":"...","tensors":[],
///   "capabilities":["completion","tools"],
///   "model_info":{"general.architecture":"qwen3","qwen3.context_length":40960}}"#)?;
/// let shows = ShowSummaries::from([("qwen3:8b".into(), Ok(qwen3))]);
/// let catalog =
///     derive_catalog_from_summaries(&BaseUrl::default_local(), &tags, &shows, ShowPolicy::Always);
/// assert_eq!(catalog.models()[0].context_window, Some(40960));
/// # Ok::<(), ollama_wire::ResponseError>(())
/// ```
pub fn derive_catalog_from_summaries(
    base_url: &BaseUrl,
    tags: &ListResponse,
    shows: &ShowSummaries,
    policy: ShowPolicy,
) -> Catalog {
    derive_with(base_url, tags, shows, policy)
}

fn derive_with<S: ShowFacts>(
    base_url: &BaseUrl,
    tags: &ListResponse,
    shows: &BTreeMap<String, Result<S, ShowFailure>>,
    policy: ShowPolicy,
) -> Catalog {
    let mut models = Vec::new();
    let mut diagnostics = Vec::new();
    let mut seen = BTreeSet::new();
    for row in &tags.models {
        let id = row.id();
        let mut note = |kind| {
            diagnostics.push(Diagnostic {
                model: id.to_owned(),
                kind,
            })
        };
        if id.is_empty() {
            note(DiagnosticKind::EmptyId);
            continue;
        }
        if !seen.insert(id) {
            note(DiagnosticKind::DuplicateId);
            continue;
        }
        let show = if policy.needs_show(row) {
            match shows.get(id) {
                Some(Ok(show)) => Some(show),
                Some(Err(failure)) => {
                    note(DiagnosticKind::ShowFailed(failure.clone()));
                    continue;
                }
                None => {
                    note(DiagnosticKind::ShowMissing);
                    continue;
                }
            }
        } else {
            None
        };
        let remote_host = row
            .remote_host
            .as_deref()
            .or_else(|| show.and_then(ShowFacts::remote_host));
        if let Some(remote_host) = remote_host {
            note(DiagnosticKind::Cloud {
                remote_host: remote_host.to_owned(),
            });
        }
        let facts = match show {
            Some(show) => facts_from_show(row, show),
            None => {
                note(DiagnosticKind::FromTags);
                facts_from_tags(row)
            }
        };
        if facts.capabilities.is_none() {
            note(DiagnosticKind::NoCapabilities);
            continue;
        }
        if facts.has(&Capability::Embedding) && !facts.has(&Capability::Completion) {
            note(DiagnosticKind::EmbeddingOnly);
            continue;
        }
        if !facts.has(&Capability::Tools) {
            note(DiagnosticKind::NoTools);
            continue;
        }
        if facts.inferred {
            note(DiagnosticKind::CapabilitiesInferred);
        }
        let context_window = facts.context_length.unwrap_or_else(|| {
            note(DiagnosticKind::ContextDefaulted);
            DEFAULT_CONTEXT_WINDOW
        });
        let mut input = vec![InputKind::Text];
        if facts.has(&Capability::Vision) {
            input.push(InputKind::Image);
        }
        let mut entry = ModelEntry::new(id);
        entry.name = Some(readable_name(id));
        entry.reasoning = Some(facts.has(&Capability::Thinking));
        entry.input = Some(input);
        entry.cost = Some(Cost::free());
        entry.context_window = Some(context_window);
        entry.max_tokens = Some(context_window.saturating_mul(MAX_TOKENS_FACTOR));
        models.push(entry);
    }
    Catalog {
        provider: ProviderConfig::new(base_url, Api::Ollama, models),
        diagnostics,
    }
}
