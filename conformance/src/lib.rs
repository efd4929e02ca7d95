//! The conformance harness: replays the fixture corpus (`fixtures/`) through the protocol crates.
//!
//! Each case is decoded whole, one byte at a time and in pseudo-random splits; the outcome and
//! chunk count are compared with the case's hand-written expectations; every line is re-encoded
//! and compared with the original bytes. Checks known to fail are listed, with a reason, in
//! `conformance/expected-failures.toml` instead of deleting the case.
#![forbid(unsafe_code)]

pub mod checks;
pub mod corpus;
pub mod live;
pub mod pipeline;
pub mod record;
pub mod report;
pub mod serve;

pub use corpus::{Case, CorpusError, Wire, default_fixtures_dir, load};
pub use report::{CaseReport, ExpectedFailures, render, run_all};

/// The bundled expected-failure list.
pub fn default_expected_failures() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("expected-failures.toml")
}

/// An error and its causes, `outer: cause: root`, each cause said once (an error that already
/// quotes its source is not repeated): a connection error shows "Connection refused", not only
/// "error sending request".
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

/// Caps runs of repeated messages: of consecutive messages that differ only in their numbers
/// (the same fault on line after line, at other offsets), the first `keep` are kept and the
/// rest said as one "… and N more like it".
///
/// ```
/// let mut lines: Vec<String> = [0, 7, 14, 102].map(|i| format!("malformed line at byte {i}")).into();
/// lines.push("data after the end".to_owned());
/// let capped = conformance::cap_repeats(lines, 2);
/// assert_eq!(capped, [
///     "malformed line at byte 0",
///     "malformed line at byte 7",
///     "… and 2 more like it",
///     "data after the end",
/// ]);
/// ```
pub fn cap_repeats(messages: impl IntoIterator<Item = String>, keep: usize) -> Vec<String> {
    /// The message with every run of digits as one `#`.
    fn shape(message: &str) -> String {
        let mut out = String::with_capacity(message.len());
        for c in message.chars() {
            if !c.is_ascii_digit() {
                out.push(c);
            } else if !out.ends_with('#') {
                out.push('#');
            }
        }
        out
    }
    let mut out = Vec::new();
    let (mut run_shape, mut run, mut dropped) = (String::new(), 0usize, 0usize);
    let flush = |out: &mut Vec<String>, dropped: usize| {
        if dropped > 0 {
            out.push(format!("… and {dropped} more like it"));
        }
    };
    for message in messages {
        let this = shape(&message);
        if this == run_shape {
            run += 1;
        } else {
            flush(&mut out, dropped);
            (run_shape, run, dropped) = (this, 1, 0);
        }
        if run <= keep {
            out.push(message);
        } else {
            dropped += 1;
        }
    }
    flush(&mut out, dropped);
    out
}

/// A response's `Content-Type`, when present and readable.
pub(crate) fn content_type(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}
