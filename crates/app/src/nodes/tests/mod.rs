//! Unit tests of the node service with a mocked store: what never reaches the store, how its
//! refusals map.

use super::*;
use crate::mail::{Letters, Outbox};
use crate::testing::unit::{acting, caller};
use crate::{AuthSettings, ManualClock};
use canopy_domain::{ChildCounts, DomainError, InstanceSlug, Lineage, Profile};
use canopy_storage::{DeleteNodeError, MockNodeStore};

fn service(store: MockNodeStore) -> NodeService {
    let instances = Instances::new([InstanceSlug::parse("default").unwrap()]);
    let letters = Letters::new(Arc::new(Outbox::new()), "http://portal");
    let onboarding = Onboarding::new(Arc::new(ManualClock::default()), letters, AuthSettings::default());
    NodeService::new(Arc::new(store), instances, TokenKey::new(vec![0; 32]), onboarding)
}

fn system() -> Principal {
    caller(Profile::SystemAdmin, None)
}

fn attributes(value: Value) -> Map<String, Value> {
    value.as_object().unwrap().clone()
}

fn input(name: &str) -> NodeInput {
    NodeInput { name: name.into(), ..Default::default() }
}

fn view(kind: NodeKind, id: u128, lineage: Lineage) -> NodeView {
    let node = Node {
        id: NodeId(Uuid::from_u128(id)),
        serial: canopy_domain::Serial(1),
        instance: InstanceSlug::parse("default").unwrap(),
        kind,
        parent: None,
        lineage,
        name: NodeName::parse("N").unwrap(),
        attributes: canopy_domain::Attributes::blank(kind),
        version: canopy_domain::Version::FIRST,
        enabled: true,
        lock: None,
    };
    NodeView { node, subtree: Default::default() }
}

#[tokio::test]
async fn an_unknown_instance_is_rejected_before_any_store_call() {
    // A mock with no expectations panics on any call.
    let service = service(MockNodeStore::new());
    let err = service.create(&acting(&system()), "nowhere", None, NodeKind::Group, input("G")).await.unwrap_err();
    assert!(matches!(err, AppError::InstanceNotFound));
    let err = service.get(&system(), "NOT A SLUG", NodeKind::Group, Uuid::nil()).await.unwrap_err();
    assert!(matches!(err, AppError::InstanceNotFound));
}

#[tokio::test]
async fn a_missing_permission_is_refused_before_any_store_call() {
    let service = service(MockNodeStore::new());
    let tenant_admin = caller(Profile::TenantAdmin, Some(9));
    let err = service.create(&acting(&tenant_admin), "default", None, NodeKind::Group, input("G")).await.unwrap_err();
    assert!(matches!(err, AppError::Forbidden(Permission::Create(NodeKind::Group))), "{err:?}");
    let err = service.delete(&acting(&tenant_admin), "default", NodeKind::Tenant, Uuid::nil()).await.unwrap_err();
    assert!(matches!(err, AppError::Forbidden(Permission::Delete(NodeKind::Tenant))), "{err:?}");
    let group_admin = caller(Profile::GroupAdmin, Some(9));
    let err =
        service.update(&acting(&group_admin), "default", NodeKind::Group, Uuid::nil(), NodeUpdate::default()).await;
    assert!(matches!(err, Err(AppError::Forbidden(Permission::Update(NodeKind::Group)))), "{err:?}");
    let err = service.list(&tenant_admin, "default", None, NodeKind::Group, ListParams::default()).await;
    assert!(matches!(err, Err(AppError::Forbidden(Permission::List(NodeKind::Group)))), "{err:?}");
}

#[tokio::test]
async fn an_administrator_of_another_instance_meets_an_instance_that_does_not_exist() {
    let service = service(MockNodeStore::new());
    let mut elsewhere = system();
    elsewhere.instance = InstanceSlug::parse("other").unwrap();
    let err = service.get(&elsewhere, "default", NodeKind::Group, Uuid::nil()).await.unwrap_err();
    assert!(matches!(err, AppError::InstanceNotFound), "{err:?}");
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
    assert!(matches!(err, AppError::NotFound(NodeKind::Tenant)), "{err:?}");
    let update = NodeUpdate { name: Some("X".into()), ..Default::default() };
    let err = service.update(&acting(&reseller_admin), "default", NodeKind::Tenant, id, update).await.unwrap_err();
    assert!(matches!(err, AppError::NotFound(NodeKind::Tenant)), "{err:?}");
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
        .returning(|_| Ok(canopy_domain::Page { items: vec![], total: 0, more: false }));
    let group_admin = caller(Profile::GroupAdmin, Some(4));
    service(store).list(&group_admin, "default", None, NodeKind::Group, ListParams::default()).await.unwrap();
}

#[tokio::test]
async fn invalid_input_never_reaches_the_store() {
    let service = service(MockNodeStore::new());
    for (kind, parent, input) in [
        (NodeKind::Group, None, input("  ")),
        (
            NodeKind::Group,
            None,
            NodeInput { attributes: attributes(serde_json::json!({"draasDomain": "bad domain"})), ..input("G") },
        ),
        (NodeKind::Group, None, NodeInput { admin_email: Some("not an address".into()), ..input("G") }),
        (NodeKind::Tenant, Some((NodeKind::Group, Uuid::nil())), input("T")),
        (
            NodeKind::Reseller,
            Some((NodeKind::Group, Uuid::nil())),
            NodeInput { attributes: attributes(serde_json::json!({"tenantId": "x"})), ..input("R") },
        ),
        (
            NodeKind::Distributor,
            Some((NodeKind::Group, Uuid::nil())),
            NodeInput { admin_email: Some("a@b.c".into()), ..input("D") },
        ),
        (NodeKind::Group, Some((NodeKind::Tenant, Uuid::nil())), input("G")),
    ] {
        let result = service.create(&acting(&system()), "default", parent, kind, input).await;
        assert!(matches!(result, Err(AppError::Invalid(_))), "{result:?}");
    }
}

#[tokio::test]
async fn a_store_refusal_to_delete_becomes_not_empty_with_its_counts() {
    let mut store = MockNodeStore::new();
    let children = ChildCounts { distributors: 0, resellers: 1, tenants: 2, ..Default::default() };
    store.expect_delete_node().times(1).returning(move |_, _, _, _| Err(DeleteNodeError::NotEmpty(children)));
    let err = service(store).delete(&acting(&system()), "default", NodeKind::Group, Uuid::nil()).await.unwrap_err();
    assert!(matches!(err, AppError::NotEmpty { kind: NodeKind::Group, children: c } if c == children));
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
    assert!(matches!(err, AppError::VersionMismatch(m) if m == mismatch), "{err:?}");
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
    assert!(matches!(result, Err(AppError::NotFound(NodeKind::Reseller))), "{result:?}");
}

#[tokio::test]
async fn a_tampered_next_token_is_invalid_and_never_reaches_the_store() {
    let mut store = MockNodeStore::new();
    store.expect_list_nodes().never();
    let params = ListParams { next: Some("forged.token".into()), ..Default::default() };
    let result = service(store).list(&system(), "default", None, NodeKind::Group, params).await;
    assert!(matches!(result, Err(AppError::Invalid(DomainError::InvalidNextToken(_)))), "{result:?}");
}

mod levels;
mod locks;
