//! `chat.completion`: the non-streamed response.

use super::*;

/// A non-streamed `chat.completion` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ChatCompletion {
    /// Completion id.
    #[serde(default, deserialize_with = "null_default")]
    pub id: String,
    /// `"chat.completion"`.
    #[serde(default, deserialize_with = "null_default")]
    pub object: String,
    /// Unix seconds.
    #[serde(default, deserialize_with = "null_default")]
    pub created: i64,
    /// Model name.
    #[serde(default, deserialize_with = "null_default")]
    pub model: String,
    /// Backend fingerprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_fingerprint: Option<String>,
    /// Choices.
    #[serde(deserialize_with = "null_default")]
    pub choices: Vec<Choice>,
    /// Token usage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<CompletionUsage>,
}

/// One choice of a non-streamed response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Choice {
    /// Choice index.
    #[serde(default, deserialize_with = "null_default")]
    pub index: u32,
    /// The generated message.
    pub message: ChatCompletionMessage,
    /// Why it stopped; always written.
    #[serde(default)]
    pub finish_reason: Option<ChatCompletionFinishReason>,
    /// Token log probabilities, when requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logprobs: Option<ChoiceLogprobs>,
}
