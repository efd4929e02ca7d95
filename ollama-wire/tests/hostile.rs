//! Hostile input: one test per attack of issue 8, each asserting the exact typed outcome (or the
//! documented tolerance). Never a panic, a hang, unbounded memory or silently dropped data.
//!
//! | attack                                        | outcome                                          |
//! |-----------------------------------------------|--------------------------------------------------|
//! | 100 MB line without `\n`, 64 KiB pushes       | one `LineTooLong` at 0, then `Truncated`; bounded |
//! | byte-at-a-time drip of a long stream          | every chunk, same text as one push               |
//! | invalid UTF-8 at every position of a line     | `Malformed` for that line, decoding continues    |
//! | stream ends inside a multi-byte character     | `Malformed` (last line), then `Truncated`         |
//! | BOM at the start of a later line / in a value | `Malformed` / kept as U+FEFF                     |
//! | NUL bytes raw / escaped                       | `Malformed` / kept as U+0000                     |
//! | JSON nested 10,000 deep                       | `Malformed` (recursion limit); raw arguments kept |
//! | numbers beyond u64/i64/f64 in metrics         | `Malformed` for that chunk                       |
//! | numbers beyond i64/f64 in tool arguments      | kept verbatim, re-encoded byte-exact             |
//! | duplicate keys                                | chunk fields: `Malformed`; raw JSON: kept, last wins |
//! | 100,000 tool calls in one stream              | all kept in order and counted                    |
//! | a tool-call id reused for different names     | both calls kept as sent                          |
//! | an error line followed by more chunks         | `Upstream`, one `AfterEnd`, then nothing     |
//! | progress stream: error line, more lines, `success` | `Upstream`, one `AfterEnd`; the accumulator says failed |
//! | `done` followed by more data                  | one `AfterEnd`, then nothing                 |
//! | `/api/show` with 200k `model_info` keys       | decoded; lookups work                            |
//! | `/api/show` `model_info` of the wrong types   | `context_length()` is `None`; a non-object is `Malformed` |

use ollama_wire::framing::{DEFAULT_MAX_LINE_LEN, LineFramer};
use ollama_wire::{
    ChatAccumulator, ChatResponse, ChatStreamDecoder, DecodeError, Encoder, GenerateStreamDecoder,
    ResponseError, ShowResponse, StreamChunk, StreamDecoder, decode_json,
};

/// An item reduced to its kind and offset, so that rows can state exact outcomes.
fn outcome<T: StreamChunk>(item: &Result<T, DecodeError>) -> String {
    match item {
        Ok(chunk) if chunk.is_done() => "done".to_owned(),
        Ok(_) => "chunk".to_owned(),
        Err(DecodeError::Malformed { offset, .. }) => format!("Malformed@{offset}"),
        Err(DecodeError::LineTooLong { offset, limit }) => format!("LineTooLong@{offset}/{limit}"),
        Err(DecodeError::Upstream { offset, error }) => {
            format!("Upstream@{offset}:{}", error.error)
        }
        Err(DecodeError::Truncated { offset, chunks }) => format!("Truncated@{offset}/{chunks}"),
        Err(DecodeError::AfterEnd { offset }) => format!("AfterEnd@{offset}"),
        Err(other) => format!("unknown error {other:?}"),
    }
}

/// Pushes `pieces`, drains after each, ends the input, drains again; the verdict last.
fn run<T: StreamChunk>(
    mut decoder: StreamDecoder<T>,
    pieces: impl IntoIterator<Item = impl AsRef<[u8]>>,
) -> Vec<Result<T, DecodeError>> {
    let mut items = Vec::new();
    for piece in pieces {
        decoder.push(piece.as_ref());
        items.extend(std::iter::from_fn(|| decoder.next()));
    }
    let verdict = decoder.finish();
    items.extend(std::iter::from_fn(|| decoder.next()));
    items.extend(verdict.err().map(Err));
    assert!(decoder.is_finished());
    assert!(decoder.next().is_none());
    items
}

fn chat(body: &[u8]) -> Vec<Result<ChatResponse, DecodeError>> {
    run(ChatStreamDecoder::new(), [body])
}

fn outcomes<T: StreamChunk>(items: &[Result<T, DecodeError>]) -> Vec<String> {
    items.iter().map(outcome).collect()
}

fn chunk_line(content: &str) -> String {
    format!(
        "{{\"model\":\"m\",\"created_at\":\"2026-01-10T16:55:30Z\",\"message\":{{\"role\":\"assistant\",\"content\":{}}},\"done\":false}}\n",
        serde_json::to_string(content).unwrap()
    )
}

const DONE: &str = "{\"model\":\"m\",\"created_at\":\"2026-01-10T16:55:31Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\",\"eval_count\":2}\n";

// --- Size and pacing ---------------------------------------------------------------------------

const HUNDRED_MB: usize = 100 * 1024 * 1024;
const PUSH: usize = 64 * 1024;

/// Feeds 100 MB of `x` without a line end in 64 KiB pushes to a `LineFramer` with a 1 KiB
/// limit (asserting `buffered_len()` after every push) and to a default `ChatStreamDecoder`.
fn hundred_mb_line() {
    let piece = vec![b'x'; PUSH];

    let limit = 1024;
    let mut framer = LineFramer::with_max_line_len(limit);
    let mut errors = Vec::new();
    for _ in 0..HUNDRED_MB / PUSH {
        framer.push(&piece);
        assert!(framer.buffered_len() <= limit + 1 + PUSH);
        while let Some(item) = framer.next_line().transpose() {
            errors.push(item.map(|line| line.offset).unwrap_err().offset());
        }
        assert!(
            framer.buffered_len() <= limit + 1,
            "{}",
            framer.buffered_len()
        );
    }
    assert_eq!(errors, [0], "one LineTooLong, at the line's offset");
    assert_eq!(framer.position(), HUNDRED_MB as u64);
    assert!(matches!(framer.finish(), Ok(None)));

    let items = run(
        ChatStreamDecoder::new(),
        std::iter::repeat_n(&piece, HUNDRED_MB / PUSH),
    );
    assert_eq!(
        outcomes(&items),
        [
            format!("LineTooLong@0/{DEFAULT_MAX_LINE_LEN}"),
            format!("Truncated@{HUNDRED_MB}/0")
        ]
    );
}

#[test]
fn line_of_100_mb_without_terminator_is_a_limit_error_in_bounded_memory() {
    // The default decoder may buffer up to its 16 MiB limit (plus one push, and a doubling of
    // capacity); 100 MB buffered would be far above this. Measured alone in a child process.
    test_support::assert_peak_rss_below(
        48 << 20,
        "line_of_100_mb_without_terminator_is_a_limit_error_in_bounded_memory",
        "OLLAMA_WIRE_HOSTILE_CHILD",
        hundred_mb_line,
    );
}

#[test]
fn byte_at_a_time_drip_of_a_long_stream() {
    let (body, expected) = test_support::long_text_stream(chunk_line, DONE);
    let items = run(ChatStreamDecoder::new(), body.as_bytes().chunks(1));
    let mut acc = ChatAccumulator::new();
    for item in items {
        acc.push(item.unwrap());
    }
    let reply = acc.finish();
    assert_eq!(reply.message.content, expected);
    assert!(reply.done);
    assert_eq!(reply.metrics.eval_count, Some(2));
}

// --- Bytes -------------------------------------------------------------------------------------

#[test]
fn invalid_utf8_in_every_position_of_a_line_is_malformed() {
    let first = chunk_line("a");
    let line = chunk_line("héllo");
    let at = first.len();
    for (i, bad, corrupt) in test_support::utf8_corruptions(&line) {
        let body = [first.as_bytes(), &corrupt, DONE.as_bytes()].concat();
        assert_eq!(
            outcomes(&chat(&body)),
            [
                "chunk".to_owned(),
                format!("Malformed@{at}"),
                "done".to_owned()
            ],
            "byte {i} replaced by {bad:x?}"
        );
    }
    // Invalid UTF-8 in a line that happens to look like an error line is still Malformed.
    assert_eq!(
        outcomes(&chat(b"{\"error\":\"\xff\"}\n")),
        ["Malformed@0", "Truncated@14/0"]
    );
}

#[test]
fn stream_ending_inside_a_multibyte_character() {
    let first = chunk_line("a");
    let cut = "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"caf\u{e9}\"},\"done\":true}";
    let cut = &cut.as_bytes()[..cut.find('\u{e9}').unwrap() + 1]; // first byte of 'é' only
    let body = [first.as_bytes(), cut].concat();
    for piece in [1, 3, body.len()] {
        let items = run(ChatStreamDecoder::new(), body.chunks(piece));
        assert_eq!(
            outcomes(&items),
            [
                "chunk".to_owned(),
                format!("Malformed@{}", first.len()),
                format!("Truncated@{}/1", body.len())
            ],
            "pieces of {piece}"
        );
    }
    // After the done chunk, a cut character is trailing data.
    let body = [DONE.as_bytes(), b"\xe2\x82"].concat();
    assert_eq!(
        outcomes(&chat(&body)),
        ["done".to_owned(), format!("AfterEnd@{}", DONE.len())]
    );
}

#[test]
fn bom_mid_stream() {
    let first = chunk_line("a");
    let body = [first.as_bytes(), b"\xef\xbb\xbf", DONE.as_bytes()].concat();
    // A BOM is not JSON whitespace: the line it starts is Malformed, decoding goes on (here the
    // done chunk was that line, so the stream ends Truncated).
    assert_eq!(
        outcomes(&chat(&body)),
        [
            "chunk".to_owned(),
            format!("Malformed@{}", first.len()),
            format!("Truncated@{}/1", body.len())
        ]
    );
    // Inside a string it is an ordinary character.
    let items = chat(chunk_line("\u{feff}x").as_bytes());
    assert_eq!(items[0].as_ref().unwrap().message.content, "\u{feff}x");
}

#[test]
fn nul_bytes() {
    // Raw NUL outside a string, raw NUL inside a string (a control character), escaped NUL.
    let raw_outside = b"\0{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":false}\n";
    let raw_inside = b"{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"a\0b\"},\"done\":false}\n";
    let body = [
        &raw_outside[..],
        raw_inside,
        chunk_line("a\0b").as_bytes(),
        DONE.as_bytes(),
    ]
    .concat();
    let items = chat(&body);
    let second = raw_outside.len();
    assert_eq!(
        outcomes(&items),
        [
            "Malformed@0".to_owned(),
            format!("Malformed@{second}"),
            "chunk".to_owned(),
            "done".to_owned()
        ]
    );
    assert_eq!(items[2].as_ref().unwrap().message.content, "a\0b");
    // A line of NULs only is not blank: Malformed, not skipped.
    assert_eq!(
        outcomes(&chat(b"\0\0\0\n")),
        ["Malformed@0", "Truncated@4/0"]
    );
}

// --- JSON --------------------------------------------------------------------------------------

fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

#[test]
fn json_nested_10000_deep() {
    let deep = nested(10_000);
    // Anywhere serde_json builds a value, its recursion limit gives a typed error: no stack
    // overflow. The line is Malformed and decoding continues.
    for line in [
        deep.clone(),
        format!(
            "{{\"model\":\"m\",\"message\":{{\"role\":\"assistant\",\"content\":\"\"}},\"done\":true,\"eval_count\":{deep}}}"
        ),
        format!("{{\"error\":{deep}}}"),
        format!("{{\"error parsing tool call\":{deep}}}"),
        format!(
            "{{\"model\":\"m\",\"message\":{{\"role\":\"assistant\",\"content\":{deep}}},\"done\":true}}"
        ),
    ] {
        let body = format!("{line}\n{DONE}");
        assert_eq!(
            outcomes(&chat(body.as_bytes())),
            ["Malformed@0", "done"],
            "{}",
            &line[..60]
        );
    }
    // Values kept raw (unknown fields, `_debug_info`, tool arguments) are skipped or captured
    // without recursion: the chunk decodes, the arguments are kept verbatim, and turning them
    // into a `Value` is a typed error.
    for field in ["\"unknown\"", "\"_debug_info\""] {
        let line = format!(
            "{{\"model\":\"m\",{field}:{deep},\"message\":{{\"role\":\"assistant\",\"content\":\"\"}},\"done\":true}}\n"
        );
        assert_eq!(outcomes(&chat(line.as_bytes())), ["done"], "{field}");
    }
    let args = format!("{{\"a\":{deep}}}");
    let line = format!(
        "{{\"model\":\"m\",\"message\":{{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{{\"function\":{{\"name\":\"f\",\"arguments\":{args}}}}}]}},\"done\":true}}\n"
    );
    let items = chat(line.as_bytes());
    let call = &items[0].as_ref().unwrap().message.tool_calls()[0];
    assert_eq!(call.function.arguments.as_str(), args);
    let err = call.function.arguments.to_value().unwrap_err();
    assert!(err.to_string().contains("recursion limit"), "{err}");
    let mut out = Vec::new();
    Encoder::new()
        .encode_line(items[0].as_ref().unwrap(), &mut out)
        .unwrap();
    assert_eq!(out, line.as_bytes(), "re-encoded byte-exact");
}

#[test]
fn numbers_beyond_integer_and_float_range_in_metrics() {
    // Metrics are u64: anything else makes that chunk Malformed (typed, with its offset);
    // decoding continues, so a lost done chunk ends as Truncated.
    for value in [
        "18446744073709551616",
        "-1",
        "1e400",
        "1.5",
        "100000000000000000000000000000000000000000",
    ] {
        let line = format!(
            "{{\"model\":\"m\",\"message\":{{\"role\":\"assistant\",\"content\":\"\"}},\"done\":true,\"eval_count\":{value}}}\n"
        );
        assert_eq!(
            outcomes(&chat(line.as_bytes())),
            [
                "Malformed@0".to_owned(),
                format!("Truncated@{}/0", line.len())
            ],
            "{value}"
        );
    }
    let max = format!(
        "{{\"model\":\"m\",\"message\":{{\"role\":\"assistant\",\"content\":\"\"}},\"done\":true,\"eval_duration\":{}}}\n",
        u64::MAX
    );
    let items = chat(max.as_bytes());
    assert_eq!(
        items[0].as_ref().unwrap().metrics.eval_duration,
        Some(u64::MAX)
    );
    // generate's `context` is i64.
    let line =
        b"{\"model\":\"m\",\"response\":\"\",\"done\":true,\"context\":[9223372036854775808]}\n";
    let items = run(GenerateStreamDecoder::new(), [line]);
    assert_eq!(outcomes(&items), ["Malformed@0", "Truncated@72/0"]);
}

#[test]
fn numbers_beyond_integer_and_float_range_in_tool_arguments_are_kept_verbatim() {
    let args = r#"{"big":123456789012345678901234567890,"neg":-9223372036854775809,"huge":1e400,"tiny":1e-400,"z":-0.0,"f":0.1000000000000000055511151231257827}"#;
    let line = format!(
        "{{\"model\":\"m\",\"message\":{{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{{\"function\":{{\"name\":\"f\",\"arguments\":{args}}}}}]}},\"done\":true}}\n"
    );
    let items = chat(line.as_bytes());
    let chunk = items[0].as_ref().unwrap();
    assert_eq!(
        chunk.message.tool_calls()[0].function.arguments.as_str(),
        args
    );
    let mut out = Vec::new();
    Encoder::new().encode_line(chunk, &mut out).unwrap();
    assert_eq!(out, line.as_bytes());
}

#[test]
fn duplicate_keys() {
    // A chunk's own fields: serde rejects the duplicate, the line is Malformed.
    for line in [
        "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"a\",\"content\":\"b\"},\"done\":false}\n",
        "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":false,\"done\":true}\n",
        "{\"model\":\"m\",\"model\":\"n\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true}\n",
    ] {
        let body = format!("{line}{DONE}");
        assert_eq!(
            outcomes(&chat(body.as_bytes())),
            ["Malformed@0", "done"],
            "{line}"
        );
    }
    // Raw JSON (tool arguments) is kept as sent, duplicates included.
    let args = r#"{"a":1,"a":2}"#;
    let line = format!(
        "{{\"model\":\"m\",\"message\":{{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{{\"function\":{{\"name\":\"f\",\"arguments\":{args}}}}}]}},\"done\":true}}\n"
    );
    let items = chat(line.as_bytes());
    assert_eq!(
        items[0].as_ref().unwrap().message.tool_calls()[0]
            .function
            .arguments
            .as_str(),
        args
    );
    // model_info keeps every entry; lookups see the last one.
    let show: ShowResponse = decode_json(
        200,
        br#"{"model_info":{"general.architecture":"llama","llama.context_length":1,"llama.context_length":8192}}"#,
    )
    .unwrap();
    let info = show.model_info.unwrap();
    assert_eq!(info.len(), 3);
    assert_eq!(info.context_length(), Some(8192));
}

// --- Volume ------------------------------------------------------------------------------------

#[test]
fn hundred_thousand_tool_calls_in_one_stream_are_all_kept() {
    const CHUNKS: usize = 1000;
    const PER_CHUNK: usize = 100;
    let body = test_support::tool_call_stream(
        CHUNKS,
        PER_CHUNK,
        |i| {
            format!(
                "{{\"id\":\"call_{i}\",\"function\":{{\"index\":{i},\"name\":\"f{i}\",\"arguments\":{{\"i\":{i}}}}}}}"
            )
        },
        |c, calls| {
            let done = c == CHUNKS - 1;
            format!(
                "{{\"model\":\"m\",\"message\":{{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{calls}]}},\"done\":{done}}}\n"
            )
        },
    );
    let mut decoder = ChatStreamDecoder::new();
    let mut acc = ChatAccumulator::new();
    for piece in body.as_bytes().chunks(PUSH) {
        decoder.push(piece);
        for item in decoder.by_ref() {
            acc.push(item.unwrap());
        }
    }
    decoder.finish().unwrap();
    assert!(decoder.next().is_none());
    assert_eq!(decoder.chunks(), CHUNKS as u64);
    let reply = acc.finish();
    let calls = reply.message.tool_calls();
    assert_eq!(calls.len(), CHUNKS * PER_CHUNK);
    for (i, call) in calls.iter().enumerate() {
        assert_eq!(call.id.as_deref(), Some(format!("call_{i}").as_str()));
        assert_eq!(call.function.index, Some(i as u32));
        assert_eq!(call.function.name, format!("f{i}"));
        assert_eq!(call.function.arguments.as_str(), format!("{{\"i\":{i}}}"));
    }
}

#[test]
fn tool_call_id_reused_for_different_names_keeps_both() {
    let call = |name: &str| {
        format!(
            "{{\"model\":\"m\",\"message\":{{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{{\"id\":\"call_1\",\"function\":{{\"name\":\"{name}\",\"arguments\":{{}}}}}}]}},\"done\":false}}\n"
        )
    };
    let body = format!("{}{}{DONE}", call("get_weather"), call("get_time"));
    let mut acc = ChatAccumulator::new();
    for item in chat(body.as_bytes()) {
        acc.push(item.unwrap());
    }
    let reply = acc.finish();
    let names: Vec<(&str, &str)> = reply
        .message
        .tool_calls()
        .iter()
        .map(|c| (c.id.as_deref().unwrap(), c.function.name.as_str()))
        .collect();
    assert_eq!(names, [("call_1", "get_weather"), ("call_1", "get_time")]);
}

// --- After the end -----------------------------------------------------------------------------

#[test]
fn error_line_followed_by_more_chunks() {
    let first = chunk_line("a");
    let error = "{\"error\":\"an error was encountered while running the model\"}\n";
    let body = format!("{first}{error}{}{}{DONE}", chunk_line("b"), chunk_line("c"));
    assert_eq!(
        outcomes(&chat(body.as_bytes())),
        [
            "chunk".to_owned(),
            format!(
                "Upstream@{}:an error was encountered while running the model",
                first.len()
            ),
            format!("AfterEnd@{}", first.len() + error.len()),
        ]
    );
}

/// A progress stream (`/api/create`, recorded from Ollama 0.33) that fails mid-way: the error
/// line inside the 200 body ends it, later lines are data after the end, and the success a
/// broken server might still send is not taken as success.
#[test]
fn progress_error_line_followed_by_more_lines_and_a_success() {
    let first = "{\"status\":\"parsing GGUF\"}\n";
    let error = "{\"error\":\"llama-quantize unavailable\"}\n";
    let body =
        format!("{first}{error}{{\"status\":\"writing manifest\"}}\n{{\"status\":\"success\"}}\n");
    let items = run(ollama_wire::ProgressStreamDecoder::new(), [body.as_bytes()]);
    assert_eq!(
        outcomes(&items),
        [
            "chunk".to_owned(),
            format!("Upstream@{}:llama-quantize unavailable", first.len()),
            format!("AfterEnd@{}", first.len() + error.len()),
        ]
    );
    let mut progress = ollama_wire::ProgressAccumulator::new();
    for item in items {
        progress.push_item(item);
    }
    assert_eq!(
        progress.outcome(),
        Some(&ollama_wire::ProgressOutcome::Failed(
            "llama-quantize unavailable".into()
        ))
    );
}

#[test]
fn done_followed_by_more_data() {
    let body = format!("{DONE}\n  \r\n{}{DONE}garbage", chunk_line("late"));
    assert_eq!(
        outcomes(&chat(body.as_bytes())),
        ["done".to_owned(), format!("AfterEnd@{}", DONE.len() + 5)]
    );
}

#[test]
fn over_long_line_after_done_is_trailing_data() {
    // Found by the `ollama_generate_stream` fuzz target (an error line, then a line over the
    // limit); the same holds after the done chunk.
    let long = "x".repeat(2000);
    let error = "{\"error\":\"an error was encountered while running the model\"}\n";
    for end in [DONE, error] {
        let body = format!("{end}{long}\n{long}\n{}", chunk_line("late"));
        let items = run(
            ChatStreamDecoder::with_max_line_len(1024),
            [body.as_bytes()],
        );
        assert_eq!(
            outcomes(&items)[1..],
            [format!("AfterEnd@{}", end.len())],
            "{end}"
        );
    }
}

// --- /api/show ---------------------------------------------------------------------------------

#[test]
fn show_with_200k_model_info_keys() {
    let mut body = String::from("{\"model_info\":{");
    for i in 0..200_000 {
        body.push_str(&format!("\"k{i}\":{i},"));
    }
    body.push_str("\"general.architecture\":\"llama\",\"llama.context_length\":131072}}");
    let show: ShowResponse = decode_json(200, body.as_bytes()).unwrap();
    let info = show.model_info.unwrap();
    assert_eq!(info.len(), 200_002);
    assert_eq!(info.context_length(), Some(131_072));
    assert_eq!(info.get_u64("k199999"), Some(199_999));
}

#[test]
fn show_with_model_info_of_the_wrong_types() {
    // Wrong value types: lookups give None, nothing panics.
    for model_info in [
        r#"{"general.architecture":42,"42.context_length":8192}"#,
        r#"{"general.architecture":null}"#,
        r#"{"general.architecture":["llama"],"llama.context_length":8192}"#,
        r#"{"general.architecture":"llama","llama.context_length":"8192"}"#,
        r#"{"general.architecture":"llama","llama.context_length":-1}"#,
        r#"{"general.architecture":"llama","llama.context_length":8192.5}"#,
        r#"{"general.architecture":"llama","llama.context_length":1e3}"#,
        r#"{"general.architecture":"llama","llama.context_length":18446744073709551616}"#,
        r#"{"general.architecture":"llama","llama.context_length":{"value":8192}}"#,
        r#"{"general.architecture":"llama","llama.vision.context_length":8192}"#,
        r#"{"general.architecture":""}"#,
        r#"{}"#,
    ] {
        let body = format!("{{\"model_info\":{model_info}}}");
        let show: ShowResponse =
            decode_json(200, body.as_bytes()).unwrap_or_else(|e| panic!("{model_info}: {e}"));
        assert_eq!(
            show.model_info.unwrap().context_length(),
            None,
            "{model_info}"
        );
    }
    // `null` is "absent".
    let show: ShowResponse = decode_json(200, br#"{"model_info":null}"#).unwrap();
    assert!(show.model_info.is_none());
    // Not an object at all: the body is Malformed (typed), not a panic.
    for model_info in ["[]", "\"llama\"", "8192", "true"] {
        let body = format!("{{\"model_info\":{model_info}}}");
        assert!(
            matches!(
                decode_json::<ShowResponse>(200, body.as_bytes()),
                Err(ResponseError::Malformed { .. })
            ),
            "{model_info}"
        );
    }
}
