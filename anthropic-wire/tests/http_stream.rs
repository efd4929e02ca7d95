//! The async adapter over a byte stream: same events as the decoder, the verdict as the last
//! item, a transport error as the last item with buffered bytes dropped.

use anthropic_wire::events::StreamDecoder;
use anthropic_wire::stream::{DecodeStream, StreamError};
use anthropic_wire::{DecodeError, ErrorCategory};
use bytes::Bytes;
use futures::StreamExt;
use test_support::{Wire, case};

type Chunk = Result<Bytes, std::io::Error>;

#[tokio::test]
async fn a_recorded_stream_through_the_adapter_in_small_reads() {
    let case = case(Wire::Anthropic, "ollama033-msg-tools-stream");
    let chunks: Vec<Chunk> = case
        .body
        .chunks(13)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    let mut stream = DecodeStream::new(futures::stream::iter(chunks));
    let mut n = 0;
    while let Some(item) = stream.next().await {
        item.unwrap();
        n += 1;
    }
    assert_eq!(n, 45);
    assert_eq!(stream.decoder().chunks(), 45);
    assert!(stream.decoder().is_done());
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn a_transport_error_is_the_last_item_and_buffered_bytes_are_dropped() {
    let case = case(Wire::Anthropic, "ollama033-msg-plain-stream");
    let cut = 300; // inside the second event (the first is 218 bytes: `wc -c` of its three lines)
    let chunks: Vec<Chunk> = vec![
        Ok(Bytes::copy_from_slice(&case.body[..cut])),
        Err(std::io::Error::other("reset")),
        Ok(Bytes::copy_from_slice(&case.body[cut..])),
    ];
    let mut stream = DecodeStream::new(futures::stream::iter(chunks));
    assert!(stream.next().await.unwrap().is_ok()); // message_start
    let last = stream.next().await.unwrap().unwrap_err();
    assert!(matches!(last, StreamError::Transport(_)));
    assert_eq!(last.category(), ErrorCategory::Transport);
    assert_eq!(last.to_string(), "transport error: reset");
    assert!(stream.next().await.is_none());
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn a_cut_stream_ends_with_truncated() {
    let case = case(Wire::Anthropic, "ollama033-msg-plain-stream");
    let chunks: Vec<Chunk> = vec![Ok(Bytes::copy_from_slice(&case.body[..300]))];
    let mut stream = DecodeStream::with_decoder(
        futures::stream::iter(chunks),
        StreamDecoder::with_config(Default::default()),
    );
    assert!(stream.next().await.unwrap().is_ok());
    let last = stream.next().await.unwrap().unwrap_err();
    assert_eq!(last.category(), ErrorCategory::Truncated);
    let StreamError::Decode(DecodeError::Truncated {
        offset,
        chunks,
        sse,
    }) = &last
    else {
        panic!("{last:?}")
    };
    assert_eq!((*offset, *chunks), (300, 1));
    assert_eq!(sse.as_ref().unwrap().offset, 218);
    assert!(last.to_string().starts_with("stream ended at byte 300"));
    assert!(stream.next().await.is_none());
}
