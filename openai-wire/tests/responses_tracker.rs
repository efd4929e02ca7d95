//! The `/v1/responses` order checks for the events the other tests do not send out of order:
//! `content_part.done`, the `….done` texts, reasoning summary parts, function-call arguments,
//! unknown events, non-terminal events while items are open, and delta events that take the
//! general (owned) decoding path.

use openai_wire::responses::{
    ProtocolError, ResponseStreamEvent, ResponseStreamEventRef, ResponsesStreamDecoder, Violation,
};
use openai_wire::{DecodeError, ErrorCategory};

type Item = Result<ResponseStreamEvent, DecodeError>;

mod responses_frames;
use responses_frames::{added, completed, created, ev, item_done, obj};

/// A `content_part.added` or `.done` event (`kind`) of an empty output text part.
fn content_part(kind: &str, id: &str, content: u32, seq: u64) -> String {
    ev(
        kind,
        &format!(
            r#""content_index":{content},"item_id":"{id}","output_index":0,"part":{{"annotations":[],"logprobs":[],"text":"","type":"output_text"}},"sequence_number":{seq}"#
        ),
    )
}
fn part_added(id: &str, content: u32, seq: u64) -> String {
    content_part("response.content_part.added", id, content, seq)
}
fn part_done(id: &str, content: u32, seq: u64) -> String {
    content_part("response.content_part.done", id, content, seq)
}
fn text_done(kind: &str, id: &str, content: u32, seq: u64) -> String {
    ev(
        kind,
        &format!(
            r#""content_index":{content},"item_id":"{id}","output_index":0,"sequence_number":{seq},"text":"t""#
        ),
    )
}
fn summary_part(kind: &str, id: &str, seq: u64) -> String {
    ev(
        kind,
        &format!(
            r#""item_id":"{id}","output_index":0,"part":{{"text":"","type":"summary_text"}},"sequence_number":{seq},"summary_index":0"#
        ),
    )
}
fn arguments_done(id: &str, seq: u64) -> String {
    ev(
        "response.function_call_arguments.done",
        &format!(r#""arguments":"{{}}","item_id":"{id}","output_index":0,"sequence_number":{seq}"#),
    )
}
/// A delta event whose data states its `type` twice (once first, once last): the borrowed
/// delta decoder rejects the repeated key, the owned one ignores it, so the event is decoded
/// owned and checked by the general check.
fn twice_typed_delta(kind: &str, id: &str, content: u32, seq: u64) -> String {
    format!(
        "event: {kind}\ndata: {{\"type\":\"{kind}\",\"content_index\":{content},\"delta\":\"x\",\"item_id\":\"{id}\",\"output_index\":0,\"sequence_number\":{seq},\"type\":\"{kind}\"}}\n\n"
    )
}

/// The iterator's items and verdict; `next_ref` on a second decoder gives the same (made
/// owned).
fn run(frames: &[String]) -> (Vec<Item>, Result<(), DecodeError>) {
    let body = frames.concat();
    let mut decoder = ResponsesStreamDecoder::new();
    decoder.push(body.as_bytes());
    let items: Vec<Item> = (&mut decoder).collect();
    let verdict = decoder.finish();
    let mut borrowed = ResponsesStreamDecoder::new();
    borrowed.push(body.as_bytes());
    let mut by_ref = Vec::new();
    while let Some(item) = borrowed.next_ref() {
        by_ref.push(item.map(ResponseStreamEventRef::into_owned));
    }
    assert_eq!(format!("{by_ref:?}"), format!("{items:?}"), "next_ref");
    (items, verdict)
}

/// Offset of frame `k`: the lengths of the frames before it.
fn at(frames: &[String], k: usize) -> u64 {
    frames[..k].iter().map(String::len).sum::<usize>() as u64
}

/// Every frame decodes to an event, the stream ends cleanly.
fn clean(frames: &[String]) {
    let (items, verdict) = run(frames);
    assert_eq!(items.len(), frames.len());
    for (k, item) in items.iter().enumerate() {
        assert!(item.is_ok(), "frame {k}: {item:?}");
    }
    assert!(verdict.is_ok(), "{verdict:?}");
}

/// `frames` give one item per frame, all events but frame `k`, which is a protocol error with
/// `expected`, at that frame's offset, carrying an event of type `kind`.
fn violation(frames: &[String], k: usize, kind: &str, expected: Violation) {
    let (items, _) = run(frames);
    assert_eq!(items.len(), frames.len(), "decoding goes on");
    for (i, item) in items.iter().enumerate() {
        if i == k {
            let Err(DecodeError::Protocol(error)) = item else {
                panic!("frame {k}: {item:?}")
            };
            let ProtocolError {
                offset,
                violation,
                event,
                ..
            } = &**error;
            assert_eq!(*offset, at(frames, k));
            assert_eq!(violation, &expected);
            assert_eq!(event.kind(), kind);
            assert_eq!(
                item.as_ref().unwrap_err().category(),
                ErrorCategory::Malformed
            );
        } else {
            assert!(item.is_ok(), "frame {i}: {item:?}");
        }
    }
}

fn unknown_item(id: &str) -> Violation {
    Violation::UnknownItem {
        item_id: id.to_owned(),
    }
}

/// A response whose one item `id` (output 0) holds `inner`: `created`, the item added,
/// `inner` (its sequence numbers from 2 on), the item done, `completed`.
fn in_item(id: &str, inner: Vec<String>) -> Vec<String> {
    let next = 2 + inner.len() as u64;
    let mut frames = vec![created(0), added(id, 0, 1)];
    frames.extend(inner);
    frames.extend([item_done(id, 0, next), completed(next + 1)]);
    frames
}

/// Checks that the `kind` event `event(id, seq)` of an item never added (`ghost`, between
/// `created` and `completed`) is an unknown item.
fn needs_its_item(kind: &str, event: impl Fn(&str, u64) -> String) {
    violation(
        &[created(0), event("ghost", 1), completed(2)],
        1,
        kind,
        unknown_item("ghost"),
    );
}

/// Checks that the `kind` event `event(content_index, seq)` of item `m`, whose content part 0
/// is added, is a violation for part 1 (never added) and fine for part 0. Returns the frames
/// of both, in that order.
fn needs_the_part_added(kind: &str, event: impl Fn(u32, u64) -> String) -> [Vec<String>; 2] {
    let frames = |content_index| in_item("m", vec![part_added("m", 0, 2), event(content_index, 3)]);
    let (wrong, right) = (frames(1), frames(0));
    violation(
        &wrong,
        3,
        kind,
        Violation::UnknownContentPart {
            item_id: "m".to_owned(),
            content_index: 1,
        },
    );
    clean(&right);
    [wrong, right]
}

#[test]
fn an_unknown_event_before_created_is_not_out_of_order() {
    // Only known events must follow `response.created`; an unknown one is passed on as it is.
    let unknown = "event: response.web_search_call.searching\ndata: {\"item_id\":\"ws\",\"sequence_number\":0,\"type\":\"response.web_search_call.searching\"}\n\n";
    clean(&[unknown.to_owned(), created(1), completed(2)]);
    // A known one is (the control: the same place, a violation).
    violation(
        &[obj("response.in_progress", 0), created(1), completed(2)],
        0,
        "response.in_progress",
        Violation::BeforeCreated {
            kind: "response.in_progress".to_owned(),
        },
    );
}

#[test]
fn only_a_terminal_event_requires_every_item_done() {
    // `response.in_progress` and an unknown event while `m` is open: no violation.
    let unknown = "event: response.web_search_call.searching\ndata: {\"item_id\":\"ws\",\"sequence_number\":3,\"type\":\"response.web_search_call.searching\"}\n\n";
    clean(&in_item(
        "m",
        vec![obj("response.in_progress", 2), unknown.to_owned()],
    ));
    // `response.completed` at the same place is one.
    violation(
        &[created(0), added("m", 0, 1), completed(2)],
        2,
        "response.completed",
        Violation::ItemsOpenAtEnd {
            item_ids: vec!["m".to_owned()],
        },
    );
}

#[test]
fn content_part_done_needs_the_part_added() {
    let kind = "response.content_part.done";
    // Part 1 never added; part 0, added: fine.
    needs_the_part_added(kind, |content, seq| part_done("m", content, seq));
    // Of an item never added.
    needs_its_item(kind, |id, seq| part_done(id, 0, seq));
}

#[test]
fn output_text_done_needs_the_part_added() {
    let kind = "response.output_text.done";
    needs_the_part_added(kind, |content, seq| text_done(kind, "m", content, seq));
}

#[test]
fn reasoning_and_function_call_events_need_their_item() {
    for kind in [
        "response.reasoning_summary_part.added",
        "response.reasoning_summary_part.done",
    ] {
        needs_its_item(kind, |id, seq| summary_part(kind, id, seq));
        // With the item added and open: fine.
        clean(&in_item("rs", vec![summary_part(kind, "rs", 2)]));
    }
    for kind in [
        "response.reasoning_summary_text.done",
        "response.reasoning_text.done",
    ] {
        needs_its_item(kind, |id, seq| text_done(kind, id, 0, seq));
        // Reasoning text indexes are not checked: no part needed.
        clean(&in_item("rs", vec![text_done(kind, "rs", 0, 2)]));
    }
    needs_its_item("response.function_call_arguments.done", arguments_done);
    // After its item is done.
    violation(
        &[
            created(0),
            added("fc", 0, 1),
            item_done("fc", 0, 2),
            arguments_done("fc", 3),
            completed(4),
        ],
        3,
        "response.function_call_arguments.done",
        Violation::ItemAlreadyDone {
            item_id: "fc".to_owned(),
        },
    );
}

#[test]
fn a_delta_decoded_owned_is_checked_too() {
    // The text delta names part 1, never added (its data says `"content_index":1`); part 0 is
    // fine.
    let kind = "response.output_text.delta";
    let [wrong, right] = needs_the_part_added(kind, |content, seq| {
        twice_typed_delta(kind, "m", content, seq)
    });
    // The event in the error is the frame's: text "x".
    let (items, _) = run(&wrong);
    let Err(DecodeError::Protocol(error)) = &items[3] else {
        panic!()
    };
    let ResponseStreamEvent::OutputTextDelta(d) = &error.event else {
        panic!("{:?}", error.event)
    };
    assert_eq!((d.delta.as_str(), d.content_index), ("x", Some(1)));
    // Part 0: the delta is decoded.
    let (items, _) = run(&right);
    let Ok(ResponseStreamEvent::OutputTextDelta(d)) = &items[3] else {
        panic!("{:?}", items[3])
    };
    assert_eq!(d.delta, "x");
    // The other deltas: of an item never added.
    for kind in [
        "response.reasoning_summary_text.delta",
        "response.reasoning_text.delta",
        "response.function_call_arguments.delta",
    ] {
        needs_its_item(kind, |id, seq| twice_typed_delta(kind, id, 0, seq));
        clean(&in_item("it", vec![twice_typed_delta(kind, "it", 0, 2)]));
    }
}

#[test]
fn a_nested_type_named_like_the_event_does_not_dispatch_it() {
    // `event: response.in_progress`, but the data's own `type` is `response.completed`; the
    // event name appears only as the `type` of a nested object. The data's `type` decides, with
    // or without the `event:` line.
    let data = r#"{"response":{"id":"r","metadata":{"type":"response.in_progress"}},"sequence_number":1,"type":"response.completed"}"#;
    for frame in [
        format!("event: response.in_progress\ndata: {data}\n\n"),
        format!("data: {data}\n\n"),
    ] {
        let (items, verdict) = run(&[created(0), frame]);
        let Ok(ResponseStreamEvent::Completed(e)) = &items[1] else {
            panic!("{:?}", items[1])
        };
        assert_eq!((e.response.id.as_str(), e.sequence_number), ("r", 1));
        assert!(verdict.is_ok(), "{verdict:?}");
    }
}

#[test]
fn a_type_stated_twice_is_an_error_with_or_without_the_event_name() {
    // Neither the first nor the last key: the data's `type` is parsed, and a repeated field is
    // malformed JSON for the event (serde's duplicate-field rule).
    let data = r#"{"response":{"id":"r"},"type":"response.in_progress","sequence_number":1,"type":"response.in_progress","z":0}"#;
    for frame in [
        format!("event: response.in_progress\ndata: {data}\n\n"),
        format!("data: {data}\n\n"),
    ] {
        let (items, _) = run(&[created(0), frame]);
        assert!(
            matches!(items[1], Err(DecodeError::UnexpectedJson { .. })),
            "{:?}",
            items[1]
        );
    }
}

#[test]
fn deltas_decoded_off_the_fastest_path_are_counted() {
    let data = r#"{"content_index":0,"delta":"x","item_id":"m","logprobs":[],"output_index":0,"sequence_number":SEQ,"type":"response.output_text.delta"}"#;
    let frames = [
        created(0),
        added("m", 0, 1),
        part_added("m", 0, 2),
        // No `event:` line: the type is read from the data.
        format!("data: {}\n\n", data.replace("SEQ", "3")),
        // An `event:` name that is not the data's type.
        format!("event: message\ndata: {}\n\n", data.replace("SEQ", "4")),
    ];
    let body = frames.concat();
    let mut decoder = ResponsesStreamDecoder::new();
    decoder.push(body.as_bytes());
    let items: Vec<Item> = (&mut decoder).collect();
    assert!(
        matches!(
            items[..],
            [
                Ok(ResponseStreamEvent::Created(_)),
                Ok(ResponseStreamEvent::OutputItemAdded(_)),
                Ok(ResponseStreamEvent::ContentPartAdded(_)),
                Ok(ResponseStreamEvent::OutputTextDelta(_)),
                Ok(ResponseStreamEvent::OutputTextDelta(_)),
            ]
        ),
        "{items:?}"
    );
    assert_eq!(decoder.chunks(), 5);
    let Err(DecodeError::Truncated { chunks: 5, .. }) = decoder.finish() else {
        panic!()
    };
    let mut borrowed = ResponsesStreamDecoder::new();
    borrowed.push(body.as_bytes());
    let mut n = 0;
    while let Some(item) = borrowed.next_ref() {
        item.unwrap();
        n += 1;
    }
    assert_eq!((n, borrowed.chunks()), (5, 5));
    // A delta first of all (out of order, still counted).
    let mut decoder = ResponsesStreamDecoder::new();
    decoder.push(format!("data: {}\n\n", data.replace("SEQ", "0")).as_bytes());
    assert!(matches!(
        decoder.next(),
        Some(Err(DecodeError::Protocol(_)))
    ));
    assert_eq!(decoder.chunks(), 1);
}
