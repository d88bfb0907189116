//! `cargo xtask test`: the CI pipeline — rustfmt check, clippy, the whole test suite against a
//! disposable PostgreSQL, then, on full runs, the database fault scenario (`cargo xtask fault`,
//! about 15 s once the server is built) and schemathesis against a running canopy (about 3
//! minutes). It ends with one line totalling every test binary's results.

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
    let ca_file = cluster.ca_file().to_path_buf();
    ensure_aiosmtpd()?;
    crate::browser::ensure()?;

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
    let totals = test_step(&root, &test_args, &database_url, &ca_file)?;

    drop(cluster);

    // A selection of tests (`cargo xtask test -- <args>`) is a quick local check: the fault
    // scenario and schemathesis belong to full runs.
    if extra.is_empty() {
        // Its own cluster: the scenario crashes it, and needs synchronous commits.
        eprintln!("==> cargo xtask fault");
        crate::fault::run(&[])?;
        // Bad input at scale: schemathesis against a running in-memory canopy.
        crate::schemathesis::run(&[])?;
    }
    // The totals come last, so that a reader of the log (or CI) sees them without scrolling.
    println!("tests: {} passed, {} failed", totals.passed, totals.failed);
    Ok(())
}

/// What the test binaries reported, summed over their `test result:` lines.
#[derive(Debug, Default, PartialEq, Eq)]
struct Totals {
    passed: u64,
    failed: u64,
}

impl Totals {
    /// Adds one `test result: ok. 12 passed; 0 failed; ...` line; other lines change nothing.
    fn add_line(&mut self, line: &str) {
        let Some(rest) = line.strip_prefix("test result: ") else { return };
        let count = |word: &str| {
            rest.split(';').find_map(|part| {
                part.trim()
                    .trim_start_matches("ok. ")
                    .trim_start_matches("FAILED. ")
                    .strip_suffix(word)?
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
        };
        self.passed += count("passed").unwrap_or(0);
        self.failed += count("failed").unwrap_or(0);
    }
}

/// Runs `cargo test` against the cluster (its URL, and its CA for the TLS tests), echoing the
/// output as it comes, and totals its results.
fn test_step(root: &Path, args: &[&str], database_url: &str, ca_file: &Path) -> Result<Totals> {
    use std::io::{BufRead, BufReader};
    let shown = format!("cargo {}", args.join(" "));
    eprintln!("==> {shown}");
    let mut child = Command::new(cargo())
        .args(args)
        .current_dir(root)
        .env("DATABASE_URL", database_url)
        .env(crate::postgres::CA_FILE_VAR, ca_file)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .with_context(|| format!("step `{shown}`: could not start cargo"))?;
    let mut totals = Totals::default();
    for line in BufReader::new(child.stdout.take().expect("piped stdout")).lines() {
        let line = line?;
        println!("{line}");
        totals.add_line(&line);
    }
    let status = child.wait()?;
    if !status.success() {
        bail!("step `{shown}` failed ({status})");
    }
    Ok(totals)
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

#[cfg(test)]
mod tests {
    use super::Totals;

    #[test]
    fn result_lines_are_totalled_and_other_lines_ignored() {
        let mut totals = Totals::default();
        totals
            .add_line("test result: ok. 12 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s");
        totals.add_line("test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out");
        totals.add_line("running 4 tests");
        assert_eq!(totals, Totals { passed: 15, failed: 2 });
    }
}
