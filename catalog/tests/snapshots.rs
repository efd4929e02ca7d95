//! Snapshots of catalogs derived from realistic bodies: the constructed set in `tests/data/`
//! (see its README for provenance) and the workspace fixtures in `../fixtures/ollama/`.
//! Every accepted snapshot was read against the rules in the crate docs.

mod common;

use common::{data, fixture};
use ollama_catalog::{BaseUrl, Catalog, DiscoveryPlan, ShowPolicy, ShowResults};
use ollama_wire::{ListResponse, ShowResponse, decode_json};

fn show(body: &[u8]) -> Result<ShowResponse, ollama_catalog::ShowFailure> {
    Ok(decode_json(200, body).unwrap())
}

/// The catalog exactly as a user would paste it (field order as serialized), then the
/// diagnostics as a user would read them.
fn view(catalog: &Catalog) -> String {
    let mut out = serde_json::to_string_pretty(&catalog.to_config()).unwrap();
    out.push_str("\n\ndiagnostics:\n");
    for diagnostic in &catalog.diagnostics {
        out.push_str(&format!("- {diagnostic}\n"));
    }
    out
}

#[test]
fn constructed_local_server() {
    let tags: ListResponse = decode_json(200, &data("tags.json")).unwrap();
    let plan = DiscoveryPlan::new(BaseUrl::default_local());
    assert_eq!(plan.show_targets(&tags).len(), 6);
    let shows = ShowResults::from([
        ("gemma4:e4b".into(), show(&data("show/gemma4-e4b.json"))),
        (
            "gpt-oss:20b-cloud".into(),
            show(&data("show/gpt-oss-20b-cloud.json")),
        ),
        ("qwen3:8b".into(), show(&data("show/qwen3-8b.json"))),
        ("gemma3:4b".into(), show(&data("show/gemma3-4b.json"))),
        (
            "hf.co/bartowski/Ministral-8B-Instruct-2410-GGUF:IQ4_XS".into(),
            show(&data("show/hf-ministral.json")),
        ),
        (
            "nomic-embed-text:latest".into(),
            show(&data("show/nomic-embed-text.json")),
        ),
    ]);
    insta::assert_snapshot!(view(&plan.derive(&tags, &shows)));
}

#[test]
fn workspace_fixtures_v0_30_tags_skipping_show() {
    // tags-v0-30-capabilities-and-cloud: every row but gemma3:4b carries capabilities and
    // context_length, so only gemma3:4b needs /api/show.
    let tags: ListResponse =
        decode_json(200, &fixture("tags-v0-30-capabilities-and-cloud")).unwrap();
    let plan =
        DiscoveryPlan::new(BaseUrl::default_local()).with_show_policy(ShowPolicy::WhenTagsSuffice);
    assert_eq!(plan.show_targets(&tags), ["gemma3:4b"]);
    let shows = ShowResults::from([("gemma3:4b".into(), show(&data("show/gemma3-4b.json")))]);
    insta::assert_snapshot!(view(&plan.derive(&tags, &shows)));
}

#[test]
fn workspace_show_fixtures() {
    // A constructed tags list naming the models of the four workspace /api/show fixtures; the
    // cloud row follows tags-cloud-ollama-com (no capabilities anywhere).
    let tags: ListResponse = decode_json(
        200,
        br#"{"models":[
          {"name":"gemma4","model":"gemma4","details":{"family":"gemma4"}},
          {"name":"qwen2.5vl:7b","model":"qwen2.5vl:7b","details":{"family":"qwen25vl"}},
          {"name":"llama3.1:8b","model":"llama3.1:8b","details":{"family":"llama"}},
          {"name":"gpt-oss:120b","model":"gpt-oss:120b","details":{"family":""}}]}"#,
    )
    .unwrap();
    let shows = ShowResults::from([
        ("gemma4".into(), show(&fixture("show-gemma4-docs-example"))),
        (
            "qwen2.5vl:7b".into(),
            show(&fixture("show-vision-context-length-key")),
        ),
        (
            "llama3.1:8b".into(),
            show(&fixture("show-pre-0-6-4-no-capabilities")),
        ),
        (
            "gpt-oss:120b".into(),
            show(&fixture("show-cloud-gpt-oss-no-capabilities")),
        ),
    ]);
    let plan = DiscoveryPlan::new(BaseUrl::parse("http://gpu-box:11434/v1").unwrap());
    insta::assert_snapshot!(view(&plan.derive(&tags, &shows)));
}
