//! The borrowed-text helpers: borrowed from `from_str` input without escapes, owned with
//! escapes and from deserializers that hand strings over owned, `null` as no text, and the
//! "expected" words of the error for a value of another type.

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::value::{Error as ValueError, MapDeserializer};
use serde_json::json;

#[derive(Debug, Deserialize)]
struct Fields<'a> {
    #[serde(borrow, default, deserialize_with = "wire_core::borrow::text")]
    text: Cow<'a, str>,
    #[serde(borrow, default, deserialize_with = "wire_core::borrow::opt_text")]
    opt: Option<Cow<'a, str>>,
    #[serde(borrow, default, deserialize_with = "wire_core::borrow::text_or_empty")]
    or_empty: Cow<'a, str>,
}

#[test]
fn text_without_escapes_is_borrowed_from_the_input() {
    let f: Fields<'_> =
        serde_json::from_str(r#"{"text":"Hi","opt":"there","or_empty":"you"}"#).unwrap();
    assert!(matches!(f.text, Cow::Borrowed("Hi")), "{f:?}");
    assert!(matches!(f.opt, Some(Cow::Borrowed("there"))), "{f:?}");
    assert!(matches!(f.or_empty, Cow::Borrowed("you")), "{f:?}");
}

#[test]
fn text_with_escapes_is_unescaped_into_an_owned_string() {
    let f: Fields<'_> =
        serde_json::from_str(r#"{"text":"a\nb","opt":"\u003c","or_empty":"\"q\""}"#).unwrap();
    assert!(matches!(f.text, Cow::Owned(ref s) if s == "a\nb"), "{f:?}");
    assert!(
        matches!(f.opt, Some(Cow::Owned(ref s)) if s == "<"),
        "{f:?}"
    );
    assert!(
        matches!(f.or_empty, Cow::Owned(ref s) if s == "\"q\""),
        "{f:?}"
    );
}

#[test]
fn null_is_no_text_and_an_absent_field_takes_the_default() {
    let f: Fields<'_> = serde_json::from_str(r#"{"opt":null,"or_empty":null}"#).unwrap();
    assert_eq!(f.text, "");
    assert_eq!(f.opt, None);
    assert_eq!(f.or_empty, "");
    let f: Fields<'_> = serde_json::from_str("{}").unwrap();
    assert_eq!(f.opt, None);
}

#[test]
fn a_value_deserializer_hands_text_over_owned() {
    // serde_json::Value gives its strings as `String` (visit_string) and `null` as unit.
    let value = json!({"text": "Hi", "opt": "there", "or_empty": null});
    let f = Fields::deserialize(value).unwrap();
    assert!(matches!(f.text, Cow::Owned(ref s) if s == "Hi"), "{f:?}");
    assert!(
        matches!(f.opt, Some(Cow::Owned(ref s)) if s == "there"),
        "{f:?}"
    );
    assert_eq!(f.or_empty, "");
    let f = Fields::deserialize(json!({"opt": null})).unwrap();
    assert_eq!(f.opt, None);
}

#[test]
fn a_reader_hands_text_over_transient() {
    // from_reader cannot lend its buffer: strings arrive through visit_str and are copied.
    let mut reader =
        serde_json::Deserializer::from_reader(&br#"{"text":"Hi","opt":"x","or_empty":"y"}"#[..]);
    let f = Fields::deserialize(&mut reader).unwrap();
    assert!(matches!(f.text, Cow::Owned(ref s) if s == "Hi"), "{f:?}");
    assert!(
        matches!(f.opt, Some(Cow::Owned(ref s)) if s == "x"),
        "{f:?}"
    );
    assert!(matches!(f.or_empty, Cow::Owned(ref s) if s == "y"), "{f:?}");
}

#[test]
fn a_value_of_another_type_says_what_was_expected() {
    let error = serde_json::from_str::<Fields<'_>>(r#"{"text":5}"#).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid type: integer `5`, expected a string at line 1 column 9"
    );
    // serde_json hands a non-null value to the option visitor's `visit_some`, so the string
    // visitor speaks; serde's own value deserializers give the option visitor the value
    // itself, and then it speaks.
    let error = Fields::deserialize(json!({"opt": 5})).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid type: integer `5`, expected a string"
    );
    let map = MapDeserializer::<_, ValueError>::new([("opt", 5u32)].into_iter());
    let error = Fields::deserialize(map).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid type: integer `5`, expected a string or null"
    );
    let map = MapDeserializer::<_, ValueError>::new([("or_empty", true)].into_iter());
    let error = Fields::deserialize(map).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid type: boolean `true`, expected a string or null"
    );
    let map = MapDeserializer::<_, ValueError>::new([("text", 5u32)].into_iter());
    let error = Fields::deserialize(map).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid type: integer `5`, expected a string"
    );
}
