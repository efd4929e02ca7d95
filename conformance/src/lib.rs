//! The conformance harness: replays the fixture corpus (`fixtures/`) through the protocol crates.
//!
//! Each case is decoded whole, one byte at a time and in pseudo-random splits; the outcome and
//! chunk count are compared with the case's hand-written expectations; every line is re-encoded
//! and compared with the original bytes. Checks known to fail are listed, with a reason, in
//! `conformance/expected-failures.toml` instead of deleting the case.
#![forbid(unsafe_code)]

pub mod corpus;
pub mod live;
pub mod pipeline;
pub mod record;
pub mod replay;
pub mod report;
pub mod serve;

pub use corpus::{Case, CorpusError, Wire, default_fixtures_dir, load};
pub use report::{CaseReport, ExpectedFailures, render, run_all};

/// The bundled expected-failure list.
pub fn default_expected_failures() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("expected-failures.toml")
}

/// A response's `Content-Type`, when present and readable.
pub(crate) fn content_type(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}
