//! Properties of the SSE and chat-completion chunk decoders.

use std::fmt::Debug;

use openai_wire::DecodeError;
use openai_wire::chunks::{StreamDecoder, StreamItem};
use openai_wire::sse::{Frame, SseConfig, SseDecoder, SseEncoder, SseError};
use serde::de::DeserializeOwned;

use crate::{Input, Transcript, assert_heap_within, assert_split_invariant, live_bytes};

/// Small limits so that fuzz inputs hit them. Flags: bit 0 line limit 64 (else 1024), bit 1
/// event limit 256 (else 4096), bit 2 surface comments, bit 3 dispatch dataless blocks.
pub fn config(flags: u8) -> SseConfig {
    SseConfig::default()
        .with_max_line_bytes(if flags & 1 == 0 { 1024 } else { 64 })
        .with_max_event_bytes(if flags & 2 == 0 { 4096 } else { 256 })
        .with_comments(flags & 4 != 0)
        .with_dispatch_dataless(flags & 8 != 0)
}

/// What an SSE decoder may hold after draining: its buffer (a partial line and one pushed
/// chunk; capacity is only given back above 4 × max(len, 64 KiB)), one event's data and the
/// type/id strings (lossy decoding can triple a line's size).
pub(crate) fn heap_bound(config: &SseConfig, piece: usize) -> usize {
    4 * 64 * 1024
        + 2 * (config.max_line_bytes + 2 + piece)
        + 2 * config.max_event_bytes
        + 18 * config.max_line_bytes
        + 4096
}

fn check_sse_item(config: &SseConfig, item: &Result<Frame, SseError>) {
    match item {
        Ok(Frame::Event(event)) => {
            // The limit counts received bytes; each invalid byte becomes a 3-byte U+FFFD.
            let growth = if event.data.contains('\u{FFFD}') {
                3
            } else {
                1
            };
            assert!(
                event.data.len() < growth * config.max_event_bytes.max(1),
                "{event:?}"
            );
            assert!(!event.data.contains('\r'));
            assert!(event.event.as_deref() != Some(""), "empty type is None");
            assert!(!event.id.contains('\0'), "ids with NUL are ignored");
        }
        Ok(Frame::Comment(text)) => {
            assert!(config.comments, "comment frame while comments are off");
            assert!(!text.contains(['\r', '\n']));
        }
        Ok(other) => panic!("unknown frame {other:?}"),
        Err(SseError::LineTooLong { limit, .. }) => assert_eq!(*limit, config.max_line_bytes),
        Err(SseError::EventTooLarge { limit, .. }) => assert_eq!(*limit, config.max_event_bytes),
        Err(other) => panic!("unknown SSE error {other:?}"),
    }
}

fn run_sse(
    pieces: &[&[u8]],
    config: &SseConfig,
    record: bool,
    mut frames: Option<&mut Vec<Frame>>,
) -> Transcript {
    let mut transcript = Transcript::new(record);
    let mut decoder = SseDecoder::with_config(config.clone());
    let baseline = live_bytes();
    let mut pushed = 0u64;
    let mut largest = 0;
    for piece in pieces {
        largest = largest.max(piece.len());
        decoder.push(piece);
        pushed += piece.len() as u64;
        assert_eq!(decoder.bytes_received(), pushed);
        while let Some(item) = decoder.next() {
            check_sse_item(config, &item);
            if let (Some(frames), Ok(frame)) = (frames.as_deref_mut(), &item) {
                frames.push(frame.clone());
            }
            transcript.add(&(item, decoder.last_offset()));
        }
        if !record && frames.is_none() {
            assert_heap_within(baseline, heap_bound(config, largest), "SseDecoder");
        }
    }
    transcript.add(&decoder.finish());
    transcript.add(&(decoder.last_event_id(), decoder.reconnection_time()));
    assert_eq!(decoder.bytes_received(), 0, "finish() resets the decoder");
    transcript
}

/// Encoding decoded frames and decoding the result gives the same frames.
fn assert_reencodes(config: &SseConfig, frames: &[Frame]) {
    let mut encoder = SseEncoder::new();
    let mut out = Vec::new();
    for frame in frames {
        match frame {
            Frame::Event(event) => encoder.encode(event, &mut out),
            Frame::Comment(text) => encoder.comment(text, &mut out),
            other => panic!("unknown frame {other:?}"),
        }
        .unwrap_or_else(|e| panic!("a decoded frame must encode: {e}: {frame:?}"));
    }
    let config = SseConfig::default()
        .with_comments(config.comments)
        .with_dispatch_dataless(config.dispatch_dataless);
    let mut decoder = SseDecoder::with_config(config);
    decoder.push(&out);
    let again: Vec<Frame> = (&mut decoder)
        .map(|item| item.unwrap_or_else(|e| panic!("re-encoded stream hit a limit: {e}")))
        .collect();
    assert_eq!(again, frames, "{}", String::from_utf8_lossy(&out));
    assert_eq!(decoder.finish(), Ok(()));
}

/// The `sse_events` target body.
pub fn sse_target(data: &[u8]) {
    let Some(input) = Input::parse(data) else {
        return;
    };
    let config = config(input.flags);
    assert_split_invariant(&input, |pieces, record| {
        run_sse(pieces, &config, record, None)
    });
    let mut frames = Vec::new();
    run_sse(&[&input.body], &config, false, Some(&mut frames));
    assert_reencodes(&config, &frames);
}

fn run_chunks<T: DeserializeOwned + Debug>(
    pieces: &[&[u8]],
    config: &SseConfig,
    record: bool,
) -> Transcript {
    let mut transcript = Transcript::new(record);
    let mut decoder = StreamDecoder::<T>::with_config(config.clone());
    let baseline = live_bytes();
    let mut done = false;
    let mut after_done = 0;
    let mut chunks = 0;
    let mut largest = 0;
    for piece in pieces {
        largest = largest.max(piece.len());
        decoder.push(piece);
        while let Some(item) = decoder.next() {
            if done {
                // After [DONE]: one AfterEnd at most, then nothing.
                assert!(
                    matches!(item, Err(DecodeError::AfterEnd { .. })),
                    "after [DONE]: {item:?}"
                );
                after_done += 1;
                assert_eq!(after_done, 1, "AfterEnd is reported once");
            }
            match &item {
                Ok(StreamItem::Done) => done = true,
                Ok(StreamItem::Chunk(_)) => chunks += 1,
                Ok(other) => panic!("unknown item {other:?}"),
                Err(DecodeError::Sse(SseError::LineTooLong { limit, .. })) => {
                    assert_eq!(*limit, config.max_line_bytes);
                }
                Err(DecodeError::Sse(SseError::EventTooLarge { limit, .. })) => {
                    assert_eq!(*limit, config.max_event_bytes);
                }
                Err(DecodeError::Truncated { .. }) => panic!("Truncated from next()"),
                Err(_) => {}
            }
            assert_eq!(decoder.is_done(), done);
            assert_eq!(decoder.chunks(), chunks);
            transcript.add(&item);
        }
        if !record {
            assert_heap_within(baseline, heap_bound(config, largest), "StreamDecoder");
        }
    }
    let end = decoder.finish();
    match &end {
        Ok(()) => assert!(done, "finish() is Ok only after [DONE]"),
        Err(DecodeError::Truncated { chunks: c, .. }) => {
            assert!(!done);
            assert_eq!(*c, chunks);
        }
        // Unfinished input after [DONE] is data after the end, when none was reported yet.
        Err(DecodeError::AfterEnd { .. }) => {
            assert!(done, "AfterEnd from finish() before [DONE]");
            after_done += 1;
            assert_eq!(after_done, 1, "AfterEnd is reported once");
        }
        Err(other) => panic!("finish() gave {other:?}"),
    }
    transcript.add(&end);
    transcript
}

/// The `openai_chunk_stream` target body. Flags bits 4..=5 pick the chunk type: 0
/// `ChatCompletionChunk` (`/v1/chat/completions`), 1 `serde_json::Value` (any chunk), 2 and 3
/// `CompletionChunk` (`/v1/completions`).
pub fn chunk_target(data: &[u8]) {
    let Some(input) = Input::parse(data) else {
        return;
    };
    let config = config(input.flags);
    match (input.flags >> 4) & 3 {
        0 => assert_split_invariant(&input, |pieces, record| {
            run_chunks::<openai_wire::chat::ChatCompletionChunk>(pieces, &config, record)
        }),
        1 => assert_split_invariant(&input, |pieces, record| {
            run_chunks::<serde_json::Value>(pieces, &config, record)
        }),
        _ => assert_split_invariant(&input, |pieces, record| {
            run_chunks::<openai_wire::completions::CompletionChunk>(pieces, &config, record)
        }),
    }
}
