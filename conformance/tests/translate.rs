//! `pipeline::translate`: every stream fixture of every wire, re-encoded to every wire and
//! replayed again, reduces to the same message as the original (`reduced_json`), except for
//! what a target wire cannot carry (see [`carried`]).

use conformance::corpus::{Case, Outcome, Wire};
use conformance::pipeline::{self, Input};
use serde_json::{Value, json};

/// The successful message streams of the corpus (progress streams carry no message).
fn stream_cases() -> Vec<Case> {
    conformance::load(&conformance::default_fixtures_dir())
        .unwrap()
        .into_iter()
        .filter(|c| {
            c.meta.status == 200
                && c.meta.content_type.as_deref().is_some_and(|ct| {
                    ct.starts_with("text/event-stream") || ct.starts_with("application/x-ndjson")
                })
                && !pipeline::is_progress_stream(&c.body)
        })
        .collect()
}

fn input(case: &Case) -> Input<'_> {
    Input {
        body: &case.body,
        wire: Some(case.wire),
        status: Some(case.meta.status),
        content_type: case.meta.content_type.as_deref(),
    }
}

/// The reduced message of `case` as a translation to `target` can carry it. These are the
/// only differences allowed, each a limit of the target wire or of the translation:
///
/// 1. A cut or failed source (finish `incomplete` or `error`) loses the usage it reported
///    before the cut: every target says usage only in its terminal event (Ollama's done line,
///    OpenAI's usage chunk, the Responses terminal response, Anthropic's `message_delta`), and
///    a cut or failed translation has none.
/// 2. Anthropic always has a usage: `message_start` requires `usage` (written as input 0,
///    output 0: the counts are not known yet) and `message_delta` requires
///    `usage.output_tokens` (0 when the source reported no usage). So a source without usage,
///    or a cut or failed one, reads back as `{"input_tokens": 0, "output_tokens": 0}`.
/// 3. A content-filter finish is spelled `refusal` on Anthropic (its stop reason), and
///    `reduced_json` prints a non-standard reason in the wire's own spelling.
/// 4. A protocol violation of the source (ollama#17101) is repaired by the merger, and the
///    translation is well-formed by construction: the violation's error is not carried.
fn carried(mut want: Value, case: &Case, target: Wire) -> Value {
    let cut_or_failed = matches!(want["finish_reason"].as_str(), Some("incomplete" | "error"));
    if cut_or_failed {
        want["usage"] = Value::Null;
    }
    if target == Wire::Anthropic {
        if want["usage"].is_null() {
            want["usage"] = json!({"input_tokens": 0, "output_tokens": 0});
        }
        if want["finish_reason"] == "content_filter" {
            want["finish_reason"] = "refusal".into();
        }
    }
    if case.meta.expect.outcome == Outcome::Violation {
        want["error"] = Value::Null;
    }
    want
}

#[test]
fn every_stream_fixture_translates_to_every_wire_and_replays_to_the_same_message() {
    let cases = stream_cases();
    let mut checked = [0usize; 4];
    let mut exceptions = 0usize;
    for case in &cases {
        let want = pipeline::reduced_json(&pipeline::replay(&input(case)));
        for target in Wire::ALL {
            let bytes = pipeline::translate(&input(case), target).unwrap();
            let again = pipeline::replay(&Input {
                body: &bytes,
                wire: Some(target),
                status: Some(200),
                content_type: Some(pipeline::translated_content_type(target)),
            });
            assert_eq!(again.wire, target);
            let expected = carried(want.clone(), case, target);
            if expected != want {
                exceptions += 1;
            }
            assert_eq!(
                pipeline::reduced_json(&again),
                expected,
                "{}/{} via {target}\n{}",
                case.wire,
                case.id,
                String::from_utf8_lossy(&bytes)
            );
            // The translation is detected as the target wire from its bytes alone (an empty
            // one, of an empty cut source on a wire with no preamble, cannot be).
            if !bytes.is_empty() {
                assert_eq!(pipeline::detect_wire(&bytes), target, "{}", case.id);
            }
        }
        checked[Wire::ALL.iter().position(|w| *w == case.wire).unwrap()] += 1;
    }
    // Ollama (chat and generate), OpenAI (chat and completions), Responses, Anthropic.
    assert!(checked[0] >= 45, "{checked:?}");
    assert!(checked[1] >= 40, "{checked:?}");
    assert!(checked[2] >= 12, "{checked:?}");
    assert!(checked[3] >= 12, "{checked:?}");
    // Most translations are exact; the exceptions are the Anthropic usage and the cut streams.
    assert!(
        exceptions < cases.len(),
        "{exceptions} of {}",
        cases.len() * 4
    );
}

#[test]
fn a_translation_into_its_own_wire_keeps_the_message_and_is_deterministic() {
    for case in stream_cases() {
        let a = pipeline::translate(&input(&case), case.wire).unwrap();
        let b = pipeline::translate(&input(&case), case.wire).unwrap();
        assert_eq!(a, b, "{}", case.id);
    }
}

#[test]
fn the_translation_names_the_source_model_and_fixed_ids() {
    let case = stream_cases()
        .into_iter()
        .find(|c| c.wire == Wire::Ollama && c.id == "ollama033-chat-think-stream")
        .unwrap();
    let first: Value =
        serde_json::from_slice(case.body.split(|b| *b == b'\n').next().unwrap()).unwrap();
    let model = first["model"].as_str().unwrap();
    for (target, first_event, id) in [
        (
            Wire::Anthropic,
            "event: message_start\n",
            r#""id":"msg_conformance""#,
        ),
        (
            Wire::Responses,
            "event: response.created\n",
            r#""id":"resp_conformance""#,
        ),
    ] {
        let translated =
            String::from_utf8(pipeline::translate(&input(&case), target).unwrap()).unwrap();
        assert!(translated.starts_with(first_event), "{translated}");
        assert!(translated.contains(id), "{translated}");
        assert!(
            translated.contains(&format!(r#""model":"{model}""#)),
            "{translated}"
        );
    }
}

#[test]
fn a_progress_stream_does_not_translate() {
    let cases = conformance::load(&conformance::default_fixtures_dir()).unwrap();
    let progress = cases
        .iter()
        .find(|c| c.meta.status == 200 && pipeline::is_progress_stream(&c.body))
        .unwrap();
    let err = pipeline::translate(&input(progress), Wire::Anthropic).unwrap_err();
    assert!(err.contains("progress stream"), "{err}");
}
