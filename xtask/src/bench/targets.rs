//! The targets of the benchmark issues (20, after 3), judged on the rows of a run: the GET and creation ratios to the
//! baselines, the first and deep pages' latency at 1,000,000 nodes against the small size, the in-memory p99 under
//! writes at both sizes, the in-memory peak RSS, and with `--large` the in-memory bytes per node at 1,000,000 nodes
//! (the server's peak RSS after seeding over the nodes: start-up's few MiB included; `--memory` measures it alone).

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
    let tail = |nodes| {
        let ratio = find(rows, "in memory", nodes, CREATE)
            .and_then(|r| r.result.as_ref().ok())
            .and_then(|m| Some(m.p99_ms? / m.p50_ms));
        Target {
            what: format!("in memory {CREATE} ({nodes} nodes): p99 over p50"),
            goal: "≤ 10 ×".into(),
            measured: ratio.map(|t| format!("{t:.1}×")),
            met: ratio.map(|t| t <= 10.0),
        }
    };
    let per_node = find(rows, "in memory", LARGE, GET).and_then(|r| r.peak_rss).map(|b| b as f64 / LARGE as f64);
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
        tail(small),
        tail(LARGE),
        Target {
            what: "in memory bytes per node at 1,000,000 nodes (peak RSS after seeding / nodes)".into(),
            goal: "≤ 600 bytes".into(),
            measured: per_node.map(|b| format!("{b:.0} bytes")),
            met: if large { per_node.map(|b| b <= 600.0) } else { None },
        },
        Target {
            what: format!("in-memory server peak RSS at {small} nodes (after the list scenarios)"),
            goal: "< 64 MiB".into(),
            measured: rss.map(|b| format!("{:.1} MiB", b as f64 / MIB as f64)),
            met: rss.map(|b| b < 64 * MIB),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::load::Measure;

    fn row(nodes: usize, scenario: &'static str, p50_ms: f64, p99_ms: f64, peak_rss: u64) -> Row {
        let measure = Measure { rps: 1_000.0, p50_ms, p99_ms: Some(p99_ms), errors: 0 };
        Row { backend: "in memory", nodes, scenario, result: Ok(measure), peak_rss: Some(peak_rss), baseline: None }
    }

    #[test]
    fn the_large_run_judges_the_write_tail_and_the_bytes_per_node_at_1_000_000_nodes() {
        let rows = [
            row(10_000, CREATE, 2.0, 8.0, 300 * MIB),
            row(LARGE, GET, 1.0, 3.0, 1_500 * LARGE as u64),
            row(LARGE, CREATE, 2.0, 400.0, 2_000 * MIB),
        ];
        let judged = targets(&rows, 10_000, true);
        let target = |what: &str| judged.iter().find(|t| t.what.contains(what)).unwrap();
        let small_tail = target("(10000 nodes): p99 over p50");
        assert_eq!((small_tail.measured.as_deref(), small_tail.met), (Some("4.0×"), Some(true)));
        let large_tail = target("(1000000 nodes): p99 over p50");
        assert_eq!((large_tail.measured.as_deref(), large_tail.met), (Some("200.0×"), Some(false)));
        let per_node = target("bytes per node");
        assert_eq!((per_node.measured.as_deref(), per_node.met), (Some("1500 bytes"), Some(false)));
        let without_large = targets(&rows[..1], 10_000, false);
        assert!(without_large.iter().any(|t| t.what.contains("bytes per node") && t.met.is_none()));
    }
}
