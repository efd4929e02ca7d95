//! Expected failures and the printed report.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde::Deserialize;

use crate::checks::{Check, CheckResult, run_case};
use crate::corpus::{Case, CorpusError};

/// `expected-failures.toml`: checks known to fail, each with its reason.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedFailures {
    /// The entries.
    #[serde(default, rename = "failure")]
    pub failures: Vec<ExpectedFailure>,
}

/// One expected failure.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedFailure {
    /// `<wire>/<case-id>`.
    pub case: String,
    /// The check (its name in the file; an unknown name is an error when the list is read).
    pub check: Check,
    /// Why it fails.
    pub reason: String,
}

impl ExpectedFailures {
    /// Reads the list; a missing file is an empty list.
    ///
    /// # Errors
    ///
    /// A [`CorpusError`] when the file cannot be read or does not parse (an unknown key or
    /// check name included).
    pub fn load(path: &Path) -> Result<Self, CorpusError> {
        if !path.exists() {
            return Ok(Self::default());
        }
        let text = std::fs::read_to_string(path).map_err(|e| CorpusError {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        toml::from_str(&text).map_err(|e| CorpusError {
            path: path.to_owned(),
            message: e.to_string(),
        })
    }

    fn reason(&self, case: &str, check: Check) -> Option<&str> {
        self.failures
            .iter()
            .find(|f| f.case == case && f.check == check)
            .map(|f| f.reason.as_str())
    }
}

/// Verdict of one check after expected failures are applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Passed.
    Pass,
    /// Failed.
    Fail(String),
    /// Failed, as listed.
    ExpectedFail(String),
    /// Listed as failing but passed: the list must be updated.
    UnexpectedPass(String),
}

impl Verdict {
    /// Whether this verdict fails the run.
    pub fn is_failure(&self) -> bool {
        matches!(self, Self::Fail(_) | Self::UnexpectedPass(_))
    }
}

/// Report of one case.
#[derive(Debug, Clone)]
pub struct CaseReport {
    /// `<wire>/<case-id>`.
    pub name: String,
    /// Wire name.
    pub wire: &'static str,
    /// `recorded` / `constructed`.
    pub provenance: String,
    /// The server that produced a recorded case's bytes, as the summary counts it
    /// ([`server_label`]).
    pub server: String,
    /// Each check and its verdict.
    pub checks: Vec<(Check, Verdict)>,
}

impl CaseReport {
    /// Whether any check fails the run.
    pub fn failed(&self) -> bool {
        self.checks.iter().any(|(_, v)| v.is_failure())
    }

    /// One-word result for the table.
    pub fn result(&self) -> &'static str {
        if self.failed() {
            "FAIL"
        } else if self
            .checks
            .iter()
            .any(|(_, v)| matches!(v, Verdict::ExpectedFail(_)))
        {
            "xfail"
        } else {
            "pass"
        }
    }
}

/// A short name for the server of a case: `ollama 0.33` (Ollama with its minor version),
/// `llama-server`, `llama-cpp-python`, or the first word of the provenance's `server`.
pub fn server_label(server: &str, version: &str) -> String {
    let first = server.split_whitespace().next().unwrap_or("unknown");
    if server.contains("llama-server") {
        "llama-server".to_owned()
    } else if first == "ollama" {
        let minor: Vec<&str> = version.split(['.', '-']).take(2).collect();
        match minor.as_slice() {
            [major, minor] if major.chars().all(|c| c.is_ascii_digit()) => {
                format!("ollama {major}.{minor}")
            }
            _ => "ollama".to_owned(),
        }
    } else {
        first.to_owned()
    }
}

/// Replays every case and applies the expected-failure list.
pub fn run_all(cases: &[Case], expected: &ExpectedFailures) -> Vec<CaseReport> {
    cases
        .iter()
        .map(|case| {
            let name = format!("{}/{}", case.wire, case.id);
            let run = run_case(case);
            let checks = run
                .checks
                .into_iter()
                .map(|(check, result)| {
                    let verdict = match (result, expected.reason(&name, check)) {
                        (CheckResult::Pass, None) => Verdict::Pass,
                        (CheckResult::Fail(e), None) => Verdict::Fail(e),
                        (CheckResult::Fail(_), Some(r)) => Verdict::ExpectedFail(r.to_owned()),
                        (CheckResult::Pass, Some(r)) => Verdict::UnexpectedPass(r.to_owned()),
                    };
                    (check, verdict)
                })
                .collect();
            CaseReport {
                name,
                wire: case.wire.as_str(),
                provenance: case.meta.provenance.kind.to_string(),
                server: server_label(&case.meta.provenance.server, &case.meta.provenance.version),
                checks,
            }
        })
        .collect()
}

/// The table and summary line.
pub fn render(reports: &[CaseReport]) -> String {
    // A column is as wide as its widest entry, its heading (4) at least.
    let column = |len: fn(&CaseReport) -> usize| reports.iter().map(len).max().unwrap_or(4).max(4);
    let width = column(|r| r.name.len());
    // The widest wire name (`responses`, `anthropic`) sets the wire column.
    let wires = column(|r| r.wire.len());
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<width$}  {:<wires$}  {:<11}  result",
        "case", "wire", "provenance"
    );
    for r in reports {
        let _ = writeln!(
            out,
            "{:<width$}  {:<wires$}  {:<11}  {}",
            r.name,
            r.wire,
            r.provenance,
            r.result()
        );
        for (check, verdict) in &r.checks {
            match verdict {
                Verdict::Fail(e) => {
                    let _ = writeln!(out, "    {check}: {e}");
                }
                Verdict::UnexpectedPass(reason) => {
                    let _ = writeln!(
                        out,
                        "    {check}: passed but is listed as an expected failure ({reason})"
                    );
                }
                Verdict::ExpectedFail(reason) => {
                    let _ = writeln!(out, "    {check}: expected failure: {reason}");
                }
                Verdict::Pass => {}
            }
        }
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in reports {
        *counts.entry(r.result()).or_default() += 1;
    }
    let mut per_server: BTreeMap<&str, usize> = BTreeMap::new();
    for r in reports.iter().filter(|r| r.provenance == "recorded") {
        *per_server.entry(r.server.as_str()).or_default() += 1;
    }
    let recorded: usize = per_server.values().sum();
    let servers: Vec<String> = per_server
        .iter()
        .map(|(server, n)| format!("{server} {n}"))
        .collect();
    let _ = writeln!(out, "recorded: {}", servers.join(", "));
    let _ = writeln!(
        out,
        "summary: {} cases ({} recorded), {} passed, {} failed, {} expected failures",
        reports.len(),
        recorded,
        counts.get("pass").copied().unwrap_or(0),
        counts.get("FAIL").copied().unwrap_or(0),
        counts.get("xfail").copied().unwrap_or(0),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_are_counted_by_short_names() {
        assert_eq!(server_label("ollama", "0.33.0-rc2"), "ollama 0.33");
        assert_eq!(
            server_label("ollama (behind a proxy)", "0.13.5"),
            "ollama 0.13"
        );
        assert_eq!(server_label("ollama", "unknown"), "ollama");
        assert_eq!(
            server_label("llama.cpp llama-server (built from PyPI sdist)", "b1"),
            "llama-server"
        );
        assert_eq!(
            server_label("llama-cpp-python 0.3.36 server", "0.3.36"),
            "llama-cpp-python"
        );
    }

    #[test]
    fn the_expected_failure_list_names_checks_it_knows() {
        let dir = std::env::temp_dir().join(format!("xfail-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("expected-failures.toml");
        std::fs::write(
            &path,
            "[[failure]]\ncase = \"ollama/x\"\ncheck = \"reencode\"\nreason = \"r\"\n",
        )
        .unwrap();
        let list = ExpectedFailures::load(&path).unwrap();
        assert_eq!(list.reason("ollama/x", Check::Reencode), Some("r"));
        assert_eq!(list.reason("ollama/x", Check::Splits), None);

        std::fs::write(
            &path,
            "[[failure]]\ncase = \"ollama/x\"\ncheck = \"re-encode\"\nreason = \"r\"\n",
        )
        .unwrap();
        let error = ExpectedFailures::load(&path).unwrap_err();
        assert!(error.message.contains("re-encode"), "{}", error.message);
    }
}
