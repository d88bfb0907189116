//! The peer's Python side: a virtual environment at `target/keystone-venv`, made once with the machine's `python3`
//! and the pins of `bench/keystone/` (`requirements.txt`: Keystone, gunicorn and the PostgreSQL driver;
//! `constraints.txt`: everything they pull in), and reused while those files are unchanged.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

/// What the venv was made from, written into it last: a venv holding other pins (or a half-made one) is made again.
const STAMP: &str = "canopy-bench-pins.txt";

/// A ready virtual environment.
pub struct Venv {
    dir: PathBuf,
}

impl Venv {
    /// `target/keystone-venv`, made (or made again) when it is missing or holds other pins.
    pub fn ensure(root: &Path, target: &Path) -> Result<Self> {
        let pins = root.join("bench/keystone");
        let (requirements, constraints) = (pins.join("requirements.txt"), pins.join("constraints.txt"));
        let stamp = format!(
            "{}\n{}",
            fs::read_to_string(&requirements).with_context(|| format!("reading {}", requirements.display()))?,
            fs::read_to_string(&constraints).with_context(|| format!("reading {}", constraints.display()))?
        );
        let venv = Venv { dir: target.join("keystone-venv") };
        if fs::read_to_string(venv.dir.join(STAMP)).is_ok_and(|old| old == stamp) {
            eprintln!("==> peer: reusing {}", venv.dir.display());
            return Ok(venv);
        }
        check_python()?;
        if venv.dir.exists() {
            fs::remove_dir_all(&venv.dir).with_context(|| format!("removing the stale {}", venv.dir.display()))?;
        }
        eprintln!("==> peer: python3 -m venv {} (once; reused while bench/keystone/ is unchanged)", venv.dir.display());
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv.dir), "python3 -m venv (Debian: python3-venv)")?;
        eprintln!("==> peer: pip install -r bench/keystone/requirements.txt -c bench/keystone/constraints.txt");
        run(
            Command::new(venv.bin("python"))
                .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r"])
                .arg(&requirements)
                .arg("-c")
                .arg(&constraints),
            "pip install of the pinned Keystone from PyPI",
        )?;
        fs::write(venv.dir.join(STAMP), stamp)?;
        Ok(venv)
    }

    /// A program of the venv (`bin/<name>`).
    pub fn bin(&self, name: &str) -> PathBuf {
        self.dir.join("bin").join(name)
    }

    /// The version of an installed distribution, from its metadata.
    pub fn version(&self, distribution: &str) -> Result<String> {
        let output = Command::new(self.bin("python"))
            .args(["-c", "import sys, importlib.metadata as m; print(m.version(sys.argv[1]))", distribution])
            .stdin(Stdio::null())
            .output()?;
        if !output.status.success() {
            bail!("{distribution} is not installed in {}", self.dir.display());
        }
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    }
}

/// Keystone 30 needs CPython 3.11 or later.
fn check_python() -> Result<()> {
    let output = Command::new("python3")
        .args(["-c", "import sys; print('%d.%d' % sys.version_info[:2]); sys.exit(sys.version_info < (3, 11))"])
        .stdin(Stdio::null())
        .output()
        .context("python3 not found: the peer needs CPython >= 3.11 (Debian: python3, python3-venv)")?;
    if !output.status.success() {
        bail!(
            "python3 is {}; the pinned Keystone (bench/keystone/requirements.txt) needs CPython >= 3.11",
            String::from_utf8_lossy(&output.stdout).trim()
        );
    }
    Ok(())
}

/// Runs `command`, failing with `what` and the tail of its output.
fn run(command: &mut Command, what: &str) -> Result<()> {
    let output = command.stdin(Stdio::null()).env("PIP_ROOT_USER_ACTION", "ignore").output()?;
    if !output.status.success() {
        bail!("{what} failed ({}):\n{}", output.status, super::tail(&output.stdout, &output.stderr));
    }
    Ok(())
}
