//! `cargo xtask fuzz`: the fuzz targets of `fuzz/` on stable — random inputs for a bounded time.
//!
//! libFuzzer (`cargo +nightly fuzz run <target>`) needs a nightly toolchain and cargo-fuzz; this
//! command needs neither: it builds `fuzz/`'s `random` runner without the libFuzzer feature and
//! runs every target (or the ones named) on generated inputs, 30 s each unless `--seconds` says.

use std::process::Command;

use anyhow::{Context, Result, bail};

/// Runs the runner; `args` are its own (`--seconds N`, `--seed N`, target names).
pub fn run(args: &[String]) -> Result<()> {
    let root = crate::test::workspace_root();
    let manifest = root.join("fuzz/Cargo.toml");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    eprintln!("==> cargo run --release --manifest-path fuzz/Cargo.toml --no-default-features --bin random");
    let status = Command::new(&cargo)
        .args(["run", "-q", "--release", "--no-default-features", "--bin", "random", "--manifest-path"])
        .arg(&manifest)
        .arg("--")
        .args(args.iter().skip_while(|arg| *arg == "--"))
        .current_dir(&root)
        .status()
        .with_context(|| format!("could not run {cargo}"))?;
    if !status.success() {
        bail!("a fuzz target failed ({status}); its input is printed above (replay with the same --seed)");
    }
    Ok(())
}
