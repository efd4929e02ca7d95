//! Chat-completions types: request, response, `chat.completion.chunk`, errors.
//!
//! Decoding is lenient: unknown fields are ignored and explicit `null`s are
//! accepted wherever a field is optional. Encoding writes fields in the order
//! Ollama's `/v1` layer writes them, with its omission rules, so
//! Ollama-shaped chunks re-encode byte-identically: `finish_reason` is always
//! written (`null` until the finish), `"delta":{}` is possible, and a usage
//! chunk has `"choices":[]`.
//!
//! ```
//! use openai_wire::chat::{ChatCompletionChunk, ChatCompletionFinishReason};
//!
//! let line = r#"{"id":"chatcmpl-492","object":"chat.completion.chunk","created":1768064132,"model":"qwen3:32b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#;
//! let chunk: ChatCompletionChunk = serde_json::from_str(line).unwrap();
//! assert_eq!(chunk.choices[0].finish_reason, Some(ChatCompletionFinishReason::Stop));
//! assert_eq!(serde_json::to_string(&chunk).unwrap(), line);
//! ```

use serde::de::Deserializer;
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use wire_core::open_enum;

open_enum! {
    /// Why a choice stopped.
    pub enum ChatCompletionFinishReason {
        /// Natural end or a stop sequence.
        Stop = "stop",
        /// Token limit reached.
        Length = "length",
        /// The model called tools.
        ToolCalls = "tool_calls",
        /// Content was filtered.
        ContentFilter = "content_filter",
        /// Legacy function call.
        FunctionCall = "function_call",
    }
}

open_enum! {
    /// A message author.
    pub enum Role {
        /// `system`.
        System = "system",
        /// `developer`.
        Developer = "developer",
        /// `user`.
        User = "user",
        /// `assistant`.
        Assistant = "assistant",
        /// `tool`.
        Tool = "tool",
    }
}

open_enum! {
    /// Requested reasoning effort.
    pub enum ReasoningEffort {
        /// `none`.
        None = "none",
        /// `minimal`.
        Minimal = "minimal",
        /// `low`.
        Low = "low",
        /// `medium`.
        Medium = "medium",
        /// `high`.
        High = "high",
        /// `xhigh`.
        XHigh = "xhigh",
        /// `max`.
        Max = "max",
    }
}

open_enum! {
    /// A `tool_choice` given as a string.
    pub enum ToolChoiceMode {
        /// Never call tools.
        None = "none",
        /// The model decides.
        Auto = "auto",
        /// The model must call a tool.
        Required = "required",
    }
}

/// Which JSON key carried the reasoning text. Re-encoding writes the same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ReasoningKey {
    /// `reasoning` (Ollama, OpenRouter).
    #[default]
    Reasoning,
    /// `reasoning_content` (DeepSeek, vLLM, llama.cpp).
    ReasoningContent,
    /// `reasoning_text`.
    ReasoningText,
}

/// Picks the reasoning text: the first non-empty of `reasoning_content`,
/// `reasoning`, `reasoning_text`; else the first present.
fn pick_reasoning<T: AsRef<str>>(
    content: Option<T>,
    plain: Option<T>,
    text: Option<T>,
) -> (Option<T>, ReasoningKey) {
    let candidates = [
        (content, ReasoningKey::ReasoningContent),
        (plain, ReasoningKey::Reasoning),
        (text, ReasoningKey::ReasoningText),
    ];
    let chosen = candidates
        .iter()
        .position(|(v, _)| v.as_ref().is_some_and(|s| !s.as_ref().is_empty()))
        .or_else(|| candidates.iter().position(|(v, _)| v.is_some()));
    match chosen.and_then(|i| candidates.into_iter().nth(i)) {
        Some((v, k)) => (v, k),
        None => (None, ReasoningKey::default()),
    }
}

/// Splits reasoning back into the three optional keys for encoding.
fn split_reasoning(
    reasoning: Option<&str>,
    key: ReasoningKey,
) -> (Option<&str>, Option<&str>, Option<&str>) {
    match key {
        ReasoningKey::Reasoning => (reasoning, None, None),
        ReasoningKey::ReasoningContent => (None, reasoning, None),
        ReasoningKey::ReasoningText => (None, None, reasoning),
    }
}

// The types, one file per section; all re-exported here.
mod chunk;
mod completion;
mod error;
mod message;
mod request;

pub use chunk::*;
pub use completion::*;
pub use error::*;
pub use message::*;
pub use request::*;

/// `"function"`, the only tool type.
fn function_type() -> String {
    "function".to_owned()
}

/// Deserializes `null` as `"function"`.
fn null_function<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_else(function_type))
}

/// Deserializes `null` as the default value.
fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

mod borrowed;
pub use borrowed::{
    ChatCompletionChunkRef, ChatCompletionDeltaRef, ChatCompletionToolCallDeltaRef, ChunkChoiceRef,
    FunctionDeltaRef,
};

#[cfg(test)]
mod tests;
