//! One error enum per port operation, so callers handle exactly the cases that can happen.

use canopy_domain::{ChildCounts, DomainError, VersionMismatch};

/// The store itself failed (unreachable, timed out, or answered something unexpected), or
/// refused the write as every write of its kind can be refused: its administrator is locked out.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the store is unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Backend(Box<dyn std::error::Error + Send + Sync>),
    /// A lock on the lineage of the change's `home` binds it (`canopy_domain::tree_lock`),
    /// decided in the write's unit of work: nothing changed.
    #[error("a lock on this part of the tree refuses the change")]
    TreeLocked,
}

/// Locking or unlocking a node's subtree.
#[derive(Debug, thiserror::Error)]
pub enum TreeLockError {
    #[error("the node does not exist")]
    NotFound,
    /// An unlock by an administrator below the lock's holder.
    #[error(transparent)]
    HeldAbove(#[from] canopy_domain::HeldAbove),
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Debug, thiserror::Error)]
pub enum CreateNodeError {
    #[error("the parent does not exist")]
    ParentNotFound,
    #[error("a sibling already has this name")]
    DuplicateName,
    #[error("a tenant of this instance already has this tenant id")]
    DuplicateTenantId,
    #[error("a user of this instance already has this user id")]
    DuplicateUserId,
    /// The node's account (a group's `adminEmail`, a user's `email`) has an address the instance
    /// already has.
    #[error("an account of this instance already has this e-mail")]
    DuplicateEmail,
    /// A rule decided under the parent's lock refuses it (a site group's user limit).
    #[error(transparent)]
    Invalid(DomainError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Debug, thiserror::Error)]
pub enum UpdateNodeError {
    #[error("the node does not exist")]
    NotFound,
    #[error("a sibling already has this name")]
    DuplicateName,
    #[error("a tenant of this instance already has this tenant id")]
    DuplicateTenantId,
    #[error("a user of this instance already has this user id")]
    DuplicateUserId,
    /// The user's account, created by the change that gives it its e-mail, has an address the
    /// instance already has.
    #[error("an account of this instance already has this e-mail")]
    DuplicateEmail,
    /// A rule decided under the node's lock refuses it (a user limit below the users held, a
    /// user's e-mail changed once set).
    #[error(transparent)]
    Invalid(DomainError),
    /// The change's expected version is not the stored one: nothing changed.
    #[error(transparent)]
    VersionMismatch(#[from] VersionMismatch),
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Debug, thiserror::Error)]
pub enum DeleteNodeError {
    #[error("the node still has children")]
    NotEmpty(ChildCounts),
    #[error(transparent)]
    VersionMismatch(#[from] VersionMismatch),
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Debug, thiserror::Error)]
pub enum CreateAdminError {
    #[error("the node the administrator belongs to does not exist")]
    HomeNotFound,
    #[error("an administrator of this instance already has this e-mail")]
    DuplicateEmail,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A write to what a node owns.
#[derive(Debug, thiserror::Error)]
pub enum WriteOwnedError {
    #[error("the node does not exist")]
    NodeNotFound,
    /// The client's version of the document is not the stored one: nothing changed.
    #[error(transparent)]
    VersionMismatch(#[from] VersionMismatch),
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Debug, thiserror::Error)]
pub enum AddPriceError {
    #[error("the node does not exist")]
    NodeNotFound,
    #[error("the rate plan has no such destination")]
    UnknownDestination,
    /// The client's version of the rate plan is not the stored one: nothing changed.
    #[error(transparent)]
    VersionMismatch(#[from] VersionMismatch),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A change or deletion guarded by the resource's version and nothing else (administrators,
/// voice routes and policies deleted).
#[derive(Debug, thiserror::Error)]
pub enum VersionedWriteError {
    /// The change's expected version is not the stored one: nothing changed.
    #[error(transparent)]
    VersionMismatch(#[from] VersionMismatch),
    #[error(transparent)]
    Store(#[from] StoreError),
}
