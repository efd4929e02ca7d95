//! `RawJson`: the text kept, equality by text, the conversions, and serde through it; expected
//! values written out by hand.

use serde_json::value::RawValue;
use wire_core::RawJson;

#[test]
fn the_text_is_kept_as_received_without_the_json_whitespace_around_it() {
    let raw = RawJson::from_json(" \t\r\n{\"z\":1, \"a\":1e2}\n").unwrap();
    assert_eq!(raw.as_str(), "{\"z\":1, \"a\":1e2}");
    assert_eq!(raw.as_raw().get(), "{\"z\":1, \"a\":1e2}");
    assert_eq!(raw.to_string(), "{\"z\":1, \"a\":1e2}");
    assert_eq!(format!("{raw:?}"), "{\"z\":1, \"a\":1e2}");
    // Already trimmed text is kept as it is.
    assert_eq!(RawJson::from_json("[1, 2]").unwrap().as_str(), "[1, 2]");
    assert_eq!(RawJson::from_json(String::from("7")).unwrap().as_str(), "7");
}

#[test]
fn only_one_json_value_is_accepted() {
    for bad in ["", "   ", "1 2", "{", "\u{a0}{}", "{}\u{2003}", "nul"] {
        assert!(RawJson::from_json(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn values_are_equal_when_their_texts_are() {
    let a = RawJson::from_json("[1, 2]").unwrap();
    assert_eq!(a, RawJson::from_json(" [1, 2] ").unwrap());
    assert_ne!(a, RawJson::from_json("[1,2]").unwrap());
    assert_ne!(a, RawJson::from_json("[1, 3]").unwrap());
}

#[test]
fn it_parses_into_typed_and_borrowed_values() {
    let raw = RawJson::from_json(r#"{"city":"Paris","n":3}"#).unwrap();
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Args<'a> {
        city: &'a str,
        n: u8,
    }
    assert_eq!(
        raw.parse::<Args<'_>>().unwrap(),
        Args {
            city: "Paris",
            n: 3
        }
    );
    assert_eq!(
        raw.to_value().unwrap(),
        serde_json::json!({"city": "Paris", "n": 3})
    );
    assert!(raw.parse::<Vec<u8>>().is_err());
    assert!(RawJson::from_json("1e999").unwrap().to_value().is_err());
}

#[test]
fn it_serializes_verbatim_and_deserializes_any_value() {
    let raw = RawJson::from_json(r#"{"id":123456789012345678901234567890}"#).unwrap();
    assert_eq!(
        serde_json::to_string(&vec![raw.clone()]).unwrap(),
        r#"[{"id":123456789012345678901234567890}]"#
    );
    let back: Vec<RawJson> = serde_json::from_str(r#"[ {"b" : 1} , "x"]"#).unwrap();
    let texts: Vec<&str> = back.iter().map(RawJson::as_str).collect();
    assert_eq!(texts, [r#"{"b" : 1}"#, r#""x""#]);
}

#[test]
fn it_converts_to_and_from_a_raw_value() {
    let boxed = RawValue::from_string("[true]".to_owned()).unwrap();
    let raw = RawJson::from(boxed);
    assert_eq!(raw.as_str(), "[true]");
    let back: Box<RawValue> = raw.into();
    assert_eq!(back.get(), "[true]");
}

#[test]
fn it_encodes_values_and_has_an_empty_object() {
    let raw = RawJson::from_serialize(&serde_json::json!({"a": [1, "x"]})).unwrap();
    assert_eq!(raw.as_str(), r#"{"a":[1,"x"]}"#);
    let mut bad = std::collections::BTreeMap::new();
    bad.insert(vec![1u8], 1);
    assert!(RawJson::from_serialize(&bad).is_err());
    assert_eq!(RawJson::empty_object().as_str(), "{}");
}
