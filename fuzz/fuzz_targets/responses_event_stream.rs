//! `openai_wire::responses::ResponsesStreamDecoder` (`/v1/responses`): the same items for any
//! split; after the terminal event (`response.completed|incomplete|failed`) only the error a
//! `response.failed` carries, then at most one `AfterEnd`; `finish()` agreeing with what was
//! seen (`Ok` exactly after the terminal event, else `Truncated` with the event count); bounded
//! heap; and the decoded events re-encoded by `ResponsesEncoder` decode to the same events.
//!
//! Flags: see `ollama_protocol_fuzz::typed::target`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ollama_protocol_fuzz::typed::target::<ollama_protocol_fuzz::typed::Responses>(data);
});
