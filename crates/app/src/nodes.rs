//! The node service: create, read, change, delete and list groups, distributors, resellers
//! and tenants.
//!
//! Every method authorizes first: the caller's instance and permission, decided before any
//! store call; then, for a node named by the path, that it lies in the caller's subtree. A node
//! outside it answers exactly as one that does not exist.

use crate::audit::Refusals;
use crate::caller::Caller;
use crate::error::NodeError;
use crate::instances::Instances;
use crate::onboarding::Onboarding;
use canopy_domain::{
    AdminDetails, CREATION_RULES, Change, CreationRule, DomainError, DraasDomain, Email, Holder, InstanceSlug,
    ListParams, ListScope, Node, NodeId, NodeKind, NodeName, PageRequest, Permission, Principal, Profile, TenantId,
    TokenKey, TokenPurpose, ensure_can_hold,
};
use canopy_storage::{Deleted, NewAdmin, NewNode, NodeChanges, NodeStore, NodeView, ParentRef};
use std::sync::Arc;
use uuid::Uuid;

/// A node to create, as the client sent it: raw text, parsed here into domain values.
#[derive(Debug, Clone, Default)]
pub struct NodeInput {
    pub name: String,
    pub draas_domain: Option<String>,
    pub tenant_id: Option<String>,
    /// A group's first administrator, created with it (e-mailed an activation link).
    pub admin_email: Option<String>,
}

/// Changes to a node, as the client sent them; `None` keeps the field.
#[derive(Debug, Clone, Default)]
pub struct NodeUpdate {
    pub name: Option<String>,
    /// `Some(None)` clears the domain.
    pub draas_domain: Option<Option<String>>,
    pub tenant_id: Option<String>,
}

/// One page of a list, described as the spec's list bodies describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPage {
    pub items: Vec<Node>,
    pub page: u64,
    pub pages: u64,
    pub results: u64,
    pub next: Option<String>,
}

pub struct NodeService<S: ?Sized> {
    store: Arc<S>,
    instances: Instances,
    token_key: TokenKey,
    onboarding: Onboarding,
    refusals: Refusals,
}

impl<S: NodeStore + ?Sized> NodeService<S> {
    pub fn new(store: Arc<S>, instances: Instances, token_key: TokenKey, onboarding: Onboarding) -> Self {
        Self { store, instances, token_key, onboarding, refusals: Refusals::default() }
    }

    /// Records the store's refusals of this service's changes.
    pub fn recording(self, refusals: Refusals) -> Self {
        Self { refusals, ..self }
    }

    pub(crate) fn onboarding(&self) -> &Onboarding {
        &self.onboarding
    }

    /// The instance of the path, where the caller may do what `permission` allows.
    fn authorize(&self, caller: &Principal, instance: &str, permission: Permission) -> Result<InstanceSlug, NodeError> {
        let instance = self.instances.resolve(instance)?;
        caller.authorize(&instance, permission)?;
        Ok(instance)
    }

    /// The node, if it exists in the caller's subtree; one outside it is not there.
    async fn reachable(
        &self,
        caller: &Principal,
        instance: &InstanceSlug,
        kind: NodeKind,
        id: Uuid,
    ) -> Result<Option<NodeView>, NodeError> {
        let view = self.store.get_node(instance, kind, NodeId(id)).await?;
        Ok(view.filter(|view| caller.reaches(&view.node)))
    }

    /// The creation rules, served read-only to clients.
    pub fn rules(&self, caller: &Principal, instance: &str) -> Result<&'static [CreationRule], NodeError> {
        self.authorize(caller, instance, Permission::RulesRead)?;
        Ok(CREATION_RULES)
    }

    pub async fn create(
        &self,
        caller: &Caller,
        instance: &str,
        parent: Option<(NodeKind, Uuid)>,
        kind: NodeKind,
        input: NodeInput,
    ) -> Result<Node, NodeError> {
        let instance = self.authorize(&caller.principal, instance, Permission::Create(kind))?;
        let holder = parent.map_or(Holder::Instance, |(parent_kind, _)| Holder::Node(parent_kind));
        ensure_can_hold(holder, kind)?;
        let first_admin = match (kind, input.admin_email) {
            (_, None) => None,
            (NodeKind::Group, Some(raw)) => Some(Email::parse(&raw)?),
            (_, Some(_)) => return Err(DomainError::invalid("adminEmail", "only groups are created with one").into()),
        };
        let mut new = NewNode {
            id: NodeId(Uuid::new_v4()),
            instance,
            kind,
            parent: parent.map(|(kind, id)| ParentRef { kind, id: NodeId(id) }),
            name: NodeName::parse(&input.name)?,
            draas_domain: parse_domain(kind, input.draas_domain.as_deref())?,
            tenant_id: match (kind, input.tenant_id) {
                (NodeKind::Tenant, Some(raw)) => Some(TenantId::parse(&raw)?),
                (NodeKind::Tenant, None) => return Err(DomainError::invalid("tenantId", "is required").into()),
                (_, Some(_)) => return Err(DomainError::invalid("tenantId", "only tenants have one").into()),
                (_, None) => None,
            },
            admin: None,
        };
        if let Some((parent_kind, parent_id)) = parent
            && caller.principal.home.is_some()
            && self.reachable(&caller.principal, &new.instance, parent_kind, parent_id).await?.is_none()
        {
            return Err(NodeError::NotFound(parent_kind));
        }
        // The first administrator is created with the node, its activation token with it; the
        // link is mailed once both are committed.
        let invitation = first_admin.map(|email| {
            let (token, stored) = self.onboarding.token(TokenPurpose::Activation);
            new.admin = Some(NewAdmin {
                instance: new.instance.clone(),
                profile: Profile::of_level(Some(kind)),
                home: Some(new.id),
                email: email.clone(),
                details: AdminDetails::default(),
                password_hash: None,
                must_change_password: false,
                token: Some(stored),
            });
            self.onboarding.letter(TokenPurpose::Activation, &email, &token)
        });
        let change = caller.change(format!("{}.create", kind.as_str()), Some(new.id));
        let result = self
            .store
            .create_node(new, &change)
            .await
            .map_err(|err| NodeError::from_create(err, parent.map(|(kind, _)| kind)));
        // A refused creation made no node: it is recorded on the parent, whose subtree it concerns.
        let on_parent = Change { node: parent.map(|(_, id)| NodeId(id)), ..change };
        let node = self.refusals.check(&on_parent, result).await?;
        if let Some(letter) = invitation {
            self.onboarding.letters().send_in_background(letter);
        }
        Ok(node)
    }

    pub async fn get(
        &self,
        caller: &Principal,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
    ) -> Result<NodeView, NodeError> {
        let instance = self.authorize(caller, instance, Permission::Read(kind))?;
        self.reachable(caller, &instance, kind, id).await?.ok_or(NodeError::NotFound(kind))
    }

    pub async fn update(
        &self,
        caller: &Caller,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
        update: NodeUpdate,
    ) -> Result<Node, NodeError> {
        let instance = self.authorize(&caller.principal, instance, Permission::Update(kind))?;
        let changes = NodeChanges {
            name: update.name.as_deref().map(NodeName::parse).transpose()?,
            draas_domain: match update.draas_domain {
                None => None,
                Some(raw) => Some(parse_domain(kind, raw.as_deref())?),
            },
            tenant_id: match update.tenant_id {
                Some(raw) if kind == NodeKind::Tenant => Some(TenantId::parse(&raw)?),
                Some(_) => return Err(DomainError::invalid("tenantId", "only tenants have one").into()),
                None => None,
            },
        };
        // System administrators reach every node: no lookup needed before the update.
        if caller.principal.home.is_some() && self.reachable(&caller.principal, &instance, kind, id).await?.is_none() {
            return Err(NodeError::NotFound(kind));
        }
        let change = caller.change(format!("{}.update", kind.as_str()), Some(NodeId(id)));
        let result = self
            .store
            .update_node(&instance, kind, NodeId(id), changes, &change)
            .await
            .map_err(|err| NodeError::from_update(err, kind));
        self.refusals.check(&change, result).await
    }

    /// Deletes an empty node; deleting a node that does not exist succeeds (idempotence), and so,
    /// changing nothing, does deleting one outside the caller's subtree.
    pub async fn delete(
        &self,
        caller: &Caller,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
    ) -> Result<Deleted, NodeError> {
        let instance = self.authorize(&caller.principal, instance, Permission::Delete(kind))?;
        if caller.principal.home.is_some() && self.reachable(&caller.principal, &instance, kind, id).await?.is_none() {
            return Ok(Deleted::Absent);
        }
        let change = caller.change(format!("{}.delete", kind.as_str()), Some(NodeId(id)));
        let result = self
            .store
            .delete_node(&instance, kind, NodeId(id), &change)
            .await
            .map_err(|err| NodeError::from_delete(err, kind));
        self.refusals.check(&change, result).await
    }

    /// One page of the `kind` children of `parent` (or of the instance's groups, cut to the
    /// caller's subtree before counting and paging).
    pub async fn list(
        &self,
        caller: &Principal,
        instance: &str,
        parent: Option<(NodeKind, Uuid)>,
        kind: NodeKind,
        params: ListParams,
    ) -> Result<ListPage, NodeError> {
        let instance = self.authorize(caller, instance, Permission::List(kind))?;
        // Below a reachable parent everything is reachable: only the instance's list is cut.
        let within = if parent.is_none() { caller.subtree() } else { None };
        let scope = ListScope { instance, parent: parent.map(|(_, id)| NodeId(id)), kind, within };
        let request = PageRequest::resolve(scope, params, &self.token_key)?;
        if let Some((parent_kind, parent_id)) = parent {
            // A list under a parent that does not exist (for this caller) is not an empty list.
            self.reachable(caller, &request.scope.instance, parent_kind, parent_id)
                .await?
                .ok_or(NodeError::NotFound(parent_kind))?;
        }
        let page = self.store.list_nodes(&request).await?;
        Ok(ListPage {
            next: request.next_token(page.total, page.items.last(), page.more, &self.token_key),
            page: request.page,
            pages: request.pages(page.total),
            results: page.total,
            items: page.items,
        })
    }
}

/// Only groups carry a domain; on other kinds the field is refused rather than ignored.
fn parse_domain(kind: NodeKind, raw: Option<&str>) -> Result<Option<DraasDomain>, DomainError> {
    match (kind, raw) {
        (_, None) => Ok(None),
        (NodeKind::Group, Some(raw)) => DraasDomain::parse(raw).map(Some),
        (_, Some(_)) => Err(DomainError::invalid("draasDomain", "only groups have one")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::{Letters, Outbox};
    use crate::testing::unit::{acting, caller};
    use crate::{AuthSettings, ManualClock};
    use canopy_domain::{ChildCounts, InstanceSlug, Lineage};
    use canopy_storage::{DeleteNodeError, MockNodeStore};

    fn service(store: MockNodeStore) -> NodeService<MockNodeStore> {
        let instances = Instances::new([InstanceSlug::parse("default").unwrap()]);
        let letters = Letters::new(Arc::new(Outbox::new()), "http://portal");
        let onboarding = Onboarding::new(Arc::new(ManualClock::default()), letters, AuthSettings::default());
        NodeService::new(Arc::new(store), instances, TokenKey::new(vec![0; 32]), onboarding)
    }

    fn system() -> Principal {
        caller(Profile::SystemAdmin, None)
    }

    fn input(name: &str) -> NodeInput {
        NodeInput { name: name.into(), ..Default::default() }
    }

    fn view(kind: NodeKind, id: u128, lineage: Lineage) -> NodeView {
        let node = Node {
            id: NodeId(Uuid::from_u128(id)),
            instance: InstanceSlug::parse("default").unwrap(),
            kind,
            parent: None,
            lineage,
            name: NodeName::parse("N").unwrap(),
            draas_domain: None,
            tenant_id: None,
            version: canopy_domain::Version::FIRST,
        };
        NodeView { node, subtree: Default::default() }
    }

    #[tokio::test]
    async fn an_unknown_instance_is_rejected_before_any_store_call() {
        // A mock with no expectations panics on any call.
        let service = service(MockNodeStore::new());
        let err = service.create(&acting(&system()), "nowhere", None, NodeKind::Group, input("G")).await.unwrap_err();
        assert!(matches!(err, NodeError::InstanceNotFound));
        let err = service.get(&system(), "NOT A SLUG", NodeKind::Group, Uuid::nil()).await.unwrap_err();
        assert!(matches!(err, NodeError::InstanceNotFound));
    }

    #[tokio::test]
    async fn a_missing_permission_is_refused_before_any_store_call() {
        let service = service(MockNodeStore::new());
        let tenant_admin = caller(Profile::TenantAdmin, Some(9));
        let err =
            service.create(&acting(&tenant_admin), "default", None, NodeKind::Group, input("G")).await.unwrap_err();
        assert!(matches!(err, NodeError::Forbidden(Permission::Create(NodeKind::Group))), "{err:?}");
        let err = service.delete(&acting(&tenant_admin), "default", NodeKind::Tenant, Uuid::nil()).await.unwrap_err();
        assert!(matches!(err, NodeError::Forbidden(Permission::Delete(NodeKind::Tenant))), "{err:?}");
        let group_admin = caller(Profile::GroupAdmin, Some(9));
        let err =
            service.update(&acting(&group_admin), "default", NodeKind::Group, Uuid::nil(), NodeUpdate::default()).await;
        assert!(matches!(err, Err(NodeError::Forbidden(Permission::Update(NodeKind::Group)))), "{err:?}");
        let err = service.list(&tenant_admin, "default", None, NodeKind::Group, ListParams::default()).await;
        assert!(matches!(err, Err(NodeError::Forbidden(Permission::List(NodeKind::Group)))), "{err:?}");
    }

    #[tokio::test]
    async fn an_administrator_of_another_instance_meets_an_instance_that_does_not_exist() {
        let service = service(MockNodeStore::new());
        let mut elsewhere = system();
        elsewhere.instance = InstanceSlug::parse("other").unwrap();
        let err = service.get(&elsewhere, "default", NodeKind::Group, Uuid::nil()).await.unwrap_err();
        assert!(matches!(err, NodeError::InstanceNotFound), "{err:?}");
    }

    #[tokio::test]
    async fn a_node_outside_the_subtree_is_not_found_and_never_changed() {
        let mut store = MockNodeStore::new();
        // The reseller admin's home is 2; node 7 is a tenant of another reseller.
        let sibling = Lineage {
            group: Some(NodeId(Uuid::from_u128(1))),
            reseller: Some(NodeId(Uuid::from_u128(5))),
            ..Default::default()
        };
        store.expect_get_node().returning(move |_, _, _| Ok(Some(view(NodeKind::Tenant, 7, sibling))));
        store.expect_update_node().never();
        store.expect_delete_node().never();
        let service = service(store);
        let reseller_admin = caller(Profile::ResellerAdmin, Some(2));
        let id = Uuid::from_u128(7);
        let err = service.get(&reseller_admin, "default", NodeKind::Tenant, id).await.unwrap_err();
        assert!(matches!(err, NodeError::NotFound(NodeKind::Tenant)), "{err:?}");
        let update = NodeUpdate { name: Some("X".into()), ..Default::default() };
        let err = service.update(&acting(&reseller_admin), "default", NodeKind::Tenant, id, update).await.unwrap_err();
        assert!(matches!(err, NodeError::NotFound(NodeKind::Tenant)), "{err:?}");
        let deleted = service.delete(&acting(&reseller_admin), "default", NodeKind::Tenant, id).await.unwrap();
        assert_eq!(deleted, Deleted::Absent, "answered as a node that does not exist");
    }

    #[tokio::test]
    async fn a_group_administrator_lists_groups_cut_to_its_own() {
        let mut store = MockNodeStore::new();
        store
            .expect_list_nodes()
            .withf(|request| request.scope.within == Some(NodeId(Uuid::from_u128(4))))
            .times(1)
            .returning(|_| Ok(canopy_storage::Page { items: vec![], total: 0, more: false }));
        let group_admin = caller(Profile::GroupAdmin, Some(4));
        service(store).list(&group_admin, "default", None, NodeKind::Group, ListParams::default()).await.unwrap();
    }

    #[tokio::test]
    async fn invalid_input_never_reaches_the_store() {
        let service = service(MockNodeStore::new());
        for (kind, parent, input) in [
            (NodeKind::Group, None, input("  ")),
            (NodeKind::Group, None, NodeInput { draas_domain: Some("bad domain".into()), ..input("G") }),
            (NodeKind::Group, None, NodeInput { admin_email: Some("not an address".into()), ..input("G") }),
            (NodeKind::Tenant, Some((NodeKind::Group, Uuid::nil())), input("T")),
            (
                NodeKind::Reseller,
                Some((NodeKind::Group, Uuid::nil())),
                NodeInput { tenant_id: Some("x".into()), ..input("R") },
            ),
            (
                NodeKind::Distributor,
                Some((NodeKind::Group, Uuid::nil())),
                NodeInput { admin_email: Some("a@b.c".into()), ..input("D") },
            ),
            (NodeKind::Group, Some((NodeKind::Tenant, Uuid::nil())), input("G")),
        ] {
            let result = service.create(&acting(&system()), "default", parent, kind, input).await;
            assert!(matches!(result, Err(NodeError::Invalid(_))), "{result:?}");
        }
    }

    #[tokio::test]
    async fn a_store_refusal_to_delete_becomes_not_empty_with_its_counts() {
        let mut store = MockNodeStore::new();
        let children = ChildCounts { distributors: 0, resellers: 1, tenants: 2 };
        store.expect_delete_node().times(1).returning(move |_, _, _, _| Err(DeleteNodeError::NotEmpty(children)));
        let err = service(store).delete(&acting(&system()), "default", NodeKind::Group, Uuid::nil()).await.unwrap_err();
        assert!(matches!(err, NodeError::NotEmpty { kind: NodeKind::Group, children: c } if c == children));
    }

    #[tokio::test]
    async fn a_stale_version_refused_by_the_store_becomes_a_version_mismatch() {
        use canopy_domain::{Version, VersionMismatch};
        let mismatch = VersionMismatch { expected: Version(1), current: Version(4) };
        let mut store = MockNodeStore::new();
        store
            .expect_delete_node()
            .withf(|_, _, _, change| change.expected == Some(Version(1)))
            .times(1)
            .returning(move |_, _, _, _| Err(DeleteNodeError::VersionMismatch(mismatch)));
        let mut caller = acting(&system());
        caller.request.expected = Some(Version(1));
        let err = service(store).delete(&caller, "default", NodeKind::Group, Uuid::nil()).await.unwrap_err();
        assert!(matches!(err, NodeError::VersionMismatch(m) if m == mismatch), "{err:?}");
    }

    #[tokio::test]
    async fn listing_under_a_missing_parent_is_not_found_and_lists_nothing() {
        let mut store = MockNodeStore::new();
        store.expect_get_node().times(1).returning(|_, _, _| Ok(None));
        store.expect_list_nodes().never();
        let params = ListParams::default();
        let result = service(store)
            .list(&system(), "default", Some((NodeKind::Reseller, Uuid::nil())), NodeKind::Tenant, params)
            .await;
        assert!(matches!(result, Err(NodeError::NotFound(NodeKind::Reseller))), "{result:?}");
    }

    #[tokio::test]
    async fn a_tampered_next_token_is_invalid_and_never_reaches_the_store() {
        let mut store = MockNodeStore::new();
        store.expect_list_nodes().never();
        let params = ListParams { next: Some("forged.token".into()), ..Default::default() };
        let result = service(store).list(&system(), "default", None, NodeKind::Group, params).await;
        assert!(matches!(result, Err(NodeError::Invalid(DomainError::InvalidNextToken(_)))), "{result:?}");
    }
}
