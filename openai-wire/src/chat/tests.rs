//! Chat type tests. Wire strings are copied from Ollama's documented shapes
//! (ollama/ollama openai/openai.go and middleware/openai.go) and from the recorded llama.cpp and
//! Ollama 0.33 transcripts.

use super::*;

fn roundtrip<T: Serialize + for<'de> Deserialize<'de>>(json: &str) -> T {
    let value: T = serde_json::from_str(json).unwrap();
    assert_eq!(serde_json::to_string(&value).unwrap(), json);
    value
}

const OLLAMA_STREAM: [&str; 4] = [
    r#"{"id":"chatcmpl-492","object":"chat.completion.chunk","created":1768064132,"model":"qwen3:32b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"Okay"},"finish_reason":null}]}"#,
    r#"{"id":"chatcmpl-492","object":"chat.completion.chunk","created":1768064132,"model":"qwen3:32b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"content":"Hello"},"finish_reason":null}]}"#,
    r#"{"id":"chatcmpl-492","object":"chat.completion.chunk","created":1768064132,"model":"qwen3:32b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#,
    r#"{"id":"chatcmpl-492","object":"chat.completion.chunk","created":1768064132,"model":"qwen3:32b","system_fingerprint":"fp_ollama","choices":[],"usage":{"prompt_tokens":13,"completion_tokens":20,"total_tokens":33}}"#,
];

#[test]
fn ollama_chunks_reencode_byte_identically() {
    let chunks: Vec<ChatCompletionChunk> = OLLAMA_STREAM.iter().map(|s| roundtrip(s)).collect();
    assert_eq!(chunks[0].choices[0].delta.role, Some(Role::Assistant));
    assert_eq!(chunks[0].choices[0].delta.content.as_deref(), Some(""));
    assert_eq!(
        chunks[0].choices[0].delta.reasoning.as_deref(),
        Some("Okay")
    );
    assert_eq!(chunks[0].choices[0].finish_reason, None);
    assert_eq!(chunks[2].choices[0].delta, ChatCompletionDelta::default());
    assert_eq!(
        chunks[2].choices[0].finish_reason,
        Some(ChatCompletionFinishReason::Stop)
    );
    assert!(chunks[3].choices.is_empty());
    let usage = chunks[3].usage.as_ref().unwrap();
    assert_eq!(
        (
            usage.prompt_tokens,
            usage.completion_tokens,
            usage.total_tokens
        ),
        (13, 20, 33)
    );
}

#[test]
fn ollama_tool_call_chunk_reencodes_byte_identically() {
    let json = r#"{"id":"chatcmpl-7","object":"chat.completion.chunk","created":1,"model":"m","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"","tool_calls":[{"id":"call_wteop8bt","index":0,"type":"function","function":{"name":"run_command","arguments":"{\"command\":\"ls\"}"}}]},"finish_reason":null}]}"#;
    let chunk: ChatCompletionChunk = roundtrip(json);
    let call = &chunk.choices[0].delta.tool_calls.as_ref().unwrap()[0];
    assert_eq!(call.id.as_deref(), Some("call_wteop8bt"));
    assert_eq!(call.index, Some(0));
    let function = call.function.as_ref().unwrap();
    assert_eq!(function.name.as_deref(), Some("run_command"));
    assert_eq!(function.arguments.as_deref(), Some(r#"{"command":"ls"}"#));
}

#[test]
fn ollama_mid_stream_error_chunk_decodes() {
    roundtrip::<ChatCompletionChunk>(
        r#"{"id":"chatcmpl-5","object":"chat.completion.chunk","created":2,"model":"","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"content":""},"finish_reason":null}]}"#,
    );
}

#[test]
fn reasoning_key_is_remembered() {
    for key in ["reasoning", "reasoning_content", "reasoning_text"] {
        let json = format!(r#"{{"{key}":"think"}}"#);
        let delta: ChatCompletionDelta = serde_json::from_str(&json).unwrap();
        assert_eq!(delta.reasoning.as_deref(), Some("think"), "{key}");
        assert_eq!(serde_json::to_string(&delta).unwrap(), json);
    }
    let delta: ChatCompletionDelta = serde_json::from_str(r#"{"reasoning_content":"a"}"#).unwrap();
    assert_eq!(delta.reasoning_key, ReasoningKey::ReasoningContent);
}

#[test]
fn duplicate_reasoning_keys_are_read_once() {
    let delta: ChatCompletionDelta =
        serde_json::from_str(r#"{"reasoning":"x","reasoning_content":"x"}"#).unwrap();
    assert_eq!(delta.reasoning.as_deref(), Some("x"));
    assert_eq!(delta.reasoning_key, ReasoningKey::ReasoningContent);
    let delta: ChatCompletionDelta =
        serde_json::from_str(r#"{"reasoning_content":"","reasoning":"y"}"#).unwrap();
    assert_eq!(delta.reasoning.as_deref(), Some("y"));
    assert_eq!(delta.reasoning_key, ReasoningKey::Reasoning);
}

#[test]
fn llama_server_chunk_with_nulls_and_unknown_fields() {
    let json = r#"{"choices":[{"finish_reason":"length","index":0,"delta":{"role":"assistant","content":null}}],"created":1795316830,"id":"chatcmpl-S","model":"gemma-3-270m","system_fingerprint":"b0-unknown","object":"chat.completion.chunk","timings":{"cache_n":0}}"#;
    let chunk: ChatCompletionChunk = serde_json::from_str(json).unwrap();
    assert_eq!(chunk.choices[0].delta.content, None);
    assert_eq!(
        chunk.choices[0].finish_reason,
        Some(ChatCompletionFinishReason::Length)
    );
    assert_eq!(chunk.model, "gemma-3-270m");
}

#[test]
fn llama_cpp_python_tool_fragment_with_explicit_nulls() {
    let json = r#"{"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": [{"index": 0, "delta": {"role": null, "content": null, "function_call": {"name": "get_weather", "arguments": "{ \""}, "tool_calls": [{"index": 0, "id": "call__0", "type": "function", "function": {"name": "get_weather", "arguments": "{ \""}}]}, "logprobs": null, "finish_reason": null}]}"#;
    let chunk: ChatCompletionChunk = serde_json::from_str(json).unwrap();
    let calls = chunk.choices[0].delta.tool_calls.as_ref().unwrap();
    assert_eq!(
        calls[0].function.as_ref().unwrap().arguments.as_deref(),
        Some("{ \"")
    );
    assert_eq!(chunk.choices[0].logprobs, None);
}

#[test]
fn finish_reason_is_open() {
    let json = r#"{"index":0,"delta":{},"finish_reason":"load"}"#;
    let choice: ChunkChoice = roundtrip(json);
    assert_eq!(
        choice.finish_reason,
        Some(ChatCompletionFinishReason::Other("load".into()))
    );
    assert_eq!(
        ChatCompletionFinishReason::from("tool_calls"),
        ChatCompletionFinishReason::ToolCalls
    );
    assert_eq!(
        ChatCompletionFinishReason::ContentFilter.as_str(),
        "content_filter"
    );
}

#[test]
fn completions_chunk_is_not_a_chat_chunk() {
    let json = r#"{"id":"cmpl-1","object":"text_completion","created":1,"model":"m","choices":[{"text":" the","index":0,"logprobs":null,"finish_reason":null}]}"#;
    assert!(serde_json::from_str::<ChatCompletionChunk>(json).is_err());
}

#[test]
fn ollama_nonstream_response_reencodes_byte_identically() {
    let json = r#"{"id":"chatcmpl-514","object":"chat.completion","created":1768064131,"model":"qwen3:32b","system_fingerprint":"fp_ollama","choices":[{"index":0,"message":{"role":"assistant","content":"","reasoning":"Okay, the user asked me to say hello…"},"finish_reason":"length"}],"usage":{"prompt_tokens":13,"completion_tokens":20,"total_tokens":33}}"#;
    let response: ChatCompletion = roundtrip(json);
    assert_eq!(response.choices[0].message.role, Role::Assistant);
}

#[test]
fn llama_cpp_python_forced_tool_response() {
    let json = r#"{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"content":null,"tool_calls":[{"id":"call__0_get_weather","type":"function","function":{"name":"get_weather","arguments":"{ \"city\": \"Paris\"} "}}],"role":"assistant","function_call":{"name":"get_weather","arguments":"{}"}},"logprobs":null,"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}"#;
    let response: ChatCompletion = serde_json::from_str(json).unwrap();
    let message = &response.choices[0].message;
    assert_eq!(message.content, None);
    let call = &message.tool_calls.as_ref().unwrap()[0];
    assert_eq!(call.function.name, "get_weather");
    assert_eq!(call.kind, "function");
    assert_eq!(
        response.choices[0].finish_reason,
        Some(ChatCompletionFinishReason::ToolCalls)
    );
}

#[test]
fn request_with_every_documented_field() {
    let json = r#"{
        "model": "qwen3:32b",
        "messages": [
            {"role": "system", "content": "be brief"},
            {"role": "user", "content": [
                {"type": "text", "text": "what is this?"},
                {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA", "detail": "low"}},
                {"type": "image_url", "image_url": "data:;base64,BBBB"},
                {"type": "input_audio", "input_audio": {"data": "CCCC", "format": "wav"}},
                {"type": "file", "file": {"file_id": "f"}}
            ]},
            {"role": "assistant", "content": null, "reasoning": "hmm",
             "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}]},
            {"role": "tool", "tool_call_id": "call_1", "name": "f", "content": "42"}
        ],
        "stream": true,
        "stream_options": {"include_usage": true},
        "tools": [{"type": "function", "function": {"name": "f", "description": "d", "parameters": {"type": "object"}}}],
        "tool_choice": {"type": "function", "function": {"name": "f"}},
        "max_tokens": 64,
        "max_completion_tokens": 65,
        "reasoning_effort": "high",
        "reasoning": {"effort": "ultra"},
        "response_format": {"type": "json_schema", "json_schema": {"name": "n", "schema": {"type": "object"}, "strict": true}},
        "temperature": 0,
        "top_p": 0.9,
        "seed": 42,
        "stop": ["\n\n", "END"],
        "logprobs": true,
        "top_logprobs": 2,
        "frequency_penalty": null,
        "unknown_extension": {"x": 1}
    }"#;
    let request: ChatCompletionRequest = serde_json::from_str(json).unwrap();
    assert_eq!(request.messages.len(), 4);
    let Some(Content::Parts(parts)) = &request.messages[1].content else {
        panic!("parts expected")
    };
    assert_eq!(parts.len(), 5);
    assert_eq!(
        parts[1],
        ContentPart::ImageUrl {
            url: "data:image/png;base64,AAAA".into(),
            detail: Some("low".into())
        }
    );
    assert_eq!(
        parts[2],
        ContentPart::ImageUrl {
            url: "data:;base64,BBBB".into(),
            detail: None
        }
    );
    assert!(matches!(parts[4], ContentPart::Other(_)));
    assert_eq!(request.messages[2].reasoning.as_deref(), Some("hmm"));
    assert_eq!(request.messages[3].role, Role::Tool);
    assert_eq!(
        request.stream_options.as_ref().unwrap().include_usage,
        Some(true)
    );
    assert_eq!(
        request.tool_choice,
        Some(ToolChoice::Named(NamedToolChoice::new("f")))
    );
    assert_eq!(request.reasoning_effort, Some(ReasoningEffort::High));
    assert_eq!(
        request.reasoning.as_ref().unwrap().effort,
        Some(ReasoningEffort::Other("ultra".into()))
    );
    assert_eq!(
        request.stop,
        Some(Stop::Many(vec!["\n\n".into(), "END".into()]))
    );
    assert_eq!(request.temperature, Some(0.0));
    assert_eq!(request.frequency_penalty, None);
    assert_eq!(request.max_completion_tokens, Some(65));

    // Re-encoding and decoding again is stable.
    let again: ChatCompletionRequest =
        serde_json::from_str(&serde_json::to_string(&request).unwrap()).unwrap();
    assert_eq!(again, request);
}

#[test]
fn request_encodes_compactly() {
    let request = ChatCompletionRequest {
        model: "m".into(),
        messages: vec![ChatCompletionMessage::new(Role::User, "hi")],
        stream: Some(true),
        tool_choice: Some(ToolChoice::Mode(ToolChoiceMode::Required)),
        ..ChatCompletionRequest::default()
    };
    assert_eq!(
        serde_json::to_string(&request).unwrap(),
        r#"{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true,"tool_choice":"required"}"#
    );
}

#[test]
fn error_envelopes() {
    let ollama = r#"{"error":{"message":"model 'x' not found","type":"not_found_error","param":null,"code":null}}"#;
    let envelope: ErrorEnvelope = roundtrip(ollama);
    assert_eq!(envelope.error.message(), "model 'x' not found");

    let native: ErrorEnvelope = roundtrip(r#"{"error":"unauthorized"}"#);
    assert_eq!(native.error, ErrorPayload::Message("unauthorized".into()));

    let llama_server = r#"{"error":{"code":400,"message":"the request exceeds the available context size","type":"exceed_context_size_error","n_prompt_tokens":4611,"n_ctx":2048}}"#;
    let envelope: ErrorEnvelope = serde_json::from_str(llama_server).unwrap();
    let ErrorPayload::Object(error) = &envelope.error else {
        panic!("object expected")
    };
    assert_eq!(error.code, Some(Value::from(400)));
    assert_eq!(error.kind.as_deref(), Some("exceed_context_size_error"));
    assert_eq!(error.extra.get("n_ctx"), Some(&Value::from(2048)));
}
