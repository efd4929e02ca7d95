//! `StreamDecoder`: the same items for any split, at most one `AfterEnd` and nothing else after
//! `[DONE]`, `finish()` agreeing with what was seen, and bounded heap.
//!
//! Flags: see `ollama_protocol_fuzz::openai::config`; bits 4..=5 pick the chunk type
//! (`ChatCompletionChunk`, `serde_json::Value`, `CompletionChunk` for `/v1/completions`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ollama_protocol_fuzz::openai::chunk_target(data);
});
