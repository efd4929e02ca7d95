//! Replay of OpenAI Responses API cases (`/v1/responses`) through `openai-wire`'s
//! `responses` module.
//!
//! The same four checks as the chat-completion wire ([`super::openai`]):
//! - `outcome` from the error categories: an upstream error (an `error` event, or the error a
//!   `response.failed` carries) is `upstream-error`, a stream cut before its terminal event
//!   `truncated`, a consistency breach ([`DecodeError::Protocol`]) `violation`; any other
//!   error fails the check;
//! - `chunks`: the events decoded (those a protocol error carries included, error events not),
//!   which must also be what the decoder counts;
//! - `splits`: every split plan decodes to the same items as the whole body;
//! - `reencode` (cases served by Ollama): every event frame, `error` events included, is
//!   written back by [`ResponsesEncoder`] to its exact bytes (`event:` line, sorted-key data,
//!   blank line), the events the stream decoder yields are those frames, and a non-streamed
//!   [`Response`] body re-encodes byte for byte (Go's `json.Encoder`: Go escaping and one `\n`).

use openai_wire::response::{BodyKind, classify, decode_error_body, decode_json};
use openai_wire::responses::{
    Response, ResponseStreamEvent, ResponsesEncoder, ResponsesStreamDecoder,
};
use openai_wire::sse::{Frame, SseDecoder};
use openai_wire::{DecodeError, Encoder, ErrorCategory, Escaping};

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
            CheckResults {
                outcome: expect_eq("outcome", Outcome::UpstreamError, meta.expect.outcome)
                    .and(described),
                chunks: expect_eq("chunks", 0, meta.expect.chunks),
                splits: Ok(()), // a whole body, not a stream
                // As on the chat wire, error bodies are not re-encoded (OpenAI's error
                // envelope is read into `OpenAiError`, not a type that writes it back).
                reencode: Ok(()),
            }
        }
    }
}

/// Decoded items, comparable across splits (errors as their messages).
pub type Items = Vec<Result<ResponseStreamEvent, String>>;

/// What decoding a body gave: the items (the end-of-input verdict last when it is an error),
/// the error categories, whether any error was a protocol violation, the events (those a
/// protocol error carries included) and the decoder's own event count.
#[derive(Debug, Default)]
pub struct Decoded {
    /// Every item, errors as their messages.
    pub items: Items,
    /// The category of each error, in order.
    pub categories: Vec<ErrorCategory>,
    /// How many errors were [`DecodeError::Protocol`].
    pub violations: usize,
    /// The decoded events, in order (carried by a protocol error or not).
    pub events: Vec<ResponseStreamEvent>,
    /// [`ResponsesStreamDecoder::chunks`] at the end.
    pub counted: u64,
}

/// Decodes a `/v1/responses` event stream pushed as `plan` says.
pub fn decode_items(body: &[u8], plan: SplitPlan<'_>) -> Decoded {
    let mut decoder = ResponsesStreamDecoder::new();
    let mut out = Decoded::default();
    let record = |out: &mut Decoded, item: Result<ResponseStreamEvent, DecodeError>| match item {
        Ok(event) => {
            out.events.push(event.clone());
            out.items.push(Ok(event));
        }
        Err(e) => {
            out.categories.push(e.category());
            out.items.push(Err(e.to_string()));
            if let DecodeError::Protocol(p) = e {
                out.violations += 1;
                out.events.push(p.event);
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
/// the end are the events the stream decoder gave.
fn reencode_frames(body: &[u8], decoded: &[ResponseStreamEvent]) -> Result<(), String> {
    let mut sse = SseDecoder::new();
    sse.push(body);
    let mut encoder = ResponsesEncoder::new();
    let mut events = Vec::new();
    let mut ended = false;
    while let Some(frame) = sse.next() {
        let offset = sse.last_offset();
        let Frame::Event(frame) = frame.map_err(|e| e.to_string())? else {
            continue;
        };
        let kind = serde_json::from_str::<serde_json::Value>(&frame.data)
            .ok()
            .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_owned))
            .unwrap_or_else(|| frame.event_type().to_owned());
        let event = ResponseStreamEvent::from_data(&kind, &frame.data)
            .map_err(|e| format!("event at byte {offset}: {e}"))?;
        let mut encoded = Vec::new();
        encoder
            .encode(&event, &mut encoded)
            .map_err(|e| format!("event at byte {offset}: {e}"))?;
        let start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(body.len());
        let end = start.saturating_add(encoded.len()).min(body.len());
        same_bytes(
            &format!("event at byte {offset}"),
            &encoded,
            &body[start..end],
        )?;
        if !ended && !matches!(event, ResponseStreamEvent::Error(_)) {
            ended = event.is_terminal();
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

fn run_single(case: &Case) -> CheckResults {
    let meta = &case.meta;
    match decode_json::<Response>(meta.status, &case.body) {
        Ok(response) => {
            let reencode = if served_by_ollama(case) {
                // Ollama writes the body with Go's json.Encoder: Go escaping, one "\n".
                let mut encoded = Vec::new();
                Encoder::with_escaping(Escaping::Go)
                    .encode_line(&response, &mut encoded)
                    .map_err(|e| e.to_string())
                    .and_then(|()| same_bytes("body", &encoded, &case.body))
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
