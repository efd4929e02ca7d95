//! Request fields that accept more than one JSON type: `think`, `keep_alive`, `format`.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Number;
use serde_json::value::RawValue;

use super::{RawJson, ThinkLevel};

/// The `think` request field: a boolean or a reasoning level.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Think {
    /// `true` / `false`.
    Enabled(bool),
    /// `"low"`, `"medium"`, `"high"`, `"max"` (or a value this crate does not know).
    Level(ThinkLevel),
}

impl Serialize for Think {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Enabled(b) => serializer.serialize_bool(*b),
            Self::Level(level) => level.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Think {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Think;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean or a level string (\"low\", \"medium\", \"high\", \"max\")")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Think, E> {
                Ok(Think::Enabled(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Think, E> {
                Ok(Think::Level(ThinkLevel::from(v)))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// The `keep_alive` request field: a number of seconds or a Go duration string.
///
/// A number is kept exactly as written (`42`, `42.5`, `-1`); a negative value keeps the model
/// loaded forever and `0` unloads it after the request. A string is a Go duration such as `"5m"`
/// or `"-1m"`; note that Ollama rejects a string without a unit such as `"-1"`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum KeepAlive {
    /// Seconds, as a JSON number.
    Seconds(Number),
    /// A Go duration string (`"5m"`, `"1h30m"`, `"-1m"`).
    Duration(String),
}

impl KeepAlive {
    /// Keep the model loaded forever (`-1`).
    pub fn forever() -> Self {
        Self::Seconds(Number::from(-1))
    }

    /// Unload the model right after the request (`0`).
    pub fn unload() -> Self {
        Self::Seconds(Number::from(0))
    }
}

impl Serialize for KeepAlive {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Seconds(n) => n.serialize(serializer),
            Self::Duration(s) => serializer.serialize_str(s),
        }
    }
}

impl<'de> Deserialize<'de> for KeepAlive {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = KeepAlive;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number of seconds or a duration string such as \"5m\"")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<KeepAlive, E> {
                Ok(KeepAlive::Seconds(v.into()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<KeepAlive, E> {
                Ok(KeepAlive::Seconds(v.into()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<KeepAlive, E> {
                Number::from_f64(v)
                    .map(KeepAlive::Seconds)
                    .ok_or_else(|| E::custom("keep_alive must be a finite number"))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeepAlive, E> {
                Ok(KeepAlive::Duration(v.to_owned()))
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// The `format` request field: `"json"` or a JSON Schema object.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// `"json"`: any JSON value.
    Json,
    /// A JSON Schema object, kept byte-exact.
    Schema(RawJson),
}

impl Serialize for Format {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Json => serializer.serialize_str("json"),
            Self::Schema(raw) => raw.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Format {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        let text = raw.get();
        if text == "\"json\"" {
            return Ok(Self::Json);
        }
        if text.starts_with('{') {
            return Ok(Self::Schema(RawJson::from(raw)));
        }
        Err(de::Error::custom(format_args!(
            "invalid format: {text}; expected \"json\" or a JSON Schema object"
        )))
    }
}
