//! One test per bullet of "Edge cases a conformant decoder must handle" (native part) in the
//! project's wire notes, plus the field failures that motivated the crate. Inputs are inline
//! bytes; expected values are written by hand.

use ollama_wire::framing::LineFramer;
use ollama_wire::{
    BodyKind, Capability, ChatAccumulator, ChatResponse, ChatStreamDecoder, DecodeError,
    DoneReason, Encoder, Escaping, FieldOrder, GenerateResponse, GenerateStreamDecoder,
    ListResponse, ResponseError, ShowResponse, StreamChunk, StreamDecoder, classify,
    decode_error_body, decode_json,
};

/// Decodes `body` pushed in `pieces`-sized parts; returns chunks and errors in order.
fn run<T: StreamChunk>(
    mut decoder: StreamDecoder<T>,
    body: &[u8],
    piece: usize,
) -> Vec<Result<T, DecodeError>> {
    let mut out = Vec::new();
    for part in body.chunks(piece.max(1)) {
        decoder.push(part);
        for item in decoder.by_ref() {
            out.push(item);
        }
    }
    let verdict = decoder.finish();
    for item in decoder.by_ref() {
        out.push(item);
    }
    out.extend(verdict.err().map(Err));
    assert!(decoder.is_finished());
    out
}

fn chat(body: &[u8], piece: usize) -> Vec<Result<ChatResponse, DecodeError>> {
    run(ChatStreamDecoder::new(), body, piece)
}

fn ok_chunks(items: Vec<Result<ChatResponse, DecodeError>>) -> Vec<ChatResponse> {
    items
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("unexpected error: {e}")))
        .collect()
}

/// Length of the first line of `TWO_LINES`, newline included (counted independently).
const FIRST_LINE_LEN: usize = 119;

const TWO_LINES: &[u8] = b"{\"model\":\"m\",\"created_at\":\"2026-01-10T16:55:30.915663454Z\",\"message\":{\"role\":\"assistant\",\"content\":\"He\"},\"done\":false}\n{\"model\":\"m\",\"created_at\":\"2026-01-10T16:55:31Z\",\"message\":{\"role\":\"assistant\",\"content\":\"llo\"},\"done\":true,\"done_reason\":\"stop\"}\n";

// --- Framing ---------------------------------------------------------------------------------

#[test]
fn lines_split_across_reads_and_several_lines_per_read() {
    for piece in [1, 2, 3, 7, 64, TWO_LINES.len()] {
        let chunks = ok_chunks(chat(TWO_LINES, piece));
        let text: Vec<&str> = chunks.iter().map(|c| c.message.content.as_str()).collect();
        assert_eq!(text, ["He", "llo"], "piece size {piece}");
    }
}

#[test]
fn utf8_character_split_across_reads_is_kept() {
    // "ollama-rs drops network chunks that split a UTF-8 character": 😀 is 4 bytes.
    let body = "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"a😀b\"},\"done\":true}\n";
    let split = body.find('😀').unwrap() + 2;
    let mut decoder = ChatStreamDecoder::new();
    decoder.push(&body.as_bytes()[..split]);
    assert!(decoder.next().is_none());
    decoder.push(&body.as_bytes()[split..]);
    let chunk = decoder.next().unwrap().unwrap();
    assert_eq!(chunk.message.content, "a😀b");
}

#[test]
fn final_line_without_newline_is_delivered_at_end() {
    let body = &TWO_LINES[..TWO_LINES.len() - 1];
    let mut decoder = ChatStreamDecoder::new();
    decoder.push(body);
    assert_eq!(decoder.next().unwrap().unwrap().message.content, "He");
    assert!(decoder.next().is_none(), "the last line waits for finish()");
    decoder.finish().unwrap(); // the held last line is the `done` chunk: a clean end
    assert_eq!(decoder.next().unwrap().unwrap().message.content, "llo");
    assert!(decoder.next().is_none());
}

#[test]
fn crlf_line_ends_and_blank_lines_are_tolerated() {
    let body = String::from_utf8(TWO_LINES.to_vec())
        .unwrap()
        .replace('\n', "\r\n\r\n  \n");
    let chunks = ok_chunks(chat(body.as_bytes(), 5));
    assert_eq!(chunks.len(), 2);
    assert_eq!(chunks[1].message.content, "llo");
}

#[test]
fn lines_of_several_megabytes_are_accepted() {
    let big = "x".repeat(9_000_000); // above the Go client's 8 MB limit
    let body = format!(
        "{{\"model\":\"m\",\"message\":{{\"role\":\"assistant\",\"content\":\"{big}\"}},\"done\":true}}\n"
    );
    let chunks = ok_chunks(chat(body.as_bytes(), 1 << 16));
    assert_eq!(chunks[0].message.content.len(), 9_000_000);
}

#[test]
fn line_over_the_limit_is_a_typed_error_and_decoding_resumes() {
    let long = format!("{{\"pad\":\"{}\"}}\n", "y".repeat(200));
    let body = [long.as_bytes(), TWO_LINES].concat();
    let items = run(ChatStreamDecoder::with_max_line_len(150), &body, 16);
    assert!(
        matches!(
            items[0],
            Err(DecodeError::LineTooLong {
                offset: 0,
                limit: 150
            })
        ),
        "{:?}",
        items[0]
    );
    assert_eq!(items.len(), 3);
    assert_eq!(items[2].as_ref().unwrap().message.content, "llo");
}

#[test]
fn over_long_partial_line_is_not_buffered() {
    let mut framer = LineFramer::with_max_line_len(100);
    for _ in 0..1000 {
        framer.push(&[b'z'; 64]);
        match framer.next_line() {
            Ok(None) | Err(DecodeError::LineTooLong { .. }) => {}
            other => panic!("unexpected {other:?}"),
        }
        assert!(
            framer.buffered_len() <= 164,
            "buffer grew to {}",
            framer.buffered_len()
        );
    }
    framer.push(b"tail\n{\"a\":1}\n");
    let line = framer.next_line().unwrap().unwrap();
    assert_eq!(&line.bytes[..], b"{\"a\":1}");
    assert_eq!(line.offset, 64_000 + 5);
}

// --- Whole responses ---------------------------------------------------------------------------

#[test]
fn stream_request_answered_with_single_json_is_dispatched_on_content_type() {
    // Load reply to a stream:true request with empty messages (§2.5): application/json.
    let body = br#"{"model":"llama3.2","created_at":"2025-05-05T10:00:00.1Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"load"}"#;
    assert_eq!(
        classify(200, Some("application/json; charset=utf-8")),
        BodyKind::Json
    );
    assert_eq!(
        classify(200, Some("application/x-ndjson")),
        BodyKind::NdjsonStream
    );
    assert_eq!(classify(500, Some("application/json")), BodyKind::Error);
    let reply: ChatResponse = decode_json(200, body).unwrap();
    assert_eq!(reply.done_reason, Some(DoneReason::Load));
    // The stream decoder reads the same body as a one-chunk stream that ended cleanly.
    let chunks = ok_chunks(chat(body, 9));
    assert_eq!(chunks.len(), 1);
    assert!(chunks[0].done);
}

#[test]
fn non_2xx_error_bodies_are_typed_upstream_errors() {
    let err =
        decode_json::<ChatResponse>(404, br#"{"error":"model 'foo' not found"}"#).unwrap_err();
    match err {
        ResponseError::Upstream { status, error } => {
            assert_eq!(status, 404);
            assert_eq!(error.error, "model 'foo' not found");
        }
        other => panic!("{other:?}"),
    }
    let cloud = decode_error_body(
        br#"{"error":"unauthorized","signin_url":"https://ollama.com/connect?x=1"}"#,
    );
    assert_eq!(cloud.error, "unauthorized");
    assert_eq!(
        cloud.signin_url.as_deref(),
        Some("https://ollama.com/connect?x=1")
    );
    // A proxy's plain-text body becomes the message.
    assert_eq!(
        decode_error_body(b"404 page not found\n").error,
        "404 page not found"
    );
}

// --- Error lines -------------------------------------------------------------------------------

#[test]
fn error_line_mid_stream_ends_the_stream_with_upstream_error() {
    let body = b"{\"model\":\"gemma4\",\"created_at\":\"2025-10-26T17:21:21.231094Z\",\"response\":\"can\",\"done\":false}\n{\"error\":\"an error was encountered while running the model\"}\n";
    let items = run(GenerateStreamDecoder::new(), body, 10);
    assert_eq!(
        items.len(),
        2,
        "no Truncated after an error line: {items:?}"
    );
    assert_eq!(items[0].as_ref().unwrap().response, "can");
    match &items[1] {
        Err(DecodeError::Upstream { offset, error }) => {
            assert_eq!(*offset, 92); // length of the first line, counted by hand
            assert_eq!(
                error.error,
                "an error was encountered while running the model"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn error_key_variant_of_v0_11_3_is_an_upstream_error() {
    let body =
        b"{\"error parsing tool call\":\"invalid character 'c' looking for beginning of value\"}\n";
    let items = chat(body, 4);
    match &items[..] {
        [Err(DecodeError::Upstream { error, .. })] => assert_eq!(
            error.error,
            "error parsing tool call: invalid character 'c' looking for beginning of value"
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn data_after_an_error_line_is_reported() {
    let body = [&b"{\"error\":\"boom\"}\n"[..], TWO_LINES].concat();
    let items = chat(&body, 3);
    assert!(matches!(items[0], Err(DecodeError::Upstream { .. })));
    assert!(matches!(
        items[1],
        Err(DecodeError::AfterEnd { offset: 17 })
    ));
    assert_eq!(items.len(), 2);
}

#[test]
fn object_with_error_and_done_is_not_an_error_line() {
    // Only an object without `done` is an error line; a chunk with an extra `error` key decodes.
    let body = b"{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"x\"},\"done\":true,\"error\":\"\"}\n";
    let chunks = ok_chunks(chat(body, 100));
    assert_eq!(chunks[0].message.content, "x");
}

// --- End of input ------------------------------------------------------------------------------

#[test]
fn end_of_input_before_done_is_truncated() {
    let items = chat(&TWO_LINES[..FIRST_LINE_LEN], 8);
    assert_eq!(items.len(), 2);
    assert!(matches!(
        items[1],
        Err(DecodeError::Truncated { offset, chunks: 1 }) if offset == FIRST_LINE_LEN as u64
    ));
    // An empty body is truncated too.
    assert!(matches!(
        chat(b"", 1)[..],
        [Err(DecodeError::Truncated {
            offset: 0,
            chunks: 0
        })]
    ));
}

#[test]
fn line_cut_in_the_middle_at_end_of_input_is_malformed_then_truncated() {
    let cut = &TWO_LINES[..TWO_LINES.len() - 20];
    let items = chat(cut, 50);
    assert_eq!(items.len(), 3);
    assert!(matches!(items[1], Err(DecodeError::Malformed { .. })));
    assert!(matches!(
        items[2],
        Err(DecodeError::Truncated { chunks: 1, .. })
    ));
}

#[test]
fn invalid_json_line_is_malformed_with_offset_never_skipped() {
    let body = [
        &TWO_LINES[..FIRST_LINE_LEN],
        b"not json\n",
        &TWO_LINES[FIRST_LINE_LEN..],
    ]
    .concat();
    let items = chat(&body, 1);
    assert_eq!(items.len(), 3);
    match &items[1] {
        Err(DecodeError::Malformed { offset, .. }) => assert_eq!(*offset, FIRST_LINE_LEN as u64),
        other => panic!("{other:?}"),
    }
    assert_eq!(items[2].as_ref().unwrap().message.content, "llo");
}

#[test]
fn second_done_chunk_is_trailing_data() {
    // The ollama-openai-proxy emulator ends its streams with two done:true lines.
    let body = [TWO_LINES, &TWO_LINES[FIRST_LINE_LEN..]].concat();
    let items = chat(&body, 32);
    assert_eq!(items.len(), 3);
    assert!(matches!(items[2], Err(DecodeError::AfterEnd { .. })));
}

// --- Field order and unknown fields -----------------------------------------------------------

#[test]
fn both_done_reason_orders_decode_and_reencode_as_received() {
    let legacy = br#"{"model":"llama3.2","created_at":"2025-05-05T10:00:00Z","message":{"role":"assistant","content":""},"done_reason":"load","done":true}"#;
    let current = br#"{"model":"llama3.2","created_at":"2025-05-05T10:00:00Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"load"}"#;
    for (bytes, order) in [
        (&legacy[..], FieldOrder::DoneReasonFirst),
        (&current[..], FieldOrder::Current),
    ] {
        let r = ChatResponse::from_slice(bytes).unwrap();
        assert_eq!(r.done_reason, Some(DoneReason::Load));
        assert!(r.done);
        assert_eq!(r.field_order, order);
        assert_eq!(Encoder::new().to_vec(&r).unwrap(), bytes);
    }
}

#[test]
fn unknown_fields_are_ignored() {
    let line = br#"{"model":"m","remote_model":"gpt-oss:120b","remote_host":"https://ollama.com:443","created_at":"2026-01-01T00:00:00Z","message":{"role":"assistant","content":"x","future":1},"done":true,"done_reason":"stop","_debug_info":{"rendered_template":"t"},"logprobs":[{"token":"x","logprob":-0.25,"bytes":[120]}],"prompt_eval_cached_count":5,"capabilities":["tools"],"eval_count":1}"#;
    let r = ChatResponse::from_slice(line).unwrap();
    assert_eq!(r.remote_model.as_deref(), Some("gpt-oss:120b"));
    assert_eq!(
        r.debug_info.as_ref().unwrap().as_str(),
        r#"{"rendered_template":"t"}"#
    );
    assert_eq!(r.logprobs.as_ref().unwrap()[0].logprob, -0.25);
    assert_eq!(r.metrics.eval_count, Some(1));
}

// --- Message content and thinking ---------------------------------------------------------------

#[test]
fn thinking_absent_empty_or_beside_content_and_done_chunk_fields_are_merged() {
    let body = br#"{"model":"m","message":{"role":"assistant","content":"","thinking":"Let me"},"done":false}
{"model":"m","message":{"role":"assistant","content":""},"done":false}
{"model":"m","message":{"role":"assistant","content":"","thinking":""},"done":false}
{"model":"m","message":{"role":"assistant","content":"Hello","thinking":" think."},"done":false}
{"model":"m","message":{"role":"assistant","content":"!","thinking":" Done."},"done":true,"done_reason":"stop"}
"#;
    let mut acc = ChatAccumulator::new();
    for chunk in ok_chunks(chat(body, 13)) {
        acc.push(chunk);
    }
    let reply = acc.finish();
    assert_eq!(reply.message.thinking(), "Let me think. Done.");
    assert_eq!(reply.message.content, "Hello!");
    assert_eq!(reply.done_reason, Some(DoneReason::Stop));
}

// --- Tool calls ----------------------------------------------------------------------------------

#[test]
fn tool_calls_from_every_chunk_including_done_are_accumulated() {
    // Rendered path mid-stream call, then two harmony-style calls (index 0 repeated, no id) and a
    // 32-char llama-server id on the done chunk.
    let body = br#"{"model":"m","message":{"role":"assistant","content":"","tool_calls":[{"id":"call_d1imwj4g","function":{"index":0,"name":"get_weather","arguments":{"city":"Tokyo"}}}]},"done":false}
{"model":"m","message":{"role":"assistant","content":"","tool_calls":[{"function":{"index":0,"name":"a","arguments":{}}},{"function":{"name":"b","arguments":{"z":1,"a":2}}}]},"done":false}
{"model":"m","message":{"role":"assistant","content":"","tool_calls":[{"id":"Xq3kP9zR2mW8vL5nB7cT4yH6jF1dS0aE","function":{"index":0,"name":"c","arguments":{"n":12345678901234567890123}}}]},"done":true,"done_reason":"stop"}
"#;
    let mut acc = ChatAccumulator::new();
    for chunk in ok_chunks(chat(body, 11)) {
        acc.push(chunk);
    }
    let reply = acc.finish();
    let calls = reply.message.tool_calls();
    let names: Vec<&str> = calls.iter().map(|c| c.function.name.as_str()).collect();
    assert_eq!(names, ["get_weather", "a", "b", "c"]);
    assert_eq!(calls[0].id.as_deref(), Some("call_d1imwj4g"));
    assert_eq!(calls[1].id, None);
    assert_eq!(calls[2].function.index, None);
    assert_eq!(calls[1].function.index, Some(0));
    assert_eq!(
        calls[3].id.as_deref(),
        Some("Xq3kP9zR2mW8vL5nB7cT4yH6jF1dS0aE")
    );
    // Arguments keep key order and integers beyond u64.
    assert_eq!(calls[1].function.arguments.as_str(), "{}");
    assert_eq!(calls[2].function.arguments.as_str(), r#"{"z":1,"a":2}"#);
    assert_eq!(
        calls[3].function.arguments.as_str(),
        r#"{"n":12345678901234567890123}"#
    );
    // A native tool turn ends with `stop`; there is no tool_calls done_reason.
    assert_eq!(reply.done_reason, Some(DoneReason::Stop));
}

#[test]
fn arguments_that_are_not_an_object_are_malformed() {
    let body = br#"{"model":"m","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"f","arguments":"{\"a\":1}"}}]},"done":true}
"#;
    let items = chat(body, 100);
    match &items[0] {
        Err(DecodeError::Malformed { source, .. }) => {
            assert!(
                source.to_string().contains("must be a JSON object"),
                "{source}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(items[1], Err(DecodeError::Truncated { .. })));
}

#[test]
fn tool_call_argument_bytes_reencode_exactly() {
    let line = br#"{"model":"m","created_at":"2026-01-01T00:00:00Z","message":{"role":"assistant","content":"","tool_calls":[{"id":"call_1","function":{"index":0,"name":"run","arguments":{"zeta":9007199254740993,"alpha":"a \u003c b \u0026\u0026 c \u003e d","f":1.50,"nested":{"y":[1e-7,true,null]}}}}]},"done":false}"#;
    let r = ChatResponse::from_slice(line).unwrap();
    assert_eq!(Encoder::new().to_vec(&r).unwrap(), &line[..]);
    let v = r.message.tool_calls()[0]
        .function
        .arguments
        .to_value()
        .unwrap();
    assert_eq!(v["alpha"], "a < b && c > d");
}

// --- done_reason, metrics, timestamps ----------------------------------------------------------

#[test]
fn done_reason_known_unknown_and_absent() {
    for (text, want) in [
        ("\"stop\"", Some(DoneReason::Stop)),
        ("\"length\"", Some(DoneReason::Length)),
        ("\"load\"", Some(DoneReason::Load)),
        ("\"unload\"", Some(DoneReason::Unload)),
        (
            "\"content_filter\"",
            Some(DoneReason::Other("content_filter".into())),
        ),
    ] {
        let line = format!(
            "{{\"model\":\"m\",\"message\":{{\"role\":\"assistant\",\"content\":\"\"}},\"done\":true,\"done_reason\":{text}}}"
        );
        let r = ChatResponse::from_slice(line.as_bytes()).unwrap();
        assert_eq!(r.done_reason, want);
        assert_eq!(Encoder::new().to_vec(&r).unwrap(), line.as_bytes());
    }
    let r = ChatResponse::from_slice(
        br#"{"model":"m","message":{"role":"assistant","content":""},"done":true}"#,
    )
    .unwrap();
    assert_eq!(r.done_reason, None);
}

#[test]
fn metrics_absent_are_none_and_large_durations_are_exact() {
    let line = br#"{"model":"m","message":{"role":"assistant","content":""},"done":true,"total_duration":98765432109876,"prompt_eval_count":0,"eval_count":20,"eval_duration":4294967297}"#;
    let r = ChatResponse::from_slice(line).unwrap();
    assert_eq!(r.metrics.total_duration, Some(98_765_432_109_876));
    assert_eq!(r.metrics.load_duration, None, "absent is not 0");
    assert_eq!(r.metrics.prompt_eval_count, Some(0), "0 as sent is kept");
    assert_eq!(r.metrics.eval_duration, Some(4_294_967_297));
    let tps = r.metrics.tokens_per_second().unwrap();
    assert!((tps - 20.0 * 1e9 / 4_294_967_297.0).abs() < 1e-9);
    assert_eq!(Encoder::new().to_vec(&r).unwrap(), &line[..]);
}

#[test]
fn created_at_variants_are_kept_verbatim() {
    for ts in [
        "2026-01-10T16:55:30Z",
        "2026-01-10T16:55:30.915663454Z",
        "2025-07-07T20:22:19.19314Z",
        "2025-08-12T21:46:36.388995313+03:00",
        "0001-01-01T00:00:00Z",
    ] {
        let line = format!(
            "{{\"model\":\"m\",\"created_at\":\"{ts}\",\"message\":{{\"role\":\"assistant\",\"content\":\"\"}},\"done\":false}}"
        );
        let r = ChatResponse::from_slice(line.as_bytes()).unwrap();
        assert_eq!(r.created_at.as_deref(), Some(ts));
        assert_eq!(Encoder::new().to_vec(&r).unwrap(), line.as_bytes());
    }
}

// --- Strings ------------------------------------------------------------------------------------

#[test]
fn go_escapes_control_chars_replacement_char_and_think_tags_round_trip() {
    let line = br#"{"model":"deepseek-r1:7b","created_at":"2025-01-28T10:00:00.5Z","message":{"role":"assistant","content":"\u003cthink\u003e\n\tA \"q\" \\ \u0001 \ufffd \u2028 caf\u00e9 \u0026 \u003c/think\u003e"},"done":false}"#;
    let r = ChatResponse::from_slice(line).unwrap();
    assert_eq!(
        r.message.content,
        "<think>\n\tA \"q\" \\ \u{1} \u{fffd} \u{2028} café & </think>"
    );
    // Go writes é literally; Ollama would never send \u00e9, so compare against Go's spelling.
    // Likewise a valid U+FFFD is written as the character itself (only invalid bytes are escaped).
    let go_line = String::from_utf8(line.to_vec())
        .unwrap()
        .replace("\\u00e9", "é")
        .replace("\\ufffd", "\u{fffd}");
    assert_eq!(Encoder::new().to_vec(&r).unwrap(), go_line.as_bytes());
}

// --- /api/tags and /api/show --------------------------------------------------------------------

#[test]
fn tags_optional_fields_null_families_and_cloud_stubs() {
    let body = br#"{"models":[{"name":"gpt-oss:120b-cloud","model":"gpt-oss:120b-cloud","remote_model":"gpt-oss:120b","remote_host":"https://ollama.com:443","modified_at":"2025-09-20T10:00:00.123+02:00","size":384,"digest":"abc","details":{"parent_model":"","format":"","family":"gptoss","families":null,"parameter_size":"116829156672","quantization_level":""}},{"name":"qwen3:8b","model":"qwen3:8b","modified_at":"2026-08-12T01:49:58.0755161+01:00","size":5225388164,"digest":"500a","details":{"parent_model":"","format":"gguf","family":"qwen3","families":["qwen3"],"parameter_size":"8.2B","quantization_level":"Q4_K_M","context_length":40960,"embedding_length":4096},"capabilities":["completion","tools","thinking","new_cap"]}]}"#;
    let tags: ListResponse = decode_json(200, body).unwrap();
    let [cloud, local] = &tags.models[..] else {
        panic!("two models expected")
    };
    assert!(cloud.remote_host.is_some());
    assert_eq!(cloud.details.families, None);
    assert_eq!(cloud.details.parameter_size, "116829156672");
    assert_eq!(cloud.capabilities, None);
    assert_eq!(local.details.context_length, Some(40960));
    assert_eq!(
        local.capabilities.as_deref().unwrap(),
        [
            Capability::Completion,
            Capability::Tools,
            Capability::Thinking,
            Capability::Other("new_cap".into())
        ]
    );
    assert_eq!(Encoder::new().to_vec(&tags).unwrap(), &body[..]);
}

#[test]
fn show_context_length_uses_the_architecture_key_only() {
    let body = br#"{"license":"L","parameters":"stop                           \"\u003cend_of_turn\u003e\"\ntemperature                    1","details":{"parent_model":"","format":"gguf","family":"gemma4","families":["gemma4"],"parameter_size":"8B","quantization_level":"Q4_K_M"},"model_info":{"gemma4.vision.context_length":1024,"general.architecture":"gemma4","gemma4.context_length":131072,"gemma4.attention.layer_norm_rms_epsilon":1e-06,"tokenizer.ggml.tokens":null,"general.flag":true},"capabilities":["completion","vision","tools"],"modified_at":"2026-04-01T12:00:00.5+03:00"}"#;
    let show: ShowResponse = decode_json(200, body).unwrap();
    let info = show.model_info.as_ref().unwrap();
    assert_eq!(info.architecture().as_deref(), Some("gemma4"));
    assert_eq!(info.context_length(), Some(131_072));
    assert_eq!(info.get("tokenizer.ggml.tokens").unwrap().as_str(), "null");
    assert!(show.has_capability(&Capability::Tools));
    assert!(!show.has_capability(&Capability::Thinking));
    // 1e-06 keeps Go's spelling, keys keep their order.
    assert_eq!(Encoder::new().to_vec(&show).unwrap(), &body[..]);

    // Without the architecture key there is no context length, whatever else ends in it.
    let no_arch: ShowResponse =
        decode_json(200, br#"{"model_info":{"x.context_length":4096}}"#).unwrap();
    assert_eq!(no_arch.model_info.unwrap().context_length(), None);
    // Pre-0.6.4 servers send no capabilities.
    let old: ShowResponse = decode_json(200, br#"{"modelfile":"FROM x","details":{}}"#).unwrap();
    assert_eq!(old.capabilities, None);
    assert!(!old.has_capability(&Capability::Tools));
}

#[test]
fn generate_stream_with_empty_first_chunk_thinking_and_context() {
    let body = br#"{"model":"gpt-oss:20b","created_at":"2025-08-15T21:38:23.714020953Z","response":"","done":false}
{"model":"gpt-oss:20b","created_at":"2025-08-15T21:38:23.714042126Z","response":"","thinking":"The","done":false}
{"model":"gpt-oss:20b","created_at":"2025-08-15T21:38:24Z","response":"Hi","done":true,"done_reason":"stop","context":[200006,17360,200008],"total_duration":1,"eval_count":2}
"#;
    let items = run(GenerateStreamDecoder::new(), body, 17);
    let chunks: Vec<GenerateResponse> = items.into_iter().map(Result::unwrap).collect();
    assert_eq!(chunks.len(), 3);
    assert_eq!(chunks[0].thinking, None);
    assert_eq!(chunks[1].thinking.as_deref(), Some("The"));
    assert_eq!(
        chunks[2].context.as_deref(),
        Some(&[200006, 17360, 200008][..])
    );
    let mut out = Vec::new();
    for c in &chunks {
        Encoder::new().encode_line(c, &mut out).unwrap();
    }
    assert_eq!(out, &body[..]);
}

/// `original`, decoded, re-encodes to itself with minimal escaping; with Go escaping it reads
/// `go_spelling` instead, and that encoding is a fixed point. Returns the value decoded from it.
fn normalises_once_and_stays_fixed<T: serde::Serialize>(
    original: &[u8],
    decode: impl Fn(&[u8]) -> T,
    go_spelling: &str,
) -> T {
    let value = decode(original);
    assert_eq!(
        Encoder::with_escaping(Escaping::Minimal)
            .to_vec(&value)
            .unwrap(),
        original
    );
    let go = Encoder::new().to_vec(&value).unwrap();
    assert!(String::from_utf8_lossy(&go).contains(go_spelling));
    let again = decode(&go);
    assert_eq!(Encoder::new().to_vec(&again).unwrap(), go);
    again
}

/// Found by a 10-minute fuzz run: arguments spelled with a literal `<` (not Go's spelling).
/// Go escaping writes them as Ollama would (`\u003c`); that spelling is then a fixed point, and
/// minimal escaping passes the raw text through untouched.
#[test]
fn non_go_spelled_arguments_normalise_once_and_stay_fixed() {
    let line = br#"{"model":"m","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"f","arguments":{"q":"a<b"}}}]},"done":false}"#;
    normalises_once_and_stays_fixed(
        line,
        |bytes| ChatResponse::from_slice(bytes).unwrap(),
        r#"{"q":"a\u003cb"}"#,
    );
}

/// Found by a 10-minute fuzz run of `/api/show` bodies: raw `model_info` text with a literal `&`.
#[test]
fn non_go_spelled_model_info_normalises_once_and_stays_fixed() {
    let body = br#"{"details":{"parent_model":"","format":"","family":"","families":null,"parameter_size":"","quantization_level":""},"model_info":{"general.architecture":"a&b"}}"#;
    let again = normalises_once_and_stays_fixed(
        body,
        |bytes| decode_json::<ShowResponse>(200, bytes).unwrap(),
        r#""a\u0026b""#,
    );
    assert_eq!(
        again.model_info.unwrap().architecture().as_deref(),
        Some("a&b")
    );
}

#[test]
fn error_object_in_a_2xx_body_is_an_upstream_error_even_where_every_field_is_optional() {
    // Every field of a show or tags reply is optional, so `{"error": …}` would otherwise decode
    // as an empty reply and the error would be lost.
    for body in [
        &br#"{"error":"model is loading"}"#[..],
        br#"{"error":"model is loading","license":5}"#,
        br#" { "error" : "model is loading" }"#,
    ] {
        let show = decode_json::<ShowResponse>(200, body);
        let lean = decode_json::<ollama_wire::ShowSummary>(200, body);
        let tags = decode_json::<ListResponse>(200, body);
        for err in [show.err(), lean.err(), tags.err()] {
            match err {
                Some(ResponseError::Upstream { status: 200, error }) => {
                    assert_eq!(error.error, "model is loading");
                }
                other => panic!("{}: {other:?}", String::from_utf8_lossy(body)),
            }
        }
    }
    // A reply that merely mentions the word is still a reply.
    let show: ShowResponse =
        decode_json(200, br#"{"license":"\"error\" free","capabilities":[]}"#).unwrap();
    assert_eq!(show.license.as_deref(), Some("\"error\" free"));
}

#[test]
fn finish_judges_lines_not_pulled_yet() {
    // Both lines still buffered: the second is the `done` chunk, so the verdict is clean, and
    // the chunks are still pulled afterwards.
    let mut decoder = ChatStreamDecoder::new();
    decoder.push(TWO_LINES);
    decoder.finish().unwrap();
    let contents: Vec<String> = decoder
        .by_ref()
        .map(|c| c.unwrap().message.content)
        .collect();
    assert_eq!(contents, ["He", "llo"]);
    decoder.finish().unwrap();

    // Only the first line, not pulled: cut after one chunk, at the end of the bytes.
    let mut decoder = ChatStreamDecoder::new();
    decoder.push(&TWO_LINES[..FIRST_LINE_LEN]);
    for _ in 0..2 {
        match decoder.finish() {
            Err(DecodeError::Truncated { offset, chunks }) => {
                assert_eq!((offset, chunks), (FIRST_LINE_LEN as u64, 1));
            }
            other => panic!("expected Truncated, got {other:?}"),
        }
    }
    assert_eq!(decoder.next().unwrap().unwrap().message.content, "He");
    assert!(decoder.next().is_none());

    // A malformed last line neither counts as a chunk nor ends the stream.
    let mut decoder = ChatStreamDecoder::new();
    decoder.push(&TWO_LINES[..FIRST_LINE_LEN]);
    decoder.push(b"{\"done\":");
    assert!(matches!(
        decoder.finish(),
        Err(DecodeError::Truncated { chunks: 1, .. })
    ));
    assert!(decoder.next().unwrap().is_ok());
    assert!(matches!(
        decoder.next(),
        Some(Err(DecodeError::Malformed { .. }))
    ));
    assert!(decoder.next().is_none());
}

#[test]
fn finish_judges_held_lines_exactly_as_pulling_decodes_them() {
    let verdict = |decoder: &mut ChatStreamDecoder, bytes: &[u8]| {
        decoder.push(bytes);
        decoder.finish().is_ok()
    };
    // `{"error": null, …}` looks like an error line but is not one: a chunk, not the end.
    let chunk_with_null_error =
        br#"{"error":null,"model":"m","message":{"role":"assistant","content":"a"},"done":false}"#;
    let mut d = ChatStreamDecoder::new();
    assert!(!verdict(&mut d, chunk_with_null_error));
    assert!(d.next().unwrap().is_ok());
    assert!(!d.is_terminated());

    // An error object that does not start with `{"error` still ends the stream.
    let late_error_key = br#"{"created_at":5,"error":"boom"}"#;
    let mut d = ChatStreamDecoder::new();
    assert!(verdict(&mut d, late_error_key));
    assert!(matches!(d.next(), Some(Err(DecodeError::Upstream { .. }))));
    assert!(d.is_terminated());

    // A `done` chunk over the line limit is a limit error, not the end.
    let mut d = StreamDecoder::<ChatResponse>::with_max_line_len(10);
    assert!(!verdict(
        &mut d,
        br#"{"model":"m","message":{"role":"assistant","content":""},"done":true}"#
    ));
    assert!(matches!(
        d.next(),
        Some(Err(DecodeError::LineTooLong { .. }))
    ));
    assert!(!d.is_terminated());
}

#[test]
fn is_terminated_says_whether_the_stream_reached_its_end() {
    let mut d = ChatStreamDecoder::new();
    assert!(!d.is_terminated());
    d.push(&TWO_LINES[..FIRST_LINE_LEN]);
    assert!(d.next().unwrap().is_ok());
    assert!(!d.is_terminated());
    d.push(&TWO_LINES[FIRST_LINE_LEN..]);
    assert!(d.next().unwrap().unwrap().done);
    assert!(d.is_terminated());
    assert!(format!("{d:?}").starts_with("StreamDecoder { framer: LineFramer"));
}

#[test]
fn only_json_whitespace_surrounds_raw_json() {
    use ollama_wire::RawJson;
    assert!(RawJson::from_json(" \t\r\n{}\n").is_ok());
    // U+00A0 is a Unicode space, not JSON whitespace.
    assert!(RawJson::from_json("\u{a0}{}").is_err());
    assert!(RawJson::from_json("{}\u{2003}").is_err());
}

#[test]
fn which_errors_end_the_stream_and_how_they_read() {
    let mut d = StreamDecoder::<ChatResponse>::with_max_line_len(20);
    d.push(b"not json\n{\"model\":\"a-long-one-xxxxxx\"}\n{\"error\":\"boom\"}\ntrailing\n");
    let errors: Vec<DecodeError> = d.by_ref().map(Result::unwrap_err).collect();
    let terminal: Vec<bool> = errors.iter().map(DecodeError::is_terminal).collect();
    // Malformed and over-long lines are skipped; the error line and data after it end it.
    assert_eq!(terminal, [false, false, true, true]);
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(
        shown[0].starts_with("malformed line at byte 0: "),
        "{shown:?}"
    );
    assert_eq!(shown[1], "line at byte 9 exceeds the limit of 20 bytes");
    assert_eq!(shown[2], "server error at byte 39: boom");
    assert_eq!(shown[3], "data at byte 56 after the end of the stream");
    let mut d = ChatStreamDecoder::new();
    d.push(&TWO_LINES[..FIRST_LINE_LEN]);
    d.next();
    let cut = d.finish().unwrap_err();
    assert!(cut.is_terminal());
    assert_eq!(
        cut.to_string(),
        format!(
            "stream ended at byte {FIRST_LINE_LEN} after 1 chunk(s) without a \"done\": true chunk"
        )
    );
}

#[test]
fn what_an_error_line_is() {
    let first = |line: &str| chat(format!("{line}\n").as_bytes(), 100).remove(0);
    // `{"error": …}` first, with `done`: a chunk carrying an extra key, not an error line.
    let chunk = first(
        r#"{"error":"x","model":"m","message":{"role":"assistant","content":"y"},"done":true}"#,
    );
    assert_eq!(chunk.unwrap().message.content, "y");
    // A key that merely starts with `error`, beside others: not the v0.11.3 single-key variant.
    let item = first(r#"{"error_count":1,"model":"m"}"#);
    assert!(
        !matches!(item, Err(DecodeError::Upstream { .. })),
        "{item:?}"
    );
    // The single-key variant is an error line.
    let item = first(r#"{"error parsing tool call":"bad"}"#);
    assert!(
        matches!(&item, Err(DecodeError::Upstream { error, .. }) if error.error == "error parsing tool call: bad"),
        "{item:?}"
    );
    // Key order: Ollama writes `error` first; an object that decodes as a chunk with `error`
    // later is read as that chunk (the pre-check looks at the first key only).
    let item =
        first(r#"{"model":"m","message":{"role":"assistant","content":"z"},"error":"boom"}"#);
    assert_eq!(item.unwrap().message.content, "z");
}
