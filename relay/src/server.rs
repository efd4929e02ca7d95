//! The hyper glue: accept, authenticate, forward, pump the upstream body through a
//! [`Repairer`] (or unchanged) into a bounded channel, log one line per request, shut down
//! gracefully.
//!
//! ```text
//!  client ─▶ hyper http1 ─▶ handle ─▶ reqwest ─▶ upstream
//!                                        │ response body
//!                               pump task (idle timeout, Repairer) ─▶ mpsc(16) ─▶ StreamBody ─▶ client
//! ```
//!
//! A slow client fills the channel and the pump stops reading the upstream (backpressure);
//! a client that goes away drops the body, the pump sees the channel closed at once and drops
//! the upstream response, which closes that connection.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use futures_util::StreamExt;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, BodyStream, Full, Limited, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::header::{self, HeaderMap, HeaderName, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, mpsc, watch};
use tokio::task::JoinSet;

use crate::config::Config;
use crate::repair::{Fallback, Repairer};
use crate::route::{ErrorShape, Route};

type BoxError = Box<dyn std::error::Error + Send + Sync>;
/// The body of every response the relay writes.
pub type Body = UnsyncBoxBody<Bytes, BoxError>;

/// Frames buffered between the upstream reader and the client writer.
const CHANNEL_FRAMES: usize = 16;

/// The shared state of one running relay.
#[derive(Debug)]
struct Relay {
    config: Config,
    client: reqwest::Client,
    streams: Arc<Semaphore>,
    /// Flips to true when the shutdown grace period is over: pumps end their streams with an
    /// error.
    abort: watch::Receiver<bool>,
}

/// Serves the relay on `listener` until `shutdown` completes, then stops accepting, lets
/// in-flight requests finish for [`Config::shutdown_grace`], ends the streams still running
/// with their wire's error, and returns.
///
/// # Errors
///
/// The upstream client cannot be built (the TLS-less builder does not fail in practice).
pub async fn serve(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let client = reqwest::Client::builder()
        .connect_timeout(config.connect_timeout)
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .retry(reqwest::retry::never())
        .http1_only()
        // reqwest's default, stated: the upstream's side of the same latency.
        .tcp_nodelay(true)
        .build()
        .map_err(std::io::Error::other)?;
    let (abort_tx, abort) = watch::channel(false);
    let (stop_tx, stop) = watch::channel(false);
    let grace = config.shutdown_grace;
    let relay = Arc::new(Relay {
        streams: Arc::new(Semaphore::new(config.max_streams)),
        config,
        client,
        abort,
    });
    let mut connections = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => {
                let (stream, _) = match accepted {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        // Out of descriptors and the like: wait rather than spin.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                // Each event is written as soon as it is decoded: without TCP_NODELAY, Nagle's
                // algorithm holds a small write until the client's delayed ACK (~40 ms), which
                // wire-bench's relay run measured as a 43 ms p99 per event (1.9 ms with it).
                if let Err(e) = stream.set_nodelay(true) {
                    tracing::warn!(error = %e, "could not set TCP_NODELAY");
                }
                let relay = Arc::clone(&relay);
                let mut stop = stop.clone();
                connections.spawn(async move {
                    let service = service_fn(move |request| {
                        let relay = Arc::clone(&relay);
                        async move { Ok::<_, Infallible>(handle(&relay, request).await) }
                    });
                    let connection = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service);
                    let mut connection = std::pin::pin!(connection);
                    tokio::select! {
                        _ = connection.as_mut() => {}
                        () = flipped(&mut stop) => {
                            connection.as_mut().graceful_shutdown();
                            let _ = connection.await;
                        }
                    }
                });
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let _ = stop_tx.send(true);
    tracing::info!(
        connections = connections.len(),
        grace_s = grace.as_secs_f64(),
        "shutting down"
    );
    let drain = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(grace, drain).await.is_err() {
        // Streams still running get their wire's error, then a moment to write it.
        let _ = abort_tx.send(true);
        let drain = async { while connections.join_next().await.is_some() {} };
        if tokio::time::timeout(Duration::from_secs(1), drain)
            .await
            .is_err()
        {
            connections.shutdown().await;
        }
    }
    Ok(())
}

/// Completes when the flag turns true (never, if its sender is gone first).
async fn flipped(flag: &mut watch::Receiver<bool>) {
    if flag.wait_for(|on| *on).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// What the request's log line says.
#[derive(Debug)]
struct Access {
    method: Method,
    path: String,
    route: Route,
    model: Option<String>,
    start: Instant,
}

impl Access {
    fn log(&self, status: StatusCode, outcome: &str, stats: Option<&crate::Stats>) {
        let stats = stats.cloned().unwrap_or_default();
        tracing::info!(
            target: "ollama_relay::access",
            method = %self.method,
            path = %self.path,
            wire = self.route.wire_name(),
            model = self.model.as_deref().unwrap_or(""),
            status = status.as_u16(),
            duration_ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX),
            events = stats.events,
            repairs = stats.repairs,
            faults = stats.faults,
            upstream_errors = stats.upstream_errors,
            outcome,
            cut = stats.cut.as_deref().unwrap_or(""),
            "request"
        );
    }
}

async fn handle(relay: &Relay, request: Request<Incoming>) -> Response<Body> {
    let path = request.uri().path().to_owned();
    let route = Route::of(request.method(), &path);
    let shape = ErrorShape::of(&path);
    let mut access = Access {
        method: request.method().clone(),
        path,
        route,
        model: None,
        start: Instant::now(),
    };
    let respond_error = |access: &Access, status: StatusCode, message: &str| {
        access.log(status, "relay-error", None);
        error_response(shape, status, message)
    };
    if route == Route::Health {
        access.log(StatusCode::OK, "health", None);
        return json_response(StatusCode::OK, br#"{"status":"ok"}"#.to_vec());
    }
    if let Some(key) = &relay.config.api_key {
        if !authorized(request.headers(), key) {
            let mut response = respond_error(
                &access,
                StatusCode::UNAUTHORIZED,
                "missing or wrong API key: send Authorization: Bearer <key> or x-api-key: <key>",
            );
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return response;
        }
    }
    let limit = relay.config.max_body_bytes;
    let exempt = access.path.starts_with("/api/blobs/");
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if !exempt && declared.is_some_and(|n| n > limit) {
        return respond_error(&access, StatusCode::PAYLOAD_TOO_LARGE, &too_large(limit));
    }
    let permit = if matches!(route, Route::Repair(_) | Route::Generate) {
        match Arc::clone(&relay.streams).try_acquire_owned() {
            Ok(permit) => Some(permit),
            Err(_) => {
                let mut response = respond_error(
                    &access,
                    StatusCode::SERVICE_UNAVAILABLE,
                    &format!(
                        "the relay is at its limit of {} concurrent streams; retry shortly",
                        relay.config.max_streams
                    ),
                );
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
                return response;
            }
        }
    } else {
        None
    };

    // Translate mode: a client route of another wire than the upstream's is served from the
    // upstream's chat route.
    let translation = match (route, relay.config.upstream_wire) {
        (Route::Repair(wire), Some(upstream_wire)) if wire != upstream_wire.wire() => {
            Some((wire, upstream_wire))
        }
        _ => None,
    };
    let mut translated: Option<crate::Translated> = None;
    let (parts, body) = request.into_parts();
    let over_limit = Arc::new(AtomicBool::new(false));
    let upstream_body = if route.reads_body() {
        let limited = Limited::new(body, usize::try_from(limit).unwrap_or(usize::MAX));
        let bytes = match limited.collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(e) if e.is::<http_body_util::LengthLimitError>() => {
                return respond_error(&access, StatusCode::PAYLOAD_TOO_LARGE, &too_large(limit));
            }
            Err(e) => {
                return respond_error(
                    &access,
                    StatusCode::BAD_REQUEST,
                    &format!("cannot read the request body: {e}"),
                );
            }
        };
        access.model = request_model(&bytes);
        if let Some((wire, upstream_wire)) = translation {
            match crate::translate::translate(wire, upstream_wire, &bytes) {
                Ok(t) => {
                    let body = reqwest::Body::from(t.body.clone());
                    translated = Some(t);
                    body
                }
                Err(refusal) => {
                    return respond_error(&access, StatusCode::BAD_REQUEST, &refusal.to_string());
                }
            }
        } else {
            reqwest::Body::from(bytes)
        }
    } else {
        streamed_request_body(body, (!exempt).then_some(limit), Arc::clone(&over_limit))
    };

    let query = parts
        .uri
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let upstream_path = match translation {
        Some((_, upstream_wire)) => upstream_wire.chat_path(),
        None => access.path.as_str(),
    };
    let url = format!("{}{upstream_path}{query}", relay.config.upstream.base());
    let mut headers = forwarded_headers(&parts.headers);
    if translation.is_some() {
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
    }
    if route.reads_body() {
        // The relay sets the length of the body it read, and reads the reply uncompressed.
        headers.remove(header::CONTENT_LENGTH);
        headers.remove(header::ACCEPT_ENCODING);
    }
    let send = relay
        .client
        .request(parts.method.clone(), url)
        .headers(headers)
        .body(upstream_body)
        .send();
    let first_byte = relay
        .config
        .first_byte_timeout
        .filter(|_| route != Route::Passthrough);
    let upstream = match first_byte {
        Some(limit) => match tokio::time::timeout(limit, send).await {
            Ok(result) => result,
            Err(_) => {
                return respond_error(
                    &access,
                    StatusCode::GATEWAY_TIMEOUT,
                    &format!(
                        "the upstream {} sent no response within {} s",
                        relay.config.upstream,
                        limit.as_secs_f64()
                    ),
                );
            }
        },
        None => send.await,
    };
    let upstream = match upstream {
        Ok(upstream) => upstream,
        Err(_) if over_limit.load(Ordering::SeqCst) => {
            return respond_error(&access, StatusCode::PAYLOAD_TOO_LARGE, &too_large(limit));
        }
        Err(e) => {
            let (status, message) = upstream_failure(&relay.config, &e);
            return respond_error(&access, status, &message);
        }
    };

    let status = upstream.status();
    if let (Some((wire, upstream_wire)), Some(t)) = (translation, translated) {
        return translate_reply(relay, access, permit, upstream, (wire, upstream_wire), t).await;
    }
    let mut response_headers = HeaderMap::new();
    copy_end_to_end(upstream.headers(), &mut response_headers);
    let repair = match route {
        Route::Repair(wire)
            if status.is_success()
                && upstream
                    .headers()
                    .get(header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|ct| wire.is_stream_content_type(ct)) =>
        {
            Some(wire)
        }
        _ => None,
    };
    if repair.is_some() {
        response_headers.remove(header::CONTENT_LENGTH);
    }
    let idle = relay
        .config
        .idle_timeout
        .filter(|_| route != Route::Passthrough);
    let (pump, rx) = pump(upstream, idle, relay.abort.clone(), access, status, permit);
    match repair {
        Some(wire) => {
            let model = pump.access.model.clone().unwrap_or_default();
            let repairer = Repairer::new(wire, Fallback::new(model, unix_now()));
            tokio::spawn(pump.repair(repairer));
        }
        None => {
            tokio::spawn(pump.pass());
        }
    }
    let mut response = streamed_response(status, rx);
    *response.headers_mut() = response_headers;
    response
}

/// The reply of a translated request: the upstream's stream through a translating
/// [`Repairer`], streamed to the client or folded into one body; an upstream error status
/// becomes the same status with the client wire's error body.
async fn translate_reply(
    relay: &Relay,
    access: Access,
    permit: Option<tokio::sync::OwnedSemaphorePermit>,
    upstream: reqwest::Response,
    (wire, upstream_wire): (crate::Wire, crate::UpstreamWire),
    t: crate::Translated,
) -> Response<Body> {
    let shape = ErrorShape::of(&access.path);
    let status = upstream.status();
    if !status.is_success() {
        let limit = usize::try_from(relay.config.max_body_bytes).unwrap_or(usize::MAX);
        let body = match relay.config.idle_timeout {
            Some(idle) => tokio::time::timeout(idle, upstream.bytes())
                .await
                .ok()
                .and_then(Result::ok),
            None => upstream.bytes().await.ok(),
        }
        .unwrap_or_default();
        let message = upstream_error_message(body.get(..limit).unwrap_or(&body));
        let message = format!("the {upstream_wire} upstream answered {status}: {message}");
        access.log(status, "upstream-error", None);
        return error_response(shape, status, &message);
    }
    let reply = if t.stream {
        crate::Reply::Stream {
            include_usage: t.include_usage,
        }
    } else {
        crate::Reply::Whole
    };
    let repairer = crate::Repairer::translate(
        upstream_wire,
        wire,
        reply,
        Fallback::new(t.model.clone(), unix_now()),
    );
    let idle = relay.config.idle_timeout;
    let (pump, rx) = pump(upstream, idle, relay.abort.clone(), access, status, permit);
    if !t.stream {
        let (status, body) = pump.whole(repairer).await;
        return json_response(status, body);
    }
    tokio::spawn(pump.repair(repairer));
    let mut response = streamed_response(status, rx);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(wire.stream_content_type()),
    );
    response
}

/// The message of an upstream error body: Ollama's `{"error":"…"}`, OpenAI's
/// `{"error":{"message":…}}`, else the body's text.
fn upstream_error_message(body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Inner {
        Text(String),
        Object { message: String },
    }
    #[derive(serde::Deserialize)]
    struct Probe {
        error: Inner,
    }
    match serde_json::from_slice::<Probe>(body) {
        Ok(Probe {
            error: Inner::Text(message) | Inner::Object { message },
        }) => message,
        Err(_) => String::from_utf8_lossy(body).trim().to_owned(),
    }
}

/// The relay's clock in Unix seconds (0 before 1970), the fallback's time of a stream.
fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
}

/// The channel end a streamed reply is read from.
type Frames = mpsc::Receiver<Result<Frame<Bytes>, BoxError>>;

/// A response with `status` whose body is what the pump sends on `rx`.
fn streamed_response(status: StatusCode, mut rx: Frames) -> Response<Body> {
    let body = StreamBody::new(futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx)));
    let mut response = Response::new(BodyExt::boxed_unsync(body));
    *response.status_mut() = status;
    response
}

/// A pump of `upstream`'s body into a new channel, and the channel's end for the client.
fn pump(
    upstream: reqwest::Response,
    idle: Option<Duration>,
    abort: watch::Receiver<bool>,
    access: Access,
    status: StatusCode,
    permit: Option<tokio::sync::OwnedSemaphorePermit>,
) -> (
    Pump<impl futures_util::Stream<Item = reqwest::Result<Bytes>> + Unpin + Send + 'static>,
    Frames,
) {
    let (tx, rx) = mpsc::channel(CHANNEL_FRAMES);
    let pump = Pump {
        body: Box::pin(upstream.bytes_stream()),
        tx,
        idle,
        abort,
        access,
        status,
        _permit: permit,
    };
    (pump, rx)
}

/// Reads the upstream body into the client's channel.
struct Pump<B> {
    /// The upstream response's body.
    body: B,
    tx: mpsc::Sender<Result<Frame<Bytes>, BoxError>>,
    idle: Option<Duration>,
    abort: watch::Receiver<bool>,
    access: Access,
    status: StatusCode,
    /// The stream slot, held until the body ends.
    _permit: Option<tokio::sync::OwnedSemaphorePermit>,
}

/// What one wait on the upstream gave.
enum Read {
    Bytes(Bytes),
    End,
    Failed(String),
    ClientGone,
}

impl<B> Pump<B>
where
    B: futures_util::Stream<Item = reqwest::Result<Bytes>> + Unpin,
{
    /// Waits for the upstream's next bytes, within the idle limit, unless the client goes
    /// away or the relay shuts down first.
    async fn next(&mut self) -> Read {
        let Self {
            body,
            tx,
            idle,
            abort,
            ..
        } = self;
        let read = async {
            match *idle {
                Some(limit) => tokio::time::timeout(limit, body.next()).await.map_err(|_| {
                    format!("the upstream sent nothing for {} s", limit.as_secs_f64())
                }),
                None => Ok(body.next().await),
            }
        };
        tokio::select! {
            biased;
            () = tx.closed() => Read::ClientGone,
            () = flipped(abort) => Read::Failed("the relay is shutting down".into()),
            read = read => match read {
                Ok(Some(Ok(bytes))) => Read::Bytes(bytes),
                Ok(None) => Read::End,
                Ok(Some(Err(e))) => Read::Failed(format!("the upstream connection failed: {}", error_chain(&e))),
                Err(timeout) => Read::Failed(timeout),
            },
        }
    }

    /// Decode → merge → re-encode, chunk by chunk, into the client's stream.
    async fn repair(self, repairer: Repairer) {
        self.repaired(repairer, None).await;
    }

    /// Decode → merge → one body: the whole upstream stream read before the client is
    /// answered; 200 with the reply, or 502 with the client wire's error body when the stream
    /// failed.
    async fn whole(self, repairer: Repairer) -> (StatusCode, Vec<u8>) {
        let mut reply = Vec::new();
        let status = self.repaired(repairer, Some(&mut reply)).await;
        (status, reply)
    }

    /// Reads the upstream through `repairer` to the end of the stream; the output goes to the
    /// client as it comes or, given `reply`, is gathered there. Logs the request and returns
    /// its status: the upstream's, or 502 for a gathered reply whose stream failed.
    async fn repaired(
        mut self,
        mut repairer: Repairer,
        mut reply: Option<&mut Vec<u8>>,
    ) -> StatusCode {
        let outcome = loop {
            let (out, done) = match self.next().await {
                Read::Bytes(bytes) => (repairer.push(&bytes), false),
                Read::End => (repairer.finish(), true),
                Read::Failed(reason) => (repairer.fail(&reason), true),
                Read::ClientGone => break "client-gone",
            };
            let ended = done || repairer.is_ended();
            match reply.as_deref_mut() {
                Some(reply) => reply.extend(out),
                None => {
                    if !out.is_empty()
                        && self
                            .tx
                            .send(Ok(Frame::data(Bytes::from(out))))
                            .await
                            .is_err()
                    {
                        break "client-gone";
                    }
                }
            }
            if ended {
                break if repairer.stats().cut.is_some() {
                    "cut"
                } else if repairer.stats().upstream_errors > 0 {
                    "upstream-error"
                } else {
                    "ok"
                };
            }
        };
        // Drop the upstream before logging: its connection closes now.
        drop(self.body);
        let status = if reply.is_some() && (repairer.is_failed() || outcome != "ok") {
            StatusCode::BAD_GATEWAY
        } else {
            self.status
        };
        self.access.log(status, outcome, Some(repairer.stats()));
        status
    }

    /// The upstream body, unchanged.
    async fn pass(mut self) {
        let outcome = loop {
            match self.next().await {
                Read::Bytes(bytes) => {
                    if self.tx.send(Ok(Frame::data(bytes))).await.is_err() {
                        break "client-gone".to_owned();
                    }
                }
                Read::End => break "ok".to_owned(),
                Read::Failed(reason) => {
                    // No wire to speak here: the client sees the body cut (the error aborts
                    // the response), as the upstream cut it.
                    let _ = self.tx.send(Err(reason.clone().into())).await;
                    break format!("cut: {reason}");
                }
                Read::ClientGone => break "client-gone".to_owned(),
            }
        };
        drop(self.body);
        self.access.log(self.status, &outcome, None);
    }
}

/// The request body streamed upstream; past `limit` bytes it fails (and `over` is set, so the
/// client is answered 413).
fn streamed_request_body(
    body: Incoming,
    limit: Option<u64>,
    over: Arc<AtomicBool>,
) -> reqwest::Body {
    let mut seen: u64 = 0;
    let stream = BodyStream::new(body).filter_map(move |frame| {
        let item = match frame {
            Ok(frame) => match frame.into_data() {
                Ok(data) => {
                    seen = seen.saturating_add(data.len() as u64);
                    if limit.is_some_and(|limit| seen > limit) {
                        over.store(true, Ordering::SeqCst);
                        Some(Err::<Bytes, BoxError>("request body over the limit".into()))
                    } else {
                        Some(Ok(data))
                    }
                }
                // Trailers are not forwarded.
                Err(_) => None,
            },
            Err(e) => Some(Err(e.into())),
        };
        std::future::ready(item)
    });
    reqwest::Body::wrap_stream(stream)
}

/// The status and message for an upstream request that failed before its response.
fn upstream_failure(config: &Config, error: &reqwest::Error) -> (StatusCode, String) {
    let upstream = &config.upstream;
    let detail = error_chain(error);
    if error.is_timeout() {
        (
            StatusCode::GATEWAY_TIMEOUT,
            format!(
                "cannot connect to the upstream {upstream} within {} s: {detail}",
                config.connect_timeout.as_secs_f64()
            ),
        )
    } else if error.is_connect() {
        (
            StatusCode::BAD_GATEWAY,
            format!("cannot connect to the upstream {upstream}: {detail}"),
        )
    } else {
        (
            StatusCode::BAD_GATEWAY,
            format!("the upstream {upstream} failed before responding: {detail}"),
        )
    }
}

/// An error and its sources, `: `-joined (reqwest's own message is only the outermost).
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        let more = inner.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = inner.source();
    }
    text
}

fn too_large(limit: u64) -> String {
    format!("the request body is larger than the relay's limit of {limit} bytes")
}

/// Whether `headers` carry the key, as `Authorization: Bearer <key>` or `x-api-key: <key>`.
fn authorized(headers: &HeaderMap, key: &str) -> bool {
    let bearer = headers
        .get_all(header::AUTHORIZATION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| {
            let (scheme, token) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        });
    let api_key = headers
        .get_all("x-api-key")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::trim);
    let mut found = false;
    for candidate in bearer.chain(api_key) {
        found |= constant_time_eq(candidate.as_bytes(), key.as_bytes());
    }
    found
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Hop-by-hop headers (RFC 9110 §7.6.1), never forwarded either way.
const HOP_BY_HOP: [&str; 9] = [
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

/// `from` without hop-by-hop headers (and those `Connection` names) into `to`.
fn copy_end_to_end(from: &HeaderMap, to: &mut HeaderMap) {
    let named: Vec<String> = from
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|name| name.trim().to_ascii_lowercase())
        .collect();
    for (name, value) in from {
        let lower = name.as_str();
        if HOP_BY_HOP.contains(&lower) || named.iter().any(|n| n == lower) {
            continue;
        }
        to.append(name.clone(), value.clone());
    }
}

/// The request headers sent upstream: end-to-end ones only, without `Host` (the upstream's
/// own is sent) and without the client's credentials.
fn forwarded_headers(from: &HeaderMap) -> HeaderMap {
    let mut headers = HeaderMap::new();
    copy_end_to_end(from, &mut headers);
    headers.remove(header::HOST);
    // The relay answered the client's `Expect: 100-continue` itself.
    headers.remove(header::EXPECT);
    headers.remove(header::AUTHORIZATION);
    headers.remove(HeaderName::from_static("x-api-key"));
    headers
}

/// The `model` of a JSON request body, for the log line.
fn request_model(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Probe {
        model: Option<String>,
    }
    serde_json::from_slice::<Probe>(body).ok()?.model
}

fn json_response(status: StatusCode, body: Vec<u8>) -> Response<Body> {
    let body = Full::new(Bytes::from(body)).map_err(|never| match never {});
    let mut response = Response::new(BodyExt::boxed_unsync(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

fn error_response(shape: ErrorShape, status: StatusCode, message: &str) -> Response<Body> {
    json_response(status, shape.body(status, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_headers() {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer k1"));
        assert!(authorized(&headers, "k1"));
        assert!(!authorized(&headers, "k2"));
        let mut headers = HeaderMap::new();
        headers.insert("x-api-key", HeaderValue::from_static("k2"));
        assert!(authorized(&headers, "k2"));
        assert!(!authorized(&HeaderMap::new(), "k2"));

        let mut headers = HeaderMap::new();
        headers.insert(header::CONNECTION, HeaderValue::from_static("x-secret"));
        headers.insert("x-secret", HeaderValue::from_static("1"));
        headers.insert(header::HOST, HeaderValue::from_static("evil:1"));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer k"));
        headers.insert("x-kept", HeaderValue::from_static("1"));
        let forwarded = forwarded_headers(&headers);
        assert_eq!(forwarded.len(), 1);
        assert!(forwarded.contains_key("x-kept"));
    }
}
