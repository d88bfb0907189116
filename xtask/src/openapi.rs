//! `cargo xtask openapi`: writes the OpenAPI document the code generates to `docs/openapi.json`.
//!
//! The document comes from `canopy_http::openapi()`, printed by the http crate's `openapi`
//! example, so xtask stays free of the workspace's crates. A test of the http crate fails while
//! the file differs from the generated document.

use anyhow::{Context, Result, bail, ensure};
use std::path::Path;
use std::process::Command;

pub fn run(args: &[String]) -> Result<()> {
    ensure!(args.is_empty(), "`openapi` takes no arguments");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().context("xtask lies in the workspace")?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(&cargo)
        .args(["run", "-q", "-p", "canopy-http", "--example", "openapi"])
        .current_dir(root)
        .output()
        .with_context(|| format!("could not run {cargo}"))?;
    if !output.status.success() {
        bail!("`cargo run -p canopy-http --example openapi` failed:\n{}", String::from_utf8_lossy(&output.stderr));
    }
    let mut document = String::from_utf8(output.stdout).context("the document is not UTF-8")?;
    ensure!(document.starts_with('{') && document.contains("\"openapi\""), "the example printed no OpenAPI document");
    if !document.ends_with('\n') {
        document.push('\n');
    }
    let path = root.join("docs/openapi.json");
    std::fs::write(&path, document).with_context(|| format!("could not write {}", path.display()))?;
    println!("wrote {}", path.display());
    Ok(())
}
