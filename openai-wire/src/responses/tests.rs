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

/// `fast::delta` against serde_json: where the reader gives a value it is serde_json's, and it
/// gives one for the shapes Ollama writes.
mod fast_delta {
    use std::borrow::Cow;

    use proptest::prelude::*;

    use super::super::fast;
    use super::*;

    /// The reader's value, checked against serde_json's (borrowed and owned types).
    fn agree(data: &str) -> Option<ResponseDeltaEventRef<'_>> {
        let fast = fast::delta(data);
        let serde = serde_json::from_str::<ResponseDeltaEventRef<'_>>(data);
        if let Some(fast) = &fast {
            assert_eq!(Some(fast), serde.as_ref().ok(), "{data}");
            let owned: ResponseDeltaEvent = serde_json::from_str(data).unwrap();
            assert_eq!(fast.clone().into_owned(), owned, "{data}");
        }
        fast
    }

    #[test]
    fn ollama_shapes_are_read_and_borrowed_without_escapes() {
        let data = r#"{"content_index":0,"delta":"Hi","item_id":"msg_1","logprobs":[],"output_index":2,"sequence_number":3,"type":"response.output_text.delta"}"#;
        let e = agree(data).expect("read");
        assert_eq!(e.content_index, Some(0));
        assert!(matches!(e.delta, Cow::Borrowed("Hi")));
        assert!(matches!(e.item_id, Cow::Borrowed("msg_1")));
        assert_eq!(e.logprobs, Some(vec![]));
        assert_eq!((e.output_index, e.sequence_number), (2, 3));
        assert_eq!((e.summary_index, e.obfuscation.as_deref()), (None, None));

        let data = r#"{"delta":" \u003cb\u003e \"q\" \\ \/ \n\t\r\b\f \u00e9 \ud83d\ude00 x","item_id":"rs_1","output_index":0,"sequence_number":18446744073709551615,"summary_index":4294967295,"type":"response.reasoning_summary_text.delta"}"#;
        let e = agree(data).expect("read");
        assert_eq!(
            e.delta, " <b> \"q\" \\ / \n\t\r\u{8}\u{c} é 😀 x",
            "unescaped by hand, not by the reader"
        );
        assert!(matches!(e.delta, Cow::Owned(_)));
        assert_eq!(e.sequence_number, u64::MAX);
        assert_eq!(e.summary_index, Some(u32::MAX));

        let data = " { \"delta\" : \"\" , \"obfuscation\" : \"ab\", \"content_index\" : null, \"logprobs\" : null } \n";
        let e = agree(data).expect("read");
        assert_eq!(
            (e.delta.as_ref(), e.obfuscation.as_deref()),
            ("", Some("ab"))
        );
        assert_eq!((e.content_index, e.logprobs), (None, None));
        assert_eq!(agree("{}"), Some(ResponseDeltaEventRef::default()));
    }

    #[test]
    fn everything_else_is_left_to_serde() {
        for data in [
            r#"{"delta":"a","extra":1}"#,     // unknown key (serde: ignored)
            r#"{"delta":"a","delta":"b"}"#,   // duplicate (serde: error)
            r#"{"output_index":4294967296}"#, // beyond u32
            r#"{"sequence_number":18446744073709551616}"#, // beyond u64
            r#"{"output_index":01}"#,         // leading zero
            r#"{"output_index":-1}"#,         // sign
            r#"{"output_index":1.0}"#,        // fraction
            r#"{"output_index":1e2}"#,        // exponent
            r#"{"output_index":null}"#,       // null for a plain field
            r#"{"delta":null}"#,              // null text
            r#"{"delta":"\ud83d"}"#,          // lone leading surrogate
            r#"{"delta":"\ude00"}"#,          // lone trailing surrogate
            r#"{"delta":"\x"}"#,              // bad escape
            "{\"delta\":\"a\u{1}b\"}",        // control character
            r#"{"logprobs":[{"token":"a"}]}"#, // a non-empty array
            r#"{"type":"a\"b"}"#,             // an escaped type
            r#"{"type":1}"#,                  // a type that is no string
            r#"{"delta":"a"} x"#,             // trailing text
            r#"{"delta":"a",}"#,              // trailing comma
            r#"{"delta":"a""#,                // cut
            r#"{"delta":"a"#,                 // cut in a string
            r#"[]"#,
            "",
        ] {
            assert_eq!(agree(data), None, "{data}");
        }
    }

    proptest! {
        /// Any text and numbers, as serde_json writes them: read, and equal to serde_json's.
        #[test]
        fn serde_written_deltas_are_read_alike(
            delta in "\\PC{0,24}|[\\u{0}-\\u{7f}]{0,24}",
            item_id in "[a-z_0-9]{0,12}",
            output_index in any::<u32>(),
            sequence_number in any::<u64>(),
            content_index in proptest::option::of(any::<u32>()),
        ) {
            let data = serde_json::json!({
                "content_index": content_index,
                "delta": delta,
                "item_id": item_id,
                "logprobs": [],
                "output_index": output_index,
                "sequence_number": sequence_number,
                "type": "response.output_text.delta",
            })
            .to_string();
            let e = agree(&data);
            prop_assert!(e.is_some(), "{data}");
            prop_assert_eq!(e.unwrap().delta, delta.as_str());
        }

        /// Any bytes spliced into a delta: whenever the reader gives a value, it is serde_json's.
        #[test]
        fn mangled_deltas_never_disagree(
            cut in 0usize..120,
            insert in "[\\\\\"{}:,0-9a-z\\[\\] \\u{1}u]{0,4}",
        ) {
            let base = r#"{"content_index":0,"delta":"a\u003cb\n","item_id":"m","logprobs":[],"output_index":7,"sequence_number":12,"type":"response.output_text.delta"}"#;
            let at = cut.min(base.len());
            let data = format!("{}{insert}{}", &base[..at], &base[at..]);
            agree(&data);
        }
    }
}
