//! Conversions from OpenAI Responses stream events (feature `openai`).
//!
//! Every event of `openai_wire::responses::ResponsesStreamDecoder` converts into an [`Input`]:
//!
//! - `response.output_text.delta` → [`Delta::content`]; `response.reasoning_summary_text.delta`
//!   and `response.reasoning_text.delta` → [`Delta::reasoning`];
//! - `response.output_item.added` of a `function_call` item → a [`ToolCallFragment`] with its
//!   `call_id` as id, its name, its `output_index` as the wire index and its `arguments` so far;
//!   `response.function_call_arguments.delta` → an argument fragment for the call at that
//!   `output_index` (the merger's identity rules keep a reused index under a new `call_id` a
//!   new call);
//! - `response.completed` → the finish signal `completed` (normalized to `stop`, then to
//!   `tool_calls` when calls were made); `response.incomplete` → its `incomplete_details.reason`
//!   (`max_output_tokens` normalizes to `length`); both with the response's usage;
//! - `response.failed` → [`Input::Nothing`]: the decoder follows it with the response's error
//!   as `DecodeError::Upstream`, which becomes [`Delta::error`];
//! - every other event (`created`, `in_progress`, the `.done` events that repeat the whole
//!   text, part and item bookkeeping, unknown types) → [`Input::Nothing`];
//! - `DecodeError::Protocol` → [`Input::Violation`] (see `from_openai`);
//! - a whole [`Response`] (a non-stream reply) → one delta: reasoning summaries, output text,
//!   function calls whole, its status and usage.

use openai_wire::responses::{
    Response, ResponseObjectEvent, ResponseOutputItem, ResponseStatus, ResponseStreamEvent,
    ResponseUsage,
};

use crate::delta::{ArgumentsDelta, Delta, FinishSignal, ToolCallFragment, Usage};
use crate::input::Input;

impl From<ResponseStreamEvent> for Input {
    fn from(event: ResponseStreamEvent) -> Self {
        match event {
            ResponseStreamEvent::OutputTextDelta(delta) => Self::Delta(Delta::content(delta.delta)),
            ResponseStreamEvent::ReasoningSummaryTextDelta(delta)
            | ResponseStreamEvent::ReasoningTextDelta(delta) => {
                Self::Delta(Delta::reasoning(delta.delta))
            }
            ResponseStreamEvent::OutputItemAdded(added) => match added.item {
                ResponseOutputItem::FunctionCall(call) => Self::Delta(Delta::tool_call(
                    ToolCallFragment::new()
                        .with_id(call.call_id)
                        .with_name(call.name)
                        .with_index(added.output_index)
                        .with_fragment(call.arguments),
                )),
                _ => Self::Nothing,
            },
            ResponseStreamEvent::FunctionCallArgumentsDelta(delta) => {
                Self::Delta(Delta::tool_call(
                    ToolCallFragment::new()
                        .with_index(delta.output_index)
                        .with_fragment(delta.delta),
                ))
            }
            ResponseStreamEvent::Completed(event) | ResponseStreamEvent::Incomplete(event) => {
                Self::Delta(finished(&event))
            }
            _ => Self::Nothing,
        }
    }
}

/// A terminal `completed` or `incomplete` event: the finish signal and the usage.
fn finished(event: &ResponseObjectEvent) -> Delta {
    let response = &event.response;
    Delta {
        usage: response.usage.as_ref().map(usage),
        finish: Some(FinishSignal::new(Some(&finish_reason(response)))),
        ..Delta::new()
    }
}

/// `completed`, or the reason a response is `incomplete` (`max_output_tokens`,
/// `content_filter`), or its status.
fn finish_reason(response: &Response) -> String {
    match (&response.status, &response.incomplete_details) {
        (Some(ResponseStatus::Incomplete), Some(details)) if !details.reason.is_empty() => {
            details.reason.clone()
        }
        (Some(status), _) => status.as_str().to_owned(),
        (None, _) => "completed".to_owned(),
    }
}

fn usage(usage: &ResponseUsage) -> Usage {
    Usage {
        input_tokens: Some(usage.input_tokens),
        output_tokens: Some(usage.output_tokens),
        total_tokens: Some(usage.total_tokens),
        reasoning_tokens: usage
            .output_tokens_details
            .as_ref()
            .map(|details| details.reasoning_tokens),
        ..Usage::default()
    }
}

from_delta! {
    /// A non-stream reply, whole.
    Response;
}

impl From<Response> for Delta {
    fn from(response: Response) -> Self {
        let mut delta = Self::new().with_content(response.output_text());
        if let Some(usage) = response.usage.as_ref() {
            delta = delta.with_usage(self::usage(usage));
        }
        delta = delta.with_finish(FinishSignal::new(Some(&finish_reason(&response))));
        for item in response.output.iter().flatten() {
            match item {
                ResponseOutputItem::Reasoning(reasoning) => {
                    delta.reasoning.push_str(&reasoning.summary_text());
                }
                ResponseOutputItem::FunctionCall(call) => {
                    let mut fragment = ToolCallFragment::new()
                        .with_id(call.call_id.clone())
                        .with_name(call.name.clone())
                        .with_index(u32::try_from(delta.tool_calls.len()).unwrap_or(u32::MAX));
                    fragment.arguments = Some(ArgumentsDelta::Complete(call.arguments.clone()));
                    delta.tool_calls.push(fragment);
                }
                _ => {}
            }
        }
        delta
    }
}

#[cfg(feature = "stream")]
mod adapter {
    use std::fmt::Display;

    use openai_wire::responses::ResponseStreamEvent;
    use openai_wire::stream::StreamError;

    from_result! {
        [E: Display] ResponseStreamEvent, StreamError<E>;
    }
}

from_result! {
    [] ResponseStreamEvent, openai_wire::DecodeError;
    [] Response, openai_wire::DecodeError;
}
