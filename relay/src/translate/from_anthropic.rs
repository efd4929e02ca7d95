//! `/v1/messages` requests (Anthropic) read into the neutral [`Chat`].
//!
//! As Ollama's own `anthropic.FromMessagesRequest` reads them: `system` (a string or text
//! blocks, joined) first; a message's text blocks joined; a user message's `tool_result`
//! blocks become tool messages before its other content; `thinking` blocks become the turn's
//! thinking; `tool_use` blocks its calls (ids kept). `metadata.user_id` becomes the OpenAI
//! `user` (Ollama has no such field: not sent); a `tool_result`'s `is_error` is not sent
//! (neither wire has it; Ollama ignores it too), nor `thinking.budget_tokens` (Ollama's own
//! Messages layer ignores it; an OpenAI server has no token budget, only a level). Thinking
//! enabled is thinking on at the upstream's default level.

use anthropic_wire::messages::{
    ContentBlock, ImageSource, MessageContent, MessageCreateParams, MessageRole, ThinkingType,
};

use super::{Call, Chat, Image, Refusal, Role, Think, ToolChoice, ToolDef, Turn};

/// Reads a Messages request.
pub(crate) fn request(r: MessageCreateParams) -> Result<Chat, Refusal> {
    let mut chat = Chat {
        model: r.model,
        stream: r.stream == Some(true),
        max_tokens: r.max_tokens,
        top_k: r.top_k,
        stop: r.stop_sequences.unwrap_or_default(),
        user: r.metadata.and_then(|m| m.user_id),
        think_field: "thinking",
        ..Chat::default()
    };
    if let Some(t) = &r.temperature {
        chat.temperature = Some(super::number("temperature", t)?);
    }
    if let Some(p) = &r.top_p {
        chat.top_p = Some(super::number("top_p", p)?);
    }
    if let Some(system) = r.system {
        let text = text_only(&system, "system")?;
        if !text.is_empty() {
            chat.messages.push(Turn::new(Role::System, text, "system"));
        }
    }
    for (i, message) in r.messages.into_iter().enumerate() {
        let at = format!("messages[{i}]");
        let role = match message.role {
            MessageRole::User => Role::User,
            MessageRole::Assistant => Role::Assistant,
            _ => {
                return Err(Refusal::new(
                    format!("{at}.role"),
                    "must be `user` or `assistant`",
                ));
            }
        };
        read_message(role, message.content, &at, &mut chat.messages)?;
    }
    if let Some(thinking) = r.thinking {
        chat.think = Some(match thinking.kind {
            ThinkingType::Enabled => Think::On,
            ThinkingType::Disabled => Think::Off,
            _ => {
                return Err(Refusal::new(
                    "thinking.type",
                    "must be `enabled` or `disabled`",
                ));
            }
        });
    }
    for (i, tool) in r.tools.unwrap_or_default().into_iter().enumerate() {
        if tool.kind.as_deref().is_some_and(|k| k != "custom") {
            return Err(Refusal::new(
                format!("tools[{i}].type"),
                "is a server tool: only custom tools can be translated",
            ));
        }
        let parameters = match tool.input_schema {
            Some(schema) => Some(schema.parse().map_err(|e| {
                Refusal::new(
                    format!("tools[{i}].input_schema"),
                    format!("is not JSON: {e}"),
                )
            })?),
            None => None,
        };
        chat.tools.push(ToolDef {
            name: tool.name,
            description: tool.description,
            parameters,
        });
    }
    if let Some(choice) = r.tool_choice {
        chat.tool_choice = match choice.kind.as_str() {
            "auto" => ToolChoice::Auto,
            "any" => ToolChoice::Required,
            "none" => ToolChoice::None,
            "tool" => ToolChoice::Named(
                choice
                    .name
                    .ok_or_else(|| Refusal::new("tool_choice.name", "is required for `tool`"))?,
            ),
            _ => {
                return Err(Refusal::new(
                    "tool_choice.type",
                    "must be `auto`, `any`, `tool` or `none`",
                ));
            }
        };
        if choice.disable_parallel_tool_use == Some(true) {
            chat.parallel_tool_calls = Some(false);
        }
    }
    Ok(chat)
}

/// The text of `system` or of a tool result: a string, or text blocks only.
fn text_only(content: &MessageContent, at: &str) -> Result<String, Refusal> {
    if let MessageContent::Blocks(blocks) = content {
        if let Some(i) = blocks
            .iter()
            .position(|b| !matches!(b, ContentBlock::Text(_)))
        {
            return Err(Refusal::new(
                format!("{at}[{i}].type"),
                "only text blocks can be translated here",
            ));
        }
    }
    Ok(content.text())
}

fn read_message(
    role: Role,
    content: MessageContent,
    at: &str,
    out: &mut Vec<Turn>,
) -> Result<(), Refusal> {
    let blocks = match content {
        MessageContent::Text(text) => {
            out.push(Turn::new(role, text, at));
            return Ok(());
        }
        MessageContent::Blocks(blocks) => blocks,
    };
    let mut turn = Turn::new(role.clone(), "", at);
    let mut results = Vec::new();
    for (j, block) in blocks.into_iter().enumerate() {
        let here = format!("{at}.content[{j}]");
        match block {
            ContentBlock::Text(t) => turn.text.push_str(&t.text),
            ContentBlock::Image(image) => turn.images.push(image_of(image.source, &here)?),
            ContentBlock::ToolUse(call) if role == Role::Assistant => {
                let arguments = match call.input {
                    Some(input) => input.as_str().to_owned(),
                    None => "{}".to_owned(),
                };
                turn.tool_calls.push(Call {
                    id: Some(call.id),
                    name: call.name,
                    arguments,
                });
            }
            ContentBlock::ToolResult(result) if role == Role::User => {
                let mut tool = Turn::new(Role::Tool, "", &here);
                tool.tool_call_id = Some(result.tool_use_id);
                match result.content {
                    None => {}
                    Some(MessageContent::Text(text)) => tool.text = text,
                    Some(MessageContent::Blocks(parts)) => {
                        for (k, part) in parts.into_iter().enumerate() {
                            match part {
                                ContentBlock::Text(t) => tool.text.push_str(&t.text),
                                ContentBlock::Image(image) => tool
                                    .images
                                    .push(image_of(image.source, &format!("{here}.content[{k}]"))?),
                                _ => {
                                    return Err(Refusal::new(
                                        format!("{here}.content[{k}].type"),
                                        "only text and image blocks can be translated in a tool result",
                                    ));
                                }
                            }
                        }
                    }
                }
                results.push(tool);
            }
            ContentBlock::Thinking(t) if role == Role::Assistant => {
                turn.thinking = Some(t.thinking);
            }
            _ => {
                return Err(Refusal::new(
                    format!("{here}.type"),
                    "cannot be translated in this message",
                ));
            }
        }
    }
    let has_own = !turn.text.is_empty()
        || !turn.images.is_empty()
        || !turn.tool_calls.is_empty()
        || turn.thinking.is_some();
    // Tool results answer the previous assistant turn: they come first.
    out.extend(results);
    if has_own {
        out.push(turn);
    }
    Ok(())
}

fn image_of(source: ImageSource, at: &str) -> Result<Image, Refusal> {
    match source.kind.as_str() {
        "base64" => Ok(Image::Base64 {
            mime: source.media_type,
            data: source
                .data
                .ok_or_else(|| Refusal::new(format!("{at}.source.data"), "is required"))?,
        }),
        "url" => Ok(Image::Url(source.url.ok_or_else(|| {
            Refusal::new(format!("{at}.source.url"), "is required")
        })?)),
        _ => Err(Refusal::new(
            format!("{at}.source.type"),
            "must be `base64` or `url`",
        )),
    }
}
