//! `anthropic_wire::events::StreamDecoder` (`/v1/messages`): the same items for any split;
//! after `message_stop` at most one `AfterEnd` and nothing else; `finish()` agreeing with what
//! was seen (`Ok` exactly after `message_stop`, else `Truncated` with the event count); bounded
//! heap; and the decoded events re-encoded by `StreamEncoder` decode to the same events.
//!
//! Flags: see `ollama_protocol_fuzz::typed::target`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ollama_protocol_fuzz::typed::target::<ollama_protocol_fuzz::typed::Anthropic>(data);
});
