//! Replay of OpenAI-compatible `/v1/*` cases through `openai-wire`.
//!
//! Byte-faithful re-encoding is a promise about Ollama's bytes: the `reencode` check compares
//! bytes only for cases served by Ollama, and passes as not applicable for other servers (their
//! field order and `null` spelling are not what the types reproduce).

use openai_wire::audio::Transcription;
use openai_wire::chat::{ChatCompletion, ChatCompletionChunk};
use openai_wire::chunks::{StreamDecoder, StreamItem};
use openai_wire::completions::{Completion, CompletionChunk};
use openai_wire::embeddings::CreateEmbeddingResponse;
use openai_wire::images::ImagesResponse;
use openai_wire::models::{Model, ModelList};
use openai_wire::response::{BodyKind, classify, decode_error_body, decode_json};
use openai_wire::sse::{Frame, SseDecoder};
use openai_wire::{DecodeError, Encoder, ErrorCategory, Escaping};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{
    CheckResults, SplitPlan, error_body, expect_eq, outcome_of, same_bytes, same_splits,
    served_by_ollama, single_body,
};
use crate::corpus::Case;

/// Replays one case.
pub(super) fn run(case: &Case) -> CheckResults {
    let meta = &case.meta;
    let chat = meta.endpoint == "/v1/chat/completions";
    let completions = meta.endpoint == "/v1/completions";
    match classify(meta.status, meta.content_type.as_deref()) {
        BodyKind::EventStream if chat => run_stream::<ChatCompletionChunk>(case),
        BodyKind::EventStream if completions => run_stream::<CompletionChunk>(case),
        BodyKind::EventStream => run_stream::<serde_json::Value>(case),
        BodyKind::Json if chat => run_single::<ChatCompletion>(case),
        BodyKind::Json if completions => run_single::<Completion>(case),
        BodyKind::Json if meta.endpoint == "/v1/models" => run_single::<ModelList>(case),
        BodyKind::Json if meta.endpoint.starts_with("/v1/models/") => run_single::<Model>(case),
        BodyKind::Json if meta.endpoint == "/v1/embeddings" => {
            run_single::<CreateEmbeddingResponse>(case)
        }
        BodyKind::Json if meta.endpoint.starts_with("/v1/images/") => {
            run_single::<ImagesResponse>(case)
        }
        BodyKind::Json if meta.endpoint == "/v1/audio/transcriptions" => {
            run_single::<Transcription>(case)
        }
        BodyKind::Json => run_single::<serde_json::Value>(case),
        // An error outcome with a body needs a message to show.
        _ => error_body(
            case,
            decode_error_body(meta.status, &case.body).message(),
            Ok(()),
        ),
    }
}

/// Decoded items, comparable across splits (errors as their messages).
pub type Items<T> = Vec<Result<StreamItem<T>, String>>;

/// Decodes an SSE chunk stream pushed as `plan` says; returns the items (the end-of-input
/// verdict last) and the categories of the errors.
pub fn decode_items<T: DeserializeOwned>(
    body: &[u8],
    plan: SplitPlan<'_>,
) -> (Items<T>, Vec<ErrorCategory>) {
    let mut decoder = StreamDecoder::<T>::new();
    let mut items = Vec::new();
    let mut categories = Vec::new();
    let mut record = |item: Result<StreamItem<T>, DecodeError>| match item {
        Ok(item) => items.push(Ok(item)),
        Err(e) => {
            categories.push(e.category());
            items.push(Err(e.to_string()));
        }
    };
    for piece in plan.split(body) {
        decoder.push(piece);
        for item in &mut decoder {
            record(item);
        }
    }
    if let Err(e) = decoder.finish() {
        record(Err(e));
    }
    (items, categories)
}

fn run_stream<T: DeserializeOwned + Serialize + PartialEq>(case: &Case) -> CheckResults {
    let expect = &case.meta.expect;
    let (whole, categories) = decode_items::<T>(&case.body, SplitPlan::Whole);
    let chunks = whole
        .iter()
        .filter(|i| matches!(i, Ok(StreamItem::Chunk(_))))
        .count() as u64;
    // Chat and completions streams have no order to violate: every malformed item fails.
    let outcome = outcome_of(categories.iter().copied(), 0, || {
        whole
            .iter()
            .filter_map(|i| i.as_ref().err().map(ToString::to_string))
            .collect()
    });
    let splits = same_splits(case, &whole, |plan| decode_items::<T>(&case.body, plan).0);
    CheckResults {
        outcome: outcome.and_then(|o| expect_eq("outcome", o, expect.outcome)),
        chunks: expect_eq("chunks", chunks, expect.chunks),
        splits,
        reencode: if served_by_ollama(case) {
            reencode_events::<T>(&case.body)
        } else {
            Ok(())
        },
    }
}

/// Ollama's `/v1` layer writes JSON with Go's `encoding/json`.
fn ollama_encoder() -> Encoder {
    Encoder::with_escaping(Escaping::Go)
}

/// Every chunk event's data re-encodes to its own bytes.
fn reencode_events<T: DeserializeOwned + Serialize>(body: &[u8]) -> Result<(), String> {
    let mut sse = SseDecoder::new();
    sse.push(body);
    for frame in &mut sse {
        let Frame::Event(event) = frame.map_err(|e| e.to_string())? else {
            continue;
        };
        let Ok(chunk) = serde_json::from_str::<T>(&event.data) else {
            continue; // [DONE] and error objects are not chunks
        };
        let encoded = ollama_encoder().to_vec(&chunk).map_err(|e| e.to_string())?;
        same_bytes("event", &encoded, event.data.as_bytes())?;
    }
    Ok(())
}

fn run_single<T: DeserializeOwned + Serialize>(case: &Case) -> CheckResults {
    single_body(
        case,
        decode_json::<T>(case.meta.status, &case.body),
        |e| e.category() == ErrorCategory::Upstream,
        |value| {
            // Ollama's /v1 layer writes bodies with Go's json.Encoder, which appends "\n";
            // that newline frames the value and is not part of it.
            let json = case.body.strip_suffix(b"\n").unwrap_or(&case.body);
            ollama_encoder()
                .to_vec(value)
                .map_err(|e| e.to_string())
                .and_then(|encoded| same_bytes("body", &encoded, json))
        },
    )
}
