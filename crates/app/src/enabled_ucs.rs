//! The UC platforms enabled for a node: read by every profile that reaches the node, set by the
//! levels above it (a node's own administrators cannot enable platforms for themselves).

use crate::audit::Refusals;
use crate::caller::Caller;
use crate::error::AppError;
use crate::gate::Gate;
use crate::write::{Reached, Target, Writes};
use canopy_domain::{Change, NodeKind, Owned, Permission, Principal, UcPlatform, Verb, Version, parse_platforms};
use canopy_storage::OwnedStore;
use std::sync::Arc;
use uuid::Uuid;

pub struct EnabledUcService {
    writes: Writes,
    store: Arc<dyn OwnedStore>,
}

impl EnabledUcService {
    pub fn new(gate: Gate, store: Arc<dyn OwnedStore>) -> Self {
        Self { writes: Writes::new(gate), store }
    }

    /// Records the store's refusals of this service's changes.
    pub fn recording(self, refusals: Refusals) -> Self {
        Self { writes: self.writes.recording(refusals), ..self }
    }

    /// The node's platforms and their version.
    pub async fn list(
        &self,
        caller: &Principal,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
    ) -> Result<(Vec<UcPlatform>, Version), AppError> {
        let permission = Permission::Owned(kind, Owned::EnabledUcs, Verb::List);
        let (_, view) = self.writes.gate().node(caller, instance, kind, id, permission).await?;
        Ok(self.store.enabled_ucs(view.node.id).await?)
    }

    /// Replaces the node's platforms; an unknown one refuses the whole list. Answers the new
    /// version.
    pub async fn set(
        &self,
        caller: &Caller,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
        platforms: &[String],
    ) -> Result<Version, AppError> {
        let permission = Permission::Owned(kind, Owned::EnabledUcs, Verb::Update);
        let parse = || parse_platforms(platforms);
        let set = async |at: &Reached, platforms, change: &Change| {
            let node = at.node().node.id;
            self.store.set_enabled_ucs(node, platforms, change).await.map_err(|err| AppError::from_owned(err, kind))
        };
        self.writes
            .run(caller, instance, Target::Node(kind, id.into()), permission, "enabled_ucs.update", parse, set)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instances::Instances;
    use crate::testing::unit::{acting, caller, finding_every_node, tenant_outside};
    use canopy_domain::{InstanceSlug, Profile};
    use canopy_storage::{MockNodeStore, MockOwnedStore};

    fn service(nodes: MockNodeStore, store: MockOwnedStore) -> EnabledUcService {
        let gate = Gate::new(Arc::new(nodes), Instances::new([InstanceSlug::parse("default").unwrap()]));
        EnabledUcService::new(gate, Arc::new(store))
    }

    #[tokio::test]
    async fn an_unknown_platform_or_a_missing_permission_never_reaches_the_store() {
        let service = service(finding_every_node(), MockOwnedStore::new());
        let root = caller(Profile::SystemAdmin, None);
        let group = Uuid::from_u128(1);
        let err = service.set(&acting(&root), "default", NodeKind::Group, group, &["skype".into()]).await.unwrap_err();
        assert!(err.to_string().contains("skype"), "{err}");
        let tenant_admin = caller(Profile::TenantAdmin, Some(9));
        let err = service
            .set(&acting(&tenant_admin), "default", NodeKind::Tenant, Uuid::from_u128(9), &["zoom".into()])
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::Forbidden(_)), "{err:?}");
    }

    #[tokio::test]
    async fn a_node_outside_the_subtree_is_not_found_and_untouched() {
        let mut nodes = MockNodeStore::new();
        nodes.expect_get_node().returning(|_, _, _| Ok(Some(tenant_outside())));
        let mut store = MockOwnedStore::new();
        store.expect_set_enabled_ucs().never();
        store.expect_enabled_ucs().never();
        let service = service(nodes, store);
        let group_admin = caller(Profile::GroupAdmin, Some(1));
        let tenant = Uuid::from_u128(9);
        let err = service
            .set(&acting(&group_admin), "default", NodeKind::Tenant, tenant, &["zoom".into()])
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::NotFound(NodeKind::Tenant)), "{err:?}");
        let err = service.list(&group_admin, "default", NodeKind::Tenant, tenant).await.unwrap_err();
        assert!(matches!(err, AppError::NotFound(NodeKind::Tenant)), "{err:?}");
    }
}
