//! `/api/blobs/:digest`: the digest in the path, and what the status codes of `HEAD` (is the
//! blob there?) and `POST` (upload it) mean. Neither reply has a JSON body on success, so the
//! status code is the answer.
//!
//! The rules are those of Ollama's `server/routes.go` (`HeadBlobHandler`, `CreateBlobHandler`)
//! and `manifest/`: a digest is `sha256:` or `sha256-` and 64 hex digits; the server computes
//! the digest of an upload as `sha256:` and lowercase hex and answers `400 digest mismatch` when
//! the path's digest is spelled any other way, so only [canonical](BlobDigest::is_canonical)
//! digests can be uploaded.
//!
//! ```
//! use ollama_wire::blobs::{BlobDigest, CreateBlob, HeadBlob};
//!
//! let digest = BlobDigest::parse(
//!     "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
//! )?;
//! assert_eq!(digest.path(), format!("/api/blobs/{digest}"));
//! assert_eq!(HeadBlob::from_status(404), HeadBlob::Missing);
//!
//! // Ollama 0.33's answer to a body whose digest is not the one in the path.
//! let body = br#"{"error":"digest mismatch, expected \"sha256:1111111111111111111111111111111111111111111111111111111111111111\", got \"sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\""}"#;
//! let CreateBlob::DigestMismatch { actual, .. } = CreateBlob::from_response(400, body) else {
//!     panic!("a mismatch")
//! };
//! assert_eq!(actual.as_deref(), Some(digest.as_str()));
//! # Ok::<(), ollama_wire::blobs::InvalidDigest>(())
//! ```

use std::fmt;

use crate::response::decode_error_body;
use crate::types::ErrorBody;

/// The digest of a blob, as `/api/blobs/:digest` takes it: `sha256:` (or `sha256-`) and 64 hex
/// digits, kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BlobDigest(String);

/// A string that is not a blob digest (Ollama answers such a path with `400 invalid digest
/// format`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidDigest(pub String);

impl fmt::Display for InvalidDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid digest format: {:?} is not sha256: and 64 hex digits",
            self.0
        )
    }
}

impl std::error::Error for InvalidDigest {}

const PREFIX_LEN: usize = "sha256:".len();
const HEX_LEN: usize = 64;

impl BlobDigest {
    /// Checks `digest` against Ollama's format, `^sha256[:-][0-9a-fA-F]{64}$`.
    ///
    /// # Errors
    ///
    /// [`InvalidDigest`] when `digest` has another prefix, length or a non-hex digit.
    pub fn parse(digest: &str) -> Result<Self, InvalidDigest> {
        let valid = digest.len() == PREFIX_LEN + HEX_LEN
            && (digest.starts_with("sha256:") || digest.starts_with("sha256-"))
            && digest
                .get(PREFIX_LEN..)
                .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()));
        if valid {
            Ok(Self(digest.to_owned()))
        } else {
            Err(InvalidDigest(digest.to_owned()))
        }
    }

    /// The digest as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 64 hex digits.
    pub fn hex(&self) -> &str {
        self.0.get(PREFIX_LEN..).unwrap_or_default()
    }

    /// The digest the server computes for these bytes: `sha256:` and lowercase hex.
    pub fn canonical(&self) -> Self {
        Self(format!("sha256:{}", self.hex().to_ascii_lowercase()))
    }

    /// Whether the digest is spelled as the server computes it, so that an upload to it can
    /// succeed.
    pub fn is_canonical(&self) -> bool {
        *self == self.canonical()
    }

    /// The request path, `/api/blobs/<digest>`.
    pub fn path(&self) -> String {
        format!("/api/blobs/{}", self.0)
    }
}

impl fmt::Display for BlobDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for BlobDigest {
    type Err = InvalidDigest;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// What the status of `HEAD /api/blobs/:digest` says (the reply has no body).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeadBlob {
    /// `200`: the server has the blob.
    Present,
    /// `404`: it does not.
    Missing,
    /// `400`: the path's digest is not in the digest format.
    InvalidDigest,
    /// Any other status (a proxy's error, a server fault).
    Unexpected {
        /// The status.
        status: u16,
    },
}

impl HeadBlob {
    /// Reads the status of a `HEAD` reply.
    pub fn from_status(status: u16) -> Self {
        match status {
            200 => Self::Present,
            404 => Self::Missing,
            400 => Self::InvalidDigest,
            status => Self::Unexpected { status },
        }
    }
}

/// What the reply to `POST /api/blobs/:digest` says.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CreateBlob {
    /// `201`: the blob was stored.
    Created,
    /// `200`: the server already had it (it did not read the upload).
    AlreadyPresent,
    /// `400 digest mismatch`: the uploaded bytes hash to another digest (the server keeps them
    /// under `actual`), or the path's digest is not [canonical](BlobDigest::is_canonical).
    DigestMismatch {
        /// The digest of the path, as the message quotes it.
        expected: Option<String>,
        /// The digest of the bytes received, as the message quotes it.
        actual: Option<String>,
        /// The error body.
        error: ErrorBody,
    },
    /// `400 invalid digest format`: the path's digest is not a digest.
    InvalidDigest(ErrorBody),
    /// Any other status: the error body (a server fault, a proxy's error, a new rule).
    Failed {
        /// The status.
        status: u16,
        /// The error body, decoded as [`decode_error_body`] does.
        error: ErrorBody,
    },
}

impl CreateBlob {
    /// Reads the status and body of a `POST` reply.
    pub fn from_response(status: u16, body: &[u8]) -> Self {
        match status {
            201 => return Self::Created,
            200 => return Self::AlreadyPresent,
            _ => {}
        }
        let error = decode_error_body(body);
        if status == 400 && error.error.starts_with("digest mismatch") {
            let (expected, actual) = mismatch_digests(&error.error);
            return Self::DigestMismatch {
                expected,
                actual,
                error,
            };
        }
        if status == 400 && error.error == "invalid digest format" {
            return Self::InvalidDigest(error);
        }
        Self::Failed { status, error }
    }

    /// Whether the server has the blob afterwards under the requested digest.
    pub fn is_success(&self) -> bool {
        matches!(self, Self::Created | Self::AlreadyPresent)
    }
}

/// The two quoted digests of `digest mismatch, expected "…", got "…"` (Go's `%q` of strings
/// that are digests or path segments; the quotes are found, not unescaped).
fn mismatch_digests(message: &str) -> (Option<String>, Option<String>) {
    let quoted = |after: &str| -> Option<String> {
        let start = message.find(after)? + after.len();
        let rest = message.get(start..)?;
        let end = rest.find('"')?;
        rest.get(..end).map(str::to_owned)
    };
    (quoted("expected \""), quoted("got \""))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    #[test]
    fn digests_follow_ollamas_format() {
        let colon = BlobDigest::parse(&format!("sha256:{HEX}")).unwrap();
        assert_eq!(colon.hex(), HEX);
        assert!(colon.is_canonical());
        assert_eq!(colon.to_string(), format!("sha256:{HEX}"));
        assert_eq!(colon.path(), format!("/api/blobs/sha256:{HEX}"));

        let dash: BlobDigest = format!("sha256-{}", HEX.to_ascii_uppercase())
            .parse()
            .unwrap();
        assert_eq!(
            dash.as_str(),
            format!("sha256-{}", HEX.to_ascii_uppercase())
        );
        assert!(!dash.is_canonical());
        assert_eq!(dash.canonical(), colon);

        let upper = BlobDigest::parse(&format!("sha256:{}", HEX.to_ascii_uppercase())).unwrap();
        assert!(!upper.is_canonical());

        for bad in [
            String::new(),
            HEX.to_owned(),
            format!("sha256:{}", &HEX[1..]),
            format!("sha256:{HEX}0"),
            format!("sha512:{HEX}"),
            format!("sha256_{HEX}"),
            format!("sha256:{}g", &HEX[1..]),
            format!("sha256:{}é", &HEX[2..]),
        ] {
            assert_eq!(
                BlobDigest::parse(&bad),
                Err(InvalidDigest(bad.clone())),
                "{bad}"
            );
        }
        assert_eq!(
            InvalidDigest("x".into()).to_string(),
            "invalid digest format: \"x\" is not sha256: and 64 hex digits"
        );
    }

    #[test]
    fn head_statuses() {
        assert_eq!(HeadBlob::from_status(200), HeadBlob::Present);
        assert_eq!(HeadBlob::from_status(404), HeadBlob::Missing);
        assert_eq!(HeadBlob::from_status(400), HeadBlob::InvalidDigest);
        assert_eq!(
            HeadBlob::from_status(502),
            HeadBlob::Unexpected { status: 502 }
        );
    }

    #[test]
    fn create_statuses_and_bodies() {
        assert_eq!(CreateBlob::from_response(201, b""), CreateBlob::Created);
        assert_eq!(
            CreateBlob::from_response(200, b""),
            CreateBlob::AlreadyPresent
        );
        assert!(CreateBlob::Created.is_success() && CreateBlob::AlreadyPresent.is_success());

        let invalid = CreateBlob::from_response(400, br#"{"error":"invalid digest format"}"#);
        assert_eq!(
            invalid,
            CreateBlob::InvalidDigest(ErrorBody::new("invalid digest format"))
        );
        assert!(!invalid.is_success());

        let failed = CreateBlob::from_response(500, b"{\"error\":\"disk full\"}");
        assert_eq!(
            failed,
            CreateBlob::Failed {
                status: 500,
                error: ErrorBody::new("disk full")
            }
        );
        // A 400 with another message is not taken for one of the two known ones.
        assert!(matches!(
            CreateBlob::from_response(400, b"{\"error\":\"digest mismatch?\"}"),
            CreateBlob::DigestMismatch {
                expected: None,
                actual: None,
                ..
            }
        ));
        assert!(matches!(
            CreateBlob::from_response(400, b"bad request"),
            CreateBlob::Failed { status: 400, .. }
        ));
        assert!(matches!(
            CreateBlob::from_response(404, b"{\"error\":\"invalid digest format\"}"),
            CreateBlob::Failed { status: 404, .. }
        ));
    }

    #[test]
    fn a_mismatch_names_both_digests() {
        let body = format!(
            r#"{{"error":"digest mismatch, expected \"sha256:{zero}\", got \"sha256:{HEX}\""}}"#,
            zero = "0".repeat(64)
        );
        let CreateBlob::DigestMismatch {
            expected,
            actual,
            error,
        } = CreateBlob::from_response(400, body.as_bytes())
        else {
            panic!("not a mismatch");
        };
        assert_eq!(expected, Some(format!("sha256:{}", "0".repeat(64))));
        assert_eq!(actual, Some(format!("sha256:{HEX}")));
        assert!(
            error
                .error
                .starts_with("digest mismatch, expected \"sha256:000")
        );
    }
}
