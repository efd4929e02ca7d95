//! Public SSE test vectors, transcribed as data (inputs and expected events),
//! not code. Sources and licences:
//!
//! - WHATWG HTML Living Standard §9.2.6 examples (CC BY 4.0).
//! - web-platform-tests `eventsource/` (BSD-3-Clause, © web-platform-tests
//!   contributors): format-bom.js, format-bom-2.any.js, format-comments.js,
//!   format-field-data.js, format-data-before-final-empty-line.js,
//!   format-field-event.htm, format-field-event-empty.htm,
//!   format-null-character.html, format-utf-8.any.js,
//!   format-field-retry-bogus.htm, resources/last-event-id2.py,
//!   eventsource-from-readable-stream.any.js. The server helper
//!   `resources/message.py|php` appends "\n\n\n" by default and "\n" with
//!   `newline=none`; the inputs below include that suffix.
//! - rexxars/eventsource-parser `test/fixtures.ts` and `test/parse.test.ts`
//!   (MIT, © Espen Hovlandsdal).
//! - openai/openai-python `tests/test_streaming.py` (Apache-2.0, © OpenAI).
//!   Where openai-python departs from the standard (a block without data is
//!   dispatched) the case runs with `dispatch_dataless`.

use sse_wire::{Event, Frame, SseConfig, SseDecoder};

struct Case {
    source: &'static str,
    chunks: &'static [&'static [u8]],
    /// (event type, data, last event id)
    expected: &'static [(&'static str, &'static str, &'static str)],
    /// Whether `finish` reports a clean end.
    clean_end: bool,
    dataless: bool,
}

const fn case(
    source: &'static str,
    chunks: &'static [&'static [u8]],
    expected: &'static [(&'static str, &'static str, &'static str)],
    clean_end: bool,
) -> Case {
    Case {
        source,
        chunks,
        expected,
        clean_end,
        dataless: false,
    }
}

const CASES: &[Case] = &[
    // WHATWG examples.
    case("whatwg stock", &[b"data: YHOO\ndata: +2\ndata: 10\n\n"], &[("message", "YHOO\n+2\n10", "")], true),
    case("whatwg data/data", &[b"data\n\ndata\ndata\n\ndata:"], &[("message", "", ""), ("message", "\n", "")], false),
    case("whatwg test/test", &[b"data:test\n\ndata: test\n\n"], &[("message", "test", ""), ("message", "test", "")], true),
    // WPT.
    case("wpt format-bom.js", &[b"\xEF\xBB\xBFdata:1\n\n\xEF\xBB\xBFdata:2\n\ndata:3\n\n\n"], &[("message", "1", ""), ("message", "3", "")], true),
    case("wpt format-bom-2.any.js", &[b"\xEF\xBB\xBF\xEF\xBB\xBFdata:1\n\ndata:2\n\ndata:3\n\n\n"], &[("message", "2", ""), ("message", "3", "")], true),
    case(
        "wpt format-comments.js",
        &[b"data:1\r:\0\n:\r\ndata:2\n:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\rdata:3\n:data:fail\r:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\ndata:4\n\n"],
        &[("message", "1\n2\n3\n4", "")],
        true,
    ),
    case("wpt format-field-data.js", &[b"data:\n\ndata\ndata\n\ndata:test\n\n\n"], &[("message", "", ""), ("message", "\n", ""), ("message", "test", "")], true),
    case("wpt format-data-before-final-empty-line.js", &[b"retry:1000\ndata:test1\n\nid:test\ndata:test2\n"], &[("message", "test1", "")], false),
    case("wpt format-field-event.htm", &[b"event:test\ndata:x\n\ndata:x\n\n\n"], &[("test", "x", ""), ("message", "x", "")], true),
    case("wpt format-field-event-empty.htm", &[b"event: \ndata:data\n\n\n"], &[("message", "data", "")], true),
    case("wpt format-null-character.html", &[b"data:\0\n\n\n\n"], &[("message", "\0", "")], true),
    case("wpt format-utf-8.any.js", &[b"data:ok\xE2\x80\xA6\n\n\n"], &[("message", "ok\u{2026}", "")], true),
    case("wpt format-field-retry-bogus.htm", &[b"retry:2000\nretry:1000x\ndata:x\n\n\n"], &[("message", "x", "")], true),
    case("wpt last-event-id2.py type 1", &[b"id: 1\ndata: 1\n\ndata:2\n\n"], &[("message", "1", "1"), ("message", "2", "1")], true),
    case("wpt last-event-id2.py type 2", &[b"id: 1\ndata: 1\n\nid: 2\ndata:2\n\ndata:3\n\n"], &[("message", "1", "1"), ("message", "2", "2"), ("message", "3", "2")], true),
    case("wpt last-event-id2.py type 3", &[b"id: 1\ndata: 1\n\nid:\ndata:2\n\ndata:3\n\n"], &[("message", "1", "1"), ("message", "2", ""), ("message", "3", "")], true),
    case("wpt from-readable-stream split", &[b"da", b"ta: hel", b"lo\n\n"], &[("message", "hello", "")], true),
    case("wpt from-readable-stream newlines", &[b"data: cr\r\rdata: lf\n\ndata: crlf\r\n\r\n"], &[("message", "cr", ""), ("message", "lf", ""), ("message", "crlf", "")], true),
    case("wpt from-readable-stream bom", &[b"\xEF\xBB\xBFdata: hello\n\n"], &[("message", "hello", "")], true),
    case("wpt from-readable-stream custom type", &[b"event: custom\ndata: hello\n\n"], &[("custom", "hello", "")], true),
    case("wpt from-readable-stream comment", &[b": this is a comment\ndata: hello\n\n"], &[("message", "hello", "")], true),
    case("wpt from-readable-stream id", &[b"id: 42\ndata: hello\n\n"], &[("message", "hello", "42")], true),
    case("wpt from-readable-stream empty", &[b""], &[], true),
    // eventsource-parser.
    case("esp multiline", &[b"event: stock\n", b"data: YHOO\n", b"data: +2\n", b"data: 10\n\n", b"event: stock\n", b"data: GOOG\n", b"data: -8\n", b"data: 1881\n\n"], &[("stock", "YHOO\n+2\n10", ""), ("stock", "GOOG\n-8\n1881", "")], true),
    case("esp carriage returns", &[b"data: dog\r", b"data: bark\r\r", b"data: cat\r", b"data: meow\r\r"], &[("message", "dog\nbark", ""), ("message", "cat\nmeow", "")], true),
    case("esp line feeds", &[b"data: cow\n", b"data: moo\n\n", b"data: horse\n", b"data: neigh\n\n"], &[("message", "cow\nmoo", ""), ("message", "horse\nneigh", "")], true),
    case("esp crlf", &[b"data: sheep\r\n", b"data: bleat\r\n\r\n", b"data: pig\r\n", b"data: oink\r\n\r\n"], &[("message", "sheep\nbleat", ""), ("message", "pig\noink", "")], true),
    case("esp bom fixture", &[b"\xEF\xBB\xBFdata: bomful 1\n\n", b"\xEF\xBB\xBFdata: bomful 2\n\n", b"data: bomless 3\n\n"], &[("message", "bomful 1", ""), ("message", "bomless 3", "")], true),
    case("esp multibyte empty lines", &["\n\n\n\nid: 1\ndata: 我現在都看實況不玩遊戲\n\n".as_bytes()], &[("message", "我現在都看實況不玩遊戲", "1")], true),
    case(
        "esp mixed comments",
        &[b"data:1\r\r:\0\n:\r\ndata:2\n\n:", b"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", b"\rdata:3\n\n:data:fail\r:", b"xxxxxxxxxxxxxxxxxxxxx", b"\ndata:4\n\n", b"data:5"],
        &[("message", "1", ""), ("message", "2", ""), ("message", "3", ""), ("message", "4", "")],
        false,
    ),
    case("esp empty event field", &[b"event:\ndata: Hello 1\n\n", b"event:\n\n", b"event: done\ndata: \xE2\x9C\x94\n\n"], &[("message", "Hello 1", ""), ("done", "\u{2714}", "")], true),
    case("esp empty retry", &[b"id: 1\nretry: 500\ndata: a\n\n", b"id:2\nretry:\ndata:b\n\n"], &[("message", "a", "1"), ("message", "b", "2")], true),
    case("esp unknown fields", &[b"data:abc\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\ndata:123\n\n"], &[("message", "abc\n\n123", "")], true),
    case("esp cr chunk boundary (issue #17)", &[b"data: A\r\n", b"data: B\r", b"\n", b"data: C\r\n", b"\n"], &[("message", "A\nB\nC", "")], true),
    case("esp id with NUL", &[b"id: 123\nid: bad\0id\ndata: hello\n\n"], &[("message", "hello", "123")], true),
    case("esp discarded comment crlf split", &[b"data: one\n:", b"ignored\r", b"\ndata: two\n\n"], &[("message", "one\ntwo", "")], true),
    case("esp discarded comment bare cr", &[b"data: one\n:ignored\r", b"data: two\n\n"], &[("message", "one\ntwo", "")], true),
    case("esp bare field at cr boundary", &[b"data: one\ndata\r", b"\ndata: two\n\n"], &[("message", "one\n\ntwo", "")], true),
    case("esp garbage then data", &[b"garbage\r", b"data: ok\n\n"], &[("message", "ok", "")], true),
    case("esp blank cr line split", &[b"data: one\r", b"\r", b"\n"], &[("message", "one", "")], true),
    case("esp incorrect retry", &[b"\nretry: 500\n\ndata: first\n\nretry: 50x\n\ndata: second\n\n"], &[("message", "first", ""), ("message", "second", "")], true),
    case("esp not newline-terminated", &[b"{\"error\":\"Internal Server Error\"}"], &[], false),
    // openai-python.
    case("openai-python basic", &[b"event: completion\n", b"data: {\"foo\":true}\n", b"\n"], &[("completion", "{\"foo\":true}", "")], true),
    case(
        "openai-python multiple data lines with empty line",
        &[b"event: ping\n", b"data: {\n", b"data: \"foo\":\n", b"data: \n", b"data:\n", b"data: true}\n", b"\n\n"],
        &[("ping", "{\n\"foo\":\n\n\ntrue}", "")],
        true,
    ),
    case("openai-python escaped double newline", &[b"event: ping\n", b"data: {\"foo\": \"my long\\n\\ncontent\"}", b"\n\n"], &[("ping", "{\"foo\": \"my long\\n\\ncontent\"}", "")], true),
    case(
        "openai-python special new line character",
        &[b"data: {\"content\":\" culpa\"}\n", b"\n", b"data: {\"content\":\" \xe2\x80\xa8\"}\n", b"\n", b"data: {\"content\":\"foo\"}\n", b"\n"],
        &[("message", "{\"content\":\" culpa\"}", ""), ("message", "{\"content\":\" \u{2028}\"}", ""), ("message", "{\"content\":\"foo\"}", "")],
        true,
    ),
    case(
        "openai-python multi-byte character over chunks",
        &[b"data: {\"content\":\"", b"\xd0", b"\xb8\xd0\xb7\xd0", b"\xb2\xd0\xb5\xd1\x81\xd1\x82\xd0\xbd\xd0\xb8", b"\"}\n", b"\n"],
        &[("message", "{\"content\":\"известни\"}", "")],
        true,
    ),
    Case {
        source: "openai-python event missing data (dispatch_dataless)",
        chunks: &[b"event: ping\n", b"\n", b"event: completion\n", b"\n"],
        expected: &[("ping", "", ""), ("completion", "", "")],
        clean_end: true,
        dataless: true,
    },
    case("openai-python event missing data (standard)", &[b"event: ping\n", b"\n"], &[], true),
];

fn run(case: &Case, chunks: &[&[u8]]) -> (Vec<Event>, bool) {
    let config = SseConfig::default().with_dispatch_dataless(case.dataless);
    let mut decoder = SseDecoder::with_config(config);
    let mut events = Vec::new();
    for chunk in chunks {
        decoder.push(chunk);
        for frame in &mut decoder {
            match frame {
                Ok(Frame::Event(e)) => events.push(e),
                other => panic!("{}: {other:?}", case.source),
            }
        }
    }
    (events, decoder.finish().is_ok())
}

fn check(case: &Case, chunks: &[&[u8]], how: &str) {
    let (events, clean) = run(case, chunks);
    let got: Vec<(&str, &str, &str)> = events
        .iter()
        .map(|e| (e.event_type(), e.data.as_str(), e.id.as_str()))
        .collect();
    assert_eq!(got, case.expected, "{} ({how})", case.source);
    assert_eq!(clean, case.clean_end, "{} ({how}): clean end", case.source);
}

#[test]
fn vectors_as_given() {
    for case in CASES {
        check(case, case.chunks, "as given");
    }
}

#[test]
fn vectors_one_byte_at_a_time() {
    for case in CASES {
        let all: Vec<u8> = case.chunks.concat();
        let bytes: Vec<&[u8]> = all.chunks(1).collect();
        check(case, &bytes, "byte by byte");
    }
}

#[test]
fn vectors_in_one_push() {
    for case in CASES {
        let all: Vec<u8> = case.chunks.concat();
        check(case, &[&all], "one push");
    }
}

#[test]
fn retry_vectors() {
    // WPT format-field-retry-bogus: the bogus value is ignored.
    let mut d = SseDecoder::new();
    d.push(b"retry:2000\nretry:1000x\ndata:x\n\n\n");
    assert!(d.next_event().is_some());
    assert_eq!(d.reconnection_time(), Some(2000));
    // eventsource-parser identified stream: retry 50 with each event.
    let mut d = SseDecoder::new();
    d.push(b"event: tick\nid: 1337\nretry: 50\ndata: 1337\n\n");
    let e = d.next_event().unwrap().unwrap();
    assert_eq!(
        (e.event_type(), e.id.as_str(), e.retry),
        ("tick", "1337", Some(50))
    );
    // eventsource-parser heartbeats: comments surfaced.
    let mut d = SseDecoder::with_config(SseConfig::default().with_comments(true));
    d.push(b": \xE2\x99\xA5\n\ndata: A\n\n");
    assert_eq!(d.next(), Some(Ok(Frame::Comment(" \u{2665}".into()))));
    assert_eq!(d.next(), Some(Ok(Frame::Event(Event::new("A")))));
}
