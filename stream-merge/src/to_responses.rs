//! Re-emitting a merged stream as an OpenAI Responses event stream (feature `openai`): what an
//! OpenAI SDK's `responses.create(stream=True)` reads.
//!
//! The output is well-formed by construction: `response.created` and `response.in_progress`
//! first; then one output item at a time, each `response.output_item.added`, its deltas and
//! `….done` events, and `response.output_item.done`, at output indexes 0, 1, 2… in that order
//! (a tool call whose arguments were still streaming when the next block began is written whole
//! before it); sequence numbers 0, 1, 2…; then one terminal event with the whole output and the
//! usage: `response.completed`, or `response.incomplete` (reason `max_output_tokens`) when the
//! reply hit its token limit. Reasoning is written as a reasoning item's summary text, as
//! Ollama writes it; text as a message item with one `output_text` part; a tool call as a
//! `function_call` item whose `call_id` is the call's id. The bytes follow Ollama's: every
//! object's keys sorted (`openai_wire::responses::ResponsesEncoder`).
//!
//! Nothing is invented: an upstream error becomes `response.failed` with the error and ends the
//! output; a cut stream ends without a terminal event, as it did upstream.

use std::collections::{HashMap, VecDeque};

use openai_wire::chat::{Role, ToolChoiceMode};
use openai_wire::responses::{
    EncodeError, Response, ResponseContentPartEvent, ResponseDeltaEvent, ResponseError,
    ResponseFunctionCallArgumentsDoneEvent, ResponseFunctionToolCall, ResponseIncompleteDetails,
    ResponseInputTokensDetails, ResponseItemStatus, ResponseObjectEvent, ResponseOutputContent,
    ResponseOutputItem, ResponseOutputItemEvent, ResponseOutputMessage, ResponseOutputText,
    ResponseOutputTokensDetails, ResponseReasoningItem, ResponseReasoningPart, ResponseStatus,
    ResponseStreamEvent, ResponseTextDoneEvent, ResponseToolChoice, ResponseUsage,
    ResponsesEncoder,
};

use crate::sequential::{Sequenced, Sequencer};
use crate::{BlockKind, Event, Finish, FinishReason, MergeError, Usage};

/// Encodes merge [`Event`]s as OpenAI Responses SSE.
///
/// ```
/// use ollama_stream_merge::{Delta, merge, to_responses::ResponsesEventEncoder};
///
/// let events = merge([Delta::reasoning("Hmm.").with_content("Hi"), Delta::finish(Some("stop"))],
///                    Default::default());
/// let mut sse = Vec::new();
/// let mut encoder = ResponsesEventEncoder::new("resp_1", 1768064132, "qwen3");
/// for event in &events {
///     encoder.encode(event, &mut sse)?;
/// }
/// let text = String::from_utf8(sse).unwrap();
/// assert!(text.starts_with("event: response.created\n"));
/// assert!(text.find("response.reasoning_summary_text.delta").unwrap()
///     < text.find("response.output_text.delta").unwrap());
/// assert!(text.contains("event: response.completed\n"));
/// # Ok::<(), openai_wire::responses::EncodeError>(())
/// ```
#[derive(Debug, Clone)]
pub struct ResponsesEventEncoder {
    /// The response as `response.created` shows it; the terminal event adds output and usage.
    response: Response,
    started: bool,
    sequence: u64,
    sequencer: Sequencer,
    /// Merged block position → the item being written.
    open: HashMap<u32, OpenItem>,
    /// The finished items, in output order.
    output: Vec<ResponseOutputItem>,
    encoder: ResponsesEncoder,
    ended: bool,
    /// Item ids the source used, by kind, not yet given to a block (see
    /// [`observe_source`](Self::observe_source)).
    source_ids: HashMap<&'static str, VecDeque<String>>,
    /// The source's terminal response, for its `completed_at` and `created_at`.
    source_end: Option<(Option<i64>, i64)>,
    /// The `encrypted_content` the source wrote on its reasoning items, by item id (see
    /// [`observe_source`](Self::observe_source)).
    source_encrypted: HashMap<String, String>,
}

#[derive(Debug, Clone)]
struct OpenItem {
    output_index: u32,
    id: String,
    kind: ItemKind,
    /// Text, reasoning or argument text so far.
    text: String,
}

#[derive(Debug, Clone)]
enum ItemKind {
    Message,
    Reasoning,
    FunctionCall { call_id: String, name: String },
}

impl ResponsesEventEncoder {
    /// An encoder writing a response with this `id` (`resp_…`), `created_at` (Unix seconds)
    /// and `model`.
    pub fn new(id: impl Into<String>, created_at: i64, model: impl Into<String>) -> Self {
        // The settings Ollama echoes for a request that set none (its recorded defaults), so
        // the response has every field OpenAI's own types require.
        let mut response = Response::default();
        response.id = id.into();
        response.object = "response".to_owned();
        response.created_at = created_at;
        response.model = model.into();
        response.tools = Some(Vec::new());
        response.tool_choice = Some(ResponseToolChoice::Mode(ToolChoiceMode::Auto));
        response.parallel_tool_calls = Some(true);
        response.truncation = Some("disabled".to_owned());
        response.metadata = Some(serde_json::Map::new());
        Self::for_source(&response)
    }

    /// An encoder for the stream whose `response.created` carried `response`: its id, model
    /// and settings (tools, temperature, …) are written back as they were.
    pub fn for_source(response: &Response) -> Self {
        let mut response = response.clone();
        response.status = Some(ResponseStatus::InProgress);
        response.output = Some(Vec::new());
        response.usage = None;
        response.error = None;
        response.incomplete_details = None;
        response.completed_at = None;
        Self {
            response,
            started: false,
            sequence: 0,
            sequencer: Sequencer::default(),
            open: HashMap::new(),
            output: Vec::new(),
            encoder: ResponsesEncoder::new(),
            ended: false,
            source_ids: HashMap::new(),
            source_end: None,
            source_encrypted: HashMap::new(),
        }
    }

    /// Learns from one upstream event, to write what the source wrote: the ids of its output
    /// items (given, kind by kind and in order, to the blocks that start next, instead of made-up
    /// ones), the `encrypted_content` of its reasoning items (from their `output_item.added`,
    /// `output_item.done` or the terminal response; written back on the item of the same id
    /// when it is done, and so in the final response; absent, nothing is written) and the
    /// `completed_at` and `created_at` of its terminal response. Call it for every upstream
    /// event before the event goes to the merger.
    ///
    /// ```
    /// use openai_wire::responses::ResponseStreamEvent;
    /// use ollama_stream_merge::{Delta, merge, to_responses::ResponsesEventEncoder};
    ///
    /// let added = ResponseStreamEvent::from_data(
    ///     "response.output_item.added",
    ///     r#"{"item":{"content":[],"id":"msg_548231","role":"assistant","status":"in_progress","type":"message"},"output_index":0,"sequence_number":2}"#,
    /// )?;
    /// let mut encoder = ResponsesEventEncoder::new("resp_1", 1, "m");
    /// encoder.observe_source(&added);
    /// let mut sse = Vec::new();
    /// for event in merge([Delta::content("Hi"), Delta::finish(Some("completed"))], Default::default()) {
    ///     encoder.encode(&event, &mut sse).unwrap();
    /// }
    /// assert!(String::from_utf8(sse).unwrap().contains(r#""item_id":"msg_548231""#));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn observe_source(&mut self, event: &ResponseStreamEvent) {
        match event {
            ResponseStreamEvent::OutputItemAdded(e) | ResponseStreamEvent::OutputItemDone(e) => {
                self.observe_encrypted(&e.item);
            }
            _ => {}
        }
        if let Some(output) = event
            .is_terminal()
            .then(|| event.response())
            .flatten()
            .and_then(|r| r.output.as_ref())
        {
            for item in output {
                self.observe_encrypted(item);
            }
        }
        if let ResponseStreamEvent::OutputItemAdded(added) = event {
            let kind = match &added.item {
                ResponseOutputItem::Message(_) => "msg",
                ResponseOutputItem::Reasoning(_) => "rs",
                ResponseOutputItem::FunctionCall(_) => "fc",
                _ => return,
            };
            if let Some(id) = added.item.id() {
                self.source_ids
                    .entry(kind)
                    .or_default()
                    .push_back(id.to_owned());
            }
        }
        if event.is_terminal() {
            if let Some(response) = event.response() {
                self.source_end = Some((response.completed_at, response.created_at));
            }
        }
    }

    /// Keeps a reasoning item's `encrypted_content`, for the item of the same id.
    fn observe_encrypted(&mut self, item: &ResponseOutputItem) {
        if let ResponseOutputItem::Reasoning(reasoning) = item {
            if let Some(encrypted) = &reasoning.encrypted_content {
                self.source_encrypted
                    .insert(reasoning.id.clone(), encrypted.clone());
            }
        }
    }

    /// Appends the SSE for one merge event to `out` (`response.created` and
    /// `response.in_progress` before the first; nothing for events without output, and
    /// nothing after the end).
    ///
    /// # Errors
    ///
    /// [`EncodeError`] when an event cannot be written; in practice never for what this
    /// encoder builds (no floats, string keys only, known event types).
    pub fn encode(&mut self, event: &Event, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        if self.is_ended() {
            return Ok(());
        }
        if !self.started {
            self.started = true;
            let mut created = ResponseObjectEvent::default();
            created.response = self.response.clone();
            self.write(ResponseStreamEvent::Created(created.clone()), out)?;
            self.write(ResponseStreamEvent::InProgress(created), out)?;
        }
        self.encode_in_order(event, out)
    }

    fn start(
        &mut self,
        index: u32,
        block: &BlockKind,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        let output_index = u32::try_from(self.output.len()).unwrap_or(u32::MAX);
        let (prefix, kind) = match block {
            BlockKind::Text => ("msg", ItemKind::Message),
            BlockKind::Reasoning => ("rs", ItemKind::Reasoning),
            BlockKind::ToolCall { id, name } => (
                "fc",
                ItemKind::FunctionCall {
                    call_id: id.clone(),
                    name: name.clone(),
                },
            ),
        };
        let id = self
            .source_ids
            .get_mut(prefix)
            .and_then(VecDeque::pop_front)
            .unwrap_or_else(|| format!("{prefix}_{}_{output_index}", self.response.id));
        let item = OpenItem {
            output_index,
            id,
            kind,
            text: String::new(),
        };
        // Reserve the output position; the finished item replaces the placeholder.
        self.output
            .push(item_value(&item, ResponseItemStatus::InProgress));
        self.write(
            ResponseStreamEvent::OutputItemAdded(ResponseOutputItemEvent::new(
                item_value(&item, ResponseItemStatus::InProgress),
                output_index,
            )),
            out,
        )?;
        if matches!(item.kind, ItemKind::Message) {
            self.write(
                ResponseStreamEvent::ContentPartAdded(ResponseContentPartEvent::new(
                    item.id.clone(),
                    output_index,
                    0,
                    ResponseOutputContent::OutputText(ResponseOutputText::new("")),
                )),
                out,
            )?;
        }
        self.open.insert(index, item);
        Ok(())
    }

    fn delta(&mut self, index: u32, text: &str, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let Some(item) = self.open.get_mut(&index) else {
            return Ok(());
        };
        item.text.push_str(text);
        let mut delta = ResponseDeltaEvent::default();
        delta.delta = text.to_owned();
        delta.item_id.clone_from(&item.id);
        delta.output_index = item.output_index;
        let event = match item.kind {
            ItemKind::Message => {
                delta.content_index = Some(0);
                delta.logprobs = Some(Vec::new());
                ResponseStreamEvent::OutputTextDelta(delta)
            }
            ItemKind::Reasoning => {
                delta.summary_index = Some(0);
                ResponseStreamEvent::ReasoningSummaryTextDelta(delta)
            }
            ItemKind::FunctionCall { .. } => ResponseStreamEvent::FunctionCallArgumentsDelta(delta),
        };
        self.write(event, out)
    }

    fn end(&mut self, index: u32, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let Some(item) = self.open.remove(&index) else {
            return Ok(());
        };
        match &item.kind {
            ItemKind::Message => {
                let mut done = ResponseTextDoneEvent::default();
                done.content_index = Some(0);
                done.item_id.clone_from(&item.id);
                done.logprobs = Some(Vec::new());
                done.output_index = item.output_index;
                done.text.clone_from(&item.text);
                self.write(ResponseStreamEvent::OutputTextDone(done), out)?;
                self.write(
                    ResponseStreamEvent::ContentPartDone(ResponseContentPartEvent::new(
                        item.id.clone(),
                        item.output_index,
                        0,
                        ResponseOutputContent::OutputText(ResponseOutputText::new(&item.text)),
                    )),
                    out,
                )?;
            }
            ItemKind::Reasoning => {
                let mut done = ResponseTextDoneEvent::default();
                done.item_id.clone_from(&item.id);
                done.output_index = item.output_index;
                done.summary_index = Some(0);
                done.text.clone_from(&item.text);
                self.write(ResponseStreamEvent::ReasoningSummaryTextDone(done), out)?;
            }
            ItemKind::FunctionCall { .. } => {
                let mut done = ResponseFunctionCallArgumentsDoneEvent::default();
                done.arguments.clone_from(&item.text);
                done.item_id.clone_from(&item.id);
                done.output_index = item.output_index;
                self.write(ResponseStreamEvent::FunctionCallArgumentsDone(done), out)?;
            }
        }
        let mut finished = item_value(&item, ResponseItemStatus::Completed);
        if let ResponseOutputItem::Reasoning(reasoning) = &mut finished {
            // The source's opaque state, when it wrote one for this item; never made up.
            reasoning.encrypted_content = self.source_encrypted.remove(&item.id);
        }
        if let Some(slot) = self.output.get_mut(item.output_index as usize) {
            *slot = finished.clone();
        }
        self.write(
            ResponseStreamEvent::OutputItemDone(ResponseOutputItemEvent::new(
                finished,
                item.output_index,
            )),
            out,
        )
    }

    fn finish(&mut self, finish: &Finish, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let mut response = self.response.clone();
        if let Some((completed_at, created_at)) = self.source_end {
            response.completed_at = completed_at;
            response.created_at = created_at;
        }
        response.output = Some(self.output.clone());
        response.usage = finish.usage.as_ref().map(usage);
        let event = match finish.reason {
            // A cut stream ends as it did upstream: no terminal event.
            FinishReason::Incomplete => return Ok(()),
            FinishReason::Error => return self.failed("the upstream reply failed", out),
            FinishReason::Length | FinishReason::ContentFilter => {
                let mut details = ResponseIncompleteDetails::default();
                details.reason = if finish.reason == FinishReason::Length {
                    "max_output_tokens"
                } else {
                    "content_filter"
                }
                .to_owned();
                response.status = Some(ResponseStatus::Incomplete);
                response.incomplete_details = Some(details);
                ResponseStreamEvent::Incomplete
            }
            _ => {
                response.status = Some(ResponseStatus::Completed);
                ResponseStreamEvent::Completed
            }
        };
        let mut data = ResponseObjectEvent::default();
        data.response = response;
        self.write(event(data), out)
    }

    fn failed(&mut self, message: &str, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let mut error = ResponseError::default();
        error.code = "server_error".to_owned();
        error.message = message.to_owned();
        let mut data = ResponseObjectEvent::default();
        data.response = self.response.clone();
        data.response.status = Some(ResponseStatus::Failed);
        data.response.output = Some(self.output.clone());
        data.response.error = Some(error);
        self.write(ResponseStreamEvent::Failed(data), out)
    }

    fn write(
        &mut self,
        mut event: ResponseStreamEvent,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        event.set_sequence_number(self.sequence);
        self.sequence += 1;
        self.encoder.encode(&event, out)
    }
}

/// The output item of `item`, with its text so far.
fn item_value(item: &OpenItem, status: ResponseItemStatus) -> ResponseOutputItem {
    let done = status == ResponseItemStatus::Completed;
    match &item.kind {
        ItemKind::Message => {
            let mut message = ResponseOutputMessage::default();
            message.id.clone_from(&item.id);
            message.kind = "message".to_owned();
            message.status = Some(status);
            message.role = Some(Role::Assistant);
            if done {
                message.content = vec![ResponseOutputContent::OutputText(ResponseOutputText::new(
                    &item.text,
                ))];
            }
            ResponseOutputItem::Message(message)
        }
        ItemKind::Reasoning => {
            let mut reasoning = ResponseReasoningItem::default();
            reasoning.id.clone_from(&item.id);
            reasoning.kind = "reasoning".to_owned();
            if done {
                reasoning.summary = vec![ResponseReasoningPart::summary_text(&item.text)];
            }
            ResponseOutputItem::Reasoning(reasoning)
        }
        ItemKind::FunctionCall { call_id, name } => {
            let mut call = ResponseFunctionToolCall::default();
            call.id = Some(item.id.clone());
            call.kind = "function_call".to_owned();
            call.status = Some(status);
            call.call_id.clone_from(call_id);
            call.name.clone_from(name);
            if done {
                call.arguments.clone_from(&item.text);
            }
            ResponseOutputItem::FunctionCall(call)
        }
    }
}

fn usage(usage: &Usage) -> ResponseUsage {
    let input = usage.input_tokens.unwrap_or(0);
    let output = usage.output_tokens.unwrap_or(0);
    let mut wire = ResponseUsage::default();
    wire.input_tokens = input;
    wire.output_tokens = output;
    wire.total_tokens = usage.total_tokens.unwrap_or(input.saturating_add(output));
    wire.input_tokens_details = Some(ResponseInputTokensDetails::default());
    let mut details = ResponseOutputTokensDetails::default();
    details.reasoning_tokens = usage.reasoning_tokens.unwrap_or(0);
    wire.output_tokens_details = Some(details);
    wire
}

impl Sequenced for ResponsesEventEncoder {
    type Error = EncodeError;

    fn sequencer(&mut self) -> &mut Sequencer {
        &mut self.sequencer
    }

    fn is_ended(&self) -> bool {
        self.ended
    }

    fn encode_sequenced(&mut self, event: &Event, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        match event {
            Event::BlockStart { index, block } => self.start(*index, block, out),
            Event::TextDelta { index, text }
            | Event::ReasoningDelta { index, text }
            | Event::ToolArgsDelta { index, json: text } => self.delta(*index, text, out),
            Event::BlockEnd { index, .. } => self.end(*index, out),
            Event::Error {
                error: MergeError::Upstream(error),
            } => {
                self.ended = true;
                self.failed(&error.message, out)
            }
            Event::Finish(finish) => {
                self.ended = true;
                self.finish(finish, out)
            }
            _ => Ok(()),
        }
    }
}
