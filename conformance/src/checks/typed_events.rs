//! The stream checks shared by the typed event wires (`/v1/responses` through openai-wire,
//! `/v1/messages` through anthropic-wire): one decode loop and one `outcome`/`chunks`/`splits`
//! evaluation over a small trait (implemented by each), and one frame loop for
//! `reencode`, so that the two wires' checks cannot drift apart.
//!
//! Each wire's module keeps what differs: how a frame is re-encoded, and its non-stream bodies.

use std::fmt;

// The event-stream codec both wires decode with: `openai_wire::sse` and `anthropic_wire::sse`
// are the same `sse-wire` crate.
use openai_wire::sse::{Event, Frame, SseDecoder};

use ollama_stream_merge::PushDecoder;
use openai_wire::ErrorCategory;
use openai_wire::sse::Categorized;

use super::{CheckResults, SplitPlan, expect_eq, outcome_of, same_bytes, same_splits};
use crate::corpus::Case;

/// A typed event wire's checking stream decoder, as the checks drive it: any push decoder
/// (`wire_core::PushDecoder`, the shape every wire crate's decoder has) with what differs
/// between the wires — its own event count and the event a protocol violation carries.
pub(crate) trait EventWire {
    /// The decoder.
    type Decoder: PushDecoder<Output = Self::Event, Error = Self::Error> + Default;
    /// One decoded event.
    type Event: Clone + PartialEq;
    /// The decoder's error.
    type Error: fmt::Display + Categorized;

    /// The decoder's own count of events yielded.
    fn chunks(decoder: &Self::Decoder) -> u64;
    /// The event a protocol violation carries (`None`: the error is no violation).
    fn violation(error: Self::Error) -> Option<Self::Event>;
}

/// What decoding a body gave: the items (the end-of-input verdict last when it is an error),
/// the error categories, how many errors were protocol violations, the events (those a
/// protocol error carries included) and the decoder's own event count.
#[derive(Debug)]
pub struct Decoded<E> {
    /// Every item, errors as their messages.
    pub items: Vec<Result<E, String>>,
    /// The category of each error, in order.
    pub categories: Vec<ErrorCategory>,
    /// How many errors were protocol violations.
    pub violations: usize,
    /// The decoded events, in order (carried by a protocol error or not).
    pub events: Vec<E>,
    /// The decoder's own event count at the end.
    pub counted: u64,
}

/// Decodes an event stream pushed as `plan` says.
pub(crate) fn decode<W: EventWire>(body: &[u8], plan: SplitPlan<'_>) -> Decoded<W::Event> {
    let mut decoder = W::Decoder::default();
    let mut out = Decoded {
        items: Vec::new(),
        categories: Vec::new(),
        violations: 0,
        events: Vec::new(),
        counted: 0,
    };
    let record = |out: &mut Decoded<W::Event>, item: Result<W::Event, W::Error>| match item {
        Ok(event) => {
            out.events.push(event.clone());
            out.items.push(Ok(event));
        }
        Err(e) => {
            out.categories.push(e.category());
            out.items.push(Err(e.to_string()));
            if let Some(event) = W::violation(e) {
                out.violations += 1;
                out.events.push(event);
            }
        }
    };
    for piece in plan.split(body) {
        decoder.push(piece);
        for item in &mut decoder {
            record(&mut out, item);
        }
    }
    if let Err(e) = decoder.finish() {
        record(&mut out, Err(e));
    }
    out.counted = W::chunks(&decoder);
    out
}

/// The four checks of a streamed case: `outcome` from the error categories, `chunks` (also
/// against the decoder's own count), `splits` over every split plan, and `reencode` by the
/// wire's `reencode` (given the body and the events decoded) for cases served by Ollama.
pub(crate) fn check_stream<W: EventWire>(
    case: &Case,
    reencode: impl FnOnce(&[u8], &[W::Event]) -> Result<(), String>,
) -> CheckResults {
    let expect = &case.meta.expect;
    let whole = decode::<W>(&case.body, SplitPlan::Whole);
    let errors = || {
        whole
            .items
            .iter()
            .filter_map(|i| i.as_ref().err().cloned())
            .collect::<Vec<_>>()
    };
    let outcome = outcome_of(whole.categories.iter().cloned(), whole.violations, errors);
    let chunks = whole.events.len() as u64;
    let counted = expect_eq("the decoder's own event count", whole.counted, chunks);
    let splits = same_splits(case, &whole.items, |plan| {
        decode::<W>(&case.body, plan).items
    });
    CheckResults {
        outcome: outcome.and_then(|o| expect_eq("outcome", o, expect.outcome)),
        chunks: expect_eq("chunks", chunks, expect.chunks).and(counted),
        splits,
        reencode: if super::served_by_ollama(case) {
            reencode(&case.body, &whole.events)
        } else {
            Ok(())
        },
    }
}

/// The `reencode` check of an event stream: every event frame of `body` re-encodes to its own
/// bytes, and the events the frames hold, up to the one that `ends` the stream (included), are
/// the events the stream decoder gave.
///
/// `reencode` writes one frame back into the bytes it is handed and returns the event the
/// frame holds (`None` for an error frame, which the decoder yields as no event); its errors
/// are reported with the frame's offset.
pub(crate) fn reencode_frames<E: PartialEq, Error: fmt::Display>(
    body: &[u8],
    decoded: &[E],
    mut reencode: impl FnMut(&Event, &mut Vec<u8>) -> Result<Option<E>, Error>,
    ends: impl Fn(&E) -> bool,
) -> Result<(), String> {
    let mut sse = SseDecoder::new();
    sse.push(body);
    let mut events = Vec::new();
    let mut ended = false;
    while let Some(frame) = sse.next() {
        let offset = sse.last_offset();
        let Frame::Event(frame) = frame.map_err(|e| e.to_string())? else {
            continue;
        };
        let mut encoded = Vec::new();
        let event =
            reencode(&frame, &mut encoded).map_err(|e| format!("event at byte {offset}: {e}"))?;
        let start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(body.len());
        let end = start.saturating_add(encoded.len()).min(body.len());
        same_bytes(
            &format!("event at byte {offset}"),
            &encoded,
            &body[start..end],
        )?;
        if let Some(event) = event.filter(|_| !ended) {
            ended = ends(&event);
            events.push(event);
        }
    }
    if events != decoded {
        return Err(format!(
            "the stream decoder gave {} events, the frames hold {}",
            decoded.len(),
            events.len()
        ));
    }
    Ok(())
}
