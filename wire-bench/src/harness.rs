//! Timing: every implementation runs on the same chunk plan, interleaved round by round, and the
//! median of the repetitions is reported. Allocations are counted in a separate, untimed pass.

use std::hint::black_box;
use std::time::{Duration, Instant};

use bytes::Bytes;
use stats_alloc::{Region, Stats};

use crate::GLOBAL;
use crate::data::Transcript;

/// What an implementation decoded: enough to check that every implementation saw the same chunks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Digest {
    /// Typed chunks decoded.
    pub(crate) chunks: u64,
    /// Bytes of content text.
    pub(crate) content: u64,
    /// Bytes of reasoning text; `None` when the type has no reasoning field (async-openai).
    pub(crate) reasoning: Option<u64>,
    /// Tool-call entries (whole calls on NDJSON, fragments on SSE).
    pub(crate) tool_calls: u64,
}

impl Digest {
    /// Whether `self` agrees with the reference on every field it has.
    pub(crate) fn agrees_with(&self, reference: &Self) -> bool {
        self.chunks == reference.chunks
            && self.content == reference.content
            && self.tool_calls == reference.tool_calls
            && self
                .reasoning
                .is_none_or(|r| Some(r) == reference.reasoning)
    }
}

/// Feeds merge events into a digest: text and reasoning bytes come from the merged blocks
/// (so the merge row is checked end to end: lossless text), errors panic.
pub(crate) fn add_events(
    d: &mut Digest,
    events: impl Iterator<Item = ollama_stream_merge::Event>,
) -> bool {
    let mut finished = false;
    for event in events {
        match event {
            ollama_stream_merge::Event::TextDelta { text, .. } => d.content += text.len() as u64,
            ollama_stream_merge::Event::ReasoningDelta { text, .. } => {
                *d.reasoning.get_or_insert(0) += text.len() as u64;
            }
            ollama_stream_merge::Event::Error { error } => panic!("stream-merge: {error}"),
            ollama_stream_merge::Event::Finish(_) => finished = true,
            _ => {}
        }
    }
    finished
}

/// A wire decoder that counts each item into its own digest as the join pulls it: the merged
/// rows count chunks and tool-call entries this way while `ollama_stream_merge::MergeDecoder`
/// drives the decoder.
pub(crate) struct Counting<D, F> {
    decoder: D,
    count: F,
    digest: Digest,
}

impl<D: Iterator, F: Fn(&mut Digest, &D::Item)> Iterator for Counting<D, F> {
    type Item = D::Item;

    fn next(&mut self) -> Option<D::Item> {
        let item = self.decoder.next()?;
        (self.count)(&mut self.digest, &item);
        Some(item)
    }
}

impl<D, F> ollama_stream_merge::PushDecoder for Counting<D, F>
where
    D: ollama_stream_merge::PushDecoder,
    F: Fn(&mut Digest, &D::Item),
{
    type Output = D::Output;
    type Error = D::Error;

    fn push(&mut self, bytes: &[u8]) {
        self.decoder.push(bytes);
    }

    fn finish(&mut self) -> Result<(), D::Error> {
        self.decoder.finish()
    }
}

impl<D, F> ollama_stream_merge::WireDecoder for Counting<D, F>
where
    D: ollama_stream_merge::WireDecoder,
    F: Fn(&mut Digest, &D::Item),
{
    fn input(item: D::Item) -> ollama_stream_merge::Input {
        D::input(item)
    }

    fn finish_input(&mut self) -> ollama_stream_merge::Input {
        self.decoder.finish_input()
    }
}

/// The full path through the join: `MergeDecoder` over `decoder`, events drained after every
/// push; `count` adds each decoded item (chunks, tool-call entries) to the digest, the events
/// add the text.
pub(crate) fn merged<D: ollama_stream_merge::WireDecoder>(
    plan: &[Bytes],
    decoder: D,
    count: impl Fn(&mut Digest, &D::Item),
) -> Digest {
    let decoder = Counting {
        decoder,
        count,
        digest: Digest::default(),
    };
    let mut join = ollama_stream_merge::MergeDecoder::new(decoder);
    let mut d = Digest::default();
    for chunk in plan {
        join.push(chunk);
        add_events(&mut d, &mut join);
    }
    join.finish();
    assert!(add_events(&mut d, &mut join), "no finish event");
    let items = &join.decoder().digest;
    d.chunks = items.chunks;
    d.tool_calls = items.tool_calls;
    d
}

/// One of our push decoders: bytes in (the caller drains what they complete), a check at the
/// end.
pub(crate) trait PushDecoder {
    type Error: std::fmt::Display;
    fn push(&mut self, bytes: &[u8]);
    fn finish(&mut self) -> Result<(), Self::Error>;
}

/// [`PushDecoder`] for decoders whose inherent `push` and `finish` have its signatures.
macro_rules! push_decoder {
    ($($decoder:ty => $error:ty),* $(,)?) => {$(
        impl PushDecoder for $decoder {
            type Error = $error;
            fn push(&mut self, bytes: &[u8]) {
                <$decoder>::push(self, bytes);
            }
            fn finish(&mut self) -> Result<(), $error> {
                <$decoder>::finish(self)
            }
        }
    )*};
}

push_decoder! {
    ollama_wire::ChatStreamDecoder => ollama_wire::DecodeError,
    openai_wire::chunks::StreamDecoder => openai_wire::DecodeError,
    openai_wire::responses::ResponsesStreamDecoder => openai_wire::DecodeError,
    openai_wire::sse::SseDecoder => openai_wire::sse::Truncated,
    anthropic_wire::events::StreamDecoder => anthropic_wire::DecodeError,
}

/// Pushes each chunk of `plan` into `decoder`, lets `drain` pull what it completed into the
/// digest, then ends the stream (panicking with `who` if it is not complete).
pub(crate) fn pushed<D: PushDecoder>(
    plan: &[Bytes],
    mut decoder: D,
    who: &str,
    mut drain: impl FnMut(&mut D, &mut Digest),
) -> Digest {
    let mut d = Digest::default();
    for chunk in plan {
        decoder.push(chunk);
        drain(&mut decoder, &mut d);
    }
    if let Err(e) = decoder.finish() {
        panic!("{who} at end: {e}");
    }
    d
}

/// [`pushed`] for a decoder that is an iterator of results: every item drained after each push
/// and counted by `add`.
pub(crate) fn pushed_items<D, T, E>(
    plan: &[Bytes],
    decoder: D,
    who: &str,
    add: impl Fn(&mut Digest, &T),
) -> Digest
where
    D: PushDecoder + Iterator<Item = Result<T, E>>,
    E: std::fmt::Display,
{
    pushed(plan, decoder, who, |decoder, d| {
        for item in decoder.by_ref() {
            add(d, &ok(item, who));
        }
    })
}

/// A decoded item, panicking with `who` on an error.
pub(crate) fn ok<T, E: std::fmt::Display>(item: Result<T, E>, who: &str) -> T {
    item.unwrap_or_else(|e| panic!("{who}: {e}"))
}

/// The plan as the byte stream an HTTP client hands the SSE peers.
pub(crate) fn byte_stream(
    plan: &[Bytes],
) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> + Unpin + '_ {
    futures::stream::iter(plan.iter().cloned().map(Ok))
}

/// eventsource-stream (what async-openai, async-anthropic and reqwest-eventsource run on) over
/// the plan: `on_event` for every event.
pub(crate) fn eventsource(plan: &[Bytes], mut on_event: impl FnMut(eventsource_stream::Event)) {
    use eventsource_stream::Eventsource;
    use futures::StreamExt;
    futures::executor::block_on(async {
        let mut events = std::pin::pin!(byte_stream(plan).eventsource());
        while let Some(event) = events.next().await {
            on_event(event.unwrap_or_else(|e| panic!("eventsource-stream: {e}")));
        }
    });
}

/// [`merged`] for a decoder of results: every item is one chunk with `tool_calls` tool-call
/// entries, an error panics with `who`.
pub(crate) fn merged_items<D, T, E>(
    plan: &[Bytes],
    decoder: D,
    who: &str,
    tool_calls: impl Fn(&T) -> u64,
) -> Digest
where
    D: ollama_stream_merge::WireDecoder<Output = T, Error = E>,
    E: std::fmt::Display,
{
    merged(plan, decoder, |d, item| match item {
        Ok(item) => {
            d.chunks += 1;
            d.tool_calls += tool_calls(item);
        }
        Err(e) => panic!("{who}: {e}"),
    })
}

/// Who an implementation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// Our crates.
    Ours,
    /// serde_json over payloads split ahead of time (no framing).
    Limit,
    /// A crate users would pick instead.
    Peer,
}

/// Decodes the pushes of a plan and returns what it saw.
pub(crate) type RunFn<'a> = Box<dyn Fn(&[Bytes]) -> Digest + 'a>;

/// A row over the transcript's payloads split ahead of time (no framing; the chunking is
/// ignored): `each` decodes payload `i` and counts it (generic, so it is inlined into the loop
/// as the hand-written loops were: no indirect call per payload).
pub(crate) fn presplit_indexed<'a, F>(t: &'a Transcript, each: F) -> RunFn<'a>
where
    F: Fn(usize, &mut Digest) + 'a,
{
    Box::new(move |_| {
        let mut d = Digest::default();
        for i in 0..t.payloads.len() {
            each(i, &mut d);
        }
        d
    })
}

/// [`presplit_indexed`] on the payload bytes.
pub(crate) fn presplit<'a, F>(t: &'a Transcript, each: F) -> RunFn<'a>
where
    F: Fn(&'a [u8], &mut Digest) + 'a,
{
    presplit_indexed(t, move |i, d| each(t.payload(i), d))
}

/// [`presplit`] through `utf8` and `serde_json::from_str` into `T`, counted by `add` (`who`
/// names the implementation in a panic).
pub(crate) fn presplit_parse<'a, T, U, A>(
    t: &'a Transcript,
    utf8: U,
    who: &'static str,
    add: A,
) -> RunFn<'a>
where
    T: serde::Deserialize<'a>,
    U: Fn(&'a [u8], &str) -> &'a str + 'a,
    A: Fn(&mut Digest, &T) + 'a,
{
    presplit(t, move |p, d| add(d, &parse::<T>(utf8(p, who), who)))
}

/// `std::str::from_utf8`, what a serde_json user writes.
pub(crate) fn std_utf8<'a>(bytes: &'a [u8], who: &str) -> &'a str {
    std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{who}: {e}"))
}

/// `simdutf8::basic::from_utf8`, the validator our decoders use.
pub(crate) fn simd_utf8<'a>(bytes: &'a [u8], who: &str) -> &'a str {
    simdutf8::basic::from_utf8(bytes).unwrap_or_else(|e| panic!("{who}: {e}"))
}

/// `serde_json::from_str`, panicking with `who` on error.
pub(crate) fn parse<'a, T: serde::Deserialize<'a>>(text: &'a str, who: &str) -> T {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{who}: {e}"))
}

/// `serde_json::from_slice`, panicking with `who` on error.
pub(crate) fn parse_slice<'a, T: serde::Deserialize<'a>>(bytes: &'a [u8], who: &str) -> T {
    serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("{who}: {e}"))
}

/// The three pre-split limit rows of a wire, for its owned chunk type `T` counted by `add`:
/// std UTF-8 + `from_str`, `from_slice`, simdutf8 + `from_str`.
pub(crate) fn limit_cases<'a, T>(t: &'a Transcript, add: fn(&mut Digest, &T)) -> [Case<'a>; 3]
where
    T: serde::de::DeserializeOwned + 'a,
{
    [
        Role::Limit.presplit(
            "limit: pre-split, from_utf8 + from_str",
            "limit",
            presplit_parse(t, std_utf8, "limit", add),
        ),
        Role::Limit.presplit(
            "limit: pre-split, from_slice",
            "limit_from_slice",
            presplit(t, move |p, d| add(d, &parse_slice::<T>(p, "limit"))),
        ),
        Role::Limit.presplit(
            "limit: pre-split, simdutf8 + from_str",
            "limit_simdutf8",
            presplit_parse(t, simd_utf8, "limit", add),
        ),
    ]
}

/// The row of our decoder joined to the merger (`run`), on a wire whose merge row has the
/// common name.
pub(crate) fn merge_case<'a>(run: impl Fn(&[Bytes]) -> Digest + 'a) -> Case<'a> {
    Role::Ours.streaming(
        "ours + stream-merge: decoder → Delta → Merger",
        "ours_merge",
        run,
    )
}

/// The pre-split limit row through simdutf8 into the wire's borrowed chunk type `T` (`name`
/// says which), counted by `add`.
pub(crate) fn limit_borrowed_case<'a, T>(
    t: &'a Transcript,
    name: &'static str,
    add: impl Fn(&mut Digest, &T) + 'a,
) -> Case<'a>
where
    T: serde::Deserialize<'a>,
{
    Role::Limit.presplit(
        name,
        "limit_borrowed",
        presplit_parse(t, simd_utf8, "limit", add),
    )
}

/// One implementation under test.
pub(crate) struct Case<'a> {
    /// Row label.
    pub(crate) name: &'static str,
    /// Summary key.
    pub(crate) key: &'static str,
    pub(crate) role: Role,
    /// Works on payloads split ahead of time, whatever the chunking.
    pub(crate) presplit: bool,
    /// Decodes the pushes and returns what it saw.
    pub(crate) run: RunFn<'a>,
}

impl Role {
    /// A row of this role that decodes the pushes of each chunking.
    pub(crate) fn streaming<'a>(
        self,
        name: &'static str,
        key: &'static str,
        run: impl Fn(&[Bytes]) -> Digest + 'a,
    ) -> Case<'a> {
        Case {
            name,
            key,
            role: self,
            presplit: false,
            run: Box::new(run),
        }
    }

    /// A row of this role over payloads split ahead of time (a [`presplit`] run).
    pub(crate) fn presplit<'a>(
        self,
        name: &'static str,
        key: &'static str,
        run: RunFn<'a>,
    ) -> Case<'a> {
        Case {
            name,
            key,
            role: self,
            presplit: true,
            run,
        }
    }
}

/// The outcome of one implementation on one plan.
#[derive(Debug, Clone)]
pub(crate) struct Measured {
    pub(crate) name: &'static str,
    pub(crate) key: &'static str,
    pub(crate) role: Role,
    pub(crate) presplit: bool,
    pub(crate) median: Duration,
    /// The fastest repetition (least disturbed by other load).
    pub(crate) best: Duration,
    /// Every round's time, in round order (for paired ratios).
    pub(crate) rounds: Vec<Duration>,
    pub(crate) digest: Digest,
    /// Allocations (plus reallocations) per decoded chunk.
    pub(crate) allocs_per_chunk: f64,
}

/// Repetitions and warm-up passes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reps {
    pub(crate) warmup: usize,
    pub(crate) rounds: usize,
}

pub(crate) fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// Live heap bytes added since the region started (`stats_alloc` already folds reallocations
/// into the allocated and deallocated byte counts).
pub(crate) fn live_bytes(s: &Stats) -> isize {
    s.bytes_allocated as isize - s.bytes_deallocated as isize
}

/// Runs every case on `plan`: warm-up, then `rounds` interleaved rounds (the starting case
/// rotates), then one counting pass each. Panics if a case disagrees with the first one.
pub(crate) fn measure(cases: &[&Case<'_>], plan: &[Bytes], reps: Reps) -> Vec<Measured> {
    let n = cases.len();
    let mut digests = vec![Digest::default(); n];
    for _ in 0..reps.warmup {
        for (i, case) in cases.iter().enumerate() {
            digests[i] = black_box((case.run)(black_box(plan)));
        }
    }
    let mut times = vec![Vec::with_capacity(reps.rounds); n];
    for round in 0..reps.rounds {
        for k in 0..n {
            let i = (round + k) % n;
            let start = Instant::now();
            let digest = black_box((cases[i].run)(black_box(plan)));
            times[i].push(start.elapsed());
            digests[i] = digest;
        }
    }
    let reference = digests[0];
    for (case, digest) in cases.iter().zip(&digests) {
        assert!(
            digest.agrees_with(&reference),
            "{} decoded {digest:?}, the reference {reference:?}",
            case.name
        );
    }
    cases
        .iter()
        .zip(times)
        .zip(digests)
        .map(|((case, times), digest)| {
            let region = Region::new(GLOBAL);
            black_box((case.run)(black_box(plan)));
            let stats = region.change();
            let allocs = (stats.allocations + stats.reallocations) as f64;
            Measured {
                name: case.name,
                key: case.key,
                role: case.role,
                presplit: case.presplit,
                best: times.iter().min().copied().unwrap_or_default(),
                median: median(times.clone()),
                rounds: times,
                digest,
                allocs_per_chunk: allocs / digest.chunks.max(1) as f64,
            }
        })
        .collect()
}

/// How many times faster `a` is than `b`: the median over rounds of `b`'s time over `a`'s time
/// in the same round. Pairing by round cancels load that changes slowly between rounds.
pub(crate) fn speedup(a: &Measured, b: &Measured) -> f64 {
    paired(&a.rounds, &b.rounds)
}

/// Median over rounds of `b[i] / a[i]`: how many times faster `a` is, paired by round.
pub(crate) fn paired(a: &[Duration], b: &[Duration]) -> f64 {
    let mut r: Vec<f64> = a
        .iter()
        .zip(b)
        .map(|(ta, tb)| tb.as_secs_f64() / ta.as_secs_f64().max(1e-12))
        .collect();
    r.sort_by(f64::total_cmp);
    r.get(r.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Decimal megabytes per second.
pub(crate) fn mb_per_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64().max(1e-12)
}

pub(crate) fn per_s(count: u64, d: Duration) -> f64 {
    count as f64 / d.as_secs_f64().max(1e-12)
}

/// `12345678.9` → `12.35 M`.
pub(crate) fn si(x: f64) -> String {
    if x >= 1e6 {
        format!("{:.2} M", x / 1e6)
    } else if x >= 1e3 {
        format!("{:.1} k", x / 1e3)
    } else {
        format!("{x:.0}")
    }
}
