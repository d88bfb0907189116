//! Readiness of the PostgreSQL adapter before and after its migrations.

use canopy_contract::testing;
use canopy_storage::{Lifecycle, PostgresStore, StoreError};

#[tokio::test]
async fn an_unmigrated_database_is_not_ready_until_migrated() {
    let store = PostgresStore::connect(&testing::fresh_database().await).await.unwrap();
    assert!(matches!(store.ready().await, Err(StoreError::Unavailable(_) | StoreError::Backend(_))));
    store.migrate().await.unwrap();
    store.ready().await.unwrap();
}
