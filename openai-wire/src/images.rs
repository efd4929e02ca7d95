//! `POST /v1/images/generations` and `POST /v1/images/edits`, as Ollama serves them for its
//! image-generation models.
//!
//! Typed from Ollama's source (github.com/ollama/ollama `openai/openai.go`, commit
//! 077a50baa53553339fa1b545c74e08d88db90add: `ImageGenerationRequest`, `ImageEditRequest`,
//! `ImageGenerationResponse`, `ImageURLOrData`; `middleware/openai.go`'s
//! `ImageGenerationsMiddleware` and `ImageEditsMiddleware`); no image model runs where the
//! recordings were made, so the fixtures are constructed. What Ollama does with the fields:
//!
//! - `prompt` and `model` are required (`400 prompt is required`, `400 model is required`), and
//!   for an edit `image` too (`400 image is required`): a data URI or bare base64 (no URL);
//! - `size` (`"1024x1024"`) becomes the generation's width and height, `seed` its seed;
//! - `n` and `response_format` are accepted and ignored: the reply always has one image, as
//!   `b64_json`.
//!
//! ```
//! use openai_wire::images::ImagesResponse;
//! use openai_wire::Encoder;
//!
//! let body = br#"{"created":1796112000,"data":[{"b64_json":"iVBORw0KGgo="}]}"#;
//! let reply: ImagesResponse = serde_json::from_slice(body)?;
//! assert_eq!(reply.data[0].b64_json.as_deref(), Some("iVBORw0KGgo="));
//! assert_eq!(Encoder::new().to_vec(&reply)?, body);
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::{Deserialize, Serialize};

/// The body of `POST /v1/images/generations`.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ImageGenerateParams {
    /// The image model.
    #[serde(default)]
    pub model: String,
    /// What to draw.
    #[serde(default)]
    pub prompt: String,
    /// How many images (ignored by Ollama: one).
    pub n: Option<u32>,
    /// `"<width>x<height>"`.
    pub size: Option<String>,
    /// `b64_json` or `url` (ignored by Ollama: `b64_json`).
    pub response_format: Option<String>,
    /// The generation seed.
    pub seed: Option<i64>,
}

impl ImageGenerateParams {
    /// A request to draw `prompt` with `model`.
    pub fn new(model: impl Into<String>, prompt: impl Into<String>) -> Self {
        Self {
            model: model.into(),
            prompt: prompt.into(),
            ..Self::default()
        }
    }

    /// The requested size as (width, height), when `size` is `"<w>x<h>"`.
    pub fn dimensions(&self) -> Option<(u32, u32)> {
        parse_size(self.size.as_deref()?)
    }
}

/// The body of `POST /v1/images/edits` (JSON in Ollama, not multipart).
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ImageEditParams {
    /// The image model.
    #[serde(default)]
    pub model: String,
    /// What to change.
    #[serde(default)]
    pub prompt: String,
    /// The image to edit: a `data:image/…;base64,` URI or bare base64.
    #[serde(default)]
    pub image: String,
    /// `"<width>x<height>"`.
    pub size: Option<String>,
    /// The generation seed.
    pub seed: Option<i64>,
}

impl ImageEditParams {
    /// A request to edit `image` as `prompt` says, with `model`.
    pub fn new(
        model: impl Into<String>,
        prompt: impl Into<String>,
        image: impl Into<String>,
    ) -> Self {
        Self {
            model: model.into(),
            prompt: prompt.into(),
            image: image.into(),
            ..Self::default()
        }
    }

    /// The requested size as (width, height), when `size` is `"<w>x<h>"`.
    pub fn dimensions(&self) -> Option<(u32, u32)> {
        parse_size(self.size.as_deref()?)
    }
}

/// The reply of both image routes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ImagesResponse {
    /// Unix seconds.
    #[serde(default)]
    pub created: i64,
    /// The images (Ollama: one).
    #[serde(default)]
    pub data: Vec<Image>,
}

/// One image of an [`ImagesResponse`]: a URL or base64 data.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Image {
    /// Where the image is (OpenAI; Ollama writes none).
    pub url: Option<String>,
    /// The image, base64 (Ollama: PNG).
    pub b64_json: Option<String>,
}

/// `"<w>x<h>"`: two decimal numbers around one `x` (Ollama reads `size` with
/// `fmt.Sscanf(size, "%dx%d")`).
fn parse_size(size: &str) -> Option<(u32, u32)> {
    let (width, height) = size.split_once('x')?;
    Some((width.parse().ok()?, height.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Encoder;

    #[test]
    fn generation_requests_round_trip_and_read_their_size() {
        let json = r#"{"model":"flux","prompt":"a red fox","n":1,"size":"1024x768","response_format":"b64_json","seed":42}"#;
        let request: ImageGenerateParams = serde_json::from_str(json).unwrap();
        assert_eq!(request.dimensions(), Some((1024, 768)));
        assert_eq!(request.seed, Some(42));
        assert_eq!(Encoder::new().to_vec(&request).unwrap(), json.as_bytes());

        let plain = ImageGenerateParams::new("flux", "a fox");
        assert_eq!(plain.dimensions(), None);
        assert_eq!(
            Encoder::new().to_vec(&plain).unwrap(),
            br#"{"model":"flux","prompt":"a fox"}"#
        );
        for bad in ["1024", "x768", "1024x", "axb", "1024x768x2"] {
            let mut request = plain.clone();
            request.size = Some(bad.to_owned());
            assert_eq!(request.dimensions(), None, "{bad}");
        }
    }

    #[test]
    fn edit_requests_and_replies() {
        let json = r#"{"model":"flux","prompt":"make it blue","image":"data:image/png;base64,iVBORw0KGgo=","size":"512x512"}"#;
        let request: ImageEditParams = serde_json::from_str(json).unwrap();
        assert_eq!(request.image, "data:image/png;base64,iVBORw0KGgo=");
        assert_eq!(request.dimensions(), Some((512, 512)));
        assert_eq!(Encoder::new().to_vec(&request).unwrap(), json.as_bytes());
        let built = ImageEditParams::new("flux", "make it blue", "iVBORw0KGgo=");
        assert_eq!(
            (built.image.as_str(), built.dimensions()),
            ("iVBORw0KGgo=", None)
        );

        let reply: ImagesResponse =
            serde_json::from_str(r#"{"created":1,"data":[{"url":"https://x/y.png"}]}"#).unwrap();
        assert_eq!(reply.data[0].url.as_deref(), Some("https://x/y.png"));
        assert_eq!(reply.data[0].b64_json, None);
    }
}
