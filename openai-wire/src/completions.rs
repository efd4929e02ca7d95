//! `POST /v1/completions`: the legacy text-completion API, streamed and not: the request
//! ([`CompletionCreateParams`]), the reply and its chunks.
//!
//! Ollama writes these from Go structs (`Completion`, `CompletionChunk`, `CompleteChunkChoice`
//! in its `openai/openai.go`), and the two orders differ: a whole reply is `id, object,
//! created, model, system_fingerprint, choices, usage`; a chunk puts `choices` before `model`.
//! With `stream_options.include_usage`, Ollama writes a zeroed `usage` on every chunk and the
//! real one on a last chunk with `"choices":[]` (recorded from Ollama 0.33:
//! `fixtures/openai/ollama033-completions-stream-usage`).
//!
//! ```
//! use openai_wire::chunks::{StreamDecoder, StreamItem};
//! use openai_wire::completions::CompletionChunk;
//! use openai_wire::Encoder;
//!
//! let data = r#"{"id":"cmpl-565","object":"text_completion","created":1796112875,"choices":[{"text":"A","index":0,"finish_reason":null}],"model":"gemma3-plain","system_fingerprint":"fp_ollama"}"#;
//! let mut decoder = StreamDecoder::<CompletionChunk>::new();
//! decoder.push(format!("data: {data}\n\ndata: [DONE]\n\n").as_bytes());
//! let Some(Ok(StreamItem::Chunk(chunk))) = decoder.next() else { panic!() };
//! assert_eq!(chunk.text(), "A");
//! assert_eq!(Encoder::new().to_vec(&chunk)?, data.as_bytes()); // Ollama's bytes
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::chat::{
    ChatCompletionFinishReason, ChoiceLogprobs, CompletionUsage, Stop, StreamOptions,
};

/// The body of `POST /v1/completions` (the fields Ollama's `CompletionRequest` reads, in its
/// order; absent fields are left out).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CompletionCreateParams {
    /// The model.
    #[serde(default)]
    pub model: String,
    /// The text to continue.
    #[serde(default)]
    pub prompt: String,
    /// Penalty for tokens by their frequency so far.
    pub frequency_penalty: Option<f64>,
    /// Most tokens to generate (Ollama's `num_predict`).
    pub max_tokens: Option<u64>,
    /// Penalty for tokens present so far.
    pub presence_penalty: Option<f64>,
    /// Sampling seed.
    pub seed: Option<i64>,
    /// Stop sequences.
    pub stop: Option<Stop>,
    /// Stream SSE chunks.
    pub stream: Option<bool>,
    /// Streaming options (`include_usage`).
    pub stream_options: Option<StreamOptions>,
    /// Sampling temperature.
    pub temperature: Option<f64>,
    /// Nucleus sampling.
    pub top_p: Option<f64>,
    /// Text after the insertion point (fill-in-the-middle models).
    pub suffix: Option<String>,
}

impl CompletionCreateParams {
    /// A request continuing `prompt` with `model`.
    pub fn new(model: impl Into<String>, prompt: impl Into<String>) -> Self {
        Self {
            model: model.into(),
            prompt: prompt.into(),
            ..Self::default()
        }
    }
}

/// One choice of a completion or a completion chunk (Go's `CompleteChunkChoice`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CompletionChoice {
    /// The text (a chunk: the new text only). Required: Go writes it always, and a choice
    /// without it (a chat chunk's `delta`) is not taken for an empty completion.
    pub text: String,
    /// The choice's index (`0` unless `n` > 1).
    #[serde(default)]
    pub index: u32,
    /// Why generation stopped; `null` until the last chunk.
    #[serialize_always]
    pub finish_reason: Option<ChatCompletionFinishReason>,
    /// Log probabilities, when requested.
    pub logprobs: Option<ChoiceLogprobs>,
}

/// The reply of a non-stream `POST /v1/completions` (Go's `Completion`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Completion {
    /// Completion id (`cmpl-…`).
    #[serde(default)]
    pub id: String,
    /// `"text_completion"`.
    #[serde(default)]
    pub object: String,
    /// Unix seconds.
    #[serde(default)]
    pub created: i64,
    /// The model.
    #[serde(default)]
    pub model: String,
    /// `fp_ollama` on Ollama.
    pub system_fingerprint: Option<String>,
    /// The choices.
    #[serde(default)]
    pub choices: Vec<CompletionChoice>,
    /// Token counts.
    pub usage: Option<CompletionUsage>,
}

impl Completion {
    /// The first choice's text.
    pub fn text(&self) -> &str {
        first_text(&self.choices)
    }
}

/// One event of a streamed `POST /v1/completions` (Go's `CompletionChunk`: `choices` before
/// `model`).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CompletionChunk {
    /// Completion id, the same on every chunk.
    #[serde(default)]
    pub id: String,
    /// `"text_completion"`.
    #[serde(default)]
    pub object: String,
    /// Unix seconds.
    #[serde(default)]
    pub created: i64,
    /// The choices: the new text; empty on the usage chunk.
    #[serde(default)]
    pub choices: Vec<CompletionChoice>,
    /// The model.
    #[serde(default)]
    pub model: String,
    /// `fp_ollama` on Ollama.
    pub system_fingerprint: Option<String>,
    /// Token counts (with `include_usage`; zeroed on Ollama's text chunks).
    pub usage: Option<CompletionUsage>,
}

impl CompletionChunk {
    /// The first choice's new text.
    pub fn text(&self) -> &str {
        first_text(&self.choices)
    }
}

/// The text of the first choice, `""` without one.
fn first_text(choices: &[CompletionChoice]) -> &str {
    choices.first().map_or("", |c| c.text.as_str())
}
