//! Disposable PostgreSQL clusters for tests and development: find (or apt-install) the server binaries, `initdb` into
//! a fresh temp dir, start on a free loopback port, and always stop and remove the cluster again.
//!
//! Teardown happens on three paths:
//! - success and errors: [`Cluster`]'s `Drop` runs `pg_ctl -m immediate stop` and removes the directory;
//! - Ctrl-C (or any other death of xtask): std cannot catch signals and this workspace forbids `unsafe`, so xtask just
//!   dies, and `pg_ctl` has detached the postmaster into its own session, out of reach of the terminal's SIGINT. Each
//!   cluster therefore has a watchdog: a `/bin/sh` that ignores INT/HUP/TERM/QUIT and blocks reading a pipe whose
//!   write end only xtask holds. When xtask goes away the pipe closes and, unless `Drop` already said `done`, the
//!   watchdog stops the cluster and removes its directory.
//!
//! Like a production server, the cluster speaks TLS (`ssl=on`, a certificate for `localhost` made at start by a CA
//! of its own, whose certificate [`Cluster::ca_file`] names) and demands a password from one role's members
//! ([`security`]); everyone else is trusted, in plain text or TLS, so `DATABASE_URL` works without either.
//!
//! PostgreSQL refuses to run as root, so when xtask runs as root the directory is handed to the `postgres` user
//! (created if missing) and `initdb`/`pg_ctl` run through `runuser -u postgres --` (or `su postgres -s /bin/sh -c`).

use std::io::{self, Write};
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use std::{env, fs, thread};

use anyhow::{Context, Result, bail};

mod security;

/// The environment variable that gives the tests the path of the cluster's CA certificate.
pub const CA_FILE_VAR: &str = "CANOPY_TEST_PG_CA";

/// Database superuser created by `initdb`.
const DB_USER: &str = "canopy";
/// OS account that runs the server when xtask runs as root.
const OS_USER: &str = "postgres";
const PACKAGE_HINT: &str = "install the Debian/Ubuntu package `postgresql` (server binaries initdb, pg_ctl, postgres)";
const START_ATTEMPTS: u32 = 3;
const READY_TIMEOUT: Duration = Duration::from_secs(60);
const LOG_TAIL_LINES: usize = 40;

/// `cargo xtask pg`: start a cluster, print its `DATABASE_URL`, stop it on Enter (or EOF, or Ctrl-C).
pub fn run_interactive(args: &[String]) -> Result<()> {
    if !args.is_empty() {
        bail!("`cargo xtask pg` takes no arguments (got {args:?})");
    }
    let cluster = Cluster::start()?;
    println!("export DATABASE_URL={}", cluster.database_url());
    println!("export {CA_FILE_VAR}={}", cluster.ca_file().display());
    io::stdout().flush()?;
    eprintln!("Data, log and unix socket are in {}.", cluster.dir.display());
    eprintln!("Press Enter (or Ctrl-C) to stop the cluster and delete it.");
    let mut line = String::new();
    io::stdin().read_line(&mut line).context("reading standard input")?;
    drop(cluster);
    eprintln!("Stopped.");
    Ok(())
}

/// A running throwaway cluster; dropping it stops the server and deletes its directory.
pub struct Cluster {
    /// Temp dir holding `data/`, `postgres.log` and the unix socket.
    dir: PathBuf,
    data: PathBuf,
    log: PathBuf,
    /// The certificate of the CA that signed the server's (`ca.pem` in `dir`).
    ca_file: PathBuf,
    port: u16,
    bins: Binaries,
    run_as: RunAs,
    watchdog: Option<Child>,
    /// `synchronous_commit=on`: a commit is acknowledged only once its WAL is written, so an immediate stop loses no
    /// acknowledged write (the fault scenario checks exactly that). Off by default, for speed.
    durable: bool,
}

impl Cluster {
    /// Finds the binaries, creates, starts and waits for a new cluster.
    pub fn start() -> Result<Self> {
        Self::start_with(false)
    }

    /// [`Cluster::start`] with `synchronous_commit=on`, for scenarios that crash the server and count on every
    /// acknowledged commit surviving (`fsync` stays off: the machine itself does not crash).
    pub fn start_durable() -> Result<Self> {
        Self::start_with(true)
    }

    fn start_with(durable: bool) -> Result<Self> {
        let bins = locate_binaries()?;
        let run_as = RunAs::detect()?;
        let dir = create_temp_dir()?;
        let mut cluster = Cluster {
            data: dir.join("data"),
            log: dir.join("postgres.log"),
            ca_file: dir.join("ca.pem"),
            dir,
            port: 0,
            bins,
            run_as,
            watchdog: None,
            durable,
        };
        // From here on, every early return drops `cluster`, which cleans up.
        cluster.watchdog = Some(cluster.spawn_watchdog()?);
        cluster.hand_dir_to_server_user()?;
        cluster.initdb()?;
        cluster.secure()?;
        cluster.start_server()?;
        cluster.wait_ready()?;
        eprintln!("==> {} ready on 127.0.0.1:{} ({})", cluster.bins.version, cluster.port, cluster.dir.display());
        Ok(cluster)
    }

    /// Stops the server abruptly (`pg_ctl -m immediate`: a crash, recovered from the WAL at the next start); the
    /// cluster's directory stays, for [`Cluster::restart`].
    pub fn stop_immediate(&self) -> Result<()> {
        run_captured(&mut self.server_command(self.stop_argv()), "pg_ctl stop -m immediate")?;
        Ok(())
    }

    /// Starts a stopped cluster again on the same port, so that clients holding its URL reconnect.
    pub fn restart(&mut self) -> Result<()> {
        let output = self.pg_ctl_start()?;
        if !output.status.success() {
            bail!(
                "pg_ctl start (restart on port {}) failed ({}):\n{}\n--- last lines of {} ---\n{}",
                self.port,
                output.status,
                combined(&output),
                self.log.display(),
                self.log_tail()
            );
        }
        self.wait_ready()
    }

    /// The superuser's URL, in plain text (`sslmode=disable`): opening a TLS connection costs sqlx 0.9.0 about 0.1 s
    /// (Nagle's algorithm, sqlx issue #4335), which the suite, opening pools test after test, would pay thousands of
    /// times; the TLS tests set their own `sslmode`.
    pub fn database_url(&self) -> String {
        format!("postgres://{DB_USER}@127.0.0.1:{}/postgres?sslmode=disable", self.port)
    }

    /// The PEM certificate of the CA that signed the server's certificate (made for `localhost` only).
    pub fn ca_file(&self) -> &Path {
        &self.ca_file
    }

    /// A command running `argv` as the server's OS user, in the cluster directory.
    fn server_command(&self, argv: Vec<String>) -> Command {
        let argv = self.run_as.wrap(argv);
        let mut command = Command::new(&argv[0]);
        command.args(&argv[1..]).current_dir(&self.dir).stdin(Stdio::null());
        command
    }

    fn stop_argv(&self) -> Vec<String> {
        let mut argv = vec![text(&self.bins.pg_ctl)];
        argv.extend(["-D", &text(&self.data), "-m", "immediate", "-w", "-t", "60", "stop"].map(String::from));
        argv
    }

    fn spawn_watchdog(&self) -> Result<Child> {
        const SCRIPT: &str = r#"trap '' INT HUP TERM QUIT
dir=$1; shift
IFS= read -r line
[ "$line" = done ] && exit 0
if [ -e "$dir/data/postmaster.pid" ]; then "$@" >/dev/null 2>&1; fi
rm -rf -- "$dir"
echo "xtask: interrupted; stopped and removed the disposable PostgreSQL cluster in $dir" >&2
"#;
        Command::new("/bin/sh")
            .args(["-c", SCRIPT, "xtask-pg-watchdog"])
            .arg(&self.dir)
            .args(self.run_as.wrap(self.stop_argv()))
            .current_dir("/")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .context("could not start the cleanup watchdog (/bin/sh)")
    }

    fn hand_dir_to_server_user(&self) -> Result<()> {
        if matches!(self.run_as, RunAs::CurrentUser) {
            return Ok(());
        }
        run_captured(
            Command::new("chown").arg(format!("{OS_USER}:")).arg(&self.dir),
            "chown of the cluster directory",
        )?;
        let writable = self.server_command(vec!["test".into(), "-w".into(), text(&self.dir)]).status();
        if !writable.is_ok_and(|s| s.success()) {
            bail!(
                "the `{OS_USER}` user cannot write to {} (below {}); point TMPDIR at a directory it can reach, e.g. \
                 TMPDIR=/tmp",
                self.dir.display(),
                env::temp_dir().display()
            );
        }
        Ok(())
    }

    fn initdb(&self) -> Result<()> {
        let mut argv = vec![text(&self.bins.initdb), "-D".into(), text(&self.data)];
        argv.extend(["-U", DB_USER, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"].map(String::from));
        run_captured(&mut self.server_command(argv), "initdb")?;
        Ok(())
    }

    /// The server's certificate and key, and `pg_hba.conf`: see [`security`].
    fn secure(&self) -> Result<()> {
        let server_files = security::write_certificates(&self.ca_file, &self.data)?;
        security::write_hba(&self.data)?;
        if !matches!(self.run_as, RunAs::CurrentUser) {
            // PostgreSQL refuses a key that is not its own (or root's with group access at most).
            run_captured(
                Command::new("chown").arg(format!("{OS_USER}:")).args(&server_files),
                "chown of the server's certificate and key",
            )?;
        }
        Ok(())
    }

    fn start_server(&mut self) -> Result<()> {
        for attempt in 1..=START_ATTEMPTS {
            self.port = free_port()?;
            let output = self.pg_ctl_start()?;
            if output.status.success() {
                return Ok(());
            }
            let tail = self.log_tail();
            let port_taken = tail.contains("Address already in use") && !self.data.join("postmaster.pid").exists();
            if port_taken && attempt < START_ATTEMPTS {
                eprintln!("==> port {} was taken meanwhile; retrying on another port", self.port);
                continue;
            }
            bail!(
                "pg_ctl start failed ({}) on port {}:\n{}\n--- last lines of {} ---\n{tail}",
                output.status,
                self.port,
                combined(&output),
                self.log.display()
            );
        }
        unreachable!("the last attempt either returns or bails")
    }

    /// `pg_ctl start` on `self.port`, waiting up to 60 s for the postmaster.
    fn pg_ctl_start(&self) -> Result<Output> {
        let synchronous_commit = if self.durable { "on" } else { "off" };
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c ssl=on -c fsync=off -c synchronous_commit={synchronous_commit} \
             -c full_page_writes=off -c max_connections=200",
            self.port,
            shell_quote(&text(&self.dir))
        );
        let mut argv = vec![text(&self.bins.pg_ctl), "-D".into(), text(&self.data), "-l".into(), text(&self.log)];
        argv.extend(["-w".into(), "-t".into(), "60".into(), "-o".into(), options, "start".into()]);
        self.server_command(argv).output().context("could not run pg_ctl start")
    }

    /// `pg_ctl -w` already waited for the postmaster; confirm that TCP connections are accepted.
    fn wait_ready(&self) -> Result<()> {
        let Some(pg_isready) = &self.bins.pg_isready else { return Ok(()) };
        let port = self.port.to_string();
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            let status = Command::new(pg_isready)
                .args(["-q", "-h", "127.0.0.1", "-p", &port, "-U", DB_USER, "-d", "postgres", "-t", "2"])
                .stdin(Stdio::null())
                .status()
                .context("could not run pg_isready")?;
            if status.success() {
                return Ok(());
            }
            if Instant::now() >= deadline {
                bail!(
                    "PostgreSQL on 127.0.0.1:{port} not ready after {}s\n--- last lines of {} ---\n{}",
                    READY_TIMEOUT.as_secs(),
                    self.log.display(),
                    self.log_tail()
                );
            }
            thread::sleep(Duration::from_millis(100));
        }
    }

    fn log_tail(&self) -> String {
        let Ok(bytes) = fs::read(&self.log) else { return "(no log file)".into() };
        let log = String::from_utf8_lossy(&bytes);
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(LOG_TAIL_LINES)..].join("\n")
    }
}

impl Drop for Cluster {
    /// Quiet unless something goes wrong, so that the last lines printed stay those of the test run.
    fn drop(&mut self) {
        if self.data.join("postmaster.pid").exists() {
            match self.server_command(self.stop_argv()).output() {
                Ok(output) if output.status.success() => {}
                Ok(output) => {
                    eprintln!("xtask: warning: pg_ctl stop failed ({}):\n{}", output.status, combined(&output))
                }
                Err(err) => eprintln!("xtask: warning: could not run pg_ctl stop: {err}"),
            }
        }
        if let Err(err) = fs::remove_dir_all(&self.dir)
            && err.kind() != io::ErrorKind::NotFound
        {
            eprintln!("xtask: warning: could not remove {}: {err}", self.dir.display());
        }
        if let Some(mut watchdog) = self.watchdog.take() {
            if let Some(mut stdin) = watchdog.stdin.take() {
                // Ignore errors: if the watchdog is gone there is nobody left to tell.
                let _ = stdin.write_all(b"done\n");
            }
            let _ = watchdog.wait();
        }
    }
}

/// How `initdb`/`pg_ctl` are run: directly, or as the `postgres` user when we are root.
enum RunAs {
    CurrentUser,
    Runuser(PathBuf),
    Su(PathBuf),
}

impl RunAs {
    fn detect() -> Result<Self> {
        if !is_root() {
            return Ok(Self::CurrentUser);
        }
        ensure_os_user()?;
        if let Some(runuser) = which("runuser") {
            Ok(Self::Runuser(runuser))
        } else if let Some(su) = which("su") {
            Ok(Self::Su(su))
        } else {
            bail!("running as root, but neither `runuser` nor `su` is available to run PostgreSQL as `{OS_USER}`")
        }
    }

    fn wrap(&self, argv: Vec<String>) -> Vec<String> {
        match self {
            Self::CurrentUser => argv,
            Self::Runuser(runuser) => {
                [text(runuser), "-u".into(), OS_USER.into(), "--".into()].into_iter().chain(argv).collect()
            }
            Self::Su(su) => {
                let line = argv.iter().map(|arg| shell_quote(arg)).collect::<Vec<_>>().join(" ");
                vec![text(su), OS_USER.into(), "-s".into(), "/bin/sh".into(), "-c".into(), line]
            }
        }
    }
}

fn ensure_os_user() -> Result<()> {
    let exists = Command::new("id").args(["-u", OS_USER]).stdout(Stdio::null()).stderr(Stdio::null()).status();
    if exists.is_ok_and(|s| s.success()) {
        return Ok(());
    }
    eprintln!("==> creating the system user `{OS_USER}` to run PostgreSQL (it refuses to run as root)");
    let useradd = which("useradd").context("the `postgres` user is missing and `useradd` was not found")?;
    run_captured(Command::new(useradd).args(["--system", "--no-create-home", OS_USER]), "useradd postgres")?;
    Ok(())
}

/// Paths of the server binaries and a version string for messages.
struct Binaries {
    initdb: PathBuf,
    pg_ctl: PathBuf,
    pg_isready: Option<PathBuf>,
    version: String,
}

impl Binaries {
    /// The binaries in `dir`, if it holds both `initdb` and `pg_ctl`.
    fn in_dir(dir: &Path) -> Option<Self> {
        let initdb = executable(&dir.join("initdb"))?;
        let pg_ctl = executable(&dir.join("pg_ctl"))?;
        let pg_isready = executable(&dir.join("pg_isready")).or_else(|| which("pg_isready"));
        let version = Command::new(&pg_ctl)
            .arg("--version")
            .output()
            .ok()
            .map(|out| String::from_utf8_lossy(&out.stdout).trim().replace("pg_ctl (PostgreSQL)", "PostgreSQL"))
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| "PostgreSQL".into());
        Some(Self { initdb, pg_ctl, pg_isready, version })
    }
}

fn locate_binaries() -> Result<Binaries> {
    if let Some(bins) = find_binaries() {
        return Ok(bins);
    }
    if is_root() && which("apt-get").is_some() {
        eprintln!("==> PostgreSQL server binaries not found; installing the Debian package `postgresql`");
        run_inherited(Command::new("apt-get").arg("update"), "apt-get update")?;
        run_inherited(
            Command::new("apt-get").args(["install", "-y", "postgresql"]).env("DEBIAN_FRONTEND", "noninteractive"),
            "apt-get install -y postgresql",
        )?;
        if let Some(bins) = find_binaries() {
            return Ok(bins);
        }
    }
    bail!(
        "PostgreSQL server binaries not found (tried `pg_config --bindir`, /usr/lib/postgresql/*/bin and PATH); {PACKAGE_HINT}"
    )
}

/// `pg_config --bindir`, then the highest version under /usr/lib/postgresql, then PATH.
fn find_binaries() -> Option<Binaries> {
    if let Ok(output) = Command::new("pg_config").arg("--bindir").stderr(Stdio::null()).output()
        && output.status.success()
        && let Some(bins) = Binaries::in_dir(Path::new(String::from_utf8_lossy(&output.stdout).trim()))
    {
        return Some(bins);
    }

    let mut versioned: Vec<(Vec<u32>, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let version = name.split('.').map(|part| part.parse().ok()).collect::<Option<Vec<u32>>>()?;
            Some((version, entry.path().join("bin")))
        })
        .collect();
    versioned.sort();
    if let Some(bins) = versioned.iter().rev().find_map(|(_, dir)| Binaries::in_dir(dir)) {
        return Some(bins);
    }

    env::split_paths(&env::var_os("PATH")?).find_map(|dir| Binaries::in_dir(&dir))
}

/// `path` resolved through symlinks, if it is an executable file.
fn executable(path: &Path) -> Option<PathBuf> {
    let meta = fs::metadata(path).ok()?;
    (meta.is_file() && meta.permissions().mode() & 0o111 != 0)
        .then(|| fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
}

/// Looks `name` up on PATH, then in the usual system directories (PATH may lack the sbin ones).
pub(crate) fn which(name: &str) -> Option<PathBuf> {
    let path = env::var_os("PATH").unwrap_or_default();
    let system = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"].map(PathBuf::from);
    env::split_paths(&path).chain(system).find_map(|dir| executable(&dir.join(name)))
}

/// Whether the effective user is root, from /proc/self/status (`Uid: real effective saved fs`) or `id -u`.
pub(crate) fn is_root() -> bool {
    if let Ok(status) = fs::read_to_string("/proc/self/status")
        && let Some(line) = status.lines().find(|line| line.starts_with("Uid:"))
    {
        return line.split_whitespace().nth(2) == Some("0");
    }
    Command::new("id").arg("-u").output().is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

fn create_temp_dir() -> Result<PathBuf> {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default();
    let dir = env::temp_dir().join(format!("canopy-pg-{}-{nanos}", std::process::id()));
    if dir.to_str().is_none() {
        bail!("temp dir {} is not valid UTF-8; set TMPDIR to a plain path such as /tmp", dir.display());
    }
    fs::create_dir(&dir).with_context(|| format!("could not create {}", dir.display()))?;
    Ok(dir)
}

/// A port that was free a moment ago (bind to port 0, read it back, release it).
fn free_port() -> Result<u16> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).context("could not bind a TCP port on 127.0.0.1")?;
    Ok(listener.local_addr()?.port())
}

/// Runs `command` capturing its output; on failure the error names `what` and includes the output.
fn run_captured(command: &mut Command, what: &str) -> Result<Output> {
    let output = command.stdin(Stdio::null()).output().with_context(|| format!("could not run {what}"))?;
    if !output.status.success() {
        bail!("{what} failed ({}):\n{}", output.status, combined(&output));
    }
    Ok(output)
}

/// Runs `command` with the terminal's stdout/stderr; on failure the error names `what`.
fn run_inherited(command: &mut Command, what: &str) -> Result<()> {
    let status = command.stdin(Stdio::null()).status().with_context(|| format!("could not run {what}"))?;
    if !status.success() {
        bail!("{what} failed ({status}); {PACKAGE_HINT}");
    }
    Ok(())
}

fn combined(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr)).trim_end().into()
}

fn text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn shell_quote(arg: &str) -> String {
    format!("'{}'", arg.replace('\'', r"'\''"))
}
