//! Encoding chunks and bodies as Ollama writes them.

use std::io;

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, Serializer};

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
            Escaping::Go => value.serialize(&mut Serializer::with_formatter(out, GoFormatter)),
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

/// serde_json formatter matching Go's `encoding/json` output.
struct GoFormatter;

/// Writes `text` with the characters Go additionally escapes replaced. Only valid inside JSON
/// strings — which is the only place these characters can occur in valid JSON.
fn write_go_escaped<W: ?Sized + io::Write>(writer: &mut W, text: &str) -> io::Result<()> {
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let escape: &[u8] = match c {
            '<' => b"\\u003c",
            '>' => b"\\u003e",
            '&' => b"\\u0026",
            '\u{2028}' => b"\\u2028",
            '\u{2029}' => b"\\u2029",
            _ => continue,
        };
        writer.write_all(text.get(start..i).unwrap_or_default().as_bytes())?;
        writer.write_all(escape)?;
        start = i + c.len_utf8();
    }
    writer.write_all(text.get(start..).unwrap_or_default().as_bytes())
}

impl Formatter for GoFormatter {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        write_go_escaped(writer, fragment)
    }

    fn write_raw_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        write_go_escaped(writer, fragment)
    }

    fn write_f64<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        writer.write_all(go_float(value).as_bytes())
    }

    fn write_f32<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f32) -> io::Result<()> {
        writer.write_all(go_float(f64::from(value)).as_bytes())
    }
}

/// Spells a finite float as Go's `encoding/json` does: the shortest digits that round-trip,
/// plain decimal for 1e-6 ≤ |v| < 1e21, otherwise exponent form with the exponent's leading zero
/// dropped for negative exponents (`1e-7`) and a sign always present (`1e+21`).
pub(crate) fn go_float(value: f64) -> String {
    if value == 0.0 {
        return if value.is_sign_negative() { "-0" } else { "0" }.to_owned();
    }
    // `{:e}` prints the shortest round-trip digits: "-1.2345e-7".
    let sci = format!("{value:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let abs = value.abs();
    if (1e-6..1e21).contains(&abs) {
        // Decimal point goes after (exp + 1) digits.
        let point = exp + 1;
        let n = digits.len() as i32;
        if point <= 0 {
            let zeros = "0".repeat(point.unsigned_abs() as usize);
            format!("{sign}0.{zeros}{digits}")
        } else if point >= n {
            let zeros = "0".repeat((point - n) as usize);
            format!("{sign}{digits}{zeros}")
        } else {
            let (int, frac) = digits.split_at(point as usize);
            format!("{sign}{int}.{frac}")
        }
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let exp_sign = if exp < 0 { '-' } else { '+' };
        let exp_abs = exp.unsigned_abs();
        // Go pads the exponent to two digits, then strips the pad again for negative exponents.
        let exp_text = if exp < 0 || exp_abs >= 10 {
            exp_abs.to_string()
        } else {
            format!("0{exp_abs}")
        };
        format!("{sign}{first}{frac}e{exp_sign}{exp_text}")
    }
}

#[cfg(test)]
mod tests {
    use super::go_float;

    /// Expected spellings are what Go 1.22's `json.Marshal(float64)` prints.
    #[test]
    fn floats_are_spelled_like_go() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0"),
            (1.0, "1"),
            (-0.5, "-0.5"),
            (100.0, "100"),
            (1234.5678, "1234.5678"),
            (0.000001, "0.000001"),
            (0.00001234, "0.00001234"),
            (1e-7, "1e-7"),
            (-2.5e-10, "-2.5e-10"),
            (1e20, "100000000000000000000"),
            (1e21, "1e+21"),
            (1.5e300, "1.5e+300"),
            (1e-5, "0.00001"),
            (-0.0123, "-0.0123"),
            (123456789.0, "123456789"),
        ];
        for (value, want) in cases {
            assert_eq!(go_float(*value), *want, "value {value:e}");
        }
    }
}
