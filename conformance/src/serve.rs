//! `conformance serve`: a replay server that answers from the corpus.
//!
//! A request is answered with a case's status, content type and body bytes, streamed in small
//! pieces (each line or event cut at pseudo-random points, 1 ms apart) so that clients meet
//! realistic network chunking. The case is chosen by:
//! 1. the `x-conformance-case: <wire>/<case-id>` request header, if present;
//! 2. otherwise the first case (in corpus order) whose method, path and request body (compared
//!    as JSON) match; for `GET` routes, the first successful case of that path.
//!
//! Every response names the case it came from in `x-conformance-case`. A request that matches
//! nothing gets a `404` with an `{"error": …}` body saying how to pick a case.
//!
//! With `x-conformance-translate: anthropic|responses|openai|ollama` the chosen case (a
//! successful stream of any wire) is served re-encoded to that wire instead of as recorded:
//! [`pipeline::translate`] (decode, merge, the target's
//! `stream-merge` encoder), with the target's content type (`text/event-stream`, or
//! `application/x-ndjson` for `ollama`), cut into pieces the same way. The header is echoed
//! on the response. An unknown wire, or a case that is not a successful message stream, gets a
//! `400` with an `{"error": …}` body.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Bytes, Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode, header};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpListener;

use crate::checks::SplitPlan;
use crate::corpus::{Case, Wire};
use crate::pipeline::{self, Input};

/// The header that picks a case, and names the case served.
pub const CASE_HEADER: &str = "x-conformance-case";

/// The header that asks for the case re-encoded to another wire, and names the wire served.
pub const TRANSLATE_HEADER: &str = "x-conformance-translate";

type Body = UnsyncBoxBody<Bytes, Infallible>;

/// Serves `cases` on `listener` until the task is dropped.
///
/// # Errors
///
/// The listener's error when accepting a connection fails.
pub async fn serve(listener: TcpListener, cases: Vec<Case>) -> std::io::Result<()> {
    let cases = Arc::new(cases);
    loop {
        let (stream, _) = listener.accept().await?;
        let cases = Arc::clone(&cases);
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let cases = Arc::clone(&cases);
                async move { Ok::<_, Infallible>(answer(request, &cases).await) }
            });
            // A client that goes away mid-response is not the server's problem.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn answer(request: Request<Incoming>, cases: &[Case]) -> Response<Body> {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let pick = request
        .headers()
        .get(CASE_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let translate = match request.headers().get(TRANSLATE_HEADER) {
        None => None,
        Some(value) => match value.to_str().ok().and_then(parse_wire) {
            Some(wire) => Some(wire),
            None => {
                return error_response(
                    StatusCode::BAD_REQUEST,
                    &format!(
                        "{TRANSLATE_HEADER} must be one of anthropic, responses, openai, ollama; got {value:?}"
                    ),
                );
            }
        },
    };
    let body = match request.into_body().collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) => return not_found(&format!("cannot read the request body: {e}")),
    };
    let case = match find(cases, &method, &path, pick.as_deref(), &body) {
        Ok(case) => case,
        Err(message) => return not_found(&message),
    };
    match translate {
        None => respond(case),
        Some(target) => match translated(case, target) {
            Ok(bytes) => respond_bytes(
                case,
                StatusCode::OK,
                Some(pipeline::translated_content_type(target)),
                &bytes,
                Some(target),
            ),
            Err(message) => error_response(StatusCode::BAD_REQUEST, &message),
        },
    }
}

/// A wire by its folder name.
pub fn parse_wire(name: &str) -> Option<Wire> {
    Wire::ALL.into_iter().find(|w| w.as_str() == name)
}

/// A case's body re-encoded to `target`.
///
/// # Errors
///
/// A message for the client when the case is not a successful (status 200) stream, or is a
/// progress stream.
pub fn translated(case: &Case, target: Wire) -> Result<Vec<u8>, String> {
    let streamed = case.meta.content_type.as_deref().is_some_and(|ct| {
        ct.starts_with("text/event-stream") || ct.starts_with("application/x-ndjson")
    });
    if case.meta.status != 200 || !streamed {
        return Err(format!(
            "{}/{} is not a successful stream (status {}, content type {:?}): only streams translate",
            case.wire, case.id, case.meta.status, case.meta.content_type
        ));
    }
    pipeline::translate(
        &Input {
            body: &case.body,
            wire: Some(case.wire),
            status: Some(case.meta.status),
            content_type: case.meta.content_type.as_deref(),
        },
        target,
    )
    .map_err(|e| format!("{}/{}: {e}", case.wire, case.id))
}

/// Chooses the case that answers a request.
///
/// # Errors
///
/// A message for the client (served with a 404) when no case is named `pick`, no case answers
/// a GET or HEAD of the route, the request body is not JSON, or no case of the route has this
/// request body.
pub fn find<'a>(
    cases: &'a [Case],
    method: &Method,
    path: &str,
    pick: Option<&str>,
    body: &[u8],
) -> Result<&'a Case, String> {
    if let Some(name) = pick {
        return cases
            .iter()
            .find(|c| format!("{}/{}", c.wire, c.id) == name)
            .ok_or_else(|| format!("no case named {name:?} in the corpus"));
    }
    let same_route = |c: &&Case| c.meta.endpoint == path && c.meta.method == method.as_str();
    if method == Method::GET || method == Method::HEAD {
        return cases
            .iter()
            .filter(same_route)
            .find(|c| (200..300).contains(&c.meta.status))
            .ok_or_else(|| format!("no case answers {method} {path}"));
    }
    let wanted: Value = serde_json::from_slice(body)
        .map(with_full_model_name)
        .map_err(|e| {
            format!("the request body is not JSON ({e}); send {CASE_HEADER} to pick a case")
        })?;
    cases
        .iter()
        .filter(same_route)
        .find(|c| {
            c.request
                .as_deref()
                .and_then(|r| serde_json::from_slice::<Value>(r).ok())
                .is_some_and(|r| with_full_model_name(r) == wanted)
        })
        .ok_or_else(|| {
            format!("no case of {method} {path} has this request body; send {CASE_HEADER}: <wire>/<case-id> to pick one")
        })
}

/// The request with its `model` (and legacy `name`) spelled in full, as Ollama resolves a model
/// name: a name without a tag means the `latest` tag, so `{"model":"gemma3"}` and
/// `{"model":"gemma3:latest"}` ask for the same model.
fn with_full_model_name(mut request: Value) -> Value {
    for key in ["model", "name"] {
        if let Some(Value::String(name)) = request.get_mut(key) {
            let last_segment = name.rsplit('/').next().unwrap_or_default();
            if !name.is_empty() && !last_segment.contains(':') {
                name.push_str(":latest");
            }
        }
    }
    request
}

fn not_found(message: &str) -> Response<Body> {
    error_response(StatusCode::NOT_FOUND, message)
}

fn error_response(status: StatusCode, message: &str) -> Response<Body> {
    let body = serde_json::json!({ "error": message }).to_string();
    let mut response = Response::new(Full::new(Bytes::from(body)).boxed_unsync());
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

fn respond(case: &Case) -> Response<Body> {
    respond_bytes(
        case,
        StatusCode::from_u16(case.meta.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        case.meta.content_type.as_deref(),
        &case.body,
        None,
    )
}

fn respond_bytes(
    case: &Case,
    status: StatusCode,
    content_type: Option<&str>,
    body: &[u8],
    translated_to: Option<Wire>,
) -> Response<Body> {
    let pieces = pieces(body, &case.id);
    let stream = futures_util::stream::iter(pieces).then(|piece| async move {
        tokio::time::sleep(Duration::from_millis(1)).await;
        Ok::<_, Infallible>(Frame::data(piece))
    });
    let mut response = Response::new(BodyExt::boxed_unsync(StreamBody::new(stream)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Some(ct) = content_type.and_then(|ct| header::HeaderValue::from_str(ct).ok()) {
        headers.insert(header::CONTENT_TYPE, ct);
    }
    if let Some(wire) = translated_to {
        headers.insert(
            TRANSLATE_HEADER,
            header::HeaderValue::from_static(wire.as_str()),
        );
    }
    if let Ok(name) = header::HeaderValue::from_str(&format!("{}/{}", case.wire, case.id)) {
        headers.insert(CASE_HEADER, name);
    }
    response
}

/// Cuts a body into network-sized pieces: each line (NDJSON, SSE; a blank line rides with the
/// line before) in up to three parts at pseudo-random points, the same for every run of the same
/// case.
pub fn pieces(body: &[u8], case_id: &str) -> Vec<Bytes> {
    let plan = SplitPlan::Lines {
        seed: test_support::seed(case_id),
        cuts: 2,
    };
    plan.split(body)
        .into_iter()
        .map(Bytes::copy_from_slice)
        .collect()
}
