//! The accessors and hand-written serde pieces of the native types, with values written by
//! hand: each was changed by a mutant that no other ollama-wire test noticed.

use std::collections::BTreeMap;

use ollama_wire::{
    Capability, KeepAlive, ListModel, Metrics, ModelInfo, RawJson, ShowSummary, Think,
    ToolCallFunctionArguments, decode_json,
};
use serde::Deserialize;
use serde::de::value::{Error as ValueError, MapDeserializer};

#[test]
fn tool_call_arguments_constructors_and_text() {
    assert_eq!(ToolCallFunctionArguments::empty().as_str(), "{}");
    assert_eq!(ToolCallFunctionArguments::default().as_str(), "{}");
    let map = BTreeMap::from([("city", "Paris"), ("unit", "C")]);
    let args = ToolCallFunctionArguments::from_serialize(&map).unwrap();
    assert_eq!(args.as_str(), r#"{"city":"Paris","unit":"C"}"#);
    // Debug and Display are the JSON text itself.
    assert_eq!(format!("{args:?}"), r#"{"city":"Paris","unit":"C"}"#);
    assert_eq!(args.to_string(), r#"{"city":"Paris","unit":"C"}"#);
    let error = ToolCallFunctionArguments::from_serialize(&[1, 2]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "tool-call arguments must be a JSON object, got [1,2]"
    );
}

#[test]
fn metrics_emptiness_and_speed() {
    let mut metrics = Metrics::default();
    assert!(metrics.is_empty());
    assert_eq!(metrics.tokens_per_second(), None);
    metrics.eval_count = Some(10);
    assert!(!metrics.is_empty());
    assert_eq!(metrics.tokens_per_second(), None, "no duration");
    metrics.eval_duration = Some(0);
    assert_eq!(
        metrics.tokens_per_second(),
        None,
        "a zero duration is no speed"
    );
    metrics.eval_duration = Some(2_000_000_000);
    assert_eq!(metrics.tokens_per_second(), Some(5.0));
    let mut only_total = Metrics::default();
    only_total.total_duration = Some(1);
    assert!(!only_total.is_empty());
}

#[test]
fn model_info_entries_in_order() {
    let mut info = ModelInfo::default();
    assert!(info.is_empty());
    assert_eq!(info.iter().count(), 0);
    info.push(
        "general.architecture",
        RawJson::from_json(r#""qwen3""#).unwrap(),
    );
    info.push("qwen3.context_length", RawJson::from_json("40960").unwrap());
    assert!(!info.is_empty());
    assert_eq!(info.len(), 2);
    let entries: Vec<(&str, &str)> = info.iter().map(|(k, v)| (k, v.as_str())).collect();
    assert_eq!(
        entries,
        [
            ("general.architecture", r#""qwen3""#),
            ("qwen3.context_length", "40960")
        ]
    );
    assert_eq!(info.context_length(), Some(40960));
    assert_eq!(
        format!("{info:?}"),
        r#"{"general.architecture": "qwen3", "qwen3.context_length": 40960}"#
    );
}

#[test]
fn show_summary_capabilities() {
    let summary: ShowSummary =
        decode_json(200, br#"{"capabilities":["completion","tools"]}"#).unwrap();
    assert!(summary.has_capability(&Capability::Tools));
    assert!(!summary.has_capability(&Capability::Thinking));
    let without: ShowSummary = decode_json(200, br#"{"details":{}}"#).unwrap();
    assert!(!without.has_capability(&Capability::Completion));
}

#[test]
fn list_model_id_falls_back_to_the_name() {
    let model: ListModel = serde_json::from_str(
        r#"{"name":"llama3.2:latest","model":"","size":1,"digest":"d","details":{}}"#,
    )
    .unwrap();
    assert_eq!(model.id(), "llama3.2:latest");
    let model: ListModel = serde_json::from_str(
        r#"{"name":"shown","model":"llama3.2:latest","size":1,"digest":"d","details":{}}"#,
    )
    .unwrap();
    assert_eq!(model.id(), "llama3.2:latest");
}

#[test]
fn hand_written_visitors_say_what_they_expected() {
    let error = serde_json::from_str::<Think>("[1]").unwrap_err();
    assert_eq!(
        error.to_string(),
        r#"invalid type: sequence, expected a boolean or a level string ("low", "medium", "high", "max") at line 1 column 1"#
    );
    let error = serde_json::from_str::<KeepAlive>("true").unwrap_err();
    assert_eq!(
        error.to_string(),
        r#"invalid type: boolean `true`, expected a number of seconds or a duration string such as "5m" at line 1 column 4"#
    );
    // The summary of /api/show names the wire type it summarises.
    let error = serde_json::from_str::<ShowSummary>("[]").unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid type: sequence, expected struct ShowResponse at line 1 column 0"
    );
    // A key that is no string (possible through serde's own value deserializers).
    let map = MapDeserializer::<_, ValueError>::new([(1u32, 2u32)].into_iter());
    let error = ShowSummary::deserialize(map).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid type: integer `1`, expected field identifier"
    );
}
