//! Borrowed decoding (`StreamDecoder::next_as::<MessageStreamEventRef>`) gives what the owned
//! decoder gives: the same items, errors, offsets and verdicts, for every recorded stream and
//! for hostile ones, under every split; and the text of a compact delta is not copied.

use std::borrow::Cow;

use anthropic_wire::events::StreamDecoder;
use anthropic_wire::messages::{
    ContentBlockDelta, ContentBlockDeltaRef, MessageStreamEvent, MessageStreamEventRef,
};
use test_support::{Wire, assert_borrowed_equals_owned, cases};

/// Renders every item of `pieces` pushed in turn, then the verdict; borrowed items as their
/// owned form.
fn decode(pieces: &[&[u8]], borrowed: bool) -> Vec<String> {
    let mut decoder = StreamDecoder::new();
    let mut out = Vec::new();
    for piece in pieces {
        decoder.push(piece);
        if borrowed {
            while let Some(item) = decoder.next_as::<MessageStreamEventRef<'_>>() {
                out.push(format!("{:?}", item.map(MessageStreamEventRef::into_owned)));
            }
        } else {
            for item in &mut decoder {
                out.push(format!("{item:?}"));
            }
        }
    }
    out.push(format!("{:?}", decoder.finish()));
    out
}

const START: &str = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"usage\":{\"input_tokens\":1,\"output_tokens\":0}}}\n\n";

#[test]
fn every_recorded_stream_decodes_the_same_borrowed() {
    let bodies: Vec<(String, Vec<u8>)> = cases(Wire::Anthropic)
        .into_iter()
        .filter(|c| c.is_stream())
        .map(|c| (c.id.clone(), c.body))
        .collect();
    assert!(bodies.len() >= 10, "{} streams", bodies.len());
    let deltas = assert_borrowed_equals_owned(&bodies, decode, |item| {
        item.starts_with("Ok(ContentBlockDelta(")
    });
    assert!(deltas > 100, "{deltas} deltas compared");
}

#[test]
fn hostile_streams_decode_the_same_borrowed() {
    let events = [
        // Escapes, non-ASCII, type not first, unknown keys, repeated keys, bad JSON.
        r#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
        r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a\"b\\c\u00e9\n"}}"#,
        r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"é😀"}}"#,
        r#"{"index":0,"delta":{"text":"late","type":"text_delta"},"type":"content_block_delta"}"#,
        r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x","n":123456789012345678901234567890},"z":[1, 2]}"#,
        r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x","text":"y"}}"#,
        r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"},"type":"ping"}"#,
        r#"{"type":"content_block_delta","index":00,"delta":{"type":"text_delta","text":"x"}}"#,
        r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"bad \x"}}"#,
        r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"tab	raw"}}"#,
        r#"{"type":"content_block_delta","index":18446744073709551616,"delta":{"type":"text_delta","text":"x"}}"#,
        r#"{"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":{"a":1}}}"#,
        r#"{"type":"content_block_delta", "index":0,"delta":{"type":"text_delta","text":"spaced"}}"#,
        r#"{"type":"content_block_delta","index":3,"delta":{"type":"text_delta","text":"unknown block"}}"#,
        r#"{"type":"shine","b":{"x":[1,2.50]},"a":1}"#,
        r#"{"b":1,"type":"shine"}"#,
        r#"{"type":"error","error":{"type":"overloaded_error","message":"busy"}}"#,
        r#"not json"#,
        r#"{"type":"content_block_stop","index":0}"#,
        r#"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":2}}"#,
        r#"{"type":"message_stop"}"#,
        r#"{"type":"ping"}"#,
    ];
    let mut body = START.to_owned();
    for data in events {
        body.push_str(&format!("data: {data}\n\n"));
    }
    let bodies = vec![("hostile".to_owned(), body.into_bytes())];
    let errors = assert_borrowed_equals_owned(&bodies, decode, |item| item.starts_with("Err("));
    // Repeated keys (2), the leading zero, the bad escape, the raw tab, the u64 overflow, the
    // delta to block 3, the error event, the bad JSON, and the ping after the end.
    assert_eq!(errors, 10);
}

#[test]
fn compact_delta_text_is_borrowed_and_escaped_text_unescaped() {
    let body = format!(
        "{START}event: content_block_start\ndata: {{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{{\"type\":\"text\",\"text\":\"\"}}}}\n\n\
         event: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{{\"type\":\"text_delta\",\"text\":\"plain\"}}}}\n\n\
         event: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{{\"type\":\"text_delta\",\"text\":\"\\u003cb\\u003e\"}}}}\n\n"
    );
    let mut decoder = StreamDecoder::new();
    decoder.push(body.as_bytes());
    let mut texts = Vec::new();
    while let Some(item) = decoder.next_as::<MessageStreamEventRef<'_>>() {
        if let MessageStreamEventRef::ContentBlockDelta(d) = item.unwrap() {
            let ContentBlockDeltaRef::TextDelta(t) = d.delta else {
                panic!()
            };
            texts.push((matches!(t.text, Cow::Borrowed(_)), t.text.into_owned()));
        }
    }
    assert_eq!(
        texts,
        [(true, "plain".to_owned()), (false, "<b>".to_owned())]
    );
}

#[test]
fn the_borrowed_event_types_decode_like_the_owned_ones_with_serde_json() {
    for data in [
        r#"{"type":"content_block_delta","index":7,"delta":{"type":"thinking_delta","thinking":"hm"}}"#,
        r#"{"delta":{"partial_json":"{\"a\":1}","type":"input_json_delta"},"index":1,"type":"content_block_delta","x":null}"#,
        r#"{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"c2ln"}}"#,
        r#"{"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":{}}}"#,
        r#"{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":2}}"#,
        r#"{"x":1,"type":"glow"}"#,
    ] {
        let owned: MessageStreamEvent = serde_json::from_str(data).unwrap();
        let borrowed: MessageStreamEventRef<'_> = serde_json::from_str(data).unwrap();
        assert_eq!(borrowed.kind(), owned.kind(), "{data}");
        assert_eq!(borrowed.index(), owned.index(), "{data}");
        assert_eq!(borrowed.into_owned(), owned, "{data}");
    }
    let data = r#"{"type":"content_block_delta","index":7,"delta":{"type":"thinking_delta","thinking":"hm"}}"#;
    let owned: MessageStreamEvent = serde_json::from_str(data).unwrap();
    let MessageStreamEvent::ContentBlockDelta(d) = owned else {
        panic!()
    };
    assert_eq!(d.index, 7);
    assert_eq!(d.delta, ContentBlockDelta::thinking("hm"));
}
