//! The neutral [`Chat`] written as Ollama's `/api/chat` request (`ollama_wire::ChatRequest`).
//!
//! The sampling fields go into `options` under Ollama's names (`num_predict` for the token
//! limit); images must be base64 (a URL is refused: Ollama does not fetch); `developer`
//! becomes `system`. Ollama has no tool choice and no parallel-call switch: anything but
//! `auto` (and parallel calls allowed) is refused. A schema's name and strictness are not sent
//! (Ollama's `format` is the schema alone; its own `/v1` drops them too), nor the end user.

use ollama_wire::{
    ChatRequest, Format as OllamaFormat, Message, RawJson, Think as OllamaThink, ThinkLevel, Tool,
    ToolCall, ToolCallFunctionArguments,
};
use serde_json::{Map, Value, json};

use super::{Chat, Format, Image, Refusal, Role, Think, ToolChoice, UpstreamWire};

const UPSTREAM: UpstreamWire = UpstreamWire::Ollama;

/// Writes the request body.
pub(crate) fn request(chat: Chat) -> Result<Vec<u8>, Refusal> {
    if chat.tool_choice != ToolChoice::Auto {
        return Err(Refusal::new(
            "tool_choice",
            "Ollama has no tool choice: only `auto` can be translated",
        ));
    }
    if chat.parallel_tool_calls == Some(false) {
        return Err(Refusal::new(
            "parallel_tool_calls",
            "Ollama cannot be limited to one call per turn",
        ));
    }
    let mut messages = Vec::with_capacity(chat.messages.len());
    for turn in chat.messages {
        let role = match turn.role {
            Role::System | Role::Developer => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
            Role::Tool => "tool",
        };
        let mut message = Message::new(role, turn.text);
        message.thinking = turn.thinking;
        if !turn.images.is_empty() {
            let mut images = Vec::with_capacity(turn.images.len());
            for image in turn.images {
                match image {
                    Image::Base64 { data, .. } => images.push(data),
                    Image::Url(_) => {
                        return Err(Refusal::new(
                            turn.at.clone(),
                            "holds an image URL: an Ollama upstream takes base64 images only",
                        ));
                    }
                }
            }
            message.images = Some(images);
        }
        if !turn.tool_calls.is_empty() {
            let mut calls = Vec::with_capacity(turn.tool_calls.len());
            for call in turn.tool_calls {
                let arguments =
                    ToolCallFunctionArguments::from_json(&call.arguments).map_err(|e| {
                        Refusal::new(turn.at.clone(), format!("tool-call arguments: {e}"))
                    })?;
                let mut native = ToolCall::new(call.name, arguments);
                native.id = call.id;
                calls.push(native);
            }
            message.tool_calls = Some(calls);
        }
        message.tool_name = turn.tool_name;
        message.tool_call_id = turn.tool_call_id;
        messages.push(message);
    }
    let mut request = ChatRequest::new(chat.model, messages);
    request.stream = Some(true);
    if !chat.tools.is_empty() {
        let mut tools = Vec::with_capacity(chat.tools.len());
        for (i, tool) in chat.tools.into_iter().enumerate() {
            let mut function = Map::new();
            function.insert("name".into(), Value::String(tool.name));
            if let Some(description) = tool.description {
                function.insert("description".into(), Value::String(description));
            }
            if let Some(parameters) = tool.parameters {
                function.insert("parameters".into(), parameters);
            }
            let raw = RawJson::from_serialize(&function)
                .map_err(|e| Refusal::new(format!("tools[{i}]"), e.to_string()))?;
            tools.push(Tool::function(raw));
        }
        request.tools = Some(tools);
    }
    request.think = chat.think.map(|think| match think {
        Think::On => OllamaThink::Enabled(true),
        Think::Off => OllamaThink::Enabled(false),
        Think::Level(level) => OllamaThink::Level(ThinkLevel::from(level.as_str())),
    });
    request.format = match chat.format {
        None => None,
        Some(Format::Json) => Some(OllamaFormat::Json),
        Some(Format::Schema { schema, .. }) => {
            let raw = RawJson::from_serialize(&schema)
                .map_err(|e| Refusal::new("format", e.to_string()))?;
            if !raw.as_str().starts_with('{') {
                return Err(Refusal::new("format", "the schema must be a JSON object"));
            }
            Some(OllamaFormat::Schema(raw))
        }
    };
    let mut options = Map::new();
    let mut set = |key: &str, value: Value| {
        options.insert(key.to_owned(), value);
    };
    if let Some(n) = chat.max_tokens {
        set("num_predict", json!(n));
    }
    if let Some(t) = chat.temperature {
        set("temperature", json!(t));
    }
    if let Some(p) = chat.top_p {
        set("top_p", json!(p));
    }
    if let Some(k) = chat.top_k {
        set("top_k", json!(k));
    }
    if let Some(seed) = chat.seed {
        set("seed", json!(seed));
    }
    if !chat.stop.is_empty() {
        set("stop", json!(chat.stop));
    }
    if let Some(p) = chat.frequency_penalty {
        set("frequency_penalty", json!(p));
    }
    if let Some(p) = chat.presence_penalty {
        set("presence_penalty", json!(p));
    }
    for (key, value) in chat.ollama.options {
        options.insert(key, value);
    }
    if !options.is_empty() {
        request.options = Some(options);
    }
    request.keep_alive = chat.ollama.keep_alive;
    request.truncate = chat.ollama.truncate;
    request.shift = chat.ollama.shift;
    serde_json::to_vec(&request).map_err(|e| Refusal::unsupported(e.to_string(), UPSTREAM))
}
