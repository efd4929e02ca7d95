//! Deterministic transcripts and chunk plans, generated in memory from the fixtures' shapes.
//!
//! - NDJSON: one Ollama `/api/chat` stream (`fixtures/ollama/chat-stream-thinking-then-content`,
//!   `chat-stream-tool-call-before-done`): turns of thinking lines, content lines and, in a
//!   quarter of the turns, a whole native tool call, then one `done` line with the counters.
//!   Encoded with `ollama_wire::Encoder` (Go escaping), so the bytes are Ollama's.
//! - SSE: one `/v1/chat/completions` stream as Ollama serves it
//!   (`fixtures/openai/ollama-chat-stream-reasoning-finish-usage`): a role on the first chunk,
//!   then turns of `reasoning` deltas, content deltas and, in a quarter of the turns, a tool call
//!   in OpenAI-style fragments (as llama.cpp sends them, `fixtures/openai/lcpp-chat-stream`);
//!   then one finish chunk, a usage chunk and `data: [DONE]`. Framed with
//!   `openai_wire::sse::SseEncoder`.
//!
//! - Responses: one `/v1/responses` stream re-encoded from the recorded Ollama 0.33 streams
//!   (`fixtures/responses/ollama033-resp-*-stream`) with `ResponsesEncoder`: their output items
//!   in turn, renumbered (see [`responses_stream`]).
//! - Messages: one `/v1/messages` stream re-encoded from the recorded Ollama 0.33 streams
//!   (`fixtures/anthropic/ollama033-msg-*-stream`, the text blocks) with `StreamEncoder`: their
//!   content blocks in turn, renumbered (see [`anthropic_stream`]).
//!
//! All are single streams (the decoders end a stream at `done` / `[DONE]` /
//! `response.completed` / `message_stop`), so every chunk plan can cut anywhere in the whole
//! transcript.

use std::ops::Range;

use bytes::Bytes;
use serde::Serialize;
use serde_json::value::RawValue;
use test_support::SplitPlan;

use crate::harness::PushDecoder;

/// xorshift64: small, seeded, good enough to vary sizes and words.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// Uniform in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as usize
    }

    pub(crate) fn percent(&mut self, p: u64) -> bool {
        self.next_u64() % 100 < p
    }

    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.range(0, items.len() - 1)]
    }
}

/// Token-sized pieces: ASCII, accents, CJK, Cyrillic, emoji, quotes, tabs, newlines, and the
/// characters Go escapes (`<`, `>`, `&`).
const WORDS: &[&str] = &[
    " the",
    " model",
    " answer",
    " is",
    " we",
    " need",
    " to",
    " check",
    " first",
    " then",
    " step",
    " weather",
    " Tokyo",
    " 42",
    ",",
    ".",
    " café",
    " naïve",
    " résumé",
    " 日本語",
    "の",
    " 模型",
    " данные",
    " 🙂",
    " 🚀",
    " \"quoted\"",
    "\t",
    "\n",
    " <b>",
    " a & b",
    " x > y",
    " ok",
];

fn piece(rng: &mut Rng) -> String {
    let n = rng.range(1, 3);
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(rng.pick(WORDS));
    }
    s
}

/// A transcript and where its records are.
#[derive(Debug, Clone)]
pub(crate) struct Transcript {
    /// The whole body.
    pub(crate) bytes: Bytes,
    /// Each record with its terminator (a line with `\n`; an SSE event with its blank line).
    pub(crate) records: Vec<Range<usize>>,
    /// The JSON text of each chunk (no `[DONE]`), for the pre-split limit.
    pub(crate) payloads: Vec<Range<usize>>,
    /// The `event:` name of each payload's event, where the wire names its events (Responses,
    /// Messages); empty otherwise.
    pub(crate) kinds: Vec<Range<usize>>,
}

impl Transcript {
    pub(crate) fn payload(&self, i: usize) -> &[u8] {
        &self.bytes[self.payloads[i].clone()]
    }

    /// The `event:` name of payload `i` (empty on a wire without names).
    pub(crate) fn kind(&self, i: usize) -> &[u8] {
        self.kinds.get(i).map_or(&[], |r| &self.bytes[r.clone()])
    }

    pub(crate) fn max_record(&self) -> usize {
        self.records.iter().map(|r| r.len()).max().unwrap_or(0)
    }
}

// ------------------------------------------------------------------ NDJSON

#[derive(Serialize)]
struct NativeLine<'a> {
    model: &'a str,
    created_at: &'a str,
    message: NativeMessage<'a>,
    done: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    done_reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total_duration: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    load_duration: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prompt_eval_count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prompt_eval_duration: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    eval_count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    eval_duration: Option<u64>,
}

#[derive(Serialize)]
struct NativeMessage<'a> {
    role: &'a str,
    content: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    thinking: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tool_calls: Option<Vec<NativeToolCall<'a>>>,
}

#[derive(Serialize)]
struct NativeToolCall<'a> {
    id: String,
    function: NativeFunction<'a>,
}

#[derive(Serialize)]
struct NativeFunction<'a> {
    index: u32,
    name: &'a str,
    arguments: Box<RawValue>,
}

#[derive(Serialize)]
struct WeatherArgs<'a> {
    city: &'a str,
    days: u32,
    units: &'a str,
    note: &'a str,
}

const TOOLS: &[&str] = &["get_weather", "search_docs", "run_python", "read_file"];
const CITIES: &[&str] = &["Tokyo", "Zürich", "São Paulo", "東京", "Kraków"];

fn tool_arguments(rng: &mut Rng) -> String {
    let note: String = (0..rng.range(2, 12)).map(|_| piece(rng)).collect();
    let args = WeatherArgs {
        city: rng.pick(CITIES),
        days: rng.range(1, 14) as u32,
        units: "metric",
        note: &note,
    };
    serde_json::to_string(&args).unwrap_or_default()
}

fn call_id(rng: &mut Rng) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut id = String::from("call_");
    for _ in 0..8 {
        id.push(rng.pick(ALPHABET) as char);
    }
    id
}

fn native_line<'a>(model: &'a str, created_at: &'a str) -> NativeLine<'a> {
    NativeLine {
        model,
        created_at,
        message: NativeMessage {
            role: "assistant",
            content: "",
            thinking: None,
            tool_calls: None,
        },
        done: false,
        done_reason: None,
        total_duration: None,
        load_duration: None,
        prompt_eval_count: None,
        prompt_eval_duration: None,
        eval_count: None,
        eval_duration: None,
    }
}

fn timestamp(tick: u64) -> String {
    let ms = 59_730_910 + tick * 11;
    let (h, rest) = (ms / 3_600_000, ms % 3_600_000);
    let (m, rest) = (rest / 60_000, rest % 60_000);
    let (s, ms) = (rest / 1000, rest % 1000);
    format!("2026-01-10T{h:02}:{m:02}:{s:02}.{ms:03}663454Z")
}

/// An Ollama `/api/chat` NDJSON stream of at least `target` bytes.
pub(crate) fn ndjson_chat(target: usize, seed: u64) -> Transcript {
    let mut rng = Rng::new(seed);
    let encoder = ollama_wire::Encoder::new();
    let mut out = Vec::with_capacity(target + 4096);
    let mut records = Vec::new();
    let mut payloads = Vec::new();
    let model = "qwen3:8b";
    let mut tick = 0u64;
    let mut push = |line: &NativeLine<'_>, out: &mut Vec<u8>| {
        let start = out.len();
        encoder
            .encode_line(line, out)
            .unwrap_or_else(|e| panic!("encoding a generated line: {e}"));
        records.push(start..out.len());
        payloads.push(start..out.len() - 1);
    };
    while out.len() < target {
        for _ in 0..rng.range(20, 60) {
            let ts = timestamp(tick);
            tick += 1;
            let text = piece(&mut rng);
            let mut l = native_line(model, &ts);
            l.message.thinking = Some(&text);
            push(&l, &mut out);
        }
        for _ in 0..rng.range(40, 120) {
            let ts = timestamp(tick);
            tick += 1;
            let text = piece(&mut rng);
            let mut l = native_line(model, &ts);
            l.message.content = &text;
            push(&l, &mut out);
        }
        if rng.percent(25) {
            let ts = timestamp(tick);
            tick += 1;
            let args = tool_arguments(&mut rng);
            let call = NativeToolCall {
                id: call_id(&mut rng),
                function: NativeFunction {
                    index: 0,
                    name: rng.pick(TOOLS),
                    arguments: RawValue::from_string(args)
                        .unwrap_or_else(|e| panic!("generated arguments: {e}")),
                },
            };
            let mut l = native_line(model, &ts);
            l.message.tool_calls = Some(vec![call]);
            push(&l, &mut out);
        }
    }
    let ts = timestamp(tick);
    let mut done = native_line(model, &ts);
    done.done = true;
    done.done_reason = Some("stop");
    done.total_duration = Some(328_393_900);
    done.load_duration = Some(40_996_735);
    done.prompt_eval_count = Some(22);
    done.prompt_eval_duration = Some(15_246_873);
    done.eval_count = Some(tick);
    done.eval_duration = Some(265_432_931 + tick * 1000);
    push(&done, &mut out);
    Transcript {
        bytes: Bytes::from(out),
        records,
        payloads,
        kinds: Vec::new(),
    }
}

// ------------------------------------------------------------------ SSE

fn oai_chunk<'a>(id: &'a str, delta: OaiDelta<'a>, finish: Option<&'a str>) -> OaiChunk<'a> {
    OaiChunk {
        id,
        object: "chat.completion.chunk",
        created: 1_768_064_132,
        model: "qwen3:32b",
        system_fingerprint: "fp_ollama",
        choices: vec![OaiChoice {
            index: 0,
            delta,
            finish_reason: finish,
        }],
        usage: None,
    }
}

#[derive(Serialize)]
struct OaiChunk<'a> {
    id: &'a str,
    object: &'a str,
    created: i64,
    model: &'a str,
    system_fingerprint: &'a str,
    choices: Vec<OaiChoice<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    usage: Option<OaiUsage>,
}

#[derive(Serialize)]
struct OaiChoice<'a> {
    index: u32,
    delta: OaiDelta<'a>,
    finish_reason: Option<&'a str>,
}

#[derive(Serialize, Default)]
struct OaiDelta<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reasoning: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tool_calls: Option<Vec<OaiToolCall<'a>>>,
}

#[derive(Serialize)]
struct OaiToolCall<'a> {
    index: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<&'a str>,
    function: OaiFunction<'a>,
}

#[derive(Serialize)]
struct OaiFunction<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    arguments: &'a str,
}

#[derive(Serialize)]
struct OaiUsage {
    prompt_tokens: u64,
    completion_tokens: u64,
    total_tokens: u64,
}

/// Splits `s` into `n` pieces at char boundaries (some may be empty).
fn fragments(s: &str, n: usize) -> Vec<&str> {
    let mut cuts: Vec<usize> = (1..n)
        .map(|i| {
            let mut at = s.len() * i / n;
            while !s.is_char_boundary(at) {
                at += 1;
            }
            at
        })
        .collect();
    cuts.insert(0, 0);
    cuts.push(s.len());
    cuts.windows(2).map(|w| &s[w[0]..w[1]]).collect()
}

/// An Ollama `/v1/chat/completions` SSE stream of at least `target` bytes.
pub(crate) fn sse_chat(target: usize, seed: u64) -> Transcript {
    let mut rng = Rng::new(seed);
    let encoder = ollama_wire::Encoder::new();
    let mut sse = openai_wire::sse::SseEncoder::new();
    let mut out = Vec::with_capacity(target + 4096);
    let mut records = Vec::new();
    let mut payloads = Vec::new();
    let mut emit = |chunk: Option<&OaiChunk<'_>>, out: &mut Vec<u8>| {
        let data = match chunk {
            Some(c) => encoder
                .to_vec(c)
                .unwrap_or_else(|e| panic!("encoding a generated chunk: {e}")),
            None => b"[DONE]".to_vec(),
        };
        let data = String::from_utf8(data).unwrap_or_default();
        let start = out.len();
        sse.encode(&openai_wire::sse::Event::new(data.clone()), out)
            .unwrap_or_else(|e| panic!("framing a generated event: {e}"));
        records.push(start..out.len());
        if chunk.is_some() {
            let at = start + "data: ".len();
            debug_assert_eq!(&out[at..at + data.len()], data.as_bytes());
            payloads.push(at..at + data.len());
        }
    };
    let mut completion_tokens = 0;
    let id = "chatcmpl-492";
    let mut calls = 0u32;
    let mut first_turn = true;
    while out.len() < target {
        let first = piece(&mut rng);
        let c = oai_chunk(
            id,
            OaiDelta {
                role: first_turn.then_some("assistant"),
                content: Some(""),
                reasoning: Some(&first),
                tool_calls: None,
            },
            None,
        );
        emit(Some(&c), &mut out);
        first_turn = false;
        for _ in 0..rng.range(20, 60) {
            let text = piece(&mut rng);
            let c = oai_chunk(
                id,
                OaiDelta {
                    content: Some(""),
                    reasoning: Some(&text),
                    ..OaiDelta::default()
                },
                None,
            );
            emit(Some(&c), &mut out);
            completion_tokens += 1;
        }
        for _ in 0..rng.range(40, 120) {
            let text = piece(&mut rng);
            let c = oai_chunk(
                id,
                OaiDelta {
                    content: Some(&text),
                    ..OaiDelta::default()
                },
                None,
            );
            emit(Some(&c), &mut out);
            completion_tokens += 1;
        }
        if rng.percent(25) {
            let args = tool_arguments(&mut rng);
            let call_id = call_id(&mut rng);
            let name = rng.pick(TOOLS);
            for (i, part) in fragments(&args, 4).into_iter().enumerate() {
                let call = OaiToolCall {
                    index: calls,
                    id: (i == 0).then_some(call_id.as_str()),
                    kind: (i == 0).then_some("function"),
                    function: OaiFunction {
                        name: (i == 0).then_some(name),
                        arguments: part,
                    },
                };
                let c = oai_chunk(
                    id,
                    OaiDelta {
                        tool_calls: Some(vec![call]),
                        ..OaiDelta::default()
                    },
                    None,
                );
                emit(Some(&c), &mut out);
            }
            calls += 1;
        }
    }
    let finish = if calls > 0 { "tool_calls" } else { "stop" };
    let c = oai_chunk(id, OaiDelta::default(), Some(finish));
    emit(Some(&c), &mut out);
    let usage = OaiChunk {
        id,
        object: "chat.completion.chunk",
        created: 1_768_064_132,
        model: "qwen3:32b",
        system_fingerprint: "fp_ollama",
        choices: Vec::new(),
        usage: Some(OaiUsage {
            prompt_tokens: 13,
            completion_tokens,
            total_tokens: 13 + completion_tokens,
        }),
    };
    emit(Some(&usage), &mut out);
    emit(None, &mut out);
    Transcript {
        bytes: Bytes::from(out),
        records,
        payloads,
        kinds: Vec::new(),
    }
}

// ------------------------------------------------------------------ Responses and Messages

/// A named SSE event being written: where its record, name and data are.
struct NamedEvents {
    out: Vec<u8>,
    records: Vec<Range<usize>>,
    payloads: Vec<Range<usize>>,
    kinds: Vec<Range<usize>>,
}

impl NamedEvents {
    fn new(target: usize) -> Self {
        Self {
            out: Vec::with_capacity(target + 64 * 1024),
            records: Vec::new(),
            payloads: Vec::new(),
            kinds: Vec::new(),
        }
    }

    /// Writes one event with `encode` (which appends `event: <kind>\ndata: <json>\n\n`) and
    /// records where its parts are.
    fn push(&mut self, kind: &str, encode: impl FnOnce(&mut Vec<u8>)) {
        let start = self.out.len();
        encode(&mut self.out);
        let name = start + "event: ".len();
        let data = name + kind.len() + "\ndata: ".len();
        let end = self.out.len();
        assert!(
            self.out[start..].starts_with(format!("event: {kind}\ndata: ").as_bytes())
                && self.out.ends_with(b"\n\n")
                && !self.out[data..end - 2].contains(&b'\n'),
            "an event of one `event:` and one `data:` line"
        );
        self.records.push(start..end);
        self.kinds.push(name..name + kind.len());
        self.payloads.push(data..end - 2);
    }

    /// Writes the event `map`, named by its `type`: `read` turns the name and the JSON text
    /// into the typed event, `encode` writes that.
    fn push_object<E, R: std::fmt::Display, W: std::fmt::Display>(
        &mut self,
        map: serde_json::Map<String, serde_json::Value>,
        read: impl FnOnce(&str, &str) -> Result<E, R>,
        encode: impl FnOnce(&E, &mut Vec<u8>) -> Result<(), W>,
    ) {
        let kind = map
            .get("type")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let data = serde_json::Value::Object(map).to_string();
        let event = read(&kind, &data).unwrap_or_else(|e| panic!("re-reading a {kind} event: {e}"));
        self.push(&kind, |out| {
            encode(&event, out).unwrap_or_else(|e| panic!("encoding a {kind} event: {e}"));
        });
    }

    fn into_transcript(self) -> Transcript {
        Transcript {
            bytes: Bytes::from(self.out),
            records: self.records,
            payloads: self.payloads,
            kinds: self.kinds,
        }
    }
}

/// The recorded Ollama 0.33 `/v1/responses` streams the Responses body is built from: reasoning
/// items (`reasoning_summary_text.delta`), message items (`output_text.delta`) and a function
/// call (`function_call_arguments.delta`).
pub(crate) const RESPONSES_FIXTURES: &[&str] = &[
    "ollama033-resp-reasoning-stream",
    "ollama033-resp-plain-stream",
    "ollama033-resp-think-stream",
    "ollama033-resp-instructions-messages-stream",
    "ollama033-resp-both-stream",
    "ollama033-resp-tools-stream",
];

/// The recorded Ollama 0.33 `/v1/messages` streams the Messages body is built from: their text
/// blocks. The thinking streams are left out: the peer (async-anthropic) has no `thinking`
/// block or `thinking_delta`, and its stream ends at the first event it cannot decode.
pub(crate) const ANTHROPIC_FIXTURES: &[&str] = &[
    "ollama033-msg-plain-stream",
    "ollama033-msg-system-blocks-stream",
    "ollama033-msg-tools-stream",
    "ollama033-msg-tools-fewshot-stream",
    "ollama033-msg-thinking-on-plain-accepted-stream",
];

/// The events of the recorded fixture `id` of `wire`, through our `decoder` for it.
fn fixture_events<D, T, E>(wire: test_support::Wire, id: &str, mut decoder: D) -> Vec<T>
where
    D: PushDecoder + Iterator<Item = Result<T, E>>,
    E: std::fmt::Display,
{
    decoder.push(&test_support::case(wire, id).body);
    let events = (&mut decoder)
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("{id}: {e}"));
    decoder.finish().unwrap_or_else(|e| panic!("{id}: {e}"));
    events
}

/// `event` as a JSON object, to renumber.
fn to_object<T: Serialize>(event: &T) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::to_value(event) {
        Ok(serde_json::Value::Object(map)) => map,
        other => panic!("an event is not an object: {other:?}"),
    }
}

/// One `/v1/responses` stream of at least `target` bytes, re-encoded from the recorded fixtures
/// ([`RESPONSES_FIXTURES`]) with `openai_wire::responses::ResponsesEncoder` (Ollama's bytes:
/// sorted keys, Go escaping): the first fixture's `response.created` and
/// `response.in_progress`, then the fixtures' output items in turn — each item's events as
/// recorded, its id (and a function call's `call_id`) suffixed with its position, its `output_index` the running position — and
/// one `response.completed`, every `sequence_number` the event's position. Concatenating the
/// recorded bodies instead would not do: a second `response.created` (and a sequence that
/// starts again at 0) breaks the stream, and every decoder ends it at the first
/// `response.completed`. The terminal event keeps its fixture's `response` (its `output` lists
/// that fixture's items, not the thousands before it: nothing checks that, and a multi-MB last
/// event would measure one parse).
pub(crate) fn responses_stream(target: usize) -> Transcript {
    use openai_wire::responses::{ResponseStreamEvent, ResponsesEncoder, ResponsesStreamDecoder};
    let streams: Vec<Vec<ResponseStreamEvent>> = RESPONSES_FIXTURES
        .iter()
        .map(|id| {
            fixture_events(
                test_support::Wire::Responses,
                id,
                ResponsesStreamDecoder::new(),
            )
        })
        .collect();
    let first = &streams[0];
    let head = &first[..2];
    let tail = &first[first.len() - 1];
    assert!(
        matches!(
            head,
            [
                ResponseStreamEvent::Created(_),
                ResponseStreamEvent::InProgress(_)
            ]
        ) && tail.is_terminal()
    );
    let mut encoder = ResponsesEncoder::new();
    let mut w = NamedEvents::new(target);
    let mut sequence = 0u64;
    let mut emit = |w: &mut NamedEvents, mut map: serde_json::Map<String, serde_json::Value>| {
        map.insert("sequence_number".into(), sequence.into());
        sequence += 1;
        w.push_object(map, ResponseStreamEvent::from_data, |event, out| {
            encoder.encode(event, out)
        });
    };
    for event in head {
        emit(&mut w, to_object(event));
    }
    let mut position = 0u32;
    'fill: loop {
        for stream in &streams {
            // The item events: everything between `in_progress` and the terminal event.
            let items = &stream[2..stream.len() - 1];
            if items.is_empty() {
                continue;
            }
            for event in items {
                let mut map = to_object(event);
                if map.contains_key("output_index") {
                    map.insert("output_index".into(), position.into());
                }
                let suffix = |id: &serde_json::Value| {
                    format!("{}_{position}", id.as_str().unwrap_or("item"))
                };
                if let Some(id) = map.get("item_id") {
                    let id = suffix(id);
                    map.insert("item_id".into(), id.into());
                }
                if let Some(serde_json::Value::Object(item)) = map.get_mut("item") {
                    for key in ["id", "call_id"] {
                        if let Some(id) = item.get(key) {
                            let id = suffix(id);
                            item.insert(key.into(), id.into());
                        }
                    }
                }
                emit(&mut w, map);
            }
            position += 1;
            if w.out.len() >= target {
                break 'fill;
            }
        }
    }
    emit(&mut w, to_object(tail));
    w.into_transcript()
}

/// One `/v1/messages` stream of at least `target` bytes, re-encoded from the recorded fixtures
/// ([`ANTHROPIC_FIXTURES`]) with `anthropic_wire::events::StreamEncoder` (Ollama's bytes): the
/// first fixture's `message_start`, then the fixtures' content blocks in turn (each block's
/// events as recorded, its `index` the running block position), then the last fixture's
/// `message_delta` with `output_tokens` the deltas written, and `message_stop`. Concatenated
/// recordings would not be one stream: every decoder ends it at the first `message_stop`.
pub(crate) fn anthropic_stream(target: usize) -> Transcript {
    use anthropic_wire::events::{StreamDecoder, StreamEncoder};
    use anthropic_wire::messages::MessageStreamEvent;
    let streams: Vec<Vec<MessageStreamEvent>> = ANTHROPIC_FIXTURES
        .iter()
        .map(|id| fixture_events(test_support::Wire::Anthropic, id, StreamDecoder::new()))
        .collect();
    let mut encoder = StreamEncoder::new();
    let mut w = NamedEvents::new(target);
    let mut emit = |w: &mut NamedEvents, map: serde_json::Map<String, serde_json::Value>| {
        w.push_object(
            map,
            |_, data| serde_json::from_str::<MessageStreamEvent>(data),
            |event, out| encoder.encode(event, out),
        );
    };
    let start = streams[0]
        .iter()
        .find(|e| matches!(e, MessageStreamEvent::MessageStart(_)))
        .unwrap_or_else(|| panic!("no message_start"));
    emit(&mut w, to_object(start));
    let mut position = 0u64;
    let mut deltas = 0u64;
    let mut last_delta = None;
    'fill: loop {
        for stream in &streams {
            for event in stream {
                match event {
                    MessageStreamEvent::ContentBlockStart(_)
                    | MessageStreamEvent::ContentBlockDelta(_)
                    | MessageStreamEvent::ContentBlockStop(_) => {
                        let mut map = to_object(event);
                        map.insert("index".into(), position.into());
                        deltas +=
                            u64::from(matches!(event, MessageStreamEvent::ContentBlockDelta(_)));
                        emit(&mut w, map);
                        if matches!(event, MessageStreamEvent::ContentBlockStop(_)) {
                            position += 1;
                        }
                    }
                    MessageStreamEvent::MessageDelta(_) => last_delta = Some(event),
                    _ => {}
                }
            }
            if w.out.len() >= target {
                break 'fill;
            }
        }
    }
    let mut delta = to_object(last_delta.unwrap_or_else(|| panic!("no message_delta")));
    if let Some(serde_json::Value::Object(usage)) = delta.get_mut("usage") {
        usage.insert("output_tokens".into(), deltas.into());
    }
    emit(&mut w, delta);
    let stop = streams[0]
        .iter()
        .find(|e| matches!(e, MessageStreamEvent::MessageStop(_)))
        .unwrap_or_else(|| panic!("no message_stop"));
    emit(&mut w, to_object(stop));
    w.into_transcript()
}

// ------------------------------------------------------------------ chunk plans

/// One record per push, as a local Ollama flushes: an NDJSON line, an SSE event (the transcripts'
/// events have one `data:` line, and a line keeps the blank line after it).
pub(crate) const PER_EVENT: SplitPlan<'static> = SplitPlan::Lines { seed: 0, cuts: 0 };

/// Uniform random push sizes in `1..=max` bytes, the same every run.
pub(crate) const fn random(max: usize) -> SplitPlan<'static> {
    SplitPlan::Random { seed: 0x5eed, max }
}

/// Short name of a plan for tables and summary keys.
pub(crate) fn key(plan: SplitPlan<'_>) -> String {
    match plan {
        SplitPlan::Lines { cuts: 0, .. } => "event".to_owned(),
        SplitPlan::Random { max, .. } if max >= 1024 => format!("r{}k", max / 1024),
        SplitPlan::Random { max, .. } => format!("r{max}"),
        other => format!("{other:?}"),
    }
}

/// Long name of a plan for headings.
pub(crate) fn label(plan: SplitPlan<'_>) -> String {
    match plan {
        SplitPlan::Lines { cuts: 0, .. } => "one event per push".to_owned(),
        SplitPlan::Random { max, .. } if max >= 1024 => format!("random 1 B–{} KiB", max / 1024),
        SplitPlan::Random { max, .. } => format!("random 1–{max} B"),
        other => format!("{other:?}"),
    }
}

/// The pushes of a plan: zero-copy slices of the transcript. [`PER_EVENT`] pushes the records
/// (on the wires whose events have an `event:` line too, where one line is half an event).
pub(crate) fn pushes(t: &Transcript, plan: SplitPlan<'_>) -> Vec<Bytes> {
    if plan == PER_EVENT {
        return t.records.iter().map(|r| t.bytes.slice(r.clone())).collect();
    }
    plan.split(&t.bytes)
        .into_iter()
        .map(|piece| t.bytes.slice_ref(piece))
        .collect()
}

// ------------------------------------------------------------------ /api/show bodies

#[derive(Serialize)]
struct ShowBody<'a> {
    license: &'a str,
    modelfile: &'a str,
    parameters: &'a str,
    template: &'a str,
    details: serde_json::Value,
    model_info: serde_json::Value,
    tensors: Vec<Tensor>,
    capabilities: Vec<&'a str>,
    modified_at: &'a str,
}

#[derive(Serialize)]
struct Tensor {
    name: String,
    #[serde(rename = "type")]
    kind: &'static str,
    shape: Vec<u64>,
}

const ARCHS: &[&str] = &[
    "llama", "qwen3", "gemma3", "mistral3", "phi3", "qwen25vl", "gptoss",
];

const LICENCE_PARAGRAPH: &str = "Permission is granted, subject to the terms of this Agreement, to use, reproduce, \
distribute, copy, create derivative works of, and make modifications to the Model Materials. \
\"Licensee\" means you, or your employer or any other person or entity (if you are entering into \
this Agreement on such person or entity’s behalf), of the age required under applicable laws, \
rules or regulations to provide legal consent. THE MODEL MATERIALS ARE PROVIDED ON AN “AS IS” \
BASIS, WITHOUT WARRANTIES OF ANY KIND, and you are solely responsible for determining the \
appropriateness of using or redistributing the Model Materials.\n\n";

/// `/api/tags` for `n` models and their `/api/show` bodies (hundreds of tensors, a long licence).
pub(crate) fn show_corpus(n: usize, seed: u64) -> (Vec<u8>, Vec<(String, Vec<u8>)>) {
    let mut rng = Rng::new(seed);
    let mut rows = Vec::new();
    let mut bodies = Vec::new();
    for i in 0..n {
        let arch = rng.pick(ARCHS);
        let name = format!("{arch}-{i}:{}b", rng.range(1, 70));
        let blocks = rng.range(24, 64);
        let mut caps = vec!["completion"];
        if rng.percent(70) {
            caps.push("tools");
        }
        if rng.percent(30) {
            caps.push("thinking");
        }
        if rng.percent(20) {
            caps.push("vision");
        }
        let licence = LICENCE_PARAGRAPH.repeat(rng.range(8, 40));
        let template = "{{- if .System }}<|im_start|>system\n{{ .System }}<|im_end|>\n{{ end }}\
{{ range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}<|im_start|>assistant\n"
            .repeat(4);
        let modelfile = format!(
            "# Modelfile generated by \"ollama show\"\nFROM /usr/share/ollama/.ollama/models/blobs/sha256-{:064x}\nTEMPLATE \"\"\"{template}\"\"\"\nPARAMETER temperature 0.6\n",
            rng.next_u64()
        );
        let mut info = serde_json::Map::new();
        info.insert("general.architecture".into(), arch.into());
        info.insert("general.file_type".into(), 15.into());
        info.insert("general.parameter_count".into(), rng.next_u64().into());
        info.insert("general.quantization_version".into(), 2.into());
        for key in [
            "attention.head_count",
            "attention.head_count_kv",
            "attention.key_length",
            "attention.value_length",
            "block_count",
            "embedding_length",
            "feed_forward_length",
            "rope.dimension_count",
            "rope.freq_base",
            "vocab_size",
        ] {
            info.insert(format!("{arch}.{key}"), rng.range(8, 150_000).into());
        }
        info.insert(
            format!("{arch}.context_length"),
            (4096usize << rng.range(0, 5)).into(),
        );
        info.insert(
            format!("{arch}.attention.layer_norm_rms_epsilon"),
            0.000_001.into(),
        );
        for key in ["tokens", "scores", "token_type", "merges"] {
            info.insert(format!("tokenizer.ggml.{key}"), serde_json::Value::Null);
        }
        info.insert("tokenizer.ggml.model".into(), "gpt2".into());
        info.insert("tokenizer.ggml.bos_token_id".into(), 151_643.into());
        info.insert(
            "tokenizer.ggml.eos_token_ids".into(),
            vec![1, 106, 50].into(),
        );
        let mut tensors = vec![Tensor {
            name: "token_embd.weight".into(),
            kind: "Q6_K",
            shape: vec![4096, 151_936],
        }];
        for b in 0..blocks {
            for (t, kind) in [
                ("attn_k.weight", "Q4_K"),
                ("attn_norm.weight", "F32"),
                ("attn_output.weight", "Q4_K"),
                ("attn_q.weight", "Q4_K"),
                ("attn_v.weight", "Q6_K"),
                ("ffn_down.weight", "Q6_K"),
                ("ffn_gate.weight", "Q4_K"),
                ("ffn_norm.weight", "F32"),
                ("ffn_up.weight", "Q4_K"),
            ] {
                let shape = if kind == "F32" {
                    vec![4096]
                } else {
                    vec![4096, 1024 * rng.range(1, 12) as u64]
                };
                tensors.push(Tensor {
                    name: format!("blk.{b}.{t}"),
                    kind,
                    shape,
                });
            }
        }
        let body = ShowBody {
            license: &licence,
            modelfile: &modelfile,
            parameters: "temperature                    0.6\nnum_ctx                        16384",
            template: &template,
            details: serde_json::json!({"parent_model":"","format":"gguf","family":arch,
                "families":[arch],"parameter_size":"8.2B","quantization_level":"Q4_K_M"}),
            model_info: serde_json::Value::Object(info),
            tensors,
            capabilities: caps,
            modified_at: "2025-08-14T15:49:43.634137516-07:00",
        };
        let bytes = ollama_wire::Encoder::new()
            .to_vec(&body)
            .unwrap_or_else(|e| panic!("encoding a show body: {e}"));
        rows.push(serde_json::json!({"name": name, "model": name,
            "modified_at": "2025-08-14T15:49:43.634137516-07:00", "size": 5_225_387_923u64,
            "digest": format!("{:016x}", rng.next_u64()),
            "details": {"parent_model":"","format":"gguf","family":arch,"families":[arch],
                "parameter_size":"8.2B","quantization_level":"Q4_K_M"}}));
        bodies.push((name, bytes));
    }
    let tags = serde_json::to_vec(&serde_json::json!({ "models": rows })).unwrap_or_default();
    (tags, bodies)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generators_are_deterministic_and_sized() {
        let a = ndjson_chat(200_000, 7);
        let b = ndjson_chat(200_000, 7);
        assert_eq!(a.bytes, b.bytes);
        assert!(a.bytes.len() >= 200_000);
        assert_eq!(a.records.last().map(|r| r.end), Some(a.bytes.len()));
        let s = sse_chat(200_000, 7);
        assert_eq!(s.bytes, sse_chat(200_000, 7).bytes);
        assert!(s.bytes.ends_with(b"data: [DONE]\n\n"));
        assert_eq!(s.records.len(), s.payloads.len() + 1);
    }

    #[test]
    fn plans_cover_the_bytes_exactly() {
        let t = sse_chat(100_000, 3);
        for max in [64, 4096] {
            let p = pushes(&t, random(max));
            assert_eq!(p.concat(), t.bytes.to_vec());
            assert!(p.iter().all(|c| !c.is_empty() && c.len() <= max));
        }
    }

    #[test]
    fn per_event_pushes_are_the_records() {
        for t in [ndjson_chat(50_000, 3), sse_chat(50_000, 3)] {
            let records: Vec<&[u8]> = t.records.iter().map(|r| &t.bytes[r.clone()]).collect();
            assert_eq!(pushes(&t, PER_EVENT), records);
        }
    }

    #[test]
    fn named_event_streams_are_one_stream_of_records() {
        let r = responses_stream(100_000);
        assert!(r.bytes.len() >= 100_000);
        assert!(r.bytes.starts_with(b"event: response.created\ndata: {"));
        assert_eq!(r.kind(r.payloads.len() - 1), b"response.completed");
        let a = anthropic_stream(100_000);
        assert!(a.bytes.len() >= 100_000);
        assert!(a.bytes.starts_with(b"event: message_start\ndata: {"));
        assert!(
            a.bytes
                .ends_with(b"event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n")
        );
        for t in [&r, &a] {
            assert_eq!(t.records.len(), t.payloads.len());
            assert_eq!(t.kinds.len(), t.payloads.len());
            let records: Vec<&[u8]> = t.records.iter().map(|x| &t.bytes[x.clone()]).collect();
            assert_eq!(pushes(t, PER_EVENT), records);
            assert_eq!(pushes(t, random(4096)).concat(), t.bytes.to_vec());
        }
        assert_eq!(
            responses_stream(50_000).bytes,
            responses_stream(50_000).bytes
        );
    }

    #[test]
    fn generated_ndjson_lines_are_ollama_bytes() {
        let t = ndjson_chat(50_000, 11);
        let encoder = ollama_wire::Encoder::new();
        for i in [0, 1, t.payloads.len() / 2, t.payloads.len() - 1] {
            let line = t.payload(i);
            let chunk = ollama_wire::ChatResponse::from_slice(line).unwrap();
            assert_eq!(encoder.to_vec(&chunk).unwrap(), line);
        }
    }

    #[test]
    fn show_bodies_are_of_real_size() {
        let (tags, bodies) = show_corpus(5, 1);
        assert!(!tags.is_empty());
        for (_, body) in &bodies {
            assert!(body.len() > 20_000, "{}", body.len());
            let v: serde_json::Value = serde_json::from_slice(body).unwrap();
            assert!(v["tensors"].as_array().unwrap().len() > 200);
        }
    }
}
