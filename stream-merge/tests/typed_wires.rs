//! Values, one by one, of what the two typed-event wires (Anthropic Messages, OpenAI Responses)
//! convert into and what their re-encoders write: hand-written inputs, hand-written expected
//! values.
#![cfg(all(feature = "openai", feature = "anthropic"))]

use anthropic_wire::messages::{AnthropicMessage, MessageStreamEvent};
use ollama_stream_merge::to_anthropic::AnthropicEncoder;
use ollama_stream_merge::to_responses::ResponsesEventEncoder;
use ollama_stream_merge::{
    ArgumentsDelta, Delta, ErrorCategory, Event, FinishReason, Input, MergeDecoder, Step, Usage,
    merge,
};
use openai_wire::responses::{Response, ResponseStreamEvent};

fn anthropic(json: &str) -> Input {
    serde_json::from_str::<MessageStreamEvent>(json)
        .unwrap()
        .into()
}

fn delta(input: Input) -> Delta {
    match input {
        Input::Delta(delta) => delta,
        other => panic!("not a delta: {other:?}"),
    }
}

fn responses(kind: &str, data: &str) -> Input {
    ResponseStreamEvent::from_data(kind, data).unwrap().into()
}

#[test]
fn anthropic_events_carry_their_text_usage_and_calls() {
    // message_start: only the input count (its output count is a placeholder).
    let start = delta(anthropic(
        r#"{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"usage":{"input_tokens":7,"output_tokens":0}}}"#,
    ));
    let usage = start.usage.unwrap();
    assert_eq!(
        (usage.input_tokens, usage.output_tokens, usage.total_tokens),
        (Some(7), None, None)
    );
    // A block that starts with text or thinking carries it.
    let text = delta(anthropic(
        r#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":"Hel"}}"#,
    ));
    assert_eq!(
        (text.content.as_str(), text.reasoning.as_str()),
        ("Hel", "")
    );
    let thinking = delta(anthropic(
        r#"{"type":"content_block_start","index":1,"content_block":{"type":"thinking","thinking":"Hm"}}"#,
    ));
    assert_eq!(
        (thinking.content.as_str(), thinking.reasoning.as_str()),
        ("", "Hm")
    );
    // A tool_use start: id, name, the block index; `{}` (any spacing) is no argument text,
    // a whole input is.
    for (input, args, index) in [
        ("{}", "", 2),
        ("{ }", "", 3),
        (r#"{"a":1}"#, r#"{"a":1}"#, 5),
    ] {
        let call = delta(anthropic(&format!(
            r#"{{"type":"content_block_start","index":{index},"content_block":{{"type":"tool_use","id":"toolu_1","name":"f","input":{input}}}}}"#
        )));
        let fragment = &call.tool_calls[0];
        assert_eq!(fragment.id.as_deref(), Some("toolu_1"));
        assert_eq!(fragment.name.as_deref(), Some("f"));
        assert_eq!(fragment.index, Some(index));
        assert_eq!(
            fragment.arguments,
            Some(ArgumentsDelta::Fragment(args.to_owned())),
            "{input}"
        );
    }
    let huge = delta(anthropic(
        r#"{"type":"content_block_delta","index":9999999999,"delta":{"type":"input_json_delta","partial_json":"{"}}"#,
    ));
    assert_eq!(huge.tool_calls[0].index, Some(u32::MAX));
    let piece = delta(anthropic(
        r#"{"type":"content_block_delta","index":4,"delta":{"type":"input_json_delta","partial_json":"{\"x\""}}"#,
    ));
    assert_eq!(piece.tool_calls[0].index, Some(4));
    assert_eq!(
        piece.tool_calls[0].arguments,
        Some(ArgumentsDelta::Fragment("{\"x\"".to_owned()))
    );
    // message_delta: the finish signal, raw, and the final counts.
    let end = delta(anthropic(
        r#"{"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"input_tokens":7,"output_tokens":3}}"#,
    ));
    let finish = end.finish.unwrap();
    assert_eq!(
        (finish.reason, finish.raw.as_deref()),
        (FinishReason::Length, Some("max_tokens"))
    );
    assert_eq!(end.usage, Some(Usage::new(7, 3)));
    // Block stops, message_stop, ping: nothing for the merger.
    for json in [
        r#"{"type":"content_block_stop","index":0}"#,
        r#"{"type":"message_stop"}"#,
        r#"{"type":"ping"}"#,
    ] {
        assert_eq!(anthropic(json), Input::Nothing, "{json}");
    }
}

#[test]
fn anthropic_errors_and_verdicts_keep_their_category() {
    let mut decoder = anthropic_wire::events::StreamDecoder::new();
    decoder.push(b"event: message_start\ndata: {\"type\":\"message_st");
    let Input::End(Some(cut)) = Input::from(decoder.finish()) else {
        panic!("a cut")
    };
    assert_eq!(cut.category, ErrorCategory::Truncated);
    // A Truncated error item (as the adapter passes it on) is the end too.
    let mut decoder = anthropic_wire::events::StreamDecoder::new();
    decoder.push(b"data: {");
    let error = decoder.finish().unwrap_err();
    assert!(
        matches!(Input::from(error), Input::End(Some(w)) if w.category == ErrorCategory::Truncated)
    );

    let config = anthropic_wire::sse::SseConfig::default().with_max_line_bytes(8);
    let mut decoder = anthropic_wire::events::StreamDecoder::with_config(config);
    decoder.push(b"data: {\"type\":\"ping\"}\n\n");
    let item = decoder.next().unwrap();
    let Input::Wire(limit) = Input::from(item) else {
        panic!("a wire fault")
    };
    assert_eq!(limit.category, ErrorCategory::Limit);
    assert_eq!(limit.offset, Some(0));
}

#[test]
fn a_whole_anthropic_message_is_one_delta() {
    let message: AnthropicMessage = serde_json::from_str(
        r#"{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"thinking","thinking":"Need weather."},{"type":"text","text":"Checking."},{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}},{"type":"tool_use","id":"toolu_2","name":"now","input":{}}],"stop_reason":"tool_use","usage":{"input_tokens":10,"output_tokens":20}}"#,
    )
    .unwrap();
    let delta = Delta::from(message);
    assert_eq!(delta.reasoning, "Need weather.");
    assert_eq!(delta.content, "Checking.");
    assert_eq!(delta.usage, Some(Usage::new(10, 20)));
    let finish = delta.finish.as_ref().unwrap();
    assert_eq!(
        (finish.reason, finish.raw.as_deref()),
        (FinishReason::ToolCalls, Some("tool_use"))
    );
    let calls: Vec<_> = delta
        .tool_calls
        .iter()
        .map(|c| {
            (
                c.id.as_deref(),
                c.name.as_deref(),
                c.index,
                c.arguments.clone(),
            )
        })
        .collect();
    assert_eq!(
        calls,
        [
            (
                Some("toolu_1"),
                Some("get_weather"),
                Some(0),
                Some(ArgumentsDelta::Complete(r#"{"city":"Paris"}"#.to_owned()))
            ),
            (
                Some("toolu_2"),
                Some("now"),
                Some(1),
                Some(ArgumentsDelta::Complete("{}".to_owned()))
            ),
        ]
    );
}

#[test]
fn responses_events_and_whole_responses() {
    let text = delta(responses(
        "response.output_text.delta",
        r#"{"content_index":0,"delta":"Hi","item_id":"msg_1","logprobs":[],"output_index":0,"sequence_number":4}"#,
    ));
    assert_eq!(text.content, "Hi");
    let call = delta(responses(
        "response.output_item.added",
        r#"{"item":{"arguments":"","call_id":"call_1","id":"fc_1","name":"f","status":"in_progress","type":"function_call"},"output_index":2,"sequence_number":2}"#,
    ));
    assert_eq!(call.tool_calls[0].id.as_deref(), Some("call_1"));
    assert_eq!(call.tool_calls[0].index, Some(2));
    // Incomplete: the reason when there is one, else the status.
    for (details, reason, raw) in [
        (
            r#"{"reason":"max_output_tokens"}"#,
            FinishReason::Length,
            "max_output_tokens",
        ),
        (r#"{"reason":""}"#, FinishReason::Other, "incomplete"),
    ] {
        let end = delta(responses(
            "response.incomplete",
            &format!(
                r#"{{"response":{{"id":"r","status":"incomplete","incomplete_details":{details},"usage":{{"input_tokens":5,"output_tokens":6,"total_tokens":11,"output_tokens_details":{{"reasoning_tokens":2}}}}}},"sequence_number":9}}"#
            ),
        ));
        let finish = end.finish.unwrap();
        assert_eq!((finish.reason, finish.raw.as_deref()), (reason, Some(raw)));
        let usage = end.usage.unwrap();
        assert_eq!(
            (
                usage.input_tokens,
                usage.output_tokens,
                usage.total_tokens,
                usage.reasoning_tokens
            ),
            (Some(5), Some(6), Some(11), Some(2))
        );
    }
    let response: Response = serde_json::from_str(
        r#"{"id":"r","object":"response","status":"completed","output":[{"id":"rs_1","type":"reasoning","summary":[{"type":"summary_text","text":"Think."}]},{"id":"msg_1","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Done."}]},{"arguments":"{\"a\":1}","call_id":"call_1","id":"fc_1","name":"f","status":"completed","type":"function_call"}],"usage":{"input_tokens":1,"output_tokens":2,"total_tokens":3}}"#,
    )
    .unwrap();
    let delta = Delta::from(response);
    assert_eq!(
        (delta.reasoning.as_str(), delta.content.as_str()),
        ("Think.", "Done.")
    );
    assert_eq!(delta.tool_calls.len(), 1);
    assert_eq!(delta.tool_calls[0].id.as_deref(), Some("call_1"));
    assert_eq!(delta.tool_calls[0].name.as_deref(), Some("f"));
    assert_eq!(
        delta.tool_calls[0].arguments,
        Some(ArgumentsDelta::Complete(r#"{"a":1}"#.to_owned()))
    );
    assert_eq!(delta.finish.unwrap().reason, FinishReason::Stop);
    assert_eq!(delta.usage.unwrap().total_tokens, Some(3));
}

fn anthropic_bytes(deltas: Vec<Delta>) -> String {
    let mut out = Vec::new();
    let mut encoder = AnthropicEncoder::new("msg_1", "m");
    for event in merge(deltas, Default::default()) {
        encoder.encode(&event, &mut out).unwrap();
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn anthropic_stop_reasons() {
    for (raw, written) in [
        ("stop", "end_turn"),
        ("stop_sequence", "stop_sequence"),
        ("length", "max_tokens"),
        ("content_filter", "refusal"),
        ("pause_turn", "pause_turn"),
    ] {
        let text = anthropic_bytes(vec![Delta::content("x"), Delta::finish(Some(raw))]);
        assert!(
            text.contains(&format!(r#""delta":{{"stop_reason":"{written}"}}"#)),
            "{raw}: {text}"
        );
    }
    let calls = anthropic_bytes(vec![
        Delta::tool_call(ollama_stream_merge::ToolCallFragment::whole("f", "{}").with_id("c1")),
        Delta::finish(Some("stop")),
    ]);
    assert!(calls.contains(r#""stop_reason":"tool_use""#), "{calls}");
    // A finish that says `error` without an error event: an error event, no message_stop.
    let failed = anthropic_bytes(vec![Delta::content("x"), Delta::finish(Some("error"))]);
    assert!(failed.contains("event: error\n"), "{failed}");
    assert!(!failed.contains("message_stop"), "{failed}");
    // A cut: no message_delta, no message_stop.
    let cut = anthropic_bytes(vec![Delta::content("x")]);
    assert!(
        !cut.contains("message_delta") && !cut.contains("message_stop"),
        "{cut}"
    );
    assert!(cut.contains(r#""text_delta","text":"x""#), "{cut}");
}

#[test]
fn responses_items_are_empty_when_added_and_whole_when_done() {
    let mut out = Vec::new();
    let mut encoder = ResponsesEventEncoder::new("resp_1", 1, "m");
    for event in merge(
        [
            Delta::reasoning("Hm."),
            Delta::content("Hi"),
            Delta::finish(Some("error")),
        ],
        Default::default(),
    ) {
        encoder.encode(&event, &mut out).unwrap();
    }
    let text = String::from_utf8(out).unwrap();
    let data: Vec<serde_json::Value> = text
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .map(|d| serde_json::from_str(d).unwrap())
        .collect();
    let added: Vec<&serde_json::Value> = data
        .iter()
        .filter(|d| d["type"] == "response.output_item.added")
        .collect();
    let done: Vec<&serde_json::Value> = data
        .iter()
        .filter(|d| d["type"] == "response.output_item.done")
        .collect();
    assert_eq!(added[0]["item"]["summary"], serde_json::json!([]));
    assert_eq!(added[1]["item"]["content"], serde_json::json!([]));
    assert_eq!(added[1]["item"]["status"], "in_progress");
    assert_eq!(done[0]["item"]["summary"][0]["text"], "Hm.");
    assert_eq!(done[1]["item"]["content"][0]["text"], "Hi");
    assert_eq!(done[1]["item"]["status"], "completed");
    // The `error` finish is a failed response, the last event.
    let last = data.last().unwrap();
    assert_eq!(last["type"], "response.failed");
    assert_eq!(last["response"]["status"], "failed");
    // Sequence numbers count from 0.
    let numbers: Vec<u64> = data
        .iter()
        .map(|d| d["sequence_number"].as_u64().unwrap())
        .collect();
    assert_eq!(numbers, (0..data.len() as u64).collect::<Vec<_>>());
    // The new-response defaults OpenAI's types require.
    assert_eq!(data[0]["response"]["tool_choice"], "auto");
    assert_eq!(data[0]["response"]["parallel_tool_calls"], true);
    assert_eq!(data[0]["response"]["tools"], serde_json::json!([]));
}

#[test]
fn an_anthropic_thinking_block_starts_with_an_empty_signature() {
    let text = anthropic_bytes(vec![Delta::reasoning("Hm."), Delta::finish(Some("stop"))]);
    assert!(
        text.contains(r#""content_block":{"type":"thinking","thinking":"","signature":""}"#),
        "{text}"
    );
    let events = merge([Delta::reasoning("Hm.")], Default::default());
    assert!(matches!(events.last(), Some(Event::Finish(_))));
}

#[test]
fn the_responses_encoder_writes_the_sources_ids_and_terminal_times() {
    let mut encoder = ResponsesEventEncoder::new("resp_1", 1, "m");
    for (kind, data) in [
        (
            "response.output_item.added",
            r#"{"item":{"id":"rs_9","summary":[],"type":"reasoning"},"output_index":0,"sequence_number":2}"#,
        ),
        (
            "response.output_item.added",
            r#"{"item":{"content":[],"id":"msg_7","role":"assistant","status":"in_progress","type":"message"},"output_index":1,"sequence_number":5}"#,
        ),
        (
            "response.completed",
            r#"{"response":{"id":"resp_1","created_at":1796113316,"completed_at":1796113320,"status":"completed"},"sequence_number":9}"#,
        ),
    ] {
        encoder.observe_source(&ResponseStreamEvent::from_data(kind, data).unwrap());
    }
    let mut out = Vec::new();
    let events = merge(
        [
            Delta::reasoning("Hm."),
            Delta::content("Hi"),
            Delta::content("").with_reasoning(""),
            Delta::finish(Some("completed")),
        ],
        Default::default(),
    );
    for event in &events {
        encoder.encode(event, &mut out).unwrap();
    }
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains(r#""item_id":"rs_9""#), "{text}");
    assert!(text.contains(r#""item_id":"msg_7""#), "{text}");
    let last: serde_json::Value = serde_json::from_str(
        text.lines()
            .rev()
            .find_map(|l| l.strip_prefix("data: "))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(last["type"], "response.completed");
    assert_eq!(last["response"]["completed_at"], 1_796_113_320);
    assert_eq!(last["response"]["created_at"], 1_796_113_316);
    // Without a source id for a kind, the encoder makes one up.
    let mut plain = ResponsesEventEncoder::new("resp_2", 1, "m");
    let mut out = Vec::new();
    for event in merge(
        [Delta::content("x"), Delta::finish(Some("stop"))],
        Default::default(),
    ) {
        plain.encode(&event, &mut out).unwrap();
    }
    assert!(
        String::from_utf8(out)
            .unwrap()
            .contains(r#""item_id":"msg_resp_2_0""#)
    );
}

/// A hand-written upstream Responses stream with a reasoning item carrying `encrypted_content`
/// (`include: ["reasoning.encrypted_content"]`), or (`encrypted: false`) the same without it.
fn responses_source(encrypted: bool) -> String {
    use serde_json::json;
    let reasoning = |summary: serde_json::Value| {
        let mut item = json!({"id": "rs_e", "type": "reasoning", "summary": summary});
        if encrypted {
            item["encrypted_content"] = json!("gAAAAABo-opaque+/==");
        }
        item
    };
    let summary = json!([{"type": "summary_text", "text": "Hm."}]);
    let message = json!({"id": "msg_e", "type": "message", "role": "assistant",
        "status": "completed", "content": [{"type": "output_text", "text": "Hi", "annotations": []}]});
    let response = |status: &str, output: serde_json::Value| {
        json!({"id": "resp_e", "object": "response", "created_at": 1_796_113_316, "model": "m",
            "status": status, "output": output})
    };
    let events = [
        (
            "response.created",
            json!({"response": response("in_progress", json!([]))}),
        ),
        (
            "response.output_item.added",
            json!({"item": reasoning(json!([])), "output_index": 0}),
        ),
        (
            "response.reasoning_summary_text.delta",
            json!({"delta": "Hm.", "item_id": "rs_e", "output_index": 0, "summary_index": 0}),
        ),
        (
            "response.output_item.done",
            json!({"item": reasoning(summary.clone()), "output_index": 0}),
        ),
        (
            "response.output_item.added",
            json!({"item": {"id": "msg_e", "type": "message", "role": "assistant",
                "status": "in_progress", "content": []}, "output_index": 1}),
        ),
        (
            "response.content_part.added",
            json!({"item_id": "msg_e", "output_index": 1, "content_index": 0,
                "part": {"type": "output_text", "text": "", "annotations": []}}),
        ),
        (
            "response.output_text.delta",
            json!({"delta": "Hi", "item_id": "msg_e", "output_index": 1, "content_index": 0}),
        ),
        (
            "response.output_item.done",
            json!({"item": message.clone(), "output_index": 1}),
        ),
        (
            "response.completed",
            json!({"response": response("completed", json!([reasoning(summary), message]))}),
        ),
    ];
    events
        .into_iter()
        .enumerate()
        .map(|(n, (kind, mut data))| {
            data["sequence_number"] = json!(n);
            format!("event: {kind}\ndata: {data}\n\n")
        })
        .collect()
}

/// The re-encoded stream of `source`: decoded, each event shown to the encoder, merged, encoded
/// (the relay's join); the data of every event, parsed.
fn responses_repaired(source: &str) -> Vec<serde_json::Value> {
    let mut join = MergeDecoder::new(openai_wire::responses::ResponsesStreamDecoder::new());
    let mut encoder: Option<ResponsesEventEncoder> = None;
    let mut out = Vec::new();
    let mut step = |step: Step<'_, _>| match step {
        Step::Item(Ok(event)) => {
            if let ResponseStreamEvent::Created(created) = event {
                encoder = Some(ResponsesEventEncoder::for_source(&created.response));
            }
            encoder.as_mut().unwrap().observe_source(event);
        }
        Step::Item(Err(e)) => panic!("{e}"),
        Step::Event(event) => encoder.as_mut().unwrap().encode(&event, &mut out).unwrap(),
        _ => {}
    };
    join.push_with(source.as_bytes(), &mut step);
    join.finish_with(&mut step);
    String::from_utf8(out)
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .map(|d| serde_json::from_str(d).unwrap())
        .collect()
}

#[test]
fn the_responses_encoder_keeps_the_sources_encrypted_reasoning() {
    let data = responses_repaired(&responses_source(true));
    let done: Vec<&serde_json::Value> = data
        .iter()
        .filter(|d| d["type"] == "response.output_item.done" && d["item"]["type"] == "reasoning")
        .collect();
    assert_eq!(done.len(), 1, "{data:?}");
    let expected = serde_json::json!({
        "id": "rs_e",
        "type": "reasoning",
        "summary": [{"type": "summary_text", "text": "Hm."}],
        "encrypted_content": "gAAAAABo-opaque+/==",
    });
    assert_eq!(done[0]["item"], expected);
    let last = data.last().unwrap();
    assert_eq!(last["type"], "response.completed");
    assert_eq!(last["response"]["output"][0], expected);
    // Written only where the source wrote it: not on the added item, not on the message.
    let added = data
        .iter()
        .find(|d| d["type"] == "response.output_item.added" && d["item"]["type"] == "reasoning")
        .unwrap();
    assert_eq!(
        added["item"],
        serde_json::json!({"id": "rs_e", "type": "reasoning", "summary": []})
    );
    assert!(
        last["response"]["output"][1]
            .get("encrypted_content")
            .is_none()
    );
}

#[test]
fn the_responses_encoder_writes_no_encrypted_reasoning_the_source_did_not() {
    let data = responses_repaired(&responses_source(false));
    let done = data
        .iter()
        .find(|d| d["type"] == "response.output_item.done" && d["item"]["type"] == "reasoning")
        .unwrap();
    let expected = serde_json::json!({
        "id": "rs_e",
        "type": "reasoning",
        "summary": [{"type": "summary_text", "text": "Hm."}],
    });
    assert_eq!(done["item"], expected);
    assert_eq!(data.last().unwrap()["response"]["output"][0], expected);
}

#[test]
fn the_responses_encoder_gives_a_function_call_the_sources_item_id() {
    let mut encoder = ResponsesEventEncoder::new("resp_3", 1, "m");
    encoder.observe_source(
        &ResponseStreamEvent::from_data(
            "response.output_item.added",
            r#"{"item":{"arguments":"","call_id":"call_1","id":"fc_42","name":"get_weather","status":"in_progress","type":"function_call"},"output_index":0,"sequence_number":2}"#,
        )
        .unwrap(),
    );
    let mut out = Vec::new();
    for event in merge(
        [
            Delta::tool_call(
                ollama_stream_merge::ToolCallFragment::whole("get_weather", "{}").with_id("call_1"),
            ),
            Delta::finish(Some("completed")),
        ],
        Default::default(),
    ) {
        encoder.encode(&event, &mut out).unwrap();
    }
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains(r#""id":"fc_42""#), "{text}");
    assert!(text.contains(r#""item_id":"fc_42""#), "{text}");
}
