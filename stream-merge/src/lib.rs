//! Deltas in, well-formed events out: merges the interleaved reasoning, content and tool-call
//! deltas of any of Ollama's streaming wires (native NDJSON, OpenAI chat completions and
//! completions, OpenAI Responses, Anthropic Messages) into balanced blocks, sans-IO, and writes
//! them back out on any of them.
//!
//! # Design overview
//!
//! ```text
//!  body bytes ─▶ wire decoder ─items, errors, verdict─▶ Input ─▶ Merger::push ─▶ Event ─▶ Reducer
//!               (ollama_wire::StreamDecoder,           (Delta,   (one join:       (start / delta / end
//!                openai_wire StreamDecoder,              Wire,     MergeDecoder,    per block, errors,
//!                ResponsesStreamDecoder,                Violation, MergeStream)     one Finish, last)
//!                anthropic_wire StreamDecoder,          End)
//!                or their async adapters)                                 └─▶ to_openai / to_ollama /
//!                                                                             to_responses / to_anthropic
//! ```
//!
//! A [`Delta`] is one chunk of any wire, normalized: reasoning text, content text, tool-call
//! fragments, usage, a finish signal, an upstream error. An [`Input`] is a delta or whatever
//! else a decoder yields: a fault of the bytes ([`WireError`]), an event out of its protocol's
//! order with what it carried ([`Input::Violation`]), or the end of input with the decoder's
//! verdict. Every item, error and verdict of `ollama-wire`, `openai-wire` and `anthropic-wire`
//! converts into one, so [`Merger::push`] takes them as they come. The [`Merger`] turns them
//! into [`Event`]s; [`Reducer`] folds events into the final [`AssistantMessage`]; [`validate`] checks
//! any event sequence against the guarantees below.
//!
//! The join from bytes to events exists once: [`MergeDecoder`] over a sans-IO decoder,
//! [`MergeStream`] (feature `stream`) over an async adapter or any stream of inputs. Which of
//! the six message streams a body is, [`Wire`] names ([`Wire::sniff`] from its first bytes,
//! [`Wire::for_route`] from its path); `WireStreamDecoder` (features `ollama`, `openai` and
//! `anthropic`) is that stream's decoder behind one type.
//!
//! ```
//! use ollama_stream_merge::{BlockKind, Delta, Event, FinishReason, Merger, Reducer, ToolCallFragment};
//!
//! let mut merger = Merger::new();
//! let mut events = Vec::new();
//! // Ollama sends reasoning and content in one chunk at the switch: one reasoning block, then
//! // one text block, never reasoning/text/reasoning.
//! merger.push(Delta::reasoning("The user greets."));
//! merger.push(Delta::reasoning(" Reply.").with_content("Hello"));
//! merger.push(Delta::content("").with_reasoning("")); // empty fields open nothing
//! // A whole native tool call, then Ollama's `done: true` with `done_reason: "stop"`.
//! merger.push(Delta::tool_call(ToolCallFragment::whole("get_time", "{}").with_id("call_1")));
//! merger.push(Delta::finish(Some("stop")));
//! merger.finish(); // end of input
//! events.extend(merger.drain());
//!
//! let starts: Vec<&BlockKind> = events
//!     .iter()
//!     .filter_map(|e| match e {
//!         Event::BlockStart { block, .. } => Some(block),
//!         _ => None,
//!     })
//!     .collect();
//! assert_eq!(starts.len(), 3);
//! assert_eq!(*starts[0], BlockKind::Reasoning);
//! assert_eq!(*starts[1], BlockKind::Text);
//!
//! let message = Reducer::reduce(&events);
//! assert_eq!(message.reasoning, "The user greets. Reply.");
//! assert_eq!(message.content, "Hello");
//! assert_eq!(message.tool_calls[0].name, "get_time");
//! // `stop` becomes `tool_calls` because a call was made; the raw reason is kept.
//! let finish = message.finish.unwrap();
//! assert_eq!(finish.reason, FinishReason::ToolCalls);
//! assert_eq!(finish.raw_reason.as_deref(), Some("stop"));
//! ```
//!
//! # Guarantees
//!
//! - **Balanced.** Every block has one `BlockStart`, deltas, one `BlockEnd`; block indices are
//!   dense, increase in start order and are never reused. No delta follows its block's end.
//! - **Sequential text and reasoning.** At most one text-or-reasoning block is open; a change of
//!   kind closes it first. A tool call's start closes it too, so text after a call opens a new
//!   block. Tool-call blocks may stay open while later blocks run (their arguments can still be
//!   streaming).
//! - **Generation order inside a delta**: reasoning, then content, then tool calls.
//! - **No empty blocks.** A block opens on its first non-empty text.
//! - **Lossless.** Concatenated text deltas equal the input content (minus extracted `<think>`
//!   tags), reasoning deltas the input reasoning; argument deltas the received argument text.
//! - **Tool-call identity.** A fragment belongs to the open call with the same non-empty id;
//!   else to the call at the same wire index, unless that call has a different id (a reused
//!   index under a new id is a new call) or, for a fragment without id, a different name; without
//!   id or index, to the latest open call. Id and name are set once: a repeated name is never
//!   appended. A call without id gets `merge_call_<n>`. Its start waits for its name, its arguments
//!   are buffered meanwhile.
//! - **Explicit completion, strict parsing.** A call ends when its whole argument object arrives
//!   (Ollama), at the finish signal or at the end of input — never because its arguments happen
//!   to parse. Arguments are parsed strictly (empty text is `{}`); invalid JSON or a non-object is
//!   an [`Event::Error`] on that call and an `Err` in its [`MergedToolCall::arguments`], never repaired.
//! - **Exactly one finish, last.** [`Event::Finish`] carries the normalized and the raw reason
//!   and the usage: `stop` becomes `tool_calls` when a call was made, `length` is kept; an
//!   upstream error gives `error`; end of input without a finish signal gives a
//!   [`MergeError::Truncated`] error, open calls ending [`CallErrorKind::Incomplete`], and
//!   `incomplete`.
//!
//! # Policies
//!
//! [`Options`] chooses how reasoning that resumes after text is shown ([`LateReasoning`]) and
//! whether `<think>…</think>` is extracted from content ([`ThinkTags`]), each documented with its
//! latency cost.
//!
//! # Features
//!
//! - `ollama` (default): conversions from `ollama-wire`'s chunks, errors and verdicts
//!   ([`from_ollama`]), [`WireDecoder`] for its stream decoders, [`to_ollama`].
//! - `openai` (default): the same for `openai-wire` ([`from_openai`], [`to_openai`]; the
//!   Responses API: [`from_responses`], [`to_responses`]).
//! - `anthropic` (default): the same for `anthropic-wire` ([`from_anthropic`],
//!   [`to_anthropic`]).
//! - `stream` (default): [`MergeStream`], and conversions from the wire crates' async adapter
//!   errors.
//!
//! The core builds with none of them.
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// Library code reports failures as values; tests may unwrap.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#![cfg_attr(not(test), deny(clippy::panic, clippy::indexing_slicing))]

mod delta;
mod event;
// First: its `from_result!` macro serves the wire conversions below.
#[macro_use]
mod input;
#[cfg(feature = "anthropic")]
pub mod from_anthropic;
#[cfg(feature = "ollama")]
pub mod from_ollama;
#[cfg(feature = "openai")]
pub mod from_openai;
#[cfg(feature = "openai")]
pub mod from_responses;
mod join;
mod merger;
mod reduce;
#[cfg(any(feature = "openai", feature = "anthropic"))]
mod sequential;
#[cfg(feature = "stream")]
mod stream;
mod think;
#[cfg(feature = "anthropic")]
pub mod to_anthropic;
#[cfg(feature = "ollama")]
pub mod to_ollama;
#[cfg(feature = "openai")]
pub mod to_openai;
#[cfg(feature = "openai")]
pub mod to_responses;
mod validate;
mod wire;

pub use delta::{
    ArgumentsDelta, Delta, Durations, FinishReason, FinishSignal, ToolCallFragment, UpstreamError,
    Usage,
};
pub use event::{
    Arguments, BlockKind, BlockOutcome, CallError, CallErrorKind, Event, Finish, MergeError,
    MergedToolCall,
};
pub use input::{ErrorCategory, Input, WireError};
pub use join::{MergeDecoder, Step, WireDecoder, merge_body};
pub use merger::{LateReasoning, Merger, OnViolation, Options, merge};
pub use reduce::{AssistantMessage, Reducer};
#[cfg(feature = "stream")]
pub use stream::MergeStream;
pub use think::ThinkTags;
pub use validate::{Violation, ViolationKind, validate};
pub use wire::Wire;
#[cfg(all(feature = "ollama", feature = "openai", feature = "anthropic"))]
pub use wire::WireStreamDecoder;
/// The pull shape of every wire decoder (`wire_core::PushDecoder`), re-exported for code that
/// wraps a decoder (a [`WireDecoder`] is any push decoder whose items convert into [`Input`]).
pub use wire_core::PushDecoder;

/// The README example, compiled and run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
