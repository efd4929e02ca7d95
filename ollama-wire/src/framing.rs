//! NDJSON framing, sans-IO: bytes in (any split), complete lines out.

use bytes::{Buf, Bytes, BytesMut};

use crate::error::DecodeError;

/// Default maximum line length: 16 MiB, twice the 8 MB line limit of Ollama's own Go client,
/// so every line Ollama's client accepts is accepted here.
pub const DEFAULT_MAX_LINE_LEN: usize = 16 * 1024 * 1024;

/// One complete line, without its `\n` or `\r\n` terminator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The line's bytes (a zero-copy slice of the input buffer).
    pub bytes: Bytes,
    /// Byte offset of the line's first byte in the whole input.
    pub offset: u64,
}

/// Splits a byte stream into lines.
///
/// - `\n` and `\r\n` both end a line; a lone `\r` is part of the line.
/// - Blank lines (empty, or only spaces, tabs and `\r`) are skipped.
/// - A last line without a terminator is returned by [`finish`](Self::finish).
/// - A line longer than the limit is dropped and reported once as
///   [`DecodeError::LineTooLong`]; framing resumes after its terminator. While such a line is being
///   skipped nothing is buffered, so memory stays within the limit plus one pushed chunk as long
///   as the caller drains [`next_line`](Self::next_line) after each [`push`](Self::push).
///
/// Complete lines are split off the front of the buffer without copying; the unconsumed rest is
/// never moved per line, and the scan for `\n` resumes where it stopped.
///
/// ```
/// use ollama_wire::framing::LineFramer;
///
/// let mut framer = LineFramer::new();
/// framer.push(b"{\"a\":1}\r\n\n{\"b\"");
/// assert_eq!(&framer.next_line()?.unwrap().bytes[..], b"{\"a\":1}");
/// assert!(framer.next_line()?.is_none()); // `{"b"` waits for more bytes
/// framer.push(b":2}");
/// assert!(framer.next_line()?.is_none());
/// let last = framer.finish()?.unwrap(); // end of input: the unterminated line
/// assert_eq!((&last.bytes[..], last.offset), (&b"{\"b\":2}"[..], 10));
/// # Ok::<(), ollama_wire::DecodeError>(())
/// ```
#[derive(Debug)]
pub struct LineFramer {
    buf: BytesMut,
    /// Bytes at the front of `buf` already handed out as borrowed lines; dropped (an O(1)
    /// pointer bump) before the next push or owned line.
    consumed: usize,
    /// Bytes at the front of `buf` already known to hold no `\n` (at least `consumed`).
    scanned: usize,
    /// Absolute offset of `buf[0]`.
    base: u64,
    max_line_len: usize,
    /// Skipping the rest of an over-long line until its `\n`.
    discarding: bool,
}

/// A complete line inside the framer's buffer: `buf[start..end]`, at stream offset `offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) offset: u64,
}

impl Default for LineFramer {
    fn default() -> Self {
        Self::new()
    }
}

impl LineFramer {
    /// A framer with the [default line limit](DEFAULT_MAX_LINE_LEN).
    pub fn new() -> Self {
        Self::with_max_line_len(DEFAULT_MAX_LINE_LEN)
    }

    /// A framer that rejects lines longer than `max_line_len` bytes (terminator excluded).
    pub fn with_max_line_len(max_line_len: usize) -> Self {
        Self {
            buf: BytesMut::new(),
            consumed: 0,
            scanned: 0,
            base: 0,
            max_line_len,
            discarding: false,
        }
    }

    /// The line limit in bytes.
    pub fn max_line_len(&self) -> usize {
        self.max_line_len
    }

    /// Bytes buffered and not yet returned as lines.
    pub fn buffered_len(&self) -> usize {
        self.buf.len() - self.consumed
    }

    /// Total bytes pushed so far.
    pub fn position(&self) -> u64 {
        self.base + self.buf.len() as u64
    }

    /// Drops the lines handed out borrowed (no bytes move; nothing happens when there are none).
    fn drop_consumed(&mut self) {
        self.buf.advance(self.consumed);
        self.base += self.consumed as u64;
        self.scanned -= self.consumed;
        self.consumed = 0;
    }

    /// Appends input bytes.
    pub fn push(&mut self, mut chunk: &[u8]) {
        if self.discarding {
            match memchr::memchr(b'\n', chunk) {
                None => {
                    self.base += chunk.len() as u64;
                    return;
                }
                Some(i) => {
                    let (dropped, rest) = chunk.split_at(i + 1);
                    self.base += dropped.len() as u64;
                    chunk = rest;
                    self.discarding = false;
                }
            }
        }
        self.drop_consumed();
        self.buf.extend_from_slice(chunk);
    }

    /// The next complete line, or `None` until more bytes arrive.
    ///
    /// # Errors
    ///
    /// [`DecodeError::LineTooLong`] when the next line (its `\r\n` or `\n` excluded) is longer
    /// than the limit, or when a line still without its `\n` has grown past the limit (plus one
    /// byte for a `\r`); the line is dropped and framing goes on after its terminator.
    pub fn next_line(&mut self) -> Result<Option<Line>, DecodeError> {
        let span = self.next_span()?;
        Ok(span.map(|span| self.take(span)))
    }

    /// Turns a span just returned into an owned [`Line`] (zero-copy: a slice of the buffer).
    fn take(&mut self, span: Span) -> Line {
        let consumed = self.consumed;
        let taken = self.buf.split_to(consumed).freeze();
        self.base += consumed as u64;
        self.scanned -= consumed;
        self.consumed = 0;
        Line {
            bytes: taken.slice(span.start..span.end),
            offset: span.offset,
        }
    }

    /// The bytes of a span just returned by [`next_span`](Self::next_span) or
    /// [`finish_span`](Self::finish_span).
    pub(crate) fn bytes(&self, span: Span) -> &[u8] {
        self.buf.get(span.start..span.end).unwrap_or_default()
    }

    /// The next complete line, borrowed: read it with [`bytes`](Self::bytes) before the next
    /// call.
    pub(crate) fn next_span(&mut self) -> Result<Option<Span>, DecodeError> {
        if self.scanned == self.buf.len() {
            // Nothing new since the last scan (the usual call after a push's last line); the
            // limit was checked when these bytes were scanned.
            return Ok(None);
        }
        loop {
            let unscanned = self.buf.get(self.scanned..).unwrap_or_default();
            let Some(pos) = memchr::memchr(b'\n', unscanned) else {
                self.scanned = self.buf.len();
                if self.buffered_len() > self.max_line_len.saturating_add(1) {
                    return Err(self.start_discarding());
                }
                return Ok(None);
            };
            let start = self.consumed;
            let newline = self.scanned + pos;
            self.consumed = newline + 1;
            self.scanned = newline + 1;
            if let Some(span) = self.complete(start, newline)? {
                return Ok(Some(span));
            }
        }
    }

    /// Checks the line `buf[start..end]` (terminator excluded): a `\r` before the end is
    /// dropped, an over-long line is an error, a blank line is skipped (`None`).
    fn complete(&self, start: usize, mut end: usize) -> Result<Option<Span>, DecodeError> {
        let offset = self.base + start as u64;
        if end > start && self.buf.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        if end - start > self.max_line_len {
            return Err(DecodeError::LineTooLong {
                offset,
                limit: self.max_line_len,
            });
        }
        let span = Span { start, end, offset };
        if is_blank(self.bytes(span)) {
            return Ok(None);
        }
        Ok(Some(span))
    }

    /// Ends the input: returns the last line if it had no terminator.
    ///
    /// Call after [`next_line`](Self::next_line) has returned `None`: the framer is then empty
    /// afterwards (called with complete lines still held, it returns the next of them and
    /// keeps the rest).
    ///
    /// # Errors
    ///
    /// [`DecodeError::LineTooLong`] when the unterminated last line (a trailing `\r` excluded) is
    /// longer than the limit, or, when called with lines left, as
    /// [`next_line`](Self::next_line) for the next one.
    pub fn finish(&mut self) -> Result<Option<Line>, DecodeError> {
        let span = self.finish_span()?;
        Ok(span.map(|span| self.take(span)))
    }

    /// [`finish`](Self::finish), borrowed.
    pub(crate) fn finish_span(&mut self) -> Result<Option<Span>, DecodeError> {
        if let Some(span) = self.next_span()? {
            return Ok(Some(span));
        }
        self.discarding = false;
        let start = self.consumed;
        let end = self.buf.len();
        self.consumed = end;
        self.scanned = end;
        self.complete(start, end)
    }

    /// The lines still to be returned, without consuming them: complete lines not yet taken and
    /// the unterminated last line, blank lines skipped. Lines over the limit are left out: they
    /// are errors, never chunks.
    pub(crate) fn remaining(&self) -> impl Iterator<Item = &[u8]> {
        let rest = self.buf.get(self.consumed..).unwrap_or_default();
        let max = self.max_line_len;
        // While an over-long line is being skipped the buffer is empty (see `push`).
        rest.split(|b| *b == b'\n')
            .map(|line| line.strip_suffix(b"\r").unwrap_or(line))
            .filter(move |line| line.len() <= max && !is_blank(line))
    }

    fn start_discarding(&mut self) -> DecodeError {
        let offset = self.base + self.consumed as u64;
        self.base += self.buf.len() as u64;
        self.buf.clear();
        self.consumed = 0;
        self.scanned = 0;
        self.discarding = true;
        DecodeError::LineTooLong {
            offset,
            limit: self.max_line_len,
        }
    }
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(framer: &mut LineFramer) -> (Vec<u8>, u64) {
        let line = framer.next_line().unwrap().unwrap();
        (line.bytes.to_vec(), line.offset)
    }

    #[test]
    fn borrowed_lines_are_dropped_from_the_buffer_at_the_next_push() {
        let mut framer = LineFramer::new();
        framer.push(b"one\ntwo\nthr");
        let first = framer.next_span().unwrap().unwrap();
        assert_eq!((framer.bytes(first), first.offset), (&b"one"[..], 0));
        let second = framer.next_span().unwrap().unwrap();
        assert_eq!((framer.bytes(second), second.offset), (&b"two"[..], 4));
        assert_eq!(framer.next_span().unwrap(), None);
        framer.push(b"ee\n");
        // The two lines handed out are gone; only "three\n" is held, from offset 8.
        assert_eq!(&framer.buf[..], b"three\n");
        assert_eq!((framer.consumed, framer.scanned, framer.base), (0, 3, 8));
        let third = framer.next_span().unwrap().unwrap();
        assert_eq!((framer.bytes(third), third.offset), (&b"three"[..], 8));
        assert_eq!(framer.position(), 14);
    }

    #[test]
    fn a_line_of_exactly_the_limit_is_accepted() {
        let mut framer = LineFramer::with_max_line_len(4);
        framer.push(b"abcd\nabcde\nwxyz");
        assert_eq!(line(&mut framer), (b"abcd".to_vec(), 0));
        assert!(matches!(
            framer.next_line(),
            Err(DecodeError::LineTooLong {
                offset: 5,
                limit: 4
            })
        ));
        assert_eq!(framer.next_line().unwrap(), None);
        let last = framer.finish().unwrap().unwrap();
        assert_eq!((&last.bytes[..], last.offset), (&b"wxyz"[..], 11));
    }

    #[test]
    fn a_partial_line_at_the_limit_with_its_cr_waits_for_the_lf() {
        let mut framer = LineFramer::with_max_line_len(4);
        framer.push(b"abcd\r");
        assert_eq!(framer.next_line().unwrap(), None);
        framer.push(b"\n");
        assert_eq!(line(&mut framer), (b"abcd".to_vec(), 0));
    }

    #[test]
    fn skipping_an_over_long_line_keeps_offsets_and_holds_nothing() {
        let mut framer = LineFramer::with_max_line_len(4);
        framer.push(b"ab\nabcdefgh");
        assert_eq!(line(&mut framer), (b"ab".to_vec(), 0));
        assert!(matches!(
            framer.next_line(),
            Err(DecodeError::LineTooLong {
                offset: 3,
                limit: 4
            })
        ));
        assert_eq!(framer.buffered_len(), 0);
        assert_eq!(framer.position(), 11);
        framer.push(b"ij");
        assert_eq!((framer.buffered_len(), framer.position()), (0, 13));
        // The skipped line's LF is dropped with it: only "xy" is held afterwards.
        framer.push(b"k\nxy");
        assert_eq!((framer.buffered_len(), framer.position()), (2, 17));
        framer.push(b"\n");
        assert_eq!(line(&mut framer), (b"xy".to_vec(), 15));
    }

    #[test]
    fn an_over_long_line_after_borrowed_lines_is_reported_at_its_own_offset() {
        let mut framer = LineFramer::with_max_line_len(4);
        framer.push(b"ab\ncd\nabcdefgh");
        let first = framer.next_span().unwrap().unwrap();
        assert_eq!(first.offset, 0);
        let second = framer.next_span().unwrap().unwrap();
        assert_eq!(second.offset, 3);
        // Two lines are still held borrowed (consumed, not yet dropped) when the long one is found.
        assert!(matches!(
            framer.next_span(),
            Err(DecodeError::LineTooLong {
                offset: 6,
                limit: 4
            })
        ));
        framer.push(b"\nok\n");
        let last = framer.next_span().unwrap().unwrap();
        assert_eq!((framer.bytes(last), last.offset), (&b"ok"[..], 15));
    }
}
