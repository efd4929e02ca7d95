//! A whole response body through the crates: wire decoder → `stream-merge` → reduced message.
//!
//! This is what `conformance replay` prints, and what the corpus tests compare across wires.

use ollama_wire::{
    ChatStreamDecoder, DecodeError, GenerateStreamDecoder, StreamChunk, StreamDecoder,
};
use openai_wire::chat::{ChatCompletion, Content};
use openai_wire::chunks::{ChunkDecoder, StreamItem};
use openai_wire::response::{ResponseKind, classify_response, decode_error_body};
use serde_json::{Value, json};
use stream_merge::{
    Delta, Event, FinishReason, FinishSignal, Merger, Reducer, ToolCallFragment, UpstreamError,
    Usage,
};

use crate::corpus::Wire;

/// How to read a body.
#[derive(Debug, Clone, Default)]
pub struct Input<'a> {
    /// The body bytes exactly as received.
    pub body: &'a [u8],
    /// The wire, or `None` to detect it from the bytes.
    pub wire: Option<Wire>,
    /// HTTP status, when known (a non-2xx status makes the body an error).
    pub status: Option<u16>,
    /// `Content-Type`, when known.
    pub content_type: Option<&'a str>,
}

/// The result of a replay.
#[derive(Debug, Clone)]
pub struct Replay {
    /// The wire the body was read as.
    pub wire: Wire,
    /// The merge events, `Finish` last.
    pub events: Vec<Event>,
    /// Decode errors that have no place in the merge (malformed lines, data after the end, a
    /// stream cut after its finish signal), as messages.
    pub decode_errors: Vec<String>,
}

/// Detects the wire from the bytes: SSE field lines mean the OpenAI-compatible wire; a JSON
/// object with `choices`, `object: chat.completion…` or an error *object* too; anything else is
/// read as Ollama's native wire.
pub fn detect_wire(body: &[u8]) -> Wire {
    let text = body
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(body)
        .trim_ascii_start();
    let sse_prefixes: [&[u8]; 5] = [b"data:", b"event:", b"id:", b"retry:", b":"];
    if sse_prefixes.iter().any(|p| text.starts_with(p)) {
        return Wire::OpenAi;
    }
    let first_line = text.split(|b| *b == b'\n').next().unwrap_or_default();
    match serde_json::from_slice::<Value>(first_line) {
        Ok(Value::Object(o))
            if o.contains_key("choices")
                || o.get("object")
                    .and_then(Value::as_str)
                    .is_some_and(|s| s.starts_with("chat.completion"))
                || o.get("error").is_some_and(Value::is_object) =>
        {
            Wire::OpenAi
        }
        _ => Wire::Ollama,
    }
}

/// Replays a body.
pub fn replay(input: &Input<'_>) -> Replay {
    let wire = input.wire.unwrap_or_else(|| detect_wire(input.body));
    let mut merger = Merger::new();
    let mut decode_errors = Vec::new();
    let failed = input.status.is_some_and(|s| !(200..300).contains(&s));
    match wire {
        Wire::Ollama if failed => {
            let error = ollama_wire::error_from_body(input.body);
            merger.push(Delta::error(UpstreamError::from(&error)));
        }
        Wire::Ollama => {
            if first_object_has(input.body, "response") {
                native::<_>(
                    GenerateStreamDecoder::new(),
                    input.body,
                    &mut merger,
                    &mut decode_errors,
                );
            } else {
                native::<_>(
                    ChatStreamDecoder::new(),
                    input.body,
                    &mut merger,
                    &mut decode_errors,
                );
            }
        }
        Wire::OpenAi => openai(input, &mut merger, &mut decode_errors),
    }
    merger.finish();
    Replay {
        wire,
        events: merger.drain().collect(),
        decode_errors,
    }
}

fn first_object_has(body: &[u8], key: &str) -> bool {
    body.split(|b| *b == b'\n')
        .find(|l| !l.trim_ascii().is_empty())
        .and_then(|l| serde_json::from_slice::<Value>(l).ok())
        .is_some_and(|v| v.get(key).is_some())
}

fn native<T>(
    mut decoder: StreamDecoder<T>,
    body: &[u8],
    merger: &mut Merger,
    decode_errors: &mut Vec<String>,
) where
    T: StreamChunk + Into<Delta>,
{
    decoder.push(body);
    decoder.end();
    while let Some(item) = decoder.next() {
        match item {
            Ok(chunk) => merger.push(chunk.into()),
            Err(DecodeError::Upstream { error, .. }) => {
                merger.push(Delta::error(UpstreamError::from(&error)));
            }
            // The merger reports a missing finish itself.
            Err(DecodeError::Truncated { .. }) => {}
            Err(other) => decode_errors.push(other.to_string()),
        }
    }
}

fn openai(input: &Input<'_>, merger: &mut Merger, decode_errors: &mut Vec<String>) {
    let kind = match (input.status, input.content_type) {
        (None, None) if input.body.trim_ascii_start().starts_with(b"{") => ResponseKind::Json,
        (None, None) => ResponseKind::EventStream,
        (status, content_type) => classify_response(status.unwrap_or(200), content_type),
    };
    match kind {
        ResponseKind::EventStream => {
            let mut decoder: ChunkDecoder = ChunkDecoder::new();
            decoder.push(input.body);
            for item in &mut decoder {
                match item {
                    Ok(StreamItem::Chunk(chunk)) => merger.push(chunk.into()),
                    Ok(_) => {}
                    Err(openai_wire::Error::Upstream(e)) => {
                        merger.push(Delta::error(UpstreamError::from(e.as_ref())));
                    }
                    Err(e) => decode_errors.push(e.to_string()),
                }
            }
            if let Err(e) = decoder.finish() {
                // Without a finish signal the merger reports the cut itself; after one, the
                // missing `[DONE]` is still worth saying.
                if !merger.is_finished() {
                    decode_errors.push(e.to_string());
                }
            }
        }
        ResponseKind::Json => {
            match openai_wire::response::decode_json_body::<ChatCompletion>(
                input.status.unwrap_or(200),
                input.body,
            ) {
                Ok(reply) => merger.push(completion_delta(&reply)),
                Err(openai_wire::Error::Upstream(e)) => {
                    merger.push(Delta::error(UpstreamError::from(e.as_ref())));
                }
                Err(e) => decode_errors.push(e.to_string()),
            }
        }
        _ => {
            let error = decode_error_body(input.status.unwrap_or(500), input.body);
            merger.push(Delta::error(UpstreamError::from(&error)));
        }
    }
}

/// A non-stream reply as one delta carrying the whole first choice.
fn completion_delta(reply: &ChatCompletion) -> Delta {
    let mut delta = Delta::new();
    if let Some(choice) = reply.choices.iter().find(|c| c.index == 0) {
        let m = &choice.message;
        delta = delta.with_reasoning(m.reasoning.clone().unwrap_or_default());
        if let Some(Content::Text(text)) = &m.content {
            delta = delta.with_content(text.clone());
        }
        for (i, call) in m.tool_calls.iter().flatten().enumerate() {
            let mut fragment = ToolCallFragment::whole(
                call.function.name.clone(),
                call.function.arguments.clone(),
            )
            .with_index(call.index.unwrap_or(i as u32));
            if let Some(id) = &call.id {
                fragment = fragment.with_id(id.clone());
            }
            delta = delta.with_tool_call(fragment);
        }
        delta = delta.with_finish(FinishSignal::new(
            choice.finish_reason.as_ref().map(|r| r.as_str()),
        ));
    }
    if let Some(u) = &reply.usage {
        delta = delta.with_usage(Usage::new(u.prompt_tokens, u.completion_tokens));
    }
    delta
}

/// The reduced message of a replay, in the documented JSON shape.
pub fn reduced_json(replay: &Replay) -> Value {
    let message = Reducer::reduce(replay.events.iter().cloned());
    let finish = message.finish.as_ref();
    let finish_reason = finish.map_or("incomplete".to_owned(), |f| match f.reason {
        FinishReason::Stop
        | FinishReason::Length
        | FinishReason::ToolCalls
        | FinishReason::Error
        | FinishReason::Incomplete => f.reason.as_str().to_owned(),
        _ => f
            .raw_reason
            .clone()
            .unwrap_or_else(|| f.reason.as_str().to_owned()),
    });
    let usage = finish.and_then(|f| f.usage.as_ref()).map(|u| {
        json!({"input_tokens": u.input_tokens.unwrap_or(0), "output_tokens": u.output_tokens.unwrap_or(0)})
    });
    let error = message
        .errors
        .iter()
        .map(ToString::to_string)
        .chain(replay.decode_errors.iter().cloned())
        .collect::<Vec<_>>();
    json!({
        "reasoning": message.reasoning,
        "content": message.content,
        "tool_calls": message.tool_calls.iter().map(|c| json!({
            "id": c.id,
            "name": c.name,
            "arguments": match &c.arguments {
                Ok(args) => args.to_value().unwrap_or(Value::Null),
                // Not an object: the raw text, and the reason is in `error`.
                Err(_) => Value::String(c.raw_arguments.clone()),
            },
        })).collect::<Vec<_>>(),
        "finish_reason": finish_reason,
        "usage": usage,
        "error": if error.is_empty() { Value::Null } else { Value::String(error.join("; ")) },
    })
}

/// One merge event in the CLI's JSON shape: a `"type"` on every object, and a block start's
/// `kind` (and tool-call id and name) at the top level.
pub fn event_json(event: &Event) -> Value {
    let mut value = serde_json::to_value(event).unwrap_or(Value::Null);
    if let Some(obj) = value.as_object_mut() {
        if let Some(Value::Object(block)) = obj.remove("block") {
            obj.extend(block);
        }
    }
    value
}
