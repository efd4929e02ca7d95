//! Discovery over real HTTP against wiremock servers. Bodies are constructed in the shapes of ollama/ollama api/types.go.
#![cfg(feature = "discover")]

use std::time::{Duration, Instant};

use ollama_catalog::{
    BaseUrl, Catalog, DiagnosticKind, DiscoverError, DiscoverOptions, DiscoveryPlan,
    ShowFailureReason, discover,
};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[path = "common/bodies.rs"]
mod bodies;
use bodies::{show_body, tags_body};

async fn mount_show(server: &MockServer, id: &str, response: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path("/api/show"))
        .and(body_json(json!({"model": id})))
        .respond_with(response)
        .expect(1)
        .mount(server)
        .await;
}

/// A 200 `/api/show` reply for architecture `arch` (see [`show_body`]).
fn show_ok(arch: &str, context: u64, caps: &[&str]) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(show_body(arch, context, caps))
}

/// A mock server whose `/api/tags` answers `response`.
async fn tags_server(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/tags"))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

/// Discovers what `server` serves, with a fresh client and the default plan.
async fn discover_at(
    server: &MockServer,
    options: &DiscoverOptions,
) -> Result<Catalog, DiscoverError> {
    discover(&reqwest::Client::new(), &plan(server), options).await
}

fn plan(server: &MockServer) -> DiscoveryPlan {
    DiscoveryPlan::new(BaseUrl::parse(&format!("{}/v1/", server.uri())).unwrap())
}

fn fast() -> DiscoverOptions {
    DiscoverOptions::default()
        .with_tags_timeout(Duration::from_millis(500))
        .with_show_timeout(Duration::from_millis(500))
        .with_concurrency(2)
}

#[tokio::test]
async fn happy_path_several_models() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/tags"))
        .and(header("authorization", "Bearer ollama-local"))
        .respond_with(ResponseTemplate::new(200).set_body_json(tags_body(&[
            "qwen3:8b",
            "hf.co/user/repo:Q4_K_M",
            "gemma3:4b",
            "llama3.1:8b",
        ])))
        .expect(1)
        .mount(&server)
        .await;
    mount_show(
        &server,
        "qwen3:8b",
        show_ok("qwen3", 40960, &["completion", "tools", "thinking"]),
    )
    .await;
    mount_show(
        &server,
        "hf.co/user/repo:Q4_K_M",
        show_ok("llama", 32768, &["completion", "tools"]),
    )
    .await;
    mount_show(
        &server,
        "gemma3:4b",
        show_ok("gemma3", 131072, &["completion", "vision"]),
    )
    .await;
    // Slow but within the timeout: order must still follow /api/tags.
    mount_show(
        &server,
        "llama3.1:8b",
        show_ok("llama", 131072, &["completion", "tools"]).set_delay(Duration::from_millis(100)),
    )
    .await;

    let plan = plan(&server).with_api_key(Some("ollama-local".into()));
    let catalog = discover(&reqwest::Client::new(), &plan, &fast())
        .await
        .unwrap();
    let config = serde_json::to_value(catalog.to_config()).unwrap();
    let cost = json!({"input": 0, "output": 0, "cacheRead": 0, "cacheWrite": 0});
    assert_eq!(
        config,
        json!({"models": {"providers": {"ollama": {
            "baseUrl": server.uri(),
            "api": "ollama",
            "models": [
                {"id": "qwen3:8b", "name": "qwen3 (8b)", "reasoning": true, "input": ["text"],
                 "cost": cost, "contextWindow": 40960, "maxTokens": 409600},
                {"id": "hf.co/user/repo:Q4_K_M", "name": "hf.co/user/repo (Q4_K_M)",
                 "reasoning": false, "input": ["text"], "cost": cost,
                 "contextWindow": 32768, "maxTokens": 327680},
                {"id": "llama3.1:8b", "name": "llama3.1 (8b)", "reasoning": false,
                 "input": ["text"], "cost": cost, "contextWindow": 131072, "maxTokens": 1310720}
            ]
        }}}})
    );
    let left_out: Vec<String> = catalog.left_out().map(ToString::to_string).collect();
    assert_eq!(left_out, ["gemma3:4b: left out: no `tools` capability"]);
}

#[tokio::test]
async fn one_show_failing_leaves_only_that_model_out() {
    let server = tags_server(ResponseTemplate::new(200).set_body_json(tags_body(&[
        "a:1b",
        "missing:1b",
        "garbage:1b",
        "slow:1b",
        "b:1b",
    ])))
    .await;
    let tools = || show_ok("a", 4096, &["completion", "tools"]);
    mount_show(&server, "a:1b", tools()).await;
    mount_show(&server, "b:1b", tools()).await;
    mount_show(
        &server,
        "missing:1b",
        ResponseTemplate::new(404).set_body_raw(
            r#"{"error":"model 'missing:1b' not found"}"#,
            "application/json",
        ),
    )
    .await;
    mount_show(
        &server,
        "garbage:1b",
        ResponseTemplate::new(200).set_body_string("<html>"),
    )
    .await;
    mount_show(
        &server,
        "slow:1b",
        tools().set_delay(Duration::from_secs(5)),
    )
    .await;

    let options = fast().with_show_timeout(Duration::from_millis(200));
    let catalog = discover_at(&server, &options).await.unwrap();
    let ids: Vec<&str> = catalog.models().iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["a:1b", "b:1b"]);

    let show_url = format!("{}/api/show", server.uri());
    let failures: Vec<_> = catalog
        .left_out()
        .map(|d| match &d.kind {
            DiagnosticKind::ShowFailed(f) => {
                assert_eq!(f.url, show_url);
                assert_eq!(f.model, d.model);
                (d.model.as_str(), &f.reason)
            }
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(failures.len(), 3);
    assert!(
        matches!(failures[0], ("missing:1b", ShowFailureReason::Upstream { status: 404, error })
        if error.error == "model 'missing:1b' not found")
    );
    assert!(matches!(
        failures[1],
        ("garbage:1b", ShowFailureReason::Malformed { .. })
    ));
    assert!(
        matches!(failures[2], ("slow:1b", ShowFailureReason::Timeout { after })
        if *after == Duration::from_millis(200))
    );
}

#[tokio::test]
async fn tags_http_500_is_an_error_naming_the_url() {
    let server = tags_server(
        ResponseTemplate::new(500).set_body_raw(r#"{"error":"disk full"}"#, "application/json"),
    )
    .await;
    let err = discover_at(&server, &fast()).await.unwrap_err();
    let url = format!("{}/api/tags", server.uri());
    assert!(
        matches!(&err, DiscoverError::Http { status: 500, error, .. } if error.error == "disk full"),
        "{err:?}"
    );
    assert_eq!(err.url(), url);
    assert_eq!(
        err.to_string(),
        format!("{url} answered HTTP 500: disk full")
    );
}

#[tokio::test]
async fn tags_plain_text_error_from_a_proxy() {
    let server = tags_server(ResponseTemplate::new(502).set_body_string("Bad Gateway\n")).await;
    let err = discover_at(&server, &fast()).await.unwrap_err();
    assert!(
        matches!(&err, DiscoverError::Http { status: 502, error, .. } if error.error == "Bad Gateway"),
        "{err:?}"
    );
}

#[tokio::test]
async fn tags_garbage_body_is_malformed_not_empty() {
    for body in ["not json", "{\"models\":7}", "[]", ""] {
        let server = tags_server(ResponseTemplate::new(200).set_body_string(body)).await;
        let err = discover_at(&server, &fast()).await.unwrap_err();
        assert!(
            matches!(err, DiscoverError::Malformed { .. }),
            "{body:?}: {err:?}"
        );
        assert_eq!(err.url(), format!("{}/api/tags", server.uri()));
    }
}

#[tokio::test]
async fn tags_hanging_past_the_timeout() {
    let server = tags_server(
        ResponseTemplate::new(200)
            .set_body_json(tags_body(&[]))
            .set_delay(Duration::from_secs(10)),
    )
    .await;
    let options = fast().with_tags_timeout(Duration::from_millis(150));
    let started = Instant::now();
    let err = discover_at(&server, &options).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        matches!(&err, DiscoverError::Timeout { after, .. } if *after == Duration::from_millis(150)),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!("no reply from {}/api/tags within 150ms", server.uri())
    );
}

#[tokio::test]
async fn connection_refused_is_unreachable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let plan = DiscoveryPlan::new(BaseUrl::parse(&format!("http://127.0.0.1:{port}")).unwrap());
    let err = discover(&reqwest::Client::new(), &plan, &fast())
        .await
        .unwrap_err();
    assert!(matches!(err, DiscoverError::Unreachable { .. }), "{err:?}");
    assert_eq!(err.url(), format!("http://127.0.0.1:{port}/api/tags"));
    assert!(err.to_string().starts_with(&format!(
        "Ollama could not be reached at http://127.0.0.1:{port}/api/tags"
    )));
}

#[tokio::test]
async fn empty_server_is_an_empty_catalog_without_show_requests() {
    let server = tags_server(
        ResponseTemplate::new(200).set_body_raw(r#"{"models":[]}"#, "application/json"),
    )
    .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let catalog = discover_at(&server, &fast()).await.unwrap();
    assert!(catalog.models().is_empty());
    assert!(catalog.diagnostics.is_empty());
}

/// `fetch_show` returns the server's whole show reply.
#[tokio::test]
async fn fetch_show_returns_the_reply() {
    let server = MockServer::start().await;
    mount_show(
        &server,
        "gemma3",
        show_ok("gemma3", 32768, &["completion", "tools"]),
    )
    .await;
    let show = ollama_catalog::fetch_show(
        &reqwest::Client::new(),
        &plan(&server),
        "gemma3",
        Duration::from_millis(500),
    )
    .await
    .unwrap();
    let info = show.model_info.as_ref().unwrap();
    assert_eq!(info.architecture(), Some("gemma3".to_owned()));
    assert_eq!(info.context_length(), Some(32768));
    assert_eq!(show.capabilities.map(|c| c.len()), Some(2));
}

/// A server that accepts the connection and then breaks off the body is a transport error,
/// not "unreachable".
#[tokio::test]
async fn a_body_cut_by_the_server_is_a_transport_error() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        if let Ok((mut socket, _)) = listener.accept() {
            let mut request = [0u8; 1024];
            let _ = socket.read(&mut request);
            let _ = socket.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"mo",
            );
        } // dropped: the connection closes 96 bytes short
    });
    let plan = DiscoveryPlan::new(BaseUrl::parse(&format!("http://127.0.0.1:{port}")).unwrap());
    let err = discover(&reqwest::Client::new(), &plan, &fast())
        .await
        .unwrap_err();
    assert!(matches!(err, DiscoverError::Transport { .. }), "{err:?}");
    assert_eq!(err.url(), format!("http://127.0.0.1:{port}/api/tags"));
}
