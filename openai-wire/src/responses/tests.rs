//! Unit tests of what the integration tests cannot reach: the consistency tracker on items
//! without an id, and the `DecodeError::Protocol` plumbing.

use super::*;
use crate::error::{DecodeError, ErrorCategory};

fn event(kind: &str, data: &str) -> ResponseStreamEvent {
    ResponseStreamEvent::from_data(kind, data).unwrap()
}

#[test]
fn items_without_an_id_are_not_tracked() {
    let mut decoder = ResponsesStreamDecoder::new();
    let mut encoder = ResponsesEncoder::new();
    let mut body = Vec::new();
    for e in [
        event(
            "response.created",
            r#"{"response":{"id":"r"},"sequence_number":0}"#,
        ),
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
    ] {
        encoder.encode(&e, &mut body).unwrap();
    }
    decoder.push(&body);
    let items: Vec<_> = (&mut decoder).collect();
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
