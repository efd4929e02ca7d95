//! The fixture corpus: `fixtures/<wire>/<id>/{case.toml, request.json, response.body}`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Which API a case exercises: the folder under `fixtures/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Wire {
    /// Ollama's native `/api/*` NDJSON and JSON (`fixtures/ollama`).
    Ollama,
    /// The OpenAI-compatible `/v1/*` API (`fixtures/openai`).
    OpenAi,
    /// OpenAI Responses, `/v1/responses` (`fixtures/responses`).
    Responses,
    /// Anthropic Messages, `/v1/messages` (`fixtures/anthropic`).
    Anthropic,
}

impl Wire {
    /// Every wire, in folder order.
    pub const ALL: [Self; 4] = [Self::Ollama, Self::OpenAi, Self::Responses, Self::Anthropic];

    /// The folder name under `fixtures/`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ollama => "ollama",
            Self::OpenAi => "openai",
            Self::Responses => "responses",
            Self::Anthropic => "anthropic",
        }
    }
}

impl std::fmt::Display for Wire {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The fields of `case.toml` the tests select cases by (the conformance harness reads the
/// rest: provenance and expectations).
#[derive(Debug, Clone, Deserialize)]
pub struct Meta {
    /// Request path, e.g. `/api/chat`.
    pub endpoint: String,
    /// Response status.
    pub status: u16,
    /// Response `Content-Type`, when the server sent one.
    #[serde(default)]
    pub content_type: Option<String>,
}

/// One case of the corpus.
#[derive(Debug, Clone)]
pub struct FixtureCase {
    /// Its wire.
    pub wire: Wire,
    /// Its folder name.
    pub id: String,
    /// Its folder.
    pub dir: PathBuf,
    /// Its `case.toml`, in part.
    pub meta: Meta,
    /// `response.body`, exactly as received.
    pub body: Vec<u8>,
}

impl FixtureCase {
    /// `<wire>/<id>`, as the harness names cases.
    pub fn name(&self) -> String {
        format!("{}/{}", self.wire.as_str(), self.id)
    }

    /// Whether the response is streamed: NDJSON or an event stream.
    pub fn is_stream(&self) -> bool {
        self.meta.content_type.as_deref().is_some_and(|ct| {
            ct.starts_with("application/x-ndjson") || ct.starts_with("text/event-stream")
        })
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.meta.status)
    }

    /// Asserts that `events`, each written by `encode` in order, give the recorded body byte
    /// for byte (compared as text first, for a readable difference).
    ///
    /// # Panics
    ///
    /// When they do not, naming the case.
    pub fn assert_reencodes<E>(&self, events: &[E], mut encode: impl FnMut(&E, &mut Vec<u8>)) {
        let mut out = Vec::new();
        for event in events {
            encode(event, &mut out);
        }
        assert_eq!(
            String::from_utf8_lossy(&out),
            String::from_utf8_lossy(&self.body),
            "{}",
            self.id
        );
        assert_eq!(out, self.body, "{}", self.id);
    }
}

/// The workspace's `fixtures/` folder.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

/// The shared reference corpus beside the workspace (`../shared`), where the raw recordings
/// live; tests that read it skip when it is absent.
pub fn shared_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared")
}

/// Every case of `wire`, sorted by id.
///
/// # Panics
///
/// When the folder cannot be read or a case is incomplete (a corpus error is a test failure,
/// never a silently smaller corpus).
pub fn cases(wire: Wire) -> Vec<FixtureCase> {
    let root = fixtures_dir().join(wire.as_str());
    let entries =
        std::fs::read_dir(&root).unwrap_or_else(|e| panic!("cannot read {}: {e}", root.display()));
    let mut out: Vec<FixtureCase> = entries
        .map(|entry| {
            let dir = entry
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", root.display()))
                .path();
            load(wire, dir)
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// The case `id` of `wire`.
///
/// # Panics
///
/// When the case is missing or incomplete.
pub fn case(wire: Wire, id: &str) -> FixtureCase {
    load(wire, fixtures_dir().join(wire.as_str()).join(id))
}

fn load(wire: Wire, dir: PathBuf) -> FixtureCase {
    let read = |file: &str| {
        let path = dir.join(file);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    let meta_text = String::from_utf8(read("case.toml"))
        .unwrap_or_else(|e| panic!("{}: case.toml is not UTF-8: {e}", dir.display()));
    let meta: Meta =
        toml::from_str(&meta_text).unwrap_or_else(|e| panic!("{}: case.toml: {e}", dir.display()));
    FixtureCase {
        wire,
        id: dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        body: read("response.body"),
        meta,
        dir,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_corpus_loads() {
        let ollama = cases(Wire::Ollama);
        let openai = cases(Wire::OpenAi);
        assert!(ollama.len() >= 50 && openai.len() >= 30);
        assert!(cases(Wire::Responses).len() >= 12 && cases(Wire::Anthropic).len() >= 14);
        let case = ollama
            .iter()
            .find(|c| c.id == "chat-stream-thinking-then-content")
            .unwrap();
        assert_eq!(case.meta.endpoint, "/api/chat");
        assert!(case.is_stream() && case.is_success());
        assert_eq!(case.name(), "ollama/chat-stream-thinking-then-content");
        assert!(case.body.ends_with(b"\n"));
        assert_eq!(case.body, super::case(Wire::Ollama, &case.id).body);
    }

    #[test]
    fn a_body_reencodes_from_its_lines_and_not_without_one() {
        let case = super::case(Wire::Ollama, "chat-stream-thinking-then-content");
        let lines: Vec<&[u8]> = case.body.split_inclusive(|b| *b == b'\n').collect();
        assert!(lines.len() > 1);
        case.assert_reencodes(&lines, |line, out| out.extend_from_slice(line));
        let short = std::panic::catch_unwind(|| {
            case.assert_reencodes(&lines[1..], |line, out| out.extend_from_slice(line));
        });
        assert!(short.is_err());
    }
}
