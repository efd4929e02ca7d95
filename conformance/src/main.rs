//! `conformance`: the project's main job and a stream debugging tool.
//!
//! ```text
//! conformance [run] [--fixtures DIR]      the corpus replay and its report (the main job)
//! conformance replay [OPTIONS] FILE|-     one body: the reduced message, or --events
//! conformance translate --to WIRE FILE|-  one stream re-encoded to another wire
//! conformance sse FILE|-                  raw SSE events per the WHATWG rules
//! conformance discover [--base-url URL]   live catalog of an Ollama server
//! conformance live [--base-url URL]       invariants against an OpenAI-compatible server
//! conformance record --base-url URL …     save an exchange as a recorded fixture
//! conformance serve [--addr HOST:PORT]    answer /api/* and /v1/* from the corpus
//! ```
//!
//! `conformance --help` and `conformance <command> --help` say the rest. Usage and I/O errors
//! exit 2.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use conformance::corpus::Wire;
use conformance::pipeline::{self, Input};
use conformance::{ExpectedFailures, default_expected_failures, default_fixtures_dir};
use openai_wire::sse::{Frame, SseDecoder};

/// Replays the bundled fixture corpus through the protocol crates (the default command), and
/// inspects any Ollama or OpenAI-compatible stream.
#[derive(Debug, Parser)]
#[command(name = "conformance", version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Replay the whole corpus and print its report (the default command).
    ///
    /// Prints a table and a summary line; exits 1 if any case fails.
    Run(RunArgs),
    /// Decode one response body and print what it means.
    ///
    /// Prints the reduced message as one JSON object, or with --events the merge events, one
    /// per line. Exits 0 whenever the input was processed, even if it held an upstream error or
    /// was cut short.
    Replay(ReplayArgs),
    /// Re-encode one stream to another wire and print the bytes.
    ///
    /// The body is replayed (decoded and merged, as `replay` does) and the merge events are
    /// written by the target wire's stream-merge encoder: what `serve` answers when asked with
    /// `x-conformance-translate: WIRE`. A progress stream is a usage error (exit 2).
    Translate(TranslateArgs),
    /// Print the raw SSE events of a body per the WHATWG rules, one JSON object per line.
    Sse {
        /// The body, or - for standard input.
        file: String,
    },
    /// Discover the models of a live Ollama server and print the catalog.
    ///
    /// Prints the catalog in the `models.providers.ollama` shape, why models were left out on
    /// stderr; exits 1 with the URL tried (and why it failed) when the server cannot be used.
    Discover {
        /// Ollama's base URL.
        #[arg(long, default_value = "http://127.0.0.1:11434")]
        base_url: String,
        /// Sent as a bearer token when set.
        #[arg(long, env = "OLLAMA_API_KEY", hide_env_values = true)]
        api_key: Option<String>,
    },
    /// Check a running OpenAI-compatible server against model-independent invariants.
    ///
    /// Real requests, streamed through the async adapters and the merger; exits 1 if any check
    /// fails.
    Live(LiveArgs),
    /// Record an exchange with a server as a fixture case.
    ///
    /// Sends the request body and saves the exchange as fixtures/<wire>/<ID>/ with a
    /// `recorded` provenance record.
    Record(RecordArgs),
    /// Answer /api/* and /v1/* requests from the corpus.
    ///
    /// Prints `listening on http://ADDR` first.
    Serve {
        /// Address to listen on; port 0 picks a free port.
        #[arg(long, default_value = "127.0.0.1:11434")]
        addr: String,
        /// Serve only the cases whose id starts with PREFIX, e.g. `ollama033-` for the
        /// coherent set recorded from one real Ollama 0.33 server
        #[arg(long, value_name = "PREFIX")]
        only: Option<String>,
        #[command(flatten)]
        corpus: CorpusArgs,
    },
}

#[derive(Debug, Clone, Args)]
struct CorpusArgs {
    /// The fixture corpus [default: the bundled fixtures/]
    #[arg(long, value_name = "DIR")]
    fixtures: Option<PathBuf>,
}

impl CorpusArgs {
    fn dir(&self) -> PathBuf {
        self.fixtures.clone().unwrap_or_else(default_fixtures_dir)
    }
}

#[derive(Debug, Clone, Args)]
struct RunArgs {
    #[command(flatten)]
    corpus: CorpusArgs,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum WireArg {
    /// Ollama's native NDJSON.
    Ollama,
    /// OpenAI-compatible SSE or JSON (chat completions, completions).
    Openai,
    /// OpenAI Responses (`/v1/responses`) events or JSON.
    Responses,
    /// Anthropic Messages (`/v1/messages`) events or JSON.
    Anthropic,
}

#[derive(Debug, Args)]
struct ReplayArgs {
    /// The wire [default: detected from the bytes]
    #[arg(long, value_enum)]
    wire: Option<WireArg>,
    /// Print the merge events, one JSON object per line (for a pull, push or create progress
    /// stream: the progress after each line, then the outcome).
    #[arg(long)]
    events: bool,
    /// The HTTP status the body came with (a non-2xx status makes it an error body).
    #[arg(long, value_name = "N")]
    status: Option<u16>,
    /// The Content-Type the body came with.
    #[arg(long, value_name = "TYPE")]
    content_type: Option<String>,
    /// The body, or - for standard input.
    file: String,
}

impl From<WireArg> for Wire {
    fn from(wire: WireArg) -> Self {
        match wire {
            WireArg::Ollama => Self::Ollama,
            WireArg::Openai => Self::OpenAi,
            WireArg::Responses => Self::Responses,
            WireArg::Anthropic => Self::Anthropic,
        }
    }
}

#[derive(Debug, Args)]
struct TranslateArgs {
    /// The wire to write.
    #[arg(long, value_enum)]
    to: WireArg,
    /// The wire of the input [default: detected from the bytes]
    #[arg(long, value_enum)]
    wire: Option<WireArg>,
    /// The HTTP status the body came with.
    #[arg(long, value_name = "N")]
    status: Option<u16>,
    /// The Content-Type the body came with.
    #[arg(long, value_name = "TYPE")]
    content_type: Option<String>,
    /// The body, or - for standard input.
    file: String,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Invariant {
    /// Count one output token more than the streamed usage says.
    Usage,
    /// Treat the plain stream as if `data: [DONE]` had not come.
    Done,
    /// Append a character to the streamed text before comparing it with the non-streamed one.
    Greedy,
}

#[derive(Debug, Args)]
struct LiveArgs {
    /// Server root or /v1 URL.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    base_url: String,
    /// Model name sent in every request.
    #[arg(long, default_value = "gemma-3-270m")]
    model: String,
    /// Break one invariant on purpose, to show that the lane can fail.
    #[arg(long = "break", value_enum, value_name = "INVARIANT")]
    break_invariant: Option<Invariant>,
}

#[derive(Debug, Args)]
struct RecordArgs {
    /// The server's base URL.
    #[arg(long)]
    base_url: String,
    /// The request body to send (a file, or - for standard input).
    #[arg(long, value_name = "FILE")]
    request: String,
    /// The case id (its folder name).
    #[arg(long)]
    id: String,
    /// The server's name, for the provenance record.
    #[arg(long)]
    server: String,
    /// The server's version, for the provenance record.
    #[arg(long)]
    server_version: String,
    /// The route to POST to.
    #[arg(long, default_value = "/v1/chat/completions")]
    endpoint: String,
    /// What the case shows [default: "Recorded exchange ID."]
    #[arg(long)]
    description: Option<String>,
    #[command(flatten)]
    corpus: CorpusArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        None => run(&cli.run),
        Some(Command::Run(args)) => run(&args),
        Some(Command::Replay(args)) => replay(&args),
        Some(Command::Translate(args)) => translate(&args),
        Some(Command::Sse { file }) => sse(&file),
        Some(Command::Serve { addr, only, corpus }) => serve(&addr, only.as_deref(), &corpus),
        Some(Command::Discover { base_url, api_key }) => discover(&base_url, api_key),
        Some(Command::Live(args)) => live(&args),
        Some(Command::Record(args)) => record(args),
    };
    result.unwrap_or_else(|message| {
        if message.is_empty() {
            // stdout was closed early (e.g. piped into `head`): nothing left to say.
            return ExitCode::SUCCESS;
        }
        eprintln!("conformance: {message}");
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

fn run(args: &RunArgs) -> Result<ExitCode, String> {
    let fixtures = args.corpus.dir();
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

fn replay(args: &ReplayArgs) -> Result<ExitCode, String> {
    let body = read_input(&args.file)?;
    let failed = args.status.is_some_and(|s| !(200..300).contains(&s));
    if !failed && pipeline::is_progress_stream(&body) {
        // A pull / push / create progress stream: no message to merge, a progress bar to show.
        let view = pipeline::progress_view(&body);
        let mut out = std::io::stdout().lock();
        let written = if args.events {
            view.iter().try_for_each(|line| writeln!(out, "{line}"))
        } else {
            writeln!(out, "{}", view.last().cloned().unwrap_or_default())
        };
        written.map_err(write_error)?;
        return Ok(ExitCode::SUCCESS);
    }
    let replay = pipeline::replay(&Input {
        body: &body,
        wire: args.wire.map(Wire::from),
        status: args.status,
        content_type: args.content_type.as_deref(),
    });
    let mut out = std::io::stdout().lock();
    let written = if args.events {
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

fn translate(args: &TranslateArgs) -> Result<ExitCode, String> {
    let body = read_input(&args.file)?;
    let bytes = pipeline::translate(
        &Input {
            body: &body,
            wire: args.wire.map(Wire::from),
            status: args.status,
            content_type: args.content_type.as_deref(),
        },
        args.to.into(),
    )?;
    let mut out = std::io::stdout().lock();
    out.write_all(&bytes)
        .and_then(|()| out.flush())
        .map_err(write_error)?;
    Ok(ExitCode::SUCCESS)
}

fn sse(path: &str) -> Result<ExitCode, String> {
    let body = read_input(path)?;
    let mut decoder = SseDecoder::new();
    decoder.push(&body);
    let mut out = std::io::stdout().lock();
    let mut errors = Vec::new();
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
            Err(e) => errors.push(e.to_string()),
        }
    }
    if let Err(cut) = decoder.finish() {
        errors.push(cut.to_string());
    }
    for error in conformance::cap_repeats(errors, 3) {
        eprintln!("conformance: {error}");
    }
    Ok(ExitCode::SUCCESS)
}

fn serve(addr: &str, only: Option<&str>, corpus: &CorpusArgs) -> Result<ExitCode, String> {
    let fixtures = corpus.dir();
    let mut cases =
        conformance::load(&fixtures).map_err(|e| format!("cannot read the corpus: {e}"))?;
    if let Some(prefix) = only {
        cases.retain(|c| c.id.starts_with(prefix));
        if cases.is_empty() {
            return Err(format!("no case id starts with {prefix:?}"));
        }
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
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

fn discover(base_url: &str, api_key: Option<String>) -> Result<ExitCode, String> {
    let base = ollama_catalog::BaseUrl::parse(base_url).map_err(|e| e.to_string())?;
    let plan = ollama_catalog::DiscoveryPlan::new(base).with_api_key(api_key);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let client = reqwest::Client::new();
    let options = ollama_catalog::DiscoverOptions::default();
    match runtime.block_on(ollama_catalog::discover(&client, &plan, &options)) {
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
            eprintln!(
                "conformance: discovery failed: {}",
                conformance::error_chain(&e)
            );
            Ok(ExitCode::FAILURE)
        }
    }
}

fn live(args: &LiveArgs) -> Result<ExitCode, String> {
    let target = conformance::live::Target {
        base_url: args.base_url.clone(),
        model: args.model.clone(),
        break_invariant: args.break_invariant.map(|i| {
            match i {
                Invariant::Usage => "usage",
                Invariant::Done => "done",
                Invariant::Greedy => "greedy",
            }
            .to_owned()
        }),
    };
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

fn record(args: RecordArgs) -> Result<ExitCode, String> {
    let fixtures = args.corpus.dir();
    let recording = conformance::record::Recording {
        base_url: args.base_url,
        request: read_input(&args.request)?,
        description: args
            .description
            .unwrap_or_else(|| format!("Recorded exchange {}.", args.id)),
        id: args.id,
        endpoint: args.endpoint,
        server: args.server,
        version: args.server_version,
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
