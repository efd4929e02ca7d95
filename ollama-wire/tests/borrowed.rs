//! The borrowed path gives exactly what the owned one gives: `StreamDecoder::next_as::<
//! ChatResponseRef>` against `next`, over every `/api/chat` body in `fixtures/ollama` (streamed
//! and not) and under every split tried, and on arbitrary text.

use std::borrow::Cow;

use ollama_wire::{ChatResponse, ChatResponseRef, ChatStreamDecoder};
use proptest::prelude::*;
use test_support::Wire;

/// Every `/api/chat` `response.body`.
fn chat_bodies() -> Vec<(String, Vec<u8>)> {
    let out: Vec<(String, Vec<u8>)> = test_support::cases(Wire::Ollama)
        .into_iter()
        .filter(|c| c.meta.endpoint == "/api/chat" && (200..300).contains(&c.meta.status))
        .map(|c| (c.id, c.body))
        .collect();
    assert!(out.len() >= 30, "only {} chat fixtures found", out.len());
    out
}

/// Every item (and the end-of-stream verdict), as comparable text.
fn items(pieces: &[&[u8]], borrowed: bool) -> Vec<String> {
    let mut decoder = ChatStreamDecoder::new();
    let mut out = Vec::new();
    let drain = |decoder: &mut ChatStreamDecoder, out: &mut Vec<String>| {
        if borrowed {
            while let Some(item) = decoder.next_as::<ChatResponseRef<'_>>() {
                out.push(format!("{:?}", item.map(ChatResponseRef::into_owned)));
            }
        } else {
            for item in decoder.by_ref() {
                out.push(format!("{item:?}"));
            }
        }
    };
    for piece in pieces {
        decoder.push(piece);
        drain(&mut decoder, &mut out);
    }
    let verdict = decoder.finish();
    drain(&mut decoder, &mut out);
    if let Err(e) = verdict {
        out.push(format!("{:?}", Err::<ChatResponse, _>(e)));
    }
    out
}

#[test]
fn borrowed_chunks_equal_owned_chunks_on_every_fixture_and_split() {
    let chunks =
        test_support::assert_borrowed_equals_owned(&chat_bodies(), items, |i| i.starts_with("Ok("));
    assert!(chunks > 100, "only {chunks} chunks compared");
}

#[test]
fn text_without_escapes_is_not_copied() {
    let body = br#"{"model":"m","created_at":"2026-01-10T16:55:30Z","message":{"role":"assistant","content":"plain","thinking":"a\nb"},"done":false}
"#;
    for pieces in test_support::test_split_pieces(body) {
        let mut decoder = ChatStreamDecoder::new();
        let mut seen = 0;
        for piece in &pieces {
            decoder.push(piece);
            while let Some(item) = decoder.next_as::<ChatResponseRef<'_>>() {
                let chunk = item.unwrap();
                assert!(matches!(chunk.message.content, Cow::Borrowed("plain")));
                assert!(matches!(chunk.model, Cow::Borrowed("m")));
                // An escape forces a copy.
                assert!(matches!(&chunk.message.thinking, Some(Cow::Owned(t)) if t == "a\nb"));
                seen += 1;
            }
        }
        assert_eq!(seen, 1);
    }
}

#[test]
fn mixed_owned_and_borrowed_calls_see_every_line_once() {
    let line = |n: u32, done: bool| {
        format!(r#"{{"model":"m","message":{{"role":"assistant","content":"{n}"}},"done":{done}}}"#)
    };
    let body = format!(
        "{}\n\n{}\r\n{}\n",
        line(1, false),
        line(2, false),
        line(3, true)
    );
    let mut decoder = ChatStreamDecoder::new();
    decoder.push(body.as_bytes());
    let first = decoder.next_as::<ChatResponseRef<'_>>().unwrap().unwrap();
    assert_eq!(first.message.content, "1");
    let second = decoder.next().unwrap().unwrap();
    assert_eq!(second.message.content, "2");
    let third = decoder.next_as::<ChatResponseRef<'_>>().unwrap().unwrap();
    assert!(third.done);
    decoder.finish().unwrap();
    assert!(decoder.next().is_none());
}

proptest! {
    #[test]
    fn any_text_decodes_the_same_borrowed_and_owned(
        content in any::<String>(),
        thinking in proptest::option::of(any::<String>()),
        done_reason_first in any::<bool>(),
    ) {
        let mut message = serde_json::json!({"role": "assistant", "content": content});
        if let Some(t) = thinking {
            message["thinking"] = t.into();
        }
        let message = message.to_string();
        let tail = if done_reason_first {
            r#""done_reason":"stop","done":true"#
        } else {
            r#""done":true,"done_reason":"stop""#
        };
        let line = format!(r#"{{"model":"m","message":{message},{tail},"eval_count":3}}"#);
        let owned = ChatResponse::from_slice(line.as_bytes()).unwrap();
        let borrowed = ChatResponseRef::from_slice(line.as_bytes()).unwrap();
        prop_assert_eq!(borrowed.into_owned(), owned);
    }
}
