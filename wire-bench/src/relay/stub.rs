//! The stub upstream: a hyper 1 server standing in for Ollama, in the benchmark's own process
//! (so its clock is the clients' clock).
//!
//! `POST /v1/chat/completions` answers an SSE stream of OpenAI chunks ending `data: [DONE]`,
//! `POST /api/chat` an NDJSON stream ending with a `done` line. What a stream does is read from
//! the last message's content, `bench n=N pace_us=P hold=0|1`:
//!
//! - `n` events of content, each `t<ns>;`: the nanoseconds since [`epoch`] when the stub sent
//!   it, so a client computes each event's latency as its arrival minus that;
//! - one event every `pace_us` µs (0: as fast as the connection takes them);
//! - `hold=1`: the first event, then nothing until [`Stub::release`] (or the client leaves),
//!   for idle streams.

use std::convert::Infallible;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, StreamBody};
use hyper::body::Frame;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};

/// The instant event stamps count from.
pub(crate) fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// Nanoseconds since [`epoch`].
pub(crate) fn now_ns() -> u64 {
    u64::try_from(epoch().elapsed().as_nanos()).unwrap_or(u64::MAX)
}

/// What one stream does (parsed from the prompt).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Plan {
    pub(crate) events: usize,
    pub(crate) pace: Duration,
    pub(crate) hold: bool,
}

impl Plan {
    /// The prompt that asks the stub for this plan.
    pub(crate) fn prompt(self) -> String {
        format!(
            "bench n={} pace_us={} hold={}",
            self.events,
            self.pace.as_micros(),
            u8::from(self.hold)
        )
    }

    fn parse(prompt: &str) -> Self {
        let mut plan = Self {
            events: 10,
            pace: Duration::ZERO,
            hold: false,
        };
        for word in prompt.split_whitespace() {
            match word.split_once('=') {
                Some(("n", v)) => plan.events = v.parse().unwrap_or(plan.events),
                Some(("pace_us", v)) => {
                    plan.pace = Duration::from_micros(v.parse().unwrap_or(0));
                }
                Some(("hold", v)) => plan.hold = v == "1",
                _ => {}
            }
        }
        plan
    }
}

/// The running stub.
pub(crate) struct Stub {
    pub(crate) port: u16,
    release: watch::Sender<u64>,
}

impl Stub {
    /// Lets every held stream go on to its end.
    pub(crate) fn release(&self) {
        self.release.send_modify(|n| *n += 1);
    }
}

/// Starts the stub on a free loopback port (it runs until the runtime stops).
pub(crate) async fn start() -> std::io::Result<Stub> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let (release, released) = watch::channel(0u64);
    epoch();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            };
            // Ollama is a Go server: its sockets have TCP_NODELAY.
            let _ = stream.set_nodelay(true);
            let released = released.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request: Request<hyper::body::Incoming>| {
                    let released = released.clone();
                    async move { Ok::<_, Infallible>(respond(request, released).await) }
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Ok(Stub { port, release })
}

type StubBody = UnsyncBoxBody<Bytes, Infallible>;
type FrameResult = Result<Frame<Bytes>, Infallible>;

async fn respond(
    request: Request<hyper::body::Incoming>,
    released: watch::Receiver<u64>,
) -> Response<StubBody> {
    let path = request.uri().path().to_owned();
    let body = request
        .into_body()
        .collect()
        .await
        .map(|c| c.to_bytes())
        .unwrap_or_default();
    let request: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let model = request["model"].as_str().unwrap_or("stub").to_owned();
    let prompt = request["messages"]
        .as_array()
        .and_then(|m| m.last())
        .and_then(|m| m["content"].as_str())
        .unwrap_or("");
    let plan = Plan::parse(prompt);
    let wire = match path.as_str() {
        "/v1/chat/completions" | "/chat/completions" => Wire::Sse,
        "/api/chat" => Wire::Ndjson,
        _ => {
            let mut response = Response::new(BodyExt::boxed_unsync(http_body_util::Empty::new()));
            *response.status_mut() = StatusCode::NOT_FOUND;
            return response;
        }
    };
    let (tx, mut rx) = mpsc::channel::<FrameResult>(8);
    tokio::spawn(play(wire, model, plan, tx, released));
    let body = StreamBody::new(futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx)));
    let mut response = Response::new(BodyExt::boxed_unsync(body));
    let content_type = match wire {
        Wire::Sse => "text/event-stream",
        Wire::Ndjson => "application/x-ndjson",
    };
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static(content_type),
    );
    response
}

#[derive(Clone, Copy)]
enum Wire {
    Sse,
    Ndjson,
}

fn event(wire: Wire, model: &str, content: &str) -> Bytes {
    Bytes::from(match wire {
        Wire::Sse => format!(
            "data: {{\"id\":\"chatcmpl-stub\",\"object\":\"chat.completion.chunk\",\"created\":1767000000,\"model\":\"{model}\",\"system_fingerprint\":\"fp_stub\",\"choices\":[{{\"index\":0,\"delta\":{{\"role\":\"assistant\",\"content\":\"{content}\"}},\"finish_reason\":null}}]}}\n\n"
        ),
        Wire::Ndjson => format!(
            "{{\"model\":\"{model}\",\"created_at\":\"2026-01-10T16:55:30.000000Z\",\"message\":{{\"role\":\"assistant\",\"content\":\"{content}\"}},\"done\":false}}\n"
        ),
    })
}

fn end(wire: Wire, model: &str, events: usize) -> Vec<Bytes> {
    match wire {
        Wire::Sse => vec![
            Bytes::from(format!(
                "data: {{\"id\":\"chatcmpl-stub\",\"object\":\"chat.completion.chunk\",\"created\":1767000000,\"model\":\"{model}\",\"system_fingerprint\":\"fp_stub\",\"choices\":[{{\"index\":0,\"delta\":{{\"role\":\"assistant\",\"content\":\"\"}},\"finish_reason\":\"stop\"}}]}}\n\n"
            )),
            Bytes::from_static(b"data: [DONE]\n\n"),
        ],
        Wire::Ndjson => vec![Bytes::from(format!(
            "{{\"model\":\"{model}\",\"created_at\":\"2026-01-10T16:55:31.000000Z\",\"message\":{{\"role\":\"assistant\",\"content\":\"\"}},\"done\":true,\"done_reason\":\"stop\",\"total_duration\":1000000,\"load_duration\":1000,\"prompt_eval_count\":5,\"prompt_eval_duration\":1000,\"eval_count\":{events},\"eval_duration\":900000}}\n"
        ))],
    }
}

/// Sends the plan's events, stamped as they go.
async fn play(
    wire: Wire,
    model: String,
    plan: Plan,
    tx: mpsc::Sender<FrameResult>,
    mut released: watch::Receiver<u64>,
) {
    let start = tokio::time::Instant::now();
    released.borrow_and_update();
    for i in 0..plan.events {
        if i == 1 && plan.hold {
            tokio::select! {
                _ = released.changed() => {}
                () = tx.closed() => return,
            }
        } else if !plan.pace.is_zero() && !plan.hold {
            // `i` is below `n`, itself from a u32-sized prompt.
            let at = start + plan.pace * u32::try_from(i).unwrap_or(u32::MAX);
            tokio::time::sleep_until(at).await;
        }
        let stamp = format!("t{};", now_ns());
        if tx
            .send(Ok(Frame::data(event(wire, &model, &stamp))))
            .await
            .is_err()
        {
            return;
        }
    }
    for frame in end(wire, &model, plan.events) {
        if tx.send(Ok(Frame::data(frame))).await.is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_round_trip() {
        let plan = Plan {
            events: 7,
            pace: Duration::from_millis(20),
            hold: true,
        };
        assert_eq!(Plan::parse(&plan.prompt()), plan);
    }
}
