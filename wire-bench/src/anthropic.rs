//! The `/v1/messages` SSE stream: our decoder, the pre-split limit, and the peers.
//!
//! The digest counts every event, the bytes of `text_delta` (content) and `thinking_delta`
//! (reasoning; none in the body, see `data::ANTHROPIC_FIXTURES`) text, and the
//! `input_json_delta` events (tool-call fragments).

use anthropic_wire::events::StreamDecoder;
use anthropic_wire::messages::{
    ContentBlockDelta, ContentBlockDeltaRef, MessageStreamEvent, MessageStreamEventRef,
};
use anthropic_wire::sse::{FrameRef, SseDecoder};
use async_anthropic::types::{ContentBlockDelta as AaDelta, MessagesStreamEvent as AaEvent};
use bytes::Bytes;

use crate::data::Transcript;
use crate::harness::{
    Case, Digest, Role, eventsource, limit_borrowed_case, merge_case, merged_items, ok, parse,
    presplit_parse, pushed, pushed_items, std_utf8,
};

/// Our decoder's name in a panic.
const WHO: &str = "anthropic-wire";

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
    pushed_items(plan, StreamDecoder::new(), WHO, add)
}

/// Our decoder, borrowed: `StreamDecoder::next_as::<MessageStreamEventRef>` (same framing,
/// error events, order checks and end; delta text without escapes is not copied).
pub(crate) fn ours_borrowed(plan: &[Bytes]) -> Digest {
    pushed(plan, StreamDecoder::new(), WHO, |decoder, d| {
        while let Some(item) = decoder.next_as::<MessageStreamEventRef<'_>>() {
            add_borrowed(d, &ok(item, WHO));
        }
    })
}

/// The full path: our decoder joined to `ollama_stream_merge::Merger` by `MergeDecoder`.
pub(crate) fn ours_merged(plan: &[Bytes]) -> Digest {
    merged_items(plan, StreamDecoder::new(), WHO, |e| {
        u64::from(matches!(
            e,
            MessageStreamEvent::ContentBlockDelta(e)
                if matches!(e.delta, ContentBlockDelta::InputJsonDelta(_))
        ))
    })
}

/// Our SSE framer alone (borrowed events), then serde_json into `MessageStreamEvent` (no error
/// handling, no block-order checks): what the Messages layer costs on top of framing.
pub(crate) fn ours_sse_only(plan: &[Bytes]) -> Digest {
    pushed(plan, SseDecoder::new(), "SseDecoder", |decoder, d| {
        while let Some(frame) = decoder.next_ref() {
            if let FrameRef::Event(event) = ok(frame, "SseDecoder") {
                add(d, &parse(event.data, "SseDecoder"));
            }
        }
    })
}

/// async-anthropic's `MessagesStreamEvent` from eventsource-stream's events, as its client's
/// stream loop does it (over reqwest-eventsource, which runs eventsource-stream): `ping`
/// skipped, `error` an error, every other event's data through `serde_json::from_str`.
pub(crate) fn async_anthropic(plan: &[Bytes]) -> Digest {
    let mut d = Digest::default();
    eventsource(plan, |event| match event.event.as_str() {
        "ping" => {}
        "error" => panic!("async-anthropic: an error event: {}", event.data),
        _ => add_async_anthropic(&mut d, &parse(&event.data, "async-anthropic")),
    });
    d
}

/// The cases for one transcript.
pub(crate) fn cases(t: &Transcript) -> Vec<Case<'_>> {
    let mut cases = vec![
        Role::Ours.streaming("ours: anthropic_wire events::StreamDecoder", "ours", ours),
        Role::Ours.streaming(
            "ours: anthropic_wire next_as::<MessageStreamEventRef> (borrowed)",
            "ours_borrowed",
            ours_borrowed,
        ),
        merge_case(ours_merged),
        Role::Ours.streaming(
            "ours: SseDecoder + serde_json (no Messages layer)",
            "ours_sse_only",
            ours_sse_only,
        ),
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
        limit_borrowed_case(
            t,
            "limit: pre-split, borrowed anthropic_wire MessageStreamEventRef",
            add_borrowed,
        ),
        Role::Peer.streaming(
            "peer: async-anthropic MessagesStreamEvent over eventsource-stream",
            "async_anthropic",
            async_anthropic,
        ),
        Role::Peer.presplit(
            "peer: async-anthropic MessagesStreamEvent (pre-split)",
            "async_anthropic_presplit",
            presplit_parse(t, std_utf8, "async-anthropic", add_async_anthropic),
        ),
    ]);
    cases
}
