//! Hostile and broken input: each case asserts the exact typed outcome and category. Never a
//! panic, never silently dropped data.
//!
//! | input                                   | outcome                                          |
//! |-----------------------------------------|--------------------------------------------------|
//! | data that is not JSON                   | `NotJson` at the event, decoding goes on          |
//! | JSON of the wrong shape                 | `UnexpectedJson` at the event                     |
//! | a line over the SSE limit               | `Sse(LineTooLong)` (`Limit`), decoding goes on    |
//! | input cut mid-event                     | `finish` → `Truncated` with the pending SSE input |
//! | events after `message_stop`             | one `AfterEnd`, then nothing; `finish` is `Ok`    |
//! | an unknown event type                   | `Unknown`, kept verbatim                          |
//! | an empty 200 body                       | `finish` → `Truncated { 0, 0, None }`             |
//! | an `error` event                        | `Upstream` with type, message, offset             |
//! | content blocks nested 10,000 deep       | `UnexpectedJson` (nesting bound), no overflow     |
//! | numbers beyond u64 in tool input        | kept verbatim; as an index: `UnexpectedJson`      |

use anthropic_wire::events::StreamDecoder;
use anthropic_wire::messages::{ContentBlock, MessageStreamEvent};
use anthropic_wire::sse::{SseConfig, SseError};
use anthropic_wire::{DecodeError, ErrorCategory, RawJson};

const START: &str = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"usage\":{\"input_tokens\":1,\"output_tokens\":0}}}\n\n";
const STOP: &str = "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
const PING: &str = "event: ping\ndata: {\"type\":\"ping\"}\n\n";

fn run(
    mut decoder: StreamDecoder,
    body: &[u8],
) -> (
    Vec<Result<MessageStreamEvent, DecodeError>>,
    Result<(), DecodeError>,
) {
    decoder.push(body);
    let items = (&mut decoder).collect();
    let verdict = decoder.finish();
    (items, verdict)
}

fn outcome(item: &Result<MessageStreamEvent, DecodeError>) -> String {
    match item {
        Ok(event) => event.kind().into_owned(),
        Err(e) => format!(
            "{}@{}",
            match e {
                DecodeError::Sse(_) => "Sse",
                DecodeError::NotJson { .. } => "NotJson",
                DecodeError::UnexpectedJson { .. } => "UnexpectedJson",
                DecodeError::Protocol(_) => "Protocol",
                DecodeError::AfterEnd { .. } => "AfterEnd",
                DecodeError::Upstream(_) => "Upstream",
                DecodeError::Truncated { .. } => "Truncated",
                _ => "other",
            },
            e.offset().map_or("-".to_owned(), |o| o.to_string())
        ),
    }
}

fn outcomes(body: &str) -> Vec<String> {
    run(StreamDecoder::new(), body.as_bytes())
        .0
        .iter()
        .map(outcome)
        .collect()
}

#[test]
fn data_that_is_not_json_is_reported_at_its_event_and_decoding_goes_on() {
    let body = format!("{START}event: content_block_delta\ndata: hello\n\n{STOP}");
    assert_eq!(
        outcomes(&body),
        ["message_start", "NotJson@184", "message_stop"]
    );
    let (items, verdict) = run(StreamDecoder::new(), body.as_bytes());
    assert_eq!(
        items[1].as_ref().unwrap_err().category(),
        ErrorCategory::Malformed
    );
    assert!(
        items[1]
            .as_ref()
            .unwrap_err()
            .to_string()
            .starts_with("data at byte 184 is not JSON: ")
    );
    verdict.unwrap();
}

#[test]
fn json_of_the_wrong_shape_is_unexpected_json() {
    let rows = [
        r#"[1,2]"#,
        r#"{}"#,
        r#"{"type":5}"#,
        r#"{"type":"content_block_start","index":"zero","content_block":{"type":"text","text":""}}"#,
        r#"{"type":"content_block_start","index":0}"#,
        r#"{"type":"content_block_start","index":-1,"content_block":{"type":"text","text":""}}"#,
        r#"{"type":"content_block_start","index":18446744073709551616,"content_block":{"type":"text","text":""}}"#,
        r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta"}}"#,
        r#"{"type":"content_block_stop","index":0,"index":1}"#,
        r#"{"type":"message_start","message":{"id":"m"}}"#,
        r#""message_stop""#,
    ];
    for data in rows {
        let body = format!("{START}data: {data}\n\n");
        let (items, _) = run(StreamDecoder::new(), body.as_bytes());
        assert_eq!(outcome(&items[1]), "UnexpectedJson@184", "{data}");
        let error = items[1].as_ref().unwrap_err();
        assert_eq!(error.category(), ErrorCategory::Malformed);
        assert!(
            error
                .to_string()
                .starts_with("data at byte 184 is JSON of an unexpected shape: "),
            "{error}"
        );
    }
}

#[test]
fn a_line_over_the_limit_is_a_limit_error_and_decoding_goes_on() {
    let config = SseConfig::default().with_max_line_bytes(300);
    let long = format!(
        "data: {{\"type\":\"ping\",\"pad\":\"{}\"}}\n\n",
        "x".repeat(1000)
    );
    let body = format!("{START}{long}{PING}{STOP}");
    let (items, verdict) = run(StreamDecoder::with_config(config), body.as_bytes());
    let rendered: Vec<String> = items.iter().map(outcome).collect();
    assert_eq!(
        rendered,
        ["message_start", "Sse@184", "ping", "message_stop"]
    );
    assert!(matches!(
        &items[1],
        Err(DecodeError::Sse(SseError::LineTooLong {
            offset: 184,
            limit: 300
        }))
    ));
    assert_eq!(
        items[1].as_ref().unwrap_err().category(),
        ErrorCategory::Limit
    );
    verdict.unwrap();
}

#[test]
fn input_cut_mid_event_is_truncated_with_the_pending_input() {
    let body = format!("{START}event: content_block_start\ndata: {{\"type\":\"content_blo");
    let (items, verdict) = run(StreamDecoder::new(), body.as_bytes());
    assert_eq!(items.len(), 1);
    let Err(DecodeError::Truncated {
        offset,
        chunks,
        sse,
    }) = verdict
    else {
        panic!("{verdict:?}")
    };
    assert_eq!(offset, body.len() as u64);
    assert_eq!(offset, 184 + 27 + 26);
    assert_eq!(chunks, 1);
    assert_eq!(sse.unwrap().offset, 184);
    let error = DecodeError::Truncated {
        offset: 237,
        chunks: 1,
        sse: None,
    };
    assert_eq!(error.category(), ErrorCategory::Truncated);
    assert_eq!(error.offset(), Some(237));
    assert_eq!(
        error.to_string(),
        "stream ended at byte 237 without `message_stop` after 1 event(s)"
    );
}

#[test]
fn a_stream_ending_between_events_without_message_stop_is_truncated() {
    let (_, verdict) = run(StreamDecoder::new(), format!("{START}{PING}").as_bytes());
    assert!(matches!(
        verdict,
        Err(DecodeError::Truncated {
            offset: 219,
            chunks: 2,
            sse: None
        })
    ));
}

#[test]
fn an_empty_body_is_truncated() {
    let (items, verdict) = run(StreamDecoder::new(), b"");
    assert!(items.is_empty());
    assert!(matches!(
        verdict,
        Err(DecodeError::Truncated {
            offset: 0,
            chunks: 0,
            sse: None
        })
    ));
}

#[test]
fn events_after_message_stop_are_reported_once() {
    let body = format!("{START}{STOP}{PING}{PING}data: not json\n\n");
    let (items, verdict) = run(StreamDecoder::new(), body.as_bytes());
    let rendered: Vec<String> = items.iter().map(outcome).collect();
    assert_eq!(rendered, ["message_start", "message_stop", "AfterEnd@235"]);
    assert_eq!(
        items[2].as_ref().unwrap_err().to_string(),
        "event at byte 235 after `message_stop`"
    );
    verdict.unwrap();
}

#[test]
fn a_cut_event_after_message_stop_is_reported_by_finish() {
    let body = format!("{START}{STOP}event: ping\ndata: {{");
    let (items, verdict) = run(StreamDecoder::new(), body.as_bytes());
    assert_eq!(items.len(), 2);
    assert!(matches!(
        verdict,
        Err(DecodeError::AfterEnd { offset: 235 })
    ));
    // Reported once: a second finish is Ok.
    let mut decoder = StreamDecoder::new();
    decoder.push(body.as_bytes());
    assert_eq!(decoder.by_ref().count(), 2);
    assert!(decoder.finish().is_err());
    assert!(decoder.finish().is_ok());
}

#[test]
fn a_limit_error_after_message_stop_is_data_after_the_end() {
    let config = SseConfig::default().with_max_line_bytes(180);
    let body = format!("{START}{STOP}data: {}\n\n{PING}", "y".repeat(200));
    let (items, verdict) = run(StreamDecoder::with_config(config), body.as_bytes());
    let rendered: Vec<String> = items.iter().map(outcome).collect();
    assert_eq!(rendered, ["message_start", "message_stop", "AfterEnd@235"]);
    verdict.unwrap();
}

#[test]
fn an_unknown_event_type_is_kept_verbatim() {
    let data = r#"{"type":"content_block_glow","index":0,"big":123456789012345678901234567890,"nested":{"a":[1,2.50]}}"#;
    let body = format!("{START}event: content_block_glow\ndata: {data}\n\n{STOP}");
    let (items, verdict) = run(StreamDecoder::new(), body.as_bytes());
    verdict.unwrap();
    let Ok(MessageStreamEvent::Unknown(fields)) = &items[1] else {
        panic!("{:?}", items[1])
    };
    assert_eq!(fields.len(), 4);
    assert_eq!(
        fields.get("big").unwrap().as_str(),
        "123456789012345678901234567890"
    );
    let event = items[1].as_ref().unwrap();
    assert_eq!(event.kind(), "content_block_glow");
    assert_eq!(event.index(), None);
    assert_eq!(serde_json::to_string(event).unwrap(), data);
    let mut out = Vec::new();
    anthropic_wire::events::StreamEncoder::new()
        .encode(event, &mut out)
        .unwrap();
    assert_eq!(
        out,
        format!("event: content_block_glow\ndata: {data}\n\n").as_bytes()
    );
}

#[test]
fn an_error_event_is_upstream_and_decoding_goes_on() {
    let error = "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n";
    let body = format!("{START}{error}{PING}");
    let (items, verdict) = run(StreamDecoder::new(), body.as_bytes());
    let Err(DecodeError::Upstream(e)) = &items[1] else {
        panic!("{:?}", items[1])
    };
    assert_eq!(e.offset, Some(184));
    assert_eq!(e.status, None);
    assert_eq!(e.event.as_deref(), Some("error"));
    assert_eq!(e.error_type(), Some("overloaded_error"));
    assert_eq!(e.message(), "Overloaded");
    assert_eq!(e.request_id(), None);
    assert_eq!(e.to_string(), "at byte 184: Overloaded");
    assert_eq!(
        items[1].as_ref().unwrap_err().to_string(),
        "upstream error at byte 184: Overloaded"
    );
    assert_eq!(
        items[1].as_ref().unwrap_err().category(),
        ErrorCategory::Upstream
    );
    assert_eq!(items[1].as_ref().unwrap_err().offset(), Some(184));
    assert!(items[2].is_ok());
    // Not counted as an event; the stream is still cut.
    assert!(matches!(
        verdict,
        Err(DecodeError::Truncated { chunks: 2, .. })
    ));
}

#[test]
fn error_data_without_the_event_name_and_error_events_without_json() {
    let body = format!(
        "{START}data: {{\"type\":\"error\",\"error\":{{\"type\":\"api_error\",\"message\":\"boom\"}}}}\n\nevent: error\ndata: upstream exploded\n\n"
    );
    let (items, _) = run(StreamDecoder::new(), body.as_bytes());
    let Err(DecodeError::Upstream(first)) = &items[1] else {
        panic!("{:?}", items[1])
    };
    assert_eq!(first.event, None);
    assert_eq!(first.error_type(), Some("api_error"));
    assert_eq!(first.message(), "boom");
    let Err(DecodeError::Upstream(second)) = &items[2] else {
        panic!("{:?}", items[2])
    };
    assert_eq!(second.payload, None);
    assert_eq!(second.message(), "upstream exploded");
    assert_eq!(second.offset, Some(184 + 70));
}

#[test]
fn content_blocks_nested_ten_thousand_deep_are_rejected_without_overflow() {
    let mut content = String::from("\"x\"");
    for _ in 0..10_000 {
        content =
            format!("[{{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":{content}}}]");
    }
    let data = format!(
        "{{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":{content}}}}}"
    );
    let body = format!("{START}data: {data}\n\n");
    let (items, _) = run(StreamDecoder::new(), body.as_bytes());
    assert_eq!(items.len(), 2);
    let error = items[1].as_ref().unwrap_err();
    assert_eq!(error.category(), ErrorCategory::Malformed);
    assert_eq!(error.offset(), Some(184));
    // Forty levels are fine.
    let mut content = String::from("\"x\"");
    for _ in 0..40 {
        content =
            format!("[{{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":{content}}}]");
    }
    let block: ContentBlock = serde_json::from_str(&format!(
        "{{\"type\":\"tool_result\",\"tool_use_id\":\"t\",\"content\":{content}}}"
    ))
    .unwrap();
    assert_eq!(block.kind(), "tool_result");
}

#[test]
fn deep_free_form_json_is_bounded_by_serde_json() {
    let input = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let data = format!(
        "{{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{{\"type\":\"tool_use\",\"id\":\"c\",\"name\":\"f\",\"input\":{input}}}}}"
    );
    let body = format!("{START}data: {data}\n\n");
    let (items, _) = run(StreamDecoder::new(), body.as_bytes());
    assert_eq!(items.len(), 2);
    // Either kept verbatim or refused as malformed: never a crash.
    match &items[1] {
        Ok(MessageStreamEvent::ContentBlockStart(start)) => {
            let ContentBlock::ToolUse(tool) = &start.content_block else {
                panic!()
            };
            assert_eq!(tool.input.as_ref().unwrap().as_str(), input);
        }
        Err(e) => assert_eq!(e.category(), ErrorCategory::Malformed),
        Ok(other) => panic!("{other:?}"),
    }
}

#[test]
fn numbers_beyond_u64_in_tool_input_are_kept_verbatim() {
    let input = r#"{"id":123456789012345678901234567890,"f":1.0000000000000000000001,"e":1E400}"#;
    let data = format!(
        "{{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{{\"type\":\"tool_use\",\"id\":\"c\",\"name\":\"f\",\"input\":{input}}}}}"
    );
    let body = format!("{START}data: {data}\n\n");
    let (items, _) = run(StreamDecoder::new(), body.as_bytes());
    let event = items[1].as_ref().unwrap();
    let MessageStreamEvent::ContentBlockStart(start) = event else {
        panic!()
    };
    let ContentBlock::ToolUse(tool) = &start.content_block else {
        panic!()
    };
    assert_eq!(tool.input, Some(RawJson::from_json(input).unwrap()));
    assert_eq!(
        anthropic_wire::Encoder::new().to_vec(event).unwrap(),
        data.as_bytes()
    );
}

#[test]
fn invalid_utf8_and_nul_bytes_do_not_break_decoding() {
    let mut body = START.as_bytes().to_vec();
    body.extend_from_slice(b"data: {\"type\":\"ping\",\"x\":\"\xff\xfe\"}\n\n");
    body.extend_from_slice(b"data: {\"type\":\"ping\",\"x\":\"\0\"}\n\n");
    body.extend_from_slice(STOP.as_bytes());
    let (items, verdict) = run(StreamDecoder::new(), &body);
    let rendered: Vec<String> = items.iter().map(outcome).collect();
    // U+FFFD replaces the bad bytes (SSE rules): a valid string; a raw NUL is not JSON.
    assert_eq!(
        rendered,
        ["message_start", "ping", "NotJson@216", "message_stop"]
    );
    verdict.unwrap();
}

#[test]
fn comments_and_unnamed_events_are_fine() {
    let body = format!(": keep-alive\n\n{START}: hi\ndata: {{\"type\":\"ping\"}}\n\n{STOP}");
    assert_eq!(outcomes(&body), ["message_start", "ping", "message_stop"]);
}
