//! Test inputs shared by the catalog's integration tests.

use std::path::Path;

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A file of the constructed set in `tests/data/` (see its README for provenance).
pub(crate) fn data(rel: &str) -> Vec<u8> {
    read(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(rel),
    )
}

/// The `response.body` of a workspace fixture in `../fixtures/ollama/<case>/`.
pub(crate) fn fixture(case: &str) -> Vec<u8> {
    test_support::case(test_support::Wire::Ollama, case).body
}
