//! `Wire`: every streamed fixture is sniffed as the stream of the route it was recorded on, and
//! the media types are the ones the fixtures were served with; `WireStreamDecoder` merges
//! every one of them as the wire crate's own decoder does.

use ollama_stream_merge::{Event, Wire, merge_body};

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
    for wire in test_support::Wire::ALL {
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
fn sniffing() {
    let cases: [(&[u8], Wire, &str); 15] = [
        (
            b"\xEF\xBB\xBF\n  event: response.created\ndata: {}\n\n",
            Wire::Responses,
            "a byte order mark and white space are skipped",
        ),
        (
            b": keep-alive\n\ndata: {\"type\":\"message_start\"}\n\n",
            Wire::Anthropic,
            "a leading comment is skipped",
        ),
        (
            b"\n\n{\"model\":\"m\",\"response\":\"\",\"done\":true}\n",
            Wire::OllamaGenerate,
            "blank lines before the first NDJSON line are skipped",
        ),
        (
            b"event: message_start\ndata: {\"type\":\"response.created\"}\n\n",
            Wire::Anthropic,
            "the event field wins over the data's type",
        ),
        (
            b"data: {\"type\":\"response.created\"}",
            Wire::Responses,
            "a first event cut before its blank line counts",
        ),
        (
            b"data: {\"object\":\"text_completion\",\"choices\":[]}",
            Wire::Completions,
            "a cut first completions chunk counts",
        ),
        // An event stream of no known wire (or with no event at all) is read as chat
        // completions; its decoder says what is wrong.
        (b"data: [DONE]\n\n", Wire::OpenAi, "data that is not JSON"),
        (
            b"event: ping\n\n",
            Wire::OpenAi,
            "an event without data is not dispatched",
        ),
        (b"retry: 10\n\n", Wire::OpenAi, "no event"),
        (
            b"data: {\"type\":\"pong\"}\n\n",
            Wire::OpenAi,
            "an unknown type",
        ),
        // Anything else is Ollama chat NDJSON.
        (b"", Wire::Ollama, "an empty body"),
        (b"<html>", Wire::Ollama, "not JSON"),
        (b"[\"response\"]\n", Wire::Ollama, "JSON, not an object"),
        (
            b"{\"error\":\"boom\"}\n",
            Wire::Ollama,
            "an object without `response`",
        ),
        (
            b"{\"model\":\"m\"}\n{\"response\":\"\"}\n",
            Wire::Ollama,
            "only the first line is asked",
        ),
    ];
    for (body, wire, why) in cases {
        assert_eq!(
            Wire::sniff(body),
            wire,
            "{why}: {}",
            String::from_utf8_lossy(body)
        );
    }
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

#[test]
fn routes() {
    for wire in Wire::ALL {
        assert_eq!(route_wire(wire.route()), Some(wire), "{wire}");
        assert_eq!(Wire::for_route(wire.route()), Some(wire), "{wire}");
    }
    for path in [
        "/api/tags",
        "/api/chat/",
        "/v1/messages/count_tokens",
        "",
        "/v1/chat",
    ] {
        assert_eq!(Wire::for_route(path), None, "{path}");
    }
}

#[cfg(all(feature = "ollama", feature = "openai", feature = "anthropic"))]
mod any_decoder {
    use super::*;
    use ollama_stream_merge::{
        ErrorCategory, Input, PushDecoder, WireDecoder, WireError, WireStreamDecoder,
    };

    /// `body` merged through the wire crate's own decoder for `wire`.
    fn merged_by_the_wire_crate(wire: Wire, body: &[u8]) -> Vec<Event> {
        let options = Default::default();
        match wire {
            Wire::Ollama => merge_body(ollama_wire::ChatStreamDecoder::new(), body, options),
            Wire::OllamaGenerate => {
                merge_body(ollama_wire::GenerateStreamDecoder::new(), body, options)
            }
            Wire::OpenAi => merge_body(openai_wire::chunks::ChatStreamDecoder::new(), body, options),
            Wire::Completions => merge_body(
                openai_wire::chunks::StreamDecoder::<openai_wire::completions::CompletionChunk>::new(),
                body,
                options,
            ),
            Wire::Responses => merge_body(
                openai_wire::responses::ResponsesStreamDecoder::new(),
                body,
                options,
            ),
            Wire::Anthropic => {
                merge_body(anthropic_wire::events::StreamDecoder::new(), body, options)
            }
        }
    }

    #[test]
    fn every_message_stream_fixture_merges_as_through_the_wire_crates_decoder() {
        let mut checked = 0;
        for wire in test_support::Wire::ALL {
            for case in test_support::cases(wire) {
                // Failed and cut streams too: the verdict must come through unchanged.
                let Some(stream) = Wire::for_route(&case.meta.endpoint) else {
                    continue;
                };
                if !case.is_stream() {
                    continue;
                }
                let decoder = WireStreamDecoder::new(stream);
                assert_eq!(decoder.wire(), stream);
                assert_eq!(
                    merge_body(decoder, &case.body, Default::default()),
                    merged_by_the_wire_crate(stream, &case.body),
                    "{}",
                    case.name()
                );
                checked += 1;
            }
        }
        assert!(checked >= 90, "{checked} streams");
    }

    #[test]
    fn the_verdict_is_the_wire_crates() {
        // A clean end.
        let mut done = WireStreamDecoder::new(Wire::OpenAi);
        done.push(b"data: [DONE]\n\n");
        assert!(matches!(done.next(), Some(Ok(Input::Nothing))));
        assert_eq!(done.finish(), Ok(()));
        // A cut stream: the wire crate's `Truncated`, as the merger reports it.
        for (wire, body) in [
            (Wire::OpenAi, &b"data: {\"choices\":[]}\n\n"[..]),
            (Wire::Ollama, b"{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n"),
            (Wire::Anthropic, b""),
        ] {
            let mut cut = WireStreamDecoder::new(wire);
            cut.push(body);
            let verdict = cut.finish_input();
            let Input::End(Some(error)) = &verdict else {
                panic!("{wire}: {verdict:?}");
            };
            assert_eq!(error.category, ErrorCategory::Truncated, "{wire}");
            assert_eq!(error.offset, Some(body.len() as u64), "{wire}");
            // `input` of an `Err` item (which the decoder never yields) is that end.
            let as_item = WireStreamDecoder::input(Err(WireError::new(
                ErrorCategory::Truncated,
                Some(1),
                "cut",
            )));
            assert!(matches!(as_item, Input::End(Some(_))), "{wire}");
        }
    }

    #[test]
    fn abandoning_drops_what_is_held() {
        let mut decoder = WireStreamDecoder::new(Wire::Ollama);
        // A whole line and the start of another: abandoned, neither is decoded.
        decoder.push(b"{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n{\"mo");
        decoder.abandon();
        assert!(decoder.next().is_none());
    }
}
