//! Conversions from OpenAI-compatible chat-completion chunks (feature `openai`).
//!
//! One merger follows one choice. `Delta::from(chunk)` takes the choice whose `index` is `0`
//! (servers like Ollama and llama-server only ever send that one); for `n > 1`, run one
//! [`Merger`](crate::Merger) per choice with [`Delta::from_openai_choice`]. Choices with another
//! index are ignored. A chunk without the choice (the `include_usage` chunk has empty `choices`)
//! still carries its usage.
//!
//! - `delta.reasoning` (any of `reasoning`, `reasoning_content`, `reasoning_text`, as
//!   `openai_wire` picks it) → [`Delta::reasoning`];
//! - `delta.content` → [`Delta::content`]; `delta.refusal` is not carried (not merged yet);
//! - each `delta.tool_calls[]` → a [`ToolCallFragment`] with id, index, name and an argument
//!   fragment ([`ArgumentsDelta::Fragment`]);
//! - `finish_reason` → [`Delta::finish`] (the raw value is kept);
//! - `usage` → [`Delta::usage`].
//!
//! What the decoder yields besides chunks converts into an [`Input`] too, so every item and
//! the verdict go to [`Merger::push`](crate::Merger::push) as they are:
//!
//! - `StreamItem::Done` (`data: [DONE]`) → [`Input::Nothing`]: the end of input is the
//!   verdict's to say;
//! - `Error::Upstream` (an error event or object, an error body) → [`Delta::error`];
//! - `Error::Truncated` (the verdict of `finish()`) → [`Input::End`] with the cut; `Ok(())` →
//!   the clean end;
//! - `NotJson`, `UnexpectedJson`, `AfterEnd`, `Sse` → [`Input::Wire`];
//! - a whole [`ChatCompletion`] (a non-stream reply) → one delta carrying its first choice;
//! - `/v1/completions`: a [`CompletionChunk`]'s text → [`Delta::content`] (with its finish
//!   reason and usage), a whole [`Completion`] → one delta;
//! - the async adapter's `StreamError::Transport` (feature `stream`) → [`Input::Wire`].

use openai_wire::chat::{
    ChatCompletion, ChatCompletionChunk, ChatCompletionToolCallDelta, ChunkChoice, Content,
};
use openai_wire::chunks::StreamItem;
use openai_wire::completions::{Completion, CompletionChoice, CompletionChunk};

use crate::delta::{ArgumentsDelta, Delta, FinishSignal, ToolCallFragment, UpstreamError, Usage};
use crate::input::{ErrorCategory, Input, WireError};

from_delta! {
    ChatCompletionChunk;
    ChatCompletion;
    CompletionChunk;
    Completion;
}

/// A decoder item of any chunk type that converts into a delta (`ChatCompletionChunk`,
/// `CompletionChunk`).
impl<T: Into<Delta>> From<StreamItem<T>> for Input {
    fn from(item: StreamItem<T>) -> Self {
        match item {
            StreamItem::Chunk(chunk) => Self::Delta(chunk.into()),
            // `[DONE]`, and item kinds added later.
            _ => Self::Nothing,
        }
    }
}

impl From<openai_wire::DecodeError> for Input {
    fn from(error: openai_wire::DecodeError) -> Self {
        match error {
            openai_wire::DecodeError::Upstream(e) => Self::Delta(Delta::error(e.as_ref().into())),
            e @ openai_wire::DecodeError::Truncated { .. } => Self::End(Some(WireError::of(&e))),
            // A Responses event out of order, with the event (see `from_responses`).
            openai_wire::DecodeError::Protocol(violation) => {
                let error = WireError::new(
                    ErrorCategory::Malformed,
                    Some(violation.offset),
                    violation.to_string(),
                );
                Self::Violation {
                    error,
                    content: Box::new(violation.event.into()),
                }
            }
            other => Self::Wire(WireError::of(&other)),
        }
    }
}

/// The verdict of `StreamDecoder::finish`: the end of input.
impl From<Result<(), openai_wire::DecodeError>> for Input {
    fn from(verdict: Result<(), openai_wire::DecodeError>) -> Self {
        match verdict {
            Ok(()) => Self::End(None),
            Err(e) => Self::End(Some(WireError::of(&e))),
        }
    }
}

from_upstream_error! {
    openai_wire::OpenAiError;
}

from_result! {
    [T: Into<Delta>] StreamItem<T>, openai_wire::DecodeError;
    // The result of `openai_wire::response::decode_json::<ChatCompletion>`.
    [] ChatCompletion, openai_wire::DecodeError;
    [] Completion, openai_wire::DecodeError;
}

/// A non-stream reply: one delta carrying its first choice (index `0`) whole (reasoning,
/// text content, every tool call with its arguments, the finish reason) and the usage.
impl From<ChatCompletion> for Delta {
    fn from(reply: ChatCompletion) -> Self {
        let mut delta = Self::new();
        if let Some(choice) = reply.choices.into_iter().find(|c| c.index == 0) {
            let message = choice.message;
            delta.reasoning = message.reasoning.unwrap_or_default();
            if let Some(Content::Text(text)) = message.content {
                delta.content = text;
            }
            for (i, call) in message.tool_calls.into_iter().flatten().enumerate() {
                let index = call
                    .index
                    .unwrap_or_else(|| u32::try_from(i).unwrap_or(u32::MAX));
                delta.tool_calls.push(ToolCallFragment {
                    id: call.id,
                    index: Some(index),
                    name: Some(call.function.name),
                    arguments: Some(ArgumentsDelta::Complete(call.function.arguments)),
                });
            }
            delta.finish = Some(FinishSignal::new(
                choice.finish_reason.as_ref().map(|r| r.as_str()),
            ));
        }
        delta.usage = reply.usage.as_ref().map(usage);
        delta
    }
}

/// A text-completion choice (index `0`): its text as content and its finish reason. A whole
/// reply (`whole`) always ends, as a non-stream chat reply does; a chunk ends only with a
/// reason.
fn completion_delta(
    choices: Vec<CompletionChoice>,
    usage_of: Option<&openai_wire::chat::CompletionUsage>,
    whole: bool,
) -> Delta {
    let mut delta = Delta::new();
    if let Some(choice) = choices.into_iter().find(|c| c.index == 0) {
        delta.content = choice.text;
        let reason = choice.finish_reason.as_ref().map(|r| r.as_str());
        if whole || reason.is_some() {
            delta.finish = Some(FinishSignal::new(reason));
        }
    }
    delta.usage = usage_of.map(usage);
    delta
}

/// A `/v1/completions` chunk: the new text as content.
impl From<CompletionChunk> for Delta {
    fn from(chunk: CompletionChunk) -> Self {
        completion_delta(chunk.choices, chunk.usage.as_ref(), false)
    }
}

/// A whole `/v1/completions` reply: its text, finish reason and usage in one delta.
impl From<Completion> for Delta {
    fn from(reply: Completion) -> Self {
        completion_delta(reply.choices, reply.usage.as_ref(), true)
    }
}

#[cfg(feature = "stream")]
mod adapter {
    use std::fmt::Display;

    use openai_wire::chunks::StreamItem;
    use openai_wire::stream::StreamError;

    use crate::delta::Delta;

    from_result! {
        [T: Into<Delta>, E: Display] StreamItem<T>, StreamError<E>;
    }
}

impl From<ChatCompletionChunk> for Delta {
    fn from(chunk: ChatCompletionChunk) -> Self {
        Self::from_openai_choice(chunk, 0)
    }
}

impl Delta {
    /// The delta of the choice with index `choice` in `chunk` (plus the chunk's usage).
    pub fn from_openai_choice(chunk: ChatCompletionChunk, choice: u32) -> Self {
        let mut delta = Self {
            usage: chunk.usage.as_ref().map(usage),
            ..Self::default()
        };
        let Some(ChunkChoice {
            delta: wire,
            finish_reason,
            ..
        }) = chunk.choices.into_iter().find(|c| c.index == choice)
        else {
            return delta;
        };
        delta.reasoning = wire.reasoning.unwrap_or_default();
        delta.content = wire.content.unwrap_or_default();
        delta.tool_calls = wire
            .tool_calls
            .unwrap_or_default()
            .into_iter()
            .map(fragment)
            .collect();
        delta.finish = finish_reason.map(|r| FinishSignal::new(Some(r.as_str())));
        delta
    }
}

impl From<&openai_wire::OpenAiError> for UpstreamError {
    fn from(error: &openai_wire::OpenAiError) -> Self {
        Self::new(error.message())
    }
}

fn fragment(call: ChatCompletionToolCallDelta) -> ToolCallFragment {
    let (name, arguments) = match call.function {
        Some(f) => (f.name, f.arguments),
        None => (None, None),
    };
    ToolCallFragment {
        id: call.id,
        index: call.index,
        name,
        arguments: arguments.map(ArgumentsDelta::Fragment),
    }
}

fn usage(usage: &openai_wire::chat::CompletionUsage) -> Usage {
    Usage {
        input_tokens: Some(usage.prompt_tokens),
        output_tokens: Some(usage.completion_tokens),
        total_tokens: Some(usage.total_tokens),
        reasoning_tokens: usage
            .completion_tokens_details
            .as_ref()
            .and_then(|d| d.get("reasoning_tokens"))
            .and_then(serde_json::Value::as_u64),
        ..Usage::default()
    }
}
