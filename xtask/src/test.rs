//! `cargo xtask test`: the CI pipeline — rustfmt check, clippy, the whole test suite against a
//! disposable PostgreSQL, then schemathesis against a running canopy.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::postgres::Cluster;

/// Runs the pipeline. `args` are passed through to `cargo test` (a leading `--` is dropped, so
/// `cargo xtask test -- -p canopy-domain -- --nocapture` works as expected).
pub fn run(args: &[String]) -> Result<()> {
    let extra = match args.split_first() {
        Some((first, rest)) if first == "--" => rest,
        _ => args,
    };
    let root = workspace_root();

    // Dropping the cluster (also on every `?` below) stops it and removes its directory.
    let cluster = Cluster::start()?;
    let database_url = cluster.database_url();
    ensure_aiosmtpd()?;

    step(&root, &["fmt", "--all", "--check"], None)?;
    step(&root, &["clippy", "--workspace", "--all-targets", "--all-features", "--", "-D", "warnings"], None)?;

    // `--workspace` would override a package selection passed through by the caller.
    let selects_packages = extra
        .iter()
        .take_while(|arg| *arg != "--")
        .any(|arg| arg.starts_with("-p") || arg == "--package" || arg.starts_with("--package="));
    let mut test_args = vec!["test", "--all-features"];
    if !selects_packages {
        test_args.insert(1, "--workspace");
    }
    test_args.extend(extra.iter().map(String::as_str));
    step(&root, &test_args, Some(&database_url))?;

    drop(cluster);

    // Bad input at scale: schemathesis against a running in-memory canopy (about 3 minutes), on a
    // whole run only: a package selection asks for those packages' tests.
    if selects_packages {
        return Ok(());
    }
    crate::schemathesis::run(&[])
}

/// Runs one `cargo` step in the workspace root, failing with a message naming the step.
pub fn step(root: &Path, args: &[&str], database_url: Option<&str>) -> Result<()> {
    let shown = format!("cargo {}", args.join(" "));
    eprintln!("==> {shown}");
    let mut command = Command::new(cargo());
    command.args(args).current_dir(root);
    if let Some(url) = database_url {
        command.env("DATABASE_URL", url);
    }
    let status = command.status().with_context(|| format!("step `{shown}`: could not start cargo"))?;
    if !status.success() {
        bail!("step `{shown}` failed ({status})");
    }
    Ok(())
}

/// The SMTP adapter's test (`crates/app/tests/smtp.rs`) talks to a real aiosmtpd server: install
/// it from PyPI when `python3` cannot import it, so that a fresh machine passes too.
fn ensure_aiosmtpd() -> Result<()> {
    let importable = || {
        let check = Command::new("python3").args(["-c", "import aiosmtpd"]).stderr(Stdio::null()).status();
        check.is_ok_and(|status| status.success())
    };
    if importable() {
        return Ok(());
    }
    eprintln!("==> python3 -m pip install --quiet aiosmtpd");
    let status = Command::new("python3")
        .args(["-m", "pip", "install", "--quiet", "aiosmtpd"])
        // CI runs as root: pip's warning about that is noise there (older pips ignore the variable).
        .env("PIP_ROOT_USER_ACTION", "ignore")
        .status()
        .context("could not run python3, which the SMTP test needs (with the aiosmtpd package)")?;
    if !status.success() || !importable() {
        bail!(
            "could not install aiosmtpd ({status}), which the SMTP test needs: install it for python3 \
             (`python3 -m pip install aiosmtpd`, or Debian's package `python3-aiosmtpd`)"
        );
    }
    Ok(())
}

/// The cargo that is running us (`cargo run` sets `CARGO`), so nested builds use the same toolchain.
fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}
