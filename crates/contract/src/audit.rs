//! Contract cases of the audit log: every applied change is recorded in its own unit of work with
//! its node's lineage, refusals only when recorded as such, and the list is cut to a subtree.

use super::accounts::new_admin;
use crate::{Case, case, change, create, instance, key, new_node, prepared};
use canopy_domain::{
    AuditEntry, AuditScope, Change, ListItem, ListParams, Node, NodeId, NodeKind, NodeName, Outcome, PageRequest,
    Timestamp,
};
use canopy_storage::{CreateNodeError, DeleteNodeError, Deleted, Store};
use serde_json::json;
use std::collections::HashSet;
use std::sync::Arc;

/// A change of `action` on `node`, in the request `request_id`.
fn change_on(node: Option<&Node>, action: &str, request_id: &str) -> Change {
    Change { node: node.map(|n| n.id), action: action.into(), request_id: request_id.into(), ..change() }
}

/// Every entry of the list cut to `within` (and `node`), newest first, walked with `next` tokens.
pub(crate) async fn entries(store: &dyn Store, within: Option<NodeId>, node: Option<NodeId>) -> Vec<AuditEntry> {
    let scope = AuditScope { instance: instance(), within, node };
    let mut request = audit_request(scope.clone(), None, Some(1000), None);
    let mut all = Vec::new();
    loop {
        let page = store.list_audit(&request).await.unwrap();
        all.extend(page.items.iter().cloned());
        let last = page.items.last().map(|e| e.cursor(request.query.sort));
        let Some(next) = request.next_token(page.total, last, page.more, &key()) else { return all };
        request = audit_request(scope.clone(), None, None, Some(&next));
    }
}

fn request_ids(entries: &[AuditEntry]) -> Vec<&str> {
    entries.iter().map(|e| e.request_id.as_str()).collect()
}

async fn a_change_is_recorded_with_its_lineage(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    let distributor = create(&*store, NodeKind::Distributor, Some(&group), "D").await;
    let new = new_node(NodeKind::Tenant, Some(&distributor), "T");
    let recorded = Change {
        node: Some(new.id),
        action: "tenant.create".into(),
        request_id: "req-tenant".into(),
        method: "POST".into(),
        path: "/api/v01/draas/default/tenants?x=1".into(),
        body: Some(json!({"name": "T", "password": "********"})),
        at: Timestamp(1_800_000_000_123),
        ..change()
    };
    let tenant = store.create_node(new, &recorded).await.unwrap();
    let newest = entries(&*store, None, None).await.into_iter().next().expect("the creation is recorded");
    assert_eq!(newest.node, Some(tenant.id));
    assert_eq!(newest.at, recorded.at);
    assert_eq!(newest.actor, recorded.actor);
    assert_eq!((newest.method.as_str(), newest.path.as_str()), ("POST", "/api/v01/draas/default/tenants?x=1"));
    assert_eq!((newest.action.as_str(), newest.request_id.as_str()), ("tenant.create", "req-tenant"));
    assert_eq!(newest.body, recorded.body);
    assert_eq!((newest.outcome, newest.reason), (Outcome::Applied, None));
    // The lineage, recorded with it, puts it in every ancestor's subtree.
    for top in [group.id, distributor.id, tenant.id] {
        assert!(request_ids(&entries(&*store, Some(top), None).await).contains(&"req-tenant"), "under {top}");
    }
    // Each write records exactly one entry.
    assert_eq!(entries(&*store, None, None).await.len(), 3);
}

async fn a_refused_change_leaves_no_applied_record(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    create(&*store, NodeKind::Tenant, Some(&group), "T").await;
    let duplicate =
        store.create_node(new_node(NodeKind::Tenant, Some(&group), "t"), &change_on(None, "x", "dup")).await;
    assert!(matches!(duplicate, Err(CreateNodeError::DuplicateName)));
    let busy = store.delete_node(&instance(), NodeKind::Group, group.id, &change_on(Some(&group), "x", "busy")).await;
    assert!(matches!(busy, Err(DeleteNodeError::NotEmpty(_))));
    let name = NodeName::parse("U").unwrap();
    store.create_usage(group.id, name.clone(), &change_on(Some(&group), "x", "usage")).await.unwrap();
    let twice = store.create_usage(group.id, name, &change_on(Some(&group), "x", "usage-twice")).await;
    assert!(twice.is_err());
    let missing = NodeId(uuid::Uuid::new_v4());
    let absent = store.delete_node(&instance(), NodeKind::Tenant, missing, &change_on(None, "x", "gone")).await;
    assert_eq!(absent.unwrap(), Deleted::Absent);
    let ids = request_ids(&entries(&*store, None, None).await).into_iter().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(ids, ["usage", "contract", "contract"], "only the applied changes are recorded");
    // A refusal is recorded when told, with its reason.
    store
        .record_refusal(&change_on(Some(&group), "group.delete", "busy"), "the group still has children")
        .await
        .unwrap();
    let newest = entries(&*store, Some(group.id), None).await.into_iter().next().unwrap();
    assert_eq!((newest.request_id.as_str(), newest.outcome), ("busy", Outcome::Refused));
    assert_eq!(newest.reason.as_deref(), Some("the group still has children"));
    // An act that changes nothing stored (an impersonation) is recorded as applied when told.
    store.record_action(&change_on(Some(&group), "admin.impersonate", "acted")).await.unwrap();
    let newest = entries(&*store, Some(group.id), None).await.into_iter().next().unwrap();
    assert_eq!((newest.request_id.as_str(), newest.action.as_str()), ("acted", "admin.impersonate"));
    assert_eq!((newest.outcome, newest.reason), (Outcome::Applied, None));
}

async fn the_subtree_cut_never_shows_a_siblings_entries(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let a = create(&*store, NodeKind::Group, None, "A").await;
    let b = create(&*store, NodeKind::Group, None, "B").await;
    for (holder, request) in [(&a, "in-a"), (&b, "in-b")] {
        let new = new_node(NodeKind::Tenant, Some(holder), "T");
        let recorded = Change { node: Some(new.id), ..change_on(None, "tenant.create", request) };
        let tenant = store.create_node(new, &recorded).await.unwrap();
        let renamed = canopy_storage::NodeChanges { name: Some(NodeName::parse("T2").unwrap()), ..Default::default() };
        let update = change_on(Some(&tenant), "tenant.update", &format!("{request}-update"));
        store.update_node(&instance(), NodeKind::Tenant, tenant.id, renamed, &update).await.unwrap();
    }
    assert_eq!(request_ids(&entries(&*store, Some(a.id), None).await), ["in-a-update", "in-a"]);
    assert_eq!(request_ids(&entries(&*store, Some(b.id), None).await), ["in-b-update", "in-b"]);
    // Entries without node (the groups' creations here) are the system administrators' only.
    assert_eq!(entries(&*store, None, None).await.len(), 6);
    // The node filter narrows, never widens.
    assert!(entries(&*store, Some(a.id), Some(b.id)).await.is_empty());
    assert_eq!(entries(&*store, None, Some(b.id)).await.len(), 2);
    let elsewhere = AuditScope { instance: super::other_instance(), within: None, node: None };
    let request = audit_request(elsewhere, None, None, None);
    assert_eq!(store.list_audit(&request).await.unwrap().total, 0, "another instance's log is its own");
}

async fn the_levels_below_tenants_are_in_their_tenants_and_site_groups_subtrees(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    let mut made = Vec::new();
    for (kind, holder, name) in [
        (NodeKind::Tenant, None, "t"),
        (NodeKind::SiteGroup, Some(0), "s"),
        (NodeKind::User, Some(1), "u"),
        (NodeKind::User, Some(0), "v"),
    ] {
        let holder = holder.map_or(&group, |i: usize| &made[i]);
        let new = new_node(kind, Some(holder), name);
        let recorded = Change { node: Some(new.id), ..change_on(None, "node.create", name) };
        let node = store.create_node(new, &recorded).await.unwrap();
        made.push(node);
    }
    assert_eq!(request_ids(&entries(&*store, Some(made[1].id), None).await), ["u", "s"], "the site group's own");
    assert_eq!(request_ids(&entries(&*store, Some(made[0].id), None).await), ["v", "u", "s", "t"], "the tenant's");
    assert_eq!(request_ids(&entries(&*store, Some(made[2].id), None).await), ["u"], "a user's");
}

async fn paging_walks_every_entry_exactly_once(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    for n in 0..7 {
        create(&*store, NodeKind::Group, None, &format!("G{n}")).await;
    }
    let scope = AuditScope { instance: instance(), within: None, node: None };
    let mut request = audit_request(scope.clone(), None, Some(3), None);
    let mut seen = Vec::new();
    loop {
        let page = store.list_audit(&request).await.unwrap();
        assert_eq!(page.total, 7);
        assert!(page.items.len() <= 3);
        seen.extend(page.items.iter().map(|e| e.id));
        let last = page.items.last().map(|e| e.cursor(request.query.sort));
        let Some(next) = request.next_token(page.total, last, page.more, &key()) else { break };
        request = audit_request(scope.clone(), None, None, Some(&next));
    }
    assert_eq!(seen.len(), 7);
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 7, "an entry seen twice");
    assert!(seen.windows(2).all(|w| w[0] > w[1]), "newest first: {seen:?}");
    // A page asked for by number is the same slice.
    let third = audit_request(scope, Some(3), Some(3), None);
    let page = store.list_audit(&third).await.unwrap();
    assert_eq!(page.items.iter().map(|e| e.id).collect::<Vec<_>>(), seen[6..]);
    assert!(!page.more);
}

async fn entries_outlive_their_node_and_admin(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    let tenant = create(&*store, NodeKind::Tenant, Some(&group), "T").await;
    let home = Some((NodeKind::Tenant, tenant.id));
    let admin = new_admin(instance(), home, "gone@canopy.test");
    let admin = store.create_admin(admin, &change_on(Some(&tenant), "admin.create", "admin")).await.unwrap();
    let deleted = store.delete_admin(admin.id, &change_on(Some(&tenant), "admin.delete", "admin-delete")).await;
    assert_eq!(deleted.unwrap(), Deleted::Removed);
    let again = store.delete_admin(admin.id, &change_on(Some(&tenant), "admin.delete", "admin-again")).await;
    assert_eq!(again.unwrap(), Deleted::Absent);
    let gone = change_on(Some(&tenant), "tenant.delete", "tenant-delete");
    store.delete_node(&instance(), NodeKind::Tenant, tenant.id, &gone).await.unwrap();
    // The deletion was recorded with the lineage the tenant had: its group's administrators see it.
    let seen = entries(&*store, Some(group.id), None).await;
    assert_eq!(request_ids(&seen), ["tenant-delete", "admin-delete", "admin"]);
    assert_eq!(seen[1].action, "admin.delete");
}

fn audit_request(
    scope: AuditScope,
    page: Option<u64>,
    page_size: Option<u64>,
    next: Option<&String>,
) -> PageRequest<AuditScope> {
    let params = ListParams { page, page_size, next: next.cloned(), ..Default::default() };
    PageRequest::resolve(scope, params, &key()).unwrap()
}

pub(crate) const CASES: &[Case] = &[
    case!(the_levels_below_tenants_are_in_their_tenants_and_site_groups_subtrees),
    case!(a_change_is_recorded_with_its_lineage),
    case!(a_refused_change_leaves_no_applied_record),
    case!(the_subtree_cut_never_shows_a_siblings_entries),
    case!(paging_walks_every_entry_exactly_once),
    case!(entries_outlive_their_node_and_admin),
];
