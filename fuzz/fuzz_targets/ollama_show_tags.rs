//! `decode_json` of `/api/show` and `/api/tags` bodies from arbitrary bytes: a typed result for
//! any body and status, `Upstream` exactly for error statuses and error objects, `ModelInfo`
//! helpers total on any `model_info`, and decoded values re-encode to equal values.
//!
//! These are whole-body decoders, so there is no chunking plan: flags bits 0..=1 pick the
//! status (200, 200, 404, 500); the plan bytes are ignored.
#![no_main]

use std::fmt::Debug;

use libfuzzer_sys::fuzz_target;
use ollama_protocol_fuzz::Input;
use ollama_wire::{
    Encoder, Escaping, ListResponse, ModelInfo, ResponseError, ShowResponse, decode_error_body,
    decode_json,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

fn check<T: DeserializeOwned + Serialize + PartialEq + Debug>(
    status: u16,
    body: &[u8],
) -> Option<T> {
    match decode_json::<T>(status, body) {
        Ok(value) => {
            assert_eq!(status, 200, "Ok only for 2xx");
            // Minimal escaping passes raw values (model_info, arguments) through: identity. Go
            // escaping writes them in Go's spelling (`&` as `\u0026`), which is then a fixed
            // point. (A 10-minute run found raw `&` in model_info failing the stricter property.)
            let encode = |escaping, value: &T| {
                Encoder::with_escaping(escaping)
                    .to_vec(value)
                    .unwrap_or_else(|e| panic!("a decoded body must encode: {e}"))
            };
            let decode = |bytes: &[u8]| -> T {
                decode_json(200, bytes).unwrap_or_else(|e| {
                    panic!(
                        "re-encoded body does not decode ({e}): {}",
                        String::from_utf8_lossy(bytes)
                    )
                })
            };
            assert_eq!(decode(&encode(Escaping::Minimal, &value)), value);
            let go = encode(Escaping::Go, &value);
            assert_eq!(
                encode(Escaping::Go, &decode(&go)),
                go,
                "Go spelling is not a fixed point"
            );
            Some(value)
        }
        Err(ResponseError::Upstream { status: s, error }) => {
            assert_eq!(s, status);
            if status != 200 {
                assert_eq!(error, decode_error_body(body));
            }
            None
        }
        Err(ResponseError::Malformed { .. }) => {
            assert_eq!(status, 200, "non-2xx is always Upstream");
            None
        }
        Err(other) => panic!("unknown error kind {other:?}"),
    }
}

fn exercise(info: &ModelInfo) {
    let _ = info.architecture();
    let _ = info.context_length();
    for (key, value) in info.iter() {
        assert!(info.get(key).is_some());
        let _ = (info.get_u64(key), info.get_str(key), value.as_str().len());
    }
    assert_eq!(info.iter().count(), info.len());
}

fuzz_target!(|data: &[u8]| {
    let Some(input) = Input::parse(data) else {
        return;
    };
    let status = [200, 200, 404, 500][usize::from(input.flags & 3)];
    if let Some(show) = check::<ShowResponse>(status, &input.body) {
        for info in [&show.model_info, &show.projector_info]
            .into_iter()
            .flatten()
        {
            exercise(info);
        }
    }
    if let Some(tags) = check::<ListResponse>(status, &input.body) {
        for model in &tags.models {
            let _ = model.id();
        }
    }
});
