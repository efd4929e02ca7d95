//! The `/v1/responses` async adapter over a recorded Ollama stream: the same events as the
//! sans-IO decoder, the verdict as the last item, a transport error as the last item.
#![cfg(feature = "stream")]

use bytes::Bytes;
use futures::{StreamExt, stream};
use openai_wire::ErrorCategory;
use openai_wire::responses::{ResponseStreamEvent, ResponsesStreamDecoder};
use openai_wire::sse::SseConfig;
use openai_wire::stream::{ResponsesStream, StreamError};
use test_support::{Wire, case};

fn pieces(body: &[u8], n: usize) -> Vec<Result<Bytes, std::io::Error>> {
    body.chunks(n)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect()
}

#[tokio::test]
async fn a_recorded_stream_through_the_adapter() {
    let body = case(Wire::Responses, "ollama033-resp-plain-stream").body;
    let mut decoder = ResponsesStreamDecoder::new();
    decoder.push(&body);
    let expected: Vec<ResponseStreamEvent> = (&mut decoder).map(Result::unwrap).collect();
    let mut adapter = ResponsesStream::new(stream::iter(pieces(&body, 13)));
    let mut events = Vec::new();
    while let Some(item) = adapter.next().await {
        events.push(item.unwrap());
    }
    assert_eq!(events.len(), 32);
    assert_eq!(events, expected);
    assert!(adapter.decoder().is_done());
    assert_eq!(adapter.decoder().chunks(), 32);
}

#[tokio::test]
async fn a_cut_stream_ends_with_truncated_and_a_transport_error_ends_it() {
    let body = case(Wire::Responses, "ollama033-resp-tools-stream").body;
    let cut = &body[..body.len() - 5];
    let items: Vec<_> = ResponsesStream::with_decoder(
        stream::iter(pieces(cut, 64)),
        ResponsesStreamDecoder::with_config(SseConfig::default()),
    )
    .collect()
    .await;
    assert_eq!(items.len(), 7, "six events and the verdict");
    let Some(Err(last)) = items.last() else {
        panic!()
    };
    assert_eq!(last.category(), ErrorCategory::Truncated);

    let mut source = pieces(&body[..100], 100);
    source.push(Err(std::io::Error::other("reset")));
    source.extend(pieces(&body[100..], 100));
    let items: Vec<_> = ResponsesStream::new(stream::iter(source)).collect().await;
    assert_eq!(items.len(), 1);
    assert!(matches!(items[0], Err(StreamError::Transport(_))));
}
