//! Re-emitting a merged stream as clean OpenAI-compatible `chat.completion.chunk` SSE
//! ([`OpenAiEncoder`]), or as `/v1/completions` `text_completion` SSE ([`CompletionEncoder`]).
//!
//! A proxy in front of Ollama decodes the upstream bytes, merges them, and hands clients this
//! well-ordered stream instead of the raw one: reasoning always before the text of the same
//! step, one delta kind per chunk, tool calls announced once (id and name) and then their
//! argument text, `finish_reason` on its own `"delta":{}` chunk, an optional usage chunk with
//! `"choices":[]`, then `data: [DONE]`.
//!
//! Nothing is invented: an upstream error becomes an SSE `{"error": …}` event and ends the
//! output, a stream that was cut ends without a finish chunk and without `[DONE]`, and a finish
//! reason the server sent (even `error`) is passed on, so clients see what the source had.
//!
//! Nothing of the source's shape is lost either: shown each upstream chunk
//! ([`OpenAiEncoder::observe_source`]), the encoder writes the reasoning under the key the
//! source used (`reasoning`, `reasoning_content` or `reasoning_text`) and keeps its
//! `system_fingerprint`; [`OpenAiEncoder::reasoning_key`] fixes the key instead.

use std::collections::HashMap;

use openai_wire::chat::{
    ChatCompletionChunk, ChatCompletionDelta, ChatCompletionFinishReason,
    ChatCompletionToolCallDelta, ChunkChoice, CompletionUsage, FunctionDelta, ReasoningKey, Role,
};
use openai_wire::completions::{CompletionChoice, CompletionChunk};
use openai_wire::sse::{EncodeError, Event as SseEvent, SseEncoder};

use crate::{BlockKind, Event, FinishReason, MergeError, Usage};

/// Encodes merge [`Event`]s as OpenAI chunk SSE.
///
/// ```
/// use ollama_stream_merge::{Delta, merge, to_openai::OpenAiEncoder};
///
/// // One upstream delta carrying reasoning and content: re-emitted as two ordered chunks.
/// let events = merge([Delta::reasoning("Hmm.").with_content("Hi"), Delta::finish(Some("stop"))],
///                    Default::default());
/// let mut sse = Vec::new();
/// let mut encoder = OpenAiEncoder::new("chatcmpl-1", 1768064132, "qwen3");
/// for event in &events {
///     encoder.encode(event, &mut sse).unwrap();
/// }
/// let text = String::from_utf8(sse).unwrap();
/// assert!(text.find("\"reasoning\":\"Hmm.\"").unwrap() < text.find("\"content\":\"Hi\"").unwrap());
/// assert!(text.ends_with("data: [DONE]\n\n"));
/// ```
#[derive(Debug, Clone)]
pub struct OpenAiEncoder {
    id: String,
    created: i64,
    model: String,
    include_usage: bool,
    /// The key reasoning is written under.
    reasoning_key: ReasoningKey,
    /// Whether [`observe_source`](Self::observe_source) may change `reasoning_key`.
    follow_source_key: bool,
    system_fingerprint: Option<String>,
    role_sent: bool,
    /// Block index → tool-call index in the output.
    tools: HashMap<u32, u32>,
    sse: SseEncoder,
    ended: bool,
}

impl OpenAiEncoder {
    /// An encoder writing chunks with this `id`, `created` (Unix seconds) and `model`.
    pub fn new(id: impl Into<String>, created: i64, model: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            created,
            model: model.into(),
            include_usage: true,
            reasoning_key: ReasoningKey::default(),
            follow_source_key: true,
            system_fingerprint: None,
            role_sent: false,
            tools: HashMap::new(),
            sse: SseEncoder::new(),
            ended: false,
        }
    }

    /// An encoder for the stream whose first chunk is `chunk`: the same `id`, `created`,
    /// `model` and `system_fingerprint`, and what [`observe_source`](Self::observe_source)
    /// learns from it.
    pub fn for_source(chunk: &ChatCompletionChunk) -> Self {
        let mut encoder = Self::new(chunk.id.clone(), chunk.created, chunk.model.clone());
        encoder.observe_source(chunk);
        encoder
    }

    /// Learns from one upstream chunk, to write what the source wrote: its
    /// `system_fingerprint` (when it has one) and, when it carries reasoning, the key the
    /// reasoning came under (unless [`reasoning_key`](Self::reasoning_key) fixed it). Call it
    /// for every upstream chunk before the chunk goes to the merger.
    ///
    /// ```
    /// use openai_wire::chat::ChatCompletionChunk;
    /// use ollama_stream_merge::{Delta, merge, to_openai::OpenAiEncoder};
    ///
    /// // llama-server's shape: `reasoning_content`, a fingerprint.
    /// let line = r#"{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","system_fingerprint":"b1-x","choices":[{"index":0,"delta":{"reasoning_content":"Hmm."},"finish_reason":null}]}"#;
    /// let chunk: ChatCompletionChunk = serde_json::from_str(line).unwrap();
    /// let mut encoder = OpenAiEncoder::for_source(&chunk);
    /// let mut sse = Vec::new();
    /// for event in merge([Delta::from(chunk), Delta::finish(Some("stop"))], Default::default()) {
    ///     encoder.encode(&event, &mut sse).unwrap();
    /// }
    /// let text = String::from_utf8(sse).unwrap();
    /// assert!(text.contains(r#""system_fingerprint":"b1-x""#));
    /// assert!(text.contains(r#""reasoning_content":"Hmm.""#));
    /// ```
    pub fn observe_source(&mut self, chunk: &ChatCompletionChunk) {
        if let Some(fingerprint) = &chunk.system_fingerprint {
            self.system_fingerprint = Some(fingerprint.clone());
        }
        if self.follow_source_key {
            if let Some(delta) = chunk
                .choices
                .iter()
                .map(|c| &c.delta)
                .find(|d| d.reasoning.is_some())
            {
                self.reasoning_key = delta.reasoning_key;
            }
        }
    }

    /// Writes reasoning under `key` whatever the source used (default: the source's key, once
    /// [`observe_source`](Self::observe_source) has seen one; `reasoning` until then, as
    /// Ollama writes it).
    #[must_use]
    pub fn reasoning_key(mut self, key: ReasoningKey) -> Self {
        self.reasoning_key = key;
        self.follow_source_key = false;
        self
    }

    /// Writes `fingerprint` as every chunk's `system_fingerprint` (default: none, or the
    /// source's once observed).
    #[must_use]
    pub fn system_fingerprint(mut self, fingerprint: impl Into<String>) -> Self {
        self.system_fingerprint = Some(fingerprint.into());
        self
    }

    /// Whether to write the usage chunk (`"choices":[]`) when the finish carries usage, as
    /// `stream_options.include_usage` asks (default: yes).
    #[must_use]
    pub fn include_usage(mut self, yes: bool) -> Self {
        self.include_usage = yes;
        self
    }

    /// Appends the SSE for one event to `out` (nothing for events without output, and nothing
    /// after the end).
    ///
    /// # Errors
    ///
    /// None in practice: the `Result` passes on [`SseEncoder::encode`]'s [`EncodeError`], but
    /// every event written here has data only (no type, no id), and that data is compact JSON
    /// (serde_json escapes CR and LF) or `[DONE]`, which the SSE encoder always accepts.
    pub fn encode(&mut self, event: &Event, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        if self.ended {
            return Ok(());
        }
        match event {
            Event::TextDelta { text, .. } => {
                let mut delta = ChatCompletionDelta::default();
                delta.content = Some(text.clone());
                self.chunk(delta, None, out)
            }
            Event::ReasoningDelta { text, .. } => {
                let mut delta = ChatCompletionDelta::default();
                delta.reasoning = Some(text.clone());
                delta.reasoning_key = self.reasoning_key;
                self.chunk(delta, None, out)
            }
            Event::BlockStart {
                index,
                block: BlockKind::ToolCall { id, name },
            } => {
                let n = u32::try_from(self.tools.len()).unwrap_or(u32::MAX);
                self.tools.insert(*index, n);
                let mut call = ChatCompletionToolCallDelta::new(n);
                call.id = Some(id.clone());
                call.kind = Some("function".to_owned());
                call.function = Some(FunctionDelta::new(Some(name.clone()), Some(String::new())));
                self.tool_chunk(call, out)
            }
            Event::ToolArgsDelta { index, json } => {
                let n = self.tools.get(index).copied().unwrap_or_default();
                let mut call = ChatCompletionToolCallDelta::new(n);
                call.function = Some(FunctionDelta::new(None, Some(json.clone())));
                self.tool_chunk(call, out)
            }
            Event::Error {
                error: MergeError::Upstream(error),
            } => {
                self.ended = true;
                upstream_error(&mut self.sse, &error.message, out)
            }
            Event::Finish(finish) => {
                self.ended = true;
                let reason = match finish.reason {
                    // A cut stream ends as it did upstream: no finish, no [DONE]. (After an
                    // upstream error nothing more is written at all, see above.)
                    FinishReason::Incomplete => return Ok(()),
                    // A finish signal that said `error` (with no error event) is passed on.
                    FinishReason::Error => ChatCompletionFinishReason::from(
                        finish.raw_reason.as_deref().unwrap_or("error"),
                    ),
                    FinishReason::Other => ChatCompletionFinishReason::from(
                        finish.raw_reason.as_deref().unwrap_or("stop"),
                    ),
                    other => ChatCompletionFinishReason::from(other.as_str()),
                };
                self.chunk(ChatCompletionDelta::default(), Some(reason), out)?;
                if let Some(usage) = finish.usage.as_ref().filter(|_| self.include_usage) {
                    let mut chunk = self.new_chunk();
                    chunk.usage = Some(completion_usage(usage));
                    self.write(&chunk, out)?;
                }
                self.sse.encode(&SseEvent::new("[DONE]"), out)
            }
            _ => Ok(()),
        }
    }

    fn tool_chunk(
        &mut self,
        call: ChatCompletionToolCallDelta,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        let mut delta = ChatCompletionDelta::default();
        delta.tool_calls = Some(vec![call]);
        self.chunk(delta, None, out)
    }

    fn chunk(
        &mut self,
        mut delta: ChatCompletionDelta,
        finish: Option<ChatCompletionFinishReason>,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        if !self.role_sent {
            delta.role = Some(Role::Assistant);
            self.role_sent = true;
        }
        let mut choice = ChunkChoice::new(0, delta);
        choice.finish_reason = finish;
        let mut chunk = self.new_chunk();
        chunk.choices.push(choice);
        self.write(&chunk, out)
    }

    fn new_chunk(&self) -> ChatCompletionChunk {
        let mut chunk = ChatCompletionChunk::new(&self.id, self.created, &self.model);
        chunk
            .system_fingerprint
            .clone_from(&self.system_fingerprint);
        chunk
    }

    fn write(&mut self, chunk: &ChatCompletionChunk, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        // Serializing these plain structs cannot fail; an empty object would be a visible bug.
        let json = serde_json::to_string(chunk).unwrap_or_else(|_| "{}".to_owned());
        self.sse.encode(&SseEvent::new(json), out)
    }
}

/// Encodes merge [`Event`]s as `/v1/completions` SSE: `text_completion` chunks (Go's field
/// order: `choices` before `model`), a finish chunk with empty text and the finish reason, a
/// usage chunk with `"choices":[]` when the finish carries usage, then `data: [DONE]`.
///
/// The wire has only text: reasoning and tool calls have no place in it and are not written
/// (a completions stream never carries them, so repairing one loses nothing). An upstream error
/// is an `{"error": …}` event and ends the output; a cut stream ends cut, without `[DONE]`.
///
/// ```
/// use ollama_stream_merge::{Delta, merge, to_openai::CompletionEncoder};
///
/// let events = merge([Delta::content("Paris"), Delta::finish(Some("stop"))], Default::default());
/// let mut sse = Vec::new();
/// let mut encoder = CompletionEncoder::new("cmpl-1", 1796112000, "gemma3");
/// for event in &events {
///     encoder.encode(event, &mut sse).unwrap();
/// }
/// let text = String::from_utf8(sse).unwrap();
/// assert!(text.starts_with(r#"data: {"id":"cmpl-1","object":"text_completion","created":1796112000,"choices":[{"text":"Paris","index":0,"finish_reason":null}],"model":"gemma3"}"#));
/// assert!(text.contains(r#""choices":[{"text":"","index":0,"finish_reason":"stop"}]"#));
/// assert!(text.ends_with("data: [DONE]\n\n"));
/// ```
#[derive(Debug, Clone)]
pub struct CompletionEncoder {
    id: String,
    created: i64,
    model: String,
    system_fingerprint: Option<String>,
    sse: SseEncoder,
    ended: bool,
}

impl CompletionEncoder {
    /// An encoder writing chunks with this `id`, `created` (Unix seconds) and `model`.
    pub fn new(id: impl Into<String>, created: i64, model: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            created,
            model: model.into(),
            system_fingerprint: None,
            sse: SseEncoder::new(),
            ended: false,
        }
    }

    /// An encoder for the stream whose first chunk is `chunk`: its id, creation time, model
    /// and `system_fingerprint`.
    pub fn for_source(chunk: &CompletionChunk) -> Self {
        let mut encoder = Self::new(chunk.id.clone(), chunk.created, chunk.model.clone());
        encoder
            .system_fingerprint
            .clone_from(&chunk.system_fingerprint);
        encoder
    }

    /// Appends the SSE for one event to `out` (nothing for events without output, and nothing
    /// after the end).
    ///
    /// # Errors
    ///
    /// None in practice, as for [`OpenAiEncoder::encode`].
    pub fn encode(&mut self, event: &Event, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        if self.ended {
            return Ok(());
        }
        match event {
            Event::TextDelta { text, .. } => self.choice(text, None, out),
            Event::Error {
                error: MergeError::Upstream(error),
            } => {
                self.ended = true;
                upstream_error(&mut self.sse, &error.message, out)
            }
            Event::Finish(finish) => {
                self.ended = true;
                let reason = match finish.reason {
                    FinishReason::Incomplete => return Ok(()),
                    FinishReason::Error | FinishReason::Other => ChatCompletionFinishReason::from(
                        finish.raw_reason.as_deref().unwrap_or("stop"),
                    ),
                    // A text completion has no tool calls to end with.
                    FinishReason::ToolCalls => ChatCompletionFinishReason::from("stop"),
                    other => ChatCompletionFinishReason::from(other.as_str()),
                };
                self.choice("", Some(reason), out)?;
                if let Some(usage) = &finish.usage {
                    let mut chunk = self.new_chunk();
                    chunk.usage = Some(completion_usage(usage));
                    self.write(&chunk, out)?;
                }
                self.sse.encode(&SseEvent::new("[DONE]"), out)
            }
            _ => Ok(()),
        }
    }

    fn choice(
        &mut self,
        text: &str,
        finish: Option<ChatCompletionFinishReason>,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        let mut choice = CompletionChoice::default();
        choice.text = text.to_owned();
        choice.finish_reason = finish;
        let mut chunk = self.new_chunk();
        chunk.choices.push(choice);
        self.write(&chunk, out)
    }

    fn new_chunk(&self) -> CompletionChunk {
        let mut chunk = CompletionChunk::default();
        chunk.id.clone_from(&self.id);
        chunk.object = "text_completion".to_owned();
        chunk.created = self.created;
        chunk.model.clone_from(&self.model);
        chunk
            .system_fingerprint
            .clone_from(&self.system_fingerprint);
        chunk
    }

    fn write(&mut self, chunk: &CompletionChunk, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        // Serializing these plain structs cannot fail; an empty object would be a visible bug.
        let json = openai_wire::Encoder::new()
            .to_vec(chunk)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .unwrap_or_else(|| "{}".to_owned());
        self.sse.encode(&SseEvent::new(json), out)
    }
}

/// The SSE `{"error": …}` event OpenAI-compatible servers send in a stream for an upstream
/// error.
fn upstream_error(
    sse: &mut SseEncoder,
    message: &str,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    let body = serde_json::json!({"error": {
        "message": message, "type": "api_error", "param": null, "code": null,
    }});
    sse.encode(&SseEvent::new(body.to_string()), out)
}

/// A finish's usage as the usage chunk reports it (a count not reported is `0`).
fn completion_usage(usage: &Usage) -> CompletionUsage {
    CompletionUsage::new(
        usage.input_tokens.unwrap_or(0),
        usage.output_tokens.unwrap_or(0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Delta, Usage, merge};

    /// The SSE both encoders write for a reply whose finish carries `usage`.
    fn both_encodings(usage: Usage) -> [String; 2] {
        let events = merge(
            [
                Delta::content("Hi"),
                Delta::finish(Some("stop")).with_usage(usage),
            ],
            Default::default(),
        );
        let (mut chat, mut completion) = (Vec::new(), Vec::new());
        let mut chat_encoder = OpenAiEncoder::new("c", 1, "m");
        let mut completion_encoder = CompletionEncoder::new("c", 1, "m");
        for event in &events {
            chat_encoder.encode(event, &mut chat).unwrap();
            completion_encoder.encode(event, &mut completion).unwrap();
        }
        [chat, completion].map(|sse| String::from_utf8(sse).unwrap())
    }

    #[test]
    fn the_usage_chunk_carries_the_finish_counts_and_zero_for_one_not_reported() {
        for sse in both_encodings(Usage::new(3, 4)) {
            assert!(
                sse.contains(
                    r#""usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}"#
                ),
                "{sse}"
            );
        }
        let usage = Usage {
            output_tokens: Some(4),
            ..Usage::default()
        };
        for sse in both_encodings(usage) {
            assert!(
                sse.contains(
                    r#""usage":{"prompt_tokens":0,"completion_tokens":4,"total_tokens":4}"#
                ),
                "{sse}"
            );
        }
    }
}
