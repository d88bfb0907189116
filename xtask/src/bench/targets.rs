//! The targets of the benchmark issue, judged on the rows of a run: the GET ratios to the baselines, the deep page's
//! latency at 1,000,000 nodes against the small size, the in-memory peak RSS.

use super::report::{MIB, Row, Target};
use super::{BARE_AXUM, GET, LARGE, LIST_DEEP, PGBENCH};

pub fn find<'a>(rows: &'a [Row], backend: &str, nodes: usize, scenario: &str) -> Option<&'a Row> {
    rows.iter().find(|r| r.backend == backend && r.nodes == nodes && r.scenario == scenario)
}

/// p50 of the deep page at 1,000,000 nodes over the same at the small size (`small`: the nodes seeded).
fn deep_ratio(rows: &[Row], backend: &str, small: usize) -> Option<f64> {
    let p50 = |nodes| Some(find(rows, backend, nodes, LIST_DEEP)?.result.as_ref().ok()?.p50_ms);
    Some(p50(LARGE)? / p50(small)?)
}

/// The deep-page ratios of both stores, or why there are none.
pub fn deep_summary(rows: &[Row], small: usize) -> String {
    match (deep_ratio(rows, "PostgreSQL", small), deep_ratio(rows, "in memory", small)) {
        (Some(pg), Some(mem)) => format!("{pg:.2}× (p50, PostgreSQL), {mem:.2}× (p50, in memory)"),
        _ => "not run (cargo xtask bench --large)".into(),
    }
}

/// `small`: the nodes seeded at the small size; `large`: whether the 1,000,000-node size ran.
pub fn targets(rows: &[Row], small: usize, large: bool) -> Vec<Target> {
    let ratio_target = |backend: &str, base: &str, goal: f64| {
        let ratio = find(rows, backend, small, GET).and_then(Row::ratio);
        Target {
            what: format!("{backend} GET one group ({small} nodes) vs {base}"),
            goal: format!("≥ {goal} × req/s"),
            measured: ratio.map(|r| format!("{r:.2}")),
            met: ratio.map(|r| r >= goal),
        }
    };
    let deep = |backend: &str| {
        let ratio = deep_ratio(rows, backend, small);
        Target {
            what: format!("{backend} deep page (next), 1,000,000 vs {small} nodes"),
            goal: "≤ 1.5 × p50".into(),
            measured: ratio.map(|d| format!("{d:.2}×")),
            met: if large { ratio.map(|d| d <= 1.5) } else { None },
        }
    };
    // The first read scenarios only, as since the target was set: later ones (and the create scenario, which adds
    // nodes beyond the seeded N) would move it.
    let rss = find(rows, "in memory", small, LIST_DEEP).and_then(|r| r.peak_rss);
    vec![
        ratio_target("in memory", BARE_AXUM, 0.6),
        ratio_target("PostgreSQL", PGBENCH, 0.4),
        deep("PostgreSQL"),
        deep("in memory"),
        Target {
            what: format!("in-memory server peak RSS at {small} nodes (after the list scenarios)"),
            goal: "< 64 MiB".into(),
            measured: rss.map(|b| format!("{:.1} MiB", b as f64 / MIB as f64)),
            met: rss.map(|b| b < 64 * MIB),
        },
    ]
}
