//! `POST /v1/responses`: the OpenAI Responses API as Ollama (0.33) serves it — request,
//! response object, output items, stream events, a sans-IO stream decoder with consistency
//! checks, and an encoder that writes Ollama's bytes.
//!
//! ```text
//!  bytes ──push──▶ sse::SseDecoder ──event──▶ ResponsesStreamDecoder ──ResponseStreamEvent──▶
//!                  (WHATWG framing,          (dispatch on `type`, error events → Upstream,
//!                   limits, offsets)          terminal event, sequence / item / part checks
//!                                             → Protocol { offset, violation, event })
//!
//!  ResponseStreamEvent ──ResponsesEncoder──▶ `event: <type>\ndata: <sorted-key JSON>\n\n`
//!  Response ──Encoder::new()──▶ the non-streamed body (Go struct order)
//! ```
//!
//! A stream is `response.created`, `response.in_progress`, then per output item
//! `response.output_item.added`, its deltas and `….done` events, `response.output_item.done`,
//! and one terminal event: `response.completed` (Ollama's only one), `response.incomplete` or
//! `response.failed`. There is no `data: [DONE]`. Ollama writes each event as `event: <type>`,
//! `data: <json>` and a blank line; the JSON comes from Go maps, so its keys are sorted at
//! every level, except a `json_schema` format's `schema`, which it echoes as the client sent
//! it (kept as [`RawJson`]). A non-streamed reply is a Go struct: the field order of
//! [`Response`]. Ollama never sends `reasoning_summary_part` or `reasoning_text` events: its
//! thinking text comes as `response.reasoning_summary_text.delta` with `summary_index` 0.
//!
//! ```
//! use openai_wire::responses::{ResponseStreamEvent, ResponsesEncoder, ResponsesStreamDecoder};
//!
//! let body = concat!(
//!     "event: response.created\n",
//!     r#"data: {"response":{"id":"resp_1","output":[]},"sequence_number":0,"type":"response.created"}"#, "\n\n",
//!     "event: response.output_item.added\n",
//!     r#"data: {"item":{"content":[],"id":"msg_1","role":"assistant","status":"in_progress","type":"message"},"output_index":0,"sequence_number":1,"type":"response.output_item.added"}"#, "\n\n",
//!     "event: response.content_part.added\n",
//!     r#"data: {"content_index":0,"item_id":"msg_1","output_index":0,"part":{"annotations":[],"logprobs":[],"text":"","type":"output_text"},"sequence_number":2,"type":"response.content_part.added"}"#, "\n\n",
//!     "event: response.output_text.delta\n",
//!     r#"data: {"content_index":0,"delta":"Hi \u003c3","item_id":"msg_1","logprobs":[],"output_index":0,"sequence_number":3,"type":"response.output_text.delta"}"#, "\n\n",
//!     "event: response.output_item.done\n",
//!     r#"data: {"item":{"content":[],"id":"msg_1","role":"assistant","status":"completed","type":"message"},"output_index":0,"sequence_number":4,"type":"response.output_item.done"}"#, "\n\n",
//!     "event: response.completed\n",
//!     r#"data: {"response":{"id":"resp_1","output":[]},"sequence_number":5,"type":"response.completed"}"#, "\n\n",
//! );
//! let mut decoder = ResponsesStreamDecoder::new();
//! let mut encoder = ResponsesEncoder::new();
//! let (mut text, mut bytes) = (String::new(), Vec::new());
//! // Network reads can split the body anywhere.
//! for piece in body.as_bytes().chunks(10) {
//!     decoder.push(piece);
//!     for event in &mut decoder {
//!         let event = event?;
//!         if let ResponseStreamEvent::OutputTextDelta(delta) = &event {
//!             text.push_str(&delta.delta);
//!         }
//!         encoder.encode(&event, &mut bytes).unwrap();
//!     }
//! }
//! decoder.finish()?; // Err(Truncated) if the stream was cut before response.completed
//! assert_eq!(text, "Hi <3");
//! assert_eq!(decoder.chunks(), 6);
//! // The response objects were partial here, so they re-encode as the crate writes them
//! // (Ollama's always-written nulls added); every other event byte for byte.
//! assert!(String::from_utf8(bytes).unwrap().contains(concat!(
//!     "event: response.output_text.delta\n",
//!     r#"data: {"content_index":0,"delta":"Hi \u003c3","item_id":"msg_1","logprobs":[],"output_index":0,"sequence_number":3,"type":"response.output_text.delta"}"#, "\n\n",
//! )));
//! # Ok::<(), openai_wire::DecodeError>(())
//! ```
//!
//! A non-streamed body decodes with [`response::decode_json`](crate::response::decode_json)
//! `::<Response>` and an error body (Ollama: a 400 `{"error":{"message":…,"type":…}}`) with
//! [`response::decode_error_body`](crate::response::decode_error_body).

mod borrowed;
mod decoder;
mod encode;
mod events;
mod types;

pub use borrowed::{ResponseDeltaEventRef, ResponseStreamEventRef};
pub use decoder::{ProtocolError, ResponsesStreamDecoder, Violation};
pub use encode::{EncodeError, ResponsesEncoder};
pub use events::*;
pub use types::*;

#[cfg(test)]
mod tests;
