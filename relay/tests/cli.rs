//! The `ollama-relay` binary: `--listen 127.0.0.1:0` binds a free port and prints where it
//! listens (`listening on http://ADDR`) as the first line of stdout, so a script can start it
//! on a free port and find it (`.ci/clients` does).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Kills the relay when the test ends, passed or not.
struct Relay(Child);

impl Drop for Relay {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn an_ephemeral_listen_port_is_printed_first_on_stdout() {
    let mut relay = Relay(
        Command::new(env!("CARGO_BIN_EXE_ollama-relay"))
            .args([
                "--listen",
                "127.0.0.1:0",
                "--upstream",
                "http://127.0.0.1:9",
            ])
            .env_remove("OLLAMA_RELAY_API_KEY")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the relay starts"),
    );
    let stdout = relay.0.stdout.take().expect("stdout is piped");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("a first line");
    let addr = first
        .strip_suffix('\n')
        .and_then(|line| line.strip_prefix("listening on http://"))
        .unwrap_or_else(|| panic!("not a listening line: {first:?}"));
    let addr: std::net::SocketAddr = addr.parse().expect("an address");
    assert!(addr.ip().is_loopback());
    assert_ne!(addr.port(), 0, "the bound port, not the requested 0");

    // It is the relay's own port: /health answers there.
    let mut conn = TcpStream::connect(addr).expect("connects to the printed address");
    conn.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a read timeout");
    conn.write_all(b"GET /health HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n")
        .expect("writes the request");
    let mut reply = String::new();
    conn.read_to_string(&mut reply).expect("reads the reply");
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.ends_with(r#"{"status":"ok"}"#), "{reply}");
}
