//! The relay over real sockets, repair mode: a scripted upstream (`common`), the relay
//! in-process, reqwest reading through it.

use std::convert::Infallible;
use std::time::{Duration, Instant};

use bytes::Bytes;
use ollama_relay::Wire;
use ollama_stream_merge::{Event, MergeError, Reducer, validate};
use tokio::net::TcpListener;

mod common;

use common::*;

/// POSTs `body` to the relay's `path` with `client`, as sent (no content type added).
async fn post_raw(
    client: &reqwest::Client,
    relay: &Relay,
    path: &str,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    client
        .post(format!("{}{path}", relay.base))
        .body(body)
        .send()
        .await
        .unwrap()
}

/// GETs the relay's `path` with `client`.
async fn get(client: &reqwest::Client, relay: &Relay, path: &str) -> reqwest::Response {
    client
        .get(format!("{}{path}", relay.base))
        .send()
        .await
        .unwrap()
}

/// POSTs `{"model":"m"}` to the relay's `path`, asserts the reply's `status` and returns its
/// body as JSON.
async fn error_reply(relay: &Relay, path: &str, status: u16) -> serde_json::Value {
    let (got, _, body) = post(relay, path, r#"{"model":"m"}"#).await;
    assert_eq!(got, status, "{path}");
    serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{path}: {e}: {}", text(&body)))
}

// ------------------------------------------------------------------ tests

/// Each of the four wires, served in 1-byte frames: the client reads exactly what the
/// repairer makes of the whole body, and it is well-formed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_wires_repaired_through_a_one_byte_drip() {
    let wires = [
        (Wire::Ollama, NDJSON),
        (Wire::OpenAi, SSE),
        (Wire::Responses, SSE),
        (Wire::Anthropic, SSE),
    ];
    for (wire, content_type) in wires {
        let (path, _) = route(wire);
        let body = first_stream_fixture(wire);
        let drip: Vec<Step> = body
            .iter()
            .map(|b| Step::Send(Bytes::copy_from_slice(&[*b])))
            .collect();
        let up = upstream(move |_| Reply::steps(content_type, drip.clone())).await;
        let relay = relay(&up.base, |_| {}).await;
        let (status, headers, got) = post(&relay, path, r#"{"model":"m","stream":true}"#).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(headers["content-type"], content_type, "{path}");
        assert_eq!(text(&got), text(&repaired(wire, &body)), "{path}");
        let events = merged(wire, &got);
        assert!(validate(&events).is_ok(), "{path}");
        assert!(
            Reducer::reduce(events).is_complete(),
            "{path}: {}",
            text(&got)
        );
    }
}

/// Upstream faults after the stream started reach the client as its wire's error, then the
/// wire's terminator, and the stream ends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_mid_stream_end_with_the_wires_error() {
    let ollama_start = concat!(
        r#"{"model":"m","created_at":"2026-01-10T16:55:30Z","message":{"role":"assistant","content":"","thinking":"Hm"},"done":false}"#,
        "\n",
        r#"{"model":"m","created_at":"2026-01-10T16:55:30Z","message":{"role":"assistant","content":"Hi"},"done":false}"#,
        "\n"
    );
    let openai_start = concat!(
        "data: {\"id\":\"chatcmpl-7\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"system_fingerprint\":\"fp_ollama\",",
        "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n"
    );
    // Each wire's start, then the fault: the body dies, stalls, or turns to garbage.
    let starts = [
        (Wire::Ollama, NDJSON, ollama_start, "\u{1}garbage\n{{{"),
        (Wire::OpenAi, SSE, openai_start, "data: not json\n\n"),
    ];
    for (wire, content_type, start, garbage) in starts {
        for (what, fault) in [
            ("die", Step::Die),
            ("stall", Step::Stall),
            ("garbage", Step::Send(garbage.into())),
        ] {
            let steps = vec![Step::Send(start.into()), fault];
            let up = upstream(move |_| Reply::steps(content_type, steps.clone())).await;
            let relay = relay(&up.base, |_| {}).await;
            let (path, _) = route(wire);
            let started = Instant::now();
            let (status, _, got) = post(&relay, path, r#"{"model":"m"}"#).await;
            assert!(started.elapsed() < Duration::from_secs(5), "{what} {path}");
            assert_eq!(status, 200);
            let got = text(&got);
            if content_type == NDJSON {
                let lines: Vec<&str> = got.lines().collect();
                assert_eq!(lines.len(), 3, "{what}: {got}");
                assert!(lines[0].contains(r#""thinking":"Hm""#), "{what}: {got}");
                assert!(lines[1].contains(r#""content":"Hi""#), "{what}: {got}");
                let error: serde_json::Value = serde_json::from_str(lines[2]).unwrap();
                assert!(
                    error["error"].as_str().unwrap().contains("cut"),
                    "{what}: {got}"
                );
            } else {
                assert!(
                    got.contains(r#""id":"chatcmpl-7""#),
                    "{what}: identity kept: {got}"
                );
                assert!(
                    got.contains(r#""system_fingerprint":"fp_ollama""#),
                    "{what}: {got}"
                );
                assert!(got.ends_with("data: [DONE]\n\n"), "{what}: {got}");
                let error_event = got
                    .split("\n\n")
                    .find(|e| e.starts_with("data: {\"error\""))
                    .unwrap_or_else(|| panic!("{what}: no error event: {got}"));
                let error: serde_json::Value =
                    serde_json::from_str(error_event.trim_start_matches("data: ")).unwrap();
                assert_eq!(error["error"]["type"], "api_error", "{what}");
                assert!(error["error"]["param"].is_null());
            }
            assert_one_upstream_error(wire, got.as_bytes(), &format!("{what} {path}"));
        }
    }
}

/// The Responses and Anthropic wires end a cut with `response.failed` and an `error` event.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cut_responses_and_messages_fail_in_their_wire() {
    for (wire, marker) in [
        (Wire::Responses, "event: response.failed\n"),
        (Wire::Anthropic, "event: error\n"),
    ] {
        let (path, _) = route(wire);
        let body = first_stream_fixture(wire);
        let half = body.slice(..body.len() / 2);
        let up =
            upstream(move |_| Reply::steps(SSE, vec![Step::Send(half.clone()), Step::Die])).await;
        let relay = relay(&up.base, |_| {}).await;
        let (status, _, got) = post(&relay, path, r#"{"model":"m"}"#).await;
        assert_eq!(status, 200);
        let got_text = text(&got);
        assert!(got_text.contains(marker), "{path}: {got_text}");
        assert_one_upstream_error(wire, &got, path);
    }
}

/// ollama/ollama#17101 through the relay: balanced blocks for the Anthropic client.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_17101_is_repaired_for_anthropic_clients() {
    let body = fixture(
        test_support::Wire::Anthropic,
        "issue-17101-thinking-block-over-open-text-block",
    );
    assert!(merged(Wire::Anthropic, &body).iter().any(|e| matches!(
        e,
        Event::Error {
            error: MergeError::Wire(_)
        }
    )));
    let up = upstream(move |_| Reply::body(SSE, body.clone())).await;
    let relay = relay(&up.base, |_| {}).await;
    let (_, _, got) = post(&relay, "/v1/messages", r#"{"model":"m","stream":true}"#).await;
    let events = merged(Wire::Anthropic, &got);
    assert!(validate(&events).is_ok());
    assert!(Reducer::reduce(events).is_complete(), "{}", text(&got));
}

/// OpenAI deltas carrying reasoning and content in one chunk come out as two chunks,
/// reasoning first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mixed_openai_delta_is_split_reasoning_first() {
    let body = concat!(
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":5,\"model\":\"qwen3\",",
        "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\",\"reasoning\":\"Hmm.\"},\"finish_reason\":null}]}\n\n",
        "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":5,\"model\":\"qwen3\",",
        "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"!\"},\"finish_reason\":\"stop\"}]}\n\n",
        "data: [DONE]\n\n"
    );
    let up = upstream(move |_| Reply::body(SSE, body)).await;
    let relay = relay(&up.base, |_| {}).await;
    let (_, _, got) = post(
        &relay,
        "/v1/chat/completions",
        r#"{"model":"qwen3","stream":true}"#,
    )
    .await;
    let got = text(&got);
    let events: Vec<&str> = got.split("\n\n").filter(|e| !e.is_empty()).collect();
    assert!(
        events[0].contains(r#""reasoning":"Hmm.""#) && !events[0].contains("content"),
        "{got}"
    );
    assert!(
        events[1].contains(r#""content":"Hi""#) && !events[1].contains("reasoning"),
        "{got}"
    );
    assert!(got.contains(r#""id":"c1""#) && got.contains(r#""created":5"#));
    assert!(got.ends_with("data: [DONE]\n\n"));
}

/// Before the stream: upstream down → 502, no headers in time → 504, a 500 forwarded as is.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_before_the_stream_are_the_wires_error_bodies() {
    // A port with nobody listening.
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead = closed.local_addr().unwrap().to_string();
    drop(closed);
    let relay_down = relay(&dead, |_| {}).await;
    let body = error_reply(&relay_down, "/api/chat", 502).await;
    assert!(
        body["error"].as_str().unwrap().contains("cannot connect"),
        "{body}"
    );
    let body = error_reply(&relay_down, "/v1/chat/completions", 502).await;
    assert_eq!(body["error"]["type"], "api_error");
    assert!(body["error"]["code"].is_null() && body["error"]["param"].is_null());
    let body = error_reply(&relay_down, "/v1/messages", 502).await;
    assert_eq!(body["type"], "error");
    assert_eq!(body["error"]["type"], "api_error");

    let slow = upstream(|_| Reply {
        head_delay: Duration::from_secs(3),
        ..Reply::body(NDJSON, "")
    })
    .await;
    let relay_slow = relay(&slow.base, |_| {}).await;
    let body = error_reply(&relay_slow, "/v1/responses", 504).await;
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no response")
    );

    let failing = upstream(|_| Reply {
        status: 500,
        ..Reply::body(
            "application/json; charset=utf-8",
            r#"{"error":"model runner crashed"}"#,
        )
    })
    .await;
    let relay_500 = relay(&failing.base, |_| {}).await;
    let (status, _, body) = post(&relay_500, "/api/chat", r#"{"model":"m"}"#).await;
    assert_eq!(status, 500);
    assert_eq!(&body[..], br#"{"error":"model runner crashed"}"#);
}

/// Every other route: request and response bytes unchanged, streamed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passthrough_is_byte_exact() {
    // Odd bytes: no trailing newline, an invalid UTF-8 byte, spaces the re-encoders would drop.
    let tags: &'static [u8] = b"{ \"models\" : [ ] }\xff";
    let pull = "{\"status\":\"pulling manifest\"}\n{\"status\":\"success\"}\n";
    let up = upstream(move |request| match request.uri.as_str() {
        "/api/tags" => Reply::steps(
            "application/json; charset=utf-8",
            vec![
                Step::Send(Bytes::from_static(&tags[..5])),
                Step::Sleep(Duration::from_millis(20)),
                Step::Send(Bytes::from_static(&tags[5..])),
            ],
        ),
        "/api/pull?insecure=false" => Reply::body(NDJSON, pull),
        "/" => Reply::body("text/plain; charset=utf-8", "Ollama is running"),
        "/api/embed" => Reply::body(
            "application/json; charset=utf-8",
            "{\"embeddings\" :[[0.5]]}",
        ),
        _ => Reply {
            status: 404,
            ..Reply::body("text/plain", "404 page not found")
        },
    })
    .await;
    let relay = relay(&up.base, |_| {}).await;
    let client = client();
    let got = get(&client, &relay, "/api/tags").await;
    assert_eq!(got.status(), 200);
    assert_eq!(&got.bytes().await.unwrap()[..], tags);

    let request_body = "{ \"model\" :\"m\" , \"x\":\"\u{e9}\"}";
    let got = post_raw(&client, &relay, "/api/pull?insecure=false", request_body).await;
    assert_eq!(got.headers()["content-type"], NDJSON);
    assert_eq!(got.text().await.unwrap(), pull);
    let got = post_raw(&client, &relay, "/api/embed", request_body).await;
    assert_eq!(got.text().await.unwrap(), "{\"embeddings\" :[[0.5]]}");
    let got = client
        .head(format!("{}/", relay.base))
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), 200);
    let got = get(&client, &relay, "/api/nothing").await;
    assert_eq!(got.status(), 404);
    assert_eq!(got.text().await.unwrap(), "404 page not found");

    let requests = up.requests.lock().unwrap().clone();
    let pull_request = requests
        .iter()
        .find(|r| r.uri == "/api/pull?insecure=false")
        .unwrap();
    assert_eq!(pull_request.method, "POST");
    assert_eq!(&pull_request.body[..], request_body.as_bytes());
    assert!(requests.iter().any(|r| r.method == "HEAD" && r.uri == "/"));
    // The relay routes by its configuration, not the client's Host.
    assert!(
        requests
            .iter()
            .all(|r| r.headers["host"].to_str().unwrap() == up.base)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_is_answered_by_the_relay() {
    let up = upstream(|_| Reply::body("text/plain", "upstream")).await;
    let relay = relay(&up.base, |c| c.api_key = Some("k".into())).await;
    let got = get(&client(), &relay, "/health").await;
    assert_eq!(got.status(), 200);
    assert_eq!(got.text().await.unwrap(), r#"{"status":"ok"}"#);
    assert!(up.requests.lock().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_key_is_required_and_never_forwarded() {
    let up = upstream(|_| Reply::body("application/json", "{}")).await;
    let relay = relay(&up.base, |c| c.api_key = Some("s3cret".into())).await;
    let client = client();
    let url = |path: &str| format!("{}{path}", relay.base);

    // Each wire's way to send the key, missing or wrong: 401 with the wire's error body.
    for (request, error_type) in [
        // Ollama's error is a string.
        (client.get(url("/api/tags")), None),
        (
            client
                .post(url("/v1/messages"))
                .header("x-api-key", "wrong")
                .body("{}"),
            Some("authentication_error"),
        ),
        (
            client
                .post(url("/v1/chat/completions"))
                .bearer_auth("nope")
                .body("{}"),
            Some("invalid_request_error"),
        ),
    ] {
        let got = request.send().await.unwrap();
        assert_eq!(got.status(), 401);
        let body: serde_json::Value = serde_json::from_slice(&got.bytes().await.unwrap()).unwrap();
        match error_type {
            None => assert!(body["error"].is_string(), "{body}"),
            Some(error_type) => assert_eq!(body["error"]["type"], error_type, "{body}"),
        }
    }
    assert!(
        up.requests.lock().unwrap().is_empty(),
        "refused requests are not forwarded"
    );

    for request in [
        client.get(url("/api/tags")).bearer_auth("s3cret"),
        client
            .post(url("/v1/messages"))
            .header("x-api-key", "s3cret")
            .body("{}"),
    ] {
        assert_eq!(request.send().await.unwrap().status(), 200);
    }
    let requests = up.requests.lock().unwrap().clone();
    assert_eq!(requests.len(), 2);
    for request in requests {
        assert!(!request.headers.contains_key("authorization"));
        assert!(!request.headers.contains_key("x-api-key"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn body_limit_is_413_in_the_wires_shape() {
    let up = upstream(|_| Reply::body("application/json", "{}")).await;
    let relay = relay(&up.base, |c| c.max_body_bytes = 64).await;
    let big = format!(r#"{{"model":"m","pad":"{}"}}"#, "x".repeat(100));
    let client = client();
    for (path, check) in [
        ("/api/chat", "error"),
        ("/v1/chat/completions", "invalid_request_error"),
        ("/v1/messages", "request_too_large"),
        ("/api/show", "error"),
    ] {
        let got = post_raw(&client, &relay, path, big.clone()).await;
        assert_eq!(got.status(), 413, "{path}");
        let text = got.text().await.unwrap();
        assert!(text.contains(check), "{path}: {text}");
    }
    // A streamed (chunked) body over the limit on a passthrough route, too.
    let chunks: Vec<Result<Bytes, Infallible>> =
        (0..10).map(|_| Ok(Bytes::from("x".repeat(20)))).collect();
    let streamed = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let got = post_raw(&client, &relay, "/api/create", streamed).await;
    assert_eq!(got.status(), 413);
    let got = post_raw(&client, &relay, "/api/chat", r#"{"model":"m"}"#).await;
    assert_eq!(got.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_limit_is_503() {
    let line =
        "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"a\"},\"done\":false}\n";
    let up =
        upstream(move |_| Reply::steps(NDJSON, vec![Step::Send(line.into()), Step::Stall])).await;
    let relay = relay(&up.base, |c| {
        c.max_streams = 1;
        c.idle_timeout = None;
    })
    .await;
    let client = client();
    let mut first = post_raw(&client, &relay, "/api/chat", r#"{"model":"m"}"#).await;
    assert_eq!(first.status(), 200);
    let _ = first.chunk().await;
    let got = post_raw(&client, &relay, "/v1/chat/completions", r#"{"model":"m"}"#).await;
    assert_eq!(got.status(), 503);
    assert!(got.headers().contains_key("retry-after"));
    let body: serde_json::Value = serde_json::from_slice(&got.bytes().await.unwrap()).unwrap();
    assert_eq!(body["error"]["type"], "api_error");
    // Passthrough routes take no slot.
    let got = get(&client, &relay, "/api/tags").await;
    assert_eq!(got.status(), 200);
    drop(first);
}

/// A client that goes away: the upstream connection is closed promptly, long before the
/// upstream's next chunk.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_disconnect_closes_the_upstream() {
    let line = r#"{"model":"m","message":{"role":"assistant","content":"tick"},"done":false}"#;
    let mut steps = Vec::new();
    for _ in 0..20 {
        steps.push(Step::Send(format!("{line}\n").into()));
        steps.push(Step::Sleep(Duration::from_secs(5)));
    }
    let mut up = upstream(move |_| Reply::steps(NDJSON, steps.clone())).await;
    let relay = relay(&up.base, |c| c.idle_timeout = None).await;
    let mut response = post_raw(
        &client(),
        &relay,
        "/api/chat",
        r#"{"model":"m","stream":true}"#,
    )
    .await;
    let first = response.chunk().await.unwrap().unwrap();
    assert!(text(&first).contains("tick"));
    let gone = Instant::now();
    drop(response);
    let dropped = tokio::time::timeout(Duration::from_secs(3), up.dropped.recv())
        .await
        .expect("the upstream body was never dropped")
        .unwrap();
    let latency = dropped.saturating_duration_since(gone);
    eprintln!("upstream closed {latency:?} after the client went away");
    // The bound is 100 ms; the margin is for a loaded machine. The next chunk is 5 s away.
    assert!(latency < Duration::from_secs(1), "{latency:?}");
}

/// Shutdown: in-flight streams finish; a stream still running at the deadline ends with its
/// wire's error; `serve` returns.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_finishes_or_fails_streams() {
    let body = concat!(
        r#"{"model":"m","message":{"role":"assistant","content":"a"},"done":false}"#,
        "\n"
    );
    let done = r#"{"model":"m","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop"}"#;
    let up = upstream(move |request| {
        let stall = request.body.starts_with(b"{\"stall\"");
        let mut steps = vec![
            Step::Send(body.into()),
            Step::Sleep(Duration::from_millis(300)),
        ];
        steps.push(if stall {
            Step::Stall
        } else {
            Step::Send(format!("{done}\n").into())
        });
        Reply::steps(NDJSON, steps)
    })
    .await;
    let mut relay = relay(&up.base, |c| {
        c.idle_timeout = None;
        c.shutdown_grace = Duration::from_millis(800);
    })
    .await;
    let client = client();
    let finishing = post_raw(&client, &relay, "/api/chat", "{}").await;
    let stalled = post_raw(&client, &relay, "/api/chat", r#"{"stall":true}"#).await;
    relay.stop.take().unwrap().send(()).unwrap();
    let finished = text(&finishing.bytes().await.unwrap());
    assert!(finished.contains(r#""done":true"#), "{finished}");
    let failed = text(&stalled.bytes().await.unwrap());
    assert!(
        failed.lines().last().unwrap().contains("shutting down"),
        "{failed}"
    );
    tokio::time::timeout(Duration::from_secs(3), relay.done)
        .await
        .unwrap()
        .unwrap();
    // No new connections.
    assert!(
        client
            .get(format!("{}/health", relay.base))
            .send()
            .await
            .is_err()
    );
}
