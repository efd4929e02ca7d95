//! Folding a chat stream into the reply a non-stream request would have received.

use crate::types::ChatResponse;

/// Folds [`ChatResponse`] chunks into one [`ChatResponse`], the way Ollama builds its
/// non-stream reply: `content` and `thinking` concatenated, tool calls from every chunk (the
/// `done` chunk included) in order, log probabilities concatenated, and `done`, `done_reason`,
/// `created_at` and the metrics taken from the last chunk.
///
/// ```
/// use ollama_wire::{ChatAccumulator, ChatResponse};
///
/// let mut acc = ChatAccumulator::new();
/// for line in [
///     br#"{"model":"m","message":{"role":"assistant","content":"","thinking":"Hmm"},"done":false}"#.as_slice(),
///     br#"{"model":"m","message":{"role":"assistant","content":"Hi"},"done":false}"#,
///     br#"{"model":"m","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"f","arguments":{}}}]},"done":true,"done_reason":"stop","eval_count":3}"#,
/// ] {
///     acc.push(ChatResponse::from_slice(line)?);
/// }
/// let reply = acc.finish();
/// assert_eq!(reply.message.content, "Hi");
/// assert_eq!(reply.message.thinking(), "Hmm");
/// assert_eq!(reply.message.tool_calls().len(), 1);
/// assert_eq!(reply.metrics.eval_count, Some(3));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct ChatAccumulator {
    reply: Option<ChatResponse>,
}

impl ChatAccumulator {
    /// An empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the next chunk.
    pub fn push(&mut self, chunk: ChatResponse) {
        let Some(reply) = &mut self.reply else {
            self.reply = Some(chunk);
            return;
        };
        let msg = &mut reply.message;
        msg.content.push_str(&chunk.message.content);
        if let Some(thinking) = chunk.message.thinking {
            msg.thinking
                .get_or_insert_with(String::new)
                .push_str(&thinking);
        }
        if let Some(calls) = chunk.message.tool_calls {
            msg.tool_calls.get_or_insert_with(Vec::new).extend(calls);
        }
        if let Some(images) = chunk.message.images {
            msg.images.get_or_insert_with(Vec::new).extend(images);
        }
        if let Some(logprobs) = chunk.logprobs {
            reply.logprobs.get_or_insert_with(Vec::new).extend(logprobs);
        }
        reply.created_at = chunk.created_at.or(reply.created_at.take());
        reply.done = chunk.done;
        reply.done_reason = chunk.done_reason;
        reply.field_order = chunk.field_order;
        reply.debug_info = chunk.debug_info.or(reply.debug_info.take());
        reply.metrics = chunk.metrics;
        if reply.remote_model.is_none() {
            reply.remote_model = chunk.remote_model;
        }
        if reply.remote_host.is_none() {
            reply.remote_host = chunk.remote_host;
        }
    }

    /// The accumulated reply so far, if any chunk was pushed.
    pub fn reply(&self) -> Option<&ChatResponse> {
        self.reply.as_ref()
    }

    /// The accumulated reply (a default response when nothing was pushed). Empty `thinking`
    /// is dropped, as Ollama omits it.
    pub fn finish(self) -> ChatResponse {
        let mut reply = self.reply.unwrap_or_default();
        if reply.message.thinking.as_deref() == Some("") {
            reply.message.thinking = None;
        }
        reply
    }
}
