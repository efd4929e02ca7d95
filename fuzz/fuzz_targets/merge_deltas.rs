//! The stream merger fed arbitrary delta sequences (a compact encoding, or Ollama NDJSON / OpenAI
//! SSE bodies through their decoders) with arbitrary options: well-formed events, nothing after
//! `Finish`, lossless text, the same message when every delta is cut in two, and both encoders
//! round-trip (see `src/merge.rs` for the input layout and the properties).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ollama_protocol_fuzz::merge::target(data);
});
