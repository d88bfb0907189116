//! The results: rows of the table, the targets of the issue, the machine description, and the Markdown written to
//! stdout and into docs/performance.md (between markers, so the hand-written analysis around them is kept).

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

use anyhow::Result;

use super::load::Measure;

const BEGIN: &str = "<!-- cargo xtask bench: generated from here -->";
const END: &str = "<!-- cargo xtask bench: generated up to here -->";
pub const MIB: u64 = 1024 * 1024;

/// One line of the results table.
#[derive(Clone, Debug)]
pub struct Row {
    pub backend: &'static str,
    pub nodes: usize,
    pub scenario: &'static str,
    /// The measure, or why there is none (e.g. "n/a: not implemented yet").
    pub result: Result<Measure, String>,
    pub peak_rss: Option<u64>,
    /// The baseline this row is compared to: its name and its requests/s.
    pub baseline: Option<(&'static str, f64)>,
}

impl Row {
    pub fn ratio(&self) -> Option<f64> {
        let (_, base) = self.baseline?;
        Some(self.result.as_ref().ok()?.rps / base)
    }
}

/// A peer measured beside Canopy: what it was, Canopy's row and the peer's.
#[derive(Clone, Debug)]
pub struct Peer {
    pub setup: String,
    pub canopy: Row,
    pub peer: Row,
}

/// A target of the issue, with the measured value and whether it is met.
#[derive(Clone, Debug)]
pub struct Target {
    pub what: String,
    pub goal: String,
    pub measured: Option<String>,
    pub met: Option<bool>,
}

pub fn fmt_ms(ms: f64) -> String {
    if ms < 1.0 {
        format!("{:.0} µs", ms * 1000.0)
    } else if ms < 1000.0 {
        format!("{ms:.2} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

fn fmt_rss(rss: Option<u64>) -> String {
    rss.map_or("—".into(), |bytes| format!("{:.1} MiB", bytes as f64 / MIB as f64))
}

pub fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| Backend | Nodes | Scenario | req/s | p50 | p99 | errors | server peak RSS | ratio to baseline |\n\
         |---|---:|---|---:|---:|---:|---:|---:|---|\n",
    );
    for row in rows {
        let nodes = if row.nodes == 0 { "—".into() } else { row.nodes.to_string() };
        let (rps, p50, p99, errors) = match &row.result {
            Ok(m) => {
                (format!("{:.0}", m.rps), fmt_ms(m.p50_ms), m.p99_ms.map_or("—".into(), fmt_ms), m.errors.to_string())
            }
            Err(why) => (why.clone(), "—".into(), "—".into(), "—".into()),
        };
        let ratio = match (row.ratio(), row.baseline) {
            (Some(ratio), Some((name, _))) => format!("{ratio:.2} of {name}"),
            _ => "—".into(),
        };
        let rss = fmt_rss(row.peak_rss);
        let _ = writeln!(
            out,
            "| {} | {nodes} | {} | {rps} | {p50} | {p99} | {errors} | {rss} | {ratio} |",
            row.backend, row.scenario
        );
    }
    out
}

pub fn targets_table(targets: &[Target]) -> String {
    let mut out = String::from("| Target | Goal | Measured | Met? |\n|---|---|---|---|\n");
    for t in targets {
        let met = match t.met {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "not run",
        };
        let measured = t.measured.clone().unwrap_or_else(|| "not run (cargo xtask bench --large)".into());
        let _ = writeln!(out, "| {} | {} | {measured} | {met} |", t.what, t.goal);
    }
    out
}

/// Canopy's row beside its peer's: req/s and p50 of each, and Canopy's req/s over the peer's.
pub fn peer_table(peer: &Peer) -> String {
    let mut out = String::from(
        "| Canopy | Peer | Canopy req/s | Peer req/s | Canopy / peer (req/s) | Canopy p50 | Peer p50 |\n\
         |---|---|---:|---:|---:|---:|---:|\n",
    );
    let (canopy, other) = (peer.canopy.result.as_ref().ok(), peer.peer.result.as_ref().ok());
    let rps = |m: Option<&Measure>| m.map_or("—".into(), |m| format!("{:.0}", m.rps));
    let p50 = |m: Option<&Measure>| m.map_or("—".into(), |m| fmt_ms(m.p50_ms));
    let ratio = match (canopy, other) {
        (Some(c), Some(p)) if p.rps > 0.0 => format!("{:.1}×", c.rps / p.rps),
        _ => "—".into(),
    };
    let _ = writeln!(
        out,
        "| {}, {} nodes: {} | {}: {} | {} | {} | {ratio} | {} | {} |",
        peer.canopy.backend,
        peer.canopy.nodes,
        peer.canopy.scenario,
        peer.peer.backend,
        peer.peer.scenario,
        rps(canopy),
        rps(other),
        p50(canopy),
        p50(other),
    );
    out
}

/// `nproc`, CPU model, memory, kernel, rustc and PostgreSQL versions.
pub fn machine(postgres_version: &str) -> String {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name").and_then(|r| r.split_once(':')).map(|(_, m)| m.trim().to_owned()))
        .unwrap_or_else(|| "unknown CPU".into());
    let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|r| r.split_whitespace().next()?.parse::<u64>().ok())
        .map_or("unknown".into(), |kib| format!("{:.1} GiB", kib as f64 / 1024.0 / 1024.0));
    let run = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .output()
            .ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_else(|| "unknown".into())
    };
    format!(
        "- CPUs: {} × {model}\n- Memory: {memory}\n- Kernel: Linux {}\n- Rust: {}\n- PostgreSQL: {postgres_version} \
         (disposable cluster, fsync off)\n- wrk: {}\n",
        run("nproc", &[]),
        run("uname", &["-r"]),
        run("rustc", &["-V"]),
        run("wrk", &["-v"]).lines().next().unwrap_or("unknown"),
    )
}

/// The generated section of docs/performance.md; the peer's subsection only when one ran.
pub fn section(
    command: &str,
    machine: &str,
    load: &str,
    rows: &[Row],
    targets: &[Target],
    peer: Option<&Peer>,
    large: &str,
) -> String {
    let peer = peer.map_or(String::new(), |peer| format!("### Peer\n\n{}\n\n{}\n", peer.setup, peer_table(peer)));
    format!(
        "{BEGIN}\n\n## Latest results\n\nCommand: `{command}`\n\n### Machine\n\n{machine}\n### Load\n\n{load}\n\n\
         ### Results\n\n{}\n### Targets\n\n{}\n{peer}Deep page at 1,000,000 nodes vs 10,000 nodes: {large}\n\n{END}",
        table(rows),
        targets_table(targets)
    )
}

/// Replaces the generated section of `path` (or appends it, or creates the file with a heading).
pub fn write_doc(path: &Path, section: &str) -> Result<()> {
    let old = fs::read_to_string(path).unwrap_or_default();
    let new = match (old.find(BEGIN), old.find(END)) {
        (Some(begin), Some(end)) if begin < end => format!("{}{section}{}", &old[..begin], &old[end + END.len()..]),
        _ if old.is_empty() => format!("# Performance\n\n{section}\n"),
        _ => format!("{}\n{section}\n", old.trim_end()),
    };
    fs::write(path, new)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(backend: &'static str, scenario: &'static str, rps: f64, p50_ms: f64) -> Row {
        let measure = Measure { rps, p50_ms, p99_ms: Some(p50_ms * 3.0), errors: 0 };
        Row {
            backend,
            nodes: 10_000,
            scenario,
            result: Ok(measure),
            peak_rss: Some(40 * MIB),
            baseline: Some(("pgbench -S", 15_000.0)),
        }
    }

    fn peer() -> Peer {
        Peer {
            setup: "Keystone 30.0.0 under gunicorn.".into(),
            canopy: row("PostgreSQL", "GET one group", 3_000.0, 9.7),
            peer: row("Keystone (PostgreSQL)", "GET one project (X-Auth-Token)", 40.0, 700.0),
        }
    }

    #[test]
    fn the_table_shows_measures_ratios_and_why_a_row_has_none() {
        let mut missing = row("in memory", "GET one user", 0.0, 0.0);
        missing.result = Err("n/a: not run".into());
        missing.peak_rss = None;
        let table = table(&[row("PostgreSQL", "GET one group", 3_000.0, 0.5), missing]);
        assert!(table.contains(
            "| PostgreSQL | 10000 | GET one group | 3000 | 500 µs | 1.50 ms | 0 | 40.0 MiB | 0.20 of pgbench -S |"
        ));
        assert!(table.contains("| in memory | 10000 | GET one user | n/a: not run | — | — | — | — | — |"));
    }

    #[test]
    fn latencies_are_shown_in_their_unit() {
        assert_eq!(fmt_ms(0.152), "152 µs");
        assert_eq!(fmt_ms(9.7), "9.70 ms");
        assert_eq!(fmt_ms(1540.0), "1.54 s");
    }

    #[test]
    fn the_peer_table_divides_canopy_by_the_peer() {
        let table = peer_table(&peer());
        assert!(table.contains(
            "| PostgreSQL, 10000 nodes: GET one group | Keystone (PostgreSQL): GET one project (X-Auth-Token) | 3000 | 40 | 75.0× | 9.70 ms | 700.00 ms |"
        ));
        let mut failed = peer();
        failed.peer.result = Err("failed".into());
        assert!(peer_table(&failed).contains("| 3000 | — | — | 9.70 ms | — |"));
    }

    #[test]
    fn the_section_has_a_peer_subsection_only_with_a_peer() {
        let rows = [row("PostgreSQL", "GET one group", 3_000.0, 9.7)];
        let without = section("cargo xtask bench", "- CPUs: 2\n", "wrk", &rows, &[], None, "not run");
        assert!(!without.contains("### Peer"));
        assert!(without.starts_with(BEGIN) && without.ends_with(END));
        let with =
            section("cargo xtask bench --peer keystone", "- CPUs: 2\n", "wrk", &rows, &[], Some(&peer()), "not run");
        assert!(with.contains("### Peer\n\nKeystone 30.0.0 under gunicorn.\n\n| Canopy | Peer |"));
        assert!(with.contains("75.0×"));
    }

    #[test]
    fn the_doc_keeps_its_prose_around_the_generated_section() {
        let dir = std::env::temp_dir().join(format!("canopy-xtask-report-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("performance.md");
        std::fs::write(&path, format!("# Performance\n\nprose before\n\n{BEGIN}\nold\n{END}\n\nprose after\n"))
            .unwrap();
        write_doc(&path, &format!("{BEGIN}\nnew\n{END}")).unwrap();
        let doc = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(doc, format!("# Performance\n\nprose before\n\n{BEGIN}\nnew\n{END}\n\nprose after\n"));
    }
}
