//! Each direction, with the upstream request written out by hand.

use serde_json::{Value, json};

use super::*;

/// The translation of a `client` request `body` for `upstream`, and the upstream body it
/// sends as JSON.
fn translated(client: Wire, upstream: UpstreamWire, body: Value) -> (Translated, Value) {
    let t = translate(client, upstream, body.to_string().as_bytes())
        .unwrap_or_else(|r| panic!("{client:?} → {upstream:?} refused: {r}"));
    let sent = serde_json::from_slice(&t.body).unwrap();
    (t, sent)
}

/// The upstream body a `client` request `body` is translated into.
fn sent(client: Wire, upstream: UpstreamWire, body: Value) -> Value {
    translated(client, upstream, body).1
}

fn refused(client: Wire, upstream: UpstreamWire, body: Value) -> String {
    match translate(client, upstream, body.to_string().as_bytes()) {
        Ok(t) => panic!(
            "{client:?} → {upstream:?} translated: {}",
            String::from_utf8_lossy(&t.body)
        ),
        Err(r) => r.field,
    }
}

/// `base` with `key` set to `value`.
fn with(mut base: Value, key: &str, value: Value) -> Value {
    base[key] = value;
    base
}

/// Asserts that each case `(upstream, key, value, field)` — `base()` with `key` set to
/// `value` — is refused for `upstream`, naming `field`.
fn assert_refusals(
    client: Wire,
    base: fn() -> Value,
    cases: Vec<(UpstreamWire, &str, Value, &str)>,
) {
    for (upstream, key, value, field) in cases {
        let case = format!("{client:?} → {upstream:?} with {key}: {value}");
        assert_eq!(
            refused(client, upstream, with(base(), key, value)),
            field,
            "{case}"
        );
    }
}

const PNG: &str = "iVBORw0KGgoAAAANSUhEUg==";

/// The body every translated request sends an Ollama upstream: `model`, `messages`, always
/// streaming; and the `rest` of the expected fields.
fn ollama_upstream(model: &str, messages: Value, rest: Value) -> Value {
    extended(
        json!({"model": model, "messages": messages, "stream": true}),
        rest,
    )
}

/// As [`ollama_upstream`] for an OpenAI upstream, which is also asked for its usage chunk.
fn openai_upstream(model: &str, messages: Value, rest: Value) -> Value {
    let head = json!({"model": model, "messages": messages, "stream": true,
        "stream_options": {"include_usage": true}});
    extended(head, rest)
}

/// `head` with the fields of `rest` added (none of which it has).
fn extended(mut head: Value, rest: Value) -> Value {
    for (key, value) in rest.as_object().expect("an object") {
        assert!(head.get(key).is_none(), "{key} twice");
        head[key] = value.clone();
    }
    head
}

fn png_data_url() -> String {
    format!("data:image/png;base64,{PNG}")
}

fn system(text: &str) -> Value {
    json!({"role": "system", "content": text})
}

/// A tool's reply as both upstream wires state it.
fn tool_reply(content: &str, call_id: &str) -> Value {
    json!({"role": "tool", "content": content, "tool_call_id": call_id})
}

/// An Ollama user turn of `text` and the test image.
fn ollama_user_with_image(text: &str) -> Value {
    json!({"role": "user", "content": text, "images": [PNG]})
}

/// An Ollama assistant turn: `thinking`, then one call with `arguments` as an object.
fn ollama_assistant_call(thinking: &str, id: &str, name: &str, arguments: Value) -> Value {
    json!({"role": "assistant", "content": "", "thinking": thinking,
        "tool_calls": [{"id": id, "function": {"name": name, "arguments": arguments}}]})
}

/// An OpenAI user turn of `text` and the test image as a data URL.
fn openai_user_with_image(text: &str) -> Value {
    json!({"role": "user", "content": [{"type": "text", "text": text},
        {"type": "image_url", "image_url": {"url": png_data_url()}}]})
}

/// An OpenAI assistant turn: `reasoning`, then one call with `arguments` as a JSON string.
fn openai_assistant_call(reasoning: &str, id: &str, name: &str, arguments: &str) -> Value {
    json!({"role": "assistant", "reasoning_content": reasoning,
        "tool_calls": [{"id": id, "type": "function", "function": {"name": name, "arguments": arguments}}]})
}

fn anthropic_request() -> Value {
    json!({
        "model": "qwen3", "max_tokens": 128, "temperature": 0.5, "stop_sequences": ["END"],
        "system": [{"type": "text", "text": "Be "}, {"type": "text", "text": "brief.", "cache_control": {"type": "ephemeral"}}],
        "metadata": {"user_id": "u1"},
        "tools": [{"name": "get_time", "description": "Time now", "input_schema": {"type": "object", "properties": {"tz": {"type": "string"}}}}],
        "messages": [
            {"role": "user", "content": [{"type": "text", "text": "Time "}, {"type": "text", "text": "in Paris?"},
                {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PNG}}]},
            {"role": "assistant", "content": [{"type": "thinking", "thinking": "Use the tool.", "signature": "sig"},
                {"type": "tool_use", "id": "toolu_1", "name": "get_time", "input": {"tz": "Europe/Paris"}}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "12:00", "is_error": false},
                {"type": "text", "text": "Thanks"}]},
        ],
        "stream": true,
        "unknown_field": 1,
    })
}

#[test]
fn anthropic_to_ollama() {
    let mut request = anthropic_request();
    request["top_k"] = json!(40);
    request["thinking"] = json!({"type": "enabled", "budget_tokens": 1024});
    assert_eq!(
        sent(Wire::Anthropic, UpstreamWire::Ollama, request),
        ollama_upstream(
            "qwen3",
            json!([
                system("Be brief."),
                ollama_user_with_image("Time in Paris?"),
                ollama_assistant_call("Use the tool.", "toolu_1", "get_time", json!({"tz": "Europe/Paris"})),
                tool_reply("12:00", "toolu_1"),
                {"role": "user", "content": "Thanks"},
            ]),
            json!({
                "tools": [{"type": "function", "function": {"name": "get_time", "description": "Time now",
                    "parameters": {"type": "object", "properties": {"tz": {"type": "string"}}}}}],
                "options": {"num_predict": 128, "temperature": 0.5, "top_k": 40, "stop": ["END"]},
                "think": true,
            }),
        )
    );
}

#[test]
fn anthropic_to_openai() {
    let mut request = anthropic_request();
    request["tool_choice"] = json!({"type": "any", "disable_parallel_tool_use": true});
    request["stream"] = json!(false);
    // Claude Code's shape: thinking on with a budget. OpenAI has no budget, and thinking on at
    // the default level is `reasoning_effort` left out (below).
    request["thinking"] = json!({"type": "enabled", "budget_tokens": 4096});
    let (t, body) = translated(Wire::Anthropic, UpstreamWire::OpenAi, request);
    assert!(!t.stream, "the client's stream flag is kept for the reply");
    assert_eq!(
        body,
        openai_upstream(
            "qwen3",
            json!([
                system("Be brief."),
                openai_user_with_image("Time in Paris?"),
                openai_assistant_call("Use the tool.", "toolu_1", "get_time", r#"{"tz":"Europe/Paris"}"#),
                tool_reply("12:00", "toolu_1"),
                {"role": "user", "content": "Thanks"},
            ]),
            json!({
                "tools": [{"type": "function", "function": {"name": "get_time", "description": "Time now",
                    "parameters": {"type": "object", "properties": {"tz": {"type": "string"}}}}}],
                "tool_choice": "required",
                "parallel_tool_calls": false,
                "max_tokens": 128,
                "temperature": 0.5,
                "stop": ["END"],
                "user": "u1",
            }),
        )
    );
}

#[test]
fn anthropic_refusals() {
    let (a, o) = (UpstreamWire::Ollama, UpstreamWire::OpenAi);
    let url_image = json!([{"role": "user", "content": [{"type": "image", "source": {"type": "url", "url": "https://x/y.png"}}]}]);
    let redacted =
        json!([{"role": "assistant", "content": [{"type": "redacted_thinking", "data": "x"}]}]);
    assert_refusals(
        Wire::Anthropic,
        anthropic_request,
        vec![
            (o, "top_k", json!(5), "top_k"),
            (a, "tool_choice", json!({"type": "any"}), "tool_choice"),
            (
                a,
                "tools",
                json!([{"type": "web_search_20250305", "name": "web_search"}]),
                "tools[0].type",
            ),
            (a, "messages", url_image.clone(), "messages[0]"),
            (a, "messages", redacted, "messages[0].content[0].type"),
        ],
    );
    // An OpenAI upstream fetches URLs itself.
    let body = sent(
        Wire::Anthropic,
        o,
        with(anthropic_request(), "messages", url_image),
    );
    assert_eq!(
        body["messages"][1]["content"][0]["image_url"]["url"],
        "https://x/y.png"
    );
}

fn responses_request() -> Value {
    json!({
        "model": "gpt-oss", "instructions": "Be brief.", "max_output_tokens": 64, "top_p": 0.9,
        "reasoning": {"effort": "high", "summary": "auto"},
        "text": {"format": {"type": "json_schema", "name": "answer", "schema": {"type": "object"}, "strict": true}},
        "tools": [{"type": "function", "name": "get_time", "parameters": {"type": "object"}}],
        "input": [
            {"role": "user", "content": "Time?"},
            {"type": "reasoning", "id": "rs_1", "summary": [{"type": "summary_text", "text": "Call it."}]},
            {"type": "function_call", "call_id": "call_1", "name": "get_time", "arguments": "{}"},
            {"type": "function_call_output", "call_id": "call_1", "output": "12:00"},
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "And "},
                {"type": "input_image", "image_url": png_data_url()}]},
        ],
        "stream": true, "store": false, "metadata": {"k": "v"},
    })
}

#[test]
fn responses_to_ollama() {
    assert_eq!(
        sent(Wire::Responses, UpstreamWire::Ollama, responses_request()),
        ollama_upstream(
            "gpt-oss",
            json!([
                system("Be brief."),
                {"role": "user", "content": "Time?"},
                ollama_assistant_call("Call it.", "call_1", "get_time", json!({})),
                tool_reply("12:00", "call_1"),
                ollama_user_with_image("And "),
            ]),
            json!({
                "format": {"type": "object"},
                "tools": [{"type": "function", "function": {"name": "get_time", "parameters": {"type": "object"}}}],
                "options": {"num_predict": 64, "top_p": 0.9},
                "think": "high",
            }),
        )
    );
}

#[test]
fn responses_to_openai() {
    assert_eq!(
        sent(Wire::Responses, UpstreamWire::OpenAi, responses_request()),
        openai_upstream(
            "gpt-oss",
            json!([
                system("Be brief."),
                {"role": "user", "content": "Time?"},
                openai_assistant_call("Call it.", "call_1", "get_time", "{}"),
                tool_reply("12:00", "call_1"),
                openai_user_with_image("And "),
            ]),
            json!({
                "tools": [{"type": "function", "function": {"name": "get_time", "parameters": {"type": "object"}}}],
                "max_tokens": 64,
                "reasoning_effort": "high",
                "response_format": {"type": "json_schema", "json_schema": {"name": "answer", "schema": {"type": "object"}, "strict": true}},
                "top_p": 0.9,
            }),
        )
    );
}

#[test]
fn responses_refusals() {
    let up = UpstreamWire::OpenAi;
    assert_refusals(
        Wire::Responses,
        responses_request,
        vec![
            (
                up,
                "previous_response_id",
                json!("resp_1"),
                "previous_response_id",
            ),
            (up, "store", json!(true), "store"),
            (
                up,
                "tools",
                json!([{"type": "web_search"}]),
                "tools[0].type",
            ),
            (
                up,
                "input",
                json!([{"type": "input_file_call", "id": "x"}]),
                "input[0].type",
            ),
            (
                UpstreamWire::Ollama,
                "tool_choice",
                json!("required"),
                "tool_choice",
            ),
        ],
    );
}

fn openai_request() -> Value {
    json!({
        "model": "qwen3", "max_tokens": 32, "seed": 7, "stop": "END", "temperature": 0.2,
        "reasoning_effort": "none", "response_format": {"type": "json_object"},
        "stream": true, "stream_options": {"include_usage": true},
        "messages": [
            {"role": "developer", "content": "Be brief."},
            {"role": "user", "content": [{"type": "text", "text": "Look: "},
                {"type": "image_url", "image_url": {"url": png_data_url(), "detail": "low"}}]},
            {"role": "assistant", "content": null, "reasoning": "Call.", "tool_calls": [{"id": "call_9", "type": "function",
                "function": {"name": "look", "arguments": "{\"at\":1}"}}]},
            {"role": "tool", "tool_call_id": "call_9", "content": "a cat"},
        ],
        "tools": [{"type": "function", "function": {"name": "look", "parameters": {"type": "object"}}}],
        "frequency_penalty": 0.5,
    })
}

#[test]
fn openai_chat_to_ollama() {
    let (t, body) = translated(Wire::OpenAi, UpstreamWire::Ollama, openai_request());
    assert!(t.stream && t.include_usage);
    assert_eq!(
        body,
        ollama_upstream(
            "qwen3",
            json!([
                system("Be brief."),
                ollama_user_with_image("Look: "),
                ollama_assistant_call("Call.", "call_9", "look", json!({"at": 1})),
                tool_reply("a cat", "call_9"),
            ]),
            json!({
                "format": "json",
                "tools": [{"type": "function", "function": {"name": "look", "parameters": {"type": "object"}}}],
                "options": {"num_predict": 32, "temperature": 0.2, "seed": 7, "stop": ["END"], "frequency_penalty": 0.5},
                "think": false,
            }),
        )
    );
}

#[test]
fn openai_chat_refusals() {
    let up = UpstreamWire::Ollama;
    let audio = json!([{"role": "user", "content": [{"type": "input_audio", "input_audio": {"data": "AA==", "format": "wav"}}]}]);
    let bad_args = json!([{"role": "assistant", "tool_calls": [{"id": "c", "type": "function", "function": {"name": "f", "arguments": "[1]"}}]}]);
    let url = json!([{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://x/y.png"}}]}]);
    assert_refusals(
        Wire::OpenAi,
        openai_request,
        vec![
            (up, "logprobs", json!(true), "logprobs"),
            (up, "n", json!(2), "n"),
            (up, "tool_choice", json!("required"), "tool_choice"),
            (up, "messages", audio, "messages[0].content[0].type"),
            (
                up,
                "messages",
                bad_args,
                "messages[0].tool_calls[0].function.arguments",
            ),
            (up, "messages", url, "messages[0]"),
        ],
    );
    assert_eq!(
        refused(Wire::OpenAi, up, json!({"model": "m", "messages": "hi"})),
        ""
    );
}

#[test]
fn completions_both_ways() {
    let request = json!({"model": "m", "prompt": "Once upon", "max_tokens": 8, "stop": ["\n"], "echo_unknown": true});
    assert_eq!(
        sent(Wire::Completions, UpstreamWire::Ollama, request.clone()),
        ollama_upstream(
            "m",
            json!([{"role": "user", "content": "Once upon"}]),
            json!({
                "options": {"num_predict": 8, "stop": ["\n"]},
            }),
        )
    );
    assert_eq!(
        sent(Wire::Completions, UpstreamWire::OpenAi, request),
        openai_upstream(
            "m",
            json!([{"role": "user", "content": "Once upon"}]),
            json!({
                "max_tokens": 8,
                "stop": ["\n"],
            }),
        )
    );
    let suffix = json!({"model": "m", "prompt": "a", "suffix": "b"});
    assert_eq!(
        refused(Wire::Completions, UpstreamWire::OpenAi, suffix),
        "suffix"
    );
}

#[test]
fn ollama_chat_to_openai() {
    let request = json!({
        "model": "qwen3", "think": false, "format": {"type": "object"},
        "options": {"temperature": 0.7, "num_predict": 16, "top_p": 0.8, "seed": 1, "stop": ["x"]},
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Look", "images": [PNG]},
            {"role": "assistant", "content": "", "thinking": "Call.",
                "tool_calls": [{"id": "call_1", "function": {"name": "look", "arguments": {"b": 2, "a": 1}}}]},
            {"role": "tool", "content": "a cat", "tool_name": "look", "tool_call_id": "call_1"},
        ],
    });
    let (t, body) = translated(Wire::Ollama, UpstreamWire::OpenAi, request);
    assert!(t.stream, "Ollama streams by default");
    assert_eq!(
        body,
        openai_upstream(
            "qwen3",
            json!([
                system("Be brief."),
                openai_user_with_image("Look"),
                openai_assistant_call("Call.", "call_1", "look", r#"{"a":1,"b":2}"#),
                tool_reply("a cat", "call_1"),
            ]),
            json!({
                "reasoning_effort": "none",
                "response_format": {"type": "json_schema", "json_schema": {"name": "response", "schema": {"type": "object"}}},
                "max_tokens": 16,
                "temperature": 0.7,
                "top_p": 0.8,
                "seed": 1,
                "stop": ["x"],
            }),
        )
    );
}

#[test]
fn ollama_refusals_on_openai() {
    let up = UpstreamWire::OpenAi;
    let chat = || json!({"model": "m", "messages": [{"role": "user", "content": "hi"}]});
    assert_refusals(
        Wire::Ollama,
        chat,
        vec![
            (up, "options", json!({"num_ctx": 8192}), "options.num_ctx"),
            (up, "options", json!({"top_k": 5}), "options.top_k"),
            (up, "keep_alive", json!("5m"), "keep_alive"),
            (
                up,
                "messages",
                json!([{"role": "tool", "content": "x", "tool_name": "f"}]),
                "messages[0].tool_call_id",
            ),
            (
                up,
                "messages",
                json!([{"role": "user", "content": "", "images": ["AAAA"]}]),
                "messages[0]",
            ),
            (up, "logprobs", json!(true), "logprobs"),
        ],
    );
    // Thinking on at no level: OpenAI's default effort, so no `reasoning_effort` is sent.
    let on = sent(Wire::Ollama, up, with(chat(), "think", json!(true)));
    assert_eq!(on.get("reasoning_effort"), None, "{on}");
    let high = sent(Wire::Ollama, up, with(chat(), "think", json!("high")));
    assert_eq!(high["reasoning_effort"], "high");
}

#[test]
fn generate_both_ways() {
    let request = json!({
        "model": "m", "prompt": "Why?", "system": "Be brief.", "images": [PNG],
        "think": "low", "keep_alive": "5m", "options": {"num_ctx": 4096, "temperature": 0},
        "stream": false,
    });
    let (t, body) = translated(Wire::OllamaGenerate, UpstreamWire::Ollama, request);
    assert!(!t.stream);
    assert_eq!(
        body,
        ollama_upstream(
            "m",
            json!([
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": "Why?", "images": [PNG]},
            ]),
            json!({
                "keep_alive": "5m",
                "options": {"temperature": 0.0, "num_ctx": 4096},
                "think": "low",
            }),
        )
    );
    let plain = json!({"model": "m", "prompt": "Why?", "options": {"temperature": 0}});
    assert_eq!(
        sent(Wire::OllamaGenerate, UpstreamWire::OpenAi, plain),
        openai_upstream(
            "m",
            json!([{"role": "user", "content": "Why?"}]),
            json!({
                "temperature": 0.0,
            }),
        )
    );
    for field in ["raw", "template", "suffix"] {
        let mut request = json!({"model": "m", "prompt": "a"});
        request[field] = if field == "raw" {
            json!(true)
        } else {
            json!("x")
        };
        assert_eq!(
            refused(Wire::OllamaGenerate, UpstreamWire::Ollama, request),
            field
        );
    }
}

#[test]
fn image_types_are_sniffed() {
    assert_eq!(to_openai_sniff("/9j/4AAQ"), Some("image/jpeg"));
    assert_eq!(
        to_openai_sniff("UklGRhAgMEBXRUJQVlA4IA=="),
        Some("image/webp")
    );
    assert_eq!(to_openai_sniff("UklGRhAgMEBXQVZF"), None);
    assert_eq!(to_openai_sniff("AAAA"), None);
}

fn to_openai_sniff(base64: &str) -> Option<&'static str> {
    to_openai::sniff(base64)
}
