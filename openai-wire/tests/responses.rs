//! `/v1/responses` against the recorded Ollama 0.33.0-rc2 exchanges in `fixtures/responses`:
//! every stream decodes to its hand-counted event count and re-encodes byte for byte, every
//! non-streamed body round-trips, every request decodes, the error bodies give their messages.
//! Expected values are written from reading the bytes.

use openai_wire::response::{BodyKind, classify, decode_error_body, decode_json};
use openai_wire::responses::{
    Response, ResponseCreateParams, ResponseInput, ResponseInputContent, ResponseInputItem,
    ResponseInputMessageContent, ResponseOutputContent, ResponseOutputItem, ResponseStatus,
    ResponseStreamEvent, ResponsesEncoder, ResponsesStreamDecoder,
};
use openai_wire::{DecodeError, Encoder, ErrorCategory};
use test_support::split_plans;
use test_support::{FixtureCase, Wire, case, cases};

/// Decodes `pieces` in turn; the events (every error fails the test) and the verdict.
fn decode(pieces: &[&[u8]]) -> (Vec<ResponseStreamEvent>, Result<(), DecodeError>, u64) {
    let mut decoder = ResponsesStreamDecoder::new();
    let mut events = Vec::new();
    for piece in pieces {
        decoder.push(piece);
        for item in &mut decoder {
            events.push(item.unwrap_or_else(|e| panic!("unexpected error item: {e}")));
        }
    }
    let verdict = decoder.finish();
    (events, verdict, decoder.chunks())
}

/// The recorded Ollama 0.33 cases (`ollama033-*`); the constructed ones are conformance's.
fn recorded() -> Vec<FixtureCase> {
    cases(Wire::Responses)
        .into_iter()
        .filter(|c| c.id.starts_with("ollama033-"))
        .collect()
}

fn streams() -> Vec<FixtureCase> {
    recorded()
        .into_iter()
        .filter(FixtureCase::is_stream)
        .collect()
}

/// `[expect] chunks`, counted by hand from the bytes (see each case.toml).
const EXPECTED: [(&str, u64); 7] = [
    ("ollama033-resp-both-stream", 54),
    ("ollama033-resp-instructions-messages-stream", 24),
    ("ollama033-resp-missing-input-accepted-stream", 3),
    ("ollama033-resp-plain-stream", 32),
    ("ollama033-resp-reasoning-stream", 29),
    ("ollama033-resp-think-stream", 38),
    ("ollama033-resp-tools-stream", 7),
];

#[test]
fn every_recorded_stream_decodes_to_its_count_and_reencodes_byte_for_byte() {
    let streams = streams();
    assert_eq!(streams.len(), EXPECTED.len());
    for (case, (id, count)) in streams.iter().zip(EXPECTED) {
        assert_eq!(case.id, id);
        assert_eq!(
            classify(case.meta.status, case.meta.content_type.as_deref()),
            BodyKind::EventStream
        );
        let (events, verdict, chunks) = decode(&[&case.body]);
        verdict.unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(events.len() as u64, count, "{id}");
        assert_eq!(chunks, count, "{id}");
        assert!(matches!(
            events.first(),
            Some(ResponseStreamEvent::Created(_))
        ));
        assert!(matches!(
            events.last(),
            Some(ResponseStreamEvent::Completed(_))
        ));
        let mut encoder = ResponsesEncoder::new();
        case.assert_reencodes(&events, |event, out| encoder.encode(event, out).unwrap());
        for (i, event) in events.iter().enumerate() {
            assert_eq!(
                event.sequence_number(),
                Some(i as u64),
                "{id}: from 0, by one"
            );
        }
    }
}

#[test]
fn any_split_of_a_recorded_stream_gives_the_same_events() {
    for case in streams() {
        let (whole, verdict, _) = decode(&[&case.body]);
        assert!(verdict.is_ok());
        for plan in split_plans(&case.id) {
            let pieces = plan.split(&case.body);
            let (events, verdict, _) = decode(&pieces);
            assert!(verdict.is_ok(), "{} {plan:?}", case.id);
            assert_eq!(events, whole, "{} {plan:?}", case.id);
        }
    }
}

#[test]
fn every_cut_of_a_recorded_stream_is_truncated_never_a_panic() {
    let body = case(Wire::Responses, "ollama033-resp-tools-stream").body;
    // The last event (response.completed) starts after the last-but-one blank line.
    let completed_at = body.len()
        - 2
        - body[..body.len() - 2]
            .windows(2)
            .rev()
            .position(|w| w == b"\n\n")
            .unwrap();
    for cut in (0..body.len())
        .step_by(97)
        .chain([completed_at, body.len() - 1])
    {
        let mut decoder = ResponsesStreamDecoder::new();
        decoder.push(&body[..cut]);
        for item in &mut decoder {
            item.unwrap();
        }
        let err = decoder.finish().unwrap_err();
        assert_eq!(err.category(), ErrorCategory::Truncated, "cut at {cut}");
        let DecodeError::Truncated { offset, .. } = err else {
            unreachable!()
        };
        assert_eq!(offset, cut as u64);
    }
}

#[test]
fn the_recorded_streams_say_what_ollama_said() {
    let (events, _, _) = decode(&[&case(Wire::Responses, "ollama033-resp-plain-stream").body]);
    let text: String = events
        .iter()
        .filter_map(|e| match e {
            ResponseStreamEvent::OutputTextDelta(d) => Some(d.delta.as_str()),
            _ => None,
        })
        .collect();
    let Some(ResponseStreamEvent::Completed(done)) = events.last() else {
        panic!()
    };
    assert_eq!(done.response.output_text(), text);
    assert_eq!(done.response.id, "resp_787552");
    assert_eq!(done.response.status, Some(ResponseStatus::Completed));
    assert_eq!(done.response.completed_at, Some(1796113284));
    let Some(ResponseStreamEvent::Created(created)) = events.first() else {
        panic!()
    };
    assert_eq!(created.response.completed_at, None, "written as null");
    assert_eq!(created.response.usage, None);

    let (events, _, _) = decode(&[&case(Wire::Responses, "ollama033-resp-tools-stream").body]);
    let ResponseStreamEvent::FunctionCallArgumentsDone(args) = &events[4] else {
        panic!("{:?}", events[4])
    };
    assert_eq!(args.arguments, r#"{"city":"Paris"}"#);
    assert_eq!(args.item_id, "fc_256175_0");
    let ResponseStreamEvent::OutputItemDone(done) = &events[5] else {
        panic!()
    };
    let ResponseOutputItem::FunctionCall(call) = &done.item else {
        panic!()
    };
    assert_eq!(
        (call.call_id.as_str(), call.name.as_str()),
        ("call_74nboj22", "get_weather")
    );
    let Some(ResponseStreamEvent::Completed(done)) = events.last() else {
        panic!()
    };
    let usage = done.response.usage.as_ref().unwrap();
    assert_eq!(
        (usage.input_tokens, usage.output_tokens, usage.total_tokens),
        (91, 18, 109)
    );

    let (events, _, _) = decode(&[&case(Wire::Responses, "ollama033-resp-think-stream").body]);
    let ResponseStreamEvent::ReasoningSummaryTextDelta(first) = &events[3] else {
        panic!()
    };
    assert_eq!(
        (first.delta.as_str(), first.summary_index),
        ("Question", Some(0))
    );

    // No input at all: created, in_progress, completed with `"output":null`.
    let (events, _, _) = decode(&[&case(
        Wire::Responses,
        "ollama033-resp-missing-input-accepted-stream",
    )
    .body]);
    assert_eq!(events[2].response().unwrap().output, None);
}

#[test]
fn every_non_streamed_body_round_trips_byte_for_byte() {
    let expected = [
        ("ollama033-resp-plain-nostream", "resp_551569", 33),
        ("ollama033-resp-reasoning-nostream", "resp_499239", 65),
        ("ollama033-resp-tools-nostream", "resp_225028", 109),
    ];
    let bodies: Vec<_> = recorded()
        .into_iter()
        .filter(|c| c.is_success() && !c.is_stream())
        .collect();
    assert_eq!(bodies.len(), expected.len());
    for (case, (id, resp_id, total)) in bodies.iter().zip(expected) {
        assert_eq!(case.id, id);
        assert_eq!(
            classify(case.meta.status, case.meta.content_type.as_deref()),
            BodyKind::Json
        );
        let response: Response = decode_json(case.meta.status, &case.body).unwrap();
        assert_eq!(response.id, resp_id);
        assert_eq!(response.usage.as_ref().unwrap().total_tokens, total);
        // Go's json.Encoder ends the body with a newline.
        let mut out = Vec::new();
        Encoder::new().encode_line(&response, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            String::from_utf8_lossy(&case.body),
            "{id}"
        );
    }
    let response: Response = decode_json(200, &bodies[1].body).unwrap();
    let Some(ResponseOutputItem::Reasoning(reasoning)) = response.output.as_ref().unwrap().first()
    else {
        panic!()
    };
    assert_eq!(reasoning.id, "rs_resp_499239");
    assert!(reasoning.summary_text().starts_with("<|im_end|>\n"));
    assert_eq!(
        reasoning.encrypted_content.as_deref(),
        Some(reasoning.summary_text().as_str())
    );
    let response: Response = decode_json(200, &bodies[0].body).unwrap();
    assert_eq!(
        response.output_text(),
        "Say hello in one long sentence.\nSay hello in one short sentence.\nSay hello in one long sentence.\n"
    );
}

#[test]
fn every_request_decodes_and_reencodes() {
    let mut decoded = 0;
    for case in recorded() {
        let text = std::fs::read_to_string(case.dir.join("request.json")).unwrap();
        if case.id == "ollama033-err-resp-malformed-json" {
            // The request Ollama rejected is cut JSON.
            assert!(serde_json::from_str::<ResponseCreateParams>(&text).is_err());
            continue;
        }
        let request: ResponseCreateParams = serde_json::from_str(&text).unwrap();
        // Go's float spelling writes `0` as the Python client did, not serde_json's `0.0`.
        let again = String::from_utf8(Encoder::new().to_vec(&request).unwrap()).unwrap();
        let a: serde_json::Value = serde_json::from_str(&again).unwrap();
        let b: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(a, b, "{}", case.id);
        // Byte-equal but for tool parameters, whose keys serde_json's Value sorts.
        if request.tools.is_none() {
            assert_eq!(again, text.trim_end(), "{}", case.id);
        }
        decoded += 1;
    }
    assert_eq!(decoded, 11);
    let text = std::fs::read_to_string(
        case(
            Wire::Responses,
            "ollama033-resp-instructions-messages-stream",
        )
        .dir
        .join("request.json"),
    )
    .unwrap();
    let request: ResponseCreateParams = serde_json::from_str(&text).unwrap();
    assert_eq!(request.instructions.as_deref(), Some("You are terse."));
    let Some(ResponseInput::Items(items)) = &request.input else {
        panic!()
    };
    let ResponseInputItem::Message(message) = &items[0] else {
        panic!()
    };
    let Some(ResponseInputMessageContent::Parts(parts)) = &message.content else {
        panic!()
    };
    let ResponseInputContent::InputText(part) = &parts[0] else {
        panic!()
    };
    assert_eq!(part.text, "Name a colour.");
}

#[test]
fn the_error_bodies_give_their_messages() {
    for (id, message) in [
        ("ollama033-err-resp-malformed-json", "unexpected EOF"),
        (
            "ollama033-err-resp-tools-on-plain-stream",
            "registry.ollama.ai/library/gemma3-plain:latest does not support tools",
        ),
    ] {
        let case = case(Wire::Responses, id);
        assert_eq!(case.meta.status, 400);
        assert_eq!(
            classify(case.meta.status, case.meta.content_type.as_deref()),
            BodyKind::JsonError
        );
        let error = decode_error_body(case.meta.status, &case.body);
        assert_eq!(error.message(), message);
        assert_eq!(error.to_string(), format!("HTTP 400: {message}"));
        let err = decode_json::<Response>(400, &case.body).unwrap_err();
        assert_eq!(err.category(), ErrorCategory::Upstream);
    }
}

#[test]
fn output_text_parts_of_a_message() {
    let case = case(Wire::Responses, "ollama033-resp-plain-nostream");
    let response: Response = decode_json(200, &case.body).unwrap();
    let Some(ResponseOutputItem::Message(m)) = response.output.as_ref().unwrap().first() else {
        panic!()
    };
    let ResponseOutputContent::OutputText(t) = &m.content[0] else {
        panic!()
    };
    assert_eq!(t.annotations.as_deref(), Some(&[][..]));
}
