//! `cargo xtask`: project automation for Canopy — a small subcommand dispatcher.

mod bench;
mod browser;
mod fault;
mod fuzz;
mod openapi;
mod postgres;
mod schemathesis;
mod test;

use std::process::ExitCode;

const USAGE: &str = "\
Usage: cargo xtask <command> [args]

Commands:
  test [-- <cargo test args>]  rustfmt check, clippy, the whole test suite against a disposable PostgreSQL, schemathesis
  bench [--large] [options]    benchmark Canopy (in memory, PostgreSQL) against bare axum and pgbench
  bench --peer keystone        also OpenStack Keystone's GET of a project beside Canopy's GET (PyPI, target/keystone-venv)
  bench --memory [--nodes N]   only the in-memory store's bytes per node, at 1,000,000 nodes by default
  fault                        PostgreSQL stopped and restarted, Canopy killed -9, under load: 503s, recovery, no lost write
  pg                           start a disposable PostgreSQL, print its DATABASE_URL, stop it on Enter or Ctrl-C
  schemathesis [-- <args>]     schemathesis against a running in-memory canopy: no 5xx, every response as documented
  fuzz [--seconds N] [target]  the fuzz targets (fuzz/) on random inputs on stable, N seconds each (default 30)
  openapi                      write the OpenAPI document the code generates to docs/openapi.json
  help                         print this message
";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let command = args.next();
    let rest: Vec<String> = args.collect();

    let result = match command.as_deref() {
        Some("test") => test::run(&rest),
        Some("bench") => bench::run(&rest),
        Some("fault") => fault::run(&rest),
        Some("pg") => postgres::run_interactive(&rest),
        Some("openapi") => openapi::run(&rest),
        Some("schemathesis") => schemathesis::run(&rest),
        Some("fuzz") => fuzz::run(&rest),
        Some("help" | "-h" | "--help") => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => {
            eprintln!("xtask: unknown command `{other}`\n");
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
        None => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };

    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
