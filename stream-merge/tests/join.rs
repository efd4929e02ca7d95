//! The one join from the wire decoders to the merger: every item, error and verdict of both wire
//! crates goes in as it comes, sans-IO (`MergeDecoder`) and async (`MergeStream`).
#![cfg(all(feature = "ollama", feature = "openai", feature = "stream"))]

mod common;

use bytes::Bytes;
use common::assert_valid;
use futures::StreamExt;
use ollama_stream_merge::{
    AssistantMessage, ErrorCategory, Event, FinishReason, MergeDecoder, MergeError, MergeStream,
    Merger, Reducer, WireError, merge_body,
};
use ollama_wire::{ChatStream, ChatStreamDecoder, GenerateStreamDecoder};
use openai_wire::chunks::StreamDecoder;

const SSE_CHUNK: &str = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n";
const SSE_FINISH: &str = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";
const NDJSON_CHUNK: &str =
    "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n";
const NDJSON_DONE: &str = "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\"}\n";

fn sse(body: &str) -> AssistantMessage {
    let events = merge_body(
        openai_wire::chunks::ChatStreamDecoder::new(),
        body.as_bytes(),
        Default::default(),
    );
    assert_valid(&events);
    Reducer::reduce(&events)
}

fn ndjson(body: &str) -> AssistantMessage {
    let events = merge_body(
        ChatStreamDecoder::new(),
        body.as_bytes(),
        Default::default(),
    );
    assert_valid(&events);
    Reducer::reduce(&events)
}

fn wire(error: &MergeError) -> &WireError {
    match error {
        MergeError::Wire(w) => w,
        other => panic!("expected a wire error, got {other:?}"),
    }
}

#[test]
fn an_sse_stream_cut_before_its_finish_reports_the_cut_once() {
    // The regression: `conformance replay` reported "ended without a finish signal" and the
    // decoder's "without `data: [DONE]`" for the same cut.
    let m = sse(SSE_CHUNK);
    assert_eq!(m.content, "Hi");
    assert_eq!(m.errors, [MergeError::Truncated]);
    assert_eq!(m.finish.unwrap().reason, FinishReason::Incomplete);
}

#[test]
fn an_sse_stream_cut_after_its_finish_reason_says_so_once() {
    let body = format!("{SSE_CHUNK}{SSE_FINISH}");
    let m = sse(&body);
    assert_eq!(m.errors.len(), 1, "{:?}", m.errors);
    let cut = wire(&m.errors[0]);
    assert_eq!(cut.category, ErrorCategory::Truncated);
    assert_eq!(cut.offset, Some(body.len() as u64));
    assert!(cut.message.contains("[DONE]"), "{cut}");
    // The reply itself finished: the server said `stop`.
    assert_eq!(m.finish.unwrap().reason, FinishReason::Stop);
}

#[test]
fn a_clean_sse_stream_has_no_error() {
    let m = sse(&format!("{SSE_CHUNK}{SSE_FINISH}data: [DONE]\n\n"));
    assert!(m.is_complete(), "{:?}", m.errors);
}

#[test]
fn no_cut_is_reported_after_an_upstream_error() {
    // Ollama's /v1 stream ends without [DONE] after an error event: the error is the news.
    let m = sse(&format!(
        "{SSE_CHUNK}data: {{\"error\":{{\"message\":\"boom\",\"type\":\"api_error\"}}}}\n\n"
    ));
    assert_eq!(m.errors.len(), 1, "{:?}", m.errors);
    assert!(matches!(&m.errors[0], MergeError::Upstream(e) if e.message == "boom"));
    assert_eq!(m.finish.unwrap().reason, FinishReason::Error);
}

#[test]
fn faults_of_the_bytes_are_error_events_in_place() {
    let body = format!("{SSE_CHUNK}data: {{not json\n\n{SSE_FINISH}data: [DONE]\n\ndata: x\n\n");
    let m = sse(&body);
    let faults: Vec<_> = m.errors.iter().map(wire).collect();
    assert_eq!(faults.len(), 2, "{faults:?}");
    assert_eq!(faults[0].category, ErrorCategory::Malformed);
    assert_eq!(faults[0].offset, Some(SSE_CHUNK.len() as u64));
    assert!(
        faults[1].message.contains("after `data: [DONE]`"),
        "{}",
        faults[1]
    );

    let m = ndjson(&format!("{NDJSON_CHUNK}{{\"oops\n{NDJSON_DONE}trailing\n"));
    let faults: Vec<_> = m.errors.iter().map(wire).collect();
    assert_eq!(faults.len(), 2, "{faults:?}");
    assert_eq!(faults[0].offset, Some(NDJSON_CHUNK.len() as u64));
    assert!(faults[1].message.contains("after the end"), "{}", faults[1]);
    assert_eq!(m.content, "Hi");
    assert_eq!(m.finish.unwrap().reason, FinishReason::Stop);
}

#[test]
fn an_ndjson_cut_is_reported_once_and_a_last_line_without_newline_is_kept() {
    let m = ndjson(NDJSON_CHUNK);
    assert_eq!(m.errors, [MergeError::Truncated]);

    // A non-stream reply is one line without a newline: decoded at the end, a clean finish.
    let m = ndjson(NDJSON_DONE.trim_end());
    assert!(m.is_complete(), "{:?}", m.errors);
    let generate = "{\"model\":\"m\",\"response\":\"Hey\",\"done\":true,\"done_reason\":\"stop\"}";
    let events = merge_body(
        GenerateStreamDecoder::new(),
        generate.as_bytes(),
        Default::default(),
    );
    let m = Reducer::reduce(&events);
    assert_eq!(m.content, "Hey");
    assert!(m.is_complete());
}

#[test]
fn the_join_gives_the_same_events_for_every_split() {
    let body = format!("{NDJSON_CHUNK}{NDJSON_CHUNK}{NDJSON_DONE}");
    let whole = merge_body(
        ChatStreamDecoder::new(),
        body.as_bytes(),
        Default::default(),
    );
    for piece in 1..body.len() {
        let mut join = MergeDecoder::new(ChatStreamDecoder::new());
        let mut events = Vec::new();
        for part in body.as_bytes().chunks(piece) {
            join.push(part);
            events.extend(&mut join);
        }
        assert!(join.merger().has_finish_signal());
        assert!(!join.merger().is_ended());
        join.finish();
        assert!(join.merger().is_ended());
        events.extend(&mut join);
        assert_eq!(events, whole, "pieces of {piece}");
    }
}

/// A whole (not streamed) reply through a merger: its events, checked well-formed.
fn merge_whole(reply: impl Into<ollama_stream_merge::Input>) -> Vec<Event> {
    let mut merger = Merger::new();
    merger.push(reply);
    merger.finish();
    let events: Vec<Event> = merger.collect();
    assert_valid(&events);
    events
}

#[test]
fn ended_and_finish_signal_are_two_queries() {
    let mut merger = Merger::new();
    assert!(!merger.has_finish_signal() && !merger.is_ended());
    merger.push(ollama_stream_merge::Delta::finish(Some("stop")));
    assert!(merger.has_finish_signal() && !merger.is_ended());
    merger.finish();
    assert!(merger.is_ended());

    let mut merger = Merger::new();
    merger.push(ollama_stream_merge::Input::End(None));
    assert!(merger.is_ended() && !merger.has_finish_signal());
    assert!(matches!(merger.last(), Some(Event::Finish(_))));
}

#[test]
fn merge_stream_takes_the_async_adapters_as_they_are() {
    // Ollama's adapter, cut by a transport error: the error, then the missing finish.
    let parts: Vec<Result<&[u8], std::io::Error>> = vec![
        Ok(NDJSON_CHUNK.as_bytes()),
        Err(std::io::Error::other("connection reset")),
    ];
    let events: Vec<Event> = futures::executor::block_on(
        MergeStream::new(ChatStream::new(futures::stream::iter(parts))).collect(),
    );
    assert_valid(&events);
    let m = Reducer::reduce(&events);
    assert_eq!(m.content, "Hi");
    assert_eq!(m.errors.len(), 2, "{:?}", m.errors);
    assert_eq!(wire(&m.errors[0]).category, ErrorCategory::Transport);
    assert!(wire(&m.errors[0]).message.contains("connection reset"));
    assert_eq!(m.errors[1], MergeError::Truncated);

    // OpenAI's adapter, cut after the finish reason: the same report as the sans-IO join.
    let body = format!("{SSE_CHUNK}{SSE_FINISH}");
    let parts: Vec<Result<Bytes, std::io::Error>> = body
        .as_bytes()
        .chunks(9)
        .map(|p| Ok(Bytes::copy_from_slice(p)))
        .collect();
    let events: Vec<Event> = futures::executor::block_on(
        MergeStream::new(openai_wire::stream::ChatStream::new(futures::stream::iter(
            parts,
        )))
        .collect(),
    );
    assert_valid(&events);
    assert_eq!(
        events,
        merge_body(
            openai_wire::chunks::ChatStreamDecoder::new(),
            body.as_bytes(),
            Default::default()
        )
    );
}

#[test]
fn wire_faults_keep_their_category() {
    use ollama_stream_merge::Input;
    // Ollama: a line over the limit, the cut verdict.
    let mut decoder = ollama_wire::StreamDecoder::<ollama_wire::ChatResponse>::with_max_line_len(8);
    decoder.push(b"{\"model\":\"a-long-name\"}\n");
    let item = decoder.next().unwrap();
    assert!(
        matches!(Input::from(item), Input::Wire(w) if w.category == ErrorCategory::Limit && w.offset == Some(0))
    );
    assert!(matches!(
        Input::from(decoder.finish()),
        Input::End(Some(w)) if w.category == ErrorCategory::Truncated
    ));
    // OpenAI: an event over the limit, the cut verdict, a malformed event.
    let config = openai_wire::sse::SseConfig::default().with_max_event_bytes(8);
    let mut decoder = openai_wire::chunks::ChatStreamDecoder::with_config(config);
    decoder.push(b"data: 0123456789\n\ndata: {\n\n");
    let limit = decoder.next().unwrap();
    assert!(matches!(Input::from(limit), Input::Wire(w) if w.category == ErrorCategory::Limit));
    let malformed = decoder.next().unwrap();
    assert!(
        matches!(Input::from(malformed), Input::Wire(w) if w.category == ErrorCategory::Malformed)
    );
    assert!(matches!(
        Input::from(decoder.finish()),
        Input::End(Some(w)) if w.category == ErrorCategory::Truncated
    ));
}

#[test]
fn usage_comes_with_either_count() {
    let body = "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":true,\"done_reason\":\"stop\",\"eval_count\":7}\n";
    let m = ndjson(body);
    let usage = m.finish.unwrap().usage.unwrap();
    assert_eq!((usage.input_tokens, usage.output_tokens), (None, Some(7)));
    assert_eq!(usage.total_tokens, None);
    let m = ndjson(NDJSON_DONE);
    assert_eq!(m.finish.unwrap().usage, None);
}

#[test]
fn a_non_stream_chat_completion_is_one_whole_delta() {
    let body = br#"{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[
        {"index":1,"message":{"role":"assistant","content":"other choice"},"finish_reason":"stop"},
        {"index":0,"message":{"role":"assistant","content":"Hi","reasoning":"Hmm.",
          "tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}]},
         "finish_reason":"tool_calls"}],
        "usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}"#;
    let reply = openai_wire::response::decode_json::<openai_wire::chat::ChatCompletion>(200, body);
    let events = merge_whole(reply);
    let m = Reducer::reduce(&events);
    assert_eq!((m.reasoning.as_str(), m.content.as_str()), ("Hmm.", "Hi"));
    assert_eq!(m.tool_calls.len(), 1);
    assert_eq!(
        (m.tool_calls[0].id.as_str(), m.tool_calls[0].name.as_str()),
        ("call_1", "f")
    );
    assert_eq!(m.tool_calls[0].raw_arguments, "{\"a\":1}");
    let finish = m.finish.unwrap();
    assert_eq!(finish.reason, FinishReason::ToolCalls);
    assert_eq!(finish.usage.unwrap().output_tokens, Some(4));
}

#[test]
fn merge_stream_stops_reading_at_the_end_of_input() {
    use ollama_stream_merge::Input;
    // After the verdict (End) the inner stream is not polled again.
    let inner = futures::stream::iter([
        Input::from(ollama_stream_merge::Delta::content("Hi")),
        Input::End(None),
    ])
    .chain(futures::stream::poll_fn(
        |_| -> std::task::Poll<Option<Input>> { panic!("polled after the end of input") },
    ));
    let events: Vec<Event> = futures::executor::block_on(MergeStream::new(inner).collect());
    assert_valid(&events);
    assert_eq!(Reducer::reduce(&events).content, "Hi");
}

#[test]
fn validate_holds_a_call_to_its_name() {
    use ollama_stream_merge::{Delta, ToolCallFragment, ViolationKind, merge, validate};
    let mut events = merge(
        [
            Delta::tool_call(ToolCallFragment::whole("get_time", "{}").with_id("call_1")),
            Delta::finish(Some("stop")),
        ],
        Default::default(),
    );
    assert_eq!(validate(&events), Ok(()));
    // Rename the call at its end only: same id, another name.
    for event in &mut events {
        if let Event::BlockEnd {
            outcome: ollama_stream_merge::BlockOutcome::ToolCall(call),
            ..
        } = event
        {
            call.name = "other".to_owned();
        }
    }
    assert!(matches!(
        validate(&events).unwrap_err().kind,
        ViolationKind::CallIdentityChanged { index: 0 }
    ));
}

/// A `/v1/completions` stream of the real Ollama 0.33 server with `include_usage`: every text
/// chunk carries a zeroed usage and the last `"choices":[]` chunk the real one; the merge is one
/// text block, finished `length`, with the real counts (7 prompt, 16 generated).
#[test]
fn a_text_completion_stream_merges_like_a_chat_stream() {
    use openai_wire::completions::{Completion, CompletionChunk};
    let case = test_support::case(
        test_support::Wire::OpenAi,
        "ollama033-completions-stream-usage",
    );
    let events = merge_body(
        StreamDecoder::<CompletionChunk>::new(),
        &case.body,
        Default::default(),
    );
    assert_valid(&events);
    let message = Reducer::reduce(&events);
    assert_eq!(
        message.content,
        "A. Paris\nB. Bordeaux\nC. Bordeaux\nD. Paris\n"
    );
    let finish = message.finish.unwrap();
    assert_eq!(finish.reason, FinishReason::Length);
    let usage = finish.usage.unwrap();
    assert_eq!(
        (usage.input_tokens, usage.output_tokens),
        (Some(7), Some(16))
    );

    // The same answer, not streamed.
    let body =
        test_support::case(test_support::Wire::OpenAi, "ollama033-completions-nostream").body;
    let reply: Completion = serde_json::from_slice(&body).unwrap();
    let events = merge_whole(reply);
    let whole = Reducer::reduce(&events);
    assert_eq!(whole.content, message.content);
    assert_eq!(whole.finish.unwrap().reason, FinishReason::Length);
}

/// `push_with` / `finish_with` show every item before it is merged and the events it produced
/// before the next item, and give the same events as `push` / `finish` for any split.
#[test]
fn stepwise_joining_shows_each_item_then_its_events() {
    use ollama_stream_merge::Step;

    let body = format!("{SSE_CHUNK}{SSE_CHUNK}{SSE_FINISH}data: [DONE]\n\n");
    let whole = merge_body(
        openai_wire::chunks::ChatStreamDecoder::new(),
        body.as_bytes(),
        Default::default(),
    );
    for piece in [1, 7, body.len()] {
        let mut join = MergeDecoder::new(openai_wire::chunks::ChatStreamDecoder::new());
        let mut log = Vec::new();
        let mut events = Vec::new();
        let mut record = |step: Step<'_, _>| match step {
            Step::Item(Ok(openai_wire::chunks::StreamItem::Chunk(_))) => log.push("chunk"),
            Step::Item(Ok(_)) => log.push("done"),
            Step::Item(Err(_)) => log.push("error"),
            Step::Event(event) => {
                log.push(match event {
                    Event::BlockStart { .. } => "start",
                    Event::TextDelta { .. } => "text",
                    Event::BlockEnd { .. } => "end",
                    Event::Finish(_) => "finish",
                    _ => "other",
                });
                events.push(event);
            }
            _ => log.push("step"),
        };
        for part in body.as_bytes().chunks(piece) {
            join.push_with(part, &mut record);
        }
        join.finish_with(&mut record);
        assert_eq!(events, whole, "piece {piece}");
        assert_eq!(
            log,
            [
                "chunk", "start", "text", "chunk", "text", "chunk", "end", "done", "finish"
            ],
            "piece {piece}"
        );
        assert!(join.merger().is_ended());
        assert_eq!(join.merger().cut(), None);
        // After the end, nothing more is shown.
        join.push_with(SSE_CHUNK.as_bytes(), |_| panic!("after the end"));
        join.finish_with(|_| panic!("after the end"));
    }
}

/// The merger counts violations and wire faults, keeps the verdict's cut, and `fail` ends the
/// input with a transport fault: a cut before the finish signal, an error event after it.
#[test]
fn counters_the_cut_and_a_failed_transport() {
    let mut merger = Merger::new();
    assert_eq!((merger.wire_faults(), merger.violations()), (0, 0));
    merger.push(ollama_stream_merge::Input::Wire(WireError::new(
        ErrorCategory::Malformed,
        Some(3),
        "bad line",
    )));
    merger.push(ollama_stream_merge::Input::Violation {
        error: WireError::new(ErrorCategory::Malformed, Some(9), "out of order"),
        content: Box::new(ollama_stream_merge::Delta::content("x").into()),
    });
    merger.push(ollama_stream_merge::Input::Violation {
        error: WireError::new(ErrorCategory::Malformed, Some(12), "again"),
        content: Box::new(ollama_stream_merge::Input::Nothing),
    });
    assert_eq!((merger.wire_faults(), merger.violations()), (1, 2));
    merger.push(ollama_stream_merge::Input::Wire(WireError::new(
        ErrorCategory::Limit,
        Some(20),
        "too long",
    )));
    assert_eq!((merger.wire_faults(), merger.violations()), (2, 2));
    assert_eq!(merger.cut(), None);
    let cut = WireError::new(
        ErrorCategory::Truncated,
        Some(20),
        "stream ended at byte 20",
    );
    merger.push(ollama_stream_merge::Input::End(Some(cut.clone())));
    assert_eq!(merger.cut(), Some(&cut));

    // A transport failure before the finish signal: the cut, with the transport's words.
    let mut join = MergeDecoder::new(ChatStreamDecoder::new());
    join.push(NDJSON_CHUNK.as_bytes());
    join.push(b"{\"model\":\"m\",\"mess");
    join.fail("connection reset");
    let events: Vec<Event> = join.by_ref().collect();
    assert_valid(&events);
    let cut = join.merger().cut().unwrap();
    assert_eq!(
        (cut.category, cut.message.as_str()),
        (ErrorCategory::Transport, "connection reset")
    );
    let message = Reducer::reduce(&events);
    assert_eq!(message.content, "Hi");
    assert_eq!(message.finish.unwrap().reason, FinishReason::Incomplete);
    assert!(matches!(message.errors.as_slice(), [MergeError::Truncated]));
    join.fail("again"); // after the end: nothing
    assert_eq!(join.next(), None);

    // After the finish signal the reply is complete: the fault is an error event of its own.
    let mut join = MergeDecoder::new(openai_wire::chunks::ChatStreamDecoder::new());
    join.push(format!("{SSE_CHUNK}{SSE_FINISH}").as_bytes());
    join.fail("idle timeout");
    let message = Reducer::reduce(join.by_ref().collect::<Vec<_>>());
    assert_eq!(message.finish.unwrap().reason, FinishReason::Stop);
    assert!(
        matches!(message.errors.as_slice(), [MergeError::Wire(w)] if w.message == "idle timeout"),
        "{:?}",
        message.errors
    );
}
