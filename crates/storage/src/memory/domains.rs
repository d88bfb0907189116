//! The memory adapter's domain registry, under the one lock: the instance's domains, each
//! tenant's (removed with the tenant), and the check of a site group's `defaultDomain` that node
//! creations and changes make before they change anything.

use super::{MemoryStore, State};
use crate::domains::{AssignDomainError, DomainStore};
use crate::error::StoreError;
use async_trait::async_trait;
use canopy_domain::{
    Change, DomainError, DomainUse, DraasDomain, InstanceSlug, Node, NodeId, NodeKind, claimed_default_domain,
    default_domain_use,
};
use std::collections::{BTreeSet, HashMap};

#[derive(Default)]
pub(super) struct Domains {
    instances: HashMap<InstanceSlug, BTreeSet<String>>,
    tenants: HashMap<NodeId, BTreeSet<String>>,
}

impl Domains {
    pub(super) fn remove_tenant(&mut self, tenant: NodeId) {
        self.tenants.remove(&tenant);
    }

    fn assigned(&self, tenant: NodeId, domain: &str) -> bool {
        self.tenants.get(&tenant).is_some_and(|domains| domains.contains(domain))
    }

    fn register(&mut self, instance: &InstanceSlug, tenant: NodeId, domain: &str) {
        self.instances.entry(instance.clone()).or_default().insert(domain.to_owned());
        self.tenants.entry(tenant).or_default().insert(domain.to_owned());
    }
}

impl State {
    /// What a site group (new, or as changed from `old`) does about its `defaultDomain`, decided
    /// before anything changes; [`State::use_domain`] applies it.
    pub(super) fn check_domain(
        &self,
        node: &Node,
        old: Option<&Node>,
        register: bool,
    ) -> Result<DomainUse, DomainError> {
        let (Some(domain), Some(tenant)) = (claimed_default_domain(node, old), node.lineage.tenant) else {
            return Ok(DomainUse::Nothing);
        };
        default_domain_use(self.domains.assigned(tenant, domain.as_str()), register)
    }

    pub(super) fn use_domain(&mut self, node: &Node, decided: DomainUse) {
        let domain = node.attributes.site_group().and_then(|g| g.default_domain());
        if let (DomainUse::Register, Some(tenant), Some(domain)) = (decided, node.lineage.tenant, domain) {
            self.domains.register(&node.instance, tenant, domain.as_str());
        }
    }
}

fn parsed(names: Option<&BTreeSet<String>>) -> Vec<DraasDomain> {
    names.into_iter().flatten().filter_map(|name| DraasDomain::parse(name).ok()).collect()
}

#[async_trait]
impl DomainStore for MemoryStore {
    async fn list_domains(&self, instance: &InstanceSlug) -> Result<Vec<DraasDomain>, StoreError> {
        Ok(parsed(self.read().domains.instances.get(instance)))
    }

    async fn add_domain(
        &self,
        instance: &InstanceSlug,
        domain: &DraasDomain,
        change: &Change,
    ) -> Result<bool, StoreError> {
        let mut state = self.write_as(change)?;
        let added = state.domains.instances.entry(instance.clone()).or_default().insert(domain.as_str().to_owned());
        if added {
            state.record(change);
        }
        Ok(added)
    }

    async fn tenant_domains(
        &self,
        instance: &InstanceSlug,
        tenant: NodeId,
    ) -> Result<Option<Vec<DraasDomain>>, StoreError> {
        let state = self.read();
        if state.node(instance, NodeKind::Tenant, tenant).is_none() {
            return Ok(None);
        }
        Ok(Some(parsed(state.domains.tenants.get(&tenant))))
    }

    async fn assign_domain(
        &self,
        instance: &InstanceSlug,
        tenant: NodeId,
        domain: &DraasDomain,
        change: &Change,
    ) -> Result<bool, AssignDomainError> {
        let mut state = self.write_as(change)?;
        if state.node(instance, NodeKind::Tenant, tenant).is_none() {
            return Err(AssignDomainError::TenantNotFound);
        }
        if !state.domains.instances.get(instance).is_some_and(|domains| domains.contains(domain.as_str())) {
            return Err(AssignDomainError::UnknownDomain);
        }
        let added = state.domains.tenants.entry(tenant).or_default().insert(domain.as_str().to_owned());
        if added {
            state.record(change);
        }
        Ok(added)
    }
}
