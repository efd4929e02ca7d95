//! Catalog derivation over `/api/show` bodies of real size, against parsing them into
//! `serde_json::Value`: the lean decode (`ShowSummary`, only what the rules read), the full
//! decode (`ShowResponse`, everything), and derivation alone.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use ollama_catalog::{BaseUrl, DiscoveryPlan, ShowFailure, ShowResults, ShowSummaries};
use ollama_wire::{ListResponse, decode_json};
use serde::de::DeserializeOwned;
use stats_alloc::Region;

use crate::GLOBAL;
use crate::harness::{Reps, median, paired};

/// Medians for one pass over all bodies.
#[derive(Debug, Clone)]
pub(crate) struct CatalogResult {
    pub(crate) models: usize,
    pub(crate) bytes: usize,
    pub(crate) derived: usize,
    /// `decode_json::<ShowSummary>` for every body, then `DiscoveryPlan::derive_summaries`.
    pub(crate) lean: Duration,
    /// `decode_json::<ShowResponse>` for every body, then `DiscoveryPlan::derive`.
    pub(crate) full: Duration,
    /// `DiscoveryPlan::derive` alone, over bodies decoded beforehand.
    pub(crate) derive_only: Duration,
    /// `serde_json::from_slice::<Value>` for every body.
    pub(crate) value: Duration,
    /// How many times faster `lean` is than `value`, paired by round.
    pub(crate) lean_x_value: f64,
    /// How many times faster `lean` is than `full`, paired by round.
    pub(crate) lean_x_full: f64,
    /// How many times faster `full` is than `value`, paired by round.
    pub(crate) full_x_value: f64,
    /// How many times faster `derive_only` is than `value`, paired by round.
    pub(crate) derive_only_x_value: f64,
    /// Allocations (plus reallocations) per body of one untimed pass of each row, in the order
    /// lean, full, derive alone, `Value`.
    pub(crate) allocs_per_body: [f64; 4],
}

/// Decodes every body as `T` (the full `ShowResponse` or the lean `ShowSummary`).
fn decode_all<T: DeserializeOwned>(
    bodies: &[(String, Vec<u8>)],
) -> BTreeMap<String, Result<T, ShowFailure>> {
    bodies
        .iter()
        .map(|(name, body)| {
            let show =
                decode_json(200, body).unwrap_or_else(|e| panic!("show body of {name}: {e}"));
            (name.clone(), Ok(show))
        })
        .collect()
}

pub(crate) fn run(tags: &[u8], bodies: &[(String, Vec<u8>)], reps: Reps) -> CatalogResult {
    let tags: ListResponse = decode_json(200, tags).unwrap_or_else(|e| panic!("tags: {e}"));
    let plan = DiscoveryPlan::new(BaseUrl::default_local());
    let decoded: ShowResults = decode_all(bodies);
    let catalog = plan.derive(&tags, &decoded);
    // Both paths must give the same catalog, or their times mean nothing.
    assert_eq!(
        plan.derive_summaries(&tags, &decode_all(bodies)),
        catalog,
        "lean and full catalogs differ"
    );
    let derived = catalog.models().len();

    let lean = || {
        let shows: ShowSummaries = decode_all(black_box(bodies));
        black_box(plan.derive_summaries(&tags, &shows).models().len())
    };
    let full = || {
        let shows: ShowResults = decode_all(black_box(bodies));
        black_box(plan.derive(&tags, &shows).models().len())
    };
    let derive_only = || black_box(plan.derive(&tags, black_box(&decoded)).models().len());
    let value = || {
        let mut n = 0;
        for (_, body) in black_box(bodies) {
            let v: serde_json::Value =
                serde_json::from_slice(body).unwrap_or_else(|e| panic!("Value: {e}"));
            n += usize::from(v.is_object());
        }
        black_box(n)
    };
    let cases: [&dyn Fn() -> usize; 4] = [&lean, &full, &derive_only, &value];
    for _ in 0..reps.warmup {
        for case in cases {
            case();
        }
    }
    let mut times = vec![Vec::new(); cases.len()];
    for round in 0..reps.rounds {
        for k in 0..cases.len() {
            let i = (round + k) % cases.len();
            let start = Instant::now();
            cases[i]();
            times[i].push(start.elapsed());
        }
    }
    let allocs_per_body = cases.map(|case| {
        let region = Region::new(GLOBAL);
        case();
        let stats = region.change();
        (stats.allocations + stats.reallocations) as f64 / bodies.len().max(1) as f64
    });
    let lean_x_value = paired(&times[0], &times[3]);
    let lean_x_full = paired(&times[0], &times[1]);
    let full_x_value = paired(&times[1], &times[3]);
    let derive_only_x_value = paired(&times[2], &times[3]);
    let mut medians = times.into_iter().map(median);
    let mut next = || medians.next().unwrap_or_default();
    CatalogResult {
        models: bodies.len(),
        bytes: bodies.iter().map(|(_, b)| b.len()).sum(),
        derived,
        lean: next(),
        full: next(),
        derive_only: next(),
        value: next(),
        lean_x_value,
        lean_x_full,
        full_x_value,
        derive_only_x_value,
        allocs_per_body,
    }
}
