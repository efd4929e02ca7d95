//! The sans-IO core: one upstream stream in, the same wire out, well-formed.
//!
//! ```text
//!  upstream bytes ──push()──▶ wire decoder ──items──▶ Merger ──events──▶ wire encoder ──▶ bytes out
//!                              │ first item: id, model, fingerprint ─────────▲
//!  end of body ───finish()──▶ verdict ──▶ (one Finish)
//!  transport fault ─fail()──▶ a cut with the relay's reason
//! ```
//!
//! The join is stream-merge's own (`MergeDecoder::push_with`): each decoded item is shown to
//! the encoder before it reaches the merger
//! (`OpenAiEncoder::for_source` / `observe_source`, `ResponsesEventEncoder::for_source` on
//! `response.created`, `AnthropicEncoder::for_source` on `message_start`, Ollama's model and
//! `created_at`), so the re-encoded stream keeps the upstream's identity.
//!
//! The encoders of `ollama-stream-merge` write nothing for a cut stream ("nothing is
//! invented"). A relay must end every stream it hands out, so the [`Repairer`] turns the
//! merger's [`MergeError::Truncated`] into an upstream error event for the encoder — the wire's
//! own in-stream error shape: an `{"error":…}` NDJSON line, an OpenAI `{"error":{…}}` event, a
//! Responses `response.failed`, an Anthropic `error` event — and, where the wire has a
//! terminator after an error, writes it (`data: [DONE]` for chat completions).

use ollama_stream_merge::to_anthropic::AnthropicEncoder;
use ollama_stream_merge::to_ollama::OllamaEncoder;
use ollama_stream_merge::to_openai::{CompletionEncoder, OpenAiEncoder};
use ollama_stream_merge::to_responses::ResponsesEventEncoder;
use ollama_stream_merge::{
    BlockOutcome, CallErrorKind, Event, FinishReason, Input, MergeDecoder, MergeError, Step,
    UpstreamError, WireDecoder,
};

/// The streams the relay repairs: the four streaming wires, and the two text-generation
/// routes (one type with `stream-merge`, which names them).
pub use ollama_stream_merge::Wire;

/// What a stream is written with when the upstream never said (a stream whose first item is
/// an error or garbage): the request's model and the relay's clock.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fallback {
    /// The request's `model`, if it had one.
    pub model: String,
    /// Unix seconds (the relay's clock at the request).
    pub created: i64,
}

impl Fallback {
    /// A fallback with this model and time.
    pub fn new(model: impl Into<String>, created: i64) -> Self {
        Self {
            model: model.into(),
            created,
        }
    }
}

/// Counters of one repaired stream, for the request's log line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    /// Merged events.
    pub events: u64,
    /// Protocol violations repaired (`Input::Violation`, e.g. ollama/ollama#17101: a thinking
    /// block started over an open text block), each an `Event::Error { MergeError::Wire }`.
    pub repairs: u64,
    /// Other faults of the bytes the reply survived (a malformed line, a limit, data after
    /// the end, a cut after the finish signal): dropped, the stream goes on.
    pub faults: u64,
    /// Errors the upstream reported in the stream.
    pub upstream_errors: u64,
    /// Events an encoder refused (never expected; counted rather than hidden).
    pub encode_errors: u64,
    /// Why the stream was cut before its finish signal, if it was.
    pub cut: Option<String>,
    /// The finish reason written (`None` until the end).
    pub finish: Option<FinishReason>,
}

/// One upstream stream of `wire`, repaired: push upstream body bytes in any split, get the
/// client's bytes back; [`finish`](Self::finish) at the end of the body,
/// [`fail`](Self::fail) when the transport failed. The output is the same for every split of
/// the same input.
///
/// [`Repairer::translate`] is the same join with the decoder of the upstream's wire and the
/// encoder of the client's: *translate* mode.
///
/// ```
/// use ollama_relay::{Fallback, Repairer, Wire};
///
/// let mut repairer = Repairer::new(Wire::Ollama, Fallback::new("qwen3", 0));
/// let mut out = repairer.push(
///     br#"{"model":"qwen3","created_at":"2026-01-10T16:55:30Z","message":{"role":"assistant","content":"Hi","thinking":"Hmm."},"done":false}
/// "#,
/// );
/// // The connection breaks before `done: true`: the client gets an error line.
/// out.extend(repairer.fail("connection reset"));
/// let text = String::from_utf8(out).unwrap();
/// let lines: Vec<&str> = text.lines().collect();
/// assert!(lines[0].contains(r#""thinking":"Hmm.""#)); // reasoning first, on its own line
/// assert!(lines[1].contains(r#""content":"Hi""#));
/// assert!(lines[2].starts_with(r#"{"error":"#) && lines[2].contains("connection reset"));
/// assert!(repairer.is_ended());
/// ```
#[derive(Debug)]
pub struct Repairer {
    inner: Box<dyn Pipe>,
}

/// What the client reads in translate mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    /// The client's stream; `include_usage`: an OpenAI chat-completions client asked for the
    /// usage chunk.
    Stream {
        /// Write the usage chunk (`/v1/chat/completions` only).
        include_usage: bool,
    },
    /// One JSON body, the client's non-stream reply, built from the merged stream at its
    /// finish; a stream that fails instead gives the client wire's error body.
    Whole,
}

impl Repairer {
    /// A repairer for one stream of `wire`.
    pub fn new(wire: Wire, fallback: Fallback) -> Self {
        let inner: Box<dyn Pipe> = match wire {
            Wire::Ollama => Box::new(Join::new(
                ollama_wire::ChatStreamDecoder::new(),
                Codec::ollama(fallback),
            )),
            Wire::OllamaGenerate => Box::new(Join::new(
                ollama_wire::GenerateStreamDecoder::new(),
                Codec::generate(fallback),
            )),
            Wire::Completions => Box::new(Join::new(
                CompletionsDecoder::new(),
                Codec::completions(fallback),
            )),
            Wire::OpenAi => Box::new(Join::new(
                openai_wire::chunks::ChatStreamDecoder::new(),
                Codec::openai(fallback),
            )),
            Wire::Responses => Box::new(Join::new(
                openai_wire::responses::ResponsesStreamDecoder::new(),
                Codec::responses(fallback),
            )),
            Wire::Anthropic => Box::new(Join::new(
                anthropic_wire::events::StreamDecoder::new(),
                Codec::anthropic(fallback),
            )),
        };
        Self { inner }
    }

    /// A translator for one stream of the `upstream` wire (its chat route), re-encoded for a
    /// `client` of another wire: the same join, decoder and encoder of different wires. The
    /// reply is written with the fallback's model (the client's) and time, and ids of the
    /// relay's own (`chatcmpl-relay-…`, `resp_relay…`, `msg_relay…`); the upstream's are of
    /// another wire.
    ///
    /// ```
    /// use ollama_relay::{Fallback, Repairer, Reply, UpstreamWire, Wire};
    ///
    /// let mut translator = Repairer::translate(
    ///     UpstreamWire::Ollama,
    ///     Wire::Anthropic,
    ///     Reply::Stream { include_usage: false },
    ///     Fallback::new("qwen3", 0),
    /// );
    /// let mut out = translator.push(br#"{"model":"qwen3","message":{"role":"assistant","content":"Hi"},"done":true,"done_reason":"stop"}
    /// "#);
    /// out.extend(translator.finish());
    /// let text = String::from_utf8(out).unwrap();
    /// assert!(text.starts_with("event: message_start\n"));
    /// assert!(text.contains(r#""delta":{"type":"text_delta","text":"Hi"}"#));
    /// assert!(text.ends_with("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
    /// ```
    pub fn translate(
        upstream: crate::UpstreamWire,
        client: Wire,
        reply: Reply,
        fallback: Fallback,
    ) -> Self {
        let inner = match upstream {
            crate::UpstreamWire::Ollama => translated(
                ollama_wire::ChatStreamDecoder::new(),
                client,
                reply,
                fallback,
            ),
            crate::UpstreamWire::OpenAi => translated(
                openai_wire::chunks::ChatStreamDecoder::new(),
                client,
                reply,
                fallback,
            ),
        };
        Self { inner }
    }

    /// Decodes `bytes` (any split) and returns the client bytes ready now (often none: a
    /// partial line, or an event the merger holds back).
    pub fn push(&mut self, bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        self.inner.push(bytes, &mut out);
        out
    }

    /// The upstream body ended: the decoder's verdict ends the stream. A stream without its
    /// finish signal ends with the wire's error (and terminator). Calling it again, or after
    /// the end, returns nothing.
    pub fn finish(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        self.inner.finish(&mut out);
        out
    }

    /// The transport failed (a reset, an idle timeout, the relay shutting down): the stream is
    /// cut here, with `reason` in the client's error. Bytes held in the decoder (a partial
    /// line) are dropped. After the finish signal the reply was complete and ends cleanly.
    pub fn fail(&mut self, reason: &str) -> Vec<u8> {
        let mut out = Vec::new();
        self.inner.fail(reason, &mut out);
        out
    }

    /// Whether the output is over (the finish was written, or an error ended it); nothing
    /// more is read from the upstream.
    pub fn is_ended(&self) -> bool {
        self.inner.is_ended()
    }

    /// Whether an error ended the output (an upstream error, a cut): a whole reply is then the
    /// wire's error body.
    pub fn is_failed(&self) -> bool {
        self.inner.is_failed()
    }

    /// The counters so far.
    pub fn stats(&self) -> &Stats {
        self.inner.stats()
    }
}

/// The join of an `upstream` decoder and the `client`'s codec (which learns nothing from the
/// upstream's items: they are of another wire).
fn translated<D>(decoder: D, client: Wire, reply: Reply, fallback: Fallback) -> Box<dyn Pipe>
where
    D: WireDecoder + std::fmt::Debug + Send + 'static,
    D::Item: Into<Input>,
{
    let include_usage = match reply {
        Reply::Stream { include_usage } => include_usage,
        Reply::Whole => {
            return Box::new(Join::new(
                decoder,
                crate::whole::Whole::new(client, fallback),
            ));
        }
    };
    match client {
        Wire::Ollama => Box::new(Join::new(decoder, Blind(Codec::ollama(fallback)))),
        Wire::OllamaGenerate => Box::new(Join::new(decoder, Blind(Codec::generate(fallback)))),
        Wire::OpenAi => {
            let mut codec = Codec::openai(fallback);
            codec.encoder = Some((codec.fresh)(&codec.fallback).include_usage(include_usage));
            Box::new(Join::new(decoder, Blind(codec)))
        }
        Wire::Completions => Box::new(Join::new(decoder, Blind(Codec::completions(fallback)))),
        Wire::Responses => Box::new(Join::new(decoder, Blind(Codec::responses(fallback)))),
        Wire::Anthropic => Box::new(Join::new(decoder, Blind(Codec::anthropic(fallback)))),
    }
}

/// One running join, whatever its wires.
trait Pipe: std::fmt::Debug + Send {
    fn push(&mut self, bytes: &[u8], out: &mut Vec<u8>);
    fn finish(&mut self, out: &mut Vec<u8>);
    fn fail(&mut self, reason: &str, out: &mut Vec<u8>);
    fn is_ended(&self) -> bool;
    fn is_failed(&self) -> bool;
    fn stats(&self) -> &Stats;
}

impl<D, C> Pipe for Join<D, C>
where
    D: WireDecoder + std::fmt::Debug + Send,
    D::Item: Into<Input>,
    C: Output + Observe<D::Item> + std::fmt::Debug + Send,
{
    fn push(&mut self, bytes: &[u8], out: &mut Vec<u8>) {
        Self::push(self, bytes, out);
    }
    fn finish(&mut self, out: &mut Vec<u8>) {
        Self::finish(self, out);
    }
    fn fail(&mut self, reason: &str, out: &mut Vec<u8>) {
        Self::fail(self, reason, out);
    }
    fn is_ended(&self) -> bool {
        self.writer.drained || self.writer.failed
    }
    fn is_failed(&self) -> bool {
        self.writer.failed
    }
    fn stats(&self) -> &Stats {
        &self.writer.stats
    }
}

/// The output side of a wire: encoding merged events.
pub(crate) trait Output {
    /// Written after the encoder's error when an error ends the stream.
    const TERMINATOR: &'static [u8] = b"";
    /// Whether a tool call cut mid-arguments is left out rather than encoded (Ollama's encoder
    /// would write it as a "not a JSON object" error; the cut's own error follows instead).
    const SKIP_INCOMPLETE_CALL: bool = false;
    fn encode(&mut self, event: &Event, out: &mut Vec<u8>) -> Result<(), String>;
}

/// Learning the stream's identity from the decoded items of a wire.
pub(crate) trait Observe<Item> {
    fn observe(&mut self, item: &Item);
}

/// A codec that learns nothing from the items (they are of another wire).
#[derive(Debug)]
struct Blind<C>(C);

impl<C: Output> Output for Blind<C> {
    const TERMINATOR: &'static [u8] = C::TERMINATOR;
    const SKIP_INCOMPLETE_CALL: bool = C::SKIP_INCOMPLETE_CALL;
    fn encode(&mut self, event: &Event, out: &mut Vec<u8>) -> Result<(), String> {
        self.0.encode(event, out)
    }
}

impl<C, Item> Observe<Item> for Blind<C> {
    fn observe(&mut self, _: &Item) {}
}

/// One stream: stream-merge's join ([`MergeDecoder`], item by item) and the writer of this
/// wire's output.
#[derive(Debug)]
struct Join<D: WireDecoder, C> {
    join: MergeDecoder<D>,
    writer: Writer<C>,
}

/// The output side of a [`Join`]: the codec and what it has written.
#[derive(Debug)]
struct Writer<C> {
    codec: C,
    stats: Stats,
    /// Whether an error ended the output (it and the terminator are written).
    failed: bool,
    /// Whether the finish event went through (the stream's output is complete).
    drained: bool,
    /// After the merger's `Truncated` error: the events that follow it, held until the join
    /// can say why the stream was cut (the cut's words are known once the step returns).
    after_cut: Option<Vec<Event>>,
}

impl<D, C> Join<D, C>
where
    D: WireDecoder,
    C: Output + Observe<D::Item>,
{
    fn new(decoder: D, codec: C) -> Self {
        Self {
            join: MergeDecoder::new(decoder),
            writer: Writer {
                codec,
                stats: Stats::default(),
                failed: false,
                drained: false,
                after_cut: None,
            },
        }
    }

    /// Each decoded item is shown to the codec before it is merged, and its events are encoded
    /// before the next item is shown (so each event is written with what the source had said
    /// up to its own item, whatever the split).
    fn push(&mut self, bytes: &[u8], out: &mut Vec<u8>) {
        let writer = &mut self.writer;
        self.join.push_with(bytes, |step| writer.step(step, out));
        self.settle(out);
    }

    fn finish(&mut self, out: &mut Vec<u8>) {
        let writer = &mut self.writer;
        self.join.finish_with(|step| writer.step(step, out));
        self.settle(out);
    }

    fn fail(&mut self, reason: &str, out: &mut Vec<u8>) {
        self.join.fail(reason);
        let writer = &mut self.writer;
        self.join.push_with(b"", |step| writer.step(step, out));
        self.settle(out);
    }

    /// Copies the merger's counters, and writes a cut (with its reason) and what followed it.
    fn settle(&mut self, out: &mut Vec<u8>) {
        let merger = self.join.merger();
        let writer = &mut self.writer;
        writer.stats.repairs = merger.violations();
        writer.stats.faults = merger.wire_faults();
        if !merger.has_finish_signal() {
            if let Some(cut) = merger.cut() {
                writer.stats.cut = Some(cut.message.clone());
            }
        }
        if let Some(rest) = writer.after_cut.take() {
            let reason = writer
                .stats
                .cut
                .get_or_insert_with(|| "the stream ended without a finish signal".into());
            let message = format!("the upstream stream was cut: {reason}");
            writer.fail_with(&message, out);
            for event in rest {
                writer.event(event, out);
            }
        }
    }
}

impl<C: Output> Writer<C> {
    fn step<I>(&mut self, step: Step<'_, I>, out: &mut Vec<u8>)
    where
        C: Observe<I>,
    {
        match step {
            Step::Item(item) => self.codec.observe(item),
            Step::Event(event) => {
                self.stats.events += 1;
                if let Some(held) = &mut self.after_cut {
                    held.push(event);
                } else if matches!(
                    event,
                    Event::Error {
                        error: MergeError::Truncated
                    }
                ) {
                    self.after_cut = Some(Vec::new());
                } else {
                    self.event(event, out);
                }
            }
            _ => {}
        }
    }

    fn event(&mut self, event: Event, out: &mut Vec<u8>) {
        match &event {
            Event::Error {
                error: MergeError::Upstream(_),
            } => {
                self.stats.upstream_errors += 1;
                self.end_with_error(&event, out);
            }
            Event::BlockEnd {
                outcome: BlockOutcome::ToolCall(call),
                ..
            } if C::SKIP_INCOMPLETE_CALL
                && matches!(&call.arguments, Err(e) if e.kind == CallErrorKind::Incomplete) => {}
            Event::Finish(finish) => {
                self.stats.finish = Some(finish.reason);
                if finish.reason == FinishReason::Incomplete && !self.failed {
                    // The merger always reports Truncated first; kept for safety.
                    self.fail_with("the upstream stream was cut", out);
                }
                self.encode(&event, out);
                self.drained = true;
            }
            _ => self.encode(&event, out),
        }
    }

    /// Ends the output with the wire's in-stream error carrying `message`.
    fn fail_with(&mut self, message: &str, out: &mut Vec<u8>) {
        let event = Event::Error {
            error: MergeError::Upstream(UpstreamError::new(message)),
        };
        self.end_with_error(&event, out);
    }

    /// Encodes an upstream error event (the encoders end their output on it), then the wire's
    /// terminator.
    fn end_with_error(&mut self, event: &Event, out: &mut Vec<u8>) {
        if self.failed {
            return;
        }
        self.failed = true;
        self.encode(event, out);
        out.extend_from_slice(C::TERMINATOR);
    }

    fn encode(&mut self, event: &Event, out: &mut Vec<u8>) {
        if self.codec.encode(event, out).is_err() {
            self.stats.encode_errors += 1;
        }
    }
}

// ------------------------------------------------------------------ the four wires

/// A wire's output: its stream-merge encoder, made when the first upstream item names the
/// stream (id, model, time) or else, at the first event, from the fallback.
#[derive(Debug)]
struct Codec<E> {
    encoder: Option<E>,
    fallback: Fallback,
    /// Makes the encoder from the fallback alone (the upstream never named the stream).
    fresh: fn(&Fallback) -> E,
}

impl<E> Codec<E> {
    /// A codec with no encoder yet; `fresh` makes one from the fallback if it is needed.
    fn new(fallback: Fallback, fresh: fn(&Fallback) -> E) -> Self {
        Self {
            encoder: None,
            fallback,
            fresh,
        }
    }
}

impl<E: Output> Output for Codec<E> {
    const TERMINATOR: &'static [u8] = E::TERMINATOR;
    const SKIP_INCOMPLETE_CALL: bool = E::SKIP_INCOMPLETE_CALL;
    fn encode(&mut self, event: &Event, out: &mut Vec<u8>) -> Result<(), String> {
        self.encoder
            .get_or_insert_with(|| (self.fresh)(&self.fallback))
            .encode(event, out)
    }
}

impl Output for OllamaEncoder {
    const SKIP_INCOMPLETE_CALL: bool = true;
    fn encode(&mut self, event: &Event, out: &mut Vec<u8>) -> Result<(), String> {
        Self::encode(self, event, out).map_err(|e| e.to_string())
    }
}

impl Output for CompletionEncoder {
    const TERMINATOR: &'static [u8] = b"data: [DONE]\n\n";
    fn encode(&mut self, event: &Event, out: &mut Vec<u8>) -> Result<(), String> {
        Self::encode(self, event, out).map_err(|e| e.to_string())
    }
}

impl Output for OpenAiEncoder {
    const TERMINATOR: &'static [u8] = b"data: [DONE]\n\n";
    fn encode(&mut self, event: &Event, out: &mut Vec<u8>) -> Result<(), String> {
        Self::encode(self, event, out).map_err(|e| e.to_string())
    }
}

impl Output for ResponsesEventEncoder {
    fn encode(&mut self, event: &Event, out: &mut Vec<u8>) -> Result<(), String> {
        Self::encode(self, event, out).map_err(|e| e.to_string())
    }
}

impl Output for AnthropicEncoder {
    fn encode(&mut self, event: &Event, out: &mut Vec<u8>) -> Result<(), String> {
        Self::encode(self, event, out).map_err(|e| e.to_string())
    }
}

impl Codec<OllamaEncoder> {
    /// The `/api/chat` codec.
    fn ollama(fallback: Fallback) -> Self {
        Self::new(fallback, |f| {
            OllamaEncoder::new(f.model.clone(), rfc3339(f.created))
        })
    }

    /// The `/api/generate` codec.
    fn generate(fallback: Fallback) -> Self {
        Self::new(fallback, |f| {
            OllamaEncoder::generate(f.model.clone(), rfc3339(f.created))
        })
    }

    /// Learns an Ollama chunk's `created_at` (the fallback's time when it has none); the
    /// first chunk also gives the model, and the encoder is made with `make` (the route's
    /// constructor).
    fn observe_chunk(
        &mut self,
        model: &str,
        created_at: Option<&str>,
        make: fn(String, String) -> OllamaEncoder,
    ) {
        let created_at = created_at.map_or_else(|| rfc3339(self.fallback.created), str::to_owned);
        match &mut self.encoder {
            Some(encoder) => encoder.set_created_at(created_at),
            None => self.encoder = Some(make(model.to_owned(), created_at)),
        }
    }
}

impl Observe<Result<ollama_wire::ChatResponse, ollama_wire::DecodeError>> for Codec<OllamaEncoder> {
    fn observe(&mut self, item: &Result<ollama_wire::ChatResponse, ollama_wire::DecodeError>) {
        if let Ok(chunk) = item {
            self.observe_chunk(
                &chunk.model,
                chunk.created_at.as_deref(),
                OllamaEncoder::new,
            );
        }
    }
}

impl Observe<Result<ollama_wire::GenerateResponse, ollama_wire::DecodeError>>
    for Codec<OllamaEncoder>
{
    fn observe(&mut self, item: &Result<ollama_wire::GenerateResponse, ollama_wire::DecodeError>) {
        if let Ok(chunk) = item {
            self.observe_chunk(
                &chunk.model,
                chunk.created_at.as_deref(),
                OllamaEncoder::generate,
            );
        }
    }
}

/// The `/v1/completions` stream decoder.
type CompletionsDecoder =
    openai_wire::chunks::StreamDecoder<openai_wire::completions::CompletionChunk>;

/// A decoded item of an OpenAI chunk stream (`/v1/chat/completions`, `/v1/completions`).
type ChunkItem<T> = Result<openai_wire::chunks::StreamItem<T>, openai_wire::DecodeError>;

impl Codec<CompletionEncoder> {
    /// The `/v1/completions` codec.
    fn completions(fallback: Fallback) -> Self {
        Self::new(fallback, |f| {
            CompletionEncoder::new(
                format!("cmpl-relay-{}", f.created),
                f.created,
                f.model.clone(),
            )
        })
    }
}

impl Observe<ChunkItem<openai_wire::completions::CompletionChunk>> for Codec<CompletionEncoder> {
    fn observe(&mut self, item: &ChunkItem<openai_wire::completions::CompletionChunk>) {
        if let Ok(openai_wire::chunks::StreamItem::Chunk(chunk)) = item {
            if self.encoder.is_none() {
                self.encoder = Some(CompletionEncoder::for_source(chunk));
            }
        }
    }
}

impl Codec<OpenAiEncoder> {
    /// The `/v1/chat/completions` codec.
    fn openai(fallback: Fallback) -> Self {
        Self::new(fallback, |f| {
            OpenAiEncoder::new(
                format!("chatcmpl-relay-{}", f.created),
                f.created,
                f.model.clone(),
            )
        })
    }
}

impl Observe<ChunkItem<openai_wire::chat::ChatCompletionChunk>> for Codec<OpenAiEncoder> {
    fn observe(&mut self, item: &ChunkItem<openai_wire::chat::ChatCompletionChunk>) {
        let Ok(openai_wire::chunks::StreamItem::Chunk(chunk)) = item else {
            return;
        };
        match &mut self.encoder {
            Some(encoder) => encoder.observe_source(chunk),
            None => self.encoder = Some(OpenAiEncoder::for_source(chunk)),
        }
    }
}

impl Codec<ResponsesEventEncoder> {
    /// The `/v1/responses` codec.
    fn responses(fallback: Fallback) -> Self {
        Self::new(fallback, responses_encoder)
    }
}

/// The Responses encoder written with the fallback alone: the relay's id (`resp_relay…`), the
/// fallback's time and model.
pub(crate) fn responses_encoder(f: &Fallback) -> ResponsesEventEncoder {
    ResponsesEventEncoder::new(
        format!("resp_relay{}", f.created),
        f.created,
        f.model.clone(),
    )
}

impl Observe<Result<openai_wire::responses::ResponseStreamEvent, openai_wire::DecodeError>>
    for Codec<ResponsesEventEncoder>
{
    fn observe(
        &mut self,
        item: &Result<openai_wire::responses::ResponseStreamEvent, openai_wire::DecodeError>,
    ) {
        let event = match item {
            Ok(event) => event,
            // A violating event still names its item (kept by the repair).
            Err(openai_wire::DecodeError::Protocol(violation)) => &violation.event,
            Err(_) => return,
        };
        if let openai_wire::responses::ResponseStreamEvent::Created(created) = event {
            if self.encoder.is_none() {
                self.encoder = Some(ResponsesEventEncoder::for_source(&created.response));
            }
        }
        if let Some(encoder) = &mut self.encoder {
            encoder.observe_source(event);
        }
    }
}

impl Codec<AnthropicEncoder> {
    /// The `/v1/messages` codec.
    fn anthropic(fallback: Fallback) -> Self {
        Self::new(fallback, |f| {
            AnthropicEncoder::new(format!("msg_relay{}", f.created), f.model.clone())
        })
    }
}

impl Observe<Result<anthropic_wire::messages::MessageStreamEvent, anthropic_wire::DecodeError>>
    for Codec<AnthropicEncoder>
{
    fn observe(
        &mut self,
        item: &Result<anthropic_wire::messages::MessageStreamEvent, anthropic_wire::DecodeError>,
    ) {
        if let Ok(anthropic_wire::messages::MessageStreamEvent::MessageStart(start)) = item {
            if self.encoder.is_none() {
                self.encoder = Some(AnthropicEncoder::for_source(&start.message));
            }
        }
    }
}

/// Unix seconds as RFC 3339 UTC (`2026-01-10T16:55:30Z`), for Ollama's `created_at` when the
/// upstream sent none. A time outside years 1970 to 9999 is written as the nearest of them.
pub fn rfc3339(unix: i64) -> String {
    // humantime formats only that range (it panics before 1970 and fails after 9999).
    let secs = unix.clamp(0, LAST_SECOND_OF_9999).unsigned_abs();
    humantime::format_rfc3339_seconds(std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs))
        .to_string()
}

/// 9999-12-31T23:59:59Z.
const LAST_SECOND_OF_9999: i64 = 253_402_300_799;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_formats_known_instants() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_768_064_130), "2026-01-10T16:55:30Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(-1), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(LAST_SECOND_OF_9999), "9999-12-31T23:59:59Z");
        assert_eq!(rfc3339(i64::MAX), "9999-12-31T23:59:59Z");
        assert_eq!(rfc3339(i64::MIN), "1970-01-01T00:00:00Z");
    }
}
