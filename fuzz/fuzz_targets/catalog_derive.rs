//! Catalog derivation from arbitrary `/api/tags` and `/api/show` bodies (NUL-separated), with
//! both show policies: total, deterministic, one outcome per listed row, kept entries follow the
//! rules, `to_config()` round-trips (see `src/discovery.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ollama_protocol_fuzz::discovery::target(data);
});
