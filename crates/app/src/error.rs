//! What can go wrong in the node service, in terms a client can act on.

use canopy_domain::{ChildCounts, DomainError, NodeKind};
use canopy_storage::{CreateNodeError, DeleteNodeError, StoreError, UpdateNodeError};

#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    #[error("no such instance")]
    InstanceNotFound,
    #[error("no {0} with this uuid")]
    NotFound(NodeKind),
    /// A client value breaks a domain rule.
    #[error(transparent)]
    Invalid(#[from] DomainError),
    #[error("a sibling already has this name")]
    DuplicateName,
    #[error("a tenant of this instance already has this tenant id")]
    DuplicateTenantId,
    #[error("the {kind} still has children")]
    NotEmpty { kind: NodeKind, children: ChildCounts },
    #[error("the store is unavailable")]
    Unavailable(String),
    #[error(transparent)]
    Internal(anyhow::Error),
}

impl From<StoreError> for NodeError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Unavailable(reason) => Self::Unavailable(reason),
            StoreError::Backend(source) => Self::Internal(anyhow::Error::from_boxed(source)),
        }
    }
}

impl NodeError {
    pub(crate) fn from_create(err: CreateNodeError, parent_kind: Option<NodeKind>) -> Self {
        match err {
            CreateNodeError::ParentNotFound => Self::NotFound(parent_kind.unwrap_or(NodeKind::Group)),
            CreateNodeError::DuplicateName => Self::DuplicateName,
            CreateNodeError::DuplicateTenantId => Self::DuplicateTenantId,
            CreateNodeError::Store(err) => err.into(),
        }
    }

    pub(crate) fn from_update(err: UpdateNodeError, kind: NodeKind) -> Self {
        match err {
            UpdateNodeError::NotFound => Self::NotFound(kind),
            UpdateNodeError::DuplicateName => Self::DuplicateName,
            UpdateNodeError::DuplicateTenantId => Self::DuplicateTenantId,
            UpdateNodeError::Store(err) => err.into(),
        }
    }

    pub(crate) fn from_delete(err: DeleteNodeError, kind: NodeKind) -> Self {
        match err {
            DeleteNodeError::NotEmpty(children) => Self::NotEmpty { kind, children },
            DeleteNodeError::Store(err) => err.into(),
        }
    }
}
