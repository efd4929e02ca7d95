//! What the merger takes: one decoded item of any wire, or the end of input.

use serde::Serialize;

use crate::delta::Delta;

/// One thing a wire decoder produced, as [`Merger::push`](crate::Merger::push) takes it.
///
/// Everything the decoders of `ollama-wire` and `openai-wire` yield converts into it (features
/// `ollama` and `openai`): their items and errors, their end-of-input verdicts, the items and
/// errors of their async adapters, whole non-stream replies and error bodies. So the loop from a
/// decoder to the merger is one line, whatever the wire:
///
/// ```
/// # #[cfg(feature = "ollama")] {
/// use ollama_stream_merge::{Event, Merger};
///
/// let body = b"{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n";
/// let mut decoder = ollama_wire::ChatStreamDecoder::new();
/// let mut merger = Merger::new();
/// decoder.push(body);
/// let verdict = decoder.finish(); // cut: no `done: true` chunk
/// decoder.by_ref().for_each(|item| merger.push(item));
/// merger.push(verdict); // the end of input
/// let events: Vec<Event> = merger.collect();
/// assert!(matches!(events.last(), Some(Event::Finish(_))));
/// # }
/// ```
///
/// [`MergeDecoder`](crate::MergeDecoder) and [`MergeStream`](crate::MergeStream) run that loop
/// for you.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Input {
    /// A chunk or a whole reply, normalized (an upstream error is a delta too:
    /// [`Delta::error`]).
    Delta(Delta),
    /// An item that carries nothing for the reply: `data: [DONE]`, an item kind the merger does
    /// not read.
    Nothing,
    /// A fault of the bytes that the reply survives: a malformed line or event, a limit, data
    /// after the end. It becomes an [`Event::Error`](crate::Event::Error) in place.
    Wire(WireError),
    /// The end of input, with the decoder's verdict: `None` for a clean end, else how the
    /// stream was cut (or that its transport failed). Ends the merge like
    /// [`Merger::finish`](crate::Merger::finish).
    End(Option<WireError>),
    /// An event out of the protocol's order (an Anthropic content block started over one never
    /// stopped, a Responses delta for an item never added, …), with what it carried. The
    /// merger's [`OnViolation`](crate::OnViolation) policy decides: report and repair (the
    /// default: an [`Event::Error`](crate::Event::Error) in place, then the content merged into
    /// well-formed blocks as if the event had been in order), or fail the reply.
    Violation {
        /// The fault, as the wire decoder reported it.
        error: WireError,
        /// What the event carried.
        content: Box<Self>,
    },
}

impl Input {
    /// The byte source failed: a [`WireError`] of category [`ErrorCategory::Transport`].
    #[cfg(feature = "stream")]
    pub(crate) fn transport(error: &dyn std::fmt::Display) -> Self {
        Self::Wire(WireError::new(
            ErrorCategory::Transport,
            None,
            error.to_string(),
        ))
    }
}

/// `impl From<Result<T, E>> for Input` for wire items whose `T` and `E` each convert: the
/// decoders' `Result` items, whole-reply decodes, the adapters' items.
#[allow(unused_macros)] // used by the wire conversions (features)
macro_rules! from_result {
    ($( [$($generics:tt)*] $ok:ty, $err:ty; )*) => {$(
        impl<$($generics)*> From<Result<$ok, $err>> for $crate::input::Input {
            fn from(item: Result<$ok, $err>) -> Self {
                item.map_or_else(Self::from, Self::from)
            }
        }
    )*};
}

/// A wire crate's async adapter error (`wire_core::StreamError`, the one adapter error type of
/// every wire crate): its `Decode` errors convert as the decoder's do; a transport error is a
/// [`WireError`] of category [`Transport`](ErrorCategory::Transport).
#[cfg(feature = "stream")]
impl<E, D> From<wire_core::StreamError<E, D>> for Input
where
    E: std::fmt::Display,
    D: Into<Self> + std::fmt::Display,
{
    fn from(error: wire_core::StreamError<E, D>) -> Self {
        match error {
            wire_core::StreamError::Decode(e) => e.into(),
            // Non-exhaustive: a transport error, or whatever may come.
            other => Self::transport(&other),
        }
    }
}

/// `impl From<T> for Input` for wire values that are one [`Delta`] each (stream chunks, whole
/// replies).
#[allow(unused_macros)] // used by the wire conversions (features)
macro_rules! from_delta {
    ($( $(#[$doc:meta])* $ty:ty; )*) => {$(
        $(#[$doc])*
        impl From<$ty> for $crate::input::Input {
            fn from(value: $ty) -> Self {
                Self::Delta(value.into())
            }
        }
    )*};
}

/// `impl From<T> for Input` for a wire's upstream error object: a [`Delta::error`].
#[allow(unused_macros)] // used by the wire conversions (features)
macro_rules! from_upstream_error {
    ($( $ty:ty; )*) => {$(
        impl From<$ty> for $crate::input::Input {
            fn from(error: $ty) -> Self {
                Self::Delta($crate::delta::Delta::error((&error).into()))
            }
        }
    )*};
}

impl From<Delta> for Input {
    fn from(delta: Delta) -> Self {
        Self::Delta(delta)
    }
}

/// Who is at fault for a [`WireError`]: the one category type of every wire crate (an upstream
/// error is not a wire error here but a [`Delta::error`], so a `WireError` is never
/// [`Upstream`](ErrorCategory::Upstream)). Serialized as a `snake_case` string.
pub use wire_core::ErrorCategory;

/// A decoding fault, carried from the wire crate that found it into the merged stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
#[non_exhaustive]
pub struct WireError {
    /// Who is at fault.
    pub category: ErrorCategory,
    /// Byte offset in the body the fault refers to, when the wire crate gave one.
    pub offset: Option<u64>,
    /// The wire crate's message.
    pub message: String,
}

impl WireError {
    /// A wire crate's decode error as a wire error: its category, offset and message (an
    /// upstream or transport category, which a decode error carried into the merger never has,
    /// reads as `Malformed`).
    #[cfg(any(feature = "ollama", feature = "openai", feature = "anthropic"))]
    pub(crate) fn of<E: wire_core::Categorized + std::fmt::Display>(error: &E) -> Self {
        let category = match error.category() {
            category @ (ErrorCategory::Limit | ErrorCategory::Truncated) => category,
            _ => ErrorCategory::Malformed,
        };
        Self::new(category, error.offset(), error.to_string())
    }

    /// A wire error.
    pub fn new(category: ErrorCategory, offset: Option<u64>, message: impl Into<String>) -> Self {
        Self {
            category,
            offset,
            message: message.into(),
        }
    }
}
