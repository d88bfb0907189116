//! The server under test: the debug `canopy` binary on `127.0.0.1:0`, its port read from the `canopy listening
//! addr=` log line, logged in as its first system administrator; `kill -9` on demand, killed when dropped.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::bench::client::{Endpoint, login};

const START_TIMEOUT: Duration = Duration::from_secs(60);
const LOG_TAIL_LINES: usize = 20;
/// The first system administrator (`CANOPY_BOOTSTRAP_*`). The password must not contain the address or its local
/// part, or Canopy refuses to start; on the second start the bootstrap finds the account and does nothing.
pub const ADMIN_EMAIL: &str = "fault@localhost";
pub const ADMIN_PASSWORD: &str = "Crash-and-recover-2026";

/// A running `canopy serve`; dropping it kills the process.
pub struct Canopy {
    child: Child,
    pub endpoint: Endpoint,
    /// The last lines the server logged, for error messages.
    tail: Arc<Mutex<VecDeque<String>>>,
}

impl Canopy {
    pub fn start(binary: &Path, database_url: &str) -> Result<Self> {
        let mut child = Command::new(binary)
            .args(["serve", "--bind", "127.0.0.1:0", "--log", "info"])
            .env("DATABASE_URL", database_url)
            .env("CANOPY_BOOTSTRAP_EMAIL", ADMIN_EMAIL)
            .env("CANOPY_BOOTSTRAP_PASSWORD", ADMIN_PASSWORD)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("could not start {}", binary.display()))?;
        let stderr = child.stderr.take().context("canopy's stderr is not piped")?;
        let tail = Arc::new(Mutex::new(VecDeque::new()));
        let (addr_tx, addr_rx) = mpsc::channel();
        let lines = Arc::clone(&tail);
        // Drains the log for the whole life of the process, so that a full pipe never blocks the server.
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(addr) = listening_addr(&line) {
                    let _ = addr_tx.send(addr);
                }
                let mut tail = lines.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                if tail.len() == LOG_TAIL_LINES {
                    tail.pop_front();
                }
                tail.push_back(line);
            }
        });
        let mut canopy = Canopy { child, endpoint: Endpoint { port: 0, authorization: None }, tail };
        let deadline = Instant::now() + START_TIMEOUT;
        let addr = loop {
            if let Ok(addr) = addr_rx.recv_timeout(Duration::from_millis(100)) {
                break addr;
            }
            if let Some(status) = canopy.child.try_wait()? {
                bail!("canopy exited during start-up ({status}):\n{}", canopy.log_tail());
            }
            if Instant::now() >= deadline {
                bail!(
                    "canopy did not log `canopy listening` within {}s:\n{}",
                    START_TIMEOUT.as_secs(),
                    canopy.log_tail()
                );
            }
        };
        canopy.endpoint.port = addr.port();
        canopy.endpoint.authorization = Some(login(addr.port(), ADMIN_EMAIL, ADMIN_PASSWORD)?);
        Ok(canopy)
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> Result<bool> {
        Ok(self.child.try_wait()?.is_none())
    }

    /// SIGKILL (`kill -9`): no graceful shutdown, in-flight requests are cut off.
    pub fn kill9(&mut self) -> Result<()> {
        self.child.kill().context("could not kill canopy")?;
        self.child.wait()?;
        Ok(())
    }

    pub fn log_tail(&self) -> String {
        let tail = self.tail.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        tail.iter().map(String::as_str).collect::<Vec<_>>().join("\n")
    }
}

impl Drop for Canopy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The address of `… canopy listening addr=127.0.0.1:PORT` (the text log format, without colours on a pipe).
fn listening_addr(line: &str) -> Option<SocketAddr> {
    let rest = &line[line.find("canopy listening")?..];
    let value = &rest[rest.find("addr=")? + "addr=".len()..];
    value.split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listening_address_is_read_from_the_log_line() {
        let line = "2026-11-23T14:00:00.000000Z  INFO canopy_server: canopy listening addr=127.0.0.1:40123";
        assert_eq!(listening_addr(line), Some("127.0.0.1:40123".parse().unwrap()));
        assert_eq!(listening_addr("INFO canopy_server: using PostgreSQL; migrations applied"), None);
    }
}
