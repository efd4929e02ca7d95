//! Discovers the models of an Ollama server and derives the provider catalog an agent needs —
//! which models call tools, which reason, how large their context is — in exactly the shape a
//! user writes by hand (`models.providers.ollama`), so discovered entries can be pasted into a
//! configuration.
//!
//! # Design overview
//!
//! ```text
//!  Config + Environment ──decide()──▶ Explicit(provider)      used as written, no requests
//!                                    Discover(DiscoveryPlan)  ─┐
//!                                    Disabled                  │ GET  /api/tags
//!                                                              │ POST /api/show × N   (IO: yours,
//!  ListResponse + {id → Result<ShowResponse, ShowFailure>} ◀───┘  or `discover()`)
//!        └──derive()──▶ Catalog { provider: ProviderConfig, diagnostics }
//!                         └──to_config()──▶ {"models":{"providers":{"ollama":{…}}}}
//! ```
//!
//! The core ([`decide`], [`DiscoveryPlan`], [`derive_catalog`], [`BaseUrl`], [`resolve`]) does no
//! IO and never reads the environment: the `OLLAMA_API_KEY` value is passed in through
//! [`Environment`]. The default feature `discover` adds [`discover`], which runs a plan over HTTP
//! with `reqwest`: bounded concurrency, a timeout on every request, typed errors naming the URL.
//!
//! The rules read a handful of facts from each `/api/show` reply, whose body is mostly tensors,
//! licence and template text. Decode replies as [`ShowSummary`](ollama_wire::ShowSummary) and
//! derive with [`DiscoveryPlan::derive_summaries`] ([`ShowSummaries`]) to skip the rest without
//! materialising it — the same catalog, as [`discover`] does; [`DiscoveryPlan::derive`] takes full
//! [`ShowResponse`](ollama_wire::ShowResponse)s.
//!
//! # Example: replies in, catalog out
//!
//! ```
//! use ollama_catalog::{BaseUrl, DiscoveryPlan, ShowResults};
//! use ollama_wire::{ListResponse, ShowResponse, decode_json};
//!
//! // Constructed bodies in the shapes Ollama sends (trimmed: no license, tensors, template).
//! let tags: ListResponse = decode_json(200, br#"{"models":[
//!   {"name":"qwen3:8b","model":"qwen3:8b","details":{"family":"qwen3"}},
//!   {"name":"gemma3:4b","model":"gemma3:4b","details":{"family":"gemma3"}}]}"#)?;
//! let qwen3: ShowResponse = decode_json(200, br#"{"capabilities":["completion","tools","thinking"],
//!   "model_info":{"general.architecture":"qwen3","qwen3.context_length":40960}}"#)?;
//! let gemma3: ShowResponse = decode_json(200, br#"{"capabilities":["completion","vision"],
//!   "model_info":{"general.architecture":"gemma3","gemma3.context_length":131072}}"#)?;
//!
//! let plan = DiscoveryPlan::new(BaseUrl::default_local());
//! assert_eq!(plan.show_targets(&tags), ["qwen3:8b", "gemma3:4b"]);
//! let shows = ShowResults::from([("qwen3:8b".into(), Ok(qwen3)), ("gemma3:4b".into(), Ok(gemma3))]);
//! let catalog = plan.derive(&tags, &shows);
//!
//! let json = serde_json::to_value(catalog.to_config()).unwrap();
//! assert_eq!(json, serde_json::json!({"models": {"providers": {"ollama": {
//!     "baseUrl": "http://127.0.0.1:11434",
//!     "api": "ollama",
//!     "models": [{
//!         "id": "qwen3:8b", "name": "qwen3 (8b)", "reasoning": true, "input": ["text"],
//!         "cost": {"input": 0, "output": 0, "cacheRead": 0, "cacheWrite": 0},
//!         "contextWindow": 40960, "maxTokens": 409600
//!     }]
//! }}}}));
//! // gemma3 cannot call tools: left out, and the diagnostic says why.
//! let why: Vec<String> = catalog.left_out().map(ToString::to_string).collect();
//! assert_eq!(why, ["gemma3:4b: left out: no `tools` capability"]);
//! # Ok::<(), ollama_wire::ResponseError>(())
//! ```
//!
//! # The rules
//!
//! - **Implicit provider** ([`decide`]): with `OLLAMA_API_KEY` set (any value) or an auth
//!   profile, and no `models.providers.ollama` entry, discover from [`DEFAULT_BASE_URL`].
//! - **Derivation** ([`derive_catalog`]): keep only models with the `tools` capability;
//!   `reasoning` ⇐ `thinking`; `input` is `["text"]`, plus `"image"` with `vision`;
//!   `contextWindow` is `model_info["<general.architecture>.context_length"]` — that exact key,
//!   never `<arch>.vision.context_length` — else `8192`; `maxTokens` = 10 × `contextWindow`;
//!   every cost `0`; `id` is the listed name (`hf.co/user/repo:Q4_K_M` kept whole).
//!   Embedding-only models, cloud stubs (`remote_host`) and failed `/api/show` calls are
//!   reported in [`Catalog::diagnostics`].
//! - **Explicit provider**: a `models.providers.ollama` entry disables discovery; its models are
//!   used as written; an entry without `apiKey` gets the `OLLAMA_API_KEY` value.
//! - **Base URLs** ([`BaseUrl`]): trailing slashes and one trailing `/v1` are stripped; the native
//!   API uses the root, `openai-completions` uses `<root>/v1`.
//! - **References** ([`ModelRef`], [`resolve`]): `ollama/<id>`, split at the first `/`;
//!   `primary` and `fallbacks` must name catalog models ([`ResolveError`] says which slot).
//!
//! # Skipping `/api/show`
//!
//! Servers from v0.30 put `capabilities` and `details.context_length` in `/api/tags`. With
//! [`ShowPolicy::WhenTagsSuffice`], rows carrying both are derived without `/api/show` (one
//! request instead of N+1). This is opt-in: the rules define the context by `model_info`, and
//! the tags field is a separate value that older rows lack and that this crate cannot check
//! against `model_info` without the very request it skips. See [`ShowPolicy`].
//!
//! # Features
//!
//! - `discover` (default): [`discover`], [`fetch_tags`], [`fetch_show`], [`fetch_show_summary`]
//!   over `reqwest` 0.13 (re-exported as [`reqwest`], so callers build their client with the
//!   same version) and tokio timers.
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// Library code reports failures as values; tests may unwrap.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#![cfg_attr(not(test), deny(clippy::panic, clippy::indexing_slicing))]

mod config;
mod derive;
#[cfg(feature = "discover")]
mod discover;
mod plan;
mod reference;
mod url;

pub use config::{
    Config, Cost, InputKind, ModelEntry, ModelParams, ModelsSection, ProviderConfig, Providers,
};
pub use derive::{
    Catalog, DEFAULT_CONTEXT_WINDOW, Diagnostic, DiagnosticKind, MAX_TOKENS_FACTOR, ShowFailure,
    ShowFailureReason, ShowPolicy, ShowResults, ShowSummaries, derive_catalog,
    derive_catalog_from_summaries, readable_name,
};
#[cfg(feature = "discover")]
pub use discover::{
    DiscoverError, DiscoverOptions, discover, fetch_show, fetch_show_summary, fetch_tags,
};
pub use plan::{Decision, DiscoveryPlan, Environment, decide};
pub use reference::{
    ModelRef, ModelSelection, OLLAMA_PROVIDER, RefError, Resolution, ResolveError, Resolved, Slot,
    find_model, resolve,
};
pub use url::{Api, BaseUrl, BaseUrlError, DEFAULT_BASE_URL};

/// The HTTP client crate [`discover`] runs on, re-exported so that callers build their
/// `reqwest::Client` with the same version.
#[cfg(feature = "discover")]
pub use reqwest;

/// The README example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
