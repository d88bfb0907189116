//! The memory adapter's configurations, kept in the same `State` (and so under the same lock) as
//! the nodes they belong to: a node's deletion takes its configuration with it.

use super::MemoryStore;
use crate::configurations::{ConfigStore, WriteConfigError};
use crate::error::StoreError;
use async_trait::async_trait;
use canopy_domain::Change;
use canopy_domain::{ConfigWrite, NodeId, Properties, PropertyKey};
use std::collections::BTreeSet;

#[async_trait]
impl ConfigStore for MemoryStore {
    async fn get_config(&self, node: NodeId) -> Result<Option<Properties>, StoreError> {
        let state = self.read();
        if !state.nodes.contains_key(&node) {
            return Ok(None);
        }
        Ok(Some(state.configurations.get(&node).cloned().unwrap_or_default()))
    }

    async fn write_config(&self, node: NodeId, write: &ConfigWrite, change: &Change) -> Result<(), WriteConfigError> {
        let mut state = self.write();
        if !state.nodes.contains_key(&node) {
            return Err(WriteConfigError::NodeNotFound);
        }
        let stored = state.configurations.get(&node).cloned().unwrap_or_default();
        let updated = write.apply(&stored).map_err(WriteConfigError::Invalid)?;
        state.configurations.insert(node, updated);
        state.record(change);
        Ok(())
    }

    async fn delete_config_keys(
        &self,
        node: NodeId,
        keys: &BTreeSet<PropertyKey>,
        change: &Change,
    ) -> Result<(), WriteConfigError> {
        let mut state = self.write();
        if !state.nodes.contains_key(&node) {
            return Err(WriteConfigError::NodeNotFound);
        }
        if let Some(properties) = state.configurations.get_mut(&node) {
            for key in keys {
                properties.remove(key.as_str());
            }
        }
        state.record(change);
        Ok(())
    }
}
