//! Peak memory of a test body, measured alone in a child process.

use std::process::Command;

/// Peak resident set size of this process (`VmHWM` in `/proc/self/status`; Linux only).
pub fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Runs `body` and returns its peak RSS, measured in a process running nothing else.
///
/// Peak memory is only meaningful for a process running nothing else, so the calling test
/// (named `test_name`, in a test binary run by the default harness) re-runs itself alone in a
/// child process with the environment variable `child_var` set; the child runs `body` and
/// prints its peak RSS, the parent reads it. Returns `None` where `/proc` is not available (the
/// body then runs in this process, unmeasured), and inside the child.
///
/// # Panics
///
/// When the child fails (its output is in the message) or prints no measurement.
pub fn peak_rss_in_child(test_name: &str, child_var: &str, body: impl FnOnce()) -> Option<u64> {
    if std::env::var_os(child_var).is_some() || peak_rss().is_none() {
        body();
        println!("peak_rss={}", peak_rss().unwrap_or(0));
        return None;
    }
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("no test executable: {e}"));
    let out = Command::new(exe)
        .args(["--exact", test_name, "--nocapture", "--test-threads=1"])
        .env(child_var, "1")
        .output()
        .unwrap_or_else(|e| panic!("cannot run the child test: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the child test failed:\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let peak = stdout
        .split("peak_rss=")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no peak_rss in the child's output: {stdout}"));
    Some(peak)
}

/// Runs `body` alone in a child process (see [`peak_rss_in_child`]) and asserts that its peak
/// RSS stays below `limit` bytes; prints the time and the peak.
///
/// # Panics
///
/// When the peak is `limit` or more, or the child fails.
pub fn assert_peak_rss_below(limit: u64, test_name: &str, child_var: &str, body: impl FnOnce()) {
    let peak = peak_rss_in_child(test_name, child_var, || {
        let start = std::time::Instant::now();
        body();
        println!("{test_name}: {} ms", start.elapsed().as_millis());
    });
    if let Some(peak) = peak {
        assert!(
            peak < limit,
            "{test_name}: peak RSS {peak} bytes, limit {limit}"
        );
        println!("{test_name}: peak RSS {peak} bytes");
    }
}
