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

/// A target of the issue, with the measured value and whether it is met.
#[derive(Clone, Debug)]
pub struct Target {
    pub what: String,
    pub goal: String,
    pub measured: Option<String>,
    pub met: Option<bool>,
}

pub fn fmt_ms(ms: f64) -> String {
    if ms < 1.0 { format!("{:.0} µs", ms * 1000.0) } else { format!("{ms:.2} ms") }
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

/// The generated section of docs/performance.md.
pub fn section(command: &str, machine: &str, load: &str, rows: &[Row], targets: &[Target], large: &str) -> String {
    format!(
        "{BEGIN}\n\n## Latest results\n\nCommand: `{command}`\n\n### Machine\n\n{machine}\n### Load\n\n{load}\n\n\
         ### Results\n\n{}\n### Targets\n\n{}\nDeep page at 1,000,000 nodes vs 10,000 nodes: {large}\n\n{END}",
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
