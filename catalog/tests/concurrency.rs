//! `/api/show` requests run concurrently, never more than `with_concurrency` at a time, checked
//! by counting requests in flight at the server rather than by timing the whole discovery.
#![cfg(feature = "discover")]

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use ollama_catalog::{BaseUrl, DiscoverOptions, DiscoveryPlan, discover};
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::Barrier;

#[path = "common/bodies.rs"]
mod bodies;
use bodies::{show_body, tags_body};

const MODELS: usize = 6;
const BOUND: usize = 3;

/// Counts `/api/show` requests in flight. Each one waits at a barrier until `BOUND` of them are
/// in flight together, so a client that respects the bound and runs its requests concurrently
/// meets it in waves of exactly `BOUND`; a sequential client never fills a wave (each request
/// gives up after `GIVE_UP`, and the maximum seen stays 1); a client that ignores the bound has
/// more than `BOUND` in flight while a wave is held for `HOLD`. Nothing here depends on how fast
/// the machine is: timing only decides how quickly a broken client is caught.
struct Server {
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    shows: AtomicUsize,
    wave: Barrier,
}

const GIVE_UP: Duration = Duration::from_secs(1);
const HOLD: Duration = Duration::from_millis(50);

impl Server {
    async fn answer(&self, request: Request<Incoming>) -> Response<Full<Bytes>> {
        let path = request.uri().path().to_owned();
        let body = request
            .into_body()
            .collect()
            .await
            .map(|b| b.to_bytes())
            .unwrap_or_default();
        let reply = match path.as_str() {
            "/api/tags" => {
                let ids: Vec<String> = (0..MODELS).map(|i| format!("m{i}:1b")).collect();
                tags_body(&ids.iter().map(String::as_str).collect::<Vec<_>>())
            }
            "/api/show" => {
                let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                self.max_in_flight.fetch_max(now, Ordering::SeqCst);
                self.shows.fetch_add(1, Ordering::SeqCst);
                let _ = tokio::time::timeout(GIVE_UP, self.wave.wait()).await;
                tokio::time::sleep(HOLD).await;
                self.in_flight.fetch_sub(1, Ordering::SeqCst);
                let asked: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                assert!(asked["model"].is_string(), "show without a model: {asked}");
                show_body("a", 4096, &["completion", "tools"])
            }
            other => json!({ "error": format!("unexpected path {other}") }),
        };
        Response::new(Full::new(Bytes::from(reply.to_string())))
    }
}

async fn start() -> (String, Arc<Server>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = Arc::new(Server {
        in_flight: AtomicUsize::new(0),
        max_in_flight: AtomicUsize::new(0),
        shows: AtomicUsize::new(0),
        wave: Barrier::new(BOUND),
    });
    let shared = Arc::clone(&server);
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let server = Arc::clone(&shared);
            tokio::spawn(async move {
                let service = service_fn(move |request| {
                    let server = Arc::clone(&server);
                    async move { Ok::<_, Infallible>(server.answer(request).await) }
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (format!("http://{address}"), server)
}

#[tokio::test]
async fn show_requests_run_concurrently_within_the_bound() {
    let (base, server) = start().await;
    let options = DiscoverOptions::default()
        .with_concurrency(BOUND)
        .with_show_timeout(Duration::from_secs(10));
    let plan = DiscoveryPlan::new(BaseUrl::parse(&base).unwrap());
    let catalog = discover(&reqwest::Client::new(), &plan, &options)
        .await
        .unwrap();
    assert_eq!(catalog.models().len(), MODELS);
    assert_eq!(server.shows.load(Ordering::SeqCst), MODELS);
    assert_eq!(
        server.max_in_flight.load(Ordering::SeqCst),
        BOUND,
        "requests in flight at once (1: not concurrent; more than {BOUND}: bound ignored)"
    );
}
