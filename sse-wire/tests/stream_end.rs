//! `StreamEnd`: data after the terminal event is reported once, an end before it is a cut
//! stream, and SSE errors are sorted by which side of the end they fall on. Offsets are
//! counted by hand.

use sse_wire::{Advance, EndVerdict, SseConfig, SseDecoder, SseError, StreamEnd};

/// Every step until the input holds no further event; `[DONE]` data ends the stream.
fn steps(sse: &mut SseDecoder, end: &mut StreamEnd) -> Vec<Advance> {
    let mut out = Vec::new();
    while let Some(step) = end.advance(sse) {
        if step == Advance::Event && sse.current_event().is_some_and(|e| e.data == "[DONE]") {
            end.set_ended();
        }
        out.push(step);
    }
    out
}

fn limited(max_line_bytes: usize) -> SseDecoder {
    SseDecoder::with_config(SseConfig::default().with_max_line_bytes(max_line_bytes))
}

#[test]
fn a_limit_error_before_the_end_is_an_sse_error_and_decoding_goes_on() {
    let mut sse = limited(16);
    let mut end = StreamEnd::new();
    // "data: 0123456789abcdef\n" is 23 bytes: over the 16-byte line limit.
    sse.push(b"data: 0123456789abcdef\n\ndata: [DONE]\n\n");
    let got = steps(&mut sse, &mut end);
    assert_eq!(
        got,
        [
            Advance::Sse(SseError::LineTooLong {
                offset: 0,
                limit: 16
            }),
            Advance::Event,
        ]
    );
    assert!(end.is_ended());
    assert_eq!(end.finish(&mut sse), EndVerdict::Ended);
}

#[test]
fn after_the_end_a_limit_error_is_data_after_the_end_reported_once() {
    let mut sse = limited(16);
    let mut end = StreamEnd::new();
    // "data: [DONE]\n" is 13 bytes, the blank line 1: the long line starts at byte 14.
    sse.push(b"data: [DONE]\n\ndata: 0123456789abcdef\n\ndata: x\n\n");
    assert_eq!(
        steps(&mut sse, &mut end),
        [Advance::Event, Advance::AfterEnd { offset: 14 }]
    );
    assert_eq!(end.finish(&mut sse), EndVerdict::Ended);
}

#[test]
fn input_cut_after_the_end_is_data_after_the_end_unless_reported_already() {
    let mut sse = SseDecoder::new();
    let mut end = StreamEnd::new();
    sse.push(b"data: [DONE]\n\ndata: cut");
    assert_eq!(steps(&mut sse, &mut end), [Advance::Event]);
    assert_eq!(end.finish(&mut sse), EndVerdict::AfterEnd { offset: 14 });

    let mut sse = SseDecoder::new();
    let mut end = StreamEnd::new();
    sse.push(b"data: [DONE]\n\ndata: late\n\ndata: cut");
    assert_eq!(
        steps(&mut sse, &mut end),
        [Advance::Event, Advance::AfterEnd { offset: 14 }]
    );
    assert_eq!(end.finish(&mut sse), EndVerdict::Ended, "reported once");
}

#[test]
fn an_empty_body_is_a_cut_stream_with_nothing_pending() {
    let mut sse = SseDecoder::new();
    let mut end = StreamEnd::new();
    assert_eq!(end.advance(&mut sse), None);
    assert!(!end.is_ended());
    assert_eq!(
        end.finish(&mut sse),
        EndVerdict::Truncated {
            offset: 0,
            sse: None
        }
    );
}

#[test]
fn an_event_cut_before_the_end_is_a_cut_stream_with_what_was_pending() {
    let mut sse = SseDecoder::new();
    let mut end = StreamEnd::new();
    sse.push(b"data: a\n\ndata: b\n");
    assert_eq!(steps(&mut sse, &mut end), [Advance::Event]);
    match end.finish(&mut sse) {
        EndVerdict::Truncated {
            offset: 17,
            sse: Some(pending),
        } => {
            assert_eq!((pending.offset, pending.end), (9, 17));
            assert!(pending.unterminated_event && !pending.partial_line);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn comments_are_skipped_on_either_side_of_the_end() {
    let mut sse = SseDecoder::with_config(SseConfig::default().with_comments(true));
    let mut end = StreamEnd::new();
    sse.push(b": ping\n\ndata: [DONE]\n\n: ping\n\n");
    assert_eq!(steps(&mut sse, &mut end), [Advance::Event]);
    assert_eq!(end.finish(&mut sse), EndVerdict::Ended);
}
