//! `/v1/responses` streams that are not what Ollama sends: every consistency violation with
//! its exact offset, hostile input with its category, event accessors, encode ∘ decode, splits.

use openai_wire::chat::{ReasoningEffort, Role};
use openai_wire::responses::{
    ProtocolError, RawJson, Response, ResponseCreateParams, ResponseFormatTextConfig,
    ResponseFunctionCallOutput, ResponseInputItem, ResponseInputMessage, ResponseOutputItem,
    ResponseOutputText, ResponseReasoning, ResponseReasoningPart, ResponseStreamEvent,
    ResponseStreamEventRef, ResponseTool, ResponsesEncoder, ResponsesStreamDecoder, Violation,
};
use openai_wire::sse::SseConfig;
use openai_wire::{DecodeError, ErrorCategory, Escaping};
use proptest::prelude::*;

type Item = Result<ResponseStreamEvent, DecodeError>;

mod responses_frames;
use responses_frames::{added, completed, created, ev, item_done, obj};

fn part(id: &str, index: u32, content: u32, seq: u64) -> String {
    ev(
        "response.content_part.added",
        &format!(
            r#""content_index":{content},"item_id":"{id}","output_index":{index},"part":{{"annotations":[],"logprobs":[],"text":"","type":"output_text"}},"sequence_number":{seq}"#
        ),
    )
}
fn delta(id: &str, index: u32, content: u32, seq: u64) -> String {
    ev(
        "response.output_text.delta",
        &format!(
            r#""content_index":{content},"delta":"x","item_id":"{id}","logprobs":[],"output_index":{index},"sequence_number":{seq}"#
        ),
    )
}

fn run(frames: &[String]) -> (Vec<Item>, Result<(), DecodeError>) {
    run_with(SseConfig::default(), frames.concat().as_bytes())
}

/// The iterator's items and verdict; `next_ref` on a second decoder must give the same ones
/// (its events made owned), so every check here covers the borrowed path too.
fn run_with(config: SseConfig, body: &[u8]) -> (Vec<Item>, Result<(), DecodeError>) {
    let mut decoder = ResponsesStreamDecoder::with_config(config.clone());
    let mut borrowed = ResponsesStreamDecoder::with_config(config);
    decoder.push(body);
    let items: Vec<Item> = (&mut decoder).collect();
    let verdict = decoder.finish();
    borrowed.push(body);
    let mut by_ref = Vec::new();
    while let Some(item) = borrowed.next_ref() {
        by_ref.push(item.map(ResponseStreamEventRef::into_owned));
    }
    assert_eq!(format!("{by_ref:?}"), format!("{items:?}"), "next_ref");
    assert_eq!(
        format!("{:?}", borrowed.finish()),
        format!("{verdict:?}"),
        "next_ref verdict"
    );
    assert_eq!(borrowed.chunks(), decoder.chunks());
    (items, verdict)
}

/// Offset of frame `k`: the lengths of the frames before it.
fn at(frames: &[String], k: usize) -> u64 {
    frames[..k].iter().map(String::len).sum::<usize>() as u64
}

/// The one protocol error among `items`; every other item is an event.
fn the_violation(items: &[Item]) -> &ProtocolError {
    let mut found = None;
    for item in items {
        match item {
            Ok(_) => {}
            Err(DecodeError::Protocol(e)) if found.is_none() => found = Some(&**e),
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    found.expect("a protocol error")
}

fn clean() -> Vec<String> {
    vec![
        created(0),
        added("m", 0, 1),
        part("m", 0, 0, 2),
        delta("m", 0, 0, 3),
        item_done("m", 0, 4),
        completed(5),
    ]
}

/// [`clean`] with frame `k` replaced by `frame`.
fn clean_but(k: usize, frame: String) -> Vec<String> {
    let mut frames = clean();
    frames[k] = frame;
    frames
}

#[test]
fn a_consistent_stream_has_no_violation() {
    let (items, verdict) = run(&clean());
    assert_eq!(items.len(), 6);
    assert!(items.iter().all(Result::is_ok));
    assert!(verdict.is_ok());
}

/// Checks that `frames` give exactly one violation, at frame `k`, with `message`.
fn violation(frames: &[String], k: usize, expected: Violation, message: &str) {
    let (items, verdict) = run(frames);
    assert_eq!(items.len(), frames.len(), "decoding goes on");
    let error = the_violation(&items);
    assert_eq!(error.offset, at(frames, k));
    assert_eq!(error.violation, expected);
    assert_eq!(error.violation.to_string(), message);
    assert_eq!(
        error.to_string(),
        format!("event at byte {}: {message}", at(frames, k))
    );
    let Err(decode) = &items[k] else { panic!() };
    assert_eq!(decode.category(), ErrorCategory::Malformed);
    assert_eq!(decode.offset(), Some(at(frames, k)));
    assert_eq!(
        decode.to_string(),
        format!(
            "protocol violation: event at byte {}: {message}",
            at(frames, k)
        )
    );
    let _ = verdict;
}

#[test]
fn sequence_number_not_increasing() {
    let frames = clean_but(3, delta("m", 0, 0, 2));
    violation(
        &frames,
        3,
        Violation::SequenceNotIncreasing {
            previous: 2,
            got: 2,
        },
        "sequence_number 2 does not follow 2",
    );
    // The event is kept in the error.
    let (items, _) = run(&frames);
    let error = the_violation(&items);
    let ResponseStreamEvent::OutputTextDelta(d) = &error.event else {
        panic!()
    };
    assert_eq!(d.delta, "x");
    // A jump forward is fine.
    let frames = clean_but(5, completed(50));
    assert!(run(&frames).0.iter().all(Result::is_ok));
}

#[test]
fn an_event_before_created() {
    let frames = vec![obj("response.in_progress", 0), created(1), completed(2)];
    violation(
        &frames,
        0,
        Violation::BeforeCreated {
            kind: "response.in_progress".to_owned(),
        },
        "`response.in_progress` before `response.created`",
    );
}

#[test]
fn created_twice() {
    let frames = vec![created(0), created(1), completed(2)];
    violation(
        &frames,
        1,
        Violation::CreatedTwice,
        "a second `response.created`",
    );
}

#[test]
fn a_delta_for_an_item_never_added() {
    // A delta, and a done.
    for frame in [delta("ghost", 0, 0, 1), item_done("ghost", 0, 1)] {
        violation(
            &[created(0), frame, completed(2)],
            1,
            Violation::UnknownItem {
                item_id: "ghost".to_owned(),
            },
            "item `ghost` was never added",
        );
    }
}

#[test]
fn a_delta_for_an_item_already_done() {
    // A delta, and a second done.
    for frame in [delta("m", 0, 0, 5), item_done("m", 0, 5)] {
        let mut frames = clean();
        frames.insert(5, frame);
        frames[6] = completed(6);
        violation(
            &frames,
            5,
            Violation::ItemAlreadyDone {
                item_id: "m".to_owned(),
            },
            "item `m` is already done",
        );
    }
}

#[test]
fn an_output_index_that_is_not_the_items() {
    // A delta; and a done, which still closes the mismatched item: no second violation at
    // the end.
    for (k, frame, got, message) in [
        (
            3,
            delta("m", 1, 0, 3),
            1,
            "item `m` is at output_index 0, not 1",
        ),
        (
            4,
            item_done("m", 2, 4),
            2,
            "item `m` is at output_index 0, not 2",
        ),
    ] {
        let frames = clean_but(k, frame);
        violation(
            &frames,
            k,
            Violation::OutputIndexMismatch {
                item_id: "m".to_owned(),
                expected: 0,
                got,
            },
            message,
        );
    }
}

#[test]
fn an_item_added_twice_and_an_output_index_reused() {
    let mut frames = clean();
    frames.insert(2, added("m", 1, 2));
    for (i, f) in frames.iter_mut().enumerate().skip(3) {
        *f = f.replace(
            &format!("\"sequence_number\":{}", i - 1),
            &format!("\"sequence_number\":{i}"),
        );
    }
    violation(
        &frames,
        2,
        Violation::ItemAddedTwice {
            item_id: "m".to_owned(),
        },
        "item `m` added twice",
    );
    let frames = vec![
        created(0),
        added("a", 0, 1),
        item_done("a", 0, 2),
        added("b", 0, 3),
        item_done("b", 0, 4),
        completed(5),
    ];
    violation(
        &frames,
        3,
        Violation::OutputIndexReused {
            output_index: 0,
            previous: "a".to_owned(),
        },
        "output_index 0 already holds item `a`",
    );
}

#[test]
fn a_content_index_never_added() {
    let frames = clean_but(3, delta("m", 0, 1, 3));
    violation(
        &frames,
        3,
        Violation::UnknownContentPart {
            item_id: "m".to_owned(),
            content_index: 1,
        },
        "item `m` has no content part 1",
    );
    // A delta before any part.
    let frames: Vec<String> = vec![
        created(0),
        added("m", 0, 1),
        delta("m", 0, 0, 2),
        item_done("m", 0, 3),
        completed(4),
    ];
    violation(
        &frames,
        2,
        Violation::UnknownContentPart {
            item_id: "m".to_owned(),
            content_index: 0,
        },
        "item `m` has no content part 0",
    );
}

#[test]
fn a_terminal_event_with_items_open() {
    let frames = vec![created(0), added("b", 1, 1), added("a", 0, 2), completed(3)];
    violation(
        &frames,
        3,
        Violation::ItemsOpenAtEnd {
            item_ids: vec!["a".to_owned(), "b".to_owned()],
        },
        "the response ended with items not done: a, b",
    );
    // Still the end.
    let (_, verdict) = run(&frames);
    assert!(verdict.is_ok());
}

#[test]
fn response_failed_is_the_end_and_its_error_follows() {
    let failed = ev(
        "response.failed",
        r#""response":{"error":{"code":"server_error","message":"model crashed"},"id":"r","status":"failed"},"sequence_number":1"#,
    );
    let frames = vec![created(0), failed.clone()];
    let (items, verdict) = run(&frames);
    assert_eq!(items.len(), 3);
    assert!(matches!(items[1], Ok(ResponseStreamEvent::Failed(_))));
    let Err(DecodeError::Upstream(error)) = &items[2] else {
        panic!("{:?}", items[2])
    };
    assert_eq!(error.message(), "model crashed");
    assert_eq!(error.offset, Some(at(&frames, 1)));
    assert_eq!(error.event.as_deref(), Some("response.failed"));
    assert_eq!(
        error.body,
        failed["event: response.failed\ndata: ".len()..failed.len() - 2]
    );
    let payload = serde_json::to_value(error.payload.as_ref().unwrap()).unwrap();
    assert_eq!(payload["code"], "server_error");
    assert!(verdict.is_ok());
    // Without an error object: the data is the message.
    let frames = vec![created(0), obj("response.failed", 1)];
    let (items, _) = run(&frames);
    let Err(DecodeError::Upstream(error)) = &items[2] else {
        panic!()
    };
    assert_eq!(error.payload, None);
    assert!(error.message().contains("response.failed"));
}

#[test]
fn incomplete_is_the_end_too() {
    let frames = vec![created(0), obj("response.incomplete", 1), created(2)];
    let (items, verdict) = run(&frames);
    assert!(items[1].as_ref().unwrap().is_terminal());
    let Err(DecodeError::AfterEnd { offset }) = items[2] else {
        panic!()
    };
    assert_eq!(offset, at(&frames, 2));
    assert!(verdict.is_ok());
}

#[test]
fn error_events_and_error_objects_are_upstream_and_decoding_goes_on() {
    let frames = vec![
        created(0),
        "event: error\ndata: {\"code\":\"x\",\"message\":\"boom\",\"param\":null,\"sequence_number\":1,\"type\":\"error\"}\n\n".to_owned(),
        "data: {\"message\":\"bang\",\"type\":\"error\"}\n\n".to_owned(),
        "data: {\"error\":{\"message\":\"kaput\",\"type\":\"api_error\"}}\n\n".to_owned(),
        completed(2),
    ];
    let (items, verdict) = run(&frames);
    assert_eq!(items.len(), 5);
    for (k, message) in [(1, "boom"), (2, "bang"), (3, "kaput")] {
        let Err(DecodeError::Upstream(e)) = &items[k] else {
            panic!("{:?}", items[k])
        };
        assert_eq!(e.message(), message);
        assert_eq!(e.offset, Some(at(&frames, k)));
        assert_eq!(
            items[k].as_ref().unwrap_err().category(),
            ErrorCategory::Upstream
        );
    }
    assert!(items[4].is_ok());
    assert!(verdict.is_ok());
}

#[test]
fn hostile_inputs_have_their_category_and_never_panic() {
    // Not JSON.
    let frames = vec![
        created(0),
        "event: response.output_text.delta\ndata: {nope\n\n".to_owned(),
    ];
    let (items, verdict) = run(&frames);
    let Err(DecodeError::NotJson { offset, .. }) = &items[1] else {
        panic!()
    };
    assert_eq!(*offset, at(&frames, 1));
    assert_eq!(
        items[1].as_ref().unwrap_err().category(),
        ErrorCategory::Malformed
    );
    assert_eq!(verdict.unwrap_err().category(), ErrorCategory::Truncated);
    // JSON of the wrong shape.
    let frames = vec![
        created(0),
        ev("response.output_item.added", r#""item":5,"output_index":0"#),
    ];
    let (items, _) = run(&frames);
    let Err(DecodeError::UnexpectedJson { offset, .. }) = &items[1] else {
        panic!("{:?}", items[1])
    };
    assert_eq!(*offset, at(&frames, 1));
    // Not an object.
    let (items, _) = run(&["data: [1,2]\n\n".to_owned()]);
    assert!(matches!(
        items[0],
        Err(DecodeError::UnexpectedJson { offset: 0, .. })
    ));
    // No type anywhere.
    let (items, _) = run(&["data: {\"a\":1}\n\n".to_owned()]);
    let Err(e @ DecodeError::UnexpectedJson { offset: 0, .. }) = &items[0] else {
        panic!()
    };
    assert!(e.to_string().contains("without `type`"));
    // The SSE event name stands in for a missing `type`.
    let (items, _) =
        run(&["event: response.created\ndata: {\"response\":{\"id\":\"r\"}}\n\n".to_owned()]);
    assert!(matches!(items[0], Ok(ResponseStreamEvent::Created(_))));
    // An over-long line.
    let config = SseConfig::default().with_max_line_bytes(64);
    let body = format!("{}{}", "data: ".repeat(20), "\n\n");
    let (items, verdict) = run_with(config, body.as_bytes());
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0].as_ref().unwrap_err().category(),
        ErrorCategory::Limit
    );
    assert_eq!(items[0].as_ref().unwrap_err().offset(), Some(0));
    assert!(verdict.is_err());
}

#[test]
fn a_cut_stream_an_empty_body_and_data_after_the_end() {
    // Cut mid-event.
    let body = clean().concat();
    let cut = body.len() - 10;
    let (items, verdict) = run_with(SseConfig::default(), &body.as_bytes()[..cut]);
    assert_eq!(items.len(), 5);
    let Err(
        error @ DecodeError::Truncated {
            offset,
            chunks,
            terminator,
            sse: Some(_),
        },
    ) = &verdict
    else {
        panic!()
    };
    assert_eq!((*offset, *chunks), (cut as u64, 5));
    assert_eq!(*terminator, openai_wire::RESPONSES_TERMINATOR);
    assert_eq!(
        error.to_string(),
        format!(
            "stream ended at byte {cut} without a terminal event (`response.completed`, \
             `response.incomplete` or `response.failed`) after 5 chunk(s)"
        )
    );
    let Err(DecodeError::Truncated { sse, .. }) = verdict else {
        panic!()
    };
    assert_eq!(sse.unwrap().offset, at(&clean(), 5));
    // Empty.
    let (items, verdict) = run_with(SseConfig::default(), b"");
    assert!(items.is_empty());
    let Err(DecodeError::Truncated {
        offset: 0,
        chunks: 0,
        sse: None,
        ..
    }) = verdict
    else {
        panic!()
    };
    // Data after the end: reported once.
    let mut frames = clean();
    frames.push(created(6));
    frames.push(created(7));
    let (items, verdict) = run(&frames);
    assert_eq!(items.len(), 7);
    let Err(DecodeError::AfterEnd { offset }) = items[6] else {
        panic!()
    };
    assert_eq!(offset, at(&frames, 6));
    assert!(verdict.is_ok());
    // A cut line after the end is data after the end too.
    let body = format!("{}data: {{", clean().concat());
    let (items, verdict) = run_with(SseConfig::default(), body.as_bytes());
    assert_eq!(items.len(), 6);
    let Err(DecodeError::AfterEnd { offset }) = verdict else {
        panic!()
    };
    assert_eq!(offset, at(&clean(), 6));
    // An SSE limit after the end is reported as data after the end.
    let decoder =
        ResponsesStreamDecoder::with_config(SseConfig::default().with_max_line_bytes(400));
    let body = format!("{}data: {}\n\n", clean().concat(), "x".repeat(500));
    let mut decoder = decoder;
    decoder.push(clean().concat().as_bytes());
    assert_eq!((&mut decoder).count(), 6);
    assert!(decoder.is_done());
    decoder.push(&body.as_bytes()[clean().concat().len()..]);
    let items: Vec<Item> = (&mut decoder).collect();
    assert!(
        matches!(items[..], [Err(DecodeError::AfterEnd { .. })]),
        "{items:?}"
    );
}

#[test]
fn an_unknown_event_is_kept_verbatim() {
    let unknown = "event: response.web_search_call.searching\ndata: {\"item_id\":\"ws\",\"z\":1,\"a\":2,\"sequence_number\":1,\"type\":\"response.web_search_call.searching\"}\n\n";
    let frames = vec![created(0), unknown.to_owned(), completed(2)];
    let (items, verdict) = run(&frames);
    assert!(verdict.is_ok());
    let Ok(event @ ResponseStreamEvent::Unknown { kind, data }) = &items[1] else {
        panic!()
    };
    assert_eq!(kind, "response.web_search_call.searching");
    assert_eq!(event.kind(), kind);
    assert!(data.as_str().starts_with("{\"item_id\":\"ws\",\"z\":1"));
    assert_eq!(event.sequence_number(), None);
    let mut out = Vec::new();
    ResponsesEncoder::new().encode(event, &mut out).unwrap();
    assert_eq!(out, unknown.as_bytes());
}

#[test]
fn the_decoder_accessors() {
    let mut decoder = ResponsesStreamDecoder::new();
    let body = clean().concat();
    decoder.push(&body.as_bytes()[..body.len() - 1]);
    assert_eq!(decoder.buffered_len(), body.len() - 1);
    assert_eq!((&mut decoder).count(), 5);
    assert_eq!(decoder.chunks(), 5);
    assert!(!decoder.is_done());
    decoder.push(b"\n");
    assert_eq!((&mut decoder).count(), 1);
    assert!(decoder.is_done());
    assert_eq!(decoder.chunks(), 6);
    assert_eq!(decoder.buffered_len(), 0);
    assert!(decoder.finish().is_ok());
}

/// Minimal data of every known event type.
fn every_kind() -> Vec<(&'static str, String)> {
    let object = r#""response":{"id":"r"},"sequence_number":7"#;
    let item =
        r#""item":{"content":[],"id":"m","type":"message"},"output_index":0,"sequence_number":7"#;
    let part = r#""content_index":0,"item_id":"m","output_index":0,"part":{"text":"","type":"output_text"},"sequence_number":7"#;
    let delta = r#""delta":"d","item_id":"m","output_index":0,"sequence_number":7"#;
    let done = r#""item_id":"m","output_index":0,"sequence_number":7,"text":"t""#;
    let summary = r#""item_id":"m","output_index":0,"part":{"text":"","type":"summary_text"},"sequence_number":7,"summary_index":0"#;
    let args = r#""arguments":"{}","item_id":"m","output_index":0,"sequence_number":7"#;
    [
        ("response.created", object),
        ("response.in_progress", object),
        ("response.queued", object),
        ("response.completed", object),
        ("response.incomplete", object),
        ("response.failed", object),
        ("response.output_item.added", item),
        ("response.output_item.done", item),
        ("response.content_part.added", part),
        ("response.content_part.done", part),
        ("response.output_text.delta", delta),
        ("response.output_text.done", done),
        ("response.reasoning_summary_part.added", summary),
        ("response.reasoning_summary_part.done", summary),
        ("response.reasoning_summary_text.delta", delta),
        ("response.reasoning_summary_text.done", done),
        ("response.reasoning_text.delta", delta),
        ("response.reasoning_text.done", done),
        ("response.function_call_arguments.delta", delta),
        ("response.function_call_arguments.done", args),
        ("error", r#""message":"m","sequence_number":7"#),
    ]
    .into_iter()
    .map(|(kind, fields)| (kind, format!("{{{fields},\"type\":\"{kind}\"}}")))
    .collect()
}

#[test]
fn every_event_type_decodes_to_its_variant_and_back() {
    let terminal = [
        "response.completed",
        "response.incomplete",
        "response.failed",
    ];
    let with_response = [
        "response.created",
        "response.in_progress",
        "response.queued",
        "response.completed",
        "response.incomplete",
        "response.failed",
    ];
    for (kind, data) in every_kind() {
        let event = ResponseStreamEvent::from_data(kind, &data).unwrap();
        assert_eq!(event.kind(), kind);
        assert_eq!(event.sequence_number(), Some(7), "{kind}");
        assert_eq!(event.is_terminal(), terminal.contains(&kind), "{kind}");
        assert_eq!(
            event.response().is_some(),
            with_response.contains(&kind),
            "{kind}"
        );
        if let Some(r) = event.response() {
            assert_eq!(r.id, "r");
        }
        // Serialize (flattened, `type` last) and back give the same event.
        let json = serde_json::to_string(&event).unwrap();
        assert!(json.ends_with(&format!("\"type\":\"{kind}\"}}")), "{json}");
        assert_eq!(ResponseStreamEvent::from_data(kind, &json).unwrap(), event);
        // The sorted data: each object's keys in order.
        let data_out = ResponsesEncoder::new().data(&event).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&data_out).unwrap();
        assert_eq!(v["type"], kind);
    }
    let error = ResponseStreamEvent::from_data("error", r#"{"message":"m"}"#).unwrap();
    assert_eq!(error.sequence_number(), None);
    assert!(ResponseStreamEvent::from_data("response.created", "{").is_err());
    assert!(ResponseStreamEvent::from_data("unknown.kind", "[").is_err());
}

#[test]
fn the_encoder_escaping_and_its_errors() {
    let event = ResponseStreamEvent::from_data(
        "response.output_text.delta",
        r#"{"content_index":0,"delta":"<b>","item_id":"m","output_index":0,"sequence_number":1}"#,
    )
    .unwrap();
    let go = ResponsesEncoder::new();
    assert_eq!(go.escaping(), Escaping::Go);
    assert_eq!(
        String::from_utf8(go.data(&event).unwrap()).unwrap(),
        r#"{"content_index":0,"delta":"\u003cb\u003e","item_id":"m","output_index":0,"sequence_number":1,"type":"response.output_text.delta"}"#
    );
    let minimal = ResponsesEncoder::with_escaping(Escaping::Minimal);
    assert_eq!(minimal.escaping(), Escaping::Minimal);
    assert!(
        String::from_utf8(minimal.data(&event).unwrap())
            .unwrap()
            .contains(r#""delta":"<b>""#)
    );
    // An unknown type with a line break cannot be an SSE event name.
    let bad = ResponseStreamEvent::Unknown {
        kind: "a\nb".to_owned(),
        data: RawJson::from_json("{}".to_owned()).unwrap(),
    };
    let mut out = Vec::new();
    let err = ResponsesEncoder::new().encode(&bad, &mut out).unwrap_err();
    assert!(matches!(err, openai_wire::responses::EncodeError::Sse(_)));
    assert!(out.is_empty());
    assert!(!err.to_string().is_empty());
    // A non-finite float does not serialize.
    let mut response: Response = serde_json::from_str(r#"{"id":"r"}"#).unwrap();
    response.temperature = Some(f64::NAN);
    let nan = ResponseStreamEvent::from_data(
        "response.created",
        &serde_json::to_string(&serde_json::json!({"response": {"id": "r"}, "sequence_number": 0}))
            .unwrap(),
    )
    .unwrap();
    let ResponseStreamEvent::Created(mut created) = nan else {
        panic!()
    };
    created.response = response;
    let err = ResponsesEncoder::new()
        .encode(&ResponseStreamEvent::Created(created), &mut out)
        .unwrap_err();
    assert!(err.to_string().starts_with("event does not serialize"));
    assert!(out.is_empty());
}

#[test]
fn raw_json_keeps_its_text() {
    let raw = RawJson::from_json(r#"{"z":1, "a":2}"#.to_owned()).unwrap();
    assert_eq!(raw.as_str(), r#"{"z":1, "a":2}"#);
    assert_eq!(raw.to_value().unwrap(), serde_json::json!({"a": 2, "z": 1}));
    assert_eq!(
        raw,
        RawJson::from_json(r#"{"z":1, "a":2}"#.to_owned()).unwrap()
    );
    assert_ne!(
        raw,
        RawJson::from_json(r#"{"a":2,"z":1}"#.to_owned()).unwrap()
    );
    assert!(RawJson::from_json("{".to_owned()).is_err());
    assert!(
        RawJson::from_json("1e999".to_owned())
            .unwrap()
            .to_value()
            .is_err()
    );
}

#[test]
fn constructors_and_helpers_write_what_ollama_writes() {
    let json = |v: &dyn Erased| v.json();
    trait Erased {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Erased for T {
        fn json(&self) -> String {
            String::from_utf8(openai_wire::Encoder::new().to_vec(self).unwrap()).unwrap()
        }
    }
    assert_eq!(
        json(&ResponseReasoning::effort(ReasoningEffort::Low)),
        r#"{"effort":"low"}"#
    );
    assert_eq!(
        json(&ResponseFormatTextConfig::text()),
        r#"{"type":"text"}"#
    );
    assert_eq!(
        json(&ResponseTool::function(
            "f",
            Some("d".to_owned()),
            Some(serde_json::json!({"type": "object"}))
        )),
        r#"{"type":"function","name":"f","description":"d","parameters":{"type":"object"}}"#
    );
    assert_eq!(
        json(&ResponseTool::function("f", None, None)),
        r#"{"type":"function","name":"f"}"#
    );
    assert_eq!(
        json(&ResponseInputMessage::new(Role::User, "hi")),
        r#"{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}"#
    );
    assert_eq!(
        json(&ResponseFunctionCallOutput::new("call_1", "sunny")),
        r#"{"type":"function_call_output","call_id":"call_1","output":"sunny"}"#
    );
    assert_eq!(
        json(&ResponseOutputText::new("t")),
        r#"{"type":"output_text","text":"t","annotations":[],"logprobs":[]}"#
    );
    assert_eq!(
        json(&ResponseReasoningPart::summary_text("s")),
        r#"{"type":"summary_text","text":"s"}"#
    );
}

#[test]
fn null_and_absent_stay_apart() {
    for text in [
        r#"{"effort":"low","summary":null}"#,
        r#"{"effort":"low"}"#,
        r#"{"effort":null,"summary":"auto"}"#,
    ] {
        let r: ResponseReasoning = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&r).unwrap(), text);
    }
    for text in [
        r#"{"type":"function","name":"f","description":null,"strict":null,"parameters":null}"#,
        r#"{"type":"function","name":"f"}"#,
    ] {
        let t: ResponseTool = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&t).unwrap(), text);
    }
    // Large integers survive.
    let r: Response = serde_json::from_str(
        r#"{"id":"r","created_at":9223372036854775807,"max_output_tokens":18446744073709551615}"#,
    )
    .unwrap();
    assert_eq!(r.created_at, i64::MAX);
    assert_eq!(r.max_output_tokens, Some(u64::MAX));
}

#[test]
fn input_items_of_every_kind() {
    let text = r#"{"model":"m","input":[{"role":"user","content":"hi"},{"type":"message","role":"developer","content":[{"type":"input_text","text":"a"},{"type":"input_image","detail":"auto","image_url":"data:x"},{"type":"input_file","file_id":"f"}]},{"type":"message","id":"msg_1","role":"assistant","status":"completed","content":[{"type":"output_text","text":"o","annotations":[],"logprobs":[]}]},{"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"t"}],"encrypted_content":"t"},{"type":"function_call","call_id":"c","name":"f","arguments":"{}"},{"type":"function_call_output","call_id":"c","output":"r"},{"type":"item_reference","id":"x"}]}"#;
    let request: ResponseCreateParams = serde_json::from_str(text).unwrap();
    let Some(openai_wire::responses::ResponseInput::Items(items)) = &request.input else {
        panic!()
    };
    assert!(matches!(&items[0], ResponseInputItem::Message(m) if m.kind.is_none()));
    assert!(matches!(&items[1], ResponseInputItem::Message(m) if m.role == Role::Developer));
    assert!(matches!(&items[2], ResponseInputItem::OutputMessage(m) if m.id == "msg_1"));
    assert!(matches!(&items[3], ResponseInputItem::Reasoning(r) if r.summary_text() == "t"));
    assert!(matches!(&items[4], ResponseInputItem::FunctionCall(c) if c.name == "f"));
    assert!(matches!(&items[5], ResponseInputItem::FunctionCallOutput(o) if o.call_id == "c"));
    assert!(matches!(&items[6], ResponseInputItem::Other(_)));
    // Typed items re-encode in Go's struct order, kept ones with sorted keys: the same value.
    let again: serde_json::Value =
        serde_json::from_str(&serde_json::to_string(&request).unwrap()).unwrap();
    assert_eq!(
        again,
        serde_json::from_str::<serde_json::Value>(text).unwrap()
    );
    assert!(serde_json::from_str::<ResponseCreateParams>(r#"{"model":"m","input":5}"#).is_err());
}

#[test]
fn output_items_ids_and_kinds() {
    let items: Vec<ResponseOutputItem> = serde_json::from_str(
        r#"[{"id":"m","type":"message","content":[{"type":"refusal","refusal":"no"},{"type":"x"}]},{"id":"rs","type":"reasoning","summary":[]},{"id":"fc","type":"function_call","call_id":"c","name":"f","arguments":""},{"id":"ws","type":"web_search_call"},{"type":"nameless"}]"#,
    )
    .unwrap();
    let ids: Vec<_> = items.iter().map(ResponseOutputItem::id).collect();
    assert_eq!(ids, [Some("m"), Some("rs"), Some("fc"), Some("ws"), None]);
    let kinds: Vec<_> = items.iter().map(ResponseOutputItem::kind).collect();
    assert_eq!(
        kinds,
        [
            "message",
            "reasoning",
            "function_call",
            "web_search_call",
            "nameless"
        ]
    );
    assert_eq!(
        serde_json::to_string(&items).unwrap(),
        r#"[{"id":"m","type":"message","content":[{"type":"refusal","refusal":"no"},{"type":"x"}]},{"id":"rs","type":"reasoning","summary":[]},{"id":"fc","type":"function_call","call_id":"c","name":"f","arguments":""},{"id":"ws","type":"web_search_call"},{"type":"nameless"}]"#
    );
    assert!(serde_json::from_str::<ResponseOutputItem>("5").is_err());
    let r: Response = serde_json::from_str(r#"{"output":[{"id":"m","type":"message","content":[{"type":"output_text","text":"a"},{"type":"refusal","refusal":"no"},{"type":"output_text","text":"b"}]},{"id":"fc","type":"function_call"}]}"#).unwrap();
    assert_eq!(r.output_text(), "ab");
}

/// A valid stream of text deltas, written with serde_json's escaping.
fn stream_of(deltas: &[String]) -> String {
    let mut frames = vec![created(0), added("m", 0, 1), part("m", 0, 0, 2)];
    let mut seq = 3;
    for d in deltas {
        let text = serde_json::to_string(d).unwrap();
        frames.push(ev(
            "response.output_text.delta",
            &format!(r#""content_index":0,"delta":{text},"item_id":"m","logprobs":[],"output_index":0,"sequence_number":{seq}"#),
        ));
        seq += 1;
    }
    frames.push(item_done("m", 0, seq));
    frames.push(completed(seq + 1));
    frames.concat()
}

proptest! {
    #[test]
    fn any_split_gives_the_same_items(
        deltas in proptest::collection::vec(".{0,12}", 0..8),
        sizes in proptest::collection::vec(1usize..40, 1..20),
    ) {
        let body = stream_of(&deltas);
        let (whole, verdict) = run_with(SseConfig::default(), body.as_bytes());
        prop_assert!(verdict.is_ok());
        prop_assert!(whole.iter().all(Result::is_ok));
        let mut decoder = ResponsesStreamDecoder::new();
        let mut items = Vec::new();
        for piece in test_support::SplitPlan::Sizes(&sizes).split(body.as_bytes()) {
            decoder.push(piece);
            items.extend(&mut decoder);
        }
        prop_assert!(decoder.finish().is_ok());
        prop_assert_eq!(format!("{items:?}"), format!("{whole:?}"));
    }

    #[test]
    fn encode_then_decode_is_identity(deltas in proptest::collection::vec("\\PC{0,12}", 0..8)) {
        let body = stream_of(&deltas);
        let (items, _) = run_with(SseConfig::default(), body.as_bytes());
        let events: Vec<ResponseStreamEvent> = items.into_iter().map(Result::unwrap).collect();
        let mut encoder = ResponsesEncoder::new();
        let mut out = Vec::new();
        for event in &events {
            encoder.encode(event, &mut out).unwrap();
        }
        let (again, verdict) = run_with(SseConfig::default(), &out);
        prop_assert!(verdict.is_ok());
        let again: Vec<ResponseStreamEvent> = again.into_iter().map(Result::unwrap).collect();
        prop_assert_eq!(&again, &events);
        let texts: String = events.iter().filter_map(|e| match e {
            ResponseStreamEvent::OutputTextDelta(d) => Some(d.delta.clone()),
            _ => None,
        }).collect();
        prop_assert_eq!(texts, deltas.concat());
        let mut twice = Vec::new();
        let mut encoder = ResponsesEncoder::new();
        for event in &again {
            encoder.encode(event, &mut twice).unwrap();
        }
        prop_assert_eq!(twice, out);
    }
}
