//! Raw JSON kept byte-exact.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// A JSON value kept exactly as received (key order, number spelling and escapes intact).
///
/// Two values are equal when their texts are equal.
#[derive(Clone)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    /// Wraps JSON text after checking that it is one valid JSON value.
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when `json`, surrounding JSON whitespace trimmed, is not exactly one
    /// JSON value (a syntax error, nothing at all, or trailing characters).
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        // JSON's own whitespace only (RFC 8259 §2): `str::trim` would also drop Unicode spaces
        // such as U+00A0, which JSON does not allow around a value.
        let json = json.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
        RawValue::from_string(json.to_owned()).map(Self)
    }

    /// Encodes a serializable value.
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when `value`'s `Serialize` implementation fails, e.g. on a map key
    /// JSON cannot write as a string (a sequence, a map, a non-finite float).
    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> Result<Self, serde_json::Error> {
        serde_json::value::to_raw_value(value).map(Self)
    }

    /// The JSON text.
    pub fn as_str(&self) -> &str {
        self.0.get()
    }

    /// The raw value.
    pub fn as_raw(&self) -> &RawValue {
        &self.0
    }

    /// Parses into a typed value.
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when the value is not a valid `T`: a wrong shape or type, a number
    /// out of `T`'s range (also `1e400` for an `f64`), or nesting deeper than serde_json's
    /// recursion limit (128). The text was only checked for syntax, so valid JSON can fail here.
    pub fn parse<'a, T: Deserialize<'a>>(&'a self) -> Result<T, serde_json::Error> {
        serde_json::from_str(self.0.get())
    }

    pub(crate) fn from_box(raw: Box<RawValue>) -> Self {
        Self(raw)
    }

    /// The empty object `{}`.
    pub(crate) fn empty_object() -> Self {
        // Serializing an empty map cannot fail; the fallback keeps this free of `unwrap`.
        serde_json::value::to_raw_value(&serde_json::Map::new())
            .map(Self)
            .unwrap_or_else(|_| Self(Box::<RawValue>::default()))
    }
}

impl From<Box<RawValue>> for RawJson {
    fn from(raw: Box<RawValue>) -> Self {
        Self(raw)
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
