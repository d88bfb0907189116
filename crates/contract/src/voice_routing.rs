//! Contract cases of the voice routing port: names, links, referrers, the group's deletion,
//! lists, and the race of a usage's deletion against routes linking it.

use crate::{Case, case, change, create, instance, key, prepared};
use canopy_domain::{
    ListItem, ListParams, NodeId, NodeKind, NodeName, PageRequest, Priority, RoutePattern, UsageLinks, VoiceId,
    VoiceKind, VoiceScope,
};
use canopy_storage::voice_routing::{NewPolicy, NewRoute, PolicyChanges, RouteChanges, VoiceWriteError};
use canopy_storage::{DeleteUsageError, Deleted, Store};
use std::sync::Arc;

fn name(raw: &str) -> NodeName {
    NodeName::parse(raw).unwrap()
}

fn links(ids: &[VoiceId]) -> UsageLinks {
    UsageLinks::parse(&ids.iter().map(|id| id.0).collect::<Vec<_>>()).unwrap()
}

fn route(raw: &str, usages: &[VoiceId]) -> NewRoute {
    NewRoute {
        name: name(raw),
        pattern: RoutePattern::parse(".*").unwrap(),
        priority: Priority::parse(1).unwrap(),
        usages: links(usages),
    }
}

fn policy(raw: &str, usages: &[VoiceId]) -> NewPolicy {
    NewPolicy { name: name(raw), usages: links(usages) }
}

async fn group(store: &dyn Store, raw: &str) -> NodeId {
    create(store, NodeKind::Group, None, raw).await.id
}

pub(crate) fn voice_request(group: NodeId, kind: VoiceKind, params: ListParams) -> PageRequest<VoiceScope> {
    PageRequest::resolve(VoiceScope { instance: instance(), group, kind, within: None }, params, &key()).unwrap()
}

async fn voice_routing_names_are_unique_per_group_and_kind(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let (g1, g2) = (group(&*store, "G1").await, group(&*store, "G2").await);
    let usage = store.create_usage(g1, name("PSTN Test name"), &change()).await.unwrap();
    assert_eq!((usage.group, usage.name.as_str()), (g1, "PSTN Test name"));
    let err = store.create_usage(g1, name(" pstn TEST name "), &change()).await.unwrap_err();
    assert!(matches!(err, VoiceWriteError::DuplicateName), "{err:?}");
    store.create_usage(g2, name("PSTN Test name"), &change()).await.expect("another group");
    // Each kind has its own names: a route and a policy may share a usage's name.
    store.create_route(g1, route("PSTN Test name", &[]), &change()).await.expect("a route");
    store.create_policy(g1, policy("PSTN Test name", &[]), &change()).await.expect("a policy");
    let err = store.create_route(g1, route("pstn test NAME", &[]), &change()).await.unwrap_err();
    assert!(matches!(err, VoiceWriteError::DuplicateName), "{err:?}");
    let other = store.create_usage(g1, name("Other"), &change()).await.unwrap();
    let err = store.rename_usage(g1, other.id, name("PSTN TEST NAME"), &change()).await.unwrap_err();
    assert!(matches!(err, VoiceWriteError::DuplicateName), "{err:?}");
    let renamed = store.rename_usage(g1, other.id, name("other"), &change()).await.expect("its own name, recased");
    assert_eq!(renamed.name.as_str(), "other");
    let err = store.rename_usage(g2, other.id, name("Elsewhere"), &change()).await.unwrap_err();
    assert!(matches!(err, VoiceWriteError::NotFound), "another group's usage: {err:?}");
    let missing = NodeId(uuid::Uuid::new_v4());
    let err = store.create_usage(missing, name("X"), &change()).await.unwrap_err();
    assert!(matches!(err, VoiceWriteError::GroupNotFound), "{err:?}");
    let tenant_parent = create(&*store, NodeKind::Distributor, Some(&store_group(&*store, g1).await), "D").await;
    let err = store.create_policy(tenant_parent.id, policy("P", &[]), &change()).await.unwrap_err();
    assert!(matches!(err, VoiceWriteError::GroupNotFound), "a distributor holds no voice routing: {err:?}");
}

async fn store_group(store: &dyn Store, id: NodeId) -> canopy_domain::Node {
    store.get_node(&instance(), NodeKind::Group, id).await.unwrap().unwrap().node
}

async fn links_name_usages_of_the_same_group_and_changes_replace_them(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let (g1, g2) = (group(&*store, "G1").await, group(&*store, "G2").await);
    let a = store.create_usage(g1, name("A"), &change()).await.unwrap();
    let b = store.create_usage(g1, name("B"), &change()).await.unwrap();
    let foreign = store.create_usage(g2, name("Foreign"), &change()).await.unwrap();
    let created = store.create_route(g1, route("VR", &[b.id, a.id]), &change()).await.unwrap();
    let shown: Vec<(VoiceId, &str)> = created.usages.iter().map(|u| (u.id, u.name.as_str())).collect();
    assert_eq!(shown, [(b.id, "B"), (a.id, "A")], "in the client's order");
    let missing = VoiceId(foreign.id.0 + 1000);
    let err = store.create_route(g1, route("VR2", &[a.id, missing, foreign.id]), &change()).await.unwrap_err();
    let mut expected = vec![foreign.id, missing];
    expected.sort();
    assert!(matches!(&err, VoiceWriteError::UnknownUsages(ids) if *ids == expected), "{err:?}");
    let err = store.create_policy(g1, policy("P", &[foreign.id]), &change()).await.unwrap_err();
    assert!(matches!(err, VoiceWriteError::UnknownUsages(_)), "{err:?}");

    let changes = RouteChanges { name: Some(name("VR modified")), usages: Some(links(&[a.id])), ..Default::default() };
    let updated = store.update_route(g1, created.id, changes, &change()).await.unwrap();
    assert_eq!((updated.name.as_str(), updated.usages.len(), updated.usages[0].id), ("VR modified", 1, a.id));
    assert_eq!((updated.pattern.as_str(), updated.priority.get()), (".*", 1), "absent fields are kept");
    let kept = store.update_route(g1, created.id, RouteChanges::default(), &change()).await.unwrap();
    assert_eq!(kept.usages, updated.usages, "absent links are kept");
    let cleared = store
        .update_route(g1, created.id, RouteChanges { usages: Some(links(&[])), ..Default::default() }, &change())
        .await;
    assert!(cleared.unwrap().usages.is_empty());
    let failed = store
        .update_route(g1, created.id, RouteChanges { usages: Some(links(&[missing])), ..Default::default() }, &change())
        .await;
    assert!(matches!(failed, Err(VoiceWriteError::UnknownUsages(_))));
    let err = store.update_route(g2, created.id, RouteChanges::default(), &change()).await.unwrap_err();
    assert!(matches!(err, VoiceWriteError::NotFound), "{err:?}");

    let p = store.create_policy(g1, policy("World", &[a.id, b.id]), &change()).await.unwrap();
    let changed = PolicyChanges { name: None, usages: Some(links(&[b.id])) };
    let p = store.update_policy(g1, p.id, changed, &change()).await.unwrap();
    assert_eq!((p.name.as_str(), p.usages.len(), p.usages[0].id), ("World", 1, b.id));
    assert_eq!(store.delete_policy(g1, p.id, &change()).await.unwrap(), Deleted::Removed);
    assert_eq!(store.delete_policy(g1, p.id, &change()).await.unwrap(), Deleted::Absent);
    assert_eq!(store.delete_route(g2, created.id, &change()).await.unwrap(), Deleted::Absent, "another group's route");
    assert_eq!(store.delete_route(g1, created.id, &change()).await.unwrap(), Deleted::Removed);
}

async fn a_linked_usage_cannot_be_deleted_and_its_referrers_are_named(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let g = group(&*store, "G").await;
    let usage = store.create_usage(g, name("U"), &change()).await.unwrap();
    assert_eq!(store.usage_referrers(g, usage.id).await.unwrap(), Some(vec![]));
    let r = store.create_route(g, route("R", &[usage.id]), &change()).await.unwrap();
    let p = store.create_policy(g, policy("P", &[usage.id]), &change()).await.unwrap();
    let err = store.delete_usage(g, usage.id, &change()).await.unwrap_err();
    let DeleteUsageError::InUse(referrers) = err else { panic!("{err:?}") };
    let seen: Vec<(VoiceKind, VoiceId, &str)> = referrers.iter().map(|r| (r.kind, r.id, r.name.as_str())).collect();
    assert_eq!(seen, [(VoiceKind::VoiceRoute, r.id, "R"), (VoiceKind::VoiceRoutingPolicy, p.id, "P")]);
    assert_eq!(store.usage_referrers(g, usage.id).await.unwrap().unwrap(), referrers);
    store.delete_route(g, r.id, &change()).await.unwrap();
    store
        .update_policy(g, p.id, PolicyChanges { usages: Some(links(&[])), ..Default::default() }, &change())
        .await
        .unwrap();
    assert_eq!(store.delete_usage(g, usage.id, &change()).await.unwrap(), Deleted::Removed);
    assert_eq!(store.delete_usage(g, usage.id, &change()).await.unwrap(), Deleted::Absent, "idempotent");
    assert_eq!(store.usage_referrers(g, usage.id).await.unwrap(), None);
}

async fn deleting_a_group_deletes_its_voice_routing(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let (g, kept) = (group(&*store, "G").await, group(&*store, "Kept").await);
    for target in [g, kept] {
        let u1 = store.create_usage(target, name("U1"), &change()).await.unwrap();
        let u2 = store.create_usage(target, name("U2"), &change()).await.unwrap();
        store.create_route(target, route("R", &[u1.id, u2.id]), &change()).await.unwrap();
        store.create_policy(target, policy("P", &[u2.id]), &change()).await.unwrap();
    }
    assert_eq!(store.delete_node(&instance(), NodeKind::Group, g, &change()).await.unwrap(), Deleted::Removed);
    for kind in VoiceKind::ALL {
        let request = voice_request(g, kind, ListParams::default());
        let total = match kind {
            VoiceKind::PstnUsage => store.list_usages(&request).await.unwrap().total,
            VoiceKind::VoiceRoute => store.list_routes(&request).await.unwrap().total,
            VoiceKind::VoiceRoutingPolicy => store.list_policies(&request).await.unwrap().total,
        };
        assert_eq!(total, 0, "{kind} of the deleted group");
    }
    let routes = store.list_routes(&voice_request(kept, VoiceKind::VoiceRoute, ListParams::default())).await.unwrap();
    assert_eq!(routes.items[0].usages.len(), 2, "another group keeps everything");
}

async fn voice_lists_search_sort_and_page_by_number_and_token(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let g = group(&*store, "G").await;
    let other = group(&*store, "Other").await;
    store.create_usage(other, name("PSTN elsewhere"), &change()).await.unwrap();
    let mut ids = Vec::new();
    for raw in ["PSTN-Usage-DRAAS", "PSTN Test name", "b usage", "A usage", "pstn 100%_"] {
        ids.push((raw, store.create_usage(g, name(raw), &change()).await.unwrap().id));
    }
    let walk = |params: ListParams| {
        let store = store.clone();
        async move {
            let mut request = voice_request(g, VoiceKind::PstnUsage, params);
            let (mut seen, mut totals) = (Vec::new(), Vec::new());
            loop {
                let page = store.list_usages(&request).await.unwrap();
                assert!(page.items.len() <= request.query.page_size.get() as usize);
                totals.push(page.total);
                seen.extend(page.items.iter().map(|u| u.name.as_str().to_owned()));
                let last = page.items.last().map(|u| u.cursor(request.query.sort));
                match request.next_token(page.total, last, page.more, &key()) {
                    Some(next) => {
                        let params = ListParams { next: Some(next), ..Default::default() };
                        request = voice_request(g, VoiceKind::PstnUsage, params);
                    }
                    None => break (seen, totals),
                }
            }
        }
    };
    let (by_name, totals) = walk(ListParams { page_size: Some(2), ..Default::default() }).await;
    assert_eq!(by_name, ["A usage", "b usage", "pstn 100%_", "PSTN Test name", "PSTN-Usage-DRAAS"]);
    assert_eq!(totals, [5, 5, 5]);
    let (desc, _) = walk(ListParams { page_size: Some(2), dir: Some("desc".into()), ..Default::default() }).await;
    assert_eq!(desc.iter().rev().cloned().collect::<Vec<_>>(), by_name);
    let (by_id, _) = walk(ListParams { page_size: Some(3), sort: Some("id".into()), ..Default::default() }).await;
    assert_eq!(by_id, ids.iter().map(|(n, _)| n.to_string()).collect::<Vec<_>>());
    let (searched, totals) = walk(ListParams { search: Some(" PSTN ".into()), ..Default::default() }).await;
    assert_eq!((searched.len(), totals), (3, vec![3]), "{searched:?}");
    let (literal, _) = walk(ListParams { search: Some("0%_".into()), ..Default::default() }).await;
    assert_eq!(literal, ["pstn 100%_"], "% and _ are literal");
    let request =
        voice_request(g, VoiceKind::PstnUsage, ListParams { page: Some(3), page_size: Some(2), ..Default::default() });
    let page = store.list_usages(&request).await.unwrap();
    assert_eq!((page.items.len(), page.total, page.more), (1, 5, false));
}

/// A usage's deletion races 20 routes linking it, `rounds` times: either the deletion wins and
/// every route that tried to link it was refused by id, or it was refused with referrers that
/// are exactly the routes acknowledged. Never a route linking a deleted usage.
async fn concurrent_links_and_usage_deletion_never_leave_a_dangling_link(store: Arc<dyn Store>, rounds: usize) {
    prepared(&*store).await;
    let g = group(&*store, "G").await;
    let (mut deleted, mut refused) = (0, 0);
    for round in 0..rounds.min(50) {
        let usage = store.create_usage(g, name(&format!("U{round}")), &change()).await.unwrap();
        let mut linkers = Vec::new();
        for i in 0..20 {
            let store = store.clone();
            let new = route(&format!("R{round}-{i}"), &[usage.id]);
            linkers.push(tokio::spawn(async move { store.create_route(g, new, &change()).await }));
        }
        let deleter = {
            let store = store.clone();
            tokio::spawn(async move { store.delete_usage(g, usage.id, &change()).await })
        };
        let mut acknowledged = Vec::new();
        for linker in linkers {
            match linker.await.unwrap() {
                Ok(route) => acknowledged.push(route.id),
                Err(VoiceWriteError::UnknownUsages(ids)) => assert_eq!(ids, vec![usage.id]),
                Err(other) => panic!("round {round}: unexpected error {other:?}"),
            }
        }
        let referrers = store.usage_referrers(g, usage.id).await.unwrap();
        match deleter.await.unwrap() {
            Ok(Deleted::Removed) => {
                assert!(acknowledged.is_empty(), "round {round}: a route links a deleted usage");
                assert_eq!(referrers, None);
                deleted += 1;
            }
            Err(DeleteUsageError::InUse(found)) => {
                assert!(!found.is_empty());
                let mut linked: Vec<VoiceId> = referrers.expect("the usage survived").iter().map(|r| r.id).collect();
                linked.sort();
                acknowledged.sort();
                assert_eq!(linked, acknowledged, "round {round}: every acknowledged route, and only they, link it");
                refused += 1;
            }
            other => panic!("round {round}: unexpected deletion result {other:?}"),
        }
        let everything = ListParams { page_size: Some(1000), ..Default::default() };
        let all = store.list_routes(&voice_request(g, VoiceKind::VoiceRoute, everything)).await.unwrap();
        for route in all.items {
            store.delete_route(g, route.id, &change()).await.unwrap();
        }
    }
    assert_eq!(deleted + refused, rounds.min(50));
}

pub(crate) const CASES: &[Case] = &[
    case!(voice_routing_names_are_unique_per_group_and_kind),
    case!(links_name_usages_of_the_same_group_and_changes_replace_them),
    case!(a_linked_usage_cannot_be_deleted_and_its_referrers_are_named),
    case!(deleting_a_group_deletes_its_voice_routing),
    case!(voice_lists_search_sort_and_page_by_number_and_token),
    case!(concurrent_links_and_usage_deletion_never_leave_a_dangling_link),
];
