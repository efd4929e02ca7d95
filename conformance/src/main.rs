//! Conformance replay (work in progress).
fn main() {}
