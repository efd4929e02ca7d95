//! What the decoder keeps on the heap, measured with a counting allocator: buffers are reused
//! across events of ordinary size, given back after an unusually large one, and the input buffer
//! stays bounded however long the stream.
//!
//! The allocator counts every thread, so the measurements are one test that runs them in turn:
//! the harness starts no other test thread meanwhile. The allocation counts still allow a few
//! (`HARNESS_SLACK`); what they catch is an allocation per event, 100 or more.

use std::alloc::System;

use sse_wire::{FrameRef, SseDecoder};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Allocations a measurement tolerates from other threads (see the module docs).
const HARNESS_SLACK: usize = 10;

/// Bytes allocated and not freed since the region began (stats_alloc counts the growth and
/// shrinkage of a reallocation in these two as well).
fn live(region: &Region<'_, System>) -> isize {
    let c = region.change();
    c.bytes_allocated as isize - c.bytes_deallocated as isize
}

/// Decodes what is buffered through the borrowed path; returns the data bytes seen.
fn drain(decoder: &mut SseDecoder) -> usize {
    let mut seen = 0;
    while let Some(frame) = decoder.next_ref() {
        if let FrameRef::Event(e) = frame.expect("valid input") {
            seen += e.data.len();
        }
    }
    seen
}

/// An event of two data lines of `n` bytes each (its data is copied out of the input buffer).
fn two_line_event(n: usize) -> Vec<u8> {
    let line = "x".repeat(n);
    format!("data: {line}\ndata: {line}\n\n").into_bytes()
}

/// Runs `step` 100 times and asserts that they made fewer than [`HARNESS_SLACK`]
/// allocations and reallocations in all (`what` says what the steps were, for the failure).
fn assert_steady_state(what: &str, mut step: impl FnMut()) {
    let region = Region::new(GLOBAL);
    for _ in 0..100 {
        step();
    }
    let c = region.change();
    let allocations = c.allocations + c.reallocations;
    assert!(
        allocations < HARNESS_SLACK,
        "{allocations} allocations over {what}"
    );
}

/// Pushes a small event after a large one and asserts that fewer than `bound` bytes are
/// still held since `region` began (`after` says what came before, for the failure); the
/// decoder is dropped after the measurement.
fn assert_given_back(
    region: &Region<'_, System>,
    mut decoder: SseDecoder,
    bound: isize,
    after: &str,
) {
    decoder.push(b"data: small\n\n");
    assert_eq!(drain(&mut decoder), 5);
    let held = live(region);
    assert!(
        held < bound,
        "{held} bytes still held after a small {after}"
    );
    drop(decoder);
}

/// 4 MiB of 64-byte events (13 + 6 + 43 + 2), 65,536 of them, with 43 bytes of data each.
fn long_stream() -> Vec<u8> {
    let event = b"event: delta\ndata: {\"text\":\"0123456789abcdef0123456789abcdef\"}\n\n";
    event
        .iter()
        .copied()
        .cycle()
        .take(4 * 1024 * 1024)
        .collect()
}

/// Pushes each of `pieces` into `decoder`, draining after each: asserts that every event of
/// [`long_stream`] was decoded, and returns the peak of the bytes held since `region` began.
fn peak_over<'a>(
    decoder: &mut SseDecoder,
    region: &Region<'_, System>,
    pieces: impl Iterator<Item = &'a [u8]>,
) -> isize {
    let mut peak = 0;
    let mut seen = 0;
    for piece in pieces {
        decoder.push(piece);
        seen += drain(decoder);
        peak = peak.max(live(region));
    }
    assert_eq!(seen, 65_536 * 43, "every event was decoded");
    peak
}

fn events_of_ordinary_size_reuse_the_decoders_buffers() {
    // 2 KiB of data per event, one event per push.
    let event = two_line_event(1024);
    let mut decoder = SseDecoder::new();
    for _ in 0..20 {
        decoder.push(&event);
        assert_eq!(drain(&mut decoder), 2049);
    }
    assert_steady_state("100 events once the buffers have grown", || {
        decoder.push(&event);
        assert_eq!(drain(&mut decoder), 2049);
    });
}

fn single_line_events_are_read_in_place_without_allocating() {
    // One data line per event, valid UTF-8 longer and shorter than 64 bytes, one event per
    // push: the borrowed data is the input buffer itself.
    let long = format!("event: delta\ndata: {}\n\n", "é".repeat(100));
    let short = "event: delta\ndata: {\"t\":\"hi\"}\n\n";
    let mut decoder = SseDecoder::new();
    for _ in 0..20 {
        decoder.push(long.as_bytes());
        decoder.push(short.as_bytes());
        assert_eq!(drain(&mut decoder), 200 + 10);
    }
    assert_steady_state("200 single-line events: their data is not borrowed", || {
        decoder.push(long.as_bytes());
        assert_eq!(drain(&mut decoder), 200);
        decoder.push(short.as_bytes());
        assert_eq!(drain(&mut decoder), 10);
    });
}

fn an_unusually_large_event_gives_its_memory_back() {
    let region = Region::new(GLOBAL);
    let mut decoder = SseDecoder::new();
    // 2 × 512 KiB of data copied out of the input buffer, then a small event.
    decoder.push(&two_line_event(512 * 1024));
    assert_eq!(drain(&mut decoder), 1024 * 1024 + 1);
    assert!(live(&region) > 1024 * 1024, "the large event was held");
    assert_given_back(&region, decoder, 200 * 1024, "event followed a 1 MiB one");
}

fn a_large_push_is_given_back_once_decoded() {
    let region = Region::new(GLOBAL);
    let mut decoder = SseDecoder::new();
    // One 2 MiB data line in one push (its data is read in place), then a small push.
    let line = "y".repeat(2 * 1024 * 1024);
    decoder.push(format!("data: {line}\n\n").as_bytes());
    assert_eq!(drain(&mut decoder), line.len());
    drop(line);
    assert_given_back(&region, decoder, 300 * 1024, "push followed a 2 MiB one");
}

fn a_long_stream_in_small_pushes_stays_bounded() {
    let mut decoder = SseDecoder::new();
    let stream = long_stream();
    let region = Region::new(GLOBAL);
    let peak = peak_over(&mut decoder, &region, stream.chunks(100));
    // The stream itself is 4 MiB (allocated before the region: not counted).
    assert!(
        peak < 64 * 1024,
        "{peak} bytes held at the peak of a 4 MiB stream in 100-byte pushes"
    );
}

fn a_stream_whose_pushes_all_end_inside_a_line_stays_bounded() {
    let mut decoder = SseDecoder::new();
    let stream = long_stream();
    // Cut 3 bytes into every non-blank line, so that no push ever ends at a line end: the
    // decoder always holds a partial line when the next push comes.
    let mut cuts = vec![0];
    for (i, pair) in stream.windows(2).enumerate() {
        if pair[0] == b'\n' && pair[1] != b'\n' && i + 4 < stream.len() {
            cuts.push(i + 4);
        }
    }
    cuts.push(stream.len());
    let region = Region::new(GLOBAL);
    let peak = peak_over(
        &mut decoder,
        &region,
        cuts.windows(2).map(|pair| &stream[pair[0]..pair[1]]),
    );
    assert!(
        peak < 64 * 1024,
        "{peak} bytes held at the peak of a 4 MiB stream whose pushes end inside lines"
    );
}

/// Every measurement, in turn, in the binary's only test.
#[test]
fn the_decoders_heap() {
    events_of_ordinary_size_reuse_the_decoders_buffers();
    single_line_events_are_read_in_place_without_allocating();
    an_unusually_large_event_gives_its_memory_back();
    a_large_push_is_given_back_once_decoded();
    a_long_stream_in_small_pushes_stays_bounded();
    a_stream_whose_pushes_all_end_inside_a_line_stays_bounded();
}
