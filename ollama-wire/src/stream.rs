//! `futures_core::Stream` adapters over the sans-IO decoders (feature `stream`, on by default):
//! [`wire_core::DecodeStream`], the one adapter every wire crate of this project uses, over a
//! [`StreamDecoder`].
//!
//! An adapter yields every item of [`StreamDecoder::next`], in order, ending once the body has
//! ended and its verdict has been reported (a [`DecodeError::Truncated`] item if no `done`
//! chunk came). A transport error is the last item: the decoder is
//! [abandoned](StreamDecoder::abandon) (the bytes it held are incomplete and owe no verdict).
//!
//! ```
//! use futures::{StreamExt, executor::block_on, stream};
//! use ollama_wire::ChatStream;
//!
//! let parts: Vec<Result<&[u8], std::io::Error>> = vec![
//!     Ok(b"{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"do"),
//!     Ok(b"ne\":true}\n"),
//! ];
//! let chunks: Vec<_> = block_on(ChatStream::new(stream::iter(parts)).collect());
//! assert_eq!(chunks.len(), 1);
//! assert_eq!(chunks[0].as_ref().unwrap().message.content, "Hi");
//! ```
//!
//! Limits go in the decoder: `ChatStream::with_decoder(body, ChatStreamDecoder::with_max_line_len(n))`.

use crate::decode::StreamDecoder;
use crate::error::DecodeError;
use crate::types::{ChatResponse, GenerateResponse};

/// Bytes in, typed chunks `T` out; the async twin of [`StreamDecoder`].
pub type DecodeStream<S, T> = wire_core::DecodeStream<S, StreamDecoder<T>>;

/// Decodes an `/api/chat` body.
pub type ChatStream<S> = DecodeStream<S, ChatResponse>;

/// Decodes an `/api/generate` body.
pub type GenerateStream<S> = DecodeStream<S, GenerateResponse>;

/// An error of [`DecodeStream`]: the byte source's (`Transport`; nothing more is read after
/// it) or a [`DecodeError`] (`Decode`; see [`DecodeError::is_terminal`]).
pub type StreamError<E> = wire_core::StreamError<E, DecodeError>;
