//! The borrowed event types' accessors, with expected values written by hand from the data.

use anthropic_wire::events::StreamDecoder;
use anthropic_wire::messages::{ContentBlockDeltaRef, MessageStreamEventRef};

/// The SSE body of `frames` (event name, data).
fn body(frames: &[(&str, &str)]) -> String {
    frames
        .iter()
        .map(|(event, data)| format!("event: {event}\ndata: {data}\n\n"))
        .collect()
}

/// Decodes `data` lines (each one event) borrowed and hands each event to `check`.
fn each(frames: &[(&str, &str)], mut check: impl FnMut(usize, &MessageStreamEventRef<'_>)) {
    let mut decoder = StreamDecoder::new();
    decoder.push(body(frames).as_bytes());
    let mut n = 0;
    while let Some(item) = decoder.next_as::<MessageStreamEventRef<'_>>() {
        let event = item.expect("a valid stream");
        check(n, &event);
        n += 1;
    }
    assert_eq!(n, frames.len());
}

const START: (&str, &str) = (
    "message_start",
    r#"{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"usage":{"input_tokens":1,"output_tokens":0}}}"#,
);

/// A text block opened at index 0.
const TEXT_START: (&str, &str) = (
    "content_block_start",
    r#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
);

#[test]
fn kinds_indexes_and_block_kinds_of_borrowed_events() {
    let frames = [
        START,
        (
            "content_block_start",
            r#"{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}"#,
        ),
        (
            "content_block_delta",
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hm"}}"#,
        ),
        (
            "content_block_delta",
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"s"}}"#,
        ),
        (
            "content_block_stop",
            r#"{"type":"content_block_stop","index":0}"#,
        ),
        (
            "content_block_start",
            r#"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"t","name":"f","input":{}}}"#,
        ),
        (
            "content_block_delta",
            r#"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{}"}}"#,
        ),
        (
            "content_block_stop",
            r#"{"type":"content_block_stop","index":1}"#,
        ),
        (
            "content_block_start",
            r#"{"type":"content_block_start","index":2,"content_block":{"type":"text","text":""}}"#,
        ),
        (
            "content_block_delta",
            r#"{"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"hi"}}"#,
        ),
        ("ping", r#"{"type":"ping"}"#),
        (
            "content_block_stop",
            r#"{"type":"content_block_stop","index":2}"#,
        ),
        (
            "message_delta",
            r#"{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":3}}"#,
        ),
        ("message_stop", r#"{"type":"message_stop"}"#),
    ];
    // (kind, index, (delta kind, block kind)) of each event, in order.
    type Expected = (
        &'static str,
        Option<u64>,
        Option<(&'static str, &'static str)>,
    );
    let expected: [Expected; 14] = [
        ("message_start", None, None),
        ("content_block_start", Some(0), None),
        (
            "content_block_delta",
            Some(0),
            Some(("thinking_delta", "thinking")),
        ),
        (
            "content_block_delta",
            Some(0),
            Some(("signature_delta", "thinking")),
        ),
        ("content_block_stop", Some(0), None),
        ("content_block_start", Some(1), None),
        (
            "content_block_delta",
            Some(1),
            Some(("input_json_delta", "tool_use")),
        ),
        ("content_block_stop", Some(1), None),
        ("content_block_start", Some(2), None),
        ("content_block_delta", Some(2), Some(("text_delta", "text"))),
        ("ping", None, None),
        ("content_block_stop", Some(2), None),
        ("message_delta", None, None),
        ("message_stop", None, None),
    ];
    each(&frames, |n, event| {
        let (kind, index, delta) = expected[n];
        assert_eq!(event.kind(), kind, "event {n}");
        assert_eq!(event.index(), index, "event {n}");
        if let MessageStreamEventRef::ContentBlockDelta(d) = event {
            let (delta_kind, block_kind) = delta.expect("a delta");
            assert_eq!(d.delta.kind(), delta_kind, "event {n}");
            assert_eq!(d.delta.block_kind(), Some(block_kind), "event {n}");
        } else {
            assert!(delta.is_none(), "event {n}");
        }
    });
}

#[test]
fn unknown_keys_of_a_borrowed_delta_are_kept_in_order() {
    let with = r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a","z":[1, 2],"b":{"c":null}}}"#;
    let without =
        r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"}}"#;
    let other = r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a","z":[1, 2],"b":{"c":0}}}"#;
    let text = |data: &'static str| -> anthropic_wire::messages::TextDeltaRef<'static> {
        let event: MessageStreamEventRef<'static> = serde_json::from_str(data).unwrap();
        let MessageStreamEventRef::ContentBlockDelta(d) = event else {
            panic!("{data}");
        };
        let ContentBlockDeltaRef::TextDelta(t) = d.delta else {
            panic!("{data}");
        };
        t
    };
    let (a, b, c) = (text(with), text(without), text(other));
    assert_eq!((a.extra.len(), a.extra.is_empty()), (2, false));
    assert_eq!((b.extra.len(), b.extra.is_empty()), (0, true));
    let keys: Vec<(&str, &str)> = a.extra.iter().map(|(k, v)| (k, v.get())).collect();
    assert_eq!(keys, [("z", "[1, 2]"), ("b", r#"{"c":null}"#)]);
    assert_eq!(a.extra.get("b").map(|v| v.get()), Some(r#"{"c":null}"#));
    assert_eq!(b.extra.iter().count(), 0);
    // Equality compares the unknown keys and their values' texts.
    assert_eq!(a.text, b.text);
    assert_ne!(a, b);
    assert_ne!(a, c);
    assert_eq!(a, text(with));
    assert_eq!(b, text(without));
    // The owned form keeps them, in order.
    let json = serde_json::to_string(&a.into_owned()).unwrap();
    // (the delta struct alone: its `type` is written by the enum around it)
    assert_eq!(json, r#"{"text":"a","z":[1, 2],"b":{"c":null}}"#);
}

#[test]
fn the_same_stream_decodes_with_unknown_keys_borrowed() {
    let frames = [
        START,
        TEXT_START,
        (
            "content_block_delta",
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a","z":1}}"#,
        ),
    ];
    each(&frames, |n, event| {
        if n == 2 {
            let MessageStreamEventRef::ContentBlockDelta(d) = event else {
                panic!("{event:?}");
            };
            let ContentBlockDeltaRef::TextDelta(t) = &d.delta else {
                panic!("{d:?}");
            };
            assert_eq!(t.extra.get("z").map(|v| v.get()), Some("1"));
        }
    });
}

#[test]
fn an_unknown_event_type_is_kept_whole_borrowed() {
    let frames = [(
        "content_block_glow",
        r#"{"type":"content_block_glow","index":0,"x":[1, 2]}"#,
    )];
    each(&frames, |_, event| {
        let MessageStreamEventRef::Unknown(fields) = event else {
            panic!("{event:?}");
        };
        assert_eq!(event.kind(), "content_block_glow");
        assert_eq!(event.index(), None);
        let keys: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k, v.get())).collect();
        assert_eq!(
            keys,
            [
                ("type", r#""content_block_glow""#),
                ("index", "0"),
                ("x", "[1, 2]")
            ]
        );
    });
}

#[test]
fn a_message_delta_over_an_open_block_is_a_violation_borrowed_too() {
    use anthropic_wire::DecodeError;
    use anthropic_wire::events::Violation;
    let frames = [
        START,
        TEXT_START,
        (
            "message_delta",
            r#"{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":1}}"#,
        ),
    ];
    let mut decoder = StreamDecoder::new();
    decoder.push(body(&frames).as_bytes());
    let mut violations = Vec::new();
    while let Some(item) = decoder.next_as::<MessageStreamEventRef<'_>>() {
        if let Err(DecodeError::Protocol(p)) = item {
            violations.push(p.violation.clone());
        }
    }
    assert_eq!(violations, [Violation::MessageDeltaWhileOpen { open: 0 }]);
}
