//! Contract cases of the tree locks (`canopy_domain::tree_lock`): whom a lock binds, that every
//! kind of write meets it in its own unit of work, and that a write racing a lock committed
//! before it or is refused.

use super::accounts::new_admin;
use super::audit::entries;
use super::levels::site_group;
use crate::{Case, case, change, create, instance, new_node, prepared};
use canopy_domain::{
    AuthCodeEntry, BrandingDocument, BrandingKey, Change, ConfigWrite, Destination, DraasDomain, Home, Level,
    LockRequest, NewCodes, NewCustomPermission, Node, NodeKind, NodeName, Outcome, RatePlanName, TreeLock,
    UserGroupFields, UserGroupName, WriteMode, parse_platforms,
};
use canopy_storage::{NodeChanges, Store, StoreError, TreeLockError};
use serde_json::json;
use std::fmt::Debug;
use std::sync::Arc;

/// A change made by an administrator homed at `home`, which the locks on its lineage bind.
fn by(home: &Node, request_id: &str) -> Change {
    let home = Some(Home { id: home.id, kind: home.kind });
    Change { home, request_id: request_id.into(), node: None, ..change() }
}

/// Asks `request` of `node`'s lock as an administrator homed at `home` (`None`: the system).
async fn ask(store: &dyn Store, node: &Node, request: LockRequest, home: Option<&Node>) -> Result<bool, TreeLockError> {
    let level: Level = home.map(|home| home.kind);
    let change = match home {
        Some(home) => Change { node: Some(node.id), ..by(home, "lock") },
        None => Change { node: Some(node.id), request_id: "lock".into(), ..change() },
    };
    store.set_tree_lock(&instance(), node.kind, node.id, request, level, &change).await
}

fn is_locked<T: Debug, E: Debug>(result: &Result<T, E>) -> bool {
    matches!(result, Err(err) if format!("{err:?}").contains("TreeLocked"))
}

/// A rename of `node` by an administrator homed at `home`: `true` when it applied, `false` when
/// a lock refused it (anything else fails the case).
async fn renames(store: &dyn Store, node: &Node, home: &Node, name: &str) -> bool {
    let changes = NodeChanges { name: Some(NodeName::parse(name).unwrap()), ..NodeChanges::default() };
    let result = store.update_node(&instance(), node.kind, node.id, changes, &by(home, name)).await;
    assert!(result.is_ok() || is_locked(&result), "{name}: {result:?}");
    result.is_ok()
}

/// An upsert of the property `key`.
fn upsert(key: &str) -> ConfigWrite {
    let properties = json!({ key: 1 }).as_object().unwrap().clone();
    ConfigWrite::parse(WriteMode::Upsert, properties.into_iter().collect()).unwrap()
}

async fn lock_of(store: &dyn Store, node: &Node) -> Option<TreeLock> {
    store.get_node(&instance(), node.kind, node.id).await.unwrap().expect("the node").node.lock
}

/// G > D > R > T > S > U.
async fn tree(store: &dyn Store) -> [Node; 6] {
    let g = create(store, NodeKind::Group, None, "G").await;
    let d = create(store, NodeKind::Distributor, Some(&g), "D").await;
    let r = create(store, NodeKind::Reseller, Some(&d), "R").await;
    let t = create(store, NodeKind::Tenant, Some(&r), "T").await;
    let s = site_group(store, &t, "s", 10).await;
    let u = create(store, NodeKind::User, Some(&s), "u").await;
    [g, d, r, t, s, u]
}

async fn a_lock_binds_the_administrators_homed_inside_its_node_but_its_holder(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let [g, d, r, t, s, u] = tree(&*store).await;
    let store = &*store;
    // The reseller locks its tenant: the tenant's and the site group's administrators are
    // refused, the reseller and those above write on; the node shows its holder.
    assert!(ask(store, &t, LockRequest::Lock, Some(&r)).await.unwrap());
    assert_eq!(lock_of(store, &t).await, Some(TreeLock { holder: Some(NodeKind::Reseller) }));
    assert!(!renames(store, &s, &t, "by the tenant").await);
    assert!(!renames(store, &u, &s, "by the site group").await);
    assert!(renames(store, &t, &r, "by the reseller").await);
    assert!(renames(store, &s, &d, "by the distributor").await);
    let created = store.create_node(new_node(NodeKind::User, Some(&s), "v"), &by(&t, "create")).await;
    assert!(is_locked(&created), "{created:?}");
    assert!(store.get_node(&instance(), NodeKind::SiteGroup, s.id).await.unwrap().unwrap().subtree.users == 1);
    // Only the holder or above unlocks; below, refused. Locking again by the holder changes
    // nothing; by the group, the lock moves up to it and the reseller can no longer unlock.
    let below = ask(store, &t, LockRequest::Unlock, Some(&t)).await;
    assert!(matches!(below, Err(TreeLockError::HeldAbove(_) | TreeLockError::Store(StoreError::TreeLocked))));
    assert!(!ask(store, &t, LockRequest::Lock, Some(&r)).await.unwrap(), "held already");
    assert!(ask(store, &t, LockRequest::Lock, Some(&g)).await.unwrap());
    assert_eq!(lock_of(store, &t).await, Some(TreeLock { holder: Some(NodeKind::Group) }));
    for below in [&r, &d] {
        assert!(matches!(ask(store, &t, LockRequest::Unlock, Some(below)).await, Err(TreeLockError::HeldAbove(_))));
    }
    assert!(ask(store, &t, LockRequest::Unlock, Some(&g)).await.unwrap());
    assert_eq!(lock_of(store, &t).await, None);
    assert!(renames(store, &s, &t, "unlocked").await);
}

async fn a_lock_on_a_higher_node_binds_deeper_homes_and_its_own_holder_only_is_free(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let [_, d, r, t, s, _] = tree(&*store).await;
    let store = &*store;
    // The tenant locks itself: it writes on, its site group does not.
    assert!(ask(store, &t, LockRequest::Lock, Some(&t)).await.unwrap());
    assert!(renames(store, &s, &t, "own lock").await);
    assert!(!renames(store, &s, &s, "inside the tenant's lock").await);
    // The distributor locks the reseller: everyone homed at the reseller or below is refused,
    // the tenant's own lock no help.
    assert!(ask(store, &r, LockRequest::Lock, Some(&d)).await.unwrap());
    assert!(!renames(store, &t, &r, "the reseller inside").await);
    assert!(!renames(store, &s, &t, "the tenant deeper").await);
    assert!(renames(store, &t, &d, "the holder").await);
    // A bound administrator's lock request is refused, even one that would change nothing.
    let again = ask(store, &t, LockRequest::Lock, Some(&t)).await;
    assert!(matches!(again, Err(TreeLockError::Store(StoreError::TreeLocked))), "{again:?}");
    let fresh = ask(store, &s, LockRequest::Lock, Some(&r)).await;
    assert!(matches!(fresh, Err(TreeLockError::Store(StoreError::TreeLocked))), "{fresh:?}");
    assert_eq!(lock_of(store, &s).await, None, "nothing changed");
    // The system unlocks anything; unlocking what is unlocked changes nothing.
    assert!(ask(store, &r, LockRequest::Unlock, None).await.unwrap());
    assert!(!ask(store, &r, LockRequest::Unlock, None).await.unwrap());
    assert!(renames(store, &t, &r, "unlocked").await);
}

/// One write of each port (each file of each adapter), by a group administrator under the
/// system's lock on its group: every one refused, none recorded, nothing changed.
async fn every_kind_of_write_meets_the_lock_in_its_own_unit_of_work(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let [g, _, _, t, s, u] = tree(&*store).await;
    let store = &*store;
    let domain = DraasDomain::parse("locked.example").unwrap();
    store.add_domain(&instance(), &domain, &change()).await.unwrap();
    let tenant_admin = new_admin(instance(), Some((NodeKind::Tenant, t.id)), "t@x.example");
    let admin = store.create_admin(tenant_admin, &change()).await.unwrap();
    assert!(ask(store, &g, LockRequest::Lock, None).await.unwrap());
    let before = entries(store, None, None).await.len();
    let bound = by(&g, "bound");
    let config = upsert("a");
    let branding = BrandingDocument::parse(BrandingKey::General, json!({ "name": "x" })).unwrap();
    let plan = RatePlanName::parse("std").unwrap();
    let destination = Destination::parse(1, "Italy").unwrap();
    let codes = NewCodes::new(vec![AuthCodeEntry::parse("4711", None).unwrap()]).unwrap();
    let group_name = UserGroupFields { name: UserGroupName::parse("UG").unwrap(), description: None, branch: None };
    let custom = NewCustomPermission::parse("L", None, false).unwrap();
    let name = NodeName::parse("N").unwrap();
    let changes = NodeChanges { name: Some(name.clone()), ..NodeChanges::default() };
    let outcomes: Vec<(&str, bool)> = vec![
        ("create_node", is_locked(&store.create_node(new_node(NodeKind::Tenant, Some(&g), "X"), &bound).await)),
        ("update_node", is_locked(&store.update_node(&instance(), NodeKind::User, u.id, changes, &bound).await)),
        ("delete_node", is_locked(&store.delete_node(&instance(), NodeKind::User, u.id, &bound).await)),
        ("create_admin", is_locked(&store.create_admin(new_admin(instance(), None, "n@x.example"), &bound).await)),
        ("delete_admin", is_locked(&store.delete_admin(admin.id, &bound).await)),
        ("write_config", is_locked(&store.write_config(s.id, &config, &bound).await)),
        ("put_branding", is_locked(&store.put_branding(t.id, BrandingKey::General, branding.clone(), &bound).await)),
        (
            "set_enabled_ucs",
            is_locked(&store.set_enabled_ucs(t.id, parse_platforms::<&str>(&[]).unwrap(), &bound).await),
        ),
        ("put_destination", is_locked(&store.put_destination(t.id, plan, destination, &bound).await)),
        ("create_usage", is_locked(&store.create_usage(g.id, name, &bound).await)),
        ("create_user_group", is_locked(&store.create_user_group(t.id, group_name, &bound).await)),
        ("create_custom_permission", is_locked(&store.create_custom_permission(t.id, custom, &bound).await)),
        ("add_codes", is_locked(&store.add_codes(&instance(), u.id, &codes, &bound).await)),
        ("assign_domain", is_locked(&store.assign_domain(&instance(), t.id, &domain, &bound).await)),
        (
            "put_instance_branding",
            is_locked(&store.put_instance_branding(&instance(), BrandingKey::General, branding, &bound).await),
        ),
    ];
    let unlocked: Vec<&str> = outcomes.iter().filter(|(_, locked)| !locked).map(|(name, _)| *name).collect();
    assert!(unlocked.is_empty(), "not refused: {unlocked:?}");
    assert_eq!(entries(store, None, None).await.len(), before, "nothing recorded");
    assert!(store.get_node(&instance(), NodeKind::User, u.id).await.unwrap().is_some(), "nothing changed");
    assert!(store.get_admin(&instance(), admin.id).await.unwrap().is_some());
    assert_eq!(store.tenant_domains(&instance(), t.id).await.unwrap(), Some(vec![]));
}

/// Config writes by the tenant's administrator race the reseller's lock of the tenant, `rounds`
/// times: every write applied before the lock (its entry older than the lock's, and counted by
/// the configuration's version) or was refused; none applied after.
async fn writes_racing_a_lock_applied_before_it_or_are_refused(store: Arc<dyn Store>, rounds: usize) {
    prepared(&*store).await;
    for round in 0..rounds.min(10) {
        let g = create(&*store, NodeKind::Group, None, &format!("Race {round}")).await;
        let r = create(&*store, NodeKind::Reseller, Some(&g), "R").await;
        let t = create(&*store, NodeKind::Tenant, Some(&r), "T").await;
        let mut writes = Vec::new();
        for i in 0..20 {
            let (store, t) = (store.clone(), t.clone());
            writes.push(tokio::spawn(async move {
                let write = upsert(&format!("k{i}"));
                let change = Change { node: Some(t.id), ..by(&t, &format!("write {round} {i}")) };
                store.write_config(t.id, &write, &change).await
            }));
        }
        let locker = {
            let (store, r, t) = (store.clone(), r.clone(), t.clone());
            tokio::spawn(async move { ask(&*store, &t, LockRequest::Lock, Some(&r)).await })
        };
        let mut applied = 0;
        for write in writes {
            let result = write.await.unwrap();
            assert!(result.is_ok() || is_locked(&result), "round {round}: {result:?}");
            applied += usize::from(result.is_ok());
        }
        assert!(locker.await.unwrap().unwrap(), "round {round}: the lock is taken");
        let (_, version) = store.get_config(t.id).await.unwrap().unwrap();
        assert_eq!(version.0, 1 + applied as u64, "round {round}: every applied write counted, no other");
        // Newest first: the lock's entry, then only writes that applied before it.
        let log = entries(&*store, Some(t.id), None).await;
        let lock_at = log.iter().position(|e| e.action == "contract.change" && e.request_id == "lock").unwrap();
        let writes_applied = |entries: &[canopy_domain::AuditEntry]| {
            entries.iter().filter(|e| e.outcome == Outcome::Applied && e.request_id.starts_with("write ")).count()
        };
        assert_eq!(writes_applied(&log[..lock_at]), 0, "round {round}: a write applied after the lock");
        assert_eq!(writes_applied(&log[lock_at..]), applied, "round {round}");
        let late = store.write_config(t.id, &upsert("late"), &by(&t, "late")).await;
        assert!(is_locked(&late), "round {round}: locked for good");
    }
}

pub(crate) const CASES: &[Case] = &[
    case!(a_lock_binds_the_administrators_homed_inside_its_node_but_its_holder),
    case!(a_lock_on_a_higher_node_binds_deeper_homes_and_its_own_holder_only_is_free),
    case!(every_kind_of_write_meets_the_lock_in_its_own_unit_of_work),
    case!(writes_racing_a_lock_applied_before_it_or_are_refused),
];
