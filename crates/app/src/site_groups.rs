//! Site groups created the way APIO creates groups (G2), and the domain registry their
//! `defaultDomain` is checked against. A creation reads APIO's settings along its tenant's lineage
//! (`GroupSettings`: the tenant's configuration, then its ancestors', nearest first), lays the
//! body over a group template (named, else the default one), and registers an unknown
//! `defaultDomain` when `autoCreateDomain` (or the setting) says so: the registration and the
//! group commit together (`NewNode::register_domain`). `resellerId` must name the tenant's own
//! reseller: Canopy resellers are tree nodes, never created on the side.

use crate::audit::Refusals;
use crate::caller::Caller;
use crate::error::AppError;
use crate::gate::Gate;
use crate::nodes::{NodeInput, NodeService};
use crate::write::{Reached, Target, Writes};
use canopy_domain::{
    Change, DomainError, DraasDomain, GroupSettings, InstanceSlug, Node, NodeId, NodeKind, Owned, Permission,
    Principal, Properties, Verb, laid_over, text,
};
use canopy_storage::{AssignDomainError, ConfigStore, DomainStore, NodeStore};
use std::sync::Arc;
use uuid::Uuid;

/// What a creation says beyond the group's own fields.
#[derive(Debug, Clone, Default)]
pub struct SiteGroupOptions {
    pub template_name: Option<String>,
    pub reseller_id: Option<String>,
    pub auto_create_domain: Option<bool>,
}

pub struct SiteGroupService {
    nodes: Arc<NodeService>,
    store: Arc<dyn NodeStore>,
    configs: Arc<dyn ConfigStore>,
    domains: Arc<dyn DomainStore>,
    writes: Writes,
}

fn tenant_domains(verb: Verb) -> Permission {
    Permission::Owned(NodeKind::Tenant, Owned::Domains, verb)
}

impl SiteGroupService {
    pub fn new(
        gate: Gate,
        nodes: Arc<NodeService>,
        store: Arc<dyn NodeStore>,
        configs: Arc<dyn ConfigStore>,
        domains: Arc<dyn DomainStore>,
    ) -> Self {
        Self { nodes, store, configs, domains, writes: Writes::new(gate) }
    }

    /// Records the store's refusals of this service's changes.
    pub fn recording(self, refusals: Refusals) -> Self {
        Self { writes: self.writes.recording(refusals), ..self }
    }

    /// Creates a site group of `tenant` with `options` applied (see the module documentation).
    pub async fn create(
        &self,
        caller: &Caller,
        instance: &str,
        tenant: NodeId,
        mut input: NodeInput,
        options: SiteGroupOptions,
    ) -> Result<Node, AppError> {
        let permission = Permission::Create(NodeKind::SiteGroup);
        let (slug, tenant_view) =
            self.writes.gate().node(&caller.principal, instance, NodeKind::Tenant, tenant, permission).await?;
        let tenant_node = &tenant_view.node;
        if let Some(reseller) = &options.reseller_id {
            self.check_reseller(&slug, tenant_node, reseller).await?;
        }
        let lineage = self.settings_of(tenant_node).await?;
        let settings = GroupSettings::new(&lineage);
        if let Some(defaults) = settings.template(options.template_name.as_deref())? {
            input.attributes = laid_over(defaults, std::mem::take(&mut input.attributes));
        }
        input.register_domain = settings.auto_create_domain(options.auto_create_domain);
        self.nodes.create(caller, instance, Some((NodeKind::Tenant, tenant.0)), NodeKind::SiteGroup, input).await
    }

    /// The configurations of the tenant and its ancestors, nearest first.
    async fn settings_of(&self, tenant: &Node) -> Result<Vec<Properties>, AppError> {
        crate::configuration::configs_nearest_first(&*self.configs, tenant).await
    }

    /// `resellerId` names the tenant's own reseller, by uuid or by name (case-insensitively).
    async fn check_reseller(&self, instance: &InstanceSlug, tenant: &Node, named: &str) -> Result<(), AppError> {
        let refused =
            || DomainError::invalid("resellerId", "must name the tenant's own reseller (its uuid or its name)");
        let Some(reseller) = tenant.lineage.reseller else { return Err(refused().into()) };
        if Uuid::parse_str(named.trim()).is_ok_and(|uuid| uuid == reseller.0) {
            return Ok(());
        }
        let view = self.store.get_node(instance, NodeKind::Reseller, reseller).await?.ok_or_else(refused)?;
        if view.node.name.key() == text::search_key(named) { Ok(()) } else { Err(refused().into()) }
    }

    /// The instance's domains.
    pub async fn domains(&self, caller: &Principal, instance: &str) -> Result<Vec<DraasDomain>, AppError> {
        let instance = self.writes.gate().instance(caller, instance, Permission::InstanceDomains(Verb::List))?;
        Ok(self.domains.list_domains(&instance).await?)
    }

    /// Adds a domain to the instance (the system's); answers whether it was new.
    pub async fn add_domain(&self, caller: &Caller, instance: &str, domain: &str) -> Result<bool, AppError> {
        let parse = || DraasDomain::parse(domain).map_err(|err| err.renamed("domain"));
        let apply = async |at: &Reached, domain: DraasDomain, change: &Change| {
            Ok(self.domains.add_domain(&at.instance, &domain, change).await?)
        };
        let permission = Permission::InstanceDomains(Verb::Create);
        self.writes.run(caller, instance, Target::Instance, permission, "domains.create", parse, apply).await
    }

    /// The tenant's domains.
    pub async fn tenant_domains(
        &self,
        caller: &Principal,
        instance: &str,
        tenant: Uuid,
    ) -> Result<Vec<DraasDomain>, AppError> {
        let gate = self.writes.gate();
        let (instance, _) = gate.node(caller, instance, NodeKind::Tenant, tenant, tenant_domains(Verb::List)).await?;
        let found = self.domains.tenant_domains(&instance, NodeId(tenant)).await?;
        found.ok_or(AppError::NotFound(NodeKind::Tenant))
    }

    /// Assigns one of the instance's domains to the tenant; answers whether it was new there.
    pub async fn assign_domain(
        &self,
        caller: &Caller,
        instance: &str,
        tenant: Uuid,
        domain: &str,
    ) -> Result<bool, AppError> {
        let parse = || DraasDomain::parse(domain).map_err(|err| err.renamed("domain"));
        let apply = async |at: &Reached, domain: DraasDomain, change: &Change| {
            let tenant = at.id.expect("an assignment reaches its tenant");
            match self.domains.assign_domain(&at.instance, tenant, &domain, change).await {
                Ok(added) => Ok(added),
                Err(AssignDomainError::TenantNotFound) => Err(AppError::NotFound(NodeKind::Tenant)),
                Err(AssignDomainError::UnknownDomain) => Err(DomainError::invalid(
                    "domain",
                    "is not one of the instance's domains: add it first (POST …/domains/)",
                )
                .into()),
                Err(AssignDomainError::Store(err)) => Err(err.into()),
            }
        };
        let target = Target::Reach(NodeKind::Tenant, tenant.into());
        self.writes.run(caller, instance, target, tenant_domains(Verb::Create), "domains.assign", parse, apply).await
    }
}
