//! `ChatResponse` NDJSON stream decoder: the same items for any split, the documented life cycle
//! (nothing after the terminal item but one `AfterEnd`; exactly one of done, `Upstream`,
//! `Truncated`), bounded heap, and decoded chunks re-encode to equal chunks.
//!
//! Flags bit 0: line limit 64 instead of 1024.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ollama_protocol_fuzz::ollama::stream_target::<ollama_wire::ChatResponse>(data);
});
