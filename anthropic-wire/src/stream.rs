//! A `futures_core::Stream` adapter over the sans-IO decoder (feature `stream`):
//! [`wire_core::DecodeStream`], the one adapter every wire crate of this project uses, over
//! [`StreamDecoder`].
//!
//! [`DecodeStream`] takes any `Stream<Item = Result<B, E>>` with `B: AsRef<[u8]>` (e.g.
//! `reqwest::Response::bytes_stream()`) and reports the end of input as
//! [`StreamDecoder::finish`] does: a cut stream ends with a final error item. A transport error
//! is the last item: the bytes held when it happened are dropped (they are incomplete, and no
//! verdict on them is owed).
//!
//! ```
//! use anthropic_wire::stream::{DecodeStream, StreamError};
//! use futures::StreamExt;
//!
//! # futures::executor::block_on(async {
//! let body: Vec<Result<bytes::Bytes, std::io::Error>> =
//!     vec![Ok(bytes::Bytes::from_static(b"event: ping\ndata: {\"type\":\"ping\"}\n\n"))];
//! let mut events = DecodeStream::new(futures::stream::iter(body));
//! assert!(events.next().await.unwrap().is_ok()); // the ping
//! // The body ended before message_stop: the last item is the verdict.
//! let last = events.next().await.unwrap();
//! assert!(matches!(last, Err(StreamError::Decode(anthropic_wire::DecodeError::Truncated { .. }))));
//! assert!(events.next().await.is_none());
//! # });
//! ```
//!
//! Limits go in the decoder: `DecodeStream::with_decoder(body, StreamDecoder::with_config(config))`.

use crate::error::DecodeError;
use crate::events::StreamDecoder;

/// Bytes in, [`MessageStreamEvent`](crate::messages::MessageStreamEvent)s out; the async twin
/// of [`StreamDecoder`].
pub type DecodeStream<S> = wire_core::DecodeStream<S, StreamDecoder>;

/// An error of [`DecodeStream`]: the byte source's (`Transport`) or a [`DecodeError`]
/// (`Decode`: a decoding, order, upstream or truncation error).
pub type StreamError<E> = wire_core::StreamError<E, DecodeError>;
