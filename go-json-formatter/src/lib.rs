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
///
/// ```
/// assert_eq!(go_json_formatter::go_float(1e-7), "1e-7");
/// assert_eq!(go_json_formatter::go_float(1e21), "1e+21");
/// assert_eq!(go_json_formatter::go_float(0.00001), "0.00001");
/// ```
pub fn go_float(value: f64) -> String {
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
    use super::{go_float, to_vec};

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
