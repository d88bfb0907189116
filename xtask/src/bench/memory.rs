//! `cargo xtask bench --memory [--nodes N]`: the in-memory store's cost per node. Starts the release `canopy` on the
//! memory store, reads its resident set (`VmRSS`) after start-up and login, seeds N nodes (default 1,000,000) over
//! HTTP with the groups' mix (5 nodes per group, no site groups: like with like across this number's history),
//! reads it again, and prints the difference divided by N. What is counted is everything a seeded node costs the
//! process: the node, its indexes and its audit entry (every creation is audited).

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};

use super::seed::{self, NODES_PER_GROUP};
use super::server::Server;

pub fn run(target: &Path, nodes: usize) -> Result<()> {
    let server = Server::canopy(target, None)?;
    let before = server.rss().context("could not read the server's VmRSS")?;
    let groups = nodes / NODES_PER_GROUP;
    let nodes = groups * NODES_PER_GROUP;
    eprintln!("==> in memory: seeding {nodes} nodes");
    let started = Instant::now();
    seed::seed_groups(&server.endpoint(), groups)?;
    eprintln!("    seeded in {:.1} s", started.elapsed().as_secs_f64());
    let after = server.rss().context("could not read the server's VmRSS")?;
    let per_node = after.saturating_sub(before) as f64 / nodes as f64;
    println!(
        "in memory, {nodes} nodes: VmRSS {:.1} MiB before seeding, {:.1} MiB after: {per_node:.0} bytes per node",
        before as f64 / (1024.0 * 1024.0),
        after as f64 / (1024.0 * 1024.0)
    );
    Ok(())
}
