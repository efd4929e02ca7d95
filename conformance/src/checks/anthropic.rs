//! Replay of Anthropic Messages cases (`/v1/messages`) through `anthropic-wire`.
//!
//! The same four checks as the chat-completion wire ([`super::openai`]):
//! - `outcome` from the error categories: an `error` event or error body is `upstream-error`,
//!   a stream cut before `message_stop` `truncated`, a block-order breach
//!   ([`DecodeError::Protocol`]) `violation`; any other error fails the check;
//! - `chunks`: the events decoded (those a protocol error carries included, `error` events
//!   not), which must also be what the decoder counts;
//! - `splits`: every split plan decodes to the same items as the whole body;
//! - `reencode` (cases served by Ollama): every event frame, `error` events included, is
//!   written back by [`StreamEncoder`] to its exact bytes (Go struct order, Go escaping), the
//!   events the stream decoder yields are those frames, and a non-streamed body (a message or
//!   Anthropic's error object) re-encodes byte for byte.

use anthropic_wire::events::{StreamDecoder, StreamEncoder};
use anthropic_wire::messages::{AnthropicMessage, ErrorResponse, MessageStreamEvent};
use anthropic_wire::response::{BodyKind, classify, decode_error_body, decode_json, encode_body};
use anthropic_wire::sse::{Frame, SseDecoder};
use anthropic_wire::{DecodeError, Encoder, ErrorCategory};

use super::{
    Category, CheckResults, SplitPlan, expect_eq, outcome_of, same_bytes, served_by_ollama,
    split_plans,
};
use crate::corpus::{Case, Outcome};

/// Replays one case.
pub(super) fn run(case: &Case) -> CheckResults {
    let meta = &case.meta;
    match classify(meta.status, meta.content_type.as_deref()) {
        BodyKind::EventStream => run_stream(case),
        BodyKind::Json => run_single(case),
        _ => {
            let error = decode_error_body(meta.status, &case.body);
            let described = if error.message().is_empty() && !case.body.is_empty() {
                Err("the error body yields no message".to_owned())
            } else {
                Ok(())
            };
            let reencode = match &error.payload {
                Some(payload) if served_by_ollama(case) => reencode_error_body(payload, &case.body),
                // A text body (`404 page not found`) has nothing to re-encode.
                _ => Ok(()),
            };
            CheckResults {
                outcome: expect_eq("outcome", Outcome::UpstreamError, meta.expect.outcome)
                    .and(described),
                chunks: expect_eq("chunks", 0, meta.expect.chunks),
                splits: Ok(()), // a whole body, not a stream
                reencode,
            }
        }
    }
}

/// Anthropic's error object as Ollama writes it: gin's `c.JSON` for request validation (no
/// newline) or `json.NewEncoder` (one `\n`); both are Go's bytes, the newline frames them.
fn reencode_error_body(payload: &ErrorResponse, body: &[u8]) -> Result<(), String> {
    let encoded = Encoder::new().to_vec(payload).map_err(|e| e.to_string())?;
    let json = body.strip_suffix(b"\n").unwrap_or(body);
    same_bytes("error body", &encoded, json)
}

/// Decoded items, comparable across splits (errors as their messages).
pub type Items = Vec<Result<MessageStreamEvent, String>>;

/// What decoding a body gave (see [`super::responses::Decoded`]).
#[derive(Debug, Default)]
pub struct Decoded {
    /// Every item, errors as their messages.
    pub items: Items,
    /// The category of each error, in order.
    pub categories: Vec<ErrorCategory>,
    /// How many errors were [`DecodeError::Protocol`].
    pub violations: usize,
    /// The decoded events, in order (carried by a protocol error or not).
    pub events: Vec<MessageStreamEvent>,
    /// [`StreamDecoder::chunks`] at the end.
    pub counted: u64,
}

/// Decodes a `/v1/messages` event stream pushed as `plan` says.
pub fn decode_items(body: &[u8], plan: SplitPlan<'_>) -> Decoded {
    let mut decoder = StreamDecoder::new();
    let mut out = Decoded::default();
    let record = |out: &mut Decoded, item: Result<MessageStreamEvent, DecodeError>| match item {
        Ok(event) => {
            out.events.push(event.clone());
            out.items.push(Ok(event));
        }
        Err(e) => {
            out.categories.push(e.category());
            out.items.push(Err(e.to_string()));
            if let DecodeError::Protocol(p) = e {
                out.violations += 1;
                out.events.push(p.into_event());
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
    out.counted = decoder.chunks();
    out
}

fn run_stream(case: &Case) -> CheckResults {
    let expect = &case.meta.expect;
    let whole = decode_items(&case.body, SplitPlan::Whole);
    let errors = || {
        whole
            .items
            .iter()
            .filter_map(|i| i.as_ref().err().cloned())
            .collect::<Vec<_>>()
    };
    let categories = whole.categories.iter().map(|c| match c {
        ErrorCategory::Upstream => Category::Upstream,
        ErrorCategory::Truncated => Category::Truncated,
        ErrorCategory::Malformed => Category::Malformed,
        other => Category::Other(format!("{other:?}")),
    });
    let outcome = outcome_of(categories, whole.violations, errors);
    let chunks = whole.events.len() as u64;
    let counted = expect_eq("the decoder's own event count", whole.counted, chunks);
    let splits = split_plans(&case.id).into_iter().try_for_each(|plan| {
        if decode_items(&case.body, plan).items == whole.items {
            Ok(())
        } else {
            Err(format!("{plan:?} decodes differently from the whole body"))
        }
    });
    CheckResults {
        outcome: outcome.and_then(|o| expect_eq("outcome", o, expect.outcome)),
        chunks: expect_eq("chunks", chunks, expect.chunks).and(counted),
        splits,
        reencode: if served_by_ollama(case) {
            reencode_frames(&case.body, &whole.events)
        } else {
            Ok(())
        },
    }
}

/// Every event frame of `body` re-encodes to its own bytes, and the non-error frames before
/// `message_stop` (included) are the events the stream decoder gave.
fn reencode_frames(body: &[u8], decoded: &[MessageStreamEvent]) -> Result<(), String> {
    let mut sse = SseDecoder::new();
    sse.push(body);
    let mut encoder = StreamEncoder::new();
    let mut events = Vec::new();
    let mut ended = false;
    while let Some(frame) = sse.next() {
        let offset = sse.last_offset();
        let Frame::Event(frame) = frame.map_err(|e| e.to_string())? else {
            continue;
        };
        let at = |e: serde_json::Error| format!("event at byte {offset}: {e}");
        let mut encoded = Vec::new();
        let error = frame.event.as_deref() == Some("error")
            || serde_json::from_str::<serde_json::Value>(&frame.data)
                .is_ok_and(|v| v.get("type").and_then(|t| t.as_str()) == Some("error"));
        if error {
            let payload: ErrorResponse = serde_json::from_str(&frame.data).map_err(at)?;
            encoder.encode_error(&payload, &mut encoded).map_err(at)?;
        } else {
            let event: MessageStreamEvent = serde_json::from_str(&frame.data).map_err(at)?;
            encoder.encode(&event, &mut encoded).map_err(at)?;
            if !ended {
                ended = matches!(event, MessageStreamEvent::MessageStop(_));
                events.push(event);
            }
        }
        let start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(body.len());
        let end = start.saturating_add(encoded.len()).min(body.len());
        same_bytes(
            &format!("event at byte {offset}"),
            &encoded,
            &body[start..end],
        )?;
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

fn run_single(case: &Case) -> CheckResults {
    let meta = &case.meta;
    match decode_json::<AnthropicMessage>(meta.status, &case.body) {
        Ok(message) => {
            let reencode = if served_by_ollama(case) {
                // json.NewEncoder: Go escaping and one trailing newline.
                encode_body(&message)
                    .map_err(|e| e.to_string())
                    .and_then(|encoded| same_bytes("body", &encoded, &case.body))
            } else {
                Ok(())
            };
            CheckResults {
                outcome: expect_eq("outcome", Outcome::Single, meta.expect.outcome),
                chunks: expect_eq("chunks", 1, meta.expect.chunks),
                splits: Ok(()), // a whole body, not a stream
                reencode,
            }
        }
        Err(e) if e.category() == ErrorCategory::Upstream => CheckResults {
            outcome: expect_eq("outcome", Outcome::UpstreamError, meta.expect.outcome),
            chunks: expect_eq("chunks", 0, meta.expect.chunks),
            splits: Ok(()),
            reencode: Ok(()),
        },
        Err(e) => CheckResults::all_failed(&format!("decode error: {e}")),
    }
}
