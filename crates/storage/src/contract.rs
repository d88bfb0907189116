//! The contract every `NodeStore` adapter passes: one function per behaviour, instantiated
//! for each adapter by [`contract_suite!`](crate::contract_suite).

use crate::{CreateNodeError, DeleteNodeError, Deleted, NewNode, NodeChanges, NodeStore, ParentRef, UpdateNodeError};
use canopy_domain::{
    DraasDomain, InstanceSlug, ListParams, ListScope, Node, NodeId, NodeKind, NodeName, PageRequest, TenantId, TokenKey,
};
use std::sync::Arc;
use uuid::Uuid;

/// Instantiates every contract case as a `#[tokio::test]` for the store built by `$make`
/// (an expression evaluating to a future of the store), racing `$races` rounds.
#[macro_export]
macro_rules! contract_suite {
    ($make:expr, races = $races:expr) => {
        $crate::contract_suite!(@cases $make, $races;
            instances_are_ensured_idempotently,
            the_first_shared_secret_wins,
            a_created_node_reads_back_with_empty_counts,
            a_node_is_found_only_with_its_kind_and_instance,
            a_child_needs_an_existing_parent_of_the_expected_kind,
            sibling_names_are_unique_case_insensitively,
            tenant_ids_are_unique_per_instance,
            subtree_counts_cover_every_level_below,
            only_an_empty_node_can_be_deleted,
            deleting_a_missing_node_is_idempotent,
            updates_change_fields_and_keep_uniqueness,
            lists_page_through_every_node_in_name_order,
            lists_sort_by_every_searchable_field_in_both_directions,
            lists_filter_by_search_and_count_the_matches,
            a_page_number_skips_whole_pages,
            concurrent_creations_never_outlive_a_deleted_parent,
            concurrent_same_name_creations_admit_exactly_one,
        );
    };
    (@cases $make:expr, $races:expr; $($case:ident,)*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $case() {
                let store = std::sync::Arc::new($make.await);
                $crate::contract::$case(store, $races).await;
            }
        )*
    };
}

fn instance() -> InstanceSlug {
    InstanceSlug::parse("default").unwrap()
}

fn other_instance() -> InstanceSlug {
    InstanceSlug::parse("other").unwrap()
}

async fn prepared<S: NodeStore>(store: &S) {
    store.ensure_instances(&[instance(), other_instance()]).await.unwrap();
}

fn new_node(kind: NodeKind, parent: Option<&Node>, name: &str) -> NewNode {
    NewNode {
        id: NodeId(Uuid::new_v4()),
        instance: parent.map(|p| p.instance.clone()).unwrap_or_else(instance),
        kind,
        parent: parent.map(|p| ParentRef { id: p.id, kind: p.kind }),
        name: NodeName::parse(name).unwrap(),
        draas_domain: None,
        tenant_id: (kind == NodeKind::Tenant).then(|| TenantId::parse(&format!("t-{}", Uuid::new_v4())).unwrap()),
    }
}

async fn create<S: NodeStore>(store: &S, kind: NodeKind, parent: Option<&Node>, name: &str) -> Node {
    store.create_node(new_node(kind, parent, name)).await.unwrap()
}

fn key() -> TokenKey {
    TokenKey::new(vec![1; 32])
}

fn request(parent: Option<&Node>, kind: NodeKind, params: ListParams) -> PageRequest {
    let scope = ListScope { instance: instance(), parent: parent.map(|p| p.id), kind };
    PageRequest::resolve(scope, params, &key()).unwrap()
}

/// Every node of a list, following `next` tokens, and the totals each page reported.
async fn walk<S: NodeStore>(store: &S, parent: Option<&Node>, kind: NodeKind, params: ListParams) -> (Vec<Node>, u64) {
    let mut req = request(parent, kind, params);
    let mut all = Vec::new();
    let first_total = loop {
        let page = store.list_nodes(&req).await.unwrap();
        assert!(page.items.len() <= req.query.page_size.get() as usize);
        all.extend(page.items.iter().cloned());
        let next = req.next_token(page.total, page.items.last(), page.more, &key());
        match next {
            Some(token) => req = request(parent, kind, ListParams { next: Some(token), ..Default::default() }),
            None => break page.total,
        }
    };
    (all, first_total)
}

fn names(nodes: &[Node]) -> Vec<String> {
    nodes.iter().map(|n| n.name.as_str().to_owned()).collect()
}

pub async fn instances_are_ensured_idempotently<S: NodeStore>(store: Arc<S>, _: usize) {
    prepared(&*store).await;
    prepared(&*store).await;
    let mut listed = store.list_instances().await.unwrap();
    listed.sort();
    assert_eq!(listed, vec![instance(), other_instance()]);
}

pub async fn the_first_shared_secret_wins<S: NodeStore>(store: Arc<S>, _: usize) {
    assert_eq!(store.shared_secret(vec![1, 2, 3]).await.unwrap(), vec![1, 2, 3]);
    assert_eq!(store.shared_secret(vec![9, 9]).await.unwrap(), vec![1, 2, 3]);
}

pub async fn a_created_node_reads_back_with_empty_counts<S: NodeStore>(store: Arc<S>, _: usize) {
    prepared(&*store).await;
    let mut new = new_node(NodeKind::Group, None, "  Group 1 ");
    new.draas_domain = Some(DraasDomain::parse("first.draas.domain").unwrap());
    let created = store.create_node(new.clone()).await.unwrap();
    assert_eq!(created.id, new.id);
    assert_eq!(created.name.as_str(), "Group 1");
    let view = store.get_node(&instance(), NodeKind::Group, new.id).await.unwrap().unwrap();
    assert_eq!(view.node, created);
    assert_eq!(view.node.draas_domain.as_ref().map(|d| d.as_str()), Some("first.draas.domain"));
    assert_eq!((view.subtree.distributors, view.subtree.resellers, view.subtree.tenants), (0, 0, 0));
    let tenant = create(&*store, NodeKind::Tenant, Some(&created), "Tenant").await;
    let view = store.get_node(&instance(), NodeKind::Tenant, tenant.id).await.unwrap().unwrap();
    assert_eq!(view.node.tenant_id, tenant.tenant_id);
    assert_eq!(view.node.parent, Some(created.id));
    assert_eq!(view.node.lineage.group, Some(created.id));
}

pub async fn a_node_is_found_only_with_its_kind_and_instance<S: NodeStore>(store: Arc<S>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    assert!(store.get_node(&instance(), NodeKind::Group, group.id).await.unwrap().is_some());
    assert!(store.get_node(&instance(), NodeKind::Tenant, group.id).await.unwrap().is_none());
    assert!(store.get_node(&other_instance(), NodeKind::Group, group.id).await.unwrap().is_none());
    assert!(store.get_node(&instance(), NodeKind::Group, NodeId(Uuid::new_v4())).await.unwrap().is_none());
}

pub async fn a_child_needs_an_existing_parent_of_the_expected_kind<S: NodeStore>(store: Arc<S>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    let mut orphan = new_node(NodeKind::Tenant, Some(&group), "T");
    orphan.parent = Some(ParentRef { id: NodeId(Uuid::new_v4()), kind: NodeKind::Group });
    assert!(matches!(store.create_node(orphan).await, Err(CreateNodeError::ParentNotFound)));
    let mut wrong_kind = new_node(NodeKind::Tenant, Some(&group), "T");
    wrong_kind.parent = Some(ParentRef { id: group.id, kind: NodeKind::Reseller });
    assert!(matches!(store.create_node(wrong_kind).await, Err(CreateNodeError::ParentNotFound)));
    let mut elsewhere = new_node(NodeKind::Tenant, Some(&group), "T");
    elsewhere.instance = other_instance();
    assert!(matches!(store.create_node(elsewhere).await, Err(CreateNodeError::ParentNotFound)));
}

pub async fn sibling_names_are_unique_case_insensitively<S: NodeStore>(store: Arc<S>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "Acme").await;
    let dup = store.create_node(new_node(NodeKind::Group, None, " ACME ")).await;
    assert!(matches!(dup, Err(CreateNodeError::DuplicateName)), "{dup:?}");
    create(&*store, NodeKind::Distributor, Some(&group), "Acme").await;
    let dup = store.create_node(new_node(NodeKind::Tenant, Some(&group), "acme")).await;
    assert!(matches!(dup, Err(CreateNodeError::DuplicateName)), "siblings of any kind share names: {dup:?}");
    let other_group = create(&*store, NodeKind::Group, None, "Other").await;
    create(&*store, NodeKind::Distributor, Some(&other_group), "Acme").await;
    let mut same_name_elsewhere = new_node(NodeKind::Group, None, "Acme");
    same_name_elsewhere.instance = other_instance();
    store.create_node(same_name_elsewhere).await.unwrap();
}

pub async fn tenant_ids_are_unique_per_instance<S: NodeStore>(store: Arc<S>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    let mut first = new_node(NodeKind::Tenant, Some(&group), "T1");
    first.tenant_id = Some(TenantId::parse("acme").unwrap());
    store.create_node(first).await.unwrap();
    let mut second = new_node(NodeKind::Tenant, Some(&group), "T2");
    second.tenant_id = Some(TenantId::parse("ACME").unwrap());
    assert!(matches!(store.create_node(second).await, Err(CreateNodeError::DuplicateTenantId)));
    let mut other_group = new_node(NodeKind::Group, None, "G");
    other_group.instance = other_instance();
    let other_group = store.create_node(other_group).await.unwrap();
    let mut elsewhere = new_node(NodeKind::Tenant, Some(&other_group), "T1");
    elsewhere.tenant_id = Some(TenantId::parse("acme").unwrap());
    store.create_node(elsewhere).await.unwrap();
}

pub async fn subtree_counts_cover_every_level_below<S: NodeStore>(store: Arc<S>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    let distributor = create(&*store, NodeKind::Distributor, Some(&group), "D").await;
    let reseller = create(&*store, NodeKind::Reseller, Some(&distributor), "R").await;
    create(&*store, NodeKind::Tenant, Some(&reseller), "T1").await;
    create(&*store, NodeKind::Tenant, Some(&distributor), "T2").await;
    create(&*store, NodeKind::Tenant, Some(&group), "T3").await;
    create(&*store, NodeKind::Reseller, Some(&group), "R2").await;
    let counts = |kind, id| {
        let store = store.clone();
        async move {
            let s = store.get_node(&instance(), kind, id).await.unwrap().unwrap().subtree;
            (s.distributors, s.resellers, s.tenants)
        }
    };
    assert_eq!(counts(NodeKind::Group, group.id).await, (1, 2, 3));
    assert_eq!(counts(NodeKind::Distributor, distributor.id).await, (0, 1, 2));
    assert_eq!(counts(NodeKind::Reseller, reseller.id).await, (0, 0, 1));
}

pub async fn only_an_empty_node_can_be_deleted<S: NodeStore>(store: Arc<S>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    let distributor = create(&*store, NodeKind::Distributor, Some(&group), "D").await;
    let tenant = create(&*store, NodeKind::Tenant, Some(&distributor), "T").await;
    create(&*store, NodeKind::Tenant, Some(&group), "T2").await;
    match store.delete_node(&instance(), NodeKind::Group, group.id).await {
        Err(DeleteNodeError::NotEmpty(children)) => {
            assert_eq!((children.distributors, children.resellers, children.tenants), (1, 0, 1), "direct children");
        }
        other => panic!("expected NotEmpty, got {other:?}"),
    }
    assert!(store.get_node(&instance(), NodeKind::Group, group.id).await.unwrap().is_some());
    assert_eq!(store.delete_node(&instance(), NodeKind::Tenant, tenant.id).await.unwrap(), Deleted::Removed);
    let view = store.get_node(&instance(), NodeKind::Group, group.id).await.unwrap().unwrap();
    assert_eq!(view.subtree.tenants, 1, "counters follow deletions");
    assert_eq!(store.delete_node(&instance(), NodeKind::Distributor, distributor.id).await.unwrap(), Deleted::Removed);
    assert!(store.get_node(&instance(), NodeKind::Tenant, tenant.id).await.unwrap().is_none());
    // The name of a deleted node is free again.
    create(&*store, NodeKind::Distributor, Some(&group), "D").await;
}

pub async fn deleting_a_missing_node_is_idempotent<S: NodeStore>(store: Arc<S>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    let missing = NodeId(Uuid::new_v4());
    assert_eq!(store.delete_node(&instance(), NodeKind::Group, missing).await.unwrap(), Deleted::Absent);
    assert_eq!(store.delete_node(&instance(), NodeKind::Tenant, group.id).await.unwrap(), Deleted::Absent);
    assert_eq!(store.delete_node(&other_instance(), NodeKind::Group, group.id).await.unwrap(), Deleted::Absent);
    assert!(
        store.get_node(&instance(), NodeKind::Group, group.id).await.unwrap().is_some(),
        "wrong kind deletes nothing"
    );
    assert_eq!(store.delete_node(&instance(), NodeKind::Group, group.id).await.unwrap(), Deleted::Removed);
    assert_eq!(store.delete_node(&instance(), NodeKind::Group, group.id).await.unwrap(), Deleted::Absent);
}

pub async fn updates_change_fields_and_keep_uniqueness<S: NodeStore>(store: Arc<S>, _: usize) {
    prepared(&*store).await;
    let mut new = new_node(NodeKind::Group, None, "Alpha");
    new.draas_domain = Some(DraasDomain::parse("a.example").unwrap());
    let alpha = store.create_node(new).await.unwrap();
    create(&*store, NodeKind::Group, None, "Beta").await;
    let rename = |name: &str| NodeChanges { name: Some(NodeName::parse(name).unwrap()), ..Default::default() };
    let result = store.update_node(&instance(), NodeKind::Group, alpha.id, rename("BETA")).await;
    assert!(matches!(result, Err(UpdateNodeError::DuplicateName)), "{result:?}");
    let renamed = store.update_node(&instance(), NodeKind::Group, alpha.id, rename("ALPHA")).await.unwrap();
    assert_eq!(renamed.name.as_str(), "ALPHA", "a node may change the case of its own name");
    let cleared = NodeChanges { draas_domain: Some(None), ..Default::default() };
    let updated = store.update_node(&instance(), NodeKind::Group, alpha.id, cleared).await.unwrap();
    assert_eq!(updated.draas_domain, None);
    assert_eq!(store.get_node(&instance(), NodeKind::Group, alpha.id).await.unwrap().unwrap().node, updated);
    let missing = store.update_node(&instance(), NodeKind::Tenant, alpha.id, rename("x")).await;
    assert!(matches!(missing, Err(UpdateNodeError::NotFound)));
    let t1 = create(&*store, NodeKind::Tenant, Some(&alpha), "T1").await;
    let t2 = create(&*store, NodeKind::Tenant, Some(&alpha), "T2").await;
    let retag = NodeChanges { tenant_id: t1.tenant_id.clone(), ..Default::default() };
    let result = store.update_node(&instance(), NodeKind::Tenant, t2.id, retag).await;
    assert!(matches!(result, Err(UpdateNodeError::DuplicateTenantId)), "{result:?}");
    let retag = NodeChanges { tenant_id: Some(TenantId::parse("fresh").unwrap()), ..Default::default() };
    store.update_node(&instance(), NodeKind::Tenant, t1.id, retag).await.unwrap();
    let mut reuse = new_node(NodeKind::Tenant, Some(&alpha), "T3");
    reuse.tenant_id = t1.tenant_id.clone();
    store.create_node(reuse).await.expect("the old tenant id is free again");
}

pub async fn lists_page_through_every_node_in_name_order<S: NodeStore>(store: Arc<S>, _: usize) {
    prepared(&*store).await;
    let mut expected = Vec::new();
    for i in 0..23 {
        let name = format!("Group {i:02}");
        create(&*store, NodeKind::Group, None, &name).await;
        expected.push(name);
    }
    let mut elsewhere = new_node(NodeKind::Group, None, "Group in another instance");
    elsewhere.instance = other_instance();
    store.create_node(elsewhere).await.unwrap();
    let group = create(&*store, NodeKind::Group, None, "zz parent").await;
    create(&*store, NodeKind::Tenant, Some(&group), "A tenant").await;
    expected.push("zz parent".into());
    let (all, total) =
        walk(&*store, None, NodeKind::Group, ListParams { page_size: Some(5), ..Default::default() }).await;
    assert_eq!(names(&all), expected);
    assert_eq!(total, 24);
    let (tenants, total) = walk(&*store, Some(&group), NodeKind::Tenant, ListParams::default()).await;
    assert_eq!((names(&tenants), total), (vec!["A tenant".to_owned()], 1));
    let (none, total) = walk(&*store, Some(&group), NodeKind::Reseller, ListParams::default()).await;
    assert_eq!((none.len(), total), (0, 0));
}

pub async fn lists_sort_by_every_searchable_field_in_both_directions<S: NodeStore>(store: Arc<S>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    for (name, tenant_id) in [("b", "Z9"), ("A", "y1"), ("c", "x5"), ("B2", "w0"), ("a1", "v3")] {
        let mut new = new_node(NodeKind::Tenant, Some(&group), name);
        new.tenant_id = Some(TenantId::parse(tenant_id).unwrap());
        store.create_node(new).await.unwrap();
    }
    for (sort, dir) in [
        ("name", "asc"),
        ("name", "desc"),
        ("uuid", "asc"),
        ("uuid", "desc"),
        ("tenantId", "asc"),
        ("tenantId", "desc"),
    ] {
        let params =
            ListParams { sort: Some(sort.into()), dir: Some(dir.into()), page_size: Some(2), ..Default::default() };
        let (all, total) = walk(&*store, Some(&group), NodeKind::Tenant, params).await;
        assert_eq!(total, 5);
        let mut expected = all.clone();
        expected.sort_by_key(|n| match sort {
            "name" => (n.name.key(), n.id),
            "uuid" => (String::new(), n.id),
            _ => (n.tenant_id.as_ref().unwrap().key(), n.id),
        });
        if dir == "desc" {
            expected.reverse();
        }
        assert_eq!(names(&all), names(&expected), "sort={sort} dir={dir}");
        assert_eq!(all.len(), 5);
    }
    let (by_tenant_id, _) = walk(
        &*store,
        Some(&group),
        NodeKind::Tenant,
        ListParams { sort: Some("tenantId".into()), ..Default::default() },
    )
    .await;
    assert_eq!(names(&by_tenant_id), ["a1", "B2", "c", "A", "b"]);
    for (name, domain) in [("g1", Some("b.example")), ("g2", None), ("g3", Some("a.example"))] {
        let mut new = new_node(NodeKind::Group, None, name);
        new.draas_domain = domain.map(|d| DraasDomain::parse(d).unwrap());
        store.create_node(new).await.unwrap();
    }
    let params = ListParams { sort: Some("draasDomain".into()), dir: Some("desc".into()), ..Default::default() };
    let (groups, _) = walk(&*store, None, NodeKind::Group, params).await;
    assert_eq!(&names(&groups)[..2], ["g1", "g3"]);
}

pub async fn lists_filter_by_search_and_count_the_matches<S: NodeStore>(store: Arc<S>, _: usize) {
    prepared(&*store).await;
    for i in 0..12 {
        let name = if i % 3 == 0 { format!("Blue {i}") } else { format!("Red {i}") };
        let mut new = new_node(NodeKind::Group, None, &name);
        new.draas_domain = (i == 1).then(|| DraasDomain::parse("blue.example").unwrap());
        store.create_node(new).await.unwrap();
    }
    let literal = create(&*store, NodeKind::Group, None, "100% _done_").await;
    let search =
        |text: &str, size: u64| ListParams { search: Some(text.into()), page_size: Some(size), ..Default::default() };
    let (blue, total) = walk(&*store, None, NodeKind::Group, search("BLUE", 2)).await;
    assert_eq!(total, 5, "four names and one domain match");
    assert_eq!(names(&blue), ["Blue 0", "Blue 3", "Blue 6", "Blue 9", "Red 1"]);
    let (found, total) = walk(&*store, None, NodeKind::Group, search("0% _", 10)).await;
    assert_eq!((names(&found), total), (vec![literal.name.as_str().to_owned()], 1), "% and _ are literal");
    let (by_uuid, _) = walk(&*store, None, NodeKind::Group, search(&literal.id.to_string()[..8], 10)).await;
    assert!(by_uuid.iter().any(|n| n.id == literal.id));
    let (none, total) = walk(&*store, None, NodeKind::Group, search("nothing like it", 10)).await;
    assert_eq!((none.len(), total), (0, 0));
}

pub async fn a_page_number_skips_whole_pages<S: NodeStore>(store: Arc<S>, _: usize) {
    prepared(&*store).await;
    for i in 0..7 {
        create(&*store, NodeKind::Group, None, &format!("G{i}")).await;
    }
    let page =
        |n: u64| request(None, NodeKind::Group, ListParams { page: Some(n), page_size: Some(3), ..Default::default() });
    let third = store.list_nodes(&page(3)).await.unwrap();
    assert_eq!((names(&third.items), third.total, third.more), (vec!["G6".to_owned()], 7, false));
    let second = store.list_nodes(&page(2)).await.unwrap();
    assert_eq!((names(&second.items), second.more), (vec!["G3".to_owned(), "G4".into(), "G5".into()], true));
    assert!(store.list_nodes(&page(9)).await.unwrap().items.is_empty());
}

/// 50 creations under one parent race the parent's deletion, `rounds` times: at the end either
/// the parent and every acknowledged child exist, or the parent is gone and no child of it does.
pub async fn concurrent_creations_never_outlive_a_deleted_parent<S: NodeStore>(store: Arc<S>, rounds: usize) {
    prepared(&*store).await;
    let (mut kept, mut deleted) = (0, 0);
    for round in 0..rounds {
        let group = create(&*store, NodeKind::Group, None, &format!("Race {round}")).await;
        let parent = create(&*store, NodeKind::Reseller, Some(&group), "Parent").await;
        let mut creations = Vec::new();
        for i in 0..50 {
            let store = store.clone();
            let new = new_node(NodeKind::Tenant, Some(&parent), &format!("Child {i}"));
            creations.push(tokio::spawn(async move { store.create_node(new).await }));
        }
        let deleter = {
            let store = store.clone();
            tokio::spawn(async move { store.delete_node(&instance(), NodeKind::Reseller, parent.id).await })
        };
        let mut acknowledged = Vec::new();
        for creation in creations {
            match creation.await.unwrap() {
                Ok(child) => acknowledged.push(child),
                Err(CreateNodeError::ParentNotFound) => {}
                Err(other) => panic!("unexpected creation error: {other:?}"),
            }
        }
        let deletion = deleter.await.unwrap();
        let parent_exists = store.get_node(&instance(), NodeKind::Reseller, parent.id).await.unwrap().is_some();
        let listed =
            walk(&*store, Some(&parent), NodeKind::Tenant, ListParams { page_size: Some(1000), ..Default::default() })
                .await
                .0;
        let group_view = store.get_node(&instance(), NodeKind::Group, group.id).await.unwrap().unwrap();
        match deletion {
            Ok(Deleted::Removed) => {
                assert!(!parent_exists);
                assert!(acknowledged.is_empty(), "round {round}: a child was acknowledged under a deleted parent");
                assert!(listed.is_empty());
                assert_eq!((group_view.subtree.resellers, group_view.subtree.tenants), (0, 0));
                deleted += 1;
            }
            Err(DeleteNodeError::NotEmpty(_)) => {
                assert!(parent_exists);
                assert!(!acknowledged.is_empty());
                for child in &acknowledged {
                    assert!(store.get_node(&instance(), NodeKind::Tenant, child.id).await.unwrap().is_some());
                }
                assert_eq!(listed.len(), acknowledged.len(), "round {round}: only acknowledged children exist");
                assert_eq!(group_view.subtree.tenants, acknowledged.len() as u64, "counters stay exact");
                kept += 1;
            }
            other => panic!("unexpected deletion result: {other:?}"),
        }
    }
    assert_eq!(kept + deleted, rounds);
}

/// Many creations of the same name under one parent: exactly one wins, the rest are duplicates.
pub async fn concurrent_same_name_creations_admit_exactly_one<S: NodeStore>(store: Arc<S>, rounds: usize) {
    prepared(&*store).await;
    for round in 0..rounds.min(10) {
        let group = create(&*store, NodeKind::Group, None, &format!("Names {round}")).await;
        let mut attempts = Vec::new();
        for i in 0..20 {
            let store = store.clone();
            let name = if i % 2 == 0 { "Same" } else { " SAME " };
            let new = new_node(NodeKind::Distributor, Some(&group), name);
            attempts.push(tokio::spawn(async move { store.create_node(new).await }));
        }
        let mut won = 0;
        for attempt in attempts {
            match attempt.await.unwrap() {
                Ok(_) => won += 1,
                Err(CreateNodeError::DuplicateName) => {}
                Err(other) => panic!("unexpected error: {other:?}"),
            }
        }
        assert_eq!(won, 1, "round {round}");
        let view = store.get_node(&instance(), NodeKind::Group, group.id).await.unwrap().unwrap();
        assert_eq!(view.subtree.distributors, 1);
    }
}
