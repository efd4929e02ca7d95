//! The hand-written `Deserialize` impls of the Responses request types (`input`, its items and
//! their content parts): which variant each JSON shape lands in, and the error text for a value
//! of the wrong type. Expected values are written from reading the JSON in each test.

use openai_wire::responses::{ResponseInput, ResponseInputContent, ResponseInputItem};
use serde_json::json;

fn item(text: &str) -> ResponseInputItem {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn part(text: &str) -> ResponseInputContent {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// `input` is a string or an array; a number is neither, and serde_json's "invalid type"
/// message names what the visitor expects.
#[test]
fn input_of_wrong_type_names_what_is_expected() {
    let error = serde_json::from_str::<ResponseInput>("5").unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid type: integer `5`, expected a string or an array of input items at line 1 column 1"
    );
    let error = serde_json::from_str::<ResponseInput>(r#"{"role":"user"}"#).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("invalid type: map, expected a string or an array of input items"),
        "{error}"
    );
}

/// An object with neither `type` nor `role` is no message: it is kept whole as `Other`.
#[test]
fn item_without_type_or_role_is_other() {
    let text = r#"{"call_id":"call_1","output":"42"}"#;
    match item(text) {
        ResponseInputItem::Other(value) => {
            assert_eq!(value, json!({"call_id": "call_1", "output": "42"}));
        }
        other => panic!("expected Other, got {other:?}"),
    }
}

/// `role` makes a message only when `type` is absent: a `function_call` that also carries a
/// `role` is still a function call.
#[test]
fn typed_item_with_role_keeps_its_type() {
    let text = r#"{"type":"function_call","role":"assistant","call_id":"call_1","name":"get_weather","arguments":"{}"}"#;
    match item(text) {
        ResponseInputItem::FunctionCall(call) => {
            assert_eq!(call.kind, "function_call");
            assert_eq!(call.call_id, "call_1");
            assert_eq!(call.name, "get_weather");
            assert_eq!(call.arguments, "{}");
            assert_eq!(call.id, None);
        }
        other => panic!("expected FunctionCall, got {other:?}"),
    }
}

/// The shorthand message: `role` without `type`.
#[test]
fn item_with_role_and_no_type_is_message() {
    match item(r#"{"role":"user","content":"hi"}"#) {
        ResponseInputItem::Message(m) => {
            assert_eq!(m.kind, None);
            assert_eq!(serde_json::to_value(&m.role).unwrap(), json!("user"));
        }
        other => panic!("expected Message, got {other:?}"),
    }
}

/// An assistant history part `{"type":"output_text",…}` is `OutputText`, not `Other`.
#[test]
fn output_text_part_is_output_text() {
    match part(r#"{"type":"output_text","text":"It is sunny."}"#) {
        ResponseInputContent::OutputText(t) => {
            assert_eq!(t.kind, "output_text");
            assert_eq!(t.text, "It is sunny.");
        }
        other => panic!("expected OutputText, got {other:?}"),
    }
}

/// `{"type":"input_image",…}` is `InputImage` with its fields read, not `Other`.
#[test]
fn input_image_part_is_input_image() {
    let text = r#"{"type":"input_image","detail":"low","image_url":"https://example.com/cat.png"}"#;
    match part(text) {
        ResponseInputContent::InputImage(i) => {
            assert_eq!(i.kind, "input_image");
            assert_eq!(i.detail.as_deref(), Some("low"));
            assert_eq!(i.image_url.as_deref(), Some("https://example.com/cat.png"));
            assert_eq!(i.file_id, None);
        }
        other => panic!("expected InputImage, got {other:?}"),
    }
}

/// The other part types are kept whole.
#[test]
fn input_file_part_is_other() {
    match part(r#"{"type":"input_file","file_id":"file_1"}"#) {
        ResponseInputContent::Other(value) => {
            assert_eq!(value, json!({"type": "input_file", "file_id": "file_1"}));
        }
        other => panic!("expected Other, got {other:?}"),
    }
}
