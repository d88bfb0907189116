//! The targets of the benchmark issues (20, after 3), judged on the rows of a run: the GET and creation ratios to the
//! baselines, the first and deep pages' latency at 1,000,000 nodes against the small size, the in-memory p99 under
//! writes, the in-memory peak RSS. (Bytes per node at 1,000,000 nodes are `--memory`'s, reported apart.)

use super::report::{MIB, Row, Target};
use super::{BARE_AXUM, CREATE, GET, LARGE, LIST_DEEP, LIST_FIRST, PGBENCH};

pub fn find<'a>(rows: &'a [Row], backend: &str, nodes: usize, scenario: &str) -> Option<&'a Row> {
    rows.iter().find(|r| r.backend == backend && r.nodes == nodes && r.scenario == scenario)
}

/// p50 of `scenario` at 1,000,000 nodes over the same at the small size (`small`: the nodes seeded).
fn size_ratio(rows: &[Row], backend: &str, scenario: &str, small: usize) -> Option<f64> {
    let p50 = |nodes| Some(find(rows, backend, nodes, scenario)?.result.as_ref().ok()?.p50_ms);
    Some(p50(LARGE)? / p50(small)?)
}

fn deep_ratio(rows: &[Row], backend: &str, small: usize) -> Option<f64> {
    size_ratio(rows, backend, LIST_DEEP, small)
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
    let ratio_target = |backend: &str, scenario: &str, base: &str, goal: f64| {
        let ratio = find(rows, backend, small, scenario).and_then(Row::ratio);
        Target {
            what: format!("{backend} {scenario} ({small} nodes) vs {base}"),
            goal: format!("≥ {goal} × req/s"),
            measured: ratio.map(|r| format!("{r:.2}")),
            met: ratio.map(|r| r >= goal),
        }
    };
    let by_size = |backend: &str, scenario: &str| {
        let ratio = size_ratio(rows, backend, scenario, small);
        Target {
            what: format!("{backend} {scenario}, 1,000,000 vs {small} nodes"),
            goal: "≤ 1.5 × p50".into(),
            measured: ratio.map(|d| format!("{d:.2}×")),
            met: if large { ratio.map(|d| d <= 1.5) } else { None },
        }
    };
    let tail = find(rows, "in memory", small, CREATE)
        .and_then(|r| r.result.as_ref().ok())
        .and_then(|m| Some(m.p99_ms? / m.p50_ms));
    // The first read scenarios only, as since the target was set: later ones (and the create scenario, which adds
    // nodes beyond the seeded N) would move it.
    let rss = find(rows, "in memory", small, LIST_DEEP).and_then(|r| r.peak_rss);
    vec![
        ratio_target("in memory", GET, BARE_AXUM, 0.7),
        ratio_target("PostgreSQL", GET, PGBENCH, 0.4),
        ratio_target("PostgreSQL", CREATE, PGBENCH, 0.1),
        by_size("PostgreSQL", LIST_FIRST),
        by_size("in memory", LIST_FIRST),
        by_size("PostgreSQL", LIST_DEEP),
        by_size("in memory", LIST_DEEP),
        Target {
            what: format!("in memory {CREATE} ({small} nodes): p99 over p50"),
            goal: "≤ 10 ×".into(),
            measured: tail.map(|t| format!("{t:.1}×")),
            met: tail.map(|t| t <= 10.0),
        },
        Target {
            what: format!("in-memory server peak RSS at {small} nodes (after the list scenarios)"),
            goal: "< 64 MiB".into(),
            measured: rss.map(|b| format!("{:.1} MiB", b as f64 / MIB as f64)),
            met: rss.map(|b| b < 64 * MIB),
        },
    ]
}
