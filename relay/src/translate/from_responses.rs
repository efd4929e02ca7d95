//! `/v1/responses` requests read into the neutral [`Chat`].
//!
//! As Ollama's `openai.FromResponsesRequest` reads them: `instructions` is a system message
//! first; `input` is a user text or items: messages (text parts joined, `input_image` as
//! images), `function_call` items as the assistant's calls (consecutive calls in one turn, ids
//! kept: `call_id`), `function_call_output` items as tool results, `reasoning` items as the
//! next assistant turn's thinking. What needs server state (`previous_response_id`,
//! `conversation`, `background`, `store: true`) or has no place in the merged reply
//! (`top_logprobs`, `max_tool_calls`) is refused; `metadata`, `include`, `truncation`,
//! `service_tier`, `safety_identifier` and `prompt_cache_key` do not change the reply and are
//! not sent.

use openai_wire::responses::{
    ResponseCreateParams, ResponseInput, ResponseInputContent, ResponseInputItem,
    ResponseInputMessageContent, ResponseOutputContent, ResponseToolChoice,
};
use serde_json::Value;

use super::from_openai::{mode_of, object_text, role_of, think_of};
use super::{
    Call, Chat, Format, Image, Refusal, Role, ToolChoice, ToolDef, Turn, UpstreamWire,
    function_tool,
};

/// Reads a Responses request.
pub(crate) fn request(r: ResponseCreateParams, _upstream: UpstreamWire) -> Result<Chat, Refusal> {
    let refused = [
        ("previous_response_id", r.previous_response_id.is_some()),
        ("conversation", r.conversation.is_some()),
        ("background", r.background == Some(true)),
        ("store", r.store == Some(true)),
        ("top_logprobs", r.top_logprobs.is_some()),
        ("max_tool_calls", r.max_tool_calls.is_some()),
    ];
    if let Some((field, _)) = refused.into_iter().find(|(_, set)| *set) {
        return Err(Refusal::new(
            field,
            "needs what the relay does not have (stored responses, log probabilities, tool-call limits)",
        ));
    }
    let mut chat = Chat {
        model: r.model,
        stream: r.stream == Some(true),
        max_tokens: r.max_output_tokens,
        temperature: r.temperature,
        top_p: r.top_p,
        parallel_tool_calls: r.parallel_tool_calls,
        user: r.user,
        ..Chat::default()
    };
    if let Some(instructions) = r.instructions.filter(|i| !i.is_empty()) {
        chat.messages
            .push(Turn::new(Role::System, instructions, "instructions"));
    }
    match r.input {
        None => {}
        Some(ResponseInput::Text(text)) => chat.messages.push(Turn::new(Role::User, text, "input")),
        Some(ResponseInput::Items(items)) => read_items(items, &mut chat.messages)?,
        Some(_) => return Err(Refusal::new("input", "is not text or items")),
    }
    for (i, tool) in r.tools.unwrap_or_default().into_iter().enumerate() {
        function_tool(&tool.kind, i)?;
        chat.tools.push(ToolDef {
            name: tool
                .name
                .ok_or_else(|| Refusal::new(format!("tools[{i}].name"), "is required"))?,
            description: tool.description.flatten(),
            parameters: tool.parameters.flatten(),
        });
    }
    chat.tool_choice = match r.tool_choice {
        None => ToolChoice::Auto,
        Some(ResponseToolChoice::Mode(mode)) => {
            mode_of(mode, "must be `auto`, `none` or `required`")?
        }
        Some(ResponseToolChoice::Object(object)) => {
            match (
                object.get("type").and_then(Value::as_str),
                object.get("name"),
            ) {
                (Some("function"), Some(Value::String(name))) => ToolChoice::Named(name.clone()),
                _ => {
                    return Err(Refusal::new("tool_choice", "only a function can be forced"));
                }
            }
        }
        Some(_) => return Err(Refusal::new("tool_choice", "is not a known tool choice")),
    };
    if let Some(reasoning) = r.reasoning {
        if let Some(Some(effort)) = reasoning.effort {
            chat.think = Some(think_of(&effort));
        }
    }
    if let Some(format) = r.text.and_then(|t| t.format) {
        chat.format = match format.kind.as_str() {
            "text" => None,
            "json_object" => Some(Format::Json),
            "json_schema" => Some(Format::Schema {
                name: format.name,
                schema: format
                    .schema
                    .ok_or_else(|| Refusal::new("text.format.schema", "is required"))?
                    .to_value()
                    .map_err(|e| Refusal::new("text.format.schema", e.to_string()))?,
                strict: format.strict,
            }),
            _ => {
                return Err(Refusal::new(
                    "text.format.type",
                    "must be `text`, `json_object` or `json_schema`",
                ));
            }
        };
    }
    Ok(chat)
}

fn read_items(items: Vec<ResponseInputItem>, out: &mut Vec<Turn>) -> Result<(), Refusal> {
    // Reasoning waits for the assistant turn it belongs to.
    let mut thinking: Option<String> = None;
    for (i, item) in items.into_iter().enumerate() {
        let at = format!("input[{i}]");
        match item {
            ResponseInputItem::Message(m) => {
                let role = role_of(&m.role, &at)?;
                let mut turn = Turn::new(role, "", &at);
                match m.content {
                    None => {}
                    Some(ResponseInputMessageContent::Text(text)) => turn.text = text,
                    Some(ResponseInputMessageContent::Parts(parts)) => {
                        for (j, part) in parts.into_iter().enumerate() {
                            match part {
                                ResponseInputContent::InputText(t)
                                | ResponseInputContent::OutputText(t) => {
                                    turn.text.push_str(&t.text);
                                }
                                ResponseInputContent::InputImage(image) => {
                                    let url = image.image_url.ok_or_else(|| {
                                        Refusal::new(
                                            format!("{at}.content[{j}].image_url"),
                                            "is required (uploaded files are not relayed)",
                                        )
                                    })?;
                                    turn.images.push(Image::from_url(&url));
                                }
                                _ => {
                                    return Err(Refusal::new(
                                        format!("{at}.content[{j}].type"),
                                        "only input_text, output_text and input_image parts can be translated",
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
                if turn.role == Role::Assistant {
                    turn.thinking = thinking.take();
                }
                out.push(turn);
            }
            ResponseInputItem::OutputMessage(m) => {
                let mut turn = Turn::new(Role::Assistant, "", &at);
                for (j, part) in m.content.into_iter().enumerate() {
                    match part {
                        ResponseOutputContent::OutputText(t) => turn.text.push_str(&t.text),
                        _ => {
                            return Err(Refusal::new(
                                format!("{at}.content[{j}].type"),
                                "only output_text parts can be translated",
                            ));
                        }
                    }
                }
                turn.thinking = thinking.take();
                out.push(turn);
            }
            ResponseInputItem::FunctionCall(call) => {
                let call = Call {
                    id: Some(call.call_id),
                    name: call.name,
                    arguments: object_text(&call.arguments, &format!("{at}.arguments"))?,
                };
                // Consecutive calls (and a call right after the assistant's text) are one turn.
                match out.last_mut() {
                    Some(last) if last.role == Role::Assistant && thinking.is_none() => {
                        last.tool_calls.push(call);
                    }
                    _ => {
                        let mut turn = Turn::new(Role::Assistant, "", &at);
                        turn.thinking = thinking.take();
                        turn.tool_calls.push(call);
                        out.push(turn);
                    }
                }
            }
            ResponseInputItem::FunctionCallOutput(output) => {
                let mut turn = Turn::new(Role::Tool, "", &at);
                turn.tool_call_id = Some(output.call_id);
                turn.text = match output.output {
                    Value::String(text) => text,
                    Value::Array(parts) => {
                        let mut text = String::new();
                        for (j, part) in parts.iter().enumerate() {
                            match (part.get("type").and_then(Value::as_str), part.get("text")) {
                                (Some("input_text" | "output_text"), Some(Value::String(t))) => {
                                    text.push_str(t);
                                }
                                _ => {
                                    return Err(Refusal::new(
                                        format!("{at}.output[{j}]"),
                                        "only text parts can be translated",
                                    ));
                                }
                            }
                        }
                        text
                    }
                    _ => {
                        return Err(Refusal::new(
                            format!("{at}.output"),
                            "must be a string or text parts",
                        ));
                    }
                };
                out.push(turn);
            }
            ResponseInputItem::Reasoning(reasoning) => {
                let mut text = reasoning.summary_text();
                if text.is_empty() {
                    text = reasoning
                        .content
                        .unwrap_or_default()
                        .iter()
                        .map(|p| p.text.as_str())
                        .collect();
                }
                if !text.is_empty() {
                    thinking.get_or_insert_with(String::new).push_str(&text);
                }
            }
            _ => {
                return Err(Refusal::new(
                    format!("{at}.type"),
                    "only message, function_call, function_call_output and reasoning items can be translated",
                ));
            }
        }
    }
    if thinking.is_some() {
        return Err(Refusal::new(
            "input",
            "ends with a reasoning item: reasoning is only relayed with the assistant turn after it",
        ));
    }
    Ok(())
}
