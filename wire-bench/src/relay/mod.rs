//! `wire-bench relay [--quick]`: `ollama-relay` against no relay and against LiteLLM's proxy,
//! on the same stub upstream, at 1, 100 and 1,000 concurrent streams.
//!
//! - The stub ([`stub`]) runs in this process; `ollama-relay` (its binary, built first under
//!   `cargo run`) and LiteLLM's proxy (`--litellm PATH`, `WIRE_BENCH_LITELLM`, or where
//!   `.ci/litellm` installs it) run as children in front of it.
//! - **Latency**: streams paced at one event every 20 ms (a local model's ~50 tokens/s), each
//!   event stamped by the stub; a client's latency per event is its arrival minus that stamp
//!   (one clock, one process). Added latency = the percentile through a proxy − the same
//!   percentile direct, at the same concurrency.
//! - **Throughput**: unpaced streams for a few seconds; events/s per core = events the clients
//!   received / CPU seconds (user + system, /proc/PID/stat) of the proxy's process tree over
//!   the same window.
//! - **Idle memory**: K streams held open after their first event (the stub holds them); the
//!   proxy's RSS (VmRSS of its tree) grows by X, X / K per stream.
//!
//! Every client stream is decoded with the wire's checking decoder and must end properly with
//! every event the stub sent: the others are counted as malformed. Nothing here asserts a speed.

mod client;
mod procs;
mod stub;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;

use client::{Reader, Sink, Wire};
use procs::Proc;
use stub::{Plan, Stub};

const USAGE: &str = "usage: wire-bench relay [--quick] [--litellm PATH | --no-litellm] [--relay PATH] [--streams 1,100,1000] [--secs S] [--pace-ms MS]";

struct Settings {
    quick: bool,
    streams: Vec<usize>,
    /// Seconds each latency and each throughput phase starts streams for.
    secs: f64,
    /// After that, how long streams still running may finish before they are cut.
    grace: f64,
    pace: Duration,
    /// Events per paced stream.
    paced_events: usize,
    /// Events per unpaced stream.
    fast_events: usize,
    /// Streams held open for the idle memory figure.
    idle: usize,
    litellm: Option<PathBuf>,
    no_litellm: bool,
    relay: Option<PathBuf>,
}

fn settings(args: &[String]) -> Result<Settings, String> {
    let mut quick = false;
    let mut litellm = None;
    let mut no_litellm = false;
    let mut relay = None;
    let mut streams = None;
    let mut secs = None;
    let mut pace_ms = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => quick = true,
            "--litellm" => litellm = Some(PathBuf::from(args.next().ok_or(USAGE)?)),
            "--no-litellm" => no_litellm = true,
            "--relay" => relay = Some(PathBuf::from(args.next().ok_or(USAGE)?)),
            "--streams" => {
                let list = args.next().ok_or(USAGE)?;
                let parsed: Result<Vec<usize>, _> = list.split(',').map(str::parse).collect();
                streams = Some(parsed.map_err(|e| format!("--streams {list:?}: {e} ({USAGE})"))?);
            }
            "--secs" | "--pace-ms" => {
                let value = args.next().ok_or(USAGE)?;
                let v: f64 = value
                    .parse()
                    .ok()
                    .filter(|v: &f64| v.is_finite() && *v > 0.0)
                    .ok_or(format!("{arg} {value:?}: a positive number ({USAGE})"))?;
                if arg == "--secs" {
                    secs = Some(v);
                } else {
                    pace_ms = Some(v);
                }
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?} ({USAGE})")),
        }
    }
    let litellm = litellm.or_else(|| std::env::var_os("WIRE_BENCH_LITELLM").map(PathBuf::from));
    Ok(Settings {
        quick,
        streams: streams.unwrap_or_else(|| vec![1, 100, 1000]),
        secs: secs.unwrap_or(if quick { 1.5 } else { 5.0 }),
        grace: if quick { 5.0 } else { 10.0 },
        pace: Duration::from_secs_f64(pace_ms.unwrap_or(20.0) / 1e3),
        paced_events: if quick { 20 } else { 50 },
        fast_events: if quick { 50 } else { 100 },
        idle: if quick { 200 } else { 1000 },
        litellm,
        no_litellm,
        relay,
    })
}

/// Where streams go.
struct Target {
    name: &'static str,
    base: String,
    /// The process measured (none for direct).
    pid: Option<u32>,
    client: reqwest::Client,
    wires: &'static [Wire],
}

fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap_or_else(|_| reqwest::Client::new())
}

/// What one phase measured.
#[derive(Default)]
struct Phase {
    /// Event latencies, ns, sorted.
    latencies: Vec<u64>,
    streams: u64,
    malformed: u64,
    samples: Vec<String>,
    /// Workers still streaming when the grace ran out.
    cut: u64,
    wall: f64,
    cpu: Option<f64>,
}

impl Phase {
    fn events(&self) -> u64 {
        self.latencies.len() as u64
    }

    fn percentile_ms(&self, p: f64) -> Option<f64> {
        if self.latencies.is_empty() {
            return None;
        }
        let rank = ((self.latencies.len() as f64) * p).ceil() as usize;
        let i = rank.clamp(1, self.latencies.len()) - 1;
        self.latencies.get(i).map(|&ns| ns as f64 / 1e6)
    }

    fn per_core(&self) -> Option<f64> {
        self.cpu
            .filter(|&c| c > 0.0)
            .map(|c| self.events() as f64 / c)
    }
}

#[derive(Default)]
struct Tally {
    streams: AtomicU64,
    malformed: AtomicU64,
    samples: Mutex<Vec<String>>,
}

impl Tally {
    fn record(&self, outcome: Result<usize, String>, who: &str) {
        match outcome {
            Ok(_) => {
                self.streams.fetch_add(1, Ordering::Relaxed);
            }
            Err(why) => {
                self.malformed.fetch_add(1, Ordering::Relaxed);
                let mut samples = self.samples.lock().unwrap_or_else(|p| p.into_inner());
                if samples.len() < 3 {
                    samples.push(format!("{who}: {why}"));
                }
            }
        }
    }
}

/// `streams` workers, each streaming `plan` again and again for `s.secs`, then `s.grace` for
/// the last ones to finish.
async fn phase(
    target: &Target,
    wire: Wire,
    streams: usize,
    plan: Plan,
    s: &Settings,
    ticks: f64,
) -> Phase {
    let tally = Arc::new(Tally::default());
    let sinks: Vec<Sink> = (0..streams).map(|_| Sink::default()).collect();
    let cpu_before = target.pid.map(|p| procs::cpu_seconds(p, ticks));
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(s.secs);
    let mut workers = tokio::task::JoinSet::new();
    for (i, sink) in sinks.iter().enumerate() {
        let client = target.client.clone();
        let base = target.base.clone();
        let tally = Arc::clone(&tally);
        let sink = Arc::clone(sink);
        let name = target.name;
        // Paced streams start spread over one pace, as independent clients would.
        let offset = plan.pace.mul_f64(i as f64 / streams as f64);
        workers.spawn(async move {
            tokio::time::sleep(offset).await;
            while Instant::now() < deadline {
                let outcome =
                    match Reader::open(&client, &base, wire, plan, Arc::clone(&sink)).await {
                        Ok(reader) => reader.drain(plan.events).await,
                        Err(e) => Err(e),
                    };
                tally.record(outcome, name);
            }
        });
    }
    let all = async { while workers.join_next().await.is_some() {} };
    let bound = Duration::from_secs_f64(s.secs + s.grace);
    let cut = match tokio::time::timeout(bound, all).await {
        Ok(()) => 0,
        Err(_) => {
            let left = workers.len() as u64;
            workers.abort_all();
            left
        }
    };
    let wall = started.elapsed().as_secs_f64();
    let cpu = target
        .pid
        .zip(cpu_before)
        .map(|(p, before)| procs::cpu_seconds(p, ticks) - before);
    while workers.join_next().await.is_some() {}
    let mut latencies = Vec::new();
    for sink in &sinks {
        latencies.extend(sink.lock().unwrap_or_else(|p| p.into_inner()).iter());
    }
    latencies.sort_unstable();
    let samples = std::mem::take(&mut *tally.samples.lock().unwrap_or_else(|p| p.into_inner()));
    Phase {
        latencies,
        streams: tally.streams.load(Ordering::Relaxed),
        malformed: tally.malformed.load(Ordering::Relaxed),
        samples,
        cut,
        wall,
        cpu,
    }
}

/// A few short streams: the target works (or why not).
async fn warm_up(target: &Target, wire: Wire) -> Result<(), String> {
    let plan = Plan {
        events: 5,
        pace: Duration::ZERO,
        hold: false,
    };
    for _ in 0..20 {
        let reader =
            Reader::open(&target.client, &target.base, wire, plan, Sink::default()).await?;
        reader.drain(plan.events).await?;
    }
    Ok(())
}

/// RSS growth of the target's tree per stream held open after its first event, KiB.
async fn idle_kib(target: &Target, stub: &Stub, k: usize) -> Result<f64, String> {
    let pid = target.pid.ok_or("no process")?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let before = procs::rss_kib(pid);
    let plan = Plan {
        events: 3,
        pace: Duration::ZERO,
        hold: true,
    };
    let opened: Vec<Result<Reader, String>> = futures_util::stream::iter(0..k)
        .map(|_| async move {
            let mut reader = Reader::open(
                &target.client,
                &target.base,
                Wire::Sse,
                plan,
                Sink::default(),
            )
            .await?;
            reader.until(1).await?;
            Ok(reader)
        })
        .buffer_unordered(64)
        .collect()
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = procs::rss_kib(pid);
    stub.release();
    let mut failed = None;
    let mut readers = Vec::new();
    for r in opened {
        match r {
            Ok(reader) => readers.push(reader),
            Err(e) => failed = Some(e),
        }
    }
    let drained: Vec<Result<usize, String>> = futures_util::stream::iter(readers)
        .map(|r| r.drain(plan.events))
        .buffer_unordered(256)
        .collect()
        .await;
    if let Some(e) = failed.or_else(|| drained.into_iter().find_map(Result::err)) {
        return Err(format!("an idle stream failed: {e}"));
    }
    Ok((after as f64 - before as f64) / k as f64)
}

fn ms(v: Option<f64>) -> String {
    v.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.3}"))
}

fn num(v: Option<f64>, digits: usize) -> String {
    v.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.digits$}"))
}

/// Runs the benchmark (`args` after `relay`); the process exit code.
pub(crate) fn main(args: &[String]) -> i32 {
    let s = match settings(args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return 2;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("wire-bench relay: cannot start the runtime: {e}");
            return 1;
        }
    };
    match runtime.block_on(run(s)) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("wire-bench relay: {e}");
            1
        }
    }
}

async fn run(s: Settings) -> Result<(), String> {
    let started = Instant::now();
    let ticks = procs::clock_ticks();
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let stub = stub::start().await.map_err(|e| format!("stub: {e}"))?;
    let relay_bin = procs::relay_binary(s.relay.clone())?;
    let (relay, relay_base) = procs::start_relay(&relay_bin, stub.port)?;
    println!(
        "wire-bench relay{}: {cores} cores; stub on 127.0.0.1:{}; ollama-relay {} (pid {}) at {relay_base}",
        if s.quick { " --quick" } else { "" },
        stub.port,
        relay_bin.display(),
        relay.pid()
    );
    println!(
        "phases: {} s of streams (+ up to {} s to finish) per row; paced: {} events, one per {} ms; unpaced: {} events; idle: {} streams",
        s.secs,
        s.grace,
        s.paced_events,
        s.pace.as_millis(),
        s.fast_events,
        s.idle
    );

    // LiteLLM, if it is here and starts.
    let mut litellm: Option<(Proc, String)> = None;
    let mut litellm_why = String::new();
    if s.no_litellm {
        litellm_why = "--no-litellm".to_owned();
    } else {
        match s.litellm.clone().or_else(procs::litellm_default) {
            None => {
                litellm_why = "no LiteLLM: run `bash .ci/litellm` (or pass --litellm PATH / WIRE_BENCH_LITELLM)".to_owned();
            }
            Some(path) => match procs::start_litellm(&path, stub.port).await {
                Ok((proc, base)) => {
                    println!(
                        "litellm {} (pid {}) at {base}, offline: {}",
                        path.display(),
                        proc.pid(),
                        procs::LITELLM_ENV
                            .iter()
                            .map(|(k, v)| format!("{k}={v}"))
                            .collect::<Vec<_>>()
                            .join(" ")
                    );
                    litellm = Some((proc, base));
                }
                Err(e) => litellm_why = format!("LiteLLM {} did not start: {e}", path.display()),
            },
        }
    }

    let mut targets = vec![
        Target {
            name: "direct",
            base: format!("http://127.0.0.1:{}", stub.port),
            pid: None,
            client: http_client(),
            wires: &[Wire::Sse, Wire::Ndjson],
        },
        Target {
            name: "ollama-relay",
            base: relay_base,
            pid: Some(relay.pid()),
            client: http_client(),
            wires: &[Wire::Sse, Wire::Ndjson],
        },
    ];
    if let Some((proc, base)) = &litellm {
        targets.push(Target {
            name: "litellm",
            base: base.clone(),
            pid: Some(proc.pid()),
            client: http_client(),
            // LiteLLM's proxy speaks OpenAI's wire to its clients, not Ollama's.
            wires: &[Wire::Sse],
        });
    }
    let mut failed_targets = Vec::new();
    for target in &targets {
        for &wire in target.wires {
            if let Err(e) = warm_up(target, wire).await {
                let why = format!("{} {} does not stream: {e}", target.name, wire.name());
                println!("{why}");
                failed_targets.push((target.name, why));
            }
        }
    }
    if let Some((name, why)) = failed_targets.iter().find(|(n, _)| *n != "litellm") {
        return Err(format!("{name}: {why}"));
    }
    if let Some((_, why)) = failed_targets.first() {
        litellm_why = why.clone();
        targets.retain(|t| t.name != "litellm");
        if let Some((proc, _)) = &litellm {
            println!("litellm's log:\n{}", proc.log_tail(30));
        }
    }
    if targets.iter().any(|t| t.name == "litellm") {
        println!("litellm proxied the stub's stream (warm-up: 20 streams, each checked).");
    } else {
        println!("LiteLLM keys are n/a: {litellm_why}");
    }

    // Idle memory, on processes that have only been warmed up.
    println!(
        "\n== RSS per idle stream ({} streams held after their first event)",
        s.idle
    );
    let mut idle = BTreeMap::new();
    for target in targets.iter().filter(|t| t.pid.is_some()) {
        match idle_kib(target, &stub, s.idle).await {
            Ok(kib) => {
                println!("{:<14} {kib:>8.1} KiB per idle stream", target.name);
                idle.insert(target.name, kib);
            }
            Err(e) => println!("{:<14} n/a: {e}", target.name),
        }
    }

    // Latency and throughput.
    let mut results: BTreeMap<(&'static str, Wire, usize), (Phase, Phase)> = BTreeMap::new();
    println!(
        "\n{:<14} {:<6} {:>5} | {:>9} {:>9} {:>9} {:>9} | {:>10} {:>8} {:>12} | {:>6} {:>5} {:>4}",
        "path",
        "wire",
        "c",
        "p50 ms",
        "p99 ms",
        "+p50 ms",
        "+p99 ms",
        "events/s",
        "cpu s",
        "events/core",
        "ok",
        "bad",
        "cut"
    );
    for &c in &s.streams {
        for wire in [Wire::Sse, Wire::Ndjson] {
            for target in targets.iter().filter(|t| t.wires.contains(&wire)) {
                let paced = Plan {
                    events: s.paced_events,
                    pace: s.pace,
                    hold: false,
                };
                let fast = Plan {
                    events: s.fast_events,
                    pace: Duration::ZERO,
                    hold: false,
                };
                let lat = phase(target, wire, c, paced, &s, ticks).await;
                let thr = phase(target, wire, c, fast, &s, ticks).await;
                let direct = results.get(&("direct", wire, c)).map(|(l, _)| l);
                let added = |p: f64| {
                    Some(lat.percentile_ms(p)? - direct.and_then(|d| d.percentile_ms(p))?)
                        .filter(|_| target.name != "direct")
                };
                println!(
                    "{:<14} {:<6} {:>5} | {:>9} {:>9} {:>9} {:>9} | {:>10.0} {:>8} {:>12} | {:>6} {:>5} {:>4}",
                    target.name,
                    wire.name(),
                    c,
                    ms(lat.percentile_ms(0.5)),
                    ms(lat.percentile_ms(0.99)),
                    ms(added(0.5)),
                    ms(added(0.99)),
                    thr.events() as f64 / thr.wall,
                    num(thr.cpu, 2),
                    num(thr.per_core(), 0),
                    lat.streams + thr.streams,
                    lat.malformed + thr.malformed,
                    lat.cut + thr.cut,
                );
                for sample in lat.samples.iter().chain(&thr.samples) {
                    println!("    malformed: {sample}");
                }
                results.insert((target.name, wire, c), (lat, thr));
            }
        }
    }

    // The summary.
    let mut summary: Vec<(String, String)> = Vec::new();
    let get = |name: &str, wire: Wire, c: usize| {
        results
            .iter()
            .find(|((n, w, cc), _)| *n == name && *w == wire && *cc == c)
            .map(|(_, v)| v)
    };
    let added = |name: &str, wire: Wire, c: usize, p: f64| {
        let (lat, _) = get(name, wire, c)?;
        let (direct, _) = get("direct", wire, c)?;
        Some(lat.percentile_ms(p)? - direct.percentile_ms(p)?)
    };
    let per_core = |name: &str, wire: Wire, c: usize| get(name, wire, c)?.1.per_core();
    let mut malformed = 0;
    let mut cut = 0;
    for (lat, thr) in results.values() {
        malformed += lat.malformed + thr.malformed;
        cut += lat.cut + thr.cut;
    }
    // The relay's figures, then LiteLLM's under the same names prefixed `litellm_`.
    let prefixes = [("ollama-relay", ""), ("litellm", "litellm_")];
    for &c in &s.streams {
        let k = |figure: &str| format!("relay.c{c}.{figure}");
        for (name, prefix) in prefixes {
            let sse = |figure: &str| k(&format!("{prefix}{figure}"));
            summary.push((sse("p50_added_ms"), ms(added(name, Wire::Sse, c, 0.5))));
            summary.push((sse("p99_added_ms"), ms(added(name, Wire::Sse, c, 0.99))));
            summary.push((sse("events_per_core"), num(per_core(name, Wire::Sse, c), 0)));
        }
        let x = per_core("ollama-relay", Wire::Sse, c)
            .zip(per_core("litellm", Wire::Sse, c))
            .map(|(a, b)| a / b);
        summary.push((k("events_per_core_x_litellm"), num(x, 2)));
        summary.push((
            k("ndjson_p99_added_ms"),
            ms(added("ollama-relay", Wire::Ndjson, c, 0.99)),
        ));
        summary.push((
            k("ndjson_events_per_core"),
            num(per_core("ollama-relay", Wire::Ndjson, c), 0),
        ));
    }
    for (name, prefix) in prefixes {
        summary.push((
            format!("relay.{prefix}idle_stream_kib"),
            num(idle.get(name).copied(), 1),
        ));
    }
    summary.push(("relay.malformed".to_owned(), malformed.to_string()));
    summary.push(("relay.cut".to_owned(), cut.to_string()));

    // Goals (issue 18), reported, never asserted.
    println!("\n== goals (issue 18)");
    let verdict = |v: Option<bool>| match v {
        Some(true) => "met",
        Some(false) => "MISSED",
        None => "n/a",
    };
    let p99 = added("ollama-relay", Wire::Sse, 100, 0.99);
    println!(
        "p99 added latency ≤ 1 ms at 100 streams: {} ms {}",
        ms(p99),
        verdict(p99.map(|v| v <= 1.0))
    );
    let x = per_core("ollama-relay", Wire::Sse, 100)
        .zip(per_core("litellm", Wire::Sse, 100))
        .map(|(a, b)| a / b);
    println!(
        "≥ 10× LiteLLM's events/s per core at 100 streams: {}× {}{}",
        num(x, 2),
        verdict(x.map(|v| v >= 10.0)),
        match (x, litellm_why.is_empty()) {
            (Some(_), _) => String::new(),
            (None, false) => format!(" ({litellm_why})"),
            (None, true) => " (no 100-stream row: --streams)".to_owned(),
        }
    );
    let kib = idle.get("ollama-relay").copied();
    println!(
        "≤ 64 KiB per idle stream: {} KiB {}",
        num(kib, 1),
        verdict(kib.map(|v| v <= 64.0))
    );
    println!("malformed streams: {malformed}; streams cut at a phase's end: {cut}");

    drop(litellm);
    drop(relay);
    // The logs and LiteLLM's config go too (they stay when a run fails).
    let _ = std::fs::remove_dir_all(procs::scratch());
    println!(
        "\n(wall time {:.1} s; on a busy machine latency and CPU figures are noisy)",
        started.elapsed().as_secs_f64()
    );
    let mut line = String::from("summary:");
    line.push_str(if s.quick { " mode=quick" } else { " mode=full" });
    for (k, v) in &summary {
        let _ = write!(line, " {k}={v}");
    }
    println!("{line}");
    Ok(())
}
