//! Re-emitting a merged stream as an Anthropic Messages event stream (feature `anthropic`):
//! what Claude Code and the Anthropic SDKs read from `/v1/messages`.
//!
//! The output is well-formed by construction, whatever the source wire and whatever order its
//! blocks came in: `message_start` first; then one content block at a time, each
//! `content_block_start`, its deltas of its own kind (`text_delta`, `thinking_delta`,
//! `input_json_delta`) and one `content_block_stop`, with indexes 0, 1, 2… in that order (a tool
//! call whose arguments were still streaming when the next block began is written whole before
//! that block: see the crate's `sequential` note); then `message_delta` with the stop reason and
//! usage, and `message_stop`. The bytes are Ollama's: Go's field order and escaping, through
//! `anthropic_wire::events::StreamEncoder`.
//!
//! Nothing is invented: an upstream error becomes an `error` event and ends the output; a cut
//! stream ends without `message_delta` and `message_stop`, as it did upstream, so the client sees
//! the cut. One field is required where a source may have nothing to say: `message_delta`'s
//! `usage.output_tokens` is written as 0 when the source reported no usage (its `input_tokens`
//! is then left out).

use std::collections::HashMap;

use anthropic_wire::RawJson;
use anthropic_wire::events::StreamEncoder;
use anthropic_wire::messages::{
    AnthropicMessage, AnthropicUsage, ContentBlock, ContentBlockDelta, ContentBlockDeltaEvent,
    ContentBlockStartEvent, ContentBlockStopEvent, ErrorResponse, MessageDelta, MessageDeltaEvent,
    MessageDeltaUsage, MessageStartEvent, MessageStopEvent, MessageStreamEvent, StopReason,
    TextBlock, ThinkingBlock, ToolUseBlock,
};

use crate::sequential::{Sequenced, Sequencer};
use crate::{BlockKind, Event, Finish, FinishReason, MergeError};

/// Encodes merge [`Event`]s as Anthropic Messages SSE.
///
/// ```
/// use ollama_stream_merge::{Delta, merge, to_anthropic::AnthropicEncoder};
///
/// // One upstream delta carrying reasoning and content: two blocks, one after the other.
/// let events = merge([Delta::reasoning("Hmm.").with_content("Hi"), Delta::finish(Some("stop"))],
///                    Default::default());
/// let mut sse = Vec::new();
/// let mut encoder = AnthropicEncoder::new("msg_1", "qwen3");
/// for event in &events {
///     encoder.encode(event, &mut sse)?;
/// }
/// let text = String::from_utf8(sse).unwrap();
/// assert!(text.starts_with("event: message_start\n"));
/// assert!(text.contains(r#"{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}"#));
/// assert!(text.contains(r#""delta":{"stop_reason":"end_turn"}"#));
/// assert!(text.ends_with("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct AnthropicEncoder {
    id: String,
    model: String,
    input_tokens: u64,
    started: bool,
    sequencer: Sequencer,
    /// Merged block position → content block index in the output.
    blocks: HashMap<u32, u64>,
    next_index: u64,
    json: StreamEncoder,
    ended: bool,
}

impl AnthropicEncoder {
    /// An encoder writing a message with this `id` (`msg_…`) and `model`.
    pub fn new(id: impl Into<String>, model: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            model: model.into(),
            input_tokens: 0,
            started: false,
            sequencer: Sequencer::default(),
            blocks: HashMap::new(),
            next_index: 0,
            json: StreamEncoder::new(),
            ended: false,
        }
    }

    /// An encoder for the stream whose `message_start` carried `message`: the same id and
    /// model, and its input-token count in the `message_start` written.
    pub fn for_source(message: &AnthropicMessage) -> Self {
        Self::new(message.id.clone(), message.model.clone())
            .input_tokens(message.usage.input_tokens)
    }

    /// The input-token count `message_start` reports (default 0; the final count is the
    /// finish's usage, in `message_delta`).
    #[must_use]
    pub fn input_tokens(mut self, tokens: u64) -> Self {
        self.input_tokens = tokens;
        self
    }

    /// Appends the SSE for one merge event to `out` (`message_start` before the first; nothing
    /// for events without output, and nothing after the end).
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when an event cannot be written as JSON: in practice only a
    /// tool call's `input` placeholder, which is always the valid `{}`.
    pub fn encode(&mut self, event: &Event, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        if self.is_ended() {
            return Ok(());
        }
        if !self.started {
            self.started = true;
            let mut message = AnthropicMessage::new(self.id.clone(), self.model.clone());
            message.usage = AnthropicUsage::new(self.input_tokens, 0);
            self.write(
                &MessageStreamEvent::MessageStart(MessageStartEvent::new(message)),
                out,
            )?;
        }
        self.encode_in_order(event, out)
    }

    fn finish(&mut self, finish: &Finish, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        let reason = match finish.reason {
            // A cut stream ends as it did upstream: no message_delta, no message_stop.
            FinishReason::Incomplete => return Ok(()),
            // An error finish without an error event (a reply failed at a protocol fault):
            // Anthropic has no such stop reason, so the client gets an error event.
            FinishReason::Error => {
                return self.json.encode_error(
                    &ErrorResponse::new("api_error", "the upstream reply failed"),
                    out,
                );
            }
            _ => stop_reason(finish),
        };
        let usage = finish.usage.unwrap_or_default();
        let delta = MessageDeltaEvent::new(
            MessageDelta::new(Some(reason), None),
            MessageDeltaUsage::new(usage.input_tokens, usage.output_tokens.unwrap_or(0)),
        );
        self.write(&MessageStreamEvent::MessageDelta(delta), out)?;
        self.write(
            &MessageStreamEvent::MessageStop(MessageStopEvent::new()),
            out,
        )
    }

    fn delta(
        &mut self,
        index: u32,
        delta: ContentBlockDelta,
        out: &mut Vec<u8>,
    ) -> Result<(), serde_json::Error> {
        let at = self.blocks.get(&index).copied().unwrap_or_default();
        self.write(
            &MessageStreamEvent::ContentBlockDelta(ContentBlockDeltaEvent::new(at, delta)),
            out,
        )
    }

    fn write(
        &mut self,
        event: &MessageStreamEvent,
        out: &mut Vec<u8>,
    ) -> Result<(), serde_json::Error> {
        self.json.encode(event, out)
    }
}

impl Sequenced for AnthropicEncoder {
    type Error = serde_json::Error;

    fn sequencer(&mut self) -> &mut Sequencer {
        &mut self.sequencer
    }

    fn is_ended(&self) -> bool {
        self.ended
    }

    fn encode_sequenced(
        &mut self,
        event: &Event,
        out: &mut Vec<u8>,
    ) -> Result<(), serde_json::Error> {
        match event {
            Event::BlockStart { index, block } => {
                let at = self.next_index;
                self.next_index += 1;
                self.blocks.insert(*index, at);
                let block =
                    match block {
                        BlockKind::Text => ContentBlock::Text(TextBlock::new("")),
                        BlockKind::Reasoning => {
                            // Anthropic's own stream starts a thinking block with an empty
                            // signature, and its SDKs' types require the field.
                            let mut thinking = ThinkingBlock::new("");
                            thinking.signature = Some(String::new());
                            ContentBlock::Thinking(thinking)
                        }
                        BlockKind::ToolCall { id, name } => ContentBlock::ToolUse(
                            ToolUseBlock::new(id.clone(), name.clone(), RawJson::from_json("{}")?),
                        ),
                    };
                self.write(
                    &MessageStreamEvent::ContentBlockStart(ContentBlockStartEvent::new(at, block)),
                    out,
                )
            }
            Event::TextDelta { index, text } => {
                self.delta(*index, ContentBlockDelta::text(text.clone()), out)
            }
            Event::ReasoningDelta { index, text } => {
                self.delta(*index, ContentBlockDelta::thinking(text.clone()), out)
            }
            Event::ToolArgsDelta { index, json } => {
                self.delta(*index, ContentBlockDelta::input_json(json.clone()), out)
            }
            Event::BlockEnd { index, .. } => {
                let at = self.blocks.get(index).copied().unwrap_or_default();
                self.write(
                    &MessageStreamEvent::ContentBlockStop(ContentBlockStopEvent::new(at)),
                    out,
                )
            }
            Event::Error {
                error: MergeError::Upstream(error),
            } => {
                self.ended = true;
                self.json
                    .encode_error(&ErrorResponse::new("api_error", error.message.clone()), out)
            }
            Event::Finish(finish) => {
                self.ended = true;
                self.finish(finish, out)
            }
            _ => Ok(()),
        }
    }
}

/// The Messages `stop_reason` of a finish: `stop_sequence` when the source said so, `max_tokens`,
/// `tool_use`, `refusal` (a content filter), the source's own reason for any other, else
/// `end_turn`: what [`AnthropicEncoder`] writes in its `message_delta`, and what a whole
/// Messages reply built from the merged events says.
pub fn stop_reason(finish: &Finish) -> StopReason {
    match finish.reason {
        FinishReason::Stop if finish.raw_reason.as_deref() == Some("stop_sequence") => {
            StopReason::StopSequence
        }
        FinishReason::Length => StopReason::MaxTokens,
        FinishReason::ToolCalls => StopReason::ToolUse,
        FinishReason::ContentFilter => StopReason::Refusal,
        FinishReason::Other => StopReason::from(finish.raw_reason.as_deref().unwrap_or("end_turn")),
        _ => StopReason::EndTurn,
    }
}
