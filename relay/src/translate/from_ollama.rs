//! `/api/chat` and `/api/generate` requests read into the neutral [`Chat`].
//!
//! The sampling `options` (`temperature`, `top_p`, `seed`, `stop`, `num_predict`,
//! `frequency_penalty`, `presence_penalty`) get the neutral fields; every other option, and
//! `keep_alive`, `truncate`, `shift`, only an Ollama upstream takes (an OpenAI upstream
//! refuses them by name). `/api/generate`'s prompt is one user message and its `system` a
//! system message before it; `raw`, `template`, `suffix` and `context` have no chat form and
//! are refused. Log probabilities are refused: the merged reply has no place for them. `stream`
//! defaults to true, as on Ollama.

use ollama_wire::{
    ChatRequest, Format as OllamaFormat, GenerateRequest, Message, Think as OllamaThink,
};
use serde_json::{Map, Value};

use super::{
    Call, Chat, Format, Image, OllamaOnly, Refusal, Role, Think, ToolDef, Turn, UpstreamWire,
    function_tool,
};

/// Reads a native chat request.
pub(crate) fn chat(r: ChatRequest, _upstream: UpstreamWire) -> Result<Chat, Refusal> {
    if r.logprobs || r.top_logprobs.is_some() {
        return Err(Refusal::new(
            if r.logprobs {
                "logprobs"
            } else {
                "top_logprobs"
            },
            "log probabilities are not relayed",
        ));
    }
    let mut chat = new_chat(r.model, r.stream);
    for (i, message) in r.messages.into_iter().enumerate() {
        chat.messages
            .push(message_of(message, &format!("messages[{i}]"))?);
    }
    for (i, tool) in r.tools.unwrap_or_default().into_iter().enumerate() {
        chat.tools.push(tool_of(&tool, i)?);
    }
    let ollama_only = (r.keep_alive, r.truncate, r.shift);
    read_shared(&mut chat, r.think, r.format, ollama_only, r.options)?;
    Ok(chat)
}

/// Reads a native generate request: the prompt is one user message.
pub(crate) fn generate(r: GenerateRequest, _upstream: UpstreamWire) -> Result<Chat, Refusal> {
    let refused = [
        ("raw", r.raw),
        ("template", r.template.is_some()),
        ("suffix", r.suffix.is_some()),
        ("context", r.context.is_some()),
        ("logprobs", r.logprobs),
        ("top_logprobs", r.top_logprobs.is_some()),
    ];
    if let Some((field, _)) = refused.into_iter().find(|(_, set)| *set) {
        return Err(Refusal::new(
            field,
            "has no chat form: cannot be translated to a chat request",
        ));
    }
    let mut chat = new_chat(r.model, r.stream);
    if let Some(system) = r.system.filter(|s| !s.is_empty()) {
        chat.messages
            .push(Turn::new(Role::System, system, "system"));
    }
    let mut user = Turn::new(Role::User, r.prompt, "prompt");
    user.images = images_of(r.images);
    chat.messages.push(user);
    let ollama_only = (r.keep_alive, r.truncate, r.shift);
    read_shared(&mut chat, r.think, r.format, ollama_only, r.options)?;
    Ok(chat)
}

/// The chat of an Ollama request before its messages: `stream` is true unless it is false.
fn new_chat(model: String, stream: Option<bool>) -> Chat {
    Chat {
        model,
        stream: stream != Some(false),
        think_field: "think",
        ..Chat::default()
    }
}

/// Reads what `/api/chat` and `/api/generate` share after their messages: `think`, `format`,
/// the Ollama-only `keep_alive`, `truncate` and `shift`, and the sampling `options`.
fn read_shared(
    chat: &mut Chat,
    think: Option<OllamaThink>,
    format: Option<OllamaFormat>,
    (keep_alive, truncate, shift): (Option<ollama_wire::KeepAlive>, Option<bool>, Option<bool>),
    options: Option<Map<String, Value>>,
) -> Result<(), Refusal> {
    chat.think = think.map(|t| think_of(&t));
    chat.format = format.map(format_of).transpose()?;
    chat.ollama.keep_alive = keep_alive;
    chat.ollama.truncate = truncate;
    chat.ollama.shift = shift;
    read_options(options.unwrap_or_default(), chat)
}

/// Ollama's base64 `images`.
fn images_of(images: Option<Vec<String>>) -> Vec<Image> {
    images
        .unwrap_or_default()
        .into_iter()
        .map(|data| Image::Base64 { mime: None, data })
        .collect()
}

fn think_of(think: &OllamaThink) -> Think {
    match think {
        OllamaThink::Enabled(true) => Think::On,
        OllamaThink::Enabled(false) => Think::Off,
        OllamaThink::Level(level) => Think::Level(level.as_str().to_owned()),
        _ => Think::On,
    }
}

fn format_of(format: OllamaFormat) -> Result<Format, Refusal> {
    match format {
        OllamaFormat::Json => Ok(Format::Json),
        OllamaFormat::Schema(raw) => Ok(Format::Schema {
            name: None,
            schema: raw
                .parse()
                .map_err(|e| Refusal::new("format", format!("is not a JSON Schema: {e}")))?,
            strict: None,
        }),
        _ => Err(Refusal::new("format", "is not `json` or a JSON Schema")),
    }
}

fn tool_of(tool: &ollama_wire::Tool, i: usize) -> Result<ToolDef, Refusal> {
    #[derive(serde::Deserialize)]
    struct Function {
        name: String,
        description: Option<String>,
        parameters: Option<Value>,
    }
    function_tool(&tool.kind, i)?;
    let function: Function = tool
        .function
        .parse()
        .map_err(|e| Refusal::new(format!("tools[{i}].function"), e.to_string()))?;
    Ok(ToolDef {
        name: function.name,
        description: function.description,
        parameters: function.parameters,
    })
}

fn message_of(m: Message, at: &str) -> Result<Turn, Refusal> {
    let role = match m.role.as_str() {
        "system" => Role::System,
        "developer" => Role::Developer,
        "user" => Role::User,
        "assistant" => Role::Assistant,
        "tool" => Role::Tool,
        other => {
            return Err(Refusal::new(
                format!("{at}.role"),
                format!("`{other}` is not a chat role"),
            ));
        }
    };
    let mut turn = Turn::new(role, m.content, at);
    turn.thinking = m.thinking.filter(|t| !t.is_empty());
    turn.images = images_of(m.images);
    turn.tool_calls = m
        .tool_calls
        .unwrap_or_default()
        .into_iter()
        .map(|call| Call {
            id: call.id,
            name: call.function.name,
            arguments: call.function.arguments.as_str().to_owned(),
        })
        .collect();
    turn.tool_name = m.tool_name;
    turn.tool_call_id = m.tool_call_id;
    Ok(turn)
}

/// Takes the sampling options into their fields; the rest stays Ollama's.
fn read_options(options: Map<String, Value>, chat: &mut Chat) -> Result<(), Refusal> {
    let mut rest = OllamaOnly::default();
    for (key, value) in options {
        let at = format!("options.{key}");
        let bad = || Refusal::new(at.clone(), "has the wrong type");
        match key.as_str() {
            "temperature" => chat.temperature = Some(value.as_f64().ok_or_else(bad)?),
            "top_p" => chat.top_p = Some(value.as_f64().ok_or_else(bad)?),
            "seed" => chat.seed = Some(value.as_i64().ok_or_else(bad)?),
            "num_predict" => match value.as_i64() {
                // -1: no limit (Ollama's default); -2: fill the context, only Ollama knows.
                Some(-1) => {}
                Some(n) if n >= 0 => chat.max_tokens = u64::try_from(n).ok(),
                _ => {
                    rest.options.insert(key, value);
                }
            },
            "frequency_penalty" => chat.frequency_penalty = Some(value.as_f64().ok_or_else(bad)?),
            "presence_penalty" => chat.presence_penalty = Some(value.as_f64().ok_or_else(bad)?),
            "stop" => {
                chat.stop = match value {
                    Value::String(one) => vec![one],
                    Value::Array(many) => many
                        .into_iter()
                        .map(|v| match v {
                            Value::String(s) => Ok(s),
                            _ => Err(bad()),
                        })
                        .collect::<Result<_, _>>()?,
                    _ => return Err(bad()),
                };
            }
            _ => {
                rest.options.insert(key, value);
            }
        }
    }
    chat.ollama.options = rest.options;
    Ok(())
}
