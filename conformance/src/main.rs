//! `conformance`: the project's main job and a stream debugging tool.
//!
//! ```text
//! conformance [run] [--fixtures DIR]
//!     Replay the whole corpus; print a table and a summary line; exit 1 if any case fails.
//! conformance replay [--wire ollama|openai] [--events] [--status N] [--content-type T] FILE|-
//!     Decode one response body (as received) and print the reduced message as one JSON object,
//!     or with --events the merge events, one JSON object per line. Exit 0 whenever the input was
//!     processed, even if it held an upstream error or was cut short.
//! conformance sse FILE|-
//!     Print the raw SSE events per the WHATWG rules, one JSON object per line.
//! conformance discover [--base-url URL]
//!     Live discovery against an Ollama server (default http://127.0.0.1:11434, OLLAMA_API_KEY
//!     sent when set): prints the catalog in the `models.providers.ollama` shape, why models
//!     were left out on stderr; exits 1 with the URL tried when the server cannot be used.
//! conformance live [--base-url URL] [--model NAME] [--break usage|done|greedy]
//!     Real requests to a running OpenAI-compatible server (default http://127.0.0.1:8080),
//!     streamed through the async adapters and checked against model-independent invariants;
//!     exit 1 if any fails. --break flips one invariant to show that the lane can fail.
//! conformance record --base-url URL --request FILE --id ID --server TEXT --server-version TEXT
//!                    [--endpoint PATH] [--description TEXT] [--fixtures DIR]
//!     Send FILE as the request body and save the exchange as fixtures/<wire>/<ID>/ with a
//!     `recorded` provenance record.
//! conformance serve [--addr 127.0.0.1:PORT] [--fixtures DIR]
//!     Answer /api/* and /v1/* requests from the corpus (see `conformance::serve`); prints
//!     `listening on http://ADDR` first. Port 0 picks a free port.
//! ```
//! Usage and I/O errors exit 2.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use conformance::corpus::Wire;
use conformance::pipeline::{self, Input};
use conformance::{ExpectedFailures, default_expected_failures, default_fixtures_dir};
use openai_wire::sse::{Frame, SseDecoder};

const USAGE: &str = "usage:
  conformance [run] [--fixtures DIR]
  conformance replay [--wire ollama|openai] [--events] [--status N] [--content-type T] FILE|-
  conformance sse FILE|-
  conformance discover [--base-url URL]
  conformance live [--base-url URL] [--model NAME] [--break usage|done|greedy]
  conformance record --base-url URL --request FILE --id ID --server TEXT --server-version TEXT
                     [--endpoint PATH] [--description TEXT] [--fixtures DIR]
  conformance serve [--addr 127.0.0.1:PORT] [--fixtures DIR]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("replay") => replay(args.get(1..).unwrap_or_default()),
        Some("sse") => sse(args.get(1..).unwrap_or_default()),
        Some("run") => run(args.get(1..).unwrap_or_default()),
        Some("serve") => serve(args.get(1..).unwrap_or_default()),
        Some("discover") => discover(args.get(1..).unwrap_or_default()),
        Some("live") => live(args.get(1..).unwrap_or_default()),
        Some("record") => record(args.get(1..).unwrap_or_default()),
        Some("-h" | "--help") => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        _ => run(&args),
    };
    result.unwrap_or_else(|message| {
        if message.is_empty() {
            // stdout was closed early (e.g. piped into `head`): nothing left to say.
            return ExitCode::SUCCESS;
        }
        eprintln!("conformance: {message}");
        if !message.starts_with("cannot ") {
            eprintln!("{USAGE}");
        }
        ExitCode::from(2)
    })
}

/// A write error as a message; a closed pipe is the empty message (a quiet end).
fn write_error(e: std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        String::new()
    } else {
        format!("cannot write: {e}")
    }
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    let mut fixtures = default_fixtures_dir();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--fixtures" => {
                fixtures = PathBuf::from(args.next().ok_or("--fixtures needs a directory")?);
            }
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }
    let cases = conformance::load(&fixtures).map_err(|e| format!("cannot read the corpus: {e}"))?;
    let expected = ExpectedFailures::load(&default_expected_failures())
        .map_err(|e| format!("cannot read the expected-failure list: {e}"))?;
    let reports = conformance::run_all(&cases, &expected);
    print!("{}", conformance::render(&reports));
    Ok(if reports.iter().any(conformance::CaseReport::failed) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn read_input(path: &str) -> Result<Vec<u8>, String> {
    if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        Ok(bytes)
    } else {
        std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))
    }
}

fn replay(args: &[String]) -> Result<ExitCode, String> {
    let (mut wire, mut events, mut status, mut content_type, mut file) =
        (None, false, None, None, None);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--wire" => {
                wire = Some(match args.next().map(String::as_str) {
                    Some("ollama") => Wire::Ollama,
                    Some("openai") => Wire::OpenAi,
                    other => return Err(format!("--wire takes ollama or openai, not {other:?}")),
                });
            }
            "--events" => events = true,
            "--status" => {
                let value = args.next().ok_or("--status needs a number")?;
                status = Some(
                    value
                        .parse::<u16>()
                        .map_err(|_| format!("--status takes an HTTP status, not {value:?}"))?,
                );
            }
            "--content-type" => {
                content_type = Some(args.next().ok_or("--content-type needs a value")?.clone());
            }
            path if file.is_none() && (path == "-" || !path.starts_with('-')) => {
                file = Some(path.to_owned());
            }
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }
    let body = read_input(&file.ok_or("replay needs a FILE (or - for standard input)")?)?;
    let replay = pipeline::replay(&Input {
        body: &body,
        wire,
        status,
        content_type: content_type.as_deref(),
    });
    let mut out = std::io::stdout().lock();
    let written = if events {
        replay
            .events
            .iter()
            .try_for_each(|e| writeln!(out, "{}", pipeline::event_json(e)))
    } else {
        writeln!(out, "{}", pipeline::reduced_json(&replay))
    };
    written.map_err(write_error)?;
    Ok(ExitCode::SUCCESS)
}

fn sse(args: &[String]) -> Result<ExitCode, String> {
    let [path] = args else {
        return Err("sse needs exactly one FILE (or - for standard input)".to_owned());
    };
    let body = read_input(path)?;
    let mut decoder = SseDecoder::new();
    decoder.push(&body);
    let mut out = std::io::stdout().lock();
    for frame in &mut decoder {
        match frame {
            Ok(Frame::Event(event)) => {
                let line = serde_json::json!({
                    "type": event.event.as_deref().unwrap_or("message"),
                    "data": event.data,
                    "id": event.id,
                });
                writeln!(out, "{line}").map_err(write_error)?;
            }
            Ok(_) => {}
            Err(e) => eprintln!("conformance: {e}"),
        }
    }
    if let Err(cut) = decoder.finish() {
        eprintln!("conformance: {cut}");
    }
    Ok(ExitCode::SUCCESS)
}

fn serve(args: &[String]) -> Result<ExitCode, String> {
    let mut addr = "127.0.0.1:11434".to_owned();
    let mut fixtures = default_fixtures_dir();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--addr" => addr = args.next().ok_or("--addr needs HOST:PORT")?.clone(),
            "--fixtures" => {
                fixtures = PathBuf::from(args.next().ok_or("--fixtures needs a directory")?);
            }
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }
    let cases = conformance::load(&fixtures).map_err(|e| format!("cannot read the corpus: {e}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(&addr)
            .await
            .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        let local = listener
            .local_addr()
            .map_err(|e| format!("cannot read the bound address: {e}"))?;
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on http://{local}")
            .and_then(|()| out.flush())
            .map_err(write_error)?;
        drop(out);
        conformance::serve::serve(listener, cases)
            .await
            .map_err(|e| format!("cannot accept connections: {e}"))
    })?;
    Ok(ExitCode::SUCCESS)
}

fn discover(args: &[String]) -> Result<ExitCode, String> {
    let mut base = catalog::BaseUrl::default_local();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--base-url" => {
                let url = args.next().ok_or("--base-url needs a URL")?;
                base = catalog::BaseUrl::parse(url).map_err(|e| e.to_string())?;
            }
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }
    let plan = catalog::DiscoveryPlan::new(base).with_api_key(std::env::var("OLLAMA_API_KEY").ok());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let client = reqwest::Client::new();
    let options = catalog::DiscoverOptions::default();
    match runtime.block_on(catalog::discover(&client, &plan, &options)) {
        Ok(found) => {
            for diagnostic in &found.diagnostics {
                eprintln!("conformance: {diagnostic}");
            }
            let json = serde_json::to_string_pretty(&found.to_config())
                .map_err(|e| format!("cannot encode the catalog: {e}"))?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "{json}").map_err(write_error)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("conformance: discovery failed: {e}");
            Ok(ExitCode::FAILURE)
        }
    }
}

fn live(args: &[String]) -> Result<ExitCode, String> {
    let mut target = conformance::live::Target {
        base_url: "http://127.0.0.1:8080".to_owned(),
        model: "gemma-3-270m".to_owned(),
        break_invariant: None,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--base-url" => target.base_url = args.next().ok_or("--base-url needs a URL")?.clone(),
            "--model" => target.model = args.next().ok_or("--model needs a name")?.clone(),
            "--break" => {
                let which = args.next().ok_or("--break needs usage, done or greedy")?;
                if !matches!(which.as_str(), "usage" | "done" | "greedy") {
                    return Err(format!(
                        "--break takes usage, done or greedy, not {which:?}"
                    ));
                }
                target.break_invariant = Some(which.clone());
            }
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let checks = runtime.block_on(conformance::live::run(&target));
    print!("{}", conformance::live::render(&checks));
    Ok(if checks.iter().any(|c| c.result.is_err()) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn record(args: &[String]) -> Result<ExitCode, String> {
    let (mut base, mut request, mut id, mut server, mut version) = (None, None, None, None, None);
    let mut endpoint = "/v1/chat/completions".to_owned();
    let mut description = String::new();
    let mut fixtures = default_fixtures_dir();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().cloned().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--base-url" => base = Some(value()?),
            "--request" => request = Some(value()?),
            "--id" => id = Some(value()?),
            "--server" => server = Some(value()?),
            "--server-version" => version = Some(value()?),
            "--endpoint" => endpoint = value()?,
            "--description" => description = value()?,
            "--fixtures" => fixtures = PathBuf::from(value()?),
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }
    let missing = |name: &str| format!("record needs {name}");
    let id = id.ok_or_else(|| missing("--id"))?;
    let recording = conformance::record::Recording {
        base_url: base.ok_or_else(|| missing("--base-url"))?,
        request: read_input(&request.ok_or_else(|| missing("--request"))?)?,
        description: if description.is_empty() {
            format!("Recorded exchange {id}.")
        } else {
            description
        },
        id,
        endpoint,
        server: server.ok_or_else(|| missing("--server"))?,
        version: version.ok_or_else(|| missing("--server-version"))?,
        fixtures,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let dir = runtime
        .block_on(conformance::record::record(
            &reqwest::Client::new(),
            &recording,
        ))
        .map_err(|e| format!("cannot record: {e}"))?;
    println!("{}", dir.display());
    Ok(ExitCode::SUCCESS)
}
