//! The `conformance` binary's command-line contract.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use conformance::Wire;
use serde_json::{Value, json};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_conformance"))
}

fn fixtures() -> PathBuf {
    conformance::default_fixtures_dir()
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("the binary runs")
}

/// Runs the binary with `args` and `input` written to its standard input.
fn run_with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// Panics with the command's standard error unless it exited 0.
fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `cmd`, which must succeed and print one JSON value per line; returns the values.
fn json_lines(cmd: &mut Command) -> Vec<Value> {
    let out = run(cmd);
    assert_success(&out);
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn run_prints_a_table_and_summary_and_exits_0_on_the_bundled_corpus() {
    let out = run(bin().arg("run"));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.starts_with("case "), "{stdout}");
    let last = stdout.lines().last().unwrap();
    assert!(last.starts_with("summary: "), "{last}");
    assert!(last.contains(" 0 failed"), "{last}");
}

/// Copies the corpus to a fresh folder.
fn copy_corpus(to: &Path) {
    for wire in ["ollama", "openai"] {
        for case in std::fs::read_dir(fixtures().join(wire)).unwrap() {
            let case = case.unwrap().path();
            let dest = to.join(wire).join(case.file_name().unwrap());
            std::fs::create_dir_all(&dest).unwrap();
            for file in std::fs::read_dir(&case).unwrap() {
                let file = file.unwrap().path();
                std::fs::copy(&file, dest.join(file.file_name().unwrap())).unwrap();
            }
        }
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("conformance-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `contents` to a fresh file named `name`; returns its path.
fn temp_file(name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let file = temp_dir(name).join(name);
    std::fs::write(&file, contents).unwrap();
    file
}

#[test]
fn a_corrupted_fixture_fails_the_run() {
    let dir = temp_dir("corrupt");
    copy_corpus(&dir);
    // Drop the done chunk's last byte of JSON: the line no longer parses.
    let body = dir.join("ollama/chat-stream-tool-call-on-done-chunk-gpt-oss/response.body");
    let mut bytes = std::fs::read(&body).unwrap();
    let close = bytes.iter().rposition(|b| *b == b'}').unwrap();
    bytes.remove(close);
    std::fs::write(&body, bytes).unwrap();
    // And flip an SSE fixture's hand-written chunk count.
    let meta = dir.join("openai/lcpp-chat-stream/case.toml");
    let text = std::fs::read_to_string(&meta)
        .unwrap()
        .replace("chunks = 34", "chunks = 33");
    std::fs::write(&meta, text).unwrap();

    let out = run(bin().args(["run", "--fixtures"]).arg(&dir));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let failing: Vec<&str> = stdout.lines().filter(|l| l.ends_with("FAIL")).collect();
    assert_eq!(failing.len(), 2, "{stdout}");
    assert!(failing[0].starts_with("ollama/chat-stream-tool-call-on-done-chunk-gpt-oss"));
    assert!(failing[1].starts_with("openai/lcpp-chat-stream "));
    assert!(stdout.contains("chunks: got 34, expected 33"), "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn missing_corpus_is_a_usage_error() {
    let out = run(bin().args(["run", "--fixtures", "/nonexistent/fixtures"]));
    assert_eq!(out.status.code(), Some(2));
}

fn replay(args: &[&str], file: &Path) -> Value {
    let out = run(bin().arg("replay").args(args).arg(file));
    assert_success(&out);
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn replay_prints_the_documented_shape_for_every_fixture() {
    let allowed = ["stop", "length", "tool_calls", "error", "incomplete"];
    // Every case of the four wires, each read as its `--wire` name says.
    for case in conformance::load(&fixtures()).unwrap() {
        let mut args = vec!["--status".to_owned(), case.meta.status.to_string()];
        if let Some(ct) = &case.meta.content_type {
            args.extend(["--content-type".to_owned(), ct.clone()]);
        }
        args.extend(["--wire".to_owned(), case.wire.as_str().to_owned()]);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let v = replay(&args, &case.dir.join("response.body"));
        let obj = v.as_object().unwrap();
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort_unstable();
        let progress = ["/api/create", "/api/pull", "/api/push"]
            .contains(&case.meta.endpoint.as_str())
            && (200..300).contains(&case.meta.status);
        if progress {
            // A progress stream prints its outcome, not a message.
            assert!(
                keys == ["outcome"] || keys == ["error", "outcome"],
                "{}: {keys:?}",
                case.id
            );
            continue;
        }
        assert_eq!(
            keys,
            [
                "content",
                "error",
                "finish_reason",
                "reasoning",
                "tool_calls",
                "usage"
            ],
            "{}",
            case.id
        );
        assert!(
            v["reasoning"].is_string() && v["content"].is_string(),
            "{}",
            case.id
        );
        assert!(
            v["error"].is_null() || v["error"].is_string(),
            "{}",
            case.id
        );
        let reason = v["finish_reason"].as_str().unwrap();
        assert!(!reason.is_empty(), "{}", case.id);
        if !allowed.contains(&reason) {
            // The server's own value, passed through.
            assert!(
                case.body
                    .windows(reason.len())
                    .any(|w| w == reason.as_bytes()),
                "{}: {reason}",
                case.id
            );
        }
        for call in v["tool_calls"].as_array().unwrap() {
            assert!(
                call["id"].is_string() && call["name"].is_string(),
                "{}",
                case.id
            );
        }
        // An upstream error or a cut stream is in the JSON, never a failure of the command.
        if case.meta.status >= 400 {
            assert_eq!(reason, "error", "{}", case.id);
            assert!(v["error"].is_string(), "{}", case.id);
        }
    }
}

#[test]
fn replay_reads_standard_input_and_detects_the_wire() {
    for (case, content) in [
        ("ollama/chat-stream-thinking-then-content", "2 + 2 = 4."),
        ("openai/ollama-chat-stream-reasoning-finish-usage", "Hello!"),
    ] {
        let body = std::fs::read(fixtures().join(case).join("response.body")).unwrap();
        let out = run_with_stdin(&["replay", "-"], &body);
        assert!(out.status.success());
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["content"], content, "{case}");
        assert_eq!(v["finish_reason"], "stop", "{case}");
        assert_eq!(v["error"], Value::Null, "{case}");
    }
}

#[test]
fn replay_reports_a_cut_sse_stream_once() {
    // A body of one chunk and no `data: [DONE]`: the cut was reported twice, once by the merger
    // ("without a finish signal") and once by the decoder ("without `data: [DONE]`").
    let file = temp_file(
        "cut.sse",
        "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n",
    );
    for args in [&[][..], &["--status", "200"][..]] {
        let v = replay(args, &file);
        assert_eq!(v["content"], "Hi", "{args:?}: {v}");
        assert_eq!(v["finish_reason"], "incomplete", "{args:?}: {v}");
        // `--status` alone does not make the body JSON: the stream is read as a stream.
        assert_eq!(
            v["error"], "the stream ended without a finish signal",
            "{args:?}: {v}"
        );
    }
}

#[test]
fn replay_events_are_json_lines_with_a_type_and_flat_block_kind() {
    let file = fixtures().join("ollama/chat-stream-thinking-and-content-same-chunk/response.body");
    let events = json_lines(bin().args(["replay", "--events"]).arg(&file));
    assert!(events.iter().all(|e| e["type"].is_string()));
    let starts: Vec<&str> = events
        .iter()
        .filter(|e| e["type"] == "block_start")
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    // The mixed reasoning+content chunk: one reasoning block, then one text block.
    assert_eq!(starts, ["reasoning", "text"]);
    assert_eq!(events.last().unwrap()["type"], "finish");
}

/// The block events of `replay --events` (deltas left out): type, kind, index.
fn block_events(wire: &str, case: &str) -> Vec<(String, Option<String>, Option<u64>)> {
    let file = fixtures().join(case).join("response.body");
    json_lines(
        bin()
            .args(["replay", "--events", "--wire", wire])
            .arg(&file),
    )
    .into_iter()
    .filter(|e| !e["type"].as_str().unwrap().ends_with("_delta"))
    .map(|e| {
        (
            e["type"].as_str().unwrap().to_owned(),
            e["kind"].as_str().map(str::to_owned),
            e["index"].as_u64(),
        )
    })
    .collect()
}

fn ev(
    kind: &str,
    block: Option<&str>,
    index: Option<u64>,
) -> (String, Option<String>, Option<u64>) {
    (kind.to_owned(), block.map(str::to_owned), index)
}

#[test]
fn replay_events_on_the_typed_event_wires() {
    // Anthropic: a thinking block (with its signature delta), then a text block.
    assert_eq!(
        block_events("anthropic", "anthropic/anthropic-thinking-signature-delta"),
        [
            ev("block_start", Some("reasoning"), Some(0)),
            ev("block_end", None, Some(0)),
            ev("block_start", Some("text"), Some(1)),
            ev("block_end", None, Some(1)),
            ev("finish", None, None),
        ]
    );
    // ollama#17101: the thinking block started over the open text block is reported (the
    // `error` event), then repaired: the text block ends and the reasoning gets its own index.
    assert_eq!(
        block_events(
            "anthropic",
            "anthropic/issue-17101-thinking-block-over-open-text-block"
        ),
        [
            ev("block_start", Some("text"), Some(0)),
            ev("error", None, None),
            ev("block_end", None, Some(0)),
            ev("block_start", Some("reasoning"), Some(1)),
            ev("block_end", None, Some(1)),
            ev("finish", None, None),
        ]
    );
    // Responses: Ollama's recorded function call, one tool-call block.
    assert_eq!(
        block_events("responses", "responses/ollama033-resp-tools-stream"),
        [
            ev("block_start", Some("tool_call"), Some(0)),
            ev("block_end", None, Some(0)),
            ev("finish", None, None),
        ]
    );
}

#[test]
fn sse_prints_whatwg_events() {
    let file = temp_file(
        "body.sse",
        "\u{feff}: keep-alive\r\nevent: ping\rid: 7\ndata: a\ndata: b\n\ndata: c\n\n",
    );
    let lines = json_lines(bin().arg("sse").arg(&file));
    assert_eq!(
        lines,
        [
            serde_json::json!({"type": "ping", "data": "a\nb", "id": "7"}),
            serde_json::json!({"type": "message", "data": "c", "id": "7"}),
        ]
    );
    let _ = std::fs::remove_dir_all(file.parent().unwrap());
}

/// Starts `conformance serve` on a free port; returns the process and its base URL.
fn serve() -> (std::process::Child, String) {
    serve_with(&[])
}

/// [`serve`] with more arguments.
fn serve_with(args: &[&str]) -> (std::process::Child, String) {
    let mut server = bin()
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(server.stdout.take().unwrap()),
        &mut first,
    )
    .unwrap();
    let base = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    (server, base)
}

#[test]
fn discover_reads_a_server_and_names_the_url_when_it_cannot() {
    // Against the replay server: /api/tags and /api/show come from the corpus.
    let (mut server, base) = serve();
    let out = run(bin().args(["discover", "--base-url", &base]));
    let _ = server.kill();
    let _ = server.wait();
    assert_success(&out);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["models"]["providers"]["ollama"]["baseUrl"], base.as_str());
    assert!(v["models"]["providers"]["ollama"]["models"].is_array());

    // Nothing listening: exit 1 and the URL in the message.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let out = run(bin().args([
        "discover",
        "--base-url",
        &format!("http://127.0.0.1:{port}"),
    ]));
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("http://127.0.0.1:{port}/api/tags")),
        "{stderr}"
    );
}

/// The catalog of the six models of the real Ollama 0.33 server, discovered over HTTP from its
/// recorded `/api/tags` and `/api/show` replies: `tools` filters (plain and think have none),
/// `thinking` marks reasoning, the window is `gemma3.context_length` (32768, not the
/// `num_ctx 2048` parameter) and `maxTokens` ten times that.
#[test]
fn discover_derives_the_catalog_of_the_recorded_ollama_0_33_models() {
    let (mut server, base) = serve_with(&["--only", "ollama033-"]);
    let out = run(bin().args(["discover", "--base-url", &base]));
    let _ = server.kill();
    let _ = server.wait();
    let stderr = String::from_utf8_lossy(&out.stderr).replace(&base, "<base>");
    assert!(out.status.success(), "{stderr}");
    let mut config: Value = serde_json::from_slice(&out.stdout).unwrap();
    let provider = &mut config["models"]["providers"]["ollama"];
    assert_eq!(provider["baseUrl"], base.as_str());
    provider["baseUrl"] = Value::from("<base>");
    let ids: Vec<&str> = provider["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "gemma3-qwen35parser:latest",
            "gemma3-functiongemma:latest",
            "gemma3-both:latest",
            "gemma3-tools:latest",
        ]
    );
    insta::assert_json_snapshot!(
        "discover_ollama_0_33",
        json!({"config": config, "stderr": stderr})
    );
}

#[test]
fn record_saves_a_replayable_case_with_recorded_provenance() {
    let (mut server, base) = serve();
    let source = fixtures().join("openai/lcpp-chat-stream");
    let dir = temp_dir("record");
    let record = |server: &str, version: &str| {
        run(bin()
            .args(["record", "--base-url", &base, "--id", "recorded-again"])
            .args(["--server", server, "--server-version", version])
            .arg("--request")
            .arg(source.join("request.json"))
            .arg("--fixtures")
            .arg(&dir))
    };
    let out = record("conformance serve", "test");
    let _ = server.kill();
    let _ = server.wait();
    assert_success(&out);
    let case = dir.join("openai/recorded-again");
    assert_eq!(
        std::fs::read(case.join("response.body")).unwrap(),
        std::fs::read(source.join("response.body")).unwrap()
    );
    let meta = std::fs::read_to_string(case.join("case.toml")).unwrap();
    assert!(meta.contains("kind = \"recorded\""), "{meta}");
    assert!(meta.contains("outcome = \"done\"\nchunks = 34"), "{meta}");
    assert!(
        meta.contains("content_type = \"text/event-stream\""),
        "{meta}"
    );
    // The recorded case is a valid corpus on its own, and conforms.
    let out = run(bin().args(["run", "--fixtures"]).arg(&dir));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Recording over an existing case is refused.
    let again = record("x", "y");
    assert_eq!(again.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn help_and_version_for_the_binary_and_every_command() {
    let out = run(bin().arg("--version"));
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        format!("conformance {}", env!("CARGO_PKG_VERSION"))
    );
    let out = run(bin().arg("--help"));
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    let commands = [
        "run",
        "replay",
        "translate",
        "sse",
        "discover",
        "live",
        "record",
        "serve",
    ];
    for command in commands {
        assert!(
            help.contains(&format!("  {command} ")),
            "{command} in\n{help}"
        );
        let out = run(bin().args([command, "--help"]));
        assert!(out.status.success(), "{command} --help");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains(&format!("Usage: conformance {command}")),
            "{command} --help:\n{text}"
        );
    }
}

/// Without `--wire`, a Responses or Anthropic body (stream or whole reply) is recognized from
/// its bytes: the same reduced message as with the flag.
#[test]
fn replay_detects_the_typed_event_wires() {
    let mut seen = 0;
    for case in conformance::load(&fixtures()).unwrap() {
        if !matches!(case.wire, Wire::Responses | Wire::Anthropic) || case.meta.status != 200 {
            continue;
        }
        let file = case.dir.join("response.body");
        let flagged = replay(&["--wire", case.wire.as_str()], &file);
        assert_eq!(replay(&[], &file), flagged, "{}", case.id);
        seen += 1;
    }
    assert!(seen >= 20, "{seen}");
}

#[test]
fn replay_reads_the_typed_wires_error_bodies_without_being_told_the_wire() {
    // An error body (any status but 200) of /v1/responses or /v1/messages: with its status
    // and media type, replay says the same with and without `--wire`, and names the server's
    // message (written here by hand from the recorded bodies).
    let mut seen = 0;
    for case in conformance::load(&fixtures()).unwrap() {
        if !matches!(case.wire, Wire::Responses | Wire::Anthropic) || case.meta.status == 200 {
            continue;
        }
        let file = case.dir.join("response.body");
        let status = case.meta.status.to_string();
        let mut args = vec!["--status", status.as_str()];
        if let Some(content_type) = &case.meta.content_type {
            args.extend(["--content-type", content_type.as_str()]);
        }
        let detected = replay(&args, &file);
        args.extend(["--wire", case.wire.as_str()]);
        assert_eq!(detected, replay(&args, &file), "{}", case.id);
        let says = match case.id.as_str() {
            "ollama033-err-msg-missing-max-tokens" => "max_tokens is required and must be positive",
            "ollama033-msg-count-tokens" => "404 page not found",
            "ollama033-err-resp-malformed-json" | "ollama033-err-msg-malformed-json" => {
                "unexpected EOF"
            }
            _ => "",
        };
        let error = detected["error"].as_str().unwrap_or_default();
        assert!(
            error.starts_with("upstream error: ") && error.contains(says),
            "{}: {detected}",
            case.id
        );
        seen += 1;
    }
    assert!(seen >= 6, "{seen}");
}

#[test]
fn a_bad_value_is_named_in_words_and_exits_2() {
    let out = run(bin().args(["replay", "--wire", "foo", "-"]));
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("invalid value 'foo' for '--wire <WIRE>'")
            && stderr.contains("[possible values: ollama, openai, responses, anthropic]"),
        "{stderr}"
    );
    let out = run(bin().args(["live", "--break", "nothing"]));
    assert_eq!(out.status.code(), Some(2));
    let out = run(bin().args(["replay", "--status", "abc", "-"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("'abc'"));
}

#[test]
fn expected_failures_print_their_reason() {
    let out = run(bin().arg("run"));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let expected = std::fs::read_to_string(conformance::default_expected_failures()).unwrap();
    let listed: toml::Value = toml::from_str(&expected).unwrap();
    let entries = listed["failure"].as_array().unwrap();
    assert!(!entries.is_empty());
    for entry in entries {
        let reason = entry["reason"].as_str().unwrap();
        let first_words: String = reason.chars().take(40).collect();
        assert!(
            stdout.contains("expected failure: ") && stdout.contains(&first_words),
            "the reason {reason:?} is not printed:\n{stdout}"
        );
    }
}

#[test]
fn repeated_per_line_errors_are_capped_with_a_count() {
    let mut body: String = (0..50).map(|i| format!("{{bad {i}\n")).collect();
    body.push_str(
        "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"x\"},\"done\":true}\n",
    );
    let file = temp_file("bad.ndjson", body);
    let v = replay(&[], &file);
    let error = v["error"].as_str().unwrap();
    assert_eq!(error.matches("malformed line").count(), 3, "{error}");
    assert!(error.ends_with("… and 47 more like it"), "{error}");
    assert_eq!(v["content"], "x");
}

#[test]
fn a_connection_error_names_its_cause() {
    // Port 9 (discard) on loopback: nothing listens there on these machines.
    let out = run(bin().args(["discover", "--base-url", "http://127.0.0.1:9"]));
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("http://127.0.0.1:9") && stderr.to_lowercase().contains("refused"),
        "{stderr}"
    );
}

/// `replay --events` on a progress stream shows the progress after each line and the outcome;
/// the real Ollama 0.33 create stream that failed mid-stream ends `failed` with the server's
/// message.
#[test]
fn replay_shows_a_progress_stream_line_by_line() {
    let body = fixtures().join("ollama/ollama033-create-think-stream/response.body");
    let out = run(bin().args(["replay", "--events"]).arg(&body));
    assert!(out.status.success());
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["status"], "parsing GGUF");
    assert_eq!(lines[lines.len() - 2]["phase"], "Success");
    assert_eq!(lines[lines.len() - 1], json!({"outcome": "success"}));

    let failed = fixtures()
        .join("ollama/ollama033-err-create-plain-stream-no-quantize-binary/response.body");
    let out = run(bin().arg("replay").arg(&failed));
    let last: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(last["outcome"], "failed");
    assert!(
        last["error"]
            .as_str()
            .unwrap()
            .starts_with("failed to validate GGUF with llama-quantize"),
        "{last}"
    );
}

/// `translate` prints what `pipeline::translate` writes; replayed, it is the same message.
#[test]
fn translate_prints_the_re_encoded_stream_and_it_replays_to_the_same_message() {
    let case = "ollama/chat-stream-thinking-then-content";
    let file = fixtures().join(case).join("response.body");
    let want = replay(&[], &file);
    let body = std::fs::read(&file).unwrap();
    for (to, first) in [
        ("anthropic", "event: message_start\n"),
        ("responses", "event: response.created\n"),
        ("openai", "data: "),
        ("ollama", "{"),
    ] {
        let out = run(bin()
            .args(["translate", "--to", to, "--wire", "ollama"])
            .arg(&file));
        assert_success(&out);
        let text = String::from_utf8(out.stdout.clone()).unwrap();
        assert!(text.starts_with(first), "{to}: {text}");
        let wire = conformance::serve::parse_wire(to).unwrap();
        let library = conformance::pipeline::translate(
            &conformance::pipeline::Input {
                body: &body,
                wire: Some(Wire::Ollama),
                ..Default::default()
            },
            wire,
        )
        .unwrap();
        assert_eq!(out.stdout, library, "{to}");
        let translated = temp_file(&format!("translated.{to}"), &out.stdout);
        // The source reported usage, so none of translate.rs's exceptions applies.
        let again = replay(&["--wire", to], &translated);
        assert_eq!(again, want, "{to}");
    }
    // Standard input, the wire detected.
    let out = run_with_stdin(&["translate", "--to", "anthropic", "-"], &body);
    assert!(out.status.success());
    assert!(out.stdout.starts_with(b"event: message_start\n"));
}

#[test]
fn translate_needs_a_target_and_refuses_a_progress_stream() {
    let out = run(bin().args(["translate", "-"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--to"));
    let progress = fixtures().join("ollama/ollama033-create-plain-stream/response.body");
    let out = run(bin().args(["translate", "--to", "openai"]).arg(&progress));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("progress stream"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
