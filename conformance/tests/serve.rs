//! `conformance serve` over real HTTP, read through the wire crates' async adapters.

use std::net::SocketAddr;

use conformance::serve::{CASE_HEADER, TRANSLATE_HEADER, serve};
use futures_util::{StreamExt, TryStreamExt};
use ollama_wire::{ChatAccumulator, ChatStream};
use openai_wire::chunks::StreamItem;
use openai_wire::stream::DecodeStream;

async fn start() -> SocketAddr {
    let cases = conformance::load(&conformance::default_fixtures_dir()).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(listener, cases));
    addr
}

async fn post(addr: SocketAddr, path: &str, case: Option<&str>, body: &str) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .post(format!("http://{addr}{path}"))
        .body(body.to_owned());
    if let Some(case) = case {
        request = request.header(CASE_HEADER, case);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn native_stream_is_served_byte_exact_and_decodes_through_the_adapter() {
    let addr = start().await;
    let case = "ollama/chat-stream-tool-call-on-done-chunk-gpt-oss";
    let response = post(addr, "/api/chat", Some(case), "{}").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/x-ndjson");
    assert_eq!(response.headers()[CASE_HEADER], case);
    let chunks: Vec<_> = ChatStream::new(response.bytes_stream())
        .try_collect()
        .await
        .unwrap();
    let mut acc = ChatAccumulator::new();
    chunks.into_iter().for_each(|c| acc.push(c));
    let reply = acc.finish();
    assert_eq!(reply.message.tool_calls()[0].function.name, "get_time");
    assert_eq!(
        reply.message.thinking(),
        "The user asks for the time. Call get_time."
    );

    // The same bytes as the fixture, whatever the chunking.
    let bytes = post(addr, "/api/chat", Some(case), "{}")
        .await
        .bytes()
        .await
        .unwrap();
    let fixture = std::fs::read(
        conformance::default_fixtures_dir()
            .join(case)
            .join("response.body"),
    )
    .unwrap();
    assert_eq!(bytes, fixture);
}

#[tokio::test]
async fn sse_stream_is_matched_by_request_body_and_decodes_through_the_adapter() {
    let addr = start().await;
    let dir = conformance::default_fixtures_dir().join("openai/lcpp-chat-stream");
    let request = std::fs::read_to_string(dir.join("request.json")).unwrap();
    let response = post(addr, "/v1/chat/completions", None, &request).await;
    assert_eq!(response.headers()[CASE_HEADER], "openai/lcpp-chat-stream");
    let items: Vec<_> =
        DecodeStream::<_, openai_wire::chat::ChatCompletionChunk>::new(response.bytes_stream())
            .collect()
            .await;
    let chunks = items
        .iter()
        .filter(|i| matches!(i, Ok(StreamItem::Chunk(_))))
        .count();
    assert_eq!(chunks, 34); // as counted by hand in the case's [expect]
    assert!(
        matches!(items.last(), Some(Ok(StreamItem::Done))),
        "{:?}",
        items.last()
    );
}

#[tokio::test]
async fn unmatched_requests_get_a_json_404_that_says_how_to_pick_a_case() {
    let addr = start().await;
    let response = post(addr, "/api/chat", None, r#"{"model":"nope"}"#).await;
    assert_eq!(response.status(), 404);
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains(CASE_HEADER));
    let response = post(addr, "/api/chat", Some("ollama/no-such-case"), "{}").await;
    assert_eq!(response.status(), 404);
}

async fn post_translated(addr: SocketAddr, path: &str, case: &str, to: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("http://{addr}{path}"))
        .header(CASE_HEADER, case)
        .header(TRANSLATE_HEADER, to)
        .body("{}")
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_stream_of_any_wire_is_served_translated_to_the_wire_asked_for() {
    let addr = start().await;
    let cases = conformance::load(&conformance::default_fixtures_dir()).unwrap();
    let case = "ollama/chat-stream-thinking-then-content";
    let source = cases
        .iter()
        .find(|c| format!("{}/{}", c.wire, c.id) == case)
        .unwrap();
    for (to, path, content_type) in [
        ("anthropic", "/v1/messages", "text/event-stream"),
        ("responses", "/v1/responses", "text/event-stream"),
        ("openai", "/v1/chat/completions", "text/event-stream"),
        ("ollama", "/api/chat", "application/x-ndjson"),
    ] {
        let response = post_translated(addr, path, case, to).await;
        assert_eq!(response.status(), 200, "{to}");
        assert_eq!(response.headers()["content-type"], content_type, "{to}");
        assert_eq!(response.headers()[CASE_HEADER], case, "{to}");
        assert_eq!(response.headers()[TRANSLATE_HEADER], to, "{to}");
        let bytes = response.bytes().await.unwrap();
        let wire = conformance::serve::parse_wire(to).unwrap();
        assert_eq!(
            bytes,
            conformance::serve::translated(source, wire).unwrap(),
            "{to}"
        );
    }
}

#[tokio::test]
async fn a_bad_translation_request_gets_a_json_400() {
    let addr = start().await;
    for (case, to, says) in [
        // No such wire: the error names the wires there are.
        (
            "ollama/chat-stream-thinking-then-content",
            "claude",
            "anthropic",
        ),
        // Only successful streams translate.
        (
            "anthropic/ollama033-msg-plain-nostream",
            "anthropic",
            "only streams",
        ),
    ] {
        let response = post_translated(addr, "/v1/messages", case, to).await;
        assert_eq!(response.status(), 400, "{case}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(body["error"].as_str().unwrap().contains(says), "{body}");
    }
}

#[test]
fn pieces_cover_the_body_exactly() {
    let body = b"{\"a\":1}\n{\"b\":2}\ndata: x\n\n";
    let pieces = conformance::serve::pieces(body, "case");
    assert!(pieces.len() > 4, "lines are cut into several pieces");
    assert_eq!(pieces.concat(), body);
}

/// A `/api/show` request is matched the way Ollama resolves model names: the catalog asks for
/// `gemma3-plain:latest` (the name `/api/tags` lists), the recording asked for `gemma3-plain`.
#[test]
fn show_requests_match_a_recording_whatever_the_tag_spelling() {
    let cases = conformance::load(&conformance::default_fixtures_dir()).unwrap();
    let post = hyper::Method::POST;
    for body in [
        &br#"{"model":"gemma3-plain:latest"}"#[..],
        br#"{"model": "gemma3-plain"}"#,
    ] {
        let case = conformance::serve::find(&cases, &post, "/api/show", None, body).unwrap();
        assert_eq!(case.id, "ollama033-show-plain");
    }
    // Another tag is another model.
    let other = conformance::serve::find(
        &cases,
        &post,
        "/api/show",
        None,
        br#"{"model":"gemma3-plain:q8"}"#,
    );
    assert!(other.is_err());
}

/// Every `/v1/responses` and `/v1/messages` fixture, asked for without translation: the
/// recorded status, media type and bytes, and, for a stream, what the wire crate's async
/// adapter reads from the HTTP body agrees with the case's hand-written `[expect]` (a clean
/// stream: that many events and no error; any other: an error).
#[tokio::test]
async fn every_typed_event_fixture_is_served_as_recorded_and_reads_through_its_adapter() {
    use conformance::Wire;
    use conformance::corpus::Outcome;

    let addr = start().await;
    let cases = conformance::load(&conformance::default_fixtures_dir()).unwrap();
    let mut streams = 0;
    let mut bodies = 0;
    for case in cases
        .iter()
        .filter(|c| matches!(c.wire, Wire::Responses | Wire::Anthropic))
    {
        let name = format!("{}/{}", case.wire, case.id);
        let response = post(addr, &case.meta.endpoint, Some(&name), "{}").await;
        assert_eq!(response.status(), case.meta.status, "{name}");
        let content_type = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(content_type, case.meta.content_type, "{name}");
        let is_stream = case.meta.status == 200
            && content_type
                .as_deref()
                .is_some_and(|t| t.starts_with("text/event-stream"));
        if !is_stream {
            assert_eq!(response.bytes().await.unwrap(), case.body, "{name}");
            bodies += 1;
            continue;
        }
        let body = response.bytes_stream();
        let (events, errors) = match case.wire {
            Wire::Responses => {
                let items: Vec<_> = openai_wire::stream::ResponsesStream::new(body)
                    .collect()
                    .await;
                let errors = items.iter().filter(|i| i.is_err()).count();
                (items.len() - errors, errors)
            }
            _ => {
                let items: Vec<_> = anthropic_wire::stream::DecodeStream::new(body)
                    .collect()
                    .await;
                let errors = items.iter().filter(|i| i.is_err()).count();
                (items.len() - errors, errors)
            }
        };
        let expect = &case.meta.expect;
        if expect.outcome == Outcome::Done {
            assert_eq!(errors, 0, "{name}");
            assert_eq!(events as u64, expect.chunks, "{name}");
        } else {
            assert!(errors > 0, "{name}: {:?} without an error", expect.outcome);
        }
        streams += 1;
    }
    // 12 + 12 recorded-or-constructed streams, 5 + 8 other replies (the corpus at the time of
    // writing; a case added later raises these).
    assert!(
        streams >= 24 && bodies >= 13,
        "{streams} streams, {bodies} bodies"
    );
}
