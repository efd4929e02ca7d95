//! What kind of HTTP response an event-stream endpoint sent: dispatch on the status and
//! `Content-Type`, never on whether the request asked for a stream.
//!
//! Servers answer `stream: true` requests with a JSON error (Ollama on a bad request,
//! llama-server on context overflow), a plain-text error (a proxy, llama-cpp-python on bad
//! JSON, Ollama's `404 page not found` for a route it does not serve), or a 200 event stream.

/// What an HTTP response of an event-stream endpoint carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BodyKind {
    /// 2xx `text/event-stream`: feed the body to the wire's stream decoder.
    EventStream,
    /// 2xx JSON: one object (a non-streamed reply; it may still be an error object, which the
    /// wire's `decode_json` reports).
    Json,
    /// Non-2xx JSON: an error body (the wire's `decode_error_body`).
    JsonError,
    /// Anything else (a non-2xx text body, or a 2xx of an unexpected type): an error whose body
    /// is text (the wire's `decode_error_body`).
    TextError,
}

/// Classifies a response by status code and `Content-Type` header value (its media type,
/// compared without parameters and case).
///
/// ```
/// use sse_wire::{BodyKind, classify};
///
/// assert_eq!(classify(200, Some("text/event-stream")), BodyKind::EventStream);
/// assert_eq!(classify(200, Some("Text/Event-Stream; charset=utf-8")), BodyKind::EventStream);
/// assert_eq!(classify(201, Some("application/json")), BodyKind::Json);
/// assert_eq!(classify(200, Some(" application/json ; charset=utf-8")), BodyKind::Json);
/// assert_eq!(classify(200, Some("application/problem+json")), BodyKind::Json);
/// assert_eq!(classify(400, Some("application/json; charset=utf-8")), BodyKind::JsonError);
/// assert_eq!(classify(404, Some("text/plain")), BodyKind::TextError);
/// assert_eq!(classify(500, Some("text/event-stream")), BodyKind::TextError);
/// assert_eq!(classify(200, None), BodyKind::TextError);
/// assert_eq!(classify(199, Some("application/json")), BodyKind::JsonError);
/// assert_eq!(classify(300, Some("application/json")), BodyKind::JsonError);
/// ```
pub fn classify(status: u16, content_type: Option<&str>) -> BodyKind {
    let media = content_type
        .and_then(|ct| ct.split(';').next())
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let is_json = media == "application/json" || media.ends_with("+json");
    match ((200..300).contains(&status), media.as_str()) {
        (true, "text/event-stream") => BodyKind::EventStream,
        (true, _) if is_json => BodyKind::Json,
        (false, _) if is_json => BodyKind::JsonError,
        _ => BodyKind::TextError,
    }
}
