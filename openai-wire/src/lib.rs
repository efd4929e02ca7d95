//! OpenAI-compatible wire format (work in progress).
