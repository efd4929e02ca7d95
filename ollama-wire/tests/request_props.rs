//! Generated requests: decoding what the encoder wrote gives the request back (encode ∘ decode
//! is the identity), and the Go-client encoding is stable (what it writes decodes into a request
//! it writes the same way again).

use std::fmt::Debug;

use ollama_wire::go_client::{self, GoClientRequest};
use ollama_wire::{
    ChatRequest, EmbedInput, EmbedRequest, Encoder, GenerateRequest, KeepAlive, Message, Think,
    ThinkLevel,
};
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

fn text() -> impl Strategy<Value = String> {
    // Escapes, HTML characters Go escapes, non-ASCII.
    prop::string::string_regex("[a-z <>&\"\\\\\n\u{e9}\u{1F600}]{0,12}").unwrap()
}

fn keep_alive() -> impl Strategy<Value = KeepAlive> {
    prop_oneof![
        (-1i64..=3600).prop_map(|n| KeepAlive::Seconds(n.into())),
        prop::sample::select(vec!["5m", "1h30m", "-1m", "300ms", "0"])
            .prop_map(|d| KeepAlive::Duration(d.to_owned())),
    ]
}

fn think() -> impl Strategy<Value = Think> {
    prop_oneof![
        any::<bool>().prop_map(Think::Enabled),
        prop::sample::select(vec![ThinkLevel::Low, ThinkLevel::Medium, ThinkLevel::High])
            .prop_map(Think::Level),
    ]
}

fn options() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::btree_map(
        prop::sample::select(vec!["temperature", "num_ctx", "seed", "stop"]),
        prop_oneof![
            (0u32..5000).prop_map(Value::from),
            text().prop_map(Value::from),
        ],
        0..4,
    )
    .prop_map(|m| m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

fn message() -> impl Strategy<Value = Message> {
    (
        prop::sample::select(vec!["system", "user", "assistant", "tool"]),
        text(),
        prop::option::of(text()),
        prop::option::of(prop::collection::vec("[A-Za-z0-9+/]{4}", 0..2)),
        prop::option::of(text()),
    )
        .prop_map(|(role, content, thinking, images, tool_name)| {
            let mut m = Message::new(role, content);
            m.thinking = thinking;
            m.images = images;
            m.tool_name = tool_name;
            m
        })
}

/// The fields chat and generate requests share (the same names on both).
#[derive(Debug, Clone)]
struct Shared {
    stream: Option<bool>,
    keep_alive: Option<KeepAlive>,
    options: Option<Map<String, Value>>,
    think: Option<Think>,
    truncate: Option<bool>,
    logprobs: bool,
    top_logprobs: Option<u8>,
}

prop_compose! {
    fn shared()(
        stream in prop::option::of(any::<bool>()),
        keep_alive in prop::option::of(keep_alive()),
        options in prop::option::of(options()),
        think in prop::option::of(think()),
        truncate in prop::option::of(any::<bool>()),
        logprobs in any::<bool>(),
        top_logprobs in prop::option::of(0u8..=20),
    ) -> Shared {
        Shared { stream, keep_alive, options, think, truncate, logprobs, top_logprobs }
    }
}

/// Sets the [`Shared`] fields of a chat or generate request.
macro_rules! set_shared {
    ($r:ident, $shared:expr) => {{
        let Shared {
            stream,
            keep_alive,
            options,
            think,
            truncate,
            logprobs,
            top_logprobs,
        } = $shared;
        $r.stream = stream;
        $r.keep_alive = keep_alive;
        $r.options = options;
        $r.think = think;
        $r.truncate = truncate;
        $r.logprobs = logprobs;
        $r.top_logprobs = top_logprobs;
    }};
}

prop_compose! {
    fn chat()(
        model in "[a-z0-9:.]{1,12}",
        messages in prop::collection::vec(message(), 0..4),
        shared in shared(),
    ) -> ChatRequest {
        let mut r = ChatRequest::new(model, messages);
        set_shared!(r, shared);
        r
    }
}

prop_compose! {
    fn generate()(
        model in "[a-z0-9:.]{1,12}",
        prompt in text(),
        suffix in prop::option::of(text()),
        system in prop::option::of(text()),
        context in prop::option::of(prop::collection::vec(0i64..100_000, 0..4)),
        raw in any::<bool>(),
        shared in shared(),
    ) -> GenerateRequest {
        let mut r = GenerateRequest::new(model, prompt);
        r.suffix = suffix;
        r.system = system;
        r.context = context;
        r.raw = raw;
        set_shared!(r, shared);
        r
    }
}

/// Decoding what the encoder wrote gives `request` back, and what the Go client writes decodes
/// into a request it writes the same way again; that request is returned.
fn survives_encoding<T>(request: &T) -> Result<T, TestCaseError>
where
    T: GoClientRequest + Serialize + DeserializeOwned + PartialEq + Debug,
{
    let bytes = Encoder::new().to_vec(request).unwrap();
    let back: T = serde_json::from_slice(&bytes).unwrap();
    prop_assert_eq!(&back, request);
    let go = go_client::to_vec(request).unwrap();
    let from_go: T = serde_json::from_slice(&go).unwrap();
    prop_assert_eq!(go_client::to_vec(&from_go).unwrap(), go);
    Ok(from_go)
}

proptest! {
    #[test]
    fn chat_requests_survive_encoding(request in chat()) {
        let from_go = survives_encoding(&request)?;
        prop_assert_eq!(from_go.messages.len(), request.messages.len());
    }

    #[test]
    fn generate_requests_survive_encoding(request in generate()) {
        let from_go = survives_encoding(&request)?;
        prop_assert_eq!(&from_go.prompt, &request.prompt);
    }

    #[test]
    fn embed_requests_survive_encoding(
        model in "[a-z0-9:.]{1,12}",
        texts in prop::collection::vec(text(), 1..4),
        one in any::<bool>(),
        dimensions in prop::option::of(1u32..1024),
    ) {
        let input = if one {
            EmbedInput::Text(texts[0].clone())
        } else {
            EmbedInput::Texts(texts)
        };
        let mut request = EmbedRequest::new(model, input);
        request.dimensions = dimensions;
        let from_go = survives_encoding(&request)?;
        prop_assert_eq!(from_go.input, request.input);
    }
}
