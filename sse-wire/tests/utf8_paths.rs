//! Invalid UTF-8 is replaced the same way whichever validator checks a value: short values
//! (under 64 bytes) and long ones take different paths, whole or split across pushes, in every
//! field, in the buffer (one data line) or copied out of it (several lines, or a compaction).

use sse_wire::{Frame, SseConfig, SseDecoder};

fn values() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for len in [0usize, 1, 15, 16, 31, 32, 63, 64, 65, 200, 5000] {
        let ascii: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
        out.push(ascii.clone());
        // A bad byte at the start, the middle and the end; a cut multi-byte character at the end.
        for at in [0, len / 2, len] {
            let mut v = ascii.clone();
            v.insert(at.min(v.len()), 0xFF);
            out.push(v);
        }
        let mut v = ascii.clone();
        v.extend_from_slice("é€".as_bytes());
        out.push(v.clone());
        v.truncate(v.len() - 1);
        out.push(v);
    }
    out
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn decode(stream: &[u8], step: usize) -> Vec<Frame> {
    let mut decoder = SseDecoder::with_config(SseConfig::default().with_comments(true));
    let mut frames = Vec::new();
    for piece in stream.chunks(step.max(1)) {
        decoder.push(piece);
        for frame in &mut decoder {
            frames.push(frame.expect("no limit is hit"));
        }
    }
    decoder.finish().expect("a clean end");
    frames
}

#[test]
fn every_field_is_replaced_like_from_utf8_lossy() {
    let values = values();
    for v in &values {
        let mut stream = Vec::new();
        for (field, extra) in [
            ("event", false),
            ("id", false),
            ("data", false),
            ("data", true),
        ] {
            stream.extend_from_slice(b":");
            stream.extend_from_slice(v);
            stream.extend_from_slice(b"\n");
            stream.extend_from_slice(field.as_bytes());
            stream.extend_from_slice(b": ");
            stream.extend_from_slice(v);
            stream.extend_from_slice(b"\r\ndata:x\n");
            if extra {
                stream.extend_from_slice(b"data: ");
                stream.extend_from_slice(v);
                stream.extend_from_slice(b"\n");
            }
            stream.extend_from_slice(b"\r");
        }
        let text = lossy(v);
        let expected = {
            let mut d = SseDecoder::with_config(SseConfig::default().with_comments(true));
            d.push(&stream);
            (&mut d).collect::<Result<Vec<_>, _>>().expect("no limit")
        };
        // The expectation itself is checked against from_utf8_lossy.
        let events: Vec<_> = expected
            .iter()
            .filter_map(|f| match f {
                Frame::Event(e) => Some(e),
                Frame::Comment(c) => {
                    assert_eq!(c, &text);
                    None
                }
                _ => None,
            })
            .collect();
        assert_eq!(events.len(), 4);
        assert_eq!(
            events[0].event.as_deref(),
            (!text.is_empty()).then_some(text.as_str())
        );
        assert_eq!(events[0].data, "x");
        assert_eq!(
            events[1].id,
            if v.contains(&0) { "" } else { text.as_str() }
        );
        assert_eq!(events[2].data, format!("{text}\nx"));
        assert_eq!(events[3].data, format!("{text}\nx\n{text}"));
        for step in [1, 2, 3, 7, 16, 63, 64, 65, 4097] {
            assert_eq!(decode(&stream, step), expected, "value {v:?}, step {step}");
        }
    }
}

#[test]
fn a_single_data_line_is_replaced_in_place_and_after_compaction() {
    for v in values() {
        let text = lossy(&v);
        for step in [1, 5, 64, 1000, 10_000] {
            // Enough consumed input in front for the decoder to compact while the event is open.
            let mut stream = b"data: a\n\n".repeat(600);
            stream.extend_from_slice(b"data: ");
            stream.extend_from_slice(&v);
            stream.extend_from_slice(b"\n");
            stream.extend_from_slice(&b":pad\n".repeat(1000));
            stream.extend_from_slice(b"\n");
            let frames: Vec<_> = decode(&stream, step)
                .into_iter()
                .filter(|f| matches!(f, Frame::Event(_)))
                .collect();
            assert_eq!(frames.len(), 601);
            assert_eq!(
                frames.last(),
                Some(&Frame::Event(sse_wire::Event::new(text.clone()))),
                "step {step}"
            );
        }
    }
}
