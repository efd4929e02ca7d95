//! Properties: encode ∘ decode is the identity on generated events (under both escapings),
//! and any split of an encoded stream gives the same items.

use anthropic_wire::Escaping;
use anthropic_wire::events::{StreamDecoder, StreamEncoder};
use anthropic_wire::messages::{
    AnthropicMessage, AnthropicUsage, ContentBlock, ContentBlockDelta, ContentBlockDeltaEvent,
    ContentBlockStartEvent, ContentBlockStopEvent, MessageDelta, MessageDeltaEvent,
    MessageDeltaUsage, MessageStartEvent, MessageStopEvent, MessageStreamEvent, PingEvent,
    StopReason, TextBlock, ThinkingBlock, ToolUseBlock,
};
use anthropic_wire::{DecodeError, RawJson};
use proptest::prelude::*;

/// Text with the characters that matter: Go's HTML escapes, quotes, controls, newlines, non-ASCII.
fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("<".to_owned()),
            Just(">".to_owned()),
            Just("&".to_owned()),
            Just("\"".to_owned()),
            Just("\\".to_owned()),
            Just("\n".to_owned()),
            Just("\r".to_owned()),
            Just("\u{2028}".to_owned()),
            Just("\u{1}".to_owned()),
            Just("é".to_owned()),
            Just("🦀".to_owned()),
            "[a-z ]{0,6}",
        ],
        0..6,
    )
    .prop_map(|parts| parts.concat())
}

fn stop_reason() -> impl Strategy<Value = Option<StopReason>> {
    prop_oneof![
        Just(None),
        Just(Some(StopReason::EndTurn)),
        Just(Some(StopReason::MaxTokens)),
        Just(Some(StopReason::ToolUse)),
        "[a-z_]{1,8}".prop_map(|s| Some(StopReason::from(s.as_str()))),
    ]
}

fn block() -> impl Strategy<Value = ContentBlock> {
    prop_oneof![
        text().prop_map(|t| ContentBlock::Text(TextBlock::new(t))),
        (text(), proptest::option::of(text())).prop_map(|(t, s)| {
            let mut b = ThinkingBlock::new(t);
            b.signature = s;
            ContentBlock::Thinking(b)
        }),
        (text(), "[a-z_]{1,8}", any::<u64>()).prop_map(|(id, name, n)| {
            let input = RawJson::from_json(format!("{{\"n\":{n}}}")).unwrap();
            ContentBlock::ToolUse(ToolUseBlock::new(id, name, input))
        }),
    ]
}

fn delta() -> impl Strategy<Value = ContentBlockDelta> {
    prop_oneof![
        text().prop_map(ContentBlockDelta::text),
        text().prop_map(ContentBlockDelta::thinking),
        text().prop_map(ContentBlockDelta::signature),
        text().prop_map(ContentBlockDelta::input_json),
    ]
}

fn event() -> impl Strategy<Value = MessageStreamEvent> {
    prop_oneof![
        (text(), text(), any::<u64>()).prop_map(|(id, model, n)| {
            let mut m = AnthropicMessage::new(id, model);
            m.usage = AnthropicUsage::new(n, 0);
            MessageStreamEvent::MessageStart(MessageStartEvent::new(m))
        }),
        (any::<u64>(), block()).prop_map(|(i, b)| {
            MessageStreamEvent::ContentBlockStart(ContentBlockStartEvent::new(i, b))
        }),
        (any::<u64>(), delta()).prop_map(|(i, d)| {
            MessageStreamEvent::ContentBlockDelta(ContentBlockDeltaEvent::new(i, d))
        }),
        any::<u64>()
            .prop_map(|i| MessageStreamEvent::ContentBlockStop(ContentBlockStopEvent::new(i))),
        (
            stop_reason(),
            proptest::option::of(text()),
            proptest::option::of(any::<u64>()),
            any::<u64>()
        )
            .prop_map(|(r, s, i, o)| {
                MessageStreamEvent::MessageDelta(MessageDeltaEvent::new(
                    MessageDelta::new(r, s),
                    MessageDeltaUsage::new(i, o),
                ))
            }),
        Just(MessageStreamEvent::Ping(PingEvent::new())),
    ]
}

/// The event of an item, whether it was legal here or a protocol violation.
fn event_of(item: Result<MessageStreamEvent, DecodeError>) -> MessageStreamEvent {
    match item {
        Ok(event) => event,
        Err(DecodeError::Protocol(e)) => e.into_event(),
        Err(other) => panic!("{other}"),
    }
}

proptest! {
    #[test]
    fn encode_then_decode_is_the_identity(
        events in proptest::collection::vec(event(), 0..12),
        go in any::<bool>(),
        cuts in proptest::collection::vec(1usize..40, 1..8),
    ) {
        let escaping = if go { Escaping::Go } else { Escaping::Minimal };
        let mut encoder = StreamEncoder::with_escaping(escaping);
        prop_assert_eq!(encoder.escaping(), escaping);
        let mut body = Vec::new();
        for event in &events {
            encoder.encode(event, &mut body).unwrap();
        }
        encoder.encode(&MessageStreamEvent::MessageStop(MessageStopEvent::new()), &mut body).unwrap();
        if go {
            // Go escaping leaves no raw `<`, `>`, `&` anywhere in the data.
            prop_assert!(!body.iter().any(|b| matches!(b, b'<' | b'>' | b'&')));
        }

        let mut decoder = StreamDecoder::new();
        decoder.push(&body);
        let decoded: Vec<MessageStreamEvent> = (&mut decoder).map(event_of).collect();
        prop_assert_eq!(decoded.len(), events.len() + 1);
        prop_assert_eq!(&decoded[..events.len()], &events[..]);
        decoder.finish().unwrap();

        // Re-encoding the decoded events gives the same bytes.
        let mut again = Vec::new();
        let mut encoder = StreamEncoder::with_escaping(escaping);
        for event in &decoded {
            encoder.encode(event, &mut again).unwrap();
        }
        prop_assert_eq!(&again, &body);

        // Any split gives the same items.
        let whole: Vec<String> = {
            let mut d = StreamDecoder::new();
            d.push(&body);
            (&mut d).map(|i| format!("{i:?}")).collect()
        };
        let plan = test_support::SplitPlan::Sizes(&cuts);
        let mut d = StreamDecoder::new();
        let mut split = Vec::new();
        for piece in plan.split(&body) {
            d.push(piece);
            split.extend((&mut d).map(|i| format!("{i:?}")));
        }
        prop_assert_eq!(split, whole);
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut decoder = StreamDecoder::new();
        decoder.push(&bytes);
        for item in &mut decoder {
            let _ = item.map_err(|e| e.category());
        }
        let _ = decoder.finish();
    }
}
