//! The recorded `/api/blobs/:digest` exchanges of Ollama 0.33 read through `ollama_wire::blobs`.

use ollama_wire::blobs::{BlobDigest, CreateBlob, HeadBlob};
use test_support::Wire;

fn blob_case(id: &str) -> test_support::FixtureCase {
    test_support::case(Wire::Ollama, id)
}

fn digest_of(case: &test_support::FixtureCase) -> BlobDigest {
    let digest = case.meta.endpoint.strip_prefix("/api/blobs/").unwrap();
    BlobDigest::parse(digest).unwrap()
}

#[test]
fn head_before_and_after_the_upload() {
    let missing = blob_case("ollama033-blob-head-missing");
    let present = blob_case("ollama033-blob-head-present");
    assert_eq!(
        HeadBlob::from_status(missing.meta.status),
        HeadBlob::Missing
    );
    assert_eq!(
        HeadBlob::from_status(present.meta.status),
        HeadBlob::Present
    );
    // Both ask for the digest of the GGUF that was uploaded in between.
    let digest = digest_of(&present);
    assert_eq!(digest, digest_of(&missing));
    assert!(digest.is_canonical());
    assert_eq!(
        digest.hex(),
        "a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818"
    );
    assert!(missing.body.is_empty() && present.body.is_empty());
}

#[test]
fn uploads_to_the_wrong_digest_name_the_real_one() {
    // (case, the digest of the bytes sent: sha256 of "" and of "hello")
    for (id, real) in [
        (
            "ollama033-blob-upload-bad-digest",
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ),
        (
            "ollama033-blob-upload-digest-mismatch",
            "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
        ),
    ] {
        let case = blob_case(id);
        let asked = digest_of(&case);
        let reply = CreateBlob::from_response(case.meta.status, &case.body);
        assert!(!reply.is_success(), "{id}");
        let CreateBlob::DigestMismatch {
            expected, actual, ..
        } = reply
        else {
            panic!("{id}: {reply:?}");
        };
        assert_eq!(expected.as_deref(), Some(asked.as_str()), "{id}");
        assert_eq!(actual.as_deref(), Some(real), "{id}");
    }
}
