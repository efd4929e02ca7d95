//! The `futures` adapter.
#![cfg(feature = "stream")]

mod common;

use futures::StreamExt;
use ollama_stream_merge::{Delta, Event, FinishReason, MergeStream, Reducer};

#[test]
fn adapter_yields_the_same_events_as_the_merger() {
    let deltas = vec![
        Delta::reasoning("r").with_content("t"),
        Delta::content("u"),
        Delta::finish(Some("stop")),
    ];
    let expected = ollama_stream_merge::merge(deltas.clone(), Default::default());
    let events: Vec<Event> =
        futures::executor::block_on(MergeStream::new(futures::stream::iter(deltas)).collect());
    common::assert_valid(&events);
    assert_eq!(events, expected);
}

#[test]
fn adapter_finishes_at_the_end_of_the_inner_stream() {
    let events: Vec<Event> = futures::executor::block_on(
        MergeStream::new(futures::stream::iter([Delta::content("cut")])).collect(),
    );
    let m = Reducer::reduce(&events);
    assert_eq!(m.finish.unwrap().reason, FinishReason::Incomplete);
}

#[cfg(feature = "ollama")]
#[test]
fn adapter_accepts_wire_chunks() {
    let lines = [
        r#"{"model":"m","message":{"role":"assistant","content":"","thinking":"Hm"},"done":false}"#,
        r#"{"model":"m","message":{"role":"assistant","content":"Hi"},"done":true,"done_reason":"stop"}"#,
    ];
    let chunks: Vec<ollama_wire::ChatResponse> = lines
        .iter()
        .map(|l| ollama_wire::ChatResponse::from_slice(l.as_bytes()).unwrap())
        .collect();
    let events: Vec<Event> =
        futures::executor::block_on(MergeStream::new(futures::stream::iter(chunks)).collect());
    let m = Reducer::reduce(&events);
    assert_eq!((m.reasoning.as_str(), m.content.as_str()), ("Hm", "Hi"));
    assert!(m.is_complete());
}
