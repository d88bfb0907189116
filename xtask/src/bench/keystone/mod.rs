//! `cargo xtask bench --peer keystone`: OpenStack Keystone, the identity service whose projects form a hierarchy
//! like Canopy's tree, measured beside Canopy's PostgreSQL GET in the same run. The pinned Keystone (PyPI, in
//! `target/keystone-venv`, see [`venv`]) gets its own database on the run's disposable PostgreSQL
//! (`keystone-manage db_sync`, `fernet_setup`, `bootstrap`), a domain holding as many projects as Canopy's seed has
//! nodes, in the same shape (inserted by SQL into keystone's `project` table: its API would take minutes), and
//! serves them under gunicorn, one worker per core. A system-scoped admin token (`X-Auth-Token`) then reads one
//! project (`GET /v3/projects/{id}`) under the same wrk load as Canopy's GET. Everything started here stops when
//! [`Gunicorn`] drops, on every path; the database goes with the cluster.

mod venv;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::json;

use super::client::Conn;
use super::load::{self, Load};
use super::report::Row;
use super::seed::{Mix, USERS_PER_SITE_GROUP};
use super::server::free_port;
use venv::Venv;

pub const BACKEND: &str = "Keystone (PostgreSQL)";
pub const SCENARIO: &str = "GET one project (X-Auth-Token)";
const ADMIN_PASSWORD: &str = "Keystone-bench-passphrase-2026";
/// The domain holding the projects (keystone's `project` row with `is_domain`).
const DOMAIN: &str = "canopybench";
const READY_TIMEOUT: Duration = Duration::from_secs(120);
const STOP_TIMEOUT: Duration = Duration::from_secs(15);
const WARM_UP: Load = Load { connections: 4, threads: 1, seconds: 1 };

/// The peer's row, and the sentence that says what was measured.
pub struct Measured {
    pub row: Row,
    pub setup: String,
}

/// Installs (once), sets up, seeds and measures Keystone on the cluster at `cluster_url` (the superuser's URL of
/// the `postgres` database); its rows are compared to `baseline` like Canopy's PostgreSQL rows.
#[allow(clippy::too_many_arguments)]
pub fn measure(
    root: &Path,
    target: &Path,
    wrk: &Path,
    psql: &str,
    cluster_url: &str,
    scratch: &Path,
    mix: Mix,
    load: Load,
    baseline: (&'static str, f64),
) -> Result<Measured> {
    let started = Instant::now();
    let venv = Venv::ensure(root, target)?;
    let (keystone, gunicorn) = (venv.version("keystone")?, venv.version("gunicorn")?);
    let dir = scratch.join("keystone");
    fs::create_dir_all(&dir)?;
    super::sql_value(psql, cluster_url, "CREATE DATABASE keystone")?;
    let database = cluster_url.replacen("/postgres?", "/keystone?", 1);
    let conf = dir.join("keystone.conf");
    fs::write(&conf, keystone_conf(&dir, &database))?;

    eprintln!("==> peer: Keystone {keystone}: keystone-manage db_sync, fernet_setup, bootstrap");
    manage(&venv, &conf, &["db_sync"])?;
    let (user, group) = (id("-un")?, id("-gn")?);
    manage(&venv, &conf, &["fernet_setup", "--keystone-user", &user, "--keystone-group", &group])?;
    manage(&venv, &conf, &["bootstrap", "--bootstrap-password", ADMIN_PASSWORD])?;
    eprintln!("==> peer: seeding {} projects by SQL", mix.nodes());
    let project = seed(psql, &database, mix)?;

    let workers = thread::available_parallelism().map_or(2, usize::from);
    let server = Gunicorn::start(&venv, &dir, &conf, workers)?;
    let token = server.token()?;
    let path = format!("/v3/projects/{project}");
    let header = format!("X-Auth-Token: {token}");
    let (status, body) = server.get(&path, &token)?;
    if status != 200 {
        bail!("Keystone answered GET {path} with {status}: {}", String::from_utf8_lossy(&body));
    }
    // The first requests of each worker load policies and open database connections: not part of the measure.
    load::wrk(wrk, WARM_UP, server.port, &path, Some(&header), None)?;
    eprintln!("==> {BACKEND}, {} nodes: {SCENARIO}", mix.nodes());
    let measure = load::wrk(wrk, load, server.port, &path, Some(&header), None)?;
    let row = Row {
        backend: BACKEND,
        nodes: mix.nodes(),
        scenario: SCENARIO,
        result: Ok(measure),
        peak_rss: server.peak_rss(),
        baseline: Some(baseline),
    };
    drop(server);
    eprintln!("    peer installed or reused, set up, seeded and measured in {:.0} s", started.elapsed().as_secs_f64());
    let setup = format!(
        "Keystone {keystone} (PyPI, pinned with its dependencies in `bench/keystone/`) under gunicorn {gunicorn}: \
         {workers} workers (one per core) of gunicorn's default `sync` kind; keystone.conf's defaults otherwise \
         (fernet tokens, no cache: oslo.cache is off unless configured). Its own database on the same disposable \
         PostgreSQL; one domain with {} projects in the shape of Canopy's tree, inserted by SQL into keystone's \
         `project` table. Every request carries a system-scoped admin token (`X-Auth-Token`), which Keystone \
         validates; the project read is the first group's (`GET /v3/projects/{{id}}`). Its peak RSS is the sum of \
         gunicorn's processes.",
        mix.nodes()
    );
    Ok(Measured { row, setup })
}

fn keystone_conf(dir: &Path, database: &str) -> String {
    let sqlalchemy = database.replacen("postgres://", "postgresql+psycopg2://", 1);
    let dir = dir.display();
    format!(
        "# Written by cargo xtask bench --peer keystone.\n[DEFAULT]\nlog_file = {dir}/keystone.log\n\n[database]\n\
         connection = {sqlalchemy}\n\n[token]\nprovider = fernet\n\n[fernet_tokens]\nkey_repository = \
         {dir}/fernet-keys\n\n[fernet_receipts]\nkey_repository = {dir}/fernet-receipts\n"
    )
}

/// `keystone-manage --config-file <conf> <args>`.
fn manage(venv: &Venv, conf: &Path, args: &[&str]) -> Result<()> {
    let output = Command::new(venv.bin("keystone-manage"))
        .arg("--config-file")
        .arg(conf)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .context("could not run keystone-manage")?;
    if !output.status.success() {
        bail!("keystone-manage {} failed ({}):\n{}", args[0], output.status, tail(&output.stdout, &output.stderr));
    }
    Ok(())
}

/// `id <flag>`: the current user's or group's name (fernet_setup wants them when run as root).
fn id(flag: &str) -> Result<String> {
    let output = Command::new("id").arg(flag).stdin(Stdio::null()).output().context("could not run id")?;
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// The last lines of a command's output, for error messages.
fn tail(stdout: &[u8], stderr: &[u8]) -> String {
    let text = format!("{}{}", String::from_utf8_lossy(stdout), String::from_utf8_lossy(stderr));
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(30)..].join("\n")
}

/// Inserts the domain and one project per node of Canopy's seed, in the same shape: per group its distributor,
/// reseller and two tenants, and under the last group's second tenant the site groups with their users. Returns
/// the id of the first group's project.
fn seed(psql: &str, database: &str, mix: Mix) -> Result<String> {
    let script = seed_script(mix);
    let mut child = Command::new(psql)
        .args(["-X", "-q", "-t", "-A", "-d", database, "-f", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("could not run psql")?;
    std::io::Write::write_all(&mut child.stdin.take().context("psql stdin")?, script.as_bytes())?;
    let output = child.wait_with_output()?;
    if !output.status.success() {
        bail!("seeding Keystone's projects failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout.lines().map(str::trim).find(|l| !l.is_empty()).map(Into::into).context("the seed printed no project id")
}

fn seed_script(mix: Mix) -> String {
    let last = mix.site_groups_group();
    let columns = "INSERT INTO project (id, name, extra, description, enabled, domain_id, parent_id, is_domain)";
    let mut sql = String::from("\\set ON_ERROR_STOP on\nSET synchronous_commit = off;\nBEGIN;\n");
    let _ = writeln!(
        sql,
        "{columns} VALUES ('{DOMAIN}', '{DOMAIN}', '{{}}', 'cargo xtask bench', true, '<<keystone.domain.root>>', \
         NULL, true);"
    );
    let _ = writeln!(
        sql,
        "CREATE TEMP TABLE seed AS SELECT i, md5('g' || i) AS g, md5('d' || i) AS d, md5('r' || i) AS r, \
         md5('ta' || i) AS ta, md5('tb' || i) AS tb FROM generate_series(0, {last}) AS i;"
    );
    let project = |id: &str, name: &str, parent: &str, from: &str| {
        format!("{columns}\nSELECT {id}, {name}, '{{}}', '', true, '{DOMAIN}', {parent}, false FROM {from};\n")
    };
    sql += &project("g", "'Group ' || lpad(i::text, 7, '0')", &format!("'{DOMAIN}'"), "seed");
    sql += &project("d", "'Distributor ' || i", "g", "seed");
    sql += &project("r", "'Reseller ' || i", "d", "seed");
    sql += &project("ta", "'Tenant ' || i || ' A'", "r", "seed");
    sql += &project("tb", "'Tenant ' || i || ' B'", "g", "seed");
    let site_groups = format!("generate_series(0, {}) AS j", mix.site_groups - 1);
    sql += &project("md5('sg' || j)", "'site-' || lpad(j::text, 4, '0')", &format!("md5('tb{last}')"), &site_groups);
    sql += &project(
        "md5('u' || j || '-' || k)",
        "'user-' || lpad(j::text, 4, '0') || '-' || k",
        "md5('sg' || j)",
        &format!("{site_groups}, generate_series(0, {}) AS k", USERS_PER_SITE_GROUP - 1),
    );
    sql += "COMMIT;\nVACUUM ANALYZE project;\nSELECT md5('g0');\n";
    sql
}

/// gunicorn serving Keystone on a free loopback port; dropping it stops gunicorn and its workers.
struct Gunicorn {
    child: Child,
    /// gunicorn reads this pipe in a thread (see `gunicorn.conf.py`) and stops when it closes: when this guard drops,
    /// or when xtask dies in any way.
    stdin: Option<ChildStdin>,
    port: u16,
    dir: PathBuf,
}

impl Gunicorn {
    fn start(venv: &Venv, dir: &Path, conf: &Path, workers: usize) -> Result<Self> {
        let port = free_port()?;
        fs::write(dir.join("gunicorn.conf.py"), gunicorn_conf(dir, port, workers))?;
        let log = fs::File::create(dir.join("gunicorn.out"))?;
        eprintln!("==> peer: gunicorn on 127.0.0.1:{port}, {workers} workers");
        // No arguments: Keystone parses the process's arguments as its own (oslo.config) and would refuse
        // gunicorn's, so gunicorn takes its settings from ./gunicorn.conf.py.
        let mut child = Command::new(venv.bin("gunicorn"))
            .current_dir(dir)
            .env("OS_KEYSTONE_CONFIG_FILES", conf)
            .stdin(Stdio::piped())
            .stdout(log.try_clone()?)
            .stderr(log)
            .spawn()
            .context("could not start gunicorn")?;
        let stdin = child.stdin.take();
        let mut server = Gunicorn { child, stdin, port, dir: dir.to_owned() };
        server.wait_ready()?;
        Ok(server)
    }

    /// Polls `GET /v3` until it answers 200, gunicorn exits, or the deadline passes.
    fn wait_ready(&mut self) -> Result<()> {
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!("gunicorn exited during start-up ({status}):\n{}", self.logs());
            }
            if Conn::open(self.port).and_then(|mut conn| conn.get("/v3")).is_ok_and(|(status, _)| status == 200) {
                return Ok(());
            }
            if Instant::now() >= deadline {
                bail!("Keystone not ready after {} s:\n{}", READY_TIMEOUT.as_secs(), self.logs());
            }
            thread::sleep(Duration::from_millis(100));
        }
    }

    /// A system-scoped token of the bootstrap administrator (`X-Subject-Token` of `POST /v3/auth/tokens`).
    fn token(&self) -> Result<String> {
        let body = json!({ "auth": {
            "identity": { "methods": ["password"], "password": { "user": {
                "name": "admin", "domain": { "id": "default" }, "password": ADMIN_PASSWORD } } },
            "scope": { "system": { "all": true } } } });
        let response = Conn::open(self.port)?.post("/v3/auth/tokens", &body)?;
        match response.header("X-Subject-Token") {
            Some(token) if response.status == 201 => Ok(token.to_owned()),
            _ => bail!("Keystone refused the token ({}): {}", response.status, String::from_utf8_lossy(&response.body)),
        }
    }

    fn get(&self, path: &str, token: &str) -> Result<(u16, Vec<u8>)> {
        Conn::open(self.port)?.with_header(format!("X-Auth-Token: {token}")).get(path)
    }

    /// The sum of the peak resident sets (`VmHWM`) of gunicorn and its workers.
    fn peak_rss(&self) -> Option<u64> {
        let arbiter = self.child.id();
        let workers = children(arbiter);
        std::iter::once(arbiter).chain(workers).map(|pid| status_bytes(pid, "VmHWM:")).sum()
    }

    fn logs(&self) -> String {
        let read = |name: &str| fs::read(self.dir.join(name)).unwrap_or_default();
        format!(
            "--- gunicorn ---\n{}\n--- keystone.log ---\n{}",
            tail(&read("gunicorn.out"), b""),
            tail(&read("keystone.log"), b"")
        )
    }
}

impl Drop for Gunicorn {
    fn drop(&mut self) {
        let workers = children(self.child.id());
        // Closing the pipe makes gunicorn stop at once (SIGINT to itself), workers included.
        drop(self.stdin.take());
        let deadline = Instant::now() + STOP_TIMEOUT;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            thread::sleep(Duration::from_millis(50));
        }
        eprintln!("xtask: warning: gunicorn did not stop within {} s; killing it", STOP_TIMEOUT.as_secs());
        let _ = self.child.kill();
        let _ = self.child.wait();
        for pid in workers {
            let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).stderr(Stdio::null()).status();
        }
    }
}

/// gunicorn's settings. Its default `sync` workers, one per core: Keystone's work is CPU-bound under the GIL (a GET
/// with its token's validation is about 60 SQL statements and much Python), and `gthread` workers (keep-alive, 4
/// threads) measured 15 to 30 % fewer req/s on the 2-vCPU machine. `when_ready` starts the thread that stops
/// gunicorn when its standard input closes.
fn gunicorn_conf(dir: &Path, port: u16, workers: usize) -> String {
    let log = serde_json::to_string(&dir.join("gunicorn.log").display().to_string()).unwrap_or_default();
    format!(
        r#"# Written by cargo xtask bench --peer keystone.
import os, signal, sys, threading

wsgi_app = "keystone.server.wsgi:initialize_public_application()"
bind = "127.0.0.1:{port}"
workers = {workers}
errorlog = {log}
control_socket_disable = True

def when_ready(server):
    def stop_when_stdin_closes():
        sys.stdin.read()
        os.kill(os.getpid(), signal.SIGINT)
    threading.Thread(target=stop_when_stdin_closes, daemon=True).start()
"#
    )
}

/// The processes whose parent is `pid` (from /proc).
fn children(pid: u32) -> Vec<u32> {
    let parent = pid.to_string();
    fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|child| {
            fs::read_to_string(format!("/proc/{child}/status"))
                .is_ok_and(|status| status.lines().any(|l| l.strip_prefix("PPid:").is_some_and(|p| p.trim() == parent)))
        })
        .collect()
}

fn status_bytes(pid: u32, field: &str) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with(field))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_projects_mirror_the_seed_mix() {
        let script = seed_script(Mix::of(10_000));
        assert!(script.contains("generate_series(0, 1899) AS i"));
        assert_eq!(script.matches("INSERT INTO project").count(), 8, "the domain and seven kinds of rows");
        assert!(script.contains("'site-' || lpad(j::text, 4, '0'), '{}', '', true, 'canopybench', md5('tb1899')"));
        assert!(script.contains("FROM generate_series(0, 99) AS j, generate_series(0, 3) AS k;"));
    }

    #[test]
    fn the_configurations_name_the_database_and_the_port() {
        let conf = keystone_conf(Path::new("/tmp/x"), "postgres://canopy@127.0.0.1:5555/keystone?sslmode=disable");
        assert!(conf.contains("connection = postgresql+psycopg2://canopy@127.0.0.1:5555/keystone?sslmode=disable\n"));
        assert!(conf.contains("key_repository = /tmp/x/fernet-keys\n"));
        let conf = gunicorn_conf(Path::new("/tmp/x"), 4242, 2);
        assert!(conf.contains("bind = \"127.0.0.1:4242\"\nworkers = 2\n"));
        assert!(conf.contains("errorlog = \"/tmp/x/gunicorn.log\"\n"));
    }
}
