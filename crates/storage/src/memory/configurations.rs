//! The memory adapter's configurations, kept in the same `State` (and so under the same lock) as
//! the nodes they belong to: a node's deletion takes its configuration with it. The version is
//! checked before anything changes and bumped by every applied write, under that lock.

use super::MemoryStore;
use crate::configurations::{ConfigStore, WriteConfigError};
use crate::error::StoreError;
use crate::owned_versions::OwnedDocument::Configuration;
use async_trait::async_trait;
use canopy_domain::Change;
use canopy_domain::{ConfigWrite, NodeId, Properties, PropertyKey, Version};
use std::collections::BTreeSet;

#[async_trait]
impl ConfigStore for MemoryStore {
    async fn get_config(&self, node: NodeId) -> Result<Option<(Properties, Version)>, StoreError> {
        let state = self.read();
        if !state.nodes.contains_key(&node) {
            return Ok(None);
        }
        let properties = state.configurations.get(&node).cloned().unwrap_or_default();
        Ok(Some((properties, state.owned_versions.current(node, &Configuration))))
    }

    async fn write_config(
        &self,
        node: NodeId,
        write: &ConfigWrite,
        change: &Change,
    ) -> Result<Version, WriteConfigError> {
        let mut state = self.write_as(change)?;
        if !state.nodes.contains_key(&node) {
            return Err(WriteConfigError::NodeNotFound);
        }
        state.owned_versions.check(node, &Configuration, change.expected)?;
        let stored = state.configurations.get(&node).cloned().unwrap_or_default();
        let updated = write.apply(&stored).map_err(WriteConfigError::Invalid)?;
        state.configurations.insert(node, updated);
        state.record(change);
        Ok(state.owned_versions.bump(node, Configuration))
    }

    async fn delete_config_keys(
        &self,
        node: NodeId,
        keys: &BTreeSet<PropertyKey>,
        change: &Change,
    ) -> Result<Version, WriteConfigError> {
        let mut state = self.write_as(change)?;
        if !state.nodes.contains_key(&node) {
            return Err(WriteConfigError::NodeNotFound);
        }
        state.owned_versions.check(node, &Configuration, change.expected)?;
        if let Some(properties) = state.configurations.get_mut(&node) {
            for key in keys {
                properties.remove(key.as_str());
            }
        }
        state.record(change);
        Ok(state.owned_versions.bump(node, Configuration))
    }
}
