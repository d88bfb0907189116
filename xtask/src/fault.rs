//! `cargo xtask fault`: database faults under load, on loopback. Writers create groups while PostgreSQL is stopped
//! abruptly (requests must answer 503 in the envelope within a bound, `/readyz` 503, the process stay up), started
//! again (service must resume by itself), and while Canopy is killed with `kill -9`; at the end every group whose
//! creation was acknowledged with 200 must be readable from a new Canopy on the same database.

mod canopy;
mod writer;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::bench::client::{Conn, Endpoint};
use crate::postgres::Cluster;
use canopy::Canopy;
use writer::{CLIENT_TIMEOUT, GROUPS, REQUEST_BOUND, Shared, Writer, is_unavailable};

/// Acknowledged writes to see before each fault, so that every fault hits a server under load.
const WRITES_BEFORE_FAULT: usize = 20;
/// Concurrent writers (one connection each), so that faults find several requests in flight.
const WRITERS: usize = 4;
/// Bound of every wait on the scenario's progress.
const STEP_TIMEOUT: Duration = Duration::from_secs(60);
const POLL: Duration = Duration::from_millis(50);

pub fn run(args: &[String]) -> Result<()> {
    if !args.is_empty() {
        bail!("`cargo xtask fault` takes no arguments (got {args:?})");
    }
    let started = Instant::now();
    let binary = build()?;
    let mut cluster = Cluster::start_durable()?;
    let url = cluster.database_url();
    let tally = Shared::default();

    eprintln!("==> starting canopy and {WRITERS} writers");
    let mut first = Canopy::start(&binary, &url)?;
    let writers: Vec<Writer> =
        (0..WRITERS).map(|i| Writer::start(first.endpoint.clone(), tally.clone(), &format!("fault-{i}"))).collect();
    wait_for("writes acknowledged before the fault", || Ok(tally.acknowledged() >= WRITES_BEFORE_FAULT))?;

    eprintln!("==> stopping PostgreSQL (immediate)");
    cluster.stop_immediate()?;
    let unavailable = tally.unavailable();
    let first_503 = wait_for("a writer to get a 503", || Ok(tally.unavailable() > unavailable))?;
    probe_outage(&first.endpoint)?;
    if !first.alive()? {
        bail!("canopy exited while PostgreSQL was down:\n{}", first.log_tail());
    }

    eprintln!("==> starting PostgreSQL again");
    cluster.restart()?;
    let ready = wait_for("/readyz to answer 200 after the restart", || Ok(readyz(first.endpoint.port)? == 200))?;
    let acknowledged = tally.acknowledged();
    let writing = wait_for("a write acknowledged after the restart", || Ok(tally.acknowledged() > acknowledged))?;
    let writing = ready + writing;

    eprintln!("==> kill -9 canopy under load");
    let acknowledged = tally.acknowledged();
    wait_for("more writes before the kill", || Ok(tally.acknowledged() >= acknowledged + WRITES_BEFORE_FAULT))?;
    first.kill9()?;
    writers.into_iter().for_each(Writer::stop);
    drop(first);
    let second = Canopy::start(&binary, &url)?;
    let missing = missing_groups(&second.endpoint, &tally.lock().acknowledged)?;

    let tally = tally.lock();
    println!(
        "fault: {} writes acknowledged, {} answered 503, {} connections lost; slowest request {:.2} s; first 503 \
         {:.2} s after PostgreSQL stopped; /readyz 200 {:.2} s and writes {:.2} s after it accepted connections \
         again; {} acknowledged groups missing after kill -9; {:.0} s in all",
        tally.acknowledged.len(),
        tally.unavailable,
        tally.lost,
        tally.slowest.as_secs_f64(),
        first_503.as_secs_f64(),
        ready.as_secs_f64(),
        writing.as_secs_f64(),
        missing.len(),
        started.elapsed().as_secs_f64()
    );
    let mut violations = tally.violations.clone();
    if !missing.is_empty() {
        violations.push(format!("acknowledged groups lost: {}", missing.join(", ")));
    }
    if !violations.is_empty() {
        bail!("{} violation(s):\n  {}", violations.len(), violations.join("\n  "));
    }
    drop(cluster);
    Ok(())
}

/// What a probe must answer while PostgreSQL is down.
#[derive(Clone, Copy)]
enum Expect {
    /// 503 `store_unavailable` or `timeout`.
    Unavailable,
    /// 503 `not_ready` (`/readyz`).
    NotReady,
    /// 200: the process itself is fine (`/healthz`).
    Alive,
}

impl Expect {
    fn met(self, status: u16, answer: &Value) -> bool {
        match self {
            Expect::Unavailable => status == 503 && is_unavailable(answer),
            Expect::NotReady => status == 503 && answer["error"]["code"] == "not_ready",
            Expect::Alive => status == 200,
        }
    }
}

/// While PostgreSQL is down: a read, a write, a login, `/readyz` and `/healthz`, at once, must each answer as
/// [`Expect`]ed within the bound.
fn probe_outage(endpoint: &Endpoint) -> Result<()> {
    let login = json!({ "username": canopy::ADMIN_EMAIL, "password": canopy::ADMIN_PASSWORD });
    let probes: [(&str, &str, Option<Value>, Expect); 5] = [
        ("POST", "/api/v01/auth/login", Some(login), Expect::Unavailable),
        ("GET", "/readyz", None, Expect::NotReady),
        ("GET", "/healthz", None, Expect::Alive),
        ("GET", GROUPS, None, Expect::Unavailable),
        ("POST", GROUPS, Some(json!({ "name": "during-the-outage" })), Expect::Unavailable),
    ];
    thread::scope(|scope| {
        let running: Vec<_> = probes
            .iter()
            .map(|(method, path, body, expect)| {
                scope.spawn(move || -> Result<()> {
                    let mut conn = endpoint.connect()?.with_timeout(CLIENT_TIMEOUT)?;
                    let sent = Instant::now();
                    let (status, answer) = match body {
                        Some(body) => conn.post_json(path, body),
                        None => conn
                            .get(path)
                            .map(|(status, bytes)| (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))),
                    }
                    .with_context(|| format!("{method} {path} with PostgreSQL down: no answer"))?;
                    let took = sent.elapsed();
                    if !expect.met(status, &answer) || took > REQUEST_BOUND {
                        bail!(
                            "{method} {path} with PostgreSQL down answered {status} in {took:?} (want {}, within \
                             {REQUEST_BOUND:?}): {answer}",
                            match expect {
                                Expect::Unavailable => "503 store_unavailable or timeout",
                                Expect::NotReady => "503 not_ready",
                                Expect::Alive => "200",
                            }
                        );
                    }
                    Ok(())
                })
            })
            .collect();
        running.into_iter().try_for_each(|probe| probe.join().unwrap_or_else(|_| bail!("a probe panicked")))
    })
}

fn readyz(port: u16) -> Result<u16> {
    Ok(Conn::open(port)?.with_timeout(CLIENT_TIMEOUT)?.get("/readyz")?.0)
}

/// The acknowledged uuids that a GET does not find.
fn missing_groups(endpoint: &Endpoint, uuids: &[String]) -> Result<Vec<String>> {
    let mut conn = endpoint.connect()?.with_timeout(CLIENT_TIMEOUT)?;
    let mut missing = Vec::new();
    for uuid in uuids {
        let (status, body) = conn.get(&format!("{GROUPS}/{uuid}"))?;
        match status {
            200 => {}
            404 => missing.push(uuid.clone()),
            other => bail!("GET {GROUPS}/{uuid} answered {other}: {}", String::from_utf8_lossy(&body)),
        }
    }
    Ok(missing)
}

/// Polls `done` until it holds, failing after [`STEP_TIMEOUT`]; returns how long it took.
fn wait_for(what: &str, mut done: impl FnMut() -> Result<bool>) -> Result<Duration> {
    let started = Instant::now();
    loop {
        // A failed probe (e.g. a refused connection) is just "not yet".
        if done().unwrap_or(false) {
            return Ok(started.elapsed());
        }
        if started.elapsed() >= STEP_TIMEOUT {
            bail!("timed out after {}s waiting for {what}", STEP_TIMEOUT.as_secs());
        }
        thread::sleep(POLL);
    }
}

/// Builds the debug server; the path of its binary.
fn build() -> Result<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().context("xtask has no parent directory")?.to_owned();
    eprintln!("==> cargo build -p canopy-server");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "-p", "canopy-server"])
        .current_dir(&root)
        .stdin(Stdio::null())
        .status()
        .context("could not run cargo build")?;
    if !status.success() {
        bail!("cargo build -p canopy-server failed ({status})");
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    Ok(target.join("debug").join("canopy"))
}
