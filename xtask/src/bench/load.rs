//! The load generators, run as separate processes on loopback with bounded durations: `wrk --latency` (GETs, and
//! POSTs through a Lua script with unique names and tenant ids) and `pgbench -S -M prepared`; their outputs parsed.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

/// Throughput and latency of one load run.
#[derive(Clone, Copy, Debug, Default)]
pub struct Measure {
    pub rps: f64,
    /// Median latency in milliseconds (pgbench: the average, it reports no percentiles).
    pub p50_ms: f64,
    /// 99th percentile in milliseconds; `None` for pgbench.
    pub p99_ms: Option<f64>,
    /// Responses other than 2xx/3xx, or failed transactions.
    pub errors: u64,
}

/// How hard and how long to drive each scenario.
#[derive(Clone, Copy, Debug)]
pub struct Load {
    pub connections: u32,
    pub threads: u32,
    pub seconds: u32,
}

/// `wrk` on PATH, or installed with apt-get when root (like the cluster's binaries).
pub fn find_or_install_wrk() -> Result<PathBuf> {
    if let Some(wrk) = on_path("wrk") {
        return Ok(wrk);
    }
    let root = fs::read_to_string("/proc/self/status")
        .is_ok_and(|s| s.lines().any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(2) == Some("0")));
    if root && on_path("apt-get").is_some() {
        eprintln!("==> wrk not found; installing the Debian package `wrk`");
        let status = Command::new("apt-get")
            .args(["install", "-y", "wrk"])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdin(Stdio::null())
            .status()?;
        if status.success()
            && let Some(wrk) = on_path("wrk")
        {
            return Ok(wrk);
        }
    }
    bail!("wrk not found: install the Debian/Ubuntu package `wrk`")
}

pub fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| p.is_file())
}

/// Runs wrk against `http://127.0.0.1:<port><path>`, with an optional Lua script and, behind authentication, a
/// header line on every request (`Authorization: Bearer <token>` for Canopy, `X-Auth-Token: <token>` for Keystone).
pub fn wrk(
    wrk: &Path,
    load: Load,
    port: u16,
    path: &str,
    header: Option<&str>,
    script: Option<&Path>,
) -> Result<Measure> {
    let mut command = Command::new(wrk);
    command.args([
        "--latency",
        "-c",
        &load.connections.to_string(),
        "-t",
        &load.threads.to_string(),
        "-d",
        &format!("{}s", load.seconds),
        "--timeout",
        "10s",
    ]);
    if let Some(header) = header {
        command.arg("-H").arg(header);
    }
    if let Some(script) = script {
        command.arg("-s").arg(script);
    }
    command.arg(format!("http://127.0.0.1:{port}{path}"));
    let output = command.stdin(Stdio::null()).output().context("could not run wrk")?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!("wrk failed ({}): {text}{}", output.status, String::from_utf8_lossy(&output.stderr));
    }
    parse_wrk(&text).with_context(|| format!("could not parse wrk's output:\n{text}"))
}

fn parse_wrk(text: &str) -> Option<Measure> {
    let mut measure = Measure::default();
    let mut have_rps = false;
    for line in text.lines().map(str::trim) {
        let mut words = line.split_whitespace();
        match (words.next(), words.next()) {
            (Some("Requests/sec:"), Some(rps)) => {
                measure.rps = rps.parse().ok()?;
                have_rps = true;
            }
            (Some("50%"), Some(value)) => measure.p50_ms = duration_ms(value)?,
            (Some("99%"), Some(value)) => measure.p99_ms = Some(duration_ms(value)?),
            _ => {}
        }
        if let Some(count) = line.strip_prefix("Non-2xx or 3xx responses:") {
            measure.errors += count.trim().parse::<u64>().ok()?;
        }
        if let Some(rest) = line.strip_prefix("Socket errors:") {
            // "connect 0, read 0, write 0, timeout 0"
            measure.errors +=
                rest.split(',').filter_map(|part| part.split_whitespace().nth(1)?.parse::<u64>().ok()).sum::<u64>();
        }
    }
    have_rps.then_some(measure)
}

/// wrk's durations: `812.00us`, `1.23ms`, `2.00s`, `1.00m`.
fn duration_ms(value: &str) -> Option<f64> {
    let split = value.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = value.split_at(split);
    let number: f64 = number.parse().ok()?;
    Some(match unit {
        "us" => number / 1000.0,
        "ms" => number,
        "s" => number * 1000.0,
        "m" => number * 60_000.0,
        _ => return None,
    })
}

/// The Lua script of the tenant creation: round-robin over `parents` (tenant-list paths), each request with a
/// unique name and tenant id made of the wrk thread's number and a per-thread counter. It sends the headers given to
/// wrk with `-H` (the `Authorization` of the session) as well: `wrk.format` uses only the headers it is passed.
pub fn create_tenant_script(dir: &Path, parents: &[String]) -> Result<PathBuf> {
    let paths: Vec<String> = parents.iter().map(|p| format!("  \"{p}\",")).collect();
    let script = format!(
        r#"-- generated by cargo xtask bench: POST unique tenants
local paths = {{
{}
}}
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  counter = 0
  headers = {{}}
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
  headers["Content-Type"] = "application/json"
end
function request()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  local body = string.format('{{"name":"Bench Tenant %d-%d","tenantId":"bench-%d-%d"}}', tid, counter, tid, counter)
  return wrk.format("POST", path, headers, body)
end
"#,
        paths.join("\n")
    );
    let path = dir.join("create-tenant.lua");
    fs::write(&path, script)?;
    Ok(path)
}

/// PostgreSQL's point-read limit: `pgbench -i -s 10` into database `pgbench`, then `pgbench -S -M prepared` with
/// the same concurrency. Returns tps and the average latency (as `p50_ms`).
pub fn pgbench(psql: &Path, pgbench: &Path, port: u16, load: Load) -> Result<Measure> {
    let port = port.to_string();
    let conn = ["-h", "127.0.0.1", "-p", &port, "-U", "canopy"];
    let created = Command::new(psql)
        .args(conn)
        .args(["-X", "-q", "-d", "postgres", "-c", "CREATE DATABASE pgbench"])
        .stdin(Stdio::null())
        .output()?;
    if !created.status.success() {
        bail!("CREATE DATABASE pgbench failed: {}", String::from_utf8_lossy(&created.stderr));
    }
    let init =
        Command::new(pgbench).args(conn).args(["-i", "-q", "-s", "10", "pgbench"]).stdin(Stdio::null()).output()?;
    if !init.status.success() {
        bail!("pgbench -i failed: {}", String::from_utf8_lossy(&init.stderr));
    }
    let output = Command::new(pgbench)
        .args(conn)
        .args(["-S", "-M", "prepared", "-c", &load.connections.to_string(), "-j", &load.threads.to_string()])
        .args(["-T", &load.seconds.to_string(), "pgbench"])
        .stdin(Stdio::null())
        .output()?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!("pgbench -S failed: {text}{}", String::from_utf8_lossy(&output.stderr));
    }
    let value = |prefix: &str| {
        text.lines()
            .find_map(|line| line.trim().strip_prefix(prefix))
            .and_then(|rest| rest.split_whitespace().next()?.parse::<f64>().ok())
    };
    let rps = value("tps = ").context("no `tps = ` in pgbench's output")?;
    let p50_ms = value("latency average = ").context("no `latency average` in pgbench's output")?;
    let errors = value("number of failed transactions: ").unwrap_or(0.0) as u64;
    Ok(Measure { rps, p50_ms, p99_ms: None, errors })
}

#[cfg(test)]
mod tests {
    use super::*;

    const WRK: &str = "Running 2s test @ http://127.0.0.1:4242/v3/projects/abc
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   651.04ms  507.50ms   1.65s    47.58%
  Latency Distribution
     50%  535.30ms
     75%    1.11s
     90%    1.30s
     99%    1.56s
  124 requests in 3.00s, 64.79KB read
  Socket errors: connect 0, read 1, write 0, timeout 18
  Non-2xx or 3xx responses: 2
Requests/sec:     41.29
Transfer/sec:     21.57KB
";

    #[test]
    fn wrk_output_gives_throughput_percentiles_and_errors() {
        let measure = parse_wrk(WRK).unwrap();
        assert_eq!(measure.rps, 41.29);
        assert_eq!(measure.p50_ms, 535.30);
        assert_eq!(measure.p99_ms, Some(1560.0));
        assert_eq!(measure.errors, 2 + 1 + 18);
        // No throughput line: no measure at all.
        assert!(parse_wrk("unable to connect to 127.0.0.1:4242 Connection refused").is_none());
    }

    #[test]
    fn wrk_durations_are_read_in_every_unit() {
        assert_eq!(duration_ms("812.00us"), Some(0.812));
        assert_eq!(duration_ms("1.23ms"), Some(1.23));
        assert_eq!(duration_ms("2.00s"), Some(2000.0));
        assert_eq!(duration_ms("1.00m"), Some(60_000.0));
        assert_eq!(duration_ms("3h"), None);
    }
}
