//! The decoder's and accumulator's state accessors, which callers drive their loops by.

use ollama_wire::{ChatAccumulator, ChatResponse, ChatStreamDecoder};

const CHUNK: &[u8] =
    b"{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n";

#[test]
fn the_accumulator_shows_the_reply_so_far() {
    let mut acc = ChatAccumulator::new();
    assert!(acc.reply().is_none());
    acc.push(ChatResponse::from_slice(CHUNK.strip_suffix(b"\n").unwrap()).unwrap());
    assert_eq!(acc.reply().map(|r| r.message.content.as_str()), Some("Hi"));
}

#[test]
fn a_decoder_is_finished_only_at_its_end_and_abandon_drops_what_is_buffered() {
    let mut decoder = ChatStreamDecoder::new();
    assert!(!decoder.is_finished());
    decoder.push(CHUNK);
    assert!(decoder.next().is_some_and(|c| c.is_ok()));
    assert!(!decoder.is_finished());
    // Half a line is buffered; a transport error abandons the stream.
    decoder.push(&CHUNK[..20]);
    decoder.abandon();
    assert!(decoder.is_finished());
    decoder.push(&CHUNK[20..]);
    assert!(decoder.next().is_none(), "nothing after abandon");
}

/// A malformed line's error chains to serde_json's, so `error_chain`-style reporting shows why.
#[test]
fn a_malformed_line_has_the_json_error_as_its_source() {
    use std::error::Error;
    let mut decoder = ChatStreamDecoder::new();
    decoder.push(b"{\"model\":}\n");
    let error = decoder.next().unwrap().unwrap_err();
    let source = error.source().expect("a source");
    assert!(source.to_string().contains("expected value"), "{source}");
    // Other kinds have none.
    let cut = ChatStreamDecoder::new().finish().unwrap_err();
    assert!(cut.source().is_none());
}

#[test]
fn a_framer_reports_its_line_limit() {
    let framer = ollama_wire::framing::LineFramer::with_max_line_len(4096);
    assert_eq!(framer.max_line_len(), 4096);
}
