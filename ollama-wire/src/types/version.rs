//! `GET /api/version`.

use serde::{Deserialize, Serialize};

/// The reply of `GET /api/version`: `{"version":"0.13.5"}` (dev builds report `"0.0.0"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VersionResponse {
    /// The server version.
    pub version: String,
}
