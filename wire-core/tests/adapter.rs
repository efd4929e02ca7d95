//! `DecodeStream` over a toy line decoder: the order of items and verdict, the transport error
//! as the last item, and the error plumbing.

use std::collections::VecDeque;

use futures::executor::block_on;
use futures::{StreamExt, stream};
use wire_core::{Categorized, DecodeStream, ErrorCategory, PushDecoder, StreamError};

/// One item per `\n`-terminated line; `finish` releases a last line without its newline and
/// then says the body was cut (a body must end with a line `end`).
#[derive(Debug, Default)]
struct Lines {
    held: Vec<u8>,
    ready: VecDeque<Result<String, LineError>>,
    seen_end: bool,
    pushed: usize,
    abandoned: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum LineError {
    Empty(u64),
    Cut(u64),
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Empty(at) => write!(f, "empty line at byte {at}"),
            Self::Cut(at) => write!(f, "cut at byte {at}"),
        }
    }
}

impl std::error::Error for LineError {}

impl Categorized for LineError {
    fn category(&self) -> ErrorCategory {
        match self {
            Self::Empty(_) => ErrorCategory::Malformed,
            Self::Cut(_) => ErrorCategory::Truncated,
        }
    }

    fn offset(&self) -> Option<u64> {
        match self {
            Self::Empty(at) | Self::Cut(at) => Some(*at),
        }
    }
}

impl Lines {
    fn line(&mut self, line: Vec<u8>, start: usize) {
        let text = String::from_utf8_lossy(&line).into_owned();
        self.seen_end = text == "end";
        self.ready.push_back(if text.is_empty() {
            Err(LineError::Empty(start as u64))
        } else {
            Ok(text)
        });
    }
}

impl Iterator for Lines {
    type Item = Result<String, LineError>;
    fn next(&mut self) -> Option<Self::Item> {
        self.ready.pop_front()
    }
}

impl PushDecoder for Lines {
    type Output = String;
    type Error = LineError;

    fn push(&mut self, bytes: &[u8]) {
        self.held.extend_from_slice(bytes);
        self.pushed += bytes.len();
        while let Some(end) = self.held.iter().position(|&b| b == b'\n') {
            let start = self.pushed - self.held.len();
            let mut line: Vec<u8> = self.held.drain(..=end).collect();
            line.pop();
            self.line(line, start);
        }
    }

    fn finish(&mut self) -> Result<(), LineError> {
        if !self.held.is_empty() {
            let start = self.pushed - self.held.len();
            let line = std::mem::take(&mut self.held);
            self.line(line, start);
        }
        if self.seen_end {
            Ok(())
        } else {
            Err(LineError::Cut(self.pushed as u64))
        }
    }

    fn abandon(&mut self) {
        self.abandoned = true;
        self.held.clear();
    }
}

type Item = Result<String, StreamError<&'static str, LineError>>;

fn run(parts: Vec<Result<&'static [u8], &'static str>>) -> (Vec<Item>, Lines) {
    let mut adapter = DecodeStream::<_, Lines>::new(stream::iter(parts));
    let items = block_on(adapter.by_ref().collect());
    // Polling again after the end yields nothing more.
    assert!(block_on(adapter.next()).is_none());
    (items, adapter.into_parts().1)
}

fn ok(text: &str) -> Item {
    Ok(text.to_owned())
}

#[test]
fn a_complete_body_yields_its_items_and_no_verdict() {
    let (items, decoder) = run(vec![Ok(b"a\nen"), Ok(b"d\n")]);
    assert_eq!(items, vec![ok("a"), ok("end")]);
    assert!(!decoder.abandoned);
}

#[test]
fn what_the_end_releases_comes_before_the_verdict() {
    let (items, _) = run(vec![Ok(b"a\n"), Ok(b"b")]);
    assert_eq!(
        items,
        vec![
            ok("a"),
            ok("b"),
            Err(StreamError::Decode(LineError::Cut(3)))
        ]
    );
}

#[test]
fn an_item_error_does_not_end_the_stream() {
    let (items, _) = run(vec![Ok(b"\nend\n")]);
    assert_eq!(
        items,
        vec![Err(StreamError::Decode(LineError::Empty(0))), ok("end")]
    );
}

#[test]
fn a_transport_error_is_the_last_item_and_abandons_the_decoder() {
    let (items, decoder) = run(vec![Ok(b"a\nhalf"), Err("reset"), Ok(b"\nend\n")]);
    assert_eq!(items, vec![ok("a"), Err(StreamError::Transport("reset"))]);
    assert!(decoder.abandoned);
    assert!(decoder.held.is_empty());
}

#[test]
fn chunking_does_not_change_the_items() {
    let body: &'static [u8] = b"one\ntwo\n\nend\nx";
    let whole = run(vec![Ok(body)]).0;
    for size in 1..body.len() {
        let parts = body.chunks(size).map(Ok).collect();
        assert_eq!(run(parts).0, whole, "pieces of {size} bytes");
    }
    assert_eq!(whole.len(), 6);
}

#[test]
fn the_stream_error_says_its_category_offset_and_cause() {
    let transport: StreamError<std::io::Error, LineError> =
        StreamError::Transport(std::io::Error::other("reset by peer"));
    assert_eq!(transport.category(), ErrorCategory::Transport);
    assert_eq!(transport.offset(), None);
    assert_eq!(transport.to_string(), "transport error: reset by peer");
    let cause = std::error::Error::source(&transport).map(ToString::to_string);
    assert_eq!(cause.as_deref(), Some("reset by peer"));

    let cut: StreamError<std::io::Error, LineError> = StreamError::Decode(LineError::Cut(7));
    assert_eq!(cut.category(), ErrorCategory::Truncated);
    assert_eq!(Categorized::category(&cut), ErrorCategory::Truncated);
    assert_eq!(Categorized::offset(&&cut), Some(7));
    assert_eq!(Categorized::category(&&cut), ErrorCategory::Truncated);
    assert_eq!(cut.to_string(), "cut at byte 7");
    assert!(std::error::Error::source(&cut).is_none());
}

#[test]
fn the_adapter_shows_its_decoder() {
    let adapter = DecodeStream::with_decoder(
        stream::iter(Vec::<Result<&[u8], &str>>::new()),
        Lines {
            pushed: 5,
            ..Lines::default()
        },
    );
    assert_eq!(adapter.decoder().pushed, 5);
    let shown = format!("{adapter:?}");
    assert!(shown.starts_with("DecodeStream { inner: "), "{shown}");
    assert!(
        shown.ends_with("pushed: 5, abandoned: false }, source: Open }"),
        "{shown}"
    );
}

#[test]
fn categories_have_their_names() {
    let names: Vec<String> = [
        ErrorCategory::Malformed,
        ErrorCategory::Limit,
        ErrorCategory::Upstream,
        ErrorCategory::Truncated,
        ErrorCategory::Transport,
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    assert_eq!(
        names,
        ["malformed", "limit", "upstream", "truncated", "transport"]
    );
}

#[test]
fn an_error_without_an_offset_says_none() {
    struct Upstream;
    impl Categorized for Upstream {
        fn category(&self) -> ErrorCategory {
            ErrorCategory::Upstream
        }
    }
    assert_eq!(Upstream.offset(), None);
    assert_eq!(Categorized::offset(&&Upstream), None);
    let error: StreamError<(), Upstream> = StreamError::Decode(Upstream);
    assert_eq!(error.offset(), None);
    assert_eq!(error.category(), ErrorCategory::Upstream);
}

#[test]
fn the_adapter_shows_where_its_source_is() {
    let mut adapter = DecodeStream::<_, Lines>::new(stream::iter(vec![Ok::<&[u8], &str>(b"x")]));
    while block_on(adapter.next()).is_some() {}
    let shown = format!("{adapter:?}");
    assert!(shown.ends_with("source: Ended(None) }"), "{shown}");

    let mut failed = DecodeStream::<_, Lines>::new(stream::iter(vec![Err::<&[u8], &str>("reset")]));
    while block_on(failed.next()).is_some() {}
    assert!(format!("{failed:?}").ends_with("source: Failed }"));

    // The verdict is held until the items the end released are out.
    let mut cut = DecodeStream::<_, Lines>::new(stream::iter(vec![Ok::<&[u8], &str>(b"a")]));
    assert_eq!(block_on(cut.next()), Some(Ok("a".to_owned())));
    let shown = format!("{cut:?}");
    assert!(shown.ends_with("source: Ended(Some(Cut(1))) }"), "{shown}");
}
