//! `GET /api/status`: whether the server may use Ollama's cloud. The route is in
//! `server/routes.go` at the commit named below; which release first shipped it is not verified.
//!
//! Typed from Ollama's source, not from a recording: `StatusHandler` in `server/routes.go`
//! (github.com/ollama/ollama, commit 00188139f12f1dff0920b6be98a4e7097232cf9f) answers
//! `api.StatusResponse{Cloud: api.CloudStatus{Disabled, Source}}` from
//! `internal/cloud/policy.go`'s `Status()`. The member names are the lowercase JSON names Ollama
//! uses for its other fields; no 0.33 recording shows this route, so unknown members are kept.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The reply of `GET /api/status`: `{"cloud":{"disabled":false,"source":"none"}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StatusResponse {
    /// Whether cloud models and cloud features are available.
    pub cloud: CloudStatus,
    /// Members this version does not know, kept as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Whether the server may reach Ollama's cloud, and what decided it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CloudStatus {
    /// Cloud use is turned off (`OLLAMA_NO_CLOUD`, or `disable_ollama_cloud` in the server's
    /// `server.json`).
    pub disabled: bool,
    /// What turned it off: `"none"`, `"env"`, `"config"` or `"both"`.
    pub source: String,
    /// Members this version does not know, kept as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CloudStatus {
    /// Whether the environment (`OLLAMA_NO_CLOUD`) turned cloud use off.
    pub fn disabled_by_env(&self) -> bool {
        matches!(self.source.as_str(), "env" | "both")
    }

    /// Whether the server's configuration file turned cloud use off.
    pub fn disabled_by_config(&self) -> bool {
        matches!(self.source.as_str(), "config" | "both")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_re_encodes_the_handlers_shape() {
        let body = br#"{"cloud":{"disabled":true,"source":"both"}}"#;
        let status: StatusResponse = serde_json::from_slice(body).unwrap();
        assert!(status.cloud.disabled);
        assert!(status.cloud.disabled_by_env() && status.cloud.disabled_by_config());
        assert_eq!(crate::Encoder::new().to_vec(&status).unwrap(), body);

        let env: CloudStatus =
            serde_json::from_str(r#"{"disabled":true,"source":"env","since":"0.34"}"#).unwrap();
        assert!(env.disabled_by_env() && !env.disabled_by_config());
        assert_eq!(env.extra["since"], "0.34");

        let config: CloudStatus =
            serde_json::from_str(r#"{"disabled":true,"source":"config"}"#).unwrap();
        assert!(!config.disabled_by_env() && config.disabled_by_config());

        let none: CloudStatus =
            serde_json::from_str(r#"{"disabled":false,"source":"none"}"#).unwrap();
        assert!(!none.disabled && !none.disabled_by_env() && !none.disabled_by_config());
    }
}
