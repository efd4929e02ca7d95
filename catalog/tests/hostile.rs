//! Hostile `/api/tags` and `/api/show` replies, one row per attack: derivation stays total,
//! bounded and faithful to the rules (the `catalog_derive` fuzz target in `fuzz/` checks the
//! same properties on arbitrary bodies).

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use ollama_catalog::{
    BaseUrl, Catalog, Config, DEFAULT_CONTEXT_WINDOW, DiagnosticKind, DiscoveryPlan,
    ShowFailureReason, ShowPolicy, ShowResults,
};
use ollama_wire::{ListResponse, ResponseError, ShowResponse, decode_json};

const BOUND: Duration = Duration::from_secs(20);

fn plan() -> DiscoveryPlan {
    DiscoveryPlan::new(BaseUrl::default_local())
}

fn tags(ids: &[&str]) -> ListResponse {
    let rows: Vec<serde_json::Value> = ids
        .iter()
        .map(|id| serde_json::json!({"name": id, "model": id, "details": {"family": "x"}}))
        .collect();
    decode_json(
        200,
        serde_json::json!({ "models": rows }).to_string().as_bytes(),
    )
    .unwrap()
}

fn show(body: &str) -> ShowResponse {
    decode_json(200, body.as_bytes()).unwrap()
}

/// Derives with both policies, checks determinism and the config round trip, and returns the
/// `Always` catalog.
fn derive(tags: &ListResponse, shows: &ShowResults) -> Catalog {
    let catalog = plan().derive(tags, shows);
    assert_eq!(plan().derive(tags, shows), catalog, "deterministic");
    let when = plan()
        .with_show_policy(ShowPolicy::WhenTagsSuffice)
        .derive(tags, shows);
    // Rows here carry no capabilities, so skipping /api/show never applies.
    assert_eq!(when, catalog);
    let config = catalog.to_config();
    let text = serde_json::to_string(&config).unwrap();
    assert_eq!(serde_json::from_str::<Config>(&text).unwrap(), config);
    assert_eq!(
        catalog.models().len() + catalog.left_out().count(),
        tags.models.len(),
        "one outcome per row"
    );
    catalog
}

fn notes(catalog: &Catalog, id: &str) -> Vec<DiagnosticKind> {
    catalog
        .diagnostics
        .iter()
        .filter(|d| d.model == id)
        .map(|d| d.kind.clone())
        .collect()
}

#[test]
fn show_with_100k_model_info_keys() {
    let mut body = String::from(
        r#"{"capabilities":["completion","tools"],"model_info":{"general.architecture":"llama","#,
    );
    for i in 0..100_000 {
        write!(body, r#""llama.block.{i}.weight":{i},"#).unwrap();
    }
    // The key the rules read, last, among 100,000 others (and once more, repeated: the last
    // value of a repeated key wins).
    body.push_str(r#""llama.context_length":1,"llama.context_length":32768}}"#);
    let start = Instant::now();
    let show = show(&body);
    assert_eq!(show.model_info.as_ref().map(|i| i.len()), Some(100_003));
    let tags = tags(&["big:latest"]);
    let shows = ShowResults::from([("big:latest".to_owned(), Ok(show))]);
    let catalog = derive(&tags, &shows);
    assert!(start.elapsed() < BOUND, "took {:?}", start.elapsed());
    assert_eq!(catalog.models()[0].context_window, Some(32768));
    assert_eq!(catalog.models()[0].max_tokens, Some(327_680));
}

#[test]
fn show_with_wrong_types_in_model_info() {
    // Each value of `<arch>.context_length` that is not an unsigned integer: the default
    // context, with the ContextDefaulted note — never a panic, never a guess.
    let values = [
        r#""4096""#,
        "-1",
        "4096.0",
        "4.096e3",
        "1e400",
        "18446744073709551616",
        "null",
        "true",
        "[4096]",
        r#"{"value":4096}"#,
    ];
    for value in values {
        let body = format!(
            r#"{{"capabilities":["tools"],"model_info":{{"general.architecture":"m","m.context_length":{value}}}}}"#
        );
        let show = match decode_json::<ShowResponse>(200, body.as_bytes()) {
            // `model_info` values are kept raw, so even `1e400` (beyond f64) decodes; it is
            // simply not a context length.
            Ok(show) => show,
            Err(e) => panic!("{value}: {e}"),
        };
        let catalog = derive(
            &tags(&["m:1"]),
            &ShowResults::from([("m:1".to_owned(), Ok(show))]),
        );
        let entry = &catalog.models()[0];
        assert_eq!(
            entry.context_window,
            Some(DEFAULT_CONTEXT_WINDOW),
            "{value}"
        );
        assert!(
            notes(&catalog, "m:1").contains(&DiagnosticKind::ContextDefaulted),
            "{value}"
        );
    }

    // The architecture itself of the wrong type: no context key can be formed.
    for arch in ["42", "null", r#"["m"]"#, r#"{"m":1}"#, r#""""#] {
        let body = format!(
            r#"{{"capabilities":["tools"],"model_info":{{"general.architecture":{arch},"m.context_length":4096,".context_length":4096}}}}"#
        );
        let show: ShowResponse = decode_json(200, body.as_bytes()).unwrap();
        let catalog = derive(
            &tags(&["m:1"]),
            &ShowResults::from([("m:1".to_owned(), Ok(show))]),
        );
        let window = catalog.models()[0].context_window;
        // An empty architecture names the key ".context_length"; anything else is no string.
        let want = if arch == r#""""# {
            4096
        } else {
            DEFAULT_CONTEXT_WINDOW
        };
        assert_eq!(window, Some(want), "{arch}");
    }

    // `model_info` or `capabilities` of the wrong type: the reply is malformed, which
    // `discover()` reports as a ShowFailure; the model is left out with that reason.
    for body in [
        r#"{"capabilities":["tools"],"model_info":[1,2]}"#,
        r#"{"capabilities":["tools"],"model_info":"llama"}"#,
        r#"{"capabilities":"tools"}"#,
        r#"{"capabilities":[1]}"#,
    ] {
        let err = decode_json::<ShowResponse>(200, body.as_bytes()).unwrap_err();
        assert!(matches!(err, ResponseError::Malformed { .. }), "{body}");
        let failure = ollama_catalog::ShowFailure::new(
            plan().show_url(),
            "m:1",
            ShowFailureReason::Malformed {
                message: err.to_string(),
            },
        );
        let catalog = derive(
            &tags(&["m:1"]),
            &ShowResults::from([("m:1".to_owned(), Err(failure.clone()))]),
        );
        assert!(catalog.models().is_empty());
        assert_eq!(
            notes(&catalog, "m:1"),
            [DiagnosticKind::ShowFailed(failure)]
        );
    }
}

#[test]
fn huge_context_length_saturates_max_tokens() {
    // A documented tolerance: 10 × contextWindow does not fit in u64, maxTokens saturates.
    let body = format!(
        r#"{{"capabilities":["tools"],"model_info":{{"general.architecture":"m","m.context_length":{}}}}}"#,
        u64::MAX
    );
    let catalog = derive(
        &tags(&["m:1"]),
        &ShowResults::from([("m:1".to_owned(), Ok(show(&body)))]),
    );
    assert_eq!(catalog.models()[0].context_window, Some(u64::MAX));
    assert_eq!(catalog.models()[0].max_tokens, Some(u64::MAX));
}

#[test]
fn thousand_models_in_tags() {
    let ids: Vec<String> = (0..1000).map(|i| format!("ns/model-{i}:q{i}")).collect();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let start = Instant::now();
    let tags = tags(&id_refs);
    let targets = plan().show_targets(&tags);
    assert_eq!(targets, id_refs);
    let shows: ShowResults = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let caps = match i % 4 {
                0 => r#"["completion","tools","thinking"]"#,
                1 => r#"["completion","tools","vision"]"#,
                2 => r#"["completion"]"#,
                _ => r#"["embedding"]"#,
            };
            let body = format!(
                r#"{{"capabilities":{caps},"model_info":{{"general.architecture":"a","a.context_length":{}}}}}"#,
                1024 + i
            );
            (id.clone(), Ok(show(&body)))
        })
        .collect();
    let catalog = derive(&tags, &shows);
    assert!(start.elapsed() < BOUND, "took {:?}", start.elapsed());
    assert_eq!(catalog.models().len(), 500);
    assert_eq!(catalog.left_out().count(), 500);
    for (n, m) in catalog.models().iter().enumerate() {
        let i = 4 * (n / 2) + n % 2; // rows 0, 1, 4, 5, 8, 9, …
        assert_eq!(m.id, ids[i], "tags order");
        assert_eq!(m.reasoning, Some(i % 4 == 0));
        assert_eq!(m.context_window, Some(1024 + i as u64));
        assert_eq!(m.max_tokens, Some(10 * (1024 + i as u64)));
    }
}

#[test]
fn duplicate_and_empty_ids_in_a_large_listing() {
    // 1,000 rows naming 10 ids, plus rows without a name: each id kept once, every other row
    // left out with a reason.
    let mut ids: Vec<String> = (0..1000).map(|i| format!("m{}:latest", i % 10)).collect();
    ids.extend(std::iter::repeat_n(String::new(), 5));
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let tags = tags(&id_refs);
    let shows: ShowResults = (0..10)
        .map(|i| {
            (
                format!("m{i}:latest"),
                Ok(show(r#"{"capabilities":["tools"]}"#)),
            )
        })
        .collect();
    let catalog = derive(&tags, &shows);
    assert_eq!(catalog.models().len(), 10);
    assert_eq!(catalog.models()[3].name.as_deref(), Some("m3"));
    let duplicates = catalog
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagnosticKind::DuplicateId)
        .count();
    assert_eq!(duplicates, 990);
    assert_eq!(
        catalog
            .diagnostics
            .iter()
            .filter(|d| d.kind == DiagnosticKind::EmptyId)
            .count(),
        5
    );
}
