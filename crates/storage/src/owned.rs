//! The port of what a node owns beside its children and administrators: branding documents,
//! enabled UC platforms and rate plans. Everything here belongs to one node and goes with it
//! when the node is deleted. The service has checked the node (and the caller's reach) before
//! any call; a write that finds the node gone answers `NodeNotFound`. Also the instance's own
//! branding documents, which every node inherits last.
//!
//! Each branding document, the enabled UCs and each rate plan are versioned documents
//! ([`crate::OwnedDocument`]): reads answer the version with the document, every write checks
//! `Change::expected` against it under the write's lock (a stale one answers `VersionMismatch`,
//! nothing changes), then bumps it and answers the new version.

use crate::error::{AddPriceError, StoreError, VersionedWriteError, WriteOwnedError};
use async_trait::async_trait;
use canopy_domain::Change;
use canopy_domain::{
    BrandingDocument, BrandingKey, Destination, InstanceSlug, NodeId, Price, RatePlanName, RatePlanSummary, Timestamp,
    UcPlatform, Version,
};

/// A rate plan of a node: its destinations (by id) and every price ever added, oldest instant
/// first. The active prices are chosen by `canopy_domain::active_prices`.
#[derive(Debug, Clone, PartialEq)]
pub struct RatePlan {
    pub destinations: Vec<Destination>,
    pub prices: Vec<Price>,
    /// The plan's version (destinations and prices together).
    pub version: Version,
}

#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait OwnedStore: Send + Sync + 'static {
    /// The own documents of `key` of those `nodes` that have one, with the version of the first
    /// node's own document of `key` (the node read comes first, its ancestors after it), read
    /// together.
    async fn branding_documents(
        &self,
        nodes: Vec<NodeId>,
        key: BrandingKey,
    ) -> Result<(Vec<(NodeId, BrandingDocument)>, Version), StoreError>;

    /// Sets (replaces) the node's own document of `key`.
    async fn put_branding(
        &self,
        node: NodeId,
        key: BrandingKey,
        document: BrandingDocument,
        change: &Change,
    ) -> Result<Version, WriteOwnedError>;

    /// Removes the node's own document of `key`, so that it inherits again. Counted as a write
    /// (version, audit) whether or not the node had one.
    async fn delete_branding(
        &self,
        node: NodeId,
        key: BrandingKey,
        change: &Change,
    ) -> Result<Version, WriteOwnedError>;

    /// The instance's own document of `key` (`None` while unset: the built-in default shows),
    /// with its version (1 until first written).
    async fn instance_branding(
        &self,
        instance: &InstanceSlug,
        key: BrandingKey,
    ) -> Result<(Option<BrandingDocument>, Version), StoreError>;

    /// Sets (replaces) the instance's own document of `key`.
    async fn put_instance_branding(
        &self,
        instance: &InstanceSlug,
        key: BrandingKey,
        document: BrandingDocument,
        change: &Change,
    ) -> Result<Version, VersionedWriteError>;

    /// Removes the instance's own document of `key` (the built-in default shows again); counted
    /// as a write whether or not it had one.
    async fn delete_instance_branding(
        &self,
        instance: &InstanceSlug,
        key: BrandingKey,
        change: &Change,
    ) -> Result<Version, VersionedWriteError>;

    /// The UC platforms enabled for the node, in `UC_PLATFORMS` order (none by default), with
    /// their version.
    async fn enabled_ucs(&self, node: NodeId) -> Result<(Vec<UcPlatform>, Version), StoreError>;

    /// Replaces the node's enabled platforms.
    async fn set_enabled_ucs(
        &self,
        node: NodeId,
        platforms: Vec<UcPlatform>,
        change: &Change,
    ) -> Result<Version, WriteOwnedError>;

    /// The rate plan of this name, `None` while it has no destination.
    async fn rate_plan(&self, node: NodeId, plan: RatePlanName) -> Result<Option<RatePlan>, StoreError>;

    /// The node's rate plans (those with a destination), by name (byte order).
    async fn rate_plans(&self, node: NodeId) -> Result<Vec<RatePlanSummary>, StoreError>;

    /// Defines a destination of a rate plan (creating the plan), or renames it.
    async fn put_destination(
        &self,
        node: NodeId,
        plan: RatePlanName,
        destination: Destination,
        change: &Change,
    ) -> Result<Version, WriteOwnedError>;

    /// Adds a price to a destination of the plan; a price of the same destination at the same
    /// instant is replaced.
    async fn add_price(
        &self,
        node: NodeId,
        plan: RatePlanName,
        price: Price,
        change: &Change,
    ) -> Result<Version, AddPriceError>;

    /// Removes a destination of the plan and every price of it (the plan goes with its last
    /// destination). Counted as a write of the plan whether or not it had the destination.
    async fn delete_destination(
        &self,
        node: NodeId,
        plan: RatePlanName,
        destination: i64,
        change: &Change,
    ) -> Result<Version, WriteOwnedError>;

    /// Removes the price of a destination at an instant; counted as a write of the plan whether
    /// or not it had that price.
    async fn delete_price(
        &self,
        node: NodeId,
        plan: RatePlanName,
        destination: i64,
        active_since: Timestamp,
        change: &Change,
    ) -> Result<Version, WriteOwnedError>;
}
