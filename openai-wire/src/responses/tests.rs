//! Unit tests of what the integration tests cannot reach: the consistency tracker on items
//! without an id, and the `DecodeError::Protocol` plumbing.

use super::*;
use crate::error::{DecodeError, ErrorCategory};

fn event(kind: &str, data: &str) -> ResponseStreamEvent {
    ResponseStreamEvent::from_data(kind, data).unwrap()
}

/// The `response.created` event a test stream opens with.
fn created() -> ResponseStreamEvent {
    event(
        "response.created",
        r#"{"response":{"id":"r"},"sequence_number":0}"#,
    )
}

/// `events` encoded into one body and decoded: the decoder, and the items it yielded.
fn decode_encoded(
    events: impl IntoIterator<Item = ResponseStreamEvent>,
) -> (
    ResponsesStreamDecoder,
    Vec<Result<ResponseStreamEvent, DecodeError>>,
) {
    let mut encoder = ResponsesEncoder::new();
    let mut body = Vec::new();
    for e in events {
        encoder.encode(&e, &mut body).unwrap();
    }
    let mut decoder = ResponsesStreamDecoder::new();
    decoder.push(&body);
    let items = (&mut decoder).collect();
    (decoder, items)
}

#[test]
fn items_without_an_id_are_not_tracked() {
    let (mut decoder, items) = decode_encoded([
        created(),
        event(
            "response.output_item.added",
            r#"{"item":{"type":"web_search_call"},"output_index":0,"sequence_number":1}"#,
        ),
        event(
            "response.output_item.done",
            r#"{"item":{"type":"web_search_call"},"output_index":0,"sequence_number":2}"#,
        ),
        event(
            "response.completed",
            r#"{"response":{"id":"r"},"sequence_number":3}"#,
        ),
    ]);
    assert_eq!(items.len(), 4);
    assert!(items.iter().all(Result::is_ok), "{items:?}");
    assert!(decoder.finish().is_ok());
}

#[test]
fn a_protocol_error_is_malformed_with_its_offset() {
    let error = DecodeError::Protocol(Box::new(ProtocolError {
        offset: 42,
        violation: Violation::CreatedTwice,
        event: event("response.created", r#"{"response":{"id":"r"}}"#),
    }));
    assert_eq!(error.category(), ErrorCategory::Malformed);
    assert_eq!(error.offset(), Some(42));
    assert_eq!(
        error.to_string(),
        "protocol violation: event at byte 42: a second `response.created`"
    );
}

#[test]
fn a_json_schema_keeps_its_key_order_in_sorted_events() {
    let data = r#"{"response":{"id":"r","text":{"format":{"type":"json_schema","name":"n","schema":{"type":"object","properties":{}}}}},"sequence_number":0}"#;
    let e = event("response.created", data);
    let out = String::from_utf8(ResponsesEncoder::new().data(&e).unwrap()).unwrap();
    assert!(
        out.contains(r#""text":{"format":{"name":"n","schema":{"type":"object","properties":{}},"type":"json_schema"}}"#),
        "{out}"
    );
}

#[test]
fn constructors_and_sequence_numbers() {
    use super::*;
    let mut added = ResponseStreamEvent::OutputItemAdded(ResponseOutputItemEvent::new(
        ResponseOutputItem::Message(ResponseOutputMessage::default()),
        3,
    ));
    assert_eq!(added.sequence_number(), Some(0));
    added.set_sequence_number(7);
    assert_eq!(added.sequence_number(), Some(7));
    let ResponseStreamEvent::OutputItemAdded(data) = &added else {
        unreachable!()
    };
    assert_eq!(data.output_index, 3);

    let part = ResponseContentPartEvent::new(
        "msg_1",
        2,
        1,
        ResponseOutputContent::OutputText(ResponseOutputText::new("")),
    );
    assert_eq!(
        (part.item_id.as_str(), part.output_index, part.content_index),
        ("msg_1", 2, 1)
    );
    let mut events = vec![
        ResponseStreamEvent::ContentPartAdded(part),
        ResponseStreamEvent::Created(ResponseObjectEvent::default()),
        ResponseStreamEvent::OutputTextDelta(ResponseDeltaEvent::default()),
        ResponseStreamEvent::OutputTextDone(ResponseTextDoneEvent::default()),
        ResponseStreamEvent::ReasoningSummaryTextDelta(ResponseDeltaEvent::default()),
        ResponseStreamEvent::ReasoningTextDone(ResponseTextDoneEvent::default()),
        ResponseStreamEvent::FunctionCallArgumentsDone(
            ResponseFunctionCallArgumentsDoneEvent::default(),
        ),
        ResponseStreamEvent::Error(ResponseErrorEvent::default()),
    ];
    for (n, event) in (10..).zip(&mut events) {
        event.set_sequence_number(n);
        assert_eq!(event.sequence_number(), Some(n), "{}", event.kind());
    }
}

#[test]
fn the_event_name_dispatches_only_when_the_data_states_it() {
    use super::decoder::states_type;
    let data = r#"{"delta":"x","item_id":"m","output_index":0,"sequence_number":3,"type":"response.output_text.delta"}"#;
    assert!(states_type(data, "response.output_text.delta"));
    // A prefix of the type is not the type.
    assert!(!states_type(data, "response.output_text"));
    // Escaped quotes are text inside a value, not a key.
    assert!(!states_type(
        r#"{"delta":"\"type\":\"response.x\"","type":"response.y"}"#,
        "response.x"
    ));
    assert!(states_type(
        r#"{"delta":"\"type\":\"response.x\"","type":"response.y"}"#,
        "response.y"
    ));
    // Not compact: the slow path reads the type.
    assert!(!states_type(r#"{"type": "response.y"}"#, "response.y"));
    assert!(!states_type("", "response.y"));
    // The last key, matched at the end: only a `type` key with exactly that value.
    assert!(states_type(r#"{"a":1,"type":"response.y"}"#, "response.y"));
    assert!(!states_type(r#"{"kind":"response.y"}"#, "response.y"));
    assert!(!states_type(r#"{"type":"xresponse.y"}"#, "response.y"));
    assert!(!states_type(r#"{"type":"response.y"} "#, "response.yy"));
    // The first key: how OpenAI writes it.
    assert!(states_type(r#"{"type":"response.y","a":1}"#, "response.y"));
    assert!(!states_type(
        r#"{"type":"response.yy","a":1}"#,
        "response.y"
    ));
    assert!(!states_type(r#"{"type":"response.y"#, "response.y"));
    // Anywhere else is left to the parse, and a nested object's `type` is not the event's.
    assert!(!states_type(
        r#"{"a":1,"type":"response.y","b":2}"#,
        "response.y"
    ));
    assert!(!states_type(
        r#"{"item":{"type":"response.y"},"type":"response.z"}"#,
        "response.y"
    ));
    assert!(!states_type(
        r#"{"item":{"id":"i","type":"response.y"}}"#,
        "response.y"
    ));

    // An `event:` name the data contradicts: the data's `type` decides.
    let mut decoder = ResponsesStreamDecoder::new();
    decoder.push(b"event: response.created\ndata: {\"response\":{\"id\":\"r\"},\"sequence_number\":0,\"type\":\"response.created\"}\n\n");
    decoder.push(b"event: response.output_text.delta\ndata: {\"content_index\":0,\"item_id\":\"m\",\"output_index\":0,\"sequence_number\":1,\"text\":\"all\",\"type\":\"response.output_text.done\"}\n\n");
    let items: Vec<_> = (&mut decoder).collect();
    assert!(matches!(items[0], Ok(ResponseStreamEvent::Created(_))));
    // (The part was never added: a violation carrying the event, decoded by its type.)
    match &items[1] {
        Err(DecodeError::Protocol(p)) => {
            assert!(
                matches!(p.event, ResponseStreamEvent::OutputTextDone(_)),
                "{p:?}"
            );
        }
        Ok(event) => assert!(
            matches!(event, ResponseStreamEvent::OutputTextDone(_)),
            "{event:?}"
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn interleaved_items_are_each_checked_against_their_own_state() {
    // Two function calls open at once (output indexes 0 and 1), their argument deltas
    // alternating: every delta names its own item and index, so nothing is a violation; a
    // delta that names item b at item a's index is one.
    let call = |id: &str, index: u32, seq: u32| {
        event(
            "response.output_item.added",
            &format!(
                r#"{{"item":{{"type":"function_call","id":"{id}","call_id":"c_{id}","name":"f","arguments":""}},"output_index":{index},"sequence_number":{seq}}}"#
            ),
        )
    };
    let delta = |id: &str, index: u32, seq: u32| {
        event(
            "response.function_call_arguments.delta",
            &format!(
                r#"{{"item_id":"{id}","output_index":{index},"delta":"{{}}","sequence_number":{seq}}}"#
            ),
        )
    };
    let (_, items) = decode_encoded([
        created(),
        call("a", 0, 1),
        call("b", 1, 2),
        delta("a", 0, 3),
        delta("b", 1, 4),
        delta("a", 0, 5),
        delta("b", 0, 6),
    ]);
    assert_eq!(items.len(), 7);
    assert!(items[..6].iter().all(Result::is_ok), "{items:?}");
    match &items[6] {
        Err(DecodeError::Protocol(p)) => assert_eq!(
            p.violation,
            Violation::OutputIndexMismatch {
                item_id: "b".to_owned(),
                expected: 1,
                got: 0,
            }
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_delta_is_decoded_in_one_pass_only_when_its_data_agrees() {
    // What the one-pass delta path must leave to the general path, on both pull shapes: a
    // `type` other than the `event:` name, and a truthy `error` key.
    let stream = concat!(
        "event: response.output_text.delta\n",
        r#"data: {"delta":"a","item_id":"rs_1","output_index":0,"sequence_number":1,"summary_index":0,"type":"response.reasoning_summary_text.delta"}"#,
        "\n\n",
        "event: response.output_text.delta\n",
        r#"data: {"content_index":0,"delta":"b","error":{"message":"boom","type":"server_error"},"item_id":"msg_1","output_index":0,"sequence_number":2,"type":"response.output_text.delta"}"#,
        "\n\n",
        "event: response.output_text.delta\n",
        r#"data: {"content_index":0,"delta":"c","error":null,"item_id":"msg_1","output_index":0,"sequence_number":3,"type":"response.output_text.delta"}"#,
        "\n\n",
    );
    // Owned.
    let mut decoder = ResponsesStreamDecoder::new();
    decoder.push(stream.as_bytes());
    let items: Vec<_> = (&mut decoder).collect();
    assert_eq!(items.len(), 3, "{items:?}");
    // (No item was added: each delta is a violation carrying its event, decoded by its type.)
    let event_of = |item: &Result<ResponseStreamEvent, DecodeError>| match item {
        Ok(event) => Some(event.clone()),
        Err(DecodeError::Protocol(p)) => Some(p.event.clone()),
        Err(_) => None,
    };
    match event_of(&items[0]) {
        Some(ResponseStreamEvent::ReasoningSummaryTextDelta(d)) => assert_eq!(d.delta, "a"),
        other => panic!("the data's type decides: {other:?}"),
    }
    match &items[1] {
        Err(DecodeError::Upstream(e)) => assert!(e.body.contains("boom"), "{e:?}"),
        other => panic!("a truthy error key is an upstream error: {other:?}"),
    }
    match event_of(&items[2]) {
        Some(ResponseStreamEvent::OutputTextDelta(d)) => assert_eq!(d.delta, "c"),
        other => panic!("a null error key is no error: {other:?}"),
    }
    // Borrowed.
    let mut decoder = ResponsesStreamDecoder::new();
    decoder.push(stream.as_bytes());
    match decoder.next_ref() {
        Some(Err(DecodeError::Protocol(p))) => match &p.event {
            ResponseStreamEvent::ReasoningSummaryTextDelta(d) => assert_eq!(d.delta, "a"),
            other => panic!("the data's type decides: {other:?}"),
        },
        other => panic!("{other:?}"),
    }
    match decoder.next_ref() {
        Some(Err(DecodeError::Upstream(e))) => assert!(e.body.contains("boom"), "{e:?}"),
        other => panic!("a truthy error key is an upstream error: {other:?}"),
    }
    match decoder.next_ref() {
        Some(Err(DecodeError::Protocol(p))) => match &p.event {
            ResponseStreamEvent::OutputTextDelta(d) => assert_eq!(d.delta, "c"),
            other => panic!("a null error key is no error: {other:?}"),
        },
        other => panic!("{other:?}"),
    }
    assert!(decoder.next_ref().is_none());
}
