//! The sans-IO stream decoder and its consistency checks.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Deserialize;
use serde_json::Value;

use super::borrowed::{DeltaKind, ResponseDeltaEventRef, ResponseStreamEventRef};
use super::events::ResponseStreamEvent;
use crate::chat::{ApiError, ErrorPayload};
use crate::chunks::{Next, event_error, finish_stream, next_event, upstream_error};
use crate::error::{DecodeError, OpenAiError};
use crate::sse::{SseConfig, SseDecoder, StreamEnd};

/// What is inconsistent about an event (see [`ProtocolError`]). Ollama's recorded streams
/// have none of these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Violation {
    /// `sequence_number` is not greater than the previous event's.
    #[error("sequence_number {got} does not follow {previous}")]
    SequenceNotIncreasing {
        /// The previous event's number.
        previous: u64,
        /// This event's number.
        got: u64,
    },
    /// An event came before `response.created`.
    #[error("`{kind}` before `response.created`")]
    BeforeCreated {
        /// The event's type.
        kind: String,
    },
    /// A second `response.created`.
    #[error("a second `response.created`")]
    CreatedTwice,
    /// An event for an item that was never added.
    #[error("item `{item_id}` was never added")]
    UnknownItem {
        /// The item id the event names.
        item_id: String,
    },
    /// An event for an item after its `response.output_item.done`.
    #[error("item `{item_id}` is already done")]
    ItemAlreadyDone {
        /// The item id.
        item_id: String,
    },
    /// An event names an item at another `output_index` than the one it was added at.
    #[error("item `{item_id}` is at output_index {expected}, not {got}")]
    OutputIndexMismatch {
        /// The item id.
        item_id: String,
        /// Where it was added.
        expected: u32,
        /// What this event says.
        got: u32,
    },
    /// An item id added a second time.
    #[error("item `{item_id}` added twice")]
    ItemAddedTwice {
        /// The item id.
        item_id: String,
    },
    /// An item added at an `output_index` another item was added at.
    #[error("output_index {output_index} already holds item `{previous}`")]
    OutputIndexReused {
        /// The index.
        output_index: u32,
        /// The item added there before.
        previous: String,
    },
    /// A text event or `response.content_part.done` for a content part never added.
    #[error("item `{item_id}` has no content part {content_index}")]
    UnknownContentPart {
        /// The item id.
        item_id: String,
        /// The part index the event names.
        content_index: u32,
    },
    /// A terminal event while items were not done (by `output_index`).
    #[error("the response ended with items not done: {}", item_ids.join(", "))]
    ItemsOpenAtEnd {
        /// The open items' ids.
        item_ids: Vec<String>,
    },
}

/// A consistency violation of a `/v1/responses` stream: where, what, and the event itself, so
/// that nothing is lost (decoding goes on, with the event applied as far as it makes sense).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("event at byte {offset}: {violation}")]
#[non_exhaustive]
pub struct ProtocolError {
    /// Stream offset of the event.
    pub offset: u64,
    /// What is wrong (the first problem found).
    pub violation: Violation,
    /// The decoded event.
    pub event: ResponseStreamEvent,
}

/// What the decoder knows of one output item.
#[derive(Debug)]
struct ItemState {
    id: String,
    output_index: u32,
    done: bool,
    /// Content parts added.
    parts: Vec<u32>,
}

/// The stream state the checks need.
#[derive(Debug, Default)]
struct Tracker {
    created: bool,
    last_sequence: Option<u64>,
    /// Every item added, in order.
    items: Vec<ItemState>,
    /// Position in `items` by id.
    by_id: HashMap<String, usize>,
    /// Position in `items` of the last item added at an `output_index`.
    indexes: HashMap<u32, usize>,
    /// The item the last event named: the next event most often names it again, and is then
    /// found without hashing its id.
    last: Option<usize>,
}

impl Tracker {
    /// The sequence check: a violation if `got` does not follow the previous number.
    fn sequence(&mut self, got: Option<u64>) -> Option<Violation> {
        let got = got?;
        let violation = self
            .last_sequence
            .filter(|&p| got <= p)
            .map(|previous| Violation::SequenceNotIncreasing { previous, got });
        self.last_sequence = Some(got);
        violation
    }

    /// Applies a delta event of type `kind`; its first violation, if any.
    fn check_delta(&mut self, kind: DeltaKind, e: &ResponseDeltaEventRef<'_>) -> Option<Violation> {
        let sequence = self.sequence(Some(e.sequence_number));
        let order = (!self.created).then(|| Violation::BeforeCreated {
            kind: kind.name().to_owned(),
        });
        let items = match kind {
            DeltaKind::OutputText => {
                self.part(&e.item_id, e.output_index, e.content_index.unwrap_or(0))
            }
            _ => self.open(&e.item_id, e.output_index).err(),
        };
        sequence.or(order).or(items)
    }

    /// Applies `event`; its first violation, if any.
    fn check(&mut self, event: &ResponseStreamEvent) -> Option<Violation> {
        use ResponseStreamEvent as E;
        let sequence = self.sequence(event.sequence_number());
        let order = match event {
            E::Created(_) if self.created => Some(Violation::CreatedTwice),
            E::Created(_) => {
                self.created = true;
                None
            }
            E::Unknown { .. } | E::Error(_) => None,
            _ if !self.created => Some(Violation::BeforeCreated {
                kind: event.kind().to_owned(),
            }),
            _ => None,
        };
        let items = match event {
            E::OutputItemAdded(e) => self.add(e.item.id(), e.output_index),
            E::OutputItemDone(e) => e.item.id().and_then(|id| {
                let violation = self.open(id, e.output_index).err();
                if let Some(state) = self.by_id.get(id).and_then(|&at| self.items.get_mut(at)) {
                    state.done = true;
                }
                violation
            }),
            E::ContentPartAdded(e) => match self.open(&e.item_id, e.output_index) {
                Ok(state) => {
                    state.parts.push(e.content_index);
                    None
                }
                Err(v) => Some(v),
            },
            E::ContentPartDone(e) => self.part(&e.item_id, e.output_index, e.content_index),
            E::OutputTextDelta(e) => {
                self.part(&e.item_id, e.output_index, e.content_index.unwrap_or(0))
            }
            E::OutputTextDone(e) => {
                self.part(&e.item_id, e.output_index, e.content_index.unwrap_or(0))
            }
            // Ollama sends no `reasoning_summary_part.added`: summary and reasoning-text
            // indexes are not checked.
            E::ReasoningSummaryPartAdded(e) | E::ReasoningSummaryPartDone(e) => {
                self.open(&e.item_id, e.output_index).err()
            }
            E::ReasoningSummaryTextDelta(e)
            | E::ReasoningTextDelta(e)
            | E::FunctionCallArgumentsDelta(e) => self.open(&e.item_id, e.output_index).err(),
            E::ReasoningSummaryTextDone(e) | E::ReasoningTextDone(e) => {
                self.open(&e.item_id, e.output_index).err()
            }
            E::FunctionCallArgumentsDone(e) => self.open(&e.item_id, e.output_index).err(),
            _ if event.is_terminal() => self.open_at_end(),
            _ => None,
        };
        sequence.or(order).or(items)
    }

    fn add(&mut self, id: Option<&str>, output_index: u32) -> Option<Violation> {
        let id = id?;
        if self.by_id.contains_key(id) {
            return Some(Violation::ItemAddedTwice {
                item_id: id.to_owned(),
            });
        }
        let at = self.items.len();
        self.items.push(ItemState {
            id: id.to_owned(),
            output_index,
            done: false,
            parts: Vec::new(),
        });
        self.by_id.insert(id.to_owned(), at);
        self.last = Some(at);
        self.indexes
            .insert(output_index, at)
            .map(|previous| Violation::OutputIndexReused {
                output_index,
                previous: self
                    .items
                    .get(previous)
                    .map(|s| s.id.clone())
                    .unwrap_or_default(),
            })
    }

    /// The item `id`, added at `output_index` and not done.
    fn open(&mut self, id: &str, output_index: u32) -> Result<&mut ItemState, Violation> {
        let at = match self.last {
            Some(at) if self.items.get(at).is_some_and(|s| s.id == id) => Some(at),
            _ => self.by_id.get(id).copied(),
        };
        let Some(state) = at.and_then(|at| self.items.get_mut(at)) else {
            return Err(Violation::UnknownItem {
                item_id: id.to_owned(),
            });
        };
        self.last = at;
        if state.done {
            return Err(Violation::ItemAlreadyDone {
                item_id: id.to_owned(),
            });
        }
        if state.output_index != output_index {
            return Err(Violation::OutputIndexMismatch {
                item_id: id.to_owned(),
                expected: state.output_index,
                got: output_index,
            });
        }
        Ok(state)
    }

    fn part(&mut self, id: &str, output_index: u32, content_index: u32) -> Option<Violation> {
        match self.open(id, output_index) {
            Ok(state) if state.parts.contains(&content_index) => None,
            Ok(_) => Some(Violation::UnknownContentPart {
                item_id: id.to_owned(),
                content_index,
            }),
            Err(v) => Some(v),
        }
    }

    fn open_at_end(&self) -> Option<Violation> {
        let mut open: Vec<(u32, &str)> = self
            .items
            .iter()
            .filter(|s| !s.done)
            .map(|s| (s.output_index, s.id.as_str()))
            .collect();
        if open.is_empty() {
            return None;
        }
        open.sort_unstable();
        Some(Violation::ItemsOpenAtEnd {
            item_ids: open.into_iter().map(|(_, id)| id.to_owned()).collect(),
        })
    }
}

/// Whether `data`'s own `type` is `name`, told without parsing: `data` starts with
/// `{"type":"<name>"` (its first key, as OpenAI writes it) or ends with `"type":"<name>"}` (its
/// last key, as Go writes sorted keys), compact and without escapes in the name. Only the first
/// and the last member of the outer object are looked at: a `"type"` key of a nested object
/// (an output item's, a content part's) is never taken for the event's, and inside a JSON string
/// a quote is escaped, so text in a value never matches. Anything else (`"type"` elsewhere,
/// spaces) is left to the parse of the data's `type`.
pub(super) fn states_type(data: &str, name: &str) -> bool {
    const KEY: &[u8] = b"\"type\":\"";
    let data = data.as_bytes();
    let last = data
        .strip_suffix(b"\"}")
        .and_then(|rest| rest.strip_suffix(name.as_bytes()))
        .is_some_and(|rest| rest.ends_with(KEY));
    last || data
        .strip_prefix(b"{")
        .and_then(|rest| rest.strip_prefix(KEY))
        .and_then(|rest| rest.strip_prefix(name.as_bytes()))
        .is_some_and(|rest| rest.first() == Some(&b'"'))
}

/// The two keys every event is dispatched and ordered by.
#[derive(Deserialize)]
struct Probe<'a> {
    #[serde(rename = "type", borrow, default)]
    kind: Option<Cow<'a, str>>,
}

/// Decodes a `/v1/responses` event stream into [`ResponseStreamEvent`]s (sans-IO), the pull
/// shape of [`StreamDecoder`](crate::chunks::StreamDecoder): [`push`](Self::push) bytes in any
/// split, drain the iterator, [`finish`](Self::finish) at the end of input.
///
/// Rules:
/// - The event is dispatched on its data's `type` (the SSE `event:` name when the data has
///   none); an unknown type is a [`ResponseStreamEvent::Unknown`] event, not an error.
/// - `response.completed`, `response.incomplete` and `response.failed` end the stream; the
///   first event after them is a [`DecodeError::AfterEnd`] item, later ones are dropped.
/// - `response.failed` is yielded as an event, then its `response.error` follows as a
///   [`DecodeError::Upstream`] item (event `response.failed`, the error's `code` and
///   `message` in the payload, the data in `body`).
/// - An `error` event (SSE `event: error` or `"type":"error"`) or a data object with a
///   truthy `error` key is a [`DecodeError::Upstream`] item; decoding goes on.
/// - Data that is not JSON is a [`DecodeError::NotJson`] item, JSON of the wrong shape a
///   [`DecodeError::UnexpectedJson`] item, with the event's offset.
/// - An event that breaks the protocol's consistency (see [`Violation`]) is a
///   [`DecodeError::Protocol`] item carrying the event.
///
/// ```
/// use openai_wire::responses::{ResponseStreamEvent, ResponsesStreamDecoder};
///
/// let mut decoder = ResponsesStreamDecoder::new();
/// decoder.push(b"event: response.created\ndata: {\"response\":{\"id\":\"resp_1\"},\"sequence_number\":0,\"type\":\"response.created\"}\n\n");
/// let Some(Ok(ResponseStreamEvent::Created(created))) = decoder.next() else { panic!() };
/// assert_eq!(created.response.id, "resp_1");
/// assert!(decoder.finish().is_err()); // no response.completed: Truncated
/// ```
#[derive(Debug)]
pub struct ResponsesStreamDecoder {
    sse: SseDecoder,
    /// A terminal event seen; data after it reported once.
    end: StreamEnd,
    events: u64,
    /// The error of a `response.failed` event, yielded after it.
    pending: Option<DecodeError>,
    tracker: Tracker,
}

impl Default for ResponsesStreamDecoder {
    fn default() -> Self {
        Self::with_config(SseConfig::default())
    }
}

impl ResponsesStreamDecoder {
    /// A decoder with the default SSE settings.
    pub fn new() -> Self {
        Self::default()
    }

    /// A decoder with the given SSE settings. Comment surfacing and dataless dispatch are
    /// turned off (they carry no events).
    pub fn with_config(config: SseConfig) -> Self {
        let config = config.with_comments(false).with_dispatch_dataless(false);
        Self {
            sse: SseDecoder::with_config(config),
            end: StreamEnd::new(),
            events: 0,
            pending: None,
            tracker: Tracker::default(),
        }
    }

    /// Appends body bytes. Drain the iterator afterwards.
    pub fn push(&mut self, bytes: &[u8]) {
        self.sse.push(bytes);
    }

    /// Whether a terminal event (`response.completed`, `response.incomplete`,
    /// `response.failed`) was decoded.
    pub fn is_done(&self) -> bool {
        self.end.is_ended()
    }

    /// Events decoded so far (those carried by a [`DecodeError::Protocol`] included; error
    /// events not).
    pub fn chunks(&self) -> u64 {
        self.events
    }

    /// Bytes of input held (see [`SseDecoder::buffered_len`]).
    pub fn buffered_len(&self) -> usize {
        self.sse.buffered_len()
    }

    /// Ends the input: `Ok` after a terminal event, else [`DecodeError::Truncated`].
    ///
    /// # Errors
    ///
    /// [`DecodeError::Truncated`] when no terminal event was decoded (also for an empty
    /// body), with the bytes received, the events decoded and, in `sse`, the pending input the
    /// SSE layer discarded. An event still in the buffer counts as pending: drain the
    /// iterator first.
    ///
    /// [`DecodeError::AfterEnd`] when input after the terminal event was left unfinished and
    /// no data after the end was reported yet.
    pub fn finish(&mut self) -> Result<(), DecodeError> {
        finish_stream(
            &mut self.sse,
            &mut self.end,
            self.events,
            crate::error::RESPONSES_TERMINATOR,
        )
    }

    /// The next event or error, if the input holds one, the `….delta` events borrowing their
    /// text from the decoder: with [`ResponseStreamEventRef`], text without JSON escapes is not
    /// copied at all. Same events, errors, checks and rules as the iterator (whose events are
    /// these, [`into_owned`](ResponseStreamEventRef::into_owned)); a [`DecodeError::Protocol`]
    /// carries the owned event.
    ///
    /// The event borrows the decoder, so it must be dropped before the next call; a
    /// `while let` loop does that.
    ///
    /// ```
    /// use openai_wire::responses::{ResponseStreamEventRef, ResponsesStreamDecoder};
    ///
    /// let mut decoder = ResponsesStreamDecoder::new();
    /// decoder.push(b"event: response.created\ndata: {\"response\":{\"id\":\"resp_1\"},\"sequence_number\":0,\"type\":\"response.created\"}\n\n");
    /// decoder.push(b"event: response.output_item.added\ndata: {\"item\":{\"id\":\"rs_1\",\"summary\":[],\"type\":\"reasoning\"},\"output_index\":0,\"sequence_number\":1,\"type\":\"response.output_item.added\"}\n\n");
    /// decoder.push(b"event: response.reasoning_summary_text.delta\ndata: {\"delta\":\"Hm\",\"item_id\":\"rs_1\",\"output_index\":0,\"sequence_number\":2,\"summary_index\":0,\"type\":\"response.reasoning_summary_text.delta\"}\n\n");
    /// let mut thinking = String::new();
    /// while let Some(event) = decoder.next_ref() {
    ///     if let ResponseStreamEventRef::ReasoningSummaryTextDelta(delta) = event? {
    ///         thinking.push_str(&delta.delta);
    ///     }
    /// }
    /// assert_eq!(thinking, "Hm");
    /// assert_eq!(decoder.chunks(), 3);
    /// # Ok::<(), openai_wire::DecodeError>(())
    /// ```
    pub fn next_ref(&mut self) -> Option<Result<ResponseStreamEventRef<'_>, DecodeError>> {
        self.next_decoded()
    }

    /// The next event or error, if the input holds one.
    fn next_item(&mut self) -> Option<Result<ResponseStreamEvent, DecodeError>> {
        self.next_decoded()
    }

    /// The next event, decoded and checked, or error, as `O` (inlined into both callers: each
    /// builds its event where it returns it, without moving a large enum about).
    #[inline(always)]
    fn next_decoded<'a, O: Output<'a>>(&'a mut self) -> Option<Result<O, DecodeError>> {
        if let Some(error) = self.pending.take() {
            return Some(Err(error));
        }
        let (offset, event) = match next_event(&mut self.sse, &mut self.end, |_| false, false)? {
            Ok(Next::Event { offset, event }) => (offset, event),
            // The stream ends at a terminal event, never at a data text.
            Ok(Next::End) => return None,
            Err(e) => return Some(Err(e)),
        };
        // The fastest path, for the delta events (most of a stream): an `event:` name of a
        // delta type, and data that parses as a delta stating that same `type` and no `error`
        // key, is that delta; the one parse reads the `type` and the `error` key too. Any
        // other outcome takes the general path below, which then decides exactly as it would
        // have (the data states the type, has no error, and parses as this delta).
        if let Some(delta) = event.event.and_then(DeltaKind::of)
            && let Ok(data) = decode_delta(event.data)
            && data.error_key.is_none()
            && data.stated_type.as_deref() == Some(delta.name())
        {
            self.events += 1;
            return Some(match self.tracker.check_delta(delta, &data) {
                None => Ok(O::delta(delta, data)),
                Some(violation) => Err(protocol(offset, violation, delta.owned(data))),
            });
        }
        // The fast path: an `event:` name that the data also states as `"type":"<name>"` (what
        // Ollama and OpenAI write) dispatches without parsing the data twice.
        let stated = event.event.filter(|&name| states_type(event.data, name));
        if let Some(error) = upstream_error(offset, event) {
            return Some(Err(error));
        }
        // Anything else reads the data's `type`.
        let kind = match stated {
            Some(name) => Some(Cow::Borrowed(name)),
            None => match serde_json::from_str::<Probe<'_>>(event.data) {
                Ok(probe) => probe.kind,
                Err(source) => return Some(Err(DecodeError::json(offset, source))),
            },
        };
        let Some(kind) = kind.or(event.event.map(Cow::Borrowed)) else {
            let source = serde::de::Error::custom("an event without `type`");
            return Some(Err(DecodeError::UnexpectedJson { offset, source }));
        };
        if kind == "error" {
            return Some(Err(event_error(offset, event)));
        }
        let owned = match DeltaKind::of(&kind) {
            Some(delta) => match decode_delta(event.data) {
                Ok(data) => {
                    self.events += 1;
                    return Some(match self.tracker.check_delta(delta, &data) {
                        None => Ok(O::delta(delta, data)),
                        Some(violation) => Err(protocol(offset, violation, delta.owned(data))),
                    });
                }
                // The owned decoder's error, as it always gave it (or, should it disagree,
                // its event).
                Err(_) => ResponseStreamEvent::from_data(&kind, event.data),
            },
            None => ResponseStreamEvent::from_data(&kind, event.data),
        };
        let decoded = match owned {
            Ok(decoded) => decoded,
            Err(source) => return Some(Err(DecodeError::json(offset, source))),
        };
        self.events += 1;
        if decoded.is_terminal() {
            self.end.set_ended();
        }
        if let ResponseStreamEvent::Failed(failed) = &decoded {
            self.pending = Some(failure(offset, failed.response.error.as_ref(), event.data));
        }
        Some(match self.tracker.check(&decoded) {
            None => Ok(O::owned(decoded)),
            Some(violation) => Err(protocol(offset, violation, decoded)),
        })
    }
}

/// What the decoder yields: owned events (the iterator) or borrowed ones (`next_ref`).
trait Output<'a> {
    /// A delta event.
    fn delta(kind: DeltaKind, data: ResponseDeltaEventRef<'a>) -> Self;
    /// Any other event.
    fn owned(event: ResponseStreamEvent) -> Self;
}

impl<'a> Output<'a> for ResponseStreamEvent {
    fn delta(kind: DeltaKind, data: ResponseDeltaEventRef<'a>) -> Self {
        kind.owned(data)
    }
    fn owned(event: ResponseStreamEvent) -> Self {
        event
    }
}

impl<'a> Output<'a> for ResponseStreamEventRef<'a> {
    fn delta(kind: DeltaKind, data: ResponseDeltaEventRef<'a>) -> Self {
        kind.event(data)
    }
    fn owned(event: ResponseStreamEvent) -> Self {
        Self::Other(Box::new(event))
    }
}

/// A violation at `offset`, carrying the event.
fn protocol(offset: u64, violation: Violation, event: ResponseStreamEvent) -> DecodeError {
    DecodeError::Protocol(Box::new(ProtocolError {
        offset,
        violation,
        event,
    }))
}

/// Decodes the data of a delta event.
fn decode_delta(data: &str) -> Result<ResponseDeltaEventRef<'_>, serde_json::Error> {
    serde_json::from_str(data)
}

/// The error of a `response.failed` event at `offset`.
fn failure(offset: u64, error: Option<&super::ResponseError>, data: &str) -> DecodeError {
    let payload = error.map(|e| {
        ErrorPayload::Object(ApiError {
            message: e.message.clone(),
            kind: None,
            param: None,
            code: Some(Value::String(e.code.clone())),
            extra: serde_json::Map::new(),
        })
    });
    DecodeError::Upstream(Box::new(OpenAiError {
        status: None,
        offset: Some(offset),
        event: Some("response.failed".to_owned()),
        payload,
        body: data.to_owned(),
    }))
}

wire_core::inherent_push_decoder! {
    [] ResponsesStreamDecoder => ResponseStreamEvent, DecodeError;
}

impl Iterator for ResponsesStreamDecoder {
    type Item = Result<ResponseStreamEvent, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_item()
    }
}
