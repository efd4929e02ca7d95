//! Folding events into the final assistant message.

use serde::Serialize;

use crate::event::{BlockOutcome, Event, Finish, MergeError, MergedToolCall};

/// The reply a stream adds up to.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct AssistantMessage {
    /// All reasoning text, in order.
    pub reasoning: String,
    /// All visible text, in order.
    pub content: String,
    /// Tool calls in the order they ended, each with its strictly parsed arguments (or why they
    /// could not be parsed).
    pub tool_calls: Vec<MergedToolCall>,
    /// The finish event; `None` until the stream finished.
    pub finish: Option<Finish>,
    /// Every error event, in order.
    pub errors: Vec<MergeError>,
}

impl AssistantMessage {
    /// Whether the reply ended cleanly: finished, with no error event.
    pub fn is_complete(&self) -> bool {
        self.finish.is_some() && self.errors.is_empty()
    }
}

/// Folds [`Event`]s into an [`AssistantMessage`], a pure fold: the same events always give the
/// same message.
///
/// ```
/// use ollama_stream_merge::{Delta, FinishReason, Reducer, merge};
///
/// let events = merge(
///     [Delta::reasoning("Hmm.").with_content("Hi"), Delta::finish(Some("stop"))],
///     Default::default(),
/// );
/// let message = Reducer::reduce(events);
/// assert_eq!((message.reasoning.as_str(), message.content.as_str()), ("Hmm.", "Hi"));
/// assert_eq!(message.finish.map(|f| f.reason), Some(FinishReason::Stop));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Reducer {
    message: AssistantMessage,
}

impl Reducer {
    /// An empty reducer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Folds one event in.
    pub fn push(&mut self, event: &Event) {
        let m = &mut self.message;
        match event {
            Event::TextDelta { text, .. } => m.content.push_str(text),
            Event::ReasoningDelta { text, .. } => m.reasoning.push_str(text),
            Event::BlockEnd {
                outcome: BlockOutcome::ToolCall(call),
                ..
            } => m.tool_calls.push(call.clone()),
            Event::Error { error } => m.errors.push(error.clone()),
            Event::Finish(finish) => m.finish = Some(finish.clone()),
            Event::BlockStart { .. } | Event::ToolArgsDelta { .. } | Event::BlockEnd { .. } => {}
        }
    }

    /// The message so far.
    pub fn message(&self) -> &AssistantMessage {
        &self.message
    }

    /// The message.
    pub fn into_message(self) -> AssistantMessage {
        self.message
    }

    /// Folds a whole event sequence.
    pub fn reduce<I>(events: I) -> AssistantMessage
    where
        I: IntoIterator,
        I::Item: std::borrow::Borrow<Event>,
    {
        let mut reducer = Self::new();
        for event in events {
            reducer.push(std::borrow::Borrow::borrow(&event));
        }
        reducer.into_message()
    }
}

impl<'a> Extend<&'a Event> for Reducer {
    fn extend<T: IntoIterator<Item = &'a Event>>(&mut self, events: T) {
        for event in events {
            self.push(event);
        }
    }
}

impl FromIterator<Event> for AssistantMessage {
    fn from_iter<T: IntoIterator<Item = Event>>(events: T) -> Self {
        Reducer::reduce(events)
    }
}
