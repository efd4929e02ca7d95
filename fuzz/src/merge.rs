//! Properties of `ollama_stream_merge::Merger` over arbitrary delta sequences.
//!
//! # Input
//!
//! The common layout (see the crate docs): flags, plan, body.
//!
//! - flags bits 0..=1, where the deltas come from: 0 the body read as a compact delta encoding
//!   ([`deltas_from_bytes`]), 1 an Ollama `/api/chat` NDJSON body, 2 an `/api/generate` NDJSON
//!   body, 3 an SSE body of one of the four event-stream wires, told apart by its first event
//!   (`ollama_stream_merge::Wire::sniff`: an Anthropic Messages stream, a `/v1/responses`
//!   stream, a `/v1/completions` stream, else OpenAI chat completions); each is decoded and converted as the merger takes it (`Input::from`, an
//!   upstream error line or event becoming `Delta::error`), so fixture bodies are seeds;
//! - bit 2: [`LateReasoning::Defer`]; bit 3: `<think>` extraction; bit 4: content starts inside
//!   reasoning; bit 5: the multi-byte tags `◁think▷` / `◁/think▷` instead of `<think>`;
//! - the plan bytes (cycled, one per delta) are where the second run cuts each delta's
//!   reasoning, content and argument fragments in two.
//!
//! # Properties
//!
//! - well formed: exactly one `Finish`, last; every block one start, one end with the same
//!   index, dense increasing indices, no empty text block, text and reasoning never overlap,
//!   deltas only inside their open block; nothing after `Finish` (more pushes, a second
//!   `finish()`);
//! - draining after each push (`next_event`) or through `merge()` gives the same events;
//! - lossless: per channel, emitted text equals the input (reasoning: native reasoning, content
//!   with tags extracted by a reference splitter; without extraction exactly the concatenated
//!   content and reasoning);
//! - cutting every text in two (the plan) gives the same reduced message;
//! - re-encoding with `OpenAiEncoder` and `OllamaEncoder`, decoding with the wire decoders and
//!   merging again gives the same content, reasoning and tool calls (id, name, raw arguments;
//!   for Ollama the parsed argument text, which is what a native call can carry), up to what
//!   each encoder documents it stops at (an upstream error; for Ollama a call whose arguments
//!   are not an object). The OpenAI path also keeps the finish reason and the token counts;
//! - re-encoding with `AnthropicEncoder` and `ResponsesEventEncoder` gives streams the checking
//!   decoders of those wires accept without a single protocol violation or decode fault (one
//!   block or item at a time, indexes and sequence numbers in order, whatever the deltas), and
//!   that merge again to the same content, reasoning and tool calls.

use arbitrary::Unstructured;
use ollama_stream_merge::to_anthropic::AnthropicEncoder;
use ollama_stream_merge::to_ollama::OllamaEncoder;
use ollama_stream_merge::to_openai::OpenAiEncoder;
use ollama_stream_merge::to_responses::ResponsesEventEncoder;
use ollama_stream_merge::{
    ArgumentsDelta, AssistantMessage, Delta, Event, FinishReason, FinishSignal,
    Input as MergeInput, LateReasoning, MergeDecoder, MergeError, Merger, Options, Reducer,
    ThinkTags, ToolCallFragment, UpstreamError, Usage, Wire, WireDecoder, WireStreamDecoder, merge,
    merge_body,
};

use crate::Input;

/// Text pieces the compact encoding draws from (bytes ≥ 0x80): tags, their halves, JSON
/// fragments, multi-byte and odd characters.
const PIECES: &[&str] = &[
    "a",
    "bc",
    " ",
    "é",
    "🦀",
    "\n",
    "\r\n",
    "<think>",
    "</think>",
    "<th",
    "ink>",
    "</",
    "think>",
    "◁think▷",
    "◁/think▷",
    "◁",
    "▷",
    "{",
    "}",
    "{}",
    "[]",
    "\"x\":",
    "1",
    "\"",
    ",",
    "null",
    "\\",
    "\u{2028}",
    "\0",
    "{\"a\":[1,2]}",
    "{\"k\":\"v\"",
    "call_0",
    "<",
    ">",
    "&",
    "data: [DONE]",
    "12345678901234567890123",
    "\u{feff}",
];
const IDS: &[&str] = &["", "A", "B", "call_0", "call_1"];
const NAMES: &[&str] = &["", "f", "g", "get_weather"];
const REASONS: &[Option<&str>] = &[
    None,
    Some("stop"),
    Some("length"),
    Some("tool_calls"),
    Some("content_filter"),
    Some("error"),
    Some("load"),
    Some(""),
    Some("end_turn"),
    Some("max_tokens"),
];

fn pick<'a>(u: &mut Unstructured<'_>, from: &[&'a str]) -> &'a str {
    let b: u8 = u.arbitrary().unwrap_or(0);
    from.get(usize::from(b) % from.len()).copied().unwrap_or("")
}

fn text(u: &mut Unstructured<'_>) -> String {
    let n = u.int_in_range(0..=8u8).unwrap_or(0);
    let mut s = String::new();
    for _ in 0..n {
        let b: u8 = u.arbitrary().unwrap_or(0);
        if b < 0x80 {
            s.push(char::from(b));
        } else {
            s.push_str(PIECES[usize::from(b - 0x80) % PIECES.len()]);
        }
    }
    s
}

fn fragment(u: &mut Unstructured<'_>) -> ToolCallFragment {
    let bits: u8 = u.arbitrary().unwrap_or(0);
    let mut f = ToolCallFragment::new();
    if bits & 1 != 0 {
        f.id = Some(pick(u, IDS).to_owned());
    }
    if bits & 2 != 0 {
        let b: u8 = u.arbitrary().unwrap_or(0);
        f.index = Some(if b == 0xff {
            u32::MAX
        } else {
            u32::from(b % 4)
        });
    }
    if bits & 4 != 0 {
        f.name = Some(pick(u, NAMES).to_owned());
    }
    if bits & 8 != 0 {
        let t = text(u);
        f.arguments = Some(if bits & 16 != 0 {
            ArgumentsDelta::Complete(t)
        } else {
            ArgumentsDelta::Fragment(t)
        });
    }
    f
}

fn finish_signal(u: &mut Unstructured<'_>) -> FinishSignal {
    let b: u8 = u.arbitrary().unwrap_or(0);
    FinishSignal::new(REASONS[usize::from(b) % REASONS.len()])
}

fn usage(u: &mut Unstructured<'_>) -> Usage {
    let bits: u8 = u.arbitrary().unwrap_or(0);
    let mut count = |bit: u8| {
        let n: u8 = u.arbitrary().unwrap_or(0);
        (bits & bit != 0).then_some(u64::from(n))
    };
    let mut usage = Usage::default();
    usage.input_tokens = count(1);
    usage.output_tokens = count(2);
    usage.total_tokens = count(4);
    usage.reasoning_tokens = count(8);
    usage
}

/// The compact delta encoding: per delta an op byte (bits 0..=2 the kind, bit 3 adds a finish
/// signal, bit 4 usage), then its fields; texts are up to 8 pieces, a byte each (ASCII below
/// 0x80, else one of [`PIECES`]).
pub fn deltas_from_bytes(body: &[u8]) -> Vec<Delta> {
    let mut u = Unstructured::new(body);
    let mut deltas = Vec::new();
    while !u.is_empty() && deltas.len() < MAX_DELTAS {
        let op: u8 = u.arbitrary().unwrap_or(0);
        let mut d = Delta::new();
        match op & 7 {
            0 => d.reasoning = text(&mut u),
            1 => d.content = text(&mut u),
            2 => {
                d.reasoning = text(&mut u);
                d.content = text(&mut u);
            }
            3 => d.tool_calls.push(fragment(&mut u)),
            4 => {
                let n = u.int_in_range(0..=3u8).unwrap_or(0);
                for _ in 0..n {
                    d.tool_calls.push(fragment(&mut u));
                }
            }
            5 => {
                d.content = text(&mut u);
                d.tool_calls.push(fragment(&mut u));
            }
            6 => d.error = Some(UpstreamError::new(text(&mut u))),
            _ => {}
        }
        if op & 8 != 0 {
            d.finish = Some(finish_signal(&mut u));
        }
        if op & 16 != 0 {
            d.usage = Some(usage(&mut u));
        }
        deltas.push(d);
    }
    deltas
}

/// The deltas a wire decoder's items carry, as the merger takes them (`Input::from`): chunks,
/// and upstream errors as `Delta::error`; faults of the bytes and the verdict carry none.
fn deltas_from<D: WireDecoder>(mut decoder: D, body: &[u8]) -> Vec<Delta> {
    decoder.push(body);
    let _verdict = decoder.finish_input();
    decoder
        .filter_map(|item| match D::input(item) {
            MergeInput::Delta(delta) => Some(delta),
            _ => None,
        })
        .take(MAX_DELTAS)
        .collect()
}

/// The options the flags ask for.
pub fn options(flags: u8) -> Options {
    let mut options = Options::new();
    if flags & 4 != 0 {
        options = options.late_reasoning(LateReasoning::Defer);
    }
    if flags & 8 != 0 {
        let tags = if flags & 32 != 0 {
            ThinkTags::new("◁think▷", "◁/think▷")
        } else {
            ThinkTags::default()
        };
        options = options.think_tags(tags.start_in_reasoning(flags & 16 != 0));
    }
    options
}

/// Merges `deltas`, draining after each push, and checks that nothing comes after the finish.
pub fn run(deltas: &[Delta], options: &Options) -> Vec<Event> {
    let mut merger = Merger::with_options(options.clone());
    let mut events = Vec::new();
    for delta in deltas {
        merger.push(delta.clone());
        while let Some(event) = merger.next_event() {
            events.push(event);
        }
    }
    assert!(!merger.is_ended());
    merger.finish();
    events.extend(merger.drain());
    assert!(merger.is_ended());
    merger.push(Delta::content("late").with_reasoning("late"));
    merger.push(Delta::tool_call(ToolCallFragment::whole("late", "{}")));
    merger.push(Delta::error(UpstreamError::new("late")));
    merger.push(Delta::finish(Some("stop")));
    merger.finish();
    assert_eq!(merger.next_event(), None, "an event after Finish");
    events
}

/// The structural guarantees, checked by `ollama_stream_merge::validate`.
pub fn check_well_formed(events: &[Event]) {
    if let Err(v) = ollama_stream_merge::validate(events) {
        panic!("{v}: {events:#?}");
    }
}

/// Concatenated (reasoning, text) deltas, as the reducer folds them.
pub fn texts(events: &[Event]) -> (String, String) {
    let message = Reducer::reduce(events);
    (message.reasoning, message.content)
}

/// Reference `<think>` extraction over one flushed segment of content: alternately the next
/// opening and closing tag, whole-string `find` (the merger does it incrementally, holding
/// back a possible tag prefix). `in_reasoning` carries over to the next segment.
fn extract(segment: &str, tags: &ThinkTags, in_reasoning: &mut bool, out: &mut (String, String)) {
    let mut rest = segment;
    loop {
        let tag = if *in_reasoning {
            &tags.close
        } else {
            &tags.open
        };
        let found = if tag.is_empty() {
            None
        } else {
            rest.find(tag.as_str())
        };
        let Some(pos) = found else { break };
        let channel = if *in_reasoning {
            &mut out.0
        } else {
            &mut out.1
        };
        channel.push_str(&rest[..pos]);
        rest = &rest[pos + tag.len()..];
        *in_reasoning = !*in_reasoning;
    }
    if *in_reasoning {
        out.0.push_str(rest);
    } else {
        out.1.push_str(rest);
    }
}

/// What the (reasoning, text) channels must concatenate to: native reasoning as is; content as
/// is without extraction, else split at the tags, segment by segment (held text is flushed at a
/// finish signal or an error, and extraction stops for good at the first native reasoning).
pub fn expected_texts(deltas: &[Delta], options: &Options) -> (String, String) {
    let mut out = (String::new(), String::new());
    let mut tags = options.think_tags.clone();
    let mut in_reasoning = tags.as_ref().is_some_and(|t| t.start_in_reasoning);
    let mut segment = String::new();
    for d in deltas {
        if !d.reasoning.is_empty() {
            if let Some(t) = tags.take() {
                extract(&segment, &t, &mut in_reasoning, &mut out);
                segment.clear();
            }
            out.0.push_str(&d.reasoning);
        }
        match &tags {
            Some(_) => segment.push_str(&d.content),
            None => out.1.push_str(&d.content),
        }
        if let Some(t) = &tags
            && (d.error.is_some() || d.finish.is_some())
        {
            extract(&segment, t, &mut in_reasoning, &mut out);
            segment.clear();
        }
    }
    if let Some(t) = &tags {
        extract(&segment, t, &mut in_reasoning, &mut out);
    }
    out
}

/// Every delta cut in three without changing what the sequence carries: its reasoning in two,
/// its content in two, each argument fragment in two (the second half keeps only the id and
/// the index, as OpenAI sends continuation fragments).
pub fn split(deltas: &[Delta], plan: &[u8]) -> Vec<Delta> {
    let mut out = Vec::with_capacity(deltas.len() * 3);
    for (i, d) in deltas.iter().enumerate() {
        let at = usize::from(plan.get(i % plan.len().max(1)).copied().unwrap_or(1));
        let (r1, r2) = test_support::split_at_char(&d.reasoning, at);
        let (c1, c2) = test_support::split_at_char(&d.content, at / 2 + 1);
        let mut third = d.clone();
        third.reasoning = String::new();
        third.content = c2;
        third.tool_calls = Vec::new();
        for f in &d.tool_calls {
            match &f.arguments {
                Some(ArgumentsDelta::Fragment(args)) => {
                    let (a, b) = test_support::split_at_char(args, at + 3);
                    let mut head = f.clone();
                    head.arguments = Some(ArgumentsDelta::Fragment(a));
                    let mut tail = ToolCallFragment::new();
                    tail.id.clone_from(&f.id);
                    tail.index = f.index;
                    tail.arguments = Some(ArgumentsDelta::Fragment(b));
                    third.tool_calls.extend([head, tail]);
                }
                _ => third.tool_calls.push(f.clone()),
            }
        }
        out.push(Delta::reasoning(r1));
        out.push(Delta::reasoning(r2).with_content(c1));
        out.push(third);
    }
    out
}

/// Re-merges the OpenAI SSE an encoder wrote; the stream must decode without a fault of its
/// bytes, and end with `[DONE]` exactly when the source ended cleanly.
fn remerge_sse(sse: &[u8], clean: bool) -> Vec<Event> {
    let mut join = MergeDecoder::new(openai_wire::chunks::ChatStreamDecoder::new());
    join.push(sse);
    join.finish();
    assert_eq!(
        join.decoder().is_done(),
        clean,
        "[DONE] exactly for a clean finish"
    );
    remerged(join.collect(), sse)
}

/// Re-merges the bytes an encoder wrote (Ollama NDJSON, or a typed event stream), as `decoder`
/// decodes them.
fn remerge<D: WireDecoder>(decoder: D, bytes: &[u8]) -> Vec<Event> {
    remerged(merge_body(decoder, bytes, Options::default()), bytes)
}

/// Re-merged events: well formed, and no fault of the re-encoded bytes among them.
fn remerged(events: Vec<Event>, bytes: &[u8]) -> Vec<Event> {
    for event in &events {
        if let Event::Error {
            error: MergeError::Wire(e),
        } = event
        {
            panic!(
                "re-encoded bytes do not decode: {e}\n{}",
                String::from_utf8_lossy(bytes)
            );
        }
    }
    check_well_formed(&events);
    events
}

fn calls(m: &AssistantMessage) -> Vec<(String, String, String)> {
    m.tool_calls
        .iter()
        .map(|c| (c.id.clone(), c.name.clone(), c.raw_arguments.clone()))
        .collect()
}

/// Whether the Ollama encoder stops at this event (an error line instead of it, then nothing).
fn ollama_stops_at(event: &Event) -> bool {
    match event {
        Event::Error {
            error: MergeError::Upstream(_),
        } => true,
        Event::BlockEnd {
            outcome: ollama_stream_merge::BlockOutcome::ToolCall(call),
            ..
        } => call.arguments.as_ref().map_or(true, |a| {
            ollama_wire::ToolCallFunctionArguments::from_json(a.as_str()).is_err()
        }),
        _ => false,
    }
}

/// Both encoders' output, decoded and merged again, means what the events meant.
/// Every event through one re-encoder; encoding never fails on merged events.
fn encode_all<E: std::fmt::Display>(
    events: &[Event],
    wire: &str,
    mut encode: impl FnMut(&Event, &mut Vec<u8>) -> Result<(), E>,
) -> Vec<u8> {
    let mut out = Vec::new();
    for event in events {
        encode(event, &mut out).unwrap_or_else(|e| panic!("{wire} encoding failed: {e}"));
    }
    out
}

/// The content and reasoning that came back through a wire are what went in.
fn assert_same_texts(again: &AssistantMessage, want: &AssistantMessage, via: &str, bytes: &[u8]) {
    let bytes = String::from_utf8_lossy(bytes);
    assert_eq!(again.content, want.content, "content via {via}\n{bytes}");
    assert_eq!(
        again.reasoning, want.reasoning,
        "reasoning via {via}\n{bytes}"
    );
}

/// The tool calls that came back through a wire are those that went in, in any order.
fn assert_same_calls(again: &AssistantMessage, want: &AssistantMessage, via: &str, bytes: &[u8]) {
    let (mut got, mut expected) = (calls(again), calls(want));
    got.sort();
    expected.sort();
    assert_eq!(
        got,
        expected,
        "tool calls via {via}\n{}",
        String::from_utf8_lossy(bytes)
    );
}

/// Whether the event is the server's error, which ends the output of every encoder.
fn is_upstream_error(event: &Event) -> bool {
    matches!(
        event,
        Event::Error {
            error: MergeError::Upstream(_)
        }
    )
}

pub fn check_round_trips(events: &[Event]) {
    let original = Reducer::reduce(events);
    let finish = original
        .finish
        .clone()
        .unwrap_or_else(|| panic!("no finish"));
    let upstream_error = events.iter().any(is_upstream_error);
    // The encoders write a finish (and `[DONE]` / `done`) unless the stream was cut or an
    // upstream error ended the output.
    let clean = finish.reason != FinishReason::Incomplete && !upstream_error;
    // The events up to the first upstream error (included), where the OpenAI and typed-event
    // encoders end the stream.
    let until_upstream = events
        .iter()
        .position(is_upstream_error)
        .map_or(events.len(), |at| at + 1);

    // OpenAI: everything up to the first upstream error (the encoder ends the stream there).
    let mut openai = OpenAiEncoder::new("chatcmpl-1", 1_768_064_132, "m");
    let sse = encode_all(events, "OpenAI", |e, out| openai.encode(e, out));
    let want = Reducer::reduce(&events[..until_upstream]);
    let again = Reducer::reduce(remerge_sse(&sse, clean));
    assert_same_texts(&again, &want, "OpenAI SSE", &sse);
    let mut ids = std::collections::HashSet::new();
    let unique_ids = want.tool_calls.iter().all(|c| ids.insert(c.id.as_str()));
    // Ids the merger makes up never collide (`merge_call_<n>`), but a server may send one id for
    // two whole calls; they are kept as sent, and any id-keyed reader (this merger included)
    // joins them on the way back, so the comparison needs unique ids.
    if unique_ids {
        // Calls are reduced in the order they end; the SSE announces them in the order they
        // start, and a call whose name came late starts (and so ends) later on the way back.
        assert_same_calls(&again, &want, "OpenAI SSE", &sse);
    }
    let again_finish = again.finish.clone().unwrap_or_else(|| panic!("no finish"));
    assert_eq!(
        again_finish.reason,
        finish.reason,
        "finish reason via OpenAI SSE\n{}",
        String::from_utf8_lossy(&sse)
    );
    if clean && let Some(usage) = finish.usage {
        let got = again_finish.usage.unwrap_or_default();
        assert_eq!(
            (got.input_tokens, got.output_tokens),
            (
                Some(usage.input_tokens.unwrap_or(0)),
                Some(usage.output_tokens.unwrap_or(0))
            ),
            "usage via OpenAI SSE"
        );
    }

    // Ollama: up to the first upstream error or call that is not an argument object.
    let mut ollama = OllamaEncoder::new("m", "2026-01-10T16:55:32Z");
    let ndjson = encode_all(events, "Ollama", |e, out| ollama.encode(e, out));
    let cut = events
        .iter()
        .position(ollama_stops_at)
        .unwrap_or(events.len());
    let want = Reducer::reduce(&events[..cut]);
    let again = Reducer::reduce(remerge(ollama_wire::ChatStreamDecoder::new(), &ndjson));
    assert_same_texts(&again, &want, "Ollama NDJSON", &ndjson);
    // A native call carries the parsed object: the strict parse's text (trimmed, `{}` for
    // empty arguments) is what comes back as the raw arguments.
    let want_calls: Vec<(String, String, String)> = want
        .tool_calls
        .iter()
        .map(|c| {
            let args = c.arguments.as_ref().map_or("", |a| a.as_str());
            (c.id.clone(), c.name.clone(), args.to_owned())
        })
        .collect();
    assert_eq!(
        calls(&again),
        want_calls,
        "tool calls via Ollama NDJSON\n{}",
        String::from_utf8_lossy(&ndjson)
    );
    assert!(again.tool_calls.iter().all(|c| c.is_valid()));

    // The typed-event wires: everything up to the first upstream error, in streams their own
    // checking decoders accept without a fault.
    let want = Reducer::reduce(&events[..until_upstream]);
    let mut anthropic = AnthropicEncoder::new("msg_1", "m");
    let bytes = encode_all(events, "Anthropic", |e, out| anthropic.encode(e, out));
    let again = Reducer::reduce(remerge(
        anthropic_wire::events::StreamDecoder::new(),
        &bytes,
    ));
    assert_same_texts(&again, &want, "Anthropic Messages", &bytes);
    let mut responses = ResponsesEventEncoder::new("resp_1", 1_768_064_132, "m");
    let bytes2 = encode_all(events, "Responses", |e, out| responses.encode(e, out));
    let again2 = Reducer::reduce(remerge(
        openai_wire::responses::ResponsesStreamDecoder::new(),
        &bytes2,
    ));
    assert_same_texts(&again2, &want, "OpenAI Responses", &bytes2);
    if unique_ids {
        assert_same_calls(&again, &want, "Anthropic", &bytes);
        assert_same_calls(&again2, &want, "Responses", &bytes2);
    }
}

/// At most this many deltas are merged per input.
const MAX_DELTAS: usize = 5000;

/// `FUZZ_DEBUG` set: print the decoded input (to turn a finding into a test).
fn debug() -> bool {
    static DEBUG: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *DEBUG.get_or_init(|| std::env::var_os("FUZZ_DEBUG").is_some())
}

/// The `merge_deltas` target body.
pub fn target(data: &[u8]) {
    let Some(input) = Input::parse(data) else {
        return;
    };
    let wire = match input.flags & 3 {
        0 => None,
        1 => Some(Wire::Ollama),
        2 => Some(Wire::OllamaGenerate),
        // An event stream, of the wire its first event says; a body that does not even start
        // as one is read as chat completions.
        _ => Some(match Wire::sniff(&input.body) {
            wire if wire.is_ndjson() => Wire::OpenAi,
            wire => wire,
        }),
    };
    let deltas = match wire {
        None => deltas_from_bytes(&input.body),
        Some(wire) => deltas_from(WireStreamDecoder::new(wire), &input.body),
    };
    let mut deltas = deltas;
    // Bounds the time per input (with ASan, ~1 ms per 100 deltas); long streams are rows of the
    // hostile suite.
    deltas.truncate(MAX_DELTAS);
    let options = options(input.flags);
    if debug() {
        eprintln!("options: {options:?}\ndeltas: {deltas:#?}");
    }

    let events = run(&deltas, &options);
    check_well_formed(&events);
    assert_eq!(
        merge(deltas.iter().cloned(), options.clone()),
        events,
        "merge() and per-push draining differ"
    );
    assert_eq!(
        texts(&events),
        expected_texts(&deltas, &options),
        "lossless (reasoning, text)"
    );

    let split = split(&deltas, input.plan());
    let split_events = run(&split, &options);
    check_well_formed(&split_events);
    assert_eq!(texts(&split_events), expected_texts(&split, &options));
    assert_eq!(
        Reducer::reduce(&split_events),
        Reducer::reduce(&events),
        "cutting the deltas changed the message"
    );

    check_round_trips(&events);
}
