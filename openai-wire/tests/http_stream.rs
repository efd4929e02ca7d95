//! A recorded llama-server stream served over real HTTP by wiremock, read by
//! reqwest in small pieces, through the async adapter.
#![cfg(feature = "stream")]

use std::path::Path;

use bytes::Bytes;
use futures::{StreamExt, stream};
use openai_wire::chat::{ChatCompletionChunk, ChatCompletionFinishReason};
use openai_wire::chunks::StreamItem;
use openai_wire::sse::SseError;
use openai_wire::stream::{DecodeStream, SseStream, StreamError};
use openai_wire::{DecodeError, ErrorCategory};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn transcript_over_http_in_small_pieces() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/transcripts/llama-server/lcpp_chat_stream.body");
    let Ok(body) = std::fs::read(&file) else {
        eprintln!("SKIPPED: {} is absent", file.display());
        return;
    };
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/event-stream"))
        .mount(&server)
        .await;
    let response = reqwest::Client::new()
        .post(format!("{}/v1/chat/completions", server.uri()))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    // Re-split whatever reqwest delivers into 5-byte pieces.
    let pieces = response.bytes_stream().flat_map(|r| {
        let parts: Vec<Result<Bytes, reqwest::Error>> = match r {
            Ok(b) => (0..b.len())
                .step_by(5)
                .map(|i| Ok(b.slice(i..(i + 5).min(b.len()))))
                .collect(),
            Err(e) => vec![Err(e)],
        };
        stream::iter(parts)
    });
    let items: Vec<_> = DecodeStream::<_, ChatCompletionChunk>::new(pieces)
        .collect()
        .await;
    assert_eq!(items.len(), 35); // 34 chunks (checked by hand) and [DONE]
    let last = items.iter().rev().nth(1).unwrap().as_ref().unwrap();
    let StreamItem::Chunk(last) = last else {
        panic!()
    };
    assert_eq!(
        last.choices[0].finish_reason,
        Some(ChatCompletionFinishReason::Length)
    );
    assert!(matches!(items[34], Ok(StreamItem::Done)));
}

#[tokio::test]
async fn cut_stream_ends_with_truncation_and_transport_errors_pass_through() {
    let pieces = stream::iter(vec![
        Ok::<_, std::io::Error>(Bytes::from_static(b"data: {\"n\":1}\n")),
        Ok(Bytes::from_static(b"\n")),
    ]);
    let items: Vec<_> = DecodeStream::<_, serde_json::Value>::new(pieces)
        .collect()
        .await;
    assert_eq!(items.len(), 2);
    match &items[1] {
        Err(e @ StreamError::Decode(DecodeError::Truncated { chunks: 1, .. })) => {
            assert_eq!(e.category(), ErrorCategory::Truncated);
        }
        other => panic!("{other:?}"),
    }

    let pieces = stream::iter(vec![
        Ok(Bytes::from_static(b"data: a\n\n")),
        Err(std::io::Error::other("reset")),
    ]);
    let frames: Vec<_> = SseStream::new(pieces).collect().await;
    assert_eq!(frames.len(), 2);
    assert!(frames[0].is_ok());
    assert_eq!(
        frames[1].as_ref().unwrap_err().category(),
        ErrorCategory::Transport
    );
}

#[tokio::test]
async fn transport_error_is_the_last_item_and_owes_no_verdict() {
    // As in ollama-wire's adapter: the partial event held at the failure is dropped, no
    // `Truncated` follows, and nothing after the error is read.
    let pieces = stream::iter(vec![
        Ok(Bytes::from_static(b"data: {\"n\":1}\n\ndata: {\"n\"")),
        Err(std::io::Error::other("connection reset")),
        Ok(Bytes::from_static(b":2}\n\ndata: [DONE]\n\n")),
    ]);
    let items: Vec<_> = DecodeStream::<_, serde_json::Value>::new(pieces)
        .collect()
        .await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(matches!(&items[0], Ok(StreamItem::Chunk(v)) if v["n"] == 1));
    match &items[1] {
        Err(e @ StreamError::Transport(io)) => {
            assert_eq!(io.to_string(), "connection reset");
            assert_eq!(e.category(), ErrorCategory::Transport);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_cut_sse_stream_ends_with_its_truncation() {
    let pieces = stream::iter(vec![
        Ok::<_, std::io::Error>(Bytes::from_static(b"data: a\n\n")),
        Ok(Bytes::from_static(b"data: cut")),
    ]);
    let frames: Vec<_> = SseStream::new(pieces).collect().await;
    assert_eq!(frames.len(), 2, "{frames:?}");
    assert!(frames[0].is_ok());
    match &frames[1] {
        Err(e @ openai_wire::stream::SseStreamError::Decode(SseError::Truncated(t))) => {
            assert_eq!(e.category(), ErrorCategory::Truncated);
            assert_eq!(t.offset, 9);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_sse_adapter_shows_its_decoder_state() {
    let pieces = stream::iter(vec![Ok::<_, std::io::Error>(Bytes::from_static(
        b"id: 42\nretry: 3000\ndata: a\n\n",
    ))]);
    let mut frames = SseStream::new(pieces);
    assert_eq!(frames.decoder().last_event_id(), "");
    assert!(frames.next().await.unwrap().is_ok());
    assert_eq!(frames.decoder().last_event_id(), "42");
    assert_eq!(frames.decoder().reconnection_time(), Some(3000));
}
