//! Stream merging (work in progress).
