//! Canopy's storage ports and their adapters.
//!
//! A port is a trait in domain types; each method is one atomic unit of work (one transaction
//! in PostgreSQL, one lock in memory). Both adapters pass the same contract suite
//! ([`contract`]).

pub mod error;
pub mod memory;
pub mod nodes;
pub mod postgres;

#[doc(hidden)]
pub mod contract;
#[doc(hidden)]
pub mod testing;

pub use error::{CreateNodeError, DeleteNodeError, StoreError, UpdateNodeError};
pub use memory::MemoryStore;
#[cfg(any(test, feature = "mocks"))]
pub use nodes::MockNodeStore;
pub use nodes::{Deleted, NewNode, NodeChanges, NodeStore, NodeView, Page, ParentRef, PoolStats};
pub use postgres::PostgresStore;
