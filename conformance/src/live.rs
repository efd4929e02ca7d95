//! `conformance live`: real requests to a running OpenAI-compatible server, streamed through
//! `openai-wire`'s async adapter and `stream-merge`, checked against invariants that do not
//! depend on the model's words.

use std::time::Duration;

use futures_util::StreamExt;
use ollama_stream_merge::{AssistantMessage, Event, FinishReason, MergeStream, Reducer};
use openai_wire::chat::ChatCompletion;
use openai_wire::chunks::StreamItem;
use openai_wire::response::{BodyKind, classify, decode_error_body, decode_json};
use openai_wire::stream::DecodeStream;
use serde_json::{Value, json};

/// Where and what to ask.
#[derive(Debug, Clone)]
pub struct Target {
    /// Server root or `/v1` URL, e.g. `http://127.0.0.1:8080` or `http://127.0.0.1:11434/v1`.
    pub base_url: String,
    /// Model name sent in every request.
    pub model: String,
    /// An invariant to break on purpose (`usage`, `done`, `greedy`), to show the lane can fail.
    pub break_invariant: Option<String>,
}

impl Target {
    fn url(&self) -> String {
        let root = self.base_url.trim_end_matches('/');
        let root = root.strip_suffix("/v1").unwrap_or(root);
        format!("{root}/v1/chat/completions")
    }

    fn broken(&self, name: &str) -> bool {
        self.break_invariant.as_deref() == Some(name)
    }
}

/// One check's outcome.
#[derive(Debug, Clone)]
pub struct Check {
    /// Check name.
    pub name: &'static str,
    /// `Ok(detail)` or `Err(why)`.
    pub result: Result<String, String>,
}

/// A streamed exchange, decoded and merged.
#[derive(Debug, Default)]
struct Streamed {
    status: u16,
    content_type: Option<String>,
    done: bool,
    chunks: usize,
    events: Vec<Event>,
    message: AssistantMessage,
}

fn request(target: &Target, max_tokens: u32, stream: bool, usage: bool) -> Value {
    let mut body = json!({
        "model": target.model,
        "messages": [{"role": "user", "content": "Write a short sentence about the sea."}],
        "max_tokens": max_tokens,
        "temperature": 0,
        "seed": 42,
        "stream": stream,
    });
    if usage {
        body["stream_options"] = json!({"include_usage": true});
    }
    body
}

/// Posts `body` to the target's chat-completions URL; a transport failure names the URL.
async fn post(
    client: &reqwest::Client,
    target: &Target,
    body: &Value,
) -> Result<reqwest::Response, String> {
    client
        .post(target.url())
        .json(body)
        .send()
        .await
        .map_err(|e| format!("POST {}: {}", target.url(), crate::error_chain(&e)))
}

async fn stream(
    client: &reqwest::Client,
    target: &Target,
    body: &Value,
) -> Result<Streamed, String> {
    let response = post(client, target, body).await?;
    let mut out = Streamed {
        status: response.status().as_u16(),
        content_type: crate::content_type(&response),
        ..Streamed::default()
    };
    let (mut chunks, mut done) = (0, false);
    let items =
        DecodeStream::<_, openai_wire::chat::ChatCompletionChunk>::new(response.bytes_stream())
            .inspect(|item| match item {
                Ok(StreamItem::Chunk(_)) => chunks += 1,
                Ok(StreamItem::Done) => done = true,
                _ => {}
            });
    // Decode errors, transport errors and a cut are error events among these.
    out.events = MergeStream::new(items).collect().await;
    (out.chunks, out.done) = (chunks, done);
    out.message = Reducer::reduce(out.events.iter().cloned());
    Ok(out)
}

async fn complete(
    client: &reqwest::Client,
    target: &Target,
    body: &Value,
) -> Result<ChatCompletion, String> {
    let response = post(client, target, body).await?;
    let status = response.status().as_u16();
    let bytes = response.bytes().await.map_err(|e| e.to_string())?;
    decode_json::<ChatCompletion>(status, &bytes).map_err(|e| e.to_string())
}

fn text(reply: &ChatCompletion) -> String {
    reply
        .choices
        .first()
        .and_then(|c| match &c.message.content {
            Some(openai_wire::chat::Content::Text(t)) => Some(t.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

/// The stream ended properly: 200, event stream, `[DONE]`, well-formed events (one finish,
/// last), no error event
/// (nothing undecodable, no upstream error, no cut).
fn well_ended(s: &Streamed, target: &Target) -> Result<(), String> {
    if s.status != 200 {
        return Err(format!("HTTP {}", s.status));
    }
    if classify(s.status, s.content_type.as_deref()) != BodyKind::EventStream {
        return Err(format!("content type {:?}", s.content_type));
    }
    if !s.done || target.broken("done") {
        return Err("no data: [DONE]".to_owned());
    }
    ollama_stream_merge::validate(&s.events).map_err(|v| format!("merged events: {v}"))?;
    if !s.message.errors.is_empty() {
        return Err(format!("error events: {:?}", s.message.errors));
    }
    Ok(())
}

fn reason(s: &Streamed) -> Option<FinishReason> {
    s.message.finish.as_ref().map(|f| f.reason)
}

/// Runs every check against `target`.
pub async fn run(target: &Target) -> Vec<Check> {
    // No connection pooling: every check stands alone, and a server that closes a connection
    // after an error (llama-server sends `Connection: close`) cannot fail the next check.
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .pool_max_idle_per_host(0)
        .build()
        .unwrap_or_default();
    let mut checks = Vec::new();
    let mut check = |name: &'static str, result: Result<String, String>| {
        checks.push(Check { name, result });
    };

    // 1. A plain stream ends properly with stop or length.
    let plain = stream(&client, target, &request(target, 16, true, false)).await;
    check(
        "plain stream",
        plain.as_ref().map_err(Clone::clone).and_then(|s| {
            well_ended(s, target)?;
            match reason(s) {
                Some(FinishReason::Stop | FinishReason::Length) => {
                    Ok(format!("{} chunks, finish {:?}", s.chunks, reason(s)))
                }
                other => Err(format!("finish {other:?}")),
            }
        }),
    );

    // 2. Usage is reported on request and matches the non-streamed reply's counts.
    let with_usage = stream(&client, target, &request(target, 16, true, true)).await;
    let reply = complete(&client, target, &request(target, 16, false, false)).await;
    check(
        "usage matches the server's counts",
        match (&with_usage, &reply) {
            (Ok(s), Ok(reply)) => (|| {
                well_ended(s, target)?;
                let usage = s
                    .message
                    .finish
                    .as_ref()
                    .and_then(|f| f.usage)
                    .ok_or("no usage chunk")?;
                let want = reply
                    .usage
                    .as_ref()
                    .ok_or("the non-streamed reply has no usage")?;
                let mut output = usage.output_tokens.unwrap_or(0);
                if target.broken("usage") {
                    output += 1;
                }
                if usage.input_tokens != Some(want.prompt_tokens)
                    || output != want.completion_tokens
                {
                    return Err(format!(
                        "stream {:?}/{output}, reply {}/{}",
                        usage.input_tokens, want.prompt_tokens, want.completion_tokens
                    ));
                }
                Ok(format!(
                    "{} prompt + {} completion tokens",
                    want.prompt_tokens, want.completion_tokens
                ))
            })(),
            (Err(e), _) | (_, Err(e)) => Err(e.clone()),
        },
    );

    // 3. The streamed text equals the non-streamed reply for the same greedy request: nothing
    //    lost, nothing duplicated.
    check(
        "streamed text equals the non-streamed reply",
        match (&plain, &reply) {
            (Ok(s), Ok(reply)) => {
                let mut got = s.message.content.clone();
                if target.broken("greedy") {
                    got.push('!');
                }
                let want = text(reply);
                if got == want {
                    Ok(format!("{} characters", want.chars().count()))
                } else {
                    Err(format!("stream {got:?} vs reply {want:?}"))
                }
            }
            (Err(e), _) | (_, Err(e)) => Err(e.clone()),
        },
    );

    // 4. A long output streams whole, and equals its non-streamed twin.
    let long = stream(&client, target, &request(target, 200, true, false)).await;
    let long_reply = complete(&client, target, &request(target, 200, false, false)).await;
    check(
        "long output",
        match (&long, &long_reply) {
            (Ok(s), Ok(reply)) => well_ended(s, target).and_then(|()| {
                if s.message.content == text(reply) {
                    Ok(format!(
                        "{} chunks, {} characters",
                        s.chunks,
                        s.message.content.chars().count()
                    ))
                } else {
                    Err("streamed text differs from the non-streamed reply".to_owned())
                }
            }),
            (Err(e), _) | (_, Err(e)) => Err(e.clone()),
        },
    );

    // 5. A max_tokens limit ends with `length` and exactly that many completion tokens.
    let limited = stream(&client, target, &request(target, 5, true, true)).await;
    check(
        "max_tokens limit",
        limited.as_ref().map_err(Clone::clone).and_then(|s| {
            well_ended(s, target)?;
            let output = s
                .message
                .finish
                .as_ref()
                .and_then(|f| f.usage.as_ref())
                .and_then(|u| u.output_tokens);
            match (reason(s), output) {
                (Some(FinishReason::Length), Some(5)) => {
                    Ok("finish length after 5 tokens".to_owned())
                }
                (r, o) => Err(format!("finish {r:?}, {o:?} completion tokens")),
            }
        }),
    );

    // 6. A request the server rejects before streaming is a typed error, not a stream.
    let rejected = async {
        let invalid = json!({"model": target.model, "messages": "not a list", "stream": true});
        let response = post(&client, target, &invalid).await?;
        let status = response.status().as_u16();
        let content_type = crate::content_type(&response);
        let body = response.bytes().await.map_err(|e| e.to_string())?;
        if (200..300).contains(&status) {
            return Err(format!("HTTP {status} for an invalid request"));
        }
        let kind = classify(status, content_type.as_deref());
        let error = decode_error_body(status, &body);
        if error.message().is_empty() {
            return Err("the error body has no message".to_owned());
        }
        Ok(format!("HTTP {status}, {kind:?}: {}", error.message()))
    }
    .await;
    check("error before streaming", rejected);

    // 7. A stream cancelled by the client releases the connection: the server (one slot) answers
    //    the next request promptly.
    let cancelled = async {
        let response = post(&client, target, &request(target, 200, true, false)).await?;
        let mut chunks =
            DecodeStream::<_, openai_wire::chat::ChatCompletionChunk>::new(response.bytes_stream());
        let first = chunks.next().await;
        if !matches!(first, Some(Ok(StreamItem::Chunk(_)))) {
            return Err(format!("first item {first:?}"));
        }
        drop(chunks);
        let started = std::time::Instant::now();
        let after = tokio::time::timeout(
            Duration::from_secs(30),
            complete(&client, target, &request(target, 4, false, false)),
        )
        .await
        .map_err(|_| "the next request did not complete within 30 s".to_owned())??;
        Ok(format!(
            "next request answered in {} ms ({:?})",
            started.elapsed().as_millis(),
            text(&after)
        ))
    }
    .await;
    check("cancelled stream releases the connection", cancelled);
    checks
}

/// The report table and summary line.
pub fn render(checks: &[Check]) -> String {
    let mut out = String::new();
    for c in checks {
        let (word, detail) = match &c.result {
            Ok(d) => ("pass", d),
            Err(e) => ("FAIL", e),
        };
        out.push_str(&format!("{word}  {:<45} {detail}\n", c.name));
    }
    let failed = checks.iter().filter(|c| c.result.is_err()).count();
    out.push_str(&format!(
        "live: {} passed, {failed} failed\n",
        checks.len() - failed
    ));
    out
}
