//! String enums whose set of values grows over time: known values get a variant, anything else
//! is kept verbatim in `Other`, so nothing a server sends is lost or rejected.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this crate does not know yet, kept exactly as the server sent it.
            Other(String),
        }

        impl $name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $text, )+
                    Self::Other(s) => s,
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $text => Self::$variant, )+
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                match s.as_str() {
                    $( $text => Self::$variant, )+
                    _ => Self::Other(s),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct V;
                impl Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str("a string")
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$name, E> {
                        Ok($name::from(v))
                    }
                    fn visit_string<E: de::Error>(self, v: String) -> Result<$name, E> {
                        Ok($name::from(v))
                    }
                }
                deserializer.deserialize_str(V)
            }
        }
    };
}

open_enum! {
    /// Why generation stopped (`done_reason`).
    ///
    /// Ollama writes `stop`, `length`, `load` and `unload`; cloud-proxied models pass upstream
    /// values through, which are kept in [`DoneReason::Other`]. Note that a native tool-call turn
    /// ends with `stop`: there is no `tool_calls` reason in the native API.
    pub enum DoneReason {
        /// The model finished (end of sequence or a stop sequence).
        Stop => "stop",
        /// A token limit (`num_predict` or the context) was reached.
        Length => "length",
        /// The request only loaded the model (empty `messages` / `prompt`).
        Load => "load",
        /// The request only unloaded the model (`keep_alive: 0` with nothing to generate).
        Unload => "unload",
    }
}

open_enum! {
    /// A model capability as reported by `/api/show` and (v0.30+) `/api/tags`.
    pub enum Capability {
        /// Text completion (chat and generate).
        Completion => "completion",
        /// Tool calling.
        Tools => "tools",
        /// Fill-in-the-middle (`suffix`).
        Insert => "insert",
        /// Image input.
        Vision => "vision",
        /// Embeddings.
        Embedding => "embedding",
        /// Separate reasoning output (`thinking`).
        Thinking => "thinking",
        /// Image generation.
        Image => "image",
        /// Audio input.
        Audio => "audio",
    }
}

open_enum! {
    /// A reasoning level for `think` (v0.11.1+; `max` since v0.22.0).
    pub enum ThinkLevel {
        /// `"low"`
        Low => "low",
        /// `"medium"`
        Medium => "medium",
        /// `"high"`
        High => "high",
        /// `"max"`
        Max => "max",
    }
}
