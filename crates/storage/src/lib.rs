//! Canopy's storage ports and their adapters.
//!
//! A port is a trait in domain types; each method is one atomic unit of work (one transaction
//! in PostgreSQL, one lock in memory). Both adapters pass the same contract suite (the dev-only
//! crate `canopy-contract`, run by `tests/contract.rs`).

pub mod accounts;
pub mod admins;
pub mod audit;
pub mod auth_codes;
pub mod configurations;
pub mod domains;
pub mod error;
pub mod lifecycle;
pub mod memory;
pub mod nodes;
pub mod owned;
pub mod owned_versions;
pub mod postgres;
pub mod user_groups;
pub mod voice_routing;

#[cfg(any(test, feature = "mocks"))]
pub use accounts::MockAccountStore;
pub use accounts::{AccountStore, LoginLookup, LoginRecord, NewOneTimeToken, NewSession, TokenHash};
#[cfg(any(test, feature = "mocks"))]
pub use admins::MockAdminStore;
pub use admins::{AdminChanges, AdminStore, NewAdmin};
pub use audit::AuditStore;
#[cfg(any(test, feature = "mocks"))]
pub use audit::MockAuditStore;
#[cfg(any(test, feature = "mocks"))]
pub use auth_codes::MockAuthCodeStore;
pub use auth_codes::{AuthCodeStore, CodesError};
#[cfg(any(test, feature = "mocks"))]
pub use configurations::MockConfigStore;
pub use configurations::{ConfigStore, WriteConfigError};
#[cfg(any(test, feature = "mocks"))]
pub use domains::MockDomainStore;
pub use domains::{AssignDomainError, DomainStore};
pub use error::{
    AddPriceError, CreateAdminError, CreateNodeError, DeleteNodeError, StoreError, TreeLockError, UpdateNodeError,
    VersionedWriteError, WriteOwnedError,
};
#[cfg(any(test, feature = "mocks"))]
pub use owned::MockOwnedStore;
pub use owned::{OwnedStore, RatePlan};

/// Everything Canopy keeps: one store serves every port, so that a node and its administrators
/// change together (a group created with its first administrator, a node deleted with its own
/// administrators, configuration and everything else it owns).
pub trait Store:
    Lifecycle
    + NodeStore
    + AdminStore
    + AccountStore
    + OwnedStore
    + ConfigStore
    + VoiceRoutingStore
    + UserGroupStore
    + AuditStore
    + AuthCodeStore
    + DomainStore
{
}

impl<S> Store for S where
    S: Lifecycle
        + NodeStore
        + AdminStore
        + AccountStore
        + OwnedStore
        + ConfigStore
        + VoiceRoutingStore
        + UserGroupStore
        + AuditStore
        + AuthCodeStore
        + DomainStore
{
}

#[cfg(any(test, feature = "mocks"))]
pub use lifecycle::MockLifecycle;
pub use lifecycle::{Lifecycle, PoolStats};
pub use memory::MemoryStore;
#[cfg(any(test, feature = "mocks"))]
pub use nodes::MockNodeStore;
pub use nodes::{Deleted, Located, NewNode, NodeChanges, NodeStore, NodeView, ParentRef, Updated};
pub use owned_versions::OwnedDocument;
pub use postgres::{ConnectionTarget, PostgresSettings, PostgresStore, TlsMode};
#[cfg(any(test, feature = "mocks"))]
pub use user_groups::MockUserGroupStore;
pub use user_groups::{UserGroupPage, UserGroupStore, UserGroupWriteError};
#[cfg(any(test, feature = "mocks"))]
pub use voice_routing::MockVoiceRoutingStore;
pub use voice_routing::{
    DeleteUsageError, NewPolicy, NewRoute, PolicyChanges, RouteChanges, VoiceRoutingStore, VoiceWriteError,
};
