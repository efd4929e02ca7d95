//! `POST /v1/embeddings`: the request and the reply, in Ollama's shapes.
//!
//! Typed from Ollama's source (github.com/ollama/ollama `openai/openai.go`, commit
//! 077a50baa53553339fa1b545c74e08d88db90add: `EmbedRequest`, `EmbeddingList`, `Embedding`,
//! `EmbeddingUsage`, and `middleware/openai.go`'s `EmbeddingsMiddleware`), field for field in
//! Go's order. Ollama 0.33 answered every `/v1/embeddings` request of the recordings with 501
//! (the models there do not embed), so the 200 bodies in the fixtures are constructed.
//!
//! - `input` is a string, an array of strings, or token arrays; `""` is taken as `[""]`, an
//!   empty array is `400 invalid input`.
//! - `encoding_format` is `float` (the default) or `base64` (case-insensitive; anything else is
//!   a 400). A base64 embedding is the float32 values little-endian, standard base64.
//! - `usage` is always written; both counts are the prompt's token count.
//!
//! ```
//! use openai_wire::embeddings::{CreateEmbeddingResponse, EmbeddingVector};
//! use openai_wire::Encoder;
//!
//! let body = br#"{"object":"list","data":[{"object":"embedding","embedding":[0.010071029,-0.0017594862],"index":0}],"model":"all-minilm","usage":{"prompt_tokens":2,"total_tokens":2}}"#;
//! let reply: CreateEmbeddingResponse = serde_json::from_slice(body)?;
//! let first = reply.embeddings().next().unwrap();
//! let EmbeddingVector::Float(values) = &first.embedding else { panic!() };
//! assert_eq!(values, &[0.010071029_f32, -0.0017594862]);
//! assert_eq!(Encoder::new().to_vec(&reply)?, body);
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// The body of `POST /v1/embeddings`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmbeddingCreateParams {
    /// What to embed.
    pub input: EmbeddingInput,
    /// The model.
    pub model: String,
    /// Truncate each vector to this many dimensions (re-normalized); `0` or absent: all.
    pub dimensions: Option<u32>,
    /// `float` (default) or `base64`.
    pub encoding_format: Option<EncodingFormat>,
    /// A user identifier (OpenAI's; Ollama ignores it).
    pub user: Option<String>,
}

impl EmbeddingCreateParams {
    /// A request embedding `input` with `model`.
    pub fn new(model: impl Into<String>, input: impl Into<EmbeddingInput>) -> Self {
        Self {
            input: input.into(),
            model: model.into(),
            dimensions: None,
            encoding_format: None,
            user: None,
        }
    }
}

/// The `input` of an embeddings request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum EmbeddingInput {
    /// One text.
    Text(String),
    /// Several texts, one vector each.
    Texts(Vec<String>),
    /// One text as token ids.
    Tokens(Vec<u64>),
    /// Several token arrays.
    TokenArrays(Vec<Vec<u64>>),
}

impl From<&str> for EmbeddingInput {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl From<String> for EmbeddingInput {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<Vec<String>> for EmbeddingInput {
    fn from(texts: Vec<String>) -> Self {
        Self::Texts(texts)
    }
}

/// How the vectors of the reply are written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EncodingFormat {
    /// Arrays of numbers.
    Float,
    /// Base64 strings of the little-endian float32 values.
    Base64,
    /// Another value, kept as sent (Ollama answers it with a 400).
    Other(String),
}

impl EncodingFormat {
    /// The value as written.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Float => "float",
            Self::Base64 => "base64",
            Self::Other(other) => other,
        }
    }
}

impl Serialize for EncodingFormat {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EncodingFormat {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Any other spelling (Ollama also accepts `BASE64`) is kept as written.
        let value = String::deserialize(d)?;
        Ok(match value.as_str() {
            "float" => Self::Float,
            "base64" => Self::Base64,
            _ => Self::Other(value),
        })
    }
}

/// The reply of `POST /v1/embeddings`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreateEmbeddingResponse {
    /// `"list"`.
    #[serde(default)]
    pub object: String,
    /// One embedding per input, in input order; `None` for Go's `"data": null` (the zero reply
    /// Ollama writes when the runner returned no embeddings).
    #[serde(default)]
    pub data: Option<Vec<Embedding>>,
    /// The model.
    #[serde(default)]
    pub model: String,
    /// Token counts.
    #[serde(default)]
    pub usage: EmbeddingUsage,
}

impl CreateEmbeddingResponse {
    /// The embeddings, none for `"data": null`.
    pub fn embeddings(&self) -> impl Iterator<Item = &Embedding> {
        self.data.iter().flatten()
    }
}

/// One vector of a [`CreateEmbeddingResponse`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Embedding {
    /// `"embedding"`.
    #[serde(default)]
    pub object: String,
    /// The vector.
    pub embedding: EmbeddingVector,
    /// Its input's position.
    #[serde(default)]
    pub index: u32,
}

/// A vector: numbers, or base64 (`encoding_format: "base64"`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum EmbeddingVector {
    /// The float32 values Ollama computes, written with float32's shortest digits.
    Float(Vec<f32>),
    /// Standard base64 of the little-endian float32 values.
    Base64(String),
}

impl Serialize for EmbeddingVector {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Float(values) => values.serialize(s),
            Self::Base64(text) => s.serialize_str(text),
        }
    }
}

impl<'de> Deserialize<'de> for EmbeddingVector {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::String(text) => Ok(Self::Base64(text)),
            array @ Value::Array(_) => Vec::<f32>::deserialize(array)
                .map(Self::Float)
                .map_err(D::Error::custom),
            other => Err(D::Error::custom(format_args!(
                "an embedding is an array of numbers or a base64 string, not {other}"
            ))),
        }
    }
}

/// Token counts of an embeddings reply (Ollama sets both to the prompt's count).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmbeddingUsage {
    /// Prompt tokens.
    #[serde(default)]
    pub prompt_tokens: u64,
    /// All tokens.
    #[serde(default)]
    pub total_tokens: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Encoder;

    #[test]
    fn requests_of_every_input_shape() {
        for (json, input) in [
            (
                r#"{"input":"hi","model":"m"}"#,
                EmbeddingInput::Text("hi".into()),
            ),
            (
                r#"{"input":["a","b"],"model":"m"}"#,
                EmbeddingInput::Texts(vec!["a".into(), "b".into()]),
            ),
            (
                r#"{"input":[1,2],"model":"m"}"#,
                EmbeddingInput::Tokens(vec![1, 2]),
            ),
            (
                r#"{"input":[[1],[2,3]],"model":"m"}"#,
                EmbeddingInput::TokenArrays(vec![vec![1], vec![2, 3]]),
            ),
        ] {
            let request: EmbeddingCreateParams = serde_json::from_str(json).unwrap();
            assert_eq!(request.input, input, "{json}");
            assert_eq!(Encoder::new().to_vec(&request).unwrap(), json.as_bytes());
        }
        let mut request = EmbeddingCreateParams::new("m", "hi");
        request.dimensions = Some(2);
        request.encoding_format = Some(EncodingFormat::Base64);
        assert_eq!(
            Encoder::new().to_vec(&request).unwrap(),
            br#"{"input":"hi","model":"m","dimensions":2,"encoding_format":"base64"}"#
        );
        assert_eq!(
            EmbeddingCreateParams::new("m", vec!["a".to_owned()]).input,
            EmbeddingInput::Texts(vec!["a".into()])
        );
        assert_eq!(
            EmbeddingCreateParams::new("m", String::from("x")).input,
            EmbeddingInput::Text("x".into())
        );
    }

    #[test]
    fn encoding_formats_keep_what_was_sent() {
        for (json, format, text) in [
            ("\"float\"", EncodingFormat::Float, "float"),
            ("\"base64\"", EncodingFormat::Base64, "base64"),
            (
                "\"BASE64\"",
                EncodingFormat::Other("BASE64".into()),
                "BASE64",
            ),
            ("\"int8\"", EncodingFormat::Other("int8".into()), "int8"),
        ] {
            let parsed: EncodingFormat = serde_json::from_str(json).unwrap();
            assert_eq!(parsed, format);
            assert_eq!(parsed.as_str(), text);
            assert_eq!(serde_json::to_string(&parsed).unwrap(), json);
        }
    }

    #[test]
    fn base64_vectors_and_bad_vectors() {
        let body = br#"{"object":"list","data":[{"object":"embedding","embedding":"AACAPwAAAEA=","index":0}],"model":"m","usage":{"prompt_tokens":1,"total_tokens":1}}"#;
        let reply: CreateEmbeddingResponse = serde_json::from_slice(body).unwrap();
        let first = reply.embeddings().next().unwrap();
        assert_eq!(
            first.embedding,
            EmbeddingVector::Base64("AACAPwAAAEA=".into())
        );
        assert_eq!((first.object.as_str(), first.index), ("embedding", 0));
        assert_eq!(reply.usage.total_tokens, 1);
        assert_eq!(Encoder::new().to_vec(&reply).unwrap(), body);

        let err = serde_json::from_str::<Embedding>(r#"{"object":"embedding","embedding":7}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("not 7"), "{err}");
        assert!(serde_json::from_str::<Embedding>(r#"{"embedding":["x"]}"#).is_err());
        // Ollama's zero value when the runner returned no embeddings.
        let empty = CreateEmbeddingResponse::default();
        assert_eq!(empty.embeddings().count(), 0);
        assert_eq!(
            Encoder::new().to_vec(&empty).unwrap(),
            br#"{"object":"","data":null,"model":"","usage":{"prompt_tokens":0,"total_tokens":0}}"#
        );
    }
}
