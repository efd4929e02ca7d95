//! [`StreamEnd`]: the end rules every event-stream wire with a terminal event shares.

use crate::{FrameKind, SseDecoder, SseError, Truncated};

/// Where an event stream closed by a terminal event stands (OpenAI's `data: [DONE]`, a
/// `/v1/responses` terminal event, Anthropic's `message_stop`), and the two rules that follow
/// from it, the same on every such wire:
///
/// - **data after the end**: the first event or SSE error after the terminal event is reported
///   once ([`Advance::AfterEnd`]); later ones are dropped;
/// - **a cut stream**: input that ends before the terminal event is
///   [`EndVerdict::Truncated`], never a silent success.
///
/// The wire decoders hold one beside their [`SseDecoder`], call [`set_ended`](Self::set_ended)
/// when they decode the terminal event, pull events with [`advance`](Self::advance) and end
/// with [`finish`](Self::finish).
///
/// ```
/// use sse_wire::{Advance, EndVerdict, SseDecoder, StreamEnd};
///
/// let mut sse = SseDecoder::new();
/// let mut end = StreamEnd::new();
/// sse.push(b"data: {}\n\ndata: [DONE]\n\ndata: late\n\ndata: later\n\n");
/// let mut seen = Vec::new();
/// while let Some(step) = end.advance(&mut sse) {
///     match step {
///         Advance::Event => {
///             let data = sse.current_event().map(|e| e.data.to_owned()).unwrap_or_default();
///             if data == "[DONE]" {
///                 end.set_ended();
///             }
///             seen.push(data);
///         }
///         Advance::AfterEnd { offset } => seen.push(format!("after the end at byte {offset}")),
///         other => panic!("{other:?}"),
///     }
/// }
/// // `data: later` is dropped: data after the end is reported once.
/// assert_eq!(seen, ["{}", "[DONE]", "after the end at byte 24"]);
/// assert_eq!(end.finish(&mut sse), EndVerdict::Ended);
///
/// // Without the terminal event, the end is a cut.
/// let mut sse = SseDecoder::new();
/// let mut end = StreamEnd::new();
/// sse.push(b"data: {}\n\n");
/// while end.advance(&mut sse).is_some() {}
/// assert_eq!(end.finish(&mut sse), EndVerdict::Truncated { offset: 10, sse: None });
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StreamEnd {
    ended: bool,
    after_end_reported: bool,
}

/// What [`StreamEnd::advance`] found next (a closed set: callers match every case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Advance {
    /// An event to decode: [`SseDecoder::current_event`] holds it and
    /// [`SseDecoder::last_offset`] is where it starts.
    Event,
    /// The first event or SSE error after the terminal event, at `offset` (reported once; the
    /// ones after it are dropped).
    AfterEnd {
        /// Where the event (or the SSE error) starts.
        offset: u64,
    },
    /// An SSE error (a limit) before the terminal event; decoding goes on after it.
    Sse(SseError),
}

/// The end-of-input verdict of [`StreamEnd::finish`] (a closed set: callers match every case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndVerdict {
    /// The terminal event came, and nothing after it was left unfinished (or data after the
    /// end was reported already).
    Ended,
    /// The terminal event came, then input that never made an event (a cut line or event)
    /// starting at `offset`, and no data after the end was reported yet.
    AfterEnd {
        /// Where the unfinished input starts.
        offset: u64,
    },
    /// The input ended before the terminal event (an empty body too).
    Truncated {
        /// Total bytes received.
        offset: u64,
        /// The pending input the SSE layer discarded, if any.
        sse: Option<Truncated>,
    },
}

impl StreamEnd {
    /// Before the terminal event.
    pub const fn new() -> Self {
        Self {
            ended: false,
            after_end_reported: false,
        }
    }

    /// Whether the terminal event was decoded.
    pub fn is_ended(&self) -> bool {
        self.ended
    }

    /// The terminal event was decoded: from now on every event is data after the end.
    pub fn set_ended(&mut self) {
        self.ended = true;
    }

    /// Advances `sse` to the next event to decode, skipping comments; after the end, reports
    /// the first event or SSE error once as [`Advance::AfterEnd`] and drops the rest. `None`
    /// when the input holds no further event.
    #[inline]
    pub fn advance(&mut self, sse: &mut SseDecoder) -> Option<Advance> {
        loop {
            let offset = match sse.advance()? {
                Ok(FrameKind::Event) if !self.ended => return Some(Advance::Event),
                Ok(FrameKind::Event) => sse.last_offset(),
                Ok(FrameKind::Comment) => continue,
                Err(err) if self.ended => err.offset(),
                Err(err) => return Some(Advance::Sse(err)),
            };
            if let Some(offset) = self.report_after_end(offset) {
                return Some(Advance::AfterEnd { offset });
            }
        }
    }

    /// Ends the input of `sse` (see [`SseDecoder::finish`]) and says how the stream ended.
    pub fn finish(&mut self, sse: &mut SseDecoder) -> EndVerdict {
        let received = sse.bytes_received();
        match sse.finish() {
            Err(rest) if self.ended => match self.report_after_end(rest.offset) {
                Some(offset) => EndVerdict::AfterEnd { offset },
                None => EndVerdict::Ended,
            },
            _ if self.ended => EndVerdict::Ended,
            result => EndVerdict::Truncated {
                offset: received,
                sse: result.err(),
            },
        }
    }

    /// `offset` the first time data after the end is seen, `None` after that.
    fn report_after_end(&mut self, offset: u64) -> Option<u64> {
        if self.after_end_reported {
            return None;
        }
        self.after_end_reported = true;
        Some(offset)
    }
}
