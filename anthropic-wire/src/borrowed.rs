//! Borrowed stream-event types for hot paths (re-exported from [`messages`](crate::messages)).
//!
//! Decoded from a `&'a str` (with `serde_json::from_str`, or from the decoder's buffer by
//! [`StreamDecoder::next_as`](crate::events::StreamDecoder::next_as)), the text of a
//! `content_block_delta` without JSON escapes points into the input instead of being copied
//! (text with escapes is unescaped into an owned [`Cow`]), and unknown keys are kept as
//! borrowed raw JSON. The rarer events (`message_start`, `content_block_start`, …) are the
//! owned types. Decoding rules are those of the owned types (unknown keys kept in order, a
//! repeated key an error, `type` anywhere), and `into_owned` gives exactly the value the owned
//! decoder would have produced.
//!
//! ```
//! use anthropic_wire::messages::{ContentBlockDeltaRef, MessageStreamEventRef};
//! use std::borrow::Cow;
//!
//! let data = r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}"#;
//! let event: MessageStreamEventRef<'_> = serde_json::from_str(data)?;
//! let MessageStreamEventRef::ContentBlockDelta(delta) = &event else { unreachable!() };
//! let ContentBlockDeltaRef::TextDelta(text) = &delta.delta else { unreachable!() };
//! assert!(matches!(text.text, Cow::Borrowed("Hi"))); // not copied
//! assert_eq!(event.into_owned(), serde_json::from_str(data)?);
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::borrow::Cow;

use serde::de::{self, Deserialize, Deserializer, MapAccess};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::value::RawValue;

use crate::json::{
    FromEntries, Key, Nesting, ObjectVisitor, RawJson, UnknownFields, duplicate, known_tag,
};
use crate::messages::{
    ContentBlockDelta, ContentBlockDeltaEvent, ContentBlockStartEvent, ContentBlockStopEvent,
    InputJsonDelta, MessageDeltaEvent, MessageStartEvent, MessageStopEvent, MessageStreamEvent,
    PingEvent, SignatureDelta, TextDelta, ThinkingDelta,
};

/// The keys of an object this crate has no field for, in order, each value borrowed raw from
/// the input (the borrowed twin of [`UnknownFields`]; no allocation when there are none).
#[derive(Debug, Clone, Default)]
pub struct UnknownFieldsRef<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

/// Equal when the keys and the values' texts are.
impl PartialEq for UnknownFieldsRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len()
            && self
                .iter()
                .zip(other.iter())
                .all(|((k, v), (l, w))| k == l && v.get() == w.get())
    }
}

impl<'a> UnknownFieldsRef<'a> {
    /// No fields.
    pub fn new() -> Self {
        Self::default()
    }

    /// The raw value of the first field named `key`.
    pub fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    /// The fields, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &'a RawValue)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), *v))
    }

    /// How many fields there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The owned fields (each value copied verbatim).
    pub fn into_owned(self) -> UnknownFields {
        let mut fields = UnknownFields::new();
        for (key, value) in self.0 {
            fields.push(key, RawJson::from(value.to_owned()));
        }
        fields
    }

    /// Takes the value of `key` raw; a key already held, or `tag`, is a duplicate.
    fn take<A: MapAccess<'a>>(
        &mut self,
        map: &mut A,
        key: Key<'a>,
        tag: Option<&str>,
    ) -> Result<(), A::Error> {
        if tag == Some(&*key.0) || self.get(&key.0).is_some() {
            return Err(duplicate(&key.0));
        }
        let value = map.next_value::<&'a RawValue>()?;
        self.0.push((key.0, value));
        Ok(())
    }

    /// Takes every remaining entry of `map` raw.
    fn take_rest<A: MapAccess<'a>>(
        &mut self,
        map: &mut A,
        tag: Option<&str>,
    ) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Key<'a>>()? {
            self.take(map, key, tag)?;
        }
        Ok(())
    }

    /// The fields but `type`, as a map to decode a known variant from.
    fn untagged(
        &self,
    ) -> de::value::MapDeserializer<
        'a,
        impl Iterator<Item = (Cow<'a, str>, &'a RawValue)> + '_,
        serde_json::Error,
    > {
        de::value::MapDeserializer::new(
            self.0
                .iter()
                .filter(|(k, _)| k != "type")
                .map(|(k, v)| (k.clone(), *v)),
        )
    }
}

impl Serialize for UnknownFieldsRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for UnknownFieldsRef<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(ObjectVisitor::<Self>::new())
    }
}

impl<'de> FromEntries<'de> for UnknownFieldsRef<'de> {
    fn from_entries<A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut fields = UnknownFieldsRef::new();
        fields.take_rest(&mut map, None)?;
        Ok(fields)
    }
}

/// Defines a borrowed delta object with one required text field.
macro_rules! delta_ref {
    (
        $(#[$meta:meta])*
        pub struct $name:ident => $owned:ident { $(#[$fmeta:meta])* $field:ident = $json:literal }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct $name<'a> {
            $(#[$fmeta])*
            pub $field: Cow<'a, str>,
            /// Keys this crate has no field for, raw and in order.
            pub extra: UnknownFieldsRef<'a>,
        }

        impl<'a> $name<'a> {
            /// The delta without unknown keys.
            pub fn new($field: Cow<'a, str>) -> Self {
                Self {
                    $field,
                    extra: UnknownFieldsRef::new(),
                }
            }

            /// The owned delta.
            pub fn into_owned(self) -> $owned {
                $owned {
                    $field: self.$field.into_owned(),
                    extra: self.extra.into_owned(),
                }
            }

            fn visit_entries<A: MapAccess<'a>>(
                mut map: A,
                tag: Option<&'static str>,
            ) -> Result<Self, A::Error> {
                let _nesting = Nesting::enter::<A::Error>()?;
                let mut $field: Option<Cow<'a, str>> = None;
                let mut extra = UnknownFieldsRef::new();
                while let Some(key) = map.next_key::<Key<'a>>()? {
                    if key.0 == $json {
                        if $field.is_some() {
                            return Err(duplicate($json));
                        }
                        $field = Some(map.next_value::<Key<'a>>()?.0);
                    } else {
                        extra.take(&mut map, key, tag)?;
                    }
                }
                let Some($field) = $field else {
                    return Err(de::Error::missing_field($json));
                };
                Ok(Self { $field, extra })
            }
        }
    };
}

delta_ref! {
    /// `{"type":"text_delta","text":…}`, borrowed.
    pub struct TextDeltaRef => TextDelta {
        /// The next text.
        text = "text"
    }
}

delta_ref! {
    /// `{"type":"thinking_delta","thinking":…}`, borrowed.
    pub struct ThinkingDeltaRef => ThinkingDelta {
        /// The next reasoning text.
        thinking = "thinking"
    }
}

delta_ref! {
    /// `{"type":"signature_delta","signature":…}`, borrowed.
    pub struct SignatureDeltaRef => SignatureDelta {
        /// The thinking block's signature.
        signature = "signature"
    }
}

delta_ref! {
    /// `{"type":"input_json_delta","partial_json":…}`, borrowed.
    pub struct InputJsonDeltaRef => InputJsonDelta {
        /// The next piece of the tool input's JSON text.
        partial_json = "partial_json"
    }
}

/// The `delta` of a `content_block_delta` event, borrowed (see [`ContentBlockDelta`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ContentBlockDeltaRef<'a> {
    /// `text_delta`, for a `text` block.
    TextDelta(TextDeltaRef<'a>),
    /// `thinking_delta`, for a `thinking` block.
    ThinkingDelta(ThinkingDeltaRef<'a>),
    /// `signature_delta`, for a `thinking` block.
    SignatureDelta(SignatureDeltaRef<'a>),
    /// `input_json_delta`, for a `tool_use` block.
    InputJsonDelta(InputJsonDeltaRef<'a>),
    /// A `type` this crate does not know: every field as received, `type` included.
    Unknown(UnknownFieldsRef<'a>),
}

impl<'a> ContentBlockDeltaRef<'a> {
    /// A `text_delta` without unknown keys.
    pub fn text_delta(text: Cow<'a, str>) -> Self {
        Self::TextDelta(TextDeltaRef::new(text))
    }

    /// The known tag, `None` for `Unknown`.
    pub(crate) fn tag(&self) -> Option<&'static str> {
        match self {
            Self::TextDelta(_) => Some("text_delta"),
            Self::ThinkingDelta(_) => Some("thinking_delta"),
            Self::SignatureDelta(_) => Some("signature_delta"),
            Self::InputJsonDelta(_) => Some("input_json_delta"),
            Self::Unknown(_) => None,
        }
    }

    /// The `type` tag (for `Unknown`, its `type` field when that is a string, else `""`).
    pub fn kind(&self) -> Cow<'_, str> {
        match (self.tag(), self) {
            (Some(tag), _) => Cow::Borrowed(tag),
            (None, Self::Unknown(fields)) => Cow::Owned(unknown_kind(fields)),
            (None, _) => Cow::Borrowed(""),
        }
    }

    /// The block type this delta belongs to (`text`, `thinking`, `tool_use`), or `None` for
    /// an unknown delta type.
    pub fn block_kind(&self) -> Option<&'static str> {
        match self {
            Self::TextDelta(_) => Some("text"),
            Self::ThinkingDelta(_) | Self::SignatureDelta(_) => Some("thinking"),
            Self::InputJsonDelta(_) => Some("tool_use"),
            Self::Unknown(_) => None,
        }
    }

    /// The owned delta.
    pub fn into_owned(self) -> ContentBlockDelta {
        match self {
            Self::TextDelta(d) => ContentBlockDelta::TextDelta(d.into_owned()),
            Self::ThinkingDelta(d) => ContentBlockDelta::ThinkingDelta(d.into_owned()),
            Self::SignatureDelta(d) => ContentBlockDelta::SignatureDelta(d.into_owned()),
            Self::InputJsonDelta(d) => ContentBlockDelta::InputJsonDelta(d.into_owned()),
            Self::Unknown(fields) => ContentBlockDelta::Unknown(fields.into_owned()),
        }
    }
}

/// The `type` of unknown fields when it is a string, else `""`.
fn unknown_kind(fields: &UnknownFieldsRef<'_>) -> String {
    fields
        .get("type")
        .and_then(|v| serde_json::from_str::<String>(v.get()).ok())
        .unwrap_or_default()
}

/// A tagged enum decoded the way the owned `tagged!` enums are.
trait TaggedRef<'a>: Sized {
    const TAGS: &'static [&'static str];
    fn visit_variant<A: MapAccess<'a>>(tag: &str, map: A) -> Result<Self, A::Error>;
    fn unknown(fields: UnknownFieldsRef<'a>) -> Self;
}

impl<'a> TaggedRef<'a> for ContentBlockDeltaRef<'a> {
    const TAGS: &'static [&'static str] = ContentBlockDelta::TAGS;

    fn visit_variant<A: MapAccess<'a>>(tag: &str, map: A) -> Result<Self, A::Error> {
        let t = Some("type");
        match tag {
            "text_delta" => TextDeltaRef::visit_entries(map, t).map(Self::TextDelta),
            "thinking_delta" => ThinkingDeltaRef::visit_entries(map, t).map(Self::ThinkingDelta),
            "signature_delta" => SignatureDeltaRef::visit_entries(map, t).map(Self::SignatureDelta),
            "input_json_delta" => {
                InputJsonDeltaRef::visit_entries(map, t).map(Self::InputJsonDelta)
            }
            other => Err(de::Error::custom(format_args!("unknown tag `{other}`"))),
        }
    }

    fn unknown(fields: UnknownFieldsRef<'a>) -> Self {
        Self::Unknown(fields)
    }
}

/// Decodes a tagged enum from `map`: one pass when `type` comes first, else captured raw and
/// decoded from the capture.
fn visit_tagged<'a, T: TaggedRef<'a>, A: MapAccess<'a>>(mut map: A) -> Result<T, A::Error> {
    use de::Error as _;
    let Some(first) = map.next_key::<Key<'a>>()? else {
        return Err(A::Error::missing_field("type"));
    };
    if first.0 == "type" {
        let raw = map.next_value::<&'a RawValue>()?;
        return match known_tag(raw.get(), T::TAGS).map_err(A::Error::custom)? {
            Some(tag) => T::visit_variant(tag, map),
            None => {
                let mut fields = UnknownFieldsRef(vec![(first.0, raw)]);
                fields.take_rest(&mut map, None)?;
                Ok(T::unknown(fields))
            }
        };
    }
    let mut fields = UnknownFieldsRef::new();
    fields.take(&mut map, first, None)?;
    fields.take_rest(&mut map, None)?;
    let Some(raw) = fields.get("type") else {
        return Err(A::Error::missing_field("type"));
    };
    match known_tag(raw.get(), T::TAGS).map_err(A::Error::custom)? {
        Some(tag) => T::visit_variant(tag, fields.untagged()).map_err(A::Error::custom),
        None => Ok(T::unknown(fields)),
    }
}

/// Deserializes a [`TaggedRef`] enum.
fn deserialize_tagged<'de, T: TaggedRef<'de>, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    /// A [`TaggedRef`] read through the crate's one object visitor.
    struct Tagged<T>(T);

    impl<'de, T: TaggedRef<'de>> FromEntries<'de> for Tagged<T> {
        fn from_entries<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
            visit_tagged(map).map(Tagged)
        }
    }

    d.deserialize_map(ObjectVisitor::<Tagged<T>>::new())
        .map(|tagged| tagged.0)
}

impl<'de> Deserialize<'de> for ContentBlockDeltaRef<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_tagged(d)
    }
}

/// `content_block_delta`, borrowed (see [`ContentBlockDeltaEvent`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ContentBlockDeltaEventRef<'a> {
    /// Block index.
    pub index: u64,
    /// The increment.
    pub delta: ContentBlockDeltaRef<'a>,
    /// Keys this crate has no field for, raw and in order.
    pub extra: UnknownFieldsRef<'a>,
}

impl<'a> ContentBlockDeltaEventRef<'a> {
    /// A delta event without unknown keys.
    pub fn new(index: u64, delta: ContentBlockDeltaRef<'a>) -> Self {
        Self {
            index,
            delta,
            extra: UnknownFieldsRef::new(),
        }
    }

    /// The owned event.
    pub fn into_owned(self) -> ContentBlockDeltaEvent {
        let mut event = ContentBlockDeltaEvent::new(self.index, self.delta.into_owned());
        event.extra = self.extra.into_owned();
        event
    }

    fn visit_entries<A: MapAccess<'a>>(
        mut map: A,
        tag: Option<&'static str>,
    ) -> Result<Self, A::Error> {
        let _nesting = Nesting::enter::<A::Error>()?;
        let mut index = None;
        let mut delta = None;
        let mut extra = UnknownFieldsRef::new();
        while let Some(key) = map.next_key::<Key<'a>>()? {
            match &*key.0 {
                "index" => {
                    if index.is_some() {
                        return Err(duplicate("index"));
                    }
                    index = Some(map.next_value::<u64>()?);
                }
                "delta" => {
                    if delta.is_some() {
                        return Err(duplicate("delta"));
                    }
                    delta = Some(map.next_value::<ContentBlockDeltaRef<'a>>()?);
                }
                _ => extra.take(&mut map, key, tag)?,
            }
        }
        let Some(index) = index else {
            return Err(de::Error::missing_field("index"));
        };
        let Some(delta) = delta else {
            return Err(de::Error::missing_field("delta"));
        };
        Ok(Self {
            index,
            delta,
            extra,
        })
    }
}

/// One event of a `/v1/messages` stream, its `content_block_delta` borrowed from the input
/// (the other events, rare and small, are the owned types). See [`MessageStreamEvent`];
/// [`into_owned`](Self::into_owned) gives exactly the event the owned decoder produces.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum MessageStreamEventRef<'a> {
    /// `message_start`.
    MessageStart(MessageStartEvent),
    /// `content_block_start`.
    ContentBlockStart(ContentBlockStartEvent),
    /// `content_block_delta`, borrowed.
    ContentBlockDelta(ContentBlockDeltaEventRef<'a>),
    /// `content_block_stop`.
    ContentBlockStop(ContentBlockStopEvent),
    /// `message_delta`.
    MessageDelta(MessageDeltaEvent),
    /// `message_stop`.
    MessageStop(MessageStopEvent),
    /// `ping`.
    Ping(PingEvent),
    /// A `type` this crate does not know: every field as received, `type` included.
    Unknown(UnknownFieldsRef<'a>),
}

impl<'a> MessageStreamEventRef<'a> {
    /// The known tag, `None` for `Unknown`.
    pub(crate) fn tag(&self) -> Option<&'static str> {
        Some(match self {
            Self::MessageStart(_) => "message_start",
            Self::ContentBlockStart(_) => "content_block_start",
            Self::ContentBlockDelta(_) => "content_block_delta",
            Self::ContentBlockStop(_) => "content_block_stop",
            Self::MessageDelta(_) => "message_delta",
            Self::MessageStop(_) => "message_stop",
            Self::Ping(_) => "ping",
            Self::Unknown(_) => return None,
        })
    }

    /// The `type` tag (for `Unknown`, its `type` field when that is a string, else `""`).
    pub fn kind(&self) -> Cow<'_, str> {
        match (self.tag(), self) {
            (Some(tag), _) => Cow::Borrowed(tag),
            (None, Self::Unknown(fields)) => Cow::Owned(unknown_kind(fields)),
            (None, _) => Cow::Borrowed(""),
        }
    }

    /// The block index of a `content_block_*` event.
    pub fn index(&self) -> Option<u64> {
        match self {
            Self::ContentBlockStart(e) => Some(e.index),
            Self::ContentBlockDelta(e) => Some(e.index),
            Self::ContentBlockStop(e) => Some(e.index),
            _ => None,
        }
    }

    /// The owned event.
    pub fn into_owned(self) -> MessageStreamEvent {
        match self {
            Self::MessageStart(e) => MessageStreamEvent::MessageStart(e),
            Self::ContentBlockStart(e) => MessageStreamEvent::ContentBlockStart(e),
            Self::ContentBlockDelta(e) => MessageStreamEvent::ContentBlockDelta(e.into_owned()),
            Self::ContentBlockStop(e) => MessageStreamEvent::ContentBlockStop(e),
            Self::MessageDelta(e) => MessageStreamEvent::MessageDelta(e),
            Self::MessageStop(e) => MessageStreamEvent::MessageStop(e),
            Self::Ping(e) => MessageStreamEvent::Ping(e),
            Self::Unknown(fields) => MessageStreamEvent::Unknown(fields.into_owned()),
        }
    }
}

impl<'a> TaggedRef<'a> for MessageStreamEventRef<'a> {
    const TAGS: &'static [&'static str] = MessageStreamEvent::TAGS;

    fn visit_variant<A: MapAccess<'a>>(tag: &str, map: A) -> Result<Self, A::Error> {
        let t = Some("type");
        match tag {
            "message_start" => MessageStartEvent::visit_entries(map, t).map(Self::MessageStart),
            "content_block_start" => {
                ContentBlockStartEvent::visit_entries(map, t).map(Self::ContentBlockStart)
            }
            "content_block_delta" => {
                ContentBlockDeltaEventRef::visit_entries(map, t).map(Self::ContentBlockDelta)
            }
            "content_block_stop" => {
                ContentBlockStopEvent::visit_entries(map, t).map(Self::ContentBlockStop)
            }
            "message_delta" => MessageDeltaEvent::visit_entries(map, t).map(Self::MessageDelta),
            "message_stop" => MessageStopEvent::visit_entries(map, t).map(Self::MessageStop),
            "ping" => PingEvent::visit_entries(map, t).map(Self::Ping),
            other => Err(de::Error::custom(format_args!("unknown tag `{other}`"))),
        }
    }

    fn unknown(fields: UnknownFieldsRef<'a>) -> Self {
        Self::Unknown(fields)
    }
}

impl<'de> Deserialize<'de> for MessageStreamEventRef<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize_tagged(d)
    }
}
