//! The content-block discipline: one test per [`Violation`], each with the exact
//! offset (the sum of the byte lengths of the events before it, written out here) and the
//! offending event, and the legal neighbours that must not be reported.

use anthropic_wire::DecodeError;
use anthropic_wire::ErrorCategory;
use anthropic_wire::events::{ProtocolError, StreamDecoder, Violation};
use anthropic_wire::messages::{ContentBlock, MessageStreamEvent};

/// One SSE event as Ollama frames it.
fn ev(data: &str) -> String {
    let kind = serde_json::from_str::<serde_json::Value>(data).unwrap()["type"]
        .as_str()
        .unwrap()
        .to_owned();
    format!("event: {kind}\ndata: {data}\n\n")
}

const START: &str = r#"{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"usage":{"input_tokens":1,"output_tokens":0}}}"#;
const TEXT0: &str =
    r#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#;
const TEXT1: &str =
    r#"{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}"#;
const THINK0: &str =
    r#"{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}"#;
const TOOL0: &str = r#"{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"call_1","name":"f","input":{}}}"#;
const SERVER_TOOL0: &str = r#"{"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}}"#;
const ODD0: &str = r#"{"type":"content_block_start","index":0,"content_block":{"type":"web_search_tool_result","tool_use_id":"srvtoolu_1","content":[]}}"#;
const TEXT_D0: &str =
    r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}"#;
const THINK_D0: &str =
    r#"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hm"}}"#;
const SIG_D0: &str = r#"{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"c2ln"}}"#;
const JSON_D0: &str = r#"{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{}"}}"#;
const CITE_D0: &str =
    r#"{"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":{}}}"#;
const STOP0: &str = r#"{"type":"content_block_stop","index":0}"#;
const STOP1: &str = r#"{"type":"content_block_stop","index":1}"#;
const MDELTA: &str = r#"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"input_tokens":1,"output_tokens":2}}"#;
const MSTOP: &str = r#"{"type":"message_stop"}"#;
const PING: &str = r#"{"type":"ping"}"#;

/// Byte lengths of the framed events, counted by hand from the constants above
/// (`event: ` + type + `\ndata: ` + data + `\n\n`).
#[test]
fn the_framed_lengths_used_below() {
    assert_eq!(ev(START).len(), 21 + 6 + 155 + 2);
    assert_eq!(ev(TEXT0).len(), 27 + 6 + 82 + 2);
    assert_eq!(ev(TEXT_D0).len(), 27 + 6 + 82 + 2);
    assert_eq!(ev(STOP0).len(), 26 + 6 + 39 + 2);
}

const LEN_START: u64 = 184;
const LEN_TEXT0: u64 = 117;
const LEN_TEXT_D0: u64 = 117;
const LEN_STOP0: u64 = 73;

fn run(events: &[&str]) -> (Vec<Result<MessageStreamEvent, DecodeError>>, StreamDecoder) {
    let body: String = events.iter().map(|e| ev(e)).collect();
    let mut decoder = StreamDecoder::new();
    decoder.push(body.as_bytes());
    let items = (&mut decoder).collect();
    (items, decoder)
}

/// Asserts that `events` give one violation, `expected`, at item `at` and byte `offset`;
/// returns it.
fn assert_violation(events: &[&str], at: usize, expected: Violation, offset: u64) -> ProtocolError {
    let (i, e) = single_violation(events);
    assert_eq!((i, &e.violation), (at, &expected), "{events:?}");
    assert_eq!(e.offset, offset, "{expected:?}");
    e
}

/// The only protocol error of `events`: its index among the items, and the error.
fn single_violation(events: &[&str]) -> (usize, ProtocolError) {
    let (items, _) = run(events);
    let mut found = None;
    for (i, item) in items.into_iter().enumerate() {
        match item {
            Ok(_) => {}
            Err(DecodeError::Protocol(e)) => {
                assert!(found.is_none(), "a second violation at item {i}: {e}");
                found = Some((i, *e));
            }
            Err(other) => panic!("item {i}: {other}"),
        }
    }
    found.expect("no violation")
}

fn clean(events: &[&str]) {
    let (items, mut decoder) = run(events);
    for item in items {
        item.unwrap();
    }
    decoder.finish().unwrap();
}

#[test]
fn ollama_17101_thinking_block_started_over_an_open_text_block() {
    let events = [
        START, TEXT0, TEXT_D0, TEXT_D0, THINK0, THINK_D0, STOP0, MDELTA, MSTOP,
    ];
    let (items, mut decoder) = run(&events);
    assert_eq!(items.len(), 9);
    let Err(DecodeError::Protocol(error)) = &items[4] else {
        panic!("{:?}", items[4])
    };
    assert_eq!(error.violation, Violation::StartAtOpenIndex { index: 0 });
    assert_eq!(error.offset, LEN_START + LEN_TEXT0 + 2 * LEN_TEXT_D0);
    let MessageStreamEvent::ContentBlockStart(start) = &error.event else {
        panic!("{:?}", error.event)
    };
    assert_eq!(start.index, 0);
    assert!(matches!(&start.content_block, ContentBlock::Thinking(t) if t.thinking.is_empty()));
    assert_eq!(
        error.to_string(),
        "event at byte 535: content_block_start at index 0, which is still open"
    );
    // One fault, one item: the thinking block replaced the text block and the rest is legal.
    for (i, item) in items.iter().enumerate() {
        if i != 4 {
            assert!(item.is_ok(), "item {i}: {item:?}");
        }
    }
    assert_eq!(decoder.chunks(), 9);
    decoder.finish().unwrap();
    assert_eq!(
        items[4].as_ref().unwrap_err().category(),
        ErrorCategory::Malformed
    );
    assert_eq!(items[4].as_ref().unwrap_err().offset(), Some(535));
}

#[test]
fn a_block_event_before_message_start() {
    let (i, e) = single_violation(&[TEXT0]);
    assert_eq!((i, e.offset), (0, 0));
    assert_eq!(e.violation, Violation::BeforeMessageStart);
    for event in [TEXT_D0, STOP0, MDELTA, MSTOP] {
        let (_, e) = single_violation(&[event]);
        assert_eq!(e.violation, Violation::BeforeMessageStart, "{event}");
        assert_eq!(e.offset, 0);
    }
    // ping and unknown events are allowed anywhere.
    let (items, _) = run(&[PING, r#"{"type":"future_event"}"#]);
    assert!(items.iter().all(Result::is_ok));
}

#[test]
fn a_second_message_start() {
    let e = assert_violation(
        &[START, TEXT0, STOP0, START],
        3,
        Violation::RepeatedMessageStart,
        LEN_START + LEN_TEXT0 + LEN_STOP0,
    );
    assert!(matches!(e.event, MessageStreamEvent::MessageStart(_)));
}

#[test]
fn a_block_started_while_another_is_open() {
    assert_violation(
        &[START, TEXT0, TEXT1, STOP1, MDELTA, MSTOP],
        2,
        Violation::StartWhileOpen { index: 1, open: 0 },
        LEN_START + LEN_TEXT0,
    );
}

#[test]
fn a_block_started_at_a_skipped_or_reused_index() {
    let (i, e) = single_violation(&[START, TEXT1, STOP1]);
    assert_eq!(i, 1);
    assert_eq!(
        e.violation,
        Violation::StartOutOfOrder {
            index: 1,
            expected: 0
        }
    );
    assert_eq!(e.offset, LEN_START);
    // After the skip, the next index is 2.
    let two =
        r#"{"type":"content_block_start","index":2,"content_block":{"type":"text","text":""}}"#;
    let stop2 = r#"{"type":"content_block_stop","index":2}"#;
    let (i, _) = single_violation(&[START, TEXT1, STOP1, two, stop2, MDELTA, MSTOP]);
    assert_eq!(i, 1);

    let (i, e) = single_violation(&[START, TEXT0, STOP0, TEXT0, STOP0]);
    assert_eq!(i, 3);
    assert_eq!(
        e.violation,
        Violation::StartOutOfOrder {
            index: 0,
            expected: 1
        }
    );
    assert_eq!(e.offset, LEN_START + LEN_TEXT0 + LEN_STOP0);
}

#[test]
fn an_index_at_the_top_of_u64_does_not_overflow() {
    let top = r#"{"type":"content_block_start","index":18446744073709551615,"content_block":{"type":"text","text":""}}"#;
    let (i, e) = single_violation(&[START, top]);
    assert_eq!(i, 1);
    assert_eq!(
        e.violation,
        Violation::StartOutOfOrder {
            index: u64::MAX,
            expected: 0
        }
    );
}

#[test]
fn a_delta_to_a_block_never_started_or_already_stopped() {
    assert_violation(
        &[START, TEXT_D0],
        1,
        Violation::DeltaToUnknownBlock { index: 0 },
        LEN_START,
    );

    assert_violation(
        &[START, TEXT0, STOP0, TEXT_D0],
        3,
        Violation::DeltaToStoppedBlock { index: 0 },
        LEN_START + LEN_TEXT0 + LEN_STOP0,
    );
}

#[test]
fn a_delta_of_the_wrong_kind_for_its_block() {
    let rows = [
        (TOOL0, TEXT_D0, "tool_use", "text_delta"),
        (TEXT0, JSON_D0, "text", "input_json_delta"),
        (TEXT0, THINK_D0, "text", "thinking_delta"),
        (TEXT0, SIG_D0, "text", "signature_delta"),
        (THINK0, TEXT_D0, "thinking", "text_delta"),
        (THINK0, JSON_D0, "thinking", "input_json_delta"),
        (TOOL0, THINK_D0, "tool_use", "thinking_delta"),
        (SERVER_TOOL0, TEXT_D0, "server_tool_use", "text_delta"),
    ];
    for (block, delta, block_kind, delta_kind) in rows {
        let (i, e) = single_violation(&[START, block, delta, STOP0, MDELTA, MSTOP]);
        assert_eq!(i, 2, "{delta} to {block}");
        assert_eq!(
            e.violation,
            Violation::DeltaKindMismatch {
                index: 0,
                block: block_kind.into(),
                delta: delta_kind.into(),
            }
        );
        assert_eq!(e.offset, LEN_START + ev(block).len() as u64);
    }
}

#[test]
fn deltas_of_the_right_kind_are_not_reported() {
    clean(&[START, TEXT0, TEXT_D0, STOP0, MDELTA, MSTOP]);
    clean(&[START, THINK0, THINK_D0, SIG_D0, STOP0, MDELTA, MSTOP]);
    clean(&[START, TOOL0, JSON_D0, STOP0, MDELTA, MSTOP]);
    clean(&[START, SERVER_TOOL0, JSON_D0, STOP0, MDELTA, MSTOP]);
    // Unknown delta types and blocks of unknown types are not judged.
    clean(&[START, TEXT0, CITE_D0, STOP0, MDELTA, MSTOP]);
    clean(&[START, ODD0, TEXT_D0, STOP0, MDELTA, MSTOP]);
    clean(&[START, PING, TEXT0, PING, STOP0, PING, MDELTA, MSTOP]);
    clean(&[START, TEXT0, STOP0, TEXT1, STOP1, MDELTA, MSTOP]);
    clean(&[START, MDELTA, MSTOP]);
    clean(&[START, MSTOP]);
}

#[test]
fn a_stop_for_a_block_never_started_or_already_stopped() {
    assert_violation(
        &[START, STOP0],
        1,
        Violation::StopOfUnknownBlock { index: 0 },
        LEN_START,
    );

    assert_violation(
        &[START, TEXT0, STOP0, STOP0],
        3,
        Violation::StopOfStoppedBlock { index: 0 },
        LEN_START + LEN_TEXT0 + LEN_STOP0,
    );
}

#[test]
fn message_delta_or_stop_while_a_block_is_open() {
    assert_violation(
        &[START, TEXT0, MDELTA, MSTOP],
        2,
        Violation::MessageDeltaWhileOpen { open: 0 },
        LEN_START + LEN_TEXT0,
    );

    let (items, mut decoder) = run(&[START, TEXT0, TEXT_D0, MSTOP]);
    let Err(DecodeError::Protocol(e)) = &items[3] else {
        panic!("{:?}", items[3])
    };
    assert_eq!(e.violation, Violation::MessageStopWhileOpen { open: 0 });
    assert_eq!(e.offset, LEN_START + LEN_TEXT0 + LEN_TEXT_D0);
    assert!(matches!(e.event, MessageStreamEvent::MessageStop(_)));
    // message_stop still ends the stream.
    assert!(decoder.is_done());
    assert_eq!(decoder.open_block(), None);
    decoder.finish().unwrap();
}

#[test]
fn the_open_block_is_tracked() {
    let body: String = [START, TEXT0].iter().map(|e| ev(e)).collect();
    let mut decoder = StreamDecoder::new();
    decoder.push(body.as_bytes());
    assert_eq!(decoder.by_ref().count(), 2);
    assert_eq!(decoder.open_block(), Some(0));
    decoder.push(ev(STOP0).as_bytes());
    assert_eq!(decoder.by_ref().count(), 1);
    assert_eq!(decoder.open_block(), None);
}

#[test]
fn every_violation_displays_its_rule() {
    use Violation as V;
    let rows = [
        (V::BeforeMessageStart, "event before `message_start`"),
        (V::RepeatedMessageStart, "second `message_start`"),
        (
            V::StartAtOpenIndex { index: 3 },
            "content_block_start at index 3, which is still open",
        ),
        (
            V::StartWhileOpen { index: 4, open: 3 },
            "content_block_start at index 4 while block 3 is still open",
        ),
        (
            V::StartOutOfOrder {
                index: 5,
                expected: 2,
            },
            "content_block_start at index 5, expected 2",
        ),
        (
            V::DeltaToUnknownBlock { index: 6 },
            "content_block_delta to index 6, never started",
        ),
        (
            V::DeltaToStoppedBlock { index: 7 },
            "content_block_delta to index 7, already stopped",
        ),
        (
            V::DeltaKindMismatch {
                index: 8,
                block: "tool_use".into(),
                delta: "text_delta".into(),
            },
            "text_delta to index 8, a tool_use block",
        ),
        (
            V::StopOfUnknownBlock { index: 9 },
            "content_block_stop for index 9, never started",
        ),
        (
            V::StopOfStoppedBlock { index: 10 },
            "content_block_stop for index 10, already stopped",
        ),
        (
            V::MessageDeltaWhileOpen { open: 11 },
            "message_delta while block 11 is still open",
        ),
        (
            V::MessageStopWhileOpen { open: 12 },
            "message_stop while block 12 is still open",
        ),
    ];
    for (violation, text) in rows {
        assert_eq!(violation.to_string(), text);
    }
}

#[test]
fn the_event_can_be_taken_out_of_the_error() {
    let (_, e) = single_violation(&[START, STOP0]);
    let event = e.into_event();
    assert_eq!(event.index(), Some(0));
    assert_eq!(event.kind(), "content_block_stop");
}

#[test]
fn the_same_violations_under_any_split() {
    let events = [
        START, TEXT0, TEXT_D0, THINK0, THINK_D0, TEXT_D0, STOP0, STOP0, MSTOP,
    ];
    let body: String = events.iter().map(|e| ev(e)).collect();
    let render = |pieces: Vec<&[u8]>| {
        let mut decoder = StreamDecoder::new();
        let mut out = Vec::new();
        for piece in pieces {
            decoder.push(piece);
            out.extend((&mut decoder).map(|i| format!("{i:?}")));
        }
        out.push(format!("{:?}", decoder.finish()));
        out
    };
    let whole = render(vec![body.as_bytes()]);
    assert_eq!(whole.iter().filter(|s| s.contains("Protocol")).count(), 3);
    for pieces in test_support::test_split_pieces(body.as_bytes()) {
        assert_eq!(render(pieces), whole);
    }
}

#[test]
fn an_event_name_that_is_not_the_data_type() {
    // `event: ping` over message_stop data: the data wins (it is decoded and applied), the
    // name is reported, at the event's offset.
    let body = format!("{}event: ping\ndata: {MSTOP}\n\n", ev(START));
    let mut decoder = StreamDecoder::new();
    decoder.push(body.as_bytes());
    let items: Vec<_> = (&mut decoder).collect();
    assert_eq!(items.len(), 2);
    let Err(DecodeError::Protocol(error)) = &items[1] else {
        panic!("{:?}", items[1])
    };
    assert_eq!(error.offset, LEN_START);
    assert_eq!(
        error.violation,
        Violation::EventNameMismatch {
            event: "ping".to_owned(),
            data: "message_stop".to_owned(),
        }
    );
    assert_eq!(
        error.event,
        MessageStreamEvent::MessageStop(Default::default())
    );
    assert_eq!(
        error.to_string(),
        format!("event at byte {LEN_START}: event `ping` carries data of type `message_stop`")
    );
    assert!(decoder.is_done());
    decoder.finish().unwrap();
}

#[test]
fn an_event_name_is_compared_on_the_hot_path_and_for_unknown_types_too() {
    // A compact text delta (the hot path) named content_block_stop.
    let body = format!(
        "{}{}event: content_block_stop\ndata: {TEXT_D0}\n\nevent: glow\ndata: {{\"type\":\"shine\"}}\n\nevent: shine\ndata: {{\"type\":\"shine\"}}\n\ndata: {PING}\n\n",
        ev(START),
        ev(TEXT0)
    );
    let mut decoder = StreamDecoder::new();
    decoder.push(body.as_bytes());
    let items: Vec<_> = (&mut decoder).collect();
    let violations: Vec<Option<Violation>> = items
        .iter()
        .map(|item| match item {
            Ok(_) => None,
            Err(DecodeError::Protocol(e)) => Some(e.violation.clone()),
            Err(other) => panic!("{other}"),
        })
        .collect();
    let mismatch = |event: &str, data: &str| {
        Some(Violation::EventNameMismatch {
            event: event.to_owned(),
            data: data.to_owned(),
        })
    };
    // An unnamed event is not compared.
    assert_eq!(
        violations,
        [
            None,
            None,
            mismatch("content_block_stop", "content_block_delta"),
            mismatch("glow", "shine"),
            None,
            None
        ]
    );
    let Err(DecodeError::Protocol(error)) = &items[2] else {
        unreachable!()
    };
    assert_eq!(error.offset, LEN_START + LEN_TEXT0);
    // The block stays open: the delta was applied as a delta.
    assert_eq!(decoder.open_block(), Some(0));
}
