//! `/v1/messages` event streams: SSE events in, typed [`MessageStreamEvent`]s out (sans-IO),
//! with the content-block discipline checked; and the encoder back to Ollama's bytes.
//!
//! Rules:
//! - Each event's data is decoded by its JSON `type` (the SSE event name is not needed);
//!   an unknown `type` is [`MessageStreamEvent::Unknown`], not an error.
//! - An `event: error`, or data of `type` `error`, is a [`DecodeError::Upstream`] item;
//!   decoding goes on.
//! - Data that is not JSON is a [`DecodeError::NotJson`] item, JSON of the wrong shape a
//!   [`DecodeError::UnexpectedJson`] item, each with the event's byte offset.
//! - The order is checked: `message_start` first and once; then blocks, each opened by
//!   `content_block_start` at the next index while no other block is open, fed only deltas of
//!   its kind, closed once by `content_block_stop`; then `message_delta` and `message_stop`
//!   with no block open. A breach is a [`DecodeError::Protocol`] item carrying the offset, the
//!   [`Violation`] and the event itself; the decoder then goes on as if the event were
//!   legal (a block started over an open one replaces it), so one fault is one item.
//! - `message_stop` ends the stream; the first event after it is a [`DecodeError::AfterEnd`]
//!   item, later ones are dropped. The end of input before it, an empty 200 body included, is
//!   [`DecodeError::Truncated`], reported by [`StreamDecoder::finish`].
//! - `ping` and unknown events are allowed anywhere before the end; comments are skipped.
//!
//! The order rule is the one Anthropic's clients enforce: Claude Code aborts with
//! "Content block not found" when Ollama opened a thinking block at the index of a text block
//! it never stopped (ollama/ollama#17101); that stream is a
//! [`Violation::StartAtOpenIndex`] here.

use std::borrow::Cow;
use std::collections::BTreeMap;

use sealed::{Order, Shape};

use crate::Encoder;
use crate::error::{AnthropicError, DecodeError};
use crate::messages::{ContentBlock, ErrorResponse, MessageStreamEvent, MessageStreamEventRef};
use crate::sse::{
    Advance, EndVerdict, Event, EventRef, SseConfig, SseDecoder, SseEncoder, StreamEnd,
};
use go_json_formatter::Escaping;

/// How an event broke the order of the stream.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Violation {
    /// A message or block event before `message_start`.
    #[error("event before `message_start`")]
    BeforeMessageStart,
    /// A second `message_start`.
    #[error("second `message_start`")]
    RepeatedMessageStart,
    /// `content_block_start` at the index of a block still open (ollama/ollama#17101).
    #[error("content_block_start at index {index}, which is still open")]
    StartAtOpenIndex {
        /// The index.
        index: u64,
    },
    /// `content_block_start` while another block is still open (overlapping blocks).
    #[error("content_block_start at index {index} while block {open} is still open")]
    StartWhileOpen {
        /// The new block's index.
        index: u64,
        /// The open block's index.
        open: u64,
    },
    /// `content_block_start` at an index that is not the next one (reused or skipped).
    #[error("content_block_start at index {index}, expected {expected}")]
    StartOutOfOrder {
        /// The index.
        index: u64,
        /// The next index.
        expected: u64,
    },
    /// `content_block_delta` to an index never started.
    #[error("content_block_delta to index {index}, never started")]
    DeltaToUnknownBlock {
        /// The index.
        index: u64,
    },
    /// `content_block_delta` to a block already stopped.
    #[error("content_block_delta to index {index}, already stopped")]
    DeltaToStoppedBlock {
        /// The index.
        index: u64,
    },
    /// A delta of the wrong kind for its block (`text_delta` to `tool_use`, …).
    #[error("{delta} to index {index}, a {block} block")]
    DeltaKindMismatch {
        /// The index.
        index: u64,
        /// The block's type (`text`, `thinking`, `tool_use`, …).
        block: String,
        /// The delta's type (`text_delta`, `input_json_delta`, …).
        delta: String,
    },
    /// `content_block_stop` for an index never started.
    #[error("content_block_stop for index {index}, never started")]
    StopOfUnknownBlock {
        /// The index.
        index: u64,
    },
    /// `content_block_stop` for a block already stopped.
    #[error("content_block_stop for index {index}, already stopped")]
    StopOfStoppedBlock {
        /// The index.
        index: u64,
    },
    /// `message_delta` while a block is still open.
    #[error("message_delta while block {open} is still open")]
    MessageDeltaWhileOpen {
        /// The open block's index.
        open: u64,
    },
    /// `message_stop` while a block is still open.
    #[error("message_stop while block {open} is still open")]
    MessageStopWhileOpen {
        /// The open block's index.
        open: u64,
    },
    /// The SSE `event:` name is not the data's `type` (Ollama and Anthropic write the same
    /// name in both; a client dispatching on either would see another event).
    #[error("event `{event}` carries data of type `{data}`")]
    EventNameMismatch {
        /// The SSE event name.
        event: String,
        /// The data's `type`.
        data: String,
    },
}

/// An event that broke the order of the stream, with where and how; the event is kept whole,
/// so a repairing consumer can still use it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("event at byte {offset}: {violation}")]
#[non_exhaustive]
pub struct ProtocolError {
    /// Stream offset of the event.
    pub offset: u64,
    /// What it broke.
    pub violation: Violation,
    /// The event, decoded.
    pub event: MessageStreamEvent,
}

impl ProtocolError {
    /// The event, decoded.
    pub fn into_event(self) -> MessageStreamEvent {
        self.event
    }
}

/// A block the decoder has seen started.
#[derive(Debug, Clone)]
struct Block {
    /// Its `type`.
    kind: Cow<'static, str>,
    /// Whether its `type` is one this crate knows (deltas to unknown blocks are not checked).
    known: bool,
    open: bool,
}

/// Decodes a `text/event-stream` body of `/v1/messages` into [`MessageStreamEvent`]s.
///
/// Same pattern as [`SseDecoder`]: [`push`](Self::push), drain the iterator,
/// [`finish`](Self::finish) at end of input.
///
/// ```
/// use anthropic_wire::events::StreamDecoder;
/// use anthropic_wire::messages::MessageStreamEvent;
///
/// let mut decoder = StreamDecoder::new();
/// decoder.push(b"event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
/// let items: Vec<_> = (&mut decoder).collect();
/// // message_stop before message_start breaks the order: an item, with the event in it.
/// let Err(anthropic_wire::DecodeError::Protocol(error)) = &items[0] else { unreachable!() };
/// assert!(matches!(error.event, MessageStreamEvent::MessageStop(_)));
/// assert!(decoder.is_done());
/// assert!(decoder.finish().is_ok());
/// ```
#[derive(Debug)]
pub struct StreamDecoder {
    sse: SseDecoder,
    state: State,
}

/// What the decoder knows of the stream so far.
#[derive(Debug, Default)]
struct State {
    started: bool,
    /// `message_stop` seen; data after it reported once.
    end: StreamEnd,
    chunks: u64,
    blocks: BTreeMap<u64, Block>,
    open: Option<u64>,
    next_index: u64,
}

impl Default for StreamDecoder {
    fn default() -> Self {
        Self::with_config(SseConfig::default())
    }
}

impl StreamDecoder {
    /// A decoder with the default SSE settings.
    pub fn new() -> Self {
        Self::default()
    }

    /// A decoder with the given SSE settings (line and event size limits). Comment surfacing
    /// and dataless dispatch are turned off (they carry no events).
    pub fn with_config(config: SseConfig) -> Self {
        let config = config.with_comments(false).with_dispatch_dataless(false);
        Self {
            sse: SseDecoder::with_config(config),
            state: State::default(),
        }
    }

    /// Appends body bytes. Drain the iterator afterwards.
    pub fn push(&mut self, bytes: &[u8]) {
        self.sse.push(bytes);
    }

    /// Whether `message_stop` was seen.
    pub fn is_done(&self) -> bool {
        self.state.end.is_ended()
    }

    /// Events decoded so far (those reported as protocol violations included, `error`
    /// events not).
    pub fn chunks(&self) -> u64 {
        self.state.chunks
    }

    /// Bytes of input held (see [`SseDecoder::buffered_len`]).
    pub fn buffered_len(&self) -> usize {
        self.sse.buffered_len()
    }

    /// The index of the block open now, if any.
    pub fn open_block(&self) -> Option<u64> {
        self.state.open
    }

    /// Ends the input: `Ok` after `message_stop`, else [`DecodeError::Truncated`].
    ///
    /// # Errors
    ///
    /// [`DecodeError::Truncated`] when no `message_stop` event was decoded (also for an empty
    /// body), with the bytes received, the events decoded and, in `sse`, the pending input the
    /// SSE layer discarded (see [`SseDecoder::finish`]). An event still in the buffer counts as
    /// pending: drain the iterator first.
    ///
    /// [`DecodeError::AfterEnd`] when input after `message_stop` was left unfinished (a cut
    /// line or event) and no data after the end was reported yet.
    pub fn finish(&mut self) -> Result<(), DecodeError> {
        match self.state.end.finish(&mut self.sse) {
            EndVerdict::Ended => Ok(()),
            EndVerdict::AfterEnd { offset } => Err(DecodeError::AfterEnd { offset }),
            EndVerdict::Truncated { offset, sse } => Err(DecodeError::Truncated {
                offset,
                chunks: self.state.chunks,
                sse,
            }),
        }
    }
}

impl State {
    /// The item for the current event at `offset`.
    fn decode<'a, U: StreamEventRef<'a>>(
        &mut self,
        offset: u64,
        event: EventRef<'a>,
    ) -> Result<U, DecodeError> {
        if event.event == Some("error") {
            return Err(upstream(offset, event));
        }
        let decoded = U::decode(event.data).map_err(|e| DecodeError::json(offset, e))?;
        let shape = decoded.shape();
        if shape.tag.is_none() && decoded.kind() == "error" {
            return Err(upstream(offset, event));
        }
        self.chunks += 1;
        let order = self.check(&shape.order);
        let violation = order.or_else(|| {
            let name = event.event?;
            if shape.tag == Some(name) {
                return None;
            }
            let data = decoded.kind();
            (data != name).then(|| Violation::EventNameMismatch {
                event: name.to_owned(),
                data: data.into_owned(),
            })
        });
        match violation {
            None => Ok(decoded),
            Some(violation) => Err(DecodeError::Protocol(Box::new(ProtocolError {
                offset,
                violation,
                event: decoded.into_event(),
            }))),
        }
    }

    /// Applies an event of `order` to the block state; the rule it broke, if any.
    fn check(&mut self, order: &Order<'_>) -> Option<Violation> {
        use Violation as V;
        match order {
            Order::Free => return None,
            Order::MessageStart => {
                let repeated = self.started;
                self.started = true;
                return repeated.then_some(V::RepeatedMessageStart);
            }
            Order::MessageStop => self.end.set_ended(),
            _ => {}
        }
        if !self.started {
            return Some(V::BeforeMessageStart);
        }
        match *order {
            Order::BlockStart { index, block } => {
                let violation = match (self.blocks.get(&index), self.open) {
                    (Some(block), _) if block.open => Some(V::StartAtOpenIndex { index }),
                    (_, Some(open)) => Some(V::StartWhileOpen { index, open }),
                    _ if index != self.next_index => Some(V::StartOutOfOrder {
                        index,
                        expected: self.next_index,
                    }),
                    _ => None,
                };
                if let Some(open) = self.open.take() {
                    if let Some(block) = self.blocks.get_mut(&open) {
                        block.open = false;
                    }
                }
                let kind = match block.tag() {
                    Some(tag) => Cow::Borrowed(tag),
                    None => Cow::Owned(block.kind().into_owned()),
                };
                self.blocks.insert(
                    index,
                    Block {
                        kind,
                        known: !matches!(block, ContentBlock::Unknown(_)),
                        open: true,
                    },
                );
                self.open = Some(index);
                self.next_index = self.next_index.max(index.saturating_add(1));
                violation
            }
            Order::BlockDelta {
                index,
                block_kind,
                kind,
            } => match self.blocks.get(&index) {
                None => Some(V::DeltaToUnknownBlock { index }),
                Some(block) if !block.open => Some(V::DeltaToStoppedBlock { index }),
                Some(block) => {
                    let fits = match block_kind {
                        None => true,
                        Some(_) if !block.known => true,
                        Some("tool_use") => {
                            block.kind == "tool_use" || block.kind == "server_tool_use"
                        }
                        Some(kind) => block.kind == kind,
                    };
                    (!fits).then(|| V::DeltaKindMismatch {
                        index,
                        block: block.kind.clone().into_owned(),
                        delta: kind.to_owned(),
                    })
                }
            },
            Order::BlockStop { index } => match self.blocks.get_mut(&index) {
                None => Some(V::StopOfUnknownBlock { index }),
                Some(block) if !block.open => Some(V::StopOfStoppedBlock { index }),
                Some(block) => {
                    block.open = false;
                    self.open = None;
                    None
                }
            },
            Order::MessageDelta | Order::MessageStop => {
                let open = self.open.take()?;
                if let Some(block) = self.blocks.get_mut(&open) {
                    block.open = false;
                }
                Some(if matches!(order, Order::MessageDelta) {
                    V::MessageDeltaWhileOpen { open }
                } else {
                    V::MessageStopWhileOpen { open }
                })
            }
            Order::Free | Order::MessageStart => None,
        }
    }
}

mod sealed {
    /// What the order checks need of an event.
    #[derive(Debug)]
    pub(super) enum Order<'e> {
        /// `ping` or an unknown event: allowed anywhere before the end.
        Free,
        /// `message_start`.
        MessageStart,
        /// `content_block_start`.
        BlockStart {
            /// The block index.
            index: u64,
            /// The block.
            block: &'e super::ContentBlock,
        },
        /// `content_block_delta`.
        BlockDelta {
            /// The block index.
            index: u64,
            /// The block type the delta belongs to (`None`: an unknown delta).
            block_kind: Option<&'static str>,
            /// The delta's `type`.
            kind: &'static str,
        },
        /// `content_block_stop`.
        BlockStop {
            /// The block index.
            index: u64,
        },
        /// `message_delta`.
        MessageDelta,
        /// `message_stop`.
        MessageStop,
    }

    /// An event as the decoder sees it.
    #[derive(Debug)]
    pub struct Shape<'e> {
        /// The known `type`, `None` for an unknown event.
        pub(super) tag: Option<&'static str>,
        pub(super) order: Order<'e>,
    }

    /// The decoder's view of an event type (sealed: the two event types of this crate).
    pub trait Sealed<'a>: Sized {
        /// Decodes one event's data.
        fn decode(data: &'a str) -> Result<Self, serde_json::Error>;
        /// What the order checks need.
        fn shape(&self) -> Shape<'_>;
        /// The `type`.
        fn kind(&self) -> std::borrow::Cow<'_, str>;
        /// The owned event (for a [`ProtocolError`](super::ProtocolError)).
        fn into_event(self) -> super::MessageStreamEvent;
    }
}

/// A type one event of a `/v1/messages` stream decodes into, which may borrow from the
/// decoder's buffer: what [`StreamDecoder::next_as`] yields. [`MessageStreamEvent`] (owned,
/// what the iterator yields) and [`MessageStreamEventRef`] (its `content_block_delta`
/// borrowed) are the two; the trait is sealed.
pub trait StreamEventRef<'a>: sealed::Sealed<'a> {}

impl StreamEventRef<'_> for MessageStreamEvent {}

impl<'a> StreamEventRef<'a> for MessageStreamEventRef<'a> {}

/// What the order checks read of an event (`Sealed::shape`), written once for the owned and
/// the borrowed event enum: their variants have the same names and fields, of other types.
macro_rules! shape_of {
    ($event:expr) => {{
        let event = $event;
        let order = match event {
            Self::MessageStart(_) => Order::MessageStart,
            Self::ContentBlockStart(e) => Order::BlockStart {
                index: e.index,
                block: &e.content_block,
            },
            Self::ContentBlockDelta(e) => Order::BlockDelta {
                index: e.index,
                block_kind: e.delta.block_kind(),
                kind: e.delta.tag().unwrap_or_default(),
            },
            Self::ContentBlockStop(e) => Order::BlockStop { index: e.index },
            Self::MessageDelta(_) => Order::MessageDelta,
            Self::MessageStop(_) => Order::MessageStop,
            _ => Order::Free,
        };
        Shape {
            tag: event.tag(),
            order,
        }
    }};
}

impl sealed::Sealed<'_> for MessageStreamEvent {
    #[inline]
    fn decode(data: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(data)
    }

    fn shape(&self) -> Shape<'_> {
        shape_of!(self)
    }

    fn kind(&self) -> Cow<'_, str> {
        Self::kind(self)
    }

    fn into_event(self) -> MessageStreamEvent {
        self
    }
}

impl<'a> sealed::Sealed<'a> for MessageStreamEventRef<'a> {
    #[inline]
    fn decode(data: &'a str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(data)
    }

    fn shape(&self) -> Shape<'_> {
        shape_of!(self)
    }

    fn kind(&self) -> Cow<'_, str> {
        Self::kind(self)
    }

    fn into_event(self) -> MessageStreamEvent {
        self.into_owned()
    }
}

impl StreamDecoder {
    /// The next item, decoded into `U`, which may borrow from the decoder's buffer: with
    /// [`MessageStreamEventRef`], the text of a `content_block_delta` without JSON escapes is
    /// not copied, and such an event allocates nothing. Same items, errors, order checks and
    /// rules as the iterator (which is this method with `U` = [`MessageStreamEvent`]); a
    /// [`ProtocolError`] carries the event owned.
    ///
    /// The item borrows the decoder, so it must be dropped before the next call; a `while
    /// let` loop does that.
    ///
    /// ```
    /// use anthropic_wire::events::StreamDecoder;
    /// use anthropic_wire::messages::{ContentBlockDeltaRef, MessageStreamEventRef};
    ///
    /// let mut decoder = StreamDecoder::new();
    /// decoder.push(b"event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"usage\":{\"input_tokens\":1,\"output_tokens\":0}}}\n\n");
    /// decoder.push(b"event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
    /// decoder.push(b"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n");
    /// let mut text = String::new();
    /// while let Some(item) = decoder.next_as::<MessageStreamEventRef<'_>>() {
    ///     if let MessageStreamEventRef::ContentBlockDelta(delta) = item? {
    ///         if let ContentBlockDeltaRef::TextDelta(t) = &delta.delta {
    ///             text.push_str(&t.text);
    ///         }
    ///     }
    /// }
    /// assert_eq!(text, "Hi");
    /// assert_eq!(decoder.open_block(), Some(0));
    /// # Ok::<(), anthropic_wire::DecodeError>(())
    /// ```
    pub fn next_as<'a, U: StreamEventRef<'a>>(&'a mut self) -> Option<Result<U, DecodeError>> {
        match self.state.end.advance(&mut self.sse)? {
            Advance::Event => {}
            Advance::AfterEnd { offset } => return Some(Err(DecodeError::AfterEnd { offset })),
            Advance::Sse(err) => return Some(Err(DecodeError::Sse(err))),
        }
        let offset = self.sse.last_offset();
        // `Advance::Event`: an event is current.
        let event = self.sse.current_event()?;
        Some(self.state.decode(offset, event))
    }
}

wire_core::inherent_push_decoder! {
    [] StreamDecoder => MessageStreamEvent, DecodeError;
}

impl Iterator for StreamDecoder {
    type Item = Result<MessageStreamEvent, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_as()
    }
}

/// An `error` event: its data is Anthropic's error object, or anything else (kept as text).
fn upstream(offset: u64, event: EventRef<'_>) -> DecodeError {
    DecodeError::Upstream(Box::new(AnthropicError {
        status: None,
        offset: Some(offset),
        event: event.event.map(str::to_owned),
        payload: serde_json::from_str::<ErrorResponse>(event.data).ok(),
        body: event.data.to_owned(),
    }))
}

/// Writes events as Ollama does: `event: <type>\ndata: <json>\n\n`, the JSON in Go's
/// `encoding/json` spelling by default (`<`, `>`, `&` as `\u003c`, `\u003e`, `\u0026`).
///
/// ```
/// use anthropic_wire::events::StreamEncoder;
/// use anthropic_wire::messages::{ContentBlockDelta, ContentBlockDeltaEvent, MessageStreamEvent};
///
/// let event = MessageStreamEvent::ContentBlockDelta(ContentBlockDeltaEvent::new(0, ContentBlockDelta::text("<b>")));
/// let mut out = Vec::new();
/// StreamEncoder::new().encode(&event, &mut out)?;
/// assert_eq!(out, b"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"\\u003cb\\u003e\"}}\n\n");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct StreamEncoder {
    json: Encoder,
    sse: SseEncoder,
}

impl StreamEncoder {
    /// An encoder with Go's escaping (Ollama's bytes).
    pub fn new() -> Self {
        Self::default()
    }

    /// An encoder with the given escaping.
    pub fn with_escaping(escaping: Escaping) -> Self {
        Self {
            json: Encoder::with_escaping(escaping),
            sse: SseEncoder::new(),
        }
    }

    /// The escaping this encoder writes.
    pub fn escaping(&self) -> Escaping {
        self.json.escaping()
    }

    /// Appends `event` as one SSE event named by its `type`.
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when the event cannot be written as JSON, or when an unknown
    /// event's `type` holds a line break (it cannot be an SSE event name). Nothing is written
    /// then.
    pub fn encode(
        &mut self,
        event: &MessageStreamEvent,
        out: &mut Vec<u8>,
    ) -> Result<(), serde_json::Error> {
        self.write(&event.kind(), event, out)
    }

    /// Appends an `error` event (`event: error`, the error object as data).
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when the error cannot be written as JSON.
    pub fn encode_error(
        &mut self,
        error: &ErrorResponse,
        out: &mut Vec<u8>,
    ) -> Result<(), serde_json::Error> {
        self.write("error", error, out)
    }

    fn write<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        out: &mut Vec<u8>,
    ) -> Result<(), serde_json::Error> {
        let data = self.json.to_vec(value)?;
        let data = String::from_utf8(data).map_err(serde::ser::Error::custom)?;
        self.sse
            .encode(&Event::new(data).with_event(name), out)
            .map_err(serde::ser::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::{ContentBlockDelta, ContentBlockDeltaEvent};
    use proptest::prelude::*;

    fn delta(index: u64, delta: ContentBlockDelta) -> MessageStreamEvent {
        MessageStreamEvent::ContentBlockDelta(ContentBlockDeltaEvent::new(index, delta))
    }

    fn owned(data: &str) -> MessageStreamEvent {
        <MessageStreamEvent as sealed::Sealed<'_>>::decode(data).unwrap()
    }

    fn borrowed(data: &str) -> MessageStreamEvent {
        <MessageStreamEventRef<'_> as sealed::Sealed<'_>>::decode(data)
            .unwrap()
            .into_owned()
    }

    #[test]
    fn deltas_decode_owned_and_borrowed_to_the_values_written() {
        let cases = [
            (
                r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}"#,
                delta(0, ContentBlockDelta::text("Hi")),
            ),
            (
                r#"{"type":"content_block_delta","index":18446744073709551615,"delta":{"type":"thinking_delta","thinking":"a\"b\\c\u00e9\n\/"}}"#,
                delta(u64::MAX, ContentBlockDelta::thinking("a\"b\\cé\n/")),
            ),
            (
                r#"{"type":"content_block_delta","index":12,"delta":{"type":"input_json_delta","partial_json":"{\"q\":1}"}}"#,
                delta(12, ContentBlockDelta::input_json("{\"q\":1}")),
            ),
            (
                r#"{"index":3,"delta":{"signature":"","type":"signature_delta"},"type":"content_block_delta"}"#,
                delta(3, ContentBlockDelta::signature("")),
            ),
        ];
        for (data, expected) in cases {
            assert_eq!(owned(data), expected, "{data}");
            assert_eq!(borrowed(data), expected, "{data}");
        }
    }

    proptest! {
        /// Any text, written by serde_json (escapes included): the borrowed and the owned
        /// decode agree, and the text comes back.
        #[test]
        fn borrowed_and_owned_deltas_agree(
            text in any::<String>(),
            index in any::<u64>(),
            kind in 0usize..4,
        ) {
            let (tag, key) = [
                ("text_delta", "text"),
                ("thinking_delta", "thinking"),
                ("signature_delta", "signature"),
                ("input_json_delta", "partial_json"),
            ][kind];
            let quoted = serde_json::to_string(&text).unwrap();
            let data = format!(
                r#"{{"type":"content_block_delta","index":{index},"delta":{{"type":"{tag}","{key}":{quoted}}}}}"#
            );
            let event = owned(&data);
            prop_assert_eq!(&event, &borrowed(&data));
            let MessageStreamEvent::ContentBlockDelta(d) = &event else { unreachable!() };
            prop_assert_eq!(d.index, index);
            let value = serde_json::to_value(&d.delta).unwrap();
            prop_assert_eq!(value[key].as_str(), Some(text.as_str()));
        }
    }
}
