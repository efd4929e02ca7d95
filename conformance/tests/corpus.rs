//! The corpus as tests: every case conforms, any split of any case decodes the same, and each
//! case's reduced reply is pinned by an insta snapshot.

use std::sync::OnceLock;

use conformance::checks::{Item, SplitPlan, decode_items, openai};
use conformance::corpus::{Case, Wire};
use conformance::{ExpectedFailures, default_expected_failures, default_fixtures_dir};
use ollama_catalog::{BaseUrl, DiscoveryPlan, ShowPolicy, ShowResults};
use ollama_wire::{
    BodyKind, ChatAccumulator, ChatResponse, GenerateResponse, ListResponse, ProcessResponse,
    ProgressResponse, ShowResponse, VersionResponse, classify, decode_error_body, decode_json,
};
use openai_wire::chat::{ChatCompletion, ChatCompletionChunk, Content};
use openai_wire::chunks::{StreamDecoder, StreamItem};
use openai_wire::response;
use proptest::prelude::*;
use serde_json::{Value, json};

fn corpus() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| conformance::load(&default_fixtures_dir()).unwrap())
}

#[test]
fn every_case_conforms() {
    let expected = ExpectedFailures::load(&default_expected_failures()).unwrap();
    let reports = conformance::run_all(corpus(), &expected);
    let failed: Vec<_> = reports.iter().filter(|r| r.failed()).collect();
    assert!(
        failed.is_empty(),
        "{}",
        conformance::render(&failed.into_iter().cloned().collect::<Vec<_>>())
    );
    // Every listed expected failure names a case that exists.
    for f in &expected.failures {
        assert!(
            reports.iter().any(|r| r.name == f.case),
            "expected-failures.toml names unknown case {}",
            f.case
        );
    }
}

#[test]
fn every_case_has_complete_provenance() {
    for case in corpus() {
        let p = &case.meta.provenance;
        for (field, value) in [
            ("source", &p.source),
            ("server", &p.server),
            ("version", &p.version),
            ("model", &p.model),
            ("date", &p.date),
            ("licence", &p.licence),
            ("notes", &p.notes),
        ] {
            assert!(
                !value.trim().is_empty(),
                "{}: provenance.{field} is empty",
                case.id
            );
        }
        assert!(
            matches!(p.request.as_str(), "recorded" | "reconstructed" | "absent"),
            "{}: provenance.request = {:?}",
            case.id,
            p.request
        );
        assert_eq!(
            p.request == "absent",
            case.request.is_none(),
            "{}: request.json presence disagrees with provenance.request",
            case.id
        );
    }
}

fn stream_cases() -> Vec<&'static Case> {
    corpus()
        .iter()
        .filter(|c| c.wire == Wire::Ollama && c.meta.status / 100 == 2)
        .filter(|c| matches!(c.meta.endpoint.as_str(), "/api/chat" | "/api/generate"))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any split of any fixture's bytes decodes to the same items as the whole body.
    #[test]
    fn any_split_of_any_fixture_decodes_the_same(
        index in any::<prop::sample::Index>(),
        seed in any::<u64>(),
        max in 1usize..64,
    ) {
        let cases = stream_cases();
        let case = cases[index.index(cases.len())];
        let plan = SplitPlan::Random { seed, max };
        if case.meta.endpoint == "/api/chat" {
            let whole = decode_items::<ChatResponse>(&case.body, SplitPlan::Whole).0;
            prop_assert_eq!(decode_items::<ChatResponse>(&case.body, plan).0, whole, "{}", case.id);
        } else {
            let whole = decode_items::<GenerateResponse>(&case.body, SplitPlan::Whole).0;
            prop_assert_eq!(decode_items::<GenerateResponse>(&case.body, plan).0, whole, "{}", case.id);
        }
    }
}

fn openai_stream_cases() -> Vec<&'static Case> {
    corpus()
        .iter()
        .filter(|c| c.wire == Wire::OpenAi)
        .filter(|c| {
            response::classify(c.meta.status, c.meta.content_type.as_deref())
                == response::BodyKind::EventStream
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any split of any SSE fixture's bytes decodes to the same chunks and verdict.
    #[test]
    fn any_split_of_any_sse_fixture_decodes_the_same(
        index in any::<prop::sample::Index>(),
        seed in any::<u64>(),
        max in 1usize..64,
    ) {
        let cases = openai_stream_cases();
        let case = cases[index.index(cases.len())];
        let plan = SplitPlan::Random { seed, max };
        let whole = openai::decode_items::<Value>(&case.body, SplitPlan::Whole).0;
        prop_assert_eq!(openai::decode_items::<Value>(&case.body, plan).0, whole, "{}", case.id);
    }
}

#[test]
fn bytewise_decoding_of_every_fixture_equals_whole() {
    for case in openai_stream_cases() {
        assert_eq!(
            openai::decode_items::<ChatCompletionChunk>(&case.body, SplitPlan::Bytewise).0,
            openai::decode_items::<ChatCompletionChunk>(&case.body, SplitPlan::Whole).0,
            "{}",
            case.id
        );
    }
    for case in stream_cases() {
        if case.meta.endpoint == "/api/chat" {
            assert_eq!(
                decode_items::<ChatResponse>(&case.body, SplitPlan::Bytewise).0,
                decode_items::<ChatResponse>(&case.body, SplitPlan::Whole).0,
                "{}",
                case.id
            );
        } else {
            assert_eq!(
                decode_items::<GenerateResponse>(&case.body, SplitPlan::Bytewise).0,
                decode_items::<GenerateResponse>(&case.body, SplitPlan::Whole).0,
                "{}",
                case.id
            );
        }
    }
}

/// What a case means, reduced for review: the accumulated reply of a stream, the decoded object
/// of a single reply, or the error.
fn reduce(case: &Case) -> Value {
    match case.wire {
        Wire::Ollama => reduce_ollama(case),
        Wire::OpenAi => reduce_openai(case),
        Wire::Responses => reduce_responses(case),
        Wire::Anthropic => reduce_anthropic(case),
    }
}

/// `/v1/responses` cases: output text and reasoning text concatenated from their deltas, each
/// function call as its finished item says (and its argument deltas joined), the terminal
/// event's status, incomplete reason, error and usage, every error item and the verdict.
fn reduce_responses(case: &Case) -> Value {
    use openai_wire::responses::{Response, ResponseOutputItem, ResponseStreamEvent as E};
    let meta = &case.meta;
    let calls_of = |output: Option<&Vec<ResponseOutputItem>>| {
        output
            .into_iter()
            .flatten()
            .filter_map(|item| match item {
                ResponseOutputItem::FunctionCall(c) => Some(json!({
                    "id": c.id, "call_id": c.call_id, "name": c.name, "arguments": c.arguments,
                })),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let end_of = |r: &Response| {
        json!({
            "status": r.status, "incomplete_reason": r.incomplete_details.as_ref().map(|d| &d.reason),
            "error": r.error.as_ref().map(|e| json!({"code": e.code, "message": e.message})),
            "usage": r.usage,
        })
    };
    match response::classify(meta.status, meta.content_type.as_deref()) {
        response::BodyKind::EventStream => {
            let decoded =
                conformance::checks::responses::decode_items(&case.body, SplitPlan::Whole);
            let (mut text, mut reasoning) = (String::new(), String::new());
            let (mut calls, mut streamed) = (Vec::new(), Vec::<(String, String)>::new());
            let mut end = Value::Null;
            let mut kinds = std::collections::BTreeMap::<String, u64>::new();
            for event in &decoded.events {
                *kinds.entry(event.kind().to_owned()).or_default() += 1;
                match event {
                    E::OutputTextDelta(d) => text.push_str(&d.delta),
                    E::ReasoningSummaryTextDelta(d) | E::ReasoningTextDelta(d) => {
                        reasoning.push_str(&d.delta);
                    }
                    E::FunctionCallArgumentsDelta(d) => {
                        match streamed.iter_mut().find(|(id, _)| *id == d.item_id) {
                            Some((_, args)) => args.push_str(&d.delta),
                            None => streamed.push((d.item_id.clone(), d.delta.clone())),
                        }
                    }
                    E::OutputItemDone(done) => {
                        calls.extend(calls_of(Some(&vec![done.item.clone()])));
                    }
                    e if e.is_terminal() => end = end_of(e.response().unwrap()),
                    _ => {}
                }
            }
            for call in &mut calls {
                let id = call["id"].as_str().unwrap_or_default().to_owned();
                call["streamed_arguments"] =
                    json!(streamed.iter().find(|(i, _)| *i == id).map(|(_, a)| a));
            }
            json!({
                "reasoning": reasoning, "text": text, "tool_calls": calls, "end": end,
                "events": decoded.events.len(), "event_types": kinds,
                "errors": decoded.items.iter().filter_map(|i| i.as_ref().err()).collect::<Vec<_>>(),
            })
        }
        response::BodyKind::Json => {
            match response::decode_json::<Response>(meta.status, &case.body) {
                Ok(r) => {
                    let reasoning: String = r
                        .output
                        .iter()
                        .flatten()
                        .filter_map(|item| match item {
                            ResponseOutputItem::Reasoning(r) => Some(r.summary_text()),
                            _ => None,
                        })
                        .collect();
                    json!({
                        "reasoning": reasoning, "text": r.output_text(),
                        "tool_calls": calls_of(r.output.as_ref()), "end": end_of(&r),
                    })
                }
                Err(e) => json!({"error": e.to_string()}),
            }
        }
        _ => {
            let e = response::decode_error_body(meta.status, &case.body);
            json!({"status": meta.status, "error": e.message()})
        }
    }
}

/// `/v1/messages` cases: text and thinking concatenated from their deltas, signatures and
/// redacted thinking as sent, each tool call with its id and name from the block start and its
/// input as the `input_json_delta`s joined, the block kinds in order, the stop reason, the
/// usage of `message_start` and of `message_delta`, every error item and the verdict.
fn reduce_anthropic(case: &Case) -> Value {
    use anthropic_wire::messages::{
        AnthropicMessage, ContentBlock, ContentBlockDelta as D, MessageStreamEvent as E,
    };
    use anthropic_wire::response as aresponse;
    let meta = &case.meta;
    match aresponse::classify(meta.status, meta.content_type.as_deref()) {
        aresponse::BodyKind::EventStream => {
            let decoded =
                conformance::checks::anthropic::decode_items(&case.body, SplitPlan::Whole);
            let (mut text, mut thinking) = (String::new(), String::new());
            let (mut signatures, mut redacted, mut blocks) = (Vec::new(), Vec::new(), Vec::new());
            let mut calls: Vec<Value> = Vec::new();
            let (mut stop_reason, mut stop_sequence) = (None, None);
            let (mut start_usage, mut end_usage) = (Value::Null, Value::Null);
            let mut pings = 0;
            for event in &decoded.events {
                match event {
                    E::MessageStart(s) => {
                        start_usage = json!({
                            "input_tokens": s.message.usage.input_tokens,
                            "output_tokens": s.message.usage.output_tokens,
                        });
                    }
                    E::ContentBlockStart(s) => {
                        blocks.push(json!({"index": s.index, "type": s.content_block.kind()}));
                        match &s.content_block {
                            ContentBlock::ToolUse(t) | ContentBlock::ServerToolUse(t) => {
                                calls.push(json!({
                                    "index": s.index, "id": t.id, "name": t.name,
                                    "start_input": t.input.as_ref().map(|i| i.as_str()),
                                    "input_json": "",
                                }));
                            }
                            ContentBlock::RedactedThinking(r) => redacted.push(r.data.clone()),
                            ContentBlock::Text(t) => text.push_str(&t.text),
                            ContentBlock::Thinking(t) => thinking.push_str(&t.thinking),
                            _ => {}
                        }
                    }
                    E::ContentBlockDelta(d) => match &d.delta {
                        D::TextDelta(t) => text.push_str(&t.text),
                        D::ThinkingDelta(t) => thinking.push_str(&t.thinking),
                        D::SignatureDelta(s) => signatures.push(s.signature.clone()),
                        D::InputJsonDelta(j) => {
                            if let Some(call) =
                                calls.iter_mut().rev().find(|c| c["index"] == d.index)
                            {
                                let joined = format!(
                                    "{}{}",
                                    call["input_json"].as_str().unwrap(),
                                    j.partial_json
                                );
                                call["input_json"] = json!(joined);
                            }
                        }
                        other => {
                            blocks.push(json!({"index": d.index, "unknown_delta": other.kind()}))
                        }
                    },
                    E::MessageDelta(d) => {
                        stop_reason = d.delta.stop_reason.as_ref().map(|r| r.as_str().to_owned());
                        stop_sequence.clone_from(&d.delta.stop_sequence);
                        end_usage = json!({
                            "input_tokens": d.usage.input_tokens,
                            "output_tokens": d.usage.output_tokens,
                        });
                    }
                    E::Ping(_) => pings += 1,
                    _ => {}
                }
            }
            json!({
                "thinking": thinking, "text": text, "signatures": signatures,
                "redacted_thinking": redacted, "blocks": blocks, "tool_calls": calls,
                "stop_reason": stop_reason, "stop_sequence": stop_sequence,
                "usage": {"message_start": start_usage, "message_delta": end_usage},
                "events": decoded.events.len(), "pings": pings,
                "errors": decoded.items.iter().filter_map(|i| i.as_ref().err()).collect::<Vec<_>>(),
            })
        }
        aresponse::BodyKind::Json => {
            match aresponse::decode_json::<AnthropicMessage>(meta.status, &case.body) {
                Ok(m) => json!({
                    "thinking": m.thinking(), "text": m.text(),
                    "blocks": m.content.iter().map(|b| b.kind()).collect::<Vec<_>>(),
                    "tool_calls": m.tool_uses().map(|t| json!({
                        "id": t.id, "name": t.name, "input": t.input.as_ref().map(|i| i.as_str()),
                    })).collect::<Vec<_>>(),
                    "stop_reason": m.stop_reason.as_ref().map(|r| r.as_str()),
                    "stop_sequence": m.stop_sequence,
                    "usage": {"input_tokens": m.usage.input_tokens, "output_tokens": m.usage.output_tokens},
                }),
                Err(e) => json!({"error": e.to_string()}),
            }
        }
        _ => {
            let e = aresponse::decode_error_body(meta.status, &case.body);
            json!({
                "status": meta.status, "type": e.error_type(), "error": e.message(),
                "request_id": e.request_id(),
            })
        }
    }
}

/// OpenAI-compatible cases: text concatenated, tool-call fragments listed as sent (merging them
/// is `stream-merge`'s job), finish reasons, usage and errors.
fn reduce_openai(case: &Case) -> Value {
    let meta = &case.meta;
    let chat = meta.endpoint == "/v1/chat/completions";
    match response::classify(meta.status, meta.content_type.as_deref()) {
        response::BodyKind::EventStream if chat => {
            let mut decoder = StreamDecoder::<ChatCompletionChunk>::new();
            decoder.push(&case.body);
            let (mut content, mut reasoning) = (String::new(), String::new());
            let (mut fragments, mut finish, mut usage, mut errors) =
                (Vec::new(), Vec::new(), None, Vec::new());
            let mut done = false;
            for item in &mut decoder {
                match item {
                    Ok(StreamItem::Chunk(chunk)) => {
                        usage = chunk.usage.clone().or(usage);
                        for choice in &chunk.choices {
                            let d = &choice.delta;
                            content.push_str(d.content.as_deref().unwrap_or(""));
                            reasoning.push_str(d.reasoning.as_deref().unwrap_or(""));
                            for t in d.tool_calls.iter().flatten() {
                                let f = t.function.as_ref();
                                fragments.push(json!({
                                    "index": t.index, "id": t.id,
                                    "name": f.and_then(|f| f.name.as_deref()),
                                    "arguments": f.and_then(|f| f.arguments.as_deref()),
                                }));
                            }
                            if let Some(r) = &choice.finish_reason {
                                finish.push(r.as_str().to_owned());
                            }
                        }
                    }
                    Ok(StreamItem::Done) => done = true,
                    Ok(_) => {}
                    Err(e) => errors.push(e.to_string()),
                }
            }
            if let Err(e) = decoder.finish() {
                errors.push(e.to_string());
            }
            json!({
                "reasoning": reasoning, "content": content, "tool_call_fragments": fragments,
                "finish_reasons": finish, "usage": usage, "done": done, "errors": errors,
            })
        }
        response::BodyKind::EventStream => {
            let mut decoder = StreamDecoder::<Value>::new();
            decoder.push(&case.body);
            let items: Vec<_> = (&mut decoder).collect();
            json!({
                "events": items.len(),
                "errors": items.iter().filter_map(|i| i.as_ref().err()).map(ToString::to_string).collect::<Vec<_>>(),
                "end": decoder.finish().err().map(|e| e.to_string()),
            })
        }
        response::BodyKind::Json if chat => match response::decode_json::<ChatCompletion>(meta.status, &case.body) {
            Ok(reply) => json!(reply.choices.iter().map(|c| json!({
                "reasoning": c.message.reasoning,
                "content": match &c.message.content {
                    Some(Content::Text(t)) => Some(t.clone()),
                    Some(other) => Some(format!("{other:?}")),
                    None => None,
                },
                "tool_calls": c.message.tool_calls.iter().flatten().map(|t| json!({
                    "id": t.id, "index": t.index, "name": t.function.name, "arguments": t.function.arguments,
                })).collect::<Vec<_>>(),
                "finish_reason": c.finish_reason.as_ref().map(|r| r.as_str().to_owned()),
                "usage": reply.usage,
            })).collect::<Vec<_>>()),
            Err(e) => json!({"error": e.to_string()}),
        },
        response::BodyKind::Json if meta.endpoint == "/v1/embeddings" => {
            match response::decode_json::<openai_wire::embeddings::CreateEmbeddingResponse>(meta.status, &case.body) {
                Ok(reply) => json!({
                    "model": reply.model,
                    "embeddings": reply.embeddings().map(|e| match &e.embedding {
                        openai_wire::embeddings::EmbeddingVector::Float(v) => json!({"index": e.index, "float": v}),
                        openai_wire::embeddings::EmbeddingVector::Base64(b) => json!({"index": e.index, "base64": b}),
                        other => json!({"index": e.index, "other": format!("{other:?}")}),
                    }).collect::<Vec<_>>(),
                    "usage": [reply.usage.prompt_tokens, reply.usage.total_tokens],
                }),
                Err(e) => json!({"error": e.to_string()}),
            }
        }
        response::BodyKind::Json if meta.endpoint.starts_with("/v1/images/") => {
            match response::decode_json::<openai_wire::images::ImagesResponse>(meta.status, &case.body) {
                Ok(reply) => json!({
                    "created": reply.created,
                    "images": reply.data.iter().map(|i| json!({"url": i.url, "b64_json": i.b64_json})).collect::<Vec<_>>(),
                }),
                Err(e) => json!({"error": e.to_string()}),
            }
        }
        response::BodyKind::Json if meta.endpoint == "/v1/audio/transcriptions" => {
            match response::decode_json::<openai_wire::audio::Transcription>(meta.status, &case.body) {
                Ok(reply) => json!({"text": reply.text}),
                Err(e) => json!({"error": e.to_string()}),
            }
        }
        response::BodyKind::Json => match response::decode_json::<Value>(meta.status, &case.body) {
            Ok(v) => json!({"keys": v.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>())}),
            Err(e) => json!({"error": e.to_string()}),
        },
        _ => {
            let e = response::decode_error_body(meta.status, &case.body);
            json!({"status": meta.status, "error": e.message()})
        }
    }
}

fn reduce_ollama(case: &Case) -> Value {
    let meta = &case.meta;
    if classify(meta.status, meta.content_type.as_deref()) == BodyKind::Error {
        let e = decode_error_body(&case.body);
        return json!({"status": meta.status, "error": e.error, "signin_url": e.signin_url});
    }
    if case.body.is_empty() {
        return json!({"status": meta.status, "empty": true});
    }
    match meta.endpoint.as_str() {
        "/" => json!({"text": String::from_utf8_lossy(&case.body)}),
        "/api/create" | "/api/pull" | "/api/push" => {
            let (items, _) = decode_items::<ProgressResponse>(&case.body, SplitPlan::Whole);
            json!(items.iter().map(|item| match item {
                Item::Chunk(p) => json!({"status": p.status, "digest": p.digest, "total": p.total, "completed": p.completed}),
                Item::Error(e) => json!({"error": e}),
            }).collect::<Vec<_>>())
        }
        "/api/ps" => {
            let ps: ProcessResponse = decode_json(meta.status, &case.body).unwrap();
            json!(
                ps.models
                    .iter()
                    .map(|m| json!({
                        "name": m.name, "size": m.size, "size_vram": m.size_vram,
                        "context_length": m.context_length, "expires_at": m.expires_at,
                        "family": m.details.family,
                    }))
                    .collect::<Vec<_>>()
            )
        }
        "/api/chat" => {
            let (items, _) = decode_items::<ChatResponse>(&case.body, SplitPlan::Whole);
            let mut acc = ChatAccumulator::new();
            let mut errors = Vec::new();
            for item in items {
                match item {
                    Item::Chunk(c) => acc.push(c),
                    Item::Error(e) => errors.push(e),
                }
            }
            let reply = acc.finish();
            json!({
                "thinking": reply.message.thinking(),
                "content": reply.message.content,
                "tool_calls": reply.message.tool_calls().iter().map(|c| json!({
                    "id": c.id, "index": c.function.index, "name": c.function.name,
                    "arguments": c.function.arguments.as_str(),
                })).collect::<Vec<_>>(),
                "done": reply.done,
                "done_reason": reply.done_reason.as_ref().map(|r| r.as_str()),
                "eval_count": reply.metrics.eval_count,
                "prompt_eval_count": reply.metrics.prompt_eval_count,
                "errors": errors,
            })
        }
        "/api/generate" => {
            let (items, _) = decode_items::<GenerateResponse>(&case.body, SplitPlan::Whole);
            let mut response = String::new();
            let mut thinking = String::new();
            let mut last = None;
            let mut errors = Vec::new();
            for item in items {
                match item {
                    Item::Chunk(c) => {
                        response.push_str(&c.response);
                        thinking.push_str(c.thinking.as_deref().unwrap_or(""));
                        last = Some(c);
                    }
                    Item::Error(e) => errors.push(e),
                }
            }
            json!({
                "thinking": thinking,
                "response": response,
                "done": last.as_ref().map(|c| c.done),
                "done_reason": last.as_ref().and_then(|c| c.done_reason.as_ref()).map(|r| r.as_str()),
                "context_len": last.as_ref().and_then(|c| c.context.as_ref()).map(Vec::len),
                "eval_count": last.as_ref().and_then(|c| c.metrics.eval_count),
                "errors": errors,
            })
        }
        "/api/tags" => {
            let tags: ListResponse = decode_json(meta.status, &case.body).unwrap();
            // Through the catalog without /api/show: rows that carry capabilities and a context
            // length are derived from the listing alone, the rest say what is missing.
            let plan = DiscoveryPlan::new(BaseUrl::default_local())
                .with_show_policy(ShowPolicy::WhenTagsSuffice);
            let derived = catalog_json(&plan.derive(&tags, &ShowResults::new()));
            json!({"catalog": derived, "models": tags.models.iter().map(|m| json!({
                "id": m.id(), "family": m.details.family, "cloud": m.remote_host.is_some(),
                "context_length": m.details.context_length,
                "capabilities": m.capabilities.as_ref().map(|c| c.iter().map(|c| c.as_str()).collect::<Vec<_>>()),
            })).collect::<Vec<_>>()})
        }
        "/api/show" => {
            let show: ShowResponse = decode_json(meta.status, &case.body).unwrap();
            // Through the catalog as the only model of a listing, named after the case.
            let tags: ListResponse = decode_json(
                200,
                json!({"models": [{"name": case.id, "model": case.id}]})
                    .to_string()
                    .as_bytes(),
            )
            .unwrap();
            let shows = ShowResults::from([(case.id.clone(), Ok(show.clone()))]);
            let derived =
                catalog_json(&DiscoveryPlan::new(BaseUrl::default_local()).derive(&tags, &shows));
            let info = show.model_info.as_ref();
            json!({
                "catalog": derived,
                "architecture": info.and_then(|i| i.architecture()),
                "context_length": info.and_then(|i| i.context_length()),
                "capabilities": show.capabilities.as_ref().map(|c| c.iter().map(|c| c.as_str()).collect::<Vec<_>>()),
                "remote_host": show.remote_host,
                "tensors": show.tensors.as_ref().map(Vec::len),
            })
        }
        "/api/version" => {
            let v: VersionResponse = decode_json(meta.status, &case.body).unwrap();
            json!({"version": v.version})
        }
        "/api/status" => {
            let s: ollama_wire::StatusResponse = decode_json(meta.status, &case.body).unwrap();
            json!({"cloud_disabled": s.cloud.disabled, "source": s.cloud.source})
        }
        other => json!({"unsupported_endpoint": other}),
    }
}

/// A derived catalog as its pasteable config plus the diagnostics.
fn catalog_json(catalog: &ollama_catalog::Catalog) -> Value {
    json!({
        "config": serde_json::to_value(catalog.to_config()).unwrap(),
        "diagnostics": catalog.diagnostics.iter().map(ToString::to_string).collect::<Vec<_>>(),
    })
}

#[test]
fn reduced_replies_match_snapshots() {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for case in corpus() {
            insta::assert_json_snapshot!(format!("{}__{}", case.wire, case.id), reduce(case));
        }
    });
}

/// Cases that carry the same answer on both wires reduce to the same message (usage is compared
/// only when both sides report it: Ollama's /v1 layer sends it only on request).
#[test]
fn same_answer_on_both_wires_reduces_to_the_same_message() {
    use conformance::pipeline::{Input, reduced_json, replay};
    let reduce = |case: &Case| {
        reduced_json(&replay(&Input {
            body: &case.body,
            wire: Some(case.wire),
            status: Some(case.meta.status),
            content_type: case.meta.content_type.as_deref(),
        }))
    };
    let mut pairs = 0;
    for case in corpus() {
        let Some(other) = &case.meta.same_answer_as else {
            continue;
        };
        let twin = corpus()
            .iter()
            .find(|c| &format!("{}/{}", c.wire, c.id) == other)
            .unwrap_or_else(|| panic!("{}: same_answer_as names unknown case {other}", case.id));
        assert_ne!(twin.wire, case.wire, "{}: a pair spans both wires", case.id);
        let (mut a, mut b) = (reduce(case), reduce(twin));
        if a["usage"].is_null() || b["usage"].is_null() {
            a["usage"] = Value::Null;
            b["usage"] = Value::Null;
        }
        assert_eq!(a, b, "{} vs {other}", case.id);
        assert_eq!(a["error"], Value::Null, "{}", case.id);
        pairs += 1;
    }
    assert!(
        pairs >= 2,
        "expected at least two cross-wire pairs, found {pairs}"
    );
}
