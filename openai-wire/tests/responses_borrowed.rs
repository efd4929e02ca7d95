//! `ResponsesStreamDecoder::next_ref` over every recorded `/v1/responses` case: the events
//! and errors of the iterator (made owned), whatever the split, with the delta text borrowed
//! from the decoder where it has no escapes.

use std::borrow::Cow;

use openai_wire::DecodeError;
use openai_wire::responses::{ResponseStreamEvent, ResponseStreamEventRef, ResponsesStreamDecoder};
use test_support::{Wire, cases};

/// Debug text of the iterator's items and verdict.
fn owned(body: &[u8], split: usize) -> (Vec<String>, String) {
    let mut decoder = ResponsesStreamDecoder::new();
    let mut items = Vec::new();
    for piece in body.chunks(split) {
        decoder.push(piece);
        items.extend((&mut decoder).map(|item| format!("{item:?}")));
    }
    (items, format!("{:?}", decoder.finish()))
}

/// Debug text of `next_ref`'s items made owned, its verdict, and how many delta texts it
/// borrowed and copied.
fn borrowed(body: &[u8], split: usize) -> (Vec<String>, String, usize, usize) {
    let mut decoder = ResponsesStreamDecoder::new();
    let (mut items, mut lent, mut copied) = (Vec::new(), 0, 0);
    for piece in body.chunks(split) {
        decoder.push(piece);
        while let Some(item) = decoder.next_ref() {
            if let Ok(event) = &item {
                match event.delta().map(|d| &d.delta) {
                    Some(Cow::Borrowed(_)) => lent += 1,
                    Some(Cow::Owned(_)) => copied += 1,
                    None => {}
                }
            }
            let item: Result<ResponseStreamEvent, DecodeError> =
                item.map(ResponseStreamEventRef::into_owned);
            items.push(format!("{item:?}"));
        }
    }
    (items, format!("{:?}", decoder.finish()), lent, copied)
}

#[test]
fn next_ref_gives_the_iterators_items_on_every_recorded_case() {
    let (mut lent, mut copied, mut checked) = (0, 0, 0);
    for case in cases(Wire::Responses) {
        for split in [1, 7, 64, 4096, usize::MAX] {
            let split = split.min(case.body.len().max(1));
            let (items, verdict) = owned(&case.body, split);
            let (by_ref, by_ref_verdict, l, c) = borrowed(&case.body, split);
            assert_eq!(by_ref, items, "{} split {split}", case.id);
            assert_eq!(by_ref_verdict, verdict, "{} split {split}", case.id);
            lent += l;
            copied += c;
            checked += 1;
        }
    }
    assert!(
        checked >= 5 * 6,
        "the recorded streams are there: {checked}"
    );
    // Ollama escapes `<`, `>` and `&` and writes newlines as `\n`: some deltas are copied,
    // most are not.
    assert!(lent > copied && copied > 0, "lent {lent}, copied {copied}");
}

#[test]
fn a_delta_after_the_end_and_a_violation_are_reported_alike() {
    let body = concat!(
        "event: response.created\n",
        r#"data: {"response":{"id":"r"},"sequence_number":0,"type":"response.created"}"#,
        "\n\n",
        "event: response.output_text.delta\n",
        r#"data: {"content_index":0,"delta":"x","item_id":"m","logprobs":[],"output_index":0,"sequence_number":1,"type":"response.output_text.delta"}"#,
        "\n\n",
        "event: response.completed\n",
        r#"data: {"response":{"id":"r"},"sequence_number":2,"type":"response.completed"}"#,
        "\n\n",
        "event: response.output_text.delta\n",
        r#"data: {"delta":"late"}"#,
        "\n\n",
    );
    let mut decoder = ResponsesStreamDecoder::new();
    decoder.push(body.as_bytes());
    assert!(matches!(
        decoder.next_ref(),
        Some(Ok(ResponseStreamEventRef::Other(e))) if matches!(*e, ResponseStreamEvent::Created(_))
    ));
    // The item was never added: the violation carries the owned delta, at the event's offset.
    let Some(Err(DecodeError::Protocol(p))) = decoder.next_ref() else {
        panic!("a violation")
    };
    assert_eq!(p.offset, 101);
    let ResponseStreamEvent::OutputTextDelta(delta) = &p.event else {
        panic!("{p:?}")
    };
    assert_eq!(delta.delta, "x");
    assert!(matches!(decoder.next_ref(), Some(Ok(e)) if e.is_terminal()));
    assert!(matches!(
        decoder.next_ref(),
        Some(Err(DecodeError::AfterEnd { offset: 380 }))
    ));
    assert!(decoder.next_ref().is_none());
    assert!(decoder.finish().is_ok());
}
