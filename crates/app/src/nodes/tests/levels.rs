//! The node service on the levels below tenants: integer ids through the subtree check, the
//! accounts users come with, the user limit's refusals, the end user's reach.

use super::{acting, attributes, caller, input, service, system, view};
use crate::AppError;
use crate::nodes::{NodeInput, NodeUpdate};
use canopy_domain::{DomainError, Lineage, NodeId, NodeKind, Permission, Profile, Serial};
use canopy_storage::{CreateNodeError, MockNodeStore, Updated};
use serde_json::json;
use uuid::Uuid;

fn tenant_lineage(tenant: u128) -> Lineage {
    Lineage {
        group: Some(NodeId(Uuid::from_u128(1))),
        tenant: Some(NodeId(Uuid::from_u128(tenant))),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_node_named_by_its_integer_id_goes_through_the_same_subtree_check() {
    let mut store = MockNodeStore::new();
    // User 7 of tenant 3; the site group administrator's home is site group 4, elsewhere in it.
    store
        .expect_get_node_by_serial()
        .withf(|_, kind, serial| *kind == NodeKind::User && *serial == Serial(70))
        .returning(|_, _, _| Ok(Some(view(NodeKind::User, 7, tenant_lineage(3)))));
    store.expect_update_node().never();
    let service = service(store);
    let outside = caller(Profile::SiteGroupAdmin, Some(4));
    let err = service.get(&outside, "default", NodeKind::User, Serial(70)).await.unwrap_err();
    assert!(matches!(err, AppError::NotFound(NodeKind::User)), "{err:?}");
    let update = NodeUpdate { name: Some("x".into()), ..Default::default() };
    let err = service.update(&acting(&outside), "default", NodeKind::User, Serial(70), update).await.unwrap_err();
    assert!(matches!(err, AppError::NotFound(NodeKind::User)), "{err:?}");
    let tenant_admin = caller(Profile::TenantAdmin, Some(3));
    let found = service.get(&tenant_admin, "default", NodeKind::User, Serial(70)).await.unwrap();
    assert_eq!(found.node.id, NodeId(Uuid::from_u128(7)));
}

#[tokio::test]
async fn a_system_administrator_changing_a_node_by_integer_id_changes_the_node_of_that_id() {
    let mut store = MockNodeStore::new();
    store
        .expect_get_node_by_serial()
        .times(1)
        .returning(|_, _, _| Ok(Some(view(NodeKind::User, 7, tenant_lineage(3)))));
    store
        .expect_delete_node()
        .withf(|_, _, id, _| *id == NodeId(Uuid::from_u128(7)))
        .times(1)
        .returning(|_, _, _, _| Ok(canopy_storage::Deleted::Removed));
    service(store).delete(&acting(&system()), "default", NodeKind::User, Serial(70)).await.unwrap();
}

#[tokio::test]
async fn a_user_with_an_email_is_created_with_an_inactive_end_user_account() {
    let mut store = MockNodeStore::new();
    store.expect_get_node().returning(|_, _, _| Ok(Some(view(NodeKind::Tenant, 3, tenant_lineage(3)))));
    store
        .expect_create_node()
        .withf(|new, _| {
            new.admin.as_ref().is_some_and(|a| {
                a.profile == Profile::EndUser
                    && a.home == Some(new.id)
                    && a.email.as_str() == "jane@example.com"
                    && a.password_hash.is_none()
                    && a.token.is_some()
            })
        })
        .times(1)
        .returning(|new, _| {
            Ok(view(NodeKind::User, 7, tenant_lineage(3)).node).map(|mut n| {
                n.id = new.id;
                n
            })
        });
    let body = attributes(json!({"firstName": "Jane", "lastName": "Doe", "email": "jane@example.com"}));
    let input = NodeInput { attributes: body, ..input("jane") };
    let parent = Some((NodeKind::Tenant, Uuid::from_u128(3)));
    service(store).create(&acting(&system()), "default", parent, NodeKind::User, input).await.unwrap();
}

#[tokio::test]
async fn a_temporary_password_needs_a_users_email_and_the_policy_and_never_reaches_the_store() {
    let service = service(MockNodeStore::new());
    let parent = Some((NodeKind::Tenant, Uuid::from_u128(3)));
    let names = json!({"firstName": "Jane", "lastName": "Doe"});
    let mut with_email = names.clone();
    with_email["email"] = "jane@example.com".into();
    for (body, password, field) in
        [(names, "Correct-horse-battery-9", "temporaryPassword"), (with_email, "short", "temporaryPassword")]
    {
        let input =
            NodeInput { attributes: attributes(body), temporary_password: Some(password.into()), ..input("jane") };
        let err = service.create(&acting(&system()), "default", parent, NodeKind::User, input).await.unwrap_err();
        assert!(matches!(&err, AppError::Invalid(e) if e.field() == Some(field)), "{err:?}");
    }
    let bad_id = NodeInput { attributes: attributes(json!({"firstName": "J", "lastName": "D"})), ..input("a b") };
    let err = service.create(&acting(&system()), "default", parent, NodeKind::User, bad_id).await.unwrap_err();
    assert!(matches!(&err, AppError::Invalid(e) if e.field() == Some("userId")), "{err:?}");
}

#[tokio::test]
async fn a_user_limit_refused_by_the_store_is_the_clients_error() {
    let mut store = MockNodeStore::new();
    let refusal = DomainError::UserLimitReached { limit: 2, count: 2 };
    store.expect_create_node().times(1).returning(move |_, _| Err(CreateNodeError::Invalid(refusal.clone())));
    let input = NodeInput { attributes: attributes(json!({"firstName": "J", "lastName": "D"})), ..input("u") };
    let parent = Some((NodeKind::SiteGroup, Uuid::from_u128(4)));
    let err = service(store).create(&acting(&system()), "default", parent, NodeKind::User, input).await.unwrap_err();
    assert!(matches!(err, AppError::Invalid(DomainError::UserLimitReached { limit: 2, count: 2 })), "{err:?}");
}

#[tokio::test]
async fn giving_a_user_an_email_hands_the_store_its_account() {
    let mut store = MockNodeStore::new();
    store
        .expect_update_node()
        .withf(|_, _, _, changes, _| {
            changes.account.as_ref().is_some_and(|a| a.profile == Profile::EndUser && a.token.is_some())
        })
        .times(1)
        .returning(|_, _, _, _, _| {
            Ok(Updated { node: view(NodeKind::User, 7, tenant_lineage(3)).node, account: None })
        });
    store.expect_update_node().withf(|_, _, _, changes, _| changes.account.is_none()).times(1).returning(
        |_, _, _, _, _| Ok(Updated { node: view(NodeKind::User, 7, tenant_lineage(3)).node, account: None }),
    );
    let service = service(store);
    let email = NodeUpdate { attributes: attributes(json!({"email": "jane@example.com"})), ..Default::default() };
    service.update(&acting(&system()), "default", NodeKind::User, Uuid::from_u128(7), email).await.unwrap();
    let names = NodeUpdate { attributes: attributes(json!({"lastName": "Smith"})), ..Default::default() };
    service.update(&acting(&system()), "default", NodeKind::User, Uuid::from_u128(7), names).await.unwrap();
}

#[tokio::test]
async fn an_end_user_reads_its_own_user_and_is_refused_every_write_before_any_store_call() {
    let mut store = MockNodeStore::new();
    store.expect_get_node().times(1).returning(|_, _, _| Ok(Some(view(NodeKind::User, 7, tenant_lineage(3)))));
    let service = service(store);
    let end_user = caller(Profile::EndUser, Some(7));
    let own = Uuid::from_u128(7);
    assert_eq!(service.get(&end_user, "default", NodeKind::User, own).await.unwrap().node.id, NodeId(own));
    let err = service.update(&acting(&end_user), "default", NodeKind::User, own, NodeUpdate::default()).await;
    assert!(matches!(err, Err(AppError::Forbidden(Permission::Update(NodeKind::User)))), "{err:?}");
    let err = service.delete(&acting(&end_user), "default", NodeKind::User, own).await;
    assert!(matches!(err, Err(AppError::Forbidden(Permission::Delete(NodeKind::User)))), "{err:?}");
    let err = service.list(&end_user, "default", None, NodeKind::Group, Default::default()).await;
    assert!(matches!(err, Err(AppError::Forbidden(Permission::List(NodeKind::Group)))), "{err:?}");
    let err = service.rules(&end_user, "default").unwrap_err();
    assert!(matches!(err, AppError::Forbidden(Permission::RulesRead)), "{err:?}");
}
