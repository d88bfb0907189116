//! Contract cases of optimistic concurrency: versions of nodes, administrators and voice routing
//! start at 1 and count every change; a change made on a stale version changes nothing and names
//! the current one; of concurrent changes made on one version exactly one applies.

use super::accounts::new_admin;
use crate::{Case, case, change, create, instance, prepared};
use canopy_domain::{
    Change, NodeKind, NodeName, Priority, RoutePattern, UsageLinks, Version, VersionMismatch, VoiceId,
};
use canopy_storage::voice_routing::{NewRoute, RouteChanges, VoiceWriteError};
use canopy_storage::{
    AdminChanges, DeleteNodeError, DeleteUsageError, Deleted, NodeChanges, Store, UpdateNodeError, VersionedWriteError,
};
use std::sync::Arc;

/// How many changes race on one version in each round.
const RACERS: usize = 8;

/// A change made on the strength of `version`.
fn at(version: Version) -> Change {
    Change { expected: Some(version), ..change() }
}

fn name(raw: &str) -> NodeName {
    NodeName::parse(raw).unwrap()
}

fn renamed(raw: &str) -> NodeChanges {
    NodeChanges { name: Some(name(raw)), ..Default::default() }
}

fn stale(expected: u64, current: u64) -> VersionMismatch {
    VersionMismatch { expected: Version(expected), current: Version(current) }
}

fn new_route(raw: &str) -> NewRoute {
    NewRoute {
        name: name(raw),
        pattern: RoutePattern::parse(".*").unwrap(),
        priority: Priority::parse(1).unwrap(),
        usages: UsageLinks::default(),
    }
}

async fn node_versions_start_at_one_and_a_stale_change_changes_nothing(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    assert_eq!(group.version, Version::FIRST);
    let kind = NodeKind::Group;
    let first = store.update_node(&instance(), kind, group.id, renamed("G1"), &at(Version(1))).await.unwrap().node;
    assert_eq!(first.version, Version(2));
    let unguarded = store.update_node(&instance(), kind, group.id, renamed("G2"), &change()).await.unwrap().node;
    assert_eq!(unguarded.version, Version(3), "no precondition still counts");

    let err = store.update_node(&instance(), kind, group.id, renamed("Lost"), &at(Version(2))).await.unwrap_err();
    assert!(matches!(err, UpdateNodeError::VersionMismatch(m) if m == stale(2, 3)), "{err:?}");
    let err = store.update_node(&instance(), kind, group.id, renamed("Future"), &at(Version(9))).await.unwrap_err();
    assert!(matches!(err, UpdateNodeError::VersionMismatch(m) if m == stale(9, 3)), "{err:?}");
    let err = store.delete_node(&instance(), kind, group.id, &at(Version(1))).await.unwrap_err();
    assert!(matches!(err, DeleteNodeError::VersionMismatch(m) if m == stale(1, 3)), "{err:?}");
    let view = store.get_node(&instance(), kind, group.id).await.unwrap().expect("a stale deletion deletes nothing");
    assert_eq!((view.node.name.as_str(), view.node.version), ("G2", Version(3)), "nothing changed");

    let missing = canopy_domain::NodeId(uuid::Uuid::new_v4());
    let err = store.update_node(&instance(), kind, missing, renamed("X"), &at(Version(1))).await.unwrap_err();
    assert!(matches!(err, UpdateNodeError::NotFound), "absence is not a mismatch: {err:?}");
    let absent = store.delete_node(&instance(), kind, missing, &at(Version(4))).await.unwrap();
    assert_eq!(absent, Deleted::Absent, "deleting the absent stays idempotent");
    let removed = store.delete_node(&instance(), kind, group.id, &at(Version(3))).await.unwrap();
    assert_eq!(removed, Deleted::Removed);
}

/// `RACERS` updates of one node, all made on the version they read, race `rounds` times: exactly
/// one applies each round, the others are refused naming the winner's version.
async fn concurrent_node_updates_on_one_version_apply_exactly_once(store: Arc<dyn Store>, rounds: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    let tenant = create(&*store, NodeKind::Tenant, Some(&group), "T").await;
    let mut version = tenant.version;
    for round in 0..rounds {
        let mut racers = Vec::new();
        for i in 0..RACERS {
            let store = store.clone();
            let changes = renamed(&format!("T {round}.{i}"));
            racers.push(tokio::spawn(async move {
                store.update_node(&instance(), NodeKind::Tenant, tenant.id, changes, &at(version)).await
            }));
        }
        let mut winners = Vec::new();
        for racer in racers {
            match racer.await.unwrap() {
                Ok(updated) => winners.push(updated.node),
                Err(UpdateNodeError::VersionMismatch(m)) => assert_eq!(m, stale(version.0, version.0 + 1)),
                Err(other) => panic!("round {round}: {other:?}"),
            }
        }
        assert_eq!(winners.len(), 1, "round {round}: exactly one update applies");
        let stored = store.get_node(&instance(), NodeKind::Tenant, tenant.id).await.unwrap().unwrap().node;
        assert_eq!((&stored.name, stored.version), (&winners[0].name, version.next()), "round {round}");
        version = stored.version;
    }
}

async fn admin_versions_count_changes_and_refuse_stale_ones(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    let new = new_admin(instance(), Some((NodeKind::Group, group.id)), "a@example.com");
    let admin = store.create_admin(new, &change()).await.unwrap();
    assert_eq!(admin.version, Version::FIRST);
    let named = |first: &str| AdminChanges { first_name: Some(first.into()), ..Default::default() };
    let updated = store.update_admin(admin.id, named("Ann"), &at(Version(1))).await.unwrap().unwrap();
    assert_eq!(updated.version, Version(2));
    let err = store.update_admin(admin.id, named("Lost"), &at(Version(1))).await.unwrap_err();
    assert!(matches!(err, VersionedWriteError::VersionMismatch(m) if m == stale(1, 2)), "{err:?}");
    let err = store.delete_admin(admin.id, &at(Version(1))).await.unwrap_err();
    assert!(matches!(err, VersionedWriteError::VersionMismatch(m) if m == stale(1, 2)), "{err:?}");
    let listed = store.list_admins(&instance(), Some(group.id)).await.unwrap();
    assert_eq!(listed.len(), 1, "a stale deletion deletes nothing");
    assert_eq!((listed[0].details.first_name.as_deref(), listed[0].version), (Some("Ann"), Version(2)));
    assert_eq!(store.delete_admin(admin.id, &at(Version(2))).await.unwrap(), Deleted::Removed);
    assert_eq!(store.delete_admin(admin.id, &at(Version(2))).await.unwrap(), Deleted::Absent);
    assert!(store.update_admin(admin.id, named("Gone"), &at(Version(2))).await.unwrap().is_none());
}

async fn voice_routing_versions_count_changes_and_refuse_stale_ones(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await.id;
    let usage = store.create_usage(group, name("U"), &change()).await.unwrap();
    assert_eq!(usage.version, Version::FIRST);
    let renamed = store.rename_usage(group, usage.id, name("U2"), &at(Version(1))).await.unwrap();
    assert_eq!(renamed.version, Version(2));
    let err = store.rename_usage(group, usage.id, name("Lost"), &at(Version(1))).await.unwrap_err();
    assert!(matches!(err, VoiceWriteError::VersionMismatch(m) if m == stale(1, 2)), "{err:?}");
    let err = store.delete_usage(group, usage.id, &at(Version(1))).await.unwrap_err();
    assert!(matches!(err, DeleteUsageError::VersionMismatch(m) if m == stale(1, 2)), "{err:?}");
    let err = store.rename_usage(group, VoiceId(usage.id.0 + 1000), name("X"), &at(Version(1))).await.unwrap_err();
    assert!(matches!(err, VoiceWriteError::NotFound), "absence is not a mismatch: {err:?}");

    let route = store.create_route(group, new_route("R"), &change()).await.unwrap();
    assert_eq!(route.version, Version::FIRST);
    let links = UsageLinks::parse(&[usage.id.0]).unwrap();
    let relinked = RouteChanges { usages: Some(links), ..Default::default() };
    let updated = store.update_route(group, route.id, relinked, &at(Version(1))).await.unwrap();
    assert_eq!((updated.version, updated.usages.len()), (Version(2), 1), "a change of links alone counts");
    let priority = RouteChanges { priority: Some(Priority::parse(9).unwrap()), ..Default::default() };
    let err = store.update_route(group, route.id, priority, &at(Version(1))).await.unwrap_err();
    assert!(matches!(err, VoiceWriteError::VersionMismatch(m) if m == stale(1, 2)), "{err:?}");
    let err = store.delete_route(group, route.id, &at(Version(1))).await.unwrap_err();
    assert!(matches!(err, VersionedWriteError::VersionMismatch(m) if m == stale(1, 2)), "{err:?}");

    let policy = canopy_storage::NewPolicy { name: name("P"), usages: UsageLinks::default() };
    let policy = store.create_policy(group, policy, &change()).await.unwrap();
    assert_eq!(policy.version, Version::FIRST);
    let changes = canopy_storage::PolicyChanges { name: Some(name("P2")), ..Default::default() };
    assert_eq!(store.update_policy(group, policy.id, changes.clone(), &change()).await.unwrap().version, Version(2));
    let err = store.update_policy(group, policy.id, changes, &at(Version(1))).await.unwrap_err();
    assert!(matches!(err, VoiceWriteError::VersionMismatch(m) if m == stale(1, 2)), "{err:?}");
    let err = store.delete_policy(group, policy.id, &at(Version(1))).await.unwrap_err();
    assert!(matches!(err, VersionedWriteError::VersionMismatch(m) if m == stale(1, 2)), "{err:?}");

    // Nothing stale changed anything: the lists show the last applied versions.
    let request = |kind| super::voice_routing::voice_request(group, kind, Default::default());
    let usages = store.list_usages(&request(canopy_domain::VoiceKind::PstnUsage)).await.unwrap().items;
    assert_eq!((usages[0].name.as_str(), usages[0].version), ("U2", Version(2)));
    let routes = store.list_routes(&request(canopy_domain::VoiceKind::VoiceRoute)).await.unwrap().items;
    assert_eq!((routes[0].priority.get(), routes[0].version), (1, Version(2)));
    let policies = store.list_policies(&request(canopy_domain::VoiceKind::VoiceRoutingPolicy)).await.unwrap().items;
    assert_eq!((policies[0].name.as_str(), policies[0].version), ("P2", Version(2)));

    assert_eq!(store.delete_route(group, route.id, &at(Version(2))).await.unwrap(), Deleted::Removed);
    assert_eq!(store.delete_route(group, route.id, &at(Version(7))).await.unwrap(), Deleted::Absent);
    assert_eq!(store.delete_policy(group, policy.id, &at(Version(2))).await.unwrap(), Deleted::Removed);
    assert_eq!(store.delete_usage(group, usage.id, &at(Version(2))).await.unwrap(), Deleted::Removed);
    assert_eq!(store.delete_usage(group, usage.id, &at(Version(2))).await.unwrap(), Deleted::Absent);
}

/// `RACERS` updates of one voice route, all made on one version, race `rounds` times: exactly one
/// applies each round, and the route counts one version per round.
async fn concurrent_route_updates_on_one_version_apply_exactly_once(store: Arc<dyn Store>, rounds: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await.id;
    let route = store.create_route(group, new_route("R"), &change()).await.unwrap();
    let mut version = route.version;
    for round in 0..rounds {
        let mut racers = Vec::new();
        for i in 0..RACERS {
            let store = store.clone();
            let priority = Priority::parse(i64::try_from(round * RACERS + i).unwrap()).unwrap();
            let changes = RouteChanges { priority: Some(priority), ..Default::default() };
            racers.push(tokio::spawn(async move { store.update_route(group, route.id, changes, &at(version)).await }));
        }
        let mut winners = Vec::new();
        for racer in racers {
            match racer.await.unwrap() {
                Ok(route) => winners.push(route),
                Err(VoiceWriteError::VersionMismatch(m)) => assert_eq!(m, stale(version.0, version.0 + 1)),
                Err(other) => panic!("round {round}: {other:?}"),
            }
        }
        assert_eq!(winners.len(), 1, "round {round}: exactly one update applies");
        let request =
            super::voice_routing::voice_request(group, canopy_domain::VoiceKind::VoiceRoute, Default::default());
        let stored = store.list_routes(&request).await.unwrap().items.remove(0);
        assert_eq!((stored.priority, stored.version), (winners[0].priority, version.next()), "round {round}");
        version = stored.version;
    }
}

pub(crate) const CASES: &[Case] = &[
    case!(node_versions_start_at_one_and_a_stale_change_changes_nothing),
    case!(concurrent_node_updates_on_one_version_apply_exactly_once),
    case!(admin_versions_count_changes_and_refuse_stale_ones),
    case!(voice_routing_versions_count_changes_and_refuse_stale_ones),
    case!(concurrent_route_updates_on_one_version_apply_exactly_once),
];
