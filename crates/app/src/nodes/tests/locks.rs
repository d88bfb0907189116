//! The lock of a subtree through the one write path: the permission first, then the node in the
//! caller's subtree, then one store call carrying the caller's level and home; the store's
//! refusals become `TreeLocked`.

use super::*;
use canopy_domain::{HeldAbove, Home, LockRequest};
use canopy_storage::{StoreError, TreeLockError};

/// A tenant of group 1, whose administrator (home 1, a reseller's level here) reaches it.
fn reaching() -> MockNodeStore {
    let mut store = MockNodeStore::new();
    store.expect_get_node().returning(|_, kind, id| Ok(Some(view(kind, id.0.as_u128(), group_one()))));
    store
}

fn group_one() -> Lineage {
    Lineage { group: Some(NodeId(Uuid::from_u128(1))), ..Default::default() }
}

#[tokio::test]
async fn only_the_system_and_the_partner_levels_lock_and_a_refusal_comes_before_any_store_call() {
    let service = service(MockNodeStore::new());
    for profile in [Profile::TenantAdmin, Profile::SiteGroupAdmin, Profile::EndUser] {
        let who = acting(&caller(profile, Some(1)));
        let err = service.lock(&who, "default", NodeKind::SiteGroup, Uuid::from_u128(2)).await.unwrap_err();
        assert!(matches!(err, AppError::Forbidden(Permission::Lock(NodeKind::SiteGroup))), "{profile}: {err:?}");
        let err = service.unlock(&who, "default", NodeKind::SiteGroup, Uuid::from_u128(2)).await.unwrap_err();
        assert!(matches!(err, AppError::Forbidden(Permission::Lock(NodeKind::SiteGroup))), "{profile}: {err:?}");
    }
}

#[tokio::test]
async fn the_store_gets_the_callers_level_and_home_and_an_unlock_held_above_is_tree_locked() {
    let mut store = reaching();
    let home = Home { id: NodeId(Uuid::from_u128(1)), kind: NodeKind::Reseller };
    store
        .expect_set_tree_lock()
        .withf(move |_, kind, id, request, by, change| {
            (*kind, id.0, *request, *by, change.home, change.action.as_str())
                == (
                    NodeKind::Tenant,
                    Uuid::from_u128(2),
                    LockRequest::Lock,
                    Some(NodeKind::Reseller),
                    Some(home),
                    "tenant.lock",
                )
        })
        .times(1)
        .returning(|_, _, _, _, _, _| Ok(true));
    store
        .expect_set_tree_lock()
        .withf(|_, _, _, request, _, change| *request == LockRequest::Unlock && change.action == "tenant.unlock")
        .times(2)
        .returning({
            let mut answers =
                vec![Err(TreeLockError::HeldAbove(HeldAbove)), Err(TreeLockError::Store(StoreError::TreeLocked))];
            move |_, _, _, _, _, _| answers.remove(0)
        });
    let service = service(store);
    let reseller_admin = acting(&caller(Profile::ResellerAdmin, Some(1)));
    let tenant = Uuid::from_u128(2);
    service.lock(&reseller_admin, "default", NodeKind::Tenant, tenant).await.unwrap();
    for _ in 0..2 {
        let err = service.unlock(&reseller_admin, "default", NodeKind::Tenant, tenant).await.unwrap_err();
        assert!(matches!(err, AppError::TreeLocked), "{err:?}");
    }
}

#[tokio::test]
async fn a_node_outside_the_subtree_is_not_found_and_never_locked() {
    let mut store = MockNodeStore::new();
    // The tenant lies in group 8: a reseller homed at node 1 does not reach it.
    store.expect_get_node().returning(|_, kind, id| {
        Ok(Some(view(kind, id.0.as_u128(), Lineage { group: Some(NodeId(Uuid::from_u128(8))), ..Default::default() })))
    });
    let service = service(store);
    let reseller_admin = acting(&caller(Profile::ResellerAdmin, Some(1)));
    let err = service.lock(&reseller_admin, "default", NodeKind::Tenant, Uuid::from_u128(2)).await.unwrap_err();
    assert!(matches!(err, AppError::NotFound(NodeKind::Tenant)), "{err:?}");
}
