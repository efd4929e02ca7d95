//! Request-side types: the multi-type fields and the encoded field order.
//!
//! Vectors for `keep_alive` and `think` follow the cases of Ollama's `api/types_test.go`
//! (`TestKeepAliveParsingFromJSON`, `TestThinking_UnmarshalJSON`; MIT), as data.

use ollama_wire::{
    ChatRequest, Encoder, Format, GenerateRequest, KeepAlive, Message, RawJson, ShowRequest, Think,
    ThinkLevel, Tool, ToolCall, ToolCallFunctionArguments,
};

#[test]
fn keep_alive_accepts_numbers_and_duration_strings() {
    for (json, want) in [
        ("42", KeepAlive::Seconds(42.into())),
        ("-1", KeepAlive::forever()),
        ("0", KeepAlive::unload()),
        ("\"42m\"", KeepAlive::Duration("42m".into())),
        ("\"-1m\"", KeepAlive::Duration("-1m".into())),
    ] {
        let got: KeepAlive = serde_json::from_str(json).unwrap();
        assert_eq!(got, want, "{json}");
        assert_eq!(
            serde_json::to_string(&got).unwrap(),
            json,
            "round trip of {json}"
        );
    }
    for json in ["42.5", "-3.14"] {
        let got: KeepAlive = serde_json::from_str(json).unwrap();
        assert!(
            matches!(&got, KeepAlive::Seconds(n) if n.is_f64()),
            "{json}"
        );
        assert_eq!(serde_json::to_string(&got).unwrap(), json);
    }
    assert!(serde_json::from_str::<KeepAlive>("true").is_err());
    assert!(serde_json::from_str::<KeepAlive>("null").is_err());
}

#[test]
fn think_is_a_bool_or_a_level() {
    for (json, want) in [
        ("true", Think::Enabled(true)),
        ("false", Think::Enabled(false)),
        ("\"low\"", Think::Level(ThinkLevel::Low)),
        ("\"medium\"", Think::Level(ThinkLevel::Medium)),
        ("\"high\"", Think::Level(ThinkLevel::High)),
        ("\"max\"", Think::Level(ThinkLevel::Max)),
        // Ollama answers 400 to unknown levels; the type keeps them so a proxy can forward them.
        ("\"ultra\"", Think::Level(ThinkLevel::Other("ultra".into()))),
    ] {
        let got: Think = serde_json::from_str(json).unwrap();
        assert_eq!(got, want, "{json}");
        assert_eq!(serde_json::to_string(&got).unwrap(), json);
    }
    assert!(serde_json::from_str::<Think>("1").is_err());
}

#[test]
fn format_is_json_or_a_schema_object() {
    assert_eq!(
        serde_json::from_str::<Format>("\"json\"").unwrap(),
        Format::Json
    );
    let schema = r#"{"type":"object","properties":{"b":{"type":"string"},"a":{"type":"integer"}},"required":["b","a"]}"#;
    let got: Format = serde_json::from_str(schema).unwrap();
    assert_eq!(got, Format::Schema(RawJson::from_json(schema).unwrap()));
    assert_eq!(
        serde_json::to_string(&got).unwrap(),
        schema,
        "key order kept"
    );
    let err = serde_json::from_str::<Format>("\"yaml\"").unwrap_err();
    assert!(
        err.to_string()
            .contains("expected \"json\" or a JSON Schema object"),
        "{err}"
    );
    assert!(serde_json::from_str::<Format>("[1]").is_err());
}

#[test]
fn chat_request_encodes_fields_in_order_and_omits_unset_ones() {
    let mut request = ChatRequest::new(
        "qwen3:8b",
        vec![
            Message::new("user", "Weather in Paris?"),
            {
                let mut m = Message::new("assistant", "");
                m.tool_calls = Some(vec![ToolCall::new(
                    "get_weather",
                    ToolCallFunctionArguments::from_json(r#"{"city":"Paris"}"#).unwrap(),
                )]);
                m
            },
            {
                let mut m = Message::new("tool", "18°C");
                m.tool_name = Some("get_weather".into());
                m.tool_call_id = Some("call_d1imwj4g".into());
                m
            },
        ],
    );
    request.stream = Some(false);
    request.think = Some(Think::Level(ThinkLevel::High));
    request.keep_alive = Some(KeepAlive::Duration("5m".into()));
    request.tools = Some(vec![Tool::function(
        RawJson::from_json(r#"{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}"#)
            .unwrap(),
    )]);
    let json = String::from_utf8(Encoder::new().to_vec(&request).unwrap()).unwrap();
    assert_eq!(
        json,
        r#"{"model":"qwen3:8b","messages":[{"role":"user","content":"Weather in Paris?"},{"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Paris"}}}]},{"role":"tool","content":"18°C","tool_name":"get_weather","tool_call_id":"call_d1imwj4g"}],"stream":false,"keep_alive":"5m","tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],"think":"high"}"#
    );
    let back: ChatRequest = serde_json::from_str(&json).unwrap();
    assert_eq!(back, request);
}

#[test]
fn generate_and_show_requests() {
    let mut g = GenerateRequest::new("qwen3:32b", "Why is the sky blue?");
    g.options = Some(serde_json::from_str(r#"{"num_predict":10,"temperature":0}"#).unwrap());
    g.raw = true;
    assert_eq!(
        serde_json::to_string(&g).unwrap(),
        r#"{"model":"qwen3:32b","prompt":"Why is the sky blue?","raw":true,"options":{"num_predict":10,"temperature":0}}"#
    );
    assert_eq!(
        serde_json::to_string(&ShowRequest::new("llama3.2")).unwrap(),
        r#"{"model":"llama3.2"}"#
    );
}
