//! A [`serde_json`] [`Formatter`] that writes JSON as Go's `encoding/json` does.
//!
//! ```text
//!  T: Serialize ──serde_json::Serializer<_, GoFormatter>──▶ the bytes json.Marshal(v) writes
//! ```
//!
//! Go's encoder is compact like serde_json's, but escapes `<`, `>`, `&`, U+2028 and U+2029
//! inside strings (`\u003c`, `\u003e`, `\u0026`, `\u2028`, `\u2029`) and spells floats its own
//! way (`1e-7`, `1e+21`, `0.00001`). With this formatter, values decoded from a Go server's
//! JSON re-encode to the server's bytes.
//!
//! ```
//! use serde_json::json;
//!
//! let bytes = go_json_formatter::to_vec(&json!({"content": "a < b && c", "p": 0.00001}))?;
//! assert_eq!(bytes, br#"{"content":"a \u003c b \u0026\u0026 c","p":0.00001}"#);
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! The escaping applies to raw values too (`serde_json::value::RawValue`), as Go re-escapes a
//! `json.RawMessage` when it compacts it.

#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#![cfg_attr(not(test), deny(clippy::panic, clippy::indexing_slicing))]

use std::io;

use serde::Serialize;
use serde_json::ser::{Formatter, Serializer};

/// The formatter: compact JSON with Go's string escaping and float spelling.
///
/// ```
/// use go_json_formatter::GoFormatter;
/// use serde::Serialize;
///
/// let mut out = Vec::new();
/// "<b>".serialize(&mut serde_json::Serializer::with_formatter(&mut out, GoFormatter))?;
/// assert_eq!(out, br#""\u003cb\u003e""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct GoFormatter;

/// Appends `value` as Go writes it with `json.Marshal` (no trailing newline; Go's
/// `json.Encoder.Encode` adds one `\n`).
///
/// # Errors
///
/// A [`serde_json::Error`] when `value`'s `Serialize` implementation fails (a map key JSON
/// cannot write as a string, a non-finite float). Writing to a `Vec` cannot fail. On error, `out`
/// may hold part of the JSON.
pub fn to_writer<T: Serialize + ?Sized>(
    out: &mut Vec<u8>,
    value: &T,
) -> Result<(), serde_json::Error> {
    value.serialize(&mut Serializer::with_formatter(out, GoFormatter))
}

/// `value` as the bytes Go's `json.Marshal` writes.
///
/// # Errors
///
/// As [`to_writer`]: a [`serde_json::Error`] when `value`'s `Serialize` implementation fails.
pub fn to_vec<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::new();
    to_writer(&mut out, value)?;
    Ok(out)
}

/// How strings and floats are spelled when encoding.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Escaping {
    /// As Go's `encoding/json` writes (and so Ollama, on every wire): `<`, `>`, `&` as
    /// `\u003c`, `\u003e`, `\u0026`, U+2028/U+2029 escaped, and floats spelled as Go spells
    /// them (`1e-07` as `1e-7`, `1e+21`, `0.00001`).
    #[default]
    Go,
    /// serde_json's compact output (what Python and C++ servers such as llama.cpp's
    /// `llama-server` write for the characters that differ).
    Minimal,
}

/// Encodes values as JSON bodies or NDJSON lines, with Go's escaping (the default) or
/// serde_json's.
///
/// The wire crates re-export this one type (`ollama_wire::Encoder`, `openai_wire::Encoder`).
///
/// ```
/// use go_json_formatter::{Encoder, Escaping};
///
/// let mut out = Vec::new();
/// Encoder::new().encode_line(&serde_json::json!({"content": "</think>"}), &mut out)?;
/// assert_eq!(out, b"{\"content\":\"\\u003c/think\\u003e\"}\n");
/// let minimal = Encoder::with_escaping(Escaping::Minimal).to_vec("</think>")?;
/// assert_eq!(minimal, br#""</think>""#);
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

    /// The escaping this encoder writes.
    pub fn escaping(&self) -> Escaping {
        self.escaping
    }

    /// Appends `value` as JSON, without a newline (a single reply body).
    ///
    /// # Errors
    ///
    /// A [`serde_json::Error`] when `value`'s `Serialize` implementation fails, e.g. on a map key
    /// JSON cannot write as a string or a non-finite float. Writing to `out` cannot fail. On
    /// error, `out` may hold part of the JSON.
    pub fn encode<T: Serialize + ?Sized>(
        &self,
        value: &T,
        out: &mut Vec<u8>,
    ) -> Result<(), serde_json::Error> {
        match self.escaping {
            Escaping::Go => to_writer(out, value),
            Escaping::Minimal => serde_json::to_writer(out, value),
        }
    }

    /// Appends `value` as one NDJSON line (JSON and `\n`), as Ollama streams each chunk.
    ///
    /// # Errors
    ///
    /// As [`encode`](Self::encode); no newline is appended then.
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
    /// As [`encode`](Self::encode).
    pub fn to_vec<T: Serialize + ?Sized>(&self, value: &T) -> Result<Vec<u8>, serde_json::Error> {
        let mut out = Vec::new();
        self.encode(value, &mut out)?;
        Ok(out)
    }
}

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
        writer.write_all(go_float32(value).as_bytes())
    }
}

/// Spells a finite float as Go's `encoding/json` does: the shortest digits that round-trip,
/// plain decimal for 1e-6 ≤ |v| < 1e21, otherwise exponent form with the exponent's leading zero
/// dropped for negative exponents (`1e-7`) and a sign always present (`1e+21`).
///
/// ```
/// assert_eq!(go_json_formatter::go_float(1e-7), "1e-7");
/// assert_eq!(go_json_formatter::go_float(1e21), "1e+21");
/// assert_eq!(go_json_formatter::go_float(0.00001), "0.00001");
/// ```
pub fn go_float(value: f64) -> String {
    // `{:e}` prints the shortest round-trip digits: "-1.2345e-7".
    spell(&format!("{value:e}"), value.abs(), value.is_sign_negative())
}

/// Spells a finite `f32` as Go's `encoding/json` does for a `float32`: the shortest digits that
/// round-trip *as an f32* (`0.1`, where the widened f64 would print `0.10000000149011612`), with
/// the same decimal/exponent rules as [`go_float`].
///
/// ```
/// assert_eq!(go_json_formatter::go_float32(0.1), "0.1");
/// assert_eq!(go_json_formatter::go_float32(-2e-7), "-2e-7");
/// ```
pub fn go_float32(value: f32) -> String {
    spell(
        &format!("{value:e}"),
        f64::from(value.abs()),
        value.is_sign_negative(),
    )
}

/// Go's layout of a number from its shortest scientific digits (`sci`, as `{:e}` prints them),
/// its magnitude and its sign (for zero, whose digits carry none).
fn spell(sci: &str, abs: f64, negative: bool) -> String {
    if abs == 0.0 {
        return if negative { "-0" } else { "0" }.to_owned();
    }
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
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
        // Here |exp| >= 7: Go's two-digit exponent padding never shows, and it strips the pad
        // of negative exponents anyway (`1e-07` is written `1e-7`).
        let exp_sign = if exp.is_negative() { '-' } else { '+' };
        let exp_abs = exp.unsigned_abs();
        format!("{sign}{first}{frac}e{exp_sign}{exp_abs}")
    }
}

#[cfg(test)]
mod tests {
    use super::{Encoder, Escaping, go_float, to_vec};

    #[test]
    fn the_encoder_writes_go_or_minimal_escaping() {
        assert_eq!(Encoder::new().escaping(), Escaping::Go);
        assert_eq!(
            Encoder::new().to_vec("<&>").unwrap(),
            br#""\u003c\u0026\u003e""#
        );
        let minimal = Encoder::with_escaping(Escaping::Minimal);
        assert_eq!(minimal.escaping(), Escaping::Minimal);
        assert_eq!(minimal.to_vec("<&>").unwrap(), br#""<&>""#);
        let mut line = Vec::new();
        minimal.encode_line(&1e-7, &mut line).unwrap();
        assert_eq!(line, b"1e-7\n");
        let mut line = Vec::new();
        Encoder::new().encode_line(&1e-7, &mut line).unwrap();
        assert_eq!(line, b"1e-7\n");
    }

    /// Expected spellings are what Go 1.22's `json.Marshal(float64)` prints.
    #[test]
    fn floats_are_spelled_like_go() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0"),
            (-0.0, "-0"),
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

    /// Go's `json.Marshal("<a&b>\u2028\u2029")` writes `"\u003ca\u0026b\u003e\u2028\u2029"`;
    /// other characters (non-ASCII letters, quotes, control characters) as serde_json does.
    /// Go's `json.Marshal(float32(0.1))` writes `0.1`: the shortest digits of the f32, not of
    /// the f64 it widens to (`0.10000000149011612`).
    #[test]
    fn f32_values_are_spelled_from_their_own_digits() {
        assert_eq!(to_vec(&0.1_f32).unwrap(), b"0.1");
        assert_eq!(to_vec(&[0.0_f32, -0.0]).unwrap(), b"[0,-0]");
        assert_eq!(to_vec(&vec![1.5_f32, -2e-7]).unwrap(), b"[1.5,-2e-7]");
    }

    #[test]
    fn strings_are_escaped_like_go() {
        let got = to_vec("<a&b>\u{2028}\u{2029} é \"q\" \n").unwrap();
        assert_eq!(
            String::from_utf8(got).unwrap(),
            r#""\u003ca\u0026b\u003e\u2028\u2029 é \"q\" \n""#
        );
    }

    #[test]
    fn raw_values_are_escaped_too() {
        let raw = serde_json::value::RawValue::from_string(r#"{"a":"<"}"#.to_owned()).unwrap();
        assert_eq!(to_vec(&raw).unwrap(), br#"{"a":"\u003c"}"#.to_vec());
    }
}
