//! `cargo xtask bench`: builds release binaries, measures the baselines (bare axum, `pgbench -S`), then drives
//! Canopy on loopback with wrk against the in-memory store and a disposable PostgreSQL, seeded with N nodes
//! (10,000; also 1,000,000 with `--large`, seeded by SQL on PostgreSQL and over HTTP in memory), and reports a table to stdout and docs/performance.md.

pub mod client;
mod load;
mod memory;
mod report;
mod seed;
mod server;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::postgres::Cluster;
use load::{Load, Measure};
use report::{MIB, Row, Target};
use seed::{BASE, NODES_PER_GROUP};
use server::Server;

const SMALL: usize = 10_000;
const LARGE: usize = 1_000_000;
const BARE_AXUM: &str = "bare axum";
const PGBENCH: &str = "pgbench -S";
const GET: &str = "GET one group";
const LIST_FIRST: &str = "list groups, search, first page";
const LIST_DEEP: &str = "list groups, search, deep page (next)";
const CONFIG: &str = "GET general configuration";
const CREATE: &str = "create a tenant (POST)";

struct Options {
    nodes: usize,
    large: bool,
    /// Only the in-memory store's bytes per node (`--memory`), at `--nodes` (default 1,000,000).
    memory: bool,
    load: Load,
}

fn parse(args: &[String]) -> Result<Options> {
    let mut options =
        Options { nodes: SMALL, large: false, memory: false, load: Load { connections: 32, threads: 2, seconds: 5 } };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| -> Result<u32> {
            let raw = args.next().with_context(|| format!("{name} needs a value"))?;
            raw.parse().with_context(|| format!("{name}: `{raw}` is not a positive integer"))
        };
        match arg.as_str() {
            "--large" => options.large = true,
            "--memory" => options.memory = true,
            "--duration" => options.load.seconds = value("--duration")?.max(1),
            "--connections" => options.load.connections = value("--connections")?.max(1),
            "--threads" => options.load.threads = value("--threads")?.max(1),
            "--nodes" => options.nodes = value("--nodes")? as usize,
            other => bail!(
                "unknown argument `{other}`; usage: cargo xtask bench [--large | --memory] [--duration <s>] [--connections <n>] \
                 [--threads <n>] [--nodes <n>]"
            ),
        }
    }
    options.load.threads = options.load.threads.min(options.load.connections);
    if options.nodes < NODES_PER_GROUP * 2 {
        bail!("--nodes must be at least {}", NODES_PER_GROUP * 2);
    }
    Ok(options)
}

pub fn run(args: &[String]) -> Result<()> {
    let options = parse(args)?;
    let load = options.load;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().context("xtask has no parent directory")?.to_owned();
    let target = build(&root)?;
    if options.memory {
        let nodes = if args.iter().any(|a| a == "--nodes") { options.nodes } else { LARGE };
        return memory::run(&target, nodes);
    }
    let wrk = load::find_or_install_wrk()?;
    let psql = load::on_path("psql").context("psql not found: install the package `postgresql-client`")?;
    let pgbench = load::on_path("pgbench").context("pgbench not found: install the package `postgresql-contrib`")?;
    let scratch = std::env::temp_dir().join(format!("canopy-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    let result = measure_all(&options, &target, &wrk, &psql, &pgbench, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    let (rows, postgres_version) = result?;

    let targets = targets(&rows, options.nodes, options.large);
    let large = match (deep_ratio(&rows, "PostgreSQL", options.nodes), deep_ratio(&rows, "in memory", options.nodes)) {
        (Some(pg), Some(mem)) => format!("{pg:.2}× (p50, PostgreSQL), {mem:.2}× (p50, in memory)"),
        _ => "not run (cargo xtask bench --large)".into(),
    };
    let mut command = String::from("cargo xtask bench");
    for arg in args {
        command.push(' ');
        command.push_str(arg);
    }
    let load_text = format!(
        "wrk, {} connections, {} threads, {} s per scenario, on 127.0.0.1 (same machine as the server); seed mix \
         per group: the group, 1 distributor, 1 reseller under it, 2 tenants (one under the reseller, one under the \
         group), i.e. N/5 groups; the list is `GET …/groups?search=group&page_size=50` (every group matches), the \
         deep page is reached by following `next` to about 3/4 of the pages; the create scenario POSTs tenants \
         with unique names round-robin under 100 groups. Peak RSS is the server's VmHWM after the scenario \
         (cumulative). Baselines: {BARE_AXUM} (the same group JSON body, for in-memory rows) and `pgbench -S -M \
         prepared` at the same concurrency (tps; its p50 column is the average latency, for PostgreSQL rows).",
        load.connections, load.threads, load.seconds
    );
    let machine = report::machine(&postgres_version);
    println!(
        "\n{}\n{}\nDeep page at 1,000,000 vs 10,000 nodes: {large}",
        report::table(&rows),
        report::targets_table(&targets)
    );
    let section = report::section(&command, &machine, &load_text, &rows, &targets, &large);
    report::write_doc(&root.join("docs/performance.md"), &section)?;
    eprintln!("==> wrote docs/performance.md");
    Ok(())
}

fn build(root: &Path) -> Result<PathBuf> {
    eprintln!("==> cargo build --release -p canopy-server -p canopy-bench-baseline");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--release", "-p", "canopy-server", "-p", "canopy-bench-baseline"])
        .current_dir(root)
        .stdin(Stdio::null())
        .status()
        .context("could not run cargo build")?;
    if !status.success() {
        bail!("cargo build --release failed ({status})");
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    Ok(target.join("release"))
}

fn measure_all(
    options: &Options,
    target: &Path,
    wrk: &Path,
    psql: &Path,
    pgbench: &Path,
    scratch: &Path,
) -> Result<(Vec<Row>, String)> {
    let load = options.load;
    let mut rows = Vec::new();

    eprintln!("==> baseline: bare axum GET /group");
    let axum = {
        let server = Server::baseline(target)?;
        let measure = load::wrk(wrk, load, server.port, "/group", None, None)?;
        rows.push(row("bare axum", 0, "GET /group (same JSON body)", Ok(measure), server.peak_rss(), None));
        measure.rps
    };

    let cluster = Cluster::start()?;
    let url = cluster.database_url();
    let pg_port: u16 =
        url.rsplit(':').next().and_then(|r| r.split('/').next()?.parse().ok()).context("cluster port")?;
    let psql_text = psql.to_string_lossy().into_owned();
    let version = sql_value(&psql_text, &url, "SHOW server_version")?;
    eprintln!("==> baseline: pgbench -S -M prepared");
    let pgbench_tps = {
        let measure = load::pgbench(psql, pgbench, pg_port, load)?;
        rows.push(row("PostgreSQL", 0, "pgbench -S -M prepared (tps)", Ok(measure), None, None));
        measure.rps
    };

    let groups = options.nodes / NODES_PER_GROUP;
    let nodes = groups * NODES_PER_GROUP;
    let memory = Server::canopy(target, None)?;
    rows.extend(backend(wrk, scratch, load, &memory, "in memory", nodes, (BARE_AXUM, axum), |endpoint| {
        seed::seed_http(endpoint, groups)
    })?);
    drop(memory);

    let postgres = Server::canopy(target, Some(&url))?;
    rows.extend(backend(wrk, scratch, load, &postgres, "PostgreSQL", nodes, (PGBENCH, pgbench_tps), |endpoint| {
        seed::seed_http(endpoint, groups)
    })?);
    drop(postgres);

    if options.large {
        sql_value(&psql_text, &url, "CREATE DATABASE canopy_large")?;
        let large_url = url.replace("/postgres", "/canopy_large");
        let server = Server::canopy(target, Some(&large_url))?;
        let large_groups = LARGE / NODES_PER_GROUP;
        rows.extend(backend(wrk, scratch, load, &server, "PostgreSQL", LARGE, (PGBENCH, pgbench_tps), |_| {
            seed::seed_sql(&psql_text, &large_url, large_groups)
        })?);
        drop(server);
        let memory = Server::canopy(target, None)?;
        rows.extend(backend(wrk, scratch, load, &memory, "in memory", LARGE, (BARE_AXUM, axum), |endpoint| {
            seed::seed_http(endpoint, large_groups)
        })?);
    }
    drop(cluster);
    Ok((rows, version))
}

/// Seeds one Canopy server and runs every scenario against it, every request with the server's session.
#[allow(clippy::too_many_arguments)]
fn backend(
    wrk: &Path,
    scratch: &Path,
    load: Load,
    server: &Server,
    name: &'static str,
    nodes: usize,
    baseline: (&'static str, f64),
    seed: impl FnOnce(&client::Endpoint) -> Result<Vec<String>>,
) -> Result<Vec<Row>> {
    eprintln!("==> {name}: seeding {nodes} nodes");
    let endpoint = server.endpoint();
    let started = Instant::now();
    let groups = seed(&endpoint)?;
    let elapsed = started.elapsed().as_secs_f64();
    eprintln!("    seeded in {elapsed:.1} s ({:.0} nodes/s)", nodes as f64 / elapsed);
    let first = groups.first().context("seeding returned no group")?;
    let list = format!("{BASE}/groups?search=group&page_size=50");
    let (deep, page) = seed::deep_page(&endpoint, &list)?;
    eprintln!("    deep page: page {page} via next");

    let mut rows = Vec::new();
    let probe = format!("{BASE}/groups/{first}");
    let header = endpoint.authorization.as_ref().map(|a| format!("Authorization: {a}"));
    let mut run = |scenario: &'static str, path: &str, script: Option<&Path>| -> Result<()> {
        if !server.settle(&probe) {
            eprintln!("    warning: the server was still busy before `{scenario}`");
        }
        eprintln!("==> {name}, {nodes} nodes: {scenario}");
        let measure = load::wrk(wrk, load, server.port, path, header.as_deref(), script)?;
        rows.push(row(name, nodes, scenario, Ok(measure), server.peak_rss(), Some(baseline)));
        Ok(())
    };
    run(GET, &probe, None)?;
    run(LIST_FIRST, &list, None)?;
    run(LIST_DEEP, &deep, None)?;
    let config = format!("{BASE}/groups/{first}/configurations/general");
    seed::configure(&endpoint, &config)?;
    run(CONFIG, &config, None)?;
    let parents: Vec<String> = groups.iter().map(|g| format!("{BASE}/groups/{g}/tenants")).collect();
    let script = load::create_tenant_script(scratch, &parents)?;
    run(CREATE, "/", Some(&script))?;
    Ok(rows)
}

fn row(
    backend: &'static str,
    nodes: usize,
    scenario: &'static str,
    result: Result<Measure, String>,
    peak_rss: Option<u64>,
    baseline: Option<(&'static str, f64)>,
) -> Row {
    Row { backend, nodes, scenario, result, peak_rss, baseline }
}

fn sql_value(psql: &str, url: &str, sql: &str) -> Result<String> {
    let output =
        Command::new(psql).args(["-X", "-q", "-t", "-A", "-d", url, "-c", sql]).stdin(Stdio::null()).output()?;
    if !output.status.success() {
        bail!("psql `{sql}` failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn find<'a>(rows: &'a [Row], backend: &str, nodes: usize, scenario: &str) -> Option<&'a Row> {
    rows.iter().find(|r| r.backend == backend && r.nodes == nodes && r.scenario == scenario)
}

/// p50 of the deep page at 1,000,000 nodes over the same at the small size.
fn deep_ratio(rows: &[Row], backend: &str, small: usize) -> Option<f64> {
    let p50 = |nodes| Some(find(rows, backend, nodes, LIST_DEEP)?.result.as_ref().ok()?.p50_ms);
    Some(p50(LARGE)? / p50(small / NODES_PER_GROUP * NODES_PER_GROUP)?)
}

fn targets(rows: &[Row], small: usize, large: bool) -> Vec<Target> {
    let small = small / NODES_PER_GROUP * NODES_PER_GROUP;
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
    // The read scenarios only: the create scenario adds nodes beyond the seeded N.
    let rss = find(rows, "in memory", small, LIST_DEEP).and_then(|r| r.peak_rss);
    vec![
        ratio_target("in memory", BARE_AXUM, 0.6),
        ratio_target("PostgreSQL", PGBENCH, 0.4),
        deep("PostgreSQL"),
        deep("in memory"),
        Target {
            what: format!("in-memory server peak RSS at {small} nodes (after the read scenarios)"),
            goal: "< 64 MiB".into(),
            measured: rss.map(|b| format!("{:.1} MiB", b as f64 / MIB as f64)),
            met: rss.map(|b| b < 64 * MIB),
        },
    ]
}
