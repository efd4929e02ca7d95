//! A `futures_core::Stream` adapter over the sans-IO decoder (feature `stream`).
//!
//! [`DecodeStream`] takes any `Stream<Item = Result<Bytes, E>>` (e.g.
//! `reqwest::Response::bytes_stream()`) and reports the end of input as
//! [`StreamDecoder::finish`] does: a cut stream ends with a final error item. A transport
//! error is the last item: the bytes held when it happened are dropped (they are incomplete,
//! and no verdict on them is owed), as in the other wire crates' adapters.

use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use futures_core::Stream;
use pin_project::pin_project;

use crate::error::{DecodeError, ErrorCategory};
use crate::events::StreamDecoder;
use crate::messages::MessageStreamEvent;
use crate::sse::SseConfig;

/// An error of [`DecodeStream`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StreamError<E> {
    /// The byte source failed; the stream ends with this item (events still buffered are
    /// dropped).
    #[error("transport error: {0}")]
    Transport(#[source] E),
    /// A decoding, order, upstream or truncation error (see [`DecodeError`]).
    #[error(transparent)]
    Decode(DecodeError),
}

impl<E> StreamError<E> {
    /// Who is at fault.
    pub fn category(&self) -> ErrorCategory {
        match self {
            Self::Transport(_) => ErrorCategory::Transport,
            Self::Decode(e) => e.category(),
        }
    }
}

/// Bytes in, [`MessageStreamEvent`]s out; the async twin of [`StreamDecoder`].
///
/// ```
/// use anthropic_wire::stream::{DecodeStream, StreamError};
/// use futures::StreamExt;
///
/// # futures::executor::block_on(async {
/// let body: Vec<Result<bytes::Bytes, std::io::Error>> =
///     vec![Ok(bytes::Bytes::from_static(b"event: ping\ndata: {\"type\":\"ping\"}\n\n"))];
/// let mut events = DecodeStream::new(futures::stream::iter(body));
/// assert!(events.next().await.unwrap().is_ok()); // the ping
/// // The body ended before message_stop: the last item is the verdict.
/// let last = events.next().await.unwrap();
/// assert!(matches!(last, Err(StreamError::Decode(anthropic_wire::DecodeError::Truncated { .. }))));
/// assert!(events.next().await.is_none());
/// # });
/// ```
#[pin_project]
#[derive(Debug)]
pub struct DecodeStream<S> {
    #[pin]
    inner: S,
    decoder: StreamDecoder,
    finished: bool,
    abandoned: bool,
}

impl<S> DecodeStream<S> {
    /// Wraps a byte stream, with default settings.
    pub fn new(inner: S) -> Self {
        Self::with_config(inner, SseConfig::default())
    }

    /// Wraps a byte stream, with the given SSE limits.
    pub fn with_config(inner: S, config: SseConfig) -> Self {
        Self {
            inner,
            decoder: StreamDecoder::with_config(config),
            finished: false,
            abandoned: false,
        }
    }

    /// The decoder (for its counters and state).
    pub fn decoder(&self) -> &StreamDecoder {
        &self.decoder
    }
}

impl<S, E> Stream for DecodeStream<S>
where
    S: Stream<Item = Result<Bytes, E>>,
{
    type Item = Result<MessageStreamEvent, StreamError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let mut this = self.project();
        loop {
            if *this.abandoned {
                return Poll::Ready(None);
            }
            if let Some(item) = this.decoder.next() {
                return Poll::Ready(Some(item.map_err(StreamError::Decode)));
            }
            if *this.finished {
                return Poll::Ready(None);
            }
            match ready!(this.inner.as_mut().poll_next(cx)) {
                Some(Ok(bytes)) => this.decoder.push(&bytes),
                Some(Err(e)) => {
                    *this.abandoned = true;
                    return Poll::Ready(Some(Err(StreamError::Transport(e))));
                }
                None => {
                    *this.finished = true;
                    if let Err(e) = this.decoder.finish() {
                        return Poll::Ready(Some(Err(StreamError::Decode(e))));
                    }
                }
            }
        }
    }
}
