//! Which message stream a body is: the six streams of Ollama's four wires, named, found by
//! route or sniffed from their first bytes, and (with every wire feature) decoded by one
//! decoder that dispatches to the wire crate's.

use serde_json::Value;

#[cfg(all(feature = "ollama", feature = "openai", feature = "anthropic"))]
use crate::{Input, WireDecoder, WireError};

/// One of the message streams Ollama serves: the two native NDJSON routes and the four SSE
/// ones.
///
/// Every wire crate decodes one or more of these; the relay repairs each; the conformance
/// harness and the fuzz targets read a body as the one [`Wire::sniff`] says it is. The enum is
/// exhaustive on purpose: a new stream is a change every `match` on it must answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Wire {
    /// Ollama's native `/api/chat` NDJSON.
    Ollama,
    /// Ollama's native `/api/generate` NDJSON.
    OllamaGenerate,
    /// OpenAI `/v1/chat/completions` chunk SSE.
    OpenAi,
    /// OpenAI `/v1/completions` `text_completion` SSE.
    Completions,
    /// OpenAI `/v1/responses` event SSE.
    Responses,
    /// Anthropic `/v1/messages` event SSE.
    Anthropic,
}

/// The Anthropic Messages stream's event types.
const ANTHROPIC_EVENTS: [&str; 7] = [
    "message_start",
    "content_block_start",
    "content_block_delta",
    "content_block_stop",
    "message_delta",
    "message_stop",
    "ping",
];

/// The field names an SSE body can start with (`:` opens a comment).
const SSE_PREFIXES: [&[u8]; 5] = [b"data:", b"event:", b"id:", b"retry:", b":"];

impl Wire {
    /// Every stream, in declaration order.
    pub const ALL: [Self; 6] = [
        Self::Ollama,
        Self::OllamaGenerate,
        Self::OpenAi,
        Self::Completions,
        Self::Responses,
        Self::Anthropic,
    ];

    /// A short name: `ollama`, `ollama-generate`, `openai`, `completions`, `responses`,
    /// `anthropic`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ollama => "ollama",
            Self::OllamaGenerate => "ollama-generate",
            Self::OpenAi => "openai",
            Self::Completions => "completions",
            Self::Responses => "responses",
            Self::Anthropic => "anthropic",
        }
    }

    /// The route that streams it: `/api/chat`, `/api/generate`, `/v1/chat/completions`,
    /// `/v1/completions`, `/v1/responses`, `/v1/messages`.
    pub fn route(self) -> &'static str {
        match self {
            Self::Ollama => "/api/chat",
            Self::OllamaGenerate => "/api/generate",
            Self::OpenAi => "/v1/chat/completions",
            Self::Completions => "/v1/completions",
            Self::Responses => "/v1/responses",
            Self::Anthropic => "/v1/messages",
        }
    }

    /// The stream a route serves (the path exactly, without a query), `None` for a route
    /// that streams no message.
    ///
    /// ```
    /// use ollama_stream_merge::Wire;
    ///
    /// assert_eq!(Wire::for_route("/v1/messages"), Some(Wire::Anthropic));
    /// assert_eq!(Wire::for_route("/api/tags"), None);
    /// ```
    pub fn for_route(path: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|wire| wire.route() == path)
    }

    /// Whether the stream is NDJSON (Ollama's native routes) rather than SSE.
    pub fn is_ndjson(self) -> bool {
        matches!(self, Self::Ollama | Self::OllamaGenerate)
    }

    /// The stream's media type: `application/x-ndjson` or `text/event-stream`.
    pub fn stream_content_type(self) -> &'static str {
        if self.is_ndjson() {
            "application/x-ndjson"
        } else {
            "text/event-stream"
        }
    }

    /// Whether a response `Content-Type` is this stream's media type (parameters and case
    /// aside). Anything else (a JSON body, an error page) is not this stream.
    ///
    /// ```
    /// use ollama_stream_merge::Wire;
    ///
    /// assert!(Wire::Anthropic.is_stream_content_type("Text/Event-Stream; charset=utf-8"));
    /// assert!(!Wire::Ollama.is_stream_content_type("application/json"));
    /// ```
    pub fn is_stream_content_type(self, content_type: &str) -> bool {
        let essence = content_type.split(';').next().unwrap_or_default().trim();
        essence.eq_ignore_ascii_case(self.stream_content_type())
    }

    /// The stream a body is, read from its first bytes (a UTF-8 byte order mark and leading
    /// white space aside).
    ///
    /// - An event stream (the body starts with an SSE field or comment) is told by its first
    ///   event's type, its `event:` field or else its data's `type`: `response.…` is
    ///   [`Responses`](Self::Responses), one of Anthropic's event types
    ///   [`Anthropic`](Self::Anthropic); otherwise a first data object saying
    ///   `"object":"text_completion"` is [`Completions`](Self::Completions), and anything else
    ///   [`OpenAi`](Self::OpenAi) chat completions.
    /// - Anything else is NDJSON: [`OllamaGenerate`](Self::OllamaGenerate) when its first
    ///   line is an object with a `response` key, else [`Ollama`](Self::Ollama) chat.
    ///
    /// A body that is none of these still gets an answer (the last of each list), so that its
    /// decoder can say what is wrong with it.
    ///
    /// ```
    /// use ollama_stream_merge::Wire;
    ///
    /// assert_eq!(Wire::sniff(b"event: message_start\ndata: {}\n\n"), Wire::Anthropic);
    /// assert_eq!(Wire::sniff(b"data: {\"type\":\"response.created\"}\n\n"), Wire::Responses);
    /// assert_eq!(Wire::sniff(b"data: {\"object\":\"text_completion\"}\n\n"), Wire::Completions);
    /// assert_eq!(Wire::sniff(b"data: {\"object\":\"chat.completion.chunk\"}\n\n"), Wire::OpenAi);
    /// assert_eq!(Wire::sniff(b"{\"model\":\"m\",\"response\":\"Hi\",\"done\":false}\n"), Wire::OllamaGenerate);
    /// assert_eq!(Wire::sniff(b"{\"model\":\"m\",\"message\":{},\"done\":false}\n"), Wire::Ollama);
    /// ```
    pub fn sniff(body: &[u8]) -> Self {
        let text = body
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(body)
            .trim_ascii_start();
        if SSE_PREFIXES.iter().any(|p| text.starts_with(p)) {
            let Some((kind, data)) = first_event(text) else {
                return Self::OpenAi;
            };
            return match kind.as_deref() {
                Some(t) if t.starts_with("response.") => Self::Responses,
                Some(t) if ANTHROPIC_EVENTS.contains(&t) => Self::Anthropic,
                _ if str_field(data.as_ref(), "object") == Some("text_completion") => {
                    Self::Completions
                }
                _ => Self::OpenAi,
            };
        }
        let first_line = text
            .split(|b| *b == b'\n')
            .find(|l| !l.trim_ascii().is_empty())
            .unwrap_or_default();
        match serde_json::from_slice::<Value>(first_line) {
            Ok(Value::Object(o)) if o.contains_key("response") => Self::OllamaGenerate,
            _ => Self::Ollama,
        }
    }
}

/// Any of the six streams' decoders behind one type: the wire crate's decoder for a
/// [`Wire`], its items already the merger's [`Input`] (features `ollama`, `openai` and
/// `anthropic`).
///
/// For code that reads a body of whichever wire it is, with [`Wire::sniff`] or
/// [`Wire::for_route`], through one join:
///
/// ```
/// use ollama_stream_merge::{Event, Wire, WireStreamDecoder, merge_body};
///
/// let body = b"event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":1,\"output_tokens\":0}}}\n\n";
/// let decoder = WireStreamDecoder::new(Wire::sniff(body));
/// assert_eq!(decoder.wire(), Wire::Anthropic);
/// let events = merge_body(decoder, body, Default::default());
/// // No `message_stop`: the stream was cut, and the merge says so.
/// assert!(matches!(events.last(), Some(Event::Finish(_))));
/// ```
#[cfg(all(feature = "ollama", feature = "openai", feature = "anthropic"))]
#[cfg_attr(
    docsrs,
    doc(cfg(all(feature = "ollama", feature = "openai", feature = "anthropic")))
)]
#[derive(Debug)]
pub struct WireStreamDecoder {
    inner: AnyDecoder,
}

#[cfg(all(feature = "ollama", feature = "openai", feature = "anthropic"))]
#[derive(Debug)]
enum AnyDecoder {
    Ollama(ollama_wire::ChatStreamDecoder),
    OllamaGenerate(ollama_wire::GenerateStreamDecoder),
    OpenAi(openai_wire::chunks::ChatStreamDecoder),
    Completions(openai_wire::chunks::StreamDecoder<openai_wire::completions::CompletionChunk>),
    Responses(openai_wire::responses::ResponsesStreamDecoder),
    Anthropic(anthropic_wire::events::StreamDecoder),
}

/// `$body` with `$d` bound to the decoder inside `$any`, whichever it is.
#[cfg(all(feature = "ollama", feature = "openai", feature = "anthropic"))]
macro_rules! each_decoder {
    ($any:expr, $d:ident => $body:expr) => {
        match $any {
            AnyDecoder::Ollama($d) => $body,
            AnyDecoder::OllamaGenerate($d) => $body,
            AnyDecoder::OpenAi($d) => $body,
            AnyDecoder::Completions($d) => $body,
            AnyDecoder::Responses($d) => $body,
            AnyDecoder::Anthropic($d) => $body,
        }
    };
}

#[cfg(all(feature = "ollama", feature = "openai", feature = "anthropic"))]
impl WireStreamDecoder {
    /// The decoder of `wire`, with the wire crate's default limits.
    pub fn new(wire: Wire) -> Self {
        let inner = match wire {
            Wire::Ollama => AnyDecoder::Ollama(ollama_wire::ChatStreamDecoder::new()),
            Wire::OllamaGenerate => {
                AnyDecoder::OllamaGenerate(ollama_wire::GenerateStreamDecoder::new())
            }
            Wire::OpenAi => AnyDecoder::OpenAi(openai_wire::chunks::ChatStreamDecoder::new()),
            Wire::Completions => AnyDecoder::Completions(openai_wire::chunks::StreamDecoder::new()),
            Wire::Responses => {
                AnyDecoder::Responses(openai_wire::responses::ResponsesStreamDecoder::new())
            }
            Wire::Anthropic => AnyDecoder::Anthropic(anthropic_wire::events::StreamDecoder::new()),
        };
        Self { inner }
    }

    /// The wire it decodes.
    pub fn wire(&self) -> Wire {
        match self.inner {
            AnyDecoder::Ollama(_) => Wire::Ollama,
            AnyDecoder::OllamaGenerate(_) => Wire::OllamaGenerate,
            AnyDecoder::OpenAi(_) => Wire::OpenAi,
            AnyDecoder::Completions(_) => Wire::Completions,
            AnyDecoder::Responses(_) => Wire::Responses,
            AnyDecoder::Anthropic(_) => Wire::Anthropic,
        }
    }
}

#[cfg(all(feature = "ollama", feature = "openai", feature = "anthropic"))]
impl Iterator for WireStreamDecoder {
    /// Every item, a decode error too, is already what the merger takes.
    type Item = Result<Input, WireError>;

    fn next(&mut self) -> Option<Self::Item> {
        each_decoder!(&mut self.inner, d => d.next().map(|item| Ok(input_of(d, item))))
    }
}

/// `item` of decoder `D` as the merger takes it.
#[cfg(all(feature = "ollama", feature = "openai", feature = "anthropic"))]
fn input_of<D: WireDecoder>(_: &D, item: D::Item) -> Input {
    D::input(item)
}

#[cfg(all(feature = "ollama", feature = "openai", feature = "anthropic"))]
impl wire_core::PushDecoder for WireStreamDecoder {
    type Output = Input;
    /// The wire crate's verdict, as the merger reports it.
    type Error = WireError;

    fn push(&mut self, bytes: &[u8]) {
        each_decoder!(&mut self.inner, d => wire_core::PushDecoder::push(d, bytes));
    }

    /// The wire crate's verdict: `Ok` after the protocol's terminator, else the cut, as every
    /// wire's verdict converts into [`Input::End`].
    fn finish(&mut self) -> Result<(), WireError> {
        each_decoder!(&mut self.inner, d => wire_core::PushDecoder::finish(d).map_err(|e| WireError::of(&e)))
    }

    fn abandon(&mut self) {
        each_decoder!(&mut self.inner, d => wire_core::PushDecoder::abandon(d));
    }
}

#[cfg(all(feature = "ollama", feature = "openai", feature = "anthropic"))]
impl WireDecoder for WireStreamDecoder {
    fn input(item: Self::Item) -> Input {
        item.unwrap_or_else(|verdict| Input::End(Some(verdict)))
    }

    fn finish_input(&mut self) -> Input {
        Input::End(wire_core::PushDecoder::finish(self).err())
    }
}

impl std::fmt::Display for Wire {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An event stream's first event: its type (the `event:` field, else the data's `type`) and
/// its data, parsed when it is JSON.
fn first_event(text: &[u8]) -> Option<(Option<String>, Option<Value>)> {
    let mut decoder = sse_wire::SseDecoder::new();
    decoder.push(text);
    decoder.push(b"\n\n"); // dispatch a first event cut before its blank line
    let event = decoder.find_map(|frame| match frame {
        Ok(sse_wire::Frame::Event(event)) => Some(event),
        _ => None,
    })?;
    let data = serde_json::from_str::<Value>(&event.data).ok();
    let kind = event
        .event
        .or_else(|| str_field(data.as_ref(), "type").map(str::to_owned));
    Some((kind, data))
}

fn str_field<'a>(value: Option<&'a Value>, key: &str) -> Option<&'a str> {
    value?.get(key)?.as_str()
}
