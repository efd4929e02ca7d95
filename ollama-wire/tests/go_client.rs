//! `go_client::to_vec` writes each request as Ollama's Go client (`api.Client`) sends it. The
//! expected bytes are written by hand from the Go structs of github.com/ollama/ollama
//! `api/types.go` (commit 5dbb81b72c4b61b737e4970db711f7718e4efcc6): every field without
//! `omitempty` present with its zero value, `omitempty` fields left out when empty, Go's
//! escaping, `keep_alive` as a Go duration.

use ollama_wire::go_client::to_vec;
use ollama_wire::{
    ChatRequest, CopyRequest, CreateRequest, DeleteRequest, EmbedInput, EmbedRequest,
    EmbeddingRequest, GenerateRequest, KeepAlive, Message, ShowRequest, Think, ToolCall,
    ToolCallFunctionArguments, TransferRequest,
};
use serde_json::json;

fn text(request: &impl ollama_wire::go_client::GoClientRequest) -> String {
    String::from_utf8(to_vec(request).unwrap()).unwrap()
}

#[test]
fn generate_writes_the_fields_go_always_writes() {
    let request = GenerateRequest::new("gemma3", "a <b> & c");
    assert_eq!(
        text(&request),
        r#"{"model":"gemma3","prompt":"a \u003cb\u003e \u0026 c","suffix":"","system":"","template":"","options":null}"#
    );
    let mut request = GenerateRequest::new("gemma3", "hi");
    request.system = Some("Be brief.".into());
    request.context = Some(vec![]); // empty: omitted
    request.images = Some(vec!["aGk=".into()]);
    request.stream = Some(false);
    request.raw = true;
    request.keep_alive = Some(KeepAlive::Seconds(300.into()));
    request.options = Some(
        json!({"temperature": 0, "num_ctx": 2048})
            .as_object()
            .unwrap()
            .clone(),
    );
    request.think = Some(Think::Enabled(true));
    request.logprobs = true;
    request.top_logprobs = Some(0); // zero: omitted
    assert_eq!(
        text(&request),
        concat!(
            r#"{"model":"gemma3","prompt":"hi","suffix":"","system":"Be brief.","template":"","#,
            r#""stream":false,"raw":true,"keep_alive":"5m0s","images":["aGk="],"#,
            r#""options":{"num_ctx":2048,"temperature":0},"think":true,"logprobs":true}"#
        )
    );
}

#[test]
fn chat_writes_messages_and_tool_calls_as_go_does() {
    let mut assistant = Message::new("assistant", "");
    assistant.thinking = Some(String::new()); // empty: omitted
    let mut call = ToolCall::new(
        "get_weather",
        ToolCallFunctionArguments::from_json(r#"{"city":"Paris"}"#).unwrap(),
    );
    call.id = Some("call_1".into());
    assistant.tool_calls = Some(vec![call]);
    let mut tool = Message::new("tool", "18°C");
    tool.tool_name = Some("get_weather".into());
    let mut request = ChatRequest::new(
        "qwen3",
        vec![Message::new("user", "Weather in Paris?"), assistant, tool],
    );
    request.keep_alive = Some(KeepAlive::Duration("-1m".into()));
    request.tools = Some(vec![]); // empty: omitted
    assert_eq!(
        text(&request),
        concat!(
            r#"{"model":"qwen3","messages":[{"role":"user","content":"Weather in Paris?"},"#,
            r#"{"role":"assistant","content":"","tool_calls":[{"id":"call_1","function":{"index":0,"name":"get_weather","arguments":{"city":"Paris"}}}]},"#,
            r#"{"role":"tool","content":"18°C","tool_name":"get_weather"}],"#,
            r#""keep_alive":-1,"options":null}"#
        )
    );
    let mut request = ChatRequest::new("m", vec![]);
    request.keep_alive = Some(KeepAlive::Duration("1h30m".into()));
    assert_eq!(
        text(&request),
        r#"{"model":"m","messages":[],"keep_alive":"1h30m0s","options":null}"#
    );
    // Not a Go duration: written as given rather than guessed.
    request.keep_alive = Some(KeepAlive::Duration("soon".into()));
    assert!(text(&request).contains(r#""keep_alive":"soon""#));
}

#[test]
fn embedding_and_management_requests() {
    let mut embed = EmbedRequest::new("all-minilm", EmbedInput::Texts(vec!["a".into()]));
    embed.dimensions = Some(0); // zero: omitted
    assert_eq!(
        text(&embed),
        r#"{"model":"all-minilm","input":["a"],"options":null}"#
    );
    assert_eq!(
        text(&EmbeddingRequest::new("all-minilm", "a")),
        r#"{"model":"all-minilm","prompt":"a","options":null}"#
    );
    let mut show = ShowRequest::new("gemma3");
    show.verbose = true;
    assert_eq!(
        text(&show),
        r#"{"model":"gemma3","system":"","template":"","verbose":true,"options":null,"name":""}"#
    );
    let mut pull = TransferRequest::new("gemma3");
    pull.stream = Some(true);
    assert_eq!(
        text(&pull),
        r#"{"model":"gemma3","username":"","password":"","stream":true,"name":""}"#
    );
    pull.insecure = true;
    assert!(text(&pull).starts_with(r#"{"model":"gemma3","insecure":true,"username":"""#));
    assert_eq!(
        text(&CopyRequest::new("a", "b")),
        r#"{"source":"a","destination":"b"}"#
    );
    assert_eq!(text(&DeleteRequest::new("a")), r#"{"model":"a","name":""}"#);
    let mut create = CreateRequest::new("mine");
    create.from = Some("gemma3".into());
    create.system = Some(String::new()); // empty: omitted
    create.parameters = Some(json!({"num_ctx": 2048}).as_object().unwrap().clone());
    assert_eq!(
        text(&create),
        r#"{"model":"mine","from":"gemma3","parameters":{"num_ctx":2048},"name":""}"#
    );
}

#[test]
fn set_fields_are_written_and_empty_ones_left_out() {
    // `dimensions,omitempty`: a positive count is written, zero is not (above).
    let mut embed = EmbedRequest::new("all-minilm", EmbedInput::Texts(vec!["a".into()]));
    embed.dimensions = Some(256);
    assert_eq!(
        text(&embed),
        r#"{"model":"all-minilm","input":["a"],"dimensions":256,"options":null}"#
    );
    // `files`, `adapters` and `license` are `omitempty`: an empty map and a `null` license are
    // left out, anything else is written.
    let mut create = CreateRequest::new("mine");
    create.files = Some([("model.gguf".to_owned(), "sha256:ab".to_owned())].into());
    create.adapters = Some([("lora.gguf".to_owned(), "sha256:cd".to_owned())].into());
    create.license = Some(json!("MIT"));
    assert_eq!(
        text(&create),
        r#"{"model":"mine","files":{"model.gguf":"sha256:ab"},"adapters":{"lora.gguf":"sha256:cd"},"license":"MIT","name":""}"#
    );
    create.files = Some(Default::default());
    create.adapters = Some(Default::default());
    create.license = Some(serde_json::Value::Null);
    assert_eq!(text(&create), r#"{"model":"mine","name":""}"#);
}

#[test]
fn keep_alive_zero_is_a_zero_duration_and_a_negative_one_is_minus_one() {
    // Go's api.Duration marshals a negative duration as -1 and any other as its String().
    let mut chat = ChatRequest::new("gemma3", vec![]);
    chat.keep_alive = Some(KeepAlive::Seconds(0.into()));
    assert!(
        text(&chat).contains(r#""keep_alive":"0s""#),
        "{}",
        text(&chat)
    );
    chat.keep_alive = Some(KeepAlive::Duration("0s".into()));
    assert!(
        text(&chat).contains(r#""keep_alive":"0s""#),
        "{}",
        text(&chat)
    );
    chat.keep_alive = Some(KeepAlive::Seconds((-5).into()));
    assert!(
        text(&chat).contains(r#""keep_alive":-1"#),
        "{}",
        text(&chat)
    );
    chat.keep_alive = Some(KeepAlive::Duration("-1m".into()));
    assert!(
        text(&chat).contains(r#""keep_alive":-1"#),
        "{}",
        text(&chat)
    );
    // Exactly one second is "1s", the first duration Go writes in seconds; just under it is
    // in milliseconds.
    for (keep_alive, go) in [
        (KeepAlive::Seconds(1.into()), r#""keep_alive":"1s""#),
        (
            KeepAlive::Duration("999ms".into()),
            r#""keep_alive":"999ms""#,
        ),
        (KeepAlive::Duration("1000ms".into()), r#""keep_alive":"1s""#),
        // The unit changes at 1µs and 1ms as well.
        (
            KeepAlive::Duration("999ns".into()),
            r#""keep_alive":"999ns""#,
        ),
        (
            KeepAlive::Duration("1000ns".into()),
            r#""keep_alive":"1µs""#,
        ),
        (
            KeepAlive::Duration("999us".into()),
            r#""keep_alive":"999µs""#,
        ),
        (
            KeepAlive::Duration("1000us".into()),
            r#""keep_alive":"1ms""#,
        ),
    ] {
        chat.keep_alive = Some(keep_alive);
        assert!(text(&chat).contains(go), "{go}: {}", text(&chat));
    }
}
