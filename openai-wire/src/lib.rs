//! Spec-exact Server-Sent Events and the OpenAI-compatible chat-completions
//! wire format, as local servers (Ollama `/v1`, llama.cpp `llama-server`,
//! llama-cpp-python) put it on the wire.
//!
//! Bytes in, events out — no IO, no async runtime:
//!
//! ```
//! use openai_wire::chat::ChatCompletionFinishReason;
//! use openai_wire::chunks::{StreamDecoder, StreamItem};
//!
//! let body = concat!(
//!     "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,",
//!     "\"model\":\"qwen3\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n",
//!     "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,",
//!     "\"model\":\"qwen3\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
//!     "data: [DONE]\n\n",
//! );
//! let mut decoder: StreamDecoder = StreamDecoder::new();
//! let mut text = String::new();
//! // Network reads can split the body anywhere.
//! for piece in body.as_bytes().chunks(10) {
//!     decoder.push(piece);
//!     for item in &mut decoder {
//!         match item? {
//!             StreamItem::Chunk(chunk) => {
//!                 let choice = &chunk.choices[0];
//!                 text.push_str(choice.delta.content.as_deref().unwrap_or(""));
//!                 if let Some(reason) = &choice.finish_reason {
//!                     assert_eq!(*reason, ChatCompletionFinishReason::Stop);
//!                 }
//!             }
//!             StreamItem::Done => {}
//!             _ => {}
//!         }
//!     }
//! }
//! decoder.finish()?; // Err(Truncated) if the stream was cut before [DONE]
//! assert_eq!(text, "Hi");
//! # Ok::<(), openai_wire::DecodeError>(())
//! ```
//!
//! # Design overview
//!
//! ```text
//!  bytes ──push──▶ sse::SseDecoder ──Frame──▶ chunks::StreamDecoder ──StreamItem<T>──▶
//!                  (WHATWG framing,           ([DONE], error objects,
//!                   limits, offsets)           JSON → chat::ChatCompletionChunk)
//! ```
//!
//! - [`sse`]: the event-stream decoder and encoder, the [`sse-wire`](https://docs.rs/sse-wire)
//!   crate re-exported (use it on its own for any event stream).
//! - [`chat`]: request, response, chunk and error types.
//! - [`chunks`]: the chat-completions stream decoder.
//! - [`responses`]: `/v1/responses` (the Responses API): request, response object, stream
//!   events, [`ResponsesStreamDecoder`](responses::ResponsesStreamDecoder) (bytes in, typed
//!   events out, consistency violations as items) and the encoder of Ollama's bytes.
//! - [`response`]: classify an HTTP response by status and content type;
//!   decode non-streamed and error bodies.
//! - `stream` (default feature `stream`): `futures_core::Stream` adapters.
//!
//! # Borrowed decoding
//!
//! For hot paths (proxies, gateways), [`StreamDecoder::next_as`](chunks::StreamDecoder::next_as)
//! decodes into a type that borrows from the decoder's buffer, such as
//! [`chat::ChatCompletionChunkRef`]: text without JSON escapes is not copied, and an event's data
//! is not copied out of the input either ([`SseDecoder::next_ref`](sse::SseDecoder::next_ref)).
//! Same items, errors and rules as the owned iterator. `wire-bench` in this repository measures
//! both against serde_json on pre-split payloads.
//!
//! Errors are sorted by who is at fault ([`ErrorCategory`]): the peer's bytes
//! (`Malformed`), our limits (`Limit`), the server's error report
//! (`Upstream`), or an early end of input (`Truncated`). Per-item problems
//! are items, not the end of decoding.
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// Library code reports failures as values; tests may unwrap.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#![cfg_attr(not(test), deny(clippy::panic, clippy::indexing_slicing))]

pub mod audio;
pub mod chat;
pub mod chunks;
pub mod completions;
pub mod embeddings;
mod error;
pub mod images;
pub mod models;
pub mod response;
pub mod responses;
/// The WHATWG event-stream codec this crate decodes with: the `sse-wire` crate.
pub use sse_wire as sse;
#[cfg(feature = "stream")]
pub mod stream;

pub use error::{DONE_TERMINATOR, DecodeError, ErrorCategory, OpenAiError, RESPONSES_TERMINATOR};
/// The encoder: Go's `encoding/json` bytes (the default) or serde_json's.
pub use go_json_formatter::{Encoder, Escaping};
/// The shared shape of every decoder and error of the wire crates (from `wire-core`), for
/// code generic over them.
pub use wire_core::{Categorized, PushDecoder};
