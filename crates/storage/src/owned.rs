//! The port of what a node owns beside its children and administrators: branding documents,
//! enabled UC platforms and rate plans. Everything here belongs to one node and goes with it
//! when the node is deleted. The service has checked the node (and the caller's reach) before
//! any call; a write that finds the node gone answers `NodeNotFound`.
//!
//! Each branding document, the enabled UCs and each rate plan are versioned documents
//! ([`crate::OwnedDocument`]): reads answer the version with the document, every write checks
//! `Change::expected` against it under the write's lock (a stale one answers `VersionMismatch`,
//! nothing changes), then bumps it and answers the new version.

use crate::error::{AddPriceError, StoreError, WriteOwnedError};
use async_trait::async_trait;
use canopy_domain::Change;
use canopy_domain::{BrandingDocument, BrandingKey, Destination, NodeId, Price, RatePlanName, UcPlatform, Version};

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
}
