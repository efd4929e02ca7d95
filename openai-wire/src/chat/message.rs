//! Messages, their content parts and tool calls, in requests and responses.

use super::*;

/// A chat message, in a request or in a response.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct ChatCompletionMessage {
    /// Author role.
    pub role: Role,
    /// Text or content parts; `None` for `null`/absent (assistant tool calls).
    pub content: Option<Content>,
    /// Reasoning text (`reasoning`, `reasoning_content` or `reasoning_text`).
    pub reasoning: Option<String>,
    /// Which key [`reasoning`](Self::reasoning) came from and is written to.
    pub reasoning_key: ReasoningKey,
    /// Refusal text.
    pub refusal: Option<String>,
    /// Participant or tool name.
    pub name: Option<String>,
    /// Tool calls made by the assistant.
    pub tool_calls: Option<Vec<ChatCompletionToolCall>>,
    /// For `tool` messages: the call answered.
    pub tool_call_id: Option<String>,
}

// `open_enum!` has no `#[default]` hook, so this is written by hand.
#[allow(clippy::derivable_impls)]
impl Default for Role {
    fn default() -> Self {
        Self::User
    }
}

impl ChatCompletionMessage {
    /// A message with text content.
    pub fn new(role: Role, text: impl Into<String>) -> Self {
        Self {
            role,
            content: Some(Content::Text(text.into())),
            ..Self::default()
        }
    }
}

#[derive(Deserialize)]
struct MessageIn {
    #[serde(default, deserialize_with = "null_default")]
    role: Role,
    #[serde(default)]
    content: Option<Content>,
    #[serde(default)]
    reasoning: Option<String>,
    #[serde(default)]
    reasoning_content: Option<String>,
    #[serde(default)]
    reasoning_text: Option<String>,
    #[serde(default)]
    refusal: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    tool_calls: Option<Vec<ChatCompletionToolCall>>,
    #[serde(default)]
    tool_call_id: Option<String>,
}

#[derive(Serialize)]
struct MessageOut<'a> {
    role: &'a Role,
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<&'a Content>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reasoning: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reasoning_content: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reasoning_text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refusal: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tool_calls: Option<&'a [ChatCompletionToolCall]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tool_call_id: Option<&'a str>,
}

impl<'de> Deserialize<'de> for ChatCompletionMessage {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = MessageIn::deserialize(d)?;
        let (reasoning, reasoning_key) =
            pick_reasoning(raw.reasoning_content, raw.reasoning, raw.reasoning_text);
        Ok(Self {
            role: raw.role,
            content: raw.content,
            reasoning,
            reasoning_key,
            refusal: raw.refusal,
            name: raw.name,
            tool_calls: raw.tool_calls,
            tool_call_id: raw.tool_call_id,
        })
    }
}

impl Serialize for ChatCompletionMessage {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (reasoning, reasoning_content, reasoning_text) =
            split_reasoning(self.reasoning.as_deref(), self.reasoning_key);
        MessageOut {
            role: &self.role,
            content: self.content.as_ref(),
            reasoning,
            reasoning_content,
            reasoning_text,
            refusal: self.refusal.as_deref(),
            name: self.name.as_deref(),
            tool_calls: self.tool_calls.as_deref(),
            tool_call_id: self.tool_call_id.as_deref(),
        }
        .serialize(s)
    }
}

/// Message content: a string or an array of parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Content {
    /// Plain text.
    Text(String),
    /// Typed parts (text, images, audio, …).
    Parts(Vec<ContentPart>),
}

/// One content part.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ContentPart {
    /// `{"type":"text","text":…}`.
    Text {
        /// The text.
        text: String,
    },
    /// `{"type":"image_url","image_url":{"url":…,"detail":…}}`; a bare
    /// string `image_url` is accepted too.
    ImageUrl {
        /// URL or `data:` URI.
        url: String,
        /// `auto`, `low` or `high`.
        detail: Option<String>,
    },
    /// `{"type":"input_audio","input_audio":{"data":…,"format":…}}`.
    InputAudio {
        /// Base64 audio.
        data: String,
        /// `wav`, `mp3`, …
        format: String,
    },
    /// Any other part, kept verbatim.
    Other(Value),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ImageUrlIn {
    Bare(String),
    Object {
        url: String,
        #[serde(default)]
        detail: Option<String>,
    },
}

#[derive(Deserialize)]
struct InputAudioIn {
    data: String,
    format: String,
}

impl<'de> Deserialize<'de> for ContentPart {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = Value::deserialize(d)?;
        let field = |name: &str| value.get(name).cloned().unwrap_or(Value::Null);
        let part = match value.get("type").and_then(Value::as_str) {
            Some("text") => Self::Text {
                text: String::deserialize(field("text")).map_err(D::Error::custom)?,
            },
            Some("image_url") => {
                match ImageUrlIn::deserialize(field("image_url")).map_err(D::Error::custom)? {
                    ImageUrlIn::Bare(url) => Self::ImageUrl { url, detail: None },
                    ImageUrlIn::Object { url, detail } => Self::ImageUrl { url, detail },
                }
            }
            Some("input_audio") => {
                let a =
                    InputAudioIn::deserialize(field("input_audio")).map_err(D::Error::custom)?;
                Self::InputAudio {
                    data: a.data,
                    format: a.format,
                }
            }
            _ => Self::Other(value),
        };
        Ok(part)
    }
}

impl Serialize for ContentPart {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let value = match self {
            Self::Text { text } => serde_json::json!({"type": "text", "text": text}),
            Self::ImageUrl { url, detail } => {
                let mut inner = Map::new();
                inner.insert("url".into(), Value::from(url.as_str()));
                if let Some(detail) = detail {
                    inner.insert("detail".into(), Value::from(detail.as_str()));
                }
                serde_json::json!({"type": "image_url", "image_url": inner})
            }
            Self::InputAudio { data, format } => serde_json::json!({
                "type": "input_audio",
                "input_audio": {"data": data, "format": format},
            }),
            Self::Other(value) => return value.serialize(s),
        };
        value.serialize(s)
    }
}

/// A complete tool call (request history or non-streamed response).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatCompletionToolCall {
    /// Call id.
    pub id: Option<String>,
    /// Position (Ollama writes it; OpenAI does not in responses).
    pub index: Option<u32>,
    /// `"function"`.
    #[serde(
        rename = "type",
        default = "function_type",
        deserialize_with = "null_function"
    )]
    pub kind: String,
    /// The call.
    pub function: FunctionCall,
}

/// Function name and JSON arguments text.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FunctionCall {
    /// Function name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Arguments as a JSON text (a string on the wire).
    #[serde(default, deserialize_with = "null_default")]
    pub arguments: String,
}
