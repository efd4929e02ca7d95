//! JSON kept as received: [`RawJson`] values, [`UnknownFields`], and the field walker the
//! typed objects are decoded with.
//!
//! Every object of this crate is decoded key by key in one pass: a known key's value is parsed
//! straight into its field type, any other key's value is captured as the exact JSON text it
//! was sent as (a [`serde_json::value::RawValue`]). That keeps three things serde's derived
//! code loses here: unknown keys (kept in order, verbatim), numbers of any size inside
//! free-form JSON (tool `input`, `input_schema`), and the bytes of such JSON exactly (so it
//! re-encodes byte for byte). A repeated key is an error.
//!
//! The typed objects decode with `serde_json` (`from_str`, `from_slice`, `from_reader`); from an
//! already parsed `serde_json::Value` they do not (raw text is gone by then).

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// A JSON value kept as its exact text: the one `RawJson` of every wire crate.
pub use wire_core::RawJson;

/// The keys of an object this crate has no field for, in the order received, each value
/// verbatim. They are written back after the known fields.
///
/// It also remembers which of the object's optional known keys were sent as `null` (real
/// Anthropic writes `"stop_reason":null` in `message_start`; Ollama leaves the key out), so that
/// each is written back as it came: `null` where it was `null`, nothing where it was absent. A
/// value set in the field afterwards is written instead of the `null`.
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
pub struct UnknownFields {
    fields: Vec<(String, RawJson)>,
    nulls: Vec<&'static str>,
}

impl UnknownFields {
    /// No fields.
    pub fn new() -> Self {
        Self::default()
    }

    /// The value of the first field named `key`.
    pub fn get(&self, key: &str) -> Option<&RawJson> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Appends a field (written after those already held).
    pub fn push(&mut self, key: impl Into<String>, value: RawJson) {
        self.fields.push((key.into(), value));
    }

    /// The fields, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &RawJson)> {
        self.fields.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// How many fields there are.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The object's optional known keys that were sent as `null`, in the order received.
    ///
    /// ```
    /// use anthropic_wire::messages::MessageDelta;
    ///
    /// let json = r#"{"stop_reason":"end_turn","stop_sequence":null}"#;
    /// let delta: MessageDelta = serde_json::from_str(json)?;
    /// assert_eq!(delta.stop_sequence, None);
    /// assert_eq!(delta.extra.nulls().collect::<Vec<_>>(), ["stop_sequence"]);
    /// assert_eq!(serde_json::to_string(&delta)?, json);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn nulls(&self) -> impl Iterator<Item = &str> {
        self.nulls.iter().copied()
    }

    /// Whether the optional known key `key` was sent as `null`.
    pub(crate) fn was_null(&self, key: &str) -> bool {
        self.nulls.contains(&key)
    }

    /// Notes that the optional known key `key` was sent as `null`.
    pub(crate) fn mark_null(&mut self, key: &'static str) {
        self.nulls.push(key);
    }

    /// Writes the fields as map entries.
    pub(crate) fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        for (key, value) in &self.fields {
            map.serialize_entry(key, value)?;
        }
        Ok(())
    }
}

impl Serialize for UnknownFields {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.fields.len()))?;
        self.write(&mut map)?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for UnknownFields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(ObjectVisitor::<Self>::new())
    }
}

impl<'de> FromEntries<'de> for UnknownFields {
    fn from_entries<A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut fields = Self::new();
        fields.take_rest(&mut map, None)?;
        Ok(fields)
    }
}

/// A type read from the entries of a JSON object by this crate's own visitor (the `object!`
/// and `tagged!` types, the unknown-field maps, the borrowed tagged events).
pub(crate) trait FromEntries<'de>: Sized {
    /// Reads the object's entries.
    fn from_entries<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// The one visitor of every [`FromEntries`] type: a JSON object, nothing else.
pub(crate) struct ObjectVisitor<T>(std::marker::PhantomData<T>);

impl<T> ObjectVisitor<T> {
    pub(crate) fn new() -> Self {
        Self(std::marker::PhantomData)
    }
}

impl<'de, T: FromEntries<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_entries(map)
    }
}

/// How deep typed objects may nest inside each other.
const MAX_NESTING: u32 = 128;

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// One level of typed-object nesting, counted across nested parses (a value captured raw and
/// parsed again starts a fresh `serde_json` recursion budget, so without this count hostile
/// nesting could exhaust the stack); the level ends when it drops.
pub(crate) struct Nesting(u32);

impl Nesting {
    /// Enters one level.
    pub(crate) fn enter<E: de::Error>() -> Result<Self, E> {
        let depth = DEPTH.get();
        if depth >= MAX_NESTING {
            return Err(E::custom(format_args!(
                "objects nested more than {MAX_NESTING} deep"
            )));
        }
        DEPTH.set(depth + 1);
        Ok(Self(depth))
    }
}

impl Drop for Nesting {
    fn drop(&mut self) {
        DEPTH.set(self.0);
    }
}

/// An object key, borrowed from the input when it has no escapes (no copy for known keys).
pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }

            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }

        d.deserialize_str(KeyVisitor)
    }
}

/// The error for a key sent twice (which one wins differs between parsers).
pub(crate) fn duplicate<E: de::Error>(key: &str) -> E {
    E::custom(format_args!("duplicate field `{key}`"))
}

impl UnknownFields {
    /// Takes the value of `key` raw. A key already held, or `tag` (a key the caller took
    /// before), is a duplicate.
    pub(crate) fn take<'de, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
        key: Key<'de>,
        tag: Option<&str>,
    ) -> Result<(), A::Error> {
        if tag == Some(&*key.0) || self.get(&key.0).is_some() {
            return Err(duplicate(&key.0));
        }
        let value = map.next_value::<Box<RawValue>>()?;
        self.fields.push((key.0.into_owned(), RawJson::from(value)));
        Ok(())
    }

    /// Takes every remaining entry of `map` raw (see [`take`](Self::take)).
    pub(crate) fn take_rest<'de, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
        tag: Option<&str>,
    ) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Key<'de>>()? {
            self.take(map, key, tag)?;
        }
        Ok(())
    }

    /// Starts with the `type` tag, raw.
    pub(crate) fn with_tag(raw: Box<RawValue>) -> Self {
        Self {
            fields: vec![("type".to_owned(), RawJson::from(raw))],
            nulls: Vec::new(),
        }
    }

    /// The fields but `type`, as a map to decode a known variant from (a fresh parse of each
    /// value).
    pub(crate) fn untagged(
        &self,
    ) -> de::value::MapDeserializer<'_, impl Iterator<Item = (&str, &RawValue)>, serde_json::Error>
    {
        de::value::MapDeserializer::new(
            self.fields
                .iter()
                .filter(|(k, _)| k != "type")
                .map(|(k, v)| (k.as_str(), v.as_raw())),
        )
    }
}

/// Which of `tags` the JSON value `raw` spells, if any; an error when it is not a string.
pub(crate) fn known_tag(
    raw: &str,
    tags: &[&'static str],
) -> Result<Option<&'static str>, serde_json::Error> {
    let quoted = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .filter(|inner| !inner.contains('\\'));
    if let Some(inner) = quoted {
        return Ok(tags.iter().copied().find(|t| *t == inner));
    }
    let text: String = serde_json::from_str(raw)?;
    Ok(tags.iter().copied().find(|t| *t == text))
}

/// An object's entries, each value captured as raw text, in order (the `type` probe of
/// [`response`](crate::response)).
pub(crate) struct Fields(Vec<(String, Box<RawValue>)>);

impl Fields {
    /// Parses `text` as an object.
    pub(crate) fn parse(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The value of `key` as a string.
    pub(crate) fn peek_str(&self, key: &'static str) -> Result<String, serde_json::Error> {
        match self.0.iter().find(|(k, _)| k == key) {
            Some((_, raw)) => serde_json::from_str(raw.get()),
            None => Err(de::Error::missing_field(key)),
        }
    }
}

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let fields = UnknownFields::deserialize(d)?;
        Ok(Self(
            fields
                .fields
                .into_iter()
                .map(|(k, v)| (k, v.into()))
                .collect(),
        ))
    }
}

/// Defines an object type decoded in one pass (known keys parsed straight into their field
/// types, other keys kept raw in `extra`, a repeated key an error) and written in the declared
/// order, `extra` last.
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
            /// Decodes the entries of `map`; `tag` is a key the caller already took (an enum's
            /// `type`), so a second one is a duplicate.
            #[allow(unused_mut)]
            pub(crate) fn visit_entries<'de, A: serde::de::MapAccess<'de>>(
                mut map: A,
                tag: Option<&'static str>,
            ) -> Result<Self, A::Error> {
                let _nesting = $crate::json::Nesting::enter::<A::Error>()?;
                $( let mut $field: Option<$ty> = None; )*
                let mut extra = $crate::json::UnknownFields::new();
                while let Some(key) = map.next_key::<$crate::json::Key<'de>>()? {
                    match &*key.0 {
                        $( $json => {
                            if $field.is_some() {
                                return Err($crate::json::duplicate($json));
                            }
                            $field = Some(map.next_value::<$ty>()?);
                            object!(@null $kind extra $json $field);
                        } )*
                        _ => extra.take(&mut map, key, tag)?,
                    }
                }
                Ok(Self {
                    $( $field: object!(@finish $kind $field $json), )*
                    extra,
                })
            }

            pub(crate) fn write_fields<M: serde::ser::SerializeMap>(
                &self,
                map: &mut M,
            ) -> Result<(), M::Error> {
                $( object!(@write $kind map $json &self.$field, &self.extra); )*
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
                d.deserialize_map($crate::json::ObjectVisitor::<Self>::new())
            }
        }

        impl<'de> $crate::json::FromEntries<'de> for $name {
            fn from_entries<A: serde::de::MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
                $name::visit_entries(map, None)
            }
        }
    };
    (@finish req $field:ident $json:literal) => {
        match $field {
            Some(value) => value,
            None => return Err(serde::de::Error::missing_field($json)),
        }
    };
    (@finish opt $field:ident $json:literal) => { $field.flatten() };
    (@null req $extra:ident $json:literal $field:ident) => {};
    (@null opt $extra:ident $json:literal $field:ident) => {
        if let Some(None) = &$field {
            $extra.mark_null($json);
        }
    };
    (@write req $map:ident $json:literal $value:expr, $extra:expr) => {
        $map.serialize_entry($json, $value)?;
    };
    (@write opt $map:ident $json:literal $value:expr, $extra:expr) => {
        if let Some(value) = $value {
            $map.serialize_entry($json, value)?;
        } else if $extra.was_null($json) {
            $map.serialize_entry($json, &())?;
        }
    };
}

/// Defines an enum of objects tagged by their `type` key, each known variant holding an
/// [`object!`] type, plus `Unknown` for any other tag (all its fields kept, the tag included,
/// in order). The tag is written first.
///
/// Decoding is one pass when `type` is the first key (as Ollama and Anthropic write it);
/// otherwise the entries are captured raw first and the variant decoded from them.
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
            /// The known tags.
            pub(crate) const TAGS: &'static [&'static str] = &[$($tag),*];

            /// The known tag, `None` for `Unknown`.
            #[allow(dead_code)]
            pub(crate) fn tag(&self) -> Option<&'static str> {
                match self {
                    $( Self::$variant(_) => Some($tag), )*
                    Self::Unknown(_) => None,
                }
            }

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

            /// Decodes the known variant `tag` from the entries of `map` (its `type` taken).
            pub(crate) fn visit_variant<'de, A: serde::de::MapAccess<'de>>(
                tag: &str,
                map: A,
            ) -> Result<Self, A::Error> {
                match tag {
                    $( $tag => <$ty>::visit_entries(map, Some("type")).map(Self::$variant), )*
                    other => Err(serde::de::Error::custom(format_args!("unknown tag `{other}`"))),
                }
            }

            /// Decodes the entries of `map` (the tag looked for first).
            pub(crate) fn visit_entries<'de, A: serde::de::MapAccess<'de>>(
                mut map: A,
            ) -> Result<Self, A::Error> {
                use serde::de::Error as _;
                let Some(first) = map.next_key::<$crate::json::Key<'de>>()? else {
                    return Err(A::Error::missing_field("type"));
                };
                if first.0 == "type" {
                    let raw = map.next_value::<Box<serde_json::value::RawValue>>()?;
                    return match $crate::json::known_tag(raw.get(), Self::TAGS)
                        .map_err(A::Error::custom)?
                    {
                        Some(tag) => Self::visit_variant(tag, map),
                        None => {
                            let mut fields = $crate::json::UnknownFields::with_tag(raw);
                            fields.take_rest(&mut map, None)?;
                            Ok(Self::Unknown(fields))
                        }
                    };
                }
                // `type` is not first: capture everything, then decode.
                let mut fields = $crate::json::UnknownFields::new();
                fields.take(&mut map, first, None)?;
                fields.take_rest(&mut map, None)?;
                Self::from_unknown(fields).map_err(A::Error::custom)
            }

            /// The variant `fields` (captured raw, in order) are.
            pub(crate) fn from_unknown(
                fields: $crate::json::UnknownFields,
            ) -> Result<Self, serde_json::Error> {
                let Some(raw) = fields.get("type") else {
                    return Err(serde::de::Error::missing_field("type"));
                };
                match $crate::json::known_tag(raw.as_str(), Self::TAGS)? {
                    Some(tag) => Self::visit_variant(tag, fields.untagged()),
                    None => Ok(Self::Unknown(fields)),
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
                d.deserialize_map($crate::json::ObjectVisitor::<Self>::new())
            }
        }

        impl<'de> $crate::json::FromEntries<'de> for $name {
            fn from_entries<A: serde::de::MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
                $name::visit_entries(map)
            }
        }
    };
}

pub(crate) use {object, tagged};
