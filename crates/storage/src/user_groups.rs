//! The user group port: a tenant's user groups, the permission values each sets, and the custom
//! permissions the tenant defines.
//!
//! Every method is one unit of work. Under concurrency: a name is unique per tenant
//! case-insensitively (of concurrent creations of one name exactly one succeeds); changes of one
//! group's permissions apply one after the other, each on the values the previous one left (so
//! changes of disjoint permissions all apply); a group's value names a custom permission the
//! tenant defines when the change commits, and deleting a custom permission takes every value of
//! it. A group, its values and the tenant's custom permissions go with the tenant.
//!
//! Versions: a group is version 1 when created and counts one up per change of its fields or
//! permissions; defining or deleting a custom permission changes what every group of the tenant
//! shows, so it counts one up on each of them.

use crate::error::{StoreError, VersionedWriteError};
use crate::nodes::Deleted;
use async_trait::async_trait;
use canopy_domain::{
    Change, CustomPermission, NewCustomPermission, NodeId, PermissionChanges, UserGroup, UserGroupFields, UserGroupId,
    UserGroupQuery, VersionMismatch,
};

/// One page of a tenant's user groups and how many it has.
#[derive(Debug, Clone, PartialEq)]
pub struct UserGroupPage {
    pub groups: Vec<UserGroup>,
    pub total: u64,
}

/// Why a write of a user group (or a custom permission) was refused.
#[derive(Debug, thiserror::Error)]
pub enum UserGroupWriteError {
    /// The tenant does not exist (any more).
    #[error("the tenant does not exist")]
    TenantNotFound,
    /// No user group with this id in the tenant.
    #[error("no such user group in the tenant")]
    NotFound,
    #[error("another user group of the tenant has this name")]
    DuplicateName,
    /// Custom permissions the tenant does not define, by name, sorted.
    #[error("unknown permissions: {0:?}")]
    UnknownPermissions(Vec<String>),
    #[error(transparent)]
    VersionMismatch(#[from] VersionMismatch),
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait UserGroupStore: Send + Sync + 'static {
    /// A new group of the tenant, version 1, with no permission value.
    async fn create_user_group(
        &self,
        tenant: NodeId,
        fields: UserGroupFields,
        change: &Change,
    ) -> Result<UserGroup, UserGroupWriteError>;

    /// Replaces a group's fields (its permissions stay).
    async fn update_user_group(
        &self,
        tenant: NodeId,
        id: UserGroupId,
        fields: UserGroupFields,
        change: &Change,
    ) -> Result<UserGroup, UserGroupWriteError>;

    /// Deletes a group and its values; `Absent` when the tenant has no such group.
    async fn delete_user_group(
        &self,
        tenant: NodeId,
        id: UserGroupId,
        change: &Change,
    ) -> Result<Deleted, VersionedWriteError>;

    /// Applies `changes` to the values the group holds when the change commits.
    async fn set_user_group_permissions(
        &self,
        tenant: NodeId,
        id: UserGroupId,
        changes: &PermissionChanges,
        change: &Change,
    ) -> Result<UserGroup, UserGroupWriteError>;

    async fn get_user_group(&self, tenant: NodeId, id: UserGroupId) -> Result<Option<UserGroup>, StoreError>;

    /// One page of the tenant's groups in the query's order (ties in id order), and their count,
    /// read together.
    async fn list_user_groups(&self, tenant: NodeId, query: &UserGroupQuery) -> Result<UserGroupPage, StoreError>;

    /// The tenant's custom permissions, in id order.
    async fn custom_permissions(&self, tenant: NodeId) -> Result<Vec<CustomPermission>, StoreError>;

    /// A new custom permission of the tenant (`TenantNotFound` only).
    async fn create_custom_permission(
        &self,
        tenant: NodeId,
        new: NewCustomPermission,
        change: &Change,
    ) -> Result<CustomPermission, UserGroupWriteError>;

    /// Deletes a custom permission and every group's value of it; `Absent` when the tenant has
    /// no such permission.
    async fn delete_custom_permission(&self, tenant: NodeId, id: i64, change: &Change) -> Result<Deleted, StoreError>;
}
