//! The processes measured: `ollama-relay` and LiteLLM's proxy as children, their CPU time and
//! RSS read from /proc (the whole process tree: LiteLLM may fork).

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A child process, killed (with its descendants) when dropped.
pub(crate) struct Proc {
    child: Child,
    /// Where its output goes.
    pub(crate) log: PathBuf,
}

impl Proc {
    pub(crate) fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The last lines of its log.
    pub(crate) fn log_tail(&self, lines: usize) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        // Descendants first (LiteLLM's workers, if any): only processes this one started.
        for pid in tree(self.child.id()).into_iter().skip(1) {
            let _ = Command::new("kill")
                .arg(pid.to_string())
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A scratch folder for this run's logs and config.
pub(crate) fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wire-bench-relay-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// The `ollama-relay` binary: `--relay PATH` / `OLLAMA_RELAY_BIN`, else the one next to this
/// executable, built first (same profile) when this runs under `cargo run`.
pub(crate) fn relay_binary(explicit: Option<PathBuf>) -> Result<PathBuf, String> {
    if let Some(path) = explicit.or_else(|| std::env::var_os("OLLAMA_RELAY_BIN").map(Into::into)) {
        return Ok(path);
    }
    let exe = std::env::current_exe().map_err(|e| format!("current_exe: {e}"))?;
    let dir = exe.parent().ok_or("no folder for the executable")?;
    let sibling = dir.join("ollama-relay");
    if let Some(cargo) = std::env::var_os("CARGO") {
        // Under `cargo run`: build the relay with the same profile so it is current.
        let release = dir.file_name().is_some_and(|n| n == "release");
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.toml");
        let mut build = Command::new(cargo);
        build
            .args(["build", "--quiet", "-p", "ollama-relay", "--manifest-path"])
            .arg(&manifest);
        if release {
            build.arg("--release");
        }
        // Into the folder this binary is in (its target dir), whatever CARGO_TARGET_DIR says.
        if let Some(target) = dir.parent() {
            build.env("CARGO_TARGET_DIR", target);
        }
        let status = build
            .status()
            .map_err(|e| format!("cargo build -p ollama-relay: {e}"))?;
        if !status.success() {
            return Err(format!("cargo build -p ollama-relay: {status}"));
        }
    }
    if sibling.is_file() {
        Ok(sibling)
    } else {
        Err(format!(
            "no {}: build it (cargo build --release -p ollama-relay) or pass --relay PATH",
            sibling.display()
        ))
    }
}

/// Starts `ollama-relay` in front of the stub; returns it and its address.
pub(crate) fn start_relay(binary: &Path, stub_port: u16) -> Result<(Proc, String), String> {
    let log = scratch().join("relay.log");
    let stderr = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    let mut child = Command::new(binary)
        .args([
            "--upstream",
            &format!("http://127.0.0.1:{stub_port}"),
            "--listen",
            "127.0.0.1:0",
            "--max-streams",
            "100000",
        ])
        .env_remove("OLLAMA_RELAY_API_KEY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .map_err(|e| format!("{}: {e}", binary.display()))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let proc = Proc { child, log };
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    // Keep reading (nothing more is expected) so the pipe never fills.
    std::thread::spawn(move || for _ in lines {});
    match first.strip_prefix("listening on ") {
        Some(base) => Ok((proc, base.trim().to_owned())),
        None => Err(format!(
            "ollama-relay printed {first:?} first; its log:\n{}",
            proc.log_tail(20)
        )),
    }
}

/// LiteLLM's settings for the benchmark: one `openai/` model in front of the stub, no
/// database, no master key, callbacks and telemetry off.
fn litellm_config(stub_port: u16) -> String {
    format!(
        "model_list:
  - model_name: stub
    litellm_params:
      model: openai/stub
      api_base: http://127.0.0.1:{stub_port}/v1
      api_key: sk-stub
litellm_settings:
  telemetry: false
  drop_params: true
  turn_off_message_logging: true
  request_timeout: 600
general_settings:
  disable_spend_logs: true
  disable_error_logs: true
"
    )
}

/// The environment that keeps LiteLLM offline.
pub(crate) const LITELLM_ENV: [(&str, &str); 6] = [
    // The model cost map is read from the installed package, not fetched.
    ("LITELLM_LOCAL_MODEL_COST_MAP", "True"),
    ("LITELLM_TELEMETRY", "False"),
    ("NO_DOCS", "True"),
    ("NO_REDOC", "True"),
    ("DISABLE_ADMIN_UI", "True"),
    ("LITELLM_LOG", "ERROR"),
];

/// Where `.ci/litellm` installs LiteLLM by default.
pub(crate) fn litellm_default() -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    let path = cache.join("ollama-protocol/litellm/venv-1.79.3/bin/litellm");
    path.is_file().then_some(path)
}

/// Starts LiteLLM's proxy in front of the stub and waits until it answers its liveness route.
pub(crate) async fn start_litellm(binary: &Path, stub_port: u16) -> Result<(Proc, String), String> {
    let dir = scratch();
    let config = dir.join("litellm.yaml");
    std::fs::write(&config, litellm_config(stub_port))
        .map_err(|e| format!("{}: {e}", config.display()))?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("a free port: {e}"))?
        .port();
    let log = dir.join("litellm.log");
    let out = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    let err = out.try_clone().map_err(|e| e.to_string())?;
    let mut command = Command::new(binary);
    command
        .arg("--config")
        .arg(&config)
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--num_workers",
            "1",
        ])
        .envs(LITELLM_ENV)
        .env_remove("DATABASE_URL")
        .env_remove("LITELLM_MASTER_KEY")
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err);
    let child = command
        .spawn()
        .map_err(|e| format!("{}: {e}", binary.display()))?;
    let mut proc = Proc { child, log };
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(120) {
        if let Ok(Some(status)) = proc.child.try_wait() {
            return Err(format!(
                "litellm exited ({status}) before answering; its log:\n{}",
                proc.log_tail(30)
            ));
        }
        let live = client
            .get(format!("{base}/health/liveliness"))
            .timeout(Duration::from_secs(1))
            .send()
            .await;
        if live.is_ok_and(|r| r.status().is_success()) {
            return Ok((proc, base));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Err(format!(
        "litellm did not answer /health/liveliness within 120 s; its log:\n{}",
        proc.log_tail(30)
    ))
}

/// `pid` and its descendants (from /proc/*/stat).
pub(crate) fn tree(pid: u32) -> Vec<u32> {
    let mut parent: HashMap<u32, u32> = HashMap::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(p) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            if let Some(fields) = stat_fields(p) {
                if let Some(pp) = fields.get(1).and_then(|f| f.parse().ok()) {
                    parent.insert(p, pp);
                }
            }
        }
    }
    let mut out = vec![pid];
    let mut i = 0;
    while let Some(&p) = out.get(i) {
        for (&child, &pp) in &parent {
            if pp == p && !out.contains(&child) {
                out.push(child);
            }
        }
        i += 1;
    }
    out
}

/// The fields of /proc/PID/stat after the command name (field 3, `state`, first).
fn stat_fields(pid: u32) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &text[text.rfind(')')? + 1..];
    Some(rest.split_whitespace().map(str::to_owned).collect())
}

/// Clock ticks per second of /proc's times.
pub(crate) fn clock_ticks() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// CPU seconds (user + system) used so far by `pid`'s tree.
pub(crate) fn cpu_seconds(pid: u32, ticks: f64) -> f64 {
    tree(pid)
        .into_iter()
        .filter_map(stat_fields)
        // utime and stime are fields 14 and 15: 11 and 12 after `state`.
        .map(|f| {
            let t = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
            t(11) + t(12)
        })
        .sum::<f64>()
        / ticks
}

/// VmRSS of `pid`'s tree, KiB.
pub(crate) fn rss_kib(pid: u32) -> u64 {
    tree(pid)
        .into_iter()
        .filter_map(|p| std::fs::read_to_string(format!("/proc/{p}/status")).ok())
        .filter_map(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .sum()
}
