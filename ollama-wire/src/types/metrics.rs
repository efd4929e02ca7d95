//! Timing and token counters reported on (usually) the final chunk.

use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize};

/// Counters Ollama reports, normally on the `done: true` chunk.
///
/// Every field is optional: absent means "not reported", never `0` (cloud models omit
/// `load_duration`; fully cached prompts used to omit `prompt_eval_count`). Durations are integer
/// nanoseconds and can exceed 2^32.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Metrics {
    /// Time spent on the whole request, in nanoseconds.
    pub total_duration: Option<u64>,
    /// Time spent loading the model, in nanoseconds.
    pub load_duration: Option<u64>,
    /// Number of prompt tokens evaluated.
    pub prompt_eval_count: Option<u64>,
    /// Time spent evaluating the prompt, in nanoseconds.
    pub prompt_eval_duration: Option<u64>,
    /// Number of tokens generated.
    pub eval_count: Option<u64>,
    /// Time spent generating, in nanoseconds.
    pub eval_duration: Option<u64>,
}

impl Metrics {
    /// Whether no counter is present.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Generation speed in tokens per second (`eval_count / eval_duration`), when both are known
    /// and the duration is non-zero.
    pub fn tokens_per_second(&self) -> Option<f64> {
        let count = self.eval_count?;
        let nanos = self.eval_duration.filter(|d| *d > 0)?;
        Some(count as f64 * 1e9 / nanos as f64)
    }

    /// Writes the present counters, in Ollama's order, into an enclosing struct.
    pub(crate) fn serialize_into<S: SerializeStruct>(&self, s: &mut S) -> Result<(), S::Error> {
        let fields = [
            ("total_duration", self.total_duration),
            ("load_duration", self.load_duration),
            ("prompt_eval_count", self.prompt_eval_count),
            ("prompt_eval_duration", self.prompt_eval_duration),
            ("eval_count", self.eval_count),
            ("eval_duration", self.eval_duration),
        ];
        for (name, value) in fields {
            serialize_some(s, name, value.as_ref())?;
        }
        Ok(())
    }
}

/// Writes the field `name` into an enclosing struct when `value` is present, and nothing when
/// not (Go's `omitempty` on a pointer).
pub(crate) fn serialize_some<S: SerializeStruct, T: Serialize>(
    s: &mut S,
    name: &'static str,
    value: Option<&T>,
) -> Result<(), S::Error> {
    match value {
        Some(v) => s.serialize_field(name, v),
        None => Ok(()),
    }
}

/// The [`Metrics`] of a decoded wire struct that, flat as Go writes the embedded struct, has the
/// six counters as fields of its own (`metrics_of!(w)` moves them out of `w`).
macro_rules! metrics_of {
    ($wire:ident) => {
        $crate::types::Metrics {
            total_duration: $wire.total_duration,
            load_duration: $wire.load_duration,
            prompt_eval_count: $wire.prompt_eval_count,
            prompt_eval_duration: $wire.prompt_eval_duration,
            eval_count: $wire.eval_count,
            eval_duration: $wire.eval_duration,
        }
    };
}
pub(crate) use metrics_of;
