//! The join from a wire decoder to the merger: bytes in, merged events out, sans-IO.

use crate::event::Event;
use wire_core::PushDecoder;

use crate::input::{ErrorCategory, Input, WireError};
use crate::merger::{Merger, Options};

/// A sans-IO stream decoder of a wire crate, as [`MergeDecoder`] drives it: a
/// [`PushDecoder`] (push bytes, pull items, `finish` for the verdict at end of input — the pull
/// shape every decoder of this project has) whose items and verdict convert into [`Input`].
///
/// Implemented for the wire crates' decoders: `ollama_wire::StreamDecoder<T>` (chat and generate,
/// feature `ollama`), `openai_wire::chunks::StreamDecoder` (chat-completion and completion
/// chunks) and `openai_wire::responses::ResponsesStreamDecoder` (Responses events, feature
/// `openai`), and `anthropic_wire::events::StreamDecoder` (Messages events, feature
/// `anthropic`). A wrapper around one (a decoder that counts or logs its items) implements it
/// by passing both methods through.
pub trait WireDecoder: PushDecoder {
    /// An item of the decoder as the merger takes it.
    fn input(item: Self::Item) -> Input;

    /// Ends the input and returns the verdict as an [`Input::End`]. Items still held (a last
    /// NDJSON line without its newline) are pulled afterwards.
    fn finish_input(&mut self) -> Input;
}

/// `impl WireDecoder` for the wire crates' decoders, whose items and verdict convert into
/// [`Input`]: each entry is its `cfg`, `[generics]`, type and `{ where bounds }`.
macro_rules! wire_decoders {
    ($( #[$cfg:meta] [$($generics:tt)*] $ty:ty { $($bounds:tt)* } )*) => {$(
        #[$cfg]
        impl<$($generics)*> WireDecoder for $ty
        where
            $($bounds)*
        {
            fn input(item: Self::Item) -> Input {
                item.into()
            }

            fn finish_input(&mut self) -> Input {
                self.finish().into()
            }
        }
    )*};
}

wire_decoders! {
    #[cfg(feature = "ollama")]
    [T] ollama_wire::StreamDecoder<T> {
        T: ollama_wire::StreamChunk,
        Result<T, ollama_wire::DecodeError>: Into<Input>,
    }
    #[cfg(feature = "openai")]
    [T] openai_wire::chunks::StreamDecoder<T> {
        T: serde::de::DeserializeOwned,
        Result<openai_wire::chunks::StreamItem<T>, openai_wire::DecodeError>: Into<Input>,
    }
    #[cfg(feature = "openai")]
    [] openai_wire::responses::ResponsesStreamDecoder {}
    #[cfg(feature = "anthropic")]
    [] anthropic_wire::events::StreamDecoder {}
}

/// What [`MergeDecoder::push_with`] and [`MergeDecoder::finish_with`] show, in order.
#[derive(Debug)]
#[non_exhaustive]
pub enum Step<'a, T> {
    /// A decoded item (a chunk, an event, a decode error), just before it is merged.
    Item(&'a T),
    /// A merged event ready after the items shown so far.
    Event(Event),
}

/// A wire decoder joined to a [`Merger`]: push body bytes as they arrive, pull merged
/// [`Event`]s. Every item the decoder yields goes to the merger, errors included; the
/// decoder's end-of-input verdict ends the merge, so a cut stream is reported exactly once.
///
/// ```text
///  body bytes ──push()──▶ wire decoder ──items, errors──▶ Merger ──next()──▶ Event
///  end of input ─finish()─▶ verdict ─────────────────────▶ (one Finish, last)
/// ```
///
/// ```
/// # #[cfg(feature = "openai")] {
/// use openai_wire::chunks::StreamDecoder;
/// use ollama_stream_merge::{Event, MergeDecoder, Reducer};
///
/// let body = concat!(
///     "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",",
///     "\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"Hmm.\",\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}\n\n",
/// ); // cut after the finish reason: no `data: [DONE]`
/// let mut join = MergeDecoder::new(openai_wire::chunks::ChatStreamDecoder::new());
/// let mut events = Vec::new();
/// for piece in body.as_bytes().chunks(16) {
///     join.push(piece);
///     events.extend(&mut join);
/// }
/// join.finish();
/// events.extend(&mut join);
///
/// let message = Reducer::reduce(&events);
/// assert_eq!((message.reasoning.as_str(), message.content.as_str()), ("Hmm.", "Hi"));
/// // The missing [DONE] is reported once, as what it is.
/// assert_eq!(message.errors.len(), 1);
/// assert!(message.errors[0].to_string().contains("[DONE]"));
/// assert!(ollama_stream_merge::validate(&events).is_ok());
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct MergeDecoder<D> {
    decoder: D,
    merger: Merger,
}

impl<D: WireDecoder> MergeDecoder<D> {
    /// Joins `decoder` to a merger with the default options.
    pub fn new(decoder: D) -> Self {
        Self::with_options(decoder, Options::default())
    }

    /// Joins `decoder` to a merger with the given policies.
    pub fn with_options(decoder: D, options: Options) -> Self {
        Self {
            decoder,
            merger: Merger::with_options(options),
        }
    }

    /// Decodes `bytes` (any split) and merges every complete item; pull the events afterwards.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.merger.is_ended() {
            return;
        }
        self.decoder.push(bytes);
        self.drain_decoder();
    }

    /// Ends the input: the decoder's verdict and its last items go to the merger, which queues
    /// the one [`Event::Finish`]. Calling it again does nothing.
    pub fn finish(&mut self) {
        if self.merger.is_ended() {
            return;
        }
        let verdict = self.decoder.finish_input();
        self.drain_decoder();
        self.merger.push(verdict);
    }

    fn drain_decoder(&mut self) {
        for item in self.decoder.by_ref() {
            self.merger.push(D::input(item));
        }
    }

    /// [`push`](Self::push), one item at a time, for a caller that must see each decoded item
    /// before it is merged (a re-encoder learning the source's id, model and field spellings
    /// from it) and the events it produced before the next item is decoded: `step` is called
    /// with [`Step::Item`] for an item, then with [`Step::Event`] for each event ready after
    /// merging it. Events queued earlier (and not pulled) come first.
    ///
    /// ```
    /// # #[cfg(feature = "ollama")] {
    /// use ollama_stream_merge::{Event, MergeDecoder, Step};
    ///
    /// let mut join = MergeDecoder::new(ollama_wire::ChatStreamDecoder::new());
    /// let mut log = Vec::new();
    /// join.push_with(
    ///     b"{\"model\":\"qwen3\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n",
    ///     |step| match step {
    ///         Step::Item(Ok(chunk)) => log.push(format!("item from {}", chunk.model)),
    ///         Step::Event(Event::TextDelta { text, .. }) => log.push(format!("text {text}")),
    ///         _ => {}
    ///     },
    /// );
    /// assert_eq!(log, ["item from qwen3", "text Hi"]);
    /// # }
    /// ```
    pub fn push_with(&mut self, bytes: &[u8], mut step: impl FnMut(Step<'_, D::Item>)) {
        self.flush_with(&mut step);
        if self.merger.is_ended() {
            return;
        }
        self.decoder.push(bytes);
        self.drain_with(&mut step);
    }

    /// [`finish`](Self::finish), one item at a time, as [`push_with`](Self::push_with) does:
    /// the decoder's last items, then the events up to the [`Event::Finish`].
    pub fn finish_with(&mut self, mut step: impl FnMut(Step<'_, D::Item>)) {
        if !self.merger.is_ended() {
            let verdict = self.decoder.finish_input();
            self.drain_with(&mut step);
            self.merger.push(verdict);
        }
        self.flush_with(&mut step);
    }

    /// The byte source failed (a reset connection, an idle timeout): ends the input with that
    /// fault, of category [`Transport`](crate::ErrorCategory::Transport), instead of the
    /// decoder's verdict; bytes the decoder holds are dropped. Before the finish signal this is
    /// a cut ([`MergeError::Truncated`](crate::MergeError::Truncated), with
    /// [`Merger::cut`] saying why); after it, the reply was complete and the fault is an error
    /// event of its own. Pull the events afterwards. Does nothing after the end.
    pub fn fail(&mut self, message: impl Into<String>) {
        if self.merger.is_ended() {
            return;
        }
        self.merger.push(Input::End(Some(WireError::new(
            ErrorCategory::Transport,
            None,
            message,
        ))));
    }

    fn drain_with(&mut self, step: &mut impl FnMut(Step<'_, D::Item>)) {
        while let Some(item) = self.decoder.next() {
            step(Step::Item(&item));
            self.merger.push(D::input(item));
            self.flush_with(step);
        }
    }

    fn flush_with(&mut self, step: &mut impl FnMut(Step<'_, D::Item>)) {
        while let Some(event) = self.merger.next_event() {
            step(Step::Event(event));
        }
    }

    /// The next merged event, if one is ready.
    pub fn next_event(&mut self) -> Option<Event> {
        self.merger.next_event()
    }

    /// The decoder (for its counters and limits).
    pub fn decoder(&self) -> &D {
        &self.decoder
    }

    /// The merger (for [`Merger::is_ended`] and [`Merger::has_finish_signal`]).
    pub fn merger(&self) -> &Merger {
        &self.merger
    }
}

impl<D: WireDecoder> Iterator for MergeDecoder<D> {
    type Item = Event;

    /// Same as [`MergeDecoder::next_event`]: `None` means "nothing ready now".
    fn next(&mut self) -> Option<Event> {
        self.next_event()
    }
}

/// Decodes and merges a whole body at once: push it, finish, return every event.
///
/// ```
/// # #[cfg(feature = "ollama")] {
/// use ollama_wire::ChatStreamDecoder;
/// use ollama_stream_merge::{Event, FinishReason, merge_body};
///
/// let body = b"{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":true,\"done_reason\":\"stop\"}";
/// let events = merge_body(ChatStreamDecoder::new(), body, Default::default());
/// let Some(Event::Finish(finish)) = events.last() else { unreachable!() };
/// assert_eq!(finish.reason, FinishReason::Stop);
/// # }
/// ```
pub fn merge_body<D: WireDecoder>(decoder: D, body: &[u8], options: Options) -> Vec<Event> {
    let mut join = MergeDecoder::with_options(decoder, options);
    join.push(body);
    join.finish();
    join.collect()
}
