//! `cargo xtask bench`: builds release binaries, measures the baselines (bare axum, `pgbench -S`), then drives
//! Canopy on loopback with wrk against the in-memory store and a disposable PostgreSQL, seeded with N nodes
//! (10,000; also 1,000,000 with `--large`, seeded by SQL on PostgreSQL and over HTTP in memory), optionally measures
//! a peer beside it on the same PostgreSQL (`--peer keystone`), and reports a table to stdout and
//! docs/performance.md.

pub mod client;
mod keystone;
mod load;
mod memory;
mod report;
mod seed;
mod server;
mod targets;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::postgres::Cluster;
use load::{Load, Measure};
use report::Row;
use seed::{BASE, Mix, Seeded};
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
const SITE_GROUP: &str = "GET one site group";
const USER: &str = "GET one user";
const APIO_SEARCH: &str = "APIO search a tenant's groups, criterion, page";
const APIO_CODES: &str = "APIO read a user's authorization codes";
/// The smallest `--nodes`: the group list needs two pages for its deep page.
const MIN_NODES: usize = 500;

/// A service measured beside Canopy in the same run (`--peer`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Peer {
    Keystone,
}

#[derive(Debug)]
struct Options {
    nodes: usize,
    large: bool,
    /// Only the in-memory store's bytes per node (`--memory`), at `--nodes` (default 1,000,000).
    memory: bool,
    peer: Option<Peer>,
    load: Load,
}

const USAGE: &str = "usage: cargo xtask bench [--large | --memory] [--peer keystone] [--duration <s>] \
                     [--connections <n>] [--threads <n>] [--nodes <n>]";

fn parse(args: &[String]) -> Result<Options> {
    let mut options = Options {
        nodes: SMALL,
        large: false,
        memory: false,
        peer: None,
        load: Load { connections: 32, threads: 2, seconds: 5 },
    };
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
            "--peer" => {
                options.peer = match args.next().map(String::as_str) {
                    Some("keystone") => Some(Peer::Keystone),
                    Some(other) => bail!("unknown peer `{other}`: the peer is `keystone`"),
                    None => bail!("--peer needs a value: keystone"),
                }
            }
            other => bail!("unknown argument `{other}`; {USAGE}"),
        }
    }
    options.load.threads = options.load.threads.min(options.load.connections);
    if options.nodes < MIN_NODES && !options.memory {
        bail!("--nodes must be at least {MIN_NODES} (the group list needs two pages)");
    }
    if options.memory && options.peer.is_some() {
        bail!("--memory measures the in-memory store only: it takes no --peer");
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
        return memory::run(&target, nodes.max(seed::NODES_PER_GROUP));
    }
    let wrk = load::find_or_install_wrk()?;
    let psql = load::on_path("psql").context("psql not found: install the package `postgresql-client`")?;
    let pgbench = load::on_path("pgbench").context("pgbench not found: install the package `postgresql-contrib`")?;
    let scratch = std::env::temp_dir().join(format!("canopy-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    let tools = Tools { root: &root, target: &target, wrk: &wrk, psql: &psql, pgbench: &pgbench, scratch: &scratch };
    let result = measure_all(&options, &tools);
    let _ = std::fs::remove_dir_all(&scratch);
    let measured = result?;
    let rows = &measured.rows;

    let small = Mix::of(options.nodes).nodes();
    let targets = targets::targets(rows, small, options.large);
    let large = targets::deep_summary(rows, small);
    let peer = measured.peer.as_ref().and_then(|setup| {
        let canopy = targets::find(rows, "PostgreSQL", small, GET)?;
        let keystone = targets::find(rows, keystone::BACKEND, small, keystone::SCENARIO)?;
        Some(report::Peer { setup: setup.clone(), canopy: canopy.clone(), peer: keystone.clone() })
    });
    let mut command = String::from("cargo xtask bench");
    for arg in args {
        command.push(' ');
        command.push_str(arg);
    }
    let load_text = format!(
        "wrk, {} connections, {} threads, {} s per scenario, on 127.0.0.1 (same machine as the server); seed mix: \
         groups of 5 nodes (the group, 1 distributor, 1 reseller under it, 2 tenants: one under the reseller, one \
         under the group), and under the last group's second tenant N/100 site groups (at most 100) of 4 users \
         each, every user with 5 authorization codes (a site group with its users is 5 nodes, in place of a group: \
         N/5 − S groups); the list is `GET …/groups?search=group&page_size=50` (every group matches), the deep page \
         is reached by following `next` to about 3/4 of the pages; the create scenario POSTs tenants with unique \
         names round-robin under 100 groups; the APIO search is `GET …/apio/api/v1/tenants/{{tenant_id}}/groups/\
         ?insensitiveGroupNameContains=brussels&startIndex=11&pageSize=10` (a quarter of the site groups match), the \
         codes read is APIO's `GET …/users/{{user_id}}/services/outgoing_call_barring/codes/` (5 codes). Peak RSS is \
         the server's VmHWM after the scenario (cumulative). Baselines: {BARE_AXUM} (the same group JSON body, for \
         in-memory rows) and `pgbench -S -M prepared` at the same concurrency (tps; its p50 column is the average \
         latency, for PostgreSQL rows).",
        load.connections, load.threads, load.seconds
    );
    let machine = report::machine(&measured.postgres_version);
    println!(
        "\n{}\n{}\n{}Deep page at 1,000,000 vs 10,000 nodes: {large}",
        report::table(rows),
        report::targets_table(&targets),
        peer.as_ref().map(report::peer_table).unwrap_or_default()
    );
    let section = report::section(&command, &machine, &load_text, rows, &targets, peer.as_ref(), &large);
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

/// Where things are: the workspace, the release binaries, the load generators, a scratch directory.
struct Tools<'a> {
    root: &'a Path,
    target: &'a Path,
    wrk: &'a Path,
    psql: &'a Path,
    pgbench: &'a Path,
    scratch: &'a Path,
}

/// Every row, the PostgreSQL version, and what the peer was (when one ran).
struct Measured {
    rows: Vec<Row>,
    postgres_version: String,
    peer: Option<String>,
}

fn measure_all(options: &Options, tools: &Tools<'_>) -> Result<Measured> {
    let load = options.load;
    let (wrk, scratch) = (tools.wrk, tools.scratch);
    let mut rows = Vec::new();

    eprintln!("==> baseline: bare axum GET /group");
    let axum = {
        let server = Server::baseline(tools.target)?;
        let measure = load::wrk(wrk, load, server.port, "/group", None, None)?;
        rows.push(row("bare axum", 0, "GET /group (same JSON body)", Ok(measure), server.peak_rss(), None));
        measure.rps
    };

    let cluster = Cluster::start()?;
    let url = cluster.database_url();
    let pg_port: u16 =
        url.rsplit(':').next().and_then(|r| r.split('/').next()?.parse().ok()).context("cluster port")?;
    let psql_text = tools.psql.to_string_lossy().into_owned();
    let postgres_version = sql_value(&psql_text, &url, "SHOW server_version")?;
    eprintln!("==> baseline: pgbench -S -M prepared");
    let pgbench_tps = {
        let measure = load::pgbench(tools.psql, tools.pgbench, pg_port, load)?;
        rows.push(row("PostgreSQL", 0, "pgbench -S -M prepared (tps)", Ok(measure), None, None));
        measure.rps
    };

    let mix = Mix::of(options.nodes);
    let memory = Server::canopy(tools.target, None)?;
    rows.extend(backend(wrk, scratch, load, &memory, "in memory", mix, (BARE_AXUM, axum), |endpoint| {
        seed::seed_http(endpoint, mix)
    })?);
    drop(memory);

    let postgres = Server::canopy(tools.target, Some(&url))?;
    rows.extend(backend(wrk, scratch, load, &postgres, "PostgreSQL", mix, (PGBENCH, pgbench_tps), |endpoint| {
        seed::seed_http(endpoint, mix)
    })?);
    drop(postgres);

    let peer = match options.peer {
        Some(Peer::Keystone) => {
            let target_dir = tools.target.parent().context("the release directory has no parent")?;
            let measured = keystone::measure(
                tools.root,
                target_dir,
                wrk,
                &psql_text,
                &url,
                scratch,
                mix,
                load,
                (PGBENCH, pgbench_tps),
            )?;
            rows.push(measured.row);
            Some(measured.setup)
        }
        None => None,
    };

    if options.large {
        sql_value(&psql_text, &url, "CREATE DATABASE canopy_large")?;
        let large_url = url.replace("/postgres", "/canopy_large");
        let server = Server::canopy(tools.target, Some(&large_url))?;
        let large = Mix::of(LARGE);
        rows.extend(backend(wrk, scratch, load, &server, "PostgreSQL", large, (PGBENCH, pgbench_tps), |_| {
            seed::sql::seed_sql(&psql_text, &large_url, large)
        })?);
        drop(server);
        let memory = Server::canopy(tools.target, None)?;
        rows.extend(backend(wrk, scratch, load, &memory, "in memory", large, (BARE_AXUM, axum), |endpoint| {
            seed::seed_http(endpoint, large)
        })?);
    }
    drop(cluster);
    Ok(Measured { rows, postgres_version, peer })
}

/// Seeds one Canopy server and runs every scenario against it, every request with the server's session.
#[allow(clippy::too_many_arguments)]
fn backend(
    wrk: &Path,
    scratch: &Path,
    load: Load,
    server: &Server,
    name: &'static str,
    mix: Mix,
    baseline: (&'static str, f64),
    seed: impl FnOnce(&client::Endpoint) -> Result<Seeded>,
) -> Result<Vec<Row>> {
    let nodes = mix.nodes();
    eprintln!("==> {name}: seeding {nodes} nodes ({} groups, {} site groups)", mix.groups, mix.site_groups);
    let endpoint = server.endpoint();
    let started = Instant::now();
    let seeded = seed(&endpoint)?;
    let elapsed = started.elapsed().as_secs_f64();
    eprintln!("    seeded in {elapsed:.1} s ({:.0} nodes/s)", nodes as f64 / elapsed);
    let first = seeded.groups.first().context("seeding returned no group")?;
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
        if script.is_none() {
            // A scenario whose every request failed would measure the error path.
            client::get_json(&mut endpoint.connect()?, path).with_context(|| format!("before `{scenario}`"))?;
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
    run(SITE_GROUP, &format!("{BASE}/site_groups/{}", seeded.site_group), None)?;
    run(USER, &format!("{BASE}/users/{}", seeded.user), None)?;
    run(APIO_SEARCH, &seeded.apio_search(), None)?;
    run(APIO_CODES, &seeded.apio_codes(), None)?;
    let parents: Vec<String> = seeded.groups.iter().map(|g| format!("{BASE}/groups/{g}/tenants")).collect();
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

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn without_arguments_the_bench_runs_as_before() {
        let options = parse(&[]).unwrap();
        assert_eq!((options.nodes, options.large, options.memory, options.peer), (SMALL, false, false, None));
        assert_eq!((options.load.connections, options.load.threads, options.load.seconds), (32, 2, 5));
    }

    #[test]
    fn the_peer_and_the_load_are_parsed() {
        let options = parse(&args("--peer keystone --duration 2 --nodes 1000 --connections 8 --threads 4")).unwrap();
        assert_eq!(options.peer, Some(Peer::Keystone));
        assert_eq!(
            (options.nodes, options.load.seconds, options.load.connections, options.load.threads),
            (1000, 2, 8, 4)
        );
        // wrk cannot have more threads than connections.
        assert_eq!(parse(&args("--connections 1 --threads 4")).unwrap().load.threads, 1);
    }

    #[test]
    fn bad_arguments_are_refused_with_their_reason() {
        let error = |text: &str| parse(&args(text)).unwrap_err().to_string();
        assert!(error("--peer openldap").contains("unknown peer `openldap`"));
        assert!(error("--peer").contains("--peer needs a value"));
        assert!(error("--nodes 100").contains("at least 500"));
        assert!(error("--duration soon").contains("`soon` is not a positive integer"));
        assert!(error("--memory --peer keystone").contains("takes no --peer"));
        assert!(error("--fast").contains("unknown argument `--fast`"));
        // --memory counts bytes per node and needs no list pages.
        assert_eq!(parse(&args("--memory --nodes 100")).unwrap().nodes, 100);
    }
}
