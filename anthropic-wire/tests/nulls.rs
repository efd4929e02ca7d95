//! An optional key sent as `null` is written back as `null`, one left out stays out.
//!
//! Real Anthropic writes `"stop_reason":null,"stop_sequence":null` in `message_start` and
//! `"stop_sequence":null` in `message_delta` (the event sequence of
//! <https://docs.anthropic.com/en/docs/build-with-claude/streaming>, here without the spaces
//! after the colons, and `model` before `content`, the order this crate writes known keys in,
//! which is Ollama's); Ollama leaves both keys out (`anthropic/anthropic.go` of ollama/ollama,
//! and the 0.33.0-rc2 recordings of this corpus).

use anthropic_wire::events::{StreamDecoder, StreamEncoder};
use anthropic_wire::messages::{
    AnthropicMessage, MessageDelta, MessageStreamEvent, MessageStreamEventRef, StopReason,
};

/// A short stream in the documented shape.
const ANTHROPIC_STREAM: &str = concat!(
    "event: message_start\n",
    r#"data: {"type":"message_start","message":{"id":"msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY","type":"message","role":"assistant","model":"claude-opus-4-6","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"output_tokens":1}}}"#,
    "\n\n",
    "event: content_block_start\n",
    r#"data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
    "\n\n",
    "event: content_block_delta\n",
    r#"data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}"#,
    "\n\n",
    "event: content_block_stop\n",
    r#"data: {"type":"content_block_stop","index":0}"#,
    "\n\n",
    "event: message_delta\n",
    r#"data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}"#,
    "\n\n",
    "event: message_stop\n",
    r#"data: {"type":"message_stop"}"#,
    "\n\n",
);

fn decode(stream: &str) -> Vec<MessageStreamEvent> {
    let mut decoder = StreamDecoder::new();
    decoder.push(stream.as_bytes());
    let mut events: Vec<MessageStreamEvent> = decoder.by_ref().map(Result::unwrap).collect();
    decoder.finish().expect("the stream ends with message_stop");
    events.extend(decoder.map(Result::unwrap));
    events
}

fn encode(events: &[MessageStreamEvent]) -> String {
    let mut encoder = StreamEncoder::new();
    let mut out = Vec::new();
    for event in events {
        encoder.encode(event, &mut out).unwrap();
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn an_anthropic_stream_with_null_keys_re_encodes_byte_for_byte() {
    let events = decode(ANTHROPIC_STREAM);
    assert_eq!(events.len(), 6);
    match &events[0] {
        MessageStreamEvent::MessageStart(start) => {
            assert_eq!(start.message.stop_reason, None);
            assert_eq!(start.message.stop_sequence, None);
            assert_eq!(
                start.message.extra.nulls().collect::<Vec<_>>(),
                ["stop_reason", "stop_sequence"]
            );
            assert!(start.message.extra.is_empty(), "no unknown keys");
        }
        other => panic!("expected message_start, got {other:?}"),
    }
    match &events[4] {
        MessageStreamEvent::MessageDelta(delta) => {
            assert_eq!(delta.delta.stop_reason, Some(StopReason::EndTurn));
            assert_eq!(
                delta.delta.extra.nulls().collect::<Vec<_>>(),
                ["stop_sequence"]
            );
        }
        other => panic!("expected message_delta, got {other:?}"),
    }
    assert_eq!(encode(&events), ANTHROPIC_STREAM);
}

#[test]
fn the_borrowed_decoder_keeps_the_nulls_too() {
    let mut decoder = StreamDecoder::new();
    decoder.push(ANTHROPIC_STREAM.as_bytes());
    let mut events = Vec::new();
    while let Some(event) = decoder.next_as::<MessageStreamEventRef<'_>>() {
        events.push(event.unwrap().into_owned());
    }
    decoder.finish().expect("the stream ends with message_stop");
    assert_eq!(encode(&events), ANTHROPIC_STREAM);
}

#[test]
fn an_absent_key_stays_absent_and_a_null_one_differs_from_it() {
    let absent: MessageDelta = serde_json::from_str(r#"{"stop_reason":"end_turn"}"#).unwrap();
    let null: MessageDelta =
        serde_json::from_str(r#"{"stop_reason":"end_turn","stop_sequence":null}"#).unwrap();
    assert_eq!(absent.extra.nulls().count(), 0);
    assert_eq!(
        serde_json::to_string(&absent).unwrap(),
        r#"{"stop_reason":"end_turn"}"#
    );
    assert_ne!(absent, null, "null and absent are different bytes");
    // Both null: each written back in its place, in the order received.
    let both: MessageDelta =
        serde_json::from_str(r#"{"stop_sequence":null,"stop_reason":null}"#).unwrap();
    assert_eq!(
        both.extra.nulls().collect::<Vec<_>>(),
        ["stop_sequence", "stop_reason"]
    );
    assert_eq!(
        serde_json::to_string(&both).unwrap(),
        r#"{"stop_reason":null,"stop_sequence":null}"#,
        "known keys are written in the type's order"
    );
}

#[test]
fn a_value_set_over_a_null_key_is_written_instead_of_the_null() {
    let json = r#"{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":0}}"#;
    let mut message: AnthropicMessage = serde_json::from_str(json).unwrap();
    assert_eq!(serde_json::to_string(&message).unwrap(), json);
    message.stop_reason = Some(StopReason::MaxTokens);
    assert_eq!(
        serde_json::to_string(&message).unwrap(),
        json.replace(r#""stop_reason":null"#, r#""stop_reason":"max_tokens""#)
    );
}

#[test]
fn a_type_written_out_of_order_keeps_its_nulls() {
    // `type` not first: the entries are captured raw, then the variant decoded from them.
    let data =
        r#"{"delta":{"stop_sequence":null},"type":"message_delta","usage":{"output_tokens":2}}"#;
    let event: MessageStreamEvent = serde_json::from_str(data).unwrap();
    match &event {
        MessageStreamEvent::MessageDelta(delta) => {
            assert_eq!(
                delta.delta.extra.nulls().collect::<Vec<_>>(),
                ["stop_sequence"]
            );
        }
        other => panic!("expected message_delta, got {other:?}"),
    }
    assert_eq!(
        serde_json::to_string(&event).unwrap(),
        r#"{"type":"message_delta","delta":{"stop_sequence":null},"usage":{"output_tokens":2}}"#
    );
}

#[test]
fn a_message_built_in_code_omits_what_it_does_not_set() {
    let message = AnthropicMessage::new("msg_1", "m");
    assert_eq!(message.extra.nulls().count(), 0);
    let json = serde_json::to_string(&message).unwrap();
    assert!(!json.contains("stop_reason"), "{json}");
}
