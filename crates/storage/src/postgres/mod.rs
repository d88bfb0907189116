//! The PostgreSQL adapter: the pool, its migrations, and one module per port (`nodes`,
//! `admins`, `accounts` (with `logins`), `owned`, `configurations`, `voice_routing`, `audit`, `lifecycle`),
//! with what they share: the one unit of work of writes (`unit`), the one pager of lists
//! (`pager`), the reading of rows (`rows`) and of errors (`errors`).

mod accounts;
mod admins;
mod audit;
mod auth_codes;
mod begin;
mod branding;
mod configurations;
mod connect;
mod custom_permissions;
mod domains;
mod errors;
mod group_search;
mod lifecycle;
mod list;
mod logins;
mod node_locks;
mod nodes;
mod owned;
mod owned_versions;
mod pager;
mod rate_plans;
mod rows;
mod tree_locks;
mod unit;
mod user_group_rows;
mod user_groups;
mod versions;
mod voice_list;
mod voice_routing;
mod voice_sql;

use crate::error::StoreError;
pub use connect::{ConnectionTarget, PostgresSettings, TlsMode};
use errors::{migrate_error, store_error};
use sqlx::postgres::{PgPool, PgPoolOptions};
use std::time::Duration;

/// The schema's migrations (migrations/ at the workspace root), embedded at compile time.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

/// Connections of a pool made by [`PostgresStore::connect`].
pub const DEFAULT_MAX_CONNECTIONS: u32 = 16;
/// How long to wait for a connection before reporting the store unavailable.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// A pool on `url`, with one connection opened now so that a wrong URL or a dead server
    /// fails here, within [`ACQUIRE_TIMEOUT`].
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::open(&PostgresSettings::new(url)).await
    }

    /// [`PostgresStore::connect`] with Canopy's connection options: the URL's `sslmode` and
    /// `sslrootcert`, a password and a CA file besides the URL, the pool's size. A certificate
    /// that fails verification fails here, at once (sqlx retries only refused connections).
    pub async fn open(settings: &PostgresSettings) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(settings.max_connections())
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(settings.connect_options()?)
            .await
            .map_err(store_error)?;
        Ok(Self::from_pool(pool))
    }

    /// Whether the server sees this pool's connections encrypted (`pg_stat_ssl`): what `prefer`
    /// ended up with.
    pub async fn encrypted(&self) -> Result<bool, StoreError> {
        sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            .fetch_one(&self.pool)
            .await
            .map_err(store_error)
    }

    pub fn from_pool(pool: PgPool) -> Self {
        Self { pool }
    }

    /// Brings the schema up to date; concurrent callers are serialized by sqlx's advisory lock.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        MIGRATOR.run(&self.pool).await.map_err(migrate_error)
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}
