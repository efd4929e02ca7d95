//! Encoding chunks and bodies as Ollama writes them.

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Serializer};

/// How strings are escaped when encoding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Escaping {
    /// As Go's `encoding/json` (and so Ollama) writes: `<`, `>`, `&` as `\u003c`, `\u003e`,
    /// `\u0026`, U+2028/U+2029 escaped, and floats spelled as Go spells them (`1e-07` as
    /// `1e-7`, `1e+21`, `0.00001`). This reproduces Ollama's bytes.
    #[default]
    Go,
    /// serde_json's minimal escaping.
    Minimal,
}

/// Encodes values as NDJSON lines or single JSON bodies.
///
/// ```
/// use ollama_wire::{ChatResponse, Encoder};
///
/// let line = br#"{"model":"m","created_at":"2026-01-10T16:55:30Z","message":{"role":"assistant","content":"\u003c/think\u003e"},"done":false}"#;
/// let chunk = ChatResponse::from_slice(line)?;
/// assert_eq!(chunk.message.content, "</think>");
///
/// let mut out = Vec::new();
/// Encoder::new().encode_line(&chunk, &mut out)?;
/// assert_eq!(out, [&line[..], b"\n"].concat()); // Ollama's bytes, Go escaping included
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Encoder {
    escaping: Escaping,
}

impl Encoder {
    /// An encoder with Go escaping.
    pub fn new() -> Self {
        Self::default()
    }

    /// An encoder with the given escaping.
    pub fn with_escaping(escaping: Escaping) -> Self {
        Self { escaping }
    }

    /// Appends `value` as JSON, without a newline (a single reply body).
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when `value`'s `Serialize` implementation fails, e.g. on a map key
    /// JSON cannot write as a string (a sequence, a map, a non-finite float). Writing to `out`
    /// cannot fail, and the types of this crate always encode. On error, `out` may hold part of
    /// the JSON.
    pub fn encode<T: Serialize + ?Sized>(
        &self,
        value: &T,
        out: &mut Vec<u8>,
    ) -> Result<(), serde_json::Error> {
        match self.escaping {
            Escaping::Go => go_json_formatter::to_writer(out, value),
            Escaping::Minimal => {
                value.serialize(&mut Serializer::with_formatter(out, CompactFormatter))
            }
        }
    }

    /// Appends `value` as one NDJSON line (JSON and `\n`), as Ollama streams each chunk.
    ///
    /// # Errors
    ///
    /// As [`encode`](Self::encode): a [`serde_json::Error`] when `value`'s `Serialize`
    /// implementation fails; no newline is appended then.
    pub fn encode_line<T: Serialize + ?Sized>(
        &self,
        value: &T,
        out: &mut Vec<u8>,
    ) -> Result<(), serde_json::Error> {
        self.encode(value, out)?;
        out.push(b'\n');
        Ok(())
    }

    /// `value` as JSON bytes, without a newline.
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
