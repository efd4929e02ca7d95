//! Accessors, limits at their boundaries and the borrowed read path, with expected values worked
//! out by hand from the input bytes.

use sse_wire::{Frame, FrameKind, SseConfig, SseDecoder, SseError};

fn events(decoder: &mut SseDecoder) -> Vec<Result<Frame, SseError>> {
    decoder.by_ref().collect()
}

#[test]
fn a_borrowed_event_names_its_type_or_message_by_default() {
    let mut decoder = SseDecoder::new();
    decoder.push(b"event: update\ndata: a\n\ndata: b\n\n");
    assert_eq!(decoder.advance(), Some(Ok(FrameKind::Event)));
    let first = decoder.current_event().expect("an event");
    assert_eq!((first.event_type(), first.data), ("update", "a"));
    assert_eq!(decoder.advance(), Some(Ok(FrameKind::Event)));
    let second = decoder.current_event().expect("an event");
    assert_eq!((second.event_type(), second.data), ("message", "b"));
    assert_eq!(decoder.advance(), None);
}

#[test]
fn a_too_long_line_reports_the_offset_of_that_line() {
    let mut decoder = SseDecoder::with_config(SseConfig::default().with_max_line_bytes(10));
    // "data: a\n\n" is 9 bytes; the long line starts at byte 9.
    decoder.push(b"data: a\n\ndata: 0123456789abcdef\n\n");
    let got = events(&mut decoder);
    assert!(
        matches!(&got[0], Ok(Frame::Event(e)) if e.data == "a"),
        "{got:?}"
    );
    let err = got[1].as_ref().expect_err("the long line");
    assert!(matches!(err, SseError::LineTooLong { .. }), "{err:?}");
    assert_eq!(err.offset(), 9);
}

#[test]
fn an_event_over_the_limit_reports_its_first_line_and_one_at_the_limit_passes() {
    // The limit counts each data value plus one LF: "12345" + LF is 6 bytes.
    let config = SseConfig::default().with_max_event_bytes(6);
    let mut decoder = SseDecoder::with_config(config.clone());
    decoder.push(b"data: 12345\n\n");
    let got = events(&mut decoder);
    assert!(
        matches!(&got[..], [Ok(Frame::Event(e))] if e.data == "12345"),
        "{got:?}"
    );

    let mut decoder = SseDecoder::with_config(config);
    // "data: ok\n\n" is 10 bytes: the second event's first line is at byte 10; its two lines
    // are 3 + 1 and 3 + 1 bytes, 8 in all.
    decoder.push(b"data: ok\n\ndata: 123\ndata: 456\n\n");
    let got = events(&mut decoder);
    assert!(
        matches!(&got[0], Ok(Frame::Event(e)) if e.data == "ok"),
        "{got:?}"
    );
    let err = got[1].as_ref().expect_err("the large event");
    assert!(
        matches!(err, SseError::EventTooLarge { limit: 6, .. }),
        "{err:?}"
    );
    assert_eq!(err.offset(), 10);
    assert_eq!(
        got.len(),
        2,
        "nothing of the large event is dispatched: {got:?}"
    );
}

#[test]
fn a_block_without_data_dispatches_only_when_configured() {
    let input = b"event: ping\n\ndata: y\n\n";
    let mut decoder = SseDecoder::new();
    decoder.push(input);
    let got = events(&mut decoder);
    assert!(
        matches!(&got[..], [Ok(Frame::Event(e))] if e.data == "y" && e.event_type() == "message"),
        "{got:?}"
    );

    let mut decoder = SseDecoder::with_config(SseConfig::default().with_dispatch_dataless(true));
    decoder.push(input);
    let got = events(&mut decoder);
    assert!(
        matches!(&got[..], [Ok(Frame::Event(p)), Ok(Frame::Event(y))]
            if p.data.is_empty() && p.event_type() == "ping" && y.data == "y"),
        "{got:?}"
    );
}

#[test]
fn the_decoder_reports_the_settings_it_was_given() {
    let config = SseConfig::default()
        .with_max_line_bytes(123)
        .with_max_event_bytes(456)
        .with_comments(true);
    let decoder = SseDecoder::with_config(config);
    assert_eq!(decoder.config().max_line_bytes, 123);
    assert_eq!(decoder.config().max_event_bytes, 456);
    assert!(decoder.config().comments);
    assert!(!decoder.config().dispatch_dataless);
}

#[test]
fn buffered_len_counts_undecoded_input_and_held_data() {
    let mut decoder = SseDecoder::new();
    decoder.push(b"data: abc");
    // Nothing decoded yet: all 9 bytes are held.
    assert_eq!(decoder.buffered_len(), 9);
    assert!(decoder.next().is_none());
    // The line has no end yet: still all 9 bytes.
    assert_eq!(decoder.buffered_len(), 9);
    decoder.push(b"\n");
    assert!(decoder.next().is_none());
    // The line is decoded; its value "abc" and its LF stay in the input buffer for the event.
    assert_eq!(decoder.buffered_len(), 4);
    decoder.push(b"data: de\n");
    assert!(decoder.next().is_none());
    // A second data line: "abc\n" is copied out of the input buffer (4 bytes of data), and
    // the second value "de" and its LF are held in the buffer (3 bytes).
    assert_eq!(decoder.buffered_len(), 7);
    decoder.push(b"\n");
    let got = events(&mut decoder);
    assert!(
        matches!(&got[..], [Ok(Frame::Event(e))] if e.data == "abc\nde"),
        "{got:?}"
    );
}

#[test]
fn a_two_byte_stream_is_read_without_waiting_for_a_byte_order_mark() {
    // Shorter than a BOM and not its prefix: the comment is decoded at once.
    let mut decoder = SseDecoder::with_config(SseConfig::default().with_comments(true));
    decoder.push(b":\n");
    assert!(matches!(decoder.next(), Some(Ok(Frame::Comment(c))) if c.is_empty()));
}

#[test]
fn a_stream_of_only_a_byte_order_mark_ends_cleanly() {
    let mut decoder = SseDecoder::new();
    decoder.push(b"\xEF\xBB\xBF");
    assert!(decoder.next().is_none());
    assert_eq!(
        decoder.finish(),
        Ok(()),
        "the BOM is skipped, nothing is pending"
    );
}

#[test]
fn the_push_decoder_shape_reports_a_cut_as_its_error_type() {
    use sse_wire::{Categorized, ErrorCategory, PushDecoder};

    fn verdict<D: PushDecoder>(decoder: &mut D, body: &[u8]) -> Result<(), D::Error> {
        PushDecoder::push(decoder, body);
        decoder.by_ref().for_each(drop);
        PushDecoder::finish(decoder)
    }

    let mut decoder = SseDecoder::new();
    assert_eq!(verdict(&mut decoder, b"data: a\n\n"), Ok(()));
    let cut = verdict(&mut decoder, b"data: a\n\ndata: b").unwrap_err();
    let SseError::Truncated(truncated) = &cut else {
        panic!("{cut:?}")
    };
    // The second stream starts again at byte 0 (finish resets the decoder); the cut event
    // starts at byte 9 of it.
    assert_eq!((truncated.offset, truncated.end), (9, 16));
    assert_eq!(cut.offset(), 9);
    assert_eq!(cut.category(), ErrorCategory::Truncated);
    assert_eq!(Categorized::offset(truncated), Some(9));
    assert_eq!(Categorized::category(truncated), ErrorCategory::Truncated);
    assert_eq!(cut.to_string(), truncated.to_string());

    let limit = SseError::LineTooLong {
        offset: 4,
        limit: 2,
    };
    assert_eq!(limit.category(), ErrorCategory::Limit);
    assert_eq!(Categorized::offset(&limit), Some(4));
    assert_eq!(
        SseError::EventTooLarge {
            offset: 1,
            limit: 2
        }
        .category(),
        ErrorCategory::Limit
    );
}
