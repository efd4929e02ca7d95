//! JSON kept as received: [`RawJson`] values, [`UnknownFields`], and the field walker the
//! typed objects are decoded with.
//!
//! Every object of this crate is decoded key by key, each value first captured as the exact JSON
//! text it was sent as (a [`serde_json::value::RawValue`]) and only then parsed into its field
//! type. That keeps three things serde's derived code loses here: unknown keys (kept in order,
//! verbatim), numbers of any size inside free-form JSON (tool `input`, `input_schema`), and the
//! bytes of such JSON exactly (so it re-encodes byte for byte).
//!
//! The typed objects decode with `serde_json` (`from_str`, `from_slice`, `from_reader`); from an
//! already parsed `serde_json::Value` they do not (raw text is gone by then).

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// A JSON value kept as the exact text it was received as (free-form JSON: tool `input`,
/// `input_schema`, citations, unknown fields). It re-encodes verbatim, numbers of any size
/// included; two values are equal when their texts are.
///
/// ```
/// use anthropic_wire::RawJson;
///
/// let input = RawJson::from_json(r#"{"id":123456789012345678901234567890}"#)?;
/// assert_eq!(serde_json::to_string(&input)?, r#"{"id":123456789012345678901234567890}"#);
/// assert_eq!(input.as_str(), r#"{"id":123456789012345678901234567890}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    /// Checks that `text` is one JSON value and keeps it as it is.
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when `text` is not exactly one JSON value (surrounding
    /// whitespace is an error too).
    pub fn from_json(text: impl Into<String>) -> Result<Self, serde_json::Error> {
        RawValue::from_string(text.into()).map(Self)
    }

    /// Encodes `value` compactly (serde_json's escaping) and keeps that text.
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when `value` cannot be written as JSON.
    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> Result<Self, serde_json::Error> {
        serde_json::value::to_raw_value(value).map(Self)
    }

    /// The JSON text.
    pub fn as_str(&self) -> &str {
        self.0.get()
    }

    /// Parses the text as `T` (e.g. `serde_json::Value`, or the tool's own argument type).
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when the text is not a `T`.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        nested(self.0.get())
    }
}

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

impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for RawJson {}

impl Serialize for RawJson {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(d).map(Self)
    }
}

/// The keys of an object this crate has no field for, in the order received, each value
/// verbatim. They are written back after the known fields.
///
/// ```
/// use anthropic_wire::messages::AnthropicUsage;
///
/// let json = r#"{"input_tokens":3,"output_tokens":5,"cache_read_input_tokens":2}"#;
/// let usage: AnthropicUsage = serde_json::from_str(json)?;
/// assert_eq!(usage.extra.len(), 1);
/// assert_eq!(usage.extra.get("cache_read_input_tokens").map(|v| v.as_str()), Some("2"));
/// assert_eq!(serde_json::to_string(&usage)?, json);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnknownFields(Vec<(String, RawJson)>);

impl UnknownFields {
    /// No fields.
    pub fn new() -> Self {
        Self::default()
    }

    /// The value of the first field named `key`.
    pub fn get(&self, key: &str) -> Option<&RawJson> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Appends a field (written after those already held).
    pub fn push(&mut self, key: impl Into<String>, value: RawJson) {
        self.0.push((key.into(), value));
    }

    /// The fields, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &RawJson)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// How many fields there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Writes the fields as map entries.
    pub(crate) fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        Ok(())
    }
}

impl Serialize for UnknownFields {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        self.write(&mut map)?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for UnknownFields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut fields = Fields::deserialize(d)?;
        Ok(fields.rest())
    }
}

/// How deep typed objects may nest inside each other (each level is a nested parse).
const MAX_NESTING: u32 = 128;

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Restores the nesting depth when a nested parse ends.
struct DepthGuard(u32);

impl Drop for DepthGuard {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(self.0));
    }
}

/// Parses a captured value, with a bound on how deep typed objects nest (the raw capture
/// itself does not recurse, so without it hostile nesting would exhaust the stack).
pub(crate) fn nested<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    let depth = DEPTH.with(Cell::get);
    if depth >= MAX_NESTING {
        return Err(de::Error::custom(format_args!(
            "objects nested more than {MAX_NESTING} deep"
        )));
    }
    DEPTH.with(|d| d.set(depth + 1));
    let _guard = DepthGuard(depth);
    serde_json::from_str(text)
}

/// An object's entries, each value captured as raw text, in order.
pub(crate) struct Fields(Vec<(String, Box<RawValue>)>);

impl Fields {
    /// Parses `text` as an object.
    pub(crate) fn parse(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    fn remove(&mut self, key: &str) -> Option<Box<RawValue>> {
        let i = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(i).1)
    }

    /// The value of `key` as a string, left in place (the `type` tag of an unknown variant
    /// stays where it was).
    pub(crate) fn peek_str(&self, key: &'static str) -> Result<String, serde_json::Error> {
        match self.0.iter().find(|(k, _)| k == key) {
            Some((_, raw)) => serde_json::from_str(raw.get()),
            None => Err(de::Error::missing_field(key)),
        }
    }

    /// Takes the required field `key`.
    pub(crate) fn required<T: DeserializeOwned>(
        &mut self,
        key: &'static str,
    ) -> Result<T, serde_json::Error> {
        match self.remove(key) {
            Some(raw) => nested(raw.get()),
            None => Err(de::Error::missing_field(key)),
        }
    }

    /// Takes the optional field `key`; absent and `null` are `None`.
    pub(crate) fn optional<T: DeserializeOwned>(
        &mut self,
        key: &'static str,
    ) -> Result<Option<T>, serde_json::Error> {
        match self.remove(key) {
            Some(raw) => nested::<Option<T>>(raw.get()),
            None => Ok(None),
        }
    }

    /// Drops the field `key` (the `type` tag of a known variant, re-written from the variant).
    pub(crate) fn discard(&mut self, key: &str) {
        self.remove(key);
    }

    /// The fields not taken.
    pub(crate) fn rest(&mut self) -> UnknownFields {
        UnknownFields(
            std::mem::take(&mut self.0)
                .into_iter()
                .map(|(k, v)| (k, RawJson(v)))
                .collect(),
        )
    }
}

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct FieldsVisitor;

        impl<'de> Visitor<'de> for FieldsVisitor {
            type Value = Fields;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
                let mut entries: Vec<(String, Box<RawValue>)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value = map.next_value::<Box<RawValue>>()?;
                    entries.push((key, value));
                }
                // A repeated key is ambiguous (which one wins differs between parsers).
                let mut keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
                keys.sort_unstable();
                if let Some(pair) = keys.windows(2).find(|w| w.first() == w.last()) {
                    let key = pair.first().copied().unwrap_or_default();
                    return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
                }
                Ok(Fields(entries))
            }
        }

        d.deserialize_map(FieldsVisitor)
    }
}

/// Defines an object type decoded through [`Fields`] and written in the declared order, with
/// an `extra` field for the keys it does not name.
///
/// Field kinds: `req` (always written; missing is an error), `opt` (an `Option`: `None` is
/// neither written nor distinguished from `null`).
macro_rules! object {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $kind:ident $field:ident : $ty:ty = $json:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $ty, )*
            /// Keys this crate has no field for, verbatim and in order (written last).
            pub extra: $crate::json::UnknownFields,
        }

        impl $name {
            #[allow(unused_variables)]
            pub(crate) fn from_fields(
                f: &mut $crate::json::Fields,
            ) -> Result<Self, serde_json::Error> {
                Ok(Self {
                    $( $field: object!(@take $kind f $json), )*
                    extra: f.rest(),
                })
            }

            pub(crate) fn write_fields<M: serde::ser::SerializeMap>(
                &self,
                map: &mut M,
            ) -> Result<(), M::Error> {
                $( object!(@write $kind map $json &self.$field); )*
                self.extra.write(map)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = s.serialize_map(None)?;
                self.write_fields(&mut map)?;
                map.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let mut fields = $crate::json::Fields::deserialize(d)?;
                Self::from_fields(&mut fields).map_err(serde::de::Error::custom)
            }
        }
    };
    (@take req $f:ident $json:literal) => { $f.required($json)? };
    (@take opt $f:ident $json:literal) => { $f.optional($json)? };
    (@write req $map:ident $json:literal $value:expr) => { $map.serialize_entry($json, $value)?; };
    (@write opt $map:ident $json:literal $value:expr) => {
        if let Some(value) = $value {
            $map.serialize_entry($json, value)?;
        }
    };
}

/// Defines an enum of objects tagged by their `type` key, each known variant holding an
/// [`object!`] type, plus `Unknown` for any other tag (all its fields kept, the tag included,
/// in order). The tag is written first.
macro_rules! tagged {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident($ty:ty) = $tag:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant($ty), )*
            /// A `type` this crate does not know: every field as received, `type` included.
            Unknown($crate::json::UnknownFields),
        }

        impl $name {
            /// The `type` tag (for `Unknown`, its `type` field when that is a string, else `""`).
            pub fn kind(&self) -> std::borrow::Cow<'_, str> {
                match self {
                    $( Self::$variant(_) => std::borrow::Cow::Borrowed($tag), )*
                    Self::Unknown(fields) => std::borrow::Cow::Owned(
                        fields
                            .get("type")
                            .and_then(|v| v.parse::<String>().ok())
                            .unwrap_or_default(),
                    ),
                }
            }

            pub(crate) fn from_fields(
                f: &mut $crate::json::Fields,
            ) -> Result<Self, serde_json::Error> {
                let tag = f.peek_str("type")?;
                match tag.as_str() {
                    $( $tag => {
                        f.discard("type");
                        <$ty>::from_fields(f).map(Self::$variant)
                    } )*
                    _ => Ok(Self::Unknown(f.rest())),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = s.serialize_map(None)?;
                match self {
                    $( Self::$variant(inner) => {
                        map.serialize_entry("type", $tag)?;
                        inner.write_fields(&mut map)?;
                    } )*
                    Self::Unknown(fields) => fields.write(&mut map)?,
                }
                map.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let mut fields = $crate::json::Fields::deserialize(d)?;
                Self::from_fields(&mut fields).map_err(serde::de::Error::custom)
            }
        }
    };
}

pub(crate) use {object, tagged};
