//! The chunk-stream decoder's rules, on hand-written bodies.

use openai_wire::chat::{ChatCompletionChunk, ErrorPayload};
use openai_wire::chunks::{StreamDecoder, StreamItem};
use openai_wire::response::{BodyKind, classify, decode_json};
use openai_wire::{DecodeError, ErrorCategory};

const CHUNK: &str = r#"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]}"#;

type Items = Vec<Result<StreamItem<ChatCompletionChunk>, DecodeError>>;

fn decode(body: &str) -> (Items, Result<(), DecodeError>) {
    let mut decoder = StreamDecoder::new();
    decoder.push(body.as_bytes());
    let items = (&mut decoder).collect();
    (items, decoder.finish())
}

#[test]
fn done_ends_the_stream_and_later_events_are_reported_once() {
    let body = format!("data: {CHUNK}\n\ndata:  [DONE] \n\ndata: {CHUNK}\n\ndata: {CHUNK}\n\n");
    let (items, end) = decode(&body);
    assert_eq!(items.len(), 3);
    assert!(matches!(items[0], Ok(StreamItem::Chunk(_))));
    assert!(matches!(items[1], Ok(StreamItem::Done)));
    let after = 6 + CHUNK.len() + 2 + "data:  [DONE] \n\n".len();
    assert!(
        matches!(items[2], Err(DecodeError::AfterEnd { offset }) if offset == after as u64),
        "{:?}",
        items[2]
    );
    assert!(end.is_ok(), "the stream itself ended cleanly at [DONE]");
}

#[test]
fn missing_done_is_truncation() {
    let (items, end) = decode(&format!("data: {CHUNK}\n\n"));
    assert_eq!(items.len(), 1);
    let err = end.unwrap_err();
    assert_eq!(err.category(), ErrorCategory::Truncated);
    assert!(matches!(
        err,
        DecodeError::Truncated {
            chunks: 1,
            sse: None,
            ..
        }
    ));

    // Cut inside an event: the SSE layer's report is attached.
    let (_, end) = decode(&format!("data: {CHUNK}\n\ndata: {{\"id\""));
    let Err(DecodeError::Truncated { sse: Some(sse), .. }) = end else {
        panic!("truncation expected")
    };
    assert!(sse.partial_line);
}

#[test]
fn not_json_is_an_error_with_offset_and_decoding_goes_on() {
    let body = format!("data: {CHUNK}\n\ndata: not json\n\ndata: [DONE]\n\n");
    let (items, end) = decode(&body);
    assert_eq!(items.len(), 3);
    let offset = (6 + CHUNK.len() + 2) as u64;
    match &items[1] {
        Err(e @ DecodeError::NotJson { .. }) => {
            assert_eq!(e.offset(), Some(offset));
            assert_eq!(e.category(), ErrorCategory::Malformed);
        }
        other => panic!("{other:?}"),
    }
    assert!(end.is_ok());
}

#[test]
fn error_key_is_upstream_error() {
    let body = r#"data: {"error":{"message":"boom","type":"api_error","param":null,"code":null}}

"#;
    let (items, end) = decode(body);
    let Err(DecodeError::Upstream(e)) = &items[0] else {
        panic!("{items:?}")
    };
    assert_eq!(e.message(), "boom");
    assert_eq!(e.offset, Some(0));
    assert!(end.is_err());

    let (items, _) = decode("data: {\"error\":\"model not found\"}\n\n");
    let Err(DecodeError::Upstream(e)) = &items[0] else {
        panic!("{items:?}")
    };
    assert_eq!(
        e.payload,
        Some(ErrorPayload::Message("model not found".into()))
    );
}

#[test]
fn null_or_empty_error_key_is_not_an_error() {
    let chunk = CHUNK.replacen('{', r#"{"error":null,"#, 1);
    let (items, _) = decode(&format!("data: {chunk}\n\n"));
    assert!(matches!(items[0], Ok(StreamItem::Chunk(_))));
}

#[test]
fn event_error_is_upstream_error() {
    let (items, _) = decode("event: error\ndata: overloaded\n\n");
    let Err(DecodeError::Upstream(e)) = &items[0] else {
        panic!("{items:?}")
    };
    assert_eq!(e.event.as_deref(), Some("error"));
    assert_eq!(e.message(), "overloaded");
    assert_eq!(e.payload, None);

    let (items, _) = decode("event: error\ndata: {\"message\":\"m\",\"type\":\"t\"}\n\n");
    let Err(DecodeError::Upstream(e)) = &items[0] else {
        panic!("{items:?}")
    };
    assert_eq!(e.message(), "m");
}

#[test]
fn wrong_shape_is_unexpected_json() {
    let (items, _) = decode("data: {\"choices\":5}\n\ndata: [1]\n\n");
    assert!(matches!(
        items[0],
        Err(DecodeError::UnexpectedJson { offset: 0, .. })
    ));
    assert!(matches!(
        items[1],
        Err(DecodeError::UnexpectedJson { offset: 21, .. })
    ));
}

#[test]
fn classification() {
    for (status, content_type, kind) in [
        (200, Some("text/event-stream"), BodyKind::EventStream),
        (
            200,
            Some("Text/Event-Stream; charset=utf-8"),
            BodyKind::EventStream,
        ),
        (200, Some("application/json; charset=utf-8"), BodyKind::Json),
        (201, Some("application/problem+json"), BodyKind::Json),
        (400, Some("application/json"), BodyKind::JsonError),
        (500, Some("text/plain; charset=utf-8"), BodyKind::TextError),
        (502, None, BodyKind::TextError),
        (404, Some("text/event-stream"), BodyKind::TextError),
    ] {
        assert_eq!(
            classify(status, content_type),
            kind,
            "{status} {content_type:?}"
        );
    }
}

#[test]
fn json_body_with_error_key_at_200() {
    let err =
        decode_json::<serde_json::Value>(200, br#"{"error":"unauthorized","signin_url":"x"}"#)
            .unwrap_err();
    let DecodeError::Upstream(e) = err else {
        panic!()
    };
    assert_eq!(e.status, Some(200));
    assert_eq!(e.message(), "unauthorized");
    assert!(matches!(
        decode_json::<serde_json::Value>(200, b"\xFF{}"),
        Err(DecodeError::NotJson { offset: 0, .. })
    ));
}

#[test]
fn unfinished_input_after_done_is_data_after_the_end() {
    let done = b"data: [DONE]\n\n";
    let mut d = openai_wire::chunks::StreamDecoder::<serde_json::Value>::new();
    d.push(done);
    d.push(b"data: {\"late\"");
    assert!(matches!(
        d.next(),
        Some(Ok(openai_wire::chunks::StreamItem::Done))
    ));
    assert!(d.next().is_none());
    assert!(matches!(
        d.finish(),
        Err(DecodeError::AfterEnd { offset }) if offset == done.len() as u64
    ));

    // Reported once: a complete event after [DONE] already was.
    let mut d = openai_wire::chunks::StreamDecoder::<serde_json::Value>::new();
    d.push(done);
    d.push(b"data: 1\n\ndata: 2");
    let items: Vec<_> = (&mut d).collect();
    assert!(
        matches!(items[1], Err(DecodeError::AfterEnd { .. })),
        "{items:?}"
    );
    assert_eq!(items.len(), 2);
    assert!(d.finish().is_ok());

    // A clean end stays clean.
    let mut d = openai_wire::chunks::StreamDecoder::<serde_json::Value>::new();
    d.push(done);
    assert!(d.by_ref().all(|i| i.is_ok()));
    assert!(d.finish().is_ok());
}

#[test]
fn a_2xx_of_an_unexpected_type_is_a_text_error() {
    assert_eq!(classify(200, Some("text/plain")), BodyKind::TextError);
    assert_eq!(classify(200, None), BodyKind::TextError);
    assert_eq!(
        classify(200, Some("application/problem+json")),
        BodyKind::Json
    );
    assert_eq!(classify(500, Some("application/json")), BodyKind::JsonError);
}

#[test]
fn only_a_truthy_error_key_is_an_upstream_error() {
    let chunk = |error: &str| {
        format!(
            "data: {{\"error\":{error},\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[]}}\n\n"
        )
    };
    for (error, upstream) in [
        ("null", false),
        ("false", false),
        ("\"\"", false),
        ("{}", false),
        ("[]", false),
        ("\"boom\"", true),
        ("{\"message\":\"boom\"}", true),
        ("[\"boom\"]", true),
        ("true", true),
        ("1", true),
    ] {
        let mut d = StreamDecoder::<ChatCompletionChunk>::new();
        d.push(chunk(error).as_bytes());
        let item = d.next().unwrap();
        assert_eq!(
            matches!(item, Err(DecodeError::Upstream(_))),
            upstream,
            "error: {error} gave {item:?}"
        );
        if !upstream {
            assert!(
                matches!(item, Ok(StreamItem::Chunk(_))),
                "{error}: {item:?}"
            );
        }
    }
    // Not JSON at all: the chunk decoder's own report, with the event's offset.
    let mut d = StreamDecoder::<ChatCompletionChunk>::new();
    d.push(b"data: {\"error\":\n\n");
    assert!(matches!(
        d.next(),
        Some(Err(DecodeError::NotJson { offset: 0, .. }))
    ));
}

#[test]
fn content_parts_decode_by_type() {
    use openai_wire::chat::ContentPart;
    let parts: Vec<ContentPart> = serde_json::from_str(
        r#"[{"type":"text","text":"hi"},
            {"type":"image_url","image_url":"data:x"},
            {"type":"image_url","image_url":{"url":"u","detail":"low"}},
            {"type":"input_audio","input_audio":{"data":"AAA","format":"wav"}},
            {"type":"file","file":{"id":"f"}}]"#,
    )
    .unwrap();
    assert!(matches!(&parts[0], ContentPart::Text { text } if text == "hi"));
    assert!(matches!(&parts[1], ContentPart::ImageUrl { url, detail: None } if url == "data:x"));
    assert!(
        matches!(&parts[2], ContentPart::ImageUrl { url, detail: Some(d) } if url == "u" && d == "low")
    );
    assert!(
        matches!(&parts[3], ContentPart::InputAudio { data, format } if data == "AAA" && format == "wav")
    );
    assert!(matches!(&parts[4], ContentPart::Other(v) if v["type"] == "file"));
    // Each re-encodes as it came (the bare image URL as an object).
    let again = serde_json::to_value(&parts).unwrap();
    assert_eq!(again[0], serde_json::json!({"type":"text","text":"hi"}));
    assert_eq!(again[3]["input_audio"]["format"], "wav");
}

/// Ollama 0.33 answers a CORS preflight from a foreign origin with `403` and no body
/// (`fixtures/openai/ollama033-cors-preflight-disallowed-origin`): the error still reads as
/// a sentence, not `HTTP 403: `.
#[test]
fn an_error_without_a_body_says_so() {
    let error = openai_wire::response::decode_error_body(403, b"");
    assert_eq!(error.message(), "");
    assert_eq!(error.to_string(), "HTTP 403 with an empty body");
    let error = openai_wire::response::decode_error_body(404, b"404 page not found");
    assert_eq!(error.to_string(), "HTTP 404: 404 page not found");
}

/// Ollama 0.33's non-stream `/v1/completions` reply (`fixtures/openai/ollama033-completions-nostream`)
/// decodes, reads its text and re-encodes to the same bytes.
#[test]
fn a_whole_text_completion_reads_and_re_encodes() {
    let body =
        test_support::case(test_support::Wire::OpenAi, "ollama033-completions-nostream").body;
    let reply: openai_wire::completions::Completion = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        reply.text(),
        "A. Paris\nB. Bordeaux\nC. Bordeaux\nD. Paris\n"
    );
    assert_eq!(reply.usage.as_ref().map(|u| u.total_tokens), Some(23));
    let again = openai_wire::Encoder::new().to_vec(&reply).unwrap();
    assert_eq!(again, body.strip_suffix(b"\n").unwrap_or(&body));
    assert_eq!(openai_wire::completions::Completion::default().text(), "");
}

#[test]
fn is_done_and_buffered_len_follow_the_input() {
    let mut decoder = StreamDecoder::<ChatCompletionChunk>::new();
    assert!(!decoder.is_done());
    assert_eq!(decoder.buffered_len(), 0);
    // A line in progress is held whole: 16 bytes.
    decoder.push(b"data: {\"id\":\"c\",");
    assert!(decoder.next().is_none());
    assert_eq!(decoder.buffered_len(), 16);
    decoder.push(br#""object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]}"#);
    decoder.push(b"\n\n");
    let items: Vec<_> = decoder.by_ref().collect();
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(matches!(items[0], Ok(StreamItem::Chunk(_))), "{items:?}");
    assert!(!decoder.is_done(), "no [DONE] yet");
    decoder.push(b"data: [DONE]\n\n");
    let items: Vec<_> = decoder.by_ref().collect();
    assert!(decoder.is_done(), "{items:?}");
    assert_eq!(decoder.buffered_len(), 0);
}

#[test]
fn an_error_with_an_empty_message_is_told_by_its_body() {
    let data = r#"{"error":{"message":"","type":"server_error"}}"#;
    let mut decoder = StreamDecoder::<ChatCompletionChunk>::new();
    decoder.push(format!("data: {data}\n\n").as_bytes());
    match decoder.next() {
        Some(Err(DecodeError::Upstream(e))) => {
            assert!(e.payload.is_some(), "{e:?}");
            assert_eq!(e.message(), data);
        }
        other => panic!("{other:?}"),
    }
}
