//! The progress streams of `/api/create`, `/api/pull` and `/api/push`.

use serde::{Deserialize, Serialize};

/// One line of a progress stream, or the whole reply with `"stream": false`
/// (Go's `api.ProgressResponse`):
/// `{"status":"pulling 2bada8a74506","digest":"sha256:…","total":4683073184,"completed":2097152}`.
///
/// The stream ends with `{"status":"success"}`; a failure after the stream started is an
/// `{"error":"…"}` line inside the HTTP 200 body, which
/// [`StreamDecoder`](crate::StreamDecoder) reports as [`DecodeError::Upstream`](crate::DecodeError::Upstream).
///
/// ```
/// use ollama_wire::{ProgressResponse, StreamDecoder};
///
/// let body = b"{\"status\":\"parsing GGUF\"}\n{\"status\":\"success\"}\n";
/// let mut decoder = StreamDecoder::<ProgressResponse>::new();
/// decoder.push(body);
/// let lines: Vec<_> = decoder.by_ref().collect::<Result<_, _>>()?;
/// assert_eq!(lines[0].status, "parsing GGUF");
/// assert!(lines[1].is_success());
/// decoder.finish()?;
/// # Ok::<(), ollama_wire::DecodeError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ProgressResponse {
    /// What the server is doing: `parsing GGUF`, `pulling <digest prefix>`, `writing manifest`,
    /// `success`, …
    pub status: String,
    /// The layer this line reports on (omitted when empty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub digest: String,
    /// The layer's size in bytes (omitted when zero).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub total: i64,
    /// Bytes of the layer done so far (omitted when zero).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub completed: i64,
}

impl ProgressResponse {
    /// Whether this is the last line of a successful stream (`"status":"success"`).
    pub fn is_success(&self) -> bool {
        self.status == "success"
    }
}

// serde's `skip_serializing_if` hands the field by reference.
#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_zero(n: &i64) -> bool {
    *n == 0
}

#[cfg(test)]
mod tests {
    use super::ProgressResponse;
    use crate::Encoder;

    /// Go's `omitempty`: a pull line with sizes writes them, a phase line has only `status`
    /// (docs/api.md's pull example; Ollama 0.33's create stream).
    #[test]
    fn zero_fields_are_omitted_and_others_written() {
        let line = br#"{"status":"pulling 2bada8a7","digest":"sha256:2bada8a7","total":2019393189,"completed":241970}"#;
        let pulled: ProgressResponse = serde_json::from_slice(line).unwrap();
        assert_eq!(Encoder::new().to_vec(&pulled).unwrap(), line);
        let phase = ProgressResponse {
            status: "writing manifest".into(),
            ..ProgressResponse::default()
        };
        assert_eq!(
            Encoder::new().to_vec(&phase).unwrap(),
            br#"{"status":"writing manifest"}"#
        );
    }
}
