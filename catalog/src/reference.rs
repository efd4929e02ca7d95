//! Model references (`ollama/<id>`) and `primary` + `fallbacks` resolution.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::config::{ModelEntry, ProviderConfig};

/// The provider id of Ollama references.
pub const OLLAMA_PROVIDER: &str = "ollama";

/// A parsed model reference `<provider>/<model>`, split at the **first** `/`: the model id may
/// itself contain `/` and `:` (`ollama/hf.co/user/repo:Q4_K_M`).
///
/// ```
/// use ollama_catalog::ModelRef;
///
/// let r = ModelRef::parse("ollama/hf.co/user/repo:Q4_K_M")?;
/// assert_eq!((r.provider.as_str(), r.model.as_str()), ("ollama", "hf.co/user/repo:Q4_K_M"));
/// assert!(ModelRef::parse("qwen3:8b").is_err()); // no provider
/// # Ok::<(), ollama_catalog::RefError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ModelRef {
    /// The provider id, e.g. `ollama`.
    pub provider: String,
    /// The model id within the provider.
    pub model: String,
}

/// Why a reference string is not `<provider>/<model>`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "model reference {reference:?} is not of the form <provider>/<model> (e.g. ollama/qwen3:8b)"
)]
#[non_exhaustive]
pub struct RefError {
    /// The reference as written.
    pub reference: String,
}

impl ModelRef {
    /// Parses `<provider>/<model>` (surrounding whitespace ignored); both parts must be non-empty.
    ///
    /// # Errors
    ///
    /// [`RefError`], carrying `reference` as written, when the trimmed reference has no `/`, or
    /// nothing before or after its first `/`.
    pub fn parse(reference: &str) -> Result<Self, RefError> {
        let error = || RefError {
            reference: reference.to_owned(),
        };
        let (provider, model) = reference.trim().split_once('/').ok_or_else(error)?;
        if provider.is_empty() || model.is_empty() {
            return Err(error());
        }
        Ok(Self {
            provider: provider.to_owned(),
            model: model.to_owned(),
        })
    }
}

impl fmt::Display for ModelRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.provider, self.model)
    }
}

/// A model choice: `{"primary": "ollama/…", "fallbacks": ["ollama/…", …]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ModelSelection {
    /// The model to use.
    pub primary: String,
    /// Models to try, in order, when the primary fails.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fallbacks: Vec<String>,
}

impl ModelSelection {
    /// A selection of `primary` then `fallbacks`.
    pub fn new(primary: impl Into<String>, fallbacks: impl IntoIterator<Item = String>) -> Self {
        Self {
            primary: primary.into(),
            fallbacks: fallbacks.into_iter().collect(),
        }
    }
}

/// Which slot of a [`ModelSelection`] a reference came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    /// `primary`.
    Primary,
    /// `fallbacks[i]`.
    Fallback(usize),
}

impl fmt::Display for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Primary => f.write_str("primary"),
            Self::Fallback(i) => write!(f, "fallbacks[{i}]"),
        }
    }
}

/// Why a [`ModelSelection`] does not resolve.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResolveError {
    /// The reference is not `<provider>/<model>`.
    #[error("{slot}: {source}")]
    Malformed {
        /// Where the reference is.
        slot: Slot,
        /// The parse error.
        source: RefError,
    },
    /// An `ollama/…` reference names a model the catalog does not have.
    #[error("{slot}: unknown model {reference:?}; the ollama catalog has: {}", list(.available))]
    UnknownModel {
        /// Where the reference is.
        slot: Slot,
        /// The reference as written.
        reference: String,
        /// The ids the catalog has, in order.
        available: Vec<String>,
    },
}

fn list(ids: &[String]) -> String {
    if ids.is_empty() {
        "(no models)".to_owned()
    } else {
        ids.join(", ")
    }
}

/// What one reference resolved to.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Resolved<'a> {
    /// An Ollama model of the catalog.
    Ollama(&'a ModelEntry),
    /// A reference to another provider, left to it.
    Other(ModelRef),
}

/// A resolved [`ModelSelection`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Resolution<'a> {
    /// The primary model.
    pub primary: Resolved<'a>,
    /// The fallbacks, in order.
    pub fallbacks: Vec<Resolved<'a>>,
}

/// Looks up `model` in the catalog: the exact id, else, when `model` has no tag, `<model>:latest`
/// (as Ollama itself does).
pub fn find_model<'a>(catalog: &'a ProviderConfig, model: &str) -> Option<&'a ModelEntry> {
    catalog.model(model).or_else(|| {
        let last_segment = model.rsplit('/').next().unwrap_or(model);
        if last_segment.contains(':') {
            None
        } else {
            catalog.model(&format!("{model}:latest"))
        }
    })
}

/// Resolves `primary` and `fallbacks` against an Ollama catalog (discovered or explicit).
///
/// `ollama/<id>` references must name a model of `catalog`; references to other providers are
/// returned as [`Resolved::Other`]. The first problem, in slot order, is the error.
///
/// # Errors
///
/// For the first failing reference, `primary` then `fallbacks` in order:
/// - [`ResolveError::Malformed`] when it is not `<provider>/<model>` (see [`ModelRef::parse`]);
/// - [`ResolveError::UnknownModel`] when it is an `ollama/<id>` reference that [`find_model`]
///   does not find in `catalog` (neither `<id>` nor, for an id without a tag, `<id>:latest`).
///
/// ```
/// use ollama_catalog::{ModelEntry, ModelSelection, ProviderConfig, ResolveError, Slot, resolve, BaseUrl, Api};
///
/// let catalog = ProviderConfig::new(&BaseUrl::default_local(), Api::Ollama,
///     vec![ModelEntry::new("qwen3:8b"), ModelEntry::new("hf.co/user/repo:Q4_K_M")]);
/// let ok = ModelSelection::new("ollama/hf.co/user/repo:Q4_K_M", ["ollama/qwen3:8b".to_owned()]);
/// assert!(resolve(&ok, &catalog).is_ok());
///
/// let bad = ModelSelection::new("ollama/qwen3:8b", ["ollama/qwen3:32b".to_owned()]);
/// let err = resolve(&bad, &catalog).unwrap_err();
/// assert!(matches!(err, ResolveError::UnknownModel { slot: Slot::Fallback(0), .. }));
/// assert_eq!(err.to_string(), "fallbacks[0]: unknown model \"ollama/qwen3:32b\"; \
///     the ollama catalog has: qwen3:8b, hf.co/user/repo:Q4_K_M");
/// ```
pub fn resolve<'a>(
    selection: &ModelSelection,
    catalog: &'a ProviderConfig,
) -> Result<Resolution<'a>, ResolveError> {
    let primary = resolve_one(Slot::Primary, &selection.primary, catalog)?;
    let fallbacks = selection
        .fallbacks
        .iter()
        .enumerate()
        .map(|(i, reference)| resolve_one(Slot::Fallback(i), reference, catalog))
        .collect::<Result<_, _>>()?;
    Ok(Resolution { primary, fallbacks })
}

fn resolve_one<'a>(
    slot: Slot,
    reference: &str,
    catalog: &'a ProviderConfig,
) -> Result<Resolved<'a>, ResolveError> {
    let parsed =
        ModelRef::parse(reference).map_err(|source| ResolveError::Malformed { slot, source })?;
    if parsed.provider != OLLAMA_PROVIDER {
        return Ok(Resolved::Other(parsed));
    }
    find_model(catalog, &parsed.model)
        .map(Resolved::Ollama)
        .ok_or_else(|| ResolveError::UnknownModel {
            slot,
            reference: reference.to_owned(),
            available: catalog.models.iter().map(|m| m.id.clone()).collect(),
        })
}
