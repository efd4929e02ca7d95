//! The `ollama-relay` binary: `--listen 127.0.0.1:0` binds a free port and prints where it
//! listens (`listening on http://ADDR`) as the first line of stdout, so a script can start it
//! on a free port and find it (`.ci/clients` does).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

mod common;

use common::RelayProcess;

#[test]
fn an_ephemeral_listen_port_is_printed_first_on_stdout() {
    // `spawn` reads the first line and requires it to be `listening on http://ADDR`.
    let relay = RelayProcess::spawn(&["--upstream", "http://127.0.0.1:9"]);
    let addr = relay.addr;
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
