//! Typed messages of Ollama's native API.
//!
//! Every type decodes what real servers send (unknown fields ignored, `null` where Ollama writes
//! it, absent optional fields kept as `None` — absent is not `0`) and encodes fields in the order
//! Ollama writes them with its omission rules, so Ollama's bytes re-encode to the same bytes
//! through [`Encoder`](crate::Encoder).

mod borrowed;
mod chat;
mod embed;
pub(crate) mod error_body;
mod generate;
mod manage;
mod message;
mod metrics;
mod open_enum;
mod options;
mod process;
mod progress;

mod show;
mod show_summary;
mod status;
mod tags;
mod version;

pub use borrowed::{ChatResponseRef, MessageRef};
pub use chat::{ChatRequest, ChatResponse, FieldOrder};
pub use embed::{EmbedInput, EmbedRequest, EmbedResponse, EmbeddingRequest, EmbeddingResponse};
pub use error_body::ErrorBody;
pub use generate::{GenerateRequest, GenerateResponse};
pub use manage::{CopyRequest, CreateRequest, DeleteRequest, TransferRequest};
pub use message::{
    Logprob, Message, TokenLogprob, Tool, ToolCall, ToolCallFunction, ToolCallFunctionArguments,
};
pub use metrics::Metrics;
pub use open_enum::{Capability, DoneReason, ThinkLevel};
pub use options::{Format, KeepAlive, Think};
pub use process::{ProcessModel, ProcessResponse};
pub use progress::ProgressResponse;
pub use show::{ModelInfo, ShowRequest, ShowResponse, TensorInfo};
pub use show_summary::ShowSummary;
pub use status::{CloudStatus, StatusResponse};
pub use tags::{ListModel, ListResponse, ModelDetails};
pub use version::VersionResponse;
/// A JSON value kept as its exact text: the one `RawJson` of every wire crate.
pub use wire_core::RawJson;

/// `skip_serializing_if` helper for `bool` fields Go writes with `omitempty`.
pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}

/// Parses one JSON value from bytes: UTF-8 is validated once up front (`simdutf8`: SIMD, with the
/// instruction set chosen at run time) and the text parsed without serde_json's per-string
/// re-validation. Invalid UTF-8 falls back to `from_slice` so the error names its position.
pub(crate) fn parse_json<'a, T: serde::Deserialize<'a>>(
    json: &'a [u8],
) -> Result<T, serde_json::Error> {
    match simdutf8::basic::from_utf8(json) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(json),
    }
}
