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

use super::typed_events::{self, Decoded, EventWire};
use super::{Category, CheckResults, SplitPlan, expect_eq, same_bytes, served_by_ollama};
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

/// The Responses wire as the shared stream checks drive it.
struct Responses;

impl EventWire for Responses {
    type Decoder = ResponsesStreamDecoder;
    type Event = ResponseStreamEvent;
    type Error = DecodeError;

    fn decoder() -> ResponsesStreamDecoder {
        ResponsesStreamDecoder::new()
    }
    fn push(decoder: &mut ResponsesStreamDecoder, bytes: &[u8]) {
        decoder.push(bytes);
    }
    fn finish(decoder: &mut ResponsesStreamDecoder) -> Result<(), DecodeError> {
        decoder.finish()
    }
    fn chunks(decoder: &ResponsesStreamDecoder) -> u64 {
        decoder.chunks()
    }
    fn category(error: &DecodeError) -> Category {
        match error.category() {
            ErrorCategory::Upstream => Category::Upstream,
            ErrorCategory::Truncated => Category::Truncated,
            ErrorCategory::Malformed => Category::Malformed,
            other => Category::Other(format!("{other:?}")),
        }
    }
    fn violation(error: DecodeError) -> Option<ResponseStreamEvent> {
        match error {
            DecodeError::Protocol(p) => Some(p.event),
            _ => None,
        }
    }
}

/// What decoding a `/v1/responses` body gave (see [`Decoded`]).
pub type ResponsesDecoded = Decoded<ResponseStreamEvent>;

/// Decodes a `/v1/responses` event stream pushed as `plan` says.
pub fn decode_items(body: &[u8], plan: SplitPlan<'_>) -> ResponsesDecoded {
    typed_events::decode::<Responses>(body, plan)
}

fn run_stream(case: &Case) -> CheckResults {
    typed_events::check_stream::<Responses>(case, reencode_frames)
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
