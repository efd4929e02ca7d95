//! The lean path: `/api/show` bodies decoded as `ShowSummary` and derived with
//! `derive_summaries` give exactly the catalog the full `ShowResponse` path gives, on the
//! constructed set, the workspace fixtures, hostile bodies and over HTTP (`discover()`).

mod common;

use std::fmt::Write as _;

use common::{data, fixture};
use ollama_catalog::{
    BaseUrl, Catalog, DiscoveryPlan, ShowFailure, ShowFailureReason, ShowPolicy, ShowResults,
    ShowSummaries,
};
use ollama_wire::{ListResponse, ResponseError, ShowResponse, ShowSummary, decode_json};

fn tags(json: &str) -> ListResponse {
    decode_json(200, json.as_bytes()).unwrap()
}

fn tags_of(ids: &[&str]) -> ListResponse {
    let rows: Vec<serde_json::Value> = ids
        .iter()
        .map(|id| serde_json::json!({"name": id, "model": id, "details": {"family": "x"}}))
        .collect();
    tags(&serde_json::json!({ "models": rows }).to_string())
}

fn failure(model: &str, err: &ResponseError) -> ShowFailure {
    let reason = match err {
        ResponseError::Upstream { status, error } => ShowFailureReason::Upstream {
            status: *status,
            error: error.clone(),
        },
        other => ShowFailureReason::Malformed {
            message: other.to_string(),
        },
    };
    ShowFailure::new("http://127.0.0.1:11434/api/show", model, reason)
}

/// Decodes every `(id, status, body)` both ways, as `fetch_show` and `fetch_show_summary` do,
/// derives both catalogs with `plan`, checks they are equal and returns it.
fn both(plan: &DiscoveryPlan, tags: &ListResponse, bodies: &[(&str, u16, &[u8])]) -> Catalog {
    let mut full = ShowResults::new();
    let mut lean = ShowSummaries::new();
    for &(id, status, body) in bodies {
        let show = decode_json::<ShowResponse>(status, body).map_err(|e| failure(id, &e));
        let summary = decode_json::<ShowSummary>(status, body).map_err(|e| failure(id, &e));
        if let Ok(show) = &show {
            assert_eq!(
                summary.as_ref().ok(),
                Some(&ShowSummary::from(show)),
                "{id}"
            );
        }
        full.insert(id.to_owned(), show);
        lean.insert(id.to_owned(), summary);
    }
    let catalog = plan.derive(tags, &full);
    assert_eq!(plan.derive_summaries(tags, &lean), catalog);
    catalog
}

#[test]
fn constructed_local_server() {
    let tags: ListResponse = decode_json(200, &data("tags.json")).unwrap();
    let files = [
        ("gemma4:e4b", "show/gemma4-e4b.json"),
        ("gpt-oss:20b-cloud", "show/gpt-oss-20b-cloud.json"),
        ("qwen3:8b", "show/qwen3-8b.json"),
        ("gemma3:4b", "show/gemma3-4b.json"),
        (
            "hf.co/bartowski/Ministral-8B-Instruct-2410-GGUF:IQ4_XS",
            "show/hf-ministral.json",
        ),
        ("nomic-embed-text:latest", "show/nomic-embed-text.json"),
    ];
    let bodies: Vec<(&str, Vec<u8>)> = files.iter().map(|(id, f)| (*id, data(f))).collect();
    let bodies: Vec<(&str, u16, &[u8])> = bodies.iter().map(|(id, b)| (*id, 200, &b[..])).collect();
    for policy in [ShowPolicy::Always, ShowPolicy::WhenTagsSuffice] {
        let plan = DiscoveryPlan::new(BaseUrl::default_local()).with_show_policy(policy);
        let catalog = both(&plan, &tags, &bodies);
        assert_eq!(catalog.models().len(), 4);
    }
}

#[test]
fn workspace_fixtures() {
    let tags = tags(
        r#"{"models":[
          {"name":"gemma4","model":"gemma4","details":{"family":"gemma4"}},
          {"name":"qwen2.5vl:7b","model":"qwen2.5vl:7b","details":{"family":"qwen25vl"}},
          {"name":"llama3.1:8b","model":"llama3.1:8b","details":{"family":"llama"}},
          {"name":"gpt-oss:120b","model":"gpt-oss:120b","details":{"family":""}}]}"#,
    );
    let bodies = [
        ("gemma4", fixture("show-gemma4-docs-example")),
        ("qwen2.5vl:7b", fixture("show-vision-context-length-key")),
        ("llama3.1:8b", fixture("show-pre-0-6-4-no-capabilities")),
        (
            "gpt-oss:120b",
            fixture("show-cloud-gpt-oss-no-capabilities"),
        ),
    ];
    let bodies: Vec<(&str, u16, &[u8])> = bodies.iter().map(|(id, b)| (*id, 200, &b[..])).collect();
    let plan = DiscoveryPlan::new(BaseUrl::default_local());
    let catalog = both(&plan, &tags, &bodies);
    // Capabilities inferred from the template (pre-v0.6.4) reach the lean path too.
    assert!(catalog.models().iter().any(|m| m.id == "llama3.1:8b"));

    // v0.30 tags: only gemma3:4b needs /api/show.
    let tags: ListResponse =
        decode_json(200, &fixture("tags-v0-30-capabilities-and-cloud")).unwrap();
    let plan =
        DiscoveryPlan::new(BaseUrl::default_local()).with_show_policy(ShowPolicy::WhenTagsSuffice);
    let gemma = data("show/gemma3-4b.json");
    both(&plan, &tags, &[("gemma3:4b", 200, &gemma)]);
}

#[test]
fn hostile_and_odd_bodies() {
    let mut big = String::from(
        r#"{"license":"x","capabilities":["completion","tools"],"model_info":{"general.architecture":"llama","#,
    );
    for i in 0..100_000 {
        write!(big, r#""llama.block.{i}.weight":{i},"#).unwrap();
    }
    big.push_str(r#""llama.context_length":1,"llama.context_length":32768}}"#);
    let mut bodies: Vec<String> = vec![big];
    for value in [
        r#""4096""#,
        "-1",
        "4096.0",
        "1e400",
        "18446744073709551616",
        "null",
        "[4096]",
        r#"{"value":4096}"#,
        &u64::MAX.to_string(),
    ] {
        bodies.push(format!(
            r#"{{"capabilities":["tools"],"model_info":{{"general.architecture":"m","m.context_length":{value}}}}}"#
        ));
    }
    for arch in ["42", "null", r#"["m"]"#, r#""""#] {
        bodies.push(format!(
            r#"{{"capabilities":["tools"],"model_info":{{"general.architecture":{arch},"m.context_length":4096,".context_length":4096}}}}"#
        ));
    }
    for body in [
        // Wrong types in fields the rules read: the same ShowFailed diagnostic, same message.
        r#"{"capabilities":["tools"],"model_info":[1,2]}"#,
        r#"{"capabilities":["tools"],"model_info":"llama"}"#,
        r#"{"capabilities":"tools"}"#,
        r#"{"capabilities":[1]}"#,
        r#"{"template":7}"#,
        r#"{"capabilities":["tools"],"capabilities":["tools"]}"#,
        // Cloud stubs, templates, projectors, error objects, nothing at all.
        r#"{"remote_host":"https://ollama.com:443","capabilities":["completion","tools"]}"#,
        r#"{"template":"{{ range .Tools }}{{ end }}","projector_info":{"clip.x":1}}"#,
        r#"{"template":"{{ .Prompt }}"}"#,
        r#"{"capabilities":null,"template":null}"#,
        r#"{"error":"boom","capabilities":"tools"}"#,
        r#"{"error":"boom"}"#,
        "{}",
        "<html>",
        "",
    ] {
        bodies.push(body.to_owned());
    }
    let ids: Vec<String> = (0..bodies.len()).map(|i| format!("m{i}:1")).collect();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let tags = tags_of(&id_refs);
    let mut cases: Vec<(&str, u16, &[u8])> = ids
        .iter()
        .zip(&bodies)
        .map(|(id, body)| (id.as_str(), 200, body.as_bytes()))
        .collect();
    let invalid_utf8 = b"{\"capabilities\":[\"tools\"],\"license\":\"\xff\"}";
    cases.push(("m-utf8:1", 200, invalid_utf8));
    cases.push(("m-404:1", 404, br#"{"error":"model 'm' not found"}"#));
    let tags = {
        let mut tags = tags;
        tags.models.extend(tags_of(&["m-utf8:1", "m-404:1"]).models);
        tags
    };
    let catalog = both(&DiscoveryPlan::new(BaseUrl::default_local()), &tags, &cases);
    assert_eq!(catalog.models()[0].context_window, Some(32768));
    assert_eq!(
        catalog.models().len() + catalog.left_out().count(),
        tags.models.len()
    );
}

#[test]
fn only_object_bodies_are_replies() {
    // Where the decodes differ on a body the rules could read: the derived full type also
    // accepts a JSON array (serde's sequence form of a struct, e.g. `[]` as an empty reply); the
    // lean type takes objects only.
    for body in [&b"[]"[..], b"[null,null]"] {
        assert!(matches!(
            decode_json::<ShowSummary>(200, body),
            Err(ResponseError::Malformed { .. })
        ));
    }
}

#[cfg(feature = "discover")]
mod http {
    use std::time::Duration;

    use ollama_catalog::{DiscoverOptions, discover};
    use wiremock::matchers::{body_json, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::*;

    /// A reply of real shape and size: licence, template, modelfile, hundreds of tensors.
    fn real_size_show(arch: &str, context: u64, caps: &[&str]) -> serde_json::Value {
        let tensors: Vec<_> = (0..300)
            .map(|i| serde_json::json!({"name": format!("blk.{i}.attn_k.weight"), "type": "Q4_K", "shape": [4096, 1024]}))
            .collect();
        serde_json::json!({
            "license": "Licence text. ".repeat(2000),
            "modelfile": "FROM x\nTEMPLATE \"\"\"{{ .Prompt }}\"\"\"",
            "template": "{{- if .Messages }}<|im_start|>{{ .Content }}<|im_end|>{{ end }}",
            "details": {"format": "gguf", "family": arch, "parameter_size": "8.2B"},
            "model_info": {"general.architecture": arch, format!("{arch}.context_length"): context,
                           format!("{arch}.block_count"): 36, "tokenizer.ggml.tokens": null},
            "tensors": tensors,
            "capabilities": caps,
        })
    }

    #[tokio::test]
    async fn discover_uses_the_lean_decode_and_gives_the_same_catalog() {
        let server = MockServer::start().await;
        let ids = ["qwen3:8b", "gemma3:4b", "broken:1b"];
        let rows: Vec<_> = ids
            .iter()
            .map(|id| serde_json::json!({"name": id, "model": id, "details": {}}))
            .collect();
        Mock::given(method("GET"))
            .and(path("/api/tags"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(serde_json::json!({ "models": rows })),
            )
            .mount(&server)
            .await;
        let bodies = [
            real_size_show("qwen3", 40960, &["completion", "tools", "thinking"]).to_string(),
            real_size_show("gemma3", 131_072, &["completion", "tools", "vision"]).to_string(),
            r#"{"capabilities":["tools"],"model_info":"not an object"}"#.to_owned(),
        ];
        for (id, body) in ids.iter().zip(&bodies) {
            Mock::given(method("POST"))
                .and(path("/api/show"))
                .and(body_json(serde_json::json!({"model": id})))
                .respond_with(
                    ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"),
                )
                .mount(&server)
                .await;
        }
        let plan = DiscoveryPlan::new(BaseUrl::parse(&server.uri()).unwrap());
        let options = DiscoverOptions::default().with_show_timeout(Duration::from_secs(5));
        let catalog = discover(&reqwest::Client::new(), &plan, &options)
            .await
            .unwrap();

        // The same catalog from full decodes of the same bodies (failures name the server's URL).
        let mut full = ShowResults::new();
        for (id, body) in ids.iter().zip(&bodies) {
            let show = decode_json::<ShowResponse>(200, body.as_bytes()).map_err(|e| {
                let ResponseError::Malformed { source } = e else {
                    panic!("{e}");
                };
                let message = source.to_string();
                ShowFailure::new(
                    plan.show_url(),
                    *id,
                    ShowFailureReason::Malformed { message },
                )
            });
            full.insert((*id).to_owned(), show);
        }
        let tags = tags_of(&ids);
        assert_eq!(catalog, plan.derive(&tags, &full));
        assert_eq!(catalog.models().len(), 2);
        assert_eq!(catalog.models()[1].context_window, Some(131_072));
    }
}
