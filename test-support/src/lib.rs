//! Test machinery shared by the workspace's tests (the way h2 has `h2-support`): one fixture
//! walker and case loader, one split plan, one peak-RSS harness, the hostile bodies the wire
//! crates share. Not published; each crate takes it as a dev-dependency.
//!
//! ```text
//!  fixtures/<wire>/<id>/{case.toml, response.body} ──cases(wire)──▶ FixtureCase (meta + body)
//!  body bytes ──SplitPlan::split──▶ pushes (whole, bytewise, fixed, seeded random or listed
//!                                   sizes, lines cut at seeded points)
//!  a test body ──peak_rss_in_child──▶ the peak RSS of that body run alone in a child process
//! ```
#![forbid(unsafe_code)]

mod fixtures;
mod hostile;
mod rss;
mod splits;

pub use fixtures::{FixtureCase, Meta, Wire, case, cases, fixtures_dir, shared_dir};
pub use hostile::{long_text_stream, tool_call_stream, utf8_corruptions};
pub use rss::{assert_peak_rss_below, peak_rss, peak_rss_in_child};
pub use splits::{
    SplitPlan, assert_borrowed_equals_owned, seed, split_at_char, split_plans, test_split_pieces,
    test_splits,
};
