//! Non-stream replies in translate mode: the merged stream folded ([`Reducer`]) and written at
//! its finish as the client wire's one JSON body — Ollama's `/api/chat` and `/api/generate`
//! objects, `chat.completion`, `text_completion`, the Responses `response` object, the
//! Anthropic `message` — with the wire crates' typed values. A stream that fails (an upstream
//! error, a cut) gives the client wire's error body instead ([`ErrorShape`]).
//!
//! Why stream from the upstream anyway: one path, the same join and the same repairs for
//! every client, streamed or not; the upstream's own non-stream body would need a second
//! decoder per wire, and its faults would surface differently.

use ollama_stream_merge::to_responses::ResponsesEventEncoder;
use ollama_stream_merge::{Event, Finish, FinishReason, MergeError, MergedToolCall, Reducer};

use crate::repair::{Fallback, Observe, Output, Wire, responses_encoder, rfc3339};
use crate::route::ErrorShape;

/// The codec of a non-stream translated reply.
#[derive(Debug)]
pub(crate) struct Whole {
    client: Wire,
    fallback: Fallback,
    reducer: Reducer,
    /// The Responses reply is the terminal event of the stream encoder, whose output items
    /// (ids, parts, statuses) are the Responses API's own.
    responses: Option<(ResponsesEventEncoder, Vec<u8>)>,
    ended: bool,
}

impl Whole {
    pub(crate) fn new(client: Wire, fallback: Fallback) -> Self {
        let responses =
            (client == Wire::Responses).then(|| (responses_encoder(&fallback), Vec::new()));
        Self {
            client,
            fallback,
            reducer: Reducer::new(),
            responses,
            ended: false,
        }
    }

    fn shape(&self) -> ErrorShape {
        match self.client {
            Wire::Ollama | Wire::OllamaGenerate => ErrorShape::Ollama,
            Wire::OpenAi | Wire::Completions | Wire::Responses => ErrorShape::OpenAi,
            Wire::Anthropic => ErrorShape::Anthropic,
        }
    }

    fn body(&mut self, finish: &Finish) -> Result<Vec<u8>, String> {
        let message = self.reducer.message();
        let f = &self.fallback;
        let err = |e: serde_json::Error| e.to_string();
        match self.client {
            Wire::Ollama => {
                let mut r = ollama_wire::ChatResponse::default();
                r.model.clone_from(&f.model);
                r.created_at = Some(rfc3339(f.created));
                r.message = ollama_wire::Message::new("assistant", message.content.clone());
                r.message.thinking = non_empty(&message.reasoning);
                let calls = native_calls(&message.tool_calls);
                r.message.tool_calls = (!calls.is_empty()).then_some(calls);
                r.done = true;
                r.done_reason = Some(done_reason(finish));
                r.metrics = metrics(finish);
                ollama_wire::Encoder::new().to_vec(&r).map_err(err)
            }
            Wire::OllamaGenerate => {
                let mut r = ollama_wire::GenerateResponse::default();
                r.model.clone_from(&f.model);
                r.created_at = Some(rfc3339(f.created));
                r.response.clone_from(&message.content);
                r.thinking = non_empty(&message.reasoning);
                let calls = native_calls(&message.tool_calls);
                r.tool_calls = (!calls.is_empty()).then_some(calls);
                r.done = true;
                r.done_reason = Some(done_reason(finish));
                r.metrics = metrics(finish);
                ollama_wire::Encoder::new().to_vec(&r).map_err(err)
            }
            Wire::OpenAi => {
                let calls: Vec<serde_json::Value> = message
                    .tool_calls
                    .iter()
                    .map(|call| {
                        serde_json::json!({
                            "id": call.id,
                            "type": "function",
                            "function": {"name": call.name, "arguments": call.raw_arguments},
                        })
                    })
                    .collect();
                let mut reply = serde_json::Map::new();
                reply.insert("role".into(), "assistant".into());
                reply.insert("content".into(), message.content.clone().into());
                if !message.reasoning.is_empty() {
                    reply.insert("reasoning".into(), message.reasoning.clone().into());
                }
                if !calls.is_empty() {
                    reply.insert("tool_calls".into(), calls.into());
                }
                let choice = serde_json::json!({
                    "index": 0,
                    "message": reply,
                    "finish_reason": openai_reason(finish, false),
                });
                openai_body::<openai_wire::chat::ChatCompletion>(
                    f,
                    "chatcmpl-relay-",
                    "chat.completion",
                    choice,
                    finish,
                )
            }
            Wire::Completions => {
                let choice = serde_json::json!({
                    "text": message.content,
                    "index": 0,
                    "finish_reason": openai_reason(finish, true),
                });
                openai_body::<openai_wire::completions::Completion>(
                    f,
                    "cmpl-relay-",
                    "text_completion",
                    choice,
                    finish,
                )
            }
            Wire::Responses => {
                let (mut encoder, mut events) = self
                    .responses
                    .take()
                    .ok_or_else(|| "the Responses reply was already written".to_owned())?;
                encoder
                    .encode(&Event::Finish(finish.clone()), &mut events)
                    .map_err(|e| e.to_string())?;
                let response = terminal_response(&events)?;
                openai_wire::Encoder::new().to_vec(&response).map_err(err)
            }
            Wire::Anthropic => {
                use anthropic_wire::messages::{
                    AnthropicMessage, AnthropicUsage, ContentBlock, TextBlock, ThinkingBlock,
                    ToolUseBlock,
                };
                let mut reply = AnthropicMessage::new(format!("msg_relay{}", f.created), &f.model);
                if !message.reasoning.is_empty() {
                    let mut block = ThinkingBlock::new(message.reasoning.clone());
                    block.signature = Some(String::new());
                    reply.content.push(ContentBlock::Thinking(block));
                }
                if !message.content.is_empty() {
                    reply
                        .content
                        .push(ContentBlock::Text(TextBlock::new(message.content.clone())));
                }
                for call in valid_calls(&message.tool_calls) {
                    let input = anthropic_wire::RawJson::from_json(call.raw_arguments_or_empty())
                        .map_err(err)?;
                    reply.content.push(ContentBlock::ToolUse(ToolUseBlock::new(
                        call.id.clone(),
                        call.name.clone(),
                        input,
                    )));
                }
                reply.stop_reason = Some(ollama_stream_merge::to_anthropic::stop_reason(finish));
                let usage = finish.usage.unwrap_or_default();
                reply.usage = AnthropicUsage::new(
                    usage.input_tokens.unwrap_or(0),
                    usage.output_tokens.unwrap_or(0),
                );
                serde_json::to_vec(&reply).map_err(err)
            }
        }
    }
}

impl Output for Whole {
    fn encode(&mut self, event: &Event, out: &mut Vec<u8>) -> Result<(), String> {
        if self.ended {
            return Ok(());
        }
        if let Some((encoder, events)) = &mut self.responses {
            if !matches!(event, Event::Finish(_)) {
                encoder.encode(event, events).map_err(|e| e.to_string())?;
            }
        }
        match event {
            Event::Error {
                error: MergeError::Upstream(error),
            } => {
                self.ended = true;
                out.extend(
                    self.shape()
                        .body(hyper::StatusCode::BAD_GATEWAY, &error.message),
                );
                Ok(())
            }
            Event::Finish(finish) => {
                self.ended = true;
                if matches!(
                    finish.reason,
                    FinishReason::Incomplete | FinishReason::Error
                ) {
                    out.extend(
                        self.shape()
                            .body(hyper::StatusCode::BAD_GATEWAY, "the upstream reply failed"),
                    );
                    return Ok(());
                }
                let body = self.body(finish)?;
                out.extend(body);
                Ok(())
            }
            other => {
                self.reducer.push(other);
                Ok(())
            }
        }
    }
}

impl<Item> Observe<Item> for Whole {
    fn observe(&mut self, _: &Item) {}
}

fn non_empty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_owned())
}

/// The calls whose arguments parsed (a call with broken arguments has no object to write; the
/// merger reported it).
fn valid_calls(calls: &[MergedToolCall]) -> impl Iterator<Item = &MergedToolCall> {
    calls.iter().filter(|c| c.is_valid())
}

trait RawOrEmpty {
    fn raw_arguments_or_empty(&self) -> String;
}

impl RawOrEmpty for MergedToolCall {
    fn raw_arguments_or_empty(&self) -> String {
        if self.raw_arguments.trim().is_empty() {
            "{}".to_owned()
        } else {
            self.raw_arguments.clone()
        }
    }
}

fn native_calls(calls: &[MergedToolCall]) -> Vec<ollama_wire::ToolCall> {
    valid_calls(calls)
        .filter_map(|call| {
            let arguments =
                ollama_wire::ToolCallFunctionArguments::from_json(&call.raw_arguments_or_empty())
                    .ok()?;
            let mut native = ollama_wire::ToolCall::new(call.name.clone(), arguments);
            native.id = Some(call.id.clone());
            Some(native)
        })
        .collect()
}

fn done_reason(finish: &Finish) -> ollama_wire::DoneReason {
    use ollama_wire::DoneReason;
    match finish.reason {
        FinishReason::ToolCalls | FinishReason::Stop => DoneReason::Stop,
        FinishReason::Length => DoneReason::Length,
        other => DoneReason::from(finish.raw_reason.as_deref().unwrap_or(other.as_str())),
    }
}

fn metrics(finish: &Finish) -> ollama_wire::Metrics {
    let mut metrics = ollama_wire::Metrics::default();
    if let Some(usage) = &finish.usage {
        metrics.total_duration = usage.durations.total;
        metrics.load_duration = usage.durations.load;
        metrics.prompt_eval_count = usage.input_tokens;
        metrics.prompt_eval_duration = usage.durations.prompt_eval;
        metrics.eval_count = usage.output_tokens;
        metrics.eval_duration = usage.durations.eval;
    }
    metrics
}

fn openai_reason(finish: &Finish, completions: bool) -> String {
    match finish.reason {
        FinishReason::ToolCalls if completions => "stop".to_owned(),
        FinishReason::Other => finish.raw_reason.clone().unwrap_or_else(|| "stop".into()),
        other => other.as_str().to_owned(),
    }
}

/// An OpenAI reply body of type `T` (its `object` named so) with one `choice`: the relay's
/// id (`id_prefix` and the fallback's time), the fallback's time and model, and the finish's
/// usage.
fn openai_body<T>(
    f: &Fallback,
    id_prefix: &str,
    object: &str,
    choice: serde_json::Value,
    finish: &Finish,
) -> Result<Vec<u8>, String>
where
    T: serde::de::DeserializeOwned + serde::Serialize,
{
    let usage = finish.usage.unwrap_or_default();
    let value = serde_json::json!({
        "id": format!("{id_prefix}{}", f.created),
        "object": object,
        "created": f.created,
        "model": f.model,
        "choices": [choice],
        "usage": openai_usage(&usage),
    });
    let typed: T = serde_json::from_value(value).map_err(|e| e.to_string())?;
    openai_wire::Encoder::new()
        .to_vec(&typed)
        .map_err(|e| e.to_string())
}

fn openai_usage(usage: &ollama_stream_merge::Usage) -> serde_json::Value {
    let prompt = usage.input_tokens.unwrap_or(0);
    let completion = usage.output_tokens.unwrap_or(0);
    serde_json::json!({
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": usage.total_tokens.unwrap_or(prompt.saturating_add(completion)),
    })
}

/// The `response` of the last terminal event the Responses encoder wrote.
fn terminal_response(events: &[u8]) -> Result<openai_wire::responses::Response, String> {
    use openai_wire::responses::{ResponseStreamEvent, ResponsesStreamDecoder};
    let mut decoder = ResponsesStreamDecoder::new();
    decoder.push(events);
    let mut last = None;
    for event in &mut decoder {
        match event {
            Ok(ResponseStreamEvent::Completed(e) | ResponseStreamEvent::Incomplete(e)) => {
                last = Some(e.response);
            }
            Ok(_) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
    last.ok_or_else(|| "the Responses encoder wrote no terminal event".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ollama_stream_merge::{Delta, ToolCallFragment, merge};

    fn whole(client: Wire, deltas: Vec<Delta>) -> serde_json::Value {
        let mut codec = Whole::new(client, Fallback::new("m", 1_768_064_130));
        let mut out = Vec::new();
        for event in merge(deltas, ollama_stream_merge::Options::default()) {
            codec.encode(&event, &mut out).unwrap();
        }
        serde_json::from_slice(&out).unwrap()
    }

    fn reply() -> Vec<Delta> {
        vec![
            Delta::reasoning("Hmm.").with_content("Hi"),
            Delta::tool_call(
                ToolCallFragment::whole("get_time", r#"{"tz":"UTC"}"#).with_id("call_1"),
            ),
            Delta::finish(Some("stop")),
        ]
    }

    #[test]
    fn ollama_chat_body() {
        assert_eq!(
            whole(Wire::Ollama, reply()),
            serde_json::json!({
                "model": "m", "created_at": "2026-01-10T16:55:30Z",
                "message": {"role": "assistant", "content": "Hi", "thinking": "Hmm.",
                    "tool_calls": [{"id": "call_1", "function": {"name": "get_time", "arguments": {"tz": "UTC"}}}]},
                "done": true, "done_reason": "stop",
            })
        );
    }

    #[test]
    fn openai_chat_body() {
        assert_eq!(
            whole(Wire::OpenAi, reply()),
            serde_json::json!({
                "id": "chatcmpl-relay-1768064130", "object": "chat.completion",
                "created": 1_768_064_130, "model": "m",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi", "reasoning": "Hmm.",
                    "tool_calls": [{"id": "call_1", "type": "function",
                        "function": {"name": "get_time", "arguments": "{\"tz\":\"UTC\"}"}}]},
                    "finish_reason": "tool_calls"}],
                "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
            })
        );
    }

    #[test]
    fn anthropic_body() {
        assert_eq!(
            whole(Wire::Anthropic, reply()),
            serde_json::json!({
                "id": "msg_relay1768064130", "type": "message", "role": "assistant", "model": "m",
                "content": [
                    {"type": "thinking", "thinking": "Hmm.", "signature": ""},
                    {"type": "text", "text": "Hi"},
                    {"type": "tool_use", "id": "call_1", "name": "get_time", "input": {"tz": "UTC"}},
                ],
                "stop_reason": "tool_use",
                "usage": {"input_tokens": 0, "output_tokens": 0},
            })
        );
    }

    #[test]
    fn completions_and_generate_bodies() {
        let text = vec![Delta::content("Once"), Delta::finish(Some("length"))];
        let body = whole(Wire::Completions, text.clone());
        assert_eq!(body["choices"][0]["text"], "Once");
        assert_eq!(body["choices"][0]["finish_reason"], "length");
        assert_eq!(body["object"], "text_completion");
        let body = whole(Wire::OllamaGenerate, text);
        assert_eq!(body["response"], "Once");
        assert_eq!(body["done_reason"], "length");
    }

    #[test]
    fn responses_body_is_the_terminal_response() {
        let body = whole(Wire::Responses, reply());
        assert_eq!(body["object"], "response");
        assert_eq!(body["status"], "completed");
        let kinds: Vec<&str> = body["output"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["type"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["reasoning", "message", "function_call"]);
        assert_eq!(body["output"][2]["call_id"], "call_1");
    }

    #[test]
    fn an_upstream_error_is_the_wires_error_body() {
        let body = whole(
            Wire::Anthropic,
            vec![
                Delta::content("a"),
                Delta::error(ollama_stream_merge::UpstreamError::new("boom")),
            ],
        );
        assert_eq!(
            body,
            serde_json::json!({"type": "error", "error": {"type": "api_error", "message": "boom"}})
        );
    }
}
