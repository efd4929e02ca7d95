//! Hostile input: one test per attack of issue 8, each asserting the exact typed outcome (or the
//! documented tolerance). Never a panic, a hang, unbounded memory or silently dropped data.
//!
//! | attack                                        | outcome                                              |
//! |-----------------------------------------------|------------------------------------------------------|
//! | 100 MB line without a line end, 64 KiB pushes | one `LineTooLong` at 0; `finish` → `Truncated`; bounded |
//! | 100 MB event of short `data` lines            | one `EventTooLarge` at 0, event dropped; bounded     |
//! | byte-at-a-time drip of a long stream          | every chunk, same text as one push                   |
//! | invalid UTF-8 at every position of a line     | replaced by U+FFFD (spec), next event unaffected     |
//! | stream ends inside a multi-byte character     | `finish` → `Truncated` with the partial line         |
//! | BOM at stream start / mid-stream / in a value | stripped once / that line is an unknown field (spec) / kept |
//! | NUL bytes                                     | kept in data; an `id` with NUL is ignored (spec); raw NUL in JSON is `NotJson` |
//! | JSON nested 10,000 deep                       | `NotJson`/`UnexpectedJson` (recursion limit), no overflow |
//! | numbers beyond i64/u64/f64                    | `UnexpectedJson`/`NotJson`; string arguments verbatim |
//! | duplicate keys                                | `UnexpectedJson`                                     |
//! | 100,000 tool calls in one stream              | all kept in order and counted                        |
//! | a tool-call id reused for different names     | both deltas delivered as sent (merging is stream-merge's) |
//! | `[DONE]` followed by more data                | one `AfterEnd`, then nothing; `finish` is `Ok`      |
//! | an error event followed by more chunks        | `Upstream`, then the chunks (decoding goes on)       |

use openai_wire::DecodeError;
use openai_wire::chat::ChatCompletionChunk;
use openai_wire::chunks::{StreamDecoder, StreamItem};
use openai_wire::sse::{Event, Frame, SseConfig, SseDecoder, SseError};

type Item = Result<StreamItem<ChatCompletionChunk>, DecodeError>;

/// An item reduced to its kind and offset, so that rows can state exact outcomes.
fn outcome(item: &Item) -> String {
    match item {
        Ok(StreamItem::Chunk(_)) => "chunk".to_owned(),
        Ok(StreamItem::Done) => "done".to_owned(),
        Ok(other) => format!("unknown item {other:?}"),
        Err(DecodeError::Sse(SseError::LineTooLong { offset, limit })) => {
            format!("LineTooLong@{offset}/{limit}")
        }
        Err(DecodeError::Sse(SseError::EventTooLarge { offset, limit })) => {
            format!("EventTooLarge@{offset}/{limit}")
        }
        Err(DecodeError::NotJson { offset, .. }) => format!("NotJson@{offset}"),
        Err(DecodeError::UnexpectedJson { offset, .. }) => format!("UnexpectedJson@{offset}"),
        Err(DecodeError::AfterEnd { offset }) => format!("AfterEnd@{offset}"),
        Err(DecodeError::Upstream(e)) => {
            format!("Upstream@{}:{}", e.offset.unwrap_or(0), e.message())
        }
        Err(other) => format!("unexpected error {other:?}"),
    }
}

/// Pushes `pieces` into a chunk decoder, draining after each; returns the items and the
/// `finish` verdict.
fn run(
    mut decoder: StreamDecoder,
    pieces: impl IntoIterator<Item = impl AsRef<[u8]>>,
) -> (Vec<Item>, Result<(), DecodeError>) {
    let mut items = Vec::new();
    for piece in pieces {
        decoder.push(piece.as_ref());
        items.extend(&mut decoder);
    }
    let end = decoder.finish();
    (items, end)
}

fn outcomes(items: &[Item]) -> Vec<String> {
    items.iter().map(outcome).collect()
}

fn chunks(body: &[u8]) -> (Vec<String>, Result<(), DecodeError>) {
    let (items, end) = run(StreamDecoder::new(), [body]);
    (outcomes(&items), end)
}

fn events(config: SseConfig, body: &[u8]) -> Vec<Result<Frame, SseError>> {
    let mut decoder = SseDecoder::with_config(config);
    decoder.push(body);
    (&mut decoder).collect()
}

fn data_of(frames: &[Result<Frame, SseError>]) -> Vec<String> {
    frames
        .iter()
        .map(|f| match f {
            Ok(Frame::Event(e)) => e.data.clone(),
            other => format!("{other:?}"),
        })
        .collect()
}

fn chunk_event(content: &str) -> String {
    format!(
        "data: {{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":{}}},\"finish_reason\":null}}]}}\n\n",
        serde_json::to_string(content).unwrap()
    )
}

fn content(item: &Item) -> &str {
    match item {
        Ok(StreamItem::Chunk(c)) => c.choices[0].delta.content.as_deref().unwrap_or(""),
        other => panic!("not a chunk: {other:?}"),
    }
}

const DONE: &str = "data: [DONE]\n\n";

// --- Size and pacing ---------------------------------------------------------------------------

const HUNDRED_MB: usize = 100 * 1024 * 1024;
const PUSH: usize = 64 * 1024;

fn hundred_mb_line_and_event() {
    // One `data` line of 100 MB without a line end, default limits (8 MiB lines).
    let mut piece = vec![b'x'; PUSH];
    piece[..6].copy_from_slice(b"data: ");
    let rest = vec![b'x'; PUSH];
    let mut decoder = SseDecoder::new();
    let mut items = Vec::new();
    for i in 0..HUNDRED_MB / PUSH {
        decoder.push(if i == 0 { &piece } else { &rest });
        // Held input stays within the line limit plus one push (the line is dropped, not kept).
        assert!(decoder.buffered_len() <= 8 * 1024 * 1024 + 1 + PUSH);
        items.extend(&mut decoder);
    }
    assert_eq!(decoder.bytes_received(), HUNDRED_MB as u64);
    assert_eq!(
        items,
        [Err(SseError::LineTooLong {
            offset: 0,
            limit: 8 * 1024 * 1024
        })]
    );
    let truncated = decoder.finish().unwrap_err();
    assert_eq!(
        (truncated.offset, truncated.end, truncated.partial_line),
        (0, HUNDRED_MB as u64, true)
    );

    // The same through the chunk decoder.
    let (items, end) = run(
        StreamDecoder::new(),
        std::iter::once(&piece).chain(std::iter::repeat_n(&rest, HUNDRED_MB / PUSH - 1)),
    );
    assert_eq!(
        outcomes(&items),
        [format!("LineTooLong@0/{}", 8 * 1024 * 1024)]
    );
    assert!(
        matches!(end, Err(DecodeError::Truncated { offset, chunks: 0, sse: Some(_), .. }) if offset == HUNDRED_MB as u64)
    );

    // One event of 100 MB made of 64 KiB `data` lines (each under the line limit), then a good
    // event: EventTooLarge once, the big event dropped, the next one intact.
    let mut line = vec![b'y'; PUSH];
    line[..6].copy_from_slice(b"data: ");
    *line.last_mut().unwrap() = b'\n';
    let mut decoder = SseDecoder::new();
    let mut items = Vec::new();
    for _ in 0..HUNDRED_MB / PUSH {
        decoder.push(&line);
        // Held input stays within the event limit plus one push (the event's data is dropped
        // once it is too large).
        assert!(decoder.buffered_len() <= 16 * 1024 * 1024 + PUSH);
        items.extend(&mut decoder);
    }
    decoder.push(b"\ndata: after\n\n");
    items.extend(&mut decoder);
    assert_eq!(
        items,
        [
            Err(SseError::EventTooLarge {
                offset: 0,
                limit: 16 * 1024 * 1024
            }),
            Ok(Frame::Event(Event::new("after")))
        ]
    );
    assert_eq!(decoder.finish(), Ok(()));
}

#[test]
fn line_or_event_of_100_mb_is_a_limit_error_in_bounded_memory() {
    // Default limits: an 8 MiB line and a 16 MiB event (plus capacity slack) may be held;
    // 100 MB buffered would be far above this. Measured alone in a child process.
    test_support::assert_peak_rss_below(
        64 << 20,
        "line_or_event_of_100_mb_is_a_limit_error_in_bounded_memory",
        "OPENAI_WIRE_HOSTILE_CHILD",
        hundred_mb_line_and_event,
    );
}

#[test]
fn byte_at_a_time_drip_of_a_long_stream() {
    let (body, expected) = test_support::long_text_stream(chunk_event, DONE);
    let (items, end) = run(StreamDecoder::new(), body.as_bytes().chunks(1));
    end.unwrap();
    let (last, chunks) = items.split_last().unwrap();
    assert!(matches!(last, Ok(StreamItem::Done)));
    let text: String = chunks.iter().map(content).collect();
    assert_eq!(text, expected);
}

// --- Bytes -------------------------------------------------------------------------------------

#[test]
fn invalid_utf8_in_every_position_of_a_line_is_replaced() {
    let line = "data: {\"content\":\"héllo\"}\n";
    for (i, bad, corrupt) in test_support::utf8_corruptions(line) {
        let body = [&corrupt[..], b"\ndata: next\n\n"].concat();
        let frames = events(SseConfig::default(), &body);
        // Only a line still named `data` carries data; a corrupted name is an unknown field,
        // which the standard ignores.
        let mut expected = Vec::new();
        if let Some(value) = corrupt.strip_prefix(b"data:") {
            let value = value.strip_prefix(b" ").unwrap_or(value);
            let value = value.strip_suffix(b"\n").unwrap();
            expected.push(String::from_utf8_lossy(value).into_owned());
            assert!(expected[0].contains('\u{fffd}'));
        }
        expected.push("next".to_owned());
        assert_eq!(data_of(&frames), expected, "byte {i} replaced by {bad:x?}");
    }
    // In a chunk, a replaced character inside a JSON string is kept as U+FFFD.
    let mut raw = chunk_event("caf").into_bytes();
    let at = raw.windows(4).position(|w| w == b"caf\"").unwrap() + 3;
    raw.insert(at, 0xff);
    let (items, end) = run(StreamDecoder::new(), [&raw[..], DONE.as_bytes()]);
    end.unwrap();
    assert_eq!(content(&items[0]), "caf\u{fffd}");
}

#[test]
fn stream_ending_inside_a_multibyte_character() {
    let first = chunk_event("a");
    let cut = chunk_event("caf\u{e9}");
    let cut = &cut.as_bytes()[..cut.find('\u{e9}').unwrap() + 1];
    let body = [first.as_bytes(), cut].concat();
    for piece in [1, 5, body.len()] {
        let (items, end) = run(StreamDecoder::new(), body.chunks(piece));
        assert_eq!(outcomes(&items), ["chunk"], "pieces of {piece}");
        match end {
            Err(DecodeError::Truncated {
                offset,
                chunks: 1,
                sse: Some(sse),
                ..
            }) => {
                assert_eq!(offset, body.len() as u64);
                assert_eq!((sse.offset, sse.partial_line), (first.len() as u64, true));
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn bom_at_start_mid_stream_and_in_values() {
    // One leading BOM is stripped, even split across pushes.
    let mut decoder = SseDecoder::new();
    for piece in [&b"\xef"[..], b"\xbb", b"\xbfdata: a\n\n"] {
        decoder.push(piece);
    }
    assert_eq!(data_of(&(&mut decoder).collect::<Vec<_>>()), ["a"]);
    // Mid-stream (or a second leading one) it is part of the field name: an unknown field,
    // ignored as the standard says; the stream goes on.
    let frames = events(
        SseConfig::default(),
        b"\xef\xbb\xbf\xef\xbb\xbfdata: x\n\ndata: a\n\n\xef\xbb\xbfdata: b\n\ndata: c\n\n",
    );
    assert_eq!(data_of(&frames), ["a", "c"]);
    // In a value it is an ordinary character; in JSON data before the object it is NotJson.
    let frames = events(SseConfig::default(), "data: \u{feff}v\n\n".as_bytes());
    assert_eq!(data_of(&frames), ["\u{feff}v"]);
    let (items, end) = chunks(format!("data: \u{feff}{{}}\n\n{DONE}").as_bytes());
    assert_eq!(items, ["NotJson@0", "done"]);
    end.unwrap();
}

#[test]
fn nul_bytes() {
    let frames = events(
        SseConfig::default(),
        b"id: 1\ndata: a\0b\n\nid: 2\0\nevent: e\0\ndata: c\n\n",
    );
    let events: Vec<&Event> = frames
        .iter()
        .map(|f| match f {
            Ok(Frame::Event(e)) => e,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(events[0], &Event::new("a\0b").with_id("1"));
    // An id containing NUL is ignored: the last event ID stays "1".
    assert_eq!(events[1], &Event::new("c").with_id("1").with_event("e\0"));
    // Raw NUL inside a JSON string is a control character: NotJson. Escaped, it is kept.
    let escaped = chunk_event("a\0b");
    let raw = escaped.replace("\\u0000", "\0");
    let body = format!("{raw}{escaped}{DONE}");
    let (items, end) = run(StreamDecoder::new(), [body.as_bytes()]);
    end.unwrap();
    assert_eq!(outcomes(&items), ["NotJson@0", "chunk", "done"]);
    assert_eq!(content(&items[1]), "a\0b");
}

// --- JSON --------------------------------------------------------------------------------------

#[test]
fn json_nested_10000_deep() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    for (data, expected) in [
        // A sequence is not a chunk object.
        (deep.clone(), "UnexpectedJson@0"),
        // Parsing an `error` value into a `Value` hits serde_json's recursion limit.
        (format!("{{\"error\":{deep}}}"), "NotJson@0"),
        (
            format!(
                "{{\"id\":\"c\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":{deep}}}}}]}}"
            ),
            "UnexpectedJson@0",
        ),
    ] {
        let (items, end) = chunks(format!("data: {data}\n\n{DONE}").as_bytes());
        assert_eq!(items, [expected, "done"], "{}", &data[..40]);
        end.unwrap();
    }
    // Unknown fields are skipped without recursion: the chunk decodes.
    let data = format!("{{\"id\":\"c\",\"x\":{deep},\"choices\":[]}}");
    let (items, _) = chunks(format!("data: {data}\n\n").as_bytes());
    assert_eq!(items, ["chunk"]);
    // Decoding into `serde_json::Value` (the /v1/completions use): recursion limit, NotJson.
    let mut decoder = StreamDecoder::<serde_json::Value>::new();
    decoder.push(format!("data: {deep}\n\n").as_bytes());
    let item = decoder.next().unwrap().unwrap_err();
    assert!(
        matches!(item, DecodeError::NotJson { offset: 0, .. }),
        "{item:?}"
    );
    assert!(item.to_string().contains("recursion limit"), "{item}");
}

#[test]
fn numbers_beyond_integer_and_float_range() {
    for (data, expected) in [
        (
            r#"{"id":"c","created":9223372036854775808,"choices":[]}"#,
            "UnexpectedJson@0",
        ),
        (r#"{"id":"c","created":1e400,"choices":[]}"#, "NotJson@0"),
        (
            r#"{"id":"c","choices":[],"usage":{"prompt_tokens":18446744073709551616,"completion_tokens":1,"total_tokens":1}}"#,
            "UnexpectedJson@0",
        ),
        (
            r#"{"id":"c","choices":[],"usage":{"prompt_tokens":-1,"completion_tokens":1,"total_tokens":1}}"#,
            "UnexpectedJson@0",
        ),
        (
            r#"{"id":"c","choices":[{"index":4294967296,"delta":{}}]}"#,
            "UnexpectedJson@0",
        ),
    ] {
        let (items, _) = chunks(format!("data: {data}\n\n").as_bytes());
        assert_eq!(items, [expected], "{data}");
    }
    // Tool arguments are a JSON string: whatever numbers it spells are kept verbatim.
    let args = r#"{"big":123456789012345678901234567890,"huge":1e400,"tiny":1e-400,"z":-0.0}"#;
    let data = format!(
        "{{\"id\":\"c\",\"choices\":[{{\"index\":0,\"delta\":{{\"tool_calls\":[{{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{{\"name\":\"f\",\"arguments\":{}}}}}]}}}}]}}",
        serde_json::to_string(args).unwrap()
    );
    let (items, _) = run(StreamDecoder::new(), [format!("data: {data}\n\n")]);
    let Ok(StreamItem::Chunk(chunk)) = &items[0] else {
        panic!("{:?}", items[0]);
    };
    let call = &chunk.choices[0].delta.tool_calls.as_ref().unwrap()[0];
    assert_eq!(
        call.function.as_ref().unwrap().arguments.as_deref(),
        Some(args)
    );
}

#[test]
fn duplicate_keys() {
    for data in [
        r#"{"id":"a","id":"b","choices":[]}"#,
        r#"{"id":"c","choices":[{"index":0,"delta":{"content":"a","content":"b"}}]}"#,
        r#"{"id":"c","choices":[],"choices":[]}"#,
    ] {
        let (items, _) = chunks(format!("data: {data}\n\n").as_bytes());
        assert_eq!(items, ["UnexpectedJson@0"], "{data}");
    }
}

// --- Volume ------------------------------------------------------------------------------------

#[test]
fn hundred_thousand_tool_calls_in_one_stream_are_all_kept() {
    const CHUNKS: usize = 1000;
    const PER_CHUNK: usize = 100;
    let mut body = test_support::tool_call_stream(
        CHUNKS,
        PER_CHUNK,
        |i| {
            format!(
                "{{\"index\":{i},\"id\":\"call_{i}\",\"type\":\"function\",\"function\":{{\"name\":\"f{i}\",\"arguments\":\"{{}}\"}}}}"
            )
        },
        |_, calls| {
            format!(
                "data: {{\"id\":\"c\",\"choices\":[{{\"index\":0,\"delta\":{{\"tool_calls\":[{calls}]}}}}]}}\n\n"
            )
        },
    );
    body.push_str(DONE);
    let mut decoder = StreamDecoder::<ChatCompletionChunk>::new();
    let mut seen = 0usize;
    for piece in body.as_bytes().chunks(PUSH) {
        decoder.push(piece);
        for item in &mut decoder {
            let StreamItem::Chunk(chunk) = item.unwrap() else {
                continue;
            };
            for call in chunk.choices[0].delta.tool_calls.as_deref().unwrap() {
                assert_eq!(call.index, Some(seen as u32));
                assert_eq!(call.id.as_deref(), Some(format!("call_{seen}").as_str()));
                let name = call.function.as_ref().unwrap().name.as_deref();
                assert_eq!(name, Some(format!("f{seen}").as_str()));
                seen += 1;
            }
        }
    }
    decoder.finish().unwrap();
    assert_eq!(decoder.chunks(), CHUNKS as u64);
    assert_eq!(seen, CHUNKS * PER_CHUNK);
}

#[test]
fn tool_call_id_reused_for_different_names_is_delivered_as_sent() {
    let call = |name: &str| {
        format!(
            "data: {{\"id\":\"c\",\"choices\":[{{\"index\":0,\"delta\":{{\"tool_calls\":[{{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{{\"name\":\"{name}\",\"arguments\":\"{{}}\"}}}}]}}}}]}}\n\n"
        )
    };
    let body = format!("{}{}{DONE}", call("get_weather"), call("get_time"));
    let (items, end) = run(StreamDecoder::new(), [body]);
    end.unwrap();
    let names: Vec<String> = items[..2]
        .iter()
        .map(|item| match item {
            Ok(StreamItem::Chunk(c)) => {
                let call = &c.choices[0].delta.tool_calls.as_ref().unwrap()[0];
                format!(
                    "{}:{}",
                    call.id.as_deref().unwrap(),
                    call.function.as_ref().unwrap().name.as_deref().unwrap()
                )
            }
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(names, ["call_1:get_weather", "call_1:get_time"]);
}

// --- After the end -----------------------------------------------------------------------------

#[test]
fn done_followed_by_more_data() {
    let body = format!(
        "{DONE}{}{}{DONE}data: trailing",
        chunk_event("a"),
        chunk_event("b")
    );
    let (items, end) = chunks(body.as_bytes());
    assert_eq!(
        items,
        ["done".to_owned(), format!("AfterEnd@{}", DONE.len())]
    );
    // After [DONE] the verdict is a clean end, even with an unterminated line pending.
    end.unwrap();
}

#[test]
fn sse_limit_errors_after_done_are_not_after_done() {
    let long = "x".repeat(2000);
    let body = format!(
        "{DONE}data: {long}\n\ndata: {long}\n\n{}",
        chunk_event("late")
    );
    let config = SseConfig::default().with_max_line_bytes(1024);
    let (items, end) = run(StreamDecoder::with_config(config), [body]);
    end.unwrap();
    let outcomes = outcomes(&items);
    // Fixed means: `[DONE]`, then at most one AfterEnd, then nothing.
    assert!(
        outcomes == ["done"] || outcomes == ["done".to_owned(), format!("AfterEnd@{}", DONE.len())],
        "{outcomes:?}"
    );
}

#[test]
fn error_event_followed_by_more_chunks() {
    // Documented: an error object is an Upstream item and decoding goes on.
    let error =
        "data: {\"error\":{\"message\":\"context overflow\",\"type\":\"server_error\"}}\n\n";
    let typed = "event: error\ndata: upstream went away\n\n";
    let body = format!(
        "{error}{}{typed}{}{DONE}",
        chunk_event("a"),
        chunk_event("b")
    );
    let (items, end) = chunks(body.as_bytes());
    let typed_at = error.len() + chunk_event("a").len();
    assert_eq!(
        items,
        [
            "Upstream@0:context overflow".to_owned(),
            "chunk".to_owned(),
            format!("Upstream@{typed_at}:upstream went away"),
            "chunk".to_owned(),
            "done".to_owned()
        ]
    );
    end.unwrap();
}

/// `/v1/completions` streams: a chunk of the wrong shape is one error and decoding goes on; a
/// chat chunk sent to a completions decoder is an error, not an empty completion; 100,000
/// one-token chunks are all kept.
#[test]
fn completion_streams_of_the_wrong_shape_and_of_many_chunks() {
    use openai_wire::completions::CompletionChunk;

    fn decode(body: &str) -> (Vec<Result<String, String>>, Result<(), DecodeError>) {
        let mut decoder = StreamDecoder::<CompletionChunk>::new();
        decoder.push(body.as_bytes());
        let items = (&mut decoder)
            .filter_map(|item| match item {
                Ok(StreamItem::Chunk(chunk)) => Some(Ok(chunk.text().to_owned())),
                Ok(_) => None,
                Err(e) => Some(Err(format!("{:?}", e.category()))),
            })
            .collect();
        (items, decoder.finish())
    }
    let good = |text: &str| {
        format!(
            "data: {{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"choices\":[{{\"text\":{},\"index\":0,\"finish_reason\":null}}],\"model\":\"m\"}}\n\n",
            serde_json::to_string(text).unwrap()
        )
    };
    let wrong_type = "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"choices\":[{\"text\":7,\"index\":0}],\"model\":\"m\"}\n\n";
    let body = format!("{}{wrong_type}{}data: [DONE]\n\n", good("A"), good("B"));
    let (items, end) = decode(&body);
    assert_eq!(
        items,
        [
            Ok("A".to_owned()),
            Err("Malformed".to_owned()),
            Ok("B".to_owned())
        ]
    );
    assert!(end.is_ok());

    // A chat chunk has no `text`: an error, not an empty completion that drops its content.
    let chat = format!("{}data: [DONE]\n\n", chunk_event("Hi"));
    let (items, end) = decode(&chat);
    assert_eq!(items, [Err("Malformed".to_owned())]);
    assert!(end.is_ok());

    let mut many = String::new();
    for i in 0..100_000 {
        many.push_str(&good(if i % 2 == 0 { "a" } else { "b" }));
    }
    many.push_str("data: [DONE]\n\n");
    let (items, end) = decode(&many);
    assert_eq!(items.len(), 100_000);
    assert!(items.iter().all(Result::is_ok));
    assert!(end.is_ok());
}
