//! The `/v1/chat/completions` SSE stream: our decoders, the pre-split limit, and the peers.

use std::pin::pin;

use async_openai::types::chat::CreateChatCompletionStreamResponse;
use bytes::Bytes;
use futures::StreamExt;
use openai_wire::chat::{ChatCompletionChunk, ChatCompletionChunkRef};
use openai_wire::chunks::{StreamDecoder, StreamItem};
use openai_wire::sse::{FrameRef, SseDecoder};

use crate::data::Transcript;
use crate::harness::{
    self, Case, Digest, Role, byte_stream, limit_borrowed_case, merge_case, ok, parse,
    presplit_parse, pushed, pushed_items, std_utf8,
};

/// Our decoder's name in a panic.
const WHO: &str = "openai-wire";

fn add(d: &mut Digest, c: &ChatCompletionChunk) {
    d.chunks += 1;
    let reasoning = d.reasoning.get_or_insert(0);
    for choice in &c.choices {
        d.content += choice.delta.content.as_deref().map_or(0, str::len) as u64;
        *reasoning += choice.delta.reasoning.as_deref().map_or(0, str::len) as u64;
        d.tool_calls += choice.delta.tool_calls.as_deref().map_or(0, <[_]>::len) as u64;
    }
}

fn add_borrowed(d: &mut Digest, c: &ChatCompletionChunkRef<'_>) {
    d.chunks += 1;
    let reasoning = d.reasoning.get_or_insert(0);
    for choice in &c.choices {
        d.content += choice.delta.content.as_deref().map_or(0, str::len) as u64;
        *reasoning += choice.delta.reasoning.as_deref().map_or(0, str::len) as u64;
        d.tool_calls += choice.delta.tool_calls.as_deref().map_or(0, <[_]>::len) as u64;
    }
}

fn add_async_openai(d: &mut Digest, c: &CreateChatCompletionStreamResponse) {
    d.chunks += 1;
    for choice in &c.choices {
        d.content += choice.delta.content.as_deref().map_or(0, str::len) as u64;
        d.tool_calls += choice.delta.tool_calls.as_deref().map_or(0, <[_]>::len) as u64;
    }
}

/// Our typed decoder: `StreamDecoder<ChatCompletionChunk>` (SSE framing, `[DONE]`, error probe,
/// typed chunk).
pub(crate) fn ours(plan: &[Bytes]) -> Digest {
    let decoder = StreamDecoder::<ChatCompletionChunk>::new();
    pushed_items(plan, decoder, WHO, |d, item| {
        if let StreamItem::Chunk(c) = item {
            add(d, c);
        }
    })
}

/// Our typed decoder, borrowed: `StreamDecoder::next_as::<ChatCompletionChunkRef>` (same
/// framing, `[DONE]` and error rules; text without escapes is not copied).
pub(crate) fn ours_borrowed(plan: &[Bytes]) -> Digest {
    let decoder: StreamDecoder = StreamDecoder::new();
    pushed(plan, decoder, WHO, |decoder, d| {
        while let Some(item) = decoder.next_as::<ChatCompletionChunkRef<'_>>() {
            if let StreamItem::Chunk(c) = ok(item, WHO) {
                add_borrowed(d, &c);
            }
        }
    })
}

/// The full path: our chunk decoder joined to `ollama_stream_merge::Merger` by `MergeDecoder`, events
/// drained after every push.
pub(crate) fn ours_merged(plan: &[Bytes]) -> Digest {
    crate::harness::merged(
        plan,
        StreamDecoder::<ChatCompletionChunk>::new(),
        |d, item| match item {
            Ok(StreamItem::Chunk(c)) => {
                d.chunks += 1;
                for choice in &c.choices {
                    d.tool_calls += choice.delta.tool_calls.as_deref().map_or(0, <[_]>::len) as u64;
                }
            }
            Ok(_) => {}
            Err(e) => panic!("{WHO}: {e}"),
        },
    )
}

/// Our SSE framer alone (borrowed events, `SseDecoder::next_ref`), then serde_json into the
/// owned type (no `[DONE]` state machine, no error probe): shows what the chunk layer costs on
/// top of framing.
pub(crate) fn ours_sse_only(plan: &[Bytes]) -> Digest {
    pushed(plan, SseDecoder::new(), "SseDecoder", |decoder, d| {
        while let Some(frame) = decoder.next_ref() {
            match ok(frame, "SseDecoder") {
                FrameRef::Event(event) if event.data != "[DONE]" => {
                    add(d, &parse(event.data, "SseDecoder"));
                }
                _ => {}
            }
        }
    })
}

/// `eventsource-stream` (what async-openai and reqwest-eventsource run on), then `on_data` for
/// every event that is not `[DONE]`.
fn eventsource(plan: &[Bytes], mut on_data: impl FnMut(&str)) {
    harness::eventsource(plan, |event| {
        if event.data != "[DONE]" {
            on_data(&event.data);
        }
    });
}

pub(crate) fn eventsource_stream(plan: &[Bytes]) -> Digest {
    let mut d = Digest::default();
    eventsource(plan, |data| add(&mut d, &parse(data, "eventsource-stream")));
    d
}

pub(crate) fn sse_stream(plan: &[Bytes]) -> Digest {
    let mut d = Digest::default();
    futures::executor::block_on(async {
        let mut events = pin!(sse_stream::SseByteStream::new(byte_stream(plan)));
        while let Some(event) = events.next().await {
            let event = event.unwrap_or_else(|e| panic!("sse-stream: {e}"));
            match event.data.as_deref() {
                Some("[DONE]") | None => {}
                Some(data) => add(&mut d, &parse(data, "sse-stream")),
            }
        }
    });
    d
}

pub(crate) fn async_openai(plan: &[Bytes]) -> Digest {
    let mut d = Digest::default();
    eventsource(plan, |data| {
        add_async_openai(&mut d, &parse(data, "async-openai"))
    });
    d
}

/// The cases for one transcript.
pub(crate) fn cases(t: &Transcript) -> Vec<Case<'_>> {
    let mut cases = vec![
        Role::Ours.streaming(
            "ours: openai_wire StreamDecoder<ChatCompletionChunk>",
            "ours",
            ours,
        ),
        Role::Ours.streaming(
            "ours: next_as::<ChatCompletionChunkRef> (borrowed)",
            "ours_borrowed",
            ours_borrowed,
        ),
        merge_case(ours_merged),
        Role::Ours.streaming(
            "ours: SseDecoder + serde_json (no chunk layer)",
            "ours_sse_only",
            ours_sse_only,
        ),
    ];
    cases.extend(crate::harness::limit_cases(t, add));
    cases.extend([
        limit_borrowed_case(
            t,
            "limit: pre-split, borrowed ChatCompletionChunkRef",
            add_borrowed,
        ),
        Role::Peer.streaming(
            "peer: eventsource-stream + serde_json",
            "eventsource_stream",
            eventsource_stream,
        ),
        Role::Peer.streaming("peer: sse-stream + serde_json", "sse_stream", sse_stream),
        Role::Peer.streaming(
            "peer: async-openai types over eventsource-stream",
            "async_openai",
            async_openai,
        ),
        Role::Peer.presplit(
            "peer: async-openai types (pre-split)",
            "async_openai_presplit",
            presplit_parse(t, std_utf8, "async-openai", add_async_openai),
        ),
    ]);
    cases
}
