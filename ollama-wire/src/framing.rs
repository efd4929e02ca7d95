//! NDJSON framing, sans-IO: bytes in (any split), complete lines out.

use bytes::{Bytes, BytesMut};

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
    /// Bytes at the front of `buf` already known to hold no `\n`.
    scanned: usize,
    /// Absolute offset of `buf[0]`.
    base: u64,
    max_line_len: usize,
    /// Skipping the rest of an over-long line until its `\n`.
    discarding: bool,
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
        self.buf.len()
    }

    /// Total bytes pushed so far.
    pub fn position(&self) -> u64 {
        self.base + self.buf.len() as u64
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
        self.buf.extend_from_slice(chunk);
    }

    /// The next complete line, or `None` until more bytes arrive.
    pub fn next_line(&mut self) -> Result<Option<Line>, DecodeError> {
        loop {
            let unscanned = self.buf.get(self.scanned..).unwrap_or_default();
            let Some(pos) = memchr::memchr(b'\n', unscanned) else {
                self.scanned = self.buf.len();
                if self.buf.len() > self.max_line_len.saturating_add(1) {
                    return Err(self.start_discarding());
                }
                return Ok(None);
            };
            let end = self.scanned + pos;
            let offset = self.base;
            let mut line = self.buf.split_to(end + 1).freeze();
            self.base += line.len() as u64;
            self.scanned = 0;
            line.truncate(end);
            if line.last() == Some(&b'\r') {
                line.truncate(end - 1);
            }
            if line.len() > self.max_line_len {
                return Err(DecodeError::LineTooLong {
                    offset,
                    limit: self.max_line_len,
                });
            }
            if is_blank(&line) {
                continue;
            }
            return Ok(Some(Line {
                bytes: line,
                offset,
            }));
        }
    }

    /// Ends the input: returns the last line if it had no terminator.
    ///
    /// Call after [`next_line`](Self::next_line) has returned `None`; the framer is empty
    /// afterwards.
    pub fn finish(&mut self) -> Result<Option<Line>, DecodeError> {
        if let Some(line) = self.next_line()? {
            return Ok(Some(line));
        }
        self.discarding = false;
        let offset = self.base;
        let mut line = self.buf.split().freeze();
        self.base += line.len() as u64;
        self.scanned = 0;
        if line.last() == Some(&b'\r') {
            line.truncate(line.len() - 1);
        }
        if line.len() > self.max_line_len {
            return Err(DecodeError::LineTooLong {
                offset,
                limit: self.max_line_len,
            });
        }
        if is_blank(&line) {
            return Ok(None);
        }
        Ok(Some(Line {
            bytes: line,
            offset,
        }))
    }

    fn start_discarding(&mut self) -> DecodeError {
        let offset = self.base;
        self.base += self.buf.len() as u64;
        self.buf.clear();
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
