//! Loading the fixture corpus: `fixtures/<wire>/<case-id>/{case.toml, request.json, response.body}`.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Which API a case exercises: the folder under `fixtures/` (the shared test machinery's
/// name for it).
pub use test_support::Wire;

/// `case.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseMeta {
    /// Request path.
    pub endpoint: String,
    /// HTTP method.
    pub method: String,
    /// Response status.
    pub status: u16,
    /// Response `Content-Type`.
    #[serde(default)]
    pub content_type: Option<String>,
    /// What the case shows.
    pub description: String,
    /// `<wire>/<case-id>` of a case that carries the same answer on the other wire; both must
    /// reduce to the same message.
    #[serde(default)]
    pub same_answer_as: Option<String>,
    /// Where the bytes come from.
    pub provenance: Provenance,
    /// Hand-written expectations.
    pub expect: Expect,
}

/// Where a case's bytes come from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// `recorded` or `constructed`.
    pub kind: ProvenanceKind,
    /// Source (URL with commit, issue, or doc section).
    pub source: String,
    /// Server that produced (or whose behaviour is modelled by) the bytes.
    pub server: String,
    /// Server version or `unknown`.
    pub version: String,
    /// Model or `none`.
    pub model: String,
    /// Recording (or writing) date.
    pub date: String,
    /// Licence of the source.
    pub licence: String,
    /// `recorded`, `reconstructed` or `absent`.
    pub request: String,
    /// Transcription notes.
    pub notes: String,
}

/// Real bytes or hand-written ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProvenanceKind {
    /// Captured from a real server.
    Recorded,
    /// Written by hand from documented behaviour.
    Constructed,
}

impl fmt::Display for ProvenanceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Recorded => "recorded",
            Self::Constructed => "constructed",
        })
    }
}

/// Hand-written expectations of a case.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// How the exchange ends.
    pub outcome: Outcome,
    /// Number of chunks (objects) before the end.
    pub chunks: u64,
}

/// How an exchange ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// A stream whose last chunk has `done: true`.
    Done,
    /// The server reported an error.
    UpstreamError,
    /// The body ended before the end of the stream.
    Truncated,
    /// An event stream that decodes, but with events that break the protocol's order or
    /// consistency (`DecodeError::Protocol`, category `Malformed`, on the typed event wires
    /// `responses` and `anthropic`), e.g. a block started at the index of one still open
    /// (ollama/ollama#17101). Outranks `upstream-error` and `truncated`.
    Violation,
    /// One JSON object (or a text body) that is not an error.
    Single,
    /// A successful reply with no body (`HEAD`, `DELETE /api/delete`, `POST /api/copy`, blob
    /// uploads, CORS preflights).
    Empty,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Done => "done",
            Self::UpstreamError => "upstream-error",
            Self::Truncated => "truncated",
            Self::Violation => "violation",
            Self::Single => "single",
            Self::Empty => "empty",
        })
    }
}

/// One exchange of the corpus.
#[derive(Debug, Clone)]
pub struct Case {
    /// Folder name.
    pub id: String,
    /// API.
    pub wire: Wire,
    /// Folder.
    pub dir: PathBuf,
    /// `case.toml`.
    pub meta: CaseMeta,
    /// `request.json`, when present.
    pub request: Option<Vec<u8>>,
    /// `response.body`.
    pub body: Vec<u8>,
}

/// A corpus that could not be read.
#[derive(Debug)]
pub struct CorpusError {
    /// The file concerned.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for CorpusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for CorpusError {}

fn read(path: &Path) -> Result<Vec<u8>, CorpusError> {
    fs::read(path).map_err(|e| CorpusError {
        path: path.to_owned(),
        message: e.to_string(),
    })
}

/// The bundled corpus folder (`fixtures/` at the workspace root).
pub fn default_fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

/// Loads every case under `root/<wire>/`, sorted by wire then id.
///
/// # Errors
///
/// A [`CorpusError`] naming the file when a folder cannot be read, a case lacks a file or its
/// `case.toml` does not parse.
pub fn load(root: &Path) -> Result<Vec<Case>, CorpusError> {
    let mut cases = Vec::new();
    for wire in Wire::ALL {
        let dir = root.join(wire.as_str());
        if !dir.is_dir() {
            continue;
        }
        let entries = fs::read_dir(&dir).map_err(|e| CorpusError {
            path: dir.clone(),
            message: e.to_string(),
        })?;
        for entry in entries {
            let entry = entry.map_err(|e| CorpusError {
                path: dir.clone(),
                message: e.to_string(),
            })?;
            let case_dir = entry.path();
            if !case_dir.is_dir() {
                continue;
            }
            cases.push(load_case(wire, &case_dir)?);
        }
    }
    if cases.is_empty() {
        return Err(CorpusError {
            path: root.to_owned(),
            message: "no cases found (expected <wire>/<case-id>/case.toml)".to_owned(),
        });
    }
    cases.sort_by(|a, b| (a.wire, &a.id).cmp(&(b.wire, &b.id)));
    Ok(cases)
}

fn load_case(wire: Wire, dir: &Path) -> Result<Case, CorpusError> {
    let meta_path = dir.join("case.toml");
    let meta_text = String::from_utf8(read(&meta_path)?).map_err(|e| CorpusError {
        path: meta_path.clone(),
        message: e.to_string(),
    })?;
    let meta: CaseMeta = toml::from_str(&meta_text).map_err(|e| CorpusError {
        path: meta_path.clone(),
        message: e.to_string(),
    })?;
    let request_path = dir.join("request.json");
    let request = if request_path.exists() {
        Some(read(&request_path)?)
    } else {
        None
    };
    let body = read(&dir.join("response.body"))?;
    let id = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Case {
        id,
        wire,
        dir: dir.to_owned(),
        meta,
        request,
        body,
    })
}
