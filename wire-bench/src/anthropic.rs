//! The `/v1/messages` SSE stream: our decoder, the pre-split limit, and the peers.
//!
//! The digest counts every event, the bytes of `text_delta` (content) and `thinking_delta`
//! (reasoning; none in the body, see `data::ANTHROPIC_FIXTURES`) text, and the
//! `input_json_delta` events (tool-call fragments).

use std::pin::pin;

use anthropic_wire::events::StreamDecoder;
use anthropic_wire::messages::{
    ContentBlockDelta, ContentBlockDeltaRef, MessageStreamEvent, MessageStreamEventRef,
};
use anthropic_wire::sse::{FrameRef, SseDecoder};
use async_anthropic::types::{ContentBlockDelta as AaDelta, MessagesStreamEvent as AaEvent};
use bytes::Bytes;
use eventsource_stream::Eventsource;
use futures::StreamExt;

use crate::data::Transcript;
use crate::harness::{Case, Digest, Role, parse, presplit, simd_utf8, std_utf8};

fn add(d: &mut Digest, e: &MessageStreamEvent) {
    d.chunks += 1;
    let reasoning = d.reasoning.get_or_insert(0);
    if let MessageStreamEvent::ContentBlockDelta(e) = e {
        match &e.delta {
            ContentBlockDelta::TextDelta(t) => d.content += t.text.len() as u64,
            ContentBlockDelta::ThinkingDelta(t) => *reasoning += t.thinking.len() as u64,
            ContentBlockDelta::InputJsonDelta(_) => d.tool_calls += 1,
            _ => {}
        }
    }
}

fn add_borrowed(d: &mut Digest, e: &MessageStreamEventRef<'_>) {
    d.chunks += 1;
    let reasoning = d.reasoning.get_or_insert(0);
    if let MessageStreamEventRef::ContentBlockDelta(e) = e {
        match &e.delta {
            ContentBlockDeltaRef::TextDelta(t) => d.content += t.text.len() as u64,
            ContentBlockDeltaRef::ThinkingDelta(t) => *reasoning += t.thinking.len() as u64,
            ContentBlockDeltaRef::InputJsonDelta(_) => d.tool_calls += 1,
            _ => {}
        }
    }
}

/// async-anthropic has no thinking blocks: its digest has no reasoning count.
fn add_async_anthropic(d: &mut Digest, e: &AaEvent) {
    d.chunks += 1;
    if let AaEvent::ContentBlockDelta { delta, .. } = e {
        match delta {
            AaDelta::TextDelta { text } => d.content += text.len() as u64,
            AaDelta::InputJsonDelta { .. } => d.tool_calls += 1,
        }
    }
}

/// Our decoder: `anthropic_wire::events::StreamDecoder` (SSE framing, error events, dispatch on
/// `type`, content-block order checks, `message_stop`).
pub(crate) fn ours(plan: &[Bytes]) -> Digest {
    let mut d = Digest::default();
    let mut decoder = StreamDecoder::new();
    for chunk in plan {
        decoder.push(chunk);
        for item in &mut decoder {
            match item {
                Ok(e) => add(&mut d, &e),
                Err(e) => panic!("anthropic-wire: {e}"),
            }
        }
    }
    if let Err(e) = decoder.finish() {
        panic!("anthropic-wire at end: {e}");
    }
    d
}

/// Our decoder, borrowed: `StreamDecoder::next_as::<MessageStreamEventRef>` (same framing,
/// error events, order checks and end; delta text without escapes is not copied).
pub(crate) fn ours_borrowed(plan: &[Bytes]) -> Digest {
    let mut d = Digest::default();
    let mut decoder = StreamDecoder::new();
    for chunk in plan {
        decoder.push(chunk);
        while let Some(item) = decoder.next_as::<MessageStreamEventRef<'_>>() {
            match item {
                Ok(e) => add_borrowed(&mut d, &e),
                Err(e) => panic!("anthropic-wire: {e}"),
            }
        }
    }
    if let Err(e) = decoder.finish() {
        panic!("anthropic-wire at end: {e}");
    }
    d
}

/// The full path: our decoder joined to `ollama_stream_merge::Merger` by `MergeDecoder`.
pub(crate) fn ours_merged(plan: &[Bytes]) -> Digest {
    crate::harness::merged(plan, StreamDecoder::new(), |d, item| match item {
        Ok(e) => {
            d.chunks += 1;
            if let MessageStreamEvent::ContentBlockDelta(e) = e {
                if matches!(e.delta, ContentBlockDelta::InputJsonDelta(_)) {
                    d.tool_calls += 1;
                }
            }
        }
        Err(e) => panic!("anthropic-wire: {e}"),
    })
}

/// Our SSE framer alone (borrowed events), then serde_json into `MessageStreamEvent` (no error
/// handling, no block-order checks): what the Messages layer costs on top of framing.
pub(crate) fn ours_sse_only(plan: &[Bytes]) -> Digest {
    let mut d = Digest::default();
    let mut decoder = SseDecoder::new();
    for chunk in plan {
        decoder.push(chunk);
        while let Some(frame) = decoder.next_ref() {
            match frame {
                Ok(FrameRef::Event(event)) => add(&mut d, &parse(event.data, "SseDecoder")),
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

/// async-anthropic's `MessagesStreamEvent` from eventsource-stream's events, as its client's
/// stream loop does it (over reqwest-eventsource, which runs eventsource-stream): `ping`
/// skipped, `error` an error, every other event's data through `serde_json::from_str`.
pub(crate) fn async_anthropic(plan: &[Bytes]) -> Digest {
    let mut d = Digest::default();
    futures::executor::block_on(async {
        let mut events = pin!(byte_stream(plan).eventsource());
        while let Some(event) = events.next().await {
            let event = event.unwrap_or_else(|e| panic!("eventsource-stream: {e}"));
            match event.event.as_str() {
                "ping" => {}
                "error" => panic!("async-anthropic: an error event: {}", event.data),
                _ => add_async_anthropic(&mut d, &parse(&event.data, "async-anthropic")),
            }
        }
    });
    d
}

/// The cases for one transcript.
pub(crate) fn cases(t: &Transcript) -> Vec<Case<'_>> {
    let mut cases = vec![
        Case {
            name: "ours: anthropic_wire events::StreamDecoder",
            key: "ours",
            role: Role::Ours,
            presplit: false,
            run: Box::new(ours),
        },
        Case {
            name: "ours: anthropic_wire next_as::<MessageStreamEventRef> (borrowed)",
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
            name: "ours: SseDecoder + serde_json (no Messages layer)",
            key: "ours_sse_only",
            role: Role::Ours,
            presplit: false,
            run: Box::new(ours_sse_only),
        },
    ];
    // The limit rows name the wire too, so `--only anthropic` keeps them (and the ×limit column).
    cases.extend(
        crate::harness::limit_cases(t, add)
            .into_iter()
            .map(|case| Case {
                name: match case.key {
                    "limit" => "limit: pre-split, from_utf8 + from_str (anthropic_wire)",
                    "limit_from_slice" => "limit: pre-split, from_slice (anthropic_wire)",
                    "limit_simdutf8" => "limit: pre-split, simdutf8 + from_str (anthropic_wire)",
                    _ => case.name,
                },
                ..case
            }),
    );
    cases.extend([
        Case {
            name: "limit: pre-split, borrowed anthropic_wire MessageStreamEventRef",
            key: "limit_borrowed",
            role: Role::Limit,
            presplit: true,
            run: presplit(t, |p, d| {
                add_borrowed(d, &parse(simd_utf8(p, "limit"), "limit"));
            }),
        },
        Case {
            name: "peer: async-anthropic MessagesStreamEvent over eventsource-stream",
            key: "async_anthropic",
            role: Role::Peer,
            presplit: false,
            run: Box::new(async_anthropic),
        },
        Case {
            name: "peer: async-anthropic MessagesStreamEvent (pre-split)",
            key: "async_anthropic_presplit",
            role: Role::Peer,
            presplit: true,
            run: presplit(t, |p, d| {
                add_async_anthropic(d, &parse(std_utf8(p, "async-anthropic"), "async-anthropic"));
            }),
        },
    ]);
    cases
}
