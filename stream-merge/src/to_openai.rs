//! Re-emitting a merged stream as clean OpenAI-compatible `chat.completion.chunk` SSE.
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

use std::collections::HashMap;

use openai_wire::chat::{
    ChatCompletionChunk, ChunkChoice, Delta as WireDelta, FinishReason as WireFinish,
    FunctionDelta, Role, ToolCallDelta, Usage as WireUsage,
};
use openai_wire::sse::{EncodeError, Event as SseEvent, SseEncoder};

use crate::{BlockKind, Event, FinishReason, MergeError};

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
            role_sent: false,
            tools: HashMap::new(),
            sse: SseEncoder::new(),
            ended: false,
        }
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
                let mut delta = WireDelta::default();
                delta.content = Some(text.clone());
                self.chunk(delta, None, out)
            }
            Event::ReasoningDelta { text, .. } => {
                let mut delta = WireDelta::default();
                delta.reasoning = Some(text.clone());
                self.chunk(delta, None, out)
            }
            Event::BlockStart {
                index,
                block: BlockKind::ToolCall { id, name },
            } => {
                let n = u32::try_from(self.tools.len()).unwrap_or(u32::MAX);
                self.tools.insert(*index, n);
                let mut call = ToolCallDelta::new(n);
                call.id = Some(id.clone());
                call.kind = Some("function".to_owned());
                call.function = Some(FunctionDelta::new(Some(name.clone()), Some(String::new())));
                self.tool_chunk(call, out)
            }
            Event::ToolArgsDelta { index, json } => {
                let n = self.tools.get(index).copied().unwrap_or_default();
                let mut call = ToolCallDelta::new(n);
                call.function = Some(FunctionDelta::new(None, Some(json.clone())));
                self.tool_chunk(call, out)
            }
            Event::Error {
                error: MergeError::Upstream(error),
            } => {
                let body = serde_json::json!({"error": {
                    "message": error.message, "type": "api_error", "param": null, "code": null,
                }});
                self.ended = true;
                self.sse.encode(&SseEvent::new(body.to_string()), out)
            }
            Event::Finish(finish) => {
                self.ended = true;
                let reason = match finish.reason {
                    // A cut stream ends as it did upstream: no finish, no [DONE]. (After an
                    // upstream error nothing more is written at all, see above.)
                    FinishReason::Incomplete => return Ok(()),
                    // A finish signal that said `error` (with no error event) is passed on.
                    FinishReason::Error => {
                        WireFinish::from(finish.raw_reason.as_deref().unwrap_or("error"))
                    }
                    FinishReason::Other => {
                        WireFinish::from(finish.raw_reason.as_deref().unwrap_or("stop"))
                    }
                    other => WireFinish::from(other.as_str()),
                };
                self.chunk(WireDelta::default(), Some(reason), out)?;
                if let Some(usage) = finish.usage.as_ref().filter(|_| self.include_usage) {
                    let mut chunk = ChatCompletionChunk::new(&self.id, self.created, &self.model);
                    chunk.usage = Some(WireUsage::new(
                        usage.input_tokens.unwrap_or(0),
                        usage.output_tokens.unwrap_or(0),
                    ));
                    self.write(&chunk, out)?;
                }
                self.sse.encode(&SseEvent::new("[DONE]"), out)
            }
            _ => Ok(()),
        }
    }

    fn tool_chunk(&mut self, call: ToolCallDelta, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let mut delta = WireDelta::default();
        delta.tool_calls = Some(vec![call]);
        self.chunk(delta, None, out)
    }

    fn chunk(
        &mut self,
        mut delta: WireDelta,
        finish: Option<WireFinish>,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        if !self.role_sent {
            delta.role = Some(Role::Assistant);
            self.role_sent = true;
        }
        let mut choice = ChunkChoice::new(0, delta);
        choice.finish_reason = finish;
        let mut chunk = ChatCompletionChunk::new(&self.id, self.created, &self.model);
        chunk.choices.push(choice);
        self.write(&chunk, out)
    }

    fn write(&mut self, chunk: &ChatCompletionChunk, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        // Serializing these plain structs cannot fail; an empty object would be a visible bug.
        let json = serde_json::to_string(chunk).unwrap_or_else(|_| "{}".to_owned());
        self.sse.encode(&SseEvent::new(json), out)
    }
}
