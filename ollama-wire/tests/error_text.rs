//! What each stream error says: the kind of fault and the byte it is at, in words written by
//! hand. Every error comes from the decoder, not from a constructor.

use ollama_wire::{ChatStreamDecoder, DecodeError};

/// Every item of `body` (whole), then the verdict.
fn decode(mut decoder: ChatStreamDecoder, body: &[u8]) -> Vec<Result<String, DecodeError>> {
    decoder.push(body);
    let mut out: Vec<_> = decoder
        .by_ref()
        .map(|item| item.map(|c| c.message.content))
        .collect();
    let verdict = decoder.finish();
    out.extend(decoder.by_ref().map(|item| item.map(|c| c.message.content)));
    out.extend(verdict.err().map(Err));
    out
}

fn error_text(items: &[Result<String, DecodeError>]) -> Vec<String> {
    items
        .iter()
        .filter_map(|item| item.as_ref().err().map(ToString::to_string))
        .collect()
}

const HI: &[u8] =
    b"{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n";
const DONE: &[u8] =
    b"{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true}\n";

#[test]
fn a_line_that_is_not_json_names_its_byte_and_the_parser_complaint() {
    let body = [HI, b"not json\n"].concat();
    let items = decode(ChatStreamDecoder::new(), &body);
    let text = error_text(&items);
    let start = format!("malformed line at byte {}: expected ident", HI.len());
    assert!(text[0].starts_with(&start), "{text:?}");
}

#[test]
fn a_line_over_the_limit_names_its_byte_and_the_limit() {
    let body = [&b"{\"pad\":\"yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\"}\n"[..], DONE].concat();
    let items = decode(ChatStreamDecoder::with_max_line_len(20), &body);
    assert_eq!(
        error_text(&items)[0],
        "line at byte 0 exceeds the limit of 20 bytes"
    );
}

#[test]
fn a_server_error_line_carries_the_servers_message() {
    let items = decode(
        ChatStreamDecoder::new(),
        b"{\"error\":\"model 'x' not found\"}\n",
    );
    assert_eq!(
        error_text(&items),
        ["server error at byte 0: model 'x' not found"]
    );
}

#[test]
fn a_cut_stream_says_how_far_it_got() {
    let line = HI;
    let items = decode(ChatStreamDecoder::new(), line);
    assert_eq!(items[0].as_deref().ok(), Some("Hi"));
    assert_eq!(
        error_text(&items),
        [format!(
            "stream ended at byte {} after 1 chunk(s) without a \"done\": true chunk",
            line.len()
        )]
    );
}

#[test]
fn data_after_the_end_names_its_byte() {
    let body = [DONE, b"{\"model\":\"m\"}\n"].concat();
    let items = decode(ChatStreamDecoder::new(), &body);
    assert_eq!(
        error_text(&items),
        [format!(
            "data at byte {} after the end of the stream",
            DONE.len()
        )]
    );
}

#[test]
fn a_response_error_says_the_status_and_the_servers_message_or_the_parse_failure() {
    use ollama_wire::{ChatResponse, ResponseError, decode_json};
    use std::error::Error as _;

    let error =
        decode_json::<ChatResponse>(404, br#"{"error":"model 'x' not found"}"#).unwrap_err();
    assert!(matches!(error, ResponseError::Upstream { status: 404, .. }));
    assert_eq!(
        error.to_string(),
        "server error (HTTP 404): model 'x' not found"
    );
    assert!(error.source().is_none(), "the server's error has no cause");

    let error = decode_json::<ChatResponse>(200, b"not json").unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("malformed response body: expected ident"),
        "{error}"
    );
    let cause = error.source().expect("serde_json's error is the cause");
    assert!(cause.to_string().starts_with("expected ident"), "{cause}");
}
