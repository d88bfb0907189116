//! The browser of the console's browser tests (`tests/console/`): Debian's `chromium` and
//! `chromium-driver`, installed with apt-get when missing (as root), like PostgreSQL's server.

use anyhow::{Result, bail};
use std::process::Command;

use crate::postgres::{is_root, which};

const HINT: &str =
    "install Debian's packages `chromium` and `chromium-driver` (`apt-get install chromium chromium-driver`)";

fn present() -> bool {
    which("chromedriver").is_some() && (which("chromium").is_some() || which("chromium-browser").is_some())
}

/// Makes sure headless Chromium and its WebDriver server are there.
pub fn ensure() -> Result<()> {
    if present() {
        return Ok(());
    }
    if !is_root() || which("apt-get").is_none() {
        bail!("the console's browser tests need Chromium and chromedriver: {HINT}");
    }
    eprintln!("==> Chromium or chromedriver not found; installing Debian's `chromium` and `chromium-driver`");
    let update = Command::new("apt-get").arg("update").status()?;
    let install = Command::new("apt-get")
        .args(["install", "-y", "--no-install-recommends", "chromium", "chromium-driver"])
        .env("DEBIAN_FRONTEND", "noninteractive")
        .status()?;
    if !update.success() || !install.success() || !present() {
        bail!("could not install Chromium ({update}, {install}): {HINT}");
    }
    Ok(())
}
