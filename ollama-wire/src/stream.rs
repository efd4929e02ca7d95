//! `futures::Stream` adapter over the sans-IO decoders (feature `stream`, on by default).

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use pin_project::pin_project;

use crate::decode::{StreamChunk, StreamDecoder};
use crate::error::{DecodeError, ErrorCategory};
use crate::types::{ChatResponse, GenerateResponse};

/// An error from [`DecodeStream`]: the body's transport failed, or its bytes did not decode.
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamError<E> {
    /// The byte stream yielded an error; nothing more is read after it.
    Transport(E),
    /// The bytes did not decode; see [`DecodeError::is_terminal`].
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

impl<E: fmt::Display> fmt::Display for StreamError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Transport(e) => write!(f, "transport error: {e}"),
            Self::Decode(e) => e.fmt(f),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for StreamError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Transport(e) => Some(e),
            Self::Decode(e) => Some(e),
        }
    }
}

/// Decodes a stream of byte chunks (an HTTP body) into typed chunks.
///
/// Yields every item of [`StreamDecoder::next`], in order, ending with `None` once the body has
/// ended and its verdict has been reported (a [`DecodeError::Truncated`] item if no `done`
/// chunk came).
///
/// ```
/// use futures::{StreamExt, executor::block_on, stream};
/// use ollama_wire::ChatStream;
///
/// let parts: Vec<Result<&[u8], std::io::Error>> = vec![
///     Ok(b"{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"do"),
///     Ok(b"ne\":true}\n"),
/// ];
/// let chunks: Vec<_> = block_on(ChatStream::new(stream::iter(parts)).collect());
/// assert_eq!(chunks.len(), 1);
/// assert_eq!(chunks[0].as_ref().unwrap().message.content, "Hi");
/// ```
#[pin_project]
pub struct DecodeStream<S, T> {
    #[pin]
    inner: S,
    decoder: StreamDecoder<T>,
    body_done: bool,
    /// The end-of-input verdict, yielded after the last items.
    verdict: Option<DecodeError>,
}

/// Decodes an `/api/chat` body.
pub type ChatStream<S> = DecodeStream<S, ChatResponse>;
/// Decodes an `/api/generate` body.
pub type GenerateStream<S> = DecodeStream<S, GenerateResponse>;

impl<S, T: StreamChunk> DecodeStream<S, T> {
    /// Wraps a byte stream with a default decoder.
    pub fn new(inner: S) -> Self {
        Self::with_decoder(inner, StreamDecoder::new())
    }

    /// Wraps a byte stream with a configured decoder.
    pub fn with_decoder(inner: S, decoder: StreamDecoder<T>) -> Self {
        Self {
            inner,
            decoder,
            body_done: false,
            verdict: None,
        }
    }

    /// The underlying decoder.
    pub fn decoder(&self) -> &StreamDecoder<T> {
        &self.decoder
    }
}

impl<S, T, B, E> Stream for DecodeStream<S, T>
where
    S: Stream<Item = Result<B, E>>,
    B: AsRef<[u8]>,
    T: StreamChunk,
{
    type Item = Result<T, StreamError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let mut this = self.project();
        loop {
            if let Some(item) = this.decoder.next() {
                return Poll::Ready(Some(item.map_err(StreamError::Decode)));
            }
            if *this.body_done {
                return Poll::Ready(this.verdict.take().map(|e| Err(StreamError::Decode(e))));
            }
            match this.inner.as_mut().poll_next(cx) {
                Poll::Ready(Some(Ok(bytes))) => this.decoder.push(bytes.as_ref()),
                Poll::Ready(Some(Err(e))) => {
                    *this.body_done = true;
                    // The transport failed: no verdict on the (incomplete) bytes is owed.
                    this.decoder.abandon();
                    return Poll::Ready(Some(Err(StreamError::Transport(e))));
                }
                Poll::Ready(None) => {
                    *this.body_done = true;
                    *this.verdict = this.decoder.finish().err();
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}
