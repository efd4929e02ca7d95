//! Every public accessor, constructor, `Display` and classification rule, with values written
//! by hand.

use anthropic_wire::events::StreamEncoder;
use anthropic_wire::messages::{
    AnthropicMessage, ContentBlock, ContentBlockDelta, ErrorResponse, ImageBlock, ImageSource,
    MessageContent, MessageCreateParams, MessageParam, MessageRole, MessageStreamEvent,
    RedactedThinkingBlock, StopReason, TextBlock, ThinkingBlock, ThinkingType, ToolParam,
    ToolResultBlock, ToolUseBlock,
};
use anthropic_wire::response::{BodyKind, classify, decode_error_body, decode_json, encode_body};
use anthropic_wire::{
    AnthropicError, DecodeError, ErrorCategory, Escaping, RawJson, UnknownFields,
};

#[test]
fn classify_by_status_and_media_type() {
    let cases = [
        (200, Some("text/event-stream"), BodyKind::EventStream),
        (
            299,
            Some("Text/Event-Stream; charset=utf-8"),
            BodyKind::EventStream,
        ),
        (200, Some("application/json"), BodyKind::Json),
        (201, Some("application/problem+json"), BodyKind::Json),
        (
            400,
            Some("application/json; charset=utf-8"),
            BodyKind::JsonError,
        ),
        (500, Some("application/vnd.x+json"), BodyKind::JsonError),
        (404, Some("text/plain"), BodyKind::TextError),
        (200, Some("text/plain"), BodyKind::TextError),
        (200, None, BodyKind::TextError),
        (199, Some("application/json"), BodyKind::JsonError),
        (300, Some("text/event-stream"), BodyKind::TextError),
        (400, Some("text/event-stream"), BodyKind::TextError),
    ];
    for (status, media_type, kind) in cases {
        assert_eq!(
            classify(status, media_type),
            kind,
            "{status} {media_type:?}"
        );
    }
}

#[test]
fn decode_json_errors_by_kind() {
    for body in [&b"\xff{}"[..], b"{\"id\":"] {
        let err = decode_json::<AnthropicMessage>(200, body).unwrap_err();
        assert!(
            matches!(err, DecodeError::NotJson { offset: 0, .. }),
            "{body:?}: {err:?}"
        );
    }
    let err = decode_json::<AnthropicMessage>(200, b"{\"id\":\"x\"}").unwrap_err();
    assert!(
        matches!(err, DecodeError::UnexpectedJson { offset: 0, .. }),
        "{err:?}"
    );
    assert_eq!(err.offset(), Some(0));
    let err = decode_json::<serde_json::Value>(
        200,
        br#"{"type":"error","error":{"type":"api_error","message":"m"}}"#,
    )
    .unwrap_err();
    let DecodeError::Upstream(e) = err else {
        panic!()
    };
    assert_eq!(e.status, Some(200));
    assert_eq!(e.offset, None);
    assert_eq!(e.message(), "m");
    // Only an object whose type is "error" is an error: other values pass through.
    let v: serde_json::Value = decode_json(200, br#"{"type":"message"}"#).unwrap();
    assert_eq!(v["type"], "message");
    let v: serde_json::Value = decode_json(200, br#"["error"]"#).unwrap();
    assert_eq!(v[0], "error");
}

#[test]
fn anthropic_error_message_and_display_fall_back_to_the_body() {
    let empty = decode_error_body(500, b"");
    assert_eq!(empty.message(), "");
    assert_eq!(empty.to_string(), "HTTP 500 with an empty body");
    assert_eq!(empty.error_type(), None);
    assert_eq!(empty.request_id(), None);
    let text = decode_error_body(502, b"  Bad Gateway\n");
    assert_eq!(text.message(), "Bad Gateway");
    assert_eq!(text.to_string(), "HTTP 502: Bad Gateway");
    // A payload with an empty message falls back to the body too.
    let blank = decode_error_body(
        400,
        br#"{"type":"error","error":{"type":"api_error","message":""}}"#,
    );
    assert_eq!(blank.error_type(), Some("api_error"));
    assert_eq!(blank.message(), blank.body);
    let mut bare = blank.clone();
    bare.status = None;
    assert_eq!(bare.to_string(), bare.body);
    let mut at = bare.clone();
    at.offset = Some(7);
    assert_eq!(at.to_string(), format!("at byte 7: {}", at.body));
    let upstream = DecodeError::Upstream(Box::new(text));
    assert_eq!(upstream.category(), ErrorCategory::Upstream);
    assert_eq!(upstream.offset(), None);
    assert_eq!(upstream.to_string(), "upstream error HTTP 502: Bad Gateway");
}

#[test]
fn every_decode_error_has_a_category_and_an_offset() {
    let mut decoder = anthropic_wire::events::StreamDecoder::new();
    decoder.push(b"data: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
    let protocol = decoder.next().unwrap().unwrap_err();
    let cases = [
        (
            DecodeError::NotJson {
                offset: 3,
                source: serde_json::from_str::<u8>("x").unwrap_err(),
            },
            ErrorCategory::Malformed,
            Some(3),
        ),
        (
            DecodeError::UnexpectedJson {
                offset: 4,
                source: serde_json::from_str::<u8>("\"x\"").unwrap_err(),
            },
            ErrorCategory::Malformed,
            Some(4),
        ),
        (
            DecodeError::AfterEnd { offset: 5 },
            ErrorCategory::Malformed,
            Some(5),
        ),
        (
            DecodeError::Sse(anthropic_wire::sse::SseError::LineTooLong {
                offset: 6,
                limit: 1,
            }),
            ErrorCategory::Limit,
            Some(6),
        ),
        (
            DecodeError::Truncated {
                offset: 8,
                chunks: 0,
                sse: None,
            },
            ErrorCategory::Truncated,
            Some(8),
        ),
    ];
    for (error, category, offset) in &cases {
        assert_eq!(
            (error.category(), error.offset()),
            (*category, *offset),
            "{error:?}"
        );
    }
    assert_eq!(
        (protocol.category(), protocol.offset()),
        (ErrorCategory::Malformed, Some(0))
    );
    assert_eq!(
        protocol.to_string(),
        "event at byte 0: event before `message_start`"
    );
}

#[test]
fn open_enums_spell_known_and_unknown_values() {
    assert_eq!(StopReason::from("end_turn"), StopReason::EndTurn);
    assert_eq!(StopReason::from("max_tokens"), StopReason::MaxTokens);
    assert_eq!(StopReason::from("stop_sequence"), StopReason::StopSequence);
    assert_eq!(StopReason::from("tool_use"), StopReason::ToolUse);
    assert_eq!(StopReason::from("pause_turn"), StopReason::PauseTurn);
    assert_eq!(StopReason::from("refusal"), StopReason::Refusal);
    assert_eq!(StopReason::from("weird"), StopReason::Other("weird".into()));
    for reason in [
        "end_turn",
        "max_tokens",
        "stop_sequence",
        "tool_use",
        "pause_turn",
        "refusal",
        "weird",
    ] {
        let parsed = StopReason::from(reason);
        assert_eq!(parsed.as_str(), reason);
        assert_eq!(parsed.to_string(), reason);
        assert_eq!(
            serde_json::to_string(&parsed).unwrap(),
            format!("\"{reason}\"")
        );
        assert_eq!(
            serde_json::from_str::<StopReason>(&format!("\"{reason}\"")).unwrap(),
            parsed
        );
    }
    assert_eq!(MessageRole::from("user"), MessageRole::User);
    assert_eq!(MessageRole::from("assistant").as_str(), "assistant");
    assert_eq!(MessageRole::from("tool"), MessageRole::Other("tool".into()));
    assert_eq!(ThinkingType::from("enabled"), ThinkingType::Enabled);
    assert_eq!(ThinkingType::from("disabled").to_string(), "disabled");
    assert_eq!(ThinkingType::from("adaptive").as_str(), "adaptive");
}

#[test]
fn verbatim_json_and_unknown_fields() {
    let v = RawJson::from_json("[1, 2]").unwrap();
    assert_eq!(v.as_str(), "[1, 2]");
    assert_eq!(v.to_string(), "[1, 2]");
    assert_eq!(format!("{v:?}"), "[1, 2]");
    assert_eq!(v.parse::<Vec<u8>>().unwrap(), [1, 2]);
    assert!(v.parse::<String>().is_err());
    assert_ne!(v, RawJson::from_json("[1,2]").unwrap());
    assert!(RawJson::from_json("1 2").is_err());
    assert_eq!(
        RawJson::from_serialize(&["<"]).unwrap().as_str(),
        r#"["<"]"#
    );
    let mut fields = UnknownFields::new();
    assert!(fields.is_empty());
    fields.push("a", RawJson::from_json("1").unwrap());
    fields.push("b", RawJson::from_json("{}").unwrap());
    assert_eq!(fields.len(), 2);
    assert!(!fields.is_empty());
    assert_eq!(fields.get("b").unwrap().as_str(), "{}");
    assert!(fields.get("c").is_none());
    let keys: Vec<&str> = fields.iter().map(|(k, _)| k).collect();
    assert_eq!(keys, ["a", "b"]);
    assert_eq!(serde_json::to_string(&fields).unwrap(), r#"{"a":1,"b":{}}"#);
    let back: UnknownFields = serde_json::from_str(r#"{"a":1,"b":{}}"#).unwrap();
    assert_eq!(back, fields);
    assert!(serde_json::from_str::<UnknownFields>(r#"{"a":1,"a":2}"#).is_err());
}

#[test]
fn content_blocks_of_every_kind_round_trip_in_go_order() {
    let rows: [(ContentBlock, &str); 8] = [
        (
            ContentBlock::Text(TextBlock::new("a&b")),
            r#"{"type":"text","text":"a\u0026b"}"#,
        ),
        (
            ContentBlock::Image(ImageBlock::new(ImageSource::base64("image/png", "AAAA"))),
            r#"{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}"#,
        ),
        (
            ContentBlock::Image(ImageBlock::new(ImageSource::url("https://x/y.png"))),
            r#"{"type":"image","source":{"type":"url","url":"https://x/y.png"}}"#,
        ),
        (
            ContentBlock::ToolUse(ToolUseBlock::new(
                "c1",
                "f",
                RawJson::from_json("{}").unwrap(),
            )),
            r#"{"type":"tool_use","id":"c1","name":"f","input":{}}"#,
        ),
        (
            ContentBlock::ServerToolUse(ToolUseBlock::new(
                "s1",
                "web_search",
                RawJson::from_json(r#"{"query":"q"}"#).unwrap(),
            )),
            r#"{"type":"server_tool_use","id":"s1","name":"web_search","input":{"query":"q"}}"#,
        ),
        (
            ContentBlock::ToolResult(ToolResultBlock::new(
                "c1",
                vec![ContentBlock::Text(TextBlock::new("ok"))],
            )),
            r#"{"type":"tool_result","tool_use_id":"c1","content":[{"type":"text","text":"ok"}]}"#,
        ),
        (
            ContentBlock::Thinking(ThinkingBlock::new("hm")),
            r#"{"type":"thinking","thinking":"hm"}"#,
        ),
        (
            ContentBlock::RedactedThinking(RedactedThinkingBlock::new("enc")),
            r#"{"type":"redacted_thinking","data":"enc"}"#,
        ),
    ];
    let kinds = [
        "text",
        "image",
        "image",
        "tool_use",
        "server_tool_use",
        "tool_result",
        "thinking",
        "redacted_thinking",
    ];
    for ((block, json), kind) in rows.into_iter().zip(kinds) {
        assert_eq!(
            anthropic_wire::Encoder::new().to_vec(&block).unwrap(),
            json.as_bytes()
        );
        assert_eq!(serde_json::from_str::<ContentBlock>(json).unwrap(), block);
        assert_eq!(block.kind(), kind);
    }
    let mut result = ToolResultBlock::new("c2", "boom");
    result.is_error = Some(true);
    let json = r#"{"type":"tool_result","tool_use_id":"c2","content":"boom","is_error":true}"#;
    assert_eq!(
        serde_json::to_string(&ContentBlock::ToolResult(result)).unwrap(),
        json
    );
    // Unknown blocks and unknown keys are kept in order; `type` may be anywhere.
    let odd = r#"{"cache_control":{"type":"ephemeral"},"type":"document","source":{}}"#;
    let block: ContentBlock = serde_json::from_str(odd).unwrap();
    assert_eq!(block.kind(), "document");
    assert_eq!(serde_json::to_string(&block).unwrap(), odd);
    let text = r#"{"text":"x","type":"text","cache_control":{"type":"ephemeral"}}"#;
    let block: ContentBlock = serde_json::from_str(text).unwrap();
    let ContentBlock::Text(t) = &block else {
        panic!()
    };
    assert_eq!(
        t.extra.get("cache_control").unwrap().as_str(),
        r#"{"type":"ephemeral"}"#
    );
    assert_eq!(
        serde_json::to_string(&block).unwrap(),
        r#"{"type":"text","text":"x","cache_control":{"type":"ephemeral"}}"#
    );
    assert!(serde_json::from_str::<ContentBlock>(r#"{"text":"x"}"#).is_err());
    assert!(serde_json::from_str::<ContentBlock>(r#"{"type":"text"}"#).is_err());
    let no_type = ContentBlock::Unknown(UnknownFields::new());
    assert_eq!(no_type.kind(), "");
}

#[test]
fn message_content_text_joins_text_blocks() {
    assert_eq!(MessageContent::from("hi").text(), "hi");
    assert_eq!(
        MessageContent::from(String::from("yo")),
        MessageContent::Text("yo".into())
    );
    let blocks = MessageContent::from(vec![
        ContentBlock::Text(TextBlock::new("a")),
        ContentBlock::Thinking(ThinkingBlock::new("x")),
        ContentBlock::Text(TextBlock::new("b")),
    ]);
    assert_eq!(blocks.text(), "ab");
    assert!(serde_json::from_str::<MessageContent>("3").is_err());
    assert_eq!(
        serde_json::from_str::<MessageContent>("[]").unwrap(),
        MessageContent::Blocks(vec![])
    );
}

#[test]
fn message_accessors() {
    let body = r#"{"id":"m","type":"message","role":"assistant","model":"x","content":[{"type":"thinking","thinking":"a"},{"type":"text","text":"b"},{"type":"tool_use","id":"c","name":"f","input":{}},{"type":"thinking","thinking":"c"},{"type":"text","text":"d"}],"stop_reason":"tool_use","stop_sequence":"END","usage":{"input_tokens":1,"output_tokens":2}}"#;
    let message: AnthropicMessage = serde_json::from_str(body).unwrap();
    assert_eq!(message.text(), "bd");
    assert_eq!(message.thinking(), "ac");
    assert_eq!(message.tool_uses().count(), 1);
    assert_eq!(message.stop_sequence.as_deref(), Some("END"));
    assert_eq!(serde_json::to_string(&message).unwrap(), body);
    let fresh = AnthropicMessage::new("msg_1", "qwen3");
    assert_eq!(
        serde_json::to_string(&fresh).unwrap(),
        r#"{"id":"msg_1","type":"message","role":"assistant","model":"qwen3","content":[],"usage":{"input_tokens":0,"output_tokens":0}}"#
    );
}

#[test]
fn request_constructor_and_stream_flag() {
    let mut request =
        MessageCreateParams::new("m", 8, vec![MessageParam::new(MessageRole::User, "hi")]);
    assert!(!request.is_stream());
    request.stream = Some(false);
    assert!(!request.is_stream());
    request.stream = Some(true);
    assert!(request.is_stream());
    request.tools = Some(vec![ToolParam::new("f", Some("does f".into()), None)]);
    assert_eq!(
        serde_json::to_string(&request).unwrap(),
        r#"{"model":"m","max_tokens":8,"stream":true,"tools":[{"name":"f","description":"does f"}],"messages":[{"role":"user","content":"hi"}]}"#
    );
    // Numbers are kept as sent: 0 stays 0, 0.5 stays 0.5.
    let sent = r#"{"model":"m","max_tokens":1,"temperature":0,"top_p":0.5,"top_k":40,"stop_sequences":["\n"],"tool_choice":{"type":"tool","name":"f","disable_parallel_tool_use":true},"metadata":{"user_id":"u"},"messages":[]}"#;
    let parsed: MessageCreateParams = serde_json::from_str(sent).unwrap();
    assert_eq!(parsed.top_k, Some(40));
    assert_eq!(
        parsed.tool_choice.as_ref().unwrap().name.as_deref(),
        Some("f")
    );
    assert_eq!(
        parsed.metadata.as_ref().unwrap().user_id.as_deref(),
        Some("u")
    );
    assert_eq!(serde_json::to_string(&parsed).unwrap(), sent);
}

#[test]
fn delta_kinds_and_event_indices() {
    assert_eq!(ContentBlockDelta::text("a").block_kind(), Some("text"));
    assert_eq!(
        ContentBlockDelta::thinking("a").block_kind(),
        Some("thinking")
    );
    assert_eq!(
        ContentBlockDelta::signature("a").block_kind(),
        Some("thinking")
    );
    assert_eq!(
        ContentBlockDelta::input_json("a").block_kind(),
        Some("tool_use")
    );
    assert_eq!(
        ContentBlockDelta::Unknown(UnknownFields::new()).block_kind(),
        None
    );
    assert_eq!(ContentBlockDelta::text("a").kind(), "text_delta");
    assert_eq!(ContentBlockDelta::thinking("a").kind(), "thinking_delta");
    assert_eq!(ContentBlockDelta::signature("a").kind(), "signature_delta");
    assert_eq!(
        ContentBlockDelta::input_json("a").kind(),
        "input_json_delta"
    );
    let events = [
        (
            r#"{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}"#,
            Some(1),
        ),
        (
            r#"{"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":""}}"#,
            Some(2),
        ),
        (r#"{"type":"content_block_stop","index":3}"#, Some(3)),
        (r#"{"type":"message_stop"}"#, None),
        (r#"{"type":"ping"}"#, None),
    ];
    for (json, index) in events {
        let event: MessageStreamEvent = serde_json::from_str(json).unwrap();
        assert_eq!(event.index(), index, "{json}");
        assert_eq!(serde_json::to_string(&event).unwrap(), json);
    }
}

#[test]
fn the_encoder_writes_error_events_and_refuses_bad_event_names() {
    let mut out = Vec::new();
    let mut encoder = StreamEncoder::new();
    assert_eq!(encoder.escaping(), Escaping::Go);
    encoder
        .encode_error(
            &ErrorResponse::new("overloaded_error", "Overloaded"),
            &mut out,
        )
        .unwrap();
    assert_eq!(
        out,
        b"event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"
    );
    let bad: MessageStreamEvent = serde_json::from_str(r#"{"type":"a\nb"}"#).unwrap();
    let mut out = Vec::new();
    assert!(encoder.encode(&bad, &mut out).is_err());
    assert!(out.is_empty());
    let mut minimal = StreamEncoder::with_escaping(Escaping::Minimal);
    let mut out = Vec::new();
    minimal
        .encode(&serde_json::from_str(r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"<&>"}}"#).unwrap(), &mut out)
        .unwrap();
    assert_eq!(
        out,
        b"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"<&>\"}}\n\n"
    );
    assert_eq!(encode_body(&"<").unwrap(), b"\"\\u003c\"\n");
}

#[test]
fn error_response_constructor() {
    let e = ErrorResponse::new("api_error", "x");
    assert_eq!(e.kind, "error");
    assert_eq!(e.error.kind, "api_error");
    assert_eq!(e.request_id, None);
    let mut error: AnthropicError = decode_error_body(400, &serde_json::to_vec(&e).unwrap());
    assert_eq!(error.payload.as_ref(), Some(&e));
    error.status = None;
    assert_eq!(error.message(), "x");
    assert_eq!(error.to_string(), "x");
}

#[test]
fn decoder_counters_before_the_end() {
    let mut decoder = anthropic_wire::events::StreamDecoder::new();
    assert!(!decoder.is_done());
    assert_eq!(decoder.buffered_len(), 0);
    decoder.push(b"event: ping\ndata: {\"type\":\"pi");
    assert_eq!(decoder.next().map(|r| r.is_ok()), None);
    // The unfinished line `data: {"type":"pi` (17 bytes); the `event:` line is already parsed.
    assert_eq!(decoder.buffered_len(), 17);
    decoder.push(b"ng\"}\n\n");
    assert!(decoder.next().unwrap().is_ok());
    assert_eq!(decoder.chunks(), 1);
    assert!(!decoder.is_done());
    assert_eq!(decoder.open_block(), None);
}
