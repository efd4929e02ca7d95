//! The small value types of the merge vocabulary: spellings, emptiness, equality, formatting
//! and the accessors the other tests lean on.
#![cfg(all(feature = "ollama", feature = "openai", feature = "stream"))]

mod common;

use common::{calls, run};

use ollama_stream_merge::{
    Arguments, ArgumentsDelta, BlockKind, Delta, Event, FinishReason, LateReasoning,
    MergedToolCall, Merger, Options, ToolCallFragment, Usage, merge,
};

#[test]
fn finish_reasons_are_spelled_as_openai_does() {
    let spelled: Vec<&str> = [
        FinishReason::Stop,
        FinishReason::Length,
        FinishReason::ToolCalls,
        FinishReason::ContentFilter,
        FinishReason::Error,
        FinishReason::Incomplete,
        FinishReason::Other,
    ]
    .into_iter()
    .map(FinishReason::as_str)
    .collect();
    assert_eq!(
        spelled,
        [
            "stop",
            "length",
            "tool_calls",
            "content_filter",
            "error",
            "incomplete",
            "other"
        ]
    );
}

#[test]
fn usage_is_empty_only_without_any_count() {
    assert!(Usage::default().is_empty());
    assert!(!Usage::new(0, 0).is_empty());
    let mut only_reasoning = Usage::default();
    only_reasoning.reasoning_tokens = Some(3);
    assert!(!only_reasoning.is_empty());
}

#[test]
fn arguments_compare_format_and_convert_by_their_exact_text() {
    let a = Arguments::parse_strict(r#"{"city":"Paris","n":9007199254740993}"#).unwrap();
    let same = Arguments::parse_strict(r#"  {"city":"Paris","n":9007199254740993} "#).unwrap();
    let reordered = Arguments::parse_strict(r#"{"n":9007199254740993,"city":"Paris"}"#).unwrap();
    assert_eq!(a, same);
    assert_ne!(a, reordered); // key order is kept, so it is part of the value
    assert_eq!(format!("{a}"), r#"{"city":"Paris","n":9007199254740993}"#);
    assert_eq!(format!("{a:?}"), r#"{"city":"Paris","n":9007199254740993}"#);
    assert_eq!(
        a.to_value().unwrap(),
        serde_json::json!({"city": "Paris", "n": 9_007_199_254_740_993_u64})
    );
}

#[test]
fn block_events_name_their_block_and_others_do_not() {
    let events = merge(
        [
            Delta::reasoning("hmm"),
            Delta::content("Hi"),
            Delta::tool_call(ToolCallFragment::whole("f", "{}")),
            Delta::tool_call(ToolCallFragment::whole("g", "{\"a\":")),
            Delta::finish(Some("tool_calls")),
        ],
        Options::default(),
    );
    let indexes: Vec<Option<u32>> = events.iter().map(Event::block_index).collect();
    let starts: Vec<u32> = events
        .iter()
        .filter(|e| matches!(e, Event::BlockStart { .. }))
        .filter_map(Event::block_index)
        .collect();
    assert_eq!(starts, [0, 1, 2, 3]);
    assert_eq!(indexes.last(), Some(&None)); // the Finish event
    assert!(events.iter().any(|e| matches!(
        e,
        Event::BlockStart {
            block: BlockKind::ToolCall { .. },
            index: 3
        }
    )));
    // One valid call and one whose arguments never closed.
    let validity: Vec<bool> = calls(&events)
        .iter()
        .map(MergedToolCall::is_valid)
        .collect();
    assert_eq!(validity, [true, false]);
}

#[test]
fn a_merger_keeps_the_options_it_was_given() {
    let options = Options::new().late_reasoning(LateReasoning::Defer);
    let merger = Merger::with_options(options.clone());
    assert_eq!(merger.options().late_reasoning, LateReasoning::Defer);
    assert_eq!(
        Merger::new().options().late_reasoning,
        LateReasoning::NewBlock
    );
}

/// A call that arrives after the finish signal (a server that sends it on a later chunk) is
/// closed whole at the end of a clean stream.
#[test]
fn a_call_after_the_finish_signal_is_closed_whole() {
    let call_validity = |deltas: Vec<Delta>| -> Vec<bool> {
        calls(&run(deltas))
            .iter()
            .map(MergedToolCall::is_valid)
            .collect()
    };
    // A fragment (not a whole call) stays open until the end of input.
    let late = || {
        Delta::tool_call(
            ToolCallFragment::new()
                .with_name("f")
                .with_fragment(r#"{"a":1}"#),
        )
    };
    assert_eq!(
        call_validity(vec![Delta::finish(Some("tool_calls")), late()]),
        [true]
    );
}

/// The calls a list of fragments merges into, as (name, raw arguments).
fn merged_calls(fragments: Vec<ToolCallFragment>) -> Vec<(String, String)> {
    let mut deltas: Vec<Delta> = fragments.into_iter().map(Delta::tool_call).collect();
    deltas.push(Delta::finish(Some("tool_calls")));
    calls(&run(deltas))
        .into_iter()
        .map(|call| (call.name, call.raw_arguments))
        .collect()
}

/// A fragment whose id is new but whose index is that of an open call without an id continues
/// that call (a server that sends the id late).
#[test]
fn an_id_arriving_late_joins_the_open_call_at_its_index() {
    let calls = merged_calls(vec![
        ToolCallFragment::new()
            .with_index(0)
            .with_name("f")
            .with_fragment(r#"{"a":"#),
        ToolCallFragment::new()
            .with_id("call_1")
            .with_index(0)
            .with_fragment("1}"),
    ]);
    assert_eq!(calls, [("f".to_owned(), r#"{"a":1}"#.to_owned())]);
}

/// A complete argument object joins the announced call that has no arguments yet.
#[test]
fn complete_arguments_join_only_a_call_without_arguments() {
    let announced = merged_calls(vec![
        ToolCallFragment::new().with_id("call_1").with_name("f"),
        ToolCallFragment::new()
            .with_id("call_1")
            .with_arguments(ArgumentsDelta::Complete(r#"{"a":1}"#.into())),
    ]);
    assert_eq!(announced, [("f".to_owned(), r#"{"a":1}"#.to_owned())]);
}

/// The three ways to fold events agree: pushing into a `Reducer` (read while it goes, or
/// extended with a slice), `Reducer::reduce`, and collecting into an `AssistantMessage`.
#[test]
fn a_message_folds_the_same_way_by_push_extend_and_collect() {
    use ollama_stream_merge::{AssistantMessage, Reducer};
    let events = merge(
        [
            Delta::reasoning("think"),
            Delta::content("Hi"),
            Delta::finish(Some("stop")),
        ],
        Options::default(),
    );
    let mut reducer = Reducer::new();
    reducer.push(&events[0]);
    assert_eq!(reducer.message().content, "");
    reducer.extend(&events[1..]);
    assert_eq!(reducer.message().reasoning, "think");
    assert_eq!(reducer.message().content, "Hi");
    let collected: AssistantMessage = events.iter().cloned().collect();
    assert_eq!(collected, Reducer::reduce(&events));
    assert_eq!(&collected, reducer.message());
}

/// The Ollama re-encoder writes the timestamp it is given, and the new one after
/// `set_created_at`.
#[test]
fn the_ollama_encoder_stamps_chunks_with_the_time_set() {
    use ollama_stream_merge::to_ollama::OllamaEncoder;
    let events = merge(
        [
            Delta::content("a"),
            Delta::content("b"),
            Delta::finish(Some("stop")),
        ],
        Options::default(),
    );
    let mut encoder = OllamaEncoder::new("m", "2026-12-01T08:00:00Z");
    let mut out = Vec::new();
    let mut stamps = Vec::new();
    for (i, event) in events.iter().enumerate() {
        if i == 2 {
            encoder.set_created_at("2026-12-01T08:00:01Z");
        }
        encoder.encode(event, &mut out).unwrap();
    }
    for line in out.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        let v: serde_json::Value = serde_json::from_slice(line).unwrap();
        stamps.push(v["created_at"].as_str().unwrap().to_owned());
    }
    assert_eq!(
        stamps.first().map(String::as_str),
        Some("2026-12-01T08:00:00Z")
    );
    assert_eq!(
        stamps.last().map(String::as_str),
        Some("2026-12-01T08:00:01Z")
    );
}

/// `MergeStream::merger` is the merger the stream feeds, with the options it was built with.
#[test]
fn a_merge_stream_shows_its_merger() {
    use ollama_stream_merge::MergeStream;
    let parts: Vec<Result<bytes::Bytes, std::io::Error>> = Vec::new();
    let stream = MergeStream::with_options(
        openai_wire::stream::ChatStream::new(futures::stream::iter(parts)),
        Options::new().late_reasoning(LateReasoning::Defer),
    );
    assert_eq!(
        stream.merger().options().late_reasoning,
        LateReasoning::Defer
    );
    assert!(!stream.merger().is_ended());
}

/// Without id or index, a nameless fragment continues the latest open call, and a fragment
/// with another name starts a new one.
#[test]
fn bare_fragments_continue_the_latest_call_unless_renamed() {
    let calls = merged_calls(vec![
        ToolCallFragment::new()
            .with_name("f")
            .with_fragment(r#"{"a":"#),
        ToolCallFragment::new().with_fragment("1}"),
        ToolCallFragment::new().with_name("g").with_fragment("{}"),
    ]);
    assert_eq!(
        calls,
        [
            ("f".to_owned(), r#"{"a":1}"#.to_owned()),
            ("g".to_owned(), "{}".to_owned())
        ]
    );
}

/// A delta is empty only when it carries nothing at all; each field alone makes it non-empty.
#[test]
fn a_delta_is_empty_only_without_any_field() {
    assert!(Delta::new().is_empty());
    let one_field = [
        Delta::reasoning("r"),
        Delta::content("c"),
        Delta::tool_call(ToolCallFragment::new().with_name("f")),
        Delta::new().with_usage(Usage::new(1, 2)),
        Delta::finish(Some("stop")),
        Delta::error(ollama_stream_merge::UpstreamError::new("boom")),
    ];
    for delta in one_field {
        assert!(!delta.is_empty(), "{delta:?}");
    }
}

/// The re-encoders number calls and send the role once: native calls carry `function.index`
/// 0, 1, …; OpenAI chunks name the role on the first chunk only.
#[test]
fn re_encoders_number_calls_and_send_the_role_once() {
    use ollama_stream_merge::to_ollama::OllamaEncoder;
    use ollama_stream_merge::to_openai::OpenAiEncoder;
    let events = merge(
        [
            Delta::content("Hi"),
            Delta::tool_call(ToolCallFragment::whole("f", "{}")),
            Delta::tool_call(ToolCallFragment::whole("g", "{}")),
            Delta::tool_call(ToolCallFragment::whole("h", "{}")),
            Delta::finish(Some("tool_calls")),
        ],
        Options::default(),
    );
    let mut ndjson = Vec::new();
    let mut ollama = OllamaEncoder::new("m", "2026-12-01T08:00:00Z");
    for event in &events {
        ollama.encode(event, &mut ndjson).unwrap();
    }
    let indexes: Vec<u64> = ndjson
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .filter_map(|l| serde_json::from_slice::<serde_json::Value>(l).ok())
        .filter_map(|v| v["message"]["tool_calls"][0]["function"]["index"].as_u64())
        .collect();
    assert_eq!(indexes, [0, 1, 2]);

    let mut sse = Vec::new();
    let mut openai = OpenAiEncoder::new("chatcmpl-1", 1, "m");
    for event in &events {
        openai.encode(event, &mut sse).unwrap();
    }
    let roles: Vec<bool> = String::from_utf8(sse)
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .filter_map(|d| serde_json::from_str::<serde_json::Value>(d).ok())
        .filter(|v| v["choices"].as_array().is_some_and(|c| !c.is_empty()))
        .map(|v| v["choices"][0]["delta"].get("role").is_some())
        .collect();
    assert_eq!(roles.first(), Some(&true));
    assert!(roles[1..].iter().all(|r| !r), "{roles:?}");
}

#[test]
fn openai_usage_carries_its_reasoning_tokens_when_it_has_them() {
    let chunk = |usage: &str| -> openai_wire::chat::ChatCompletionChunk {
        serde_json::from_str(&format!(
            r#"{{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{usage}}}"#
        ))
        .unwrap()
    };
    let with_details = Delta::from(chunk(
        r#"{"prompt_tokens":5,"completion_tokens":9,"total_tokens":14,"completion_tokens_details":{"reasoning_tokens":7}}"#,
    ));
    let usage = with_details.usage.expect("usage");
    assert_eq!(
        (
            usage.input_tokens,
            usage.output_tokens,
            usage.total_tokens,
            usage.reasoning_tokens
        ),
        (Some(5), Some(9), Some(14), Some(7))
    );
    let without = Delta::from(chunk(
        r#"{"prompt_tokens":5,"completion_tokens":9,"total_tokens":14}"#,
    ));
    assert_eq!(without.usage.expect("usage").reasoning_tokens, None);
}
