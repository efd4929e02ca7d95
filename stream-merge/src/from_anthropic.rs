//! Conversions from Anthropic Messages stream events (feature `anthropic`).
//!
//! Every event of `anthropic_wire::events::StreamDecoder`, its errors and its verdict convert
//! into an [`Input`], so the loop to the merger is the same as for the other wires:
//!
//! - `content_block_start`: a `text` or `thinking` block's initial text → [`Delta::content`] /
//!   [`Delta::reasoning`] (usually empty, so nothing opens); a `tool_use` (or
//!   `server_tool_use`) block → a [`ToolCallFragment`] with its id, name and the block index as
//!   the wire index, and its `input` as the first argument text unless it is the empty `{}`
//!   that streamed blocks start with;
//! - `text_delta` → [`Delta::content`], `thinking_delta` → [`Delta::reasoning`],
//!   `input_json_delta` → an argument fragment for the call at that block index;
//! - `message_start` → its input-token count, `message_delta` → the finish signal (`end_turn`, `max_tokens`,
//!   `tool_use`, `stop_sequence`, kept raw) and the final usage;
//! - `content_block_stop`, `message_stop`, `ping`, `signature_delta`, a `redacted_thinking`
//!   block and unknown events → [`Input::Nothing`] (blocks are the merger's to open and close;
//!   the end of input is the verdict's to say);
//! - `DecodeError::Upstream` (an `error` event, an error body) → [`Delta::error`];
//!   `DecodeError::Protocol` (a block started over an open one, a delta to a block of another
//!   kind, … — ollama/ollama#17101) → [`Input::Violation`] with what the event carried, so the
//!   merger repairs it (or fails, as [`OnViolation`](crate::OnViolation) says);
//!   `DecodeError::Truncated` (the verdict) → [`Input::End`]; the other errors → [`Input::Wire`];
//! - a whole [`AnthropicMessage`] (a non-stream reply) → one delta: its thinking, its text, its
//!   tool calls whole, its stop reason and usage.
//!
//! Block indices are not carried over: the merger numbers its own blocks, one kind at a time,
//! which is how a thinking block opened over a text block that was never stopped comes out
//! well-formed.

use anthropic_wire::DecodeError;
use anthropic_wire::messages::{
    AnthropicMessage, AnthropicUsage, ContentBlock, ContentBlockDelta, MessageDeltaUsage,
    MessageStreamEvent, ToolUseBlock,
};

use crate::delta::{ArgumentsDelta, Delta, FinishSignal, ToolCallFragment, UpstreamError, Usage};
use crate::input::{Input, WireError};

impl From<MessageStreamEvent> for Input {
    fn from(event: MessageStreamEvent) -> Self {
        match event {
            // Its output count is a placeholder (0); its input count is the server's first
            // figure, which `message_delta` may correct.
            MessageStreamEvent::MessageStart(start) => {
                Self::Delta(Delta::new().with_usage(Usage {
                    input_tokens: Some(start.message.usage.input_tokens),
                    ..Usage::default()
                }))
            }
            MessageStreamEvent::ContentBlockStart(start) => {
                let index = wire_index(start.index);
                match start.content_block {
                    ContentBlock::Text(text) => Self::Delta(Delta::content(text.text)),
                    ContentBlock::Thinking(thinking) => {
                        Self::Delta(Delta::reasoning(thinking.thinking))
                    }
                    ContentBlock::ToolUse(call) | ContentBlock::ServerToolUse(call) => {
                        Self::Delta(Delta::tool_call(started_call(call, index)))
                    }
                    // Redacted thinking has no text to merge; other blocks are not output.
                    _ => Self::Nothing,
                }
            }
            MessageStreamEvent::ContentBlockDelta(delta) => match delta.delta {
                ContentBlockDelta::TextDelta(text) => Self::Delta(Delta::content(text.text)),
                ContentBlockDelta::ThinkingDelta(thinking) => {
                    Self::Delta(Delta::reasoning(thinking.thinking))
                }
                ContentBlockDelta::InputJsonDelta(json) => Self::Delta(Delta::tool_call(
                    ToolCallFragment::new()
                        .with_index(wire_index(delta.index))
                        .with_fragment(json.partial_json),
                )),
                // The signature of a thinking block, and delta types added later.
                _ => Self::Nothing,
            },
            MessageStreamEvent::MessageDelta(message) => {
                let raw = message.delta.stop_reason.as_ref().map(|r| r.as_str());
                Self::Delta(Delta {
                    usage: Some(delta_usage(&message.usage)),
                    finish: Some(FinishSignal::new(raw)),
                    ..Delta::new()
                })
            }
            // Block ends are the merger's; the end of input is the verdict's.
            _ => Self::Nothing,
        }
    }
}

impl From<DecodeError> for Input {
    fn from(error: DecodeError) -> Self {
        let wire = WireError::of(&error);
        match error {
            DecodeError::Upstream(e) => Self::Delta(Delta::error(e.as_ref().into())),
            DecodeError::Truncated { .. } => Self::End(Some(wire)),
            DecodeError::Protocol(violation) => Self::Violation {
                error: wire,
                content: Box::new(violation.into_event().into()),
            },
            _ => Self::Wire(wire),
        }
    }
}

/// The verdict of `StreamDecoder::finish`: the end of input.
impl From<Result<(), DecodeError>> for Input {
    fn from(verdict: Result<(), DecodeError>) -> Self {
        match verdict {
            Ok(()) => Self::End(None),
            Err(e) => Self::End(Some(WireError::of(&e))),
        }
    }
}

impl From<&anthropic_wire::AnthropicError> for UpstreamError {
    fn from(error: &anthropic_wire::AnthropicError) -> Self {
        Self::new(error.message())
    }
}

from_upstream_error! {
    anthropic_wire::AnthropicError;
}

from_delta! {
    /// A non-stream reply, whole.
    AnthropicMessage;
}

impl From<AnthropicMessage> for Delta {
    fn from(message: AnthropicMessage) -> Self {
        let mut delta = Self::new()
            .with_reasoning(message.thinking())
            .with_content(message.text())
            .with_usage(message_usage(&message.usage))
            .with_finish(FinishSignal::new(
                message.stop_reason.as_ref().map(|r| r.as_str()),
            ));
        for (position, call) in message.tool_uses().enumerate() {
            let mut fragment = ToolCallFragment::new()
                .with_id(call.id.clone())
                .with_name(call.name.clone())
                .with_index(u32::try_from(position).unwrap_or(u32::MAX));
            fragment.arguments = Some(ArgumentsDelta::Complete(
                call.input
                    .as_ref()
                    .map_or("{}", |input| input.as_str())
                    .to_owned(),
            ));
            delta.tool_calls.push(fragment);
        }
        delta
    }
}

#[cfg(feature = "stream")]
mod adapter {
    use std::fmt::Display;

    use anthropic_wire::messages::MessageStreamEvent;
    use anthropic_wire::stream::StreamError;

    from_result! {
        [E: Display] MessageStreamEvent, StreamError<E>;
    }
}

from_result! {
    [] MessageStreamEvent, DecodeError;
    [] AnthropicMessage, DecodeError;
}

/// The start of a `tool_use` block: id, name, and its input when the block carries it whole
/// (a streamed block starts with `{}` and sends its input in `input_json_delta`s).
fn started_call(call: ToolUseBlock, index: u32) -> ToolCallFragment {
    let fragment = ToolCallFragment::new()
        .with_id(call.id)
        .with_name(call.name)
        .with_index(index);
    match call.input {
        Some(input) if !is_empty_object(input.as_str()) => fragment.with_fragment(input.as_str()),
        _ => fragment.with_fragment(""),
    }
}

fn is_empty_object(json: &str) -> bool {
    json.strip_prefix('{')
        .and_then(|rest| rest.strip_suffix('}'))
        .is_some_and(|inside| inside.trim().is_empty())
}

fn wire_index(index: u64) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

fn message_usage(usage: &AnthropicUsage) -> Usage {
    Usage::new(usage.input_tokens, usage.output_tokens)
}

fn delta_usage(usage: &MessageDeltaUsage) -> Usage {
    Usage {
        input_tokens: usage.input_tokens,
        output_tokens: Some(usage.output_tokens),
        total_tokens: usage
            .input_tokens
            .and_then(|input| input.checked_add(usage.output_tokens)),
        ..Usage::default()
    }
}
