//! [`RawJson`]: a JSON value kept as the exact text it was received as (feature `json`).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// A JSON value kept as the exact text it was received as: key order, spacing, escapes and
/// number spelling intact (free-form JSON such as tool arguments and schemas, unknown fields).
/// It re-encodes verbatim, numbers of any size included; two values are equal when their texts
/// are.
///
/// ```
/// use wire_core::RawJson;
///
/// let input = RawJson::from_json(r#"{"id":123456789012345678901234567890, "b":1}"#)?;
/// assert_eq!(serde_json::to_string(&input)?, r#"{"id":123456789012345678901234567890, "b":1}"#);
/// assert_ne!(input, RawJson::from_json(r#"{"id":123456789012345678901234567890,"b":1}"#)?);
/// assert!(RawJson::from_json("1 2").is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    /// Checks that `json` is one JSON value and keeps its text. JSON's own whitespace around
    /// the value (space, tab, CR, LF) is left out of the text kept; any other character around
    /// it is an error.
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when `json` is not exactly one JSON value (a syntax error,
    /// nothing at all, or trailing characters).
    pub fn from_json(json: impl Into<String>) -> Result<Self, serde_json::Error> {
        // serde_json keeps the value's own text: the JSON whitespace around it is not part of it.
        RawValue::from_string(json.into()).map(Self)
    }

    /// Encodes a serializable value compactly (serde_json's escaping) and keeps that text.
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when `value`'s `Serialize` implementation fails, e.g. on a map
    /// key JSON cannot write as a string (a sequence, a map, a non-finite float).
    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> Result<Self, serde_json::Error> {
        serde_json::value::to_raw_value(value).map(Self)
    }

    /// The empty object `{}`.
    pub fn empty_object() -> Self {
        // Serializing an empty map cannot fail; the fallback keeps this free of `unwrap`.
        serde_json::value::to_raw_value(&serde_json::Map::new())
            .map(Self)
            .unwrap_or_else(|_| Self(Box::<RawValue>::default()))
    }

    /// The JSON text.
    pub fn as_str(&self) -> &str {
        self.0.get()
    }

    /// The raw value.
    pub fn as_raw(&self) -> &RawValue {
        &self.0
    }

    /// Parses the text as `T` (e.g. the tool's own argument type); `T` may borrow from it.
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when the value is not a valid `T`: a wrong shape or type, a
    /// number out of `T`'s range (also `1e400` for an `f64`), or nesting deeper than
    /// serde_json's recursion limit (128). The text was only checked for syntax, so valid JSON
    /// can fail here.
    pub fn parse<'a, T: Deserialize<'a>>(&'a self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.0.get())
    }

    /// The value as a [`serde_json::Value`].
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when the text does not fit a `Value` (a number beyond `f64`
    /// without serde_json's `arbitrary_precision`, nesting deeper than 128).
    pub fn to_value(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::from_str(self.0.get())
    }
}

impl From<Box<RawValue>> for RawJson {
    fn from(raw: Box<RawValue>) -> Self {
        Self(raw)
    }
}

impl From<RawJson> for Box<RawValue> {
    fn from(raw: RawJson) -> Self {
        raw.0
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for RawJson {}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RawJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(deserializer).map(Self)
    }
}
