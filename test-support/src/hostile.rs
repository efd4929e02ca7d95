//! Hostile bodies the wire crates' `hostile` tests share: a long stream to drip byte by byte,
//! every single-byte UTF-8 corruption of a line, and a stream of very many tool calls. Each
//! crate writes its own frames; the attack is built here once.

/// A long text stream: 1,500 frames, each written by `frame` around one piece of text
/// (`tök0 `, `tök1 `, …, non-ASCII to catch a character cut between pushes), then `end`.
/// Returns the body and the text of all pieces in order.
pub fn long_text_stream(frame: impl Fn(&str) -> String, end: &str) -> (String, String) {
    let mut body = String::new();
    let mut expected = String::new();
    for i in 0..1500 {
        let text = format!("tök{i} ");
        expected.push_str(&text);
        body.push_str(&frame(&text));
    }
    body.push_str(end);
    (body, expected)
}

/// Every corruption of `line` that replaces one byte (not the last) by an invalid sequence
/// (`FF`, a cut `E2 82`, a cut `C3`) and leaves it invalid UTF-8: the byte's position, what
/// replaced it and the corrupted line. (A replacement that happens to spell a character, as
/// `E2 82` before the `A9` of `é` spells `₩`, is not one.)
pub fn utf8_corruptions(line: &str) -> impl Iterator<Item = (usize, &'static [u8], Vec<u8>)> + '_ {
    (0..line.len() - 1).flat_map(move |i| {
        [&b"\xff"[..], b"\xe2\x82", b"\xc3"]
            .into_iter()
            .filter_map(move |bad| {
                let mut corrupt = line.as_bytes().to_vec();
                corrupt.splice(i..i + 1, bad.iter().copied());
                std::str::from_utf8(&corrupt)
                    .is_err()
                    .then_some((i, bad, corrupt))
            })
    })
}

/// A stream of `chunks` frames of `per_chunk` tool calls each: call `i` (numbered across the
/// stream from 0) is written by `call(i)`, and frame `c` by `frame(c, calls)` around its calls
/// joined by commas.
pub fn tool_call_stream(
    chunks: usize,
    per_chunk: usize,
    call: impl Fn(usize) -> String,
    frame: impl Fn(usize, &str) -> String,
) -> String {
    let mut body = String::new();
    for c in 0..chunks {
        let calls: Vec<String> = (0..per_chunk).map(|k| call(c * per_chunk + k)).collect();
        body.push_str(&frame(c, &calls.join(",")));
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_stream_is_its_frames_then_the_end() {
        let (body, expected) = long_text_stream(|t| format!("[{t}]"), "END");
        assert!(body.starts_with("[tök0 ][tök1 ]"), "{body:.20}");
        assert!(body.ends_with("[tök1499 ]END"));
        assert!(expected.starts_with("tök0 tök1 tök2 "));
        assert!(expected.ends_with("tök1499 "));
        assert_eq!(body.matches('[').count(), 1500);
        assert_eq!(body.len(), expected.len() + 2 * 1500 + 3);
    }

    #[test]
    fn corruptions_are_each_invalid_and_replace_one_byte() {
        // Bytes 61 C3 A9, positions 0 and 1 (not the last). At 1, `E2 82` spells `₩` with the
        // A9 and `C3` leaves the line as it was: both valid, left out.
        let all: Vec<_> = utf8_corruptions("aé").collect();
        let listed: Vec<(usize, &[u8])> = all.iter().map(|(i, bad, _)| (*i, *bad)).collect();
        assert_eq!(
            listed,
            [
                (0, &b"\xff"[..]),
                (0, b"\xe2\x82"),
                (0, b"\xc3"),
                (1, b"\xff"),
            ]
        );
        let lines: Vec<&[u8]> = all.iter().map(|(_, _, line)| &line[..]).collect();
        assert_eq!(
            lines,
            [
                &b"\xff\xc3\xa9"[..],
                b"\xe2\x82\xc3\xa9",
                b"\xc3\xc3\xa9",
                b"a\xff\xa9",
            ]
        );
    }

    #[test]
    fn tool_calls_are_numbered_across_frames() {
        let body = tool_call_stream(
            2,
            3,
            |i| i.to_string(),
            |c, calls| format!("{c}:[{calls}]\n"),
        );
        assert_eq!(body, "0:[0,1,2]\n1:[3,4,5]\n");
    }
}
