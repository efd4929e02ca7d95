//! String enums whose set of values grows over time: known values get a variant, anything else
//! is kept verbatim in `Other`, so nothing a server sends is lost or rejected (the one
//! `open_enum!` of every wire crate, from `wire-core`).

use wire_core::open_enum;

open_enum! {
    /// Why generation stopped (`done_reason`).
    ///
    /// Ollama writes `stop`, `length`, `load` and `unload`; cloud-proxied models pass upstream
    /// values through, which are kept in [`DoneReason::Other`]. Note that a native tool-call turn
    /// ends with `stop`: there is no `tool_calls` reason in the native API.
    pub enum DoneReason {
        /// The model finished (end of sequence or a stop sequence).
        Stop = "stop",
        /// A token limit (`num_predict` or the context) was reached.
        Length = "length",
        /// The request only loaded the model (empty `messages` / `prompt`).
        Load = "load",
        /// The request only unloaded the model (`keep_alive: 0` with nothing to generate).
        Unload = "unload",
    }
}

open_enum! {
    /// A model capability as reported by `/api/show` and (v0.30+) `/api/tags`.
    pub enum Capability {
        /// Text completion (chat and generate).
        Completion = "completion",
        /// Tool calling.
        Tools = "tools",
        /// Fill-in-the-middle (`suffix`).
        Insert = "insert",
        /// Image input.
        Vision = "vision",
        /// Embeddings.
        Embedding = "embedding",
        /// Separate reasoning output (`thinking`).
        Thinking = "thinking",
        /// Image generation.
        Image = "image",
        /// Audio input.
        Audio = "audio",
    }
}

open_enum! {
    /// A reasoning level for `think` (v0.11.1+; `max` since v0.22.0).
    pub enum ThinkLevel {
        /// `"low"`
        Low = "low",
        /// `"medium"`
        Medium = "medium",
        /// `"high"`
        High = "high",
        /// `"max"`
        Max = "max",
    }
}
