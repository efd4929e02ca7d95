//! `SseDecoder`: the same frames, offsets and end verdict for any split, items within the
//! configured limits, bounded heap, and encode∘decode identity of the decoded frames.
//!
//! Flags: see `ollama_protocol_fuzz::openai::config`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ollama_protocol_fuzz::openai::sse_target(data);
});
