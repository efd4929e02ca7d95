//! The vocabulary shared by this workspace's wire crates (`ollama-wire`, `openai-wire`,
//! `anthropic-wire`, `sse-wire`), as one type each instead of one copy per crate.
//!
//! ```text
//!  body bytes ──push()──▶ PushDecoder ──Iterator::next()──▶ Ok(item) | Err(error)
//!  end of body ─finish()─▶            ──────────────────▶ Ok(()) | Err(verdict: cut, data after the end…)
//!                                        every error: Categorized::category() → ErrorCategory
//!
//!  Stream<Item = Result<bytes, E>> ──DecodeStream<S, D>──▶ Stream<Item = Result<item, StreamError<E, D::Error>>>
//! ```
//!
//! - [`ErrorCategory`]: who is at fault for an error; [`Categorized`]: every error type of the
//!   wire crates says its category (and its byte offset, when it has one) through it.
//! - [`PushDecoder`]: the pull shape of every sans-IO stream decoder: push bytes, iterate the
//!   items, `finish` once for the end-of-input verdict.
//! - [`DecodeStream`] (feature `stream`, on by default): the one `futures_core::Stream`
//!   adapter over any push decoder, with its [`StreamError`].
//! - `RawJson` (feature `json`): a JSON value kept as the exact text it was received as, the
//!   one type every wire crate keeps free-form JSON in.
//! - [`open_enum!`] (feature `serde`, which `json` turns on): the string enums whose values
//!   grow over time (a done reason, a role, a capability): known values as variants, the rest
//!   kept in `Other(String)`.
//! - [`borrow`] (feature `serde`): the `deserialize_with` helpers the borrowed types of every
//!   wire crate read their text with (borrowed from the input when it has no escapes).
//!
//! The wire crates re-export these items and name their adapters (`ollama_wire::ChatStream`,
//! `openai_wire::stream::ChatStream`, `anthropic_wire::stream::DecodeStream`, …); this crate is
//! what code that works over every wire depends on.
//!
//! ```
//! use wire_core::{Categorized, ErrorCategory, PushDecoder};
//!
//! /// Decodes a whole body with any wire's decoder, the verdict last.
//! fn decode_all<D: PushDecoder>(mut decoder: D, body: &[u8]) -> Vec<Result<D::Output, D::Error>> {
//!     decoder.push(body);
//!     let mut items: Vec<_> = decoder.by_ref().collect();
//!     let verdict = decoder.finish();
//!     items.extend(decoder.by_ref()); // what the end released (a last line without its newline)
//!     items.extend(verdict.err().map(Err));
//!     items
//! }
//!
//! // A toy decoder with the shape: one item per `\n`-terminated line.
//! #[derive(Default)]
//! struct Lines { held: Vec<u8>, lines: std::collections::VecDeque<String> }
//! #[derive(Debug)]
//! struct Cut(u64);
//! impl Categorized for Cut {
//!     fn category(&self) -> ErrorCategory { ErrorCategory::Truncated }
//!     fn offset(&self) -> Option<u64> { Some(self.0) }
//! }
//! impl Iterator for Lines {
//!     type Item = Result<String, Cut>;
//!     fn next(&mut self) -> Option<Self::Item> { self.lines.pop_front().map(Ok) }
//! }
//! impl PushDecoder for Lines {
//!     type Output = String;
//!     type Error = Cut;
//!     fn push(&mut self, bytes: &[u8]) {
//!         self.held.extend_from_slice(bytes);
//!         while let Some(end) = self.held.iter().position(|&b| b == b'\n') {
//!             let line: Vec<u8> = self.held.drain(..=end).collect();
//!             self.lines.push_back(String::from_utf8_lossy(&line[..end]).into_owned());
//!         }
//!     }
//!     fn finish(&mut self) -> Result<(), Cut> {
//!         if self.held.is_empty() { Ok(()) } else { Err(Cut(0)) }
//!     }
//! }
//!
//! let items = decode_all(Lines::default(), b"one\ntwo");
//! assert_eq!(items[0].as_ref().unwrap(), "one");
//! let verdict = items[1].as_ref().unwrap_err();
//! assert_eq!(verdict.category(), ErrorCategory::Truncated);
//! assert_eq!(items.len(), 2);
//! ```

#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "json")]
mod json;
#[cfg(feature = "serde")]
mod open_enum;

#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
pub mod borrow;
#[cfg(feature = "stream")]
mod stream;

#[cfg(feature = "json")]
#[cfg_attr(docsrs, doc(cfg(feature = "json")))]
pub use json::RawJson;

#[cfg(feature = "stream")]
#[cfg_attr(docsrs, doc(cfg(feature = "stream")))]
pub use stream::{DecodeStream, StreamError};

/// What [`open_enum!`] expands to refers to; not part of the API.
#[cfg(feature = "serde")]
#[doc(hidden)]
pub mod __private {
    pub use crate::open_enum::OpenEnumVisitor;
    pub use serde;
}

/// Who is at fault for an error: the same five categories, with the same meaning, on every
/// wire.
///
/// With the `serde` feature it serializes as a `snake_case` string (`"malformed"`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ErrorCategory {
    /// The peer sent bytes that cannot be interpreted (not JSON, the wrong shape, events out of
    /// order, data after the end).
    Malformed,
    /// One of our configured limits was hit.
    Limit,
    /// The server reported an error (an error body, an error line, an `error` event).
    Upstream,
    /// The input ended before the protocol said it was complete.
    Truncated,
    /// The byte source failed (only from an async adapter: [`StreamError::Transport`]).
    Transport,
}

impl ErrorCategory {
    /// The category's name as the `serde` feature writes it: `"malformed"`, `"limit"`,
    /// `"upstream"`, `"truncated"` or `"transport"`.
    ///
    /// ```
    /// assert_eq!(wire_core::ErrorCategory::Truncated.as_str(), "truncated");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Malformed => "malformed",
            Self::Limit => "limit",
            Self::Upstream => "upstream",
            Self::Truncated => "truncated",
            Self::Transport => "transport",
        }
    }
}

impl std::fmt::Display for ErrorCategory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error that says who is at fault, and where in the body when it knows.
///
/// Every error type of the wire crates implements it (each also has `category()` and
/// `offset()` as inherent methods, so that naming the trait is needed only in generic code).
pub trait Categorized {
    /// Who is at fault.
    fn category(&self) -> ErrorCategory;

    /// The byte offset in the body the error refers to, when it has one (a transport error,
    /// an error body or an error of a whole-body decode may have none).
    fn offset(&self) -> Option<u64> {
        None
    }
}

impl<T: Categorized + ?Sized> Categorized for &T {
    fn category(&self) -> ErrorCategory {
        (**self).category()
    }

    fn offset(&self) -> Option<u64> {
        (**self).offset()
    }
}

/// A sans-IO stream decoder: bytes are pushed in as they arrive, items are pulled out (it is an
/// [`Iterator`] over `Result<Output, Error>`), and [`finish`](Self::finish) is called once at the
/// end of the body for the verdict.
///
/// The contract every implementation keeps:
///
/// - **Chunking does not matter**: the items (and the verdict) are the same however the body is
///   split into pushes.
/// - `next()` returns `None` when nothing more can be decoded from what was pushed so far; more
///   may come after the next `push` or after `finish`.
/// - `finish` ends the input: `Err` when the body ended before the protocol's terminator (a
///   cut stream) or was otherwise wrong as a whole; items it releases (a last line without its
///   newline) are pulled after it.
/// - A bad item is an `Err` item, and decoding goes on after it where the wire allows.
pub trait PushDecoder: Iterator<Item = Result<Self::Output, Self::Error>> {
    /// What a decoded item is (a chunk, an event, a frame).
    type Output;
    /// What a failed item, and a failed verdict, is.
    type Error;

    /// Appends body bytes.
    fn push(&mut self, bytes: &[u8]);

    /// Ends the input and returns the end-of-input verdict.
    ///
    /// # Errors
    ///
    /// When the body as a whole is wrong: it ended before the protocol's terminator, or inside
    /// a record; the wire crate's error says which.
    fn finish(&mut self) -> Result<(), Self::Error>;

    /// Gives up on the input without a verdict (the byte source failed): the bytes held are
    /// dropped, nothing more is decoded from them, and no verdict on them is owed. The default
    /// does nothing (a decoder that is simply not finished holds its bytes until it is
    /// dropped).
    fn abandon(&mut self) {}
}

/// Implements [`PushDecoder`] for decoders whose inherent `push(&mut self, &[u8])` and
/// `finish(&mut self) -> Result<(), Error>` already have the shape (and whose [`Iterator`]
/// items are `Result<Output, Error>`), so that the inherent methods stay callable without
/// naming the trait and the trait's are exactly them.
///
/// Each entry is `[generics] Type => Output, Error;`.
///
/// ```
/// # #[derive(Default)] struct Lines(Vec<String>);
/// # impl Iterator for Lines { type Item = Result<String, ()>; fn next(&mut self) -> Option<Self::Item> { self.0.pop().map(Ok) } }
/// impl Lines {
///     fn push(&mut self, bytes: &[u8]) { self.0.push(String::from_utf8_lossy(bytes).into()) }
///     fn finish(&mut self) -> Result<(), ()> { Ok(()) }
/// }
/// wire_core::inherent_push_decoder! { [] Lines => String, (); }
///
/// fn drive<D: wire_core::PushDecoder>(decoder: &mut D) -> Option<Result<D::Output, D::Error>> {
///     decoder.push(b"hi");
///     decoder.next()
/// }
/// assert_eq!(drive(&mut Lines::default()), Some(Ok("hi".to_owned())));
/// ```
#[macro_export]
macro_rules! inherent_push_decoder {
    ($( [$($generics:tt)*] $ty:ty => $output:ty, $error:ty; )*) => {$(
        impl<$($generics)*> $crate::PushDecoder for $ty {
            type Output = $output;
            type Error = $error;

            fn push(&mut self, bytes: &[u8]) {
                <$ty>::push(self, bytes);
            }

            fn finish(&mut self) -> ::core::result::Result<(), $error> {
                <$ty>::finish(self)
            }
        }
    )*};
}

/// Implements [`Categorized`] for error types with inherent `category(&self) -> ErrorCategory`
/// and `offset(&self) -> Option<u64>` methods: the trait's methods are exactly them.
///
/// ```
/// use wire_core::{Categorized, ErrorCategory};
///
/// struct Cut(u64);
/// impl Cut {
///     fn category(&self) -> ErrorCategory { ErrorCategory::Truncated }
///     fn offset(&self) -> Option<u64> { Some(self.0) }
/// }
/// wire_core::inherent_categorized!(Cut);
///
/// fn at<E: Categorized>(error: &E) -> Option<u64> { error.offset() }
/// assert_eq!(at(&Cut(9)), Some(9));
/// ```
#[macro_export]
macro_rules! inherent_categorized {
    ($($ty:ty),* $(,)?) => {$(
        impl $crate::Categorized for $ty {
            fn category(&self) -> $crate::ErrorCategory {
                <$ty>::category(self)
            }

            fn offset(&self) -> ::core::option::Option<u64> {
                <$ty>::offset(self)
            }
        }
    )*};
}
