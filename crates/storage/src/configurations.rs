//! The configuration port: the general configuration (key/value properties) of each node.
//!
//! A write is applied against the stored properties inside the store's unit of work
//! ([`ConfigWrite::apply`], the domain's rule), so a masked secret resolves to the value stored
//! at that moment and concurrent writes of one node never interleave. A node's configuration is
//! deleted with the node.
//!
//! The configuration is one versioned document ([`crate::OwnedDocument::Configuration`]): every
//! write checks `Change::expected` against its version under the same lock, then bumps it.

use crate::error::StoreError;
use async_trait::async_trait;
use canopy_domain::Change;
use canopy_domain::{ConfigWrite, DomainError, NodeId, Properties, PropertyKey, Version, VersionMismatch};
use std::collections::BTreeSet;

#[derive(Debug, thiserror::Error)]
pub enum WriteConfigError {
    /// The node does not exist (any more).
    #[error("the node does not exist")]
    NodeNotFound,
    /// The write breaks a rule against the stored properties (a masked secret with nothing
    /// stored, too many properties).
    #[error(transparent)]
    Invalid(DomainError),
    /// The client's version of the configuration is not the stored one: nothing changed.
    #[error(transparent)]
    VersionMismatch(#[from] VersionMismatch),
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait ConfigStore: Send + Sync + 'static {
    /// The node's properties and their version, read together; `None` when the node does not
    /// exist.
    async fn get_config(&self, node: NodeId) -> Result<Option<(Properties, Version)>, StoreError>;

    /// Applies `write` to the node's properties, atomically: concurrent writes of one node are
    /// serialized, each applied against what the previous one left. Answers the new version.
    async fn write_config(
        &self,
        node: NodeId,
        write: &ConfigWrite,
        change: &Change,
    ) -> Result<Version, WriteConfigError>;

    /// Deletes these keys from the node's properties; keys it does not have are ignored (the
    /// write still counts: the version is bumped). Answers the new version.
    async fn delete_config_keys(
        &self,
        node: NodeId,
        keys: &BTreeSet<PropertyKey>,
        change: &Change,
    ) -> Result<Version, WriteConfigError>;
}
