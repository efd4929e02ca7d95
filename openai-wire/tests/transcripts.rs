//! Recorded responses of two real OpenAI-compatible servers (llama.cpp's
//! `llama-server` and `llama-cpp-python`), decoded end to end.
//!
//! The transcripts live in the shared research folder beside the repository
//! (`../../shared/transcripts/` from this crate); the tests skip with a
//! message when it is absent. The expected numbers were checked by hand
//! against the files (`grep -c '^data: '`, reading the bodies).

use std::path::{Path, PathBuf};

use openai_wire::chat::{ChatCompletion, ChatCompletionChunk, ChatCompletionFinishReason, Role};
use openai_wire::chunks::{StreamDecoder, StreamItem};
use openai_wire::response::{BodyKind, classify, decode_error_body, decode_json};
use openai_wire::{DecodeError, ErrorCategory};

fn dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/transcripts");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIPPED: transcript folder {} is absent; these tests need the shared research transcripts",
            dir.display()
        );
        None
    }
}

struct Transcript {
    status: u16,
    content_type: Option<String>,
    body: Vec<u8>,
}

fn load(dir: &Path, stem: &str) -> Transcript {
    let headers = std::fs::read_to_string(dir.join(format!("{stem}.headers"))).unwrap();
    let mut lines = headers.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap();
    let content_type = lines.find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.eq_ignore_ascii_case("content-type")
            .then(|| value.trim().to_owned())
    });
    let body = std::fs::read(dir.join(format!("{stem}.body"))).unwrap();
    Transcript {
        status,
        content_type,
        body,
    }
}

struct Decoded {
    chunks: Vec<ChatCompletionChunk>,
    errors: Vec<DecodeError>,
    done: bool,
    end: Result<(), DecodeError>,
}

/// Decodes in 7-byte pieces, so that events straddle pushes.
fn decode_chat(body: &[u8]) -> Decoded {
    let mut decoder = StreamDecoder::<ChatCompletionChunk>::new();
    let mut out = Decoded {
        chunks: Vec::new(),
        errors: Vec::new(),
        done: false,
        end: Ok(()),
    };
    for piece in body.chunks(7) {
        decoder.push(piece);
        for item in &mut decoder {
            match item {
                Ok(StreamItem::Chunk(c)) => out.chunks.push(c),
                Ok(StreamItem::Done) => out.done = true,
                Ok(_) => unreachable!(),
                Err(e) => out.errors.push(e),
            }
        }
    }
    out.end = decoder.finish();
    out
}

fn content(chunks: &[ChatCompletionChunk]) -> String {
    chunks
        .iter()
        .flat_map(|c| &c.choices)
        .filter_map(|c| c.delta.content.as_deref())
        .collect()
}

/// (folder, stem, chunks before `[DONE]`)
const CHAT_STREAMS: &[(&str, &str, usize)] = &[
    ("llama-server", "lcpp_chat_stream", 34),
    ("llama-server", "lcpp_err_unknown_model_stream", 10),
    ("llama-server", "lcpp_err_unknown_tool_choice", 10),
    ("llama-server", "lcpp_tools_auto_stream", 66),
    ("llama-server", "lcpp_tools_forced_stream", 66),
    ("llama-server", "lcpp_tools_required_stream", 66),
    ("llama-server", "lcpp_toolstpl_required_stream", 66),
    ("llama-cpp-python", "oai_chat_stream", 34),
    ("llama-cpp-python", "oai_chat_stream_usage", 34),
    ("llama-cpp-python", "oai_err_unknown_model_stream", 10),
    ("llama-cpp-python", "oai_tools_auto_stream", 66),
];

#[test]
fn chat_streams_decode_to_done() {
    let Some(dir) = dir() else { return };
    for (folder, stem, expected) in CHAT_STREAMS {
        let t = load(&dir.join(folder), stem);
        assert_eq!(
            classify(t.status, t.content_type.as_deref()),
            BodyKind::EventStream,
            "{stem}"
        );
        let d = decode_chat(&t.body);
        assert!(d.errors.is_empty(), "{stem}: {:?}", d.errors);
        assert!(d.done, "{stem}: no [DONE]");
        assert!(d.end.is_ok(), "{stem}: {:?}", d.end);
        assert_eq!(d.chunks.len(), *expected, "{stem}");
        // First chunk: the assistant role; last: finish "length" and an
        // empty delta; no tool calls (the model never produced any).
        let first = &d.chunks[0].choices[0];
        assert_eq!(first.delta.role, Some(Role::Assistant), "{stem}");
        let last = d.chunks.last().unwrap();
        assert_eq!(
            last.choices[0].finish_reason,
            Some(ChatCompletionFinishReason::Length),
            "{stem}"
        );
        assert!(last.choices[0].delta.content.is_none(), "{stem}");
        assert!(d.chunks.iter().all(|c| c.choices.len() == 1), "{stem}");
        assert!(
            d.chunks[..d.chunks.len() - 1]
                .iter()
                .all(|c| c.choices[0].finish_reason.is_none()),
            "{stem}"
        );
        assert!(
            d.chunks
                .iter()
                .all(|c| c.choices[0].delta.tool_calls.is_none()),
            "{stem}"
        );
        assert!(d.chunks.iter().all(|c| c.usage.is_none()), "{stem}");
    }
}

#[test]
fn chat_stream_text_and_ids() {
    let Some(dir) = dir() else { return };
    let t = load(&dir.join("llama-cpp-python"), "oai_chat_stream");
    let d = decode_chat(&t.body);
    assert!(content(&d.chunks).starts_with("Say hello in five words. mendatang\n"));
    assert!(
        d.chunks
            .iter()
            .all(|c| c.id == "chatcmpl-54c78886-2fd3-44ef-bfa3-e33221d8abc1")
    );
    assert!(d.chunks.iter().all(|c| c.created == 1_795_315_961));

    let t = load(&dir.join("llama-server"), "lcpp_chat_stream");
    let d = decode_chat(&t.body);
    assert!(content(&d.chunks).starts_with("Say hello in five words."));
    assert_eq!(d.chunks[0].choices[0].delta.content, None);
    assert_eq!(
        d.chunks[0].system_fingerprint.as_deref(),
        Some("b0-unknown")
    );
}

#[test]
fn empty_200_event_stream_is_truncated() {
    // llama-cpp-python answers a streamed request naming an unknown tool with
    // 200, text/event-stream and zero body bytes.
    let Some(dir) = dir() else { return };
    let t = load(&dir.join("llama-cpp-python"), "oai_err_unknown_tool_choice");
    assert_eq!(
        classify(t.status, t.content_type.as_deref()),
        BodyKind::EventStream
    );
    let d = decode_chat(&t.body);
    assert!(d.chunks.is_empty() && !d.done && d.errors.is_empty());
    let err = d.end.unwrap_err();
    assert_eq!(err.category(), ErrorCategory::Truncated);
    assert!(matches!(
        err,
        DecodeError::Truncated {
            offset: 0,
            chunks: 0,
            terminator: openai_wire::DONE_TERMINATOR,
            sse: None
        }
    ));
}

#[test]
fn completions_streams_are_not_chat_chunks() {
    let Some(dir) = dir() else { return };
    for (folder, stem) in [
        ("llama-server", "lcpp_completions_stream"),
        ("llama-cpp-python", "oai_completions_stream"),
    ] {
        let t = load(&dir.join(folder), stem);
        // As chat chunks: every event is a typed shape error, never skipped.
        let d = decode_chat(&t.body);
        assert!(d.chunks.is_empty(), "{stem}");
        assert_eq!(d.errors.len(), 17, "{stem}");
        assert!(matches!(
            d.errors[0],
            DecodeError::UnexpectedJson { offset: 0, .. }
        ));
        assert!(d.done && d.end.is_ok(), "{stem}");
        // As plain JSON values they decode.
        let mut decoder = StreamDecoder::<serde_json::Value>::new();
        decoder.push(&t.body);
        let items: Vec<_> = (&mut decoder).collect::<Result<_, _>>().unwrap();
        assert_eq!(items.len(), 18, "{stem}");
        assert_eq!(items[17], StreamItem::Done);
        let StreamItem::Chunk(first) = &items[0] else {
            panic!("chunk expected")
        };
        assert_eq!(first["object"], "text_completion");
        assert_eq!(first["choices"][0]["text"], " the");
    }
}

#[test]
fn non_stream_bodies() {
    let Some(dir) = dir() else { return };
    for (folder, stem, text) in [
        ("llama-server", "lcpp_chat_nonstream", "Say hello"),
        (
            "llama-cpp-python",
            "oai_chat_nonstream",
            "Say hello in five words. mendatang\n",
        ),
        (
            "llama-server",
            "lcpp_err_unknown_model",
            "Say hi. mendatanguser\nSay hi",
        ),
        (
            "llama-cpp-python",
            "oai_err_unknown_model",
            "Say hi. mendatanguser\nSay hi",
        ),
    ] {
        let t = load(&dir.join(folder), stem);
        assert_eq!(
            classify(t.status, t.content_type.as_deref()),
            BodyKind::Json,
            "{stem}"
        );
        let response: ChatCompletion = decode_json(t.status, &t.body).unwrap();
        let message = &response.choices[0].message;
        assert_eq!(message.role, Role::Assistant, "{stem}");
        let Some(openai_wire::chat::Content::Text(content)) = &message.content else {
            panic!("{stem}: text expected")
        };
        assert!(content.starts_with(text), "{stem}: {content:?}");
        assert_eq!(
            response.choices[0].finish_reason,
            Some(ChatCompletionFinishReason::Length),
            "{stem}"
        );
    }
}

#[test]
fn error_bodies() {
    let Some(dir) = dir() else { return };
    // (folder, stem, status, kind, error type, message start)
    type Case = (
        &'static str,
        &'static str,
        u16,
        BodyKind,
        Option<&'static str>,
        &'static str,
    );
    let cases: &[Case] = &[
        (
            "llama-server",
            "lcpp_err_bad_json",
            400,
            BodyKind::JsonError,
            Some("invalid_request_error"),
            "[json.exception.parse_error.101]",
        ),
        (
            "llama-server",
            "lcpp_err_context_overflow",
            400,
            BodyKind::JsonError,
            Some("exceed_context_size_error"),
            "request (3009 tokens) exceeds",
        ),
        (
            "llama-server",
            "lcpp_err_messages_wrong_type",
            400,
            BodyKind::JsonError,
            Some("invalid_request_error"),
            "Expected 'messages' to be an array",
        ),
        (
            "llama-server",
            "lcpp_err_missing_messages",
            400,
            BodyKind::JsonError,
            Some("invalid_request_error"),
            "'messages' is required",
        ),
        (
            "llama-server",
            "lcpp_err_not_found",
            404,
            BodyKind::JsonError,
            Some("not_found_error"),
            "File Not Found",
        ),
        (
            "llama-cpp-python",
            "oai_err_context_overflow_nonstream",
            400,
            BodyKind::JsonError,
            Some("invalid_request_error"),
            "This model's maximum context length is 2048 tokens.",
        ),
        (
            "llama-cpp-python",
            "oai_err_messages_wrong_type",
            500,
            BodyKind::JsonError,
            Some("internal_server_error"),
            "1 validation error:",
        ),
        (
            "llama-cpp-python",
            "oai_err_unknown_tool_choice_nonstream",
            500,
            BodyKind::JsonError,
            Some("internal_server_error"),
            "Tool choice 'nope' not found in tools.",
        ),
        (
            "llama-cpp-python",
            "oai_err_not_found",
            404,
            BodyKind::JsonError,
            None,
            "{\"detail\":\"Not Found\"}",
        ),
        (
            "llama-cpp-python",
            "oai_err_bad_json",
            500,
            BodyKind::TextError,
            None,
            "Internal Server Error",
        ),
    ];
    for (folder, stem, status, kind, error_type, message) in cases {
        let t = load(&dir.join(folder), stem);
        assert_eq!(t.status, *status, "{stem}");
        assert_eq!(
            classify(t.status, t.content_type.as_deref()),
            *kind,
            "{stem}"
        );
        let error = decode_error_body(t.status, &t.body);
        assert_eq!(error.status, Some(*status));
        assert!(
            error.message().starts_with(message),
            "{stem}: {:?}",
            error.message()
        );
        let parsed_type = match &error.payload {
            Some(openai_wire::chat::ErrorPayload::Object(e)) => e.kind.as_deref(),
            _ => None,
        };
        assert_eq!(parsed_type, *error_type, "{stem}");
    }
}
