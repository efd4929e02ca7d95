//! The normalized input: one [`Delta`] per chunk of any wire.

use serde::Serialize;

/// One increment of an assistant reply, whatever wire it came from.
///
/// Build it by hand, or convert a wire chunk: `Delta::from(ollama_wire::ChatResponse)` (feature
/// `ollama`) or `Delta::from(openai_wire::chat::ChatCompletionChunk)` (feature `openai`).
///
/// Empty strings mean "nothing": a `content: ""` beside `thinking` (as Ollama sends it) is the
/// same as no content at all.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Delta {
    /// Reasoning text carried by a native field (`thinking`, `reasoning`, `reasoning_content`,
    /// `reasoning_text`).
    pub reasoning: String,
    /// Visible content text (may contain `<think>` tags, see
    /// [`Options::think_tags`](crate::Options::think_tags)).
    pub content: String,
    /// Tool-call fragments, in wire order.
    pub tool_calls: Vec<ToolCallFragment>,
    /// Token counts, when the chunk reports them.
    pub usage: Option<Usage>,
    /// The end of the reply (`done: true`, or a `finish_reason`).
    pub finish: Option<FinishSignal>,
    /// An error the server reported in the stream; it ends the reply.
    pub error: Option<UpstreamError>,
}

impl Delta {
    /// An empty delta.
    pub fn new() -> Self {
        Self::default()
    }

    /// A delta carrying reasoning text.
    pub fn reasoning(text: impl Into<String>) -> Self {
        Self::new().with_reasoning(text)
    }

    /// A delta carrying content text.
    pub fn content(text: impl Into<String>) -> Self {
        Self::new().with_content(text)
    }

    /// A delta carrying one tool-call fragment.
    pub fn tool_call(fragment: ToolCallFragment) -> Self {
        Self::new().with_tool_call(fragment)
    }

    /// A delta ending the reply with the raw reason `reason` (`None`: ended without a reason).
    pub fn finish(reason: Option<&str>) -> Self {
        Self::new().with_finish(FinishSignal::new(reason))
    }

    /// A delta reporting an upstream error.
    pub fn error(error: UpstreamError) -> Self {
        Self {
            error: Some(error),
            ..Self::default()
        }
    }

    /// Sets the reasoning text.
    #[must_use]
    pub fn with_reasoning(mut self, text: impl Into<String>) -> Self {
        self.reasoning = text.into();
        self
    }

    /// Sets the content text.
    #[must_use]
    pub fn with_content(mut self, text: impl Into<String>) -> Self {
        self.content = text.into();
        self
    }

    /// Appends a tool-call fragment.
    #[must_use]
    pub fn with_tool_call(mut self, fragment: ToolCallFragment) -> Self {
        self.tool_calls.push(fragment);
        self
    }

    /// Sets the usage.
    #[must_use]
    pub fn with_usage(mut self, usage: Usage) -> Self {
        self.usage = Some(usage);
        self
    }

    /// Sets the finish signal.
    #[must_use]
    pub fn with_finish(mut self, finish: FinishSignal) -> Self {
        self.finish = Some(finish);
        self
    }

    /// Whether the delta carries nothing.
    pub fn is_empty(&self) -> bool {
        self.reasoning.is_empty()
            && self.content.is_empty()
            && self.tool_calls.is_empty()
            && self.usage.is_none()
            && self.finish.is_none()
            && self.error.is_none()
    }
}

/// A piece of one tool call.
///
/// Servers differ: OpenAI sends the id and name first and the arguments in fragments; llama-server
/// and llama-cpp-python repeat the id and the name in every fragment; Ollama sends each call whole,
/// with an argument object. Every field is optional; an empty `id` or `name` counts as absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ToolCallFragment {
    /// Call id (`call_…`); identifies the call when non-empty.
    pub id: Option<String>,
    /// Position of the call on the wire (a hint: some servers reuse `0` for every call).
    pub index: Option<u32>,
    /// Function name.
    pub name: Option<String>,
    /// Argument text.
    pub arguments: Option<ArgumentsDelta>,
}

impl ToolCallFragment {
    /// An empty fragment.
    pub fn new() -> Self {
        Self::default()
    }

    /// A whole call: name and complete argument object (JSON text), as Ollama sends it.
    pub fn whole(name: impl Into<String>, arguments: impl Into<String>) -> Self {
        Self::new()
            .with_name(name)
            .with_arguments(ArgumentsDelta::Complete(arguments.into()))
    }

    /// Sets the id.
    #[must_use]
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Sets the wire index.
    #[must_use]
    pub fn with_index(mut self, index: u32) -> Self {
        self.index = Some(index);
        self
    }

    /// Sets the name.
    #[must_use]
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the arguments.
    #[must_use]
    pub fn with_arguments(mut self, arguments: ArgumentsDelta) -> Self {
        self.arguments = Some(arguments);
        self
    }

    /// Sets an argument fragment.
    #[must_use]
    pub fn with_fragment(self, json: impl Into<String>) -> Self {
        self.with_arguments(ArgumentsDelta::Fragment(json.into()))
    }
}

/// Argument text of a [`ToolCallFragment`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "json", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ArgumentsDelta {
    /// A fragment of the JSON text; the fragments of a call concatenate to its arguments.
    Fragment(String),
    /// The complete JSON argument object: the call is complete once it is received (Ollama's
    /// native tool calls).
    Complete(String),
}

impl ArgumentsDelta {
    /// The JSON text.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Fragment(s) | Self::Complete(s) => s,
        }
    }
}

/// The end of a reply, as a server signals it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct FinishSignal {
    /// The reason exactly as sent (`done_reason`, `finish_reason`); `None` when the server ended
    /// the reply without one.
    pub raw: Option<String>,
    /// The reason, normalized with [`FinishReason::from_raw`].
    pub reason: FinishReason,
}

impl FinishSignal {
    /// A signal from the raw reason.
    pub fn new(raw: Option<&str>) -> Self {
        Self {
            raw: raw.map(str::to_owned),
            reason: FinishReason::from_raw(raw),
        }
    }
}

/// Why a reply ended, normalized across wires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FinishReason {
    /// The model finished (end of sequence, stop sequence).
    Stop,
    /// A token limit was reached.
    Length,
    /// The model called tools.
    ToolCalls,
    /// The provider filtered the content.
    ContentFilter,
    /// The server reported an error.
    Error,
    /// The input ended without any finish signal (a truncated stream).
    Incomplete,
    /// Any other reason (Ollama's `load`/`unload`, provider-specific values); the raw value is
    /// kept beside it.
    Other,
}

impl FinishReason {
    /// Normalizes a raw reason. A missing reason (Ollama's `done: true` without `done_reason`)
    /// is [`Stop`](Self::Stop).
    pub fn from_raw(raw: Option<&str>) -> Self {
        match raw {
            None | Some("stop" | "end_turn" | "stop_sequence" | "completed") => Self::Stop,
            Some("length" | "max_tokens" | "max_output_tokens") => Self::Length,
            Some("tool_calls" | "function_call" | "tool_use") => Self::ToolCalls,
            Some("content_filter" | "refusal") => Self::ContentFilter,
            Some("error") => Self::Error,
            Some(_) => Self::Other,
        }
    }

    /// The OpenAI spelling (`stop`, `length`, `tool_calls`, `content_filter`, `error`,
    /// `incomplete`, `other`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Stop => "stop",
            Self::Length => "length",
            Self::ToolCalls => "tool_calls",
            Self::ContentFilter => "content_filter",
            Self::Error => "error",
            Self::Incomplete => "incomplete",
            Self::Other => "other",
        }
    }
}

/// Token counts, normalized across wires, and Ollama's timings. Absent means "not reported",
/// never `0`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Usage {
    /// Prompt tokens (`prompt_tokens`, Ollama `prompt_eval_count`).
    pub input_tokens: Option<u64>,
    /// Generated tokens (`completion_tokens`, Ollama `eval_count`).
    pub output_tokens: Option<u64>,
    /// Total tokens (`total_tokens`; the sum when the wire does not say).
    pub total_tokens: Option<u64>,
    /// Reasoning tokens among the output (`completion_tokens_details.reasoning_tokens`).
    pub reasoning_tokens: Option<u64>,
    /// Ollama's timings of the reply, in nanoseconds (`total_duration`, `load_duration`,
    /// `prompt_eval_duration`, `eval_duration`), so a native stream re-encoded keeps what a
    /// client computes tokens per second from. The other wires report none.
    #[serde(skip_serializing_if = "Durations::is_empty")]
    pub durations: Durations,
}

/// Ollama's timings of a reply, in nanoseconds; absent means "not reported".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Durations {
    /// The whole request (`total_duration`).
    pub total: Option<u64>,
    /// Loading the model (`load_duration`).
    pub load: Option<u64>,
    /// Evaluating the prompt (`prompt_eval_duration`).
    pub prompt_eval: Option<u64>,
    /// Generating the reply (`eval_duration`).
    pub eval: Option<u64>,
}

impl Durations {
    /// Whether no timing is present.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Overlays the timings `later` reports on these (a later report wins per field).
    pub fn update(&mut self, later: &Self) {
        self.total = later.total.or(self.total);
        self.load = later.load.or(self.load);
        self.prompt_eval = later.prompt_eval.or(self.prompt_eval);
        self.eval = later.eval.or(self.eval);
    }
}

impl Usage {
    /// Input and output counts; the total is their sum.
    pub fn new(input_tokens: u64, output_tokens: u64) -> Self {
        Self {
            input_tokens: Some(input_tokens),
            output_tokens: Some(output_tokens),
            total_tokens: input_tokens.checked_add(output_tokens),
            reasoning_tokens: None,
            durations: Durations::default(),
        }
    }

    /// Whether no count is present.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Overlays the counts `later` reports on these (a later report wins per field).
    pub fn update(&mut self, later: &Self) {
        self.input_tokens = later.input_tokens.or(self.input_tokens);
        self.output_tokens = later.output_tokens.or(self.output_tokens);
        self.total_tokens = later.total_tokens.or(self.total_tokens);
        self.reasoning_tokens = later.reasoning_tokens.or(self.reasoning_tokens);
        self.durations.update(&later.durations);
    }
}

/// An error the server reported inside the stream (an `{"error": …}` line or event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("upstream error: {message}")]
#[non_exhaustive]
pub struct UpstreamError {
    /// The server's message.
    pub message: String,
}

impl UpstreamError {
    /// An error with a message.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}
