//! Table-driven tests of every catalog rule. Expected values are written by hand from the spec,
//! never produced by the code under test. Bodies are constructed in the shapes of ollama/ollama api/types.go.

use ollama_catalog::{
    Api, BaseUrl, BaseUrlError, Config, Decision, DiagnosticKind, DiscoveryPlan, Environment,
    ModelSelection, ResolveError, Resolved, ShowFailure, ShowFailureReason, ShowPolicy,
    ShowResults, ShowSummaries, Slot, decide, resolve,
};
use ollama_wire::{ListResponse, ShowResponse, ShowSummary, decode_json};
use serde_json::{Value, json};

/// One listed model: its `/api/tags` row, its `/api/show` reply (`None`: the call failed), the
/// entry expected in the catalog (`Value::Null`: left out), and the diagnostics expected.
struct Case {
    name: &'static str,
    row: Value,
    show: Option<Value>,
    entry: Value,
    diagnostics: &'static [&'static str],
}

fn row(id: &str) -> Value {
    json!({"name": id, "model": id, "modified_at": "2026-01-01T00:00:00Z", "size": 1,
           "digest": "00", "details": {"family": "x"}})
}

fn entry(id: &str, name: &str, reasoning: bool, input: &[&str], context: u64, max: u64) -> Value {
    json!({"id": id, "name": name, "reasoning": reasoning, "input": input,
           "cost": {"input": 0, "output": 0, "cacheRead": 0, "cacheWrite": 0},
           "contextWindow": context, "maxTokens": max})
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "tools kept, exact <arch>.context_length, 10x max tokens",
            row: row("llama3.1:8b"),
            show: Some(json!({"capabilities": ["completion", "tools"],
                "model_info": {"general.architecture": "llama", "llama.context_length": 131072}})),
            entry: entry(
                "llama3.1:8b",
                "llama3.1 (8b)",
                false,
                &["text"],
                131072,
                1310720,
            ),
            diagnostics: &[],
        },
        Case {
            name: "a vision sub-key must not be used as the context (it comes first here)",
            row: row("gemma4:e4b"),
            show: Some(json!({"capabilities": ["completion", "tools", "vision"],
                "model_info": {"gemma4.vision.context_length": 4096,
                               "general.architecture": "gemma4",
                               "gemma4.audio.context_length": 2048,
                               "gemma4.context_length": 131072}})),
            entry: entry(
                "gemma4:e4b",
                "gemma4 (e4b)",
                false,
                &["text", "image"],
                131072,
                1310720,
            ),
            diagnostics: &[],
        },
        Case {
            name: "only a vision sub-key: not the context, default 8192",
            row: row("qwen2.5vl:7b"),
            show: Some(json!({"capabilities": ["completion", "tools", "vision"],
                "model_info": {"general.architecture": "qwen25vl",
                               "qwen25vl.vision.context_length": 32768}})),
            entry: entry(
                "qwen2.5vl:7b",
                "qwen2.5vl (7b)",
                false,
                &["text", "image"],
                8192,
                81920,
            ),
            diagnostics: &[
                "qwen2.5vl:7b: no <arch>.context_length; contextWindow defaults to 8192",
            ],
        },
        Case {
            name: "arch key present but general.architecture missing: default 8192",
            row: row("mystery:latest"),
            show: Some(json!({"capabilities": ["completion", "tools"],
                "model_info": {"llama.context_length": 131072}})),
            entry: entry("mystery:latest", "mystery", false, &["text"], 8192, 81920),
            diagnostics: &[
                "mystery:latest: no <arch>.context_length; contextWindow defaults to 8192",
            ],
        },
        Case {
            name: "no model_info at all: default 8192 and 81920",
            row: row("bare:1b"),
            show: Some(json!({"capabilities": ["completion", "tools"]})),
            entry: entry("bare:1b", "bare (1b)", false, &["text"], 8192, 81920),
            diagnostics: &["bare:1b: no <arch>.context_length; contextWindow defaults to 8192"],
        },
        Case {
            name: "thinking -> reasoning",
            row: row("qwen3:8b"),
            show: Some(json!({"capabilities": ["completion", "tools", "thinking"],
                "model_info": {"general.architecture": "qwen3", "qwen3.context_length": 40960}})),
            entry: entry("qwen3:8b", "qwen3 (8b)", true, &["text"], 40960, 409600),
            diagnostics: &[],
        },
        Case {
            name: "no tools capability: left out",
            row: row("gemma3:4b"),
            show: Some(json!({"capabilities": ["completion", "vision"],
                "model_info": {"general.architecture": "gemma3", "gemma3.context_length": 131072}})),
            entry: Value::Null,
            diagnostics: &["gemma3:4b: left out: no `tools` capability"],
        },
        Case {
            name: "empty capabilities list: known, no tools",
            row: row("old:7b"),
            show: Some(json!({"capabilities": [], "model_info": {}})),
            entry: Value::Null,
            diagnostics: &["old:7b: left out: no `tools` capability"],
        },
        Case {
            name: "embedding-only: left out as such",
            row: row("nomic-embed-text:latest"),
            show: Some(json!({"capabilities": ["embedding"],
                "model_info": {"general.architecture": "nomic-bert",
                               "nomic-bert.context_length": 2048}})),
            entry: Value::Null,
            diagnostics: &["nomic-embed-text:latest: left out: embedding-only model"],
        },
        Case {
            name: "hf.co namespace and quantization tag kept in the id",
            row: row("hf.co/user/repo:Q4_K_M"),
            show: Some(json!({"capabilities": ["completion", "tools"],
                "model_info": {"general.architecture": "llama", "llama.context_length": 32768}})),
            entry: entry(
                "hf.co/user/repo:Q4_K_M",
                "hf.co/user/repo (Q4_K_M)",
                false,
                &["text"],
                32768,
                327680,
            ),
            diagnostics: &[],
        },
        Case {
            name: "show failed: left out with the URL tried",
            row: row("broken:1b"),
            show: None,
            entry: Value::Null,
            diagnostics: &[
                "broken:1b: left out: POST http://127.0.0.1:11434/api/show for \"broken:1b\": server error (HTTP 500): boom",
            ],
        },
        Case {
            name: "cloud stub with capabilities: recognised and kept",
            row: json!({"name": "gpt-oss:120b-cloud", "model": "gpt-oss:120b-cloud",
                "remote_model": "gpt-oss:120b", "remote_host": "https://ollama.com:443",
                "details": {"family": "gptoss"}}),
            show: Some(
                json!({"remote_model": "gpt-oss:120b", "remote_host": "https://ollama.com:443",
                "capabilities": ["completion", "tools", "thinking"],
                "model_info": {"general.architecture": "gptoss", "gptoss.context_length": 131072}}),
            ),
            entry: entry(
                "gpt-oss:120b-cloud",
                "gpt-oss (120b-cloud)",
                true,
                &["text"],
                131072,
                1310720,
            ),
            diagnostics: &["gpt-oss:120b-cloud: cloud model via https://ollama.com:443"],
        },
        Case {
            name: "cloud stub without any capabilities: left out, not guessed",
            row: json!({"name": "gpt-oss:20b", "model": "gpt-oss:20b", "details": {}}),
            show: Some(json!({"remote_host": "https://ollama.com:443",
                "model_info": {"general.architecture": "gptoss", "gptoss.context_length": 131072}})),
            entry: Value::Null,
            diagnostics: &[
                "gpt-oss:20b: cloud model via https://ollama.com:443",
                "gpt-oss:20b: left out: no capabilities reported and no template to infer them",
            ],
        },
        Case {
            name: "show without capabilities falls back to the v0.30 tags row",
            row: json!({"name": "a:1b", "model": "a:1b", "details": {},
                "capabilities": ["completion", "tools"]}),
            show: Some(
                json!({"model_info": {"general.architecture": "a", "a.context_length": 4096}}),
            ),
            entry: entry("a:1b", "a (1b)", false, &["text"], 4096, 40960),
            diagnostics: &[],
        },
        Case {
            name: "pre-0.6.4: tools inferred from a template using .Tools",
            row: row("llama3.1:8b-old"),
            show: Some(json!({"template": "{{ if .Tools }}tools{{ end }}",
                "model_info": {"general.architecture": "llama", "llama.context_length": 131072}})),
            entry: entry(
                "llama3.1:8b-old",
                "llama3.1 (8b-old)",
                false,
                &["text"],
                131072,
                1310720,
            ),
            diagnostics: &[
                "llama3.1:8b-old: capabilities inferred from the template (server before v0.6.4)",
            ],
        },
        Case {
            name: "pre-0.6.4: template without .Tools is left out",
            row: row("phi:2b"),
            show: Some(json!({"template": "{{ .Prompt }}", "model_info": {}})),
            entry: Value::Null,
            diagnostics: &["phi:2b: left out: no `tools` capability"],
        },
        Case {
            name: "name falls back when model is empty",
            row: json!({"name": "ns/model:tag", "model": "", "details": {}}),
            show: Some(json!({"capabilities": ["tools", "completion"],
                "model_info": {"general.architecture": "m", "m.context_length": 1000}})),
            entry: entry(
                "ns/model:tag",
                "ns/model (tag)",
                false,
                &["text"],
                1000,
                10000,
            ),
            diagnostics: &[],
        },
    ]
}

fn show_failure(id: &str) -> ShowFailure {
    ShowFailure::new(
        "http://127.0.0.1:11434/api/show",
        id,
        ShowFailureReason::Upstream {
            status: 500,
            error: ollama_wire::ErrorBody::new("boom"),
        },
    )
}

#[test]
fn derivation_rules_table() {
    let plan = DiscoveryPlan::new(BaseUrl::default_local());
    for case in cases() {
        let tags: ListResponse = serde_json::from_value(json!({"models": [case.row]})).unwrap();
        let id = tags.models[0].id().to_owned();
        let mut shows = ShowResults::new();
        let mut summaries = ShowSummaries::new();
        let (show, summary) = match case.show {
            Some(body) => {
                let body = body.to_string();
                (
                    Ok(decode_json::<ShowResponse>(200, body.as_bytes()).unwrap()),
                    Ok(decode_json::<ShowSummary>(200, body.as_bytes()).unwrap()),
                )
            }
            None => (Err(show_failure(&id)), Err(show_failure(&id))),
        };
        shows.insert(id.clone(), show);
        summaries.insert(id, summary);
        let catalog = plan.derive(&tags, &shows);
        // The lean decode gives the same catalog.
        assert_eq!(
            plan.derive_summaries(&tags, &summaries),
            catalog,
            "{}",
            case.name
        );
        let got = serde_json::to_value(catalog.models()).unwrap();
        let want = match case.entry {
            Value::Null => json!([]),
            entry => json!([entry]),
        };
        assert_eq!(got, want, "{}", case.name);
        let notes: Vec<String> = catalog
            .diagnostics
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(notes, case.diagnostics, "{}", case.name);
        // A left-out model has exactly one excluding diagnostic; a kept one none.
        let excluded = catalog.left_out().count();
        assert_eq!(
            excluded,
            usize::from(catalog.models().is_empty()),
            "{}",
            case.name
        );
    }
}

#[test]
fn all_rows_together_keep_tags_order_and_skip_duplicates() {
    let tags: ListResponse = decode_json(
        200,
        br#"{"models":[{"name":"b:1b","model":"b:1b","details":{}},
                        {"name":"a:1b","model":"a:1b","details":{}},
                        {"name":"b:1b","model":"b:1b","details":{}},
                        {"name":"","model":"","details":{}}]}"#,
    )
    .unwrap();
    let plan = DiscoveryPlan::new(BaseUrl::default_local());
    assert_eq!(plan.show_targets(&tags), ["b:1b", "a:1b"]);
    let tools: ShowResponse =
        decode_json(200, br#"{"capabilities":["completion","tools"]}"#).unwrap();
    let shows = ShowResults::from([
        ("a:1b".to_owned(), Ok(tools.clone())),
        ("b:1b".to_owned(), Ok(tools)),
    ]);
    let catalog = plan.derive(&tags, &shows);
    let ids: Vec<&str> = catalog.models().iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["b:1b", "a:1b"]);
    let kinds: Vec<(&str, &DiagnosticKind)> = catalog
        .left_out()
        .map(|d| (d.model.as_str(), &d.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("b:1b", &DiagnosticKind::DuplicateId),
            ("", &DiagnosticKind::EmptyId)
        ]
    );
}

#[test]
fn missing_show_result_is_a_diagnostic() {
    let tags: ListResponse = decode_json(
        200,
        br#"{"models":[{"name":"a:1b","model":"a:1b","details":{}}]}"#,
    )
    .unwrap();
    let catalog = DiscoveryPlan::new(BaseUrl::default_local()).derive(&tags, &ShowResults::new());
    assert!(catalog.models().is_empty());
    assert_eq!(catalog.diagnostics[0].kind, DiagnosticKind::ShowMissing);
}

#[test]
fn show_policy_when_tags_suffice() {
    // v0.30 rows: the first has both capabilities and context_length, the second lacks
    // context_length and still needs /api/show.
    let tags: ListResponse = decode_json(
        200,
        br#"{"models":[
          {"name":"qwen3:8b","model":"qwen3:8b","details":{"context_length":40960},"capabilities":["completion","tools","thinking"]},
          {"name":"gemma3:4b","model":"gemma3:4b","details":{},"capabilities":["completion","vision","tools"]}]}"#,
    )
    .unwrap();
    let plan =
        DiscoveryPlan::new(BaseUrl::default_local()).with_show_policy(ShowPolicy::WhenTagsSuffice);
    assert_eq!(plan.show_targets(&tags), ["gemma3:4b"]);
    let gemma: ShowResponse = decode_json(
        200,
        br#"{"capabilities":["completion","vision","tools"],"model_info":{"general.architecture":"gemma3","gemma3.context_length":131072}}"#,
    )
    .unwrap();
    let catalog = plan.derive(
        &tags,
        &ShowResults::from([("gemma3:4b".to_owned(), Ok(gemma))]),
    );
    assert_eq!(
        serde_json::to_value(catalog.models()).unwrap(),
        json!([
            entry("qwen3:8b", "qwen3 (8b)", true, &["text"], 40960, 409600),
            entry(
                "gemma3:4b",
                "gemma3 (4b)",
                false,
                &["text", "image"],
                131072,
                1310720
            ),
        ])
    );
    assert_eq!(catalog.diagnostics[0].kind, DiagnosticKind::FromTags);
    // The default policy asks /api/show for every model.
    let always = DiscoveryPlan::new(BaseUrl::default_local());
    assert_eq!(always.show_targets(&tags), ["qwen3:8b", "gemma3:4b"]);
}

#[test]
fn base_url_table() {
    let cases: &[(&str, &str, &str)] = &[
        // written, native root, openai-completions base
        ("", "http://127.0.0.1:11434", "http://127.0.0.1:11434/v1"),
        ("  ", "http://127.0.0.1:11434", "http://127.0.0.1:11434/v1"),
        (
            "http://127.0.0.1:11434",
            "http://127.0.0.1:11434",
            "http://127.0.0.1:11434/v1",
        ),
        (
            "http://127.0.0.1:11434/",
            "http://127.0.0.1:11434",
            "http://127.0.0.1:11434/v1",
        ),
        (
            "http://127.0.0.1:11434///",
            "http://127.0.0.1:11434",
            "http://127.0.0.1:11434/v1",
        ),
        (
            "http://host:11434/v1",
            "http://host:11434",
            "http://host:11434/v1",
        ),
        (
            "http://host:11434/v1/",
            "http://host:11434",
            "http://host:11434/v1",
        ),
        (
            "http://host:11434/V1",
            "http://host:11434",
            "http://host:11434/v1",
        ),
        (
            "http://host:11434/v1/v1",
            "http://host:11434/v1",
            "http://host:11434/v1/v1",
        ),
        (
            " https://proxy.example/ollama/v1 ",
            "https://proxy.example/ollama",
            "https://proxy.example/ollama/v1",
        ),
        (
            "https://proxy.example/ollama",
            "https://proxy.example/ollama",
            "https://proxy.example/ollama/v1",
        ),
        (
            "http://host/api/v10",
            "http://host/api/v10",
            "http://host/api/v10/v1",
        ),
        ("http://v1", "http://v1", "http://v1/v1"),
    ];
    for (written, root, openai) in cases {
        let url = BaseUrl::parse(written).unwrap();
        assert_eq!(url.root(), *root, "{written:?}");
        assert_eq!(url.for_api(Api::Ollama), *root, "{written:?}");
        assert_eq!(url.for_api(Api::OpenaiCompletions), *openai, "{written:?}");
    }
    assert_eq!(
        BaseUrl::parse("127.0.0.1:11434"),
        Err(BaseUrlError::UnsupportedScheme {
            url: "127.0.0.1:11434".into()
        })
    );
    assert_eq!(
        BaseUrl::parse("http:///v1"),
        Err(BaseUrlError::MissingHost {
            url: "http:///v1".into()
        })
    );
    assert_eq!(
        BaseUrl::parse("ftp://h").unwrap_err().to_string(),
        "base URL \"ftp://h\" must start with http:// or https://"
    );
}

fn config(json: &str) -> Config {
    serde_json::from_str(json).unwrap()
}

#[test]
fn decision_table() {
    let none = Environment::new();
    let key = Environment::new().with_ollama_api_key(Some("ollama-local".into()));
    let empty_key = Environment::new().with_ollama_api_key(Some(String::new()));
    let profile = Environment::new().with_auth_profile_key(Some("profile-key".into()));
    let no_ollama = config(r#"{"models":{"providers":{"openai":{"apiKey":"x"}}}}"#);
    let explicit = config(
        r#"{"models":{"providers":{"ollama":{"baseUrl":"http://gpu:11434/v1","api":"openai-completions",
            "models":[{"id":"qwen3:8b","contextWindow":16384,"maxTokens":2048,"params":{"streaming":false}}]}}}}"#,
    );
    let explicit_with_key =
        config(r#"{"models":{"providers":{"ollama":{"apiKey":"mine","models":[]}}}}"#);
    let explicit_empty = config(r#"{"models":{"providers":{"ollama":{}}}}"#);

    // No explicit entry: discovery needs a key (any value, even empty) or an auth profile.
    assert_eq!(decide(&Config::default(), &none), Decision::Disabled);
    assert_eq!(decide(&no_ollama, &none), Decision::Disabled);
    for (env, sent) in [
        (&key, "ollama-local"),
        (&empty_key, ""),
        (&profile, "profile-key"),
    ] {
        let Decision::Discover(plan) = decide(&no_ollama, env) else {
            panic!("expected discovery for {env:?}")
        };
        assert_eq!(plan.base_url.root(), "http://127.0.0.1:11434");
        assert_eq!(plan.tags_url(), "http://127.0.0.1:11434/api/tags");
        assert_eq!(plan.show_url(), "http://127.0.0.1:11434/api/show");
        assert_eq!(plan.api_key.as_deref(), Some(sent));
        assert_eq!(
            plan.show_body("hf.co/u/r:Q4"),
            br#"{"model":"hf.co/u/r:Q4"}"#
        );
    }

    // An explicit entry disables discovery, with or without a key, even with no models.
    for env in [&none, &key, &profile] {
        assert!(matches!(decide(&explicit, env), Decision::Explicit(_)));
        assert!(matches!(
            decide(&explicit_empty, env),
            Decision::Explicit(_)
        ));
    }
    // Models as written: overrides and params kept; nothing invented.
    let Decision::Explicit(provider) = decide(&explicit, &key) else {
        unreachable!()
    };
    assert_eq!(
        serde_json::to_value(&provider).unwrap(),
        json!({"baseUrl": "http://gpu:11434/v1", "apiKey": "ollama-local", "api": "openai-completions",
               "models": [{"id": "qwen3:8b", "contextWindow": 16384, "maxTokens": 2048,
                           "params": {"streaming": false}}]})
    );
    assert_eq!(provider.chat_base_url().unwrap(), "http://gpu:11434/v1");
    assert_eq!(provider.base_url().unwrap().root(), "http://gpu:11434");
    // apiKey filled from OLLAMA_API_KEY only when missing, and only from that variable.
    let Decision::Explicit(p) = decide(&explicit_with_key, &key) else {
        unreachable!()
    };
    assert_eq!(p.api_key.as_deref(), Some("mine"));
    let Decision::Explicit(p) = decide(&explicit, &none) else {
        unreachable!()
    };
    assert_eq!(p.api_key, None);
    let Decision::Explicit(p) = decide(&explicit, &profile) else {
        unreachable!()
    };
    assert_eq!(p.api_key, None);
    // Default api and base URL.
    let Decision::Explicit(p) = decide(&explicit_empty, &none) else {
        unreachable!()
    };
    assert_eq!(p.api(), Api::Ollama);
    assert_eq!(p.chat_base_url().unwrap(), "http://127.0.0.1:11434");
}

#[test]
fn config_round_trips_unknown_keys_and_redacts_keys_in_debug() {
    let written = json!({
        "agents": {"defaults": {"model": {"primary": "ollama/qwen3:8b"}}},
        "models": {"mode": "merge", "providers": {
            "openai": {"apiKey": "sk-x"},
            "ollama": {"baseURL": "http://h:11434", "apiKey": "secret", "headers": {"X": "1"},
                       "models": [{"id": "m", "cost": {"input": 0.15, "output": 0.6,
                                   "cacheRead": 0, "cacheWrite": 0}, "compat": {"a": true}}]}}}
    });
    let parsed: Config = serde_json::from_value(written.clone()).unwrap();
    let mut expected = written;
    // `baseURL` is read as `baseUrl` and written back in the canonical spelling.
    let ollama = &mut expected["models"]["providers"]["ollama"];
    ollama["baseUrl"] = ollama["baseURL"].take();
    ollama.as_object_mut().unwrap().remove("baseURL");
    assert_eq!(serde_json::to_value(&parsed).unwrap(), expected);
    let debug = format!("{parsed:?}");
    assert!(!debug.contains("secret"), "{debug}");
    assert!(debug.contains("<redacted>"));
}

fn explicit_catalog() -> ollama_catalog::ProviderConfig {
    config(
        r#"{"models":{"providers":{"ollama":{"models":[
            {"id":"qwen3:8b"},{"id":"hf.co/bartowski/Model-GGUF:Q4_K_M"},{"id":"llama3.2:latest"},
            {"id":"myns/coder:7b"}]}}}}"#,
    )
    .ollama()
    .unwrap()
    .clone()
}

#[test]
fn reference_resolution_table() {
    let catalog = explicit_catalog();
    let ok: &[(&str, &str)] = &[
        ("ollama/qwen3:8b", "qwen3:8b"),
        (
            "ollama/hf.co/bartowski/Model-GGUF:Q4_K_M",
            "hf.co/bartowski/Model-GGUF:Q4_K_M",
        ),
        ("ollama/myns/coder:7b", "myns/coder:7b"),
        ("ollama/llama3.2:latest", "llama3.2:latest"),
        ("ollama/llama3.2", "llama3.2:latest"), // no tag means :latest, as in Ollama
        (" ollama/qwen3:8b ", "qwen3:8b"),
    ];
    for (reference, id) in ok {
        let selection = ModelSelection::new(*reference, []);
        let resolved = resolve(&selection, &catalog).unwrap();
        assert_eq!(
            resolved.primary,
            Resolved::Ollama(catalog.model(id).unwrap()),
            "{reference}"
        );
    }

    // Another provider's reference is left to it.
    let mixed = ModelSelection::new(
        "ollama/qwen3:8b",
        [
            "openai/gpt-4o".to_owned(),
            "ollama/myns/coder:7b".to_owned(),
        ],
    );
    let resolved = resolve(&mixed, &catalog).unwrap();
    assert!(
        matches!(&resolved.fallbacks[0], Resolved::Other(r) if r.provider == "openai" && r.model == "gpt-4o")
    );
    assert!(matches!(&resolved.fallbacks[1], Resolved::Ollama(m) if m.id == "myns/coder:7b"));

    let available = vec![
        "qwen3:8b".to_owned(),
        "hf.co/bartowski/Model-GGUF:Q4_K_M".to_owned(),
        "llama3.2:latest".to_owned(),
        "myns/coder:7b".to_owned(),
    ];
    let errors: Vec<(ModelSelection, ResolveError)> = vec![
        (
            ModelSelection::new("ollama/qwen3:32b", []),
            ResolveError::UnknownModel {
                slot: Slot::Primary,
                reference: "ollama/qwen3:32b".into(),
                available: available.clone(),
            },
        ),
        (
            // A tag must match exactly: Q4_K_M is not Q8_0, and ids are case-sensitive.
            ModelSelection::new(
                "ollama/qwen3:8b",
                [
                    "ollama/myns/coder:7b".into(),
                    "ollama/hf.co/bartowski/Model-GGUF:Q8_0".into(),
                ],
            ),
            ResolveError::UnknownModel {
                slot: Slot::Fallback(1),
                reference: "ollama/hf.co/bartowski/Model-GGUF:Q8_0".into(),
                available: available.clone(),
            },
        ),
        (
            ModelSelection::new("ollama/Qwen3:8b", []),
            ResolveError::UnknownModel {
                slot: Slot::Primary,
                reference: "ollama/Qwen3:8b".into(),
                available: available.clone(),
            },
        ),
    ];
    for (selection, want) in errors {
        assert_eq!(
            resolve(&selection, &catalog).unwrap_err(),
            want,
            "{selection:?}"
        );
    }
    // The provider prefix is required; the slot is named.
    for (selection, slot, reference) in [
        (
            ModelSelection::new("qwen3:8b", []),
            Slot::Primary,
            "qwen3:8b",
        ),
        (
            ModelSelection::new("ollama/qwen3:8b", ["ollama/".into()]),
            Slot::Fallback(0),
            "ollama/",
        ),
        (
            ModelSelection::new("/qwen3:8b", []),
            Slot::Primary,
            "/qwen3:8b",
        ),
    ] {
        let err = resolve(&selection, &catalog).unwrap_err();
        assert!(
            matches!(&err, ResolveError::Malformed { slot: s, source } if *s == slot && source.reference == reference),
            "{err:?}"
        );
    }
    assert_eq!(
        resolve(&ModelSelection::new("ollama/qwen3:32b", []), &catalog)
            .unwrap_err()
            .to_string(),
        "primary: unknown model \"ollama/qwen3:32b\"; the ollama catalog has: qwen3:8b, \
         hf.co/bartowski/Model-GGUF:Q4_K_M, llama3.2:latest, myns/coder:7b"
    );
    assert_eq!(
        resolve(&ModelSelection::new("qwen3", []), &catalog)
            .unwrap_err()
            .to_string(),
        "primary: model reference \"qwen3\" is not of the form <provider>/<model> (e.g. ollama/qwen3:8b)"
    );
    // Against a discovered, empty catalog.
    let empty = ollama_catalog::ProviderConfig::new(&BaseUrl::default_local(), Api::Ollama, vec![]);
    assert_eq!(
        resolve(&ModelSelection::new("ollama/qwen3:8b", []), &empty)
            .unwrap_err()
            .to_string(),
        "primary: unknown model \"ollama/qwen3:8b\"; the ollama catalog has: (no models)"
    );
}

#[test]
fn readable_names_split_the_tag_of_the_last_segment_only() {
    use ollama_catalog::readable_name;
    // An empty path or tag is not split.
    assert_eq!(readable_name("qwen3:"), "qwen3:");
    assert_eq!(readable_name(":8b"), ":8b");
    // A ':' just before the last '/' belongs to an earlier segment.
    assert_eq!(readable_name("registry:/model"), "registry:/model");
    assert_eq!(readable_name("/model:q4"), "/model (q4)");
    assert_eq!(readable_name("ns/model:latest"), "ns/model");
}

/// Debug output of what holds a key shows that a key is set, never the key; a model reference
/// prints as `provider/model`.
#[test]
fn keys_are_redacted_and_references_print_as_written() {
    use ollama_catalog::{BaseUrl, DiscoveryPlan, Environment, ModelRef};
    let env = Environment::new()
        .with_ollama_api_key(Some("sk-ollama-secret".into()))
        .with_auth_profile_key(None);
    let shown = format!("{env:?}");
    assert_eq!(
        shown,
        r#"Environment { ollama_api_key: Some("<redacted>"), auth_profile_key: None }"#
    );
    let plan = DiscoveryPlan::new(BaseUrl::default_local()).with_api_key(Some("sk-plan".into()));
    let shown = format!("{plan:?}");
    assert!(shown.starts_with("DiscoveryPlan { base_url: "), "{shown}");
    assert!(shown.contains(r#"api_key: Some("<redacted>")"#), "{shown}");
    assert!(!shown.contains("sk-plan"), "{shown}");
    let base = BaseUrl::parse("http://gpu-box:11434/v1/").unwrap();
    assert_eq!(base.to_string(), base.root());
    assert!(!base.to_string().is_empty());
    let reference = ModelRef::parse("ollama/llama3.2:latest").unwrap();
    assert_eq!(reference.to_string(), "ollama/llama3.2:latest");
}
