//! The four checks run on every case of the corpus: the case's bytes through the crates,
//! compared with its hand-written expectations.

use std::fmt;

use ollama_wire::{DecodeError, ErrorCategory, StreamChunk, StreamDecoder};

use crate::corpus::{Case, Outcome, Wire};

pub mod anthropic;
mod ollama;
pub mod openai;
pub mod responses;
pub mod typed_events;

/// One of the checks run on every case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Check {
    /// The body decodes to the expected outcome (`done`, `upstream-error`, `truncated`,
    /// `violation`, `single`, `empty`).
    Outcome,
    /// The expected number of chunks.
    Chunks,
    /// Every split plan of the bytes decodes to the same items as the whole body.
    Splits,
    /// Every line, event or body re-encodes to the original bytes.
    Reencode,
}

impl Check {
    /// Every check, in report order.
    pub const ALL: [Self; 4] = [Self::Outcome, Self::Chunks, Self::Splits, Self::Reencode];

    /// The check's name, as `expected-failures.toml` spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Outcome => "outcome",
            Self::Chunks => "chunks",
            Self::Splits => "splits",
            Self::Reencode => "reencode",
        }
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The results of the four checks of one case, by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckResults {
    /// [`Check::Outcome`].
    pub outcome: Result<(), String>,
    /// [`Check::Chunks`].
    pub chunks: Result<(), String>,
    /// [`Check::Splits`] (`Ok` for a whole body, which has no splits to compare).
    pub splits: Result<(), String>,
    /// [`Check::Reencode`] (`Ok` where re-encoding is not claimed).
    pub reencode: Result<(), String>,
}

impl CheckResults {
    /// Every check failed for the same reason (the case could not be read at all).
    pub fn all_failed(reason: &str) -> Self {
        Self {
            outcome: Err(reason.to_owned()),
            chunks: Err(reason.to_owned()),
            splits: Err(reason.to_owned()),
            reencode: Err(reason.to_owned()),
        }
    }

    /// The results paired with their checks, in [`Check::ALL`] order.
    pub fn into_pairs(self) -> [(Check, Result<(), String>); 4] {
        [
            (Check::Outcome, self.outcome),
            (Check::Chunks, self.chunks),
            (Check::Splits, self.splits),
            (Check::Reencode, self.reencode),
        ]
    }
}

/// How the bytes of a case are cut into pushes, and the plans every stream case is replayed
/// with: the workspace's one split plan, from the shared test machinery.
pub use test_support::{SplitPlan, split_plans};

/// Result of one check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckResult {
    /// The check passed.
    Pass,
    /// The check failed.
    Fail(String),
}

impl CheckResult {
    fn from_result(r: Result<(), String>) -> Self {
        match r {
            Ok(()) => Self::Pass,
            Err(e) => Self::Fail(e),
        }
    }
}

/// What checking one case produced, before expected failures are applied.
#[derive(Debug, Clone)]
pub struct CaseRun {
    /// Each check and its result, in [`Check::ALL`] order.
    pub checks: Vec<(Check, CheckResult)>,
}

/// One decoded item, comparable across split plans.
#[derive(Debug, Clone, PartialEq)]
pub enum Item<T> {
    /// A chunk.
    Chunk(T),
    /// An error, as its variant name and message.
    Error(String),
}

/// Decodes `body` pushed as `plan` says; returns every item in order, the end-of-input verdict
/// last when it is an error.
pub fn decode_items<T: StreamChunk>(
    body: &[u8],
    plan: SplitPlan<'_>,
) -> (Vec<Item<T>>, Vec<DecodeError>) {
    let mut decoder = StreamDecoder::<T>::new();
    let mut items = Vec::new();
    let mut errors = Vec::new();
    let mut drain = |decoder: &mut StreamDecoder<T>| {
        for item in decoder.by_ref() {
            match item {
                Ok(chunk) => items.push(Item::Chunk(chunk)),
                Err(e) => {
                    items.push(Item::Error(format!("{e}")));
                    errors.push(e);
                }
            }
        }
    };
    for piece in plan.split(body) {
        decoder.push(piece);
        drain(&mut decoder);
    }
    let verdict = decoder.finish();
    drain(&mut decoder);
    if let Err(e) = verdict {
        items.push(Item::Error(format!("{e}")));
        errors.push(e);
    }
    (items, errors)
}

/// Runs the checks of a case.
pub fn run_case(case: &Case) -> CaseRun {
    let results = match case.wire {
        Wire::Ollama => ollama::run(case),
        Wire::OpenAi => openai::run(case),
        Wire::Responses => responses::run(case),
        Wire::Anthropic => anthropic::run(case),
    };
    CaseRun {
        checks: results
            .into_pairs()
            .into_iter()
            .map(|(check, result)| (check, CheckResult::from_result(result)))
            .collect(),
    }
}

pub(crate) fn expect_eq<V: PartialEq + fmt::Display>(
    what: &str,
    got: V,
    want: V,
) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what}: got {got}, expected {want}"))
    }
}

/// The `splits` check: every split plan of the case's bytes decodes (by `decode`) to the same
/// items as the whole body did.
pub(crate) fn same_splits<I: PartialEq>(
    case: &Case,
    whole: &I,
    decode: impl Fn(SplitPlan<'_>) -> I,
) -> Result<(), String> {
    split_plans(&case.id).into_iter().try_for_each(|plan| {
        if decode(plan) == *whole {
            Ok(())
        } else {
            Err(format!("{plan:?} decodes differently from the whole body"))
        }
    })
}

/// The checks of an error body on the `/v1` wires (chat, Responses, Messages), which is no
/// stream: `upstream-error` (with a message to show when the body has bytes), no chunks, no
/// splits, and the wire's own `reencode` verdict.
pub(crate) fn error_body(case: &Case, message: &str, reencode: Result<(), String>) -> CheckResults {
    let meta = &case.meta;
    let described = if message.is_empty() && !case.body.is_empty() {
        Err("the error body yields no message".to_owned())
    } else {
        Ok(())
    };
    CheckResults {
        outcome: expect_eq("outcome", Outcome::UpstreamError, meta.expect.outcome).and(described),
        chunks: expect_eq("chunks", 0, meta.expect.chunks),
        splits: Ok(()), // a whole body, not a stream
        reencode,
    }
}

/// The checks of a non-streamed JSON body on the `/v1` wires, as the wire decoded it: a value
/// is `single`, one chunk, re-encoded by `reencode` for cases served by Ollama; an error that
/// `upstream` recognises is `upstream-error` without chunks; any other error fails every check.
pub(crate) fn single_body<V, E: fmt::Display>(
    case: &Case,
    decoded: Result<V, E>,
    upstream: impl FnOnce(&E) -> bool,
    reencode: impl FnOnce(&V) -> Result<(), String>,
) -> CheckResults {
    let expect = &case.meta.expect;
    match decoded {
        Ok(value) => CheckResults {
            outcome: expect_eq("outcome", Outcome::Single, expect.outcome),
            chunks: expect_eq("chunks", 1, expect.chunks),
            splits: Ok(()), // a whole body, not a stream
            reencode: if served_by_ollama(case) {
                reencode(&value)
            } else {
                Ok(())
            },
        },
        Err(e) if upstream(&e) => CheckResults {
            outcome: expect_eq("outcome", Outcome::UpstreamError, expect.outcome),
            chunks: expect_eq("chunks", 0, expect.chunks),
            splits: Ok(()),
            reencode: Ok(()),
        },
        Err(e) => CheckResults::all_failed(&format!("decode error: {e}")),
    }
}

/// The outcome of a typed event stream (`responses`, `anthropic`) from its errors' categories
/// and how many of them were protocol violations: a violation outranks an upstream error,
/// which outranks a cut stream. A category no outcome explains (a limit, or a `Malformed`
/// error that is not a violation: bad JSON, a bad SSE line) fails the check.
pub(crate) fn outcome_of(
    categories: impl IntoIterator<Item = ErrorCategory>,
    violations: usize,
    errors: impl Fn() -> Vec<String>,
) -> Result<Outcome, String> {
    let categories: Vec<ErrorCategory> = categories.into_iter().collect();
    let malformed = categories
        .iter()
        .filter(|c| **c == ErrorCategory::Malformed)
        .count();
    let unexplained = categories.iter().find(|c| {
        !matches!(
            c,
            ErrorCategory::Malformed | ErrorCategory::Upstream | ErrorCategory::Truncated
        )
    });
    if let Some(bad) = unexplained {
        Err(format!("decode error of category {bad:?}: {:?}", errors()))
    } else if malformed > violations {
        Err(format!(
            "decode error of category Malformed: {:?}",
            errors()
        ))
    } else if violations > 0 {
        Ok(Outcome::Violation)
    } else if categories.contains(&ErrorCategory::Upstream) {
        Ok(Outcome::UpstreamError)
    } else if categories.contains(&ErrorCategory::Truncated) {
        Ok(Outcome::Truncated)
    } else {
        Ok(Outcome::Done)
    }
}

/// Byte-faithful re-encoding is a promise about Ollama's bytes: the SSE wires' `reencode`
/// checks compare bytes only for cases served by Ollama.
pub(crate) fn served_by_ollama(case: &Case) -> bool {
    case.meta
        .provenance
        .server
        .to_ascii_lowercase()
        .starts_with("ollama")
}

/// Compares encoded bytes with the original ones.
pub(crate) fn same_bytes(what: &str, encoded: &[u8], original: &[u8]) -> Result<(), String> {
    if encoded == original {
        Ok(())
    } else {
        Err(format!(
            "{what} re-encodes differently:\n  got  {}\n  want {}",
            String::from_utf8_lossy(encoded),
            String::from_utf8_lossy(original)
        ))
    }
}
