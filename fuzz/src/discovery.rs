//! Properties of catalog derivation (`ollama_catalog::DiscoveryPlan::derive`) over arbitrary
//! `/api/tags` and `/api/show` bodies.
//!
//! # Input
//!
//! The common layout (see the crate docs): flags, plan, body. The body is split at NUL bytes
//! (never part of JSON text): the first part is the `/api/tags` body, each further part one
//! `/api/show` body. Show body `j` answers the `j`-th id `show_targets` lists, decoded with the
//! status plan byte `j` (cycled) gives in bits 0..=1 (200, 200, 404, 500); a failed decode is a
//! `ShowFailure` (upstream or malformed). Plan bit 7 files it under an id that is not listed
//! instead. Flags are unused (bits 6..=7 repeat the body, as for every target).
//!
//! # Properties (for both `ShowPolicy` variants)
//!
//! - never panics; deterministic (deriving twice gives equal catalogs);
//! - `show_targets`: distinct, non-empty, listed ids in `/api/tags` order; every one of them for
//!   `Always`, exactly the rows without capabilities and context for `WhenTagsSuffice`;
//! - one outcome per listed row: kept, or exactly one excluding diagnostic;
//! - every kept model is listed (its first row), at most once, in `/api/tags` order, and its
//!   entry follows the rules from the replies it was derived from: `tools` capability,
//!   `reasoning` ⇔ `thinking`, `input` text (+ image ⇔ `vision`), `contextWindow` from
//!   `<arch>.context_length` (else 8192, with a `ContextDefaulted` note), `maxTokens` =
//!   10 × `contextWindow` (saturating), every cost 0, `name` = `readable_name(id)`;
//! - `to_config()` serializes and parses back to an equal `Config`.

use ollama_catalog::{
    BaseUrl, Catalog, Config, Cost, DEFAULT_CONTEXT_WINDOW, DiagnosticKind, DiscoveryPlan,
    InputKind, MAX_TOKENS_FACTOR, ShowFailure, ShowFailureReason, ShowPolicy, ShowResults,
    readable_name,
};
use ollama_wire::{
    Capability, ListModel, ListResponse, ResponseError, ShowResponse, ShowSummary, decode_json,
};

use crate::Input;

/// `decode_json` of a show body, as `discover()` turns it into a result.
pub fn show_result(status: u16, model: &str, body: &[u8]) -> Result<ShowResponse, ShowFailure> {
    decode_json::<ShowResponse>(status, body).map_err(|e| {
        let reason = match e {
            ResponseError::Upstream { status, error } => {
                ShowFailureReason::Upstream { status, error }
            }
            other => ShowFailureReason::Malformed {
                message: other.to_string(),
            },
        };
        ShowFailure::new("http://127.0.0.1:11434/api/show", model, reason)
    })
}

/// The `/api/show` results the input describes, for the listing `tags`.
pub fn shows(tags: &ListResponse, bodies: &[&[u8]], plan: &[u8]) -> ShowResults {
    let targets = DiscoveryPlan::new(BaseUrl::default_local()).show_targets(tags);
    let mut shows = ShowResults::new();
    for (j, body) in bodies.iter().enumerate() {
        let p = plan.get(j % plan.len().max(1)).copied().unwrap_or(0);
        let status = [200, 200, 404, 500][usize::from(p & 3)];
        let id = match targets.get(j) {
            Some(id) if p & 0x80 == 0 => (*id).to_owned(),
            _ => format!("unlisted-{j}"),
        };
        let result = show_result(status, &id, body);
        shows.insert(id, result);
    }
    shows
}

fn has(caps: Option<&[Capability]>, capability: &Capability) -> bool {
    caps.is_some_and(|caps| caps.contains(capability))
}

/// Checks one derivation against the rules.
pub fn check(tags: &ListResponse, shows: &ShowResults, policy: ShowPolicy) -> Catalog {
    let plan = DiscoveryPlan::new(BaseUrl::default_local()).with_show_policy(policy);
    let catalog = plan.derive(tags, shows);
    assert_eq!(
        plan.derive(tags, shows),
        catalog,
        "derivation is deterministic"
    );

    // show_targets.
    let targets = plan.show_targets(tags);
    let mut first_rows: Vec<&ListModel> = Vec::new();
    for row in &tags.models {
        if !row.id().is_empty() && !first_rows.iter().any(|r| r.id() == row.id()) {
            first_rows.push(row);
        }
    }
    let want_targets: Vec<&str> = first_rows
        .iter()
        .filter(|r| policy.needs_show(r))
        .map(|r| r.id())
        .collect();
    // `needs_show` is per row: a later duplicate row may need it when the first does not.
    for t in &targets {
        assert!(!t.is_empty());
        assert_eq!(targets.iter().filter(|u| *u == t).count(), 1, "{t:?} twice");
        assert!(tags.models.iter().any(|r| r.id() == *t), "{t:?} not listed");
    }
    for t in &want_targets {
        assert!(
            targets.contains(t),
            "{t:?} needs /api/show but is no target"
        );
    }
    if policy == ShowPolicy::Always {
        assert_eq!(targets, want_targets);
    }

    // One outcome per row.
    let excluded = catalog.left_out().count();
    assert_eq!(
        catalog.models().len() + excluded,
        tags.models.len(),
        "every listed row is kept or left out with a reason, once: {:#?}",
        catalog.diagnostics
    );
    for d in &catalog.diagnostics {
        assert!(
            tags.models.iter().any(|r| r.id() == d.model),
            "diagnostic for an unlisted model: {d}"
        );
        let _ = d.to_string();
    }

    // Kept models, in tags order.
    let mut last_position = None;
    for m in catalog.models() {
        let position = first_rows
            .iter()
            .position(|r| r.id() == m.id)
            .unwrap_or_else(|| panic!("kept model {:?} is not listed", m.id));
        assert!(
            last_position.is_none_or(|p| p < position),
            "kept models out of tags order or twice: {:?}",
            m.id
        );
        last_position = Some(position);
        let row = first_rows[position];
        assert!(
            !catalog.diagnostics.iter().any(|d| d.model == m.id
                && d.kind.excludes()
                && d.kind != DiagnosticKind::DuplicateId),
            "{:?} kept and left out",
            m.id
        );

        // The facts the entry must come from.
        let (caps, context, from_tags): (Option<Vec<Capability>>, Option<u64>, bool) =
            if policy.needs_show(row) {
                let show = match shows.get(&m.id) {
                    Some(Ok(show)) => show,
                    other => panic!("{:?} kept without a show reply: {other:?}", m.id),
                };
                let context = show.model_info.as_ref().and_then(|i| i.context_length());
                let caps = show
                    .capabilities
                    .clone()
                    .or_else(|| row.capabilities.clone());
                let caps = caps.or_else(|| {
                    // Inferred from the template (servers before v0.6.4): never `thinking`.
                    show.template.as_ref().map(|t| {
                        let mut caps = vec![Capability::Completion];
                        if t.contains(".Tools") {
                            caps.push(Capability::Tools);
                        }
                        if show.projector_info.is_some() {
                            caps.push(Capability::Vision);
                        }
                        caps
                    })
                });
                (caps, context, false)
            } else {
                (row.capabilities.clone(), row.details.context_length, true)
            };
        let caps = caps.as_deref();
        let notes = |kind: &DiagnosticKind| {
            catalog
                .diagnostics
                .iter()
                .any(|d| d.model == m.id && d.kind == *kind)
        };
        assert_eq!(notes(&DiagnosticKind::FromTags), from_tags, "{:?}", m.id);
        assert!(
            has(caps, &Capability::Tools),
            "{:?} kept without tools",
            m.id
        );
        let embedding_only =
            has(caps, &Capability::Embedding) && !has(caps, &Capability::Completion);
        assert!(!embedding_only, "{:?}: embedding-only kept", m.id);
        assert_eq!(
            m.reasoning,
            Some(has(caps, &Capability::Thinking)),
            "{:?}: reasoning ⇔ thinking",
            m.id
        );
        let mut input = vec![InputKind::Text];
        if has(caps, &Capability::Vision) {
            input.push(InputKind::Image);
        }
        assert_eq!(m.input.as_ref(), Some(&input), "{:?}: input", m.id);
        let window = context.unwrap_or(DEFAULT_CONTEXT_WINDOW);
        assert_eq!(m.context_window, Some(window), "{:?}: contextWindow", m.id);
        assert_eq!(
            notes(&DiagnosticKind::ContextDefaulted),
            context.is_none(),
            "{:?}: ContextDefaulted note",
            m.id
        );
        assert_eq!(
            m.max_tokens,
            Some(window.saturating_mul(MAX_TOKENS_FACTOR)),
            "{:?}: maxTokens = 10 × contextWindow",
            m.id
        );
        assert_eq!(m.cost, Some(Cost::free()), "{:?}: zero costs", m.id);
        assert_eq!(m.name.as_deref(), Some(readable_name(&m.id).as_str()));
        assert_eq!(m.params, None);
        assert!(m.other.is_empty());
    }

    // The configuration document round-trips.
    let config = catalog.to_config();
    assert_eq!(config.ollama(), Some(&catalog.provider));
    let text = serde_json::to_string(&config)
        .unwrap_or_else(|e| panic!("to_config() does not serialize: {e}"));
    let back: Config = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("to_config() does not parse back ({e}): {text}"));
    assert_eq!(back, config, "{text}");
    assert_eq!(
        catalog.provider.base_url.as_deref(),
        Some("http://127.0.0.1:11434")
    );
    catalog
}

/// The lean `/api/show` decode (what `discover()` uses) gives the facts of the full decode:
/// an object the full decode accepts is accepted lean, with the same summary. (The lean decode
/// may accept more: it does not type-check the fields it skips, and it rejects arrays.)
fn assert_lean_matches_full(body: &[u8]) {
    let Ok(full) = decode_json::<ShowResponse>(200, body) else {
        return;
    };
    if !body.trim_ascii_start().starts_with(b"{") {
        return;
    }
    match decode_json::<ShowSummary>(200, body) {
        Ok(lean) => assert_eq!(
            lean,
            ShowSummary::from(&full),
            "lean and full decodes differ"
        ),
        Err(e) => panic!("the full decode accepted the body, the lean one did not: {e}"),
    }
}

/// The `catalog_derive` target body.
pub fn target(data: &[u8]) {
    let Some(input) = Input::parse(data) else {
        return;
    };
    let mut parts = input.body.split(|&b| b == 0);
    let tags_body = parts.next().unwrap_or_default();
    let show_bodies: Vec<&[u8]> = parts.collect();
    for body in &show_bodies {
        assert_lean_matches_full(body);
    }
    let Ok(tags) = decode_json::<ListResponse>(200, tags_body) else {
        // Still exercise the show decoding (and its failure mapping) on the bodies.
        for body in &show_bodies {
            let _ = show_result(200, "m", body);
        }
        return;
    };
    let shows = shows(&tags, &show_bodies, input.plan());
    let always = check(&tags, &shows, ShowPolicy::Always);
    let when = check(&tags, &shows, ShowPolicy::WhenTagsSuffice);
    // Skipping /api/show only changes rows whose tags entry suffices.
    for m in always.models() {
        if let Some(other) = when.models().iter().find(|o| o.id == m.id) {
            let row_suffices = tags
                .models
                .iter()
                .find(|r| r.id() == m.id)
                .is_some_and(|r| !ShowPolicy::WhenTagsSuffice.needs_show(r));
            if !row_suffices {
                assert_eq!(other, m, "same reply, same entry");
            }
        }
    }
}
