//! Model discovery and catalog derivation (work in progress).
