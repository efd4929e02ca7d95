//! How the bytes of a body are cut into pushes.

/// How the bytes of a body are cut into pushes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitPlan {
    /// One push with the whole body.
    Whole,
    /// One byte per push.
    Bytewise,
    /// Pushes of `n` bytes (the last one shorter).
    Fixed(usize),
    /// Pseudo-random push sizes from 1 to `max`, from a seed (deterministic).
    Random {
        /// Seed of the size sequence.
        seed: u64,
        /// Largest push.
        max: usize,
    },
}

impl SplitPlan {
    /// Cuts `body` into pushes; they concatenate to `body`.
    pub fn split<'a>(&self, body: &'a [u8]) -> Vec<&'a [u8]> {
        match *self {
            Self::Whole => vec![body],
            Self::Bytewise => body.chunks(1).collect(),
            Self::Fixed(n) => body.chunks(n.max(1)).collect(),
            Self::Random { seed, max } => {
                let mut state = seed | 1;
                let mut rest = body;
                let mut out = Vec::new();
                while !rest.is_empty() {
                    // xorshift64
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    let size = 1 + (state % max.max(1) as u64) as usize;
                    let (head, tail) = rest.split_at(size.min(rest.len()));
                    out.push(head);
                    rest = tail;
                }
                out
            }
        }
    }
}

/// The split plans a case named `id` is replayed with: bytewise and three seeded random plans
/// (sizes up to 3, 17 and 257 bytes), the seed an FNV-1a hash of `id` (a different but fixed
/// sequence per case).
pub fn split_plans(id: &str) -> Vec<SplitPlan> {
    let seed = id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    vec![
        SplitPlan::Bytewise,
        SplitPlan::Random { seed, max: 3 },
        SplitPlan::Random {
            seed: seed.rotate_left(17),
            max: 17,
        },
        SplitPlan::Random {
            seed: seed.rotate_left(31),
            max: 257,
        },
    ]
}

/// The quick set for tests over many bodies: whole, bytewise, 7-byte and 64-byte pushes.
pub fn test_splits() -> [SplitPlan; 4] {
    [
        SplitPlan::Whole,
        SplitPlan::Bytewise,
        SplitPlan::Fixed(7),
        SplitPlan::Fixed(64),
    ]
}

/// Cuts `s` in two at character `at` (taken modulo the character count plus one, so any
/// number picks a cut, the ends included): the split a property test applies to a text.
pub fn split_at_char(s: &str, at: usize) -> (String, String) {
    let n = s.chars().count();
    let k = s
        .char_indices()
        .nth(at % (n + 1))
        .map_or(s.len(), |(i, _)| i);
    (s[..k].to_owned(), s[k..].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_plan_covers_the_body_exactly() {
        let body: Vec<u8> = (0..=255).cycle().take(1000).collect();
        let mut plans = split_plans("ollama/some-case");
        plans.extend(test_splits());
        for plan in plans {
            let pieces = plan.split(&body);
            assert!(pieces.iter().all(|p| !p.is_empty()), "{plan:?}");
            assert_eq!(pieces.concat(), body, "{plan:?}");
        }
        assert_eq!(SplitPlan::Bytewise.split(&body).len(), 1000);
        assert_eq!(SplitPlan::Fixed(64).split(&body).len(), 16);
        // Fixed per id, different across ids.
        assert_eq!(split_plans("a"), split_plans("a"));
        assert_ne!(split_plans("a"), split_plans("b"));
    }

    #[test]
    fn split_at_char_cuts_between_characters() {
        assert_eq!(split_at_char("aé😀", 2), ("aé".to_owned(), "😀".to_owned()));
        assert_eq!(split_at_char("aé😀", 3), ("aé😀".to_owned(), String::new()));
        assert_eq!(split_at_char("aé😀", 4), (String::new(), "aé😀".to_owned()));
        assert_eq!(split_at_char("", 7), (String::new(), String::new()));
    }
}
