//! Canopy's storage ports and their adapters.
//!
//! A port is a trait in domain types; each method is one atomic unit of work (one transaction
//! in PostgreSQL, one lock in memory). Both adapters pass the same contract suite
//! ([`contract`]).

pub mod accounts;
pub mod audit;
pub mod belongings;
pub mod configurations;
pub mod error;
pub mod memory;
pub mod nodes;
pub mod owned_versions;
pub mod postgres;
pub mod voice_routing;

#[doc(hidden)]
pub mod contract;
#[doc(hidden)]
pub mod testing;

#[cfg(any(test, feature = "mocks"))]
pub use accounts::MockAccountStore;
pub use accounts::{
    AccountStore, AdminChanges, LoginLookup, LoginRecord, NewAdmin, NewOneTimeToken, NewSession, TokenHash,
};
#[cfg(any(test, feature = "mocks"))]
pub use audit::MockAuditStore;
pub use audit::{AuditPage, AuditStore};
#[cfg(any(test, feature = "mocks"))]
pub use belongings::MockBelongingStore;
pub use belongings::{BelongingStore, RatePlan};
#[cfg(any(test, feature = "mocks"))]
pub use configurations::MockConfigStore;
pub use configurations::{ConfigStore, WriteConfigError};
pub use error::{
    AddPriceError, CreateAdminError, CreateNodeError, DeleteNodeError, StoreError, UpdateNodeError,
    VersionedWriteError, WriteBelongingError,
};

/// Everything Canopy keeps: one store serves every port, so that a node and its administrators
/// change together (a group created with its first administrator, a node deleted with its own
/// administrators, configuration and other belongings).
pub trait Store: NodeStore + AccountStore + BelongingStore + ConfigStore + VoiceRoutingStore + AuditStore {}

impl<S: NodeStore + AccountStore + BelongingStore + ConfigStore + VoiceRoutingStore + AuditStore> Store for S {}

pub use memory::MemoryStore;
#[cfg(any(test, feature = "mocks"))]
pub use nodes::MockNodeStore;
pub use nodes::{Deleted, NewNode, NodeChanges, NodeStore, NodeView, Page, ParentRef, PoolStats};
pub use owned_versions::OwnedDocument;
pub use postgres::{ConnectionTarget, PostgresSettings, PostgresStore, TlsMode};
#[cfg(any(test, feature = "mocks"))]
pub use voice_routing::MockVoiceRoutingStore;
pub use voice_routing::{
    DeleteUsageError, NewPolicy, NewRoute, PolicyChanges, RouteChanges, VoicePage, VoiceRoutingStore, VoiceWriteError,
};
