//! Requests encoded the way Ollama's own Go client sends them.
//!
//! The request types of this crate keep what a client sent: a field left out stays out. Ollama's
//! Go client (`api.Client` in github.com/ollama/ollama `api/client.go`) writes its
//! `api/types.go` structs with `json.Marshal` instead, and so always sends the fields that have
//! no `omitempty` (`"suffix":""`, `"options":null`, `"name":""`, …), omits empty lists, writes
//! a tool call's `index`, escapes `<`, `>` and `&`, and spells `keep_alive` as a Go duration
//! (`"5m0s"`, or `-1` for a negative one). [`to_vec`] writes those bytes for any request type,
//! for a program that must send exactly what the Go client would (a test double, a recorder, a
//! proxy that normalizes requests). The field lists follow `api/types.go` at commit
//! 5dbb81b72c4b61b737e4970db711f7718e4efcc6.
//!
//! ```
//! use ollama_wire::go_client;
//! use ollama_wire::{GenerateRequest, KeepAlive};
//!
//! let mut request = GenerateRequest::new("gemma3", "Why is the sky blue?");
//! request.keep_alive = Some(KeepAlive::Duration("5m".into()));
//! assert_eq!(
//!     go_client::to_vec(&request)?,
//!     br#"{"model":"gemma3","prompt":"Why is the sky blue?","suffix":"","system":"","template":"","keep_alive":"5m0s","options":null}"#
//! );
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::types::{
    ChatRequest, CopyRequest, CreateRequest, DeleteRequest, EmbedInput, EmbedRequest,
    EmbeddingRequest, Format, GenerateRequest, KeepAlive, Message, ShowRequest, Think, Tool,
    ToolCall, ToolCallFunctionArguments, TransferRequest,
};

/// A request type [`to_vec`] can write as the Go client does.
pub trait GoClientRequest: sealed::Sealed {
    #[doc(hidden)]
    fn write(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error>;
}

mod sealed {
    pub trait Sealed {}
}

/// `request` as Ollama's Go client would send it: its struct's fields in order, Go's zero values
/// for the fields it always writes, Go's escaping.
///
/// # Errors
///
/// A [`serde_json::Error`] when a value cannot be written (a non-finite number in `options`).
pub fn to_vec(request: &impl GoClientRequest) -> Result<Vec<u8>, serde_json::Error> {
    let mut out = Vec::new();
    request.write(&mut out)?;
    Ok(out)
}

fn write(value: &impl Serialize, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
    crate::Encoder::new().encode(value, out)
}

macro_rules! go_request {
    ($($ty:ty => $view:ident;)*) => {$(
        impl sealed::Sealed for $ty {}
        impl GoClientRequest for $ty {
            fn write(&self, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
                write(&$view::from(self), out)
            }
        }
    )*};
}

go_request! {
    GenerateRequest => GoGenerate;
    ChatRequest => GoChat;
    EmbedRequest => GoEmbed;
    EmbeddingRequest => GoEmbedding;
    ShowRequest => GoShow;
    TransferRequest => GoTransfer;
    CopyRequest => GoCopy;
    DeleteRequest => GoDelete;
    CreateRequest => GoCreate;
}

/// Go's `omitempty` on a slice: absent or empty is left out.
fn non_empty<T>(list: Option<&Vec<T>>) -> Option<&[T]> {
    list.map(Vec::as_slice).filter(|l| !l.is_empty())
}

fn non_empty_str(text: Option<&String>) -> Option<&str> {
    text.map(String::as_str).filter(|t| !t.is_empty())
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The fields [`GenerateRequest`] and [`ChatRequest`] end with, in Go's order, written inline
/// (`flatten`) at the end of either.
#[serde_with::skip_serializing_none]
#[derive(Serialize)]
struct GoGeneration<'a> {
    #[serialize_always]
    options: Option<&'a Map<String, Value>>,
    think: Option<&'a Think>,
    truncate: Option<bool>,
    shift: Option<bool>,
    #[serde(skip_serializing_if = "is_false")]
    logprobs: bool,
    top_logprobs: Option<u8>,
}

/// The [`GoGeneration`] of a [`GenerateRequest`] or [`ChatRequest`] (the same field names).
macro_rules! generation_of {
    ($r:ident) => {
        GoGeneration {
            options: $r.options.as_ref(),
            think: $r.think.as_ref(),
            truncate: $r.truncate,
            shift: $r.shift,
            logprobs: $r.logprobs,
            top_logprobs: $r.top_logprobs.filter(|n| *n > 0),
        }
    };
}

#[serde_with::skip_serializing_none]
#[derive(Serialize)]
struct GoGenerate<'a> {
    model: &'a str,
    prompt: &'a str,
    suffix: &'a str,
    system: &'a str,
    template: &'a str,
    context: Option<&'a [i64]>,
    stream: Option<bool>,
    #[serde(skip_serializing_if = "is_false")]
    raw: bool,
    format: Option<&'a Format>,
    keep_alive: Option<GoDuration<'a>>,
    images: Option<&'a [String]>,
    #[serde(flatten)]
    generation: GoGeneration<'a>,
}

impl<'a> From<&'a GenerateRequest> for GoGenerate<'a> {
    fn from(r: &'a GenerateRequest) -> Self {
        Self {
            model: &r.model,
            prompt: &r.prompt,
            suffix: r.suffix.as_deref().unwrap_or(""),
            system: r.system.as_deref().unwrap_or(""),
            template: r.template.as_deref().unwrap_or(""),
            context: non_empty(r.context.as_ref()),
            stream: r.stream,
            raw: r.raw,
            format: r.format.as_ref(),
            keep_alive: r.keep_alive.as_ref().map(GoDuration),
            images: non_empty(r.images.as_ref()),
            generation: generation_of!(r),
        }
    }
}

#[serde_with::skip_serializing_none]
#[derive(Serialize)]
struct GoChat<'a> {
    model: &'a str,
    messages: Vec<GoMessage<'a>>,
    stream: Option<bool>,
    format: Option<&'a Format>,
    keep_alive: Option<GoDuration<'a>>,
    tools: Option<&'a [Tool]>,
    #[serde(flatten)]
    generation: GoGeneration<'a>,
}

impl<'a> From<&'a ChatRequest> for GoChat<'a> {
    fn from(r: &'a ChatRequest) -> Self {
        Self {
            model: &r.model,
            messages: r.messages.iter().map(GoMessage::from).collect(),
            stream: r.stream,
            format: r.format.as_ref(),
            keep_alive: r.keep_alive.as_ref().map(GoDuration),
            tools: non_empty(r.tools.as_ref()),
            generation: generation_of!(r),
        }
    }
}

#[serde_with::skip_serializing_none]
#[derive(Serialize)]
struct GoMessage<'a> {
    role: &'a str,
    content: &'a str,
    thinking: Option<&'a str>,
    images: Option<&'a [String]>,
    tool_calls: Option<Vec<GoToolCall<'a>>>,
    tool_name: Option<&'a str>,
    tool_call_id: Option<&'a str>,
}

impl<'a> From<&'a Message> for GoMessage<'a> {
    fn from(m: &'a Message) -> Self {
        Self {
            role: &m.role,
            content: &m.content,
            thinking: non_empty_str(m.thinking.as_ref()),
            images: non_empty(m.images.as_ref()),
            tool_calls: non_empty(m.tool_calls.as_ref())
                .map(|calls| calls.iter().map(GoToolCall::from).collect()),
            tool_name: non_empty_str(m.tool_name.as_ref()),
            tool_call_id: non_empty_str(m.tool_call_id.as_ref()),
        }
    }
}

#[serde_with::skip_serializing_none]
#[derive(Serialize)]
struct GoToolCall<'a> {
    id: Option<&'a str>,
    function: GoToolCallFunction<'a>,
}

#[derive(Serialize)]
struct GoToolCallFunction<'a> {
    index: u32,
    name: &'a str,
    arguments: &'a ToolCallFunctionArguments,
}

impl<'a> From<&'a ToolCall> for GoToolCall<'a> {
    fn from(call: &'a ToolCall) -> Self {
        Self {
            id: non_empty_str(call.id.as_ref()),
            function: GoToolCallFunction {
                index: call.function.index.unwrap_or(0),
                name: &call.function.name,
                arguments: &call.function.arguments,
            },
        }
    }
}

#[serde_with::skip_serializing_none]
#[derive(Serialize)]
struct GoEmbed<'a> {
    model: &'a str,
    input: &'a EmbedInput,
    keep_alive: Option<GoDuration<'a>>,
    truncate: Option<bool>,
    dimensions: Option<u32>,
    #[serialize_always]
    options: Option<&'a Map<String, Value>>,
}

impl<'a> From<&'a EmbedRequest> for GoEmbed<'a> {
    fn from(r: &'a EmbedRequest) -> Self {
        Self {
            model: &r.model,
            input: &r.input,
            keep_alive: r.keep_alive.as_ref().map(GoDuration),
            truncate: r.truncate,
            dimensions: r.dimensions.filter(|d| *d > 0),
            options: r.options.as_ref(),
        }
    }
}

#[serde_with::skip_serializing_none]
#[derive(Serialize)]
struct GoEmbedding<'a> {
    model: &'a str,
    prompt: &'a str,
    keep_alive: Option<GoDuration<'a>>,
    #[serialize_always]
    options: Option<&'a Map<String, Value>>,
}

impl<'a> From<&'a EmbeddingRequest> for GoEmbedding<'a> {
    fn from(r: &'a EmbeddingRequest) -> Self {
        Self {
            model: &r.model,
            prompt: &r.prompt,
            keep_alive: r.keep_alive.as_ref().map(GoDuration),
            options: r.options.as_ref(),
        }
    }
}

#[derive(Serialize)]
struct GoShow<'a> {
    model: &'a str,
    system: &'a str,
    template: &'a str,
    verbose: bool,
    options: Option<&'a Map<String, Value>>,
    name: &'a str,
}

impl<'a> From<&'a ShowRequest> for GoShow<'a> {
    fn from(r: &'a ShowRequest) -> Self {
        Self {
            model: &r.model,
            system: r.system.as_deref().unwrap_or(""),
            template: "",
            verbose: r.verbose,
            options: r.options.as_ref(),
            name: "",
        }
    }
}

#[serde_with::skip_serializing_none]
#[derive(Serialize)]
struct GoTransfer<'a> {
    model: &'a str,
    #[serde(skip_serializing_if = "is_false")]
    insecure: bool,
    username: &'a str,
    password: &'a str,
    stream: Option<bool>,
    name: &'a str,
}

impl<'a> From<&'a TransferRequest> for GoTransfer<'a> {
    fn from(r: &'a TransferRequest) -> Self {
        Self {
            model: &r.model,
            insecure: r.insecure,
            username: "",
            password: "",
            stream: r.stream,
            name: "",
        }
    }
}

#[derive(Serialize)]
struct GoCopy<'a> {
    source: &'a str,
    destination: &'a str,
}

impl<'a> From<&'a CopyRequest> for GoCopy<'a> {
    fn from(r: &'a CopyRequest) -> Self {
        Self {
            source: &r.source,
            destination: &r.destination,
        }
    }
}

#[derive(Serialize)]
struct GoDelete<'a> {
    model: &'a str,
    name: &'a str,
}

impl<'a> From<&'a DeleteRequest> for GoDelete<'a> {
    fn from(r: &'a DeleteRequest) -> Self {
        Self {
            model: &r.model,
            name: "",
        }
    }
}

#[serde_with::skip_serializing_none]
#[derive(Serialize)]
struct GoCreate<'a> {
    model: &'a str,
    stream: Option<bool>,
    quantize: Option<&'a str>,
    from: Option<&'a str>,
    remote_host: Option<&'a str>,
    files: Option<&'a BTreeMap<String, String>>,
    adapters: Option<&'a BTreeMap<String, String>>,
    template: Option<&'a str>,
    license: Option<&'a Value>,
    system: Option<&'a str>,
    parameters: Option<&'a Map<String, Value>>,
    messages: Option<Vec<GoMessage<'a>>>,
    renderer: Option<&'a str>,
    parser: Option<&'a str>,
    requires: Option<&'a str>,
    name: &'a str,
}

impl<'a> From<&'a CreateRequest> for GoCreate<'a> {
    fn from(r: &'a CreateRequest) -> Self {
        Self {
            model: &r.model,
            stream: r.stream,
            quantize: non_empty_str(r.quantize.as_ref()),
            from: non_empty_str(r.from.as_ref()),
            remote_host: non_empty_str(r.remote_host.as_ref()),
            files: r.files.as_ref().filter(|f| !f.is_empty()),
            adapters: r.adapters.as_ref().filter(|a| !a.is_empty()),
            template: non_empty_str(r.template.as_ref()),
            license: r.license.as_ref().filter(|l| !l.is_null()),
            system: non_empty_str(r.system.as_ref()),
            parameters: r.parameters.as_ref().filter(|p| !p.is_empty()),
            messages: non_empty(r.messages.as_ref())
                .map(|messages| messages.iter().map(GoMessage::from).collect()),
            renderer: non_empty_str(r.renderer.as_ref()),
            parser: non_empty_str(r.parser.as_ref()),
            requires: non_empty_str(r.requires.as_ref()),
            name: "",
        }
    }
}

/// `keep_alive` as Go's `api.Duration` marshals it: `-1` when negative, else the duration's
/// `String()` (`"5m0s"`, `"1h0m0s"`, `"1.5s"`, `"0s"`). A duration string that does not parse
/// as a Go duration is written as given.
struct GoDuration<'a>(&'a KeepAlive);

impl Serialize for GoDuration<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let nanos = match self.0 {
            KeepAlive::Seconds(n) => n.as_f64().map(|secs| secs * 1e9),
            KeepAlive::Duration(text) => parse_go_duration(text),
        };
        match nanos {
            Some(n) if n < 0.0 => s.serialize_i64(-1),
            Some(n) => s.serialize_str(&format_go_duration(n.round() as u128)),
            None => self.0.serialize(s),
        }
    }
}

/// Go's `time.ParseDuration`: an optional sign, then decimal numbers each with a unit (`ns`,
/// `us`, `µs`, `ms`, `s`, `m`, `h`); `"0"` alone is zero. Nanoseconds, or `None`.
pub(crate) fn parse_go_duration(text: &str) -> Option<f64> {
    let (sign, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (-1.0, text.get(1..)?),
        Some(b'+') => (1.0, text.get(1..)?),
        _ => (1.0, text),
    };
    if rest == "0" {
        return Some(0.0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total = 0.0;
    while !rest.is_empty() {
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, tail) = rest.split_at(number_len);
        // An empty number and a lone "." do not parse either.
        let value: f64 = number.parse().ok()?;
        let unit_len = tail
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(unit_len);
        let scale = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        total += value * scale;
        rest = tail;
    }
    Some(sign * total)
}

/// Go's `time.Duration.String()` of a non-negative duration in nanoseconds.
pub(crate) fn format_go_duration(nanos: u128) -> String {
    const SECOND: u128 = 1_000_000_000;
    if nanos == 0 {
        return "0s".to_owned();
    }
    if nanos < SECOND {
        let (unit_nanos, unit) = match nanos {
            n if n < 1_000 => (1, "ns"),
            n if n < 1_000_000 => (1_000, "µs"),
            _ => (1_000_000, "ms"),
        };
        return format!("{}{unit}", decimal(nanos, unit_nanos));
    }
    let hours = nanos / (3600 * SECOND);
    let minutes = (nanos / (60 * SECOND)) % 60;
    let seconds = decimal(nanos % (60 * SECOND), SECOND);
    match (hours, minutes) {
        (0, 0) => format!("{seconds}s"),
        (0, m) => format!("{m}m{seconds}s"),
        (h, m) => format!("{h}h{m}m{seconds}s"),
    }
}

/// `value / unit` in decimal, the fraction without trailing zeros.
fn decimal(value: u128, unit: u128) -> String {
    let whole = value / unit;
    let fraction = value % unit;
    if fraction == 0 {
        return whole.to_string();
    }
    let width = unit.to_string().len() - 1;
    let digits = format!("{fraction:0width$}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations_print_as_go_prints_them() {
        for (nanos, text) in [
            (0, "0s"),
            (1, "1ns"),
            (1_500, "1.5µs"),
            (2_000_000, "2ms"),
            (1_500_000_000, "1.5s"),
            (60_000_000_000, "1m0s"),
            (300_000_000_000, "5m0s"),
            (90_000_000_000, "1m30s"),
            (3_600_000_000_000, "1h0m0s"),
            (4_530_918_273_645, "1h15m30.918273645s"),
        ] {
            assert_eq!(format_go_duration(nanos), text, "{nanos}");
        }
    }

    #[test]
    fn go_durations_parse_as_go_parses_them() {
        for (text, nanos) in [
            ("0", Some(0.0)),
            ("5m", Some(300e9)),
            ("-1m", Some(-60e9)),
            ("+2s", Some(2e9)),
            ("1h30m", Some(5400e9)),
            ("1.5h", Some(5400e9)),
            ("300ms", Some(3e8)),
            ("2us", Some(2e3)),
            ("3µs", Some(3e3)),
            ("7ns", Some(7.0)),
            ("", None),
            ("-", None),
            ("5", None),
            ("m", None),
            (".s", None),
            ("5x", None),
            ("1h 5m", None),
        ] {
            assert_eq!(parse_go_duration(text), nanos, "{text:?}");
        }
    }
}
