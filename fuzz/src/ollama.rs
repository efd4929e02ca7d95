//! Properties of Ollama's NDJSON stream decoders, shared by the chat and generate targets.

use std::fmt::Debug;

use ollama_wire::{DecodeError, Encoder, Escaping, StreamChunk, StreamDecoder};
use serde::Serialize;

use crate::{Input, Transcript, assert_heap_within, assert_split_invariant, live_bytes};

/// Where a stream is in its life, as its items tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// No terminal item yet.
    Open,
    /// A `done: true` chunk or an `Upstream` error: at most one `AfterEnd` may follow.
    Ended,
    /// `AfterEnd` or `Truncated`: nothing may follow.
    Closed,
}

/// Checks each item against the documented life cycle of a stream.
#[derive(Debug)]
struct Lifecycle {
    phase: Phase,
    oks: u64,
    terminals: u32,
    input_ended: bool,
}

impl Lifecycle {
    fn item<T: StreamChunk + Debug>(&mut self, item: &Result<T, DecodeError>) {
        let phase = self.phase;
        assert_ne!(
            phase,
            Phase::Closed,
            "item after the stream closed: {item:?}"
        );
        match item {
            Ok(chunk) => {
                assert_eq!(
                    phase,
                    Phase::Open,
                    "chunk after the terminal item: {chunk:?}"
                );
                self.oks += 1;
                if chunk.is_done() {
                    self.phase = Phase::Ended;
                    self.terminals += 1;
                }
            }
            Err(DecodeError::Upstream { .. }) => {
                assert_eq!(phase, Phase::Open, "error line after the terminal item");
                self.phase = Phase::Ended;
                self.terminals += 1;
            }
            Err(DecodeError::Truncated { chunks, .. }) => {
                assert!(self.input_ended, "Truncated before finish()");
                assert_eq!(phase, Phase::Open, "Truncated after the terminal item");
                assert_eq!(*chunks, self.oks);
                self.phase = Phase::Closed;
                self.terminals += 1;
            }
            Err(DecodeError::AfterEnd { .. }) => {
                assert_eq!(phase, Phase::Ended, "AfterEnd without a terminal item");
                self.phase = Phase::Closed;
            }
            Err(e @ (DecodeError::Malformed { .. } | DecodeError::LineTooLong { .. })) => {
                assert_eq!(phase, Phase::Open, "{e:?} after the terminal item");
            }
            Err(other) => panic!("unknown error kind {other:?}"),
        }
    }
}

/// Re-encoding a decoded chunk and decoding it again gives the same chunk with minimal escaping
/// (raw argument text passes through untouched). With Go escaping the first encoding normalises
/// raw argument text to Go's spelling (`<` becomes `\u003c`, as Ollama writes it), so the
/// property there is that this spelling is a fixed point: encode, decode, encode gives the same
/// bytes. (Found by a 10-minute run: raw `<` in arguments made the stricter property fail.)
fn assert_reencodes<T: StreamChunk + Serialize + PartialEq + Debug>(chunk: &T) {
    let decode = |bytes: &[u8]| {
        T::from_json(bytes).unwrap_or_else(|e| {
            panic!(
                "re-encoded chunk does not decode ({e}): {}",
                String::from_utf8_lossy(bytes)
            )
        })
    };
    let encode = |escaping, value: &T| {
        Encoder::with_escaping(escaping)
            .to_vec(value)
            .unwrap_or_else(|e| panic!("a decoded chunk must encode: {e}"))
    };
    let minimal = encode(Escaping::Minimal, chunk);
    assert_eq!(
        &decode(&minimal),
        chunk,
        "{}",
        String::from_utf8_lossy(&minimal)
    );
    let go = encode(Escaping::Go, chunk);
    let go_again = encode(Escaping::Go, &decode(&go));
    assert_eq!(
        go_again,
        go,
        "Go spelling is not a fixed point: {}",
        String::from_utf8_lossy(&go)
    );
}

fn run<T>(pieces: &[&[u8]], limit: usize, record: bool) -> Transcript
where
    T: StreamChunk + Serialize + PartialEq + Debug,
{
    let mut transcript = Transcript::new(record);
    let mut life = Lifecycle {
        phase: Phase::Open,
        oks: 0,
        terminals: 0,
        input_ended: false,
    };
    let mut decoder = StreamDecoder::<T>::with_max_line_len(limit);
    let baseline = live_bytes();
    let mut largest = 0;
    for piece in pieces {
        largest = largest.max(piece.len());
        decoder.push(piece);
        for item in decoder.by_ref() {
            life.item(&item);
            if let Ok(chunk) = &item {
                assert_reencodes(chunk);
            }
            transcript.add(&item);
        }
        if !record {
            // The framer keeps at most one partial line (limit + `\r`) and the largest chunk
            // pushed so far (a buffer keeps its capacity). BytesMut grows by doubling and, once
            // lines are split off, keeps a shared header and its original-capacity hint, so the
            // capacity can reach a few times the content: still O(limit + largest push), which
            // is the property. (2x was too tight: a 10-minute run held 3512 B against 3324 B
            // with a 1 KiB limit; that input is in fuzz/regressions/.)
            let bound = 4 * (limit + 2 + largest) + 4096;
            assert_heap_within(baseline, bound, "StreamDecoder after draining");
        }
    }
    let verdict = decoder.finish();
    let clean = verdict.is_ok();
    life.input_ended = true;
    for item in decoder.by_ref() {
        life.item(&item);
        transcript.add(&item);
    }
    // The verdict judged the lines still held exactly as pulling them decoded them.
    if let Err(e) = verdict {
        let item: Result<T, DecodeError> = Err(e);
        life.item(&item);
        transcript.add(&item);
    }
    assert_eq!(
        decoder.finish().is_ok(),
        clean,
        "finish() again, another verdict"
    );
    assert!(
        decoder.is_finished(),
        "drained after finish() means finished"
    );
    assert_eq!(
        decoder.is_terminated(),
        clean,
        "a clean end is a terminated stream"
    );
    assert_eq!(
        life.terminals, 1,
        "exactly one of done, Upstream, Truncated"
    );
    assert_eq!(decoder.chunks(), life.oks);
    decoder.push(b"{\"late\":true}\n");
    assert!(
        decoder.next().is_none(),
        "nothing after the stream finished"
    );
    transcript
}

/// The chat/generate target body.
pub fn stream_target<T>(data: &[u8])
where
    T: StreamChunk + Serialize + PartialEq + Debug,
{
    let Some(input) = Input::parse(data) else {
        return;
    };
    let limit = if input.flags & 1 == 0 { 1024 } else { 64 };
    assert_split_invariant(&input, |pieces, record| run::<T>(pieces, limit, record));
}
