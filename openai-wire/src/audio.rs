//! `POST /v1/audio/transcriptions`, as Ollama serves it for audio-capable chat models.
//!
//! The request is a `multipart/form-data` form, not JSON (build it with your HTTP client's
//! multipart support; [`TranscriptionParams::form_fields`] gives the text fields): `model`
//! (required), `file` (the audio, required and non-empty, at most 25 MB), and optionally
//! `response_format`, `language` and `prompt`. Ollama turns it into a chat request with the
//! audio attached and answers with the transcript: `text/plain` (trimmed) for
//! `response_format=text`, else JSON `{"text":…}` and a newline.
//!
//! Typed from Ollama's source (github.com/ollama/ollama `server/routes.go` at commit
//! 00188139f12f1dff0920b6be98a4e7097232cf9f routes it through `TranscriptionMiddleware`); no
//! audio model runs where the recordings were made, so the fixture is constructed.
//!
//! ```
//! use openai_wire::audio::{Transcription, TranscriptionParams};
//!
//! let mut params = TranscriptionParams::new("gemma3n");
//! params.language = Some("en".into());
//! assert_eq!(params.form_fields(), [("model", "gemma3n"), ("language", "en")]);
//!
//! let reply: Transcription = serde_json::from_slice(b"{\"text\":\"Hello there.\"}\n")?;
//! assert_eq!(reply.text, "Hello there.");
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::{Deserialize, Serialize};

/// The text fields of a transcription form (the `file` part is the audio itself).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct TranscriptionParams {
    /// The model.
    pub model: String,
    /// `json` (default) or `text`.
    pub response_format: Option<String>,
    /// The spoken language (ISO 639-1), a hint.
    pub language: Option<String>,
    /// Text to guide the transcript.
    pub prompt: Option<String>,
}

impl TranscriptionParams {
    /// A transcription with `model`.
    pub fn new(model: impl Into<String>) -> Self {
        Self {
            model: model.into(),
            ..Self::default()
        }
    }

    /// The form's text fields, in the order above, the absent ones left out.
    pub fn form_fields(&self) -> Vec<(&'static str, &str)> {
        let mut fields = vec![("model", self.model.as_str())];
        let optional = [
            ("response_format", &self.response_format),
            ("language", &self.language),
            ("prompt", &self.prompt),
        ];
        fields.extend(
            optional
                .into_iter()
                .filter_map(|(name, value)| Some((name, value.as_deref()?))),
        );
        fields
    }

    /// Whether the reply is plain text (`response_format=text`) rather than JSON.
    pub fn wants_text(&self) -> bool {
        self.response_format.as_deref() == Some("text")
    }
}

/// The JSON reply: the transcript.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Transcription {
    /// What was said.
    #[serde(default)]
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields_and_formats() {
        let mut params = TranscriptionParams::new("m");
        assert_eq!(params.form_fields(), [("model", "m")]);
        assert!(!params.wants_text());
        params.response_format = Some("text".into());
        params.prompt = Some("names: Ada".into());
        assert!(params.wants_text());
        assert_eq!(
            params.form_fields(),
            [
                ("model", "m"),
                ("response_format", "text"),
                ("prompt", "names: Ada")
            ]
        );
        params.response_format = Some("json".into());
        assert!(!params.wants_text());
    }

    #[test]
    fn the_reply_round_trips() {
        let reply: Transcription = serde_json::from_str(r#"{"text":"a \u003c b"}"#).unwrap();
        assert_eq!(reply.text, "a < b");
        assert_eq!(
            crate::Encoder::new().to_vec(&reply).unwrap(),
            br#"{"text":"a \u003c b"}"#
        );
    }
}
