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

/// The Messages wire as the shared stream checks drive it.
struct Messages;

impl EventWire for Messages {
    type Decoder = StreamDecoder;
    type Event = MessageStreamEvent;
    type Error = DecodeError;

    fn decoder() -> StreamDecoder {
        StreamDecoder::new()
    }
    fn push(decoder: &mut StreamDecoder, bytes: &[u8]) {
        decoder.push(bytes);
    }
    fn finish(decoder: &mut StreamDecoder) -> Result<(), DecodeError> {
        decoder.finish()
    }
    fn chunks(decoder: &StreamDecoder) -> u64 {
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
    fn violation(error: DecodeError) -> Option<MessageStreamEvent> {
        match error {
            DecodeError::Protocol(p) => Some(p.into_event()),
            _ => None,
        }
    }
}

/// What decoding a `/v1/messages` body gave (see [`Decoded`]).
pub type MessagesDecoded = Decoded<MessageStreamEvent>;

/// Decodes a `/v1/messages` event stream pushed as `plan` says.
pub fn decode_items(body: &[u8], plan: SplitPlan<'_>) -> MessagesDecoded {
    typed_events::decode::<Messages>(body, plan)
}

fn run_stream(case: &Case) -> CheckResults {
    typed_events::check_stream::<Messages>(case, reencode_frames)
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
