//! Borrowed stream events for hot paths: the `….delta` events, whose text points into the input.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;
use wire_core::borrow::opt_text;

use super::events::{ResponseDeltaEvent, ResponseStreamEvent};

/// The data of a `….delta` event (see [`ResponseDeltaEvent`]), borrowing its text from the
/// input: a text without JSON escapes points into it, one with escapes is unescaped into an
/// owned [`Cow`]. Decoding rules are those of [`ResponseDeltaEvent`] (unknown fields ignored,
/// `null` for the optional ones), and [`into_owned`](Self::into_owned) gives exactly the event
/// the owned decoder produces.
///
/// ```
/// use openai_wire::responses::ResponseDeltaEventRef;
///
/// let data = r#"{"content_index":0,"delta":"Hi","item_id":"msg_1","logprobs":[],"output_index":0,"sequence_number":3,"type":"response.output_text.delta"}"#;
/// let delta: ResponseDeltaEventRef<'_> = serde_json::from_str(data).unwrap();
/// assert_eq!(delta.delta, "Hi");
/// assert!(matches!(delta.item_id, std::borrow::Cow::Borrowed("msg_1"))); // not copied
/// ```
#[derive(Clone, PartialEq, Default, Deserialize)]
#[non_exhaustive]
pub struct ResponseDeltaEventRef<'a> {
    /// The part's position in the item's `content` (text deltas).
    pub content_index: Option<u32>,
    /// The new text.
    #[serde(borrow, default)]
    pub delta: Cow<'a, str>,
    /// The item.
    #[serde(borrow, default)]
    pub item_id: Cow<'a, str>,
    /// Token log probabilities (`[]` on Ollama's text deltas; owned: rare and nested).
    pub logprobs: Option<Vec<Value>>,
    /// Padding some servers add against length side channels.
    #[serde(borrow, default, deserialize_with = "opt_text")]
    pub obfuscation: Option<Cow<'a, str>>,
    /// The item's position in `output`.
    #[serde(default)]
    pub output_index: u32,
    /// Position of the event in the stream.
    #[serde(default)]
    pub sequence_number: u64,
    /// The summary part's position (reasoning summary deltas).
    pub summary_index: Option<u32>,
    /// The data's `type`, read in the same pass so that the decoder need not look for it
    /// first (not public: the decoder dispatches on it; [`ResponseStreamEventRef`] says it).
    #[serde(rename = "type", borrow, default)]
    pub(super) stated_type: Option<Cow<'a, str>>,
    /// Whether the data has a non-`null` `error` key, read in the same pass: only then does
    /// the decoder probe it for an upstream error.
    #[serde(rename = "error", default)]
    pub(super) error_key: Option<IgnoredAny>,
}

/// The public fields only (the decoder's own two are left out).
impl fmt::Debug for ResponseDeltaEventRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseDeltaEventRef")
            .field("content_index", &self.content_index)
            .field("delta", &self.delta)
            .field("item_id", &self.item_id)
            .field("logprobs", &self.logprobs)
            .field("obfuscation", &self.obfuscation)
            .field("output_index", &self.output_index)
            .field("sequence_number", &self.sequence_number)
            .field("summary_index", &self.summary_index)
            .finish_non_exhaustive()
    }
}

impl ResponseDeltaEventRef<'_> {
    /// The owned event data, as the owned decoder gives it.
    pub fn into_owned(self) -> ResponseDeltaEvent {
        ResponseDeltaEvent {
            content_index: self.content_index,
            delta: self.delta.into_owned(),
            item_id: self.item_id.into_owned(),
            logprobs: self.logprobs,
            obfuscation: self.obfuscation.map(Cow::into_owned),
            output_index: self.output_index,
            sequence_number: self.sequence_number,
            summary_index: self.summary_index,
        }
    }
}

/// One event of a `/v1/responses` stream, the `….delta` events borrowing their text from the
/// input (what [`ResponsesStreamDecoder::next_ref`](super::ResponsesStreamDecoder::next_ref)
/// yields); every other event is decoded owned, as [`ResponseStreamEvent`] has it.
/// [`into_owned`](Self::into_owned) gives exactly the owned decoder's event.
///
/// ```
/// use openai_wire::responses::ResponseStreamEventRef;
///
/// let data = r#"{"delta":"Let me see","item_id":"rs_1","output_index":0,"sequence_number":2,"summary_index":0,"type":"response.reasoning_summary_text.delta"}"#;
/// let event = ResponseStreamEventRef::from_data("response.reasoning_summary_text.delta", data)?;
/// let ResponseStreamEventRef::ReasoningSummaryTextDelta(delta) = &event else { panic!() };
/// assert_eq!(delta.delta, "Let me see");
/// assert_eq!(event.sequence_number(), Some(2));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ResponseStreamEventRef<'a> {
    /// `response.output_text.delta`.
    OutputTextDelta(ResponseDeltaEventRef<'a>),
    /// `response.reasoning_summary_text.delta`: Ollama's thinking text.
    ReasoningSummaryTextDelta(ResponseDeltaEventRef<'a>),
    /// `response.reasoning_text.delta` (Ollama sends none).
    ReasoningTextDelta(ResponseDeltaEventRef<'a>),
    /// `response.function_call_arguments.delta`.
    FunctionCallArgumentsDelta(ResponseDeltaEventRef<'a>),
    /// Any other event, owned (boxed: the response objects are large).
    Other(Box<ResponseStreamEvent>),
}

/// The delta event kinds with a borrowed form, by their `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DeltaKind {
    OutputText,
    ReasoningSummaryText,
    ReasoningText,
    FunctionCallArguments,
}

impl DeltaKind {
    /// The kind of a delta `type`, `None` for every other type.
    pub(super) fn of(kind: &str) -> Option<Self> {
        // Every delta type ends so; the other types are not compared at all.
        if !kind.ends_with(".delta") {
            return None;
        }
        match kind {
            "response.output_text.delta" => Some(Self::OutputText),
            "response.reasoning_summary_text.delta" => Some(Self::ReasoningSummaryText),
            "response.reasoning_text.delta" => Some(Self::ReasoningText),
            "response.function_call_arguments.delta" => Some(Self::FunctionCallArguments),
            _ => None,
        }
    }

    /// The `type`.
    pub(super) fn name(self) -> &'static str {
        match self {
            Self::OutputText => "response.output_text.delta",
            Self::ReasoningSummaryText => "response.reasoning_summary_text.delta",
            Self::ReasoningText => "response.reasoning_text.delta",
            Self::FunctionCallArguments => "response.function_call_arguments.delta",
        }
    }

    /// The owned event of this kind.
    pub(super) fn owned(self, data: ResponseDeltaEventRef<'_>) -> ResponseStreamEvent {
        use ResponseStreamEvent as E;
        let data = data.into_owned();
        match self {
            Self::OutputText => E::OutputTextDelta(data),
            Self::ReasoningSummaryText => E::ReasoningSummaryTextDelta(data),
            Self::ReasoningText => E::ReasoningTextDelta(data),
            Self::FunctionCallArguments => E::FunctionCallArgumentsDelta(data),
        }
    }

    /// The borrowed event of this kind.
    pub(super) fn event(self, data: ResponseDeltaEventRef<'_>) -> ResponseStreamEventRef<'_> {
        use ResponseStreamEventRef as E;
        match self {
            Self::OutputText => E::OutputTextDelta(data),
            Self::ReasoningSummaryText => E::ReasoningSummaryTextDelta(data),
            Self::ReasoningText => E::ReasoningTextDelta(data),
            Self::FunctionCallArguments => E::FunctionCallArgumentsDelta(data),
        }
    }
}

impl<'a> ResponseStreamEventRef<'a> {
    /// Decodes the data of an event of type `kind` with serde_json: a delta type borrowed,
    /// any other type as [`ResponseStreamEvent::from_data`] does.
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when `data` is not JSON, or not of the shape `kind` has.
    pub fn from_data(kind: &str, data: &'a str) -> Result<Self, serde_json::Error> {
        Ok(match DeltaKind::of(kind) {
            Some(delta) => delta.event(serde_json::from_str(data)?),
            None => Self::Other(Box::new(ResponseStreamEvent::from_data(kind, data)?)),
        })
    }

    /// The event type (`response.output_text.delta`, …), as
    /// [`ResponseStreamEvent::kind`] gives it.
    pub fn kind(&self) -> &str {
        match self {
            Self::OutputTextDelta(_) => DeltaKind::OutputText.name(),
            Self::ReasoningSummaryTextDelta(_) => DeltaKind::ReasoningSummaryText.name(),
            Self::ReasoningTextDelta(_) => DeltaKind::ReasoningText.name(),
            Self::FunctionCallArgumentsDelta(_) => DeltaKind::FunctionCallArguments.name(),
            Self::Other(e) => e.kind(),
        }
    }

    /// The event's `sequence_number` (see [`ResponseStreamEvent::sequence_number`]).
    pub fn sequence_number(&self) -> Option<u64> {
        match self.delta() {
            Some(e) => Some(e.sequence_number),
            None => match self {
                Self::Other(e) => e.sequence_number(),
                _ => None,
            },
        }
    }

    /// The data of a delta event, `None` for the others.
    pub fn delta(&self) -> Option<&ResponseDeltaEventRef<'a>> {
        match self {
            Self::OutputTextDelta(e)
            | Self::ReasoningSummaryTextDelta(e)
            | Self::ReasoningTextDelta(e)
            | Self::FunctionCallArgumentsDelta(e) => Some(e),
            Self::Other(_) => None,
        }
    }

    /// Whether this event ends the stream (see [`ResponseStreamEvent::is_terminal`]).
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Other(e) if e.is_terminal())
    }

    /// The owned event, as the owned decoder gives it.
    pub fn into_owned(self) -> ResponseStreamEvent {
        use ResponseStreamEvent as E;
        match self {
            Self::OutputTextDelta(e) => E::OutputTextDelta(e.into_owned()),
            Self::ReasoningSummaryTextDelta(e) => E::ReasoningSummaryTextDelta(e.into_owned()),
            Self::ReasoningTextDelta(e) => E::ReasoningTextDelta(e.into_owned()),
            Self::FunctionCallArgumentsDelta(e) => E::FunctionCallArgumentsDelta(e.into_owned()),
            Self::Other(e) => *e,
        }
    }
}
