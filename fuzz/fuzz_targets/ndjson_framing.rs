//! `LineFramer`: any split gives exactly the lines of a simple reference model (split on `\n`,
//! strip one `\r`, skip blank lines, over-long lines reported once at their offset), and the
//! buffer never holds more than the limit plus one pushed chunk.
//!
//! Flags bit 0: line limit 16 instead of 1024 (limit hits on short inputs).
#![no_main]

use libfuzzer_sys::fuzz_target;
use ollama_protocol_fuzz::Input;
use ollama_wire::DecodeError;
use ollama_wire::framing::LineFramer;

#[derive(Debug, PartialEq, Eq)]
enum Item {
    Line(Vec<u8>, u64),
    TooLong(u64),
}

fn model(body: &[u8], limit: usize) -> Vec<Item> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < body.len() {
        let rest = &body[start..];
        let (raw, next) = match memchr(rest) {
            Some(i) => (&rest[..i], start + i + 1),
            None => (rest, body.len()),
        };
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        if line.len() > limit {
            out.push(Item::TooLong(start as u64));
        } else if !line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
            out.push(Item::Line(line.to_vec(), start as u64));
        }
        start = next;
    }
    out
}

fn memchr(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
}

fn record(
    out: &mut Vec<Item>,
    result: Result<Option<ollama_wire::framing::Line>, DecodeError>,
    limit: usize,
) -> bool {
    match result {
        Ok(Some(line)) => {
            out.push(Item::Line(line.bytes.to_vec(), line.offset));
            true
        }
        Ok(None) => false,
        Err(DecodeError::LineTooLong { offset, limit: l }) => {
            assert_eq!(l, limit);
            out.push(Item::TooLong(offset));
            true
        }
        Err(other) => panic!("framing produced a non-framing error: {other:?}"),
    }
}

fn frame(pieces: &[&[u8]], limit: usize) -> Vec<Item> {
    let mut framer = LineFramer::with_max_line_len(limit);
    let mut out = Vec::new();
    let mut pushed = 0u64;
    for piece in pieces {
        let before = framer.buffered_len();
        framer.push(piece);
        pushed += piece.len() as u64;
        assert_eq!(
            framer.position(),
            pushed,
            "position counts every pushed byte"
        );
        assert!(framer.buffered_len() <= before + piece.len());
        while record(&mut out, framer.next_line(), limit) {}
        assert!(
            framer.buffered_len() <= limit + 1,
            "after draining, {} bytes buffered with a limit of {limit}",
            framer.buffered_len()
        );
    }
    // finish() returns the last line; afterwards the framer is empty.
    record(&mut out, framer.finish(), limit);
    assert!(matches!(framer.finish(), Ok(None)), "finish twice");
    assert_eq!(framer.buffered_len(), 0);
    assert_eq!(framer.position(), pushed);
    out
}

fuzz_target!(|data: &[u8]| {
    let Some(input) = Input::parse(data) else {
        return;
    };
    let limit = if input.flags & 1 == 0 { 1024 } else { 16 };
    let expected = model(&input.body, limit);
    assert_eq!(frame(&[&input.body], limit), expected, "whole body");
    assert_eq!(frame(&input.pieces(), limit), expected, "pieces");
});
