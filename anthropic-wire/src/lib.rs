//! The Anthropic Messages API as Ollama serves it at `/v1/messages`: typed requests, messages
//! and stream events, a sans-IO event-stream decoder that checks the content-block order, and
//! an encoder that writes Ollama's bytes back exactly.
//!
//! Bytes in, events out — no IO, no async runtime:
//!
//! ```
//! use anthropic_wire::events::StreamDecoder;
//! use anthropic_wire::messages::{ContentBlockDelta, MessageStreamEvent, StopReason};
//!
//! let body = concat!(
//!     "event: message_start\n",
//!     "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",",
//!     "\"model\":\"qwen3\",\"content\":[],\"usage\":{\"input_tokens\":9,\"output_tokens\":0}}}\n\n",
//!     "event: content_block_start\n",
//!     "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
//!     "event: content_block_delta\n",
//!     "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n",
//!     "event: content_block_stop\n",
//!     "data: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
//!     "event: message_delta\n",
//!     "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}\n\n",
//!     "event: message_stop\n",
//!     "data: {\"type\":\"message_stop\"}\n\n",
//! );
//! let mut decoder = StreamDecoder::new();
//! let mut text = String::new();
//! // Network reads can split the body anywhere.
//! for piece in body.as_bytes().chunks(10) {
//!     decoder.push(piece);
//!     for event in &mut decoder {
//!         match event? {
//!             MessageStreamEvent::ContentBlockDelta(d) => {
//!                 if let ContentBlockDelta::TextDelta(t) = &d.delta {
//!                     text.push_str(&t.text);
//!                 }
//!             }
//!             MessageStreamEvent::MessageDelta(d) => {
//!                 assert_eq!(d.delta.stop_reason, Some(StopReason::EndTurn));
//!             }
//!             _ => {}
//!         }
//!     }
//! }
//! decoder.finish()?; // Err(Truncated) if the stream was cut before message_stop
//! assert_eq!(text, "Hi");
//! # Ok::<(), anthropic_wire::DecodeError>(())
//! ```
//!
//! # Design overview
//!
//! ```text
//!  bytes ──push──▶ sse::SseDecoder ──event──▶ events::StreamDecoder ──MessageStreamEvent──▶
//!                  (WHATWG framing,           (JSON → typed event by `type`,
//!                   limits, offsets)           error events, block-order check,
//!                                              message_stop = the end)
//!
//!  MessageStreamEvent ──events::StreamEncoder──▶ `event: <type>\ndata: <Go JSON>\n\n`
//! ```
//!
//! - [`messages`]: request ([`messages::MessageCreateParams`]), response
//!   ([`messages::AnthropicMessage`]), content blocks, stream events, the error body.
//! - [`events`]: the stream decoder, its [`events::Violation`]s, and the encoder.
//! - [`response`]: classify an HTTP response by status and content type; decode
//!   non-streamed and error bodies; encode a body as Ollama does.
//! - `stream` (default feature `stream`): a `futures_core::Stream` adapter.
//! - [`sse`]: the event-stream codec, the [`sse-wire`](https://docs.rs/sse-wire) crate
//!   re-exported.
//!
//! Errors are sorted by who is at fault ([`ErrorCategory`]): the peer's bytes or event order
//! (`Malformed`), our limits (`Limit`), the server's error report (`Upstream`), or an early
//! end of input (`Truncated`). Per-event problems are items, not the end of decoding.
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// Library code reports failures as values; tests may unwrap.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#![cfg_attr(not(test), deny(clippy::panic, clippy::indexing_slicing))]

mod borrowed;
mod error;
pub mod events;
mod json;
pub mod messages;
pub mod response;
/// The WHATWG event-stream codec this crate decodes with: the `sse-wire` crate.
pub use sse_wire as sse;
#[cfg(feature = "stream")]
pub mod stream;

pub use error::{AnthropicError, DecodeError, ErrorCategory};
/// The encoder: Go's `encoding/json` bytes (the default) or serde_json's.
pub use go_json_formatter::{Encoder, Escaping};
pub use json::{RawJson, UnknownFields};
/// The shared shape of every decoder and error of the wire crates (from `wire-core`), for
/// code generic over them.
pub use wire_core::{Categorized, PushDecoder};

/// The README example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
