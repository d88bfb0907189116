//! Starts and stops the real `canopy` binary, and reads its log.

use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::time::{Instant, timeout};

const DEADLINE: Duration = Duration::from_secs(60);

pub enum Store {
    Memory,
    Postgres(String),
}

impl Store {
    pub async fn postgres() -> Self {
        Self::Postgres(canopy_storage::testing::fresh_database().await)
    }
}

pub struct Server {
    child: Child,
    addr: String,
    log: Arc<Mutex<Vec<String>>>,
}

fn canopy() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_canopy"));
    command.env_remove("DATABASE_URL").env_remove("CANOPY_LOG_FORMAT").kill_on_drop(true);
    command
}

impl Server {
    /// Starts canopy on port 0 and waits (with a deadline) for the line announcing its address.
    pub async fn start(store: Store) -> Self {
        Self::start_with(store, &[], &[]).await
    }

    /// Starts canopy with extra arguments and environment variables.
    pub async fn start_with(store: Store, args: &[&str], envs: &[(&str, &str)]) -> Self {
        let mut command = canopy();
        command.args(["serve", "--bind", "127.0.0.1:0"]).args(args).envs(envs.iter().copied());
        if !args.contains(&"--log") {
            command.args(["--log", "info"]);
        }
        command.stderr(Stdio::piped()).stdout(Stdio::null());
        if let Store::Postgres(url) = &store {
            command.env("DATABASE_URL", url);
        }
        let mut child = command.spawn().expect("the canopy binary starts");
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let log = Arc::new(Mutex::new(Vec::new()));
        let deadline = Instant::now() + DEADLINE;
        let addr = loop {
            let line = timeout(deadline - Instant::now(), lines.next_line())
                .await
                .expect("canopy announces its address before the deadline")
                .unwrap()
                .unwrap_or_else(|| panic!("canopy exited before listening: {:?}", log.lock().unwrap()));
            log.lock().unwrap().push(line.clone());
            if line.contains("canopy listening") {
                break listening_address(&line);
            }
        };
        let sink = log.clone();
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                sink.lock().unwrap().push(line);
            }
        });
        Self { child, addr, log }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn log_contains(&self, needle: &str) -> bool {
        self.log.lock().unwrap().iter().any(|line| line.contains(needle))
    }

    /// Sends SIGTERM and waits for the process to exit by itself.
    pub async fn terminate(mut self) -> ExitStatus {
        self.send_sigterm().await;
        self.wait().await
    }

    pub async fn send_sigterm(&self) {
        let pid = self.child.id().unwrap().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().await.unwrap();
        assert!(sent.success());
    }

    /// Whether the process is still running.
    pub fn running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    pub async fn wait(&mut self) -> ExitStatus {
        timeout(DEADLINE, self.child.wait()).await.expect("canopy exits").unwrap()
    }

    /// Every log line so far.
    pub fn log_lines(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    /// Polls the log, with a deadline, until a line contains `needle`.
    pub async fn wait_for_log(&self, needle: &str) -> bool {
        let deadline = Instant::now() + DEADLINE;
        while Instant::now() < deadline {
            if self.log_contains(needle).await {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        false
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

/// Runs `canopy migrate` to completion; its exit status and what it wrote to stderr.
pub async fn run_migrate(url: Option<&str>) -> (ExitStatus, String) {
    let mut command = canopy();
    command.arg("migrate").stdout(Stdio::null()).stderr(Stdio::piped());
    if let Some(url) = url {
        command.env("DATABASE_URL", url);
    }
    let output = timeout(DEADLINE, command.output()).await.expect("canopy migrate finishes").unwrap();
    (output.status, String::from_utf8_lossy(&output.stderr).into_owned())
}

/// The address in the "canopy listening" line, in text (`addr=127.0.0.1:1234`) or JSON
/// (`"addr":"127.0.0.1:1234"`) format.
fn listening_address(line: &str) -> String {
    let rest = line.split("addr=").nth(1).or_else(|| line.split("\"addr\":\"").nth(1)).expect("an address");
    rest.split(|c: char| c.is_whitespace() || c == '"').next().unwrap().to_owned()
}
