//! The `/v1/chat/completions` SSE stream: our decoders, the pre-split limit, and the peers.

use std::pin::pin;

use async_openai::types::chat::CreateChatCompletionStreamResponse;
use bytes::Bytes;
use eventsource_stream::Eventsource;
use futures::StreamExt;
use openai_wire::chat::{ChatCompletionChunk, ChatCompletionChunkRef};
use openai_wire::chunks::{StreamDecoder, StreamItem};
use openai_wire::sse::{FrameRef, SseDecoder};

use crate::data::Transcript;
use crate::harness::{Case, Digest, Role, parse, presplit, simd_utf8, std_utf8};

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
    let mut d = Digest::default();
    let mut decoder = StreamDecoder::<ChatCompletionChunk>::new();
    for chunk in plan {
        decoder.push(chunk);
        for item in &mut decoder {
            match item {
                Ok(StreamItem::Chunk(c)) => add(&mut d, &c),
                Ok(_) => {}
                Err(e) => panic!("openai-wire: {e}"),
            }
        }
    }
    if let Err(e) = decoder.finish() {
        panic!("openai-wire at end: {e}");
    }
    d
}

/// Our typed decoder, borrowed: `StreamDecoder::next_as::<ChatCompletionChunkRef>` (same
/// framing, `[DONE]` and error rules; text without escapes is not copied).
pub(crate) fn ours_borrowed(plan: &[Bytes]) -> Digest {
    let mut d = Digest::default();
    let mut decoder: StreamDecoder = StreamDecoder::new();
    for chunk in plan {
        decoder.push(chunk);
        while let Some(item) = decoder.next_as::<ChatCompletionChunkRef<'_>>() {
            match item {
                Ok(StreamItem::Chunk(c)) => add_borrowed(&mut d, &c),
                Ok(_) => {}
                Err(e) => panic!("openai-wire: {e}"),
            }
        }
    }
    if let Err(e) = decoder.finish() {
        panic!("openai-wire at end: {e}");
    }
    d
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
            Err(e) => panic!("openai-wire: {e}"),
        },
    )
}

/// Our SSE framer alone (borrowed events, `SseDecoder::next_ref`), then serde_json into the
/// owned type (no `[DONE]` state machine, no error probe): shows what the chunk layer costs on
/// top of framing.
pub(crate) fn ours_sse_only(plan: &[Bytes]) -> Digest {
    let mut d = Digest::default();
    let mut decoder = SseDecoder::new();
    for chunk in plan {
        decoder.push(chunk);
        while let Some(frame) = decoder.next_ref() {
            match frame {
                Ok(FrameRef::Event(event)) if event.data != "[DONE]" => {
                    add(&mut d, &parse(event.data, "SseDecoder"));
                }
                Ok(_) => {}
                Err(e) => panic!("SseDecoder: {e}"),
            }
        }
    }
    if let Err(e) = decoder.finish() {
        panic!("SseDecoder at end: {e}");
    }
    d
}

fn byte_stream(
    plan: &[Bytes],
) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> + Unpin + '_ {
    futures::stream::iter(plan.iter().cloned().map(Ok))
}

/// `eventsource-stream` (what async-openai and reqwest-eventsource run on), then `on_data` for
/// every event that is not `[DONE]`.
fn eventsource(plan: &[Bytes], mut on_data: impl FnMut(&str)) {
    futures::executor::block_on(async {
        let mut events = pin!(byte_stream(plan).eventsource());
        while let Some(event) = events.next().await {
            let event = event.unwrap_or_else(|e| panic!("eventsource-stream: {e}"));
            if event.data != "[DONE]" {
                on_data(&event.data);
            }
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
        Case {
            name: "ours: openai_wire StreamDecoder<ChatCompletionChunk>",
            key: "ours",
            role: Role::Ours,
            presplit: false,
            run: Box::new(ours),
        },
        Case {
            name: "ours: next_as::<ChatCompletionChunkRef> (borrowed)",
            key: "ours_borrowed",
            role: Role::Ours,
            presplit: false,
            run: Box::new(ours_borrowed),
        },
        Case {
            name: "ours + stream-merge: decoder → Delta → Merger",
            key: "ours_merge",
            role: Role::Ours,
            presplit: false,
            run: Box::new(ours_merged),
        },
        Case {
            name: "ours: SseDecoder + serde_json (no chunk layer)",
            key: "ours_sse_only",
            role: Role::Ours,
            presplit: false,
            run: Box::new(ours_sse_only),
        },
    ];
    cases.extend(crate::harness::limit_cases(t, add));
    cases.extend([
        Case {
            name: "limit: pre-split, borrowed ChatCompletionChunkRef",
            key: "limit_borrowed",
            role: Role::Limit,
            presplit: true,
            run: presplit(t, |p, d| {
                add_borrowed(d, &parse(simd_utf8(p, "limit"), "limit"));
            }),
        },
        Case {
            name: "peer: eventsource-stream + serde_json",
            key: "eventsource_stream",
            role: Role::Peer,
            presplit: false,
            run: Box::new(eventsource_stream),
        },
        Case {
            name: "peer: sse-stream + serde_json",
            key: "sse_stream",
            role: Role::Peer,
            presplit: false,
            run: Box::new(sse_stream),
        },
        Case {
            name: "peer: async-openai types over eventsource-stream",
            key: "async_openai",
            role: Role::Peer,
            presplit: false,
            run: Box::new(async_openai),
        },
        Case {
            name: "peer: async-openai types (pre-split)",
            key: "async_openai_presplit",
            role: Role::Peer,
            presplit: true,
            run: presplit(t, |p, d| {
                add_async_openai(d, &parse(std_utf8(p, "async-openai"), "async-openai"));
            }),
        },
    ]);
    cases
}
