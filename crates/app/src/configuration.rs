//! The general configuration of a node: read (secrets masked), upsert, replace, delete keys.
//!
//! Writes go the one way of every write ([`Writes::run`]: the permission, the node in the caller's
//! subtree, the client's values, one store call). The merge of a write with the stored values
//! (masked secrets kept) is the domain's rule, applied by the store inside its unit of work.
//!
//! The configuration is one versioned document: a read answers its version, a write answers the
//! new one, and a write made on a stale version (`If-Match`, `?version=`) is refused by the store
//! as `AppError::VersionMismatch`.

use crate::audit::Refusals;
use crate::caller::Caller;
use crate::error::AppError;
use crate::gate::Gate;
use crate::instances::Instances;
use crate::write::{Reached, Target, Writes};
use canopy_domain::{
    Change, ConfigWrite, Node, NodeKind, Owned, Permission, Principal, Properties, PropertyFilter, Verb, Version,
    WriteMode, parse_keys,
};
use canopy_storage::{ConfigStore, NodeStore, WriteConfigError};
use serde_json::Value;
use std::sync::Arc;
use uuid::Uuid;

pub struct ConfigService {
    writes: Writes,
    store: Arc<dyn ConfigStore>,
}

fn permission(kind: NodeKind, verb: Verb) -> Permission {
    Permission::Owned(kind, Owned::GeneralConfig, verb)
}

/// The stored configurations of `node` and of its ancestors, nearest first (an ancestor deleted
/// meanwhile has none): what the settings its ancestors apply to their children are read from.
pub(crate) async fn configs_nearest_first(store: &dyn ConfigStore, node: &Node) -> Result<Vec<Properties>, AppError> {
    let mut found = Vec::new();
    for id in node.self_and_ancestors() {
        if let Some((stored, _)) = store.get_config(id).await? {
            found.push(stored);
        }
    }
    Ok(found)
}

impl ConfigService {
    pub fn new(nodes: Arc<dyn NodeStore>, store: Arc<dyn ConfigStore>, instances: Instances) -> Self {
        Self { writes: Writes::new(Gate::new(nodes, instances)), store }
    }

    /// Records the store's refusals of this service's changes.
    pub fn recording(self, refusals: Refusals) -> Self {
        Self { writes: self.writes.recording(refusals), ..self }
    }

    /// The node's properties that `keys` (comma-separated) and `search` select, secrets masked,
    /// and the configuration's version.
    pub async fn get(
        &self,
        caller: &Principal,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
        keys: Option<&str>,
        search: Option<&str>,
    ) -> Result<(Properties, Version), AppError> {
        let filter = PropertyFilter::parse(keys, search)?;
        let (_, view) = self.writes.gate().node(caller, instance, kind, id, permission(kind, Verb::List)).await?;
        let (stored, version) = self.store.get_config(view.node.id).await?.ok_or(AppError::NotFound(kind))?;
        Ok((stored.shown(&filter), version))
    }

    /// The properties `search` selects of the node, then of each of its ancestors, nearest
    /// first (secrets masked): what a setting its ancestors may apply to their children reads.
    /// The caller needs to reach the node only: what an ancestor applies to it is part of it.
    pub(crate) async fn lineage(
        &self,
        caller: &Principal,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
        search: &str,
    ) -> Result<Vec<Properties>, AppError> {
        let filter = PropertyFilter::parse(None, Some(search))?;
        let (_, view) = self.writes.gate().node(caller, instance, kind, id, permission(kind, Verb::List)).await?;
        let found = configs_nearest_first(&*self.store, &view.node).await?;
        Ok(found.iter().map(|stored| stored.shown(&filter)).collect())
    }

    /// `Upsert` (POST) adds or changes the properties sent; `Replace` (PUT) makes the
    /// configuration exactly them. A secret sent as the mask keeps its stored value.
    pub async fn write(
        &self,
        caller: &Caller,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
        mode: WriteMode,
        properties: Vec<(String, Value)>,
    ) -> Result<Version, AppError> {
        let (verb, action) = match mode {
            WriteMode::Upsert => (Verb::Create, "configuration.upsert"),
            WriteMode::Replace => (Verb::Update, "configuration.replace"),
        };
        let parse = || ConfigWrite::parse(mode, properties);
        let apply = async |at: &Reached, write, change: &Change| {
            let written = self.store.write_config(at.node().node.id, &write, change).await;
            written.map_err(|err| from_write(err, kind))
        };
        let target = Target::Node(kind, id.into());
        self.writes.run(caller, instance, target, permission(kind, verb), action, parse, apply).await
    }

    /// Deletes the keys; those the node does not have are ignored.
    pub async fn delete(
        &self,
        caller: &Caller,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
        keys: &[String],
    ) -> Result<Version, AppError> {
        let parse = || parse_keys(keys);
        let apply = async |at: &Reached, keys, change: &Change| {
            let deleted = self.store.delete_config_keys(at.node().node.id, &keys, change).await;
            deleted.map_err(|err| from_write(err, kind))
        };
        let (target, action) = (Target::Node(kind, id.into()), "configuration.delete_keys");
        self.writes.run(caller, instance, target, permission(kind, Verb::Delete), action, parse, apply).await
    }
}

/// A node deleted between the gate and the write is not found, like one that never was.
fn from_write(err: WriteConfigError, kind: NodeKind) -> AppError {
    match err {
        WriteConfigError::NodeNotFound => AppError::NotFound(kind),
        WriteConfigError::Invalid(err) => AppError::Invalid(err),
        WriteConfigError::VersionMismatch(mismatch) => mismatch.into(),
        WriteConfigError::Store(err) => err.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::unit::{acting, caller, finding_every_node, tenant_outside};
    use canopy_domain::{DomainError, InstanceSlug, Profile};
    use canopy_storage::{MockConfigStore, MockNodeStore};
    use serde_json::json;

    fn service(nodes: MockNodeStore, store: MockConfigStore) -> ConfigService {
        ConfigService::new(Arc::new(nodes), Arc::new(store), Instances::new([InstanceSlug::parse("default").unwrap()]))
    }

    /// A node store that finds tenant 9, under group 8.
    fn finding_tenant() -> MockNodeStore {
        let mut nodes = MockNodeStore::new();
        nodes.expect_get_node().returning(|_, _, _| Ok(Some(tenant_outside())));
        nodes
    }

    fn props(value: Value) -> Vec<(String, Value)> {
        value.as_object().unwrap().clone().into_iter().collect()
    }

    #[tokio::test]
    async fn a_missing_permission_is_refused_before_any_store_call() {
        // Mocks without expectations panic on any call.
        let service = service(MockNodeStore::new(), MockConfigStore::new());
        let tenant_admin = caller(Profile::TenantAdmin, Some(9));
        let group = Uuid::from_u128(8);
        let err = service
            .write(
                &acting(&tenant_admin),
                "default",
                NodeKind::Group,
                group,
                WriteMode::Replace,
                props(json!({ "a": "b" })),
            )
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::Forbidden(p) if p == permission(NodeKind::Group, Verb::Update)), "{err:?}");
        let err =
            service.delete(&acting(&tenant_admin), "default", NodeKind::Group, group, &["a".into()]).await.unwrap_err();
        assert!(matches!(err, AppError::Forbidden(_)), "{err:?}");
    }

    #[tokio::test]
    async fn invalid_properties_are_refused_before_any_write() {
        let service = service(finding_every_node(), MockConfigStore::new());
        let root = caller(Profile::SystemAdmin, None);
        let id = Uuid::from_u128(9);
        for bad in [json!({ "draas_sbc_port": "5061" }), json!({ "bad key": "x" }), json!({ "a": null })] {
            let err =
                service.write(&acting(&root), "default", NodeKind::Tenant, id, WriteMode::Upsert, props(bad)).await;
            assert!(matches!(err, Err(AppError::Invalid(DomainError::InvalidProperty { .. }))), "{err:?}");
        }
        let err = service.get(&root, "default", NodeKind::Tenant, id, Some("a b"), None).await;
        assert!(matches!(err, Err(AppError::Invalid(_))), "{err:?}");
        let err = service.delete(&acting(&root), "default", NodeKind::Tenant, id, &["a/b".into()]).await;
        assert!(matches!(err, Err(AppError::Invalid(_))), "{err:?}");
    }

    #[tokio::test]
    async fn a_node_outside_the_subtree_is_not_found_and_its_configuration_untouched() {
        let mut store = MockConfigStore::new();
        store.expect_get_config().never();
        store.expect_write_config().never();
        store.expect_delete_config_keys().never();
        let service = service(finding_tenant(), store);
        let other_group_admin = caller(Profile::GroupAdmin, Some(1));
        let tenant = Uuid::from_u128(9);
        let err = service.get(&other_group_admin, "default", NodeKind::Tenant, tenant, None, None).await.unwrap_err();
        assert!(matches!(err, AppError::NotFound(NodeKind::Tenant)), "{err:?}");
        let write = props(json!({ "a": "b" }));
        let err = service
            .write(&acting(&other_group_admin), "default", NodeKind::Tenant, tenant, WriteMode::Upsert, write)
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::NotFound(NodeKind::Tenant)), "{err:?}");
    }

    #[tokio::test]
    async fn a_node_deleted_before_the_write_is_not_found() {
        let mut store = MockConfigStore::new();
        store.expect_write_config().returning(|_, _, _| Err(WriteConfigError::NodeNotFound));
        let service = service(finding_tenant(), store);
        let owner = caller(Profile::GroupAdmin, Some(8));
        let err = service
            .write(
                &acting(&owner),
                "default",
                NodeKind::Tenant,
                Uuid::from_u128(9),
                WriteMode::Upsert,
                props(json!({})),
            )
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::NotFound(NodeKind::Tenant)), "{err:?}");
    }

    #[tokio::test]
    async fn the_clients_version_reaches_the_store_and_a_stale_one_is_a_version_mismatch() {
        use canopy_domain::{Version, VersionMismatch};
        let mut store = MockConfigStore::new();
        store.expect_write_config().returning(|_, _, change| {
            assert_eq!(change.expected, Some(Version(2)), "the If-Match of the request");
            Err(WriteConfigError::VersionMismatch(VersionMismatch { expected: Version(2), current: Version(3) }))
        });
        let service = service(finding_tenant(), store);
        let mut acting = acting(&caller(Profile::SystemAdmin, None));
        acting.request.expected = Some(Version(2));
        let err = service
            .write(&acting, "default", NodeKind::Tenant, Uuid::from_u128(9), WriteMode::Upsert, props(json!({})))
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::VersionMismatch(m) if m.current == Version(3)), "{err:?}");
    }
}
