//! The sans-IO merger: deltas in, events out.

use std::collections::{HashMap, HashSet, VecDeque};

use crate::delta::{ArgumentsDelta, Delta, FinishReason, FinishSignal, ToolCallFragment, Usage};
use crate::event::{
    Arguments, BlockKind, BlockOutcome, CallError, CallErrorKind, Event, Finish, MergeError,
    MergedToolCall,
};
use crate::input::{Input, WireError};
use crate::think::{Channel, ThinkSplitter, ThinkTags};

/// How reasoning that arrives while a text block is open is shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LateReasoning {
    /// Close the text block and open a new reasoning block (then a new text block when text
    /// resumes). No added latency; the event order is the generation order.
    #[default]
    NewBlock,
    /// Hold the reasoning back until the text block ends (at the next tool call, the finish
    /// signal, an error or the end of input) and emit it then as one reasoning block. Text is
    /// never interrupted; the held reasoning is delayed by up to the rest of the text block.
    Defer,
}

/// What the merger does with an [`Input::Violation`]: an event of a typed stream (Anthropic
/// Messages, OpenAI Responses) out of the protocol's order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OnViolation {
    /// Report the fault as an [`Event::Error`] in place and merge what the event carried, so
    /// the output is well-formed whatever the input's block order was (the default). An
    /// Anthropic thinking block started at the index of a text block that was never stopped
    /// (ollama/ollama#17101) becomes: the text block ended, a new reasoning block.
    #[default]
    Repair,
    /// End the reply at the fault: the error event, every open block closed, and
    /// [`FinishReason::Error`]; nothing the event carried is merged.
    Fail,
}

/// Policies a caller chooses. The default adds no latency: every input is emitted as soon as it
/// is pushed, except the arguments of a tool call whose name has not arrived yet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Options {
    /// Reasoning after text: a new block (default) or held back.
    pub late_reasoning: LateReasoning,
    /// Extract `<think>…</think>` from content (off by default).
    ///
    /// Latency: a content suffix that could be the start of the next expected tag (at most the
    /// tag's length minus one byte, e.g. a trailing `<th`) is held back until the next delta
    /// decides it. Held text is flushed at the finish signal or the end of input; an unclosed
    /// block counts as reasoning. Extraction turns itself off for the rest of the stream as soon
    /// as a delta carries native reasoning (the server already separates it); a stray closing
    /// tag in text stays text.
    pub think_tags: Option<ThinkTags>,
    /// What an event out of the protocol's order does: repaired and reported (default) or the
    /// end of the reply.
    pub on_violation: OnViolation,
}

impl Options {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the late-reasoning policy.
    #[must_use]
    pub fn late_reasoning(mut self, policy: LateReasoning) -> Self {
        self.late_reasoning = policy;
        self
    }

    /// Sets the policy for events out of the protocol's order.
    #[must_use]
    pub fn on_violation(mut self, policy: OnViolation) -> Self {
        self.on_violation = policy;
        self
    }

    /// Turns on `<think>` extraction with these tags.
    #[must_use]
    pub fn think_tags(mut self, tags: ThinkTags) -> Self {
        self.think_tags = Some(tags);
        self
    }
}

/// An open text or reasoning block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct OpenBlock {
    index: u32,
    channel: Channel,
}

/// A tool call being assembled.
#[derive(Debug, Clone, Default)]
struct Call {
    /// The id the server sent (used to recognize later fragments).
    wire_id: Option<String>,
    /// The wire index (a hint).
    wire_index: Option<u32>,
    /// The name, once known.
    name: Option<String>,
    /// Block position and announced id, once started.
    block: Option<(u32, String)>,
    /// All argument text received.
    args: String,
    /// Argument text not emitted yet (received before the block started).
    pending: String,
}

/// Turns [`Delta`]s into well-formed [`Event`]s. Sans-IO: no clock, no IO, no allocation beyond
/// the events and the text it must hold back.
///
/// Push deltas with [`push`](Self::push), drain events with [`next_event`](Self::next_event) (or
/// iterate), and call [`finish`](Self::finish) at the end of input: the [`Event::Finish`] comes
/// only then, so a usage report that arrives after the finish reason (OpenAI's
/// `include_usage` chunk) is still included.
///
/// ```
/// use ollama_stream_merge::{Delta, Event, Merger};
///
/// let mut merger = Merger::new();
/// merger.push(Delta::reasoning("Hmm.").with_content("Hi"));
/// merger.push(Delta::finish(Some("stop")));
/// merger.finish();
/// let events: Vec<Event> = merger.collect();
/// assert_eq!(events.len(), 7); // reasoning start/delta/end, text start/delta/end, finish
/// ```
#[derive(Debug, Clone)]
pub struct Merger {
    options: Options,
    events: VecDeque<Event>,
    next_block: u32,
    open: Option<OpenBlock>,
    deferred_reasoning: String,
    think: Option<ThinkSplitter>,
    calls: Vec<Call>,
    /// Open calls per server id and per wire index, so a fragment for a new call finds out in
    /// O(1) that no open call matches (100,000 open calls stay linear).
    open_ids: HashMap<String, usize>,
    open_indexes: HashMap<u32, usize>,
    /// Every call id of this reply so far, the server's and the made-up ones.
    used_ids: HashSet<String>,
    made_calls: bool,
    synthesized_ids: u32,
    finish: Option<FinishSignal>,
    usage: Option<Usage>,
    upstream_error: bool,
    ended: bool,
    /// Counts for [`Merger::violations`] and [`Merger::wire_faults`].
    violations: u64,
    wire_faults: u64,
    /// The verdict's cut, as the decoder reported it.
    cut: Option<WireError>,
}

impl Default for Merger {
    fn default() -> Self {
        Self::new()
    }
}

impl Merger {
    /// A merger with the default [`Options`].
    pub fn new() -> Self {
        Self::with_options(Options::default())
    }

    /// A merger with the given policies.
    pub fn with_options(options: Options) -> Self {
        let think = options.think_tags.clone().map(ThinkSplitter::new);
        Self {
            options,
            events: VecDeque::new(),
            next_block: 0,
            open: None,
            deferred_reasoning: String::new(),
            think,
            calls: Vec::new(),
            open_ids: HashMap::new(),
            open_indexes: HashMap::new(),
            used_ids: HashSet::new(),
            made_calls: false,
            synthesized_ids: 0,
            finish: None,
            usage: None,
            upstream_error: false,
            ended: false,
            violations: 0,
            wire_faults: 0,
            cut: None,
        }
    }

    /// The policies in use.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Whether the input has ended: [`finish`](Self::finish) was called or an
    /// [`Input::End`] was pushed. The [`Event::Finish`] is then queued and nothing more is
    /// taken.
    pub fn is_ended(&self) -> bool {
        self.ended
    }

    /// How many [`Input::Violation`]s were pushed: events out of their protocol's order, each
    /// reported (and, under [`OnViolation::Repair`], repaired).
    pub fn violations(&self) -> u64 {
        self.violations
    }

    /// How many [`Input::Wire`] faults were pushed (malformed lines or events, limits, data
    /// after the end), each an error event in place.
    pub fn wire_faults(&self) -> u64 {
        self.wire_faults
    }

    /// How the input was cut, when the end of input said so ([`Input::End`] with a fault): the
    /// decoder's own words (`stream ended at byte 145 without data: [DONE]…`) or the
    /// transport's. `None` for a clean end, or before the end.
    pub fn cut(&self) -> Option<&WireError> {
        self.cut.as_ref()
    }

    /// Whether the server said the reply is over: a finish signal (`done: true`, a
    /// `finish_reason`) or an upstream error arrived. The input may still go on (OpenAI's usage
    /// chunk and `[DONE]` follow the finish reason).
    pub fn has_finish_signal(&self) -> bool {
        self.finish.is_some() || self.upstream_error
    }

    /// Takes one input: a [`Delta`], or anything a wire decoder yields (see [`Input`]).
    ///
    /// Within a delta, reasoning is handled first, then content, then tool calls, then usage,
    /// the error and the finish signal. The finish signal (and an upstream error) flushes
    /// held-back text and ends every open block; the first signal's reason is kept. Content
    /// arriving after it is still merged, into new blocks.
    ///
    /// An [`Input::Violation`] is handled as [`Options::on_violation`] says.
    ///
    /// An [`Input::Wire`] fault becomes an [`Event::Error`] in place. [`Input::End`] ends the
    /// input as [`finish`](Self::finish) does; a cut it reports after the finish signal (an
    /// OpenAI stream without `data: [DONE]`) is an error event of its own, a cut before it is
    /// the merger's own [`MergeError::Truncated`], reported once. Input pushed after the end is
    /// ignored.
    pub fn push(&mut self, input: impl Into<Input>) {
        if self.ended {
            return;
        }
        match input.into() {
            Input::Delta(delta) => self.push_delta(delta),
            Input::Nothing => {}
            Input::Wire(error) => {
                self.wire_faults += 1;
                self.events.push_back(Event::Error {
                    error: MergeError::Wire(error),
                });
            }
            Input::Violation { error, content } => {
                self.violations += 1;
                self.events.push_back(Event::Error {
                    error: MergeError::Wire(error),
                });
                match self.options.on_violation {
                    OnViolation::Repair => self.push(*content),
                    OnViolation::Fail => {
                        self.flush_think();
                        self.close_text_blocks();
                        self.close_calls(true);
                        self.upstream_error = true;
                        self.finish();
                    }
                }
            }
            Input::End(cut) => {
                self.cut.clone_from(&cut);
                if let Some(cut) = cut.filter(|_| self.finish.is_some() && !self.upstream_error) {
                    self.events.push_back(Event::Error {
                        error: MergeError::Wire(cut),
                    });
                }
                self.finish();
            }
        }
    }

    fn push_delta(&mut self, delta: Delta) {
        let Delta {
            reasoning,
            content,
            tool_calls,
            usage,
            finish,
            error,
        } = delta;
        if !reasoning.is_empty() {
            if self.think.is_some() {
                // The server separates reasoning itself: stop looking for tags.
                self.flush_think();
                self.think = None;
            }
            self.reasoning(reasoning);
        }
        if !content.is_empty() {
            self.content(content);
        }
        for fragment in tool_calls {
            self.fragment(fragment);
        }
        if let Some(usage) = usage {
            self.usage.get_or_insert_with(Usage::default).update(&usage);
        }
        if let Some(error) = error {
            self.flush_think();
            self.close_text_blocks();
            self.close_calls(true);
            self.upstream_error = true;
            self.events.push_back(Event::Error {
                error: MergeError::Upstream(error),
            });
        }
        if let Some(signal) = finish {
            self.flush_think();
            self.close_text_blocks();
            self.close_calls(self.upstream_error);
            // The first signal wins.
            self.finish.get_or_insert(signal);
        }
    }

    /// Marks the end of input: flushes held-back text, closes every open block and emits the one
    /// [`Event::Finish`]. Without a prior finish signal or upstream error, an
    /// [`MergeError::Truncated`] error comes first, open tool calls end as
    /// [`CallErrorKind::Incomplete`] and the reason is [`FinishReason::Incomplete`]. Calling it
    /// again does nothing.
    pub fn finish(&mut self) {
        if self.ended {
            return;
        }
        self.flush_think();
        self.close_text_blocks();
        let clean = self.finish.is_some() && !self.upstream_error;
        self.close_calls(!clean);
        let raw_reason = self.finish.as_ref().and_then(|f| f.raw.clone());
        let reason = if self.upstream_error {
            FinishReason::Error
        } else {
            match &self.finish {
                None => {
                    self.events.push_back(Event::Error {
                        error: MergeError::Truncated,
                    });
                    FinishReason::Incomplete
                }
                Some(signal) if signal.reason == FinishReason::Stop && self.made_calls => {
                    FinishReason::ToolCalls
                }
                Some(signal) => signal.reason,
            }
        };
        self.events.push_back(Event::Finish(Finish {
            reason,
            raw_reason,
            usage: self.usage,
        }));
        self.ended = true;
    }

    /// The next event, if any is ready.
    pub fn next_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// Removes and returns every ready event.
    pub fn drain(&mut self) -> std::collections::vec_deque::Drain<'_, Event> {
        self.events.drain(..)
    }

    // ------------------------------------------------------------ text and reasoning

    fn reasoning(&mut self, text: String) {
        let defer = self.options.late_reasoning == LateReasoning::Defer
            && matches!(self.open, Some(b) if b.channel == Channel::Text);
        if defer {
            self.deferred_reasoning.push_str(&text);
        } else {
            self.emit_text(Channel::Reasoning, text);
        }
    }

    fn content(&mut self, text: String) {
        let Some(think) = &mut self.think else {
            // No tag extraction: the delta's text moves into the event, uncopied.
            self.emit_text(Channel::Text, text);
            return;
        };
        let mut pieces = Vec::new();
        think.push(&text, &mut pieces);
        self.emit_pieces(pieces);
    }

    fn flush_think(&mut self) {
        if let Some(think) = &mut self.think {
            let mut pieces = Vec::new();
            think.flush(&mut pieces);
            self.emit_pieces(pieces);
        }
    }

    fn emit_pieces(&mut self, pieces: Vec<(Channel, String)>) {
        for (channel, text) in pieces {
            match channel {
                Channel::Text => self.emit_text(Channel::Text, text),
                Channel::Reasoning => self.reasoning(text),
            }
        }
    }

    /// Emits non-empty text to the block of `channel`, opening one (and closing the other) as
    /// needed.
    fn emit_text(&mut self, channel: Channel, text: String) {
        if text.is_empty() {
            return;
        }
        let index = match self.open {
            Some(block) if block.channel == channel => block.index,
            _ => {
                self.close_text_blocks();
                let index = self.start_block(match channel {
                    Channel::Text => BlockKind::Text,
                    Channel::Reasoning => BlockKind::Reasoning,
                });
                self.open = Some(OpenBlock { index, channel });
                index
            }
        };
        self.events.push_back(match channel {
            Channel::Text => Event::TextDelta { index, text },
            Channel::Reasoning => Event::ReasoningDelta { index, text },
        });
    }

    /// Closes the open text or reasoning block, then emits reasoning held back by
    /// [`LateReasoning::Defer`] as a block of its own.
    fn close_text_blocks(&mut self) {
        self.close_open();
        if !self.deferred_reasoning.is_empty() {
            let text = std::mem::take(&mut self.deferred_reasoning);
            self.emit_text(Channel::Reasoning, text);
            self.close_open();
        }
    }

    fn close_open(&mut self) {
        if let Some(block) = self.open.take() {
            let outcome = match block.channel {
                Channel::Text => BlockOutcome::Text,
                Channel::Reasoning => BlockOutcome::Reasoning,
            };
            self.events.push_back(Event::BlockEnd {
                index: block.index,
                outcome,
            });
        }
    }

    fn start_block(&mut self, block: BlockKind) -> u32 {
        let index = self.next_block;
        self.next_block = self.next_block.saturating_add(1);
        self.events.push_back(Event::BlockStart { index, block });
        index
    }

    // ------------------------------------------------------------ tool calls

    fn fragment(&mut self, fragment: ToolCallFragment) {
        let ToolCallFragment {
            id,
            index,
            name,
            arguments,
        } = fragment;
        let id = id.filter(|s| !s.is_empty());
        let name = name.filter(|s| !s.is_empty());
        let complete = matches!(arguments, Some(ArgumentsDelta::Complete(_)));
        let slot = self.resolve(id.as_deref(), index, name.as_deref(), complete);
        let slot = match slot {
            Some(slot) => slot,
            None => {
                if let Some(ix) = index {
                    *self.open_indexes.entry(ix).or_default() += 1;
                }
                self.calls.push(Call {
                    wire_index: index,
                    ..Call::default()
                });
                self.calls.len().saturating_sub(1)
            }
        };
        let Some(call) = self.calls.get_mut(slot) else {
            return;
        };
        if call.wire_id.is_none() {
            if let Some(id) = &id {
                *self.open_ids.entry(id.clone()).or_default() += 1;
                self.used_ids.insert(id.clone());
            }
            call.wire_id = id;
        }
        if call.name.is_none() {
            call.name = name;
        }
        if let Some(arguments) = &arguments {
            let text = arguments.as_str();
            call.args.push_str(text);
            call.pending.push_str(text);
        }
        if call.block.is_none() && call.name.is_some() {
            self.start_call(slot);
        }
        self.flush_call_args(slot);
        if complete {
            self.close_call(slot, false);
        }
    }

    /// Finds the open call a fragment belongs to; `None` starts a new call.
    ///
    /// By non-empty id first; then by wire index, unless the call there has a different id or
    /// (for a fragment without id) a different name; without id or index, the latest open call.
    /// A complete argument object never joins a call that already has arguments.
    fn resolve(
        &self,
        id: Option<&str>,
        index: Option<u32>,
        name: Option<&str>,
        complete: bool,
    ) -> Option<usize> {
        let names_differ = |slot: &usize| {
            let known = self.calls.get(*slot).and_then(|c| c.name.as_deref());
            matches!((known, name), (Some(a), Some(b)) if a != b)
        };
        let id_open = |id: &str| self.open_ids.contains_key(id);
        let index_open = |ix: u32| self.open_indexes.contains_key(&ix);
        let found = if let Some(id) = id {
            id_open(id)
                .then(|| {
                    self.calls
                        .iter()
                        .rposition(|c| c.wire_id.as_deref() == Some(id))
                })
                .flatten()
                .or_else(|| {
                    let ix = index.filter(|ix| index_open(*ix))?;
                    self.calls
                        .iter()
                        .rposition(|c| c.wire_index == Some(ix) && c.wire_id.is_none())
                })
        } else if let Some(ix) = index {
            index_open(ix)
                .then(|| self.calls.iter().rposition(|c| c.wire_index == Some(ix)))
                .flatten()
                .filter(|slot| !names_differ(slot))
        } else if complete {
            None
        } else {
            self.calls
                .len()
                .checked_sub(1)
                .filter(|slot| !names_differ(slot))
        };
        found
            .filter(|&slot| !(complete && self.calls.get(slot).is_some_and(|c| !c.args.is_empty())))
    }

    fn start_call(&mut self, slot: usize) {
        let Some(call) = self.calls.get(slot) else {
            return;
        };
        let (wire_id, name) = (call.wire_id.clone(), call.name.clone().unwrap_or_default());
        let id = match wire_id {
            Some(id) => id,
            None => self.synthesize_id(),
        };
        self.close_text_blocks();
        self.made_calls = true;
        let index = self.start_block(BlockKind::ToolCall {
            id: id.clone(),
            name,
        });
        if let Some(call) = self.calls.get_mut(slot) {
            call.block = Some((index, id));
        }
    }

    /// A call id for a call the server sent none for: `merge_call_<n>`, a form servers do not
    /// send (they use `call_` and letters or digits), skipping any id this reply already used.
    fn synthesize_id(&mut self) -> String {
        loop {
            let id = format!("merge_call_{}", self.synthesized_ids);
            self.synthesized_ids = self.synthesized_ids.saturating_add(1);
            if self.used_ids.insert(id.clone()) {
                return id;
            }
        }
    }

    /// Removes the call at `slot` and forgets its id and index.
    fn take_call(&mut self, slot: usize) -> Option<Call> {
        if slot >= self.calls.len() {
            return None;
        }
        let call = self.calls.remove(slot);
        if let Some(id) = &call.wire_id {
            forget(&mut self.open_ids, id.clone());
        }
        if let Some(ix) = call.wire_index {
            forget(&mut self.open_indexes, ix);
        }
        Some(call)
    }

    fn flush_call_args(&mut self, slot: usize) {
        let Some(call) = self.calls.get_mut(slot) else {
            return;
        };
        let Some((index, _)) = &call.block else {
            return;
        };
        if !call.pending.is_empty() {
            let json = std::mem::take(&mut call.pending);
            self.events.push_back(Event::ToolArgsDelta {
                index: *index,
                json,
            });
        }
    }

    /// Ends every open call; `interrupted` calls are not parsed.
    fn close_calls(&mut self, interrupted: bool) {
        // In arrival order, taking from the end of the reversed list: no shifting.
        self.calls.reverse();
        while let Some(last) = self.calls.len().checked_sub(1) {
            self.close_call(last, interrupted);
        }
    }

    fn close_call(&mut self, slot: usize, interrupted: bool) {
        let unstarted = self.calls.get(slot).map(|c| c.block.is_none());
        if unstarted == Some(true) {
            if self
                .calls
                .get(slot)
                .is_some_and(|c| c.name.is_none() && c.args.is_empty())
            {
                // Nothing but an id or an index was ever received: no block to show.
                self.take_call(slot);
                return;
            }
            self.start_call(slot);
            self.flush_call_args(slot);
        }
        let Some(call) = self.take_call(slot) else {
            return;
        };
        let Some((index, id)) = call.block else {
            return;
        };
        let name = call.name.unwrap_or_default();
        let parsed = if name.is_empty() {
            Err(CallErrorKind::MissingName)
        } else if interrupted {
            Err(CallErrorKind::Incomplete)
        } else {
            Arguments::parse_strict(&call.args)
        };
        let arguments = parsed.map_err(|kind| CallError {
            id: id.clone(),
            name: name.clone(),
            kind,
        });
        if let Err(error) = &arguments {
            self.events.push_back(Event::Error {
                error: MergeError::ToolCall {
                    index,
                    error: error.clone(),
                },
            });
        }
        self.events.push_back(Event::BlockEnd {
            index,
            outcome: BlockOutcome::ToolCall(MergedToolCall {
                id,
                name,
                raw_arguments: call.args,
                arguments,
            }),
        });
    }
}

impl Iterator for Merger {
    type Item = Event;

    /// Same as [`Merger::next_event`]: `None` means "nothing ready now", not necessarily the end.
    fn next(&mut self) -> Option<Event> {
        self.next_event()
    }
}

/// Merges a whole sequence of inputs at once (push each, then finish) and returns the events.
///
/// ```
/// use ollama_stream_merge::{Delta, Event, merge};
///
/// let events = merge([Delta::content("Hi")], Default::default());
/// // No finish signal: text block, a Truncated error, then Finish(incomplete).
/// assert!(matches!(events.last(), Some(Event::Finish(_))));
/// ```
pub fn merge<I: Into<Input>>(inputs: impl IntoIterator<Item = I>, options: Options) -> Vec<Event> {
    let mut merger = Merger::with_options(options);
    let mut events = Vec::new();
    for input in inputs {
        merger.push(input);
        events.extend(merger.drain());
    }
    merger.finish();
    events.extend(merger.drain());
    events
}

/// Counts one open call less under `key`.
fn forget<K: std::hash::Hash + Eq>(map: &mut HashMap<K, usize>, key: K) {
    if let std::collections::hash_map::Entry::Occupied(mut e) = map.entry(key) {
        *e.get_mut() -= 1;
        if *e.get() == 0 {
            e.remove();
        }
    }
}
