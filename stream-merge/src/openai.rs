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
//! `data: [DONE]` carries nothing: call [`Merger::finish`](crate::Merger::finish) on it. An error
//! event (`openai_wire::Error::Upstream`) becomes `Delta::error(UpstreamError::from(&*err))`.

use openai_wire::chat::{ChatCompletionChunk, ChunkChoice, ToolCallDelta};

use crate::delta::{ArgumentsDelta, Delta, FinishSignal, ToolCallFragment, UpstreamError, Usage};

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

impl From<&openai_wire::UpstreamError> for UpstreamError {
    fn from(error: &openai_wire::UpstreamError) -> Self {
        Self::new(error.message())
    }
}

fn fragment(call: ToolCallDelta) -> ToolCallFragment {
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

fn usage(usage: &openai_wire::chat::Usage) -> Usage {
    Usage {
        input_tokens: Some(usage.prompt_tokens),
        output_tokens: Some(usage.completion_tokens),
        total_tokens: Some(usage.total_tokens),
        reasoning_tokens: usage
            .completion_tokens_details
            .as_ref()
            .and_then(|d| d.get("reasoning_tokens"))
            .and_then(serde_json::Value::as_u64),
    }
}
