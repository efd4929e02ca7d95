//! Borrowed chat chunks for hot paths.
//!
//! [`ChatResponseRef`] is [`ChatResponse`] with its text fields borrowed from the decoded line
//! (a text with JSON escapes is unescaped into an owned [`Cow`]); rarely present nested fields
//! (`tool_calls`, `logprobs`, `_debug_info`) stay owned. The owned type decodes through this one,
//! so the rules are the same and [`ChatResponseRef::into_owned`] gives exactly the
//! [`ChatResponse`] the owned decoder produces. Decode a stream into it with
//! [`StreamDecoder::next_as`](crate::StreamDecoder::next_as).

use std::borrow::Cow;

use serde::{Deserialize, Deserializer, Serialize};
use wire_core::borrow::{opt_text, text};

use super::chat::detect_field_order;
use super::metrics::metrics_of;
use super::{ChatResponse, DoneReason, FieldOrder, Logprob, Message, Metrics, RawJson, ToolCall};

/// One chunk of an `/api/chat` stream, borrowing its text from the line.
///
/// ```
/// use ollama_wire::{ChatResponseRef, ChatStreamDecoder};
///
/// let mut decoder = ChatStreamDecoder::new();
/// decoder.push(br#"{"model":"qwen3","created_at":"2026-01-10T16:55:30Z","message":{"role":"assistant","content":"","thinking":"Hmm"},"done":false}
/// {"model":"qwen3","created_at":"2026-01-10T16:55:31Z","message":{"role":"assistant","content":"Hi"},"done":true,"done_reason":"stop"}
/// "#);
/// let (mut thinking, mut content) = (String::new(), String::new());
/// while let Some(chunk) = decoder.next_as::<ChatResponseRef<'_>>() {
///     let chunk = chunk?;
///     thinking.push_str(chunk.message.thinking.as_deref().unwrap_or(""));
///     content.push_str(&chunk.message.content);
/// }
/// decoder.finish()?; // a clean end
/// assert!(decoder.next().is_none());
/// assert_eq!((thinking.as_str(), content.as_str()), ("Hmm", "Hi"));
/// # Ok::<(), ollama_wire::DecodeError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ChatResponseRef<'a> {
    /// Model name as requested.
    pub model: Cow<'a, str>,
    /// Upstream model of a cloud model.
    pub remote_model: Option<Cow<'a, str>>,
    /// Upstream host of a cloud model.
    pub remote_host: Option<Cow<'a, str>>,
    /// RFC 3339 timestamp, verbatim.
    pub created_at: Option<Cow<'a, str>>,
    /// The message delta.
    pub message: MessageRef<'a>,
    /// Whether this is the last chunk.
    pub done: bool,
    /// Why generation stopped.
    pub done_reason: Option<DoneReason>,
    /// `_debug_info`, kept raw.
    pub debug_info: Option<RawJson>,
    /// Log probabilities of this chunk's tokens.
    pub logprobs: Option<Vec<Logprob>>,
    /// Counters, normally on the last chunk.
    pub metrics: Metrics,
    /// Where `done_reason` stood relative to `done`.
    pub field_order: FieldOrder,
}

/// The message of a [`ChatResponseRef`].
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
// Errors name the type as the owned decoder always has.
#[serde(rename = "Message")]
#[non_exhaustive]
pub struct MessageRef<'a> {
    /// `assistant` in replies.
    #[serde(borrow, deserialize_with = "text")]
    pub role: Cow<'a, str>,
    /// Text of the delta; `""` when the chunk carries none.
    #[serde(borrow, default, deserialize_with = "text")]
    pub content: Cow<'a, str>,
    /// Reasoning text.
    #[serde(borrow, default, deserialize_with = "opt_text")]
    pub thinking: Option<Cow<'a, str>>,
    /// Base64-encoded images.
    #[serde(borrow, default)]
    pub images: Option<Vec<Cow<'a, str>>>,
    /// Tool calls, each whole (owned: rare, and arguments are kept raw anyway).
    #[serde(default)]
    pub tool_calls: Option<Vec<ToolCall>>,
    /// On `role: "tool"` messages: the tool's name.
    #[serde(borrow, default, deserialize_with = "opt_text")]
    pub tool_name: Option<Cow<'a, str>>,
    /// On `role: "tool"` messages: the id of the call answered.
    #[serde(borrow, default, deserialize_with = "opt_text")]
    pub tool_call_id: Option<Cow<'a, str>>,
}

/// The wire shape, flat as Go writes it (Metrics is an embedded struct); the owned
/// [`ChatResponse`] decodes through it too.
#[derive(Deserialize)]
struct ChatResponseWire<'a> {
    #[serde(borrow, deserialize_with = "text")]
    model: Cow<'a, str>,
    #[serde(borrow, default, deserialize_with = "opt_text")]
    remote_model: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "opt_text")]
    remote_host: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "opt_text")]
    created_at: Option<Cow<'a, str>>,
    #[serde(borrow)]
    message: MessageRef<'a>,
    #[serde(default)]
    done: bool,
    done_reason: Option<DoneReason>,
    #[serde(rename = "_debug_info")]
    debug_info: Option<RawJson>,
    logprobs: Option<Vec<Logprob>>,
    total_duration: Option<u64>,
    load_duration: Option<u64>,
    prompt_eval_count: Option<u64>,
    prompt_eval_duration: Option<u64>,
    eval_count: Option<u64>,
    eval_duration: Option<u64>,
}

impl<'de: 'a, 'a> Deserialize<'de> for ChatResponseRef<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let w = ChatResponseWire::deserialize(deserializer)?;
        Ok(Self {
            model: w.model,
            remote_model: w.remote_model,
            remote_host: w.remote_host,
            created_at: w.created_at,
            message: w.message,
            done: w.done,
            done_reason: w.done_reason,
            debug_info: w.debug_info,
            logprobs: w.logprobs,
            metrics: metrics_of!(w),
            field_order: FieldOrder::Current,
        })
    }
}

impl<'a> ChatResponseRef<'a> {
    /// Decodes one JSON object, recording the `done_reason`/`done` order as
    /// [`ChatResponse::from_slice`] does.
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] for the same lines as [`ChatResponse::from_slice`]: not one JSON
    /// value, or not a chat chunk (`model`, `message` or `message.role` missing, a field of the
    /// wrong type).
    #[inline]
    pub fn from_slice(json: &'a [u8]) -> Result<Self, serde_json::Error> {
        let mut response: Self = super::parse_json(json)?;
        if response.done_reason.is_some() {
            response.field_order = detect_field_order(json)?;
        }
        Ok(response)
    }

    /// The owned chunk: equal to decoding the same line as [`ChatResponse`].
    pub fn into_owned(self) -> ChatResponse {
        ChatResponse {
            model: self.model.into_owned(),
            remote_model: self.remote_model.map(Cow::into_owned),
            remote_host: self.remote_host.map(Cow::into_owned),
            created_at: self.created_at.map(Cow::into_owned),
            message: self.message.into_owned(),
            done: self.done,
            done_reason: self.done_reason,
            debug_info: self.debug_info,
            logprobs: self.logprobs,
            metrics: self.metrics,
            field_order: self.field_order,
        }
    }
}

impl MessageRef<'_> {
    /// The owned message.
    pub fn into_owned(self) -> Message {
        Message {
            role: self.role.into_owned(),
            content: self.content.into_owned(),
            thinking: self.thinking.map(Cow::into_owned),
            images: self
                .images
                .map(|images| images.into_iter().map(Cow::into_owned).collect()),
            tool_calls: self.tool_calls,
            tool_name: self.tool_name.map(Cow::into_owned),
            tool_call_id: self.tool_call_id.map(Cow::into_owned),
        }
    }
}

impl Serialize for ChatResponseRef<'_> {
    /// Encodes as the owned [`ChatResponse`] does (same field order and omissions).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.clone().into_owned().serialize(serializer)
    }
}
