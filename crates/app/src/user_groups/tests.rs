//! Unit tests of `UserGroupService` on mocked stores: who reads a tenant's groups (from above,
//! and from below the node), and how the store's refusals reach the client.

use super::*;
use crate::instances::Instances;
use crate::testing::unit::{acting, caller, finding_every_node, node_view, tenant_outside};
use canopy_domain::{InstanceSlug, Lineage, Profile, Version};
use canopy_storage::{MockNodeStore, MockUserGroupStore, NodeView};
use std::collections::BTreeMap;

fn gate(nodes: MockNodeStore) -> Gate {
    Gate::new(Arc::new(nodes), Instances::new([InstanceSlug::parse("default").unwrap()]))
}

fn service(nodes: MockNodeStore, store: MockUserGroupStore) -> UserGroupService {
    UserGroupService::new(gate(nodes), Arc::new(store))
}

fn group(id: i64, tenant: Uuid) -> UserGroup {
    UserGroup {
        id: UserGroupId(id),
        tenant: NodeId(tenant),
        fields: UserGroupFields { name: UserGroupName::parse("G").unwrap(), description: None, branch: None },
        permissions: BTreeMap::new(),
        version: Version::FIRST,
    }
}

#[tokio::test]
async fn a_tenant_outside_the_subtree_has_no_groups_and_its_store_is_never_asked() {
    let mut nodes = MockNodeStore::new();
    nodes.expect_get_node().returning(|_, _, _| Ok(Some(tenant_outside())));
    let service = service(nodes, MockUserGroupStore::new());
    let reseller_admin = caller(Profile::ResellerAdmin, Some(1));
    let err = service.get(&reseller_admin, "default", Uuid::from_u128(9), UserGroupId(1)).await.unwrap_err();
    assert!(matches!(err, AppError::NotFound(NodeKind::Tenant)), "{err:?}");
    let input = UserGroupInput { name: Some("G".into()), ..Default::default() };
    let err = service.create(&acting(&reseller_admin), "default", Uuid::from_u128(9), &input).await.unwrap_err();
    assert!(matches!(err, AppError::NotFound(NodeKind::Tenant)), "{err:?}");
}

#[tokio::test]
async fn a_node_is_read_from_below_by_the_administrators_of_what_lies_below_it() {
    // Reseller 2 of group 1; tenant 3 below it, whose administrator reads what the reseller
    // shares with everyone below it; tenant 4 lies elsewhere.
    let reseller = node_view(NodeKind::Reseller, Uuid::from_u128(2));
    let mut nodes = MockNodeStore::new();
    nodes.expect_get_node().returning(move |_, kind, id| {
        let mut view: NodeView = node_view(kind, id.0);
        if kind == NodeKind::Tenant && id.0 == Uuid::from_u128(3) {
            view.node.lineage = Lineage { reseller: Some(NodeId(Uuid::from_u128(2))), ..view.node.lineage };
        }
        Ok(Some(view))
    });
    let gate = gate(nodes);
    let permission = Permission::Owned(NodeKind::Tenant, Owned::UserGroups, Verb::Read);
    let below = caller(Profile::TenantAdmin, Some(3));
    let found = gate.node_from_below(&below, "default", NodeKind::Reseller, Uuid::from_u128(2), permission).await;
    assert_eq!(found.unwrap().node.id, reseller.node.id);
    let elsewhere = caller(Profile::TenantAdmin, Some(4));
    let err = gate.node_from_below(&elsewhere, "default", NodeKind::Reseller, Uuid::from_u128(2), permission).await;
    assert!(matches!(err, Err(AppError::NotFound(NodeKind::Reseller))), "{err:?}");
}

#[tokio::test]
async fn the_stores_refusals_name_the_group_the_name_and_the_permissions() {
    let tenant = Uuid::from_u128(5);
    let mut store = MockUserGroupStore::new();
    store.expect_create_user_group().returning(|_, _, _| Err(UserGroupWriteError::DuplicateName));
    store.expect_update_user_group().returning(|_, _, _, _| Err(UserGroupWriteError::NotFound));
    store
        .expect_set_user_group_permissions()
        .returning(|_, _, _, _| Err(UserGroupWriteError::UnknownPermissions(vec!["perm_7".into()])));
    let service = service(finding_every_node(), store);
    let root = acting(&caller(Profile::SystemAdmin, None));
    let input = UserGroupInput { name: Some(" Heroes ".into()), ..Default::default() };
    let err = service.create(&root, "default", tenant, &input).await.unwrap_err();
    assert_eq!(err.to_string(), "a group with name Heroes already exists");
    let err = service.update(&root, "default", tenant, UserGroupId(12), &input).await.unwrap_err();
    assert!(matches!(err, AppError::UserGroupNotFound(UserGroupId(12))), "{err:?}");
    let values = [SettingInput { name: "perm_7".into(), value: Some("ENABLE".into()) }];
    let err = service.set_permissions(&root, "default", tenant, UserGroupId(12), &values).await.unwrap_err();
    assert_eq!(err.to_string(), "unknown permissions: perm_7");
}

#[tokio::test]
async fn a_group_shows_the_built_in_permissions_and_its_tenants_own() {
    let tenant = Uuid::from_u128(5);
    let mut store = MockUserGroupStore::new();
    store.expect_get_user_group().returning(move |_, id| {
        let mut found = group(id.0, tenant);
        found.permissions.insert("perm_3".into(), true);
        Ok(Some(found))
    });
    store
        .expect_custom_permissions()
        .returning(|_| Ok(vec![CustomPermission { id: 3, label: "Lab".into(), description: None, default: false }]));
    let service = service(finding_every_node(), store);
    let root = caller(Profile::SystemAdmin, None);
    let (found, settings) = service.get_permissions(&root, "default", tenant, UserGroupId(4)).await.unwrap();
    assert_eq!(found.id, UserGroupId(4));
    assert_eq!(settings.len(), 19);
    let custom = settings.iter().find(|s| s.name == "perm_3").unwrap();
    assert_eq!((custom.value, custom.default), (Some(true), false));
}
