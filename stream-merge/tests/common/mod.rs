//! Shared checks for the integration tests.
#![allow(dead_code, unreachable_pub)]

use std::collections::HashMap;

use stream_merge::{BlockKind, Event};

/// Checks the structural guarantees; panics with a message on the first violation.
pub fn check_well_formed(events: &[Event]) {
    #[derive(PartialEq, Clone, Copy, Debug)]
    enum K {
        Text,
        Reasoning,
        Tool,
    }
    let mut next = 0u32;
    let mut open: HashMap<u32, (K, usize)> = HashMap::new();
    let mut ended: Vec<u32> = Vec::new();
    let finishes = events
        .iter()
        .filter(|e| matches!(e, Event::Finish(_)))
        .count();
    assert_eq!(finishes, 1, "exactly one finish: {events:#?}");
    assert!(
        matches!(events.last(), Some(Event::Finish(_))),
        "finish is last: {events:#?}"
    );
    for e in events {
        match e {
            Event::BlockStart { index, block } => {
                assert_eq!(*index, next, "dense increasing indices: {events:#?}");
                next += 1;
                let k = match block {
                    BlockKind::Text => K::Text,
                    BlockKind::Reasoning => K::Reasoning,
                    BlockKind::ToolCall { .. } => K::Tool,
                    _ => unreachable!(),
                };
                if k != K::Tool {
                    assert!(
                        !open.values().any(|(k, _)| *k != K::Tool),
                        "text/reasoning overlap at block {index}: {events:#?}"
                    );
                }
                open.insert(*index, (k, 0));
            }
            Event::TextDelta { index, text } | Event::ReasoningDelta { index, text } => {
                assert!(!text.is_empty(), "empty delta");
                let want = if matches!(e, Event::TextDelta { .. }) {
                    K::Text
                } else {
                    K::Reasoning
                };
                let (k, n) = open
                    .get_mut(index)
                    .unwrap_or_else(|| panic!("delta for a block not open {index}: {events:#?}"));
                assert_eq!(*k, want);
                *n += 1;
            }
            Event::ToolArgsDelta { index, json } => {
                assert!(!json.is_empty(), "empty args delta");
                let (k, _) = open.get(index).expect("args delta for an open block");
                assert_eq!(*k, K::Tool);
            }
            Event::BlockEnd { index, .. } => {
                let (k, n) = open.remove(index).expect("end of an open block");
                if k != K::Tool {
                    assert!(n > 0, "empty block {index}: {events:#?}");
                }
                ended.push(*index);
            }
            Event::Error { .. } => {}
            Event::Finish(_) => assert!(open.is_empty(), "blocks open at finish: {events:#?}"),
            _ => unreachable!(),
        }
    }
    assert_eq!(ended.len() as u32, next, "every block ended");
}

/// Concatenated text and reasoning deltas.
pub fn texts(events: &[Event]) -> (String, String) {
    let mut text = String::new();
    let mut reasoning = String::new();
    for e in events {
        match e {
            Event::TextDelta { text: t, .. } => text.push_str(t),
            Event::ReasoningDelta { text: t, .. } => reasoning.push_str(t),
            _ => {}
        }
    }
    (reasoning, text)
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
