//! The Messages API types: request ([`MessageCreateParams`]), response ([`AnthropicMessage`]),
//! content blocks, stream events ([`MessageStreamEvent`]) and the error body
//! ([`ErrorResponse`]).
//!
//! Objects are written with their fields in the order of Ollama's Go structs
//! (`anthropic/anthropic.go`), absent optional fields left out as its `omitempty` does, and
//! unknown keys kept in [`UnknownFields`] (`extra`) and written last; free-form JSON (tool
//! `input`, `input_schema`) is [`RawJson`]. So Ollama's bytes decode and re-encode
//! byte for byte with [`Encoder::new()`](crate::Encoder) (Go's escaping).
//!
//! One [`ContentBlock`] type serves requests and responses, as one struct does in Ollama.
//! The request keeps the field order of the recorded client (model, max_tokens, sampling,
//! stream, thinking, tools, system, messages): requests are not written by Ollama.
//!
//! ```
//! use anthropic_wire::messages::{AnthropicMessage, ContentBlock, StopReason};
//!
//! let body = r#"{"id":"msg_1","type":"message","role":"assistant","model":"qwen3","content":[{"type":"text","text":"Hi \u003c3"}],"stop_reason":"end_turn","usage":{"input_tokens":9,"output_tokens":2}}"#;
//! let message: AnthropicMessage = serde_json::from_str(body)?;
//! assert_eq!(message.stop_reason, Some(StopReason::EndTurn));
//! assert!(matches!(&message.content[0], ContentBlock::Text(t) if t.text == "Hi <3"));
//! assert_eq!(message.text(), "Hi <3");
//! let encoded = anthropic_wire::Encoder::new().to_vec(&message)?;
//! assert_eq!(encoded, body.as_bytes());
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::de::{Deserializer, SeqAccess, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use serde_json::Number;
use wire_core::open_enum;

pub use crate::borrowed::{
    ContentBlockDeltaEventRef, ContentBlockDeltaRef, InputJsonDeltaRef, MessageStreamEventRef,
    SignatureDeltaRef, TextDeltaRef, ThinkingDeltaRef, UnknownFieldsRef,
};
use crate::json::{RawJson, UnknownFields, object, tagged};

open_enum! {
    /// Who wrote a message.
    pub enum MessageRole {
        /// `"user"`.
        User = "user",
        /// `"assistant"`.
        Assistant = "assistant",
    }
}

open_enum! {
    /// Why the model stopped (Ollama maps `stop` to `end_turn`, `length` to `max_tokens`, any
    /// other done reason to `stop_sequence`, and any tool call to `tool_use`).
    pub enum StopReason {
        /// `"end_turn"`: a natural end.
        EndTurn = "end_turn",
        /// `"max_tokens"`: the `max_tokens` limit.
        MaxTokens = "max_tokens",
        /// `"stop_sequence"`: one of the stop sequences.
        StopSequence = "stop_sequence",
        /// `"tool_use"`: the model called a tool.
        ToolUse = "tool_use",
        /// `"pause_turn"`: a long turn paused (Anthropic's server tools).
        PauseTurn = "pause_turn",
        /// `"refusal"`: the model refused.
        Refusal = "refusal",
    }
}

open_enum! {
    /// Whether extended thinking is on.
    pub enum ThinkingType {
        /// `"enabled"`.
        Enabled = "enabled",
        /// `"disabled"`.
        Disabled = "disabled",
    }
}

/// Message or system content: a string, or an array of content blocks (also a
/// `tool_result`'s `content`).
#[derive(Debug, Clone, PartialEq)]
pub enum MessageContent {
    /// `"content": "…"`.
    Text(String),
    /// `"content": [ … ]`.
    Blocks(Vec<ContentBlock>),
}

impl MessageContent {
    /// The text: the string, or the `text` blocks joined (other blocks skipped), as Ollama
    /// reads it.
    pub fn text(&self) -> String {
        match self {
            Self::Text(text) => text.clone(),
            Self::Blocks(blocks) => join_text(blocks),
        }
    }
}

fn join_text(blocks: &[ContentBlock]) -> String {
    blocks
        .iter()
        .filter_map(|b| match b {
            ContentBlock::Text(t) => Some(t.text.as_str()),
            _ => None,
        })
        .collect()
}

impl From<&str> for MessageContent {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl From<String> for MessageContent {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<Vec<ContentBlock>> for MessageContent {
    fn from(blocks: Vec<ContentBlock>) -> Self {
        Self::Blocks(blocks)
    }
}

impl Serialize for MessageContent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Text(text) => s.serialize_str(text),
            Self::Blocks(blocks) => blocks.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for MessageContent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ContentVisitor;

        impl<'de> Visitor<'de> for ContentVisitor {
            type Value = MessageContent;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("content: a string or an array of content blocks")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<MessageContent, E> {
                Ok(MessageContent::Text(v.to_owned()))
            }

            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<MessageContent, E> {
                Ok(MessageContent::Text(v))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<MessageContent, A::Error> {
                let mut blocks = Vec::new();
                while let Some(block) = seq.next_element::<ContentBlock>()? {
                    blocks.push(block);
                }
                Ok(MessageContent::Blocks(blocks))
            }
        }

        d.deserialize_any(ContentVisitor)
    }
}

object! {
    /// `{"type":"text","text":…}`.
    pub struct TextBlock {
        /// The text.
        req text: String = "text",
        /// Citations (free-form).
        opt citations: Option<RawJson> = "citations",
    }
}

object! {
    /// `{"type":"image","source":…}`.
    pub struct ImageBlock {
        /// Where the image is.
        req source: ImageSource = "source",
    }
}

object! {
    /// An image's `source`: `base64` (`media_type`, `data`) or `url` (`url`). Ollama accepts only
    /// `base64`.
    pub struct ImageSource {
        /// `"base64"` or `"url"`.
        req kind: String = "type",
        /// `image/png`, `image/jpeg`, …
        opt media_type: Option<String> = "media_type",
        /// Base64 bytes.
        opt data: Option<String> = "data",
        /// The image URL.
        opt url: Option<String> = "url",
    }
}

object! {
    /// `{"type":"tool_use","id":…,"name":…,"input":{…}}` (also `server_tool_use`).
    pub struct ToolUseBlock {
        /// Call id.
        req id: String = "id",
        /// Tool name.
        req name: String = "name",
        /// Arguments, verbatim (`{}` at a streamed block's start; the deltas carry them).
        opt input: Option<RawJson> = "input",
    }
}

object! {
    /// `{"type":"tool_result","tool_use_id":…,"content":…,"is_error":…}` (requests).
    pub struct ToolResultBlock {
        /// The call answered.
        req tool_use_id: String = "tool_use_id",
        /// The result: a string or blocks.
        opt content: Option<MessageContent> = "content",
        /// Whether the tool failed.
        opt is_error: Option<bool> = "is_error",
    }
}

object! {
    /// `{"type":"thinking","thinking":…,"signature":…}`.
    pub struct ThinkingBlock {
        /// The reasoning text.
        req thinking: String = "thinking",
        /// Anthropic's signature over it (Ollama writes none).
        opt signature: Option<String> = "signature",
    }
}

object! {
    /// `{"type":"redacted_thinking","data":…}`.
    pub struct RedactedThinkingBlock {
        /// The encrypted reasoning.
        req data: String = "data",
    }
}

tagged! {
    /// A content block of a message, a request or a `content_block_start` event.
    pub enum ContentBlock {
        /// `text`.
        Text(TextBlock) = "text",
        /// `image`.
        Image(ImageBlock) = "image",
        /// `tool_use`.
        ToolUse(ToolUseBlock) = "tool_use",
        /// `server_tool_use` (Ollama's web search).
        ServerToolUse(ToolUseBlock) = "server_tool_use",
        /// `tool_result`.
        ToolResult(ToolResultBlock) = "tool_result",
        /// `thinking`.
        Thinking(ThinkingBlock) = "thinking",
        /// `redacted_thinking`.
        RedactedThinking(RedactedThinkingBlock) = "redacted_thinking",
    }
}

impl TextBlock {
    /// A text block without citations.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            citations: None,
            extra: UnknownFields::new(),
        }
    }
}

impl ImageBlock {
    /// An image block.
    pub fn new(source: ImageSource) -> Self {
        Self {
            source,
            extra: UnknownFields::new(),
        }
    }
}

impl ImageSource {
    /// A `base64` source.
    pub fn base64(media_type: impl Into<String>, data: impl Into<String>) -> Self {
        Self {
            kind: "base64".to_owned(),
            media_type: Some(media_type.into()),
            data: Some(data.into()),
            url: None,
            extra: UnknownFields::new(),
        }
    }

    /// A `url` source.
    pub fn url(url: impl Into<String>) -> Self {
        Self {
            kind: "url".to_owned(),
            media_type: None,
            data: None,
            url: Some(url.into()),
            extra: UnknownFields::new(),
        }
    }
}

impl ToolUseBlock {
    /// A tool call with its arguments.
    pub fn new(id: impl Into<String>, name: impl Into<String>, input: RawJson) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            input: Some(input),
            extra: UnknownFields::new(),
        }
    }
}

impl ToolResultBlock {
    /// The result of call `tool_use_id`.
    pub fn new(tool_use_id: impl Into<String>, content: impl Into<MessageContent>) -> Self {
        Self {
            tool_use_id: tool_use_id.into(),
            content: Some(content.into()),
            is_error: None,
            extra: UnknownFields::new(),
        }
    }
}

impl ThinkingBlock {
    /// A thinking block without signature.
    pub fn new(thinking: impl Into<String>) -> Self {
        Self {
            thinking: thinking.into(),
            signature: None,
            extra: UnknownFields::new(),
        }
    }
}

impl RedactedThinkingBlock {
    /// A redacted thinking block.
    pub fn new(data: impl Into<String>) -> Self {
        Self {
            data: data.into(),
            extra: UnknownFields::new(),
        }
    }
}

object! {
    /// One message of the request's `messages`.
    pub struct MessageParam {
        /// `user` or `assistant`.
        req role: MessageRole = "role",
        /// A string or blocks.
        req content: MessageContent = "content",
    }
}

impl MessageParam {
    /// A message.
    pub fn new(role: MessageRole, content: impl Into<MessageContent>) -> Self {
        Self {
            role,
            content: content.into(),
            extra: UnknownFields::new(),
        }
    }
}

object! {
    /// A tool definition.
    pub struct ToolParam {
        /// `custom`, or a server tool such as `web_search_20250305`; absent for custom tools.
        opt kind: Option<String> = "type",
        /// Name.
        req name: String = "name",
        /// What it does.
        opt description: Option<String> = "description",
        /// JSON Schema of the input, verbatim.
        opt input_schema: Option<RawJson> = "input_schema",
    }
}

impl ToolParam {
    /// A custom tool.
    pub fn new(
        name: impl Into<String>,
        description: Option<String>,
        input_schema: Option<RawJson>,
    ) -> Self {
        Self {
            kind: None,
            name: name.into(),
            description,
            input_schema,
            extra: UnknownFields::new(),
        }
    }
}

object! {
    /// `tool_choice`: `auto`, `any`, `tool` (with `name`) or `none`.
    pub struct ToolChoiceParam {
        /// The mode.
        req kind: String = "type",
        /// The tool, for `tool`.
        opt name: Option<String> = "name",
        /// At most one call.
        opt disable_parallel_tool_use: Option<bool> = "disable_parallel_tool_use",
    }
}

object! {
    /// `thinking`: extended thinking on or off.
    pub struct ThinkingConfigParam {
        /// On or off.
        req kind: ThinkingType = "type",
        /// The thinking budget (Ollama ignores it).
        opt budget_tokens: Option<u64> = "budget_tokens",
    }
}

object! {
    /// `metadata`.
    pub struct MetadataParam {
        /// An opaque user id.
        opt user_id: Option<String> = "user_id",
    }
}

object! {
    /// A `POST /v1/messages` body.
    ///
    /// Numbers of the sampling options are kept as sent (`0` stays `0`, `0.70` stays
    /// `0.7`-valued but `0` never becomes `0.0`).
    pub struct MessageCreateParams {
        /// Model name.
        req model: String = "model",
        /// Output token limit; Ollama rejects a request without one (`max_tokens is required
        /// and must be positive`).
        opt max_tokens: Option<u64> = "max_tokens",
        /// Sampling temperature.
        opt temperature: Option<Number> = "temperature",
        /// Nucleus sampling.
        opt top_p: Option<Number> = "top_p",
        /// Top-k sampling.
        opt top_k: Option<u64> = "top_k",
        /// Stream the reply as events.
        opt stream: Option<bool> = "stream",
        /// Stop sequences.
        opt stop_sequences: Option<Vec<String>> = "stop_sequences",
        /// Extended thinking.
        opt thinking: Option<ThinkingConfigParam> = "thinking",
        /// Tools offered.
        opt tools: Option<Vec<ToolParam>> = "tools",
        /// How tools may be used.
        opt tool_choice: Option<ToolChoiceParam> = "tool_choice",
        /// System prompt: a string or text blocks.
        opt system: Option<MessageContent> = "system",
        /// Request metadata.
        opt metadata: Option<MetadataParam> = "metadata",
        /// The conversation.
        req messages: Vec<MessageParam> = "messages",
    }
}

impl MessageCreateParams {
    /// A request with the required fields only.
    pub fn new(model: impl Into<String>, max_tokens: u64, messages: Vec<MessageParam>) -> Self {
        Self {
            model: model.into(),
            max_tokens: Some(max_tokens),
            temperature: None,
            top_p: None,
            top_k: None,
            stream: None,
            stop_sequences: None,
            thinking: None,
            tools: None,
            tool_choice: None,
            system: None,
            metadata: None,
            messages,
            extra: UnknownFields::new(),
        }
    }

    /// Whether the reply is an event stream (`stream: true`).
    pub fn is_stream(&self) -> bool {
        self.stream == Some(true)
    }
}

object! {
    /// Token counts of a message.
    pub struct AnthropicUsage {
        /// Prompt tokens.
        req input_tokens: u64 = "input_tokens",
        /// Generated tokens.
        req output_tokens: u64 = "output_tokens",
    }
}

impl AnthropicUsage {
    /// Token counts.
    pub fn new(input_tokens: u64, output_tokens: u64) -> Self {
        Self {
            input_tokens,
            output_tokens,
            extra: UnknownFields::new(),
        }
    }
}

object! {
    /// A message object: the non-streamed reply, and the `message` of `message_start`.
    pub struct AnthropicMessage {
        /// `msg_…`.
        req id: String = "id",
        /// `"message"`.
        req kind: String = "type",
        /// `assistant`.
        req role: MessageRole = "role",
        /// Model name, as requested.
        req model: String = "model",
        /// The blocks (empty in `message_start`).
        req content: Vec<ContentBlock> = "content",
        /// Why generation stopped (absent in `message_start`: Ollama omits it when empty).
        opt stop_reason: Option<StopReason> = "stop_reason",
        /// The stop sequence hit.
        opt stop_sequence: Option<String> = "stop_sequence",
        /// Token counts.
        req usage: AnthropicUsage = "usage",
    }
}

impl AnthropicMessage {
    /// An assistant message with no content, no stop reason and zero usage (what
    /// `message_start` carries, with its input tokens).
    pub fn new(id: impl Into<String>, model: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            kind: "message".to_owned(),
            role: MessageRole::Assistant,
            model: model.into(),
            content: Vec::new(),
            stop_reason: None,
            stop_sequence: None,
            usage: AnthropicUsage::new(0, 0),
            extra: UnknownFields::new(),
        }
    }

    /// The text of the `text` blocks, joined.
    pub fn text(&self) -> String {
        join_text(&self.content)
    }

    /// The text of the `thinking` blocks, joined.
    pub fn thinking(&self) -> String {
        self.content
            .iter()
            .filter_map(|b| match b {
                ContentBlock::Thinking(t) => Some(t.thinking.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The `tool_use` blocks.
    pub fn tool_uses(&self) -> impl Iterator<Item = &ToolUseBlock> {
        self.content.iter().filter_map(|b| match b {
            ContentBlock::ToolUse(t) => Some(t),
            _ => None,
        })
    }
}

object! {
    /// `{"type":"text_delta","text":…}`.
    pub struct TextDelta {
        /// The next text.
        req text: String = "text",
    }
}

object! {
    /// `{"type":"thinking_delta","thinking":…}`.
    pub struct ThinkingDelta {
        /// The next reasoning text.
        req thinking: String = "thinking",
    }
}

object! {
    /// `{"type":"signature_delta","signature":…}`.
    pub struct SignatureDelta {
        /// The thinking block's signature.
        req signature: String = "signature",
    }
}

object! {
    /// `{"type":"input_json_delta","partial_json":…}`.
    pub struct InputJsonDelta {
        /// The next piece of the tool input's JSON text (Ollama sends it whole, once).
        req partial_json: String = "partial_json",
    }
}

tagged! {
    /// The `delta` of a `content_block_delta` event.
    pub enum ContentBlockDelta {
        /// `text_delta`, for a `text` block.
        TextDelta(TextDelta) = "text_delta",
        /// `thinking_delta`, for a `thinking` block.
        ThinkingDelta(ThinkingDelta) = "thinking_delta",
        /// `signature_delta`, for a `thinking` block.
        SignatureDelta(SignatureDelta) = "signature_delta",
        /// `input_json_delta`, for a `tool_use` block.
        InputJsonDelta(InputJsonDelta) = "input_json_delta",
    }
}

impl ContentBlockDelta {
    /// A `text_delta`.
    pub fn text(text: impl Into<String>) -> Self {
        Self::TextDelta(TextDelta {
            text: text.into(),
            extra: UnknownFields::new(),
        })
    }

    /// A `thinking_delta`.
    pub fn thinking(thinking: impl Into<String>) -> Self {
        Self::ThinkingDelta(ThinkingDelta {
            thinking: thinking.into(),
            extra: UnknownFields::new(),
        })
    }

    /// A `signature_delta`.
    pub fn signature(signature: impl Into<String>) -> Self {
        Self::SignatureDelta(SignatureDelta {
            signature: signature.into(),
            extra: UnknownFields::new(),
        })
    }

    /// An `input_json_delta`.
    pub fn input_json(partial_json: impl Into<String>) -> Self {
        Self::InputJsonDelta(InputJsonDelta {
            partial_json: partial_json.into(),
            extra: UnknownFields::new(),
        })
    }

    /// The block type this delta belongs to (`text`, `thinking`, `tool_use`), or `None` for
    /// an unknown delta type.
    pub fn block_kind(&self) -> Option<&'static str> {
        match self {
            Self::TextDelta(_) => Some("text"),
            Self::ThinkingDelta(_) | Self::SignatureDelta(_) => Some("thinking"),
            Self::InputJsonDelta(_) => Some("tool_use"),
            Self::Unknown(_) => None,
        }
    }
}

object! {
    /// `message_start`.
    pub struct MessageStartEvent {
        /// The message so far (no content, input-token usage).
        req message: AnthropicMessage = "message",
    }
}

object! {
    /// `content_block_start`.
    pub struct ContentBlockStartEvent {
        /// Block index.
        req index: u64 = "index",
        /// The block's start (`text: ""`, `thinking: ""`, `input: {}`).
        req content_block: ContentBlock = "content_block",
    }
}

object! {
    /// `content_block_delta`.
    pub struct ContentBlockDeltaEvent {
        /// Block index.
        req index: u64 = "index",
        /// The increment.
        req delta: ContentBlockDelta = "delta",
    }
}

object! {
    /// `content_block_stop`.
    pub struct ContentBlockStopEvent {
        /// Block index.
        req index: u64 = "index",
    }
}

object! {
    /// The `delta` of `message_delta`.
    pub struct MessageDelta {
        /// Why generation stopped.
        opt stop_reason: Option<StopReason> = "stop_reason",
        /// The stop sequence hit.
        opt stop_sequence: Option<String> = "stop_sequence",
    }
}

object! {
    /// The `usage` of `message_delta` (cumulative; Ollama writes both counts, Anthropic only
    /// `output_tokens`).
    pub struct MessageDeltaUsage {
        /// Prompt tokens.
        opt input_tokens: Option<u64> = "input_tokens",
        /// Generated tokens.
        req output_tokens: u64 = "output_tokens",
    }
}

object! {
    /// `message_delta`: the stop reason and final usage.
    pub struct MessageDeltaEvent {
        /// Stop information.
        req delta: MessageDelta = "delta",
        /// Token counts.
        req usage: MessageDeltaUsage = "usage",
    }
}

object! {
    /// `message_stop`: the end of the stream.
    pub struct MessageStopEvent {}
}

object! {
    /// `ping`: a keep-alive.
    pub struct PingEvent {}
}

impl MessageStartEvent {
    /// `message_start` for `message`.
    pub fn new(message: AnthropicMessage) -> Self {
        Self {
            message,
            extra: UnknownFields::new(),
        }
    }
}

impl ContentBlockStartEvent {
    /// `content_block_start` of block `index`.
    pub fn new(index: u64, content_block: ContentBlock) -> Self {
        Self {
            index,
            content_block,
            extra: UnknownFields::new(),
        }
    }
}

impl ContentBlockDeltaEvent {
    /// `content_block_delta` to block `index`.
    pub fn new(index: u64, delta: ContentBlockDelta) -> Self {
        Self {
            index,
            delta,
            extra: UnknownFields::new(),
        }
    }
}

impl ContentBlockStopEvent {
    /// `content_block_stop` of block `index`.
    pub fn new(index: u64) -> Self {
        Self {
            index,
            extra: UnknownFields::new(),
        }
    }
}

impl MessageDelta {
    /// Stop information.
    pub fn new(stop_reason: Option<StopReason>, stop_sequence: Option<String>) -> Self {
        Self {
            stop_reason,
            stop_sequence,
            extra: UnknownFields::new(),
        }
    }
}

impl MessageDeltaUsage {
    /// Token counts as Ollama writes them (both).
    pub fn new(input_tokens: Option<u64>, output_tokens: u64) -> Self {
        Self {
            input_tokens,
            output_tokens,
            extra: UnknownFields::new(),
        }
    }
}

impl MessageDeltaEvent {
    /// `message_delta`.
    pub fn new(delta: MessageDelta, usage: MessageDeltaUsage) -> Self {
        Self {
            delta,
            usage,
            extra: UnknownFields::new(),
        }
    }
}

impl MessageStopEvent {
    /// `message_stop`.
    pub fn new() -> Self {
        Self {
            extra: UnknownFields::new(),
        }
    }
}

impl Default for MessageStopEvent {
    fn default() -> Self {
        Self::new()
    }
}

impl PingEvent {
    /// `ping`.
    pub fn new() -> Self {
        Self {
            extra: UnknownFields::new(),
        }
    }
}

impl Default for PingEvent {
    fn default() -> Self {
        Self::new()
    }
}

tagged! {
    /// One event of a `/v1/messages` stream (the JSON of its `data`). An `error` event is not
    /// one of these: the stream decoder reports it as
    /// [`DecodeError::Upstream`](crate::DecodeError::Upstream) (decoded on its own, `error`
    /// is an `Unknown`).
    ///
    /// ```
    /// use anthropic_wire::messages::{ContentBlockDelta, MessageStreamEvent};
    ///
    /// let data = r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}"#;
    /// let event: MessageStreamEvent = serde_json::from_str(data)?;
    /// assert_eq!(event.kind(), "content_block_delta");
    /// assert_eq!(event.index(), Some(0));
    /// let MessageStreamEvent::ContentBlockDelta(delta) = &event else { unreachable!() };
    /// assert_eq!(delta.delta, ContentBlockDelta::text("Hi"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub enum MessageStreamEvent {
        /// `message_start`.
        MessageStart(MessageStartEvent) = "message_start",
        /// `content_block_start`.
        ContentBlockStart(ContentBlockStartEvent) = "content_block_start",
        /// `content_block_delta`.
        ContentBlockDelta(ContentBlockDeltaEvent) = "content_block_delta",
        /// `content_block_stop`.
        ContentBlockStop(ContentBlockStopEvent) = "content_block_stop",
        /// `message_delta`.
        MessageDelta(MessageDeltaEvent) = "message_delta",
        /// `message_stop`.
        MessageStop(MessageStopEvent) = "message_stop",
        /// `ping`.
        Ping(PingEvent) = "ping",
    }
}

impl MessageStreamEvent {
    /// The block index of a `content_block_*` event.
    pub fn index(&self) -> Option<u64> {
        match self {
            Self::ContentBlockStart(e) => Some(e.index),
            Self::ContentBlockDelta(e) => Some(e.index),
            Self::ContentBlockStop(e) => Some(e.index),
            _ => None,
        }
    }
}

object! {
    /// The `error` of an [`ErrorResponse`].
    pub struct ErrorObject {
        /// `invalid_request_error`, `authentication_error`, `permission_error`,
        /// `not_found_error`, `rate_limit_error`, `overloaded_error`, `api_error`.
        req kind: String = "type",
        /// What went wrong.
        req message: String = "message",
    }
}

object! {
    /// An error body or `error` event data: `{"type":"error","error":{…},"request_id":…}`.
    pub struct ErrorResponse {
        /// `"error"`.
        req kind: String = "type",
        /// The error.
        req error: ErrorObject = "error",
        /// `req_…` (Ollama writes one in every error body; stream error events have none).
        opt request_id: Option<String> = "request_id",
    }
}

impl ErrorResponse {
    /// An error of type `kind` (e.g. `invalid_request_error`) without request id.
    pub fn new(kind: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            kind: "error".to_owned(),
            error: ErrorObject {
                kind: kind.into(),
                message: message.into(),
                extra: UnknownFields::new(),
            },
            request_id: None,
            extra: UnknownFields::new(),
        }
    }
}
