//! What a value of the wrong JSON type is told, and the bounds every hand-written visitor keeps:
//! each error message names what was expected (the texts users see in a `DecodeError`'s
//! source), a tag spelled with escapes is still that tag, and typed objects nest at most 128
//! deep even through a deserializer without serde_json's own recursion limit.

use anthropic_wire::UnknownFields;
use anthropic_wire::messages::{
    ContentBlock, MessageContent, MessageParam, MessageStreamEvent, TextBlock,
};
use anthropic_wire::messages::{MessageStreamEventRef, UnknownFieldsRef};
use serde::Deserialize;
use serde_json::json;

/// The message serde_json gives for `input` read as `T`.
fn error_of<'a, T: Deserialize<'a> + std::fmt::Debug>(input: &'a str) -> String {
    serde_json::from_str::<T>(input).unwrap_err().to_string()
}

#[test]
fn a_value_of_the_wrong_type_is_told_what_was_expected() {
    // Tagged enums (owned and borrowed), plain objects and the unknown-field maps: an object;
    // a message's content: text or blocks.
    let cases = [
        (
            error_of::<MessageStreamEvent>("[1]"),
            "invalid type: sequence, expected a JSON object at line 1 column 0",
        ),
        (
            error_of::<MessageStreamEventRef<'_>>("[1]"),
            "invalid type: sequence, expected a JSON object at line 1 column 0",
        ),
        (
            error_of::<TextBlock>("\"text\""),
            "invalid type: string \"text\", expected a JSON object at line 1 column 6",
        ),
        (
            error_of::<UnknownFields>("7"),
            "invalid type: integer `7`, expected a JSON object at line 1 column 1",
        ),
        (
            error_of::<UnknownFieldsRef<'_>>("true"),
            "invalid type: boolean `true`, expected a JSON object at line 1 column 4",
        ),
        (
            error_of::<MessageContent>("5"),
            "invalid type: integer `5`, expected content: a string or an array of content blocks at line 1 column 1",
        ),
    ];
    for (got, want) in cases {
        assert_eq!(got, want);
    }
    let error = error_of::<MessageParam>(r#"{"role":"user","content":{}}"#);
    assert!(
        error.contains("expected content: a string or an array of content blocks"),
        "{error}"
    );
}

#[test]
fn a_tag_spelled_with_escapes_is_still_that_tag() {
    // `t\u0065xt` is `text`: the quick comparison of unescaped tags does not apply, the
    // unescaped text decides.
    let block: ContentBlock = serde_json::from_str(r#"{"type":"t\u0065xt","text":"hi"}"#).unwrap();
    match &block {
        ContentBlock::Text(text) => assert_eq!(text.text, "hi"),
        other => panic!("{other:?}"),
    }
    let event: MessageStreamEventRef<'_> =
        serde_json::from_str(r#"{"type":"m\u0065ssage_stop"}"#).unwrap();
    assert_eq!(event.kind(), "message_stop");
}

#[test]
fn typed_objects_nest_at_most_128_deep_from_any_deserializer() {
    // A `serde_json::Value` has no recursion limit of its own: the count of typed objects is
    // what bounds the stack. `levels` tool_result blocks, each inside the last one's content.
    let nested = |levels: usize| {
        let mut content = json!("x");
        for _ in 1..levels {
            content = json!([{"type": "tool_result", "tool_use_id": "t", "content": content}]);
        }
        json!({"type": "tool_result", "tool_use_id": "t", "content": content})
    };
    let block = ContentBlock::deserialize(&nested(128)).unwrap();
    assert_eq!(block.kind(), "tool_result");
    let error = ContentBlock::deserialize(&nested(129)).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("objects nested more than 128 deep"),
        "{error}"
    );
}

#[test]
fn the_unknown_field_maps_read_any_object_in_order() {
    let input = r#"{"z":1,"a":{"b":[true]},"m":"x"}"#;
    let owned: UnknownFields = serde_json::from_str(input).unwrap();
    let keys: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (k, v.as_str())).collect();
    assert_eq!(keys, [("z", "1"), ("a", r#"{"b":[true]}"#), ("m", "\"x\"")]);
    let borrowed: UnknownFieldsRef<'_> = serde_json::from_str(input).unwrap();
    let keys: Vec<(&str, &str)> = borrowed.iter().map(|(k, v)| (k, v.get())).collect();
    assert_eq!(keys, [("z", "1"), ("a", r#"{"b":[true]}"#), ("m", "\"x\"")]);
}
