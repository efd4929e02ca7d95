//! The borrowed decoding paths give exactly what the owned ones give: `SseDecoder::next_ref`
//! against `next`, and `StreamDecoder::next_as::<ChatCompletionChunkRef>` against the owned
//! iterator, over every event-stream body in `fixtures/openai` and under every split tried.

use std::borrow::Cow;

use openai_wire::chat::{ChatCompletionChunk, ChatCompletionChunkRef};
use openai_wire::chunks::{StreamDecoder, StreamItem};
use openai_wire::sse::{FrameRef, SseConfig, SseDecoder};
use proptest::prelude::*;
use test_support::Wire;

/// Every `response.body` whose case says `text/event-stream`.
fn event_stream_bodies() -> Vec<(String, Vec<u8>)> {
    let out: Vec<(String, Vec<u8>)> = test_support::cases(Wire::OpenAi)
        .into_iter()
        .filter(|c| c.meta.content_type.as_deref() == Some("text/event-stream"))
        .map(|c| (c.id, c.body))
        .collect();
    assert!(
        out.len() >= 20,
        "only {} event-stream fixtures found",
        out.len()
    );
    out
}

/// Owned and borrowed chunk decoding, as comparable text (debug of each item, then the end).
fn chunk_items(pieces: &[&[u8]], borrowed: bool) -> Vec<String> {
    let mut decoder: StreamDecoder = StreamDecoder::new();
    let mut out = Vec::new();
    for piece in pieces {
        decoder.push(piece);
        if borrowed {
            while let Some(item) = decoder.next_as::<ChatCompletionChunkRef<'_>>() {
                let item = item.map(|i| match i {
                    StreamItem::Chunk(c) => StreamItem::Chunk(c.into_owned()),
                    StreamItem::Done => StreamItem::Done,
                    other => panic!("unknown item {other:?}"),
                });
                out.push(format!("{item:?}"));
            }
        } else {
            for item in &mut decoder {
                out.push(format!("{item:?}"));
            }
        }
    }
    out.push(format!("end {:?}", decoder.finish()));
    out
}

#[test]
fn borrowed_chunks_equal_owned_chunks_on_every_fixture_and_split() {
    let chunks =
        test_support::assert_borrowed_equals_owned(&event_stream_bodies(), chunk_items, |i| {
            i.starts_with("Ok(Chunk")
        });
    assert!(chunks > 500, "only {chunks} chunks compared");
}

#[test]
fn borrowed_frames_equal_owned_frames_on_every_fixture_and_split() {
    let config = SseConfig::default().with_comments(true);
    for (name, body) in event_stream_bodies() {
        let mut reference = SseDecoder::with_config(config.clone());
        reference.push(&body);
        let owned: Vec<_> = (&mut reference).collect();
        for pieces in test_support::test_split_pieces(&body) {
            let mut decoder = SseDecoder::with_config(config.clone());
            let mut frames = Vec::new();
            for piece in &pieces {
                decoder.push(piece);
                while let Some(frame) = decoder.next_ref() {
                    frames.push(frame.map(FrameRef::into_owned));
                }
            }
            assert_eq!(frames, owned, "{name}");
        }
    }
}

#[test]
fn text_without_escapes_is_not_copied_even_across_pushes() {
    let body = br#"data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"plain","reasoning":"esc\"aped"},"finish_reason":null}]}

"#;
    for pieces in test_support::test_split_pieces(body) {
        let mut decoder: StreamDecoder = StreamDecoder::new();
        let mut seen = 0;
        for piece in &pieces {
            decoder.push(piece);
            while let Some(item) = decoder.next_as::<ChatCompletionChunkRef<'_>>() {
                let Ok(StreamItem::Chunk(chunk)) = item else {
                    panic!("{item:?}")
                };
                let delta = &chunk.choices[0].delta;
                assert!(matches!(delta.content, Some(Cow::Borrowed("plain"))));
                assert!(matches!(chunk.model, Cow::Borrowed("m")));
                // An escape forces a copy (the unescaped text is not in the input).
                assert!(matches!(&delta.reasoning, Some(Cow::Owned(s)) if s == "esc\"aped"));
                seen += 1;
            }
        }
        assert_eq!(seen, 1);
    }
}

#[test]
fn invalid_utf8_in_a_single_line_event_is_replaced_in_both_paths() {
    let body = b"data: a\xFFb\n\n";
    for pieces in test_support::test_split_pieces(body) {
        let mut decoder = SseDecoder::new();
        let mut data = Vec::new();
        for piece in &pieces {
            decoder.push(piece);
            while let Some(frame) = decoder.next_ref() {
                let Ok(FrameRef::Event(event)) = frame else {
                    panic!("{frame:?}")
                };
                data.push(event.data.to_owned());
            }
        }
        assert_eq!(data, ["a\u{FFFD}b"]);
    }
}

proptest! {
    #[test]
    fn any_text_decodes_the_same_borrowed_and_owned(
        content in any::<String>(),
        reasoning in proptest::option::of(any::<String>()),
        arguments in any::<String>(),
        key in 0..3usize,
    ) {
        let mut delta = serde_json::json!({"content": content, "tool_calls": [
            {"index": 0, "id": "call_1", "type": "function",
             "function": {"name": "f", "arguments": arguments}}
        ]});
        if let Some(r) = reasoning {
            delta[["reasoning", "reasoning_content", "reasoning_text"][key]] = r.into();
        }
        let chunk = serde_json::json!({"id": "c", "object": "chat.completion.chunk",
            "created": 1, "model": "m", "choices": [{"index": 0, "delta": delta,
            "finish_reason": null}]});
        let text = chunk.to_string();
        let owned: ChatCompletionChunk = serde_json::from_str(&text).unwrap();
        let borrowed: ChatCompletionChunkRef<'_> = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(borrowed.into_owned(), owned);
    }
}
