//! Server-Sent Events (`text/event-stream`), sans-IO: a decoder and an
//! encoder, no runtime, clock or socket.
//!
//! ```text
//!  bytes ──push──▶ SseDecoder ──next / next_ref / advance──▶ Frame::Event { event, data, id, retry }
//!                  (lines, BOM, CR/LF/CRLF,                  Frame::Comment (opt-in)
//!                   fields, limits, offsets)                 SseError (a limit, with its offset)
//!                       └──finish──▶ Ok(()) | Truncated (cut inside a line or an event)
//!
//!  Event ──SseEncoder::encode──▶ bytes (decoding them gives the same Event)
//! ```
//!
//! [`SseDecoder`] follows the WHATWG HTML "event stream interpretation" rules
//! exactly: CR, LF and CRLF line ends (also a CRLF split across two pushes),
//! one leading BOM stripped (also when split across pushes), comments,
//! `data` lines joined with LF, `event`, `id` (ignored when it contains NUL;
//! the last event ID persists across events), `retry` (ASCII digits only),
//! fields without a colon, exactly one leading space removed from a value,
//! and no dispatch for a block without data. Invalid UTF-8 is replaced with
//! U+FFFD; decoding happens per complete line, so a character split across
//! pushes stays intact.
//!
//! Framing is zero-copy: bytes are appended to one buffer, lines are found
//! with `memchr2` (byte by byte in a short haystack) from a remembered scan
//! offset, values are checked for UTF-8 once each (`std` for short ones,
//! `simdutf8` for long ones) and borrowed when valid, and the buffer is
//! compacted at most once per [`push`](SseDecoder::push), never per line.
//!
//! For a stream that a terminal event closes (OpenAI's `data: [DONE]`, Anthropic's
//! `message_stop`), [`StreamEnd`] holds the two end rules the wires share: data after the end
//! is reported once, and an end of input before the terminal event is a cut stream.
//!
//! ```
//! use sse_wire::{Frame, SseDecoder};
//!
//! let mut decoder = SseDecoder::new();
//! decoder.push(b"event: greeting\r");
//! decoder.push(b"\ndata: hello\n");
//! assert!(decoder.next().is_none()); // the event is not terminated yet
//! decoder.push(b"\n");
//! let Some(Ok(Frame::Event(event))) = decoder.next() else { panic!() };
//! assert_eq!(event.event_type(), "greeting");
//! assert_eq!(event.data, "hello");
//! assert!(decoder.finish().is_ok()); // a clean end
//! ```

#![forbid(unsafe_code)]
// Library code reports failures as values; tests may unwrap.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#![cfg_attr(not(test), deny(clippy::panic, clippy::indexing_slicing))]

use std::borrow::Cow;
use std::sync::OnceLock;

use memchr::memchr2;
pub use wire_core::{Categorized, ErrorCategory, PushDecoder};

mod response;
pub use response::{BodyKind, classify};
mod stream_end;
pub use stream_end::{Advance, EndVerdict, StreamEnd};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Consumed input bytes a push may leave in front of a partial line (see
/// `SseDecoder::compact`).
const COMPACT_AFTER: usize = 4096;

/// Decoder settings. Build with [`SseConfig::default`] and the `with_*` methods.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SseConfig {
    /// Longest accepted line in bytes, without its line end.
    ///
    /// A longer `data`, `event`, `id` or `retry` line (or a comment, when
    /// comments are surfaced) yields [`SseError::LineTooLong`]; a longer
    /// comment that is not surfaced, or a longer line of an unknown field, is
    /// discarded silently without being buffered.
    pub max_line_bytes: usize,
    /// Largest accepted event data buffer in bytes: the `data` values as
    /// received plus one LF per `data` line (before invalid UTF-8 is
    /// replaced, so the limit does not depend on how the input was split).
    /// Exceeding it yields [`SseError::EventTooLarge`].
    pub max_event_bytes: usize,
    /// Dispatch a block that has `event`, `id` or `retry` fields but no `data`
    /// line, with empty data. The standard says such a block dispatches
    /// nothing (the default, `false`); some servers rely on the openai-python
    /// behaviour instead.
    pub dispatch_dataless: bool,
    /// Surface comment lines as [`Frame::Comment`] (useful as keep-alives).
    pub comments: bool,
}

impl Default for SseConfig {
    fn default() -> Self {
        Self {
            max_line_bytes: 8 * 1024 * 1024,
            max_event_bytes: 16 * 1024 * 1024,
            dispatch_dataless: false,
            comments: false,
        }
    }
}

impl SseConfig {
    /// Sets [`max_line_bytes`](Self::max_line_bytes).
    #[must_use]
    pub fn with_max_line_bytes(mut self, limit: usize) -> Self {
        self.max_line_bytes = limit;
        self
    }

    /// Sets [`max_event_bytes`](Self::max_event_bytes).
    #[must_use]
    pub fn with_max_event_bytes(mut self, limit: usize) -> Self {
        self.max_event_bytes = limit;
        self
    }

    /// Sets [`dispatch_dataless`](Self::dispatch_dataless).
    #[must_use]
    pub fn with_dispatch_dataless(mut self, on: bool) -> Self {
        self.dispatch_dataless = on;
        self
    }

    /// Sets [`comments`](Self::comments).
    #[must_use]
    pub fn with_comments(mut self, on: bool) -> Self {
        self.comments = on;
        self
    }
}

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Event {
    /// The event type; `None` when the block had no (or an empty) `event`
    /// field, which browsers report as `"message"` (see [`Event::event_type`]).
    pub event: Option<String>,
    /// The data lines joined with LF.
    pub data: String,
    /// The last event ID at dispatch time. It persists across events until
    /// an `id` field changes it; `""` initially.
    pub id: String,
    /// The last valid `retry` value in this event's block, in milliseconds.
    pub retry: Option<u64>,
}

impl Event {
    /// An event with only data.
    pub fn new(data: impl Into<String>) -> Self {
        Self {
            data: data.into(),
            ..Self::default()
        }
    }

    /// Sets the event type.
    #[must_use]
    pub fn with_event(mut self, event: impl Into<String>) -> Self {
        self.event = Some(event.into());
        self
    }

    /// Sets the last event ID.
    #[must_use]
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = id.into();
        self
    }

    /// Sets the retry value.
    #[must_use]
    pub fn with_retry(mut self, retry: u64) -> Self {
        self.retry = Some(retry);
        self
    }

    /// The event type, `"message"` by default.
    pub fn event_type(&self) -> &str {
        self.event.as_deref().unwrap_or("message")
    }
}

/// What the decoder yields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Frame {
    /// A dispatched event.
    Event(Event),
    /// A comment line's text after the colon (only with [`SseConfig::comments`]).
    Comment(String),
}

/// One dispatched event, borrowed from the [`SseDecoder`] that decoded it
/// (see [`SseDecoder::next_ref`]). Same fields as [`Event`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct EventRef<'a> {
    /// The event type; `None` when the block had no (or an empty) `event`
    /// field.
    pub event: Option<&'a str>,
    /// The data lines joined with LF.
    pub data: &'a str,
    /// The last event ID at dispatch time.
    pub id: &'a str,
    /// The last valid `retry` value in this event's block, in milliseconds.
    pub retry: Option<u64>,
}

impl<'a> EventRef<'a> {
    /// The event type, `"message"` by default.
    pub fn event_type(&self) -> &'a str {
        self.event.unwrap_or("message")
    }

    /// The owned event.
    pub fn into_owned(self) -> Event {
        Event {
            event: self.event.map(str::to_owned),
            data: self.data.to_owned(),
            id: self.id.to_owned(),
            retry: self.retry,
        }
    }
}

/// What [`SseDecoder::next_ref`] yields: a [`Frame`], borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FrameRef<'a> {
    /// A dispatched event.
    Event(EventRef<'a>),
    /// A comment line's text after the colon (only with [`SseConfig::comments`]).
    Comment(&'a str),
}

impl FrameRef<'_> {
    /// The owned frame.
    pub fn into_owned(self) -> Frame {
        match self {
            Self::Event(event) => Frame::Event(event.into_owned()),
            Self::Comment(text) => Frame::Comment(text.to_owned()),
        }
    }
}

/// A per-item decoding problem: one of our limits was hit.
///
/// Every byte sequence is a valid event stream, so there is no "malformed"
/// case at this layer. The decoder stays usable after an error: the offending
/// line is skipped and, for `data`/`event` lines, the event it belonged to is
/// dropped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SseError {
    /// A line was longer than [`SseConfig::max_line_bytes`].
    #[error("SSE line at byte {offset} is longer than the {limit}-byte limit")]
    LineTooLong {
        /// Stream offset of the line's first byte.
        offset: u64,
        /// The limit in force.
        limit: usize,
    },
    /// An event's data grew beyond [`SseConfig::max_event_bytes`].
    #[error("SSE event at byte {offset} has more than {limit} bytes of data")]
    EventTooLarge {
        /// Stream offset of the event's first field line.
        offset: u64,
        /// The limit in force.
        limit: usize,
    },
    /// The input ended inside a line or an event: never an item, only the verdict of the
    /// decoder's [`PushDecoder::finish`], the shape generic code (such as the async adapter
    /// `wire_core::DecodeStream`) sees. The inherent [`SseDecoder::finish`] returns the
    /// [`Truncated`] itself.
    #[error(transparent)]
    Truncated(Truncated),
}

impl SseError {
    /// The stream offset the error refers to (for [`Truncated`](Self::Truncated): where the
    /// discarded input starts).
    pub fn offset(&self) -> u64 {
        match self {
            Self::LineTooLong { offset, .. } | Self::EventTooLarge { offset, .. } => *offset,
            Self::Truncated(truncated) => truncated.offset,
        }
    }

    /// Who is at fault: [`ErrorCategory::Limit`], or [`ErrorCategory::Truncated`] for a cut
    /// stream.
    pub fn category(&self) -> ErrorCategory {
        match self {
            Self::LineTooLong { .. } | Self::EventTooLarge { .. } => ErrorCategory::Limit,
            Self::Truncated(_) => ErrorCategory::Truncated,
        }
    }
}

impl Categorized for SseError {
    fn category(&self) -> ErrorCategory {
        Self::category(self)
    }

    fn offset(&self) -> Option<u64> {
        Some(Self::offset(self))
    }
}

impl Categorized for Truncated {
    fn category(&self) -> ErrorCategory {
        ErrorCategory::Truncated
    }

    fn offset(&self) -> Option<u64> {
        Some(self.offset)
    }
}

/// The input ended in the middle of an event or a line.
///
/// The standard discards such pending input silently;
/// [`SseDecoder::finish`] reports it so a cut stream can be told from a
/// clean end.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "SSE stream ended at byte {end} inside {} starting at byte {offset}",
    if *.unterminated_event { "an event" } else { "a line" }
)]
#[non_exhaustive]
pub struct Truncated {
    /// Stream offset where the discarded input starts.
    pub offset: u64,
    /// Total bytes received.
    pub end: u64,
    /// Bytes of a line without a line end were pending.
    pub partial_line: bool,
    /// Field lines of an event were seen, but no blank line dispatched it.
    pub unterminated_event: bool,
}

/// A value the encoder cannot represent in an event stream.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// A field (or a comment) contains a character that would end its line.
    #[error("SSE {field} contains a line break")]
    LineBreak {
        /// `"event"`, `"id"`, `"data"` or `"comment"`.
        field: &'static str,
    },
    /// An `id` contains U+0000, which decoders ignore.
    #[error("SSE id contains U+0000")]
    NulInId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Blank,
    Comment,
    Data,
    Event,
    Id,
    Retry,
    Unknown,
}

const FIELDS: [(&[u8], LineKind); 4] = [
    (b"data", LineKind::Data),
    (b"event", LineKind::Event),
    (b"id", LineKind::Id),
    (b"retry", LineKind::Retry),
];

/// Classifies a line, or a prefix of one when `complete` is false, and finds
/// where its value starts (after the first colon and one optional space).
/// Returns `None` when the prefix cannot be classified yet.
fn classify_line(line: &[u8], complete: bool) -> Option<(LineKind, usize)> {
    // The lines nearly every event stream is made of: a field name and its
    // colon, no search needed.
    if let Some(rest) = line.strip_prefix(b"data:") {
        return Some((LineKind::Data, 5 + usize::from(rest.first() == Some(&b' '))));
    }
    if let Some(rest) = line.strip_prefix(b"event:") {
        return Some((
            LineKind::Event,
            6 + usize::from(rest.first() == Some(&b' ')),
        ));
    }
    match line.first() {
        None => return complete.then_some((LineKind::Blank, 0)),
        Some(b':') => return Some((LineKind::Comment, 1)),
        Some(_) => {}
    }
    let colon = memchr::memchr(b':', line);
    let (name, value_start) = match colon {
        Some(i) => (
            line.get(..i).unwrap_or_default(),
            i + 1 + usize::from(line.get(i + 1) == Some(&b' ')),
        ),
        None => (line, line.len()),
    };
    if colon.is_some() || complete {
        let kind = FIELDS
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(LineKind::Unknown, |(_, k)| *k);
        return Some((kind, value_start));
    }
    if FIELDS.iter().any(|(n, _)| n.starts_with(name)) {
        None
    } else {
        Some((LineKind::Unknown, value_start))
    }
}

/// The first CR or LF in `hay`. A short haystack (the new bytes of a small
/// push, or a blank line) is searched byte by byte: `memchr2`'s set-up costs
/// more than it saves there.
fn line_end(hay: &[u8]) -> Option<usize> {
    if hay.len() < 16 {
        hay.iter().position(|&b| b == b'\n' || b == b'\r')
    } else if let Some(b'\n' | b'\r') = hay.first() {
        Some(0)
    } else {
        memchr2(b'\r', b'\n', hay)
    }
}

/// `bytes` as text: borrowed when valid UTF-8 (checked with SIMD), invalid
/// sequences replaced with U+FFFD otherwise.
fn lossy(bytes: &[u8]) -> Cow<'_, str> {
    match utf8(bytes) {
        Some(text) => Cow::Borrowed(text),
        None => String::from_utf8_lossy(bytes),
    }
}

/// `bytes` as text when valid UTF-8. Short values (event names, ids) go to
/// the standard library's check, whose ASCII path has no set-up cost; longer
/// ones to `simdutf8`.
fn utf8(bytes: &[u8]) -> Option<&str> {
    if bytes.len() < 64 {
        std::str::from_utf8(bytes).ok()
    } else {
        simdutf8::basic::from_utf8(bytes).ok()
    }
}

/// What [`SseDecoder::advance`] found; the frame itself is then read,
/// borrowed, with [`SseDecoder::current`] or [`SseDecoder::current_event`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameKind {
    /// An event was dispatched.
    Event,
    /// A comment line was read (only with [`SseConfig::comments`]).
    Comment,
}

/// Parser state for the event being built (the standard's buffers).
///
/// An event's data is kept where it already is whenever possible: while the
/// event has a single `data` line and no push has intervened, `span` points at
/// that line's value in the decoder's input buffer and nothing is copied. A
/// second data line, or a push (which compacts the buffer), copies it into
/// `data`.
#[derive(Debug, Default)]
struct Block {
    /// Data lines not held by `span`, each followed by LF.
    data: String,
    /// The value of the event's only data line so far, as a range of the
    /// input buffer (raw bytes, not yet checked for UTF-8).
    span: Option<(usize, usize)>,
    /// Bytes of data received for the event in progress (raw values plus one
    /// LF per line): what [`SseConfig::max_event_bytes`] limits. Counting raw
    /// bytes keeps the limit independent of how the input was split.
    data_raw: usize,
    event_type: String,
    /// The text of the comment handed out last.
    comment: String,
    id_buffer: String,
    /// An `id` field set `id_buffer` since the last dispatch.
    id_seen: bool,
    last_event_id: String,
    retry: Option<u64>,
    reconnection_time: Option<u64>,
    /// Offset of the first field line of the block in progress.
    start: Option<u64>,
    /// The event in progress hit a limit and will not be dispatched.
    skip: bool,
    /// An event was dispatched and may still be borrowed: its buffers are
    /// cleared before decoding goes on.
    event_out: bool,
    /// The `retry` value of the dispatched event.
    out_retry: Option<u64>,
    /// The dispatched span, replaced, when it is not valid UTF-8.
    lossy: OnceLock<String>,
}

impl Block {
    /// Clears what the last dispatched frame was read from.
    #[inline]
    fn release(&mut self) {
        if std::mem::take(&mut self.event_out) {
            self.release_event();
        }
    }

    fn release_event(&mut self) {
        self.span = None;
        self.data_raw = 0;
        self.out_retry = None;
        self.event_type.clear();
        self.lossy.take();
        // Keep the allocation for the next event, unless it was unusually large.
        if self.data.capacity() > 64 * 1024 {
            self.data = String::new();
        } else {
            self.data.clear();
        }
    }

    /// Copies a data line held in the input buffer into `data`, before the
    /// buffer is compacted.
    fn materialize(&mut self, buf: &[u8]) {
        if let Some((from, to)) = self.span.take() {
            self.data
                .push_str(&lossy(buf.get(from..to).unwrap_or_default()));
            self.data.push('\n');
        }
    }

    fn drop_event(&mut self) {
        self.data.clear();
        self.span = None;
        self.data_raw = 0;
        self.event_type.clear();
    }

    /// A blank line: returns the event's start offset when it dispatches.
    fn dispatch(&mut self, config: &SseConfig) -> Option<u64> {
        let start = self.start.take();
        let skip = std::mem::take(&mut self.skip);
        let retry = self.retry.take();
        if std::mem::take(&mut self.id_seen) && self.last_event_id != self.id_buffer {
            self.last_event_id.clone_from(&self.id_buffer);
        }
        let has_data = self.span.is_some() || !self.data.is_empty();
        let dataless_ok = config.dispatch_dataless && start.is_some();
        if skip || !(has_data || dataless_ok) {
            self.drop_event();
            return None;
        }
        if self.span.is_none() && self.data.ends_with('\n') {
            self.data.pop();
        }
        self.event_out = true;
        self.out_retry = retry;
        Some(start.unwrap_or(0))
    }

    /// The dispatched event, borrowed from this block and the input buffer.
    fn event_ref<'a>(&'a self, buf: &'a [u8]) -> EventRef<'a> {
        let data = match self.span {
            Some((from, to)) => {
                let bytes = buf.get(from..to).unwrap_or_default();
                match utf8(bytes) {
                    Some(text) => text,
                    None => self
                        .lossy
                        .get_or_init(|| String::from_utf8_lossy(bytes).into_owned()),
                }
            }
            None => &self.data,
        };
        EventRef {
            event: (!self.event_type.is_empty()).then_some(self.event_type.as_str()),
            data,
            id: &self.last_event_id,
            retry: self.out_retry,
        }
    }

    /// Handles a line longer than the limit.
    fn too_long(
        &mut self,
        config: &SseConfig,
        kind: LineKind,
        offset: u64,
    ) -> Option<Result<FrameKind, SseError>> {
        let err = SseError::LineTooLong {
            offset,
            limit: config.max_line_bytes,
        };
        match kind {
            LineKind::Blank | LineKind::Unknown => None,
            LineKind::Comment => config.comments.then_some(Err(err)),
            LineKind::Data | LineKind::Event => {
                self.start.get_or_insert(offset);
                self.skip = true;
                Some(Err(err))
            }
            LineKind::Id | LineKind::Retry => {
                self.start.get_or_insert(offset);
                Some(Err(err))
            }
        }
    }

    /// Processes the complete line `buf[from..to]`. Returns what is ready and
    /// its offset.
    fn line(
        &mut self,
        config: &SseConfig,
        buf: &[u8],
        (from, to): (usize, usize),
        offset: u64,
    ) -> Option<(u64, Result<FrameKind, SseError>)> {
        let line = buf.get(from..to).unwrap_or_default();
        let (kind, value_start) = classify_line(line, true).unwrap_or((LineKind::Unknown, 0));
        if line.len() > config.max_line_bytes {
            return self.too_long(config, kind, offset).map(|r| (offset, r));
        }
        let value = line.get(value_start..).unwrap_or_default();
        match kind {
            LineKind::Blank => self
                .dispatch(config)
                .map(|start| (start, Ok(FrameKind::Event))),
            LineKind::Comment => config.comments.then(|| {
                self.comment.clear();
                self.comment.push_str(&lossy(value));
                (offset, Ok(FrameKind::Comment))
            }),
            LineKind::Unknown => None,
            LineKind::Data => {
                let start = *self.start.get_or_insert(offset);
                if self.skip {
                    return None;
                }
                let new_len = self.data_raw.saturating_add(value.len()).saturating_add(1);
                if new_len > config.max_event_bytes {
                    self.skip = true;
                    self.drop_event();
                    self.data = String::new();
                    let err = SseError::EventTooLarge {
                        offset: start,
                        limit: config.max_event_bytes,
                    };
                    return Some((start, Err(err)));
                }
                self.data_raw = new_len;
                if self.span.is_none() && self.data.is_empty() {
                    self.span = Some((from + value_start, to));
                    return None;
                }
                self.materialize(buf);
                self.data.push_str(&lossy(value));
                self.data.push('\n');
                None
            }
            LineKind::Event => {
                self.start.get_or_insert(offset);
                if !self.skip {
                    self.event_type.clear();
                    self.event_type.push_str(&lossy(value));
                }
                None
            }
            LineKind::Id => {
                self.start.get_or_insert(offset);
                if memchr::memchr(0, value).is_none() {
                    self.id_seen = true;
                    self.id_buffer.clear();
                    self.id_buffer.push_str(&lossy(value));
                }
                None
            }
            LineKind::Retry => {
                self.start.get_or_insert(offset);
                if !value.is_empty() && value.iter().all(u8::is_ascii_digit) {
                    let ms = value.iter().fold(0u64, |n, d| {
                        n.saturating_mul(10).saturating_add(u64::from(d - b'0'))
                    });
                    self.retry = Some(ms);
                    self.reconnection_time = Some(ms);
                }
                None
            }
        }
    }
}

/// A push/pull event-stream decoder.
///
/// Feed bytes with [`push`](Self::push), drain frames with
/// [`next`](Iterator::next) (owned) or [`next_ref`](Self::next_ref)
/// (borrowed, no allocation) until it returns `None`, repeat; call
/// [`finish`](Self::finish) at end of input. After draining, the decoder
/// holds at most one partial line (bounded by
/// [`SseConfig::max_line_bytes`]) and one event (bounded by
/// [`SseConfig::max_event_bytes`]).
///
/// The iterator is not fused: it returns `None` when it needs more input and
/// yields again after the next push.
#[derive(Debug)]
pub struct SseDecoder {
    config: SseConfig,
    buf: Vec<u8>,
    /// Start of the unconsumed input in `buf`.
    pos: usize,
    /// `buf[pos..scan]` holds no CR or LF.
    scan: usize,
    /// Stream offset of `buf[0]`.
    base: u64,
    bom_checked: bool,
    /// The previous line ended with a CR at the end of the input; an LF at
    /// the start of the next push belongs to it.
    pending_cr: bool,
    /// The rest of the current line is being dropped.
    discarding: bool,
    block: Block,
    last_offset: u64,
    /// What the last [`advance`](Self::advance) reported, while it can still
    /// be read.
    ready: Option<FrameKind>,
}

impl Default for SseDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl SseDecoder {
    /// A decoder with the default [`SseConfig`].
    pub fn new() -> Self {
        Self::with_config(SseConfig::default())
    }

    /// A decoder with the given settings.
    pub fn with_config(config: SseConfig) -> Self {
        Self {
            config,
            buf: Vec::new(),
            pos: 0,
            scan: 0,
            base: 0,
            bom_checked: false,
            pending_cr: false,
            discarding: false,
            block: Block::default(),
            last_offset: 0,
            ready: None,
        }
    }

    /// The settings in force.
    pub fn config(&self) -> &SseConfig {
        &self.config
    }

    /// Appends input bytes. Drain [`next`](Iterator::next) afterwards.
    pub fn push(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        self.block.release();
        self.ready = None;
        self.compact(bytes.len());
        self.buf.extend_from_slice(bytes);
    }

    /// Drops consumed input before `incoming` more bytes are appended. Runs at
    /// most once per push, never per line, and moves bytes only when it pays:
    /// while a line is in progress, up to [`COMPACT_AFTER`] consumed bytes
    /// stay in front of it as long as the push fits the allocation, so that
    /// small pushes neither move the partial line nor copy the event's data.
    fn compact(&mut self, incoming: usize) {
        if self.pos == 0 {
            return;
        }
        let fits = self.buf.len().saturating_add(incoming) <= self.buf.capacity();
        if self.pos < self.buf.len() && self.pos < COMPACT_AFTER && fits {
            return;
        }
        self.block.materialize(&self.buf);
        let pos = self.pos;
        if pos >= self.buf.len() {
            self.buf.clear();
        } else {
            self.buf.drain(..pos);
        }
        self.base = self.base.saturating_add(pos as u64);
        self.scan = self.scan.saturating_sub(pos);
        self.pos = 0;
        // Give back memory after an unusually large push.
        let keep = self.buf.len().max(64 * 1024);
        if self.buf.capacity() > 4 * keep {
            self.buf.shrink_to(keep);
        }
    }

    /// Stream offset of the most recently returned frame or error: the first
    /// field line of an event, or the line of a comment.
    pub fn last_offset(&self) -> u64 {
        self.last_offset
    }

    /// Total bytes pushed since the start (or the last [`finish`](Self::finish)).
    pub fn bytes_received(&self) -> u64 {
        self.base.saturating_add(self.buf.len() as u64)
    }

    /// Bytes of input held for decoding: the input not yet decoded, the
    /// value of an event's data line still in the input buffer, and event data
    /// copied out of it.
    ///
    /// Right after a push this is at most the largest event (or line) plus
    /// the push. The input buffer may also keep up to 4 KiB of input already
    /// decoded (dropped when more is needed, so that small pushes do not move
    /// bytes); the decoder's heap is these plus allocation slack.
    pub fn buffered_len(&self) -> usize {
        let held_from = match self.block.span {
            Some((from, _)) => from.min(self.pos),
            None => self.pos,
        };
        (self.buf.len() - held_from).saturating_add(self.block.data.len())
    }

    /// The last event ID as of the last blank line (what a client sends as
    /// `Last-Event-ID` when it reconnects). It survives [`finish`](Self::finish).
    pub fn last_event_id(&self) -> &str {
        &self.block.last_event_id
    }

    /// The reconnection time set by the latest valid `retry` field, if any.
    /// It survives [`finish`](Self::finish).
    pub fn reconnection_time(&self) -> Option<u64> {
        self.block.reconnection_time
    }

    /// The next frame, borrowed from the decoder: no allocation for an event
    /// whose data arrived as one `data` line within one push (the usual case),
    /// and none for an event's buffers once they have grown.
    ///
    /// The frame borrows the decoder, so it must be dropped before the next
    /// call; `while let` loops work as with [`next`](Iterator::next), which
    /// returns the same frames owned.
    ///
    /// ```
    /// use sse_wire::{FrameRef, SseDecoder};
    ///
    /// let mut decoder = SseDecoder::new();
    /// decoder.push(b"data: 1\n\ndata: 2\n\n");
    /// let mut total = 0;
    /// while let Some(frame) = decoder.next_ref() {
    ///     if let Ok(FrameRef::Event(event)) = frame {
    ///         total += event.data.parse::<u64>()?;
    ///     }
    /// }
    /// assert_eq!(total, 3);
    /// # Ok::<(), std::num::ParseIntError>(())
    /// ```
    pub fn next_ref(&mut self) -> Option<Result<FrameRef<'_>, SseError>> {
        let ready = self.advance()?;
        Some(ready.map(|ready| self.frame_ref(ready)))
    }

    /// The frame the last [`advance`](Self::advance) reported, borrowed; `None`
    /// when it reported none (or an error), or after a push or another
    /// `advance`.
    pub fn current(&self) -> Option<FrameRef<'_>> {
        self.ready.map(|ready| self.frame_ref(ready))
    }

    /// The event the last [`advance`](Self::advance) reported as
    /// [`FrameKind::Event`]; `None` otherwise.
    pub fn current_event(&self) -> Option<EventRef<'_>> {
        (self.ready == Some(FrameKind::Event)).then(|| self.block.event_ref(&self.buf))
    }

    fn frame_ref(&self, ready: FrameKind) -> FrameRef<'_> {
        match ready {
            FrameKind::Event => FrameRef::Event(self.block.event_ref(&self.buf)),
            FrameKind::Comment => FrameRef::Comment(&self.block.comment),
        }
    }

    /// The next event, skipping comments.
    pub fn next_event(&mut self) -> Option<Result<Event, SseError>> {
        loop {
            match self.next()? {
                Ok(Frame::Event(event)) => return Some(Ok(event)),
                Ok(Frame::Comment(_)) => {}
                Err(err) => return Some(Err(err)),
            }
        }
    }

    /// Ends the input. Pending input is discarded, as the standard requires,
    /// and reported as [`Truncated`]; `Ok` means the stream ended cleanly
    /// after a complete event (or was empty). Drain
    /// [`next`](Iterator::next) before calling this: frames still in the
    /// buffer count as pending.
    ///
    /// The decoder is then ready for a new stream; the last event ID and the
    /// reconnection time are kept, as across a reconnection.
    ///
    /// # Errors
    ///
    /// [`Truncated`] when the input ended inside a line (bytes without a line
    /// end, or the rest of an over-long line being skipped) or inside an event
    /// (a `data`, `event`, `id` or `retry` line not yet followed by a blank
    /// line). The decoder is reset either way.
    pub fn finish(&mut self) -> Result<(), Truncated> {
        let end = self.bytes_received();
        let line_offset = self.base.saturating_add(self.pos as u64);
        let partial_line = self.discarding || self.pos < self.buf.len();
        let unterminated_event = self.block.start.is_some();
        let result = if partial_line || unterminated_event {
            Err(Truncated {
                offset: self.block.start.unwrap_or(line_offset),
                end,
                partial_line,
                unterminated_event,
            })
        } else {
            Ok(())
        };
        let block = std::mem::take(&mut self.block);
        *self = Self::with_config(std::mem::take(&mut self.config));
        self.block.last_event_id = block.last_event_id.clone();
        self.block.id_buffer = block.last_event_id;
        self.block.reconnection_time = block.reconnection_time;
        result
    }

    /// Decodes up to the next frame or error and reports only its kind; the
    /// frame stays in the decoder, to be read with [`current`](Self::current)
    /// or [`current_event`](Self::current_event), until the next call or push.
    ///
    /// This is [`next_ref`](Self::next_ref) in two steps, for a caller that
    /// loops over frames it skips (comments, say) and then returns data
    /// borrowed from the one it keeps: the loop holds no borrow.
    ///
    /// ```
    /// use sse_wire::{FrameKind, SseConfig, SseDecoder};
    ///
    /// fn next_data(decoder: &mut SseDecoder) -> Option<&str> {
    ///     loop {
    ///         match decoder.advance()? {
    ///             Ok(FrameKind::Event) => break,
    ///             Ok(FrameKind::Comment) | Err(_) => {}
    ///         }
    ///     }
    ///     decoder.current_event().map(|event| event.data)
    /// }
    ///
    /// let mut decoder = SseDecoder::with_config(SseConfig::default().with_comments(true));
    /// decoder.push(b": keep-alive\n\ndata: hi\n\n");
    /// assert_eq!(next_data(&mut decoder), Some("hi"));
    /// assert_eq!(next_data(&mut decoder), None);
    /// ```
    pub fn advance(&mut self) -> Option<Result<FrameKind, SseError>> {
        let ready = self.advance_inner();
        self.ready = match ready {
            Some(Ok(kind)) => Some(kind),
            _ => None,
        };
        ready
    }

    fn advance_inner(&mut self) -> Option<Result<FrameKind, SseError>> {
        self.block.release();
        loop {
            let len = self.buf.len();
            if self.pending_cr {
                if self.pos >= len {
                    return None;
                }
                if self.buf.get(self.pos) == Some(&b'\n') {
                    self.pos += 1;
                }
                self.pending_cr = false;
                self.scan = self.scan.max(self.pos);
            }
            if !self.bom_checked {
                let rest = self.buf.get(self.pos..).unwrap_or_default();
                if rest.len() < BOM.len() && BOM.starts_with(rest) {
                    return None;
                }
                if rest.starts_with(BOM) {
                    self.pos += BOM.len();
                    self.scan = self.scan.max(self.pos);
                }
                self.bom_checked = true;
            }
            let hay = self.buf.get(self.scan..).unwrap_or_default();
            let Some(i) = line_end(hay) else {
                self.scan = len;
                return self.partial_line();
            };
            let end = self.scan + i;
            let mut next = end + 1;
            if self.buf.get(end) == Some(&b'\r') {
                match self.buf.get(next) {
                    Some(b'\n') => next += 1,
                    Some(_) => {}
                    None => self.pending_cr = true,
                }
            }
            let start = self.pos;
            self.pos = next;
            self.scan = next;
            if std::mem::take(&mut self.discarding) {
                continue;
            }
            let offset = self.base.saturating_add(start as u64);
            if let Some((at, item)) = self
                .block
                .line(&self.config, &self.buf, (start, end), offset)
            {
                self.last_offset = at;
                return Some(item);
            }
        }
    }

    /// No line end in the buffer: enforce the line limit on the partial line.
    fn partial_line(&mut self) -> Option<Result<FrameKind, SseError>> {
        let len = self.buf.len();
        if self.discarding {
            self.pos = len;
            return None;
        }
        let partial = self.buf.get(self.pos..).unwrap_or_default();
        if partial.len() <= self.config.max_line_bytes {
            return None;
        }
        let (kind, _) = classify_line(partial, false)?;
        let offset = self.base.saturating_add(self.pos as u64);
        self.discarding = true;
        self.pos = len;
        let item = self.block.too_long(&self.config, kind, offset)?;
        self.last_offset = offset;
        Some(item)
    }
}

impl Iterator for SseDecoder {
    type Item = Result<Frame, SseError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_ref().map(|item| item.map(FrameRef::into_owned))
    }
}

/// The shape every decoder of the wire crates has, for generic code and the async adapter
/// `wire_core::DecodeStream`: the verdict is the [`Truncated`] of
/// [`finish`](SseDecoder::finish), as an [`SseError::Truncated`].
impl PushDecoder for SseDecoder {
    type Output = Frame;
    type Error = SseError;

    fn push(&mut self, bytes: &[u8]) {
        Self::push(self, bytes);
    }

    fn finish(&mut self) -> Result<(), SseError> {
        Self::finish(self).map_err(SseError::Truncated)
    }
}

/// Writes events (and comments) in the event-stream format.
///
/// The encoder remembers the last event ID it wrote, so that it writes an
/// `id` line only when the ID changes: decoding its output gives back the
/// same [`Event`]s. Lines end with LF; values are written after `": "`, so a
/// value's own leading space survives.
#[derive(Debug, Clone, Default)]
pub struct SseEncoder {
    last_id: String,
}

impl SseEncoder {
    /// A new encoder (last event ID `""`).
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one event, terminated by a blank line, to `out`.
    ///
    /// `Some("")` as event type is written like `None`.
    ///
    /// # Errors
    ///
    /// Nothing is written on error:
    /// - [`EncodeError::LineBreak`], naming the field, when the event type or
    ///   the id contains CR or LF, or the data contains CR (an LF in the data
    ///   starts a new `data` line);
    /// - [`EncodeError::NulInId`] when the id contains U+0000.
    pub fn encode(&mut self, event: &Event, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let name = event.event.as_deref().unwrap_or("");
        if name.contains(['\r', '\n']) {
            return Err(EncodeError::LineBreak { field: "event" });
        }
        if event.id.contains(['\r', '\n']) {
            return Err(EncodeError::LineBreak { field: "id" });
        }
        if event.id.contains('\0') {
            return Err(EncodeError::NulInId);
        }
        if event.data.contains('\r') {
            return Err(EncodeError::LineBreak { field: "data" });
        }
        if !name.is_empty() {
            write_field(out, "event", name);
        }
        if event.id != self.last_id {
            write_field(out, "id", &event.id);
            self.last_id.clone_from(&event.id);
        }
        if let Some(retry) = event.retry {
            write_field(out, "retry", &retry.to_string());
        }
        for line in event.data.split('\n') {
            write_field(out, "data", line);
        }
        out.push(b'\n');
        Ok(())
    }

    /// Appends a comment line (`:` then `text`) to `out`.
    ///
    /// # Errors
    ///
    /// [`EncodeError::LineBreak`] (field `"comment"`) when `text` contains CR or
    /// LF; nothing is written then.
    pub fn comment(&self, text: &str, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        if text.contains(['\r', '\n']) {
            return Err(EncodeError::LineBreak { field: "comment" });
        }
        out.push(b':');
        out.extend_from_slice(text.as_bytes());
        out.push(b'\n');
        Ok(())
    }
}

fn write_field(out: &mut Vec<u8>, name: &str, value: &str) {
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    out.extend_from_slice(value.as_bytes());
    out.push(b'\n');
}

#[cfg(test)]
mod tests;

/// The README example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
