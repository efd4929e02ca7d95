//! `chat.completion`: the non-streamed response.

use super::*;

/// A non-streamed `chat.completion` response.
#[serde_with::skip_serializing_none]
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
    pub system_fingerprint: Option<String>,
    /// Choices.
    #[serde(deserialize_with = "null_default")]
    pub choices: Vec<Choice>,
    /// Token usage.
    pub usage: Option<CompletionUsage>,
}

/// One choice of a non-streamed response.
#[serde_with::skip_serializing_none]
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
    #[serialize_always]
    pub finish_reason: Option<ChatCompletionFinishReason>,
    /// Token log probabilities, when requested.
    pub logprobs: Option<ChoiceLogprobs>,
}
