//! Request translation for *translate* mode (sans-IO): a client request of any [`Wire`] becomes
//! one chat request of the upstream's wire ([`UpstreamWire`]).
//!
//! ```text
//!  client body ──from_*──▶ Chat (the neutral request) ──to_ollama / to_openai──▶ upstream body
//!               └─ a field the upstream cannot state: Refusal (400 in the client's wire)
//! ```
//!
//! Each client wire has its reader (`from_ollama`: `/api/chat` and `/api/generate`;
//! `from_openai`: `/v1/chat/completions` and `/v1/completions`; `from_responses`;
//! `from_anthropic`), each upstream wire its writer (`to_ollama`, `to_openai`). Both sides go
//! through the wire crates' typed request types; the neutral [`Chat`] between them holds only
//! what both writers can say or refuse. Nothing is dropped silently and nothing is invented: a
//! field that changes the reply and cannot be stated upstream is a [`Refusal`] naming it.
//! Unknown extra fields are not an error and are not forwarded (the typed request types have
//! no place for them). The upstream request always streams (the relay builds a non-stream
//! client's reply from the merged stream), and an OpenAI upstream is asked for its usage chunk.

mod from_anthropic;
mod from_ollama;
mod from_openai;
mod from_responses;
mod to_ollama;
mod to_openai;

use std::fmt;

use serde_json::Value;

use crate::repair::Wire;

/// The wire of the upstream in translate mode: the chat route every client route is served
/// from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum UpstreamWire {
    /// Ollama's native `/api/chat` (NDJSON).
    Ollama,
    /// An OpenAI-compatible `/v1/chat/completions` (SSE): llama.cpp's `llama-server`, vLLM,
    /// Ollama's own `/v1`, …
    #[value(name = "openai")]
    OpenAi,
}

impl UpstreamWire {
    /// The upstream route every translated request goes to.
    pub fn chat_path(self) -> &'static str {
        match self {
            Self::Ollama => "/api/chat",
            Self::OpenAi => "/v1/chat/completions",
        }
    }

    /// The client wire this upstream speaks natively (requests on it are repaired, not
    /// translated).
    pub fn wire(self) -> Wire {
        match self {
            Self::Ollama => Wire::Ollama,
            Self::OpenAi => Wire::OpenAi,
        }
    }

    /// The name on the command line and in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ollama => "ollama",
            Self::OpenAi => "openai",
        }
    }
}

impl fmt::Display for UpstreamWire {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a request cannot be translated: the client's field (a JSON path such as
/// `messages[2].content[0].type`) and what is wrong with it. The relay answers 400 in the
/// client's wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The request field, as a path into the client's JSON body (`""` for the body itself).
    pub field: String,
    /// What cannot be done with it.
    pub message: String,
}

impl Refusal {
    pub(crate) fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }

    /// `field` cannot be stated on the upstream wire.
    pub(crate) fn unsupported(field: impl Into<String>, upstream: UpstreamWire) -> Self {
        Self::new(
            field,
            format!("cannot be translated to the {upstream} upstream's chat request"),
        )
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "the request body {}", self.message)
        } else {
            write!(f, "`{}` {}", self.field, self.message)
        }
    }
}

impl std::error::Error for Refusal {}

/// A translated request.
#[derive(Debug, Clone, PartialEq)]
pub struct Translated {
    /// The upstream request body (JSON; it always asks for a stream).
    pub body: Vec<u8>,
    /// The model the client asked for (sent upstream, and written back in the reply).
    pub model: String,
    /// Whether the client asked for a stream (else the relay answers one JSON body).
    pub stream: bool,
    /// Whether an OpenAI chat-completions client asked for the usage chunk
    /// (`stream_options.include_usage`).
    pub include_usage: bool,
}

/// Translates the body of a `client` request into the chat request of `upstream`.
///
/// # Errors
///
/// A [`Refusal`] when the body is not a request of the client's wire, or holds something the
/// upstream's chat request cannot state (a `suffix`, a built-in tool, a URL image for Ollama, …).
///
/// ```
/// use ollama_relay::{UpstreamWire, Wire, translate};
///
/// let body = br#"{"model":"qwen3","max_tokens":64,"system":"Be brief.",
///                 "messages":[{"role":"user","content":"Hi"}],"stream":true}"#;
/// let t = translate(Wire::Anthropic, UpstreamWire::Ollama, body).unwrap();
/// let sent: serde_json::Value = serde_json::from_slice(&t.body).unwrap();
/// assert_eq!(sent["messages"][0], serde_json::json!({"role":"system","content":"Be brief."}));
/// assert_eq!(sent["options"]["num_predict"], 64);
/// assert!(t.stream);
///
/// let body = br#"{"model":"m","prompt":"Once","suffix":"end"}"#;
/// let refused = translate(Wire::Completions, UpstreamWire::Ollama, body).unwrap_err();
/// assert_eq!(refused.field, "suffix");
/// ```
pub fn translate(client: Wire, upstream: UpstreamWire, body: &[u8]) -> Result<Translated, Refusal> {
    let chat = match client {
        Wire::Ollama => from_ollama::chat(parse(body)?, upstream)?,
        Wire::OllamaGenerate => from_ollama::generate(parse(body)?, upstream)?,
        Wire::OpenAi => from_openai::chat(parse(body)?, upstream)?,
        Wire::Completions => from_openai::completion(parse(body)?, upstream)?,
        Wire::Responses => from_responses::request(parse(body)?, upstream)?,
        Wire::Anthropic => from_anthropic::request(parse(body)?)?,
    };
    let model = chat.model.clone();
    let stream = chat.stream;
    let include_usage = chat.include_usage;
    let body = match upstream {
        UpstreamWire::Ollama => to_ollama::request(chat)?,
        UpstreamWire::OpenAi => to_openai::request(chat)?,
    };
    Ok(Translated {
        body,
        model,
        stream,
        include_usage,
    })
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Refusal> {
    serde_json::from_slice(body).map_err(|e| Refusal::new("", format!("is not valid: {e}")))
}

/// Refuses tool `i` of the request unless its `type` (`kind`) is `function`.
fn function_tool(kind: &str, i: usize) -> Result<(), Refusal> {
    if kind == "function" {
        Ok(())
    } else {
        Err(Refusal::new(
            format!("tools[{i}].type"),
            "only function tools can be translated",
        ))
    }
}

/// A finite float from a JSON number (Anthropic keeps numbers as sent).
fn number(field: &str, n: &serde_json::Number) -> Result<f64, Refusal> {
    n.as_f64()
        .ok_or_else(|| Refusal::new(field, "is not a finite number"))
}

// ------------------------------------------------------------------ the neutral request

/// The neutral chat request between a client reader and an upstream writer.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Chat {
    pub model: String,
    pub messages: Vec<Turn>,
    pub tools: Vec<ToolDef>,
    pub tool_choice: ToolChoice,
    /// `Some(false)`: at most one call per turn.
    pub parallel_tool_calls: Option<bool>,
    pub think: Option<Think>,
    /// The client's name of the reasoning switch, for a refusal (`think`, `thinking`).
    pub think_field: &'static str,
    pub max_tokens: Option<u64>,
    pub temperature: Option<f64>,
    pub top_p: Option<f64>,
    pub top_k: Option<u64>,
    pub stop: Vec<String>,
    pub seed: Option<i64>,
    pub frequency_penalty: Option<f64>,
    pub presence_penalty: Option<f64>,
    pub format: Option<Format>,
    /// The end user (OpenAI `user`, Anthropic `metadata.user_id`).
    pub user: Option<String>,
    /// What only an Ollama client can ask and only an Ollama upstream can take (its other
    /// `options`, `keep_alive`, `truncate`, `shift`), with the client's field names.
    pub ollama: OllamaOnly,
    pub stream: bool,
    pub include_usage: bool,
}

/// Ollama request fields without an OpenAI counterpart.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct OllamaOnly {
    /// `options` keys other than the sampling ones [`Chat`] has fields for.
    pub options: serde_json::Map<String, Value>,
    pub keep_alive: Option<ollama_wire::KeepAlive>,
    pub truncate: Option<bool>,
    pub shift: Option<bool>,
}

impl OllamaOnly {
    /// The first field set, as the client named it.
    pub(crate) fn first_field(&self) -> Option<String> {
        if let Some(key) = self.options.keys().next() {
            return Some(format!("options.{key}"));
        }
        [
            ("keep_alive", self.keep_alive.is_some()),
            ("truncate", self.truncate.is_some()),
            ("shift", self.shift.is_some()),
        ]
        .into_iter()
        .find(|(_, set)| *set)
        .map(|(name, _)| name.to_owned())
    }
}

/// One message of the conversation.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Turn {
    pub role: Role,
    pub text: String,
    pub images: Vec<Image>,
    /// Earlier reasoning of an assistant turn.
    pub thinking: Option<String>,
    pub tool_calls: Vec<Call>,
    /// On a tool result: the call it answers.
    pub tool_call_id: Option<String>,
    /// On a tool result: the tool's name, when the client said.
    pub tool_name: Option<String>,
    /// Where this turn came from in the client's body, for refusals (`messages[3]`).
    pub at: String,
}

impl Turn {
    pub(crate) fn new(role: Role, text: impl Into<String>, at: impl Into<String>) -> Self {
        Self {
            role,
            text: text.into(),
            at: at.into(),
            ..Self::default()
        }
    }
}

/// A message author.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum Role {
    System,
    /// OpenAI's `developer` (Ollama gets `system`).
    Developer,
    #[default]
    User,
    Assistant,
    Tool,
}

/// An image of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Image {
    /// Base64 bytes, with their media type when the client said it.
    Base64 { mime: Option<String>, data: String },
    /// A URL to fetch (only an OpenAI upstream takes one).
    Url(String),
}

impl Image {
    /// An OpenAI `image_url`: a `data:` URI is split into its bytes and media type.
    pub(crate) fn from_url(url: &str) -> Self {
        if let Some(rest) = url.strip_prefix("data:") {
            if let Some((meta, data)) = rest.split_once(',') {
                if let Some(mime) = meta.strip_suffix(";base64") {
                    return Self::Base64 {
                        mime: (!mime.is_empty()).then(|| mime.to_owned()),
                        data: data.to_owned(),
                    };
                }
            }
        }
        Self::Url(url.to_owned())
    }
}

/// An earlier tool call of the assistant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Call {
    pub id: Option<String>,
    pub name: String,
    /// The arguments, a JSON object's text.
    pub arguments: String,
}

/// A function the model may call.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ToolDef {
    pub name: String,
    pub description: Option<String>,
    /// Its JSON Schema.
    pub parameters: Option<Value>,
}

/// How tools may be used.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum ToolChoice {
    /// The model decides (also: the client did not say).
    #[default]
    Auto,
    None,
    Required,
    Named(String),
}

/// Reasoning on, off, or at a level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Think {
    On,
    Off,
    /// `low`, `medium`, `high`, `max`, …
    Level(String),
}

/// Structured output.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Format {
    /// Any JSON value.
    Json,
    /// A JSON Schema, with its name when the client gave one.
    Schema {
        name: Option<String>,
        schema: Value,
        strict: Option<bool>,
    },
}

#[cfg(test)]
mod tests;
