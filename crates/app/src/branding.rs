//! The branding documents of a node: the effective document (its own, else the nearest
//! ancestor's, else the instance's own, else the built-in default), the node's own replacement
//! of it and its deletion (the node inherits again); and the instance's own documents, which only
//! system administrators read and change. The portal's brand and logo are two more of a node's
//! documents ([`portal`]).

mod portal;

pub use portal::BrandWrite;

use crate::audit::Refusals;
use crate::caller::Caller;
use crate::error::AppError;
use crate::gate::Gate;
use crate::write::{Reached, Target, Writes};
use canopy_domain::{
    BrandingDocument, BrandingKey, Change, NodeKind, Owned, Permission, Principal, Verb, Version, effective,
};
use canopy_storage::OwnedStore;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// What a read asks for (`full`, `keys`, `search` of the query).
#[derive(Debug, Clone, Default)]
pub struct BrandingQuery {
    pub full: bool,
    pub keys: Option<String>,
    pub search: Option<String>,
}

pub struct BrandingService {
    writes: Writes,
    store: Arc<dyn OwnedStore>,
}

impl BrandingService {
    pub fn new(gate: Gate, store: Arc<dyn OwnedStore>) -> Self {
        Self { writes: Writes::new(gate), store }
    }

    /// Records the store's refusals of this service's changes.
    pub fn recording(self, refusals: Refusals) -> Self {
        Self { writes: self.writes.recording(refusals), ..self }
    }

    /// The effective document of `key` for the node, cut as the query asks, and the version of
    /// the node's own document of `key` (the one a `put` changes), inherited or not.
    pub async fn get(
        &self,
        caller: &Principal,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
        key: BrandingKey,
        query: &BrandingQuery,
    ) -> Result<(Map<String, Value>, Version), AppError> {
        let permission = Permission::Owned(kind, Owned::Branding(key.doc()), Verb::List);
        let (instance, view) = self.writes.gate().node(caller, instance, kind, id, permission).await?;
        let chain = view.node.self_and_ancestors();
        let (own, version) = self.store.branding_documents(chain.clone(), key).await?;
        // The instance's own document is read only when no node of the chain has one.
        let instance_default = match own.is_empty() {
            true => self.store.instance_branding(&instance, key).await?.0,
            false => None,
        };
        let own: HashMap<_, _> = own.into_iter().collect();
        let document = effective(key, &chain, &own, instance_default.as_ref());
        Ok((document.select(query.full, query.keys.as_deref(), query.search.as_deref()), version))
    }

    /// Sets the node's own document of `key` (whole): it stops inheriting it.
    pub async fn put(
        &self,
        caller: &Caller,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
        key: BrandingKey,
        document: Value,
    ) -> Result<Version, AppError> {
        let permission = Permission::Owned(kind, Owned::Branding(key.doc()), Verb::Update);
        let action = format!("branding.{}.update", key.as_str());
        let parse = || BrandingDocument::parse(key, document);
        let put = async |at: &Reached, document, change: &Change| {
            let node = at.node().node.id;
            self.store.put_branding(node, key, document, change).await.map_err(|err| AppError::from_owned(err, kind))
        };
        self.writes.run(caller, instance, Target::Node(kind, id.into()), permission, action, parse, put).await
    }

    /// Removes the node's own document of `key`: it inherits again. A node without one answers
    /// the same (the write still counts: version and audit log).
    pub async fn delete(
        &self,
        caller: &Caller,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
        key: BrandingKey,
    ) -> Result<Version, AppError> {
        let permission = Permission::Owned(kind, Owned::Branding(key.doc()), Verb::Delete);
        let action = format!("branding.{}.delete", key.as_str());
        let delete = async |at: &Reached, (), change: &Change| {
            let node = at.node().node.id;
            self.store.delete_branding(node, key, change).await.map_err(|err| AppError::from_owned(err, kind))
        };
        self.writes.run(caller, instance, Target::Node(kind, id.into()), permission, action, || Ok(()), delete).await
    }

    /// The instance's own document of `key`, else the built-in default, cut as the query asks,
    /// with its version.
    pub async fn get_instance(
        &self,
        caller: &Principal,
        instance: &str,
        key: BrandingKey,
        query: &BrandingQuery,
    ) -> Result<(Map<String, Value>, Version), AppError> {
        let permission = Permission::InstanceBranding(key.doc(), Verb::List);
        let instance = self.writes.gate().instance(caller, instance, permission)?;
        let (own, version) = self.store.instance_branding(&instance, key).await?;
        let document = effective(key, &[], &HashMap::new(), own.as_ref());
        Ok((document.select(query.full, query.keys.as_deref(), query.search.as_deref()), version))
    }

    /// Sets the instance's own document of `key` (`Some`, whole) or removes it (`None`: the
    /// built-in default shows again).
    pub async fn write_instance(
        &self,
        caller: &Caller,
        instance: &str,
        key: BrandingKey,
        document: Option<Value>,
    ) -> Result<Version, AppError> {
        let (verb, done) = if document.is_some() { (Verb::Update, "update") } else { (Verb::Delete, "delete") };
        let permission = Permission::InstanceBranding(key.doc(), verb);
        let action = format!("instance.branding.{}.{done}", key.as_str());
        let parse = || document.map(|document| BrandingDocument::parse(key, document)).transpose();
        let write = async |at: &Reached, document, change: &Change| {
            let written = match document {
                Some(document) => self.store.put_instance_branding(&at.instance, key, document, change).await,
                None => self.store.delete_instance_branding(&at.instance, key, change).await,
            };
            written.map_err(AppError::from)
        };
        self.writes.run(caller, instance, Target::Instance, permission, action, parse, write).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instances::Instances;
    use crate::testing::unit::{acting, caller, finding_every_node, node_view, tenant_outside};
    use canopy_domain::{InstanceSlug, NodeId, Profile};
    use canopy_storage::{MockNodeStore, MockOwnedStore};
    use serde_json::json;

    fn service(nodes: MockNodeStore, store: MockOwnedStore) -> BrandingService {
        let gate = Gate::new(Arc::new(nodes), Instances::new([InstanceSlug::parse("default").unwrap()]));
        BrandingService::new(gate, Arc::new(store))
    }

    #[tokio::test]
    async fn an_invalid_document_is_refused_before_any_write_naming_its_field() {
        let service = service(finding_every_node(), MockOwnedStore::new());
        let root = acting(&caller(Profile::SystemAdmin, None));
        let theme = json!({ "allowed": ["blue"], "selected": "red", "themes": { "blue": "/b" } });
        let err = service.put(&root, "default", NodeKind::Group, Uuid::from_u128(1), BrandingKey::Theme, theme);
        let err = err.await.unwrap_err();
        assert!(matches!(&err, AppError::Invalid(e) if e.field() == Some("selected")), "{err:?}");
    }

    #[tokio::test]
    async fn a_tenant_inherits_its_groups_document_and_a_node_outside_is_not_found() {
        let mut nodes = MockNodeStore::new();
        nodes.expect_get_node().returning(|_, kind, id| Ok(Some(node_view(kind, id.0))));
        let mut store = MockOwnedStore::new();
        store.expect_branding_documents().returning(|chain, key| {
            assert_eq!(chain, vec![NodeId(Uuid::from_u128(9)), NodeId(Uuid::from_u128(1))], "nearest first");
            Ok((vec![(chain[1], BrandingDocument::parse(key, json!({ "name": "Group's" })).unwrap())], Version(4)))
        });
        let inherited = service(nodes, store);
        let root = caller(Profile::SystemAdmin, None);
        let tenant = Uuid::from_u128(9);
        let query = BrandingQuery::default();
        let (doc, version) =
            inherited.get(&root, "default", NodeKind::Tenant, tenant, BrandingKey::General, &query).await.unwrap();
        assert_eq!((&doc["name"], version), (&json!("Group's"), Version(4)), "the tenant's own version");

        let mut nodes = MockNodeStore::new();
        nodes.expect_get_node().returning(|_, _, _| Ok(Some(tenant_outside())));
        let mut store = MockOwnedStore::new();
        store.expect_put_branding().never();
        let hidden = service(nodes, store);
        let err = hidden
            .put(
                &acting(&caller(Profile::GroupAdmin, Some(1))),
                "default",
                NodeKind::Tenant,
                tenant,
                BrandingKey::Pages,
                json!({}),
            )
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::NotFound(NodeKind::Tenant)), "{err:?}");
    }

    #[tokio::test]
    async fn the_instances_document_shows_when_no_node_of_the_chain_has_one_and_only_the_system_sets_it() {
        let mut nodes = MockNodeStore::new();
        nodes.expect_get_node().returning(|_, kind, id| Ok(Some(node_view(kind, id.0))));
        let mut store = MockOwnedStore::new();
        store.expect_branding_documents().returning(|_, _| Ok((vec![], Version(1))));
        store.expect_instance_branding().times(1).returning(|_, key| {
            Ok((Some(BrandingDocument::parse(key, json!({ "name": "Instance's" })).unwrap()), Version(3)))
        });
        store.expect_put_instance_branding().never();
        let service = service(nodes, store);
        let root = caller(Profile::SystemAdmin, None);
        let query = BrandingQuery::default();
        let tenant = Uuid::from_u128(9);
        let (doc, _) =
            service.get(&root, "default", NodeKind::Tenant, tenant, BrandingKey::General, &query).await.unwrap();
        assert_eq!(doc["name"], "Instance's");
        let group_admin = acting(&caller(Profile::GroupAdmin, Some(1)));
        let err = service.write_instance(&group_admin, "default", BrandingKey::General, Some(json!({}))).await;
        assert!(matches!(err, Err(AppError::Forbidden(Permission::InstanceBranding(..)))), "{err:?}");
    }
}
