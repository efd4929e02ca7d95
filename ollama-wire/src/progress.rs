//! Folding a progress stream (`/api/pull`, `/api/push`, `/api/create`) into what a progress bar
//! shows.

use crate::error::DecodeError;
use crate::types::ProgressResponse;

/// What the server is doing, read from a progress line's `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Phase {
    /// `pulling manifest` / `retrieving manifest`: before any layer moves.
    Manifest,
    /// Moving a layer's bytes: a line with a `digest` (`pulling 2bada8a74506`,
    /// `pushing 2bada8a74506`, `uploading sha256:…`).
    Transfer,
    /// `verifying sha256 digest`.
    Verifying,
    /// `writing manifest`.
    WritingManifest,
    /// `success`: the stream's last line.
    Success,
    /// Any other status (`parsing GGUF`, `creating new layer sha256:…`,
    /// `using existing layer sha256:…`, `removing any unused layers`, …).
    Other,
}

impl Phase {
    /// The phase of one progress line.
    pub fn of(line: &ProgressResponse) -> Self {
        let status = line.status.as_str();
        if status == "success" {
            Self::Success
        } else if !line.digest.is_empty() {
            Self::Transfer
        } else if status.ends_with("manifest") && !status.starts_with("writing") {
            Self::Manifest
        } else if status.starts_with("verifying") {
            Self::Verifying
        } else if status.starts_with("writing manifest") {
            Self::WritingManifest
        } else {
            Self::Other
        }
    }
}

/// One layer's transfer, as the last line about its digest reported it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LayerProgress {
    /// The layer digest (`sha256:…`).
    pub digest: String,
    /// Its size in bytes (`0` until a line reports it).
    pub total: i64,
    /// Bytes done so far.
    pub completed: i64,
}

/// How a progress stream ended.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProgressOutcome {
    /// The last line said `"status":"success"`.
    Success,
    /// The server reported an error: an `{"error":…}` line inside the 200 body (as a
    /// [`DecodeError::Upstream`]), or any other decode error or the end of input before
    /// `success`.
    Failed(String),
}

/// Folds the lines of a progress stream into per-layer and overall bytes, the current phase and
/// the final outcome: the state a progress bar reads.
///
/// Feed it every item of a [`ProgressStreamDecoder`](crate::ProgressStreamDecoder) with
/// [`push_item`](Self::push_item), and its `finish()` verdict with
/// [`push_verdict`](Self::push_verdict).
///
/// ```
/// use ollama_wire::{Phase, ProgressAccumulator, ProgressOutcome, ProgressStreamDecoder};
///
/// let body = concat!(
///     "{\"status\":\"pulling manifest\"}\n",
///     "{\"status\":\"pulling 2bada8a7\",\"digest\":\"sha256:2bada8a7\",\"total\":100}\n",
///     "{\"status\":\"pulling 2bada8a7\",\"digest\":\"sha256:2bada8a7\",\"total\":100,\"completed\":40}\n",
///     "{\"status\":\"pulling 5c0d1b2e\",\"digest\":\"sha256:5c0d1b2e\",\"total\":300,\"completed\":300}\n",
/// );
/// let mut decoder = ProgressStreamDecoder::new();
/// let mut progress = ProgressAccumulator::new();
/// decoder.push(body.as_bytes());
/// for item in decoder.by_ref() {
///     progress.push_item(item);
/// }
/// assert_eq!(progress.phase(), Some(Phase::Transfer));
/// assert_eq!((progress.completed(), progress.total()), (340, 400));
/// assert_eq!(progress.fraction(), Some(0.85));
/// assert_eq!(progress.outcome(), None); // still going
///
/// decoder.push(b"{\"status\":\"success\"}\n");
/// for item in decoder.by_ref() {
///     progress.push_item(item);
/// }
/// progress.push_verdict(decoder.finish());
/// assert_eq!(progress.outcome(), Some(&ProgressOutcome::Success));
/// ```
#[derive(Debug, Clone, Default)]
pub struct ProgressAccumulator {
    status: String,
    phase: Option<Phase>,
    layers: Vec<LayerProgress>,
    outcome: Option<ProgressOutcome>,
    lines: u64,
}

impl ProgressAccumulator {
    /// An empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one progress line.
    pub fn push(&mut self, line: &ProgressResponse) {
        self.lines += 1;
        self.status.clone_from(&line.status);
        let phase = Phase::of(line);
        self.phase = Some(phase);
        if !line.digest.is_empty() {
            if !self.layers.iter().any(|l| l.digest == line.digest) {
                self.layers.push(LayerProgress {
                    digest: line.digest.clone(),
                    ..LayerProgress::default()
                });
            }
            let Some(layer) = self.layers.iter_mut().find(|l| l.digest == line.digest) else {
                return;
            };
            // Go omits zero fields: a line without `total` keeps the size already known.
            if line.total != 0 {
                layer.total = line.total;
            }
            layer.completed = line.completed.max(layer.completed);
        }
        if phase == Phase::Success && self.outcome.is_none() {
            self.outcome = Some(ProgressOutcome::Success);
        }
    }

    /// Adds one decoder item: a line, or the error that ends the stream.
    pub fn push_item(&mut self, item: Result<ProgressResponse, DecodeError>) {
        match item {
            Ok(line) => self.push(&line),
            Err(e) => self.fail(&e),
        }
    }

    /// Adds the decoder's end-of-input verdict: a stream cut before `success` fails.
    pub fn push_verdict(&mut self, verdict: Result<(), DecodeError>) {
        if let Err(e) = verdict {
            self.fail(&e);
        }
    }

    fn fail(&mut self, error: &DecodeError) {
        if !matches!(self.outcome, Some(ProgressOutcome::Failed(_))) {
            let message = match error {
                DecodeError::Upstream { error, .. } => error.error.clone(),
                DecodeError::Truncated { offset, .. } => {
                    format!("stream ended at byte {offset} before \"status\":\"success\"")
                }
                other => other.to_string(),
            };
            self.outcome = Some(ProgressOutcome::Failed(message));
        }
    }

    /// The last `status` text (empty before the first line).
    pub fn status(&self) -> &str {
        &self.status
    }

    /// The phase of the last line, `None` before the first.
    pub fn phase(&self) -> Option<Phase> {
        self.phase
    }

    /// Every layer seen, in the order the stream first named them.
    pub fn layers(&self) -> &[LayerProgress] {
        &self.layers
    }

    /// Bytes done over all layers.
    pub fn completed(&self) -> i64 {
        self.layers.iter().map(|l| l.completed).sum()
    }

    /// Bytes to move over all layers known so far.
    pub fn total(&self) -> i64 {
        self.layers.iter().map(|l| l.total).sum()
    }

    /// `completed / total`, `None` while no layer size is known.
    #[allow(clippy::cast_precision_loss)] // a progress fraction, not an exact count
    pub fn fraction(&self) -> Option<f64> {
        let total = self.total();
        (total > 0).then(|| self.completed() as f64 / total as f64)
    }

    /// How the stream ended, `None` while it goes on.
    pub fn outcome(&self) -> Option<&ProgressOutcome> {
        self.outcome.as_ref()
    }

    /// Lines pushed so far.
    pub fn lines(&self) -> u64 {
        self.lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ProgressStreamDecoder;

    fn fold(body: &[u8]) -> ProgressAccumulator {
        let mut decoder = ProgressStreamDecoder::new();
        let mut progress = ProgressAccumulator::new();
        decoder.push(body);
        for item in decoder.by_ref() {
            progress.push_item(item);
        }
        progress.push_verdict(decoder.finish());
        progress
    }

    /// Ollama 0.33's `/api/create` stream for a GGUF already uploaded as a blob
    /// (fixtures/ollama/ollama033-create-plain-stream): no byte counts, phases only.
    #[test]
    fn a_create_stream_ends_in_success_without_layers() {
        let body = b"{\"status\":\"parsing GGUF\"}\n{\"status\":\"verifying conversion\"}\n{\"status\":\"using existing layer sha256:a5fd\"}\n{\"status\":\"writing manifest\"}\n{\"status\":\"success\"}\n";
        let progress = fold(body);
        assert_eq!(progress.outcome(), Some(&ProgressOutcome::Success));
        assert_eq!(progress.phase(), Some(Phase::Success));
        assert_eq!(progress.lines(), 5);
        assert!(progress.layers().is_empty());
        assert_eq!(progress.fraction(), None);
    }

    /// The `{"error":…}` line Ollama 0.33 wrote mid-stream when llama-quantize was missing
    /// (fixtures/ollama/ollama033-err-create-plain-stream-no-quantize-binary), shortened.
    #[test]
    fn an_error_line_fails_the_stream_with_its_message() {
        let progress =
            fold(b"{\"status\":\"parsing GGUF\"}\n{\"error\":\"llama-quantize unavailable\"}\n");
        assert_eq!(
            progress.outcome(),
            Some(&ProgressOutcome::Failed(
                "llama-quantize unavailable".into()
            ))
        );
        assert_eq!(progress.status(), "parsing GGUF");
    }

    #[test]
    fn a_cut_stream_fails() {
        let progress = fold(b"{\"status\":\"pulling manifest\"}\n");
        assert_eq!(progress.phase(), Some(Phase::Manifest));
        assert!(
            matches!(progress.outcome(), Some(ProgressOutcome::Failed(m)) if m.contains("stream ended"))
        );
    }

    /// docs/api.md's pull example: `total` first, then `completed` growing; a later line that
    /// omits `total` (Go's omitempty) keeps the size, and completed never goes back.
    #[test]
    fn layers_keep_their_size_and_their_furthest_count() {
        let body = concat!(
            "{\"status\":\"pulling manifest\"}\n",
            "{\"status\":\"pulling aa\",\"digest\":\"sha256:aa\",\"total\":2000}\n",
            "{\"status\":\"pulling aa\",\"digest\":\"sha256:aa\",\"total\":2000,\"completed\":500}\n",
            "{\"status\":\"pulling bb\",\"digest\":\"sha256:bb\",\"total\":1000,\"completed\":1000}\n",
            "{\"status\":\"pulling aa\",\"digest\":\"sha256:aa\",\"completed\":2000}\n",
            "{\"status\":\"pulling aa\",\"digest\":\"sha256:aa\",\"total\":2000,\"completed\":1500}\n",
            "{\"status\":\"verifying sha256 digest\"}\n",
            "{\"status\":\"writing manifest\"}\n",
            "{\"status\":\"success\"}\n",
        );
        let mut decoder = ProgressStreamDecoder::new();
        let mut progress = ProgressAccumulator::new();
        decoder.push(body.as_bytes());
        let mut phases = Vec::new();
        for item in decoder.by_ref() {
            progress.push_item(item);
            phases.push(progress.phase().unwrap());
            // Only the `success` line ends the stream.
            assert_eq!(
                progress.outcome().is_some(),
                progress.phase() == Some(Phase::Success)
            );
        }
        assert_eq!(
            phases,
            [
                Phase::Manifest,
                Phase::Transfer,
                Phase::Transfer,
                Phase::Transfer,
                Phase::Transfer,
                Phase::Transfer,
                Phase::Verifying,
                Phase::WritingManifest,
                Phase::Success,
            ]
        );
        assert_eq!(
            progress.layers(),
            [
                LayerProgress {
                    digest: "sha256:aa".into(),
                    total: 2000,
                    completed: 2000
                },
                LayerProgress {
                    digest: "sha256:bb".into(),
                    total: 1000,
                    completed: 1000
                },
            ]
        );
        assert_eq!(progress.fraction(), Some(1.0));
        progress.push_verdict(decoder.finish());
        assert_eq!(progress.outcome(), Some(&ProgressOutcome::Success));
    }
}
