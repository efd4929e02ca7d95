//! Property tests: chunking never changes decoded results; encode ∘ decode is the identity.

use ollama_wire::{
    ChatResponse, ChatStreamDecoder, DecodeError, DoneReason, Encoder, Escaping, FieldOrder,
    Message, Metrics, ToolCall, ToolCallFunctionArguments,
};
use proptest::prelude::*;

fn text() -> impl Strategy<Value = String> {
    // ASCII, JSON-special characters, characters Go escapes, and multi-byte UTF-8.
    proptest::collection::vec(
        prop_oneof![
            4 => proptest::char::range('a', 'z'),
            1 => Just('"'), 1 => Just('\\'), 1 => Just('\n'), 1 => Just('\u{1}'),
            1 => Just('<'), 1 => Just('>'), 1 => Just('&'), 1 => Just('\u{2028}'),
            1 => Just('é'), 1 => Just('😀'), 1 => Just('\u{fffd}'),
        ],
        0..12,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

fn arguments() -> impl Strategy<Value = ToolCallFunctionArguments> {
    proptest::collection::vec(("[a-z]{1,5}", any::<u64>(), text()), 0..4).prop_map(|fields| {
        // Built as text, spelled as Ollama (Go) writes it, so key order and number spelling are
        // what a server would send.
        let body: Vec<String> = fields
            .iter()
            .enumerate()
            .map(|(i, (k, n, s))| {
                if i % 2 == 0 {
                    format!("\"{k}{i}\":{n}")
                } else {
                    format!(
                        "\"{k}{i}\":{}",
                        String::from_utf8(Encoder::new().to_vec(s).unwrap()).unwrap()
                    )
                }
            })
            .collect();
        ToolCallFunctionArguments::from_json(&format!("{{{}}}", body.join(","))).unwrap()
    })
}

fn tool_call() -> impl Strategy<Value = ToolCall> {
    (
        proptest::option::of("call_[a-z0-9]{8}"),
        proptest::option::of(0u32..4),
        "[a-z_]{1,10}",
        arguments(),
    )
        .prop_map(|(id, index, name, args)| {
            let mut call = ToolCall::new(name, args);
            call.id = id;
            call.function.index = index;
            call
        })
}

fn chunk(done: bool) -> impl Strategy<Value = ChatResponse> {
    (
        text(),
        proptest::option::of(text()),
        proptest::option::of(proptest::collection::vec(tool_call(), 1..3)),
        proptest::option::of(prop_oneof![
            Just(DoneReason::Stop),
            Just(DoneReason::Length),
            "[a-z_]{1,8}".prop_map(DoneReason::from),
        ]),
        proptest::option::of(any::<u64>()),
        any::<bool>(),
    )
        .prop_map(
            move |(content, thinking, tool_calls, reason, eval, legacy)| {
                let mut message = Message::new("assistant", content);
                message.thinking = thinking;
                message.tool_calls = tool_calls;
                let mut c = ChatResponse::default();
                c.model = "qwen3:8b".into();
                c.created_at = Some("2026-01-10T16:55:30.915663454Z".into());
                c.message = message;
                c.done = done;
                if done {
                    c.done_reason = reason;
                    c.metrics = Metrics::default();
                    c.metrics.eval_count = eval;
                    if legacy && c.done_reason.is_some() {
                        c.field_order = FieldOrder::DoneReasonFirst;
                    }
                }
                c
            },
        )
}

fn stream() -> impl Strategy<Value = Vec<ChatResponse>> {
    (proptest::collection::vec(chunk(false), 0..6), chunk(true)).prop_map(|(mut v, last)| {
        v.push(last);
        v
    })
}

fn encode_stream(chunks: &[ChatResponse], escaping: Escaping) -> Vec<u8> {
    let encoder = Encoder::with_escaping(escaping);
    let mut out = Vec::new();
    for c in chunks {
        encoder.encode_line(c, &mut out).unwrap();
    }
    out
}

fn decode(body: &[u8], cuts: &[usize]) -> Vec<Result<ChatResponse, String>> {
    let mut decoder = ChatStreamDecoder::new();
    let mut out = Vec::new();
    let mut start = 0;
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (body.len() + 1)).collect();
    points.sort_unstable();
    points.push(body.len());
    for end in points {
        decoder.push(&body[start..end]);
        start = end;
        for item in decoder.by_ref() {
            out.push(item.map_err(|e: DecodeError| e.to_string()));
        }
    }
    let verdict = decoder.finish();
    for item in decoder {
        out.push(item.map_err(|e| e.to_string()));
    }
    out.extend(verdict.err().map(|e| Err(e.to_string())));
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any split of a stream's bytes yields the chunks that were encoded, in order.
    #[test]
    fn any_split_decodes_to_the_encoded_chunks(
        chunks in stream(),
        cuts in proptest::collection::vec(any::<usize>(), 0..40),
        go in any::<bool>(),
    ) {
        let escaping = if go { Escaping::Go } else { Escaping::Minimal };
        let body = encode_stream(&chunks, escaping);
        let decoded = decode(&body, &cuts);
        let expected: Vec<Result<ChatResponse, String>> = chunks.into_iter().map(Ok).collect();
        prop_assert_eq!(decoded, expected);
    }

    /// One byte at a time gives the same result as the whole body, errors included.
    #[test]
    fn bytewise_equals_whole_even_for_garbage(body in proptest::collection::vec(any::<u8>(), 0..300)) {
        let whole = decode(&body, &[]);
        let all_cuts: Vec<usize> = (0..body.len()).collect();
        prop_assert_eq!(decode(&body, &all_cuts), whole);
    }

    /// Go-escaped bytes decode and re-encode to the same bytes.
    #[test]
    fn encode_decode_encode_is_identity(c in chunk(true)) {
        let bytes = Encoder::new().to_vec(&c).unwrap();
        let decoded = ChatResponse::from_slice(&bytes).unwrap();
        prop_assert_eq!(&decoded, &c);
        prop_assert_eq!(Encoder::new().to_vec(&decoded).unwrap(), bytes);
    }
}
