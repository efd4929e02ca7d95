//! The neutral [`Chat`] written as an OpenAI `/v1/chat/completions` request
//! (`openai_wire::chat::ChatCompletionRequest`).
//!
//! Images become `image_url` parts (base64 as a `data:` URI: its media type is the client's,
//! or read from the bytes' signature — PNG, JPEG, GIF, WebP — else refused); earlier reasoning
//! goes back as `reasoning_content` (llama.cpp's, vLLM's and DeepSeek's name); thinking on or
//! off is `reasoning_effort` (a level, or `none`); thinking "on" without a level leaves the
//! field out (the server's default effort: `medium` in OpenAI's reference); `top_k` and
//! Ollama's own options are refused. The request asks for the
//! usage chunk (`stream_options.include_usage`) so every client wire gets its token counts.

use openai_wire::chat::{
    ChatCompletionMessage, ChatCompletionRequest, ChatCompletionTool, ChatCompletionToolCall,
    Content, ContentPart, FunctionCall, NamedToolChoice, ReasoningEffort, ReasoningKey,
    ResponseFormat, Role as OpenAiRole, Stop, StreamOptions, ToolChoice as OpenAiToolChoice,
    ToolChoiceMode,
};
use serde_json::json;

use super::{Chat, Format, Image, Refusal, Role, Think, ToolChoice, UpstreamWire};

const UPSTREAM: UpstreamWire = UpstreamWire::OpenAi;

/// Writes the request body.
pub(crate) fn request(chat: Chat) -> Result<Vec<u8>, Refusal> {
    if let Some(field) = chat.ollama.first_field() {
        return Err(Refusal::unsupported(field, UPSTREAM));
    }
    if chat.top_k.is_some() {
        return Err(Refusal::new(
            "top_k",
            "OpenAI's chat request has no top_k: cannot be translated",
        ));
    }
    let mut messages = Vec::with_capacity(chat.messages.len());
    for turn in chat.messages {
        let role = match turn.role {
            Role::System => OpenAiRole::System,
            Role::Developer => OpenAiRole::Developer,
            Role::User => OpenAiRole::User,
            Role::Assistant => OpenAiRole::Assistant,
            Role::Tool => OpenAiRole::Tool,
        };
        if turn.role == Role::Tool && turn.tool_call_id.is_none() {
            return Err(Refusal::new(
                format!("{}.tool_call_id", turn.at),
                "is required: an OpenAI tool result names the call it answers",
            ));
        }
        let mut message = ChatCompletionMessage::new(role, "");
        message.content = if turn.images.is_empty() {
            // An assistant turn of tool calls only has `content: null`.
            (!turn.text.is_empty() || turn.tool_calls.is_empty())
                .then_some(Content::Text(turn.text))
        } else {
            let mut parts = Vec::with_capacity(turn.images.len() + 1);
            if !turn.text.is_empty() {
                parts.push(ContentPart::Text { text: turn.text });
            }
            for image in turn.images {
                let url = match image {
                    Image::Url(url) => url,
                    Image::Base64 { mime, data } => {
                        let mime = match mime.or_else(|| sniff(&data).map(str::to_owned)) {
                            Some(mime) => mime,
                            None => {
                                return Err(Refusal::new(
                                    turn.at.clone(),
                                    "holds an image of unknown type (not PNG, JPEG, GIF or WebP)",
                                ));
                            }
                        };
                        format!("data:{mime};base64,{data}")
                    }
                };
                parts.push(ContentPart::ImageUrl { url, detail: None });
            }
            Some(Content::Parts(parts))
        };
        if let Some(thinking) = turn.thinking {
            message.reasoning = Some(thinking);
            message.reasoning_key = ReasoningKey::ReasoningContent;
        }
        if !turn.tool_calls.is_empty() {
            let calls = turn
                .tool_calls
                .into_iter()
                .map(|call| {
                    let mut function = FunctionCall::default();
                    function.name = call.name;
                    function.arguments = call.arguments;
                    let mut out = ChatCompletionToolCall::default();
                    out.id = call.id;
                    out.kind = "function".to_owned();
                    out.function = function;
                    out
                })
                .collect();
            message.tool_calls = Some(calls);
        }
        message.tool_call_id = turn.tool_call_id;
        messages.push(message);
    }
    let mut request = ChatCompletionRequest::default();
    request.model = chat.model;
    request.messages = messages;
    request.stream = Some(true);
    let mut options = StreamOptions::default();
    options.include_usage = Some(true);
    request.stream_options = Some(options);
    if !chat.tools.is_empty() {
        request.tools = Some(
            chat.tools
                .into_iter()
                .map(|t| ChatCompletionTool::function(t.name, t.description, t.parameters))
                .collect(),
        );
    }
    request.tool_choice = match chat.tool_choice {
        ToolChoice::Auto => None,
        ToolChoice::None => Some(OpenAiToolChoice::Mode(ToolChoiceMode::None)),
        ToolChoice::Required => Some(OpenAiToolChoice::Mode(ToolChoiceMode::Required)),
        ToolChoice::Named(name) => Some(OpenAiToolChoice::Named(NamedToolChoice::new(name))),
    };
    request.parallel_tool_calls = chat.parallel_tool_calls;
    request.reasoning_effort = match chat.think {
        None => None,
        Some(Think::Off) => Some(ReasoningEffort::None),
        Some(Think::Level(level)) => Some(ReasoningEffort::from(level)),
        // Thinking on at no stated level is what an OpenAI server does by default for a
        // reasoning model (OpenAI's reference: `reasoning_effort` defaults to `medium`), so the
        // field is left out rather than a level made up.
        Some(Think::On) => None,
    };
    request.response_format = match chat.format {
        None => None,
        Some(Format::Json) => Some(format(json!({"type": "json_object"}))?),
        Some(Format::Schema {
            name,
            schema,
            strict,
        }) => {
            let mut inner = serde_json::Map::new();
            inner.insert(
                "name".into(),
                json!(name.unwrap_or_else(|| "response".to_owned())),
            );
            inner.insert("schema".into(), schema);
            if let Some(strict) = strict {
                inner.insert("strict".into(), json!(strict));
            }
            Some(format(
                json!({"type": "json_schema", "json_schema": inner}),
            )?)
        }
    };
    request.max_tokens = chat.max_tokens;
    request.temperature = chat.temperature;
    request.top_p = chat.top_p;
    request.seed = chat.seed;
    request.stop = match chat.stop.len() {
        0 => None,
        _ => Some(Stop::Many(chat.stop)),
    };
    request.frequency_penalty = chat.frequency_penalty;
    request.presence_penalty = chat.presence_penalty;
    request.user = chat.user;
    serde_json::to_vec(&request).map_err(|e| Refusal::unsupported(e.to_string(), UPSTREAM))
}

fn format(value: serde_json::Value) -> Result<ResponseFormat, Refusal> {
    serde_json::from_value(value).map_err(|e| Refusal::new("format", e.to_string()))
}

/// The media type of base64 image bytes, from their signature.
pub(super) fn sniff(base64: &str) -> Option<&'static str> {
    [
        ("iVBORw0KGgo", "image/png"),
        ("/9j/", "image/jpeg"),
        ("R0lGOD", "image/gif"),
    ]
    .into_iter()
    .find(|(prefix, _)| base64.starts_with(prefix))
    .map(|(_, mime)| mime)
    // `RIFF`, 4 bytes of size, `WEBP`: "UklGR…", and bytes 9..12 (`EBP`) are "RUJQ".
    .or_else(|| {
        (base64.starts_with("UklGR") && base64.get(12..16) == Some("RUJQ")).then_some("image/webp")
    })
}
