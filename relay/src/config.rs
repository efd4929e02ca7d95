//! The command line (every flag has an environment variable) and the relay's settings.

use std::fmt;
use std::net::SocketAddr;
use std::str::FromStr;
use std::time::Duration;

use crate::translate::UpstreamWire;

/// `ollama-relay`: a relay in front of Ollama that gives every client a well-formed stream.
#[derive(Debug, Clone, clap::Parser)]
#[command(name = "ollama-relay", version, about, long_about = None)]
pub struct Cli {
    /// Address to listen on (loopback by default: put it on a wider interface only with
    /// --api-key).
    #[arg(long, env = "OLLAMA_RELAY_LISTEN", default_value = "127.0.0.1:11435")]
    pub listen: SocketAddr,

    /// The Ollama server to relay to, as OLLAMA_HOST spells it: `host`, `host:port` or
    /// `http://host:port`. The only upstream: requests never choose one.
    #[arg(long, env = "OLLAMA_HOST", default_value = "http://127.0.0.1:11434")]
    pub upstream: Upstream,

    /// When set, clients must send `Authorization: Bearer <key>` or `x-api-key: <key>`
    /// (answered 401 otherwise). Never forwarded upstream.
    #[arg(long, env = "OLLAMA_RELAY_API_KEY", hide_env_values = true)]
    pub api_key: Option<String>,

    /// Seconds to wait for the TCP connection to the upstream.
    #[arg(long, env = "OLLAMA_RELAY_CONNECT_TIMEOUT", default_value = "10", value_parser = seconds)]
    pub connect_timeout: Duration,

    /// Seconds to wait for the upstream's response headers on model routes (model loading and
    /// prompt processing come first); 0 waits forever.
    #[arg(long, env = "OLLAMA_RELAY_FIRST_BYTE_TIMEOUT", default_value = "600", value_parser = seconds)]
    pub first_byte_timeout: Duration,

    /// Seconds a model route's response body may stay silent before the stream is ended with
    /// an error; 0 waits forever.
    #[arg(long, env = "OLLAMA_RELAY_IDLE_TIMEOUT", default_value = "300", value_parser = seconds)]
    pub idle_timeout: Duration,

    /// Largest request body accepted, in bytes (413 beyond; blob uploads are exempt).
    #[arg(long, env = "OLLAMA_RELAY_MAX_BODY_BYTES", default_value_t = 64 * 1024 * 1024)]
    pub max_body_bytes: u64,

    /// Concurrent upstream requests on model routes (503 beyond).
    #[arg(long, env = "OLLAMA_RELAY_MAX_STREAMS", default_value_t = 64)]
    pub max_streams: usize,

    /// Translate mode: serve every client route (`/api/chat`, `/api/generate`,
    /// `/v1/chat/completions`, `/v1/completions`, `/v1/responses`, `/v1/messages`) from the
    /// upstream's chat route of this wire (`/api/chat` for ollama, `/v1/chat/completions` for
    /// openai, e.g. llama.cpp's llama-server): requests translated, replies merged and
    /// re-encoded. Absent: repair mode (each route forwarded to the same route).
    #[arg(long, env = "OLLAMA_RELAY_UPSTREAM_WIRE", value_enum)]
    pub upstream_wire: Option<UpstreamWire>,

    /// Seconds in-flight streams may run on after SIGTERM or Ctrl-C.
    #[arg(long, env = "OLLAMA_RELAY_SHUTDOWN_GRACE", default_value = "10", value_parser = seconds)]
    pub shutdown_grace: Duration,
}

impl Cli {
    /// The relay settings these flags ask for.
    pub fn config(&self) -> Config {
        let nonzero = |d: Duration| (!d.is_zero()).then_some(d);
        Config {
            upstream: self.upstream.clone(),
            upstream_wire: self.upstream_wire,
            api_key: self.api_key.clone().filter(|k| !k.is_empty()),
            connect_timeout: self.connect_timeout,
            first_byte_timeout: nonzero(self.first_byte_timeout),
            idle_timeout: nonzero(self.idle_timeout),
            max_body_bytes: self.max_body_bytes,
            max_streams: self.max_streams,
            shutdown_grace: self.shutdown_grace,
        }
    }
}

fn seconds(text: &str) -> Result<Duration, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|e| format!("{text:?} is not a number of seconds: {e}"))?;
    Duration::try_from_secs_f64(value).map_err(|e| format!("{text:?}: {e}"))
}

/// The relay's settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where requests go.
    pub upstream: Upstream,
    /// Translate mode's upstream wire; `None`: repair mode.
    pub upstream_wire: Option<UpstreamWire>,
    /// The key clients must present, if any.
    pub api_key: Option<String>,
    /// TCP connect timeout to the upstream.
    pub connect_timeout: Duration,
    /// Time to the upstream's response headers on model routes.
    pub first_byte_timeout: Option<Duration>,
    /// Longest silence of a model route's response body.
    pub idle_timeout: Option<Duration>,
    /// Largest request body accepted.
    pub max_body_bytes: u64,
    /// Concurrent upstream requests on model routes.
    pub max_streams: usize,
    /// How long in-flight streams may run on at shutdown.
    pub shutdown_grace: Duration,
}

impl Config {
    /// The defaults of the command line, relaying to `upstream`.
    pub fn new(upstream: Upstream) -> Self {
        Self {
            upstream,
            upstream_wire: None,
            api_key: None,
            connect_timeout: Duration::from_secs(10),
            first_byte_timeout: Some(Duration::from_secs(600)),
            idle_timeout: Some(Duration::from_secs(300)),
            max_body_bytes: 64 * 1024 * 1024,
            max_streams: 64,
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// The upstream Ollama server: `http://host:port`, without a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upstream {
    base: String,
}

impl Upstream {
    /// `http://host:port`, no trailing slash.
    pub fn base(&self) -> &str {
        &self.base
    }
}

impl fmt::Display for Upstream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.base)
    }
}

/// Why an upstream address is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamError(String);

impl fmt::Display for UpstreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UpstreamError {}

impl FromStr for Upstream {
    type Err = UpstreamError;

    /// Parses `host`, `host:port`, `[v6]:port` or `http://host:port` (a trailing `/` is
    /// allowed); the port defaults to 11434, as with `OLLAMA_HOST`.
    ///
    /// # Errors
    ///
    /// An `https://` or other scheme (this build speaks plain HTTP to the upstream), a path,
    /// query or credentials in the address, an empty host, or a port that is not a number.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = |m: &str| UpstreamError(format!("upstream {text:?}: {m}"));
        let text = text.trim();
        let rest = match text.split_once("://") {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("http") => rest,
            Some((scheme, _)) => {
                return Err(err(&format!(
                    "scheme {scheme:?} is not supported (plain http only)"
                )));
            }
            None => text,
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.contains(['/', '?', '#', '@']) {
            return Err(err(
                "give only host and port (no path, query or credentials)",
            ));
        }
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (host, after) = v6.split_once(']').ok_or_else(|| err("unclosed '['"))?;
            let port = match after.strip_prefix(':') {
                Some(port) => Some(port),
                None if after.is_empty() => None,
                None => return Err(err("unexpected text after ']'")),
            };
            (format!("[{host}]"), port)
        } else {
            match authority.rsplit_once(':') {
                Some((host, port)) => (host.to_owned(), Some(port)),
                None => (authority.to_owned(), None),
            }
        };
        if host.is_empty() || host == "[]" {
            return Err(err("no host"));
        }
        let port: u16 = match port {
            Some(port) => port
                .parse()
                .map_err(|_| err(&format!("port {port:?} is not a number")))?,
            None => 11434,
        };
        Ok(Self {
            base: format!("http://{host}:{port}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn upstream_spellings() {
        let base = |s: &str| s.parse::<Upstream>().map(|u| u.base().to_owned());
        assert_eq!(base("127.0.0.1:11434").unwrap(), "http://127.0.0.1:11434");
        assert_eq!(base("http://example:80/").unwrap(), "http://example:80");
        assert_eq!(base("gpu-box").unwrap(), "http://gpu-box:11434");
        assert_eq!(base("[::1]:9").unwrap(), "http://[::1]:9");
        assert_eq!(base("HTTP://[::1]").unwrap(), "http://[::1]:11434");
        assert!(base("https://x:1").is_err());
        assert!(base("http://x:1/api").is_err());
        assert!(base("http://u:p@x:1").is_err());
        assert!(base("x:port").is_err());
        assert!(base("").is_err());
    }

    #[test]
    fn cli_defaults_and_flags() {
        let cli = Cli::try_parse_from(["ollama-relay"]).unwrap();
        assert_eq!(cli.listen.to_string(), "127.0.0.1:11435");
        let cli = Cli::try_parse_from([
            "ollama-relay",
            "--upstream",
            "box:1",
            "--idle-timeout",
            "0",
            "--first-byte-timeout",
            "1.5",
            "--api-key",
            "k",
        ])
        .unwrap();
        let config = cli.config();
        assert_eq!(config.upstream.base(), "http://box:1");
        assert_eq!(config.idle_timeout, None);
        assert_eq!(config.first_byte_timeout, Some(Duration::from_millis(1500)));
        assert_eq!(config.api_key.as_deref(), Some("k"));
        assert!(Cli::try_parse_from(["ollama-relay", "--connect-timeout", "-1"]).is_err());
        assert_eq!(config.upstream_wire, None);
        let cli = Cli::try_parse_from(["ollama-relay", "--upstream-wire", "openai"]).unwrap();
        assert_eq!(cli.config().upstream_wire, Some(UpstreamWire::OpenAi));
        let cli = Cli::try_parse_from(["ollama-relay", "--upstream-wire", "ollama"]).unwrap();
        assert_eq!(cli.config().upstream_wire, Some(UpstreamWire::Ollama));
        assert!(Cli::try_parse_from(["ollama-relay", "--upstream-wire", "anthropic"]).is_err());
    }
}
