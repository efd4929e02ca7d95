//! The Ollama `/api/chat` NDJSON stream: our decoder, the pre-split limit, and the peers.

use std::io::{BufRead, BufReader, Read};

use bytes::Bytes;
use ollama_wire::{ChatResponse, ChatResponseRef, ChatStreamDecoder};

use crate::data::Transcript;
use crate::harness::{
    Case, Digest, Role, limit_borrowed_case, merge_case, merged_items, ok, presplit_parse, pushed,
    pushed_items, std_utf8,
};

/// Our decoder's name in a panic.
const WHO: &str = "ollama-wire";

fn add(d: &mut Digest, c: &ChatResponse) {
    d.chunks += 1;
    d.content += c.message.content.len() as u64;
    *d.reasoning.get_or_insert(0) += c.message.thinking().len() as u64;
    d.tool_calls += c.message.tool_calls().len() as u64;
}

/// The shape of ollama-rs 0.3.6 `generation::chat::ChatMessageResponse`, mirrored field for
/// field (the crate itself is not linked: it turns on serde_json's `preserve_order` for every
/// crate in the build). Its stream path cannot be driven here anyway: it is an `async_stream`
/// over a live `reqwest::Response`.
#[allow(dead_code)] // fields exist to be deserialized, as in ollama-rs
mod ollama_rs_shape {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    pub(super) struct ChatMessageResponse {
        pub(super) model: String,
        pub(super) created_at: String,
        pub(super) message: ChatMessage,
        pub(super) logprobs: Option<Vec<serde_json::Value>>,
        pub(super) done: bool,
        #[serde(flatten)]
        pub(super) final_data: Option<FinalData>,
    }

    #[derive(Debug, Deserialize)]
    pub(super) struct FinalData {
        pub(super) total_duration: u64,
        pub(super) load_duration: u64,
        pub(super) prompt_eval_count: u64,
        pub(super) prompt_eval_duration: u64,
        pub(super) eval_count: u64,
        pub(super) eval_duration: u64,
    }

    #[derive(Debug, Deserialize)]
    pub(super) enum Role {
        #[serde(rename = "user")]
        User,
        #[serde(rename = "assistant")]
        Assistant,
        #[serde(rename = "system")]
        System,
        #[serde(rename = "tool")]
        Tool,
    }

    #[derive(Debug, Deserialize)]
    pub(super) struct ChatMessage {
        pub(super) role: Role,
        pub(super) content: String,
        #[serde(default)]
        pub(super) tool_calls: Vec<ToolCall>,
        pub(super) images: Option<Vec<String>>,
        pub(super) thinking: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    pub(super) struct ToolCall {
        pub(super) function: ToolCallFunction,
    }

    #[derive(Debug, Deserialize)]
    pub(super) struct ToolCallFunction {
        pub(super) name: String,
        #[serde(alias = "parameters")]
        pub(super) arguments: serde_json::Value,
    }
}

fn add_borrowed(d: &mut Digest, c: &ChatResponseRef<'_>) {
    d.chunks += 1;
    d.content += c.message.content.len() as u64;
    *d.reasoning.get_or_insert(0) += c.message.thinking.as_deref().map_or(0, str::len) as u64;
    d.tool_calls += c.message.tool_calls.as_deref().map_or(0, <[_]>::len) as u64;
}

fn add_ollama_rs(d: &mut Digest, c: &ollama_rs_shape::ChatMessageResponse) {
    d.chunks += 1;
    d.content += c.message.content.len() as u64;
    *d.reasoning.get_or_insert(0) += c.message.thinking.as_deref().map_or(0, str::len) as u64;
    d.tool_calls += c.message.tool_calls.len() as u64;
}

/// Our decoder: push each chunk, drain, end.
pub(crate) fn ours(plan: &[Bytes]) -> Digest {
    pushed_items(plan, ChatStreamDecoder::new(), WHO, add)
}

/// Our decoder, borrowed: `next_as::<ChatResponseRef>` (same framing and rules; text without
/// escapes is not copied).
pub(crate) fn ours_borrowed(plan: &[Bytes]) -> Digest {
    pushed(plan, ChatStreamDecoder::new(), WHO, |decoder, d| {
        while let Some(item) = decoder.next_as::<ChatResponseRef<'_>>() {
            add_borrowed(d, &ok(item, WHO));
        }
    })
}

/// The full path: our decoder joined to `ollama_stream_merge::Merger` by `MergeDecoder`, events
/// drained after every push.
pub(crate) fn ours_merged(plan: &[Bytes]) -> Digest {
    merged_items(plan, ChatStreamDecoder::new(), WHO, |c| {
        c.message.tool_calls().len() as u64
    })
}

/// A `Read` that hands out the plan's chunks as a socket would: never more than one chunk.
pub(crate) struct PlanReader<'a> {
    chunks: std::slice::Iter<'a, Bytes>,
    current: &'a [u8],
}

impl<'a> PlanReader<'a> {
    pub(crate) fn new(plan: &'a [Bytes]) -> Self {
        Self {
            chunks: plan.iter(),
            current: &[],
        }
    }
}

impl Read for PlanReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.current.is_empty() {
            match self.chunks.next() {
                Some(c) => self.current = c,
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current[..n]);
        self.current = &self.current[n..];
        Ok(n)
    }
}

/// `BufReader::lines` (8 KiB buffer, one `String` per line) + `serde_json::from_str`.
pub(crate) fn bufread_lines(plan: &[Bytes]) -> Digest {
    let mut d = Digest::default();
    for line in BufReader::new(PlanReader::new(plan)).lines() {
        let line = line.unwrap_or_else(|e| panic!("lines: {e}"));
        if line.trim().is_empty() {
            continue;
        }
        let c: ChatResponse =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("BufRead::lines: {e}"));
        add(&mut d, &c);
    }
    d
}

/// The cases for one transcript.
pub(crate) fn cases(t: &Transcript) -> Vec<Case<'_>> {
    let mut cases = vec![
        Role::Ours.streaming("ours: ollama_wire::ChatStreamDecoder", "ours", ours),
        Role::Ours.streaming(
            "ours: next_as::<ChatResponseRef> (borrowed)",
            "ours_borrowed",
            ours_borrowed,
        ),
        merge_case(ours_merged),
    ];
    cases.extend(crate::harness::limit_cases(t, add));
    cases.extend([
        limit_borrowed_case(
            t,
            "limit: pre-split, borrowed ChatResponseRef",
            add_borrowed,
        ),
        Role::Peer.streaming(
            "peer: BufRead::lines + serde_json",
            "bufread_lines",
            bufread_lines,
        ),
        Role::Peer.presplit(
            "peer: ollama-rs ChatMessageResponse shape (pre-split)",
            "ollama_rs",
            presplit_parse(t, std_utf8, "ollama-rs", add_ollama_rs),
        ),
    ]);
    cases
}
