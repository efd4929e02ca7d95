//! The public well-formedness check of a merged event sequence.

use std::collections::HashMap;

use crate::event::{BlockKind, BlockOutcome, Event};

/// Why an event sequence is not well-formed: the event's position and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("event {at}: {kind}")]
#[non_exhaustive]
pub struct Violation {
    /// Position of the offending event in the sequence (its length for a missing finish).
    pub at: usize,
    /// What is wrong.
    pub kind: ViolationKind,
}

/// What is wrong with an event sequence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ViolationKind {
    /// The sequence does not end with an [`Event::Finish`].
    #[error("the sequence has no Finish event")]
    NoFinish,
    /// An event follows the [`Event::Finish`] (a second finish included).
    #[error("an event follows the Finish event")]
    AfterFinish,
    /// A block started at an index other than the next one: indices are dense and increase.
    #[error("block {index} started where block {expected} was due")]
    IndexOutOfOrder {
        /// The index that started.
        index: u32,
        /// The index that was due.
        expected: u32,
    },
    /// A text or reasoning block started while another one was open.
    #[error("text/reasoning block {index} started while block {open} was open")]
    Overlap {
        /// The block that started.
        index: u32,
        /// The text or reasoning block still open.
        open: u32,
    },
    /// A delta or an end for a block that is not open.
    #[error("block {index} is not open")]
    NotOpen {
        /// The block named.
        index: u32,
    },
    /// A delta or an end of another kind than the block (text into a tool call, a reasoning
    /// block ending as text).
    #[error("block {index} got an event of another kind than it started as")]
    KindMismatch {
        /// The block named.
        index: u32,
    },
    /// A delta without text.
    #[error("an empty delta for block {index}")]
    EmptyDelta {
        /// The block named.
        index: u32,
    },
    /// A text or reasoning block ended without a delta.
    #[error("text/reasoning block {index} ended empty")]
    EmptyBlock {
        /// The block.
        index: u32,
    },
    /// A block was still open at the finish.
    #[error("block {index} is still open at the Finish event")]
    OpenAtFinish {
        /// The block.
        index: u32,
    },
    /// A tool call started without an id.
    #[error("tool call block {index} has an empty id")]
    EmptyCallId {
        /// The block.
        index: u32,
    },
    /// A tool call ended with another id or name than it started with.
    #[error("tool call block {index} ended with another id or name than it started with")]
    CallIdentityChanged {
        /// The block.
        index: u32,
    },
}

/// Checks the structural guarantees of the [`Merger`](crate::Merger) (see the crate docs) on
/// any event sequence: the merger's own output, a re-decoded re-encoding, a hand-written one.
///
/// - exactly one [`Event::Finish`], last;
/// - blocks balanced: one start, deltas of the block's kind, one end of the same kind; dense
///   increasing indices; nothing for a block that is not open; none open at the finish;
/// - at most one text-or-reasoning block open at a time, none of them empty; no empty delta;
/// - tool-call identity: a non-empty id, and the same id and name at the end as at the start.
///   (Ids are not required to be unique: a server may send one id twice, and the merger keeps
///   what the server sent; the ids it makes up never collide.)
///
/// ```
/// use ollama_stream_merge::{Delta, ViolationKind, merge, validate};
///
/// let mut events = merge([Delta::content("Hi"), Delta::finish(Some("stop"))], Default::default());
/// assert_eq!(validate(&events), Ok(()));
/// events.swap(1, 2); // the text block ends before its delta
/// assert!(matches!(validate(&events).unwrap_err().kind, ViolationKind::EmptyBlock { index: 0 }));
/// events.truncate(1); // a block start, and no Finish
/// assert_eq!(validate(&events).unwrap_err().kind, ViolationKind::NoFinish);
/// ```
///
/// # Errors
///
/// The first [`Violation`], in sequence order.
pub fn validate(events: &[Event]) -> Result<(), Violation> {
    let mut v = Validator::default();
    for (at, event) in events.iter().enumerate() {
        v.event(event).map_err(|kind| Violation { at, kind })?;
    }
    if v.finished {
        Ok(())
    } else {
        Err(Violation {
            at: events.len(),
            kind: ViolationKind::NoFinish,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Reasoning,
    Tool,
}

#[derive(Debug)]
struct Open {
    kind: Kind,
    deltas: usize,
    /// A tool call's id and name at its start.
    call: Option<(String, String)>,
}

#[derive(Debug, Default)]
struct Validator {
    next: u32,
    open: HashMap<u32, Open>,
    /// The open text or reasoning block, if any.
    open_text: Option<u32>,
    finished: bool,
}

impl Validator {
    fn event(&mut self, event: &Event) -> Result<(), ViolationKind> {
        if self.finished {
            return Err(ViolationKind::AfterFinish);
        }
        match event {
            Event::BlockStart { index, block } => self.start(*index, block),
            Event::TextDelta { index, text } => self.delta(*index, Kind::Text, text.is_empty()),
            Event::ReasoningDelta { index, text } => {
                self.delta(*index, Kind::Reasoning, text.is_empty())
            }
            Event::ToolArgsDelta { index, json } => self.delta(*index, Kind::Tool, json.is_empty()),
            Event::BlockEnd { index, outcome } => self.end(*index, outcome),
            Event::Finish(_) => {
                if let Some(index) = self.open.keys().min() {
                    return Err(ViolationKind::OpenAtFinish { index: *index });
                }
                self.finished = true;
                Ok(())
            }
            // Errors may come anywhere before the finish.
            Event::Error { .. } => Ok(()),
        }
    }

    fn start(&mut self, index: u32, block: &BlockKind) -> Result<(), ViolationKind> {
        if index != self.next {
            return Err(ViolationKind::IndexOutOfOrder {
                index,
                expected: self.next,
            });
        }
        self.next += 1;
        let (kind, call) = match block {
            BlockKind::Text => (Kind::Text, None),
            BlockKind::Reasoning => (Kind::Reasoning, None),
            BlockKind::ToolCall { id, name } => {
                if id.is_empty() {
                    return Err(ViolationKind::EmptyCallId { index });
                }
                (Kind::Tool, Some((id.clone(), name.clone())))
            }
        };
        if kind != Kind::Tool {
            if let Some(open) = self.open_text {
                return Err(ViolationKind::Overlap { index, open });
            }
            self.open_text = Some(index);
        }
        self.open.insert(
            index,
            Open {
                kind,
                deltas: 0,
                call,
            },
        );
        Ok(())
    }

    fn delta(&mut self, index: u32, kind: Kind, empty: bool) -> Result<(), ViolationKind> {
        let open = self
            .open
            .get_mut(&index)
            .ok_or(ViolationKind::NotOpen { index })?;
        if open.kind != kind {
            return Err(ViolationKind::KindMismatch { index });
        }
        if empty {
            return Err(ViolationKind::EmptyDelta { index });
        }
        open.deltas += 1;
        Ok(())
    }

    fn end(&mut self, index: u32, outcome: &BlockOutcome) -> Result<(), ViolationKind> {
        let open = self
            .open
            .remove(&index)
            .ok_or(ViolationKind::NotOpen { index })?;
        let kind = match outcome {
            BlockOutcome::Text => Kind::Text,
            BlockOutcome::Reasoning => Kind::Reasoning,
            BlockOutcome::ToolCall(call) => {
                if let Some((id, name)) = &open.call {
                    if *id != call.id || *name != call.name {
                        return Err(ViolationKind::CallIdentityChanged { index });
                    }
                }
                Kind::Tool
            }
        };
        if kind != open.kind {
            return Err(ViolationKind::KindMismatch { index });
        }
        if kind != Kind::Tool {
            if open.deltas == 0 {
                return Err(ViolationKind::EmptyBlock { index });
            }
            self.open_text = None;
        }
        Ok(())
    }
}
