//! `openai_wire::responses::ResponsesStreamDecoder` (`/v1/responses`): the same items for any
//! split; after the terminal event (`response.completed|incomplete|failed`) only the error a
//! `response.failed` carries, then at most one `AfterEnd`; `finish()` agreeing with what was
//! seen (`Ok` exactly after the terminal event, else `Truncated` with the event count); bounded
//! heap; and the decoded events re-encoded by `ResponsesEncoder` decode to the same events.
//! Also: `next_ref` (borrowed deltas) gives the iterator's items, made owned, and its verdict.
//!
//! Flags: see `ollama_protocol_fuzz::typed::target`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openai_wire::responses::{ResponseStreamEventRef, ResponsesStreamDecoder};

/// The iterator and `next_ref` over `data` in one push: the same items and verdict.
fn borrowed_agrees(data: &[u8]) {
    let mut owned = ResponsesStreamDecoder::new();
    owned.push(data);
    let items: Vec<String> = (&mut owned).map(|item| format!("{item:?}")).collect();
    let mut borrowed = ResponsesStreamDecoder::new();
    borrowed.push(data);
    let mut by_ref = Vec::new();
    while let Some(item) = borrowed.next_ref() {
        by_ref.push(format!(
            "{:?}",
            item.map(ResponseStreamEventRef::into_owned)
        ));
    }
    assert_eq!(by_ref, items, "next_ref and the iterator disagree");
    assert_eq!(
        format!("{:?}", borrowed.finish()),
        format!("{:?}", owned.finish())
    );
}

fuzz_target!(|data: &[u8]| {
    ollama_protocol_fuzz::typed::target::<ollama_protocol_fuzz::typed::Responses>(data);
    borrowed_agrees(data);
});
