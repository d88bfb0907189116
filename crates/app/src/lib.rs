//! Canopy's use cases: one service per area, generic over the storage ports.
//!
//! Services parse client values into domain types, decide what the caller may do (the
//! [`Caller`] is threaded through every method, ready for authentication), and make one
//! port call per change, so every change is one atomic unit of work.

mod caller;
mod error;
mod instances;
mod nodes;

pub use caller::Caller;
pub use error::NodeError;
pub use instances::Instances;
pub use nodes::{ListPage, NodeInput, NodeService, NodeUpdate};

use canopy_domain::{InstanceSlug, TokenKey};
use canopy_storage::{MemoryStore, NodeStore, PoolStats, StoreError};
use rand::RngCore;
use std::sync::Arc;

/// Everything the HTTP layer may call. Cheap to clone: services sit behind `Arc`s.
#[derive(Clone)]
pub struct App {
    pub nodes: Arc<NodeService<dyn NodeStore>>,
    store: Arc<dyn NodeStore>,
}

impl App {
    /// Prepares the store (the configured instances, the shared token key) and builds the services.
    pub async fn start(store: Arc<dyn NodeStore>, instances: &[InstanceSlug]) -> Result<Self, StoreError> {
        store.ensure_instances(instances).await?;
        // Only the configured instances are served, so removing one from the configuration
        // takes it off the API while its data stays in the store.
        let instances = Instances::new(instances.iter().cloned());
        let mut candidate = vec![0u8; 32];
        rand::rng().fill_bytes(&mut candidate);
        let key = TokenKey::new(store.shared_secret(candidate).await?);
        Ok(Self { nodes: Arc::new(NodeService::new(store.clone(), instances, key)), store })
    }

    /// The store's connection pool, for metrics.
    pub fn pool_stats(&self) -> Option<PoolStats> {
        self.store.pool_stats()
    }

    /// An app on a fresh in-memory store: zero-setup runs and tests. Its data lives as long as
    /// the process.
    pub async fn in_memory(instances: &[InstanceSlug]) -> Result<Self, StoreError> {
        Self::start(Arc::new(MemoryStore::new()), instances).await
    }

    /// Whether requests can be served now: the store is reachable and its schema current.
    pub async fn ready(&self) -> Result<(), StoreError> {
        self.store.ready().await
    }
}
