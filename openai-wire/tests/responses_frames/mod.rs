//! `/v1/responses` frames as Ollama writes them, for the tests of the Responses decoder.
#![allow(dead_code)] // each test file uses its own part

/// One frame as Ollama writes it: `fields` and the `type`, keys already in order.
pub(crate) fn ev(kind: &str, fields: &str) -> String {
    format!("event: {kind}\ndata: {{{fields},\"type\":\"{kind}\"}}\n\n")
}
pub(crate) fn obj(kind: &str, seq: u64) -> String {
    ev(
        kind,
        &format!(r#""response":{{"id":"r"}},"sequence_number":{seq}"#),
    )
}
pub(crate) fn created(seq: u64) -> String {
    obj("response.created", seq)
}
pub(crate) fn completed(seq: u64) -> String {
    obj("response.completed", seq)
}
pub(crate) fn added(id: &str, index: u32, seq: u64) -> String {
    ev(
        "response.output_item.added",
        &format!(
            r#""item":{{"content":[],"id":"{id}","role":"assistant","status":"in_progress","type":"message"}},"output_index":{index},"sequence_number":{seq}"#
        ),
    )
}
pub(crate) fn item_done(id: &str, index: u32, seq: u64) -> String {
    ev(
        "response.output_item.done",
        &format!(
            r#""item":{{"content":[],"id":"{id}","role":"assistant","status":"completed","type":"message"}},"output_index":{index},"sequence_number":{seq}"#
        ),
    )
}
