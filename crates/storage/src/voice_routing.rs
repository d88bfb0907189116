//! The voice routing port: a group's PSTN usages, voice routes and voice routing policies, and
//! the links from routes and policies to usages.
//!
//! Every method is one unit of work. Two rules hold under concurrency: a link names a usage of
//! the same group that exists when the link commits, and a usage is deleted only while nothing
//! links it. Deleting the group deletes its voice routing.

use crate::error::{StoreError, VersionedWriteError};
use crate::nodes::Deleted;
use async_trait::async_trait;
use canopy_domain::{Change, VersionMismatch};
use canopy_domain::{
    NodeId, NodeName, Page, PageRequest, Priority, PstnUsage, Referrer, RoutePattern, UsageLinks, VoiceId, VoiceRoute,
    VoiceRoutingPolicy, VoiceScope,
};

/// A voice route to create.
#[derive(Debug, Clone)]
pub struct NewRoute {
    pub name: NodeName,
    pub pattern: RoutePattern,
    pub priority: Priority,
    pub usages: UsageLinks,
}

/// Changes to a route; `None` keeps a field. `usages: Some(..)` replaces the links.
#[derive(Debug, Clone, Default)]
pub struct RouteChanges {
    pub name: Option<NodeName>,
    pub pattern: Option<RoutePattern>,
    pub priority: Option<Priority>,
    pub usages: Option<UsageLinks>,
}

/// A voice routing policy to create.
#[derive(Debug, Clone)]
pub struct NewPolicy {
    pub name: NodeName,
    pub usages: UsageLinks,
}

/// Changes to a policy; `None` keeps a field. `usages: Some(..)` replaces the links.
#[derive(Debug, Clone, Default)]
pub struct PolicyChanges {
    pub name: Option<NodeName>,
    pub usages: Option<UsageLinks>,
}

/// Why a creation or change was refused.
#[derive(Debug, thiserror::Error)]
pub enum VoiceWriteError {
    /// The group does not exist (any more).
    #[error("the group does not exist")]
    GroupNotFound,
    /// No object of this kind with this id in the group (changes only).
    #[error("no such object in the group")]
    NotFound,
    #[error("another object of this kind in the group has this name")]
    DuplicateName,
    /// Linked usages that are not usages of the group, in id order.
    #[error("unknown pstn usages: {0:?}")]
    UnknownUsages(Vec<VoiceId>),
    /// The change's expected version is not the stored one: nothing changed.
    #[error(transparent)]
    VersionMismatch(#[from] VersionMismatch),
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Debug, thiserror::Error)]
pub enum DeleteUsageError {
    /// Routes and policies still link the usage (sorted by `ensure_unreferenced`).
    #[error("the pstn usage is still linked")]
    InUse(Vec<Referrer>),
    #[error(transparent)]
    VersionMismatch(#[from] VersionMismatch),
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait VoiceRoutingStore: Send + Sync + 'static {
    async fn create_usage(&self, group: NodeId, name: NodeName, change: &Change) -> Result<PstnUsage, VoiceWriteError>;

    async fn rename_usage(
        &self,
        group: NodeId,
        id: VoiceId,
        name: NodeName,
        change: &Change,
    ) -> Result<PstnUsage, VoiceWriteError>;

    /// Deletes a usage nothing links; `Absent` when there is no such usage in the group.
    async fn delete_usage(&self, group: NodeId, id: VoiceId, change: &Change) -> Result<Deleted, DeleteUsageError>;

    /// The routes and policies linking a usage (sorted); `None` when there is no such usage.
    async fn usage_referrers(&self, group: NodeId, id: VoiceId) -> Result<Option<Vec<Referrer>>, StoreError>;

    async fn list_usages(&self, request: &PageRequest<VoiceScope>) -> Result<Page<PstnUsage>, StoreError>;

    async fn create_route(&self, group: NodeId, new: NewRoute, change: &Change) -> Result<VoiceRoute, VoiceWriteError>;

    async fn update_route(
        &self,
        group: NodeId,
        id: VoiceId,
        changes: RouteChanges,
        change: &Change,
    ) -> Result<VoiceRoute, VoiceWriteError>;

    /// Deletes a route and its links; `Absent` when there is no such route in the group.
    async fn delete_route(&self, group: NodeId, id: VoiceId, change: &Change) -> Result<Deleted, VersionedWriteError>;

    async fn list_routes(&self, request: &PageRequest<VoiceScope>) -> Result<Page<VoiceRoute>, StoreError>;

    async fn create_policy(
        &self,
        group: NodeId,
        new: NewPolicy,
        change: &Change,
    ) -> Result<VoiceRoutingPolicy, VoiceWriteError>;

    async fn update_policy(
        &self,
        group: NodeId,
        id: VoiceId,
        changes: PolicyChanges,
        change: &Change,
    ) -> Result<VoiceRoutingPolicy, VoiceWriteError>;

    async fn delete_policy(&self, group: NodeId, id: VoiceId, change: &Change) -> Result<Deleted, VersionedWriteError>;

    async fn list_policies(&self, request: &PageRequest<VoiceScope>) -> Result<Page<VoiceRoutingPolicy>, StoreError>;
}
