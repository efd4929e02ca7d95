//! One block at a time: the order the typed-event wires (Anthropic Messages, OpenAI Responses)
//! need.
//!
//! The merger lets a tool-call block stay open while later blocks run (its arguments can still
//! be streaming when the next call or text starts). A client of Anthropic's stream expects each
//! content block stopped before the next one starts, so the re-encoders of those wires pass the
//! merged events through a [`Sequencer`]: the events of the block that started first go out as
//! they come; those of a block that starts while it is still open are held and go out, in
//! order, as soon as every block started before it has ended. Nothing is dropped or reordered
//! within a block, and nothing waits when blocks do not overlap (always, for text and
//! reasoning, which never overlap each other).

use std::collections::{HashMap, HashSet, VecDeque};

use crate::event::{Event, MergeError};

/// Reorders well-formed merged events so that blocks do not overlap.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sequencer {
    /// Blocks started and not yet passed on whole, in start order; the first is the one
    /// whose events pass through.
    order: VecDeque<u32>,
    /// Held events of the other blocks.
    held: HashMap<u32, Vec<Event>>,
    /// Blocks (not the first) whose end is among their held events.
    ended: HashSet<u32>,
}

impl Sequencer {
    /// Takes one merged event and appends to `out` what can go out now.
    pub(crate) fn push(&mut self, event: Event, out: &mut Vec<Event>) {
        let index = match &event {
            Event::BlockStart { index, .. } => {
                self.order.push_back(*index);
                *index
            }
            Event::Error {
                error: MergeError::ToolCall { index, .. },
            } => *index,
            other => match other.block_index() {
                Some(index) => index,
                None => {
                    out.push(event);
                    return;
                }
            },
        };
        let is_end = matches!(event, Event::BlockEnd { .. });
        if self.order.front() != Some(&index) {
            if is_end {
                self.ended.insert(index);
            }
            self.held.entry(index).or_default().push(event);
            return;
        }
        out.push(event);
        if !is_end {
            return;
        }
        self.order.pop_front();
        // The next blocks in start order: pass on what they hold; those that ended already
        // are done too.
        while let Some(&next) = self.order.front() {
            out.extend(self.held.remove(&next).unwrap_or_default());
            if !self.ended.remove(&next) {
                break;
            }
            self.order.pop_front();
        }
    }
}

/// A re-encoder of a wire that carries one block at a time: the merged events reach its writer
/// through its [`Sequencer`], and nothing is written once its output has ended.
pub(crate) trait Sequenced {
    /// What writing an event can fail with.
    type Error;

    /// The sequencer the events pass through.
    fn sequencer(&mut self) -> &mut Sequencer;

    /// Whether the output has ended (a finish or an upstream error was written).
    fn is_ended(&self) -> bool;

    /// Writes one event, in an order the wire can carry.
    fn encode_sequenced(&mut self, event: &Event, out: &mut Vec<u8>) -> Result<(), Self::Error>;

    /// Passes `event` through the sequencer and writes what can go out now, up to the end.
    fn encode_in_order(&mut self, event: &Event, out: &mut Vec<u8>) -> Result<(), Self::Error> {
        let mut ready = Vec::new();
        self.sequencer().push(event.clone(), &mut ready);
        for event in ready {
            if self.is_ended() {
                break;
            }
            self.encode_sequenced(&event, out)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{BlockKind, BlockOutcome};

    fn start(index: u32) -> Event {
        Event::BlockStart {
            index,
            block: BlockKind::Text,
        }
    }

    fn text(index: u32, text: &str) -> Event {
        Event::TextDelta {
            index,
            text: text.to_owned(),
        }
    }

    fn end(index: u32) -> Event {
        Event::BlockEnd {
            index,
            outcome: BlockOutcome::Text,
        }
    }

    fn run(events: Vec<Event>) -> Vec<Event> {
        let mut sequencer = Sequencer::default();
        let mut out = Vec::new();
        for event in events {
            sequencer.push(event, &mut out);
        }
        out
    }

    #[test]
    fn blocks_that_do_not_overlap_pass_through_as_they_come() {
        let events = vec![
            start(0),
            text(0, "a"),
            end(0),
            start(1),
            text(1, "b"),
            end(1),
        ];
        assert_eq!(run(events.clone()), events);
    }

    #[test]
    fn a_block_started_while_another_is_open_waits_for_its_end() {
        let mut sequencer = Sequencer::default();
        let mut out = Vec::new();
        for event in [start(0), text(0, "a"), start(1), text(1, "b"), end(1)] {
            sequencer.push(event, &mut out);
        }
        // Block 1 is held whole while block 0 is open.
        assert_eq!(out, vec![start(0), text(0, "a")]);
        sequencer.push(text(0, "c"), &mut out);
        sequencer.push(end(0), &mut out);
        assert_eq!(
            out,
            vec![
                start(0),
                text(0, "a"),
                text(0, "c"),
                end(0),
                start(1),
                text(1, "b"),
                end(1)
            ]
        );
    }

    #[test]
    fn held_blocks_go_out_in_start_order_and_an_open_one_then_passes_through() {
        let events = vec![
            start(0),
            start(1),
            start(2),
            text(2, "z"),
            text(1, "y"),
            end(1),
            text(0, "x"),
            end(0),
            text(2, "zz"),
            end(2),
            Event::Error {
                error: MergeError::Truncated,
            },
        ];
        assert_eq!(
            run(events),
            vec![
                start(0),
                text(0, "x"),
                end(0),
                start(1),
                text(1, "y"),
                end(1),
                start(2),
                text(2, "z"),
                text(2, "zz"),
                end(2),
                Event::Error {
                    error: MergeError::Truncated
                },
            ]
        );
    }

    #[test]
    fn a_call_error_stays_with_its_block() {
        let error = Event::Error {
            error: MergeError::ToolCall {
                index: 1,
                error: crate::event::CallError {
                    id: "c".to_owned(),
                    name: "f".to_owned(),
                    kind: crate::event::CallErrorKind::Incomplete,
                },
            },
        };
        let events = vec![start(0), start(1), error.clone(), end(1), end(0)];
        assert_eq!(run(events), vec![start(0), end(0), start(1), error, end(1)]);
    }
}
