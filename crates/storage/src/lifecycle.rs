//! The lifecycle port: what a store needs to be started, watched and trusted by every process on
//! it, beside the data it keeps (the instances served, the shared token key, readiness, the
//! connection pool's gauges).

use crate::error::StoreError;
use async_trait::async_trait;
use canopy_domain::{InstanceSlug, Serial};

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
    /// Makes sure these instances exist; existing ones are left alone. A new instance takes an
    /// integer id from the sequence every node takes its own from.
    async fn ensure_instances(&self, instances: &[InstanceSlug]) -> Result<(), StoreError>;

    /// The integer id of an instance (the root the portal face names by number); `None` when the
    /// instance does not exist.
    async fn instance_serial(&self, instance: &InstanceSlug) -> Result<Option<Serial>, StoreError>;

    /// The store's shared secret for signing tokens: `candidate` is stored and returned the
    /// first time, and the stored one is returned ever after, so every process agrees.
    async fn shared_secret(&self, candidate: Vec<u8>) -> Result<Vec<u8>, StoreError>;

    /// Whether the store can serve requests now: reachable, with its schema up to date.
    async fn ready(&self) -> Result<(), StoreError>;

    /// The connection pool's state, for metrics; `None` for stores without a pool.
    fn pool_stats(&self) -> Option<PoolStats>;
}
