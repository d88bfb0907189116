//! The port of the audit log. Applied changes are recorded by every write method of the other
//! ports, inside their own unit of work (so a change and its record commit together or not at
//! all); this port records the refusals, which change nothing, and reads the log back.

use crate::error::StoreError;
use async_trait::async_trait;
use canopy_domain::{AuditEntry, AuditScope, Change, Page, PageRequest};

#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait AuditStore: Send + Sync + 'static {
    /// Records `change` as refused for `reason`, in a unit of work of its own, with the lineage
    /// its node has now (none when the node is gone).
    async fn record_refusal(&self, change: &Change, reason: &str) -> Result<(), StoreError>;

    /// Records `change` as applied though it changed nothing the stores keep (an impersonation:
    /// an act worth a record), in a unit of work of its own, with its node's lineage.
    async fn record_action(&self, change: &Change) -> Result<(), StoreError>;

    /// One page of the instance's entries admitted by the request's scope, newest first.
    async fn list_audit(&self, request: &PageRequest<AuditScope>) -> Result<Page<AuditEntry>, StoreError>;
}
