//! Writing events as Ollama does: every object's keys sorted (Go marshals `map[string]any`),
//! raw JSON (a `json_schema` format's `schema`) verbatim, `event: <type>` and `data: <json>`
//! lines, a blank line.

use std::collections::BTreeMap;

use serde::ser::{self, Serialize};
use serde_json::value::RawValue;
use serde_json::{Number, Value};

use super::events::ResponseStreamEvent;
use crate::sse::{self, SseEncoder};
use crate::{Encoder, Escaping};

/// An error of [`ResponsesEncoder::encode`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// The event does not serialize (a non-finite float, a map key that is not a string).
    #[error("event does not serialize: {0}")]
    Json(#[from] serde_json::Error),
    /// The event does not fit an SSE frame (an unknown event type with a line break).
    #[error(transparent)]
    Sse(#[from] sse::EncodeError),
}

/// Writes [`ResponseStreamEvent`]s as the SSE bytes Ollama writes: `event: <type>\n`,
/// `data: <json>\n`, `\n`, the JSON with its keys sorted at every level (Go's map order; raw
/// JSON such as a `json_schema` format's `schema` is written as received) and Go's escaping by
/// default.
///
/// A non-streamed [`Response`](super::Response) body needs no sorting:
/// [`Encoder::new()`](crate::Encoder::new)`.to_vec(&response)` writes Ollama's bytes.
#[derive(Debug, Clone, Default)]
pub struct ResponsesEncoder {
    json: Encoder,
    sse: SseEncoder,
}

impl ResponsesEncoder {
    /// An encoder with Go's escaping (Ollama's bytes).
    pub fn new() -> Self {
        Self::default()
    }

    /// An encoder with the given escaping.
    pub fn with_escaping(escaping: Escaping) -> Self {
        Self {
            json: Encoder::with_escaping(escaping),
            sse: SseEncoder::new(),
        }
    }

    /// The escaping this encoder writes.
    pub fn escaping(&self) -> Escaping {
        self.json.escaping()
    }

    /// The event's data: JSON with sorted keys and `type` included.
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when the event does not serialize (a non-finite float).
    pub fn data(&self, event: &ResponseStreamEvent) -> Result<Vec<u8>, serde_json::Error> {
        let node = event.serialize(NodeSer)?;
        self.json.to_vec(&node)
    }

    /// Appends one event frame to `out`; nothing is written on error.
    ///
    /// # Errors
    ///
    /// [`EncodeError::Json`] when the event does not serialize; [`EncodeError::Sse`] when its
    /// type holds a line break.
    pub fn encode(
        &mut self,
        event: &ResponseStreamEvent,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        let data = self.data(event)?;
        let data = String::from_utf8(data)
            .map_err(|e| EncodeError::Json(ser::Error::custom(format_args!("not UTF-8: {e}"))))?;
        let frame = sse::Event::new(data).with_event(event.kind());
        self.sse.encode(&frame, out)?;
        Ok(())
    }
}

/// A serialized value with every object's keys sorted; raw JSON kept.
#[derive(Debug)]
enum Node {
    Scalar(Value),
    Raw(Box<RawValue>),
    Seq(Vec<Self>),
    Map(BTreeMap<String, Self>),
}

impl Serialize for Node {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Scalar(v) => v.serialize(s),
            Self::Raw(r) => r.serialize(s),
            Self::Seq(items) => s.collect_seq(items),
            Self::Map(map) => s.collect_map(map),
        }
    }
}

/// The name serde_json's `RawValue` serializes under (a struct of one field of that name).
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// Serializes anything into a [`Node`].
struct NodeSer;

type Error = serde_json::Error;

fn scalar(v: impl Into<Value>) -> Result<Node, Error> {
    Ok(Node::Scalar(v.into()))
}

/// `Serializer` methods that take a value JSON holds as it is.
macro_rules! scalars {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(
            fn $method(self, v: $ty) -> Result<Node, Error> {
                scalar(v)
            }
        )*
    };
}

impl ser::Serializer for NodeSer {
    type Ok = Node;
    type Error = Error;
    type SerializeSeq = SeqSer;
    type SerializeTuple = SeqSer;
    type SerializeTupleStruct = SeqSer;
    type SerializeTupleVariant = VariantSer<SeqSer>;
    type SerializeMap = MapSer;
    type SerializeStruct = StructSer;
    type SerializeStructVariant = VariantSer<MapSer>;

    scalars! {
        serialize_bool: bool,
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64,
        serialize_str: &str,
    }
    fn serialize_f32(self, v: f32) -> Result<Node, Error> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Node, Error> {
        Number::from_f64(v)
            .map(|n| Node::Scalar(Value::Number(n)))
            .ok_or_else(|| ser::Error::custom("a non-finite float is not JSON"))
    }
    fn serialize_char(self, v: char) -> Result<Node, Error> {
        scalar(v.to_string())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Node, Error> {
        Ok(Node::Seq(
            v.iter().map(|b| Node::Scalar((*b).into())).collect(),
        ))
    }
    fn serialize_none(self) -> Result<Node, Error> {
        scalar(Value::Null)
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<Node, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Node, Error> {
        scalar(Value::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Node, Error> {
        scalar(Value::Null)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Node, Error> {
        scalar(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Node, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Node, Error> {
        Ok(wrap(variant, value.serialize(self)?))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqSer, Error> {
        Ok(SeqSer(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqSer, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<SeqSer, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<VariantSer<SeqSer>, Error> {
        Ok(VariantSer {
            variant,
            inner: self.serialize_seq(Some(len))?,
        })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<MapSer, Error> {
        Ok(MapSer::default())
    }
    fn serialize_struct(self, name: &'static str, _len: usize) -> Result<StructSer, Error> {
        if name == RAW_VALUE_TOKEN {
            Ok(StructSer::Raw(None))
        } else {
            Ok(StructSer::Map(MapSer::default()))
        }
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<VariantSer<MapSer>, Error> {
        Ok(VariantSer {
            variant,
            inner: MapSer::default(),
        })
    }
}

struct SeqSer(Vec<Node>);

impl ser::SerializeSeq for SeqSer {
    type Ok = Node;
    type Error = Error;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.0.push(value.serialize(NodeSer)?);
        Ok(())
    }
    fn end(self) -> Result<Node, Error> {
        Ok(Node::Seq(self.0))
    }
}

/// Tuples and tuple structs are sequences.
macro_rules! seq_like {
    ($($trait:ident::$method:ident),*) => {
        $(
            impl ser::$trait for SeqSer {
                type Ok = Node;
                type Error = Error;
                fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
                    ser::SerializeSeq::serialize_element(self, value)
                }
                fn end(self) -> Result<Node, Error> {
                    ser::SerializeSeq::end(self)
                }
            }
        )*
    };
}

seq_like!(
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

#[derive(Default)]
struct MapSer {
    map: BTreeMap<String, Node>,
    key: Option<String>,
}

impl MapSer {
    fn insert<T: ?Sized + Serialize>(&mut self, key: String, value: &T) -> Result<(), Error> {
        self.map.insert(key, value.serialize(NodeSer)?);
        Ok(())
    }
}

/// A map key as Go writes it: strings as they are, numbers in decimal.
fn key_text(key: Node) -> Result<String, Error> {
    match key {
        Node::Scalar(Value::String(s)) => Ok(s),
        Node::Scalar(Value::Number(n)) => Ok(n.to_string()),
        Node::Scalar(Value::Bool(b)) => Ok(b.to_string()),
        _ => Err(ser::Error::custom("a map key must be a string")),
    }
}

impl ser::SerializeMap for MapSer {
    type Ok = Node;
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Error> {
        self.key = Some(key_text(key.serialize(NodeSer)?)?);
        Ok(())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| <Error as ser::Error>::custom("a map value without a key"))?;
        self.insert(key, value)
    }
    fn end(self) -> Result<Node, Error> {
        Ok(Node::Map(self.map))
    }
}

enum StructSer {
    Map(MapSer),
    Raw(Option<Box<RawValue>>),
}

impl ser::SerializeStruct for StructSer {
    type Ok = Node;
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        match self {
            Self::Map(map) => map.insert(key.to_owned(), value),
            Self::Raw(raw) => match value.serialize(NodeSer)? {
                Node::Scalar(Value::String(json)) => {
                    *raw = Some(RawValue::from_string(json)?);
                    Ok(())
                }
                _ => Err(ser::Error::custom("raw JSON that is not text")),
            },
        }
    }
    fn end(self) -> Result<Node, Error> {
        match self {
            Self::Map(map) => Ok(Node::Map(map.map)),
            Self::Raw(Some(raw)) => Ok(Node::Raw(raw)),
            Self::Raw(None) => Err(ser::Error::custom("raw JSON without its text")),
        }
    }
}

/// An enum variant with fields: `{"Variant": …}`.
struct VariantSer<T> {
    variant: &'static str,
    inner: T,
}

fn wrap(variant: &str, node: Node) -> Node {
    let mut map = BTreeMap::new();
    map.insert(variant.to_owned(), node);
    Node::Map(map)
}

impl ser::SerializeTupleVariant for VariantSer<SeqSer> {
    type Ok = Node;
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(&mut self.inner, value)
    }
    fn end(self) -> Result<Node, Error> {
        Ok(wrap(self.variant, ser::SerializeSeq::end(self.inner)?))
    }
}

impl ser::SerializeStructVariant for VariantSer<MapSer> {
    type Ok = Node;
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.inner.insert(key.to_owned(), value)
    }
    fn end(self) -> Result<Node, Error> {
        Ok(wrap(self.variant, Node::Map(self.inner.map)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    fn sorted(value: &impl Serialize) -> String {
        let node = value.serialize(NodeSer).unwrap();
        String::from_utf8(crate::Encoder::new().to_vec(&node).unwrap()).unwrap()
    }

    #[derive(Serialize)]
    enum E {
        Unit,
        New(u8),
        Tuple(u8, bool),
        Struct { z: u8, a: u8 },
    }

    #[derive(Serialize)]
    struct S {
        z: Option<u8>,
        b: Vec<E>,
        a: (i8, char),
        raw: Box<RawValue>,
        #[serde(with = "serde_bytes_like")]
        bytes: Vec<u8>,
        f: f32,
        unit: (),
    }

    mod serde_bytes_like {
        pub(super) fn serialize<S: serde::Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(v)
        }
    }

    #[test]
    fn keys_sorted_at_every_level_raw_kept_scalars_as_go_writes() {
        let value = S {
            z: None,
            b: vec![
                E::Unit,
                E::New(1),
                E::Tuple(2, true),
                E::Struct { z: 3, a: 4 },
            ],
            a: (-1, '<'),
            raw: RawValue::from_string(r#"{"z":1,"a":[2]}"#.to_owned()).unwrap(),
            bytes: vec![7, 8],
            f: 0.5,
            unit: (),
        };
        assert_eq!(
            sorted(&value),
            r#"{"a":[-1,"\u003c"],"b":["Unit",{"New":1},{"Tuple":[2,true]},{"Struct":{"a":4,"z":3}}],"bytes":[7,8],"f":0.5,"raw":{"z":1,"a":[2]},"unit":null,"z":null}"#
        );
    }

    #[test]
    fn map_keys_numbers_and_bools_are_text_others_are_errors() {
        let mut m = BTreeMap::new();
        m.insert(10_u32, "x");
        m.insert(2_u32, "y");
        // Sorted as text, as Go sorts a map's keys after writing them.
        assert_eq!(sorted(&m), r#"{"10":"x","2":"y"}"#);
        let mut b = BTreeMap::new();
        b.insert(true, 1);
        assert_eq!(sorted(&b), r#"{"true":1}"#);
        let mut bad = BTreeMap::new();
        bad.insert(vec![1], 1);
        assert!(bad.serialize(NodeSer).is_err());
        assert!(f64::NAN.serialize(NodeSer).is_err());
        assert!(f64::INFINITY.serialize(NodeSer).is_err());
    }

    #[test]
    fn a_bool_and_integers_of_every_width() {
        let v = (true, 1_i16, 2_i32, 3_u16, 4_u64, i64::MIN, u64::MAX);
        assert_eq!(
            sorted(&v),
            "[true,1,2,3,4,-9223372036854775808,18446744073709551615]"
        );
    }
}
