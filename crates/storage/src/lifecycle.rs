//! The lifecycle port: what a store needs to be started, watched and trusted by every process on
//! it, beside the data it keeps (the instances served, the shared token key, readiness, the
//! connection pool's gauges).

use crate::error::StoreError;
use async_trait::async_trait;
use canopy_domain::InstanceSlug;

/// Connections of a store's pool at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStats {
    /// Open connections, busy or idle.
    pub size: u32,
    pub idle: u32,
    pub max: u32,
}

#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait Lifecycle: Send + Sync + 'static {
    /// Makes sure these instances exist; existing ones are left alone.
    async fn ensure_instances(&self, instances: &[InstanceSlug]) -> Result<(), StoreError>;

    /// The store's shared secret for signing tokens: `candidate` is stored and returned the
    /// first time, and the stored one is returned ever after, so every process agrees.
    async fn shared_secret(&self, candidate: Vec<u8>) -> Result<Vec<u8>, StoreError>;

    /// Whether the store can serve requests now: reachable, with its schema up to date.
    async fn ready(&self) -> Result<(), StoreError>;

    /// The connection pool's state, for metrics; `None` for stores without a pool.
    fn pool_stats(&self) -> Option<PoolStats>;
}
