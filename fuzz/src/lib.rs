//! Shared harness for the fuzz targets: the input layout (config flags, a chunking plan, the
//! body), a transcript that compares decoded items across splits, and a counting allocator that
//! measures what a decoder keeps on the heap.
//!
//! # Input layout
//!
//! ```text
//! byte 0        flags: bits 0..=5 are target-specific settings, bits 6..=7 repeat the body
//!               1, 2, 8 or 32 times (a long stream from a short input)
//! byte 1        n = plan length (taken modulo 32)
//! bytes 2..2+n  chunking plan, cycled: p < 0xC0 → a piece of p+1 bytes,
//!               p ≥ 0xC0 → a piece of (p−0xBF)·64 bytes; an empty plan drips one byte at a time
//! rest          the body (an HTTP response body as received)
//! ```
//!
//! `seed.sh` turns fixture bodies into seeds with this layout.

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Debug;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};

use test_support::SplitPlan;

/// A fuzz input split into its parts.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    /// Target-specific settings (bits 0..=5).
    pub flags: u8,
    plan: &'a [u8],
    /// The piece sizes the plan bytes spell.
    sizes: Vec<usize>,
    /// The body, repeated as bits 6..=7 of the flags ask.
    pub body: Vec<u8>,
}

impl<'a> Input<'a> {
    /// Splits `data`; `None` when it is too short to hold the header.
    pub fn parse(data: &'a [u8]) -> Option<Self> {
        let (&flags, rest) = data.split_first()?;
        let (&n, rest) = rest.split_first()?;
        let n = usize::from(n % 32).min(rest.len());
        let (plan, body) = rest.split_at(n);
        let repeat = [1, 2, 8, 32][usize::from(flags >> 6)];
        let sizes = plan
            .iter()
            .map(|&p| match p {
                0..0xC0 => usize::from(p) + 1,
                _ => usize::from(p - 0xBF) * 64,
            })
            .collect();
        Some(Self {
            flags: flags & 0x3f,
            plan,
            sizes,
            body: body.repeat(repeat),
        })
    }

    /// The body cut into pieces as the plan says (the sizes cycled; an empty plan is one byte
    /// per piece).
    pub fn pieces(&self) -> Vec<&[u8]> {
        SplitPlan::Sizes(&self.sizes).split(&self.body)
    }

    /// The raw plan bytes (targets without a byte chunking plan read their own meaning into
    /// them, e.g. where `merge_deltas` cuts each delta).
    pub fn plan(&self) -> &[u8] {
        self.plan
    }

    /// The largest piece of the plan (the "one pushed chunk" of the memory bounds).
    pub fn max_piece(&self) -> usize {
        self.pieces().iter().map(|p| p.len()).max().unwrap_or(0)
    }
}

/// The sequence of items a decoder produced, as a running hash of their `Debug` text; with
/// `record`, the texts themselves, to print a readable diff when two runs disagree.
#[derive(Debug)]
pub struct Transcript {
    hasher: DefaultHasher,
    count: usize,
    log: Option<Vec<String>>,
}

impl Transcript {
    /// An empty transcript.
    pub fn new(record: bool) -> Self {
        Self {
            hasher: DefaultHasher::new(),
            count: 0,
            log: record.then(Vec::new),
        }
    }

    /// Appends one item.
    pub fn add(&mut self, item: &dyn Debug) {
        let text = format!("{item:?}");
        text.hash(&mut self.hasher);
        self.count += 1;
        if let Some(log) = &mut self.log {
            log.push(text);
        }
    }

    /// Hash and length: equal keys mean equal sequences (up to hash collisions).
    pub fn key(&self) -> (u64, usize) {
        (self.hasher.finish(), self.count)
    }

    /// The recorded texts (empty unless recording).
    pub fn log(&self) -> &[String] {
        self.log.as_deref().unwrap_or_default()
    }
}

/// Runs `run` on the whole body and on the planned pieces and asserts that both transcripts are
/// equal; on a mismatch both runs are repeated with recording, for a readable diff.
pub fn assert_split_invariant<'b>(
    input: &'b Input<'_>,
    run: impl Fn(&[&'b [u8]], bool) -> Transcript,
) {
    let whole = [&input.body[..]];
    let pieces = input.pieces();
    let a = run(&whole, false);
    let b = run(&pieces, false);
    if a.key() != b.key() {
        let a = run(&whole, true);
        let b = run(&pieces, true);
        assert_eq!(
            a.log(),
            b.log(),
            "whole body vs pieces of sizes {:?}",
            pieces.iter().map(|p| p.len()).collect::<Vec<_>>()
        );
    }
}

static LIVE: AtomicUsize = AtomicUsize::new(0);

/// Counts live heap bytes requested through Rust's allocator.
struct Counting;

// SAFETY: every method forwards to `System` with the caller's arguments unchanged; the counter
// is only bookkeeping.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded as is.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded as is.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded as is.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_add(new_size, Ordering::Relaxed);
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Heap bytes currently allocated through Rust's allocator (fuzz targets are single-threaded).
pub fn live_bytes() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// Asserts that the heap grew by at most `bound` bytes since `baseline`.
#[track_caller]
pub fn assert_heap_within(baseline: usize, bound: usize, what: &str) {
    let held = live_bytes().saturating_sub(baseline);
    assert!(
        held <= bound,
        "{what}: decoder holds {held} heap bytes, bound is {bound}"
    );
}

pub mod discovery;
pub mod merge;
pub mod ollama;
pub mod openai;
pub mod typed;
