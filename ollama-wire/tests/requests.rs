//! Every request body of the recorded exchanges that the server accepted decodes into its typed
//! request and encodes back to the same JSON value: no field the client sent is dropped or
//! changed. The encoder may add a field Go's client always writes (`"prompt":""`), with its
//! zero value only.

use ollama_wire::{
    ChatRequest, CopyRequest, CreateRequest, DeleteRequest, EmbedRequest, EmbeddingRequest,
    Encoder, GenerateRequest, ShowRequest,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use test_support::Wire;

fn round_trip<T: DeserializeOwned + Serialize>(request: &[u8]) -> Result<Value, String> {
    let typed: T = serde_json::from_slice(request).map_err(|e| e.to_string())?;
    let bytes = Encoder::new().to_vec(&typed).map_err(|e| e.to_string())?;
    serde_json::from_slice(&bytes).map_err(|e| e.to_string())
}

fn is_go_zero(value: &Value) -> bool {
    match value {
        Value::String(s) => s.is_empty(),
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::Null => true,
        Value::Array(_) | Value::Object(_) => false,
    }
}

#[test]
fn accepted_requests_round_trip_through_their_types() {
    let mut checked = 0;
    for case in test_support::cases(Wire::Ollama) {
        let Ok(request) = std::fs::read(case.dir.join("request.json")) else {
            continue;
        };
        let request = request.as_slice();
        if request.trim_ascii().is_empty() {
            continue; // a body-less request (the blob upload's body is the file itself)
        }
        // Only what the server accepted: a 4xx request is malformed on purpose.
        if !(200..300).contains(&case.meta.status) && case.meta.status != 501 {
            continue;
        }
        let endpoint = case.meta.endpoint.as_str();
        let got = match endpoint {
            "/api/chat" => round_trip::<ChatRequest>(request),
            "/api/generate" => round_trip::<GenerateRequest>(request),
            "/api/show" => round_trip::<ShowRequest>(request),
            "/api/embed" => round_trip::<EmbedRequest>(request),
            "/api/embeddings" => round_trip::<EmbeddingRequest>(request),
            "/api/copy" => round_trip::<CopyRequest>(request),
            "/api/delete" => round_trip::<DeleteRequest>(request),
            "/api/create" => round_trip::<CreateRequest>(request),
            _ => continue,
        };
        let want: Value = serde_json::from_slice(request).unwrap();
        let mut got = got.unwrap_or_else(|e| panic!("{}: {endpoint}: {e}", case.id));
        if let (Value::Object(got), Value::Object(want)) = (&mut got, &want) {
            got.retain(|key, value| want.contains_key(key) || !is_go_zero(value));
        }
        assert_eq!(got, want, "{}: {endpoint}", case.id);
        checked += 1;
    }
    assert!(checked >= 50, "only {checked} requests checked");
}

/// `/api/embed` replies carry `float32` embeddings, which Go spells with the shortest digits of
/// the f32 (the reply of docs/api.md's embed example, ollama/ollama at v0.5.x, values kept).
#[test]
fn embed_replies_re_encode_their_float32_digits() {
    use ollama_wire::EmbedResponse;
    let body = br#"{"model":"all-minilm","embeddings":[[0.010071029,-0.0017594862,0.05007221,0.04692972,0.054916814],[-0.0098027075,0.06042469,0.025257962,-0.006364387,0.07272725]],"total_duration":14143917,"load_duration":1019500,"prompt_eval_count":8}"#;
    let reply: EmbedResponse = serde_json::from_slice(body).unwrap();
    assert_eq!(reply.embeddings.len(), 2);
    assert_eq!(Encoder::new().to_vec(&reply).unwrap(), body);
}
