//! The storage contract (`canopy-contract`), run against every adapter: each case is its own
//! test, named `<adapter>::<case>`, on a fresh store, on a multi-threaded runtime (the races need
//! real parallelism). Its own harness (libtest-mimic), so that the cases come from the one list
//! of the contract crate rather than a list typed again here.

use canopy_contract::{Case, cases, testing};
use canopy_storage::{MemoryStore, Store};
use libtest_mimic::{Arguments, Failed, Trial};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// A fresh, empty store of one adapter.
type Make = fn() -> Pin<Box<dyn Future<Output = Arc<dyn Store>> + Send>>;

/// Each adapter, with how many rounds its races run (PostgreSQL's rounds cost real transactions).
const ADAPTERS: &[(&str, Make, usize)] = &[
    ("memory", || Box::pin(async { Arc::new(MemoryStore::new()) as Arc<dyn Store> }), 200),
    ("postgres", || Box::pin(async { Arc::new(testing::fresh_postgres_store().await) as Arc<dyn Store> }), 25),
];

fn trial(adapter: &'static str, make: Make, rounds: usize, case: Case) -> Trial {
    Trial::test(format!("{adapter}::{}", case.name), move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(4)
            .enable_all()
            .build()
            .map_err(|err| Failed::from(format!("no runtime: {err}")))?;
        runtime.block_on(async move { (case.run)(make().await, rounds).await });
        Ok(())
    })
}

fn main() {
    let args = Arguments::from_args();
    let trials = ADAPTERS
        .iter()
        .flat_map(|&(adapter, make, rounds)| cases().map(move |case| trial(adapter, make, rounds, *case)))
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
