//! Replaying one case through the crates and checking it.

use std::fmt;

use ollama_wire::framing::LineFramer;
use ollama_wire::{
    BodyKind, ChatResponse, DecodeError, Encoder, GenerateResponse, ListResponse, ShowResponse,
    StreamChunk, StreamDecoder, VersionResponse, classify, decode_json, error_from_body,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::corpus::{Case, Outcome, Wire};

/// The checks run on every case, in order.
pub const CHECKS: [&str; 4] = ["outcome", "chunks", "splits", "reencode"];

/// How the bytes of a case are cut into pushes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitPlan {
    /// One push with the whole body.
    Whole,
    /// One byte per push.
    Bytewise,
    /// Pseudo-random push sizes from 1 to `max`, from a seed (deterministic).
    Random {
        /// Seed of the size sequence.
        seed: u64,
        /// Largest push.
        max: usize,
    },
}

impl SplitPlan {
    /// Cuts `body` into pushes.
    pub fn split<'a>(&self, body: &'a [u8]) -> Vec<&'a [u8]> {
        match *self {
            Self::Whole => vec![body],
            Self::Bytewise => body.chunks(1).collect(),
            Self::Random { seed, max } => {
                let mut state = seed | 1;
                let mut rest = body;
                let mut out = Vec::new();
                while !rest.is_empty() {
                    // xorshift64
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    let size = 1 + (state % max.max(1) as u64) as usize;
                    let (head, tail) = rest.split_at(size.min(rest.len()));
                    out.push(head);
                    rest = tail;
                }
                out
            }
        }
    }
}

/// The split plans every stream case is replayed with.
pub fn split_plans(case_id: &str) -> Vec<SplitPlan> {
    // FNV-1a of the id: a different but fixed sequence per case.
    let seed = case_id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    vec![
        SplitPlan::Bytewise,
        SplitPlan::Random { seed, max: 3 },
        SplitPlan::Random {
            seed: seed.rotate_left(17),
            max: 17,
        },
        SplitPlan::Random {
            seed: seed.rotate_left(31),
            max: 257,
        },
    ]
}

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

/// What replaying one case produced, before expected failures are applied.
#[derive(Debug, Clone)]
pub struct CaseRun {
    /// `(check name, result)` in [`CHECKS`] order.
    pub checks: Vec<(&'static str, CheckResult)>,
}

/// One decoded item, comparable across split plans.
#[derive(Debug, Clone, PartialEq)]
pub enum Item<T> {
    /// A chunk.
    Chunk(T),
    /// An error, as its variant name and message.
    Error(String),
}

/// Decodes `body` pushed as `plan` says; returns every item in order.
pub fn decode_items<T: StreamChunk>(
    body: &[u8],
    plan: SplitPlan,
) -> (Vec<Item<T>>, Vec<DecodeError>) {
    let mut decoder = StreamDecoder::<T>::new();
    let mut items = Vec::new();
    let mut errors = Vec::new();
    let mut drain = |decoder: &mut StreamDecoder<T>| {
        while let Some(item) = decoder.next() {
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
    decoder.end();
    drain(&mut decoder);
    (items, errors)
}

/// Replays a case.
pub fn run_case(case: &Case) -> CaseRun {
    let results = match case.wire {
        Wire::Ollama => run_ollama(case),
        Wire::OpenAi => {
            let skip = || Err("the openai wire is not replayed yet".to_owned());
            [skip(), skip(), skip(), skip()]
        }
    };
    CaseRun {
        checks: CHECKS
            .iter()
            .copied()
            .zip(results.into_iter().map(CheckResult::from_result))
            .collect(),
    }
}

type Results = [Result<(), String>; 4];

fn expect_eq<V: PartialEq + fmt::Display>(what: &str, got: V, want: V) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what}: got {got}, expected {want}"))
    }
}

fn run_ollama(case: &Case) -> Results {
    let meta = &case.meta;
    let kind = classify(meta.status, meta.content_type.as_deref());
    if kind == BodyKind::Error {
        let error = error_from_body(&case.body);
        let reencode = if serde_json::from_slice::<serde_json::Value>(&case.body).is_ok() {
            reencode_single(&case.body, &error)
        } else {
            Ok(()) // a plain-text body has no JSON to re-encode
        };
        return [
            expect_eq("outcome", Outcome::UpstreamError, meta.expect.outcome),
            expect_eq("chunks", 0, meta.expect.chunks),
            Ok(()),
            reencode,
        ];
    }
    match meta.endpoint.as_str() {
        "/api/chat" => run_stream::<ChatResponse>(case, kind),
        "/api/generate" => run_stream::<GenerateResponse>(case, kind),
        "/api/tags" => run_single::<ListResponse>(case),
        "/api/show" => run_single::<ShowResponse>(case),
        "/api/version" => run_single::<VersionResponse>(case),
        other => {
            let e = || Err(format!("no decoder for endpoint {other}"));
            [e(), e(), e(), e()]
        }
    }
}

fn run_stream<T>(case: &Case, kind: BodyKind) -> Results
where
    T: StreamChunk + PartialEq + Serialize + fmt::Debug,
{
    let expect = &case.meta.expect;
    let (whole, errors) = decode_items::<T>(&case.body, SplitPlan::Whole);
    let chunks = whole.iter().filter(|i| matches!(i, Item::Chunk(_))).count() as u64;
    let outcome = stream_outcome(&whole, &errors, kind);
    let outcome_check = match outcome {
        Ok(o) => expect_eq("outcome", o, expect.outcome),
        Err(e) => Err(e),
    };
    let splits = split_plans(&case.id).into_iter().try_for_each(|plan| {
        let (items, _) = decode_items::<T>(&case.body, plan);
        if items == whole {
            Ok(())
        } else {
            Err(format!("{plan:?} decodes differently from the whole body"))
        }
    });
    [
        outcome_check,
        expect_eq("chunks", chunks, expect.chunks),
        splits,
        reencode_lines::<T>(&case.body),
    ]
}

fn stream_outcome<T: StreamChunk>(
    items: &[Item<T>],
    errors: &[DecodeError],
    kind: BodyKind,
) -> Result<Outcome, String> {
    if let Some(e) = errors.iter().find(|e| {
        !matches!(
            e,
            DecodeError::Upstream { .. } | DecodeError::Truncated { .. }
        )
    }) {
        return Err(format!("decode error: {e}"));
    }
    match (errors.last(), items.last()) {
        (Some(DecodeError::Upstream { .. }), _) => Ok(Outcome::UpstreamError),
        (Some(DecodeError::Truncated { .. }), _) => Ok(Outcome::Truncated),
        (_, Some(Item::Chunk(c))) if c.is_done() => Ok(if kind == BodyKind::Json {
            Outcome::Single
        } else {
            Outcome::Done
        }),
        _ => Err("stream ended without a verdict".to_owned()),
    }
}

/// Every line re-encodes to its own bytes (terminators and blank lines aside).
fn reencode_lines<T: StreamChunk + Serialize>(body: &[u8]) -> Result<(), String> {
    let mut framer = LineFramer::new();
    framer.push(body);
    let encoder = Encoder::new();
    let mut lines = Vec::new();
    while let Some(line) = framer.next_line().map_err(|e| e.to_string())? {
        lines.push(line);
    }
    lines.extend(framer.finish().map_err(|e| e.to_string())?);
    for line in lines {
        let encoded = match T::from_json(&line.bytes) {
            Ok(chunk) => encoder.to_vec(&chunk),
            Err(_) => encoder.to_vec(&error_from_body(&line.bytes)),
        }
        .map_err(|e| e.to_string())?;
        if encoded != line.bytes {
            return Err(format!(
                "line at byte {} re-encodes differently:\n  got  {}\n  want {}",
                line.offset,
                String::from_utf8_lossy(&encoded),
                String::from_utf8_lossy(&line.bytes)
            ));
        }
    }
    Ok(())
}

fn reencode_single<T: Serialize>(body: &[u8], value: &T) -> Result<(), String> {
    let encoded = Encoder::new().to_vec(value).map_err(|e| e.to_string())?;
    if encoded == body {
        Ok(())
    } else {
        Err(format!(
            "body re-encodes differently:\n  got  {}\n  want {}",
            String::from_utf8_lossy(&encoded),
            String::from_utf8_lossy(body)
        ))
    }
}

fn run_single<T: DeserializeOwned + Serialize>(case: &Case) -> Results {
    let expect = &case.meta.expect;
    match decode_json::<T>(case.meta.status, &case.body) {
        Ok(value) => [
            expect_eq("outcome", Outcome::Single, expect.outcome),
            expect_eq("chunks", 1, expect.chunks),
            Ok(()),
            reencode_single(&case.body, &value),
        ],
        Err(e) => {
            let e = format!("decode error: {e}");
            [Err(e.clone()), Err(e.clone()), Err(e.clone()), Err(e)]
        }
    }
}
