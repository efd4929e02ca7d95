//! The `/v1/responses` SSE stream: our decoder, the pre-split limit, and the peers.
//!
//! The digest counts every event, the bytes of `output_text.delta` (content) and
//! `reasoning_summary_text.delta` (reasoning) text, and the `function_call_arguments.delta`
//! events (tool-call fragments).

use async_openai::types::responses::ResponseStreamEvent as AoEvent;
use bytes::Bytes;
use openai_wire::responses::{ResponseStreamEvent, ResponseStreamEventRef, ResponsesStreamDecoder};
use openai_wire::sse::{FrameRef, SseDecoder};

use crate::data::Transcript;
use crate::harness::{
    Case, Digest, Role, RunFn, eventsource, merged_items, ok, parse, presplit_indexed,
    presplit_parse, pushed, pushed_items, simd_utf8, std_utf8,
};

/// Our decoder's name in a panic.
const WHO: &str = "openai-wire responses";

fn add(d: &mut Digest, e: &ResponseStreamEvent) {
    d.chunks += 1;
    let reasoning = d.reasoning.get_or_insert(0);
    match e {
        ResponseStreamEvent::OutputTextDelta(e) => d.content += e.delta.len() as u64,
        ResponseStreamEvent::ReasoningSummaryTextDelta(e) => *reasoning += e.delta.len() as u64,
        ResponseStreamEvent::FunctionCallArgumentsDelta(_) => d.tool_calls += 1,
        _ => {}
    }
}

fn add_borrowed(d: &mut Digest, e: &ResponseStreamEventRef<'_>) {
    d.chunks += 1;
    let reasoning = d.reasoning.get_or_insert(0);
    match e {
        ResponseStreamEventRef::OutputTextDelta(e) => d.content += e.delta.len() as u64,
        ResponseStreamEventRef::ReasoningSummaryTextDelta(e) => *reasoning += e.delta.len() as u64,
        ResponseStreamEventRef::FunctionCallArgumentsDelta(_) => d.tool_calls += 1,
        _ => {}
    }
}

fn add_async_openai(d: &mut Digest, e: &AoEvent) {
    d.chunks += 1;
    let reasoning = d.reasoning.get_or_insert(0);
    match e {
        AoEvent::ResponseOutputTextDelta(e) => d.content += e.delta.len() as u64,
        AoEvent::ResponseReasoningSummaryTextDelta(e) => *reasoning += e.delta.len() as u64,
        AoEvent::ResponseFunctionCallArgumentsDelta(_) => d.tool_calls += 1,
        _ => {}
    }
}

/// `ResponseStreamEvent::from_data`, panicking with `who` on error.
fn from_data(kind: &str, data: &str, who: &str) -> ResponseStreamEvent {
    ok(ResponseStreamEvent::from_data(kind, data), who)
}

/// Our decoder: `ResponsesStreamDecoder` (SSE framing, error probe, dispatch on `type`,
/// sequence / item / part checks, terminal event).
pub(crate) fn ours(plan: &[Bytes]) -> Digest {
    pushed_items(plan, ResponsesStreamDecoder::new(), WHO, add)
}

/// Our decoder, borrowed: `ResponsesStreamDecoder::next_ref` (same framing, checks and
/// errors; delta text without escapes is not copied).
pub(crate) fn ours_borrowed(plan: &[Bytes]) -> Digest {
    pushed(plan, ResponsesStreamDecoder::new(), WHO, |decoder, d| {
        while let Some(item) = decoder.next_ref() {
            add_borrowed(d, &ok(item, WHO));
        }
    })
}

/// The full path: our decoder joined to `ollama_stream_merge::Merger` by `MergeDecoder`.
pub(crate) fn ours_merged(plan: &[Bytes]) -> Digest {
    merged_items(plan, ResponsesStreamDecoder::new(), WHO, |e| {
        u64::from(matches!(
            e,
            ResponseStreamEvent::FunctionCallArgumentsDelta(_)
        ))
    })
}

/// Our SSE framer alone (borrowed events), then `ResponseStreamEvent::from_data` on the
/// `event:` name and the data (no error probe, no `type` probe, no consistency checks): what
/// the Responses layer costs on top of framing.
pub(crate) fn ours_sse_only(plan: &[Bytes]) -> Digest {
    pushed(plan, SseDecoder::new(), "SseDecoder", |decoder, d| {
        while let Some(frame) = decoder.next_ref() {
            if let FrameRef::Event(event) = ok(frame, "SseDecoder") {
                let kind = event.event.unwrap_or_default();
                add(d, &from_data(kind, event.data, "SseDecoder"));
            }
        }
    })
}

/// async-openai's `ResponseStreamEvent` (its `responses` client parses each event's data with
/// `serde_json::from_str` over eventsource-stream, through reqwest-eventsource) from
/// eventsource-stream's events.
pub(crate) fn async_openai(plan: &[Bytes]) -> Digest {
    let mut d = Digest::default();
    eventsource(plan, |event| {
        add_async_openai(&mut d, &parse(&event.data, "async-openai"));
    });
    d
}

/// A pre-split row over each payload's event name (through simdutf8) and data (through
/// `utf8`).
fn presplit_events<'a>(
    t: &'a Transcript,
    utf8: impl Fn(&'a [u8], &str) -> &'a str + 'a,
    each: impl Fn(&'a str, &'a str, &mut Digest) + 'a,
) -> RunFn<'a> {
    presplit_indexed(t, move |i, d| {
        let kind = simd_utf8(t.kind(i), "limit");
        each(kind, utf8(t.payload(i), "limit"), d);
    })
}

/// The cases for one transcript.
pub(crate) fn cases(t: &Transcript) -> Vec<Case<'_>> {
    vec![
        Role::Ours.streaming(
            "ours: openai_wire responses::ResponsesStreamDecoder",
            "ours",
            ours,
        ),
        Role::Ours.streaming(
            "ours: responses next_ref (borrowed)",
            "ours_borrowed",
            ours_borrowed,
        ),
        Role::Ours.streaming(
            "ours + stream-merge: responses decoder → Merger",
            "ours_merge",
            ours_merged,
        ),
        Role::Ours.streaming(
            "ours: SseDecoder + from_data (no responses layer)",
            "ours_sse_only",
            ours_sse_only,
        ),
        Role::Limit.presplit(
            "limit: responses pre-split, from_utf8 + from_data",
            "limit",
            presplit_events(t, std_utf8, |kind, data, d| {
                add(d, &from_data(kind, data, "limit"));
            }),
        ),
        Role::Limit.presplit(
            "limit: responses pre-split, simdutf8 + from_data",
            "limit_simdutf8",
            presplit_events(t, simd_utf8, |kind, data, d| {
                add(d, &from_data(kind, data, "limit"));
            }),
        ),
        Role::Limit.presplit(
            "limit: responses pre-split, borrowed from_data",
            "limit_borrowed",
            presplit_events(t, simd_utf8, |kind, data, d| {
                add_borrowed(
                    d,
                    &ok(ResponseStreamEventRef::from_data(kind, data), "limit"),
                );
            }),
        ),
        Role::Peer.streaming(
            "peer: async-openai over eventsource-stream (responses)",
            "async_openai",
            async_openai,
        ),
        Role::Peer.presplit(
            "peer: async-openai (responses, pre-split)",
            "async_openai_presplit",
            presplit_parse(t, std_utf8, "async-openai", add_async_openai),
        ),
    ]
}
