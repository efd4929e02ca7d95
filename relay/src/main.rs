//! The `ollama-relay` binary: parse the flags, log to stderr, serve until SIGTERM or Ctrl-C.
#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::ExitCode;

use clap::Parser;
use ollama_relay::{Cli, serve};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("OLLAMA_RELAY_LOG").unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("ollama-relay: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let listener = match tokio::net::TcpListener::bind(cli.listen).await {
            Ok(listener) => listener,
            Err(e) => {
                eprintln!("ollama-relay: cannot listen on {}: {e}", cli.listen);
                return ExitCode::FAILURE;
            }
        };
        // The bound address (the port the OS chose for `--listen …:0`), on stdout first, so a
        // script can start the relay on a free port and read where it is.
        let local = listener.local_addr().unwrap_or(cli.listen);
        {
            use std::io::Write as _;
            let mut out = std::io::stdout().lock();
            if writeln!(out, "listening on http://{local}")
                .and_then(|()| out.flush())
                .is_err()
            {
                eprintln!("ollama-relay: cannot write the listening address to stdout");
            }
        }
        let config = cli.config();
        if !cli.listen.ip().is_loopback() && config.api_key.is_none() {
            tracing::warn!(
                listen = %cli.listen,
                "listening beyond loopback without --api-key: anyone who can reach this port can use the upstream"
            );
        }
        tracing::info!(
            listen = %local,
            upstream = %config.upstream,
            mode = config.upstream_wire.map_or("repair", |w| w.as_str()),
            api_key = config.api_key.is_some(),
            "relaying"
        );
        match serve(listener, config, shutdown_signal()).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("ollama-relay: {e}");
                ExitCode::FAILURE
            }
        }
    })
}

/// Completes on Ctrl-C, or SIGTERM on Unix.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
