//! The domain registry port: the DNS domains an instance knows, and those assigned to each tenant
//! (gone with the tenant). Site group creations and changes check a `defaultDomain` against the
//! tenant's under the tenant's lock, in their own unit of work (`NodeStore`), and may register it
//! there (`NewNode::register_domain`).

use crate::error::StoreError;
use async_trait::async_trait;
use canopy_domain::{Change, DraasDomain, InstanceSlug, NodeId};

#[derive(Debug, thiserror::Error)]
pub enum AssignDomainError {
    #[error("the tenant does not exist")]
    TenantNotFound,
    #[error("the instance has no such domain")]
    UnknownDomain,
    #[error(transparent)]
    Store(#[from] StoreError),
}

// automock must see the trait before async_trait rewrites it.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait DomainStore: Send + Sync + 'static {
    /// The instance's domains, in name order.
    async fn list_domains(&self, instance: &InstanceSlug) -> Result<Vec<DraasDomain>, StoreError>;

    /// Adds a domain to the instance; adding one it has changes nothing (and records nothing).
    /// Answers whether it was added.
    async fn add_domain(
        &self,
        instance: &InstanceSlug,
        domain: &DraasDomain,
        change: &Change,
    ) -> Result<bool, StoreError>;

    /// The tenant's domains, in name order; `None` when the instance has no such tenant.
    async fn tenant_domains(
        &self,
        instance: &InstanceSlug,
        tenant: NodeId,
    ) -> Result<Option<Vec<DraasDomain>>, StoreError>;

    /// Assigns one of the instance's domains to the tenant; assigning one it has changes nothing.
    async fn assign_domain(
        &self,
        instance: &InstanceSlug,
        tenant: NodeId,
        domain: &DraasDomain,
        change: &Change,
    ) -> Result<bool, AssignDomainError>;
}
