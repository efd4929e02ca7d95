//! The `/v1/responses` SSE stream: our decoder, the pre-split limit, and the peers.
//!
//! The digest counts every event, the bytes of `output_text.delta` (content) and
//! `reasoning_summary_text.delta` (reasoning) text, and the `function_call_arguments.delta`
//! events (tool-call fragments).

use std::pin::pin;

use async_openai::types::responses::ResponseStreamEvent as AoEvent;
use bytes::Bytes;
use eventsource_stream::Eventsource;
use futures::StreamExt;
use openai_wire::responses::{ResponseStreamEvent, ResponseStreamEventRef, ResponsesStreamDecoder};
use openai_wire::sse::{FrameRef, SseDecoder};

use crate::data::Transcript;
use crate::harness::{Case, Digest, Role, parse, presplit, simd_utf8, std_utf8};

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
    ResponseStreamEvent::from_data(kind, data).unwrap_or_else(|e| panic!("{who}: {e}"))
}

/// Our decoder: `ResponsesStreamDecoder` (SSE framing, error probe, dispatch on `type`,
/// sequence / item / part checks, terminal event).
pub(crate) fn ours(plan: &[Bytes]) -> Digest {
    let mut d = Digest::default();
    let mut decoder = ResponsesStreamDecoder::new();
    for chunk in plan {
        decoder.push(chunk);
        for item in &mut decoder {
            match item {
                Ok(e) => add(&mut d, &e),
                Err(e) => panic!("openai-wire responses: {e}"),
            }
        }
    }
    if let Err(e) = decoder.finish() {
        panic!("openai-wire responses at end: {e}");
    }
    d
}

/// Our decoder, borrowed: `ResponsesStreamDecoder::next_ref` (same framing, checks and
/// errors; delta text without escapes is not copied).
pub(crate) fn ours_borrowed(plan: &[Bytes]) -> Digest {
    let mut d = Digest::default();
    let mut decoder = ResponsesStreamDecoder::new();
    for chunk in plan {
        decoder.push(chunk);
        while let Some(item) = decoder.next_ref() {
            match item {
                Ok(e) => add_borrowed(&mut d, &e),
                Err(e) => panic!("openai-wire responses: {e}"),
            }
        }
    }
    if let Err(e) = decoder.finish() {
        panic!("openai-wire responses at end: {e}");
    }
    d
}

/// The full path: our decoder joined to `ollama_stream_merge::Merger` by `MergeDecoder`.
pub(crate) fn ours_merged(plan: &[Bytes]) -> Digest {
    crate::harness::merged(plan, ResponsesStreamDecoder::new(), |d, item| match item {
        Ok(e) => {
            d.chunks += 1;
            if matches!(e, ResponseStreamEvent::FunctionCallArgumentsDelta(_)) {
                d.tool_calls += 1;
            }
        }
        Err(e) => panic!("openai-wire responses: {e}"),
    })
}

/// Our SSE framer alone (borrowed events), then `ResponseStreamEvent::from_data` on the
/// `event:` name and the data (no error probe, no `type` probe, no consistency checks): what
/// the Responses layer costs on top of framing.
pub(crate) fn ours_sse_only(plan: &[Bytes]) -> Digest {
    let mut d = Digest::default();
    let mut decoder = SseDecoder::new();
    for chunk in plan {
        decoder.push(chunk);
        while let Some(frame) = decoder.next_ref() {
            match frame {
                Ok(FrameRef::Event(event)) => {
                    let kind = event.event.unwrap_or_default();
                    add(&mut d, &from_data(kind, event.data, "SseDecoder"));
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

/// async-openai's `ResponseStreamEvent` (its `responses` client parses each event's data with
/// `serde_json::from_str` over eventsource-stream, through reqwest-eventsource) from
/// eventsource-stream's events.
pub(crate) fn async_openai(plan: &[Bytes]) -> Digest {
    let mut d = Digest::default();
    futures::executor::block_on(async {
        let mut events = pin!(byte_stream(plan).eventsource());
        while let Some(event) = events.next().await {
            let event = event.unwrap_or_else(|e| panic!("eventsource-stream: {e}"));
            add_async_openai(&mut d, &parse(&event.data, "async-openai"));
        }
    });
    d
}

/// The cases for one transcript.
pub(crate) fn cases(t: &Transcript) -> Vec<Case<'_>> {
    // The event name of payload `i`, pre-split like its data.
    let kind = |i: usize| simd_utf8(t.kind(i), "limit");
    vec![
        Case {
            name: "ours: openai_wire responses::ResponsesStreamDecoder",
            key: "ours",
            role: Role::Ours,
            presplit: false,
            run: Box::new(ours),
        },
        Case {
            name: "ours: responses next_ref (borrowed)",
            key: "ours_borrowed",
            role: Role::Ours,
            presplit: false,
            run: Box::new(ours_borrowed),
        },
        Case {
            name: "ours + stream-merge: responses decoder → Merger",
            key: "ours_merge",
            role: Role::Ours,
            presplit: false,
            run: Box::new(ours_merged),
        },
        Case {
            name: "ours: SseDecoder + from_data (no responses layer)",
            key: "ours_sse_only",
            role: Role::Ours,
            presplit: false,
            run: Box::new(ours_sse_only),
        },
        Case {
            name: "limit: responses pre-split, from_utf8 + from_data",
            key: "limit",
            role: Role::Limit,
            presplit: true,
            run: Box::new(move |_| {
                let mut d = Digest::default();
                for i in 0..t.payloads.len() {
                    let data = std_utf8(t.payload(i), "limit");
                    add(&mut d, &from_data(kind(i), data, "limit"));
                }
                d
            }),
        },
        Case {
            name: "limit: responses pre-split, simdutf8 + from_data",
            key: "limit_simdutf8",
            role: Role::Limit,
            presplit: true,
            run: Box::new(move |_| {
                let mut d = Digest::default();
                for i in 0..t.payloads.len() {
                    let data = simd_utf8(t.payload(i), "limit");
                    add(&mut d, &from_data(kind(i), data, "limit"));
                }
                d
            }),
        },
        Case {
            name: "limit: responses pre-split, borrowed from_data",
            key: "limit_borrowed",
            role: Role::Limit,
            presplit: true,
            run: Box::new(move |_| {
                let mut d = Digest::default();
                for i in 0..t.payloads.len() {
                    let data = simd_utf8(t.payload(i), "limit");
                    let e = ResponseStreamEventRef::from_data(kind(i), data)
                        .unwrap_or_else(|e| panic!("limit: {e}"));
                    add_borrowed(&mut d, &e);
                }
                d
            }),
        },
        Case {
            name: "peer: async-openai over eventsource-stream (responses)",
            key: "async_openai",
            role: Role::Peer,
            presplit: false,
            run: Box::new(async_openai),
        },
        Case {
            name: "peer: async-openai (responses, pre-split)",
            key: "async_openai_presplit",
            role: Role::Peer,
            presplit: true,
            run: presplit(t, |p, d| {
                add_async_openai(d, &parse(std_utf8(p, "async-openai"), "async-openai"));
            }),
        },
    ]
}
