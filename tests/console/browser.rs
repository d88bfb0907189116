//! A real headless Chromium, driven through WebDriver: Debian's `chromium` and `chromium-driver`
//! (`cargo xtask test` installs them when missing). Each [`Browser`] starts its own chromedriver
//! on a free loopback port, in a process group of its own, with a fresh profile directory; dropping
//! it ends the session and kills the whole group (chromedriver and every Chromium process), so no
//! test leaves a browser behind, even when it fails.

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::net::{Ipv4Addr, TcpListener};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tokio::time::Instant;

/// Generous for slow machines; every wait polls and returns as soon as it can.
pub const DEADLINE: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(25);

/// The flags headless Chromium needs here: no sandbox (tests run as root), no GPU, and nothing
/// that reaches out to the network by itself (the machine's network is closed).
const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,1000",
];

fn find(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs =
        std::env::split_paths(&path).chain(["/usr/bin", "/usr/local/bin"].map(PathBuf::from)).collect::<Vec<_>>();
    names.iter().find_map(|name| dirs.iter().map(|dir| dir.join(name)).find(|path| path.is_file()))
}

pub struct Browser {
    pub client: Client,
    driver: Child,
    profile: PathBuf,
}

impl Browser {
    /// Starts chromedriver and opens a session in a fresh headless Chromium.
    pub async fn start() -> Self {
        let hint = "install Debian's `chromium` and `chromium-driver` (`cargo xtask test` does so itself)";
        let driver_path = find(&["chromedriver"]).unwrap_or_else(|| panic!("chromedriver not found: {hint}"));
        let chromium = find(&["chromium", "chromium-browser"]).unwrap_or_else(|| panic!("chromium not found: {hint}"));
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap().local_addr().unwrap().port();
        let profile = std::env::temp_dir().join(format!("canopy-chromium-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&profile).unwrap();
        let mut command = Command::new(driver_path);
        command.arg(format!("--port={port}")).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
        // Its own process group: Chromium's processes join it, and one signal ends them all.
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let driver = command.spawn().expect("chromedriver starts");
        let mut args: Vec<String> = FLAGS.iter().map(|flag| flag.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        let capabilities = json!({ "goog:chromeOptions": { "binary": chromium, "args": args } });
        let capabilities = capabilities.as_object().unwrap().clone();
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector).capabilities(capabilities.clone()).connect(&url).await {
                Ok(client) => break client,
                Err(err) if started.elapsed() < DEADLINE => {
                    let _ = err;
                    tokio::time::sleep(POLL).await;
                }
                Err(err) => panic!("no WebDriver session within {DEADLINE:?}: {err}"),
            }
        };
        Self { client, driver, profile }
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.unwrap_or_else(|err| panic!("cannot open {url}: {err}"));
    }

    /// The text of the whole page (empty while a navigation replaces it).
    pub async fn text(&self) -> String {
        match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Waits until the page's text contains `needle`; the page's text otherwise.
    pub async fn wait_for_text(&self, needle: &str) -> String {
        let started = Instant::now();
        loop {
            let text = self.text().await;
            if text.contains(needle) {
                return text;
            }
            assert!(started.elapsed() < DEADLINE, "the page never showed {needle:?}; it shows:\n{text}");
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until the page's path (and query) starts with `prefix`.
    pub async fn wait_for_path(&self, prefix: &str) -> String {
        let started = Instant::now();
        loop {
            let url = self.client.current_url().await.unwrap();
            let path = format!("{}{}", url.path(), url.query().map(|q| format!("?{q}")).unwrap_or_default());
            if path.starts_with(prefix) {
                return path;
            }
            assert!(started.elapsed() < DEADLINE, "never reached {prefix}; at {path}");
            tokio::time::sleep(POLL).await;
        }
    }

    /// Types `value` into the input `css` (replacing what it held).
    pub async fn fill(&self, css: &str, value: &str) {
        let input = self.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("no {css}: {e}"));
        input.clear().await.unwrap();
        input.send_keys(value).await.unwrap();
    }

    pub async fn click(&self, css: &str) {
        let element = self.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("no {css}: {e}"));
        element.click().await.unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
    }

    /// Accepts the confirmation the page asks for (`data-confirm` forms), once it shows.
    pub async fn confirm(&self) {
        let started = Instant::now();
        while self.client.accept_alert().await.is_err() {
            assert!(started.elapsed() < DEADLINE, "no confirmation was asked");
            tokio::time::sleep(POLL).await;
        }
    }

    /// The value of `attribute` of the element `css`.
    pub async fn attribute(&self, css: &str, attribute: &str) -> Option<String> {
        let element = self.client.find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("no {css}: {e}"));
        element.attr(attribute).await.unwrap()
    }

    /// Runs `script` in the page and answers what it returns.
    pub async fn run(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap()
    }

    /// Saves a screenshot of the page as `<name>.png`: in `target/console-screenshots/`, or in
    /// `docs/console/` (the pictures of docs/console.md) when `CANOPY_SCREENSHOTS=docs`, so that a
    /// test run leaves the working tree clean unless asked to refresh the documentation.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
        let dir = match std::env::var("CANOPY_SCREENSHOTS").as_deref() {
            Ok("docs") => root.join("docs/console"),
            _ => root.join("target/console-screenshots"),
        };
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// Resizes the window (a narrow screen, a wide one).
    pub async fn resize(&self, width: u32, height: u32) {
        self.client.set_window_size(width, height).await.unwrap();
    }

    /// Ends the session, then every process of the group.
    pub async fn stop(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // The group's id is chromedriver's pid: SIGKILL to all of it (Chromium included).
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
