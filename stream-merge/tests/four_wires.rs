//! Any wire into any other: every recorded or constructed stream of the four streaming wires
//! (Ollama NDJSON, OpenAI chat-completion SSE, OpenAI Responses, Anthropic Messages), merged,
//! re-encoded to each of the four, decoded by that wire's own checking decoder and merged
//! again, reduces to the same message, and the re-encoded stream breaks none of the target
//! wire's ordering rules.
#![cfg(all(feature = "ollama", feature = "openai", feature = "anthropic"))]

mod common;

use common::{merge_pieces, wire_faults};
use ollama_stream_merge::to_anthropic::AnthropicEncoder;
use ollama_stream_merge::to_ollama::OllamaEncoder;
use ollama_stream_merge::to_openai::{CompletionEncoder, OpenAiEncoder};
use ollama_stream_merge::to_responses::ResponsesEventEncoder;
use ollama_stream_merge::{
    ErrorCategory, Event, MergeError, OnViolation, Options, Reducer, Wire as Stream,
    WireStreamDecoder,
};
use test_support::{FixtureCase, Wire};

/// The stream a case is, when it is a 2xx message stream.
fn stream_of(case: &FixtureCase) -> Option<Stream> {
    if case.meta.status != 200 || !case.is_stream() {
        return None;
    }
    Stream::for_route(&case.meta.endpoint)
}

/// `body`, a `stream`, merged: in 7-byte pieces through the join, the events well-formed.
fn merge(stream: Stream, body: &[u8], options: Options) -> Vec<Event> {
    merge_pieces(WireStreamDecoder::new(stream), body, 7, options)
}

/// What a reduced message says: what every wire must carry across.
fn essence(events: &[Event]) -> serde_json::Value {
    let m = Reducer::reduce(events.iter().cloned());
    let finish = m.finish.as_ref();
    serde_json::json!({
        "reasoning": m.reasoning,
        "content": m.content,
        "tool_calls": m.tool_calls.iter()
            .map(|c| (c.id.clone(), c.name.clone(), c.raw_arguments.clone()))
            .collect::<Vec<_>>(),
        "reason": finish.map(|f| f.reason.as_str()),
        "output_tokens": finish.and_then(|f| f.usage.as_ref()).and_then(|u| u.output_tokens),
        "upstream_errors": m.errors.iter()
            .filter(|e| matches!(e, MergeError::Upstream(_) | MergeError::Truncated))
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
    })
}

/// The merged events written by each encoder: the four streaming wires, `/api/generate`
/// NDJSON, and `/v1/completions` SSE when the reply is text only (that wire has no place for
/// reasoning or tool calls).
fn encode_all(events: &[Event]) -> Vec<(Stream, Vec<u8>)> {
    let mut generate = Vec::new();
    let mut to_generate = OllamaEncoder::generate("m", "2026-12-01T08:00:00Z");
    let mut completions = Vec::new();
    let mut to_completions = CompletionEncoder::new("cmpl-1", 1_796_112_000, "m");
    for event in events {
        to_generate.encode(event, &mut generate).unwrap();
        to_completions.encode(event, &mut completions).unwrap();
    }
    let message = Reducer::reduce(events.iter().cloned());
    let text_only = message.reasoning.is_empty() && message.tool_calls.is_empty();
    let mut all = encode_four(events).to_vec();
    all.push((Stream::OllamaGenerate, generate));
    if text_only {
        all.push((Stream::Completions, completions));
    }
    all
}

/// The merged events written by the encoders of the four streaming wires.
fn encode_four(events: &[Event]) -> [(Stream, Vec<u8>); 4] {
    let mut ndjson = Vec::new();
    let mut sse = Vec::new();
    let mut responses = Vec::new();
    let mut anthropic = Vec::new();
    let mut to_ollama = OllamaEncoder::new("m", "2026-12-01T08:00:00Z");
    let mut to_openai = OpenAiEncoder::new("chatcmpl-1", 1_796_112_000, "m");
    let mut to_responses = ResponsesEventEncoder::new("resp_1", 1_796_112_000, "m");
    let mut to_anthropic = AnthropicEncoder::new("msg_1", "m");
    for event in events {
        to_ollama.encode(event, &mut ndjson).unwrap();
        to_openai.encode(event, &mut sse).unwrap();
        to_responses.encode(event, &mut responses).unwrap();
        to_anthropic.encode(event, &mut anthropic).unwrap();
    }
    [
        (Stream::Ollama, ndjson),
        (Stream::OpenAi, sse),
        (Stream::Responses, responses),
        (Stream::Anthropic, anthropic),
    ]
}

#[test]
fn every_stream_fixture_of_every_wire_translates_into_every_wire() {
    let mut checked = [0usize; 6];
    for wire in Wire::ALL {
        for case in test_support::cases(wire) {
            let Some(source) = stream_of(&case) else {
                continue;
            };
            let events = merge(source, &case.body, Options::default());
            let faults = wire_faults(&events);
            // A stream that is cut, or whose bytes are broken, is translated too; its fault
            // is the source's and reaches the target as a cut (or not at all), so only the
            // meaning is compared.
            let want = essence(&events);
            for (target, bytes) in encode_all(&events) {
                let again = merge(target, &bytes, Options::default());
                let name = format!("{} via {target:?}", case.name());
                let mut want = want.clone();
                if target == Stream::Anthropic
                    && want["output_tokens"].is_null()
                    && want["reason"] != "error"
                    && want["reason"] != "incomplete"
                {
                    // `message_delta` must carry `usage.output_tokens`: 0 stands for "not reported".
                    want["output_tokens"] = 0.into();
                }
                assert_eq!(
                    essence(&again),
                    want,
                    "{name}\n{}",
                    String::from_utf8_lossy(&bytes)
                );
                // A cut source stays cut (category Truncated); anything else is a fault of ours.
                let new_faults: Vec<_> = again
                    .iter()
                    .filter_map(|e| match e {
                        Event::Error {
                            error: MergeError::Wire(w),
                        } if w.category != ErrorCategory::Truncated => Some(w.to_string()),
                        _ => None,
                    })
                    .collect();
                assert!(
                    new_faults.is_empty(),
                    "{name}: the re-encoded stream has faults {new_faults:?} (source faults {faults:?})\n{}",
                    String::from_utf8_lossy(&bytes)
                );
            }
            checked[source as usize] += 1;
        }
    }
    // Ollama chat, generate, OpenAI chat, completions, Responses, Anthropic.
    assert!(checked[0] >= 30, "{checked:?}");
    assert!(checked[1] >= 5, "{checked:?}");
    assert!(checked[2] >= 30, "{checked:?}");
    assert!(checked[3] >= 4, "{checked:?}");
    assert!(checked[4] >= 7, "{checked:?}");
    assert!(checked[5] >= 6, "{checked:?}");
}

/// ollama/ollama#17101: a thinking block started at the index of a text block that was never
/// stopped. Repaired by default (the violation reported in place, the reasoning in a block of
/// its own, the output well-formed on every wire); with `OnViolation::Fail` the reply ends there.
#[test]
fn the_17101_sequence_is_repaired_or_fails_as_asked() {
    let body = concat!(
        "event: message_start\n",
        "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":0}}}\n\n",
        "event: content_block_start\n",
        "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
        "event: content_block_delta\n",
        "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n",
        "event: content_block_start\n",
        "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}\n\n",
        "event: content_block_delta\n",
        "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Hmm.\"}}\n\n",
        "event: content_block_stop\n",
        "data: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
        "event: message_delta\n",
        "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"input_tokens\":5,\"output_tokens\":2}}\n\n",
        "event: message_stop\n",
        "data: {\"type\":\"message_stop\"}\n\n",
    );
    let events = merge(Stream::Anthropic, body.as_bytes(), Options::default());
    let faults = wire_faults(&events);
    assert_eq!(faults.len(), 1, "{faults:?}");
    assert!(
        faults[0].contains("index 0, which is still open"),
        "{faults:?}"
    );
    let message = Reducer::reduce(events.iter().cloned());
    assert_eq!(
        (message.content.as_str(), message.reasoning.as_str()),
        ("Hi", "Hmm.")
    );
    let kinds: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::BlockStart { index, block } => Some((*index, format!("{block:?}"))),
            _ => None,
        })
        .collect();
    assert_eq!(
        kinds,
        [(0, "Text".to_owned()), (1, "Reasoning".to_owned())],
        "a new index for the thinking block"
    );
    for (target, bytes) in encode_all(&events) {
        let again = merge(target, &bytes, Options::default());
        assert!(wire_faults(&again).is_empty(), "{target:?}");
        assert_eq!(essence(&again), essence(&events), "{target:?}");
    }

    let failed = merge(
        Stream::Anthropic,
        body.as_bytes(),
        Options::default().on_violation(OnViolation::Fail),
    );
    let message = Reducer::reduce(failed.iter().cloned());
    assert_eq!(
        (message.content.as_str(), message.reasoning.as_str()),
        ("Hi", "")
    );
    assert_eq!(
        message.finish.map(|f| f.reason),
        Some(ollama_stream_merge::FinishReason::Error)
    );
}
