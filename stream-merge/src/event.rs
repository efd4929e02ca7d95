//! The output: well-formed block events.

use std::fmt;

use serde::{Serialize, Serializer};
use wire_core::RawJson;

use crate::delta::{FinishReason, UpstreamError, Usage};
use crate::input::WireError;

/// What the [`Merger`](crate::Merger) emits.
///
/// Every block has exactly one [`BlockStart`](Self::BlockStart), then deltas, then exactly one
/// [`BlockEnd`](Self::BlockEnd); block indices are dense and increase in start order (they are
/// positions in the final content). Text and reasoning blocks never overlap each other; tool-call
/// blocks may stay open while later blocks run. [`Finish`](Self::Finish) comes exactly once, last,
/// after every block has ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Event {
    /// A block opens.
    BlockStart {
        /// Block position.
        index: u32,
        /// What the block holds.
        block: BlockKind,
    },
    /// Text for an open text block.
    TextDelta {
        /// Block position.
        index: u32,
        /// Non-empty text.
        text: String,
    },
    /// Text for an open reasoning block.
    ReasoningDelta {
        /// Block position.
        index: u32,
        /// Non-empty text.
        text: String,
    },
    /// Raw argument JSON for an open tool-call block; the deltas of a call concatenate to
    /// [`MergedToolCall::raw_arguments`].
    ToolArgsDelta {
        /// Block position.
        index: u32,
        /// Non-empty JSON fragment.
        json: String,
    },
    /// A block closes.
    BlockEnd {
        /// Block position.
        index: u32,
        /// The block's outcome (the parsed call for a tool call).
        outcome: BlockOutcome,
    },
    /// Something went wrong; the stream goes on to its [`Finish`](Self::Finish).
    Error {
        /// What.
        error: MergeError,
    },
    /// The reply is over. Always the last event, exactly once.
    Finish(Finish),
}

impl Event {
    /// The block position, for block events.
    pub fn block_index(&self) -> Option<u32> {
        match self {
            Self::BlockStart { index, .. }
            | Self::TextDelta { index, .. }
            | Self::ReasoningDelta { index, .. }
            | Self::ToolArgsDelta { index, .. }
            | Self::BlockEnd { index, .. } => Some(*index),
            Self::Error { .. } | Self::Finish(_) => None,
        }
    }
}

/// What a block holds, announced when it opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum BlockKind {
    /// Visible text.
    Text,
    /// Reasoning text.
    Reasoning,
    /// A tool call.
    ToolCall {
        /// Call id: the server's, or `merge_call_<n>` made up when it sent none (a form servers do
        /// not send, so ids stay unique within a reply).
        id: String,
        /// Function name (empty only when the server never sent one; the call then ends with
        /// [`CallErrorKind::MissingName`]).
        name: String,
    },
}

/// How a block ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum BlockOutcome {
    /// A text block.
    Text,
    /// A reasoning block.
    Reasoning,
    /// A tool call, with its strictly parsed arguments.
    ToolCall(MergedToolCall),
}

/// A finished tool call.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MergedToolCall {
    /// Call id (as in [`BlockKind::ToolCall`]).
    pub id: String,
    /// Function name.
    pub name: String,
    /// The argument text exactly as received (all fragments concatenated).
    pub raw_arguments: String,
    /// The arguments, parsed strictly: an object, or an error saying why not. Never repaired.
    pub arguments: Result<Arguments, CallError>,
}

impl MergedToolCall {
    /// Whether the call can be executed (its arguments parsed).
    pub fn is_valid(&self) -> bool {
        self.arguments.is_ok()
    }
}

/// Tool-call arguments: a JSON object, kept as its exact text (key order, large integers and
/// escapes survive). A [`RawJson`] that is known to hold one object.
///
/// ```
/// use ollama_stream_merge::{Arguments, CallErrorKind};
/// use wire_core::RawJson;
///
/// let args = Arguments::parse_strict(" {\"n\":12345678901234567890} \n")?;
/// assert_eq!(args.as_str(), r#"{"n":12345678901234567890}"#);
/// assert_eq!(args.as_raw_json().as_str(), args.as_str());
/// let raw: RawJson = args.into();
/// assert_eq!(raw.as_str(), r#"{"n":12345678901234567890}"#);
/// assert_eq!(Arguments::parse_strict("[1]"), Err(CallErrorKind::NotAnObject));
/// # Ok::<(), CallErrorKind>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Arguments(RawJson);

impl Arguments {
    /// Parses `json` strictly: it must be one JSON object, surrounded only by whitespace. Empty
    /// (or all-whitespace) text is the empty object.
    ///
    /// # Errors
    ///
    /// - [`CallErrorKind::InvalidJson`] when the trimmed text is not exactly one JSON value (a
    ///   syntax error, an unfinished value, trailing characters), with serde_json's message.
    /// - [`CallErrorKind::NotAnObject`] when it is one JSON value but not an object.
    pub fn parse_strict(json: &str) -> Result<Self, CallErrorKind> {
        // JSON's own whitespace only (RFC 8259 §2), not every Unicode space.
        let trimmed = json.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
        let text = if trimmed.is_empty() { "{}" } else { trimmed };
        match RawJson::from_json(text) {
            Ok(raw) if raw.as_str().starts_with('{') => Ok(Self(raw)),
            Ok(_) => Err(CallErrorKind::NotAnObject),
            Err(e) => Err(CallErrorKind::InvalidJson {
                message: e.to_string(),
            }),
        }
    }

    /// The JSON text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The arguments as the [`RawJson`] every wire crate keeps free-form JSON in.
    pub fn as_raw_json(&self) -> &RawJson {
        &self.0
    }

    /// Deserializes the arguments into `T`.
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when the object is not a valid `T`: a wrong shape or type, a number
    /// out of `T`'s range, or nesting deeper than serde_json's recursion limit (128). The text
    /// was only checked for syntax, so valid arguments can fail here.
    pub fn parse<'a, T: serde::Deserialize<'a>>(&'a self) -> Result<T, serde_json::Error> {
        self.0.parse()
    }

    /// The arguments as a [`serde_json::Value`].
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when the object holds a number out of `f64`'s range (`1e400`) or
    /// nests deeper than serde_json's recursion limit (128): the text was only checked for
    /// syntax, so it may hold either.
    pub fn to_value(&self) -> Result<serde_json::Value, serde_json::Error> {
        self.0.to_value()
    }
}

impl From<Arguments> for RawJson {
    fn from(arguments: Arguments) -> Self {
        arguments.0
    }
}

impl fmt::Debug for Arguments {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Arguments {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for Arguments {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// Why a tool call cannot be executed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("tool call {id:?} ({name:?}): {kind}")]
#[non_exhaustive]
pub struct CallError {
    /// Call id.
    pub id: String,
    /// Function name.
    pub name: String,
    /// What is wrong.
    pub kind: CallErrorKind,
}

/// What is wrong with a tool call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum CallErrorKind {
    /// The arguments are not valid JSON.
    #[error("arguments are not valid JSON: {message}")]
    InvalidJson {
        /// serde_json's complaint.
        message: String,
    },
    /// The arguments are JSON but not an object.
    #[error("arguments are not a JSON object")]
    NotAnObject,
    /// The stream ended (truncated, or with an upstream error) before the call was complete;
    /// its arguments are not parsed, even if they happen to be valid JSON.
    #[error("the stream ended before the call was complete")]
    Incomplete,
    /// The server never sent a function name.
    #[error("no function name was received")]
    MissingName,
}

/// An error event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum MergeError {
    /// The server reported an error; the reply finishes with [`FinishReason::Error`].
    #[error(transparent)]
    Upstream(UpstreamError),
    /// The input ended without a finish signal; the reply finishes with
    /// [`FinishReason::Incomplete`].
    #[error("the stream ended without a finish signal")]
    Truncated,
    /// The bytes of the stream had a fault the reply survives (a malformed line, a limit, data
    /// after the end, a failed transport, a cut after the finish signal); in place, as the wire
    /// decoder reported it.
    #[error(transparent)]
    Wire(WireError),
    /// A tool call cannot be executed; emitted just before that call's
    /// [`BlockEnd`](Event::BlockEnd).
    #[error("block {index}: {error}")]
    ToolCall {
        /// Block position of the call.
        index: u32,
        /// What is wrong.
        error: CallError,
    },
}

/// The end of a reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Finish {
    /// The normalized reason: the server's, with `stop` turned into `tool_calls` when the reply
    /// made tool calls; [`FinishReason::Error`] after an upstream error;
    /// [`FinishReason::Incomplete`] when no finish signal came.
    pub reason: FinishReason,
    /// The reason exactly as the server sent it, if it sent one.
    pub raw_reason: Option<String>,
    /// The last reported token counts (merged field by field).
    pub usage: Option<Usage>,
}
