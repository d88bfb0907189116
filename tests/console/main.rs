//! Browser tests of the web console: a real headless Chromium (`browser.rs`) against the real
//! `canopy` binary, once per store, with a real SMTP server for the activation e-mail. They
//! assert on what the pages show, and save the screenshots docs/console.md shows.

mod browser;
mod flow;
// The black-box tests' handle on the binary (start, stop, its log), shared rather than copied;
// this target uses part of it.
#[allow(dead_code)]
#[path = "../blackbox/server.rs"]
mod server;

use server::Store;

#[tokio::test]
async fn the_console_administers_the_tree_in_a_browser_on_the_memory_store() {
    flow::run(Store::Memory, true).await;
}

#[tokio::test]
async fn the_console_administers_the_tree_in_a_browser_on_postgres() {
    flow::run(Store::postgres().await, false).await;
}
