//! `StreamDecoder`: the same items for any split, at most one `AfterEnd` and nothing else after
//! `[DONE]`, `finish()` agreeing with what was seen, and bounded heap.
//!
//! Flags: see `ollama_protocol_fuzz::openai::config`; bit 4 decodes `serde_json::Value`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ollama_protocol_fuzz::openai::chunk_target(data);
});
