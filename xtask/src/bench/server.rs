//! The processes under test: start Canopy or the bare-axum baseline on a free loopback port, wait for `/healthz`
//! with a deadline, log in on Canopy as its first system administrator, read the peak RSS (`VmHWM`), and kill the
//! process when the guard is dropped.

use std::fs;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::client::{Conn, Endpoint, login};

const READY_TIMEOUT: Duration = Duration::from_secs(60);
const SETTLE_TIMEOUT: Duration = Duration::from_secs(60);
const SETTLED_LATENCY: Duration = Duration::from_millis(5);
/// The first system administrator Canopy creates at start (`CANOPY_BOOTSTRAP_*`), as whom the bench logs in. The
/// password must not contain the address or its local part, or Canopy refuses to start.
const ADMIN_EMAIL: &str = "bench@localhost";
const ADMIN_PASSWORD: &str = "Load-test-passphrase-2026";

/// A server process on 127.0.0.1; dropping it kills the process.
pub struct Server {
    child: Child,
    pub port: u16,
    /// `Bearer <token>` of the session opened at start (Canopy); `None` for the baseline, which has no auth.
    authorization: Option<String>,
    what: String,
}

impl Server {
    /// `target/release/canopy serve` on a free port, with the in-memory store or `database_url`, logged in as its
    /// first system administrator. One session serves the whole run: it lasts 8 hours by default.
    pub fn canopy(target: &Path, database_url: Option<&str>) -> Result<Self> {
        let port = free_port()?;
        let mut command = Command::new(target.join("canopy"));
        command.args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--log", "warn"]);
        command.env_remove("DATABASE_URL");
        // On a database that already has its administrator (a rerun), the bootstrap does nothing and the same
        // credentials still log in.
        command.env("CANOPY_BOOTSTRAP_EMAIL", ADMIN_EMAIL).env("CANOPY_BOOTSTRAP_PASSWORD", ADMIN_PASSWORD);
        if let Some(url) = database_url {
            command.env("DATABASE_URL", url);
        }
        let what = format!("canopy ({})", if database_url.is_some() { "PostgreSQL" } else { "in memory" });
        let mut server = Self::spawn(command, port, what)?;
        server.authorization = Some(login(port, ADMIN_EMAIL, ADMIN_PASSWORD)?);
        Ok(server)
    }

    /// The bare axum baseline (`canopy-bench-baseline <port>`).
    pub fn baseline(target: &Path) -> Result<Self> {
        let port = free_port()?;
        let mut command = Command::new(target.join("canopy-bench-baseline"));
        command.arg(port.to_string());
        Self::spawn(command, port, "bare axum baseline".into())
    }

    fn spawn(mut command: Command, port: u16, what: String) -> Result<Self> {
        let child = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .with_context(|| format!("could not start {what}"))?;
        let mut server = Server { child, port, authorization: None, what };
        server.wait_healthy()?;
        Ok(server)
    }

    /// Polls `GET /healthz` until it answers 200, the process exits, or the deadline passes.
    fn wait_healthy(&mut self) -> Result<()> {
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!("{} exited during start-up ({status})", self.what);
            }
            if let Ok(mut conn) = Conn::open(self.port)
                && conn.get("/healthz").is_ok_and(|(status, _)| status == 200)
            {
                return Ok(());
            }
            if Instant::now() >= deadline {
                bail!("{} not healthy on port {} after {}s", self.what, self.port, READY_TIMEOUT.as_secs());
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits until `probe` answers quickly twice in a row: requests that wrk left in flight when it stopped (slow
    /// lists keep the server and the database busy after the clients are gone) must not leak into the next
    /// scenario. Bounded by a deadline; returns whether the server settled.
    pub fn settle(&self, probe: &str) -> bool {
        let deadline = Instant::now() + SETTLE_TIMEOUT;
        let mut quick = 0;
        while Instant::now() < deadline {
            let started = Instant::now();
            let answered = self.endpoint().connect().and_then(|mut conn| conn.get(probe)).is_ok_and(|(s, _)| s == 200);
            quick = if answered && started.elapsed() < SETTLED_LATENCY { quick + 1 } else { 0 };
            if quick >= 2 {
                return true;
            }
            thread::sleep(Duration::from_millis(50));
        }
        false
    }

    /// The port and the session to send requests with.
    pub fn endpoint(&self) -> Endpoint {
        Endpoint { port: self.port, authorization: self.authorization.clone() }
    }

    /// The process's peak resident set size so far, in bytes (`VmHWM` of /proc/<pid>/status).
    pub fn peak_rss(&self) -> Option<u64> {
        self.status_bytes("VmHWM:")
    }

    /// The process's resident set size now, in bytes (`VmRSS`).
    pub fn rss(&self) -> Option<u64> {
        self.status_bytes("VmRSS:")
    }

    fn status_bytes(&self, field: &str) -> Option<u64> {
        let status = fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|line| line.starts_with(field))?;
        let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib * 1024)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port that was free a moment ago.
pub fn free_port() -> Result<u16> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).context("could not bind a TCP port on 127.0.0.1")?;
    Ok(listener.local_addr()?.port())
}
