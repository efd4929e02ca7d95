//! A reader of the hot `….delta` event data without serde: one pass over a JSON object of the
//! delta shape, for the stream decoder.
//!
//! It accepts a strict subset of what serde_json accepts for [`ResponseDeltaEventRef`] and
//! gives exactly serde_json's value for it: an object of the delta keys only, each once, with
//! the values serde_json takes for them (strings with valid escapes, unsigned integers without
//! sign, fraction, exponent or leading zero that fit their type, `null` for the optional keys,
//! `[]` for `logprobs`), a `type` string without escapes, then nothing but whitespace. Anything
//! else (an unknown key, a duplicate, a lone surrogate, a number out of range, non-empty
//! `logprobs`, any error) is `None`, and the caller decodes the data with serde_json, which
//! gives the value or the error it always gave.

use std::borrow::Cow;

use super::borrowed::ResponseDeltaEventRef;

/// The data of a delta event, or `None` outside the subset (see the module docs).
pub(super) fn delta(data: &str) -> Option<ResponseDeltaEventRef<'_>> {
    let mut r = Reader {
        text: data,
        bytes: data.as_bytes(),
        at: 0,
    };
    let mut out = ResponseDeltaEventRef::default();
    let mut seen = 0u16;
    r.ws();
    r.eat(b'{')?;
    r.ws();
    if r.peek() == Some(b'}') {
        r.at += 1;
        return r.end().then_some(out);
    }
    loop {
        let key = r.key()?;
        r.ws();
        r.eat(b':')?;
        r.ws();
        let bit = match key {
            "content_index" => {
                out.content_index = r.opt_uint(u32::MAX.into())?.map(|n| n as u32);
                1
            }
            "delta" => {
                out.delta = r.string()?;
                2
            }
            "item_id" => {
                out.item_id = r.string()?;
                4
            }
            "logprobs" => {
                out.logprobs = r.empty_array_or_null()?;
                8
            }
            "obfuscation" => {
                out.obfuscation = if r.null() { None } else { Some(r.string()?) };
                16
            }
            "output_index" => {
                out.output_index = r.uint(u32::MAX.into())? as u32;
                32
            }
            "sequence_number" => {
                out.sequence_number = r.uint(u64::MAX)?;
                64
            }
            "summary_index" => {
                out.summary_index = r.opt_uint(u32::MAX.into())?.map(|n| n as u32);
                128
            }
            // Not a field: serde ignores its value (any JSON); only a plain string here.
            "type" => {
                r.plain_string()?;
                256
            }
            _ => return None,
        };
        if seen & bit != 0 {
            return None;
        }
        seen |= bit;
        r.ws();
        match r.peek()? {
            b',' => {
                r.at += 1;
                r.ws();
            }
            b'}' => {
                r.at += 1;
                return r.end().then_some(out);
            }
            _ => return None,
        }
    }
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// JSON whitespace.
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.at += 1;
        }
    }

    /// Whether only whitespace is left.
    fn end(&mut self) -> bool {
        self.ws();
        self.at == self.bytes.len()
    }

    /// `null`, consumed.
    fn null(&mut self) -> bool {
        let null = self.bytes.get(self.at..self.at + 4) == Some(b"null");
        if null {
            self.at += 4;
        }
        null
    }

    /// The position of the first byte at or after `from` that a string cannot hold as it is
    /// (a quote, a backslash or a control character).
    fn stop(&self, from: usize) -> Option<(usize, u8)> {
        let rest = self.bytes.get(from..)?;
        // Tokens and keys are short: a plain loop beats a vector search's setup.
        rest.iter()
            .enumerate()
            .find(|&(_, &b)| b < 0x20 || b == b'"' || b == b'\\')
            .map(|(n, &b)| (from + n, b))
    }

    /// A string without escapes or control characters: its text.
    fn plain_string(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let start = self.at;
        let (end, byte) = self.stop(start)?;
        if byte != b'"' {
            return None;
        }
        self.at = end + 1;
        self.text.get(start..end)
    }

    /// A key: a plain string.
    fn key(&mut self) -> Option<&'a str> {
        self.plain_string()
    }

    /// A string: borrowed without escapes, unescaped into an owned one with them.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.eat(b'"')?;
        let start = self.at;
        let mut owned = String::new();
        let mut from = start;
        loop {
            let (stop, byte) = self.stop(self.at)?;
            if byte < 0x20 {
                return None;
            }
            if byte == b'"' {
                self.at = stop + 1;
                let rest = self.text.get(from..stop)?;
                if from == start {
                    return Some(Cow::Borrowed(rest));
                }
                owned.push_str(rest);
                return Some(Cow::Owned(owned));
            }
            if owned.capacity() == 0 {
                // The unescaped text is at most as long as the escaped text before the quote.
                owned.reserve(stop - start + 16);
            }
            owned.push_str(self.text.get(from..stop)?);
            self.at = stop + 1;
            let escaped = match self.peek()? {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    self.at += 1;
                    let high = self.hex4()?;
                    let code = match high {
                        0xD800..=0xDBFF => {
                            self.eat(b'\\')?;
                            self.eat(b'u')?;
                            let low = self.hex4()?;
                            if !(0xDC00..=0xDFFF).contains(&low) {
                                return None;
                            }
                            0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                        }
                        0xDC00..=0xDFFF => return None,
                        _ => high,
                    };
                    owned.push(char::from_u32(code)?);
                    from = self.at;
                    continue;
                }
                _ => return None,
            };
            owned.push(escaped);
            self.at += 1;
            from = self.at;
        }
    }

    /// Four hex digits.
    fn hex4(&mut self) -> Option<u32> {
        let digits = self.bytes.get(self.at..self.at + 4)?;
        let mut n = 0;
        for &d in digits {
            n = n * 16 + char::from(d).to_digit(16)?;
        }
        self.at += 4;
        Some(n)
    }

    /// An unsigned integer up to `max`: digits, no leading zero, no fraction or exponent.
    fn uint(&mut self, max: u64) -> Option<u64> {
        let start = self.at;
        let mut n: u64 = 0;
        while let Some(d @ b'0'..=b'9') = self.peek() {
            n = n.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
            self.at += 1;
        }
        let len = self.at - start;
        if len == 0 || (len > 1 && self.bytes.get(start) == Some(&b'0')) || n > max {
            return None;
        }
        if let Some(b'.' | b'e' | b'E') = self.peek() {
            return None;
        }
        Some(n)
    }

    /// `null` or an unsigned integer up to `max`.
    fn opt_uint(&mut self, max: u64) -> Option<Option<u64>> {
        if self.null() {
            return Some(None);
        }
        self.uint(max).map(Some)
    }

    /// `null` or `[]`.
    fn empty_array_or_null(&mut self) -> Option<Option<Vec<serde_json::Value>>> {
        if self.null() {
            return Some(None);
        }
        self.eat(b'[')?;
        self.ws();
        self.eat(b']')?;
        Some(Some(Vec::new()))
    }
}
