//! Chat-completions streams: SSE events in, typed chunks out (sans-IO).
//!
//! Rules:
//! - `data: [DONE]` (compared after trimming ASCII whitespace) ends the
//!   stream; the first event after it is a [`DecodeError::AfterEnd`] item, later
//!   ones are dropped.
//! - A data object with a non-empty `error` key, or an event of type
//!   `error`, is a [`DecodeError::Upstream`] item; decoding goes on.
//! - Data that is not JSON is a [`DecodeError::NotJson`] item carrying the event's
//!   byte offset; it is never skipped silently.
//! - The end of input without `[DONE]`, including an empty 200 body, is
//!   [`DecodeError::Truncated`], reported by [`StreamDecoder::finish`].
//! - The event type is otherwise ignored, and comments are skipped.

use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::chat::{ChatCompletionChunk, ErrorEnvelope, ErrorPayload, probe_error};
use crate::error::{DecodeError, OpenAiError};
use crate::sse::{Advance, EndVerdict, EventRef, SseConfig, SseDecoder, StreamEnd};

/// What a [`StreamDecoder`] yields.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum StreamItem<T> {
    /// One decoded chunk.
    Chunk(T),
    /// `data: [DONE]` was received; nothing follows.
    Done,
}

/// Decodes a `/v1/chat/completions` event stream into [`ChatCompletionChunk`]s.
pub type ChatStreamDecoder = StreamDecoder<ChatCompletionChunk>;

/// Decodes a `text/event-stream` body into chunks of type `T`
/// ([`ChatCompletionChunk`] by default; any `DeserializeOwned` type works,
/// e.g. `serde_json::Value` for `/v1/completions`).
///
/// Same pattern as [`SseDecoder`]: [`push`](Self::push), drain the iterator,
/// [`finish`](Self::finish) at end of input.
///
/// ```
/// use openai_wire::chunks::{StreamDecoder, StreamItem};
///
/// let mut decoder = StreamDecoder::<serde_json::Value>::new();
/// decoder.push(b"data: {\"n\":1}\n\ndata: [DONE]\n\n");
/// let items: Vec<_> = (&mut decoder).map(Result::unwrap).collect();
/// assert_eq!(items, [StreamItem::Chunk(serde_json::json!({"n": 1})), StreamItem::Done]);
/// assert!(decoder.finish().is_ok());
/// ```
#[derive(Debug)]
pub struct StreamDecoder<T = ChatCompletionChunk> {
    sse: SseDecoder,
    /// `[DONE]` seen; data after it reported once.
    end: StreamEnd,
    chunks: u64,
    _chunk: PhantomData<fn() -> T>,
}

impl<T> Default for StreamDecoder<T> {
    fn default() -> Self {
        Self::with_config(SseConfig::default())
    }
}

impl<T> StreamDecoder<T> {
    /// A decoder with the default SSE settings.
    pub fn new() -> Self {
        Self::default()
    }

    /// A decoder with the given SSE settings. Comment surfacing and
    /// dataless dispatch are turned off (they carry no chunks).
    pub fn with_config(config: SseConfig) -> Self {
        let config = config.with_comments(false).with_dispatch_dataless(false);
        Self {
            sse: SseDecoder::with_config(config),
            end: StreamEnd::new(),
            chunks: 0,
            _chunk: PhantomData,
        }
    }

    /// Appends body bytes. Drain the iterator afterwards.
    pub fn push(&mut self, bytes: &[u8]) {
        self.sse.push(bytes);
    }

    /// Whether `data: [DONE]` was seen.
    pub fn is_done(&self) -> bool {
        self.end.is_ended()
    }

    /// Chunks decoded so far.
    pub fn chunks(&self) -> u64 {
        self.chunks
    }

    /// Bytes of input held (see [`SseDecoder::buffered_len`]).
    pub fn buffered_len(&self) -> usize {
        self.sse.buffered_len()
    }

    /// Ends the input: `Ok` after `[DONE]`, else [`DecodeError::Truncated`].
    ///
    /// # Errors
    ///
    /// [`DecodeError::Truncated`] when no `data: [DONE]` event was decoded (also
    /// for an empty body), with the bytes received, the chunks decoded and, in
    /// `sse`, the pending input the SSE layer discarded (see
    /// [`SseDecoder::finish`]). An event still in the buffer counts as
    /// pending: drain the iterator first.
    ///
    /// [`DecodeError::AfterEnd`] when input after `[DONE]` was left unfinished
    /// (a cut line or event) and no data after the end was reported yet: it is
    /// not dropped silently.
    pub fn finish(&mut self) -> Result<(), DecodeError> {
        finish_stream(
            &mut self.sse,
            &mut self.end,
            self.chunks,
            crate::error::DONE_TERMINATOR,
        )
    }
}

impl<T> StreamDecoder<T> {
    /// The next item, decoded into `U` borrowing from the decoder: with a
    /// borrowed chunk type such as
    /// [`ChatCompletionChunkRef`](crate::chat::ChatCompletionChunkRef), text
    /// without JSON escapes is not copied at all. Same items, errors and rules
    /// as the iterator (which is this method with `U = T`).
    ///
    /// The item borrows the decoder, so it must be dropped before the next
    /// call; a `while let` loop does that.
    ///
    /// ```
    /// use openai_wire::chat::ChatCompletionChunkRef;
    /// use openai_wire::chunks::{StreamDecoder, StreamItem};
    ///
    /// let mut decoder: StreamDecoder = StreamDecoder::new();
    /// decoder.push(br#"data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}"#);
    /// decoder.push(b"\n\ndata: [DONE]\n\n");
    /// let mut text = String::new();
    /// while let Some(item) = decoder.next_as::<ChatCompletionChunkRef<'_>>() {
    ///     if let StreamItem::Chunk(chunk) = item? {
    ///         for choice in &chunk.choices {
    ///             text.push_str(choice.delta.content.as_deref().unwrap_or(""));
    ///         }
    ///     }
    /// }
    /// decoder.finish()?;
    /// assert_eq!(text, "Hi");
    /// # Ok::<(), openai_wire::DecodeError>(())
    /// ```
    pub fn next_as<'a, U: Deserialize<'a>>(
        &'a mut self,
    ) -> Option<Result<StreamItem<U>, DecodeError>> {
        let (offset, event) = match next_event(
            &mut self.sse,
            &mut self.end,
            |data| data.trim_ascii() == "[DONE]",
            true,
        )? {
            Ok(Next::Event { offset, event }) => (offset, event),
            Ok(Next::End) => {
                self.end.set_ended();
                return Some(Ok(StreamItem::Done));
            }
            Err(e) => return Some(Err(e)),
        };
        match serde_json::from_str(event.data) {
            Ok(chunk) => {
                self.chunks += 1;
                Some(Ok(StreamItem::Chunk(chunk)))
            }
            Err(source) => Some(Err(DecodeError::json(offset, source))),
        }
    }
}

wire_core::inherent_push_decoder! {
    [T: DeserializeOwned] StreamDecoder<T> => StreamItem<T>, DecodeError;
}

impl<T: DeserializeOwned> Iterator for StreamDecoder<T> {
    type Item = Result<StreamItem<T>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_as::<T>()
    }
}

/// What [`next_event`] found.
pub(crate) enum Next<'a> {
    /// An event to decode, at stream offset `offset`.
    Event {
        /// Stream offset of the event.
        offset: u64,
        /// The event.
        event: EventRef<'a>,
    },
    /// An event whose data is the stream's terminator (`is_end`).
    End,
}

/// Advances `sse` to the next event to decode (see [`StreamEnd::advance`]: data after the end
/// is a [`DecodeError::AfterEnd`] item, once; an SSE error before it is [`DecodeError::Sse`]).
/// Then, unless `is_end` says the data ends the stream, an event of type `error` or (with
/// `probe`; else the caller runs [`upstream_error`] itself) a data object with a truthy `error`
/// key is a [`DecodeError::Upstream`] item. `None` when the input holds no further event.
pub(crate) fn next_event<'a>(
    sse: &'a mut SseDecoder,
    end: &mut StreamEnd,
    is_end: impl FnOnce(&str) -> bool,
    probe: bool,
) -> Option<Result<Next<'a>, DecodeError>> {
    match end.advance(sse)? {
        Advance::Event => {}
        Advance::AfterEnd { offset } => return Some(Err(DecodeError::AfterEnd { offset })),
        Advance::Sse(err) => return Some(Err(DecodeError::Sse(err))),
    }
    let sse = &*sse;
    let offset = sse.last_offset();
    // `Advance::Event`: an event is current.
    let event = sse.current_event()?;
    if is_end(event.data) {
        return Some(Ok(Next::End));
    }
    if event.event == Some("error") {
        return Some(Err(event_error(offset, event)));
    }
    match probe.then(|| upstream_error(offset, event)).flatten() {
        Some(error) => Some(Err(error)),
        None => Some(Ok(Next::Event { offset, event })),
    }
}

/// Ends the input of a stream decoder (see [`StreamEnd::finish`]): `Ok` once the stream ended,
/// else [`DecodeError::Truncated`] with the bytes received, the `chunks` decoded, the
/// `terminator` the stream lacked and the pending input the SSE layer discarded. After the end,
/// input left unfinished (a cut line or event) is [`DecodeError::AfterEnd`], unless data after
/// the end was reported already.
pub(crate) fn finish_stream(
    sse: &mut SseDecoder,
    end: &mut StreamEnd,
    chunks: u64,
    terminator: &'static str,
) -> Result<(), DecodeError> {
    match end.finish(sse) {
        EndVerdict::Ended => Ok(()),
        EndVerdict::AfterEnd { offset } => Err(DecodeError::AfterEnd { offset }),
        EndVerdict::Truncated { offset, sse } => Err(DecodeError::Truncated {
            offset,
            chunks,
            terminator,
            sse,
        }),
    }
}

/// The error item of a data object with a truthy `error` key (or whose `error` value is JSON
/// text but no value), `None` for any other data.
pub(crate) fn upstream_error(offset: u64, event: EventRef<'_>) -> Option<DecodeError> {
    match probe_error(event.data) {
        Err(source) => Some(DecodeError::json(offset, source)),
        Ok(Some(payload)) => {
            let error = OpenAiError {
                status: None,
                offset: Some(offset),
                event: event.event.map(str::to_owned),
                payload,
                body: event.data.to_owned(),
            };
            Some(DecodeError::Upstream(Box::new(error)))
        }
        Ok(None) => None,
    }
}

/// An `event: error` event: its data may be an envelope, a bare error
/// object, or text.
pub(crate) fn event_error(offset: u64, event: EventRef<'_>) -> DecodeError {
    let payload = serde_json::from_str::<ErrorEnvelope>(event.data)
        .map(|e| e.error)
        .or_else(|_| serde_json::from_str::<ErrorPayload>(event.data))
        .ok();
    DecodeError::Upstream(Box::new(OpenAiError {
        status: None,
        offset: Some(offset),
        event: event.event.map(str::to_owned),
        payload,
        body: event.data.to_owned(),
    }))
}
