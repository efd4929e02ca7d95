//! Conversions from Ollama's native chunks (feature `ollama`).
//!
//! - `message.thinking` (chat) / `thinking` (generate) → [`Delta::reasoning`];
//! - `message.content` / `response` → [`Delta::content`];
//! - each native tool call → one [`ToolCallFragment`] with its id, `function.index`, name and the
//!   whole argument object ([`ArgumentsDelta::Complete`]), so the call ends at once;
//! - `done: true` → [`Delta::finish`] with `done_reason` as the raw reason (absent is allowed);
//! - `prompt_eval_count` / `eval_count` → [`Delta::usage`].
//!
//! An `{"error": …}` line is not a chunk: `ollama_wire`'s decoder reports it as
//! `DecodeError::Upstream(ErrorBody)`; push `Delta::error(UpstreamError::from(&body))`.

use ollama_wire::{ChatResponse, ErrorBody, GenerateResponse, Metrics, ToolCall};

use crate::delta::{ArgumentsDelta, Delta, FinishSignal, ToolCallFragment, UpstreamError, Usage};

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
    if metrics.prompt_eval_count.is_none() && metrics.eval_count.is_none() {
        return None;
    }
    Some(Usage {
        input_tokens: metrics.prompt_eval_count,
        output_tokens: metrics.eval_count,
        total_tokens: metrics
            .prompt_eval_count
            .zip(metrics.eval_count)
            .and_then(|(a, b)| a.checked_add(b)),
        reasoning_tokens: None,
    })
}
