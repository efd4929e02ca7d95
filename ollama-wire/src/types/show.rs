//! `POST /api/show`: model details, capabilities and GGUF metadata.

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::{Capability, Message, ModelDetails, RawJson};

/// A show request. Ollama prefers `model`; the deprecated `name` is used when `model` is empty.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ShowRequest {
    /// Model name.
    pub model: String,
    /// Include full GGUF arrays (tokens etc.) in `model_info`.
    #[serde(default, skip_serializing_if = "super::is_false")]
    pub verbose: bool,
    /// System prompt override.
    pub system: Option<String>,
    /// Options.
    pub options: Option<Map<String, Value>>,
}

impl ShowRequest {
    /// A request for `model`.
    pub fn new(model: impl Into<String>) -> Self {
        Self {
            model: model.into(),
            ..Self::default()
        }
    }
}

/// The reply of `POST /api/show`.
///
/// Bodies can be large (hundreds of `tensors`, long licence text). Fields Ollama omits when
/// empty are `None`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ShowResponse {
    /// Licence text(s), joined with `\n`.
    pub license: Option<String>,
    /// The generated Modelfile.
    pub modelfile: Option<String>,
    /// One parameter per line: the key padded to 30 characters, then a Go-quoted value. Line
    /// order is random (Go map order); multi-valued parameters repeat the key.
    pub parameters: Option<String>,
    /// The prompt template (Go template, or a GGUF Jinja template).
    pub template: Option<String>,
    /// System prompt.
    pub system: Option<String>,
    /// Builtin renderer name.
    pub renderer: Option<String>,
    /// Builtin parser name.
    pub parser: Option<String>,
    /// Format, family, size and quantization.
    #[serde(default)]
    pub details: ModelDetails,
    /// Messages baked into the model.
    pub messages: Option<Vec<Message>>,
    /// Upstream model of a cloud model.
    pub remote_model: Option<String>,
    /// Upstream host of a cloud model.
    pub remote_host: Option<String>,
    /// GGUF metadata (absent on servers before v0.14.3 when empty).
    pub model_info: Option<ModelInfo>,
    /// Metadata of the vision projector; its presence means vision input.
    pub projector_info: Option<ModelInfo>,
    /// Tensor list (sent even without `verbose`).
    pub tensors: Option<Vec<TensorInfo>>,
    /// Capabilities (v0.6.4+).
    pub capabilities: Option<Vec<Capability>>,
    /// Manifest modification time, kept verbatim (`0001-01-01T00:00:00Z` for cloud stubs).
    pub modified_at: Option<String>,
    /// Minimum server version the model requires.
    pub requires: Option<String>,
}

impl ShowResponse {
    /// Whether the model reports `capability` (`false` when capabilities are absent).
    pub fn has_capability(&self, capability: &Capability) -> bool {
        self.capabilities
            .as_deref()
            .is_some_and(|caps| caps.contains(capability))
    }
}

/// One tensor of [`ShowResponse::tensors`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TensorInfo {
    /// Tensor name.
    pub name: String,
    /// Element type, e.g. `Q4_K`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Dimensions.
    pub shape: Vec<u64>,
}

/// GGUF key/value metadata (`model_info`, `projector_info`), in the order received.
///
/// Values are kept byte-exact (numbers such as `1e-06` keep their spelling). Non-verbose
/// replies send `null` for array values. Look keys up with [`ModelInfo::get`]; the typed
/// helpers return `None` for a missing key or a value of another JSON type.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ModelInfo {
    entries: Vec<(String, RawJson)>,
}

impl ModelInfo {
    /// The raw value of `key` (the last one, if a key is repeated).
    pub fn get(&self, key: &str) -> Option<&RawJson> {
        self.entries
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// The value of `key` as an unsigned integer.
    pub fn get_u64(&self, key: &str) -> Option<u64> {
        self.get(key)?.parse::<u64>().ok()
    }

    /// The value of `key` as a string.
    pub fn get_str(&self, key: &str) -> Option<String> {
        self.get(key)?.parse::<String>().ok()
    }

    /// `general.architecture`, e.g. `llama`, `qwen3`, `gemma3`.
    pub fn architecture(&self) -> Option<String> {
        self.get_str("general.architecture")
    }

    /// The model's maximum context: exactly `<general.architecture>.context_length`, never a
    /// sub-encoder key such as `<arch>.vision.context_length`.
    pub fn context_length(&self) -> Option<u64> {
        let arch = self.architecture()?;
        self.get_u64(&format!("{arch}.context_length"))
    }

    /// Entries in the order received.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &RawJson)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Appends an entry.
    pub fn push(&mut self, key: impl Into<String>, value: RawJson) {
        self.entries.push((key.into(), value));
    }
}

impl fmt::Debug for ModelInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for ModelInfo {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.entries.len()))?;
        for (k, v) in &self.entries {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for ModelInfo {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ModelInfo;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of metadata keys")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ModelInfo, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
                while let Some((k, v)) = map.next_entry::<String, RawJson>()? {
                    entries.push((k, v));
                }
                Ok(ModelInfo { entries })
            }
        }
        deserializer.deserialize_map(V)
    }
}
