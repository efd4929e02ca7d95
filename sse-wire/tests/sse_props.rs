//! Property tests: chunking never changes the decoded frames, and
//! decode ∘ encode is the identity on events.

use proptest::prelude::*;
use sse_wire::{Event, Frame, SseConfig, SseDecoder, SseEncoder, SseError};

fn decode(config: &SseConfig, chunks: &[&[u8]]) -> (Vec<Result<Frame, SseError>>, bool) {
    let mut decoder = SseDecoder::with_config(config.clone());
    let mut out = Vec::new();
    for chunk in chunks {
        decoder.push(chunk);
        out.extend(&mut decoder);
    }
    (out, decoder.finish().is_ok())
}

/// Bytes biased towards SSE syntax.
fn sse_bytes() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        Just(b"data:".to_vec()),
        Just(b"data: ".to_vec()),
        Just(b"event: ".to_vec()),
        Just(b"id: ".to_vec()),
        Just(b"retry: ".to_vec()),
        Just(b":".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\xEF\xBB\xBF".to_vec()),
        Just("é€😀".as_bytes().to_vec()),
        Just(b"\0".to_vec()),
        Just(b"12".to_vec()),
        prop::collection::vec(any::<u8>(), 0..4),
        "[a-z ]{0,6}".prop_map(String::into_bytes),
    ];
    prop::collection::vec(token, 0..40).prop_map(|parts| parts.concat())
}

fn split_points(len: usize) -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0..=len, 0..12).prop_map(|mut cuts| {
        cuts.sort_unstable();
        cuts
    })
}

fn split<'a>(bytes: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
    let mut pieces = Vec::new();
    let mut start = 0;
    for &cut in cuts {
        pieces.push(&bytes[start..cut]);
        start = cut;
    }
    pieces.push(&bytes[start..]);
    pieces
}

fn configs() -> impl Strategy<Value = SseConfig> {
    (1usize..24, 1usize..48, any::<bool>(), any::<bool>()).prop_map(|(line, event, dl, c)| {
        let mut config = SseConfig::default()
            .with_dispatch_dataless(dl)
            .with_comments(c);
        // Half the time, small limits to exercise the limit paths.
        if line % 2 == 0 {
            config = config.with_max_line_bytes(line).with_max_event_bytes(event);
        }
        config
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_split_gives_the_same_frames(
        (bytes, cuts) in sse_bytes().prop_flat_map(|b| { let n = b.len(); (Just(b), split_points(n)) }),
        config in configs(),
    ) {
        let whole = decode(&config, &[&bytes]);
        let pieces = decode(&config, &split(&bytes, &cuts));
        prop_assert_eq!(&whole, &pieces);
        let singles: Vec<&[u8]> = bytes.chunks(1).collect();
        prop_assert_eq!(&whole, &decode(&config, &singles));
    }

    #[test]
    fn decode_of_encode_is_identity(
        events in prop::collection::vec(
            (
                prop::option::of("[^\r\n]{1,8}"),
                "[^\r]{0,12}",
                "[^\r\n\0]{0,6}",
                prop::option::of(any::<u64>()),
            ),
            0..8,
        ),
        cuts_seed in prop::collection::vec(any::<prop::sample::Index>(), 0..6),
    ) {
        let events: Vec<Event> = events
            .into_iter()
            .map(|(event, data, id, retry)| {
                let mut e = Event::new(data).with_id(id);
                if let Some(name) = event { e = e.with_event(name); }
                if let Some(r) = retry { e = e.with_retry(r); }
                e
            })
            .collect();
        let mut encoder = SseEncoder::new();
        let mut bytes = Vec::new();
        for event in &events {
            encoder.encode(event, &mut bytes).unwrap();
        }
        let mut cuts: Vec<usize> = cuts_seed.iter().map(|i| i.index(bytes.len() + 1)).collect();
        cuts.sort_unstable();
        let (frames, clean) = decode(&SseConfig::default(), &split(&bytes, &cuts));
        prop_assert!(clean);
        let decoded: Vec<Event> = frames
            .into_iter()
            .map(|f| match f { Ok(Frame::Event(e)) => e, other => panic!("{other:?}") })
            .collect();
        prop_assert_eq!(decoded, events);
    }
}
