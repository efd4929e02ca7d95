//! The stream events of `/v1/responses`.

use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use super::types::{
    RawJson, Response, ResponseOutputContent, ResponseOutputItem, ResponseReasoningPart,
};

/// The data of `response.created`, `response.in_progress`, `response.queued`,
/// `response.completed`, `response.incomplete` and `response.failed`: the whole response.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseObjectEvent {
    /// The response as it stands.
    pub response: Response,
    /// Position of the event in the stream (Ollama: from 0, one by one).
    #[serde(default)]
    pub sequence_number: u64,
}

/// The data of `response.output_item.added` and `response.output_item.done`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseOutputItemEvent {
    /// The item (empty when added, whole when done).
    pub item: ResponseOutputItem,
    /// Its position in `output`.
    #[serde(default)]
    pub output_index: u32,
    /// Position of the event in the stream.
    #[serde(default)]
    pub sequence_number: u64,
}

/// The data of `response.content_part.added` and `response.content_part.done`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseContentPartEvent {
    /// The part's position in the item's `content`.
    #[serde(default)]
    pub content_index: u32,
    /// The message item.
    #[serde(default)]
    pub item_id: String,
    /// The item's position in `output`.
    #[serde(default)]
    pub output_index: u32,
    /// The part (empty when added, whole when done).
    pub part: ResponseOutputContent,
    /// Position of the event in the stream.
    #[serde(default)]
    pub sequence_number: u64,
}

impl ResponseOutputItemEvent {
    /// The data of `response.output_item.added` / `….done` for `item` at `output_index`
    /// (sequence number 0 until an encoder numbers it).
    pub fn new(item: ResponseOutputItem, output_index: u32) -> Self {
        Self {
            item,
            output_index,
            sequence_number: 0,
        }
    }
}

impl ResponseContentPartEvent {
    /// The data of `response.content_part.added` / `….done` for `part` at `content_index` of
    /// item `item_id` at `output_index` (sequence number 0 until an encoder numbers it).
    pub fn new(
        item_id: impl Into<String>,
        output_index: u32,
        content_index: u32,
        part: ResponseOutputContent,
    ) -> Self {
        Self {
            content_index,
            item_id: item_id.into(),
            output_index,
            part,
            sequence_number: 0,
        }
    }
}

/// The data of `response.reasoning_summary_part.added` and `….done`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseReasoningSummaryPartEvent {
    /// The reasoning item.
    #[serde(default)]
    pub item_id: String,
    /// The item's position in `output`.
    #[serde(default)]
    pub output_index: u32,
    /// The summary part.
    pub part: ResponseReasoningPart,
    /// Position of the event in the stream.
    #[serde(default)]
    pub sequence_number: u64,
    /// The part's position in the item's `summary`.
    #[serde(default)]
    pub summary_index: u32,
}

/// The data of every `….delta` event: `response.output_text.delta` (with `content_index` and
/// `logprobs`), `response.reasoning_summary_text.delta` (with `summary_index`),
/// `response.reasoning_text.delta` (with `content_index`) and
/// `response.function_call_arguments.delta`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseDeltaEvent {
    /// The part's position in the item's `content` (text deltas).
    pub content_index: Option<u32>,
    /// The new text.
    #[serde(default)]
    pub delta: String,
    /// The item.
    #[serde(default)]
    pub item_id: String,
    /// Token log probabilities (`[]` on Ollama's text deltas).
    pub logprobs: Option<Vec<Value>>,
    /// Padding some servers add against length side channels.
    pub obfuscation: Option<String>,
    /// The item's position in `output`.
    #[serde(default)]
    pub output_index: u32,
    /// Position of the event in the stream.
    #[serde(default)]
    pub sequence_number: u64,
    /// The summary part's position (reasoning summary deltas).
    pub summary_index: Option<u32>,
}

/// The data of `response.output_text.done`, `response.reasoning_summary_text.done` and
/// `response.reasoning_text.done`: the whole text.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseTextDoneEvent {
    /// The part's position in the item's `content` (output and reasoning text).
    pub content_index: Option<u32>,
    /// The item.
    #[serde(default)]
    pub item_id: String,
    /// Token log probabilities (`[]` on Ollama's output text).
    pub logprobs: Option<Vec<Value>>,
    /// The item's position in `output`.
    #[serde(default)]
    pub output_index: u32,
    /// Position of the event in the stream.
    #[serde(default)]
    pub sequence_number: u64,
    /// The summary part's position (reasoning summaries).
    pub summary_index: Option<u32>,
    /// The whole text.
    #[serde(default)]
    pub text: String,
}

/// The data of `response.function_call_arguments.done`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseFunctionCallArgumentsDoneEvent {
    /// The whole JSON arguments text.
    #[serde(default)]
    pub arguments: String,
    /// The function call item.
    #[serde(default)]
    pub item_id: String,
    /// The function name (OpenAI writes it; Ollama does not).
    pub name: Option<String>,
    /// The item's position in `output`.
    #[serde(default)]
    pub output_index: u32,
    /// Position of the event in the stream.
    #[serde(default)]
    pub sequence_number: u64,
}

/// The data of an `error` event. The stream decoder reports one as
/// [`DecodeError::Upstream`](crate::DecodeError::Upstream); this type is for writing one.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseErrorEvent {
    /// Error code.
    pub code: Option<String>,
    /// What went wrong.
    #[serde(default)]
    pub message: String,
    /// The offending parameter.
    pub param: Option<String>,
    /// Position of the event in the stream.
    pub sequence_number: Option<u64>,
}

/// A `match` on a [`ResponseStreamEvent`] with one arm per payload type, so that `$known`,
/// written once, is compiled for each type with `$e` bound to the payload; the error event
/// and [`ResponseStreamEvent::Unknown`] take the arms that follow.
macro_rules! each_payload {
    ($event:expr, $e:ident => $known:expr, $($rest:pat => $other:expr),+ $(,)?) => {
        match $event {
            Self::Created($e)
            | Self::InProgress($e)
            | Self::Queued($e)
            | Self::Completed($e)
            | Self::Incomplete($e)
            | Self::Failed($e) => $known,
            Self::OutputItemAdded($e) | Self::OutputItemDone($e) => $known,
            Self::ContentPartAdded($e) | Self::ContentPartDone($e) => $known,
            Self::OutputTextDelta($e)
            | Self::ReasoningSummaryTextDelta($e)
            | Self::ReasoningTextDelta($e)
            | Self::FunctionCallArgumentsDelta($e) => $known,
            Self::OutputTextDone($e)
            | Self::ReasoningSummaryTextDone($e)
            | Self::ReasoningTextDone($e) => $known,
            Self::ReasoningSummaryPartAdded($e) | Self::ReasoningSummaryPartDone($e) => $known,
            Self::FunctionCallArgumentsDone($e) => $known,
            $($rest => $other,)+
        }
    };
}

/// One event of a `/v1/responses` stream, by its `type`.
///
/// Its [`Serialize`] writes the data object with `type` added; the key order of what Ollama
/// writes comes from [`ResponsesEncoder`](super::ResponsesEncoder).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ResponseStreamEvent {
    /// `response.created`: the first event.
    Created(ResponseObjectEvent),
    /// `response.in_progress`.
    InProgress(ResponseObjectEvent),
    /// `response.queued` (background responses).
    Queued(ResponseObjectEvent),
    /// `response.completed`: a terminal event.
    Completed(ResponseObjectEvent),
    /// `response.incomplete`: a terminal event (a token limit, a filter).
    Incomplete(ResponseObjectEvent),
    /// `response.failed`: a terminal event; the decoder follows it with the response's error
    /// as a [`DecodeError::Upstream`](crate::DecodeError::Upstream).
    Failed(ResponseObjectEvent),
    /// `response.output_item.added`.
    OutputItemAdded(ResponseOutputItemEvent),
    /// `response.output_item.done`.
    OutputItemDone(ResponseOutputItemEvent),
    /// `response.content_part.added`.
    ContentPartAdded(ResponseContentPartEvent),
    /// `response.content_part.done`.
    ContentPartDone(ResponseContentPartEvent),
    /// `response.output_text.delta`.
    OutputTextDelta(ResponseDeltaEvent),
    /// `response.output_text.done`.
    OutputTextDone(ResponseTextDoneEvent),
    /// `response.reasoning_summary_part.added` (Ollama sends none).
    ReasoningSummaryPartAdded(ResponseReasoningSummaryPartEvent),
    /// `response.reasoning_summary_part.done` (Ollama sends none).
    ReasoningSummaryPartDone(ResponseReasoningSummaryPartEvent),
    /// `response.reasoning_summary_text.delta`: Ollama's thinking text.
    ReasoningSummaryTextDelta(ResponseDeltaEvent),
    /// `response.reasoning_summary_text.done`.
    ReasoningSummaryTextDone(ResponseTextDoneEvent),
    /// `response.reasoning_text.delta` (Ollama sends none).
    ReasoningTextDelta(ResponseDeltaEvent),
    /// `response.reasoning_text.done` (Ollama sends none).
    ReasoningTextDone(ResponseTextDoneEvent),
    /// `response.function_call_arguments.delta`.
    FunctionCallArgumentsDelta(ResponseDeltaEvent),
    /// `response.function_call_arguments.done`.
    FunctionCallArgumentsDone(ResponseFunctionCallArgumentsDoneEvent),
    /// `error` (for encoding; decoding reports it as an error item).
    Error(ResponseErrorEvent),
    /// An event type this crate does not know, kept: its `type` and its data verbatim.
    Unknown {
        /// The `type`.
        kind: String,
        /// The data object, exactly as received.
        data: RawJson,
    },
}

impl ResponseStreamEvent {
    /// The event type (`response.created`, …), as written in the data's `type` and the SSE
    /// `event:` line.
    pub fn kind(&self) -> &str {
        match self {
            Self::Created(_) => "response.created",
            Self::InProgress(_) => "response.in_progress",
            Self::Queued(_) => "response.queued",
            Self::Completed(_) => "response.completed",
            Self::Incomplete(_) => "response.incomplete",
            Self::Failed(_) => "response.failed",
            Self::OutputItemAdded(_) => "response.output_item.added",
            Self::OutputItemDone(_) => "response.output_item.done",
            Self::ContentPartAdded(_) => "response.content_part.added",
            Self::ContentPartDone(_) => "response.content_part.done",
            Self::OutputTextDelta(_) => "response.output_text.delta",
            Self::OutputTextDone(_) => "response.output_text.done",
            Self::ReasoningSummaryPartAdded(_) => "response.reasoning_summary_part.added",
            Self::ReasoningSummaryPartDone(_) => "response.reasoning_summary_part.done",
            Self::ReasoningSummaryTextDelta(_) => "response.reasoning_summary_text.delta",
            Self::ReasoningSummaryTextDone(_) => "response.reasoning_summary_text.done",
            Self::ReasoningTextDelta(_) => "response.reasoning_text.delta",
            Self::ReasoningTextDone(_) => "response.reasoning_text.done",
            Self::FunctionCallArgumentsDelta(_) => "response.function_call_arguments.delta",
            Self::FunctionCallArgumentsDone(_) => "response.function_call_arguments.done",
            Self::Error(_) => "error",
            Self::Unknown { kind, .. } => kind,
        }
    }

    /// The event's `sequence_number` (`None` for an error event without one, and for an
    /// unknown event).
    pub fn sequence_number(&self) -> Option<u64> {
        each_payload!(
            self,
            e => Some(e.sequence_number),
            Self::Error(e) => e.sequence_number,
            Self::Unknown { .. } => None,
        )
    }

    /// Sets the event's `sequence_number` (an encoder numbering the events it writes); an
    /// unknown event has none to set.
    pub fn set_sequence_number(&mut self, n: u64) {
        each_payload!(
            self,
            e => e.sequence_number = n,
            Self::Error(e) => e.sequence_number = Some(n),
            Self::Unknown { .. } => {},
        )
    }

    /// The response of a lifecycle event (`created`, `in_progress`, `queued`, and the terminal
    /// three).
    pub fn response(&self) -> Option<&Response> {
        match self {
            Self::Created(e)
            | Self::InProgress(e)
            | Self::Queued(e)
            | Self::Completed(e)
            | Self::Incomplete(e)
            | Self::Failed(e) => Some(&e.response),
            _ => None,
        }
    }

    /// Whether this event ends the stream: `response.completed`, `response.incomplete` or
    /// `response.failed`.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            Self::Completed(_) | Self::Incomplete(_) | Self::Failed(_)
        )
    }

    /// Decodes the data of an event of type `kind` (an unknown type is kept verbatim).
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when `data` is not JSON, or not of the shape `kind` has.
    pub fn from_data(kind: &str, data: &str) -> Result<Self, serde_json::Error> {
        use serde_json::from_str as de;
        let event = match kind {
            "response.created" => Self::Created(de(data)?),
            "response.in_progress" => Self::InProgress(de(data)?),
            "response.queued" => Self::Queued(de(data)?),
            "response.completed" => Self::Completed(de(data)?),
            "response.incomplete" => Self::Incomplete(de(data)?),
            "response.failed" => Self::Failed(de(data)?),
            "response.output_item.added" => Self::OutputItemAdded(de(data)?),
            "response.output_item.done" => Self::OutputItemDone(de(data)?),
            "response.content_part.added" => Self::ContentPartAdded(de(data)?),
            "response.content_part.done" => Self::ContentPartDone(de(data)?),
            "response.output_text.delta" => Self::OutputTextDelta(de(data)?),
            "response.output_text.done" => Self::OutputTextDone(de(data)?),
            "response.reasoning_summary_part.added" => Self::ReasoningSummaryPartAdded(de(data)?),
            "response.reasoning_summary_part.done" => Self::ReasoningSummaryPartDone(de(data)?),
            "response.reasoning_summary_text.delta" => Self::ReasoningSummaryTextDelta(de(data)?),
            "response.reasoning_summary_text.done" => Self::ReasoningSummaryTextDone(de(data)?),
            "response.reasoning_text.delta" => Self::ReasoningTextDelta(de(data)?),
            "response.reasoning_text.done" => Self::ReasoningTextDone(de(data)?),
            "response.function_call_arguments.delta" => Self::FunctionCallArgumentsDelta(de(data)?),
            "response.function_call_arguments.done" => Self::FunctionCallArgumentsDone(de(data)?),
            "error" => Self::Error(de(data)?),
            other => Self::Unknown {
                kind: other.to_owned(),
                data: de(data)?,
            },
        };
        Ok(event)
    }
}

/// The data object and its `type`, for [`Serialize`].
#[derive(Serialize)]
struct Tagged<'a, T> {
    #[serde(flatten)]
    data: &'a T,
    #[serde(rename = "type")]
    kind: &'a str,
}

impl Serialize for ResponseStreamEvent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let kind = self.kind();
        each_payload!(
            self,
            e => Tagged { data: e, kind }.serialize(s),
            Self::Error(e) => Tagged { data: e, kind }.serialize(s),
            // Verbatim: its `type` is already in it.
            Self::Unknown { data, .. } => data.serialize(s)
        )
    }
}
