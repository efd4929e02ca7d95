//! The chat-completions request.

use super::*;

/// A `POST /v1/chat/completions` request body.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatCompletionRequest {
    /// Model name.
    #[serde(default, deserialize_with = "null_default")]
    pub model: String,
    /// The conversation.
    #[serde(default, deserialize_with = "null_default")]
    pub messages: Vec<ChatCompletionMessage>,
    /// Stream the answer as SSE (default `false`).
    pub stream: Option<bool>,
    /// Streaming options.
    pub stream_options: Option<StreamOptions>,
    /// Available tools.
    pub tools: Option<Vec<ChatCompletionTool>>,
    /// Tool selection.
    pub tool_choice: Option<ToolChoice>,
    /// Allow parallel tool calls.
    pub parallel_tool_calls: Option<bool>,
    /// Output token limit (legacy name; Ollama maps it to `num_predict`).
    pub max_tokens: Option<u64>,
    /// Output token limit (current name; ignored by Ollama).
    pub max_completion_tokens: Option<u64>,
    /// Reasoning effort (flat form).
    pub reasoning_effort: Option<ReasoningEffort>,
    /// Reasoning settings (`{"effort":…}`; wins over `reasoning_effort` on Ollama).
    pub reasoning: Option<ReasoningOptions>,
    /// Output format.
    pub response_format: Option<ResponseFormat>,
    /// Sampling temperature.
    pub temperature: Option<f64>,
    /// Nucleus sampling.
    pub top_p: Option<f64>,
    /// Sampling seed.
    pub seed: Option<i64>,
    /// Stop sequences.
    pub stop: Option<Stop>,
    /// Frequency penalty.
    pub frequency_penalty: Option<f64>,
    /// Presence penalty.
    pub presence_penalty: Option<f64>,
    /// Return log probabilities.
    pub logprobs: Option<bool>,
    /// Alternatives per token with `logprobs`.
    pub top_logprobs: Option<u32>,
    /// Number of choices.
    pub n: Option<u32>,
    /// End-user id.
    pub user: Option<String>,
}

/// `stream_options`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StreamOptions {
    /// Ask for a final usage chunk (ignored by llama-cpp-python).
    pub include_usage: Option<bool>,
}

/// `reasoning` request object.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReasoningOptions {
    /// Effort.
    pub effort: Option<ReasoningEffort>,
}

/// A tool definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatCompletionTool {
    /// `"function"`.
    #[serde(
        rename = "type",
        default = "function_type",
        deserialize_with = "null_function"
    )]
    pub kind: String,
    /// The function.
    pub function: FunctionDefinition,
}

impl ChatCompletionTool {
    /// A function tool.
    pub fn function(
        name: impl Into<String>,
        description: Option<String>,
        parameters: Option<Value>,
    ) -> Self {
        Self {
            kind: function_type(),
            function: FunctionDefinition {
                name: name.into(),
                description,
                parameters,
                strict: None,
            },
        }
    }
}

/// A function a tool exposes.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FunctionDefinition {
    /// Name.
    pub name: String,
    /// What it does.
    pub description: Option<String>,
    /// JSON Schema of the arguments.
    pub parameters: Option<Value>,
    /// Strict schema adherence.
    pub strict: Option<bool>,
}

/// `tool_choice`: a mode string or a named function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ToolChoice {
    /// `"none"`, `"auto"`, `"required"`.
    Mode(ToolChoiceMode),
    /// `{"type":"function","function":{"name":…}}`.
    Named(NamedToolChoice),
}

/// A forced function in `tool_choice`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NamedToolChoice {
    /// `"function"`.
    #[serde(
        rename = "type",
        default = "function_type",
        deserialize_with = "null_function"
    )]
    pub kind: String,
    /// The function.
    pub function: NamedFunction,
}

impl NamedToolChoice {
    /// Forces the named function.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            kind: function_type(),
            function: NamedFunction { name: name.into() },
        }
    }
}

/// A function name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NamedFunction {
    /// Name.
    pub name: String,
}

/// `response_format`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseFormat {
    /// `text`, `json_object` or `json_schema`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The schema for `json_schema`.
    pub json_schema: Option<JsonSchemaFormat>,
}

/// `response_format.json_schema`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct JsonSchemaFormat {
    /// Schema name.
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// The JSON Schema.
    pub schema: Option<Value>,
    /// Strict adherence.
    pub strict: Option<bool>,
}

/// `stop`: one string or several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Stop {
    /// One sequence.
    One(String),
    /// Several sequences.
    Many(Vec<String>),
}
