//! `ollama-relay`: a relay in front of Ollama that hands every client a well-formed stream.
//!
//! The binary is the product; this library is its testable part.
//!
//! - [`Repairer`] (sans-IO): one upstream stream of a [`Wire`] in, the same wire out —
//!   decoded with that wire's decoder, merged into balanced blocks by
//!   [`ollama_stream_merge::Merger`], re-encoded with that wire's encoder from
//!   `ollama_stream_merge`, keeping the upstream's id, model and fingerprint. A stream that is
//!   cut, stalls or breaks ends with the wire's own in-stream error (and `data: [DONE]` on
//!   chat completions), never silently.
//! - [`translate()`] (sans-IO) and [`Repairer::translate`]: *translate* mode
//!   (`--upstream-wire ollama|openai`) — a request of any client [`Wire`] becomes the chat
//!   request of the [`UpstreamWire`] (or a [`Refusal`] naming the field it cannot state), and
//!   the upstream's chat stream goes through the same join, decoded with the upstream wire's
//!   decoder and re-encoded with the client's encoder ([`Reply::Stream`]), or folded into the
//!   client wire's one JSON body ([`Reply::Whole`]).
//! - [`Route`] and [`ErrorShape`] (sans-IO): which requests are repaired, passed through or
//!   answered by the relay, and each wire's error body.
//! - [`serve`]: the hyper 1 server on top — `/api/chat`, `/v1/chat/completions`,
//!   `/v1/responses` and `/v1/messages` repaired; every other route passed through
//!   byte-exact and streamed; timeouts, body limit, stream limit, API key, one log line per
//!   request, graceful shutdown.
#![forbid(unsafe_code)]
// Failures are values here; tests may unwrap.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
#![cfg_attr(not(test), deny(clippy::panic, clippy::indexing_slicing))]

mod config;
mod repair;
mod route;
mod server;
mod translate;
mod whole;

pub use config::{Cli, Config, Upstream, UpstreamError};
pub use repair::{Fallback, Repairer, Reply, Stats, Wire, rfc3339};
pub use route::{ErrorShape, Route};
pub use server::{Body, serve};
pub use translate::{Refusal, Translated, UpstreamWire, translate};
