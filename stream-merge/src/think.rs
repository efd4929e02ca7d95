//! `<think>…</think>` extraction from the content channel, split-safe.

/// Tags that mark reasoning inside the content channel, for models that write `<think>…</think>`
/// into `content`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ThinkTags {
    /// Opening tag, `<think>` by default.
    pub open: String,
    /// Closing tag, `</think>` by default.
    pub close: String,
    /// Whether content starts inside a reasoning block (templates that pre-fill the opening tag,
    /// e.g. DeepSeek-R1).
    pub start_in_reasoning: bool,
}

impl Default for ThinkTags {
    fn default() -> Self {
        Self::new("<think>", "</think>")
    }
}

impl ThinkTags {
    /// Custom tags (`<thinking>`, `</thinking>`, …).
    pub fn new(open: impl Into<String>, close: impl Into<String>) -> Self {
        Self {
            open: open.into(),
            close: close.into(),
            start_in_reasoning: false,
        }
    }

    /// Sets whether content starts inside a reasoning block.
    #[must_use]
    pub fn start_in_reasoning(mut self, yes: bool) -> Self {
        self.start_in_reasoning = yes;
        self
    }
}

/// Which channel a piece of content goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Channel {
    Text,
    Reasoning,
}

/// Splits content into text and reasoning at the tags, holding back a suffix that may be the
/// start of the next expected tag.
#[derive(Debug, Clone)]
pub(crate) struct ThinkSplitter {
    tags: ThinkTags,
    in_reasoning: bool,
    held: String,
}

impl ThinkSplitter {
    pub(crate) fn new(tags: ThinkTags) -> Self {
        let in_reasoning = tags.start_in_reasoning;
        Self {
            tags,
            in_reasoning,
            held: String::new(),
        }
    }

    fn current(&self) -> Channel {
        if self.in_reasoning {
            Channel::Reasoning
        } else {
            Channel::Text
        }
    }

    /// Feeds content; `out` receives the pieces that are certain, in order.
    pub(crate) fn push(&mut self, text: &str, out: &mut Vec<(Channel, String)>) {
        self.held.push_str(text);
        loop {
            let tag = if self.in_reasoning {
                &self.tags.close
            } else {
                &self.tags.open
            };
            if tag.is_empty() {
                break;
            }
            if let Some(pos) = self.held.find(tag.as_str()) {
                let rest = self.held.split_off(pos);
                let before = std::mem::replace(&mut self.held, rest);
                emit(out, self.current(), before);
                let after = self.held.get(tag.len()..).unwrap_or("").to_owned();
                self.held = after;
                self.in_reasoning = !self.in_reasoning;
                continue;
            }
            let keep = partial_tag_suffix(&self.held, tag);
            let cut = self.held.len().saturating_sub(keep);
            let rest = self.held.split_off(cut);
            let before = std::mem::replace(&mut self.held, rest);
            emit(out, self.current(), before);
            break;
        }
    }

    /// Releases the held-back text to the current channel (an unclosed block stays reasoning).
    pub(crate) fn flush(&mut self, out: &mut Vec<(Channel, String)>) {
        let held = std::mem::take(&mut self.held);
        emit(out, self.current(), held);
    }
}

fn emit(out: &mut Vec<(Channel, String)>, channel: Channel, text: String) {
    if !text.is_empty() {
        out.push((channel, text));
    }
}

/// Length of the longest suffix of `text` that is a proper prefix of `tag`.
fn partial_tag_suffix(text: &str, tag: &str) -> usize {
    (1..tag.len())
        .rev()
        .find(|&k| tag.get(..k).is_some_and(|prefix| text.ends_with(prefix)))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(parts: &[&str]) -> Vec<(Channel, String)> {
        let mut s = ThinkSplitter::new(ThinkTags::default());
        let mut out = Vec::new();
        for p in parts {
            s.push(p, &mut out);
        }
        s.flush(&mut out);
        // Merge adjacent same-channel pieces for comparison.
        let mut merged: Vec<(Channel, String)> = Vec::new();
        for (c, t) in out {
            match merged.last_mut() {
                Some((lc, lt)) if *lc == c => lt.push_str(&t),
                _ => merged.push((c, t)),
            }
        }
        merged
    }

    #[test]
    fn tags_split_across_pushes() {
        let want = vec![
            (Channel::Text, "a".to_owned()),
            (Channel::Reasoning, "hm".to_owned()),
            (Channel::Text, "b".to_owned()),
        ];
        assert_eq!(split(&["a<think>hm</think>b"]), want);
        assert_eq!(split(&["a<th", "ink>h", "m</", "think", ">b"]), want);
        assert_eq!(
            split(&["a<", "t", "h", "i", "n", "k", ">hm<", "/think>b"]),
            want
        );
    }

    #[test]
    fn held_prefix_that_is_not_a_tag_is_released() {
        assert_eq!(
            split(&["a <", "b"]),
            vec![(Channel::Text, "a <b".to_owned())]
        );
        assert_eq!(split(&["x<th"]), vec![(Channel::Text, "x<th".to_owned())]);
    }

    #[test]
    fn unclosed_block_is_reasoning_and_stray_close_is_text() {
        assert_eq!(
            split(&["<think>abc</thi"]),
            vec![(Channel::Reasoning, "abc</thi".to_owned())]
        );
        assert_eq!(
            split(&["a</think>b"]),
            vec![(Channel::Text, "a</think>b".to_owned())]
        );
    }

    #[test]
    fn multibyte_text_is_safe() {
        assert_eq!(
            split(&["é<thi", "nk>ü</think>"]),
            vec![
                (Channel::Text, "é".to_owned()),
                (Channel::Reasoning, "ü".to_owned())
            ]
        );
    }
}
