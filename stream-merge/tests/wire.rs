//! `Wire`: every streamed fixture is sniffed as the stream of the route it was recorded on, and
//! the media types are the ones the fixtures were served with.

use ollama_stream_merge::Wire;

/// The stream a route serves (`None`: the route streams no message).
fn route_wire(endpoint: &str) -> Option<Wire> {
    Some(match endpoint {
        "/api/chat" => Wire::Ollama,
        "/api/generate" => Wire::OllamaGenerate,
        "/v1/chat/completions" => Wire::OpenAi,
        "/v1/completions" => Wire::Completions,
        "/v1/responses" => Wire::Responses,
        "/v1/messages" => Wire::Anthropic,
        _ => return None,
    })
}

#[test]
fn every_streamed_message_fixture_is_sniffed_as_its_route() {
    let mut checked = std::collections::BTreeMap::<&str, usize>::new();
    for wire in [
        test_support::Wire::Ollama,
        test_support::Wire::OpenAi,
        test_support::Wire::Responses,
        test_support::Wire::Anthropic,
    ] {
        for case in test_support::cases(wire) {
            let Some(expected) = route_wire(&case.meta.endpoint) else {
                continue;
            };
            if !case.is_stream() || !case.is_success() || case.body.is_empty() {
                continue;
            }
            assert_eq!(Wire::sniff(&case.body), expected, "{}", case.name());
            let content_type = case.meta.content_type.as_deref().unwrap_or_default();
            assert!(
                expected.is_stream_content_type(content_type),
                "{}: {content_type}",
                case.name()
            );
            *checked.entry(expected.as_str()).or_default() += 1;
        }
    }
    // Every stream is in the corpus, recorded from real servers.
    for wire in Wire::ALL {
        assert!(
            checked.get(wire.as_str()).copied().unwrap_or_default() >= 2,
            "too few {wire} streams: {checked:?}"
        );
    }
}

#[test]
fn sniffing_skips_a_byte_order_mark_white_space_and_a_leading_comment() {
    assert_eq!(
        Wire::sniff(b"\xEF\xBB\xBF\n  event: response.created\ndata: {}\n\n"),
        Wire::Responses
    );
    assert_eq!(
        Wire::sniff(b": keep-alive\n\ndata: {\"type\":\"message_start\"}\n\n"),
        Wire::Anthropic
    );
    assert_eq!(
        Wire::sniff(b"\n\n{\"model\":\"m\",\"response\":\"\",\"done\":true}\n"),
        Wire::OllamaGenerate
    );
}

#[test]
fn the_event_field_wins_over_the_data_type_and_a_cut_first_event_still_counts() {
    // `event:` names the type; the data's `type` is only asked when there is no `event:`.
    assert_eq!(
        Wire::sniff(b"event: message_start\ndata: {\"type\":\"response.created\"}\n\n"),
        Wire::Anthropic
    );
    // No blank line after the first event: it is read all the same.
    assert_eq!(
        Wire::sniff(b"data: {\"type\":\"response.created\"}"),
        Wire::Responses
    );
    assert_eq!(
        Wire::sniff(b"data: {\"object\":\"text_completion\",\"choices\":[]}"),
        Wire::Completions
    );
}

#[test]
fn what_is_none_of_them_gets_the_last_answer_of_its_kind() {
    // An event stream of no known wire (or with no event at all) is read as chat completions;
    // its decoder says what is wrong.
    assert_eq!(Wire::sniff(b"data: [DONE]\n\n"), Wire::OpenAi);
    assert_eq!(Wire::sniff(b"event: ping\n\n"), Wire::OpenAi);
    assert_eq!(Wire::sniff(b"retry: 10\n\n"), Wire::OpenAi);
    assert_eq!(Wire::sniff(b"data: {\"type\":\"pong\"}\n\n"), Wire::OpenAi);
    // Anything else is Ollama chat NDJSON.
    assert_eq!(Wire::sniff(b""), Wire::Ollama);
    assert_eq!(Wire::sniff(b"<html>"), Wire::Ollama);
    assert_eq!(Wire::sniff(b"[\"response\"]\n"), Wire::Ollama);
    assert_eq!(Wire::sniff(b"{\"error\":\"boom\"}\n"), Wire::Ollama);
}

#[test]
fn names_and_media_types() {
    let names: Vec<&str> = Wire::ALL.iter().map(|w| w.as_str()).collect();
    assert_eq!(
        names,
        [
            "ollama",
            "ollama-generate",
            "openai",
            "completions",
            "responses",
            "anthropic"
        ]
    );
    assert_eq!(Wire::Completions.to_string(), "completions");
    for wire in Wire::ALL {
        let ndjson = matches!(wire, Wire::Ollama | Wire::OllamaGenerate);
        assert_eq!(wire.is_ndjson(), ndjson, "{wire}");
        let media = if ndjson {
            "application/x-ndjson"
        } else {
            "text/event-stream"
        };
        assert_eq!(wire.stream_content_type(), media);
        assert!(wire.is_stream_content_type(&format!(" {} ; charset=utf-8", media.to_uppercase())));
        assert!(!wire.is_stream_content_type("application/json"));
        assert!(!wire.is_stream_content_type(&format!("{media}x")));
    }
}
