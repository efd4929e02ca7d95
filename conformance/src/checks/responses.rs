//! Replay of OpenAI Responses API cases (`/v1/responses`) through `openai-wire`'s
//! `responses` module.
//!
//! The same four checks as the chat-completion wire ([`super::openai`]):
//! - `outcome` from the error categories: an upstream error (an `error` event, or the error a
//!   `response.failed` carries) is `upstream-error`, a stream cut before its terminal event
//!   `truncated`, a consistency breach ([`DecodeError::Protocol`](openai_wire::DecodeError::Protocol)) `violation`; any other
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
use openai_wire::sse::Event;
use openai_wire::{Encoder, ErrorCategory, Escaping};

use super::typed_events::{self, Decoded};
use super::{CheckResults, SplitPlan, error_body, same_bytes, single_body};
use crate::corpus::Case;

/// Replays one case.
pub(super) fn run(case: &Case) -> CheckResults {
    let meta = &case.meta;
    match classify(meta.status, meta.content_type.as_deref()) {
        BodyKind::EventStream => run_stream(case),
        BodyKind::Json => run_single(case),
        // As on the chat wire, error bodies are not re-encoded (OpenAI's error envelope is
        // read into `OpenAiError`, not a type that writes it back).
        _ => error_body(
            case,
            decode_error_body(meta.status, &case.body).message(),
            Ok(()),
        ),
    }
}

/// The Responses wire as the shared stream checks drive it.
struct Responses;

impl typed_events::EventWire for Responses {
    type Decoder = ResponsesStreamDecoder;
    type Event = ResponseStreamEvent;
    type Error = openai_wire::DecodeError;

    fn chunks(decoder: &ResponsesStreamDecoder) -> u64 {
        decoder.chunks()
    }

    fn violation(error: openai_wire::DecodeError) -> Option<ResponseStreamEvent> {
        match error {
            openai_wire::DecodeError::Protocol(protocol) => Some(protocol.event),
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
    let mut encoder = ResponsesEncoder::new();
    let reencode = |frame: &Event, encoded: &mut Vec<u8>| {
        let kind = serde_json::from_str::<serde_json::Value>(&frame.data)
            .ok()
            .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_owned))
            .unwrap_or_else(|| frame.event_type().to_owned());
        let event =
            ResponseStreamEvent::from_data(&kind, &frame.data).map_err(|e| e.to_string())?;
        encoder.encode(&event, encoded).map_err(|e| e.to_string())?;
        // An `error` event is an error frame: the decoder yields it as no event.
        let error = matches!(event, ResponseStreamEvent::Error(_));
        Ok::<_, String>((!error).then_some(event))
    };
    typed_events::reencode_frames(body, decoded, reencode, ResponseStreamEvent::is_terminal)
}

fn run_single(case: &Case) -> CheckResults {
    single_body(
        case,
        decode_json::<Response>(case.meta.status, &case.body),
        |e| e.category() == ErrorCategory::Upstream,
        |response| {
            // Ollama writes the body with Go's json.Encoder: Go escaping, one "\n".
            let mut encoded = Vec::new();
            Encoder::with_escaping(Escaping::Go)
                .encode_line(response, &mut encoded)
                .map_err(|e| e.to_string())
                .and_then(|()| same_bytes("body", &encoded, &case.body))
        },
    )
}
