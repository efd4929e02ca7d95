//! Hostile delta sequences, one row per attack, and the regression tests of the `merge_deltas`
//! fuzz target's findings (`fuzz/`), all fixed.

mod common;

use std::time::{Duration, Instant};

use common::{calls, finish_of, frag, run, run_with, texts};
use ollama_stream_merge::{
    CallErrorKind, Delta, Event, FinishReason, MergeError, MergedToolCall, Options, Reducer,
    ThinkTags, UpstreamError,
};

fn errors(events: &[Event]) -> Vec<MergeError> {
    Reducer::reduce(events).errors
}

/// Generous: a debug build merges 100,000 deltas in well under a second; a quadratic merger
/// would take minutes.
const BOUND: Duration = Duration::from_secs(20);

#[test]
fn hundred_thousand_one_byte_deltas_are_lossless_in_bounded_time() {
    let text: String = "Hello, wörld! 🦀 ".chars().cycle().take(100_000).collect();
    let start = Instant::now();
    // One character per delta (one byte for the ASCII ones), alternating channels every 1,000.
    let deltas: Vec<Delta> = text
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if (i / 1000) % 2 == 0 {
                Delta::content(c.to_string())
            } else {
                Delta::reasoning(c.to_string())
            }
        })
        .chain([Delta::finish(Some("stop"))])
        .collect();
    let want_reasoning: String = deltas.iter().map(|d| d.reasoning.as_str()).collect();
    let want_text: String = deltas.iter().map(|d| d.content.as_str()).collect();
    let events = run(deltas);
    assert!(start.elapsed() < BOUND, "took {:?}", start.elapsed());
    assert_eq!(texts(&events), (want_reasoning, want_text));
    // 100 blocks (start, end), one delta per character, the finish.
    assert_eq!(events.len(), 100_000 + 2 * 100 + 1);
    assert_eq!(finish_of(&events).reason, FinishReason::Stop);
}

#[test]
fn hundred_thousand_one_byte_deltas_with_think_tags_split_everywhere() {
    let unit = "ab<think>cd</think>e";
    let content = unit.repeat(100_000 / unit.len());
    let start = Instant::now();
    let deltas: Vec<Delta> = content
        .bytes()
        .map(|b| Delta::content(char::from(b).to_string()))
        .chain([Delta::finish(Some("stop"))])
        .collect();
    let events = run_with(deltas, Options::new().think_tags(ThinkTags::default()));
    assert!(start.elapsed() < BOUND, "took {:?}", start.elapsed());
    let n = 100_000 / unit.len();
    assert_eq!(texts(&events), ("cd".repeat(n), "abe".repeat(n)));
}

/// `n` whole calls, each with its own id and index, all open until the finish signal (OpenAI
/// streams close calls only there); merged on a thread, `None` when it takes longer than `bound`.
fn open_calls_within(n: u32, bound: Duration) -> Option<Vec<MergedToolCall>> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let deltas: Vec<Delta> = (0..n)
            .map(|i| {
                Delta::tool_call(
                    frag()
                        .with_id(format!("c{i}"))
                        .with_index(i)
                        .with_name("f")
                        .with_fragment("{}"),
                )
            })
            .chain([Delta::finish(Some("tool_calls"))])
            .collect();
        let _ = tx.send(calls(&run(deltas)));
    });
    // A late result is dropped with the process when the test ends.
    rx.recv_timeout(bound).ok()
}

#[test]
fn thousand_open_tool_calls() {
    let calls = open_calls_within(1000, BOUND).expect("1,000 calls in bounded time");
    assert_eq!(calls.len(), 1000);
    assert!(calls.iter().all(MergedToolCall::is_valid));
    assert_eq!(calls[999].id, "c999");
}

/// Found while writing this suite (the "100,000 tool calls in one stream" row): every
/// fragment looks its call up with a linear scan over the open calls, and closing them removes
/// `calls[0]` one at a time (`Vec::remove(0)`, a shift of all the others), so merging n open
/// calls is quadratic: 100,000 took over 10 minutes in a debug build (a hang for a proxy).
#[test]
fn hundred_thousand_tool_calls_in_bounded_time() {
    let calls = open_calls_within(100_000, BOUND).expect("100,000 calls within 20 s");
    assert_eq!(calls.len(), 100_000);
    assert!(calls.iter().all(MergedToolCall::is_valid));
}

#[test]
fn tool_call_index_reused_under_a_new_id_is_a_new_call() {
    // Ollama /v1 sends index 0 for every parallel call.
    let events = run(vec![
        Delta::tool_call(
            frag()
                .with_id("A")
                .with_index(0)
                .with_name("f")
                .with_fragment("{\"x\":"),
        ),
        // A continuation by index alone joins A.
        Delta::tool_call(frag().with_index(0).with_fragment("1}")),
        // The same index under a new id is a new call, even with the same name.
        Delta::tool_call(
            frag()
                .with_id("B")
                .with_index(0)
                .with_name("f")
                .with_fragment("{\"y\":"),
        ),
        // Continuations by id still reach A, by index the latest call at that index (B).
        Delta::tool_call(frag().with_index(0).with_fragment("2}")),
        Delta::tool_call(frag().with_id("A").with_index(0).with_fragment(" ")),
        Delta::finish(Some("tool_calls")),
    ]);
    let got: Vec<(String, String, String)> = calls(&events)
        .into_iter()
        .map(|c| (c.id, c.name, c.raw_arguments))
        .collect();
    assert_eq!(
        got,
        [
            ("A".into(), "f".into(), "{\"x\":1} ".into()),
            ("B".into(), "f".into(), "{\"y\":2}".into())
        ]
    );
    assert!(calls(&events).iter().all(MergedToolCall::is_valid));
}

#[test]
fn a_name_sent_again_identically_is_not_appended() {
    // llama-server repeats id and name in every fragment; some servers repeat only the name.
    let events = run(vec![
        Delta::tool_call(
            frag()
                .with_id("call_1")
                .with_index(0)
                .with_name("get_weather")
                .with_fragment("{\"city\":"),
        ),
        Delta::tool_call(
            frag()
                .with_id("call_1")
                .with_index(0)
                .with_name("get_weather")
                .with_fragment("\"Paris\""),
        ),
        Delta::tool_call(
            frag()
                .with_index(0)
                .with_name("get_weather")
                .with_fragment("}"),
        ),
        Delta::finish(Some("tool_calls")),
    ]);
    let calls = calls(&events);
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(calls[0].name, "get_weather");
    assert_eq!(calls[0].raw_arguments, "{\"city\":\"Paris\"}");
    assert!(calls[0].is_valid());
    // One start, announcing the name once.
    let starts = events
        .iter()
        .filter(|e| matches!(e, Event::BlockStart { .. }))
        .count();
    assert_eq!(starts, 1);
}

#[test]
fn valid_json_prefix_at_end_of_stream_is_an_error_never_repaired() {
    let prefix = "{\"city\":\"Paris\",\"days\":[1,2";
    // Cut: no finish signal.
    let events = run(vec![Delta::tool_call(
        frag()
            .with_id("c")
            .with_name("get_weather")
            .with_fragment(prefix),
    )]);
    let call = &calls(&events)[0];
    assert_eq!(call.raw_arguments, prefix, "kept as received");
    assert_eq!(
        call.arguments.as_ref().map_err(|e| &e.kind),
        Err(&CallErrorKind::Incomplete)
    );
    assert_eq!(finish_of(&events).reason, FinishReason::Incomplete);
    let found = errors(&events);
    assert!(found.contains(&MergeError::Truncated), "{found:?}");
    assert!(
        found.iter().any(|e| matches!(
            e,
            MergeError::ToolCall { error, .. } if error.kind == CallErrorKind::Incomplete
        )),
        "{found:?}"
    );

    // With a finish signal: strictly parsed, invalid, not completed with "]}".
    let events = run(vec![
        Delta::tool_call(
            frag()
                .with_id("c")
                .with_name("get_weather")
                .with_fragment(prefix),
        ),
        Delta::finish(Some("tool_calls")),
    ]);
    let call = &calls(&events)[0];
    assert_eq!(call.raw_arguments, prefix);
    assert!(matches!(
        call.arguments.as_ref().map_err(|e| &e.kind),
        Err(CallErrorKind::InvalidJson { .. })
    ));
    assert_eq!(errors(&events).len(), 1);
}

#[test]
fn upstream_error_then_more_deltas() {
    let events = run(vec![
        Delta::content("Hel"),
        Delta::tool_call(
            frag()
                .with_id("a")
                .with_name("f")
                .with_fragment("{\"x\":1}"),
        ),
        Delta::error(UpstreamError::new("model runner crashed")),
        // Documented: content after the error is still merged (into new blocks) …
        Delta::content("lo"),
        Delta::reasoning("hm"),
        Delta::tool_call(frag().with_id("b").with_name("g").with_fragment("{}")),
        // … and a later finish signal does not turn the reply into a clean one.
        Delta::finish(Some("stop")),
        Delta::error(UpstreamError::new("second")),
    ]);
    let m = Reducer::reduce(&events);
    assert_eq!(m.content, "Hello");
    assert_eq!(m.reasoning, "hm");
    assert_eq!(finish_of(&events).reason, FinishReason::Error);
    assert!(!m.is_complete());
    // Both calls end unparsed: the stream failed while they were open.
    assert_eq!(m.tool_calls.len(), 2);
    for call in &m.tool_calls {
        assert_eq!(
            call.arguments.as_ref().map_err(|e| &e.kind),
            Err(&CallErrorKind::Incomplete),
            "{call:?}"
        );
    }
    let upstream: Vec<&MergeError> = m
        .errors
        .iter()
        .filter(|e| matches!(e, MergeError::Upstream(_)))
        .collect();
    assert_eq!(upstream.len(), 2, "every upstream error is reported");
    assert!(!m.errors.contains(&MergeError::Truncated));
}

/// Both encoders end the re-emitted stream at the first upstream error: nothing after it is
/// written (the source failed there).
#[cfg(all(feature = "ollama", feature = "openai"))]
#[test]
fn encoders_stop_at_the_upstream_error() {
    use ollama_stream_merge::to_ollama::OllamaEncoder;
    use ollama_stream_merge::to_openai::OpenAiEncoder;

    let events = run(vec![
        Delta::content("a"),
        Delta::error(UpstreamError::new("boom")),
        Delta::content("after"),
        Delta::finish(Some("stop")),
    ]);
    let mut sse = Vec::new();
    let mut openai = OpenAiEncoder::new("chatcmpl-1", 1, "m");
    let mut ndjson = Vec::new();
    let mut ollama = OllamaEncoder::new("m", "2026-01-10T16:55:32Z");
    for event in &events {
        openai.encode(event, &mut sse).unwrap();
        ollama.encode(event, &mut ndjson).unwrap();
    }
    let sse = String::from_utf8(sse).unwrap();
    let ndjson = String::from_utf8(ndjson).unwrap();
    for out in [&sse, &ndjson] {
        assert!(out.contains("boom"), "{out}");
        assert!(!out.contains("after"), "{out}");
        assert!(
            !out.contains("[DONE]") && !out.contains("\"done\":true"),
            "{out}"
        );
    }
}

// ------------------------------------------------------------------ fuzz findings

/// Finding of `merge_deltas` (OpenAI re-encoding lost a call): a call without an id gets
/// `call_0` (before the fix), which a server can also send. Two calls of one reply then share an id; the
/// re-emitted OpenAI stream announces both as `call_0`, and any id-keyed consumer (this merger
/// included) folds the second into the first.
#[test]
fn synthesized_call_id_never_collides_with_a_server_id() {
    let events = run(vec![
        // No id: the merger makes one up (it used to be `call_0`).
        Delta::tool_call(frag().with_index(0).with_name("f").with_fragment("{}")),
        // The server's own id for the next call happens to be `call_0`.
        Delta::tool_call(
            frag()
                .with_id("call_0")
                .with_index(1)
                .with_name("g")
                .with_fragment("{}"),
        ),
        Delta::finish(Some("tool_calls")),
    ]);
    let ids: Vec<String> = calls(&events).into_iter().map(|c| c.id).collect();
    assert_eq!(ids.len(), 2);
    assert_ne!(
        ids[0], ids[1],
        "two calls of one reply share an id: {ids:?}"
    );
}

/// Finding of `merge_deltas` (finish reason changed by the OpenAI round trip): a finish signal
/// with the raw reason `error` (no error event) finishes with `FinishReason::Error`, and both
/// encoders then write nothing — no finish chunk, no `[DONE]` / `done`, no error event — so the
/// re-emitted stream is indistinguishable from a cut one and merges to `Incomplete`.
#[cfg(all(feature = "ollama", feature = "openai"))]
#[test]
fn error_finish_reason_is_not_re_encoded_as_a_cut_stream() {
    use ollama_stream_merge::merge_body;
    use ollama_stream_merge::to_ollama::OllamaEncoder;
    use ollama_stream_merge::to_openai::OpenAiEncoder;

    let events = run(vec![Delta::content("a"), Delta::finish(Some("error"))]);
    assert_eq!(finish_of(&events).reason, FinishReason::Error);

    let mut sse = Vec::new();
    let mut openai = OpenAiEncoder::new("chatcmpl-1", 1, "m");
    for event in &events {
        openai.encode(event, &mut sse).unwrap();
    }
    let again = merge_body(
        openai_wire::chunks::ChatStreamDecoder::new(),
        &sse,
        Options::default(),
    );
    assert_finishes_with_error(&again, "OpenAI SSE", &sse);

    let mut ndjson = Vec::new();
    let mut ollama = OllamaEncoder::new("m", "2026-01-10T16:55:32Z");
    for event in &events {
        ollama.encode(event, &mut ndjson).unwrap();
    }
    let again = merge_body(
        ollama_wire::ChatStreamDecoder::new(),
        &ndjson,
        Options::default(),
    );
    assert_finishes_with_error(&again, "Ollama NDJSON", &ndjson);
}

/// Asserts that `events`, merged again from the re-encoded `bytes` of wire `via`, finish
/// with `FinishReason::Error`.
#[cfg(all(feature = "ollama", feature = "openai"))]
fn assert_finishes_with_error(events: &[Event], via: &str, bytes: &[u8]) {
    assert_eq!(
        finish_of(events).reason,
        FinishReason::Error,
        "via {via}:\n{}",
        String::from_utf8_lossy(bytes)
    );
}
