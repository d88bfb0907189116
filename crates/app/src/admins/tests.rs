//! Unit tests of the administrators' service with mocked stores.

use super::*;
use crate::mail::{Letters, Outbox};
use crate::testing::unit::{acting, caller, tenant_outside};
use crate::{AuthSettings, ManualClock};
use canopy_storage::{MockAccountStore, MockAdminStore, MockNodeStore};

fn service(nodes: MockNodeStore, admins: MockAdminStore) -> AdminService {
    let instances = Instances::new([InstanceSlug::parse("default").unwrap()]);
    let letters = Letters::new(Arc::new(Outbox::new()), "http://portal");
    let onboarding = Onboarding::new(Arc::new(ManualClock::default()), letters, AuthSettings::default());
    let key = TokenKey::new(vec![4; 32]);
    AdminService::new(Arc::new(nodes), Arc::new(admins), Arc::new(MockAccountStore::new()), instances, key, onboarding)
}

fn input(email: &str) -> AdminInput {
    AdminInput { email: email.into(), ..Default::default() }
}

#[tokio::test]
async fn a_missing_permission_is_refused_before_any_store_call() {
    // Mocks without expectations panic on any call.
    let service = service(MockNodeStore::new(), MockAdminStore::new());
    let tenant_admin = caller(Profile::TenantAdmin, Some(3));
    let group = Some((NodeKind::Group, Uuid::from_u128(1)));
    let err = service.create(&acting(&tenant_admin), "default", group, input("x@example.com")).await.unwrap_err();
    assert!(matches!(err, AppError::Forbidden(Permission::Admins(Some(NodeKind::Group), AdminAction::Create))));
    let err = service.list(&tenant_admin, "default", None, ListParams::default()).await.unwrap_err();
    assert!(matches!(err, AppError::Forbidden(Permission::Admins(None, AdminAction::List))), "{err:?}");
    let err =
        service.delete(&acting(&caller(Profile::GroupAdmin, Some(1))), "default", None, "a@b.c").await.unwrap_err();
    assert!(matches!(err, AppError::Forbidden(_)), "{err:?}");
}

#[tokio::test]
async fn invalid_input_is_refused_before_any_store_call() {
    let service = service(MockNodeStore::new(), MockAdminStore::new());
    let root = caller(Profile::SystemAdmin, None);
    for bad in [input("not an address"), AdminInput { mobile: Some("x".into()), ..input("a@b.c") }] {
        let err = service.create(&acting(&root), "default", None, bad).await.unwrap_err();
        assert!(matches!(err, AppError::Invalid(_)), "{err:?}");
    }
    let weak = AdminInput { temporary_password: Some("short".into()), ..input("a@b.c") };
    let err = service.create(&acting(&root), "default", None, weak).await.unwrap_err();
    assert!(matches!(&err, AppError::Invalid(e) if e.field() == Some("temporaryPassword")), "{err:?}");
    let shown = format!("{:?}", AdminInput { temporary_password: Some("Secret-Temporary-1".into()), ..input("a@b.c") });
    assert!(!shown.contains("Secret-Temporary-1"), "{shown}");
}

#[tokio::test]
async fn a_node_outside_the_subtree_is_not_found_and_its_administrators_untouched() {
    let mut nodes = MockNodeStore::new();
    nodes.expect_get_node().returning(|_, _, _| Ok(Some(tenant_outside())));
    let mut accounts = MockAdminStore::new();
    accounts.expect_create_admin().never();
    accounts.expect_page_admins().never();
    let service = service(nodes, accounts);
    let other_group_admin = caller(Profile::GroupAdmin, Some(1));
    let tenant = Some((NodeKind::Tenant, Uuid::from_u128(9)));
    let err = service.create(&acting(&other_group_admin), "default", tenant, input("x@example.com")).await.unwrap_err();
    assert!(matches!(err, AppError::NotFound(NodeKind::Tenant)), "{err:?}");
    let err = service.list(&other_group_admin, "default", tenant, ListParams::default()).await.unwrap_err();
    assert!(matches!(err, AppError::NotFound(NodeKind::Tenant)), "{err:?}");
}
