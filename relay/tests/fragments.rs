//! The fault-injecting upstream of issue #18: one tool call whose arguments arrive in 100,000
//! fragments. Every client gets a well-formed, terminated stream with the call intact, in
//! bounded time and memory.
//!
//! - `/v1/chat/completions` (SSE): 100,000 `tool_calls[0].function.arguments` deltas of a few
//!   bytes each, building one JSON object; repaired, and in translate mode
//!   (`--upstream-wire openai`) served to `/v1/messages`, `/v1/responses` and `/api/chat`
//!   clients.
//! - `/api/chat` (NDJSON): Ollama sends each tool call whole (the recorded transcripts and
//!   fixtures all do: `"arguments":{…}` in one chunk), so the native case is 100,000 content
//!   fragments and then one call whose argument object is the same large object.
//!
//! The relay is the `ollama-relay` binary in a process of its own, started per case, so the
//! peak RSS measured (its `VmHWM`) is the relay's alone and this case's alone. The client reads
//! the reply frame by frame through its wire's checking decoder joined to a merger
//! (`common::read_streamed`).
//!
//! Times and RSS are printed (`--nocapture`).

use std::time::{Duration, Instant};

use bytes::Bytes;
use ollama_relay::Wire;
use ollama_stream_merge::{FinishReason, validate};
use serde_json::{Value, json};
use tokio::sync::Mutex;

mod common;

use common::*;

/// Argument fragments per stream.
const FRAGMENTS: usize = 100_000;

/// Generous: a debug build on two busy cores. A per-fragment copy or re-validation of the
/// growing argument text (O(n²): 100,000 × ~250 KB on average) takes far longer.
const TIME_BOUND: Duration = Duration::from_secs(60);

/// One case at a time: the time bound is for one stream on the machine's cores.
static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

/// The argument object: ~500 KB of JSON with escapes, non-ASCII text and nesting, so the
/// fragment boundaries fall inside strings, escapes and numbers.
fn arguments() -> Value {
    let items: Vec<Value> = (0..5_000)
        .map(|i| {
            json!({
                "i": i,
                "s": format!("line {i}: \"quoted\" \\ tab\t é 🦀"),
                "n": [i * 3, -i, 1.5],
                "ok": i % 2 == 0,
            })
        })
        .collect();
    json!({"city": "Paris", "items": items, "empty": {}, "none": null})
}

/// `text` cut at character boundaries into exactly `n` pieces, none empty.
fn pieces(text: &str, n: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    assert!(
        chars.len() >= n,
        "{} characters for {n} pieces",
        chars.len()
    );
    (0..n)
        .map(|k| {
            let (from, to) = (k * chars.len() / n, (k + 1) * chars.len() / n);
            chars[from..to].iter().collect()
        })
        .collect()
}

fn sse(value: &Value) -> Step {
    Step::Send(Bytes::from(format!("data: {value}\n\n")))
}

/// An OpenAI chat stream: the call's id and name, then one `arguments` delta per piece, then
/// the finish reason, the usage chunk and `[DONE]`; one body frame each.
fn openai_upstream(arguments: &str) -> Vec<Step> {
    let chunk = |delta: Value, finish: Value| {
        json!({
            "id": "chatcmpl-frag", "object": "chat.completion.chunk", "created": 1_796_112_997,
            "model": "m", "system_fingerprint": "fp_ollama",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        })
    };
    let mut steps = Vec::with_capacity(FRAGMENTS + 4);
    steps.push(sse(&chunk(
        json!({"role": "assistant", "content": "", "tool_calls": [
            {"id": "call_frag", "index": 0, "type": "function",
             "function": {"name": "get_weather", "arguments": ""}},
        ]}),
        Value::Null,
    )));
    for piece in pieces(arguments, FRAGMENTS) {
        steps.push(sse(&chunk(
            json!({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]}),
            Value::Null,
        )));
    }
    steps.push(sse(&chunk(json!({}), json!("tool_calls"))));
    steps.push(sse(&json!({
        "id": "chatcmpl-frag", "object": "chat.completion.chunk", "created": 1_796_112_997,
        "model": "m", "system_fingerprint": "fp_ollama", "choices": [],
        "usage": {"prompt_tokens": 10, "completion_tokens": 100_000, "total_tokens": 100_010},
    })));
    steps.push(Step::Send(Bytes::from_static(b"data: [DONE]\n\n")));
    steps
}

/// The content pieces of the native case.
fn content_pieces() -> Vec<String> {
    let text: String = (0..FRAGMENTS).map(|i| format!("w{} ", i % 97)).collect();
    pieces(&text, FRAGMENTS)
}

fn ndjson(value: &Value) -> Step {
    Step::Send(Bytes::from(format!("{value}\n")))
}

/// An Ollama chat stream: one chunk per content piece, one chunk with the whole call, the
/// `done` chunk.
fn ollama_upstream(arguments: &Value) -> Vec<Step> {
    let chunk = |message: Value| {
        json!({"model": "m", "created_at": "2026-12-01T08:20:16.365473279Z",
               "message": message, "done": false})
    };
    let mut steps = Vec::with_capacity(FRAGMENTS + 2);
    for piece in content_pieces() {
        steps.push(ndjson(&chunk(
            json!({"role": "assistant", "content": piece}),
        )));
    }
    steps.push(ndjson(&chunk(json!({"role": "assistant", "content": "", "tool_calls": [
        {"id": "call_frag", "function": {"index": 0, "name": "get_weather", "arguments": arguments}},
    ]}))));
    steps.push(ndjson(&json!({
        "model": "m", "created_at": "2026-12-01T08:20:17.365473279Z",
        "message": {"role": "assistant", "content": ""}, "done": true, "done_reason": "stop",
        "total_duration": 1, "load_duration": 1, "prompt_eval_count": 10,
        "prompt_eval_duration": 1, "eval_count": 100_000, "eval_duration": 1,
    })));
    steps
}

/// A streamed request of `wire`'s client.
fn request(wire: Wire) -> Value {
    let user = json!({"role": "user", "content": "Weather in Paris?"});
    match wire {
        Wire::Responses => json!({"model": "m", "input": "Weather in Paris?", "stream": true}),
        Wire::Anthropic => {
            json!({"model": "m", "messages": [user], "max_tokens": 50, "stream": true})
        }
        _ => json!({"model": "m", "messages": [user], "stream": true}),
    }
}

struct Case {
    what: &'static str,
    upstream_content_type: &'static str,
    steps: Vec<Step>,
    upstream_wire: Option<&'static str>,
    client: Wire,
    path: &'static str,
    /// The content the client must receive.
    content: String,
}

/// Runs `case` through the relay, checks the reply, prints and bounds its time and the
/// relay process's peak RSS growth.
async fn run(case: Case, arguments: &Value) {
    let Case {
        what,
        upstream_content_type,
        steps,
        upstream_wire,
        client: wire,
        path,
        content,
    } = case;
    let steps: std::sync::Arc<[Step]> = steps.into();
    let upstream_bytes: usize = steps
        .iter()
        .map(|s| match s {
            Step::Send(b) => b.len(),
            _ => 0,
        })
        .sum();
    let up =
        upstream(move |_| Reply::steps(upstream_content_type, std::sync::Arc::clone(&steps))).await;
    // The relay binary in its own process, so the peak measured is the relay's alone and
    // this case's alone.
    let mut args = vec!["--upstream", up.base.as_str()];
    // A debug build on busy cores: no idle cut while the client lags.
    args.extend(["--idle-timeout", "30"]);
    if let Some(wire) = upstream_wire {
        args.extend(["--upstream-wire", wire]);
    }
    let relay = RelayProcess::spawn(&args);

    let (rss_before, hwm_before) = (relay.status_kib("VmRSS:"), relay.status_kib("VmHWM:"));
    assert!(rss_before > 0, "the relay's /proc status is readable");
    let started = Instant::now();
    let response = client()
        .post(format!("{}{path}", relay.base))
        .header("content-type", "application/json")
        .body(request(wire).to_string())
        .send()
        .await
        .unwrap();
    let got = read_streamed(wire, response).await;
    let elapsed = started.elapsed();
    let hwm_after = relay.status_kib("VmHWM:");
    // Against the RSS before the request, not the start-up peak (conservative).
    let growth = hwm_after.saturating_sub(rss_before);
    println!(
        "{what}: {path}: {} bytes in {} frames ({} argument deltas) from {upstream_bytes} upstream bytes in {:.2} s; RSS before {rss_before} KiB, peak {hwm_before} → {hwm_after} KiB (+{growth} KiB)",
        got.bytes,
        got.frames,
        got.args_deltas,
        elapsed.as_secs_f64(),
    );

    assert_eq!(got.status, 200, "{what}");
    assert_eq!(got.content_type, wire.stream_content_type(), "{what}");
    // Decoded with the wire's checking decoder without a fault, a violation or a cut.
    assert!(
        got.message.errors.is_empty(),
        "{what}: {:?}",
        got.message.errors
    );
    validate(&got.events).unwrap_or_else(|v| panic!("{what}: {v}"));
    // Terminated, in the wire's own way.
    let tail = text(&got.tail);
    let terminator = match wire {
        Wire::OpenAi => "data: [DONE]\n\n",
        Wire::Responses => "response.completed",
        Wire::Anthropic => "event: message_stop\n",
        _ => "\"done\":true",
    };
    assert!(tail.contains(terminator), "{what}: ends with {tail:?}");
    let finish = got.message.finish.as_ref().unwrap();
    assert_eq!(finish.reason, FinishReason::ToolCalls, "{what}");
    // The one call, intact.
    assert_eq!(got.message.tool_calls.len(), 1, "{what}");
    let call = &got.message.tool_calls[0];
    assert_eq!(call.name, "get_weather", "{what}");
    let parsed: Value = serde_json::from_str(&call.raw_arguments).unwrap();
    assert_eq!(&parsed, arguments, "{what}");
    assert_eq!(got.message.content, content, "{what}");

    assert!(elapsed < TIME_BOUND, "{what}: took {elapsed:?}");
    // Memory. The relay must hold the call's arguments (A ≈ 0.5 MB: the merger parses them
    // at the end, the Responses and Anthropic encoders repeat them in the final item), besides
    // the sockets' buffers, the runtime's threads and the allocator's per-thread arenas:
    // measured 5–10.5 MB of growth in a debug build (printed above). (Measured inside the test
    // process instead, the test's own copies of the arguments made that 4–15 MB, and an earlier
    // case's peak hid this one's: a CI run failed on it.)
    // The upstream stream is ~25 MB for the OpenAI cases (each few-byte fragment rides in a
    // ~250-byte chunk: ~50 A) and ~12.5 MB for the native one, the re-encoded client stream
    // about as big: a relay that kept either whole would grow the peak by at least that, on
    // top of the rest. The bound is one whole copy of the upstream stream, so keeping the
    // stream even once, let alone once per fragment, fails.
    let bound_kib = (upstream_bytes / 1024) as u64;
    assert!(
        growth < bound_kib,
        "{what}: peak RSS grew by {growth} KiB (bound {bound_kib} KiB)"
    );
    drop(relay);
}

fn openai_case(
    what: &'static str,
    upstream_wire: Option<&'static str>,
    client: Wire,
    path: &'static str,
    arguments: &Value,
) -> Case {
    Case {
        what,
        upstream_content_type: SSE,
        steps: openai_upstream(&arguments.to_string()),
        upstream_wire,
        client,
        path,
        content: String::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openai_arguments_in_100k_fragments_repaired() {
    let _one = ONE_AT_A_TIME.lock().await;
    let arguments = arguments();
    let case = openai_case(
        "repair",
        None,
        Wire::OpenAi,
        "/v1/chat/completions",
        &arguments,
    );
    run(case, &arguments).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openai_arguments_in_100k_fragments_translated() {
    let _one = ONE_AT_A_TIME.lock().await;
    let arguments = arguments();
    for (client, path) in [
        (Wire::Responses, "/v1/responses"),
        (Wire::Anthropic, "/v1/messages"),
        (Wire::Ollama, "/api/chat"),
    ] {
        let case = openai_case("translate", Some("openai"), client, path, &arguments);
        run(case, &arguments).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ollama_100k_content_fragments_and_a_large_call_repaired() {
    let _one = ONE_AT_A_TIME.lock().await;
    let arguments = arguments();
    let case = Case {
        what: "repair",
        upstream_content_type: NDJSON,
        steps: ollama_upstream(&arguments),
        upstream_wire: None,
        client: Wire::Ollama,
        path: "/api/chat",
        content: content_pieces().concat(),
    };
    run(case, &arguments).await;
}
