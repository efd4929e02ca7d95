//! Properties over generated delta sequences.

mod common;

use common::{assert_valid, texts};
use ollama_stream_merge::{
    ArgumentsDelta, Delta, FinishSignal, LateReasoning, Options, Reducer, ThinkTags,
    ToolCallFragment, UpstreamError, Usage, merge,
};
use proptest::prelude::*;

fn piece() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "", "a", "bc", " ", "é", "🦀", "\n", "<", ">", "/", "think", "<think>", "</think>",
            "<th", "ink>", "</",
        ]),
        0..4,
    )
    .prop_map(|v| v.concat())
}

fn fragment() -> impl Strategy<Value = ToolCallFragment> {
    (
        prop::option::of(prop::sample::select(vec!["", "A", "B"])),
        prop::option::of(0u32..2),
        prop::option::of(prop::sample::select(vec!["", "f", "g"])),
        prop::option::of(prop_oneof![
            prop::sample::select(vec!["", "{", "\"x\":", "1", "}", "{}", "[]"])
                .prop_map(|s| ArgumentsDelta::Fragment(s.to_owned())),
            prop::sample::select(vec!["{}", "{\"a\":1}"])
                .prop_map(|s| ArgumentsDelta::Complete(s.to_owned())),
        ]),
    )
        .prop_map(|(id, index, name, arguments)| {
            let mut f = ToolCallFragment::new();
            f.id = id.map(str::to_owned);
            f.index = index;
            f.name = name.map(str::to_owned);
            f.arguments = arguments;
            f
        })
}

fn delta() -> impl Strategy<Value = Delta> {
    (
        piece(),
        piece(),
        prop::collection::vec(fragment(), 0..3),
        prop::option::of((0u64..5, 0u64..5)),
    )
        .prop_map(|(reasoning, content, calls, usage)| {
            let mut d = Delta::new().with_reasoning(reasoning).with_content(content);
            d.tool_calls = calls;
            d.usage = usage.map(|(a, b)| Usage::new(a, b));
            d
        })
}

fn deltas() -> impl Strategy<Value = Vec<Delta>> {
    (
        prop::collection::vec(delta(), 0..10),
        prop_oneof![
            Just(None),
            Just(Some(Delta::finish(Some("stop")))),
            Just(Some(Delta::finish(Some("length")))),
            Just(Some(Delta::finish(None))),
            Just(Some(Delta::error(UpstreamError::new("boom")))),
        ],
    )
        .prop_map(|(mut v, end)| {
            v.extend(end);
            v
        })
}

fn options() -> impl Strategy<Value = Options> {
    prop_oneof![
        Just(Options::new()),
        Just(Options::new().late_reasoning(LateReasoning::Defer)),
        Just(Options::new().think_tags(ThinkTags::default())),
        Just(
            Options::new()
                .late_reasoning(LateReasoning::Defer)
                .think_tags(ThinkTags::default().start_in_reasoning(true))
        ),
    ]
}

/// Where to cut one delta in two.
#[derive(Debug, Clone, Copy)]
enum Cut {
    Reasoning(usize),
    Content(usize),
    Arguments(usize, usize),
}

/// Splits `deltas[i]` into two deltas without changing what they carry.
fn split(deltas: &[Delta], i: usize, cut: Cut) -> Vec<Delta> {
    if deltas.is_empty() {
        return Vec::new();
    }
    let i = i % deltas.len();
    let d = deltas[i].clone();
    let (first, second) = match cut {
        Cut::Reasoning(at) => {
            let (a, b) = test_support::split_at_char(&d.reasoning, at);
            let mut second = d;
            second.reasoning = b;
            (Delta::reasoning(a), second)
        }
        Cut::Content(at) => {
            let (a, b) = test_support::split_at_char(&d.content, at);
            let first = Delta::reasoning(d.reasoning.clone()).with_content(a);
            let mut second = d;
            second.reasoning = String::new();
            second.content = b;
            (first, second)
        }
        Cut::Arguments(call, at) => {
            if d.tool_calls.is_empty() {
                return deltas.to_vec();
            }
            let call = call % d.tool_calls.len();
            let f = d.tool_calls[call].clone();
            let Some(ArgumentsDelta::Fragment(args)) = &f.arguments else {
                return deltas.to_vec();
            };
            let (a, b) = test_support::split_at_char(args, at);
            let mut head = d.clone();
            head.tool_calls.truncate(call);
            let mut first_half = f.clone();
            first_half.arguments = Some(ArgumentsDelta::Fragment(a));
            head.tool_calls.push(first_half);
            head.usage = None;
            head.finish = None;
            head.error = None;
            let mut second_half = ToolCallFragment::new();
            second_half.id = f.id.clone();
            second_half.index = f.index;
            second_half.arguments = Some(ArgumentsDelta::Fragment(b));
            let mut tail = Delta::new();
            tail.tool_calls.push(second_half);
            tail.tool_calls
                .extend(d.tool_calls[call + 1..].iter().cloned());
            tail.usage = d.usage;
            tail.finish = d.finish.clone();
            tail.error = d.error.clone();
            (head, tail)
        }
    };
    let mut out = deltas[..i].to_vec();
    out.push(first);
    out.push(second);
    out.extend(deltas[i + 1..].iter().cloned());
    out
}

fn cut() -> impl Strategy<Value = Cut> {
    prop_oneof![
        any::<usize>().prop_map(Cut::Reasoning),
        any::<usize>().prop_map(Cut::Content),
        (any::<usize>(), any::<usize>()).prop_map(|(c, a)| Cut::Arguments(c, a)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Balanced, non-overlapping blocks; no empty blocks; exactly one finish, always last.
    #[test]
    fn events_are_well_formed(deltas in deltas(), options in options()) {
        assert_valid(&merge(deltas, options));
    }

    /// Without tag extraction, text and reasoning deltas concatenate to the input exactly.
    #[test]
    fn text_and_reasoning_are_lossless(deltas in deltas(), defer in any::<bool>()) {
        let want_reasoning: String = deltas.iter().map(|d| d.reasoning.as_str()).collect();
        let want_text: String = deltas.iter().map(|d| d.content.as_str()).collect();
        let options = if defer {
            Options::new().late_reasoning(LateReasoning::Defer)
        } else {
            Options::new()
        };
        let events = merge(deltas, options);
        prop_assert_eq!(texts(&events), (want_reasoning, want_text));
    }

    /// With tag extraction, nothing but recognized tags is removed: all emitted text, in order,
    /// is the content with `<think>` / `</think>` pairs taken out (no native reasoning here).
    #[test]
    fn think_extraction_only_removes_tags(contents in prop::collection::vec(piece(), 0..8)) {
        let deltas: Vec<Delta> = contents.iter().map(Delta::content).chain([Delta::finish(Some("stop"))]).collect();
        let events = merge(deltas, Options::new().think_tags(ThinkTags::default()));
        let mut emitted = String::new();
        for e in &events {
            match e {
                ollama_stream_merge::Event::TextDelta { text, .. }
                | ollama_stream_merge::Event::ReasoningDelta { text, .. } => emitted.push_str(text),
                _ => {}
            }
        }
        // Remove tags the way the extractor does: alternately the next `<think>` / `</think>`.
        let mut rest = contents.concat();
        let mut want = String::new();
        let mut tag = "<think>";
        while let Some(pos) = rest.find(tag) {
            want.push_str(&rest[..pos]);
            rest = rest[pos + tag.len()..].to_owned();
            tag = if tag == "<think>" { "</think>" } else { "<think>" };
        }
        want.push_str(&rest);
        prop_assert_eq!(emitted, want);
    }

    /// Splitting any delta's text (reasoning, content or an argument fragment) into two deltas
    /// never changes the reduced message.
    #[test]
    fn splitting_a_delta_does_not_change_the_message(
        deltas in deltas(),
        options in options(),
        i in any::<usize>(),
        cut in cut(),
    ) {
        let split = split(&deltas, i, cut);
        let whole = Reducer::reduce(merge(deltas, options.clone()));
        let parts = Reducer::reduce(merge(split, options));
        prop_assert_eq!(whole, parts);
    }

    /// The finish reason is never `stop` when a tool call was made, and `length` is never
    /// overridden.
    #[test]
    fn finish_reason_rules(deltas in deltas()) {
        let last = deltas.last().and_then(|d| d.finish.clone());
        let m = Reducer::reduce(merge(deltas, Options::new()));
        let reason = m.finish.as_ref().map(|f| f.reason);
        if !m.tool_calls.is_empty() {
            prop_assert_ne!(reason, Some(ollama_stream_merge::FinishReason::Stop));
        }
        if last == Some(FinishSignal::new(Some("length"))) {
            prop_assert_eq!(reason, Some(ollama_stream_merge::FinishReason::Length));
        }
    }
}
