//! One test per WHATWG event-stream rule. Expected values are written by hand.

use super::*;

/// Feeds `chunks` one by one, draining after each; returns every item and the
/// result of `finish`.
fn run(
    config: SseConfig,
    chunks: &[&[u8]],
) -> (Vec<Result<Frame, SseError>>, Result<(), Truncated>) {
    let mut decoder = SseDecoder::with_config(config);
    let mut items = Vec::new();
    for chunk in chunks {
        decoder.push(chunk);
        items.extend(&mut decoder);
    }
    let end = decoder.finish();
    (items, end)
}

/// The event an item is; panics on anything else.
fn event_of(item: &Result<Frame, SseError>) -> &Event {
    match item {
        Ok(Frame::Event(e)) => e,
        other => panic!("not an event: {other:?}"),
    }
}

fn data_of(items: &[Result<Frame, SseError>]) -> Vec<String> {
    items
        .iter()
        .map(|item| event_of(item).data.clone())
        .collect()
}

fn events(chunks: &[&[u8]]) -> Vec<Event> {
    let (items, _) = run(SseConfig::default(), chunks);
    items.iter().map(|item| event_of(item).clone()).collect()
}

/// The data of every event `chunks` decode into with the default configuration (the end of
/// the stream is not checked).
fn data(chunks: &[&[u8]]) -> Vec<String> {
    data_of(&run(SseConfig::default(), chunks).0)
}

/// As [`data`], asserting that the stream ended cleanly.
fn data_ending_cleanly(chunks: &[&[u8]]) -> Vec<String> {
    let (items, end) = run(SseConfig::default(), chunks);
    assert_eq!(end, Ok(()), "{chunks:?}");
    data_of(&items)
}

#[test]
fn lf_cr_and_crlf_end_lines() {
    assert_eq!(
        data_ending_cleanly(&[b"data: cr\r\rdata: lf\n\ndata: crlf\r\n\r\n"]),
        ["cr", "lf", "crlf"]
    );
}

#[test]
fn crlf_split_across_pushes_is_one_line_end() {
    // A CR ending one push and an LF starting the next are one line end, so
    // the LF must not be taken for a blank line that dispatches early.
    assert_eq!(
        data_ending_cleanly(&[b"data: A\r\n", b"data: B\r", b"\n", b"data: C\r\n", b"\n"]),
        ["A\nB\nC"]
    );
}

#[test]
fn cr_at_end_of_push_then_other_byte() {
    assert_eq!(data(&[b"data: a\r", b"data: b\r\r"]), ["a\nb"]);
}

#[test]
fn blank_cr_line_split_before_lf_dispatches_once() {
    assert_eq!(
        data_ending_cleanly(&[b"data: one\r", b"\r", b"\n"]),
        ["one"]
    );
}

#[test]
fn leading_bom_is_stripped() {
    assert_eq!(data(&[b"\xEF\xBB\xBFdata: x\n\n"]), ["x"]);
}

#[test]
fn bom_split_across_pushes_is_stripped() {
    assert_eq!(data(&[b"\xEF", b"\xBB", b"\xBF", b"data: x\n\n"]), ["x"]);
    assert_eq!(data(&[b"\xEF\xBB", b"\xBFdata: y\n\n"]), ["y"]);
}

#[test]
fn only_one_bom_is_stripped() {
    // The second BOM becomes part of the field name "\u{FEFF}data", ignored.
    assert_eq!(
        data(&[b"\xEF\xBB\xBF\xEF\xBB\xBFdata:1\n\ndata:2\n\n"]),
        ["2"]
    );
}

#[test]
fn bom_prefix_that_is_not_a_bom_is_kept() {
    // EF BB followed by something else: not a BOM; the bytes become U+FFFD
    // in an unknown field name, so the line is ignored.
    assert_eq!(data(&[b"\xEF\xBB", b"data:1\n\ndata:2\n\n"]), ["2"]);
}

#[test]
fn comments_are_ignored_by_default_and_surfaced_on_request() {
    let input: &[u8] = b": keep-alive\ndata: x\n:\n\n";
    assert_eq!(data(&[input]), ["x"]);

    let (items, _) = run(SseConfig::default().with_comments(true), &[input]);
    assert_eq!(
        items,
        vec![
            Ok(Frame::Comment(" keep-alive".into())),
            Ok(Frame::Comment(String::new())),
            Ok(Frame::Event(Event::new("x"))),
        ]
    );
}

#[test]
fn data_lines_are_joined_with_lf() {
    assert_eq!(
        data(&[b"data: YHOO\ndata: +2\ndata: 10\n\n"]),
        ["YHOO\n+2\n10"]
    );
}

#[test]
fn exactly_one_leading_space_is_removed() {
    let evs = events(&[b"data:test\n\ndata: test\n\ndata:  third\n\n"]);
    let data: Vec<&str> = evs.iter().map(|e| e.data.as_str()).collect();
    assert_eq!(data, ["test", "test", " third"]);
    let evs = events(&[b"event:  greeting\ndata:  Hello\n\n"]);
    assert_eq!(evs[0].event.as_deref(), Some(" greeting"));
    assert_eq!(evs[0].data, " Hello");
}

#[test]
fn field_without_colon_has_empty_value() {
    // The WHATWG example: "data" twice then a blank line fires "\n".
    let (items, end) = run(SseConfig::default(), &[b"data\n\ndata\ndata\n\ndata:"]);
    assert_eq!(data_of(&items), ["", "\n"]);
    let end = end.unwrap_err();
    assert!(end.partial_line);
    assert!(!end.unterminated_event);
    assert_eq!(end.offset, 17);
}

#[test]
fn field_names_are_case_sensitive_and_unknown_fields_ignored() {
    assert_eq!(
        data(&[b"Data: no\nfoobar:xxx\njustsometext\ndata:abc\n\n"]),
        ["abc"]
    );
}

#[test]
fn event_type_is_set_and_does_not_persist() {
    let evs = events(&[b"event:test\ndata:x\n\ndata:y\n\n"]);
    assert_eq!(evs[0].event_type(), "test");
    assert_eq!(evs[1].event, None);
    assert_eq!(evs[1].event_type(), "message");
}

#[test]
fn empty_event_field_means_message() {
    let evs = events(&[b"event: \ndata:data\n\n"]);
    assert_eq!(evs[0].event, None);
    assert_eq!(evs[0].data, "data");
}

#[test]
fn last_event_id_persists_and_can_be_reset() {
    let evs = events(&[b"id: 1\ndata: 1\n\ndata:2\n\nid:\ndata:3\n\ndata:4\n\n"]);
    let ids: Vec<&str> = evs.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["1", "1", "", ""]);
}

#[test]
fn id_with_nul_is_ignored() {
    let mut decoder = SseDecoder::new();
    decoder.push(b"id: 123\nid: bad\0id\ndata: hello\n\n");
    let event = decoder.next_event().unwrap().unwrap();
    assert_eq!(event.id, "123");
    assert_eq!(decoder.last_event_id(), "123");
}

#[test]
fn id_in_dataless_block_is_committed_without_event() {
    let mut decoder = SseDecoder::new();
    decoder.push(b"id: 42\n");
    assert!(decoder.next().is_none());
    assert_eq!(decoder.last_event_id(), "");
    decoder.push(b"\n");
    assert!(decoder.next().is_none());
    assert_eq!(decoder.last_event_id(), "42");
}

#[test]
fn id_of_undispatched_trailing_block_is_not_committed() {
    let mut decoder = SseDecoder::new();
    decoder.push(b"retry:1000\ndata:test1\n\nid:test\ndata:test2");
    let evs: Vec<_> = (&mut decoder).collect();
    assert_eq!(evs.len(), 1);
    let end = decoder.finish().unwrap_err();
    assert!(end.unterminated_event && end.partial_line);
    assert_eq!(decoder.last_event_id(), "");
    assert_eq!(decoder.reconnection_time(), Some(1000));
}

#[test]
fn retry_accepts_ascii_digits_only() {
    let mut decoder = SseDecoder::new();
    decoder.push(b"retry:2000\nretry:1000x\ndata:x\n\n");
    let event = decoder.next_event().unwrap().unwrap();
    assert_eq!(event.retry, Some(2000));
    assert_eq!(decoder.reconnection_time(), Some(2000));
    // "retry:  5" has the value " 5" (one space is removed).
    for bogus in ["  5", "+5", "-5", "5 ", "1e3", "", "\u{0665}"] {
        let mut decoder = SseDecoder::new();
        decoder.push(format!("retry:{bogus}\ndata:x\n\n").as_bytes());
        let event = decoder.next_event().unwrap().unwrap();
        assert_eq!(event.retry, None, "{bogus:?}");
        assert_eq!(decoder.reconnection_time(), None, "{bogus:?}");
    }
}

#[test]
fn retry_overflow_saturates() {
    let evs = events(&[b"retry: 99999999999999999999999\ndata:x\n\n"]);
    assert_eq!(evs[0].retry, Some(u64::MAX));
}

#[test]
fn block_without_data_dispatches_nothing_by_default() {
    let (items, end) = run(SseConfig::default(), &[b"event: ping\n\n"]);
    assert!(items.is_empty());
    assert_eq!(end, Ok(()));
}

#[test]
fn dispatch_dataless_opt_in() {
    let config = SseConfig::default().with_dispatch_dataless(true);
    let (items, _) = run(config, &[b"event: ping\n\n\n\nevent: completion\n\n"]);
    assert_eq!(
        items,
        vec![
            Ok(Frame::Event(Event::new("").with_event("ping"))),
            Ok(Frame::Event(Event::new("").with_event("completion"))),
        ]
    );
}

#[test]
fn empty_data_line_dispatches_empty_string() {
    assert_eq!(events(&[b"data:\n\n"]), vec![Event::new("")]);
}

#[test]
fn nul_in_data_is_kept() {
    assert_eq!(events(&[b"data:\0\n\n"]), vec![Event::new("\0")]);
}

#[test]
fn invalid_utf8_is_replaced() {
    assert_eq!(
        events(&[b"data: a\xFFb\xC3\n\n"]),
        vec![Event::new("a\u{FFFD}b\u{FFFD}")]
    );
}

#[test]
fn invalid_utf8_does_not_stall() {
    // A lone lead byte at the end of a push must not hold back the line.
    let mut decoder = SseDecoder::new();
    decoder.push(b"data: \xE2\n\n");
    assert_eq!(
        decoder.next_event().unwrap().unwrap(),
        Event::new("\u{FFFD}")
    );
}

#[test]
fn multibyte_character_split_across_pushes_is_intact() {
    let text = "€豆腐".as_bytes();
    let mut chunks: Vec<&[u8]> = vec![b"data: "];
    chunks.extend(text.chunks(1));
    chunks.push(b"\n\n");
    assert_eq!(events(&chunks), vec![Event::new("€豆腐")]);
}

#[test]
fn unicode_line_separator_is_not_a_line_end() {
    assert_eq!(
        events(&[b"data: a\xE2\x80\xA8b\xC2\x85c\n\n"]),
        vec![Event::new("a\u{2028}b\u{85}c")]
    );
}

#[test]
fn trailing_event_is_discarded_and_reported() {
    let (items, end) = run(SseConfig::default(), &[b"data: 1\n\ndata: x\n"]);
    assert_eq!(data_of(&items), ["1"]);
    let end = end.unwrap_err();
    assert_eq!(end.offset, 9);
    assert_eq!(end.end, 17);
    assert!(end.unterminated_event);
    assert!(!end.partial_line);
}

#[test]
fn partial_line_at_end_is_reported() {
    let (items, end) = run(SseConfig::default(), &[b"data: x"]);
    assert!(items.is_empty());
    let end = end.unwrap_err();
    assert!(end.partial_line);
    assert!(!end.unterminated_event);
    assert_eq!(end.offset, 0);
}

#[test]
fn empty_input_and_blank_lines_end_cleanly() {
    assert_eq!(run(SseConfig::default(), &[]).1, Ok(()));
    assert_eq!(run(SseConfig::default(), &[b"\n\n\r\n"]).1, Ok(()));
    assert_eq!(
        run(SseConfig::default(), &[b": only a comment\n"]).1,
        Ok(())
    );
}

#[test]
fn partial_bom_at_end_is_reported() {
    assert!(run(SseConfig::default(), &[b"\xEF\xBB"]).1.is_err());
}

#[test]
fn finish_resets_for_a_new_stream_keeping_id_and_retry() {
    let mut decoder = SseDecoder::new();
    decoder.push(b"id: 42\nretry: 3000\ndata: first\n\n");
    assert_eq!(decoder.next_event().unwrap().unwrap().id, "42");
    assert_eq!(decoder.finish(), Ok(()));
    decoder.push(b"\xEF\xBB\xBFdata: after-reconnect\n\n");
    let event = decoder.next_event().unwrap().unwrap();
    assert_eq!(event.data, "after-reconnect");
    assert_eq!(event.id, "42");
    assert_eq!(decoder.reconnection_time(), Some(3000));
    assert_eq!(decoder.last_offset(), 3);
}

#[test]
fn offsets_point_at_the_first_field_line() {
    let mut decoder = SseDecoder::new();
    decoder.push(b": c\n\nevent: a\ndata: 1\n\ndata: 2\n\n");
    assert!(decoder.next_event().is_some());
    assert_eq!(decoder.last_offset(), 5);
    assert!(decoder.next_event().is_some());
    assert_eq!(decoder.last_offset(), 23);
    assert_eq!(decoder.bytes_received(), 32);
}

#[test]
fn long_line_is_an_error_and_drops_the_event() {
    let config = SseConfig::default().with_max_line_bytes(8);
    let (items, end) = run(
        config,
        &[b"data: 1\n\ndata: way too long\ndata: x\n\ndata: 3\n\n"],
    );
    assert_eq!(
        items,
        vec![
            Ok(Frame::Event(Event::new("1"))),
            Err(SseError::LineTooLong {
                offset: 9,
                limit: 8
            }),
            Ok(Frame::Event(Event::new("3"))),
        ]
    );
    assert_eq!(end, Ok(()));
}

#[test]
fn long_partial_line_is_reported_before_its_end_arrives() {
    let config = SseConfig::default().with_max_line_bytes(8);
    let mut decoder = SseDecoder::with_config(config);
    decoder.push(b"data: 0123456789");
    assert_eq!(
        decoder.next(),
        Some(Err(SseError::LineTooLong {
            offset: 0,
            limit: 8
        }))
    );
    // The rest of the line is dropped without buffering.
    decoder.push(&[b'x'; 1000]);
    assert!(decoder.next().is_none());
    assert!(decoder.buf.len() <= 1000);
    decoder.push(b"\n\ndata: ok\n\n");
    assert_eq!(decoder.next_event(), Some(Ok(Event::new("ok"))));
}

#[test]
fn long_comment_or_unknown_field_is_dropped_silently() {
    let config = SseConfig::default().with_max_line_bytes(8);
    let (items, end) = run(
        config,
        &[
            b":",
            b"a long comment",
            b"\r",
            b"\ndata:ok\n",
            b"unknown: long",
            b"\n\n",
        ],
    );
    assert_eq!(data_of(&items), ["ok"]);
    assert_eq!(end, Ok(()));
}

#[test]
fn long_comment_is_an_error_when_comments_are_surfaced() {
    let config = SseConfig::default()
        .with_max_line_bytes(4)
        .with_comments(true);
    let (items, _) = run(config, &[b": a long comment\n"]);
    assert_eq!(
        items,
        vec![Err(SseError::LineTooLong {
            offset: 0,
            limit: 4
        })]
    );
}

#[test]
fn big_event_is_an_error_and_dropped() {
    let config = SseConfig::default().with_max_event_bytes(10);
    let (items, _) = run(
        config,
        &[b"data: 12345\ndata: 6789\ndata: more\n\ndata: ok\n\n"],
    );
    assert_eq!(
        items,
        vec![
            Err(SseError::EventTooLarge {
                offset: 0,
                limit: 10
            }),
            Ok(Frame::Event(Event::new("ok"))),
        ]
    );
}

#[test]
fn encoder_writes_ollama_shape() {
    let mut out = Vec::new();
    let mut encoder = SseEncoder::new();
    encoder.encode(&Event::new("{\"a\":1}"), &mut out).unwrap();
    encoder.encode(&Event::new("[DONE]"), &mut out).unwrap();
    assert_eq!(out, b"data: {\"a\":1}\n\ndata: [DONE]\n\n");
}

#[test]
fn encoder_writes_all_fields_and_id_changes_only() {
    let mut out = Vec::new();
    let mut encoder = SseEncoder::new();
    let first = Event::new("a\nb")
        .with_event("e")
        .with_id("7")
        .with_retry(5);
    encoder.encode(&first, &mut out).unwrap();
    encoder
        .encode(&Event::new("c").with_id("7"), &mut out)
        .unwrap();
    encoder.encode(&Event::new("d"), &mut out).unwrap();
    encoder.comment(" hi", &mut out).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "event: e\nid: 7\nretry: 5\ndata: a\ndata: b\n\ndata: c\n\nid: \ndata: d\n\n: hi\n"
    );
}

#[test]
fn encoder_rejects_unrepresentable_values() {
    let mut out = Vec::new();
    let mut encoder = SseEncoder::new();
    let bad = [
        Event::new("a\rb"),
        Event::new("x").with_event("a\nb"),
        Event::new("x").with_id("a\nb"),
        Event::new("x").with_id("a\0b"),
    ];
    for event in &bad {
        assert!(encoder.encode(event, &mut out).is_err(), "{event:?}");
    }
    assert!(encoder.comment("a\nb", &mut out).is_err());
    assert!(out.is_empty());
}

#[test]
fn current_reads_what_advance_reported_and_nothing_after_a_push() {
    let mut decoder = SseDecoder::with_config(SseConfig::default().with_comments(true));
    assert_eq!(decoder.current(), None);
    decoder.push(b": ping\n\nevent: e\ndata: one\n\n");
    assert_eq!(decoder.advance(), Some(Ok(FrameKind::Comment)));
    assert_eq!(decoder.current(), Some(FrameRef::Comment(" ping")));
    assert_eq!(decoder.current_event(), None);
    assert_eq!(decoder.advance(), Some(Ok(FrameKind::Event)));
    let event = decoder.current_event().unwrap();
    assert_eq!((event.event, event.data), (Some("e"), "one"));
    assert_eq!(decoder.current(), Some(FrameRef::Event(event)));
    // Reading again gives the same frame; a push ends it.
    assert_eq!(decoder.current_event().map(|e| e.data), Some("one"));
    decoder.push(b"data: two\n");
    assert_eq!(decoder.current(), None);
    assert_eq!(decoder.advance(), None);
    assert_eq!(decoder.current(), None);
}

#[test]
fn current_is_none_after_an_error() {
    let mut decoder = SseDecoder::with_config(SseConfig::default().with_max_line_bytes(10));
    decoder.push(b"data: ok\n\n");
    assert_eq!(decoder.advance(), Some(Ok(FrameKind::Event)));
    decoder.push(b"data: too long\n\n");
    assert!(matches!(
        decoder.advance(),
        Some(Err(SseError::LineTooLong { .. }))
    ));
    assert_eq!(decoder.current(), None);
    assert_eq!(decoder.current_event(), None);
}
