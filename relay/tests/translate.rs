//! Translate mode over real sockets: every client route × both upstream wires, streamed and
//! not, against a scripted upstream (`common`) replaying recorded Ollama 0.33 streams.

use std::time::Duration;

use bytes::Bytes;
use ollama_relay::{UpstreamWire, Wire};
use ollama_stream_merge::{AssistantMessage, FinishReason, Reducer, validate};
use serde_json::{Value, json};

mod common;

use common::*;

const CLIENTS: [(Wire, &str); 6] = [
    (Wire::Ollama, "/api/chat"),
    (Wire::OllamaGenerate, "/api/generate"),
    (Wire::OpenAi, "/v1/chat/completions"),
    (Wire::Completions, "/v1/completions"),
    (Wire::Responses, "/v1/responses"),
    (Wire::Anthropic, "/v1/messages"),
];

const UPSTREAMS: [UpstreamWire; 2] = [UpstreamWire::Ollama, UpstreamWire::OpenAi];

/// A plain request of each client wire: a system prompt (where the wire has one), "Hi", a
/// 50-token limit.
fn client_request(wire: Wire, stream: bool) -> Value {
    let system = json!({"role": "system", "content": "Be brief."});
    let user = json!({"role": "user", "content": "Hi"});
    match wire {
        Wire::Ollama => {
            json!({"model": "m", "messages": [system, user], "options": {"num_predict": 50}, "stream": stream})
        }
        Wire::OllamaGenerate => {
            json!({"model": "m", "system": "Be brief.", "prompt": "Hi", "options": {"num_predict": 50}, "stream": stream})
        }
        Wire::OpenAi => {
            json!({"model": "m", "messages": [system, user], "max_tokens": 50, "stream": stream})
        }
        Wire::Completions => {
            json!({"model": "m", "prompt": "Hi", "max_tokens": 50, "stream": stream})
        }
        Wire::Responses => {
            json!({"model": "m", "instructions": "Be brief.", "input": "Hi", "max_output_tokens": 50, "stream": stream})
        }
        Wire::Anthropic => {
            json!({"model": "m", "system": "Be brief.", "messages": [user], "max_tokens": 50, "stream": stream})
        }
    }
}

/// What the upstream must receive for [`client_request`], written out.
fn upstream_request(client: Wire, upstream: UpstreamWire) -> Value {
    let mut messages = vec![json!({"role": "system", "content": "Be brief."})];
    if client == Wire::Completions {
        messages.clear();
    }
    messages.push(json!({"role": "user", "content": "Hi"}));
    match upstream {
        UpstreamWire::Ollama => json!({
            "model": "m", "messages": messages, "stream": true, "options": {"num_predict": 50},
        }),
        UpstreamWire::OpenAi => json!({
            "model": "m", "messages": messages, "stream": true,
            "stream_options": {"include_usage": true}, "max_tokens": 50,
        }),
    }
}

/// A recorded upstream stream: the first clean chat stream with reasoning and text, or
/// (`tools`) with a tool call.
fn upstream_fixture(upstream: UpstreamWire, tools: bool) -> (Bytes, &'static str) {
    let (corpus, endpoint, content_type) = match upstream {
        UpstreamWire::Ollama => (test_support::Wire::Ollama, "/api/chat", NDJSON),
        UpstreamWire::OpenAi => (test_support::Wire::OpenAi, "/v1/chat/completions", SSE),
    };
    let case = test_support::cases(corpus)
        .into_iter()
        .find(|c| {
            if c.meta.endpoint != endpoint || !c.is_stream() || !c.is_success() {
                return false;
            }
            let m = Reducer::reduce(merged(upstream.wire(), &c.body));
            m.is_complete()
                && if tools {
                    !m.tool_calls.is_empty()
                } else {
                    !m.reasoning.is_empty() && !m.content.is_empty()
                }
        })
        .unwrap();
    (Bytes::from(case.body), content_type)
}

/// Content, reasoning and tool calls (name, arguments) of a reply.
type Reduced = (String, String, Vec<(String, Value)>);

fn reduced(m: &AssistantMessage) -> Reduced {
    let calls = m
        .tool_calls
        .iter()
        .map(|c| {
            (
                c.name.clone(),
                serde_json::from_str(&c.raw_arguments).unwrap_or(Value::Null),
            )
        })
        .collect();
    (m.content.clone(), m.reasoning.clone(), calls)
}

/// What a non-stream reply body of `wire` says, read with that wire's typed reply.
fn whole_reply(wire: Wire, body: &[u8]) -> Reduced {
    let args = |text: &str| serde_json::from_str::<Value>(text).unwrap();
    match wire {
        // Ollama's stream decoders take a whole reply: a one-line stream.
        Wire::Ollama | Wire::OllamaGenerate => {
            let events = merged(wire, body);
            assert!(validate(&events).is_ok());
            let m = Reducer::reduce(events);
            assert!(m.is_complete(), "{}", text(body));
            reduced(&m)
        }
        Wire::OpenAi => {
            let r: openai_wire::chat::ChatCompletion = serde_json::from_slice(body).unwrap();
            let m = &r.choices[0].message;
            let content = match &m.content {
                Some(openai_wire::chat::Content::Text(t)) => t.clone(),
                _ => String::new(),
            };
            let calls = m
                .tool_calls
                .iter()
                .flatten()
                .map(|c| (c.function.name.clone(), args(&c.function.arguments)))
                .collect();
            (content, m.reasoning.clone().unwrap_or_default(), calls)
        }
        Wire::Completions => {
            let r: openai_wire::completions::Completion = serde_json::from_slice(body).unwrap();
            (r.text().to_owned(), String::new(), Vec::new())
        }
        Wire::Responses => {
            use openai_wire::responses::{Response, ResponseOutputItem};
            let r: Response = serde_json::from_slice(body).unwrap();
            let mut reasoning = String::new();
            let mut calls = Vec::new();
            for item in r.output.iter().flatten() {
                match item {
                    ResponseOutputItem::Reasoning(x) => reasoning.push_str(&x.summary_text()),
                    ResponseOutputItem::FunctionCall(c) => {
                        calls.push((c.name.clone(), args(&c.arguments)));
                    }
                    _ => {}
                }
            }
            (r.output_text(), reasoning, calls)
        }
        Wire::Anthropic => {
            let r: anthropic_wire::messages::AnthropicMessage =
                serde_json::from_slice(body).unwrap();
            let calls = r
                .tool_uses()
                .map(|c| (c.name.clone(), args(c.input.as_ref().unwrap().as_str())))
                .collect();
            (r.text(), r.thinking(), calls)
        }
    }
}

/// `/v1/completions` carries text only.
fn comparable(wire: Wire, r: Reduced) -> Reduced {
    if wire == Wire::Completions {
        (r.0, String::new(), Vec::new())
    } else {
        r
    }
}

/// Every client route × both upstream wires, streamed and not: the recorded upstream stream
/// goes through; the client's bytes decode cleanly with its wire's checking decoder, are well
/// formed, and reduce to the upstream's message; the upstream got the translated request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_client_route_from_both_upstream_wires() {
    let mut cases = 0;
    for (upstream_wire, tools) in UPSTREAMS.into_iter().flat_map(|u| [(u, false), (u, true)]) {
        let (fixture, content_type) = upstream_fixture(upstream_wire, tools);
        let expected = Reducer::reduce(merged(upstream_wire.wire(), &fixture));
        let body = fixture.clone();
        let up = upstream(move |_| Reply::body(content_type, body.clone())).await;
        let relay = relay(&up.base, |c| c.upstream_wire = Some(upstream_wire)).await;
        for (client, path) in CLIENTS {
            let native = client == upstream_wire.wire();
            for stream in [true, false] {
                if native && !stream {
                    // Repair mode's own route: a non-stream reply is forwarded as it is.
                    continue;
                }
                let what =
                    format!("{path} from {upstream_wire} (stream: {stream}, tools: {tools})");
                let request = client_request(client, stream);
                let (status, headers, got) = post_json(&relay, path, &request).await;
                assert_eq!(status, 200, "{what}: {}", text(&got));
                let recorded = up.requests.lock().unwrap().pop().unwrap();
                let sent: Value = serde_json::from_slice(&recorded.body).unwrap();
                if native {
                    assert_eq!(recorded.uri, path, "{what}");
                    assert_eq!(sent, request, "{what}: forwarded unchanged");
                } else {
                    assert_eq!(recorded.uri, upstream_wire.chat_path(), "{what}");
                    assert_eq!(sent, upstream_request(client, upstream_wire), "{what}");
                }
                let want = comparable(client, reduced(&expected));
                if stream {
                    assert_eq!(
                        headers["content-type"],
                        client.stream_content_type(),
                        "{what}"
                    );
                    let events = merged(client, &got);
                    assert!(validate(&events).is_ok(), "{what}");
                    let message = Reducer::reduce(events);
                    assert!(message.is_complete(), "{what}: {}", text(&got));
                    assert_eq!(comparable(client, reduced(&message)), want, "{what}");
                    if client != Wire::Completions {
                        assert_eq!(
                            message.finish.map(|f| f.reason),
                            expected.finish.as_ref().map(|f| f.reason),
                            "{what}"
                        );
                    }
                    if !native {
                        assert!(text(&got).contains(r#""model":"m""#), "{what}");
                    }
                } else {
                    assert!(
                        headers["content-type"]
                            .to_str()
                            .unwrap()
                            .starts_with("application/json"),
                        "{what}"
                    );
                    assert_eq!(whole_reply(client, &got), want, "{what}: {}", text(&got));
                    let value: Value = serde_json::from_slice(&got).unwrap();
                    assert_eq!(value["model"], "m", "{what}");
                }
                cases += 1;
            }
        }
    }
    assert_eq!(cases, 44);
}

/// A request the upstream cannot take is answered 400 in the client's wire, naming the
/// field, and never forwarded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn untranslatable_requests_are_400_in_the_clients_shape() {
    let up = upstream(|_| Reply::body(NDJSON, "")).await;
    let ollama = relay(&up.base, |c| c.upstream_wire = Some(UpstreamWire::Ollama)).await;
    let openai = relay(&up.base, |c| c.upstream_wire = Some(UpstreamWire::OpenAi)).await;
    let cases = [
        (
            &openai,
            "/api/chat",
            json!({"model": "m", "messages": [], "keep_alive": "5m"}),
            "keep_alive",
        ),
        (
            &ollama,
            "/api/generate",
            json!({"model": "m", "prompt": "a", "raw": true}),
            "raw",
        ),
        (
            &ollama,
            "/v1/chat/completions",
            json!({"model": "m", "messages": [], "tool_choice": "required"}),
            "tool_choice",
        ),
        (
            &openai,
            "/v1/completions",
            json!({"model": "m", "prompt": "a", "suffix": "b"}),
            "suffix",
        ),
        (
            &ollama,
            "/v1/responses",
            json!({"model": "m", "input": "a", "previous_response_id": "resp_1"}),
            "previous_response_id",
        ),
        (
            &openai,
            "/v1/messages",
            json!({"model": "m", "max_tokens": 5, "top_k": 3, "messages": []}),
            "top_k",
        ),
    ];
    for (relay, path, body, field) in cases {
        let (status, _, got) = post_json(relay, path, &body).await;
        assert_eq!(status, 400, "{path}");
        let error: Value = serde_json::from_slice(&got).unwrap();
        let message = match path {
            "/api/chat" | "/api/generate" => error["error"].as_str(),
            "/v1/messages" => {
                assert_eq!(error["type"], "error");
                assert_eq!(error["error"]["type"], "invalid_request_error");
                error["error"]["message"].as_str()
            }
            _ => {
                assert_eq!(error["error"]["type"], "invalid_request_error");
                error["error"]["message"].as_str()
            }
        }
        .unwrap();
        assert!(message.contains(&format!("`{field}`")), "{path}: {message}");
    }
    assert!(up.requests.lock().unwrap().is_empty(), "nothing forwarded");
}

/// An upstream 500 is the same status with the client wire's error body and the upstream's
/// message; a stream cut mid-way ends with the client wire's error (streamed) or is a 502 with
/// its error body (not streamed).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upstream_failures_are_the_clients_errors() {
    for upstream_wire in UPSTREAMS {
        let (fixture, content_type) = upstream_fixture(upstream_wire, false);
        let failing = upstream(move |_| Reply {
            status: 500,
            ..Reply::body(
                "application/json; charset=utf-8",
                match upstream_wire {
                    UpstreamWire::Ollama => r#"{"error":"model runner crashed"}"#,
                    UpstreamWire::OpenAi => {
                        r#"{"error":{"code":500,"message":"model runner crashed","type":"server_error"}}"#
                    }
                },
            )
        })
        .await;
        let half = Bytes::copy_from_slice(&fixture[..fixture.len() / 2]);
        let cut = upstream(move |_| {
            Reply::steps(
                content_type,
                vec![
                    Step::Send(half.clone()),
                    Step::Sleep(Duration::from_millis(20)),
                    Step::Die,
                ],
            )
        })
        .await;
        let relay_500 = relay(&failing.base, |c| c.upstream_wire = Some(upstream_wire)).await;
        let relay_cut = relay(&cut.base, |c| c.upstream_wire = Some(upstream_wire)).await;
        for (client, path) in CLIENTS {
            if client == upstream_wire.wire() {
                continue;
            }
            let what = format!("{path} from {upstream_wire}");
            for stream in [true, false] {
                let request = client_request(client, stream);
                let (status, _, got) = post_json(&relay_500, path, &request).await;
                assert_eq!(status, 500, "{what}");
                let message = error_message(client, &got);
                assert!(
                    message.contains("model runner crashed"),
                    "{what}: {message}"
                );

                let (status, _, got) = post_json(&relay_cut, path, &request).await;
                if stream {
                    assert_eq!(status, 200, "{what}");
                    let events = merged(client, &got);
                    assert!(validate(&events).is_ok(), "{what}");
                    let message = Reducer::reduce(events);
                    assert!(!message.is_complete(), "{what}: {}", text(&got));
                    assert!(
                        message
                            .finish
                            .is_none_or(|f| f.reason == FinishReason::Error),
                        "{what}: {}",
                        text(&got)
                    );
                    let got = text(&got);
                    let ends = match client {
                        Wire::Ollama | Wire::OllamaGenerate => {
                            got.lines().last().unwrap().starts_with(r#"{"error":"#)
                        }
                        Wire::OpenAi | Wire::Completions => {
                            got.contains(r#"data: {"error":"#) && got.ends_with("data: [DONE]\n\n")
                        }
                        Wire::Responses => got.contains("event: response.failed\n"),
                        Wire::Anthropic => got.contains("event: error\n"),
                    };
                    assert!(ends, "{what}: {got}");
                    assert!(got.contains("cut"), "{what}: {got}");
                } else {
                    assert_eq!(status, 502, "{what}: {}", text(&got));
                    let message = error_message(client, &got);
                    assert!(message.contains("cut"), "{what}: {message}");
                }
            }
        }
    }
}

/// The message of an error body of `wire`, checking its shape.
fn error_message(wire: Wire, body: &[u8]) -> String {
    let error: Value =
        serde_json::from_slice(body).unwrap_or_else(|e| panic!("{wire:?}: {e}: {}", text(body)));
    let message = match wire {
        Wire::Ollama | Wire::OllamaGenerate => error["error"].as_str(),
        Wire::Anthropic => {
            assert_eq!(error["type"], "error", "{error}");
            error["error"]["message"].as_str()
        }
        _ => {
            assert!(error["error"]["type"].is_string(), "{error}");
            error["error"]["message"].as_str()
        }
    };
    message
        .unwrap_or_else(|| panic!("{wire:?}: {error}"))
        .to_owned()
}
