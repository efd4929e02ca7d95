//! A `futures_core::Stream` adapter (feature `stream`).

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use pin_project::pin_project;

use crate::delta::Delta;
use crate::event::Event;
use crate::merger::{Merger, Options};

/// Merges a stream of deltas into a stream of events; the inner stream's end is the end of
/// input ([`Merger::finish`]), so the last item is always [`Event::Finish`].
///
/// Items of the inner stream may be anything that converts into a [`Delta`] (wire chunks with
/// the `ollama` / `openai` features). Turn transport errors into [`Delta::error`] items first.
///
/// ```
/// # futures::executor::block_on(async {
/// use futures::StreamExt;
/// use stream_merge::{Delta, Event, MergeStream};
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
    S::Item: Into<Delta>,
{
    type Item = Event;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Event>> {
        let mut this = self.project();
        loop {
            if let Some(event) = this.merger.next_event() {
                return Poll::Ready(Some(event));
            }
            if *this.done {
                return Poll::Ready(None);
            }
            match this.inner.as_mut().poll_next(cx) {
                Poll::Ready(Some(item)) => this.merger.push(item.into()),
                Poll::Ready(None) => {
                    this.merger.finish();
                    *this.done = true;
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}
