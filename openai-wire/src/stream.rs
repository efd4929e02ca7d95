//! `futures_core::Stream` adapters over the sans-IO decoders (feature `stream`): each is
//! [`wire_core::DecodeStream`], the one adapter every wire crate of this project uses, over one
//! of this crate's decoders.
//!
//! An adapter takes any `Stream<Item = Result<B, E>>` with `B: AsRef<[u8]>` (e.g.
//! `reqwest::Response::bytes_stream()`) and yields the decoder's items; when the body ends,
//! the decoder's `finish` verdict is the last item if it is an error (a stream cut before
//! `data: [DONE]` or before a terminal Responses event ends with that error). A transport error
//! is the last item: the bytes held when it happened are dropped (they are incomplete, and no
//! verdict on them is owed).
//!
//! ```
//! use futures::{StreamExt, executor::block_on, stream};
//! use openai_wire::stream::{ChatStream, StreamError};
//!
//! let body: Vec<Result<&[u8], std::io::Error>> = vec![Ok(
//!     b"data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[]}\n\n",
//! )];
//! let items: Vec<_> = block_on(ChatStream::new(stream::iter(body)).collect());
//! assert!(items[0].is_ok());
//! // No `data: [DONE]`: the verdict is the last item.
//! assert!(matches!(items[1], Err(StreamError::Decode(openai_wire::DecodeError::Truncated { .. }))));
//! assert_eq!(items.len(), 2);
//! ```
//!
//! Limits go in the decoder: `ChatStream::with_decoder(body, ChatStreamDecoder::with_config(config))`.

use crate::chat::ChatCompletionChunk;
use crate::chunks::StreamDecoder;
use crate::error::DecodeError;
use crate::responses::ResponsesStreamDecoder;
use crate::sse::{SseDecoder, SseError};

/// Bytes in, chat-completion (or completion, with `T = CompletionChunk`) stream items out; the
/// async twin of [`StreamDecoder`].
pub type DecodeStream<S, T = ChatCompletionChunk> = wire_core::DecodeStream<S, StreamDecoder<T>>;

/// Decodes a `/v1/chat/completions` event-stream body.
pub type ChatStream<S> = DecodeStream<S, ChatCompletionChunk>;

/// Bytes in, `/v1/responses` events out; the async twin of [`ResponsesStreamDecoder`].
pub type ResponsesStream<S> = wire_core::DecodeStream<S, ResponsesStreamDecoder>;

/// Bytes in, SSE frames out: the event-stream framing alone, the async twin of [`SseDecoder`];
/// a cut stream ends with an [`SseError::Truncated`].
pub type SseStream<S> = wire_core::DecodeStream<S, SseDecoder>;

/// An error of [`DecodeStream`] and [`ResponsesStream`]: the byte source's (`Transport`) or a
/// [`DecodeError`] (`Decode`).
pub type StreamError<E> = wire_core::StreamError<E, DecodeError>;

/// An error of [`SseStream`]: the byte source's, or an [`SseError`] (a limit, or the cut).
pub type SseStreamError<E> = wire_core::StreamError<E, SseError>;
