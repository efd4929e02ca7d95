//! `conformance`: replay the fixture corpus and print a report.
//!
//! ```text
//! conformance [run] [--fixtures DIR]
//! ```
//! Exits 1 if any case fails, 2 on a usage or corpus error.

use std::path::PathBuf;
use std::process::ExitCode;

use conformance::{ExpectedFailures, default_expected_failures, default_fixtures_dir};

const USAGE: &str = "usage: conformance [run] [--fixtures DIR]";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().map(String::as_str) == Some("run") {
        args.next();
    }
    let mut fixtures = default_fixtures_dir();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--fixtures" => match args.next() {
                Some(dir) => fixtures = PathBuf::from(dir),
                None => return usage_error("--fixtures needs a directory"),
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => return usage_error(&format!("unexpected argument {other:?}")),
        }
    }
    let cases = match conformance::load(&fixtures) {
        Ok(cases) => cases,
        Err(e) => {
            eprintln!("conformance: cannot read the corpus: {e}");
            return ExitCode::from(2);
        }
    };
    let expected = match ExpectedFailures::load(&default_expected_failures()) {
        Ok(list) => list,
        Err(e) => {
            eprintln!("conformance: cannot read the expected-failure list: {e}");
            return ExitCode::from(2);
        }
    };
    let reports = conformance::run_all(&cases, &expected);
    print!("{}", conformance::render(&reports));
    if reports.iter().any(conformance::CaseReport::failed) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("conformance: {message}\n{USAGE}");
    ExitCode::from(2)
}
