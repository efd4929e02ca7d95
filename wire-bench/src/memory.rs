//! Memory: bytes held by an idle decoder, and the peak held while decoding.
//!
//! Heap bytes come from the counting global allocator (`stats_alloc`): live bytes added since a
//! region started. Buffered bytes come from the decoders' own accessor where there is one
//! (`LineFramer::buffered_len`).

use std::hint::black_box;
use std::io::BufReader;

use bytes::Bytes;
use eventsource_stream::Eventsource;
use ollama_wire::ChatStreamDecoder;
use ollama_wire::framing::LineFramer;
use openai_wire::chat::ChatCompletionChunk;
use openai_wire::chunks::StreamDecoder;
use openai_wire::sse::SseDecoder;
use stats_alloc::Region;

use crate::GLOBAL;
use crate::data::Transcript;
use crate::harness::live_bytes;
use crate::ndjson::PlanReader;

/// An idle decoder's footprint.
#[derive(Debug, Clone)]
pub(crate) struct Idle {
    pub(crate) name: &'static str,
    pub(crate) key: &'static str,
    pub(crate) size_of: usize,
    pub(crate) heap: isize,
}

impl Idle {
    pub(crate) fn total(&self) -> isize {
        self.size_of as isize + self.heap
    }
}

fn idle<T>(name: &'static str, key: &'static str, make: impl FnOnce() -> T) -> Idle {
    let region = Region::new(GLOBAL);
    let value = black_box(make());
    let heap = live_bytes(&region.change());
    let size_of = std::mem::size_of_val(&value);
    drop(value);
    Idle {
        name,
        key,
        size_of,
        heap,
    }
}

type ByteStream = futures::stream::Iter<std::vec::IntoIter<Result<Bytes, std::io::Error>>>;

fn empty_stream() -> ByteStream {
    futures::stream::iter(Vec::new())
}

/// Every decoder, freshly constructed.
pub(crate) fn idle_all() -> Vec<Idle> {
    vec![
        idle(
            "ours: ChatStreamDecoder",
            "ndjson_ours",
            ChatStreamDecoder::new,
        ),
        idle("ours: LineFramer", "ndjson_framer", LineFramer::new),
        idle(
            "ours: StreamDecoder<ChatCompletionChunk>",
            "sse_ours",
            StreamDecoder::<ChatCompletionChunk>::new,
        ),
        idle("ours: SseDecoder", "sse_framer", SseDecoder::new),
        idle("peer: BufReader (lines)", "bufread", || {
            BufReader::new(PlanReader::new(&[]))
        }),
        idle("peer: eventsource-stream", "eventsource_stream", || {
            empty_stream().eventsource()
        }),
        idle("peer: sse-stream", "sse_stream", || {
            sse_stream::SseByteStream::new(empty_stream())
        }),
    ]
}

/// Peak while decoding one plan.
#[derive(Debug, Clone)]
pub(crate) struct Peak {
    /// Live heap of the typed decoder, sampled after every push (before draining).
    pub(crate) heap: isize,
    /// Largest `buffered_len` after a push, where the decoder has the accessor.
    pub(crate) buffered: Option<usize>,
    /// Largest record plus largest push.
    pub(crate) bound: usize,
}

fn bound(t: &Transcript, plan: &[Bytes]) -> usize {
    t.max_record() + plan.iter().map(Bytes::len).max().unwrap_or(0)
}

pub(crate) fn peak_ndjson(t: &Transcript, plan: &[Bytes]) -> Peak {
    let mut framer = LineFramer::new();
    let mut buffered = 0;
    for chunk in plan {
        framer.push(chunk);
        buffered = buffered.max(framer.buffered_len());
        while let Ok(Some(line)) = framer.next_line() {
            black_box(line);
        }
    }
    let region = Region::new(GLOBAL);
    let mut decoder = ChatStreamDecoder::new();
    let mut heap = 0;
    for chunk in plan {
        decoder.push(chunk);
        heap = heap.max(live_bytes(&region.change()));
        for item in decoder.by_ref() {
            black_box(item.is_ok());
        }
    }
    Peak {
        heap,
        buffered: Some(buffered),
        bound: bound(t, plan),
    }
}

pub(crate) fn peak_sse(t: &Transcript, plan: &[Bytes]) -> Peak {
    let region = Region::new(GLOBAL);
    let mut decoder = StreamDecoder::<ChatCompletionChunk>::new();
    let mut heap = 0;
    let mut buffered = 0;
    for chunk in plan {
        decoder.push(chunk);
        heap = heap.max(live_bytes(&region.change()));
        buffered = buffered.max(decoder.buffered_len());
        for item in &mut decoder {
            black_box(item.is_ok());
        }
    }
    Peak {
        heap,
        buffered: Some(buffered),
        bound: bound(t, plan),
    }
}
