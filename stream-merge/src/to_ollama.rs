//! Re-emitting a merged stream as Ollama's native `/api/chat` NDJSON (or, with
//! [`OllamaEncoder::generate`], `/api/generate`'s: `response` and `thinking` instead of a
//! `message`).
//!
//! Each text or reasoning delta becomes one chunk; each tool call is sent whole (native calls
//! carry an argument *object*) when it ends; the finish becomes the `done: true` chunk with the
//! native `done_reason` (`stop` for tool turns, as Ollama writes), the token counts and the
//! timings the source reported.
//!
//! Nothing is invented: an upstream error becomes an `{"error": …}` line, a tool call whose
//! arguments are not a JSON object becomes an error line (native clients cannot represent it),
//! a stream that was cut ends without a `done` chunk, and a finish reason the server sent (even
//! `error`) is passed on as the `done_reason`.

use ollama_wire::{
    ChatResponse, DoneReason, Encoder, ErrorBody, GenerateResponse, Message, ToolCall,
    ToolCallFunctionArguments,
};

use crate::{BlockOutcome, Event, FinishReason, MergeError};

/// Encodes merge [`Event`]s as Ollama `/api/chat` NDJSON lines.
///
/// There is no clock in here: every chunk carries the `created_at` last set with
/// [`set_created_at`](Self::set_created_at).
///
/// ```
/// use ollama_stream_merge::{Delta, merge, to_ollama::OllamaEncoder};
///
/// let events = merge([Delta::reasoning("Hmm.").with_content("Hi"), Delta::finish(Some("stop"))],
///                    Default::default());
/// let mut ndjson = Vec::new();
/// let mut encoder = OllamaEncoder::new("qwen3", "2026-01-10T16:55:30Z");
/// for event in &events {
///     encoder.encode(event, &mut ndjson).unwrap();
/// }
/// let lines: Vec<&str> = std::str::from_utf8(&ndjson).unwrap().lines().collect();
/// assert_eq!(lines.len(), 3);
/// assert!(lines[0].contains("\"thinking\":\"Hmm.\"") && lines[1].contains("\"content\":\"Hi\""));
/// assert!(lines[2].contains("\"done\":true,\"done_reason\":\"stop\""));
/// ```
#[derive(Debug, Clone)]
pub struct OllamaEncoder {
    model: String,
    created_at: String,
    encoder: Encoder,
    next_call: u32,
    ended: bool,
    /// `/api/generate` lines instead of `/api/chat` ones.
    generate: bool,
}

impl OllamaEncoder {
    /// An encoder writing chunks for `model` stamped `created_at` (RFC 3339).
    pub fn new(model: impl Into<String>, created_at: impl Into<String>) -> Self {
        Self {
            model: model.into(),
            created_at: created_at.into(),
            encoder: Encoder::new(),
            next_call: 0,
            ended: false,
            generate: false,
        }
    }

    /// An encoder writing `/api/generate` chunks: the text in `response`, the reasoning in
    /// `thinking`, tool calls in `tool_calls`, the same `done` chunk.
    ///
    /// ```
    /// use ollama_stream_merge::{Delta, merge, to_ollama::OllamaEncoder};
    ///
    /// let events = merge([Delta::content("Paris."), Delta::finish(Some("stop"))], Default::default());
    /// let mut ndjson = Vec::new();
    /// let mut encoder = OllamaEncoder::generate("gemma3", "2026-12-01T08:00:00Z");
    /// for event in &events {
    ///     encoder.encode(event, &mut ndjson).unwrap();
    /// }
    /// let lines: Vec<&str> = std::str::from_utf8(&ndjson).unwrap().lines().collect();
    /// assert_eq!(lines[0], r#"{"model":"gemma3","created_at":"2026-12-01T08:00:00Z","response":"Paris.","done":false}"#);
    /// assert!(lines[1].contains(r#""response":"","done":true,"done_reason":"stop""#));
    /// ```
    pub fn generate(model: impl Into<String>, created_at: impl Into<String>) -> Self {
        Self {
            generate: true,
            ..Self::new(model, created_at)
        }
    }

    /// The timestamp written on the following chunks.
    pub fn set_created_at(&mut self, created_at: impl Into<String>) {
        self.created_at = created_at.into();
    }

    /// Appends the NDJSON for one event to `out` (nothing for events without output, and
    /// nothing after the end).
    ///
    /// # Errors
    ///
    /// None in practice: the `Result` passes on [`Encoder::encode_line`]'s [`serde_json::Error`],
    /// which the chunks and error lines built here (string keys only, written to a `Vec`) never
    /// produce. A tool call whose arguments are not a JSON object is not an `Err`: it is written
    /// as an `{"error": …}` line, which ends the output.
    pub fn encode(&mut self, event: &Event, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        if self.ended {
            return Ok(());
        }
        match event {
            Event::TextDelta { text, .. } => {
                let chunk = self.chunk(Message::new("assistant", text.clone()));
                self.write(chunk, out)
            }
            Event::ReasoningDelta { text, .. } => {
                let mut message = Message::new("assistant", "");
                message.thinking = Some(text.clone());
                let chunk = self.chunk(message);
                self.write(chunk, out)
            }
            Event::BlockEnd {
                outcome: BlockOutcome::ToolCall(call),
                ..
            } => {
                let arguments = call
                    .arguments
                    .as_ref()
                    .ok()
                    .and_then(|a| ToolCallFunctionArguments::from_json(a.as_str()).ok());
                let Some(arguments) = arguments else {
                    self.ended = true;
                    let error = ErrorBody::new(format!(
                        "tool call {:?} ({:?}) has arguments that are not a JSON object: {}",
                        call.id, call.name, call.raw_arguments
                    ));
                    return self.encoder.encode_line(&error, out);
                };
                let mut native = ToolCall::new(call.name.clone(), arguments);
                native.id = Some(call.id.clone());
                native.function.index = Some(self.next_call);
                self.next_call += 1;
                let mut message = Message::new("assistant", "");
                message.tool_calls = Some(vec![native]);
                let chunk = self.chunk(message);
                self.write(chunk, out)
            }
            Event::Error {
                error: MergeError::Upstream(error),
            } => {
                self.ended = true;
                self.encoder
                    .encode_line(&ErrorBody::new(error.message.clone()), out)
            }
            Event::Finish(finish) => {
                self.ended = true;
                let reason = match finish.reason {
                    // A cut stream ends as it did upstream: no done chunk. (After an upstream error
                    // nothing more is written at all, see above.)
                    FinishReason::Incomplete => return Ok(()),
                    // Native tool turns end with `stop`.
                    FinishReason::ToolCalls | FinishReason::Stop => DoneReason::Stop,
                    FinishReason::Length => DoneReason::Length,
                    other => {
                        DoneReason::from(finish.raw_reason.as_deref().unwrap_or(other.as_str()))
                    }
                };
                let mut chunk = self.chunk(Message::new("assistant", ""));
                chunk.done = true;
                chunk.done_reason = Some(reason);
                if let Some(usage) = &finish.usage {
                    chunk.metrics.total_duration = usage.durations.total;
                    chunk.metrics.load_duration = usage.durations.load;
                    chunk.metrics.prompt_eval_count = usage.input_tokens;
                    chunk.metrics.prompt_eval_duration = usage.durations.prompt_eval;
                    chunk.metrics.eval_count = usage.output_tokens;
                    chunk.metrics.eval_duration = usage.durations.eval;
                }
                self.write(chunk, out)
            }
            _ => Ok(()),
        }
    }

    /// Writes a chat chunk, or the same content as a generate chunk.
    fn write(&self, chunk: ChatResponse, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        if !self.generate {
            return self.encoder.encode_line(&chunk, out);
        }
        let mut line = GenerateResponse::default();
        line.model = chunk.model;
        line.created_at = chunk.created_at;
        line.response = chunk.message.content;
        line.thinking = chunk.message.thinking;
        line.tool_calls = chunk.message.tool_calls;
        line.done = chunk.done;
        line.done_reason = chunk.done_reason;
        line.metrics = chunk.metrics;
        self.encoder.encode_line(&line, out)
    }

    fn chunk(&self, message: Message) -> ChatResponse {
        let mut chunk = ChatResponse::default();
        chunk.model = self.model.clone();
        chunk.created_at = Some(self.created_at.clone());
        chunk.message = message;
        chunk
    }
}
