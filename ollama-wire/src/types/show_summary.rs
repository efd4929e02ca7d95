//! `POST /api/show`, lean: the few facts a model catalog reads, decoded without materialising
//! the rest of the reply.

use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, de::Error as _};

use super::{Capability, ModelDetails, ModelInfo, RawJson, ShowResponse};

/// The marker [`ShowSummary::template_mentions_tools`] looks for.
const TOOLS_MARKER: &str = ".Tools";

/// What a model catalog needs from a `POST /api/show` reply: capabilities, details, the
/// architecture and its context length, and the few facts that stand in for capabilities on
/// servers that predate them.
///
/// A [`ShowResponse`] body is mostly text nobody listing models reads: hundreds of `tensors`,
/// the licence, the modelfile, the template, baked-in `messages` and a `model_info` map of a
/// few dozen GGUF keys. Decoding into `ShowSummary` skips all of that with
/// [`IgnoredAny`] — checked to be well-formed JSON, never copied, no allocation per skipped
/// value or `model_info` entry — and keeps only:
///
/// | field | from |
/// |---|---|
/// | [`capabilities`](Self::capabilities) | `capabilities` |
/// | [`details`](Self::details) | `details` |
/// | [`architecture`](Self::architecture) | `model_info["general.architecture"]`, when a string |
/// | [`context_length`](Self::context_length) | `model_info["<architecture>.context_length"]`, when an unsigned integer |
/// | [`template_mentions_tools`](Self::template_mentions_tools) | whether `template` contains `.Tools` |
/// | [`has_projector`](Self::has_projector) | whether `projector_info` is an object |
/// | [`remote_model`](Self::remote_model), [`remote_host`](Self::remote_host) | the same fields |
///
/// The fields it reads are decoded exactly as [`ShowResponse`] decodes them, with the same
/// errors: a body that is not JSON (invalid UTF-8 anywhere included, when decoded with
/// [`decode_json`](crate::decode_json)) or not an object, a repeated field, `capabilities`
/// that is not an array of strings, `model_info` or `projector_info` that is not an object,
/// `template` that is not a string. Where both decodes succeed, `ShowSummary::from(&show)` of
/// the full reply equals the lean decode. Fields it skips are not type-checked: a `license` that is a number
/// fails the full decode but not this one.
///
/// ```
/// use ollama_wire::{Capability, ResponseError, ShowSummary, decode_json};
///
/// let body = br#"{"license":"Apache License 2.0 ...","template":"{{ .Prompt }}",
///   "details":{"format":"gguf","family":"qwen3","parameter_size":"8.2B"},
///   "model_info":{"general.architecture":"qwen3","qwen3.block_count":36,
///     "qwen3.context_length":40960,"tokenizer.ggml.tokens":null},
///   "tensors":[{"name":"token_embd.weight","type":"Q4_K","shape":[4096,151936]}],
///   "capabilities":["completion","tools","thinking"]}"#;
/// let show: ShowSummary = decode_json(200, body)?;
/// assert!(show.has_capability(&Capability::Tools));
/// assert_eq!(show.details.family, "qwen3");
/// assert_eq!(show.architecture.as_deref(), Some("qwen3"));
/// assert_eq!(show.context_length, Some(40960));
/// assert_eq!(show.template_mentions_tools, Some(false));
///
/// // Error bodies are errors, as with every type `decode_json` decodes.
/// let err = decode_json::<ShowSummary>(404, br#"{"error":"model 'x' not found"}"#);
/// assert!(matches!(err, Err(ResponseError::Upstream { status: 404, .. })));
/// // So are bodies that are not an object.
/// assert!(decode_json::<ShowSummary>(200, b"[]").is_err());
/// # Ok::<(), ResponseError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ShowSummary {
    /// Capabilities (v0.6.4+); `None` when absent or `null`.
    pub capabilities: Option<Vec<Capability>>,
    /// Format, family, size and quantization.
    pub details: ModelDetails,
    /// `model_info["general.architecture"]` when it is a string (the last one, if repeated), as
    /// [`ModelInfo::architecture`].
    pub architecture: Option<String>,
    /// `model_info["<architecture>.context_length"]` when it is an unsigned integer, as
    /// [`ModelInfo::context_length`]: exactly that key, never a sub-encoder key such as
    /// `<arch>.vision.context_length`.
    pub context_length: Option<u64>,
    /// Whether `template` contains `.Tools`; `None` without a template. Servers before v0.6.4
    /// send no `capabilities`; a template that ranges over `.Tools` is how tool support shows
    /// there.
    pub template_mentions_tools: Option<bool>,
    /// Whether `projector_info` is present (an object): the model takes images. Servers before
    /// v0.6.4 report vision this way only.
    pub has_projector: bool,
    /// Upstream model of a cloud model.
    pub remote_model: Option<String>,
    /// Upstream host of a cloud model.
    pub remote_host: Option<String>,
}

impl ShowSummary {
    /// Whether the model reports `capability` (`false` when capabilities are absent).
    pub fn has_capability(&self, capability: &Capability) -> bool {
        self.capabilities
            .as_deref()
            .is_some_and(|caps| caps.contains(capability))
    }
}

impl From<&ShowResponse> for ShowSummary {
    /// The facts of a fully decoded reply; equal to decoding the same body as `ShowSummary`.
    fn from(show: &ShowResponse) -> Self {
        let info = show.model_info.as_ref();
        Self {
            capabilities: show.capabilities.clone(),
            details: show.details.clone(),
            architecture: info.and_then(ModelInfo::architecture),
            context_length: info.and_then(ModelInfo::context_length),
            template_mentions_tools: show
                .template
                .as_deref()
                .map(|template| template.contains(TOOLS_MARKER)),
            has_projector: show.projector_info.is_some(),
            remote_model: show.remote_model.clone(),
            remote_host: show.remote_host.clone(),
        }
    }
}

impl From<ShowResponse> for ShowSummary {
    fn from(show: ShowResponse) -> Self {
        let mut summary = Self::from(&show);
        summary.capabilities = show.capabilities;
        summary.details = show.details;
        summary.remote_model = show.remote_model;
        summary.remote_host = show.remote_host;
        summary
    }
}

/// A top-level key of the reply: the fields read, and everything else.
enum Field {
    Capabilities,
    Details,
    ModelInfo,
    ProjectorInfo,
    Template,
    RemoteModel,
    RemoteHost,
    Skipped,
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Field;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("field identifier")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Field, E> {
                Ok(match key {
                    "capabilities" => Field::Capabilities,
                    "details" => Field::Details,
                    "model_info" => Field::ModelInfo,
                    "projector_info" => Field::ProjectorInfo,
                    "template" => Field::Template,
                    "remote_model" => Field::RemoteModel,
                    "remote_host" => Field::RemoteHost,
                    _ => Field::Skipped,
                })
            }
        }
        deserializer.deserialize_identifier(V)
    }
}

/// Reads the value of a field that may appear once, as the derived [`ShowResponse`] decode does.
fn once<'de, A, T>(map: &mut A, slot: &mut Option<T>, name: &'static str) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    if slot.is_some() {
        return Err(A::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

impl<'de> Deserialize<'de> for ShowSummary {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ShowSummary;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                // The wire type this summarises: the same words as the full decode's errors.
                f.write_str("struct ShowResponse")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ShowSummary, A::Error> {
                let mut capabilities = None;
                let mut details = None;
                let mut model_info: Option<Option<InfoFacts>> = None;
                let mut projector_info: Option<Option<SkippedObject>> = None;
                let mut template: Option<Option<TemplateFacts>> = None;
                let mut remote_model = None;
                let mut remote_host = None;
                while let Some(field) = map.next_key::<Field>()? {
                    match field {
                        Field::Capabilities => once(&mut map, &mut capabilities, "capabilities")?,
                        Field::Details => once(&mut map, &mut details, "details")?,
                        Field::ModelInfo => once(&mut map, &mut model_info, "model_info")?,
                        Field::ProjectorInfo => {
                            once(&mut map, &mut projector_info, "projector_info")?;
                        }
                        Field::Template => once(&mut map, &mut template, "template")?,
                        Field::RemoteModel => once(&mut map, &mut remote_model, "remote_model")?,
                        Field::RemoteHost => once(&mut map, &mut remote_host, "remote_host")?,
                        Field::Skipped => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                let (architecture, context_length) = model_info
                    .flatten()
                    .map(InfoFacts::resolve)
                    .unwrap_or_default();
                Ok(ShowSummary {
                    capabilities: capabilities.flatten(),
                    details: details.unwrap_or_default(),
                    architecture,
                    context_length,
                    template_mentions_tools: template.flatten().map(|t| t.mentions_tools),
                    has_projector: projector_info.flatten().is_some(),
                    remote_model: remote_model.flatten(),
                    remote_host: remote_host.flatten(),
                })
            }
        }
        deserializer.deserialize_map(V)
    }
}

/// A `model_info` key: the two the summary reads, and everything else.
enum InfoKey {
    Architecture,
    /// `<prefix>.context_length`, with its prefix.
    ContextLength(String),
    Skipped,
}

impl<'de> Deserialize<'de> for InfoKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = InfoKey;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<InfoKey, E> {
                Ok(if key == "general.architecture" {
                    InfoKey::Architecture
                } else if let Some(prefix) = key.strip_suffix(".context_length") {
                    InfoKey::ContextLength(prefix.to_owned())
                } else {
                    InfoKey::Skipped
                })
            }
        }
        deserializer.deserialize_str(V)
    }
}

/// What `model_info` says about the architecture and its context, before the key
/// `<architecture>.context_length` is known (Go sorts the keys, so `gemma3.context_length` comes
/// before `general.architecture`).
struct InfoFacts {
    /// The last `general.architecture`, when a string.
    architecture: Option<String>,
    /// Every `<prefix>.context_length` in order, with its value when an unsigned integer.
    context_lengths: Vec<(String, Option<u64>)>,
}

impl InfoFacts {
    fn resolve(self) -> (Option<String>, Option<u64>) {
        let context_length = self.architecture.as_deref().and_then(|arch| {
            // The last one, if the key is repeated, as `ModelInfo::get`.
            self.context_lengths
                .iter()
                .rev()
                .find(|(prefix, _)| prefix == arch)
                .and_then(|(_, value)| *value)
        });
        (self.architecture, context_length)
    }
}

impl<'de> Deserialize<'de> for InfoFacts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = InfoFacts;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of metadata keys")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<InfoFacts, A::Error> {
                let mut facts = InfoFacts {
                    architecture: None,
                    context_lengths: Vec::new(),
                };
                while let Some(key) = map.next_key::<InfoKey>()? {
                    // The values read are taken as `ModelInfo` takes them (raw JSON, then the
                    // same typed parse), so both decodes agree on every spelling.
                    match key {
                        InfoKey::Architecture => {
                            let value = map.next_value::<RawJson>()?;
                            facts.architecture = value.parse::<String>().ok();
                        }
                        InfoKey::ContextLength(prefix) => {
                            let value = map.next_value::<RawJson>()?;
                            facts
                                .context_lengths
                                .push((prefix, value.parse::<u64>().ok()));
                        }
                        InfoKey::Skipped => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(facts)
            }
        }
        deserializer.deserialize_map(V)
    }
}

/// An object whose entries are skipped (`projector_info`): only its presence counts.
struct SkippedObject;

impl<'de> Deserialize<'de> for SkippedObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = SkippedObject;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of metadata keys")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SkippedObject, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(SkippedObject)
            }
        }
        deserializer.deserialize_map(V)
    }
}

/// The one fact read from `template`, taken from the borrowed or unescaped text without
/// keeping it.
struct TemplateFacts {
    mentions_tools: bool,
}

impl<'de> Deserialize<'de> for TemplateFacts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = TemplateFacts;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, template: &str) -> Result<TemplateFacts, E> {
                Ok(TemplateFacts {
                    mentions_tools: template.contains(TOOLS_MARKER),
                })
            }
        }
        deserializer.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::{ResponseError, decode_json};

    fn lean(body: &[u8]) -> Result<ShowSummary, ResponseError> {
        decode_json(200, body)
    }

    fn full(body: &[u8]) -> Result<ShowResponse, ResponseError> {
        decode_json(200, body)
    }

    /// Both decodes of `body`: the full one seen through `From`, and the lean one.
    fn both(body: &[u8]) -> (ShowSummary, ShowSummary) {
        let text = String::from_utf8_lossy(body);
        let from_full = ShowSummary::from(&full(body).unwrap_or_else(|e| panic!("{e}: {text}")));
        let lean = lean(body).unwrap_or_else(|e| panic!("{e}: {text}"));
        (from_full, lean)
    }

    fn files(dir: &Path, keep: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.unwrap().path())
            .filter(|path| keep(path))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn same_facts_as_the_full_decode_for_every_show_and_tags_body() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        // The workspace corpus (`<case>/response.body`, status from case.toml) and the
        // catalog's constructed show bodies.
        let mut bodies = Vec::new();
        for case in files(&root.join("fixtures/ollama"), |path| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.starts_with("show-") || name.starts_with("tags-")
        }) {
            let meta = std::fs::read_to_string(case.join("case.toml")).unwrap();
            assert!(meta.contains("status = 200"), "{}", case.display());
            bodies.push((
                case.clone(),
                std::fs::read(case.join("response.body")).unwrap(),
            ));
        }
        let shows = bodies
            .iter()
            .filter(|(p, _)| p.to_string_lossy().contains("show-"));
        assert_eq!(shows.count(), 4, "show fixtures");
        for path in files(&root.join("catalog/tests/data/show"), |p| {
            p.extension().is_some_and(|e| e == "json")
        }) {
            bodies.push((path.clone(), std::fs::read(&path).unwrap()));
        }
        assert!(bodies.len() >= 13, "{} bodies", bodies.len());
        let mut with_context = 0;
        for (path, body) in &bodies {
            let (from_full, lean) = both(body);
            assert_eq!(lean, from_full, "{}", path.display());
            assert_eq!(ShowSummary::from(full(body).unwrap()), lean);
            with_context += usize::from(lean.context_length.is_some());
        }
        assert!(with_context >= 6, "context lengths found: {with_context}");
    }

    #[test]
    fn reads_the_facts_and_skips_the_rest() {
        let body = br#"{"license":"MIT","modelfile":"FROM x","parameters":"stop \"<end>\"",
          "template":"{{ if .Tools }}{{ .Tools }}{{ end }}","system":"Be brief.",
          "details":{"parent_model":"","format":"gguf","family":"gemma3","families":["gemma3"],
            "parameter_size":"4.3B","quantization_level":"Q4_K_M"},
          "messages":[{"role":"user","content":"hi"}],
          "model_info":{"gemma3.context_length":131072,"gemma3.vision.context_length":4096,
            "general.architecture":"gemma3","tokenizer.ggml.tokens":null,"a":{"b":[1,{"c":2}]}},
          "projector_info":{"clip.has_vision_encoder":true},
          "tensors":[{"name":"t","type":"F32","shape":[1]}],
          "capabilities":["completion","vision","tools"],
          "modified_at":"2025-01-01T00:00:00Z","requires":"0.6.0","new_field":[{"x":null}]}"#;
        let (from_full, show) = both(body);
        assert_eq!(show, from_full);
        assert_eq!(
            show.capabilities,
            Some(vec![
                Capability::Completion,
                Capability::Vision,
                Capability::Tools
            ])
        );
        assert_eq!(show.details.quantization_level, "Q4_K_M");
        assert_eq!(show.architecture.as_deref(), Some("gemma3"));
        assert_eq!(show.context_length, Some(131_072));
        assert_eq!(show.template_mentions_tools, Some(true));
        assert!(show.has_projector);
        assert_eq!(show.remote_host, None);
    }

    #[test]
    fn model_info_rules_match_model_info() {
        for info in [
            // Repeated keys: the last wins, for the architecture and for the context.
            r#"{"general.architecture":"a","general.architecture":"b","a.context_length":1,"b.context_length":2,"b.context_length":3}"#,
            r#"{"general.architecture":"a","general.architecture":7,"a.context_length":1}"#,
            r#"{"b.context_length":5,"general.architecture":"b","b.context_length":"6"}"#,
            // Values of other types, escapes in keys and values, an empty architecture.
            r#"{"general.architecture":"m","m.context_length":4096.0}"#,
            r#"{"general.architecture":"m","m.context_length":-1}"#,
            r#"{"general.architecture":"m","m.context_length":1e400}"#,
            r#"{"general.architecture":"m","m.context_length":18446744073709551615}"#,
            r#"{"general.architecture":"m","m.context_length":18446744073709551616}"#,
            r#"{"general\u002earchitecture":"\u006d","m.context_lengt\u0068":[1]}"#,
            r#"{"general.architecture":"\u006d","m.context_length":12}"#,
            r#"{"general.architecture":"","m.context_length":1,".context_length":2}"#,
            r#"{"general.architecture":null,"null.context_length":2}"#,
            r#"{"general.architecture":["m"],"m.context_length":2}"#,
            r#"{"m.vision.context_length":9,"general.architecture":"m"}"#,
            r#"{}"#,
            "null",
        ] {
            let body = format!(r#"{{"model_info":{info}}}"#);
            let (from_full, lean) = both(body.as_bytes());
            assert_eq!(lean, from_full, "{info}");
        }
        let (_, show) = both(
            br#"{"model_info":{"general.architecture":"a","a.context_length":1,"a.context_length":2}}"#,
        );
        assert_eq!(show.context_length, Some(2));
    }

    #[test]
    fn absent_and_null_fields() {
        for body in [
            "{}",
            r#"{"capabilities":null,"template":null,"projector_info":null,"model_info":null}"#,
            r#"{"remote_model":null,"remote_host":null}"#,
            r#"{"template":"{{ .Prompt }}","projector_info":{}}"#,
            r#"{"remote_model":"gpt-oss:120b","remote_host":"https://ollama.com:443"}"#,
        ] {
            let (from_full, lean) = both(body.as_bytes());
            assert_eq!(lean, from_full, "{body}");
        }
        assert_eq!(lean(b"{}").unwrap(), ShowSummary::default());
        // An error object is not an empty reply: both decodes report it, even with status 200.
        let body = br#"{"error":"model 'x' not found"}"#;
        assert!(matches!(
            lean(body),
            Err(ResponseError::Upstream { status: 200, .. })
        ));
        assert!(matches!(
            full(body),
            Err(ResponseError::Upstream { status: 200, .. })
        ));
    }

    #[test]
    fn errors_for_bodies_that_are_not_a_show_object() {
        for body in [
            &b""[..],
            b"<html>",
            b"null",
            b"42",
            br#""text""#,
            b"[]",
            br#"[null,{}]"#,
            b"{",
            br#"{"license":"unterminated}"#,
            br#"{"tensors":[1,2,}"#,
            br#"{} {}"#,
            b"{\"license\":\"\xff\"}",
            b"{\"tensors\":[{\"name\":\"\xc3\"}]}",
        ] {
            let err = lean(body).unwrap_err();
            assert!(
                matches!(err, ResponseError::Malformed { .. }),
                "{}: {err}",
                String::from_utf8_lossy(body)
            );
        }
        // Invalid UTF-8 names its position, as the full decode does.
        let body = b"{\"license\":\"\xff\"}";
        assert_eq!(
            lean(body).unwrap_err().to_string(),
            full(body).unwrap_err().to_string()
        );
    }

    #[test]
    fn wrong_types_in_fields_it_reads_fail_like_the_full_decode() {
        for body in [
            r#"{"capabilities":"tools"}"#,
            r#"{"capabilities":[1]}"#,
            r#"{"capabilities":{"tools":true}}"#,
            r#"{"details":null}"#,
            r#"{"details":{"family":7}}"#,
            r#"{"model_info":[1,2]}"#,
            r#"{"model_info":"llama"}"#,
            r#"{"projector_info":[]}"#,
            r#"{"projector_info":true}"#,
            r#"{"template":42}"#,
            r#"{"template":["{{ .Tools }}"]}"#,
            r#"{"remote_host":1}"#,
            r#"{"remote_model":{}}"#,
            r#"{"capabilities":["tools"],"capabilities":null}"#,
            r#"{"model_info":{},"model_info":{}}"#,
            r#"{"template":"","template":""}"#,
        ] {
            let want = full(body.as_bytes()).unwrap_err().to_string();
            let got = lean(body.as_bytes()).unwrap_err().to_string();
            assert_eq!(got, want, "{body}");
        }
    }

    #[test]
    fn skipped_fields_are_not_type_checked() {
        // The documented difference: only the fields read are checked against their types.
        for body in [
            r#"{"license":5,"capabilities":["tools"]}"#,
            r#"{"tensors":{"not":"a list"},"capabilities":["tools"]}"#,
            r#"{"messages":"hi","capabilities":["tools"]}"#,
        ] {
            assert!(full(body.as_bytes()).is_err(), "{body}");
            assert_eq!(
                lean(body.as_bytes()).unwrap().capabilities,
                Some(vec![Capability::Tools])
            );
        }
    }

    #[test]
    fn error_bodies_are_upstream_errors() {
        for (status, body) in [
            (404, &br#"{"error":"model 'x' not found"}"#[..]),
            (500, br#"{"error":"boom","license":[1]}"#),
            (502, b"Bad Gateway"),
        ] {
            let err = decode_json::<ShowSummary>(status, body).unwrap_err();
            let ResponseError::Upstream { status: s, error } = err else {
                panic!("{err}");
            };
            assert_eq!(s, status);
            assert!(!error.error.is_empty());
        }
        // A 2xx body that fails to decode and is an error object is the server's error.
        let err = lean(br#"{"error":"boom","capabilities":"tools"}"#).unwrap_err();
        assert!(
            matches!(&err, ResponseError::Upstream { status: 200, error } if error.error == "boom"),
            "{err}"
        );
    }
}
