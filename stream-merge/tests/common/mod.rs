//! Shared checks for the integration tests.
#![allow(dead_code, unreachable_pub)]

use ollama_stream_merge::{
    BlockKind, Delta, Event, Finish, MergeDecoder, MergeError, MergedToolCall, Options, Reducer,
    ToolCallFragment, WireDecoder, merge,
};

/// Merges `deltas` with the default options; the events are checked well-formed.
pub fn run(deltas: Vec<Delta>) -> Vec<Event> {
    run_with(deltas, Options::default())
}

/// Merges `deltas` with `options`; the events are checked well-formed.
pub fn run_with(deltas: Vec<Delta>, options: Options) -> Vec<Event> {
    let events = merge(deltas, options);
    assert_valid(&events);
    events
}

/// `body` pushed in `piece`-byte pieces through a join of `decoder` and a merger with `options`,
/// the events pulled after every push; the events are checked well-formed.
pub fn merge_pieces<D: WireDecoder>(
    decoder: D,
    body: &[u8],
    piece: usize,
    options: Options,
) -> Vec<Event> {
    let mut join = MergeDecoder::with_options(decoder, options);
    let mut events = Vec::new();
    for part in body.chunks(piece) {
        join.push(part);
        events.extend(&mut join);
    }
    join.finish();
    events.extend(&mut join);
    assert_valid(&events);
    events
}

/// The wire faults among merged events (decode errors, protocol violations, cuts), as messages.
pub fn wire_faults(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Error {
                error: MergeError::Wire(w),
            } => Some(w.to_string()),
            _ => None,
        })
        .collect()
}

/// The finish, which must be the last event.
pub fn finish_of(events: &[Event]) -> &Finish {
    match events.last() {
        Some(Event::Finish(f)) => f,
        other => panic!("no finish: {other:?}"),
    }
}

/// The finished tool calls, as the reducer collects them.
pub fn calls(events: &[Event]) -> Vec<MergedToolCall> {
    Reducer::reduce(events).tool_calls
}

/// An empty tool-call fragment to build on.
pub fn frag() -> ToolCallFragment {
    ToolCallFragment::new()
}

/// Panics with the violation and the events unless `events` is well-formed
/// ([`ollama_stream_merge::validate`]).
pub fn assert_valid(events: &[Event]) {
    if let Err(v) = ollama_stream_merge::validate(events) {
        panic!("{v}: {events:#?}");
    }
}

/// Concatenated (reasoning, text) deltas, as the reducer folds them.
pub fn texts(events: &[Event]) -> (String, String) {
    let message = ollama_stream_merge::Reducer::reduce(events);
    (message.reasoning, message.content)
}

/// The kinds of the blocks, in start order: "R", "T", or "C:<name>".
pub fn block_kinds(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::BlockStart { block, .. } => Some(match block {
                BlockKind::Text => "T".to_owned(),
                BlockKind::Reasoning => "R".to_owned(),
                BlockKind::ToolCall { name, .. } => format!("C:{name}"),
                _ => unreachable!(),
            }),
            _ => None,
        })
        .collect()
}
