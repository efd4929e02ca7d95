//! Replay of Anthropic Messages cases (`/v1/messages`) through `anthropic-wire`.
//!
//! The same four checks as the chat-completion wire ([`super::openai`]):
//! - `outcome` from the error categories: an `error` event or error body is `upstream-error`,
//!   a stream cut before `message_stop` `truncated`, a block-order breach
//!   ([`DecodeError::Protocol`](anthropic_wire::DecodeError::Protocol)) `violation`; any other error fails the check;
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
use anthropic_wire::sse::Event;
use anthropic_wire::{Encoder, ErrorCategory};

use super::typed_events::{self, Decoded};
use super::{CheckResults, SplitPlan, error_body, same_bytes, served_by_ollama, single_body};
use crate::corpus::Case;

/// Replays one case.
pub(super) fn run(case: &Case) -> CheckResults {
    let meta = &case.meta;
    match classify(meta.status, meta.content_type.as_deref()) {
        BodyKind::EventStream => run_stream(case),
        BodyKind::Json => run_single(case),
        _ => {
            let error = decode_error_body(meta.status, &case.body);
            let reencode = match &error.payload {
                Some(payload) if served_by_ollama(case) => reencode_error_body(payload, &case.body),
                // A text body (`404 page not found`) has nothing to re-encode.
                _ => Ok(()),
            };
            error_body(case, error.message(), reencode)
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

impl typed_events::EventWire for Messages {
    type Decoder = StreamDecoder;
    type Event = MessageStreamEvent;
    type Error = anthropic_wire::DecodeError;

    fn chunks(decoder: &StreamDecoder) -> u64 {
        decoder.chunks()
    }

    fn violation(error: anthropic_wire::DecodeError) -> Option<MessageStreamEvent> {
        match error {
            anthropic_wire::DecodeError::Protocol(protocol) => Some(protocol.into_event()),
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
    let mut encoder = StreamEncoder::new();
    let reencode = |frame: &Event, encoded: &mut Vec<u8>| -> Result<_, serde_json::Error> {
        let error = frame.event.as_deref() == Some("error")
            || serde_json::from_str::<serde_json::Value>(&frame.data)
                .is_ok_and(|v| v.get("type").and_then(|t| t.as_str()) == Some("error"));
        if error {
            let payload: ErrorResponse = serde_json::from_str(&frame.data)?;
            encoder.encode_error(&payload, encoded)?;
            Ok(None)
        } else {
            let event: MessageStreamEvent = serde_json::from_str(&frame.data)?;
            encoder.encode(&event, encoded)?;
            Ok(Some(event))
        }
    };
    typed_events::reencode_frames(body, decoded, reencode, |event| {
        matches!(event, MessageStreamEvent::MessageStop(_))
    })
}

fn run_single(case: &Case) -> CheckResults {
    single_body(
        case,
        decode_json::<AnthropicMessage>(case.meta.status, &case.body),
        |e| e.category() == ErrorCategory::Upstream,
        // json.NewEncoder: Go escaping and one trailing newline.
        |message| {
            encode_body(message)
                .map_err(|e| e.to_string())
                .and_then(|encoded| same_bytes("body", &encoded, &case.body))
        },
    )
}
