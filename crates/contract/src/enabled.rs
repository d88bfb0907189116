//! Contract cases of a node's `enabled` flag (the portal's `status`): stored and changed like any
//! attribute; disabling one closes the sessions of every account homed at or below it (and only
//! those), and the session check refuses theirs while it stays disabled.

use crate::accounts::{hash, new_admin};
use crate::levels::{group_and_tenant, site_group};
use crate::{Case, case, change, create, instance, prepared};
use canopy_domain::{NodeKind, Timestamp};
use canopy_storage::{NewSession, NodeChanges, Store};
use std::sync::Arc;

fn switch(enabled: bool) -> NodeChanges {
    NodeChanges { enabled: Some(enabled), ..Default::default() }
}

async fn a_disabled_node_closes_and_refuses_the_sessions_homed_at_or_below_it_only(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let (group, tenant) = group_and_tenant(&*store, "G").await;
    let site = site_group(&*store, &tenant, "s", 5).await;
    let other = create(&*store, NodeKind::Tenant, Some(&group), "Other").await;
    let homes = [(NodeKind::Group, group.id), (NodeKind::Tenant, tenant.id), (NodeKind::SiteGroup, site.id)];
    let mut admins = vec![];
    for (n, (kind, home)) in homes.into_iter().chain([(NodeKind::Tenant, other.id)]).enumerate() {
        let new = new_admin(instance(), Some((kind, home)), &format!("a{n}@example.com"));
        let admin = store.create_admin(new, &change()).await.unwrap();
        let session = NewSession { hash: hash(n as u8), admin: admin.id, expires: Timestamp(1000), now: Timestamp(0) };
        store.open_session(session).await.unwrap();
        admins.push(admin);
    }
    let live = async |store: &Arc<dyn Store>| {
        let mut live = vec![];
        for n in 0..4u8 {
            live.push(store.session_admin(hash(n), Timestamp(1)).await.unwrap().is_some());
        }
        live
    };
    assert_eq!(live(&store).await, [true, true, true, true]);

    let disabled = store.update_node(&instance(), NodeKind::Tenant, tenant.id, switch(false), &change()).await.unwrap();
    assert_eq!((disabled.node.enabled, disabled.node.version.0), (false, tenant.version.0 + 1), "a versioned change");
    let read = store.get_node(&instance(), NodeKind::Tenant, tenant.id).await.unwrap().unwrap();
    assert!(!read.node.enabled, "stored");
    assert_eq!(live(&store).await, [true, false, false, true], "the tenant and its site group; not above, not beside");
    assert!(store.lineage_enabled(group.id).await.unwrap());
    assert!(!store.lineage_enabled(tenant.id).await.unwrap());
    assert!(!store.lineage_enabled(site.id).await.unwrap(), "below a disabled node");
    assert!(store.lineage_enabled(other.id).await.unwrap());

    // A session opened while it is disabled (a login racing the change) is refused all the same.
    let late = NewSession { hash: hash(9), admin: admins[1].id, expires: Timestamp(1000), now: Timestamp(0) };
    store.open_session(late).await.unwrap();
    assert_eq!(store.session_admin(hash(9), Timestamp(1)).await.unwrap(), None);

    store.update_node(&instance(), NodeKind::Tenant, tenant.id, switch(true), &change()).await.unwrap();
    assert_eq!(live(&store).await, [true, false, false, true], "enabled again, the sessions it closed stay closed");
    assert!(store.session_admin(hash(9), Timestamp(1)).await.unwrap().is_some(), "the unclosed one works again");
    store.update_node(&instance(), NodeKind::Group, group.id, switch(false), &change()).await.unwrap();
    assert_eq!(live(&store).await, [false, false, false, false], "a group stops everything below it");
    let renamed = NodeChanges { name: Some(canopy_domain::NodeName::parse("G2").unwrap()), ..Default::default() };
    let updated = store.update_node(&instance(), NodeKind::Group, group.id, renamed, &change()).await.unwrap();
    assert!(!updated.node.enabled, "a change that does not name it keeps it");
}

pub(crate) const CASES: &[Case] = &[case!(a_disabled_node_closes_and_refuses_the_sessions_homed_at_or_below_it_only)];
