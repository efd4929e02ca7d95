//! How the bytes of a body are cut into pushes.

/// How the bytes of a body are cut into pushes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitPlan<'a> {
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
    /// Pushes of these sizes in turn, the list cycled (a fuzz input's plan, a transcript's
    /// record lengths); a size of 0, or an empty list, is one byte.
    Sizes(&'a [usize]),
    /// One push per line, each cut at up to `cuts` pseudo-random points from a seed
    /// (deterministic). A line ends after its `\n`; blank lines stay with the line before, so an
    /// NDJSON line, and an SSE event of one `data:` line, is one line.
    Lines {
        /// Seed of the cut points.
        seed: u64,
        /// Most cuts per line (0: one push per line).
        cuts: usize,
    },
}

impl<'a> SplitPlan<'a> {
    /// Cuts `body` into pushes; they are not empty and concatenate to `body`.
    pub fn split<'b>(&self, body: &'b [u8]) -> Vec<&'b [u8]> {
        match *self {
            Self::Whole => vec![body],
            Self::Bytewise => body.chunks(1).collect(),
            Self::Fixed(n) => body.chunks(n.max(1)).collect(),
            Self::Random { seed, max } => {
                let mut rng = Xorshift::new(seed);
                cut_by_sizes(body, || 1 + rng.below(max.max(1)))
            }
            Self::Sizes(sizes) => {
                let mut cycle = sizes.iter().cycle();
                cut_by_sizes(body, || cycle.next().map_or(1, |&n| n.max(1)))
            }
            Self::Lines { seed, cuts } => {
                let mut rng = Xorshift::new(seed);
                let mut out = Vec::new();
                let mut rest = body;
                while !rest.is_empty() {
                    let mut end = rest
                        .iter()
                        .position(|&b| b == b'\n')
                        .map_or(rest.len(), |i| i + 1);
                    while rest.get(end) == Some(&b'\n') {
                        end += 1;
                    }
                    let (mut line, tail) = rest.split_at(end);
                    for _ in 0..cuts {
                        if line.len() < 2 {
                            break;
                        }
                        let (head, tail) = line.split_at(1 + rng.below(line.len() - 1));
                        out.push(head);
                        line = tail;
                    }
                    out.push(line);
                    rest = tail;
                }
                out
            }
        }
    }
}

/// Cuts `body` into pushes of the sizes `next` says (each at least 1).
fn cut_by_sizes(body: &[u8], mut next: impl FnMut() -> usize) -> Vec<&[u8]> {
    let mut rest = body;
    let mut out = Vec::new();
    while !rest.is_empty() {
        let (head, tail) = rest.split_at(next().min(rest.len()));
        out.push(head);
        rest = tail;
    }
    out
}

/// xorshift64: a fixed sequence per seed.
struct Xorshift(u64);

impl Xorshift {
    fn new(seed: u64) -> Self {
        Self(seed | 1)
    }

    /// The next number below `n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        let x = &mut self.0;
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
        (*x % n as u64) as usize
    }
}

/// A seed from a case name: its FNV-1a hash (a different but fixed number per name).
pub fn seed(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The split plans a case named `id` is replayed with: bytewise and three seeded random plans
/// (sizes up to 3, 17 and 257 bytes), from [`seed`]`(id)` (a different but fixed sequence per
/// case).
pub fn split_plans(id: &str) -> Vec<SplitPlan<'static>> {
    let seed = seed(id);
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
pub fn test_splits() -> [SplitPlan<'static>; 4] {
    [
        SplitPlan::Whole,
        SplitPlan::Bytewise,
        SplitPlan::Fixed(7),
        SplitPlan::Fixed(64),
    ]
}

/// The pushes of `body` under each plan of [`test_splits`].
pub fn test_split_pieces(body: &[u8]) -> Vec<Vec<&[u8]>> {
    test_splits().iter().map(|plan| plan.split(body)).collect()
}

/// Checks that a decoder's borrowed path gives what its owned path gives. `decode(pieces,
/// borrowed)` renders as text the items of `pieces` pushed in turn (the end-of-input verdict
/// included); for every body, both paths under every plan of [`test_splits`] must equal the owned
/// decode of the whole body. Returns how many of the whole-body items `counted` accepts, so that
/// the caller can check something was compared.
pub fn assert_borrowed_equals_owned(
    bodies: &[(String, Vec<u8>)],
    decode: impl Fn(&[&[u8]], bool) -> Vec<String>,
    counted: impl Fn(&str) -> bool,
) -> usize {
    let mut count = 0;
    for (name, body) in bodies {
        let owned = decode(&[body], false);
        count += owned.iter().filter(|item| counted(item)).count();
        for pieces in test_split_pieces(body) {
            assert_eq!(decode(&pieces, true), owned, "{name}: borrowed");
            assert_eq!(decode(&pieces, false), owned, "{name}: owned");
        }
    }
    count
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
        plans.extend([
            SplitPlan::Sizes(&[3, 0, 200]),
            SplitPlan::Sizes(&[]),
            SplitPlan::Lines { seed: 5, cuts: 0 },
            SplitPlan::Lines { seed: 5, cuts: 2 },
        ]);
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
    fn sizes_are_cycled_and_at_least_one_byte() {
        let body = b"abcdefghij";
        let lens =
            |plan: SplitPlan<'_>| plan.split(body).iter().map(|p| p.len()).collect::<Vec<_>>();
        assert_eq!(lens(SplitPlan::Sizes(&[1, 3])), [1, 3, 1, 3, 1, 1]);
        assert_eq!(lens(SplitPlan::Sizes(&[4, 0])), [4, 1, 4, 1]);
        assert_eq!(lens(SplitPlan::Sizes(&[])), [1; 10]);
        assert_eq!(lens(SplitPlan::Sizes(&[64])), [10]);
    }

    #[test]
    fn lines_keep_blank_lines_with_the_line_before() {
        let body = b"{\"a\":1}\n{\"b\":2}\ndata: x\n\ndata: [DONE]\n\n\ntail";
        let lines = SplitPlan::Lines { seed: 1, cuts: 0 }.split(body);
        let want: [&[u8]; 5] = [
            b"{\"a\":1}\n",
            b"{\"b\":2}\n",
            b"data: x\n\n",
            b"data: [DONE]\n\n\n",
            b"tail",
        ];
        assert_eq!(lines, want);
        // With cuts, every piece stays inside its line, and a line has at most cuts + 1 pieces.
        let pieces = SplitPlan::Lines { seed: 1, cuts: 2 }.split(body);
        assert!(pieces.len() > lines.len(), "lines are cut");
        let mut at = 0;
        for line in want {
            let mut parts = 0;
            let mut got = Vec::new();
            while got.len() < line.len() {
                got.extend_from_slice(pieces[at]);
                at += 1;
                parts += 1;
            }
            assert_eq!(got, line);
            assert!(parts <= 3, "{parts} pieces");
        }
        assert_eq!(at, pieces.len());
        assert_eq!(
            pieces,
            SplitPlan::Lines { seed: 1, cuts: 2 }.split(body),
            "deterministic"
        );
    }

    /// Renders pushes as text: the lines of the body, and for `borrowed` a wrong last one when
    /// the body came in more than one push.
    fn lines(pieces: &[&[u8]], borrowed: bool) -> Vec<String> {
        let body = pieces.concat();
        let mut out: Vec<String> = String::from_utf8(body)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect();
        if borrowed && pieces.len() > 1 {
            out.push("wrong".to_owned());
        }
        out
    }

    #[test]
    fn borrowed_equals_owned_counts_the_whole_body_items() {
        let bodies = [("two".to_owned(), b"a\nb\n".to_vec())];
        let count = assert_borrowed_equals_owned(&bodies, |p, _| lines(p, false), |l| l == "a");
        assert_eq!(count, 1);
    }

    #[test]
    #[should_panic(expected = "two: borrowed")]
    fn borrowed_equals_owned_fails_when_the_borrowed_path_differs() {
        let bodies = [("two".to_owned(), b"a\nb\n".to_vec())];
        assert_borrowed_equals_owned(&bodies, lines, |_| true);
    }

    #[test]
    fn split_at_char_cuts_between_characters() {
        assert_eq!(split_at_char("aé😀", 2), ("aé".to_owned(), "😀".to_owned()));
        assert_eq!(split_at_char("aé😀", 3), ("aé😀".to_owned(), String::new()));
        assert_eq!(split_at_char("aé😀", 4), (String::new(), "aé😀".to_owned()));
        assert_eq!(split_at_char("", 7), (String::new(), String::new()));
    }
}
