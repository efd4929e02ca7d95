//! Chat messages, tool calls and tool definitions.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::value::RawValue;

use super::RawJson;

/// One message of a chat, in a request or in a response chunk.
///
/// Ollama always writes `role` and `content` (`""` when empty) and omits the other fields when
/// empty. Fields Ollama omits are `None` here, so that decoding then encoding reproduces the
/// server's bytes.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Message {
    /// `system`, `user`, `assistant` or `tool`.
    pub role: String,
    /// Text of the message; `""` when the chunk carries none.
    #[serde(default)]
    pub content: String,
    /// Reasoning text (v0.9.0+), separate from `content`.
    pub thinking: Option<String>,
    /// Base64-encoded images (standard alphabet, padded; not `data:` URLs).
    pub images: Option<Vec<String>>,
    /// Tool calls requested by the assistant; each native call arrives whole.
    pub tool_calls: Option<Vec<ToolCall>>,
    /// On `role: "tool"` messages: the name of the tool that produced this result (v0.9.6+).
    pub tool_name: Option<String>,
    /// On `role: "tool"` messages: the id of the call this result answers (v0.12.10+).
    pub tool_call_id: Option<String>,
}

impl Message {
    /// A message with a role and text content.
    pub fn new(role: impl Into<String>, content: impl Into<String>) -> Self {
        Self {
            role: role.into(),
            content: content.into(),
            ..Self::default()
        }
    }

    /// The reasoning text, `""` when absent.
    pub fn thinking(&self) -> &str {
        self.thinking.as_deref().unwrap_or("")
    }

    /// The tool calls, empty when absent.
    pub fn tool_calls(&self) -> &[ToolCall] {
        self.tool_calls.as_deref().unwrap_or(&[])
    }
}

/// A tool call as Ollama's native API writes it: `{"id"?, "function": {"index"?, "name", "arguments"}}`.
///
/// There is no `type` field on native tool calls (the OpenAI layer adds one; it is ignored here).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ToolCall {
    /// `call_` + 8 characters on Ollama's own parsers (v0.12.10+), llama-server's id on its
    /// native-chat path; absent on older servers.
    pub id: Option<String>,
    /// The function to call.
    pub function: ToolCallFunction,
}

impl ToolCall {
    /// A call without id or index.
    pub fn new(name: impl Into<String>, arguments: ToolCallFunctionArguments) -> Self {
        Self {
            id: None,
            function: ToolCallFunction {
                index: None,
                name: name.into(),
                arguments,
            },
        }
    }
}

/// The function part of a [`ToolCall`].
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ToolCallFunction {
    /// Position of the call (v0.4.7+). Written only when non-zero until v0.12.6, always since;
    /// may repeat (harmony models use `0` for every call).
    pub index: Option<u32>,
    /// Tool name.
    pub name: String,
    /// Arguments: always a JSON object on the native API, kept byte-exact.
    pub arguments: ToolCallFunctionArguments,
}

/// Tool-call arguments (`ToolCallFunctionArguments` in Ollama's `api/types.go`): a JSON object
/// kept exactly as received.
///
/// Ollama preserves the model's key order (v0.14.0+; sorted before) and numbers of any size, so
/// the object is kept as raw JSON text rather than a map: key order, integers above 2^53 and
/// escapes survive a decode/encode round trip. Use [`ToolCallFunctionArguments::to_value`] or
/// [`ToolCallFunctionArguments::parse`] to inspect it. Decoding anything but an object is an error.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ToolCallFunctionArguments(RawJson);

impl ToolCallFunctionArguments {
    /// The empty object `{}`.
    pub fn empty() -> Self {
        Self(RawJson::empty_object())
    }

    /// Wraps JSON text, which must be a single JSON object.
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when `json` (surrounding whitespace trimmed) is not exactly one
    /// JSON value, or is one but not an object.
    pub fn from_json(json: &str) -> Result<Self, serde_json::Error> {
        Self::from_raw(RawJson::from_json(json)?)
    }

    /// Encodes a serializable value, which must serialize to a JSON object.
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when `value` fails to serialize (see [`RawJson::from_serialize`]),
    /// or serializes to something other than an object.
    pub fn from_serialize<T: Serialize + ?Sized>(value: &T) -> Result<Self, serde_json::Error> {
        Self::from_raw(RawJson::from_serialize(value)?)
    }

    fn from_raw(raw: RawJson) -> Result<Self, serde_json::Error> {
        if raw.as_str().starts_with('{') {
            Ok(Self(raw))
        } else {
            Err(serde::de::Error::custom(format_args!(
                "tool-call arguments must be a JSON object, got {}",
                raw.as_str()
            )))
        }
    }

    /// The JSON text exactly as received.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The raw JSON value.
    pub fn as_raw(&self) -> &RawValue {
        self.0.as_raw()
    }

    /// Parses the arguments into a [`serde_json::Value`] (key order follows serde_json's map).
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when the object holds a number out of `f64`'s range (`1e400`) or
    /// nests deeper than serde_json's recursion limit (128): the kept text was only checked for
    /// syntax, so it may hold either.
    pub fn to_value(&self) -> Result<serde_json::Value, serde_json::Error> {
        self.0.parse()
    }

    /// Parses the arguments into a typed value.
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when the object is not a valid `T` (see [`RawJson::parse`]).
    pub fn parse<'a, T: Deserialize<'a>>(&'a self) -> Result<T, serde_json::Error> {
        self.0.parse()
    }
}

impl Default for ToolCallFunctionArguments {
    fn default() -> Self {
        Self::empty()
    }
}

impl fmt::Debug for ToolCallFunctionArguments {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for ToolCallFunctionArguments {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl<'de> Deserialize<'de> for ToolCallFunctionArguments {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Self::from_raw(RawJson::deserialize(deserializer)?).map_err(serde::de::Error::custom)
    }
}

/// A tool the model may call: `{"type": "function", "function": {...}}`.
///
/// The function definition (name, description, JSON-Schema parameters) is kept byte-exact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Tool {
    /// Always `"function"` today.
    #[serde(rename = "type")]
    pub kind: String,
    /// `{"name", "description"?, "parameters": {...}}`, kept as raw JSON.
    pub function: RawJson,
}

impl Tool {
    /// A function tool from its definition object.
    pub fn function(definition: RawJson) -> Self {
        Self {
            kind: "function".to_owned(),
            function: definition,
        }
    }
}

/// Log probability of one token (v0.12.11+).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TokenLogprob {
    /// The token text.
    pub token: String,
    /// Its log probability.
    pub logprob: f64,
    /// The token's bytes.
    pub bytes: Option<Vec<u8>>,
}

/// Log probability of a generated token plus the most likely alternatives.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Logprob {
    /// The token text.
    pub token: String,
    /// Its log probability.
    pub logprob: f64,
    /// The token's bytes.
    pub bytes: Option<Vec<u8>>,
    /// Alternatives, when `top_logprobs` was requested.
    pub top_logprobs: Option<Vec<TokenLogprob>>,
}
