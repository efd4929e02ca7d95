//! Real HTTP round trips through the async adapter, against a wiremock server.

use std::path::Path;

use futures::{StreamExt, TryStreamExt, stream};
use ollama_wire::{
    BodyKind, ChatAccumulator, ChatStream, DecodeError, StreamError, classify, decode_error_body,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fixture(id: &str) -> Vec<u8> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/ollama")
        .join(id)
        .join("response.body");
    std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

async fn serve(status: u16, content_type: &str, body: Vec<u8>) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/chat"))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body, content_type))
        .mount(&server)
        .await;
    server
}

/// Posts a chat request and returns status, content type and the body as a byte stream cut into
/// `piece`-byte parts (the adapter sees many small chunks, split anywhere).
async fn post(
    server: &MockServer,
    piece: usize,
) -> (
    u16,
    Option<String>,
    impl futures::Stream<Item = Result<bytes::Bytes, reqwest::Error>>,
) {
    let response = reqwest::Client::new()
        .post(format!("{}/api/chat", server.uri()))
        .body(r#"{"model":"gpt-oss:20b","messages":[{"role":"user","content":"time?"}]}"#)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response.bytes_stream().flat_map(move |chunk| {
        let pieces: Vec<Result<bytes::Bytes, reqwest::Error>> = match chunk {
            Ok(bytes) => (0..bytes.len())
                .step_by(piece)
                .map(|i| Ok(bytes.slice(i..(i + piece).min(bytes.len()))))
                .collect(),
            Err(e) => vec![Err(e)],
        };
        stream::iter(pieces)
    });
    (status, content_type, body)
}

#[tokio::test]
async fn tool_call_on_the_done_chunk_arrives_over_http_in_small_chunks() {
    let server = serve(
        200,
        "application/x-ndjson",
        fixture("chat-stream-tool-call-on-done-chunk-gpt-oss"),
    )
    .await;
    let (status, content_type, body) = post(&server, 5).await;
    assert_eq!(
        classify(status, content_type.as_deref()),
        BodyKind::NdjsonStream
    );

    let chunks: Vec<_> = ChatStream::new(body).try_collect().await.unwrap();
    assert_eq!(chunks.len(), 11);
    let mut acc = ChatAccumulator::new();
    chunks.into_iter().for_each(|c| acc.push(c));
    let reply = acc.finish();
    assert_eq!(
        reply.message.thinking(),
        "The user asks for the time. Call get_time."
    );
    assert_eq!(reply.message.content, "");
    let calls = reply.message.tool_calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].id.as_deref(), Some("call_s8sschyx"));
    assert_eq!(calls[0].function.name, "get_time");
    assert_eq!(calls[0].function.arguments.as_str(), "{}");
    assert_eq!(reply.metrics.eval_count, Some(31));
}

#[tokio::test]
async fn error_before_streaming_is_a_json_error_body() {
    let server = serve(
        404,
        "application/json; charset=utf-8",
        br#"{"error":"model 'foo' not found"}"#.to_vec(),
    )
    .await;
    let (status, content_type, body) = post(&server, 3).await;
    assert_eq!(classify(status, content_type.as_deref()), BodyKind::Error);
    let bytes: Vec<u8> = body.map_ok(|b| b.to_vec()).try_concat().await.unwrap();
    assert_eq!(decode_error_body(&bytes).error, "model 'foo' not found");
}

#[tokio::test]
async fn truncated_stream_over_http_ends_with_a_truncation_error() {
    let full = fixture("chat-stream-tool-call-on-done-chunk-gpt-oss");
    // Keep the first three lines only.
    let cut = full
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(2)
        .map(|(i, _)| i + 1)
        .unwrap();
    let server = serve(200, "application/x-ndjson", full[..cut].to_vec()).await;
    let (_, _, body) = post(&server, 7).await;
    let items: Vec<_> = ChatStream::new(body).collect().await;
    assert_eq!(items.len(), 4);
    assert!(items[..3].iter().all(Result::is_ok));
    assert!(matches!(
        items[3],
        Err(StreamError::Decode(DecodeError::Truncated {
            chunks: 3,
            ..
        }))
    ));
}

#[tokio::test]
async fn transport_error_is_reported_once_and_ends_the_stream() {
    let parts: Vec<Result<&[u8], std::io::Error>> = vec![
        Ok(b"{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"a\"},\"done\":false}\n{\"mo"),
        Err(std::io::Error::other("connection reset")),
        Ok(b"del\":\"m\"}\n"),
    ];
    let items: Vec<_> = ChatStream::new(stream::iter(parts)).collect().await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().message.content, "a");
    assert!(
        matches!(&items[1], Err(StreamError::Transport(e)) if e.to_string() == "connection reset")
    );
}

#[tokio::test]
async fn a_transport_error_abandons_the_decoder() {
    let parts: Vec<Result<&[u8], std::io::Error>> = vec![
        Ok(b"{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"a\"},\"done\":false}\n{\"mo"),
        Err(std::io::Error::other("connection reset")),
    ];
    let mut adapter = ChatStream::new(stream::iter(parts));
    assert!(adapter.next().await.unwrap().is_ok());
    // `{"mo` is held until the next push: the decoder is not finished.
    assert!(!adapter.decoder().is_finished());
    assert!(matches!(
        adapter.next().await,
        Some(Err(StreamError::Transport(_)))
    ));
    // Abandoned: closed without a verdict.
    assert!(adapter.decoder().is_finished());
    assert!(adapter.next().await.is_none());
    let (_, mut decoder) = adapter.into_parts();
    assert!(decoder.next().is_none());
}

#[test]
fn the_decoder_has_the_shared_shape_and_its_errors_their_category() {
    use ollama_wire::{Categorized, ChatStreamDecoder, ErrorCategory, PushDecoder};

    fn verdict<D: PushDecoder>(decoder: &mut D, body: &[u8]) -> Vec<Result<D::Output, D::Error>> {
        PushDecoder::push(decoder, body);
        let mut items: Vec<_> = decoder.by_ref().collect();
        items.extend(PushDecoder::finish(decoder).err().map(Err));
        items
    }

    let line = b"{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"a\"},\"done\":false}\n";
    let items = verdict(&mut ChatStreamDecoder::new(), line);
    assert_eq!(items.len(), 2, "{items:?}");
    let cut = items[1].as_ref().unwrap_err();
    assert_eq!(Categorized::category(cut), ErrorCategory::Truncated);
    assert_eq!(Categorized::offset(cut), Some(line.len() as u64));

    let done =
        b"{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true}\n";
    assert_eq!(verdict(&mut ChatStreamDecoder::new(), done).len(), 1);
}
