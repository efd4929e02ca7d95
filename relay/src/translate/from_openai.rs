//! `/v1/chat/completions` and `/v1/completions` requests read into the neutral [`Chat`].
//!
//! As Ollama's `openai.FromChatRequest` reads them: text parts joined, `image_url` parts as
//! images, `reasoning` of an assistant turn as its thinking, tool-call arguments parsed into an
//! object (an argument text that is not one is refused), `max_tokens` (or
//! `max_completion_tokens`) as the token limit, `reasoning.effort` winning over
//! `reasoning_effort`. A message's `name` is not sent (Ollama ignores it too). Log
//! probabilities are refused: the merged reply has no place for them.

use openai_wire::chat::{
    ChatCompletionMessage, ChatCompletionRequest, Content, ContentPart, ReasoningEffort,
    ResponseFormat, Role as OpenAiRole, Stop, StreamOptions, ToolChoice as OpenAiToolChoice,
    ToolChoiceMode,
};
use openai_wire::completions::CompletionCreateParams;

use super::{
    Call, Chat, Format, Image, Refusal, Role, Think, ToolChoice, ToolDef, Turn, UpstreamWire,
    function_tool,
};

/// Reads a chat-completions request.
pub(crate) fn chat(r: ChatCompletionRequest, _upstream: UpstreamWire) -> Result<Chat, Refusal> {
    if r.n.is_some_and(|n| n != 1) {
        return Err(Refusal::new("n", "only one choice can be relayed"));
    }
    if r.logprobs == Some(true) {
        return Err(Refusal::new(
            "logprobs",
            "log probabilities are not relayed",
        ));
    }
    if r.top_logprobs.is_some() {
        return Err(Refusal::new(
            "top_logprobs",
            "log probabilities are not relayed",
        ));
    }
    let mut chat = Chat {
        model: r.model,
        stream: r.stream == Some(true),
        include_usage: include_usage(r.stream_options.as_ref()),
        max_tokens: r.max_tokens.or(r.max_completion_tokens),
        temperature: r.temperature,
        top_p: r.top_p,
        seed: r.seed,
        stop: stops(r.stop),
        frequency_penalty: r.frequency_penalty,
        presence_penalty: r.presence_penalty,
        parallel_tool_calls: r.parallel_tool_calls,
        user: r.user,
        ..Chat::default()
    };
    for (i, message) in r.messages.into_iter().enumerate() {
        chat.messages
            .push(message_of(message, &format!("messages[{i}]"))?);
    }
    for (i, tool) in r.tools.unwrap_or_default().into_iter().enumerate() {
        function_tool(&tool.kind, i)?;
        chat.tools.push(ToolDef {
            name: tool.function.name,
            description: tool.function.description,
            parameters: tool.function.parameters,
        });
    }
    chat.tool_choice = match r.tool_choice {
        None => ToolChoice::Auto,
        Some(OpenAiToolChoice::Mode(mode)) => {
            mode_of(mode, "must be `auto`, `none`, `required` or a function")?
        }
        Some(OpenAiToolChoice::Named(named)) => ToolChoice::Named(named.function.name),
        Some(_) => return Err(Refusal::new("tool_choice", "is not a known tool choice")),
    };
    let effort = r
        .reasoning
        .and_then(|r| r.effort)
        .map(|e| ("reasoning.effort", e))
        .or(r.reasoning_effort.map(|e| ("reasoning_effort", e)));
    if let Some((_, effort)) = effort {
        chat.think = Some(think_of(&effort));
    }
    if let Some(format) = r.response_format {
        chat.format = format_of(format)?;
    }
    Ok(chat)
}

/// Reads a completions request: the prompt is one user message.
pub(crate) fn completion(
    r: CompletionCreateParams,
    _upstream: UpstreamWire,
) -> Result<Chat, Refusal> {
    if r.suffix.is_some() {
        return Err(Refusal::new(
            "suffix",
            "fill-in-the-middle has no chat form: cannot be translated",
        ));
    }
    Ok(Chat {
        model: r.model,
        messages: vec![Turn::new(Role::User, r.prompt, "prompt")],
        stream: r.stream == Some(true),
        include_usage: include_usage(r.stream_options.as_ref()),
        max_tokens: r.max_tokens,
        temperature: r.temperature,
        top_p: r.top_p,
        seed: r.seed,
        stop: stops(r.stop),
        frequency_penalty: r.frequency_penalty,
        presence_penalty: r.presence_penalty,
        ..Chat::default()
    })
}

/// Whether `stream_options` asks for the usage chunk.
fn include_usage(options: Option<&StreamOptions>) -> bool {
    options.and_then(|o| o.include_usage).unwrap_or(false)
}

/// The tool choice of a `tool_choice` mode; a mode other than `auto`, `none` and `required`
/// is refused with `expected` (what the client's wire allows).
pub(super) fn mode_of(mode: ToolChoiceMode, expected: &str) -> Result<ToolChoice, Refusal> {
    match mode {
        ToolChoiceMode::Auto => Ok(ToolChoice::Auto),
        ToolChoiceMode::None => Ok(ToolChoice::None),
        ToolChoiceMode::Required => Ok(ToolChoice::Required),
        _ => Err(Refusal::new("tool_choice", expected)),
    }
}

pub(super) fn stops(stop: Option<Stop>) -> Vec<String> {
    match stop {
        None => Vec::new(),
        Some(Stop::One(one)) => vec![one],
        Some(Stop::Many(many)) => many,
        Some(_) => Vec::new(),
    }
}

/// An effort level: `none` is thinking off.
pub(super) fn think_of(effort: &ReasoningEffort) -> Think {
    match effort {
        ReasoningEffort::None => Think::Off,
        other => Think::Level(other.as_str().to_owned()),
    }
}

pub(super) fn role_of(role: &OpenAiRole, at: &str) -> Result<Role, Refusal> {
    Ok(match role {
        OpenAiRole::System => Role::System,
        OpenAiRole::Developer => Role::Developer,
        OpenAiRole::User => Role::User,
        OpenAiRole::Assistant => Role::Assistant,
        OpenAiRole::Tool => Role::Tool,
        other => {
            return Err(Refusal::new(
                format!("{at}.role"),
                format!("`{other}` is not a chat role"),
            ));
        }
    })
}

fn message_of(m: ChatCompletionMessage, at: &str) -> Result<Turn, Refusal> {
    let role = role_of(&m.role, at)?;
    if m.refusal.is_some() {
        return Err(Refusal::new(
            format!("{at}.refusal"),
            "a refusal has no chat form upstream",
        ));
    }
    let mut turn = Turn::new(role, "", at);
    match m.content {
        None => {}
        Some(Content::Text(text)) => turn.text = text,
        Some(Content::Parts(parts)) => {
            for (j, part) in parts.into_iter().enumerate() {
                match part {
                    ContentPart::Text { text } => turn.text.push_str(&text),
                    ContentPart::ImageUrl { url, .. } => turn.images.push(Image::from_url(&url)),
                    _ => {
                        return Err(Refusal::new(
                            format!("{at}.content[{j}].type"),
                            "only text and image_url parts can be translated",
                        ));
                    }
                }
            }
        }
        Some(_) => {
            return Err(Refusal::new(
                format!("{at}.content"),
                "is not text or parts",
            ));
        }
    }
    turn.thinking = m.reasoning.filter(|r| !r.is_empty());
    for (k, call) in m.tool_calls.unwrap_or_default().into_iter().enumerate() {
        let here = format!("{at}.tool_calls[{k}]");
        turn.tool_calls.push(Call {
            id: call.id,
            name: call.function.name,
            arguments: object_text(
                &call.function.arguments,
                &format!("{here}.function.arguments"),
            )?,
        });
    }
    turn.tool_call_id = m.tool_call_id;
    Ok(turn)
}

/// Checks that tool-call arguments are one JSON object (empty text is `{}`).
pub(super) fn object_text(arguments: &str, at: &str) -> Result<String, Refusal> {
    if arguments.trim().is_empty() {
        return Ok("{}".to_owned());
    }
    match serde_json::from_str::<serde_json::Value>(arguments) {
        Ok(serde_json::Value::Object(_)) => Ok(arguments.trim().to_owned()),
        _ => Err(Refusal::new(at, "is not a JSON object")),
    }
}

fn format_of(format: ResponseFormat) -> Result<Option<Format>, Refusal> {
    Ok(match format.kind.as_str() {
        "text" => None,
        "json_object" => Some(Format::Json),
        "json_schema" => {
            let schema = format.json_schema.ok_or_else(|| {
                Refusal::new(
                    "response_format.json_schema",
                    "is required for `json_schema`",
                )
            })?;
            Some(Format::Schema {
                name: (!schema.name.is_empty()).then_some(schema.name),
                schema: schema.schema.ok_or_else(|| {
                    Refusal::new("response_format.json_schema.schema", "is required")
                })?,
                strict: schema.strict,
            })
        }
        _ => {
            return Err(Refusal::new(
                "response_format.type",
                "must be `text`, `json_object` or `json_schema`",
            ));
        }
    })
}
