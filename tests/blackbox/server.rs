//! Starts and stops the real `canopy` binary, reads its log and standard output, and opens
//! sessions on it as the bootstrapped system administrator.

use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use serde_json::{Value, json};
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::task::JoinHandle;
use tokio::time::{Instant, timeout};

const DEADLINE: Duration = Duration::from_secs(60);

/// The first system administrator every test server creates at start.
pub const ADMIN_EMAIL: &str = "root@blackbox.test";
/// Its password (12+ characters, 5+ different ones, not containing the e-mail).
pub const ADMIN_PASSWORD: &str = "Blackbox-passphrase-4711";

pub enum Store {
    Memory,
    Postgres(String),
}

impl Store {
    pub async fn postgres() -> Self {
        Self::Postgres(canopy_contract::testing::fresh_database().await)
    }
}

type Lines = Arc<Mutex<Vec<String>>>;

pub struct Server {
    child: Child,
    addr: String,
    log: Lines,
    stdout: Lines,
    /// Ends at the child's end of file: awaited before stdout is read for good.
    stdout_reader: JoinHandle<()>,
}

fn canopy() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_canopy"));
    command
        .env_remove("DATABASE_URL")
        .env_remove("CANOPY_DATABASE_PASSWORD")
        .env_remove("CANOPY_DATABASE_PASSWORD_FILE")
        .env_remove("CANOPY_DATABASE_CA_FILE")
        .env_remove("CANOPY_LOG_FORMAT")
        .env_remove("CANOPY_BOOTSTRAP_EMAIL")
        .env_remove("CANOPY_BOOTSTRAP_PASSWORD")
        .kill_on_drop(true);
    command
}

impl Server {
    /// Starts canopy on port 0 and waits (with a deadline) for the line announcing its address.
    pub async fn start(store: Store) -> Self {
        Self::start_with(store, &[], &[]).await
    }

    /// Starts canopy with extra arguments and environment variables; its first system
    /// administrator is [`ADMIN_EMAIL`] with [`ADMIN_PASSWORD`].
    pub async fn start_with(store: Store, args: &[&str], envs: &[(&str, &str)]) -> Self {
        let mut command = canopy();
        command.env("CANOPY_BOOTSTRAP_PASSWORD", ADMIN_PASSWORD);
        Self::launch(command, store, args, envs).await
    }

    /// Starts canopy with no bootstrap password: the first system administrator ([`ADMIN_EMAIL`])
    /// is created without one, and its activation token is printed on standard output.
    pub async fn start_without_password(store: Store, args: &[&str]) -> Self {
        Self::launch(canopy(), store, args, &[]).await
    }

    async fn launch(mut command: Command, store: Store, args: &[&str], envs: &[(&str, &str)]) -> Self {
        command.env("CANOPY_BOOTSTRAP_EMAIL", ADMIN_EMAIL);
        command.arg("serve");
        if !args.contains(&"--bind") {
            command.args(["--bind", "127.0.0.1:0"]);
        }
        command.args(args).envs(envs.iter().copied());
        if !args.contains(&"--log") {
            command.args(["--log", "info"]);
        }
        command.stderr(Stdio::piped()).stdout(Stdio::piped());
        if let Store::Postgres(url) = &store {
            command.env("DATABASE_URL", url);
        }
        let mut child = command.spawn().expect("the canopy binary starts");
        let stdout = Lines::default();
        let stdout_reader = tokio::spawn(collect(BufReader::new(child.stdout.take().unwrap()).lines(), stdout.clone()));
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let log = Lines::default();
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
        tokio::spawn(collect(lines, log.clone()));
        Self { child, addr, log, stdout, stdout_reader }
    }

    /// The `host:port` the server listens on.
    pub fn addr(&self) -> &str {
        &self.addr
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Logs in as [`ADMIN_EMAIL`]; the bearer token of the new session.
    pub async fn login(&self) -> String {
        let body = json!({ "username": ADMIN_EMAIL, "password": ADMIN_PASSWORD });
        let response = reqwest::Client::new().post(self.url("/api/v01/auth/login")).json(&body).send().await.unwrap();
        let status = response.status();
        let session: Value = response.json().await.unwrap();
        assert_eq!(status, StatusCode::OK, "login: {session}");
        assert_eq!(session["tokenType"], "Bearer");
        session["token"].as_str().expect("a token").to_owned()
    }

    /// A client that sends a fresh session's bearer token on every request.
    pub async fn client(&self) -> reqwest::Client {
        bearer(&self.login().await)
    }

    pub async fn log_contains(&self, needle: &str) -> bool {
        self.log.lock().unwrap().iter().any(|line| line.contains(needle))
    }

    /// Sends SIGTERM and waits for the process to exit by itself.
    pub async fn terminate(mut self) -> ExitStatus {
        self.send_sigterm().await;
        self.wait().await
    }

    /// Sends SIGTERM, waits for the exit, then for the end of standard output: everything the
    /// process ever printed there.
    pub async fn stdout_at_exit(mut self) -> (ExitStatus, Vec<String>) {
        self.send_sigterm().await;
        let status = self.wait().await;
        timeout(DEADLINE, &mut self.stdout_reader).await.expect("stdout ends with the process").unwrap();
        (status, self.stdout_lines())
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

    /// Every line printed on standard output so far.
    pub fn stdout_lines(&self) -> Vec<String> {
        self.stdout.lock().unwrap().clone()
    }

    /// Polls the log, with a deadline, until a line contains `needle`.
    pub async fn wait_for_log(&self, needle: &str) -> bool {
        poll(|| self.log_contains_now(needle)).await.is_some()
    }

    /// Polls standard output, with a deadline, for a line starting with `prefix`.
    pub async fn wait_for_stdout(&self, prefix: &str) -> Option<String> {
        poll(|| self.stdout.lock().unwrap().iter().find(|line| line.starts_with(prefix)).cloned()).await
    }

    fn log_contains_now(&self, needle: &str) -> Option<()> {
        self.log.lock().unwrap().iter().any(|line| line.contains(needle)).then_some(())
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

/// A client that sends `Authorization: Bearer <token>` on every request.
pub fn bearer(token: &str) -> reqwest::Client {
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, HeaderValue::from_str(&format!("Bearer {token}")).unwrap());
    reqwest::Client::builder().default_headers(headers).build().unwrap()
}

/// Calls `probe` until it returns something or the deadline passes.
async fn poll<T>(mut probe: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + DEADLINE;
    loop {
        if let Some(found) = probe() {
            return Some(found);
        }
        if Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn collect<R: tokio::io::AsyncBufRead + Unpin>(mut lines: tokio::io::Lines<R>, sink: Lines) {
    while let Ok(Some(line)) = lines.next_line().await {
        sink.lock().unwrap().push(line);
    }
}

/// Runs `canopy migrate` to completion; its exit status and what it wrote to stderr.
pub async fn run_migrate(url: Option<&str>) -> (ExitStatus, String) {
    let envs: Vec<(&str, &str)> = url.map(|url| ("DATABASE_URL", url)).into_iter().collect();
    run_to_exit(&["migrate"], &envs).await
}

/// Runs canopy with `args` and `envs` until it exits by itself (`migrate`, or a start that
/// fails); its exit status and what it wrote to stderr.
pub async fn run_to_exit(args: &[&str], envs: &[(&str, &str)]) -> (ExitStatus, String) {
    let mut command = canopy();
    command.args(args).envs(envs.iter().copied()).stdout(Stdio::null()).stderr(Stdio::piped());
    let output = timeout(DEADLINE, command.output()).await.expect("canopy exits by itself").unwrap();
    (output.status, String::from_utf8_lossy(&output.stderr).into_owned())
}

/// The address in the "canopy listening" line, in text (`addr=127.0.0.1:1234`) or JSON
/// (`"addr":"127.0.0.1:1234"`) format.
fn listening_address(line: &str) -> String {
    let rest = line.split("addr=").nth(1).or_else(|| line.split("\"addr\":\"").nth(1)).expect("an address");
    rest.split(|c: char| c.is_whitespace() || c == '"').next().unwrap().to_owned()
}
