//! The PostgreSQL adapter of the lifecycle port: the instances, the shared token key
//! (`server_secrets`, one row), readiness (every embedded migration applied) and the pool.

use super::errors::{retrying, store_error};
use super::{MIGRATOR, PostgresStore};
use crate::error::StoreError;
use crate::lifecycle::{Lifecycle, PoolStats};
use async_trait::async_trait;
use canopy_domain::{InstanceSlug, Serial};

#[async_trait]
impl Lifecycle for PostgresStore {
    fn pool_stats(&self) -> Option<PoolStats> {
        let size = self.pool.size();
        let idle = u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX);
        Some(PoolStats { size, idle, max: self.pool.options().get_max_connections() })
    }

    async fn ready(&self) -> Result<(), StoreError> {
        // Every embedded migration, not only the latest: migrations written on parallel branches
        // may be applied out of number order, and a missing one below the maximum still matters.
        let embedded: Vec<i64> = MIGRATOR.iter().map(|m| m.version).collect();
        // A missing _sqlx_migrations table is an error like any other: not ready.
        let applied: Vec<i64> =
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success AND version = ANY($1)")
                .bind(&embedded)
                .fetch_all(&self.pool)
                .await
                .map_err(store_error)?;
        let missing: Vec<String> = embedded.iter().filter(|v| !applied.contains(v)).map(ToString::to_string).collect();
        if !missing.is_empty() {
            return Err(StoreError::Unavailable(format!(
                "schema lacks migration(s) {}: run `canopy migrate`",
                missing.join(", ")
            )));
        }
        Ok(())
    }

    async fn ensure_instances(&self, instances: &[InstanceSlug]) -> Result<(), StoreError> {
        // Sorted: concurrent callers insert overlapping slugs in one order and cannot deadlock.
        let mut slugs: Vec<String> = instances.iter().map(|i| i.as_str().to_owned()).collect();
        slugs.sort();
        slugs.dedup();
        let slugs = &slugs;
        retrying(|| async move {
            // Existing slugs are skipped before the insert, so they draw no integer id (ON CONFLICT
            // alone would draw one for nothing).
            sqlx::query(
                "INSERT INTO instances (slug) SELECT slug FROM unnest($1::text[]) WITH ORDINALITY AS s(slug, n) \
                 WHERE NOT EXISTS (SELECT 1 FROM instances i WHERE i.slug = s.slug) \
                 ORDER BY n ON CONFLICT (slug) DO NOTHING",
            )
            .bind(&slugs[..])
            .execute(&self.pool)
            .await?;
            Ok(())
        })
        .await
    }

    async fn instance_serial(&self, instance: &InstanceSlug) -> Result<Option<Serial>, StoreError> {
        let serial: Option<i64> = sqlx::query_scalar("SELECT serial FROM instances WHERE slug = $1")
            .bind(instance.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(serial.map(Serial))
    }

    async fn shared_secret(&self, candidate: Vec<u8>) -> Result<Vec<u8>, StoreError> {
        // Two statements, not one: a concurrent first insert makes ON CONFLICT wait for it, and
        // only a later statement's snapshot is sure to see the row it committed.
        sqlx::query("INSERT INTO server_secrets (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING")
            .bind(candidate)
            .execute(&self.pool)
            .await
            .map_err(store_error)?;
        sqlx::query_scalar("SELECT secret FROM server_secrets WHERE id = 1")
            .fetch_one(&self.pool)
            .await
            .map_err(store_error)
    }
}
