//! The node service: create, read, change, delete and list groups, distributors, resellers
//! and tenants.

use crate::caller::Caller;
use crate::error::NodeError;
use crate::instances::Instances;
use canopy_domain::{
    CREATION_RULES, CreationRule, DomainError, DraasDomain, Holder, ListParams, ListScope, Node, NodeId, NodeKind,
    NodeName, PageRequest, TenantId, TokenKey, ensure_can_hold,
};
use canopy_storage::{Deleted, NewNode, NodeChanges, NodeStore, NodeView, ParentRef};
use std::sync::Arc;
use uuid::Uuid;

/// A node to create, as the client sent it: raw text, parsed here into domain values.
#[derive(Debug, Clone, Default)]
pub struct NodeInput {
    pub name: String,
    pub draas_domain: Option<String>,
    pub tenant_id: Option<String>,
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
}

impl<S: NodeStore + ?Sized> NodeService<S> {
    pub fn new(store: Arc<S>, instances: Instances, token_key: TokenKey) -> Self {
        Self { store, instances, token_key }
    }

    /// The creation rules, served read-only to clients.
    pub fn rules(&self, _caller: &Caller, instance: &str) -> Result<&'static [CreationRule], NodeError> {
        self.instances.resolve(instance)?;
        Ok(CREATION_RULES)
    }

    pub async fn create(
        &self,
        _caller: &Caller,
        instance: &str,
        parent: Option<(NodeKind, Uuid)>,
        kind: NodeKind,
        input: NodeInput,
    ) -> Result<Node, NodeError> {
        let instance = self.instances.resolve(instance)?;
        let holder = parent.map_or(Holder::Instance, |(parent_kind, _)| Holder::Node(parent_kind));
        ensure_can_hold(holder, kind)?;
        let new = NewNode {
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
        };
        self.store.create_node(new).await.map_err(|err| NodeError::from_create(err, parent.map(|(kind, _)| kind)))
    }

    pub async fn get(&self, _caller: &Caller, instance: &str, kind: NodeKind, id: Uuid) -> Result<NodeView, NodeError> {
        let instance = self.instances.resolve(instance)?;
        self.store.get_node(&instance, kind, NodeId(id)).await?.ok_or(NodeError::NotFound(kind))
    }

    pub async fn update(
        &self,
        _caller: &Caller,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
        update: NodeUpdate,
    ) -> Result<Node, NodeError> {
        let instance = self.instances.resolve(instance)?;
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
        self.store
            .update_node(&instance, kind, NodeId(id), changes)
            .await
            .map_err(|err| NodeError::from_update(err, kind))
    }

    /// Deletes an empty node; deleting a node that does not exist succeeds (idempotence).
    pub async fn delete(
        &self,
        _caller: &Caller,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
    ) -> Result<Deleted, NodeError> {
        let instance = self.instances.resolve(instance)?;
        self.store.delete_node(&instance, kind, NodeId(id)).await.map_err(|err| NodeError::from_delete(err, kind))
    }

    /// One page of the `kind` children of `parent` (or of the instance's groups).
    pub async fn list(
        &self,
        _caller: &Caller,
        instance: &str,
        parent: Option<(NodeKind, Uuid)>,
        kind: NodeKind,
        params: ListParams,
    ) -> Result<ListPage, NodeError> {
        let instance = self.instances.resolve(instance)?;
        let scope = ListScope { instance, parent: parent.map(|(_, id)| NodeId(id)), kind };
        let request = PageRequest::resolve(scope, params, &self.token_key)?;
        if let Some((parent_kind, parent_id)) = parent {
            // A list under a parent that does not exist is not an empty list.
            self.store
                .get_node(&request.scope.instance, parent_kind, NodeId(parent_id))
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
    use canopy_domain::{ChildCounts, InstanceSlug};
    use canopy_storage::{DeleteNodeError, MockNodeStore};

    fn service(store: MockNodeStore) -> NodeService<MockNodeStore> {
        let instances = Instances::new([InstanceSlug::parse("default").unwrap()]);
        NodeService::new(Arc::new(store), instances, TokenKey::new(vec![0; 32]))
    }

    fn input(name: &str) -> NodeInput {
        NodeInput { name: name.into(), ..Default::default() }
    }

    #[tokio::test]
    async fn an_unknown_instance_is_rejected_before_any_store_call() {
        // A mock with no expectations panics on any call.
        let service = service(MockNodeStore::new());
        let caller = Caller::system();
        let err = service.create(&caller, "nowhere", None, NodeKind::Group, input("G")).await.unwrap_err();
        assert!(matches!(err, NodeError::InstanceNotFound));
        let err = service.get(&caller, "NOT A SLUG", NodeKind::Group, Uuid::nil()).await.unwrap_err();
        assert!(matches!(err, NodeError::InstanceNotFound));
    }

    #[tokio::test]
    async fn invalid_input_never_reaches_the_store() {
        let service = service(MockNodeStore::new());
        let caller = Caller::system();
        for (kind, parent, input) in [
            (NodeKind::Group, None, input("  ")),
            (NodeKind::Group, None, NodeInput { draas_domain: Some("bad domain".into()), ..input("G") }),
            (NodeKind::Tenant, Some((NodeKind::Group, Uuid::nil())), input("T")),
            (
                NodeKind::Reseller,
                Some((NodeKind::Group, Uuid::nil())),
                NodeInput { tenant_id: Some("x".into()), ..input("R") },
            ),
            (NodeKind::Group, Some((NodeKind::Tenant, Uuid::nil())), input("G")),
        ] {
            let result = service.create(&caller, "default", parent, kind, input).await;
            assert!(matches!(result, Err(NodeError::Invalid(_))), "{result:?}");
        }
    }

    #[tokio::test]
    async fn a_store_refusal_to_delete_becomes_not_empty_with_its_counts() {
        let mut store = MockNodeStore::new();
        let children = ChildCounts { distributors: 0, resellers: 1, tenants: 2 };
        store.expect_delete_node().times(1).returning(move |_, _, _| Err(DeleteNodeError::NotEmpty(children)));
        let err = service(store).delete(&Caller::system(), "default", NodeKind::Group, Uuid::nil()).await.unwrap_err();
        assert!(matches!(err, NodeError::NotEmpty { kind: NodeKind::Group, children: c } if c == children));
    }

    #[tokio::test]
    async fn listing_under_a_missing_parent_is_not_found_and_lists_nothing() {
        let mut store = MockNodeStore::new();
        store.expect_get_node().times(1).returning(|_, _, _| Ok(None));
        store.expect_list_nodes().never();
        let params = ListParams::default();
        let result = service(store)
            .list(&Caller::system(), "default", Some((NodeKind::Reseller, Uuid::nil())), NodeKind::Tenant, params)
            .await;
        assert!(matches!(result, Err(NodeError::NotFound(NodeKind::Reseller))), "{result:?}");
    }

    #[tokio::test]
    async fn a_tampered_next_token_is_invalid_and_never_reaches_the_store() {
        let mut store = MockNodeStore::new();
        store.expect_list_nodes().never();
        let params = ListParams { next: Some("forged.token".into()), ..Default::default() };
        let result = service(store).list(&Caller::system(), "default", None, NodeKind::Group, params).await;
        assert!(matches!(result, Err(NodeError::Invalid(DomainError::InvalidNextToken(_)))), "{result:?}");
    }
}
