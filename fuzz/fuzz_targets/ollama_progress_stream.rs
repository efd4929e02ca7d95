//! `ProgressResponse` NDJSON stream decoder (`/api/pull`, `/api/push`, `/api/create`): the same
//! properties as `ollama_chat_stream` (split invariance, life cycle with `"status":"success"`
//! as the last line, bounded heap, re-encoding to equal lines).
//!
//! Flags bit 0: line limit 64 instead of 1024.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ollama_protocol_fuzz::ollama::stream_target::<ollama_wire::ProgressResponse>(data);
});
