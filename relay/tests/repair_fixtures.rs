//! The repairer over every recorded stream of the four wires: the output decodes with the same
//! wire's decoder without faults, is well-formed after merging again, says what the input
//! said, and does not depend on how the input was split.

use ollama_relay::{Fallback, Repairer, Wire};
use ollama_stream_merge::{AssistantMessage, Event, FinishReason, MergeError, Reducer, validate};
use test_support::{FixtureCase, cases, test_split_pieces};

mod common;

use common::{merged, route};

fn stream_cases(wire: Wire) -> Vec<FixtureCase> {
    let (endpoint, corpus) = route(wire);
    cases(corpus)
        .into_iter()
        .filter(|c| c.meta.endpoint == endpoint && c.is_stream() && c.is_success())
        .collect()
}

fn repair(wire: Wire, pieces: &[&[u8]]) -> Vec<u8> {
    let mut repairer = Repairer::new(wire, Fallback::new("fallback-model", 1_768_064_130));
    let mut out = Vec::new();
    for piece in pieces {
        out.extend(repairer.push(piece));
    }
    out.extend(repairer.finish());
    assert!(repairer.is_ended());
    out
}

/// Whether the reply ended in an error the client must see (an upstream error or a cut).
fn failed(message: &AssistantMessage) -> bool {
    message
        .errors
        .iter()
        .any(|e| matches!(e, MergeError::Upstream(_) | MergeError::Truncated))
}

fn arguments(message: &AssistantMessage) -> Vec<(String, String, Option<serde_json::Value>)> {
    message
        .tool_calls
        .iter()
        .map(|call| {
            let value = call.arguments.as_ref().ok().and_then(|a| a.to_value().ok());
            (call.id.clone(), call.name.clone(), value)
        })
        .collect()
}

fn check_wire(wire: Wire) -> usize {
    let cases = stream_cases(wire);
    assert!(!cases.is_empty(), "no {wire:?} stream fixtures");
    for case in &cases {
        let name = case.name();
        let whole = repair(wire, &[&case.body]);
        for pieces in test_split_pieces(&case.body) {
            assert!(
                repair(wire, &pieces) == whole,
                "{name}: the output depends on the split ({} pieces)",
                pieces.len()
            );
        }

        let input = Reducer::reduce(merged(wire, &case.body));
        let events = merged(wire, &whole);
        if let Err(violations) = validate(&events) {
            panic!(
                "{name}: re-merged output is not well-formed: {violations:?}\n{}",
                String::from_utf8_lossy(&whole)
            );
        }
        let output = Reducer::reduce(&events);
        let faults: Vec<&MergeError> = output
            .errors
            .iter()
            .filter(|e| matches!(e, MergeError::Wire(_) | MergeError::Truncated))
            .collect();
        assert!(
            faults.is_empty(),
            "{name}: the output has faults {faults:?}\n{}",
            String::from_utf8_lossy(&whole)
        );
        let finish = output
            .finish
            .as_ref()
            .unwrap_or_else(|| panic!("{name}: no finish"));
        if failed(&input) {
            let upstream = output
                .errors
                .iter()
                .filter(|e| matches!(e, MergeError::Upstream(_)))
                .count();
            assert_eq!(
                upstream,
                1,
                "{name}: a failed input ends with one error\n{}",
                String::from_utf8_lossy(&whole)
            );
            assert_eq!(finish.reason, FinishReason::Error, "{name}");
        } else {
            assert!(
                output.errors.is_empty(),
                "{name}: errors {:?}\n{}",
                output.errors,
                String::from_utf8_lossy(&whole)
            );
            let input_finish = input.finish.as_ref().map(|f| f.reason);
            assert_eq!(Some(finish.reason), input_finish, "{name}: finish reason");
        }
        assert_eq!(output.reasoning, input.reasoning, "{name}: reasoning");
        assert_eq!(output.content, input.content, "{name}: content");
        let calls_in = arguments(&input);
        let calls_out = arguments(&output);
        if failed(&input) {
            // A call cut mid-arguments is not re-encoded; the finished ones are.
            let complete: Vec<_> = calls_in.into_iter().filter(|c| c.2.is_some()).collect();
            assert!(
                calls_out.iter().all(|c| complete.contains(c)),
                "{name}: tool calls {calls_out:?} vs {complete:?}"
            );
        } else {
            assert_eq!(calls_out, calls_in, "{name}: tool calls");
        }
    }
    cases.len()
}

/// Each wire's recorded streams, with at least as many fixtures as the corpus had when the
/// test was written (so a corpus that lost its streams does not pass by checking nothing).
#[test]
fn every_wires_fixtures_round_trip() {
    for (wire, at_least) in [
        (Wire::Ollama, 10),
        (Wire::OllamaGenerate, 5),
        (Wire::Completions, 4),
        (Wire::OpenAi, 10),
        (Wire::Responses, 3),
        (Wire::Anthropic, 3),
    ] {
        let checked = check_wire(wire);
        assert!(checked >= at_least, "{wire:?}: {checked} fixtures checked");
    }
}

/// ollama/ollama#17101: a thinking block started over a text block never stopped. The
/// decoder reports the violation, the merger repairs it, the client gets balanced blocks.
#[test]
fn issue_17101_comes_out_balanced() {
    let case = test_support::case(
        test_support::Wire::Anthropic,
        "issue-17101-thinking-block-over-open-text-block",
    );
    let input = merged(Wire::Anthropic, &case.body);
    assert!(
        input.iter().any(|e| matches!(
            e,
            Event::Error {
                error: MergeError::Wire(_)
            }
        )),
        "the fixture has the violation"
    );
    let mut repairer = Repairer::new(Wire::Anthropic, Fallback::default());
    let mut out = repairer.push(&case.body);
    out.extend(repairer.finish());
    assert_eq!(repairer.stats().repairs, 1, "{:?}", repairer.stats());
    let events = merged(Wire::Anthropic, &out);
    assert!(validate(&events).is_ok());
    assert!(Reducer::reduce(&events).is_complete());
    let text = String::from_utf8(out).unwrap();
    // Blocks 0, 1, … each started once.
    assert!(text.contains(r#""type":"content_block_start","index":0"#));
    assert!(!text.contains("event: error"));
}

/// A cut at every byte offset of a stream ends with the wire's error, whatever the wire.
#[test]
fn every_cut_ends_with_the_wires_error() {
    for wire in [
        Wire::Ollama,
        Wire::OllamaGenerate,
        Wire::OpenAi,
        Wire::Completions,
        Wire::Responses,
        Wire::Anthropic,
    ] {
        let case = stream_cases(wire)
            .into_iter()
            .find(|c| !failed(&Reducer::reduce(merged(wire, &c.body))))
            .unwrap();
        let body = &case.body;
        let step = (body.len() / 40).max(1);
        for at in (0..body.len()).step_by(step) {
            let mut repairer = Repairer::new(wire, Fallback::new("m", 0));
            let mut out = repairer.push(&body[..at]);
            out.extend(repairer.fail("connection reset by peer"));
            let output = Reducer::reduce(merged(wire, &out));
            let name = case.name();
            if output.errors.is_empty() {
                // Cut after the finish signal: complete.
                assert!(output.is_complete(), "{name} cut at {at}");
                continue;
            }
            assert!(
                matches!(output.errors.as_slice(), [MergeError::Upstream(e)] if e.message.contains("connection reset by peer")),
                "{name} cut at {at}: {:?}\n{}",
                output.errors,
                String::from_utf8_lossy(&out)
            );
            let text = String::from_utf8_lossy(&out);
            match wire {
                Wire::OpenAi | Wire::Completions => {
                    assert!(text.ends_with("data: [DONE]\n\n"), "{name} at {at}");
                }
                Wire::Ollama | Wire::OllamaGenerate => assert!(
                    text.lines().last().unwrap().starts_with(r#"{"error":"#),
                    "{name} at {at}"
                ),
                Wire::Responses => assert!(text.contains("event: response.failed\n")),
                Wire::Anthropic => assert!(text.contains("event: error\n")),
            }
        }
    }
}

/// A repaired Responses stream keeps the source's item ids and its terminal timestamps.
#[test]
fn a_repaired_responses_stream_keeps_the_sources_ids_and_times() {
    let case = test_support::case(
        test_support::Wire::Responses,
        "ollama033-resp-reasoning-stream",
    );
    let out = String::from_utf8(repair(Wire::Responses, &[&case.body])).unwrap();
    let source = String::from_utf8_lossy(&case.body).into_owned();
    let field = |text: &str, key: &str| -> Vec<String> {
        text.lines()
            .filter_map(|l| l.strip_prefix("data: "))
            .filter_map(|d| serde_json::from_str::<serde_json::Value>(d).ok())
            .filter_map(|v| {
                let value = v.pointer(key)?;
                Some(value.to_string())
            })
            .collect()
    };
    // Every item id of the output is one the source used.
    let source_ids = field(&source, "/item_id");
    let ids = field(&out, "/item_id");
    assert!(!ids.is_empty());
    assert!(
        ids.iter().all(|id| source_ids.contains(id)),
        "{ids:?} vs {source_ids:?}"
    );
    // The terminal event's times are the source's.
    let last = |text: &str, key: &str| field(text, key).last().cloned();
    assert_eq!(
        last(&out, "/response/completed_at"),
        last(&source, "/response/completed_at")
    );
    assert_ne!(
        last(&out, "/response/completed_at").as_deref(),
        Some("null")
    );
    assert_eq!(
        last(&out, "/response/created_at"),
        last(&source, "/response/created_at")
    );
}
