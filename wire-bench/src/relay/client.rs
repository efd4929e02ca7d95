//! One client stream: POST, read the body as it arrives, decode it with the wire's checking
//! decoder, and for every event stamp (`t<ns>;`, see [`super::stub`]) the latency from the
//! stub's send to this arrival.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use openai_wire::chunks::StreamItem;

use super::stub::{Plan, epoch};

/// The wire a stream speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Wire {
    /// `/v1/chat/completions`, SSE.
    Sse,
    /// `/api/chat`, NDJSON.
    Ndjson,
}

impl Wire {
    pub(crate) fn path(self) -> &'static str {
        match self {
            Self::Sse => "/v1/chat/completions",
            Self::Ndjson => "/api/chat",
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Sse => "sse",
            Self::Ndjson => "ndjson",
        }
    }
}

enum Decoder {
    Sse(Box<openai_wire::chunks::ChatStreamDecoder>),
    Ndjson(ollama_wire::ChatStreamDecoder),
}

/// Latencies (ns) of the events seen, shared with whoever reads them after the stream (even a
/// stream cut short by the phase's end).
pub(crate) type Sink = Arc<Mutex<Vec<u64>>>;

/// A stream being read.
pub(crate) struct Reader {
    body: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>,
    decoder: Decoder,
    /// Event stamps seen.
    pub(crate) events: usize,
    sink: Sink,
    /// Bytes pushed but not seen decoded yet are none: every push is drained.
    stamps: Vec<u64>,
}

impl Reader {
    /// Sends the request for `plan` and waits for the response head.
    pub(crate) async fn open(
        client: &reqwest::Client,
        base: &str,
        wire: Wire,
        plan: Plan,
        sink: Sink,
    ) -> Result<Self, String> {
        let body = serde_json::json!({
            "model": "stub",
            "stream": true,
            "messages": [{"role": "user", "content": plan.prompt()}],
        });
        let response = client
            .post(format!("{base}{}", wire.path()))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .map_err(|e| format!("request: {e}"))?;
        if !response.status().is_success() {
            let status = response.status();
            let text = response.text().await.unwrap_or_default();
            return Err(format!(
                "status {status}: {}",
                text.chars().take(300).collect::<String>()
            ));
        }
        Ok(Self {
            body: Box::pin(response.bytes_stream()),
            decoder: match wire {
                Wire::Sse => Decoder::Sse(Box::default()),
                Wire::Ndjson => Decoder::Ndjson(ollama_wire::ChatStreamDecoder::new()),
            },
            events: 0,
            sink,
            stamps: Vec::new(),
        })
    }

    /// Reads one network chunk; `Ok(false)` at the end of the body (after checking the wire's
    /// terminator).
    pub(crate) async fn step(&mut self) -> Result<bool, String> {
        let Some(bytes) = self.body.next().await else {
            return match &mut self.decoder {
                Decoder::Sse(d) => d.finish().map_err(|e| e.to_string()),
                Decoder::Ndjson(d) => d.finish().map_err(|e| e.to_string()),
            }
            .map(|()| false);
        };
        let bytes = bytes.map_err(|e| format!("body: {e}"))?;
        let arrived = Instant::now();
        self.stamps.clear();
        match &mut self.decoder {
            Decoder::Sse(d) => {
                d.push(&bytes);
                for item in d.by_ref() {
                    if let StreamItem::Chunk(chunk) = item.map_err(|e| e.to_string())? {
                        for choice in &chunk.choices {
                            stamps(
                                choice.delta.content.as_deref().unwrap_or(""),
                                &mut self.stamps,
                            );
                        }
                    }
                }
            }
            Decoder::Ndjson(d) => {
                d.push(&bytes);
                for item in d.by_ref() {
                    stamps(
                        &item.map_err(|e| e.to_string())?.message.content,
                        &mut self.stamps,
                    );
                }
            }
        }
        if !self.stamps.is_empty() {
            let at = u64::try_from(arrived.duration_since(epoch()).as_nanos()).unwrap_or(u64::MAX);
            self.events += self.stamps.len();
            let mut sink = self.sink.lock().unwrap_or_else(|p| p.into_inner());
            sink.extend(self.stamps.iter().map(|&sent| at.saturating_sub(sent)));
        }
        Ok(true)
    }

    /// Reads until at least `events` stamps arrived (`Err` if the body ends first).
    pub(crate) async fn until(&mut self, events: usize) -> Result<(), String> {
        while self.events < events {
            if !self.step().await? {
                return Err(format!("ended after {} events", self.events));
            }
        }
        Ok(())
    }

    /// Reads to the end; `Err` unless the stream was well-formed with `expected` events.
    pub(crate) async fn drain(mut self, expected: usize) -> Result<usize, String> {
        while self.step().await? {}
        if self.events == expected {
            Ok(self.events)
        } else {
            Err(format!("{} events, {expected} sent", self.events))
        }
    }
}

/// The stamps `t<ns>;` in a content text.
fn stamps(content: &str, out: &mut Vec<u64>) {
    for piece in content.split(';') {
        if let Some(ns) = piece.trim().strip_prefix('t').and_then(|d| d.parse().ok()) {
            out.push(ns);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_found_even_when_merged() {
        let mut out = Vec::new();
        stamps("t12;t34;", &mut out);
        stamps("", &mut out);
        stamps("t5;", &mut out);
        assert_eq!(out, [12, 34, 5]);
    }
}
