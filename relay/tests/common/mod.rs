//! Shared by the HTTP tests: a scripted upstream (a small hyper server written here), the
//! relay in-process, a reqwest client, and the fixture helpers.
#![allow(dead_code)] // Each test file uses its own part.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, StreamBody};
use hyper::body::Frame;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{HeaderMap, Response, StatusCode};
use hyper_util::rt::TokioIo;
use ollama_relay::{Config, Fallback, Repairer, Wire, serve};
use ollama_stream_merge::{
    Event, MergeError, Options, Reducer, WireStreamDecoder, merge_body, validate,
};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};

pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;

// ------------------------------------------------------------------ the scripted upstream

#[derive(Clone)]
pub(crate) enum Step {
    Send(Bytes),
    Sleep(Duration),
    /// The body fails: hyper aborts the connection mid-body.
    Die,
    /// Nothing more, ever.
    Stall,
}

#[derive(Clone)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) content_type: &'static str,
    pub(crate) head_delay: Duration,
    /// Shared, so a script of 100,000 frames is not copied per request.
    pub(crate) steps: Arc<[Step]>,
}

impl Reply {
    pub(crate) fn body(content_type: &'static str, body: impl Into<Bytes>) -> Self {
        Self {
            status: 200,
            content_type,
            head_delay: Duration::ZERO,
            steps: Arc::from([Step::Send(body.into())]),
        }
    }

    pub(crate) fn steps(content_type: &'static str, steps: impl Into<Arc<[Step]>>) -> Self {
        Self {
            status: 200,
            content_type,
            head_delay: Duration::ZERO,
            steps: steps.into(),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Recorded {
    pub(crate) method: String,
    pub(crate) uri: String,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

pub(crate) struct Upstream {
    pub(crate) base: String,
    pub(crate) requests: Arc<Mutex<Vec<Recorded>>>,
    /// When a response body was dropped (its connection closed or the body ended).
    pub(crate) dropped: mpsc::UnboundedReceiver<Instant>,
}

pub(crate) struct DropSignal(mpsc::UnboundedSender<Instant>);

impl Drop for DropSignal {
    fn drop(&mut self) {
        let _ = self.0.send(Instant::now());
    }
}

/// Plays `steps` into a response body channel.
pub(crate) async fn play(steps: Arc<[Step]>, tx: mpsc::Sender<Result<Frame<Bytes>, BoxError>>) {
    for step in steps.iter() {
        match step {
            Step::Send(bytes) => {
                if tx.send(Ok(Frame::data(bytes.clone()))).await.is_err() {
                    return;
                }
            }
            Step::Sleep(d) => tokio::time::sleep(*d).await,
            Step::Die => {
                let _ = tx.send(Err("scripted death".into())).await;
                return;
            }
            Step::Stall => {
                tx.closed().await;
                return;
            }
        }
    }
}

pub(crate) async fn upstream(
    handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static,
) -> Upstream {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("127.0.0.1:{}", listener.local_addr().unwrap().port());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let (drop_tx, dropped) = mpsc::unbounded_channel();
    let handler = Arc::new(handler);
    let recorded = Arc::clone(&requests);
    tokio::spawn(async move {
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let handler = Arc::clone(&handler);
            let recorded = Arc::clone(&recorded);
            let drop_tx = drop_tx.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                    let handler = Arc::clone(&handler);
                    let recorded = Arc::clone(&recorded);
                    let signal = DropSignal(drop_tx.clone());
                    async move {
                        let (parts, body) = request.into_parts();
                        // A body the relay abandoned (over its limit) is recorded as far as it came.
                        let body = body
                            .collect()
                            .await
                            .map(|c| c.to_bytes())
                            .unwrap_or_default();
                        let request = Recorded {
                            method: parts.method.to_string(),
                            uri: parts.uri.to_string(),
                            headers: parts.headers,
                            body,
                        };
                        recorded.lock().unwrap().push(request.clone());
                        let reply = handler(&request);
                        tokio::time::sleep(reply.head_delay).await;
                        let (tx, mut rx) = mpsc::channel::<Result<Frame<Bytes>, BoxError>>(1);
                        tokio::spawn(play(Arc::clone(&reply.steps), tx));
                        let stream = futures_util::stream::poll_fn(move |cx| {
                            let _alive = &signal;
                            rx.poll_recv(cx)
                        });
                        let mut response = Response::new(StreamBody::new(stream));
                        *response.status_mut() = StatusCode::from_u16(reply.status).unwrap();
                        response
                            .headers_mut()
                            .insert("content-type", reply.content_type.parse().unwrap());
                        Ok::<_, Infallible>(response)
                    }
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Upstream {
        base,
        requests,
        dropped,
    }
}

// ------------------------------------------------------------------ the relay and the client

pub(crate) struct Relay {
    pub(crate) base: String,
    pub(crate) stop: Option<oneshot::Sender<()>>,
    pub(crate) done: tokio::task::JoinHandle<()>,
}

pub(crate) async fn relay(upstream: &str, tweak: impl FnOnce(&mut Config)) -> Relay {
    let mut config = Config::new(upstream.parse().unwrap());
    config.idle_timeout = Some(Duration::from_millis(400));
    config.first_byte_timeout = Some(Duration::from_millis(400));
    tweak(&mut config);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = oneshot::channel::<()>();
    let done = tokio::spawn(async move {
        serve(listener, config, async {
            let _ = stopped.await;
        })
        .await
        .unwrap();
    });
    Relay {
        base,
        stop: Some(stop),
        done,
    }
}

pub(crate) fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

/// POSTs `body` as JSON to the relay's `path`: the reply's status, headers and body.
pub(crate) async fn post(
    relay: &Relay,
    path: &str,
    body: impl Into<reqwest::Body>,
) -> (StatusCode, HeaderMap, Bytes) {
    let response = client()
        .post(format!("{}{path}", relay.base))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.bytes().await.unwrap())
}

/// Decodes and merges `body` as `wire` (what a client of that wire would read).
pub(crate) fn merged(wire: Wire, body: &[u8]) -> Vec<Event> {
    merge_body(WireStreamDecoder::new(wire), body, Options::default())
}

/// Asserts that `body`, merged as `wire`'s stream, is well-formed and reports one error, the
/// upstream's (`context` names the case in a failure).
pub(crate) fn assert_one_upstream_error(wire: Wire, body: &[u8], context: &str) {
    let events = merged(wire, body);
    assert!(validate(&events).is_ok(), "{context}");
    let message = Reducer::reduce(events);
    assert!(
        matches!(message.errors.as_slice(), [MergeError::Upstream(_)]),
        "{context}: {:?}",
        message.errors
    );
}

pub(crate) fn repaired(wire: Wire, body: &[u8]) -> Vec<u8> {
    let mut repairer = Repairer::new(wire, Fallback::default());
    let mut out = repairer.push(body);
    out.extend(repairer.finish());
    out
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub(crate) const NDJSON: &str = "application/x-ndjson";
pub(crate) const SSE: &str = "text/event-stream";

pub(crate) fn fixture(wire: test_support::Wire, id: &str) -> Bytes {
    Bytes::from(test_support::case(wire, id).body)
}

/// The route a wire is served on, and the fixture corpus its recorded streams are in.
pub(crate) fn route(wire: Wire) -> (&'static str, test_support::Wire) {
    match wire {
        Wire::Ollama => ("/api/chat", test_support::Wire::Ollama),
        Wire::OllamaGenerate => ("/api/generate", test_support::Wire::Ollama),
        Wire::OpenAi => ("/v1/chat/completions", test_support::Wire::OpenAi),
        Wire::Completions => ("/v1/completions", test_support::Wire::OpenAi),
        Wire::Responses => ("/v1/responses", test_support::Wire::Responses),
        Wire::Anthropic => ("/v1/messages", test_support::Wire::Anthropic),
    }
}

/// The first recorded stream of `wire`'s route that ends cleanly.
pub(crate) fn first_stream_fixture(wire: Wire) -> Bytes {
    let (endpoint, corpus) = route(wire);
    let case = test_support::cases(corpus)
        .into_iter()
        .find(|c| {
            c.meta.endpoint == endpoint
                && c.is_stream()
                && c.is_success()
                && Reducer::reduce(merged(wire, &c.body)).is_complete()
        })
        .unwrap();
    Bytes::from(case.body)
}

/// POSTs a JSON value.
pub(crate) async fn post_json(
    relay: &Relay,
    path: &str,
    body: &serde_json::Value,
) -> (StatusCode, HeaderMap, Bytes) {
    post(relay, path, body.to_string()).await
}

// ------------------------------------------------------------------ streamed checks

/// What a streamed reply added up to, read chunk by chunk as it arrived (nothing kept whole
/// but the merged message and the coalesced events).
pub(crate) struct Streamed {
    pub(crate) status: StatusCode,
    pub(crate) content_type: String,
    /// Bytes received.
    pub(crate) bytes: u64,
    /// Body frames received.
    pub(crate) frames: u64,
    /// The last bytes of the body (up to 256).
    pub(crate) tail: Vec<u8>,
    /// The merged events, consecutive deltas of one block joined into one (so 100,000 of them
    /// are not held one by one); well-formedness is kept by the join: each joined delta was
    /// checked non-empty.
    pub(crate) events: Vec<Event>,
    /// Argument deltas before the joining.
    pub(crate) args_deltas: u64,
    pub(crate) message: ollama_stream_merge::AssistantMessage,
}

/// Joins `event` onto `events`: a text, reasoning or argument delta for the block of the
/// previous delta of the same kind extends it (each checked non-empty first, so the join
/// keeps what `validate` would say).
fn coalesce(events: &mut Vec<Event>, event: Event) {
    let (index, piece) = match &event {
        Event::TextDelta { index, text } | Event::ReasoningDelta { index, text } => (*index, text),
        Event::ToolArgsDelta { index, json } => (*index, json),
        _ => {
            events.push(event);
            return;
        }
    };
    assert!(!piece.is_empty(), "an empty delta for block {index}");
    let joined = match (events.last_mut(), &event) {
        (Some(Event::TextDelta { index: i, text }), Event::TextDelta { .. })
        | (Some(Event::ReasoningDelta { index: i, text }), Event::ReasoningDelta { .. })
        | (
            Some(Event::ToolArgsDelta {
                index: i,
                json: text,
            }),
            Event::ToolArgsDelta { .. },
        ) if *i == index => Some(text),
        _ => None,
    };
    match joined {
        Some(text) => text.push_str(piece),
        None => events.push(event),
    }
}

/// Reads `response` frame by frame through `wire`'s checking decoder joined to a merger
/// (every fault of the bytes, protocol violation or missing terminator is an error event,
/// so `message.errors` is empty only for a clean stream).
pub(crate) async fn read_streamed(wire: Wire, response: reqwest::Response) -> Streamed {
    async fn go<D: ollama_stream_merge::WireDecoder>(
        decoder: D,
        mut response: reqwest::Response,
    ) -> Streamed {
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let mut join = ollama_stream_merge::MergeDecoder::new(decoder);
        let mut reducer = Reducer::new();
        let mut events = Vec::new();
        let (mut bytes, mut frames, mut args_deltas) = (0u64, 0u64, 0u64);
        let mut tail = Vec::new();
        let mut take = |join: &mut ollama_stream_merge::MergeDecoder<D>,
                        events: &mut Vec<Event>| {
            for event in join {
                reducer.push(&event);
                if matches!(event, Event::ToolArgsDelta { .. }) {
                    args_deltas += 1;
                }
                coalesce(events, event);
            }
        };
        while let Some(chunk) = response.chunk().await.unwrap() {
            bytes += chunk.len() as u64;
            frames += 1;
            tail.extend_from_slice(&chunk);
            let cut = tail.len().saturating_sub(256);
            tail.drain(..cut);
            join.push(&chunk);
            take(&mut join, &mut events);
        }
        join.finish();
        take(&mut join, &mut events);
        Streamed {
            status,
            content_type,
            bytes,
            frames,
            tail,
            events,
            args_deltas,
            message: reducer.into_message(),
        }
    }
    match wire {
        Wire::Ollama => go(ollama_wire::ChatStreamDecoder::new(), response).await,
        Wire::OllamaGenerate => go(ollama_wire::GenerateStreamDecoder::new(), response).await,
        Wire::OpenAi => go(openai_wire::chunks::ChatStreamDecoder::new(), response).await,
        Wire::Completions => go(
            openai_wire::chunks::StreamDecoder::<openai_wire::completions::CompletionChunk>::new(),
            response,
        )
        .await,
        Wire::Responses => {
            go(
                openai_wire::responses::ResponsesStreamDecoder::new(),
                response,
            )
            .await
        }
        Wire::Anthropic => go(anthropic_wire::events::StreamDecoder::new(), response).await,
    }
}

/// A field of `/proc/self/status` in KiB (`VmHWM:`, `VmRSS:`); 0 when it cannot be read.
pub(crate) fn status_kib(field: &str) -> u64 {
    proc_status_kib("/proc/self/status", field)
}

fn proc_status_kib(path: &str, field: &str) -> u64 {
    let status = std::fs::read_to_string(path).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

// ------------------------------------------------------------------ the relay as a process

/// The `ollama-relay` binary started with `--listen 127.0.0.1:0` and `args`, at the address it
/// printed as the first line of stdout; killed when dropped, passed or not. Its memory is its
/// own (`status_kib`), apart from the test's.
pub(crate) struct RelayProcess {
    child: std::process::Child,
    pub(crate) addr: std::net::SocketAddr,
    pub(crate) base: String,
}

impl RelayProcess {
    pub(crate) fn spawn(args: &[&str]) -> Self {
        use std::io::BufRead;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ollama-relay"))
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .env_remove("OLLAMA_RELAY_API_KEY")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the relay starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut first = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut first)
            .expect("a first line");
        let addr = first
            .strip_suffix('\n')
            .and_then(|line| line.strip_prefix("listening on http://"))
            .unwrap_or_else(|| panic!("not a listening line: {first:?}"));
        let addr: std::net::SocketAddr = addr.parse().expect("an address");
        Self {
            child,
            addr,
            base: format!("http://{addr}"),
        }
    }

    /// A field of the relay process's `/proc/<pid>/status` in KiB; 0 when it cannot be read.
    pub(crate) fn status_kib(&self, field: &str) -> u64 {
        proc_status_kib(&format!("/proc/{}/status", self.child.id()), field)
    }
}

impl Drop for RelayProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
