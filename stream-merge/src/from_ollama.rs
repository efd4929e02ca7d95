//! Conversions from Ollama's native chunks (feature `ollama`).
//!
//! - `message.thinking` (chat) / `thinking` (generate) → [`Delta::reasoning`];
//! - `message.content` / `response` → [`Delta::content`];
//! - each native tool call → one [`ToolCallFragment`] with its id, `function.index`, name and the
//!   whole argument object ([`ArgumentsDelta::Complete`]), so the call ends at once;
//! - `done: true` → [`Delta::finish`] with `done_reason` as the raw reason (absent is allowed);
//! - `prompt_eval_count` / `eval_count` → [`Delta::usage`].
//!
//! What the decoder yields besides chunks converts into an [`Input`] too, so every item and
//! the verdict go to [`Merger::push`](crate::Merger::push) as they are:
//!
//! - `DecodeError::Upstream` (an `{"error": …}` line), an [`ErrorBody`] and
//!   `ResponseError::Upstream` (an error body) → [`Delta::error`];
//! - `DecodeError::Truncated` (the verdict of `finish()`) → [`Input::End`] with the cut;
//!   `Ok(())` → the clean end;
//! - `Malformed`, `LineTooLong`, `AfterEnd`, `ResponseError::Malformed` → [`Input::Wire`];
//! - the async adapter's `StreamError::Transport` (feature `stream`) → [`Input::Wire`] (the
//!   adapter ends after it; the merger then reports the missing finish).

use ollama_wire::{
    ChatResponse, DecodeError, ErrorBody, GenerateResponse, Metrics, ResponseError, ToolCall,
};

use crate::delta::{
    ArgumentsDelta, Delta, Durations, FinishSignal, ToolCallFragment, UpstreamError, Usage,
};
use crate::input::{ErrorCategory, Input, WireError};

from_delta! {
    ChatResponse;
    GenerateResponse;
}

impl From<DecodeError> for Input {
    fn from(error: DecodeError) -> Self {
        match error {
            DecodeError::Upstream { error, .. } => Self::Delta(Delta::error((&error).into())),
            DecodeError::Truncated { .. } => Self::End(Some(WireError::of(&error))),
            other => Self::Wire(WireError::of(&other)),
        }
    }
}

/// The verdict of `StreamDecoder::finish`: the end of input.
impl From<Result<(), DecodeError>> for Input {
    fn from(verdict: Result<(), DecodeError>) -> Self {
        match verdict {
            Ok(()) => Self::End(None),
            Err(e @ DecodeError::Truncated { .. }) => Self::from(e),
            // `finish` reports nothing else; should it, the end is still the end.
            Err(e) => Self::End(Some(WireError::of(&e))),
        }
    }
}

from_upstream_error! {
    ErrorBody;
}

/// An error of `ollama_wire::decode_json` (a whole non-stream reply or error body).
impl From<ResponseError> for Input {
    fn from(error: ResponseError) -> Self {
        match error {
            ResponseError::Upstream { error, .. } => Self::from(error),
            other => Self::Wire(WireError::new(
                ErrorCategory::Malformed,
                Some(0),
                other.to_string(),
            )),
        }
    }
}

#[cfg(feature = "stream")]
mod adapter {
    use std::fmt::Display;

    use ollama_wire::{ChatResponse, GenerateResponse, StreamError};

    from_result! {
        [E: Display] ChatResponse, StreamError<E>;
        [E: Display] GenerateResponse, StreamError<E>;
    }
}

from_result! {
    [] ChatResponse, DecodeError;
    [] GenerateResponse, DecodeError;
    [] ChatResponse, ResponseError;
    [] GenerateResponse, ResponseError;
}

impl From<ChatResponse> for Delta {
    fn from(chunk: ChatResponse) -> Self {
        let message = chunk.message;
        Self {
            reasoning: message.thinking.unwrap_or_default(),
            content: message.content,
            tool_calls: calls(message.tool_calls),
            usage: usage(&chunk.metrics),
            finish: chunk
                .done
                .then(|| FinishSignal::new(chunk.done_reason.as_ref().map(|r| r.as_str()))),
            error: None,
        }
    }
}

impl From<GenerateResponse> for Delta {
    fn from(chunk: GenerateResponse) -> Self {
        Self {
            reasoning: chunk.thinking.unwrap_or_default(),
            content: chunk.response,
            tool_calls: calls(chunk.tool_calls),
            usage: usage(&chunk.metrics),
            finish: chunk
                .done
                .then(|| FinishSignal::new(chunk.done_reason.as_ref().map(|r| r.as_str()))),
            error: None,
        }
    }
}

impl From<&ErrorBody> for UpstreamError {
    fn from(body: &ErrorBody) -> Self {
        Self::new(body.error.clone())
    }
}

fn calls(calls: Option<Vec<ToolCall>>) -> Vec<ToolCallFragment> {
    calls
        .unwrap_or_default()
        .into_iter()
        .map(|call| ToolCallFragment {
            id: call.id,
            index: call.function.index,
            name: Some(call.function.name),
            arguments: Some(ArgumentsDelta::Complete(
                call.function.arguments.as_str().to_owned(),
            )),
        })
        .collect()
}

fn usage(metrics: &Metrics) -> Option<Usage> {
    if metrics.is_empty() {
        return None;
    }
    let durations = Durations {
        total: metrics.total_duration,
        load: metrics.load_duration,
        prompt_eval: metrics.prompt_eval_duration,
        eval: metrics.eval_duration,
    };
    Some(Usage {
        input_tokens: metrics.prompt_eval_count,
        output_tokens: metrics.eval_count,
        total_tokens: metrics
            .prompt_eval_count
            .zip(metrics.eval_count)
            .and_then(|(a, b)| a.checked_add(b)),
        reasoning_tokens: None,
        durations,
    })
}
