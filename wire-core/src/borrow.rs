//! serde `deserialize_with` helpers for text borrowed from the input: a JSON string without
//! escapes points into the input, one with escapes is unescaped into an owned [`Cow`].
//!
//! The borrowed types of every wire crate (`ChatResponseRef`, `ChatCompletionChunkRef`,
//! `ResponseDeltaEventRef`, …) decode their text fields with these. From a deserializer that
//! hands strings over owned or transient (a `serde_json::Value`, a reader), the text is
//! copied.
//!
//! ```
//! use std::borrow::Cow;
//!
//! #[derive(serde::Deserialize)]
//! struct Delta<'a> {
//!     #[serde(borrow, deserialize_with = "wire_core::borrow::text")]
//!     text: Cow<'a, str>,
//!     #[serde(borrow, default, deserialize_with = "wire_core::borrow::opt_text")]
//!     name: Option<Cow<'a, str>>,
//! }
//!
//! let d: Delta<'_> = serde_json::from_str(r#"{"text":"Hi","name":null}"#)?;
//! assert!(matches!(d.text, Cow::Borrowed("Hi")));
//! assert_eq!(d.name, None);
//! let d: Delta<'_> = serde_json::from_str(r#"{"text":"a\nb","name":"f"}"#)?;
//! assert!(matches!(d.text, Cow::Owned(ref s) if s == "a\nb"));
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::borrow::Cow;
use std::fmt;

use serde::Deserializer;
use serde::de::{Error, Visitor};

/// A JSON string, borrowed when the input allows it.
///
/// # Errors
///
/// The deserializer's "invalid type" error, expecting "a string", for any other value.
pub fn text<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Cow<'a, str>, D::Error> {
    d.deserialize_str(TextVisitor)
}

/// A JSON string or `null` (`None`), the string borrowed when the input allows it. With
/// `#[serde(default)]` an absent field is `None` too.
///
/// # Errors
///
/// The deserializer's "invalid type" error, expecting "a string or null", for any other value.
pub fn opt_text<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'a, str>>, D::Error> {
    d.deserialize_option(OptTextVisitor)
}

/// A JSON string, or `""` for `null`, the string borrowed when the input allows it. With
/// `#[serde(default)]` an absent field is `""` too.
///
/// # Errors
///
/// As [`opt_text`].
pub fn text_or_empty<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Cow<'a, str>, D::Error> {
    Ok(opt_text(d)?.unwrap_or_default())
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

struct OptTextVisitor;

impl<'de> Visitor<'de> for OptTextVisitor {
    type Value = Option<Cow<'de, str>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or null")
    }

    fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        text(d).map(Some)
    }
}
