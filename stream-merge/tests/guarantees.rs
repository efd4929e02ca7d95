//! One test per guarantee of the merger (core only, no wire feature needed).

mod common;

use common::{block_kinds, calls, finish_of, frag, run, run_with, texts};
use ollama_stream_merge::{
    BlockKind, BlockOutcome, CallErrorKind, Delta, Event, FinishReason, LateReasoning, MergeError,
    MergedToolCall, Merger, Options, Reducer, ThinkTags, ToolCallFragment, UpstreamError, Usage,
};

fn stop() -> Delta {
    Delta::finish(Some("stop"))
}

/// THE test of the issue: a delta carrying both reasoning and content yields one reasoning block
/// followed by one text block.
#[test]
fn reasoning_and_content_in_one_delta_give_one_reasoning_then_one_text_block() {
    let events = run(vec![
        Delta::reasoning("User").with_content(""),
        Delta::reasoning(" says hi.").with_content(""),
        Delta::reasoning(" Reply briefly.").with_content("Hello"),
        Delta::content(", world"),
        Delta::content("!"),
        stop(),
    ]);
    assert_eq!(block_kinds(&events), ["R", "T"]);
    assert_eq!(
        events[..7],
        [
            Event::BlockStart {
                index: 0,
                block: BlockKind::Reasoning
            },
            Event::ReasoningDelta {
                index: 0,
                text: "User".into()
            },
            Event::ReasoningDelta {
                index: 0,
                text: " says hi.".into()
            },
            Event::ReasoningDelta {
                index: 0,
                text: " Reply briefly.".into()
            },
            Event::BlockEnd {
                index: 0,
                outcome: BlockOutcome::Reasoning
            },
            Event::BlockStart {
                index: 1,
                block: BlockKind::Text
            },
            Event::TextDelta {
                index: 1,
                text: "Hello".into()
            },
        ]
    );
    let m = Reducer::reduce(&events);
    assert_eq!(m.reasoning, "User says hi. Reply briefly.");
    assert_eq!(m.content, "Hello, world!");
    assert!(m.is_complete());
}

#[test]
fn order_within_one_delta_is_reasoning_content_tool_calls() {
    let d = Delta::reasoning("r")
        .with_content("t")
        .with_tool_call(ToolCallFragment::whole("f", "{}").with_id("c1"));
    let events =
        run(vec![d.with_finish(ollama_stream_merge::FinishSignal::new(
            Some("stop"),
        ))]);
    assert_eq!(block_kinds(&events), ["R", "T", "C:f"]);
}

#[test]
fn empty_fields_open_no_block() {
    let events = run(vec![
        Delta::content("").with_reasoning("think"),
        Delta::content(""),
        Delta::new(),
        stop(),
    ]);
    assert_eq!(block_kinds(&events), ["R"]);
    let events = run(vec![Delta::content(""), stop()]);
    assert_eq!(block_kinds(&events), Vec::<String>::new());
    assert_eq!(events.len(), 1);
}

#[test]
fn reasoning_after_text_opens_a_new_block_by_default() {
    let events = run(vec![
        Delta::reasoning("a"),
        Delta::content("b"),
        Delta::reasoning("c"),
        Delta::content("d"),
        stop(),
    ]);
    assert_eq!(block_kinds(&events), ["R", "T", "R", "T"]);
    assert_eq!(texts(&events), ("ac".into(), "bd".into()));
}

#[test]
fn deferred_reasoning_waits_for_the_text_block_to_end() {
    let options = Options::new().late_reasoning(LateReasoning::Defer);
    let events = run_with(
        vec![
            Delta::reasoning("a"),
            Delta::content("b"),
            Delta::reasoning("c"),
            Delta::content("d"),
            Delta::reasoning("e"),
            stop(),
        ],
        options.clone(),
    );
    assert_eq!(block_kinds(&events), ["R", "T", "R"]);
    assert_eq!(texts(&events), ("ace".into(), "bd".into()));
    // A tool call ends the text block: the held reasoning comes out before the call.
    let events = run_with(
        vec![
            Delta::content("b"),
            Delta::reasoning("c"),
            Delta::tool_call(ToolCallFragment::whole("f", "{}")),
            stop(),
        ],
        options,
    );
    assert_eq!(block_kinds(&events), ["T", "R", "C:f"]);
}

#[test]
fn text_and_reasoning_are_lossless() {
    let parts = ["Hé", "", "llo ", "wörld", "\n", "🦀", " "];
    let deltas: Vec<Delta> = parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if i % 3 == 0 {
                Delta::reasoning(*p)
            } else {
                Delta::content(*p).with_reasoning(*p)
            }
        })
        .chain([stop()])
        .collect();
    let want_reasoning: String = parts.concat();
    let want_text: String = parts
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 3 != 0)
        .map(|(_, p)| *p)
        .collect();
    let events = run(deltas);
    assert_eq!(texts(&events), (want_reasoning, want_text));
}

#[test]
fn tool_calls_by_id_with_fragments_and_repeated_names() {
    // llama-server style: id and name repeated in every fragment.
    let f = |args: &str| {
        frag()
            .with_id("abc")
            .with_index(0)
            .with_name("read_file")
            .with_fragment(args)
    };
    let events = run(vec![
        Delta::tool_call(f("")),
        Delta::tool_call(f("{\"path\":")),
        Delta::tool_call(f("\"a.txt\"}")),
        Delta::finish(Some("tool_calls")),
    ]);
    let calls = calls(&events);
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].name, "read_file");
    assert_eq!(calls[0].id, "abc");
    assert_eq!(calls[0].raw_arguments, "{\"path\":\"a.txt\"}");
    assert_eq!(
        calls[0].arguments.as_ref().unwrap().as_str(),
        "{\"path\":\"a.txt\"}"
    );
    assert_eq!(finish_of(&events).reason, FinishReason::ToolCalls);
}

#[test]
fn openai_style_fragments_without_repeated_id() {
    let events = run(vec![
        Delta::tool_call(
            frag()
                .with_index(0)
                .with_id("c0")
                .with_name("a")
                .with_fragment(""),
        ),
        Delta::tool_call(
            frag()
                .with_index(1)
                .with_id("c1")
                .with_name("b")
                .with_fragment(""),
        ),
        Delta::tool_call(frag().with_index(0).with_fragment("{\"x\":")),
        Delta::tool_call(frag().with_index(1).with_fragment("{\"y\":2}")),
        Delta::tool_call(frag().with_index(0).with_id("").with_fragment("1}")),
        Delta::finish(Some("tool_calls")),
    ]);
    let calls = calls(&events);
    let got: Vec<_> = calls
        .iter()
        .map(|c| (c.id.as_str(), c.name.as_str(), c.raw_arguments.as_str()))
        .collect();
    assert_eq!(got, [("c0", "a", "{\"x\":1}"), ("c1", "b", "{\"y\":2}")]);
    assert!(calls.iter().all(MergedToolCall::is_valid));
}

#[test]
fn whole_calls_without_id_or_index_stay_apart_and_get_ids() {
    let events = run(vec![
        Delta::tool_call(ToolCallFragment::whole("f", "{\"n\":1}"))
            .with_tool_call(ToolCallFragment::whole("f", "{\"n\":2}")),
        Delta::tool_call(ToolCallFragment::whole("g", "{}").with_index(0)),
        stop(),
    ]);
    let calls = calls(&events);
    let ids: Vec<_> = calls.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["merge_call_0", "merge_call_1", "merge_call_2"]);
    // A whole call ends at once, before the next one starts.
    assert!(matches!(events[2], Event::BlockEnd { index: 0, .. }));
}

#[test]
fn name_arriving_late_defers_the_start_and_keeps_the_arguments() {
    let events = run(vec![
        Delta::tool_call(frag().with_index(0).with_id("c").with_fragment("{\"a\"")),
        Delta::tool_call(frag().with_index(0).with_name("f").with_fragment(":1}")),
        Delta::finish(Some("tool_calls")),
    ]);
    // The buffered fragments come out together once the name is known.
    assert_eq!(
        events[..2],
        [
            Event::BlockStart {
                index: 0,
                block: BlockKind::ToolCall {
                    id: "c".into(),
                    name: "f".into()
                }
            },
            Event::ToolArgsDelta {
                index: 0,
                json: "{\"a\":1}".into()
            },
        ]
    );
}

#[test]
fn a_call_without_a_name_is_an_error() {
    let events = run(vec![
        Delta::tool_call(frag().with_index(0).with_fragment("{}")),
        stop(),
    ]);
    let calls = calls(&events);
    assert_eq!(
        calls[0].arguments.as_ref().unwrap_err().kind,
        CallErrorKind::MissingName
    );
}

#[test]
fn a_parsable_prefix_does_not_complete_a_call() {
    let mut merger = Merger::new();
    merger.push(Delta::tool_call(
        frag()
            .with_id("c")
            .with_name("f")
            .with_fragment("{\"a\":1}"),
    ));
    let events: Vec<Event> = merger.drain().collect();
    assert!(
        !events.iter().any(|e| matches!(e, Event::BlockEnd { .. })),
        "{events:?}"
    );
    merger.push(Delta::tool_call(
        frag().with_id("c").with_fragment(",\"b\":2}"),
    ));
    merger.push(Delta::finish(Some("tool_calls")));
    merger.finish();
    let events: Vec<Event> = merger.drain().collect();
    let m = Reducer::reduce(&events);
    // The two fragments together are `{"a":1},"b":2}`: invalid, reported, never repaired.
    let err = m.tool_calls[0].arguments.as_ref().unwrap_err();
    assert!(matches!(err.kind, CallErrorKind::InvalidJson { .. }));
    assert!(matches!(
        m.errors[..],
        [MergeError::ToolCall { index: 0, .. }]
    ));
}

#[test]
fn arguments_are_parsed_strictly() {
    let one = |args: &str| {
        let events = run(vec![
            Delta::tool_call(frag().with_id("c").with_name("f").with_fragment(args)),
            Delta::finish(Some("tool_calls")),
        ]);
        calls(&events)
            .remove(0)
            .arguments
            .map(|a| a.as_str().to_owned())
    };
    assert_eq!(one("").unwrap(), "{}");
    assert_eq!(
        one(" {\"a\": 12345678901234567890} ").unwrap(),
        "{\"a\": 12345678901234567890}"
    );
    assert!(matches!(
        one("[1]").unwrap_err().kind,
        CallErrorKind::NotAnObject
    ));
    assert!(matches!(
        one("{\"a\":").unwrap_err().kind,
        CallErrorKind::InvalidJson { .. }
    ));
    assert!(matches!(
        one("{\"a\":1,}").unwrap_err().kind,
        CallErrorKind::InvalidJson { .. }
    ));
}

#[test]
fn stop_becomes_tool_calls_and_length_is_kept() {
    let call = || Delta::tool_call(ToolCallFragment::whole("f", "{}"));
    let f = |deltas| finish_of(&run(deltas)).clone();
    let s = f(vec![call(), stop()]);
    assert_eq!(
        (s.reason, s.raw_reason.as_deref()),
        (FinishReason::ToolCalls, Some("stop"))
    );
    let s = f(vec![call(), Delta::finish(None)]);
    assert_eq!((s.reason, s.raw_reason), (FinishReason::ToolCalls, None));
    let s = f(vec![call(), Delta::finish(Some("length"))]);
    assert_eq!(s.reason, FinishReason::Length);
    let s = f(vec![Delta::content("x"), stop()]);
    assert_eq!(s.reason, FinishReason::Stop);
    let s = f(vec![Delta::content("x"), Delta::finish(Some("load"))]);
    assert_eq!(
        (s.reason, s.raw_reason.as_deref()),
        (FinishReason::Other, Some("load"))
    );
}

#[test]
fn end_without_finish_signal_is_truncated_and_incomplete() {
    let events = run(vec![
        Delta::content("Hel"),
        Delta::tool_call(
            frag()
                .with_id("c")
                .with_name("f")
                .with_fragment("{\"a\":1}"),
        ),
    ]);
    let m = Reducer::reduce(&events);
    assert_eq!(m.finish.as_ref().unwrap().reason, FinishReason::Incomplete);
    assert!(m.errors.contains(&MergeError::Truncated));
    // A call cut off by the end is never executable, even though `{"a":1}` parses.
    assert_eq!(
        m.tool_calls[0].arguments.as_ref().unwrap_err().kind,
        CallErrorKind::Incomplete
    );
    assert_eq!(m.content, "Hel");
}

#[test]
fn upstream_error_closes_blocks_and_finishes_with_error() {
    let events = run(vec![
        Delta::content("Hel"),
        Delta::error(UpstreamError::new("model runner crashed")),
    ]);
    let m = Reducer::reduce(&events);
    assert_eq!(m.finish.as_ref().unwrap().reason, FinishReason::Error);
    assert_eq!(
        m.errors,
        [MergeError::Upstream(UpstreamError::new(
            "model runner crashed"
        ))]
    );
    // The text block ended before the error event.
    let err_at = events
        .iter()
        .position(|e| matches!(e, Event::Error { .. }))
        .unwrap();
    assert!(matches!(
        events[err_at - 1],
        Event::BlockEnd { index: 0, .. }
    ));
}

#[test]
fn usage_arriving_after_the_finish_reason_is_kept() {
    let mut partial = Usage::default();
    partial.input_tokens = Some(3);
    let events = run(vec![
        Delta::content("x"),
        Delta::finish(Some("stop")).with_usage(partial),
        Delta::new().with_usage(Usage::new(3, 5)),
    ]);
    assert_eq!(finish_of(&events).usage, Some(Usage::new(3, 5)));
}

#[test]
fn events_stream_as_deltas_arrive() {
    let mut merger = Merger::new();
    merger.push(Delta::content("He"));
    assert_eq!(merger.drain().count(), 2); // start + delta, no waiting
    merger.push(Delta::content("llo"));
    assert_eq!(
        merger.next_event(),
        Some(Event::TextDelta {
            index: 0,
            text: "llo".into()
        })
    );
    assert_eq!(merger.next_event(), None);
    merger.finish();
    merger.finish(); // idempotent
    merger.push(Delta::content("ignored"));
    let rest: Vec<Event> = merger.collect();
    assert_eq!(rest.len(), 3); // end, truncated error, finish
}

#[test]
fn think_tags_are_extracted_split_across_deltas() {
    let options = Options::new().think_tags(ThinkTags::default());
    let events = run_with(
        vec![
            Delta::content("<th"),
            Delta::content("ink>Let me"),
            Delta::content(" see.</thi"),
            Delta::content("nk>The answer"),
            Delta::content(" is <"),
            Delta::content("b>4</b>"),
            stop(),
        ],
        options,
    );
    assert_eq!(block_kinds(&events), ["R", "T"]);
    assert_eq!(
        texts(&events),
        ("Let me see.".into(), "The answer is <b>4</b>".into())
    );
}

#[test]
fn think_tags_unclosed_at_end_count_as_reasoning_and_held_text_is_flushed() {
    let options = Options::new().think_tags(ThinkTags::default());
    let events = run_with(
        vec![Delta::content("<think>still thinking</thi")],
        options.clone(),
    );
    assert_eq!(
        texts(&events),
        ("still thinking</thi".into(), String::new())
    );
    let events = run_with(vec![Delta::content("a <th"), stop()], options);
    assert_eq!(texts(&events), (String::new(), "a <th".into()));
}

#[test]
fn think_extraction_turns_off_when_native_reasoning_appears() {
    let options = Options::new().think_tags(ThinkTags::default());
    let events = run_with(
        vec![
            Delta::reasoning("native"),
            Delta::content("<think>literal</think> text"),
            stop(),
        ],
        options.clone(),
    );
    assert_eq!(
        texts(&events),
        ("native".into(), "<think>literal</think> text".into())
    );
    // Held text is released in order before the native reasoning.
    let events = run_with(
        vec![Delta::content("x<thi"), Delta::reasoning("r"), stop()],
        options,
    );
    assert_eq!(block_kinds(&events), ["T", "R"]);
    assert_eq!(texts(&events), ("r".into(), "x<thi".into()));
}

#[test]
fn think_tags_start_in_reasoning() {
    let options = Options::new().think_tags(ThinkTags::default().start_in_reasoning(true));
    let events = run_with(vec![Delta::content("plan</think>answer"), stop()], options);
    assert_eq!(block_kinds(&events), ["R", "T"]);
}

#[test]
fn text_after_a_tool_call_opens_a_new_block() {
    let events = run(vec![
        Delta::content("Let me check."),
        Delta::tool_call(ToolCallFragment::whole("f", "{}")),
        Delta::content("Done."),
        stop(),
    ]);
    assert_eq!(block_kinds(&events), ["T", "C:f", "T"]);
}

#[test]
fn tool_arguments_allow_only_json_whitespace_around_the_object() {
    use ollama_stream_merge::{Arguments, CallErrorKind};
    assert_eq!(
        Arguments::parse_strict(" \n{\"a\":1}\t").unwrap().as_str(),
        "{\"a\":1}"
    );
    assert!(matches!(
        Arguments::parse_strict("\u{a0}{}"),
        Err(CallErrorKind::InvalidJson { .. })
    ));
}
