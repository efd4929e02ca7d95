//! Real and recorded wire bytes through the wire decoders, the conversions and the merger.
#![cfg(all(feature = "ollama", feature = "openai"))]

mod common;

use std::path::{Path, PathBuf};

use common::{block_kinds, merge_pieces, texts, wire_faults};
use ollama_stream_merge::{BlockKind, BlockOutcome, Event, FinishReason, Options, Reducer, Usage};
use ollama_wire::{ChatStreamDecoder, GenerateStreamDecoder};
use test_support::Wire;

fn repo_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel)
}

fn read(path: &Path) -> Option<Vec<u8>> {
    match std::fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            eprintln!("skipping: cannot read {}: {e}", path.display());
            None
        }
    }
}

/// An OpenAI SSE body, pushed in 7-byte pieces, through `StreamDecoder` and the merger; it must
/// decode without a wire fault.
fn merge_sse(body: &[u8]) -> Vec<Event> {
    let events = merge_pieces(
        openai_wire::chunks::ChatStreamDecoder::new(),
        body,
        7,
        Options::default(),
    );
    let faults = wire_faults(&events);
    assert!(faults.is_empty(), "decode errors: {faults:?}");
    events
}

/// A native NDJSON body, pushed in 5-byte pieces, through `ChatStreamDecoder` (or the generate
/// decoder) and the merger; also returns the wire faults among the events.
fn merge_ndjson(body: &[u8], generate: bool) -> (Vec<Event>, Vec<String>) {
    let events = if generate {
        merge_pieces(GenerateStreamDecoder::new(), body, 5, Options::default())
    } else {
        merge_pieces(ChatStreamDecoder::new(), body, 5, Options::default())
    };
    let faults = wire_faults(&events);
    (events, faults)
}

#[test]
fn llama_server_stream_with_tools_offered() {
    let path = repo_path("../shared/transcripts/llama-server/lcpp_tools_auto_stream.body");
    let Some(body) = read(&path) else { return };
    let events = merge_sse(&body);
    // The 270M base model answered in text and hit max_tokens: one text block, `length`.
    assert_eq!(block_kinds(&events), ["T"]);
    let line = "What is the weather in Paris? Use the get_weather tool. mendatang\n";
    assert_eq!(texts(&events), (String::new(), line.repeat(4)));
    let m = Reducer::reduce(&events);
    assert!(m.tool_calls.is_empty());
    assert!(m.errors.is_empty(), "{:?}", m.errors);
    let finish = m.finish.unwrap();
    assert_eq!(finish.reason, FinishReason::Length);
    assert_eq!(finish.raw_reason.as_deref(), Some("length"));
    assert_eq!(finish.usage, None); // the request did not ask for include_usage
}

#[test]
fn ollama_native_tool_call_on_the_done_chunk() {
    let path =
        repo_path("fixtures/ollama/chat-stream-tool-call-on-done-chunk-gpt-oss/response.body");
    let Some(body) = read(&path) else { return };
    let (events, decode_errors) = merge_ndjson(&body, false);
    assert!(decode_errors.is_empty());
    assert_eq!(block_kinds(&events), ["R", "C:get_time"]);
    assert_eq!(
        texts(&events).0,
        "The user asks for the time. Call get_time."
    );
    // Reasoning: start, 10 deltas, end; then the call: start, its whole arguments, end.
    assert_eq!(
        events[12..14],
        [
            Event::BlockStart {
                index: 1,
                block: BlockKind::ToolCall {
                    id: "call_s8sschyx".into(),
                    name: "get_time".into()
                }
            },
            Event::ToolArgsDelta {
                index: 1,
                json: "{}".into()
            },
        ]
    );
    assert!(matches!(
        &events[14],
        Event::BlockEnd { index: 1, outcome: BlockOutcome::ToolCall(call) }
            if call.id == "call_s8sschyx" && call.is_valid()
    ));
    let m = Reducer::reduce(&events);
    assert_eq!(m.tool_calls.len(), 1);
    assert_eq!(m.tool_calls[0].arguments.as_ref().unwrap().as_str(), "{}");
    let finish = m.finish.unwrap();
    assert_eq!(finish.reason, FinishReason::ToolCalls);
    assert_eq!(finish.raw_reason.as_deref(), Some("stop"));
    let usage = finish.usage.unwrap();
    assert_eq!(
        (usage.input_tokens, usage.output_tokens, usage.total_tokens),
        (Some(142), Some(31), Some(173))
    );
    // The done line's timings, as written in the fixture.
    let d = usage.durations;
    assert_eq!(
        (d.total, d.load, d.prompt_eval, d.eval),
        (
            Some(1_291_004_511),
            Some(88_412_300),
            Some(30_511_822),
            Some(270_180_449)
        )
    );
    assert_eq!(events.len(), 16);
    // Re-encoded, the done line carries them again (what tokens per second is computed from).
    let mut ndjson = Vec::new();
    let mut encoder = ollama_stream_merge::to_ollama::OllamaEncoder::new("m", "t");
    for event in &events {
        encoder.encode(event, &mut ndjson).unwrap();
    }
    let done = String::from_utf8(ndjson).unwrap();
    let done = done.lines().last().unwrap();
    assert!(
        done.ends_with(r#""done":true,"done_reason":"stop","total_duration":1291004511,"load_duration":88412300,"prompt_eval_count":142,"prompt_eval_duration":30511822,"eval_count":31,"eval_duration":270180449}"#),
        "{done}"
    );
}

#[test]
fn ollama_thinking_and_content_in_the_same_chunk() {
    let path =
        repo_path("fixtures/ollama/chat-stream-thinking-and-content-same-chunk/response.body");
    let Some(body) = read(&path) else { return };
    let (events, _) = merge_ndjson(&body, false);
    assert_eq!(block_kinds(&events), ["R", "T"]);
    assert_eq!(
        texts(&events),
        (
            "User says hi. Reply briefly.".into(),
            "Hello, world!".into()
        )
    );
}

#[test]
fn ollama_parallel_calls_keep_apart() {
    let path = repo_path("fixtures/ollama/chat-stream-multiple-tool-calls-one-chunk/response.body");
    let Some(body) = read(&path) else { return };
    let (events, _) = merge_ndjson(&body, false);
    let m = Reducer::reduce(&events);
    let args: Vec<_> = m
        .tool_calls
        .iter()
        .map(|c| c.arguments.as_ref().unwrap().as_str())
        .collect();
    assert_eq!(
        args,
        [
            r#"{"city":"Oslo"}"#,
            r#"{"city":"Bergen"}"#,
            r#"{"city":"Tromso"}"#
        ]
    );
}

#[test]
fn ollama_error_and_truncation() {
    let path = repo_path("fixtures/ollama/chat-stream-error-after-first-chunk/response.body");
    if let Some(body) = read(&path) {
        let (events, _) = merge_ndjson(&body, false);
        let m = Reducer::reduce(&events);
        assert_eq!(m.finish.unwrap().reason, FinishReason::Error);
        assert!(matches!(
            m.errors[..],
            [ollama_stream_merge::MergeError::Upstream(_)]
        ));
    }
    let path = repo_path("fixtures/ollama/chat-stream-truncated-before-done/response.body");
    if let Some(body) = read(&path) {
        let (events, _) = merge_ndjson(&body, false);
        let m = Reducer::reduce(&events);
        assert_eq!(m.finish.unwrap().reason, FinishReason::Incomplete);
        assert_eq!(m.errors, [ollama_stream_merge::MergeError::Truncated]);
    }
}

/// insta snapshot of the event sequence of every Ollama stream fixture.
#[test]
fn snapshot_every_ollama_stream_fixture() {
    let cases: Vec<_> = test_support::cases(Wire::Ollama)
        .into_iter()
        .filter(|c| c.id.starts_with("chat-stream-") || c.id.starts_with("generate-stream-"))
        .collect();
    assert!(!cases.is_empty());
    for case in cases {
        let name = case.id;
        let (events, decode_errors) = merge_ndjson(&case.body, name.starts_with("generate-"));
        let snapshot = serde_json::json!({
            "decode_errors": decode_errors,
            "events": events,
        });
        insta::assert_json_snapshot!(format!("ollama__{name}"), snapshot);
    }
}

/// Constructed OpenAI-compatible SSE: reasoning under `reasoning_content`, llama-server-style
/// fragments repeating id and name, a second call reusing index 0 under a new id, a second
/// choice (ignored), and the `include_usage` chunk with empty `choices` after `finish_reason`.
#[test]
fn openai_fragments_repeated_names_reused_index_and_usage_chunk() {
    let chunk = |choices: &str| {
        format!(
            "data: {{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{choices}]}}\n\n"
        )
    };
    let call = |id: &str, args: &str| {
        format!(
            "{{\"index\":0,\"delta\":{{\"tool_calls\":[{{\"index\":0,\"id\":\"{id}\",\"type\":\"function\",\"function\":{{\"name\":\"read_file\",\"arguments\":\"{args}\"}}}}]}},\"finish_reason\":null}}"
        )
    };
    let mut body = String::new();
    body += &chunk(
        r#"{"index":0,"delta":{"role":"assistant","reasoning_content":"Need the file."},"finish_reason":null},{"index":1,"delta":{"content":"other choice"},"finish_reason":null}"#,
    );
    body += &chunk(&call("A", ""));
    body += &chunk(&call("A", r#"{\"path\":"#));
    body += &chunk(&call("A", r#"\"a.txt\"}"#));
    body += &chunk(&call("B", r#"{\"path\":\"b.txt\"}"#));
    body += &chunk(r#"{"index":0,"delta":{},"finish_reason":"tool_calls"}"#);
    body += "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":9,\"total_tokens\":16}}\n\n";
    body += "data: [DONE]\n\n";
    let events = merge_sse(body.as_bytes());
    assert_eq!(block_kinds(&events), ["R", "C:read_file", "C:read_file"]);
    let m = Reducer::reduce(&events);
    assert_eq!(m.reasoning, "Need the file.");
    assert_eq!(m.content, "");
    let got: Vec<_> = m
        .tool_calls
        .iter()
        .map(|c| {
            (
                c.id.as_str(),
                c.name.as_str(),
                c.arguments.as_ref().unwrap().as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("A", "read_file", r#"{"path":"a.txt"}"#),
            ("B", "read_file", r#"{"path":"b.txt"}"#)
        ]
    );
    let finish = m.finish.unwrap();
    assert_eq!(finish.reason, FinishReason::ToolCalls);
    assert_eq!(finish.usage, Some(Usage::new(7, 9)));
}

/// What a reduced message says, in a form both encoders must preserve.
fn essence(events: &[Event]) -> serde_json::Value {
    let m = Reducer::reduce(events.iter().cloned());
    let finish = m.finish.as_ref();
    serde_json::json!({
        "reasoning": m.reasoning,
        "content": m.content,
        "tool_calls": m.tool_calls.iter().map(|c| (c.id.clone(), c.name.clone(), c.raw_arguments.clone())).collect::<Vec<_>>(),
        "reason": finish.map(|f| f.reason.as_str()),
        "input_tokens": finish.and_then(|f| f.usage.as_ref()).and_then(|u| u.input_tokens),
        "output_tokens": finish.and_then(|f| f.usage.as_ref()).and_then(|u| u.output_tokens),
        "errors": m.errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
    })
}

/// Every stream fixture of both wires, merged, re-encoded by each encoder, decoded and merged
/// again, means the same: the encoders lose nothing and invent nothing.
#[test]
fn encoders_round_trip_every_stream_fixture() {
    use ollama_stream_merge::to_ollama::OllamaEncoder;
    use ollama_stream_merge::to_openai::OpenAiEncoder;

    let mut checked = 0;
    for wire in [Wire::Ollama, Wire::OpenAi] {
        for case in test_support::cases(wire) {
            let endpoint = case.meta.endpoint.as_str();
            let chat = endpoint == "/api/chat" || endpoint == "/v1/chat/completions";
            let generate = endpoint == "/api/generate";
            if !(chat || generate) || !case.is_stream() || case.meta.status != 200 {
                continue;
            }
            let body = case.body;
            let events = if wire == Wire::OpenAi {
                merge_sse(&body)
            } else {
                let (events, decode_errors) = merge_ndjson(&body, generate);
                if !decode_errors.is_empty() {
                    continue; // malformed input has no delta to carry; nothing to re-encode
                }
                events
            };
            let want = essence(&events);

            let mut sse = Vec::new();
            let mut openai = OpenAiEncoder::new("chatcmpl-1", 1_768_064_132, "m");
            let mut ndjson = Vec::new();
            let mut ollama = OllamaEncoder::new("m", "2026-01-10T16:55:32Z");
            for event in &events {
                openai.encode(event, &mut sse).unwrap();
                ollama.encode(event, &mut ndjson).unwrap();
            }
            let name = case.dir.display();
            assert_eq!(essence(&merge_sse(&sse)), want, "{name} via OpenAI SSE");
            assert_eq!(
                essence(&merge_ndjson(&ndjson, false).0),
                want,
                "{name} via Ollama NDJSON"
            );

            // The re-emitted SSE is well ordered: one kind of delta per chunk.
            for line in std::str::from_utf8(&sse).unwrap().lines() {
                if let Some(json) = line.strip_prefix("data: {\"id\"") {
                    let kinds = ["\"content\":", "\"reasoning\":", "\"tool_calls\":"]
                        .iter()
                        .filter(|k| json.contains(*k))
                        .count();
                    assert!(kinds <= 1, "{name}: mixed delta {line}");
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} stream fixtures checked");
}

/// The merge events of every OpenAI-compatible chat stream fixture (SSE, HTTP 200).
#[test]
fn snapshot_every_openai_stream_fixture() {
    let mut count = 0;
    for case in test_support::cases(Wire::OpenAi) {
        let chat_sse = case.meta.endpoint == "/v1/chat/completions"
            && case
                .meta
                .content_type
                .as_deref()
                .is_some_and(|ct| ct.starts_with("text/event-stream"))
            && case.meta.status == 200;
        if !chat_sse {
            continue;
        }
        let (name, body) = (case.id, case.body);
        let events = serde_json::to_value(merge_sse(&body)).unwrap();
        insta::assert_json_snapshot!(format!("openai__{name}"), events);
        count += 1;
    }
    assert!(count >= 10, "only {count} SSE chat fixtures");
}

/// The chunks of an SSE body (decode errors left out).
fn chunks_of(body: &[u8]) -> Vec<openai_wire::chat::ChatCompletionChunk> {
    let mut decoder = openai_wire::chunks::ChatStreamDecoder::new();
    decoder.push(body);
    decoder
        .filter_map(|item| match item {
            Ok(openai_wire::chunks::StreamItem::Chunk(chunk)) => Some(chunk),
            _ => None,
        })
        .collect()
}

/// The fingerprints and reasoning keys a stream's chunks carry.
fn shape(
    chunks: &[openai_wire::chat::ChatCompletionChunk],
) -> (
    std::collections::BTreeSet<String>,
    std::collections::BTreeSet<String>,
) {
    let fingerprints = chunks
        .iter()
        .filter_map(|c| c.system_fingerprint.clone())
        .collect();
    let keys = chunks
        .iter()
        .flat_map(|c| &c.choices)
        .filter(|c| c.delta.reasoning.as_deref().is_some_and(|r| !r.is_empty()))
        .map(|c| format!("{:?}", c.delta.reasoning_key))
        .collect();
    (fingerprints, keys)
}

/// Re-encoded with an encoder that observed the source, every OpenAI chat stream fixture keeps
/// its `system_fingerprint` and the key its reasoning came under.
#[test]
fn the_openai_encoder_writes_what_the_source_wrote() {
    use ollama_stream_merge::to_openai::OpenAiEncoder;
    let mut checked = 0;
    let mut reasoning_cases = 0;
    for case in test_support::cases(Wire::OpenAi) {
        if case.meta.endpoint != "/v1/chat/completions" || !case.is_stream() || !case.is_success() {
            continue;
        }
        let source = chunks_of(&case.body);
        let Some(first) = source.first() else {
            continue;
        };
        let mut encoder = OpenAiEncoder::for_source(first);
        for chunk in &source {
            encoder.observe_source(chunk);
        }
        let mut sse = Vec::new();
        for event in merge_sse(&case.body) {
            encoder.encode(&event, &mut sse).unwrap();
        }
        let (fingerprints, keys) = shape(&source);
        let (again_fingerprints, again_keys) = shape(&chunks_of(&sse));
        // One fingerprint per stream in every recording; the encoder writes it on every chunk.
        assert!(fingerprints.len() <= 1, "{}", case.name());
        assert_eq!(again_fingerprints, fingerprints, "{}", case.name());
        assert_eq!(again_keys, keys, "{}", case.name());
        reasoning_cases += usize::from(!keys.is_empty());
        checked += 1;
    }
    assert!(
        checked >= 10 && reasoning_cases >= 2,
        "{checked} / {reasoning_cases}"
    );

    // A fixed key wins over the source's.
    let line = r#"data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"reasoning_content":"Hmm."},"finish_reason":"stop"}]}"#;
    let source = chunks_of(format!("{line}\n\n").as_bytes());
    let mut encoder = OpenAiEncoder::for_source(&source[0])
        .reasoning_key(openai_wire::chat::ReasoningKey::Reasoning);
    encoder.observe_source(&source[0]);
    let mut sse = Vec::new();
    for event in merge_sse(format!("{line}\n\ndata: [DONE]\n\n").as_bytes()) {
        encoder.encode(&event, &mut sse).unwrap();
    }
    let text = String::from_utf8(sse).unwrap();
    assert!(text.contains(r#""reasoning":"Hmm.""#), "{text}");
    assert!(!text.contains("system_fingerprint"), "{text}");
}
