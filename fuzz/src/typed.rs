//! Properties of the typed SSE event-stream decoders: `openai_wire::responses`
//! (`/v1/responses`) and `anthropic_wire::events` (`/v1/messages`).
//!
//! Both have the pull shape of `chunks::StreamDecoder` and the same life cycle, checked as
//! `openai_chunk_stream` checks it: the same items and verdict for any split; after the
//! terminal event (`response.completed|incomplete|failed`, `message_stop`) at most one
//! `AfterEnd` and nothing else (but the error a `response.failed` carries, which the decoder
//! yields right after it, as documented); `finish()` is `Ok` exactly after the terminal event,
//! else `Truncated` with the events counted (an event carried by a `Protocol` error included);
//! heap bounded. And encode ∘ decode is the identity on the decoded events: each one written
//! by the crate's encoder with minimal escaping and the bytes decoded again give the same
//! events. With Go's escaping (Ollama's bytes) the JSON kept verbatim (unknown fields, raw
//! arguments and schemas) is written in Go's spelling (`<` as `\u003c`, as Go's encoder does
//! with a `json.RawMessage`), so there the property is: the events decode to equal JSON
//! values, and Go's bytes are a fixed point (written again, the same bytes).

use std::fmt::Debug;

use openai_wire::sse::{SseConfig, SseError};

use crate::openai::{config, heap_bound};
use crate::{Input, Transcript, assert_heap_within, assert_split_invariant, live_bytes};

/// What an item of a typed stream decoder is, for the life-cycle checks.
#[derive(Debug)]
pub enum Kind<'a, E> {
    /// A decoded event.
    Event(&'a E),
    /// An event that broke the protocol's consistency, carried by the error.
    Protocol(&'a E),
    /// The server's error.
    Upstream,
    /// Data after the terminal event.
    AfterEnd,
    /// The end-of-input verdict of a cut stream, with its event count.
    Truncated(u64),
    /// An SSE limit, with the limit.
    LineTooLong(usize),
    /// An SSE limit, with the limit.
    EventTooLarge(usize),
    /// Bad JSON, or JSON of the wrong shape.
    Json,
}

/// One typed wire: its decoder, encoder and the shape of its errors.
pub trait TypedWire {
    /// The event type.
    type Event: Debug + Clone + PartialEq + serde::Serialize;
    /// The decode error.
    type Error: Debug;
    /// The sans-IO decoder.
    type Decoder: Iterator<Item = Result<Self::Event, Self::Error>>;

    /// A decoder with these SSE settings.
    fn decoder(config: SseConfig) -> Self::Decoder;
    /// Appends bytes.
    fn push(decoder: &mut Self::Decoder, bytes: &[u8]);
    /// Ends the input.
    fn finish(decoder: &mut Self::Decoder) -> Result<(), Self::Error>;
    /// Whether the terminal event was decoded.
    fn is_done(decoder: &Self::Decoder) -> bool;
    /// Events decoded so far.
    fn chunks(decoder: &Self::Decoder) -> u64;
    /// What an error is.
    fn kind(error: &Self::Error) -> Kind<'_, Self::Event>;
    /// Whether the event ends the stream.
    fn is_terminal(event: &Self::Event) -> bool;
    /// Whether the decoder follows this event with an `Upstream` item (`response.failed`).
    fn carries_error(event: &Self::Event) -> bool;
    /// The event as the encoder writes it (`Go` or minimal escaping), or `None` for an event the
    /// encoder documents it cannot write (an unknown type holding a line break).
    fn encode(event: &Self::Event, go: bool) -> Option<Vec<u8>>;
}

/// The items of a [`TypedWire`] impl that the two wire crates spell alike: the decoder
/// `$decoder` of the crate `$krate` (`with_config`, `push`, `finish`, `is_done`, `chunks`) and
/// its `DecodeError`, whose variants are the same in both. The crates share no trait to be
/// generic over; each impl keeps what differs (the terminal event, the encoder).
macro_rules! decoder_items {
    ($krate:ident, $decoder:ty) => {
        type Error = $krate::DecodeError;
        type Decoder = $decoder;

        fn decoder(config: SseConfig) -> Self::Decoder {
            Self::Decoder::with_config(config)
        }
        fn push(decoder: &mut Self::Decoder, bytes: &[u8]) {
            decoder.push(bytes);
        }
        fn finish(decoder: &mut Self::Decoder) -> Result<(), Self::Error> {
            decoder.finish()
        }
        fn is_done(decoder: &Self::Decoder) -> bool {
            decoder.is_done()
        }
        fn chunks(decoder: &Self::Decoder) -> u64 {
            decoder.chunks()
        }
        fn kind(error: &Self::Error) -> Kind<'_, Self::Event> {
            use $krate::DecodeError as D;
            match error {
                D::Protocol(p) => Kind::Protocol(&p.event),
                D::Upstream(_) => Kind::Upstream,
                D::AfterEnd { .. } => Kind::AfterEnd,
                D::Truncated { chunks, .. } => Kind::Truncated(*chunks),
                D::Sse(SseError::LineTooLong { limit, .. }) => Kind::LineTooLong(*limit),
                D::Sse(SseError::EventTooLarge { limit, .. }) => Kind::EventTooLarge(*limit),
                D::NotJson { .. } | D::UnexpectedJson { .. } => Kind::Json,
                other => panic!("unknown error {other:?}"),
            }
        }
    };
}

/// `/v1/responses` through `openai_wire::responses`.
#[derive(Debug)]
pub enum Responses {}

impl TypedWire for Responses {
    type Event = openai_wire::responses::ResponseStreamEvent;
    decoder_items!(openai_wire, openai_wire::responses::ResponsesStreamDecoder);

    fn is_terminal(event: &Self::Event) -> bool {
        event.is_terminal()
    }
    fn carries_error(event: &Self::Event) -> bool {
        matches!(
            event,
            openai_wire::responses::ResponseStreamEvent::Failed(_)
        )
    }
    fn encode(event: &Self::Event, go: bool) -> Option<Vec<u8>> {
        use openai_wire::Escaping;
        use openai_wire::responses::{EncodeError, ResponsesEncoder};
        let escaping = if go { Escaping::Go } else { Escaping::Minimal };
        let mut out = Vec::new();
        match ResponsesEncoder::with_escaping(escaping).encode(event, &mut out) {
            Ok(()) => Some(out),
            // Documented: an unknown event type with a line break is no SSE event name.
            Err(EncodeError::Sse(_)) if event.kind().contains(['\r', '\n']) => None,
            Err(e) => panic!("a decoded event must encode: {e}: {event:?}"),
        }
    }
}

/// `/v1/messages` through `anthropic_wire::events`.
#[derive(Debug)]
pub enum Anthropic {}

impl TypedWire for Anthropic {
    type Event = anthropic_wire::messages::MessageStreamEvent;
    decoder_items!(anthropic_wire, anthropic_wire::events::StreamDecoder);

    fn is_terminal(event: &Self::Event) -> bool {
        matches!(
            event,
            anthropic_wire::messages::MessageStreamEvent::MessageStop(_)
        )
    }
    fn carries_error(_: &Self::Event) -> bool {
        false
    }
    fn encode(event: &Self::Event, go: bool) -> Option<Vec<u8>> {
        use anthropic_wire::Escaping;
        use anthropic_wire::events::StreamEncoder;
        let escaping = if go { Escaping::Go } else { Escaping::Minimal };
        let mut out = Vec::new();
        match StreamEncoder::with_escaping(escaping).encode(event, &mut out) {
            Ok(()) => Some(out),
            // Documented: an unknown event type with a line break is no SSE event name.
            Err(_) if event.kind().contains(['\r', '\n']) => None,
            Err(e) => panic!("a decoded event must encode: {e}: {event:?}"),
        }
    }
}

/// Decodes `pieces`, checking the life cycle and the heap as it goes; the transcript of every
/// item and the verdict, and (when `events` is given) the decoded events collected into it.
fn run<W: TypedWire>(
    pieces: &[&[u8]],
    config: &SseConfig,
    record: bool,
    mut events: Option<&mut Vec<W::Event>>,
) -> Transcript {
    let mut transcript = Transcript::new(record);
    let mut decoder = W::decoder(config.clone());
    let baseline = live_bytes();
    let (mut done, mut after_end, mut chunks) = (false, 0, 0u64);
    // The terminal event was `response.failed`: its error is the next item.
    let mut error_due = false;
    let (mut largest, mut pushed) = (0, 0);
    for piece in pieces {
        largest = largest.max(piece.len());
        pushed += piece.len();
        W::push(&mut decoder, piece);
        while let Some(item) = decoder.next() {
            let event = match &item {
                Ok(event) => Some(event),
                Err(e) => match W::kind(e) {
                    Kind::Protocol(event) => Some(event),
                    _ => None,
                },
            };
            if error_due {
                let upstream = matches!(&item, Err(e) if matches!(W::kind(e), Kind::Upstream));
                assert!(upstream, "after response.failed, its error: {item:?}");
                error_due = false;
            } else if done {
                // After the terminal event: one AfterEnd at most, then nothing.
                let after = matches!(&item, Err(e) if matches!(W::kind(e), Kind::AfterEnd));
                assert!(after, "after the terminal event: {item:?}");
                after_end += 1;
                assert_eq!(after_end, 1, "AfterEnd is reported once");
            }
            if let Some(event) = event {
                chunks += 1;
                if W::is_terminal(event) {
                    done = true;
                    error_due = W::carries_error(event);
                }
                if let Some(events) = events.as_deref_mut() {
                    events.push(event.clone());
                }
            }
            if let Err(e) = &item {
                match W::kind(e) {
                    Kind::LineTooLong(limit) => assert_eq!(limit, config.max_line_bytes),
                    Kind::EventTooLarge(limit) => assert_eq!(limit, config.max_event_bytes),
                    Kind::Truncated(_) => panic!("Truncated from next()"),
                    Kind::AfterEnd => assert!(done, "AfterEnd before the terminal event"),
                    _ => {}
                }
            }
            assert_eq!(W::is_done(&decoder), done);
            assert_eq!(W::chunks(&decoder), chunks);
            transcript.add(&item);
        }
        assert!(!error_due, "the error of response.failed comes with it");
        if !record && events.is_none() {
            // The SSE layer's bound, plus the stream state (item ids, block kinds), which
            // grows with the events seen: linear in the input.
            let bound = heap_bound(config, largest) + 8 * pushed;
            assert_heap_within(baseline, bound, "typed stream decoder");
        }
    }
    let end = W::finish(&mut decoder);
    match &end {
        Ok(()) => assert!(done, "finish() is Ok only after the terminal event"),
        Err(e) => match W::kind(e) {
            Kind::Truncated(c) => {
                assert!(!done, "Truncated after the terminal event");
                assert_eq!(c, chunks);
            }
            // Unfinished input after the end is data after the end, when none was reported.
            Kind::AfterEnd => {
                assert!(done, "AfterEnd from finish() before the terminal event");
                after_end += 1;
                assert_eq!(after_end, 1, "AfterEnd is reported once");
            }
            _ => panic!("finish() gave {end:?}"),
        },
    }
    transcript.add(&end);
    transcript
}

/// The events written by the crate's encoder (an event the encoder documents it cannot write
/// is left out), and the events written.
fn encode_all<W: TypedWire>(events: &[W::Event], go: bool) -> (Vec<u8>, Vec<W::Event>) {
    let mut out = Vec::new();
    let mut kept = Vec::new();
    for event in events {
        if let Some(bytes) = W::encode(event, go) {
            out.extend_from_slice(&bytes);
            kept.push(event.clone());
        }
    }
    (out, kept)
}

/// The events `bytes` decode to (those a protocol error carries included).
fn decode_all<W: TypedWire>(bytes: &[u8]) -> Vec<W::Event> {
    let mut again = Vec::new();
    run::<W>(&[bytes], &SseConfig::default(), false, Some(&mut again));
    again
}

/// The events as JSON values, every number as an `f64`: Go writes a float with no fraction as
/// an integer (`1.0` as `1`, `-0.0` as `-0`), which reads back as an integer of equal value.
fn json_values<T: serde::Serialize>(events: &[T]) -> Vec<serde_json::Value> {
    fn numbers_as_floats(value: &mut serde_json::Value) {
        use serde_json::Value;
        match value {
            Value::Number(n) => {
                if let Some(f) = n.as_f64().and_then(serde_json::Number::from_f64) {
                    *n = f;
                }
            }
            Value::Array(items) => items.iter_mut().for_each(numbers_as_floats),
            Value::Object(map) => map.values_mut().for_each(numbers_as_floats),
            _ => {}
        }
    }
    events
        .iter()
        .map(|e| {
            let mut value = serde_json::to_value(e).unwrap_or_else(|err| panic!("{err}"));
            numbers_as_floats(&mut value);
            value
        })
        .collect()
}

/// Minimal escaping: writing the decoded events and decoding the bytes again gives the same
/// events. Go's escaping: the same JSON values, and the bytes are a fixed point.
fn assert_reencodes<W: TypedWire>(events: &[W::Event]) {
    let (out, kept) = encode_all::<W>(events, false);
    let again = decode_all::<W>(&out);
    assert_eq!(again, kept, "minimal: {}", String::from_utf8_lossy(&out));

    let (go, kept) = encode_all::<W>(events, true);
    let again = decode_all::<W>(&go);
    assert_eq!(
        json_values(&again),
        json_values(&kept),
        "Go: {}",
        String::from_utf8_lossy(&go)
    );
    let (twice, _) = encode_all::<W>(&again, true);
    assert_eq!(
        String::from_utf8_lossy(&twice),
        String::from_utf8_lossy(&go),
        "Go's bytes are a fixed point"
    );
}

/// A typed-stream target body. Flags: bits 0..=3 the SSE settings of
/// [`crate::openai::config`] (comments and dataless dispatch are off in these decoders
/// whatever the flags say).
pub fn target<W: TypedWire>(data: &[u8]) {
    let Some(input) = Input::parse(data) else {
        return;
    };
    let config = config(input.flags);
    assert_split_invariant(&input, |pieces, record| {
        run::<W>(pieces, &config, record, None)
    });
    let mut events = Vec::new();
    run::<W>(&[&input.body], &config, false, Some(&mut events));
    assert_reencodes::<W>(&events);
}
