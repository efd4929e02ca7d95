//! The checks of native `/api/*` cases, through `ollama-wire`.

use std::fmt;

use ollama_wire::framing::LineFramer;
use ollama_wire::{
    BodyKind, ChatResponse, DecodeError, Encoder, GenerateResponse, ListResponse, ProcessResponse,
    ProgressResponse, ShowResponse, StatusResponse, StreamChunk, VersionResponse, classify,
    decode_error_body, decode_json,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{CheckResults, Item, SplitPlan, decode_items, expect_eq, same_bytes, same_splits};
use crate::corpus::{Case, Outcome};

pub(super) fn run(case: &Case) -> CheckResults {
    let meta = &case.meta;
    let kind = classify(meta.status, meta.content_type.as_deref());
    if kind == BodyKind::Error {
        let error = decode_error_body(&case.body);
        let reencode = if serde_json::from_slice::<serde_json::Value>(&case.body).is_ok() {
            reencode_single(&case.body, &error)
        } else {
            Ok(()) // a plain-text body has no JSON to re-encode
        };
        return CheckResults {
            outcome: expect_eq("outcome", Outcome::UpstreamError, meta.expect.outcome),
            chunks: expect_eq("chunks", 0, meta.expect.chunks),
            splits: Ok(()), // a whole body, not a stream
            reencode,
        };
    }
    if case.body.is_empty() {
        return run_empty(case);
    }
    match meta.endpoint.as_str() {
        "/api/chat" => run_stream::<ChatResponse>(case, kind),
        "/api/generate" => run_stream::<GenerateResponse>(case, kind),
        "/api/create" | "/api/pull" | "/api/push" => run_stream::<ProgressResponse>(case, kind),
        "/api/tags" => run_single::<ListResponse>(case),
        "/api/show" => run_single::<ShowResponse>(case),
        "/api/version" => run_single::<VersionResponse>(case),
        "/api/status" => run_single::<StatusResponse>(case),
        "/api/ps" => run_single::<ProcessResponse>(case),
        "/" => run_text(case),
        other => CheckResults::all_failed(&format!("no decoder for endpoint {other}")),
    }
}

fn run_stream<T>(case: &Case, kind: BodyKind) -> CheckResults
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
    let splits = same_splits(case, &whole, |plan| decode_items::<T>(&case.body, plan).0);
    CheckResults {
        outcome: outcome_check,
        chunks: expect_eq("chunks", chunks, expect.chunks),
        splits,
        reencode: reencode_lines::<T>(&case.body),
    }
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
            Err(_) => encoder.to_vec(&decode_error_body(&line.bytes)),
        }
        .map_err(|e| e.to_string())?;
        same_bytes(
            &format!("line at byte {}", line.offset),
            &encoded,
            &line.bytes,
        )?;
    }
    Ok(())
}

fn reencode_single<T: Serialize>(body: &[u8], value: &T) -> Result<(), String> {
    let encoded = Encoder::new().to_vec(value).map_err(|e| e.to_string())?;
    same_bytes("body", &encoded, body)
}

/// A successful reply without a body (HEAD, copy, delete, blob upload, CORS preflight).
fn run_empty(case: &Case) -> CheckResults {
    let expect = &case.meta.expect;
    CheckResults {
        outcome: expect_eq("outcome", Outcome::Empty, expect.outcome),
        chunks: expect_eq("chunks", 0, expect.chunks),
        splits: Ok(()),
        reencode: Ok(()),
    }
}

/// `GET /`: Ollama's liveness text.
fn run_text(case: &Case) -> CheckResults {
    let expect = &case.meta.expect;
    let text = if case.body == b"Ollama is running" {
        Ok(())
    } else {
        Err(format!(
            "GET / answered {:?}, not \"Ollama is running\"",
            String::from_utf8_lossy(&case.body)
        ))
    };
    CheckResults {
        outcome: expect_eq("outcome", Outcome::Single, expect.outcome).and(text),
        chunks: expect_eq("chunks", 1, expect.chunks),
        splits: Ok(()),
        reencode: Ok(()),
    }
}

fn run_single<T: DeserializeOwned + Serialize>(case: &Case) -> CheckResults {
    let expect = &case.meta.expect;
    match decode_json::<T>(case.meta.status, &case.body) {
        Ok(value) => CheckResults {
            outcome: expect_eq("outcome", Outcome::Single, expect.outcome),
            chunks: expect_eq("chunks", 1, expect.chunks),
            splits: Ok(()), // a whole body, not a stream
            reencode: reencode_single(&case.body, &value),
        },
        Err(e) => CheckResults::all_failed(&format!("decode error: {e}")),
    }
}
