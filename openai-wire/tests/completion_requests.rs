//! Every recorded `/v1/completions` request body decodes into `CompletionCreateParams` and
//! encodes back to the same JSON value (the Python clients' spacing and key order aside).

use openai_wire::Encoder;
use openai_wire::chat::Stop;
use openai_wire::completions::CompletionCreateParams;
use serde_json::Value;
use test_support::Wire;

#[test]
fn recorded_completion_requests_round_trip() {
    let mut seen = 0;
    for case in test_support::cases(Wire::OpenAi) {
        if case.meta.endpoint != "/v1/completions" {
            continue;
        }
        let Ok(raw) = std::fs::read(case.dir.join("request.json")) else {
            continue;
        };
        let sent: Value = serde_json::from_slice(&raw).unwrap();
        let Ok(request) = serde_json::from_slice::<CompletionCreateParams>(&raw) else {
            // The recorded wrong-type request: Ollama answers it with a 400.
            assert!(case.meta.status >= 400, "{}", case.id);
            continue;
        };
        let again: Value =
            serde_json::from_slice(&Encoder::new().to_vec(&request).unwrap()).unwrap();
        assert_eq!(again, sent, "{}", case.id);
        seen += 1;
    }
    assert!(seen >= 8, "{seen}");
}

#[test]
fn the_stop_hit_request_reads_as_written() {
    let raw = std::fs::read(
        test_support::case(Wire::OpenAi, "ollama033-completions-stop-hit")
            .dir
            .join("request.json"),
    )
    .unwrap();
    let request: CompletionCreateParams = serde_json::from_slice(&raw).unwrap();
    assert_eq!(request.model, "gemma3-plain");
    assert_eq!(request.prompt, "The capital of France is");
    assert_eq!(request.max_tokens, Some(24));
    assert_eq!(request.temperature, Some(0.0));
    assert_eq!(request.stop, Some(Stop::Many(vec!["Paris".into()])));
    let built = CompletionCreateParams::new("m", "Hi");
    assert_eq!(
        Encoder::new().to_vec(&built).unwrap(),
        br#"{"model":"m","prompt":"Hi"}"#
    );
}
