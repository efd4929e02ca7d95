//! `ResponseStreamEventRef` and `ResponseDeltaEventRef` on their own: each delta type decodes
//! to its borrowed variant, the accessors (`kind`, `sequence_number`, `is_terminal`, `delta`)
//! of delta and other events, `obfuscation`, and `next_ref` yielding the borrowed variants.

use std::borrow::Cow;

use openai_wire::DecodeError;
use openai_wire::responses::{
    ResponseDeltaEventRef, ResponseStreamEvent, ResponseStreamEventRef, ResponsesStreamDecoder,
    Violation,
};

const DELTA_TYPES: [&str; 4] = [
    "response.output_text.delta",
    "response.reasoning_summary_text.delta",
    "response.reasoning_text.delta",
    "response.function_call_arguments.delta",
];

/// The variant's position in `DELTA_TYPES`, `None` for `Other`.
fn variant(event: &ResponseStreamEventRef<'_>) -> Option<usize> {
    match event {
        ResponseStreamEventRef::OutputTextDelta(_) => Some(0),
        ResponseStreamEventRef::ReasoningSummaryTextDelta(_) => Some(1),
        ResponseStreamEventRef::ReasoningTextDelta(_) => Some(2),
        ResponseStreamEventRef::FunctionCallArgumentsDelta(_) => Some(3),
        _ => None,
    }
}

#[test]
fn each_delta_type_decodes_to_its_borrowed_variant() {
    for (k, kind) in DELTA_TYPES.into_iter().enumerate() {
        let data = format!(
            r#"{{"delta":"d","item_id":"m","output_index":0,"sequence_number":7,"type":"{kind}"}}"#
        );
        let event = ResponseStreamEventRef::from_data(kind, &data).unwrap();
        assert_eq!(variant(&event), Some(k), "{kind}: {event:?}");
        assert_eq!(event.kind(), kind);
        assert_eq!(event.sequence_number(), Some(7), "{kind}");
        assert!(!event.is_terminal(), "{kind}");
        let delta = event.delta().expect("a delta");
        assert!(matches!(delta.delta, Cow::Borrowed("d")), "{kind}");
        assert!(matches!(delta.item_id, Cow::Borrowed("m")), "{kind}");
        // Made owned: the owned decoder's event of that type.
        let owned = event.into_owned();
        assert_eq!(owned.kind(), kind);
        let (ResponseStreamEvent::OutputTextDelta(d)
        | ResponseStreamEvent::ReasoningSummaryTextDelta(d)
        | ResponseStreamEvent::ReasoningTextDelta(d)
        | ResponseStreamEvent::FunctionCallArgumentsDelta(d)) = &owned
        else {
            panic!("{owned:?}")
        };
        assert_eq!((d.delta.as_str(), d.sequence_number), ("d", 7));
    }
}

#[test]
fn other_events_are_owned_with_their_accessors() {
    for (kind, terminal) in [
        ("response.created", false),
        ("response.in_progress", false),
        ("response.completed", true),
        ("response.incomplete", true),
        ("response.failed", true),
    ] {
        let data = format!(r#"{{"response":{{"id":"r"}},"sequence_number":7,"type":"{kind}"}}"#);
        let event = ResponseStreamEventRef::from_data(kind, &data).unwrap();
        assert_eq!(variant(&event), None, "{kind}");
        assert_eq!(event.kind(), kind);
        assert_eq!(event.sequence_number(), Some(7), "{kind}");
        assert_eq!(event.is_terminal(), terminal, "{kind}");
        assert!(event.delta().is_none());
    }
    // A `…done` type is not a delta type, though it ends like one.
    let data = r#"{"item_id":"m","output_index":0,"sequence_number":3,"text":"t"}"#;
    let event = ResponseStreamEventRef::from_data("response.output_text.done", data).unwrap();
    assert_eq!(variant(&event), None);
    assert_eq!(event.kind(), "response.output_text.done");
    assert_eq!(event.sequence_number(), Some(3));
    // An event without a number.
    let event = ResponseStreamEventRef::from_data("error", r#"{"message":"m"}"#).unwrap();
    assert_eq!(event.kind(), "error");
    assert_eq!(event.sequence_number(), None);
    assert!(!event.is_terminal());
}

#[test]
fn obfuscation_is_read_borrowed_or_unescaped() {
    let d: ResponseDeltaEventRef<'_> =
        serde_json::from_str(r#"{"delta":"x","obfuscation":"pad","sequence_number":1}"#).unwrap();
    assert!(matches!(d.obfuscation, Some(Cow::Borrowed("pad"))));
    assert_eq!((d.delta.as_ref(), d.sequence_number), ("x", 1));
    let d: ResponseDeltaEventRef<'_> =
        serde_json::from_str(r#"{"delta":"x","obfuscation":"p\"d"}"#).unwrap();
    assert_eq!(d.obfuscation.as_deref(), Some("p\"d"));
    assert!(matches!(d.obfuscation, Some(Cow::Owned(_))));
    let d: ResponseDeltaEventRef<'_> =
        serde_json::from_str(r#"{"delta":"x","obfuscation":null}"#).unwrap();
    assert_eq!(d.obfuscation, None);
    let d: ResponseDeltaEventRef<'_> = serde_json::from_str(r#"{"delta":"x"}"#).unwrap();
    assert_eq!(d.obfuscation, None);
    assert!(serde_json::from_str::<ResponseDeltaEventRef<'_>>(r#"{"obfuscation":5}"#).is_err());
    // Made owned: the owned decoder's field.
    let d: ResponseDeltaEventRef<'_> =
        serde_json::from_str(r#"{"delta":"x","obfuscation":"pad"}"#).unwrap();
    assert_eq!(d.into_owned().obfuscation.as_deref(), Some("pad"));
}

/// One frame as Ollama writes it.
fn ev(kind: &str, fields: &str) -> String {
    format!("event: {kind}\ndata: {{{fields},\"type\":\"{kind}\"}}\n\n")
}

#[test]
fn next_ref_yields_each_delta_borrowed() {
    let item = |id: &str, index: u32, seq: u64| {
        ev(
            "response.output_item.added",
            &format!(
                r#""item":{{"content":[],"id":"{id}","type":"message"}},"output_index":{index},"sequence_number":{seq}"#
            ),
        )
    };
    let mut body = ev(
        "response.created",
        r#""response":{"id":"r"},"sequence_number":0"#,
    );
    body += &item("m", 0, 1);
    body += &ev(
        "response.content_part.added",
        r#""content_index":0,"item_id":"m","output_index":0,"part":{"text":"","type":"output_text"},"sequence_number":2"#,
    );
    body += &item("rs", 1, 3);
    body += &item("fc", 2, 4);
    let deltas = [("m", 0), ("rs", 1), ("rs", 1), ("fc", 2)];
    for (k, (kind, (id, index))) in DELTA_TYPES.into_iter().zip(deltas).enumerate() {
        body += &ev(
            kind,
            &format!(
                r#""content_index":0,"delta":"t{k}","item_id":"{id}","obfuscation":"o{k}","output_index":{index},"sequence_number":{seq}"#,
                seq = 5 + k
            ),
        );
    }
    let mut decoder = ResponsesStreamDecoder::new();
    decoder.push(body.as_bytes());
    let mut seen = Vec::new();
    while let Some(item) = decoder.next_ref() {
        let event = item.unwrap();
        if let Some(d) = event.delta() {
            assert!(matches!(d.delta, Cow::Borrowed(_)), "{event:?}");
            seen.push((
                variant(&event),
                event.kind().to_owned(),
                d.delta.to_string(),
                d.obfuscation.as_deref().map(str::to_owned),
                event.sequence_number(),
            ));
        } else {
            assert_eq!(variant(&event), None);
        }
    }
    let expected: Vec<_> = (0..4)
        .map(|k| {
            (
                Some(k),
                DELTA_TYPES[k].to_owned(),
                format!("t{k}"),
                Some(format!("o{k}")),
                Some(5 + k as u64),
            )
        })
        .collect();
    assert_eq!(seen, expected);
}

#[test]
fn a_delta_before_created_names_its_type() {
    for kind in DELTA_TYPES {
        let body = ev(
            kind,
            r#""content_index":0,"delta":"x","item_id":"m","output_index":0,"sequence_number":0"#,
        );
        for by_ref in [false, true] {
            let mut decoder = ResponsesStreamDecoder::new();
            decoder.push(body.as_bytes());
            let item = if by_ref {
                decoder
                    .next_ref()
                    .map(|i| i.map(ResponseStreamEventRef::into_owned))
            } else {
                decoder.next()
            };
            let Some(Err(DecodeError::Protocol(error))) = item else {
                panic!("{kind}: {item:?}")
            };
            // The first violation found: the order.
            assert_eq!(
                error.violation,
                Violation::BeforeCreated {
                    kind: kind.to_owned()
                }
            );
            assert_eq!(error.event.kind(), kind);
            assert_eq!(error.offset, 0);
        }
    }
}

#[test]
fn a_borrowed_delta_debugs_its_public_fields_only() {
    let data = r#"{"content_index":0,"delta":"Hi","item_id":"msg_1","logprobs":[],"output_index":0,"sequence_number":3,"type":"response.output_text.delta"}"#;
    let delta: ResponseDeltaEventRef<'_> = serde_json::from_str(data).unwrap();
    assert_eq!(
        format!("{delta:?}"),
        r#"ResponseDeltaEventRef { content_index: Some(0), delta: "Hi", item_id: "msg_1", logprobs: Some([]), obfuscation: None, output_index: 0, sequence_number: 3, summary_index: None, .. }"#
    );
}
