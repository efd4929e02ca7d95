//! A `futures_core::Stream` adapter (feature `stream`).

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use pin_project::pin_project;

#[cfg(doc)]
use crate::delta::Delta;
use crate::event::Event;
use crate::input::Input;
use crate::merger::{Merger, Options};

/// Merges a stream of inputs into a stream of events; the inner stream's end is the end of
/// input ([`Merger::finish`]), so the last item is always [`Event::Finish`].
///
/// Items of the inner stream may be anything that converts into an [`Input`]: the items of
/// `ollama_wire::ChatStream` / `GenerateStream` and of `openai_wire::stream::DecodeStream`,
/// errors included (features `ollama` / `openai`), or plain [`Delta`]s. No loop to write:
///
/// ```
/// # #[cfg(feature = "ollama")]
/// # futures::executor::block_on(async {
/// use futures::StreamExt;
/// use ollama_stream_merge::{MergeStream, Reducer};
///
/// let body: Vec<Result<&[u8], std::io::Error>> = vec![
///     Ok(b"{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n"),
///     Err(std::io::Error::other("connection reset")),
/// ];
/// let chunks = ollama_wire::ChatStream::new(futures::stream::iter(body));
/// let events: Vec<_> = MergeStream::new(chunks).collect().await;
/// let message = Reducer::reduce(&events);
/// assert_eq!(message.content, "Hi");
/// // The transport error, then the missing finish: never a silent success.
/// assert_eq!(message.errors.len(), 2);
/// # });
/// ```
///
/// ```
/// # futures::executor::block_on(async {
/// use futures::StreamExt;
/// use ollama_stream_merge::{Delta, Event, MergeStream};
///
/// let deltas = futures::stream::iter([Delta::content("Hi"), Delta::finish(Some("stop"))]);
/// let events: Vec<Event> = MergeStream::new(deltas).collect().await;
/// assert!(matches!(events.last(), Some(Event::Finish(_))));
/// # });
/// ```
#[pin_project]
#[derive(Debug)]
pub struct MergeStream<S> {
    #[pin]
    inner: S,
    merger: Merger,
    done: bool,
}

impl<S> MergeStream<S> {
    /// Merges `inner` with the default options.
    pub fn new(inner: S) -> Self {
        Self::with_options(inner, Options::default())
    }

    /// Merges `inner` with the given policies.
    pub fn with_options(inner: S, options: Options) -> Self {
        Self {
            inner,
            merger: Merger::with_options(options),
            done: false,
        }
    }

    /// The merger (for its options and state).
    pub fn merger(&self) -> &Merger {
        &self.merger
    }
}

impl<S> Stream for MergeStream<S>
where
    S: Stream,
    S::Item: Into<Input>,
{
    type Item = Event;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Event>> {
        let mut this = self.project();
        loop {
            if let Some(event) = this.merger.next_event() {
                return Poll::Ready(Some(event));
            }
            if *this.done || this.merger.is_ended() {
                return Poll::Ready(None);
            }
            match this.inner.as_mut().poll_next(cx) {
                Poll::Ready(Some(item)) => this.merger.push(item),
                Poll::Ready(None) => {
                    this.merger.finish();
                    *this.done = true;
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}
