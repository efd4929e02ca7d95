//! The chat delta's text fields through deserializers other than `serde_json::from_str`: from
//! a `serde_json::Value` (which hands strings over owned), and the "expected" text of the
//! errors for a text field of another type.

use std::borrow::Cow;

use openai_wire::chat::{
    ChatCompletionChunk, ChatCompletionChunkRef, ChatCompletionDelta, ChatCompletionDeltaRef,
};
use serde::Deserialize;
use serde::de::value::{Error as ValueError, MapDeserializer};
use serde_json::json;

#[test]
fn a_delta_decodes_from_a_json_value() {
    let value = json!({
        "role": "assistant",
        "content": "hi",
        "reasoning": "hm",
        "refusal": "no",
        "tool_calls": [{"id": "call_1", "index": 0, "type": "function",
                        "function": {"name": "f", "arguments": "{}"}}]
    });
    // Borrowed type, owned deserializer: every text is copied.
    let d = ChatCompletionDeltaRef::deserialize(value.clone()).unwrap();
    assert!(matches!(d.content, Some(Cow::Owned(ref s)) if s == "hi"));
    assert_eq!(d.reasoning.as_deref(), Some("hm"));
    assert_eq!(d.refusal.as_deref(), Some("no"));
    let call = &d.tool_calls.as_ref().unwrap()[0];
    assert_eq!(call.id.as_deref(), Some("call_1"));
    assert_eq!(call.kind.as_deref(), Some("function"));
    let function = call.function.as_ref().unwrap();
    assert_eq!(function.name.as_deref(), Some("f"));
    assert_eq!(function.arguments.as_deref(), Some("{}"));
    // The owned delta, which decodes through the borrowed one.
    let d: ChatCompletionDelta = serde_json::from_value(value).unwrap();
    assert_eq!(d.content.as_deref(), Some("hi"));
    assert_eq!(d.reasoning.as_deref(), Some("hm"));
    // A whole chunk.
    let chunk: ChatCompletionChunk = serde_json::from_value(json!({
        "id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "qwen3",
        "choices": [{"index": 0, "delta": {"content": "Hello"}, "finish_reason": null}]
    }))
    .unwrap();
    assert_eq!(chunk.choices[0].delta.content.as_deref(), Some("Hello"));
    // `null` is no text.
    let d = ChatCompletionDeltaRef::deserialize(json!({"content": null})).unwrap();
    assert_eq!(d.content, None);
}

#[test]
fn a_text_field_of_another_type_says_a_string_was_expected() {
    // serde_json names the column of the last byte it read: in `{"content":5}` the `5`
    // (column 12), read as a number; in `{"model":[],…` the `:` (column 9), the `[` only
    // peeked at.
    let error = serde_json::from_str::<ChatCompletionDeltaRef<'_>>(r#"{"content":5}"#).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid type: integer `5`, expected a string at line 1 column 12"
    );
    let error = serde_json::from_str::<ChatCompletionChunkRef<'_>>(r#"{"model":[],"choices":[]}"#)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid type: sequence, expected a string at line 1 column 9"
    );
}

#[test]
fn a_deserializer_without_options_hears_a_string_or_null_was_expected() {
    // serde's own map deserializer hands a value to `deserialize_option` as it is (no `Some`
    // wrapper): an integer for an optional text is refused by the option visitor itself.
    let map = MapDeserializer::<_, ValueError>::new([("content", 5i32)].into_iter());
    let error = ChatCompletionDeltaRef::deserialize(map).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid type: integer `5`, expected a string or null"
    );
}
