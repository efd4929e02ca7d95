//! Ollama's native API on the wire: typed messages, a sans-IO NDJSON stream decoder, an encoder
//! that reproduces Ollama's bytes, and a `futures::Stream` adapter.
//!
//! # Bytes in, chunks out
//!
//! ```text
//!  HTTP body bytes ──push()──▶ LineFramer ──lines──▶ StreamDecoder<T> ──next()──▶ Ok(chunk)
//!  (any split)                 (\n, \r\n, limit)     (JSON → T, error             Err(Upstream)
//!                                                     lines, done:true)           Err(Malformed)
//!  end of input ──finish()──▶ verdict: Ok, or Err(Truncated) before `done: true`
//! ```
//!
//! ```
//! use ollama_wire::{ChatAccumulator, ChatStreamDecoder, DecodeError};
//!
//! // Two chunks of an Ollama 0.13-style /api/chat stream, split mid-character: "é" is 2 bytes.
//! let body = "{\"model\":\"qwen3\",\"created_at\":\"2026-01-10T16:55:30.915663454Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"thinking\":\"Hmm\"},\"done\":false}\n\
//!             {\"model\":\"qwen3\",\"created_at\":\"2026-01-10T16:55:31.1Z\",\"message\":{\"role\":\"assistant\",\"content\":\"Café\"},\"done\":true,\"done_reason\":\"stop\",\"eval_count\":2}\n";
//! let (a, b) = body.as_bytes().split_at(body.find('é').unwrap() + 1);
//!
//! let mut decoder = ChatStreamDecoder::new();
//! let mut reply = ChatAccumulator::new();
//! for part in [a, b] {
//!     decoder.push(part);
//!     for chunk in &mut decoder {
//!         reply.push(chunk?);
//!     }
//! }
//! decoder.finish()?; // Err(DecodeError::Truncated) if the `done: true` chunk never came
//! let reply = reply.finish();
//! assert_eq!(reply.message.thinking(), "Hmm");
//! assert_eq!(reply.message.content, "Café");
//! assert_eq!(reply.metrics.eval_count, Some(2));
//! # Ok::<(), DecodeError>(())
//! ```
//!
//! # What it guarantees
//!
//! - **Nothing is lost.** Every line either decodes or is reported as a typed [`DecodeError`]
//!   carrying its byte offset; an `{"error": …}` line is [`DecodeError::Upstream`]; end of input
//!   before `"done": true` is [`DecodeError::Truncated`]; tool calls on any chunk, the `done`
//!   chunk included, are kept.
//! - **Any split.** Bytes may be split anywhere, inside a line or a UTF-8 character; lines are
//!   only decoded once complete.
//! - **Bounded.** Lines longer than a configurable limit ([`framing::DEFAULT_MAX_LINE_LEN`]) are
//!   rejected with [`DecodeError::LineTooLong`] without buffering them.
//! - **Byte-faithful.** Decoding then encoding (with [`Encoder`]) an Ollama line gives the same
//!   bytes: field order (including the pre-v0.12.0 `done_reason`/`done` order, see
//!   [`FieldOrder`]), omission rules, Go's `\u003c`-style escaping, tool-call argument key order
//!   and integers above 2^53 are preserved.
//!
//! # Borrowed decoding
//!
//! For hot paths, [`StreamDecoder::next_as`] decodes into a type that borrows from the decoder's
//! buffer, such as [`ChatResponseRef`]: text without JSON escapes is not copied (and lines are
//! never copied out of the input buffer, on either path). Same items, errors and rules as
//! [`StreamDecoder::next`]; [`ChatResponseRef::into_owned`] gives the owned chunk.
//!
//! # Whole responses
//!
//! Ollama answers a `stream: true` request with a single JSON object when it has nothing to
//! stream (load/unload replies, errors raised before the first chunk). Dispatch on the response
//! with [`classify`], decode single objects with [`decode_json`], and error bodies with
//! [`decode_error_body`]. The stream decoders also accept a single object: a non-stream reply is a
//! one-line stream whose only chunk is `done: true`.
//!
//! # Features
//!
//! - `stream` (default): [`DecodeStream`], a `futures_core::Stream` adapter over
//!   `Stream<Item = Result<impl AsRef<[u8]>, E>>`. The sans-IO core needs no runtime.
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// Library code reports failures as values; tests may unwrap.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#![cfg_attr(not(test), deny(clippy::panic, clippy::indexing_slicing))]

mod accumulate;
pub mod blobs;
mod decode;
mod error;
pub mod framing;
pub mod go_client;
mod progress;
mod response;
#[cfg(feature = "stream")]
mod stream;
pub mod types;

pub use accumulate::ChatAccumulator;
pub use decode::{
    ChatStreamDecoder, GenerateStreamDecoder, ProgressStreamDecoder, StreamChunk, StreamChunkRef,
    StreamDecoder,
};
pub use error::{DecodeError, ErrorCategory};
/// The encoder: Go's `encoding/json` bytes (the default) or serde_json's.
pub use go_json_formatter::{Encoder, Escaping};
pub use progress::{LayerProgress, Phase, ProgressAccumulator, ProgressOutcome};
pub use response::{BodyKind, ResponseError, classify, decode_error_body, decode_json};
#[cfg(feature = "stream")]
pub use stream::{ChatStream, DecodeStream, GenerateStream, StreamError};
pub use types::*;
/// The shared shape of every decoder and error of the wire crates (from `wire-core`), for
/// code generic over them.
pub use wire_core::{Categorized, PushDecoder};

/// The README example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
