//! Typed stream decoders for `/api/chat` and `/api/generate`, sans-IO.

use std::fmt;
use std::marker::PhantomData;

use crate::error::DecodeError;
use crate::framing::{LineFramer, Span};
use crate::types::error_body::{error_line, looks_like_error};
use crate::types::{ChatResponse, ChatResponseRef, GenerateResponse, ProgressResponse};

/// A type that is one line of a native NDJSON stream.
pub trait StreamChunk: Sized {
    /// Decodes one JSON object.
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when `json` is not JSON or not an object of this type;
    /// [`StreamDecoder`] reports it as [`DecodeError::Malformed`], unless the line is an error
    /// line ([`DecodeError::Upstream`]).
    fn from_json(json: &[u8]) -> Result<Self, serde_json::Error>;
    /// Whether this is the last chunk (`"done": true`).
    fn is_done(&self) -> bool;
}

impl StreamChunk for ChatResponse {
    fn from_json(json: &[u8]) -> Result<Self, serde_json::Error> {
        Self::from_slice(json)
    }
    fn is_done(&self) -> bool {
        self.done
    }
}

impl StreamChunk for GenerateResponse {
    fn from_json(json: &[u8]) -> Result<Self, serde_json::Error> {
        Self::from_slice(json)
    }
    fn is_done(&self) -> bool {
        self.done
    }
}

impl StreamChunk for ProgressResponse {
    fn from_json(json: &[u8]) -> Result<Self, serde_json::Error> {
        crate::types::parse_json(json)
    }
    /// The stream's last line says `"status":"success"`.
    fn is_done(&self) -> bool {
        self.is_success()
    }
}

/// A type that is one line of a native NDJSON stream and may borrow from it: what
/// [`StreamDecoder::next_as`] decodes into. Every [`StreamChunk`] is one, and so is
/// [`ChatResponseRef`].
pub trait StreamChunkRef<'a>: Sized {
    /// Decodes one JSON object.
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when `json` is not JSON or not an object of this type;
    /// [`StreamDecoder::next_as`] reports it as [`DecodeError::Malformed`], unless the line is an
    /// error line ([`DecodeError::Upstream`]).
    fn from_json(json: &'a [u8]) -> Result<Self, serde_json::Error>;
    /// Whether this is the last chunk (`"done": true`).
    fn is_done(&self) -> bool;
}

impl<T: StreamChunk> StreamChunkRef<'_> for T {
    fn from_json(json: &[u8]) -> Result<Self, serde_json::Error> {
        <T as StreamChunk>::from_json(json)
    }
    fn is_done(&self) -> bool {
        <T as StreamChunk>::is_done(self)
    }
}

impl<'a> StreamChunkRef<'a> for ChatResponseRef<'a> {
    #[inline(always)]
    fn from_json(json: &'a [u8]) -> Result<Self, serde_json::Error> {
        Self::from_slice(json)
    }
    fn is_done(&self) -> bool {
        self.done
    }
}

/// Decodes an `/api/chat` NDJSON stream into [`ChatResponse`] chunks.
pub type ChatStreamDecoder = StreamDecoder<ChatResponse>;
/// Decodes an `/api/generate` NDJSON stream into [`GenerateResponse`] chunks.
pub type GenerateStreamDecoder = StreamDecoder<GenerateResponse>;
/// Decodes the progress stream of `/api/create`, `/api/pull` or `/api/push`.
pub type ProgressStreamDecoder = StreamDecoder<ProgressResponse>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Waiting for chunks.
    Open,
    /// A terminal line (done or error) was seen; only blank input may follow.
    Ended,
    /// Everything has been reported.
    Closed,
}

/// A push/pull decoder for a native NDJSON stream.
///
/// The same pull shape as every decoder of this project: push bytes as they arrive, in any
/// split, with [`push`](Self::push); pull items from the [`Iterator`] until it returns `None`; at
/// end of input call [`finish`](Self::finish) for the verdict, and pull once more: a last line
/// without its newline (a non-stream reply is one) is decoded then.
///
/// The outcome of every line is reported, nothing is skipped silently:
/// - a chunk → `Some(Ok(chunk))`;
/// - an `{"error": …}` line → `Some(Err(DecodeError::Upstream))`, and the stream is over;
/// - a line that is not JSON, or not a chunk → `Some(Err(DecodeError::Malformed))` with its
///   offset; decoding continues with the next line;
/// - a line over the limit → `Some(Err(DecodeError::LineTooLong))`; decoding continues;
/// - data after the `done` chunk or an error line → `Some(Err(DecodeError::AfterEnd))`;
/// - end of input before a `"done": true` chunk (and without an error line) → `finish()` returns
///   `Err(DecodeError::Truncated)`.
///
/// ```
/// use ollama_wire::{ChatStreamDecoder, DecodeError};
///
/// let body = br#"{"model":"m","created_at":"2026-01-10T16:55:30.9Z","message":{"role":"assistant","content":"Hel"},"done":false}
/// {"model":"m","created_at":"2026-01-10T16:55:31Z","message":{"role":"assistant","content":"lo"},"done":true,"done_reason":"stop"}
/// "#;
/// let mut decoder = ChatStreamDecoder::new();
/// let mut text = String::new();
/// for piece in body.chunks(7) {          // any split of the bytes
///     decoder.push(piece);
///     for chunk in &mut decoder {
///         text.push_str(&chunk?.message.content);
///     }
/// }
/// decoder.finish()?;                     // Err(Truncated) if the done chunk never came
/// assert!(decoder.next().is_none());
/// assert_eq!(text, "Hello");
/// # Ok::<(), DecodeError>(())
/// ```
pub struct StreamDecoder<T> {
    framer: LineFramer,
    state: State,
    input_ended: bool,
    /// A `done` chunk or an error line was decoded.
    terminated: bool,
    chunks: u64,
    _chunk: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for StreamDecoder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamDecoder")
            .field("framer", &self.framer)
            .field("state", &self.state)
            .field("input_ended", &self.input_ended)
            .field("terminated", &self.terminated)
            .field("chunks", &self.chunks)
            .finish()
    }
}

impl<T: StreamChunk> Default for StreamDecoder<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: StreamChunk> StreamDecoder<T> {
    /// A decoder with the default line limit.
    pub fn new() -> Self {
        Self::with_framer(LineFramer::new())
    }

    /// A decoder rejecting lines longer than `max_line_len` bytes.
    pub fn with_max_line_len(max_line_len: usize) -> Self {
        Self::with_framer(LineFramer::with_max_line_len(max_line_len))
    }

    fn with_framer(framer: LineFramer) -> Self {
        Self {
            framer,
            state: State::Open,
            input_ended: false,
            terminated: false,
            chunks: 0,
            _chunk: PhantomData,
        }
    }

    /// Appends input bytes.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.state != State::Closed {
            self.framer.push(bytes);
        }
    }

    /// Ends the input and returns the verdict: `Ok` when the stream reached its end (a
    /// `"done": true` chunk or an error line, the latter reported as an item), else
    /// [`DecodeError::Truncated`] with the byte count and the chunks decoded.
    ///
    /// Pull the iterator afterwards: a last line without its newline is decoded then (the
    /// verdict already counts it). Calling `finish` again gives the same verdict.
    ///
    /// # Errors
    ///
    /// [`DecodeError::Truncated`] when the input ended before the stream did.
    pub fn finish(&mut self) -> Result<(), DecodeError> {
        self.input_ended = true;
        if self.terminated {
            return Ok(());
        }
        // Judge the lines not pulled yet by decoding them as `next` will (on scratch state:
        // they are decoded for real when pulled).
        let mut chunks = self.chunks;
        if self.state == State::Open {
            let mut state = State::Open;
            for line in self.framer.remaining() {
                let _ = decode_bytes::<T>(line, 0, &mut state, &mut chunks);
                if state == State::Ended {
                    return Ok(());
                }
            }
        }
        Err(DecodeError::Truncated {
            offset: self.framer.position(),
            chunks,
        })
    }

    /// Stops decoding without a verdict, for when the input itself failed (a transport error):
    /// buffered bytes are dropped and [`next`](Self::next) returns `None` from now on.
    pub fn abandon(&mut self) {
        self.state = State::Closed;
        self.framer = LineFramer::with_max_line_len(self.framer.max_line_len());
    }

    /// Chunks decoded so far.
    pub fn chunks(&self) -> u64 {
        self.chunks
    }

    /// Whether the stream reached its end (`done: true`, an error line, or end of input) and
    /// everything has been reported.
    pub fn is_finished(&self) -> bool {
        self.state == State::Closed
    }

    /// Whether a `"done": true` chunk or an error line has been seen.
    pub fn is_terminated(&self) -> bool {
        self.terminated
    }

    /// The next chunk decoded into `U`, which may borrow from the decoder's buffer: with
    /// [`ChatResponseRef`], text without JSON escapes is not copied. Same items, errors and rules
    /// as [`next`](Self::next) (which is this method with `U = T`); the lines are not copied
    /// out of the input buffer either way.
    ///
    /// The chunk borrows the decoder, so it must be dropped before the next call; a `while let`
    /// loop does that. See [`ChatResponseRef`] for an example.
    pub fn next_as<'a, U: StreamChunkRef<'a>>(&'a mut self) -> Option<Result<U, DecodeError>> {
        if self.state == State::Closed {
            return None;
        }
        let span = match self.framer.next_span() {
            Ok(Some(span)) => span,
            Ok(None) if self.input_ended => match self.framer.finish_span() {
                Ok(Some(span)) => span,
                Ok(None) => {
                    // The verdict is `finish`'s to give.
                    self.state = State::Closed;
                    return None;
                }
                Err(e) => return Some(Err(self.framing_error(e))),
            },
            Ok(None) => return None,
            Err(e) => return Some(Err(self.framing_error(e))),
        };
        if self.state != State::Open {
            self.state = State::Closed;
            return Some(Err(DecodeError::AfterEnd {
                offset: span.offset,
            }));
        }
        let item = decode_line(&self.framer, span, &mut self.state, &mut self.chunks);
        self.terminated |= self.state == State::Ended;
        Some(item)
    }

    /// A framing error (an over-long line) is reported as such while the stream is open; after
    /// the terminal line it is data after the end, reported once like any other.
    fn framing_error(&mut self, error: DecodeError) -> DecodeError {
        if self.state == State::Open {
            return error;
        }
        self.state = State::Closed;
        DecodeError::AfterEnd {
            offset: error.offset(),
        }
    }
}

/// The shape every decoder of the wire crates has (for generic code and the async adapter);
/// the trait's methods are the inherent ones.
impl<T: StreamChunk> wire_core::PushDecoder for StreamDecoder<T> {
    type Output = T;
    type Error = DecodeError;

    fn push(&mut self, bytes: &[u8]) {
        Self::push(self, bytes);
    }

    fn finish(&mut self) -> Result<(), DecodeError> {
        Self::finish(self)
    }

    fn abandon(&mut self) {
        Self::abandon(self);
    }
}

impl<T: StreamChunk> Iterator for StreamDecoder<T> {
    type Item = Result<T, DecodeError>;

    /// The next chunk or error; `None` when more input is needed or the stream is finished.
    fn next(&mut self) -> Option<Self::Item> {
        self.next_as::<T>()
    }
}

/// Decodes one line of an open stream (a borrow of the framer, so that the chunk may borrow it).
#[inline(always)]
fn decode_line<'a, U: StreamChunkRef<'a>>(
    framer: &'a LineFramer,
    span: Span,
    state: &mut State,
    chunks: &mut u64,
) -> Result<U, DecodeError> {
    decode_bytes(framer.bytes(span), span.offset, state, chunks)
}

/// Decodes one line at stream offset `offset`: an error line ends the stream, a chunk counts
/// (and ends it when `done`), anything else is malformed.
#[inline(always)]
fn decode_bytes<'a, U: StreamChunkRef<'a>>(
    bytes: &'a [u8],
    offset: u64,
    state: &mut State,
    chunks: &mut u64,
) -> Result<U, DecodeError> {
    if looks_like_error(bytes) {
        if let Some(error) = error_line(bytes) {
            *state = State::Ended;
            return Err(DecodeError::Upstream { offset, error });
        }
    }
    match U::from_json(bytes) {
        Ok(chunk) => {
            *chunks += 1;
            if chunk.is_done() {
                *state = State::Ended;
            }
            Ok(chunk)
        }
        Err(source) => match error_line(bytes) {
            Some(error) => {
                *state = State::Ended;
                Err(DecodeError::Upstream { offset, error })
            }
            None => Err(DecodeError::Malformed { offset, source }),
        },
    }
}
