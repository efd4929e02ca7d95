//! Encoding chunks and bodies as JSON: as Ollama's Go server writes them, or serde_json's way.

use serde::Serialize;

/// How strings and floats are spelled when encoding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Escaping {
    /// serde_json's compact output: what Python and C++ servers (llama.cpp's `llama-server`,
    /// llama-cpp-python, vLLM) write for the characters that matter here.
    #[default]
    Minimal,
    /// As Go's `encoding/json` writes, and so Ollama's `/v1` layer: `<`, `>`, `&`, U+2028 and
    /// U+2029 escaped (`\u003c`, …), floats spelled as Go spells them. This reproduces Ollama's
    /// bytes.
    Go,
}

/// Encodes chunks and bodies as JSON text (the `data:` of an SSE event, or a whole body).
///
/// ```
/// use openai_wire::chat::ChatCompletionChunk;
/// use openai_wire::{Encoder, Escaping};
///
/// // An Ollama /v1 chunk: Go escapes `<` in the reasoning text.
/// let data = r#"{"id":"chatcmpl-978","object":"chat.completion.chunk","created":1796112966,"model":"gemma3-think","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"content":"","reasoning":"\u003cthink"},"finish_reason":null}]}"#;
/// let chunk: ChatCompletionChunk = serde_json::from_str(data)?;
/// assert_eq!(Encoder::with_escaping(Escaping::Go).to_vec(&chunk)?, data.as_bytes());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Encoder {
    escaping: Escaping,
}

impl Encoder {
    /// An encoder with [`Escaping::Minimal`].
    pub fn new() -> Self {
        Self::default()
    }

    /// An encoder with the given escaping.
    pub fn with_escaping(escaping: Escaping) -> Self {
        Self { escaping }
    }

    /// The escaping this encoder writes.
    pub fn escaping(&self) -> Escaping {
        self.escaping
    }

    /// Appends `value` as JSON.
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when `value`'s `Serialize` implementation fails, e.g. on a map key
    /// JSON cannot write as a string or a non-finite float. Writing to `out` cannot fail, and the
    /// types of this crate always encode. On error, `out` may hold part of the JSON.
    pub fn encode<T: Serialize + ?Sized>(
        &self,
        value: &T,
        out: &mut Vec<u8>,
    ) -> Result<(), serde_json::Error> {
        match self.escaping {
            Escaping::Go => go_json_formatter::to_writer(out, value),
            Escaping::Minimal => serde_json::to_writer(out, value),
        }
    }

    /// `value` as JSON bytes.
    ///
    /// # Errors
    ///
    /// As [`encode`](Self::encode): a [`serde_json::Error`] when `value`'s `Serialize`
    /// implementation fails.
    pub fn to_vec<T: Serialize + ?Sized>(&self, value: &T) -> Result<Vec<u8>, serde_json::Error> {
        let mut out = Vec::new();
        self.encode(value, &mut out)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::{Encoder, Escaping};

    #[test]
    fn minimal_keeps_angle_brackets_and_go_escapes_them() {
        let text = "<think>&";
        assert_eq!(Encoder::new().to_vec(text).unwrap(), br#""<think>&""#);
        assert_eq!(
            Encoder::with_escaping(Escaping::Go).to_vec(text).unwrap(),
            br#""\u003cthink\u003e\u0026""#
        );
        assert_eq!(Encoder::new().escaping(), Escaping::Minimal);
    }
}
