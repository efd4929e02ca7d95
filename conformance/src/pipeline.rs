//! A whole response body through the crates: wire decoder → `stream-merge` → reduced message.
//!
//! This is what `conformance replay` prints, and what the corpus tests compare across wires.

use ollama_stream_merge::{
    Event, FinishReason, Merger, Reducer, Wire as StreamWire, WireStreamDecoder, merge_body,
};
use openai_wire::chat::ChatCompletion;
use openai_wire::completions::Completion;
use openai_wire::response::{BodyKind, classify, decode_error_body};
use serde_json::{Value, json};

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
    /// The merge events, `Finish` last; decode errors (malformed lines, data after the end, a
    /// stream cut after its finish signal) are error events among them.
    pub events: Vec<Event>,
}

/// Detects the wire from the bytes. An event stream is the wire of the stream
/// [`StreamWire::sniff`] says it is (OpenAI Responses, Anthropic Messages, else the OpenAI chat
/// or completions stream). A
/// JSON body is a Responses reply with `"object":"response"`, an Anthropic one with
/// `"type":"message"` or `"type":"error"`, the OpenAI-compatible wire with `choices`,
/// `object: chat.completion…` or an error *object*; anything else is read as Ollama's native
/// wire.
pub fn detect_wire(body: &[u8]) -> Wire {
    let text = body
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(body)
        .trim_ascii_start();
    match StreamWire::sniff(text) {
        StreamWire::Responses => return Wire::Responses,
        StreamWire::Anthropic => return Wire::Anthropic,
        StreamWire::OpenAi | StreamWire::Completions => return Wire::OpenAi,
        // Not an event stream: NDJSON, or one of the JSON bodies below.
        StreamWire::Ollama | StreamWire::OllamaGenerate => {}
    }
    let first_line = text.split(|b| *b == b'\n').next().unwrap_or_default();
    let object = serde_json::from_slice::<Value>(first_line).ok();
    let field = |key: &str| {
        object
            .as_ref()
            .and_then(|o| o.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    if field("object").as_deref() == Some("response") {
        return Wire::Responses;
    }
    if matches!(field("type").as_deref(), Some("message" | "error")) {
        return Wire::Anthropic;
    }
    match object {
        Some(Value::Object(o))
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

/// Replays a body: the wire decoder and the merger, joined by `stream-merge`.
pub fn replay(input: &Input<'_>) -> Replay {
    let wire = input.wire.unwrap_or_else(|| detect_wire(input.body));
    let failed = input.status.is_some_and(|s| !(200..300).contains(&s));
    let events = match wire {
        Wire::Ollama if failed => whole(ollama_wire::decode_error_body(input.body)),
        Wire::Ollama => match StreamWire::sniff(input.body) {
            StreamWire::OllamaGenerate => merged(StreamWire::OllamaGenerate, input.body),
            _ => merged(StreamWire::Ollama, input.body),
        },
        Wire::OpenAi => openai(input),
        Wire::Responses => responses(input),
        Wire::Anthropic => anthropic(input),
    };
    Replay { wire, events }
}

/// How a body of an event-stream wire is read: by its content type; without one, by its first byte
/// (a JSON object or SSE). A status alone does not make a 2xx body JSON.
fn body_kind(input: &Input<'_>) -> BodyKind {
    match (input.status, input.content_type) {
        (status, None) if status.is_none_or(|s| (200..300).contains(&s)) => {
            if input.body.trim_ascii_start().starts_with(b"{") {
                BodyKind::Json
            } else {
                BodyKind::EventStream
            }
        }
        (status, content_type) => classify(status.unwrap_or(200), content_type),
    }
}

/// An OpenAI Responses body: the event stream, a whole response, or an error body.
fn responses(input: &Input<'_>) -> Vec<Event> {
    use openai_wire::responses::Response;
    let status = input.status.unwrap_or(200);
    match body_kind(input) {
        BodyKind::EventStream => merged(StreamWire::Responses, input.body),
        BodyKind::Json => whole(openai_wire::response::decode_json::<Response>(
            status, input.body,
        )),
        _ => whole(decode_error_body(input.status.unwrap_or(500), input.body)),
    }
}

/// An Anthropic Messages body: the event stream, a whole message, or an error body.
fn anthropic(input: &Input<'_>) -> Vec<Event> {
    use anthropic_wire::messages::AnthropicMessage;
    let status = input.status.unwrap_or(200);
    // `BodyKind` and `classify` are `sse_wire`'s in both SSE wire crates.
    match body_kind(input) {
        BodyKind::EventStream => merged(StreamWire::Anthropic, input.body),
        BodyKind::Json => whole(anthropic_wire::response::decode_json::<AnthropicMessage>(
            status, input.body,
        )),
        _ => whole(anthropic_wire::response::decode_error_body(
            input.status.unwrap_or(500),
            input.body,
        )),
    }
}

/// A body through the decoder of its stream and the merger.
fn merged(stream: StreamWire, body: &[u8]) -> Vec<Event> {
    merge_body(WireStreamDecoder::new(stream), body, Default::default())
}

/// One whole input (a reply or an error body), then the end of input.
fn whole(input: impl Into<ollama_stream_merge::Input>) -> Vec<Event> {
    let mut merger = Merger::new();
    merger.push(input);
    merger.finish();
    merger.collect()
}

/// The first non-blank line of an NDJSON body, parsed (`None` when it is not JSON).
fn first_line_json(body: &[u8]) -> Option<Value> {
    body.split(|b| *b == b'\n')
        .find(|l| !l.trim_ascii().is_empty())
        .and_then(|l| serde_json::from_slice::<Value>(l).ok())
}

/// Whether an OpenAI-compatible body is a `/v1/completions` reply or stream: its first JSON
/// object (a body, or the first `data:` event) says `"object":"text_completion"`.
fn is_text_completion(body: &[u8]) -> bool {
    let first = body
        .split(|b| *b == b'\n')
        .map(|l| l.trim_ascii())
        .map(|l| l.strip_prefix(b"data:").unwrap_or(l).trim_ascii())
        .find(|l| l.starts_with(b"{"));
    first
        .and_then(|l| serde_json::from_slice::<Value>(l).ok())
        .is_some_and(|v| v.get("object").and_then(Value::as_str) == Some("text_completion"))
}

fn openai(input: &Input<'_>) -> Vec<Event> {
    let kind = body_kind(input);
    let text_completion = is_text_completion(input.body);
    let status = input.status.unwrap_or(200);
    match kind {
        BodyKind::EventStream if text_completion => merged(StreamWire::Completions, input.body),
        BodyKind::EventStream => merged(StreamWire::OpenAi, input.body),
        BodyKind::Json if text_completion => whole(
            openai_wire::response::decode_json::<Completion>(status, input.body),
        ),
        BodyKind::Json => whole(openai_wire::response::decode_json::<ChatCompletion>(
            status, input.body,
        )),
        _ => whole(decode_error_body(input.status.unwrap_or(500), input.body)),
    }
}

/// The id, creation time and default model a translation writes (fixed, so the same input
/// always translates to the same bytes).
pub const TRANSLATED_ID: &str = "conformance";
/// `created` / `created_at` of a translation: 2026-12-01T08:00:00Z.
pub const TRANSLATED_CREATED: i64 = 1_796_112_000;

/// Translates a stream into another wire: the body is replayed (its wire decoder and the
/// merger, as [`replay`] does) and the merge events are re-encoded by the target wire's
/// `stream-merge` encoder: `AnthropicEncoder`, `ResponsesEventEncoder`, `OpenAiEncoder` or
/// `OllamaEncoder`. The message id is `msg_conformance`, `resp_conformance` or
/// `chatcmpl-conformance`, the creation time [`TRANSLATED_CREATED`], the model the source's
/// first object names (else `conformance`).
///
/// What the target bytes say is what the merge said: a cut source ends cut, an upstream error
/// becomes the target's error, and a field the target wire cannot carry is said as the encoder
/// documents (Anthropic's `message_delta` writes `output_tokens: 0` when the source reported no
/// usage).
///
/// # Errors
///
/// A message when the body is not a message stream (a pull, push or create progress stream),
/// or when an encoder cannot write an event.
pub fn translate(input: &Input<'_>, target: Wire) -> Result<Vec<u8>, String> {
    use ollama_stream_merge::to_anthropic::AnthropicEncoder;
    use ollama_stream_merge::to_ollama::OllamaEncoder;
    use ollama_stream_merge::to_openai::OpenAiEncoder;
    use ollama_stream_merge::to_responses::ResponsesEventEncoder;
    if is_progress_stream(input.body) {
        return Err("a progress stream carries no message to translate".to_owned());
    }
    let replay = replay(input);
    let model = source_model(input.body).unwrap_or_else(|| TRANSLATED_ID.to_owned());
    let events = &replay.events;
    match target {
        Wire::Anthropic => {
            let mut encoder = AnthropicEncoder::new(format!("msg_{TRANSLATED_ID}"), model);
            encode_all(target, events, |event, out| encoder.encode(event, out))
        }
        Wire::Responses => {
            let mut encoder = ResponsesEventEncoder::new(
                format!("resp_{TRANSLATED_ID}"),
                TRANSLATED_CREATED,
                model,
            );
            encode_all(target, events, |event, out| encoder.encode(event, out))
        }
        Wire::OpenAi => {
            let mut encoder = OpenAiEncoder::new(
                format!("chatcmpl-{TRANSLATED_ID}"),
                TRANSLATED_CREATED,
                model,
            );
            encode_all(target, events, |event, out| encoder.encode(event, out))
        }
        Wire::Ollama => {
            let mut encoder = OllamaEncoder::new(model, "2026-12-01T08:00:00Z");
            encode_all(target, events, |event, out| encoder.encode(event, out))
        }
    }
}

/// Writes every event with `encode`, one of the `target` wire's encoder's `encode` (the four
/// encoders are distinct types with no trait in common).
fn encode_all<E: std::fmt::Display>(
    target: Wire,
    events: &[Event],
    mut encode: impl FnMut(&Event, &mut Vec<u8>) -> Result<(), E>,
) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    for event in events {
        encode(event, &mut out).map_err(|e| format!("cannot encode for {target}: {e}"))?;
    }
    Ok(out)
}

/// The content type a translation to `target` is served with.
pub fn translated_content_type(target: Wire) -> &'static str {
    match target {
        Wire::Ollama => "application/x-ndjson",
        Wire::OpenAi | Wire::Responses | Wire::Anthropic => "text/event-stream",
    }
}

/// The model a stream names first: the `model` of its first JSON object (an NDJSON line or an
/// SSE `data:` line), or of the `response` or `message` object inside it.
fn source_model(body: &[u8]) -> Option<String> {
    body.split(|b| *b == b'\n')
        .map(|l| l.trim_ascii())
        .map(|l| l.strip_prefix(b"data:").unwrap_or(l).trim_ascii())
        .filter(|l| l.starts_with(b"{"))
        .filter_map(|l| serde_json::from_slice::<Value>(l).ok())
        .find_map(|v| {
            [&v, &v["response"], &v["message"]]
                .into_iter()
                .find_map(|o| o.get("model").and_then(Value::as_str).map(str::to_owned))
        })
        .filter(|m| !m.is_empty())
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
    let error = crate::cap_repeats(message.errors.iter().map(ToString::to_string), 3);
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

/// Whether a body is a progress stream (`/api/pull`, `/api/push`, `/api/create`): its first
/// object has a `status` and none of a chat or generate chunk's keys.
pub fn is_progress_stream(body: &[u8]) -> bool {
    first_line_json(body).is_some_and(|v| {
        v.get("status").is_some_and(Value::is_string)
            && ["model", "message", "response"]
                .iter()
                .all(|k| v.get(k).is_none())
    })
}

/// A progress stream line by line, as a progress bar would show it: one JSON object per line
/// (status, phase, bytes done and known over all layers), then the outcome.
pub fn progress_view(body: &[u8]) -> Vec<Value> {
    use ollama_wire::{ProgressAccumulator, ProgressOutcome, ProgressStreamDecoder};
    let mut decoder = ProgressStreamDecoder::new();
    let mut progress = ProgressAccumulator::new();
    let mut view = Vec::new();
    decoder.push(body);
    for item in decoder.by_ref() {
        progress.push_item(item);
        view.push(json!({
            "status": progress.status(),
            "phase": progress.phase().map(|p| format!("{p:?}")),
            "completed": progress.completed(),
            "total": progress.total(),
            "layers": progress.layers().len(),
        }));
    }
    progress.push_verdict(decoder.finish());
    view.push(match progress.outcome() {
        Some(ProgressOutcome::Success) => json!({"outcome": "success"}),
        Some(ProgressOutcome::Failed(message)) => json!({"outcome": "failed", "error": message}),
        _ => json!({"outcome": null}),
    });
    view
}
