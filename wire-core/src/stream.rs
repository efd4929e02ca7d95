//! The one `futures_core::Stream` adapter over any [`PushDecoder`].

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::Stream;
use pin_project::pin_project;

use crate::{Categorized, ErrorCategory, PushDecoder};

/// An item error of [`DecodeStream`]: the byte source failed, or the bytes did not decode.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StreamError<E, D> {
    /// The byte source yielded an error. It is the stream's last item: the bytes held then are
    /// dropped (they are incomplete, and no verdict on them is owed).
    Transport(E),
    /// An item error or the end-of-input verdict of the decoder.
    Decode(D),
}

impl<E, D: Categorized> StreamError<E, D> {
    /// Who is at fault: [`ErrorCategory::Transport`], or the decoder error's category.
    pub fn category(&self) -> ErrorCategory {
        match self {
            Self::Transport(_) => ErrorCategory::Transport,
            Self::Decode(e) => e.category(),
        }
    }

    /// The decoder error's byte offset; `None` for a transport error.
    pub fn offset(&self) -> Option<u64> {
        match self {
            Self::Transport(_) => None,
            Self::Decode(e) => e.offset(),
        }
    }
}

impl<E, D: Categorized> Categorized for StreamError<E, D> {
    fn category(&self) -> ErrorCategory {
        Self::category(self)
    }

    fn offset(&self) -> Option<u64> {
        Self::offset(self)
    }
}

impl<E: fmt::Display, D: fmt::Display> fmt::Display for StreamError<E, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Transport(e) => write!(f, "transport error: {e}"),
            Self::Decode(e) => e.fmt(f),
        }
    }
}

impl<E, D> std::error::Error for StreamError<E, D>
where
    E: std::error::Error + 'static,
    D: std::error::Error + 'static,
{
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Transport(e) => Some(e),
            // The decode error is this error (its message is shown as it is).
            Self::Decode(e) => e.source(),
        }
    }
}

/// What the adapter has seen of its byte source.
enum Source<V> {
    Open,
    /// The body ended; the decoder's verdict, when it was an error, is yielded after the items
    /// the end released.
    Ended(Option<V>),
    /// The body failed; nothing more is yielded.
    Failed,
}

impl<V: fmt::Debug> fmt::Debug for Source<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Open => f.write_str("Open"),
            Self::Ended(verdict) => f.debug_tuple("Ended").field(verdict).finish(),
            Self::Failed => f.write_str("Failed"),
        }
    }
}

/// Bytes in, decoded items out: the async twin of any [`PushDecoder`].
///
/// It takes any `Stream<Item = Result<B, E>>` with `B: AsRef<[u8]>` (e.g.
/// `reqwest::Response::bytes_stream()`), pushes each piece into the decoder and yields every
/// item the decoder has, in order. When the body ends, the decoder's
/// [`finish`](PushDecoder::finish) verdict is the last item when it is an error (a cut stream
/// ends with its error, never silently). A transport error is the last item: the decoder is
/// [abandoned](PushDecoder::abandon) and the stream ends after it.
///
/// ```
/// use futures::{StreamExt, executor::block_on, stream};
/// use wire_core::{DecodeStream, ErrorCategory, PushDecoder, StreamError};
///
/// // A toy decoder: one item per byte; a body must end with b'.'.
/// #[derive(Default)]
/// struct Bytes { held: std::collections::VecDeque<u8>, last: Option<u8> }
/// #[derive(Debug)]
/// struct NoDot;
/// impl wire_core::Categorized for NoDot {
///     fn category(&self) -> ErrorCategory { ErrorCategory::Truncated }
/// }
/// impl Iterator for Bytes {
///     type Item = Result<u8, NoDot>;
///     fn next(&mut self) -> Option<Self::Item> { self.held.pop_front().map(Ok) }
/// }
/// impl PushDecoder for Bytes {
///     type Output = u8;
///     type Error = NoDot;
///     fn push(&mut self, bytes: &[u8]) {
///         self.held.extend(bytes);
///         self.last = bytes.last().copied().or(self.last);
///     }
///     fn finish(&mut self) -> Result<(), NoDot> {
///         if self.last == Some(b'.') { Ok(()) } else { Err(NoDot) }
///     }
/// }
///
/// let body: Vec<Result<&[u8], std::io::Error>> = vec![Ok(b"ab"), Ok(b"c")];
/// let items: Vec<_> = block_on(DecodeStream::<_, Bytes>::new(stream::iter(body)).collect());
/// assert_eq!(items.len(), 4); // a, b, c, then the verdict: no '.'
/// assert!(matches!(items[3], Err(StreamError::Decode(NoDot))));
/// assert_eq!(items[3].as_ref().unwrap_err().category(), ErrorCategory::Truncated);
/// ```
#[pin_project]
pub struct DecodeStream<S, D: PushDecoder> {
    #[pin]
    inner: S,
    decoder: D,
    source: Source<D::Error>,
}

impl<S: fmt::Debug, D: PushDecoder + fmt::Debug> fmt::Debug for DecodeStream<S, D>
where
    D::Error: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeStream")
            .field("inner", &self.inner)
            .field("decoder", &self.decoder)
            .field("source", &self.source)
            .finish()
    }
}

impl<S, D: PushDecoder + Default> DecodeStream<S, D> {
    /// Wraps a byte stream, with a decoder of default settings.
    pub fn new(inner: S) -> Self {
        Self::with_decoder(inner, D::default())
    }
}

impl<S, D: PushDecoder> DecodeStream<S, D> {
    /// Wraps a byte stream, with a decoder made beforehand (with its limits or options).
    pub fn with_decoder(inner: S, decoder: D) -> Self {
        Self {
            inner,
            decoder,
            source: Source::Open,
        }
    }

    /// The decoder (for its counters and state).
    pub fn decoder(&self) -> &D {
        &self.decoder
    }

    /// The byte stream and the decoder, taken apart.
    pub fn into_parts(self) -> (S, D) {
        (self.inner, self.decoder)
    }
}

impl<S, B, E, D> Stream for DecodeStream<S, D>
where
    S: Stream<Item = Result<B, E>>,
    B: AsRef<[u8]>,
    D: PushDecoder,
{
    type Item = Result<D::Output, StreamError<E, D::Error>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let mut this = self.project();
        loop {
            match this.source {
                Source::Failed => return Poll::Ready(None),
                Source::Ended(verdict) => {
                    // Items the end released come first, the verdict last.
                    let item = this
                        .decoder
                        .next()
                        .map(|item| item.map_err(StreamError::Decode));
                    return Poll::Ready(
                        item.or_else(|| verdict.take().map(|v| Err(StreamError::Decode(v)))),
                    );
                }
                Source::Open => {}
            }
            if let Some(item) = this.decoder.next() {
                return Poll::Ready(Some(item.map_err(StreamError::Decode)));
            }
            match ready!(this.inner.as_mut().poll_next(cx)) {
                Some(Ok(bytes)) => this.decoder.push(bytes.as_ref()),
                Some(Err(e)) => {
                    *this.source = Source::Failed;
                    this.decoder.abandon();
                    return Poll::Ready(Some(Err(StreamError::Transport(e))));
                }
                None => *this.source = Source::Ended(this.decoder.finish().err()),
            }
        }
    }
}
