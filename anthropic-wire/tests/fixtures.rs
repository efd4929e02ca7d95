//! The recorded Ollama 0.33.0-rc2 `/v1/messages` exchanges (`fixtures/anthropic`): every
//! stream decodes with its hand-counted event count and re-encodes byte for byte, every
//! non-streamed body and request round-trips, every error decodes to its recorded values.

use anthropic_wire::events::{StreamDecoder, StreamEncoder};
use anthropic_wire::messages::{
    AnthropicMessage, ContentBlock, MessageContent, MessageCreateParams, MessageStreamEvent,
    StopReason, ThinkingType,
};
use anthropic_wire::response::{BodyKind, classify, decode_error_body, decode_json, encode_body};
use anthropic_wire::{DecodeError, ErrorCategory};
use test_support::{FixtureCase, SplitPlan, Wire, case, cases, split_plans};

/// The `[expect]` of every case, copied by hand from its `case.toml`: outcome and chunk count.
const EXPECT: &[(&str, &str, u64)] = &[
    ("ollama033-err-msg-malformed-json", "upstream-error", 0),
    ("ollama033-err-msg-missing-max-tokens", "upstream-error", 0),
    (
        "ollama033-err-msg-tools-on-plain-stream",
        "upstream-error",
        0,
    ),
    ("ollama033-msg-count-tokens", "upstream-error", 0),
    ("ollama033-msg-plain-nostream", "single", 1),
    ("ollama033-msg-plain-stream", "done", 29),
    ("ollama033-msg-system-blocks-stream", "done", 21),
    ("ollama033-msg-thinking-nostream", "single", 1),
    (
        "ollama033-msg-thinking-on-plain-accepted-stream",
        "done",
        13,
    ),
    ("ollama033-msg-thinking-stream", "done", 28),
    ("ollama033-msg-thinking-then-tool-nostream", "single", 1),
    ("ollama033-msg-tools-fewshot-stream", "done", 45),
    ("ollama033-msg-tools-nostream", "single", 1),
    ("ollama033-msg-tools-stream", "done", 45),
];

fn all() -> Vec<FixtureCase> {
    // The recorded Ollama 0.33 cases; the constructed ones are conformance's.
    let all: Vec<FixtureCase> = cases(Wire::Anthropic)
        .into_iter()
        .filter(|c| c.id.starts_with("ollama033-"))
        .collect();
    let ids: Vec<&str> = all.iter().map(|c| c.id.as_str()).collect();
    let expected: Vec<&str> = EXPECT.iter().map(|e| e.0).collect();
    assert_eq!(ids, expected, "the corpus changed: update EXPECT");
    all
}

fn expect(id: &str) -> (&'static str, u64) {
    let row = EXPECT.iter().find(|e| e.0 == id).unwrap();
    (row.1, row.2)
}

/// Decodes `pieces` in turn; every item rendered (`Debug`), then the verdict.
fn decode(pieces: &[&[u8]]) -> (Vec<MessageStreamEvent>, Vec<String>) {
    let mut decoder = StreamDecoder::new();
    let mut events = Vec::new();
    let mut rendered = Vec::new();
    for piece in pieces {
        decoder.push(piece);
        for item in &mut decoder {
            rendered.push(format!("{item:?}"));
            events.push(item.unwrap_or_else(|e| panic!("unexpected error {e}")));
        }
    }
    rendered.push(format!("{:?}", decoder.finish()));
    (events, rendered)
}

#[test]
fn every_case_is_classified_by_its_status_and_content_type() {
    for case in all() {
        let kind = classify(case.meta.status, case.meta.content_type.as_deref());
        let (outcome, _) = expect(&case.id);
        let want = match outcome {
            "done" => BodyKind::EventStream,
            "single" => BodyKind::Json,
            _ if case.id == "ollama033-msg-count-tokens" => BodyKind::TextError,
            _ => BodyKind::JsonError,
        };
        assert_eq!(kind, want, "{}", case.id);
    }
}

#[test]
fn every_recorded_stream_decodes_cleanly_with_its_event_count_and_reencodes_byte_exact() {
    let mut streams = 0;
    for case in all().into_iter().filter(FixtureCase::is_stream) {
        streams += 1;
        let (outcome, chunks) = expect(&case.id);
        assert_eq!(outcome, "done");
        let mut decoder = StreamDecoder::new();
        decoder.push(&case.body);
        let events: Vec<MessageStreamEvent> = (&mut decoder)
            .map(|item| item.unwrap_or_else(|e| panic!("{}: {e}", case.id)))
            .collect();
        assert_eq!(events.len() as u64, chunks, "{}", case.id);
        assert_eq!(decoder.chunks(), chunks, "{}", case.id);
        assert!(decoder.is_done(), "{}", case.id);
        assert_eq!(decoder.open_block(), None, "{}", case.id);
        assert_eq!(decoder.buffered_len(), 0, "{}", case.id);
        decoder.finish().unwrap();
        assert!(matches!(
            events.first(),
            Some(MessageStreamEvent::MessageStart(_))
        ));
        assert!(matches!(
            events.last(),
            Some(MessageStreamEvent::MessageStop(_))
        ));

        let mut encoder = StreamEncoder::new();
        case.assert_reencodes(&events, |event, out| encoder.encode(event, out).unwrap());
    }
    assert_eq!(streams, 6);
}

#[test]
fn any_split_of_every_recorded_stream_gives_the_same_items() {
    for case in all().into_iter().filter(FixtureCase::is_stream) {
        let (_, whole) = decode(&[&case.body]);
        let mut plans = split_plans(&case.id);
        plans.push(SplitPlan::Lines { seed: 7, cuts: 3 });
        for plan in plans {
            let pieces = plan.split(&case.body);
            let (_, items) = decode(&pieces);
            assert_eq!(items, whole, "{} split {plan:?}", case.id);
        }
    }
}

#[test]
fn the_plain_stream_carries_the_recorded_text_usage_and_stop_reason() {
    let case = case(Wire::Anthropic, "ollama033-msg-plain-stream");
    let (events, _) = decode(&[&case.body]);
    let MessageStreamEvent::MessageStart(start) = &events[0] else {
        panic!("{:?}", events[0])
    };
    assert_eq!(start.message.id, "msg_e3fdd2ac8928bc989d0dc3d4");
    assert_eq!(start.message.model, "gemma3-plain");
    assert_eq!(start.message.usage.input_tokens, 9);
    assert_eq!(start.message.stop_reason, None);
    let mut text = String::new();
    for event in &events {
        if let MessageStreamEvent::ContentBlockDelta(d) = event {
            assert_eq!(d.index, 0);
            let anthropic_wire::messages::ContentBlockDelta::TextDelta(t) = &d.delta else {
                panic!("{d:?}")
            };
            text.push_str(&t.text);
        }
    }
    assert_eq!(text.chars().count(), 97);
    assert!(
        text.starts_with("Say hello in one long sentence.\nSay hello in one short sentence.\n")
    );
    let MessageStreamEvent::MessageDelta(delta) = &events[events.len() - 2] else {
        panic!()
    };
    assert_eq!(delta.delta.stop_reason, Some(StopReason::MaxTokens));
    assert_eq!(delta.usage.input_tokens, Some(9));
    assert_eq!(delta.usage.output_tokens, 24);
}

/// `message_start` carries Ollama's estimate of the prompt tokens (a quarter of the request's
/// text length), `message_delta` the real count: they differ in most recorded streams.
#[test]
fn message_start_usage_is_an_estimate_and_message_delta_the_count() {
    let rows = [
        ("ollama033-msg-plain-stream", 9, 9),
        ("ollama033-msg-system-blocks-stream", 8, 11),
        ("ollama033-msg-thinking-on-plain-accepted-stream", 1, 3),
        ("ollama033-msg-thinking-stream", 6, 33),
        ("ollama033-msg-tools-fewshot-stream", 142, 169),
        ("ollama033-msg-tools-stream", 38, 91),
    ];
    for (id, estimate, count) in rows {
        let (events, _) = decode(&[&case(Wire::Anthropic, id).body]);
        let MessageStreamEvent::MessageStart(start) = &events[0] else {
            panic!("{id}")
        };
        assert_eq!(start.message.usage.input_tokens, estimate, "{id}");
        assert_eq!(start.message.usage.output_tokens, 0, "{id}");
        let MessageStreamEvent::MessageDelta(delta) = &events[events.len() - 2] else {
            panic!("{id}")
        };
        assert_eq!(delta.usage.input_tokens, Some(count), "{id}");
    }
}

#[test]
fn the_thinking_stream_is_one_thinking_block_with_go_escaped_text() {
    let case = case(Wire::Anthropic, "ollama033-msg-thinking-stream");
    let (events, _) = decode(&[&case.body]);
    let MessageStreamEvent::ContentBlockStart(start) = &events[1] else {
        panic!()
    };
    assert!(
        matches!(&start.content_block, ContentBlock::Thinking(t) if t.thinking.is_empty() && t.signature.is_none())
    );
    let MessageStreamEvent::ContentBlockDelta(first) = &events[2] else {
        panic!()
    };
    assert_eq!(
        first.delta,
        anthropic_wire::messages::ContentBlockDelta::thinking("<|")
    );
}

#[test]
fn every_non_streamed_body_round_trips_byte_exact() {
    let mut bodies = 0;
    for case in all() {
        if expect(&case.id).0 != "single" {
            continue;
        }
        bodies += 1;
        let message: AnthropicMessage = decode_json(case.meta.status, &case.body).unwrap();
        assert_eq!(message.kind, "message");
        // json.NewEncoder: Go escaping and one trailing newline.
        assert_eq!(encode_body(&message).unwrap(), case.body, "{}", case.id);
    }
    assert_eq!(bodies, 4);
}

#[test]
fn the_thinking_then_tool_body_has_both_blocks() {
    let case = case(Wire::Anthropic, "ollama033-msg-thinking-then-tool-nostream");
    let message: AnthropicMessage = decode_json(200, &case.body).unwrap();
    assert_eq!(message.thinking(), "<think>\nNeed weather.");
    let calls: Vec<_> = message.tool_uses().collect();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].id, "call_7ukmdup5");
    assert_eq!(calls[0].name, "get_weather");
    assert_eq!(
        calls[0].input.as_ref().unwrap().as_str(),
        r#"{"city":"Paris"}"#
    );
    assert_eq!(message.stop_reason, Some(StopReason::ToolUse));
    assert_eq!(message.usage.input_tokens, 195);
    assert_eq!(message.usage.output_tokens, 40);
    assert_eq!(message.text(), "");
}

/// The request bodies were written by a Python client with `json.dumps(…, separators=(",",
/// ":"))`: compact, keys in insertion order, no HTML escaping (`<think>` is literal), and a
/// trailing newline in the file. Our field order is that client's order, so they round-trip
/// byte for byte with serde_json's (minimal) escaping.
#[test]
fn every_request_round_trips_byte_exact() {
    let mut requests = 0;
    for case in all() {
        let bytes = std::fs::read(case.dir.join("request.json")).unwrap();
        if case.id == "ollama033-err-msg-malformed-json" {
            let err = serde_json::from_slice::<MessageCreateParams>(&bytes).unwrap_err();
            assert!(err.is_eof(), "{err}");
            continue;
        }
        requests += 1;
        let request: MessageCreateParams = serde_json::from_slice(&bytes).unwrap();
        let mut out = serde_json::to_vec(&request).unwrap();
        out.push(b'\n');
        assert_eq!(
            String::from_utf8(out).unwrap(),
            String::from_utf8(bytes).unwrap(),
            "{}",
            case.id
        );
        assert_eq!(
            request.is_stream(),
            case.id.ends_with("-stream"),
            "{}",
            case.id
        );
    }
    assert_eq!(requests, 13);
}

#[test]
fn request_details_decode_to_the_sent_values() {
    let read = |id: &str| -> MessageCreateParams {
        let bytes = std::fs::read(case(Wire::Anthropic, id).dir.join("request.json")).unwrap();
        serde_json::from_slice(&bytes).unwrap()
    };
    let missing = read("ollama033-err-msg-missing-max-tokens");
    assert_eq!(missing.max_tokens, None);
    assert_eq!(
        missing.messages[0].content,
        MessageContent::Text("hi".into())
    );

    let system = read("ollama033-msg-system-blocks-stream");
    assert_eq!(system.system.as_ref().unwrap().text(), "You are terse.");
    assert!(matches!(&system.system, Some(MessageContent::Blocks(b)) if b.len() == 1));
    assert_eq!(system.messages[0].content.text(), "Name a colour.");
    assert_eq!(system.temperature.as_ref().unwrap().as_u64(), Some(0));

    let thinking = read("ollama033-msg-thinking-stream");
    let config = thinking.thinking.unwrap();
    assert_eq!(config.kind, ThinkingType::Enabled);
    assert_eq!(config.budget_tokens, Some(1024));

    let fewshot = read("ollama033-msg-tools-fewshot-stream");
    assert_eq!(fewshot.messages.len(), 9);
    let tools = fewshot.tools.as_ref().unwrap();
    assert_eq!(tools[0].name, "get_weather");
    assert_eq!(
        tools[0].input_schema.as_ref().unwrap().as_str(),
        r#"{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"#
    );
    let MessageContent::Blocks(blocks) = &fewshot.messages[1].content else {
        panic!()
    };
    assert!(matches!(&blocks[0], ContentBlock::ToolUse(t) if t.id == "toolu_01"));
    let MessageContent::Blocks(blocks) = &fewshot.messages[2].content else {
        panic!()
    };
    let ContentBlock::ToolResult(result) = &blocks[0] else {
        panic!()
    };
    assert_eq!(result.tool_use_id, "toolu_01");
    assert_eq!(result.content, Some(MessageContent::Text("Sunny".into())));
    assert_eq!(result.is_error, None);
}

#[test]
fn every_error_body_decodes_to_its_recorded_type_message_and_request_id() {
    let rows = [
        (
            "ollama033-err-msg-malformed-json",
            400,
            Some("invalid_request_error"),
            "unexpected EOF",
            Some("req_ffdfbc64aaa29464aca23428"),
        ),
        (
            "ollama033-err-msg-missing-max-tokens",
            400,
            Some("invalid_request_error"),
            "max_tokens is required and must be positive",
            Some("req_415d23421509d15068d1066c"),
        ),
        (
            "ollama033-err-msg-tools-on-plain-stream",
            400,
            Some("invalid_request_error"),
            "registry.ollama.ai/library/gemma3-plain:latest does not support tools",
            Some("req_704e4915e8839091735f072d"),
        ),
        (
            "ollama033-msg-count-tokens",
            404,
            None,
            "404 page not found",
            None,
        ),
    ];
    for (id, status, kind, message, request_id) in rows {
        let case = case(Wire::Anthropic, id);
        assert_eq!(case.meta.status, status);
        let error = decode_error_body(case.meta.status, &case.body);
        assert_eq!(error.status, Some(status), "{id}");
        assert_eq!(error.error_type(), kind, "{id}");
        assert_eq!(error.message(), message, "{id}");
        assert_eq!(error.request_id(), request_id, "{id}");
        assert_eq!(error.body.as_bytes(), case.body.as_slice());
        assert_eq!(error.to_string(), format!("HTTP {status}: {message}"));
        // The same bodies through decode_json are upstream errors too (or not JSON at all).
        let err = decode_json::<AnthropicMessage>(status, &case.body).unwrap_err();
        let want = if kind.is_some() {
            ErrorCategory::Upstream
        } else {
            ErrorCategory::Malformed
        };
        assert_eq!(err.category(), want, "{id}");
        if let DecodeError::Upstream(e) = err {
            assert_eq!(*e, error);
        }
    }
}

/// The error bodies re-encode byte for byte: the gin-written ones (request validation: no
/// trailing newline) with `Encoder::to_vec`, the one Ollama's writer wrote (`json.NewEncoder`)
/// with `encode_body`.
#[test]
fn error_bodies_reencode_byte_exact() {
    for id in [
        "ollama033-err-msg-malformed-json",
        "ollama033-err-msg-missing-max-tokens",
    ] {
        let case = case(Wire::Anthropic, id);
        let error = decode_error_body(400, &case.body).payload.unwrap();
        assert_eq!(
            anthropic_wire::Encoder::new().to_vec(&error).unwrap(),
            case.body,
            "{id}"
        );
    }
    let case = case(Wire::Anthropic, "ollama033-err-msg-tools-on-plain-stream");
    let error = decode_error_body(400, &case.body).payload.unwrap();
    assert_eq!(encode_body(&error).unwrap(), case.body);
}
