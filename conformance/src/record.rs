//! `conformance record`: saves a live exchange into the corpus as a `recorded` case.
//!
//! The request body is sent as given; the response body is saved exactly as received (after
//! HTTP de-chunking), with its status and content type. The `[expect]` block is counted with a
//! plain scan of the lines (`data: {` events and `data: [DONE]` for SSE, objects and a
//! `"done":true` line for NDJSON), independent of the decoders under test; review it before
//! committing the case.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde_json::Value;

/// What to record, and how to describe it.
#[derive(Debug, Clone)]
pub struct Recording {
    /// Server root, e.g. `http://127.0.0.1:8080`.
    pub base_url: String,
    /// Request path, e.g. `/v1/chat/completions`.
    pub endpoint: String,
    /// Request body (JSON).
    pub request: Vec<u8>,
    /// Case id (kebab-case folder name).
    pub id: String,
    /// One sentence: what the case shows.
    pub description: String,
    /// Server name and build, for the provenance.
    pub server: String,
    /// Server version.
    pub version: String,
    /// Corpus root (`fixtures/`).
    pub fixtures: PathBuf,
}

/// Sends the request and writes the case; returns its folder.
///
/// # Errors
///
/// A message when the request body is not JSON, the case folder exists already, the request
/// or the reading of its reply fails (with the cause), or a file cannot be written.
pub async fn record(client: &reqwest::Client, rec: &Recording) -> Result<PathBuf, String> {
    let request: Value = serde_json::from_slice(&rec.request)
        .map_err(|e| format!("the request body is not JSON: {e}"))?;
    let wire = if rec.endpoint.starts_with("/v1/") {
        "openai"
    } else {
        "ollama"
    };
    let dir = rec.fixtures.join(wire).join(&rec.id);
    if dir.exists() {
        return Err(format!("{} exists already; pick another id", dir.display()));
    }
    let url = format!("{}{}", rec.base_url.trim_end_matches('/'), rec.endpoint);
    let response = client
        .post(&url)
        .header("content-type", "application/json")
        .body(rec.request.clone())
        .send()
        .await
        .map_err(|e| format!("POST {url}: {}", crate::error_chain(&e)))?;
    let status = response.status().as_u16();
    let content_type = crate::content_type(&response);
    let body = response
        .bytes()
        .await
        .map_err(|e| format!("reading the body of POST {url}: {}", crate::error_chain(&e)))?;
    let (outcome, chunks) = count(status, content_type.as_deref(), &body);
    let model = request
        .get("model")
        .and_then(Value::as_str)
        .unwrap_or("none");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    write(&dir.join("request.json"), &rec.request)?;
    write(&dir.join("response.body"), &body)?;
    let meta = case_toml(
        rec,
        status,
        content_type.as_deref(),
        model,
        outcome,
        chunks,
        &today(),
    );
    write(&dir.join("case.toml"), meta.as_bytes())?;
    Ok(dir)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

fn case_toml(
    rec: &Recording,
    status: u16,
    content_type: Option<&str>,
    model: &str,
    outcome: &str,
    chunks: u64,
    date: &str,
) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "endpoint = {}", toml_string(&rec.endpoint));
    let _ = writeln!(t, "method = \"POST\"");
    let _ = writeln!(t, "status = {status}");
    if let Some(ct) = content_type {
        let _ = writeln!(t, "content_type = {}", toml_string(ct));
    }
    let _ = writeln!(t, "description = {}", toml_string(&rec.description));
    let _ = writeln!(t, "\n[provenance]\nkind = \"recorded\"");
    let source = format!(
        "recorded on loopback with `conformance record` from {}{}",
        rec.base_url.trim_end_matches('/'),
        rec.endpoint
    );
    let _ = writeln!(t, "source = {}", toml_string(&source));
    let _ = writeln!(t, "server = {}", toml_string(&rec.server));
    let _ = writeln!(t, "version = {}", toml_string(&rec.version));
    let _ = writeln!(t, "model = {}", toml_string(model));
    let _ = writeln!(t, "date = {}", toml_string(date));
    let _ = writeln!(t, "licence = \"project-recorded (MIT OR Apache-2.0)\"");
    let _ = writeln!(t, "request = \"recorded\"");
    let notes = "Response bytes as received (de-chunked). [expect] was counted by `conformance record` with a plain line scan, independent of the decoders; reviewed by hand before committing.";
    let _ = writeln!(t, "notes = {}", toml_string(notes));
    let _ = writeln!(t, "\n[expect]\noutcome = \"{outcome}\"\nchunks = {chunks}");
    t
}

/// Counts the outcome and chunks of a body with a plain line scan.
pub fn count(status: u16, content_type: Option<&str>, body: &[u8]) -> (&'static str, u64) {
    if !(200..300).contains(&status) {
        return ("upstream-error", 0);
    }
    let text = String::from_utf8_lossy(body);
    let lines = || text.lines().map(str::trim_end).filter(|l| !l.is_empty());
    let is_error = |json: &str| {
        serde_json::from_str::<Value>(json)
            .is_ok_and(|v| v.get("error").is_some_and(|e| !e.is_null()))
    };
    let ct = content_type.unwrap_or_default();
    if ct.starts_with("text/event-stream") {
        let events: Vec<&str> = lines()
            .filter_map(|l| l.strip_prefix("data:"))
            .map(str::trim)
            .collect();
        if events.iter().any(|d| is_error(d)) {
            let before = events
                .iter()
                .take_while(|d| !is_error(d))
                .filter(|d| d.starts_with('{'))
                .count();
            return ("upstream-error", before as u64);
        }
        let chunks = events.iter().filter(|d| d.starts_with('{')).count() as u64;
        let done = events.contains(&"[DONE]");
        return (if done { "done" } else { "truncated" }, chunks);
    }
    if ct.starts_with("application/x-ndjson") {
        let objects: Vec<&str> = lines().collect();
        if let Some(i) = objects.iter().position(|l| is_error(l)) {
            return ("upstream-error", i as u64);
        }
        let done = objects.last().is_some_and(|l| {
            serde_json::from_str::<Value>(l)
                .is_ok_and(|v| v.get("done") == Some(&Value::Bool(true)))
        });
        return (
            if done { "done" } else { "truncated" },
            objects.len() as u64,
        );
    }
    if is_error(&text) {
        return ("upstream-error", 0);
    }
    ("single", 1)
}

/// Today's date (UTC) as `YYYY-MM-DD`.
fn today() -> String {
    let mut date = humantime::format_rfc3339_seconds(SystemTime::now()).to_string();
    date.truncate("YYYY-MM-DD".len());
    date
}

#[cfg(test)]
mod tests {
    use super::{count, today};
    use std::time::{SystemTime, UNIX_EPOCH};

    #[test]
    fn today_is_the_utc_date_of_the_clock() {
        let date = today();
        let midnight = humantime::parse_rfc3339(&format!("{date}T00:00:00Z")).unwrap();
        let since = SystemTime::now()
            .duration_since(midnight)
            .unwrap()
            .as_secs();
        // Run just after midnight, the clock may have moved on a day since `today()`.
        assert!(since < 2 * 86_400, "{date} is not today");
        assert!(midnight > UNIX_EPOCH);
    }

    #[test]
    fn counting() {
        let sse = b"data: {\"a\":1}\n\ndata: {\"b\":2}\n\ndata: [DONE]\n\n";
        assert_eq!(count(200, Some("text/event-stream"), sse), ("done", 2));
        assert_eq!(
            count(200, Some("text/event-stream"), &sse[..30]),
            ("truncated", 2)
        );
        let err = b"data: {\"a\":1}\n\ndata: {\"error\":{\"message\":\"x\"}}\n\n";
        assert_eq!(
            count(200, Some("text/event-stream"), err),
            ("upstream-error", 1)
        );
        let nd = b"{\"done\":false}\n{\"done\":true}\n";
        assert_eq!(count(200, Some("application/x-ndjson"), nd), ("done", 2));
        assert_eq!(
            count(200, Some("application/json"), b"{\"x\":1}"),
            ("single", 1)
        );
        assert_eq!(
            count(404, Some("application/json"), b"{}"),
            ("upstream-error", 0)
        );
    }
}
