//! The storage contract, run against every adapter.

mod memory {
    canopy_storage::contract_suite!(async { canopy_storage::MemoryStore::new() }, races = 200);
}

mod postgres {
    canopy_storage::contract_suite!(canopy_storage::testing::fresh_postgres_store(), races = 25);
}
