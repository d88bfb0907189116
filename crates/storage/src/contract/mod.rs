//! The contract every `NodeStore` adapter passes: one function per behaviour, instantiated
//! for each adapter by [`contract_suite!`](crate::contract_suite).

use crate::{CreateNodeError, DeleteNodeError, Deleted, NewNode, NodeChanges, NodeStore, ParentRef, UpdateNodeError};
use canopy_domain::{
    DraasDomain, InstanceSlug, ListParams, ListScope, Node, NodeId, NodeKind, NodeName, PageRequest, TenantId, TokenKey,
};
use std::sync::Arc;
use uuid::Uuid;

mod accounts;
mod audit;
mod belongings;
mod configurations;
mod lists;
mod owned_deletions;
mod owned_versions;
mod passwords;
mod races;
mod throttle;
mod versions;
mod voice_routing;

pub use accounts::*;
pub use audit::*;
pub use belongings::*;
pub use configurations::*;
pub use lists::*;
pub use owned_deletions::*;
pub use owned_versions::*;
pub use passwords::*;
pub use races::*;
pub use throttle::*;
pub use versions::*;
pub use voice_routing::*;

/// Instantiates every contract case as a `#[tokio::test]` for the store built by `$make`
/// (an expression evaluating to a future of the store), racing `$races` rounds.
#[macro_export]
macro_rules! contract_suite {
    ($make:expr, races = $races:expr) => {
        $crate::contract_suite!(@cases $make, $races;
            instances_are_ensured_idempotently,
            a_prepared_store_is_ready,
            the_first_shared_secret_wins,
            a_created_node_reads_back_with_empty_counts,
            a_node_is_found_only_with_its_kind_and_instance,
            a_child_needs_an_existing_parent_of_the_expected_kind,
            sibling_names_are_unique_case_insensitively,
            canonically_equivalent_names_collide,
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
            admins_are_unique_per_instance_and_listed_by_home,
            an_admin_needs_an_existing_home,
            a_node_created_with_its_admin_is_one_unit,
            deleting_a_node_removes_its_admins_and_their_sessions,
            sessions_open_expire_and_close,
            one_time_tokens_are_single_use_of_their_purpose_and_expire,
            failed_logins_lock_and_a_session_clears_them,
            unknown_addresses_are_throttled_like_accounts,
            a_run_of_failures_is_forgotten_after_its_window_for_both,
            an_unknown_address_slot_holds_the_latest_address,
            concurrent_failures_are_each_counted_once,
            updates_keep_absent_details_and_a_forced_reset_closes_sessions,
            concurrent_bootstraps_create_one_system_admin,
            admins_created_while_their_node_is_deleted_never_outlive_it,
            concurrent_same_email_creations_admit_exactly_one,
            a_temporary_password_is_flagged_until_the_account_changes_it_itself,
            concurrent_changes_of_one_password_apply_exactly_once,
            lists_cut_to_a_subtree_count_and_page_only_its_nodes,
            branding_documents_are_kept_per_node_and_key_and_replaced,
            enabled_ucs_are_replaced_whole,
            rate_plans_keep_destinations_and_one_price_per_instant,
            a_node_takes_what_it_owns_with_it_and_writes_need_the_node,
            configurations_are_upserted_replaced_and_pruned_per_node,
            a_masked_secret_keeps_the_value_stored_at_the_write,
            a_configuration_needs_its_node_and_goes_with_it,
            concurrent_configuration_writes_never_interleave,
            owned_versions_start_at_one_and_count_each_applied_write,
            a_stale_owned_version_changes_nothing_and_reports_the_current_one,
            concurrent_owned_writes_with_one_version_apply_exactly_once,
            a_deleted_branding_document_is_inherited_again_and_counts_as_a_write,
            instance_branding_is_kept_per_instance_and_key_and_versioned,
            rate_plans_are_listed_and_their_destinations_and_prices_deleted,
            voice_routing_names_are_unique_per_group_and_kind,
            links_name_usages_of_the_same_group_and_changes_replace_them,
            a_linked_usage_cannot_be_deleted_and_its_referrers_are_named,
            deleting_a_group_deletes_its_voice_routing,
            voice_lists_search_sort_and_page_by_number_and_token,
            concurrent_links_and_usage_deletion_never_leave_a_dangling_link,
            a_change_is_recorded_with_its_lineage,
            a_refused_change_leaves_no_applied_record,
            the_subtree_cut_never_shows_a_siblings_entries,
            paging_walks_every_entry_exactly_once,
            entries_outlive_their_node_and_admin,
            node_versions_start_at_one_and_a_stale_change_changes_nothing,
            concurrent_node_updates_on_one_version_apply_exactly_once,
            admin_versions_count_changes_and_refuse_stale_ones,
            voice_routing_versions_count_changes_and_refuse_stale_ones,
            concurrent_route_updates_on_one_version_apply_exactly_once,
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

pub(crate) fn instance() -> InstanceSlug {
    InstanceSlug::parse("default").unwrap()
}

/// A change asked for by a client of the default instance, with no version precondition.
pub(crate) fn change() -> canopy_domain::Change {
    canopy_domain::Change {
        instance: instance(),
        actor: canopy_domain::Actor { admin: canopy_domain::AdminId(1), email: "tester@canopy.test".into() },
        at: canopy_domain::Timestamp(1_800_000_000_000),
        request_id: "contract".into(),
        method: "PUT".into(),
        path: "/contract".into(),
        action: "contract.change".into(),
        node: None,
        body: None,
        expected: None,
    }
}

pub(crate) fn other_instance() -> InstanceSlug {
    InstanceSlug::parse("other").unwrap()
}

pub(crate) async fn prepared<S: NodeStore>(store: &S) {
    store.ensure_instances(&[instance(), other_instance()]).await.unwrap();
}

pub(crate) fn new_node(kind: NodeKind, parent: Option<&Node>, name: &str) -> NewNode {
    NewNode {
        id: NodeId(Uuid::new_v4()),
        instance: parent.map(|p| p.instance.clone()).unwrap_or_else(instance),
        kind,
        parent: parent.map(|p| ParentRef { id: p.id, kind: p.kind }),
        name: NodeName::parse(name).unwrap(),
        draas_domain: None,
        tenant_id: (kind == NodeKind::Tenant).then(|| TenantId::parse(&format!("t-{}", Uuid::new_v4())).unwrap()),
        admin: None,
    }
}

pub(crate) async fn create<S: NodeStore>(store: &S, kind: NodeKind, parent: Option<&Node>, name: &str) -> Node {
    store.create_node(new_node(kind, parent, name), &change()).await.unwrap()
}

pub(crate) fn key() -> TokenKey {
    TokenKey::new(vec![1; 32])
}

pub(crate) fn request(parent: Option<&Node>, kind: NodeKind, params: ListParams) -> PageRequest {
    let scope = ListScope { instance: instance(), parent: parent.map(|p| p.id), kind, within: None };
    PageRequest::resolve(scope, params, &key()).unwrap()
}

/// Every node of a list, following `next` tokens, and the totals each page reported.
pub(crate) async fn walk<S: NodeStore>(
    store: &S,
    parent: Option<&Node>,
    kind: NodeKind,
    params: ListParams,
) -> (Vec<Node>, u64) {
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

pub(crate) fn names(nodes: &[Node]) -> Vec<String> {
    nodes.iter().map(|n| n.name.as_str().to_owned()).collect()
}

pub async fn instances_are_ensured_idempotently<S: NodeStore>(store: Arc<S>, _: usize) {
    prepared(&*store).await;
    prepared(&*store).await;
    for slug in [instance(), other_instance()] {
        let mut group = new_node(NodeKind::Group, None, "G");
        group.instance = slug;
        store.create_node(group, &change()).await.expect("a group goes into an ensured instance");
    }
    let mut stray = new_node(NodeKind::Group, None, "G");
    stray.instance = InstanceSlug::parse("never-ensured").unwrap();
    assert!(matches!(store.create_node(stray, &change()).await, Err(CreateNodeError::ParentNotFound)));
}

pub async fn a_prepared_store_is_ready<S: NodeStore>(store: Arc<S>, _: usize) {
    prepared(&*store).await;
    store.ready().await.expect("a migrated, reachable store is ready");
}

pub async fn the_first_shared_secret_wins<S: NodeStore>(store: Arc<S>, _: usize) {
    assert_eq!(store.shared_secret(vec![1, 2, 3]).await.unwrap(), vec![1, 2, 3]);
    assert_eq!(store.shared_secret(vec![9, 9]).await.unwrap(), vec![1, 2, 3]);
}

pub async fn a_created_node_reads_back_with_empty_counts<S: NodeStore>(store: Arc<S>, _: usize) {
    prepared(&*store).await;
    let mut new = new_node(NodeKind::Group, None, "  Group 1 ");
    new.draas_domain = Some(DraasDomain::parse("first.draas.domain").unwrap());
    let created = store.create_node(new.clone(), &change()).await.unwrap();
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
    assert!(matches!(store.create_node(orphan, &change()).await, Err(CreateNodeError::ParentNotFound)));
    let mut wrong_kind = new_node(NodeKind::Tenant, Some(&group), "T");
    wrong_kind.parent = Some(ParentRef { id: group.id, kind: NodeKind::Reseller });
    assert!(matches!(store.create_node(wrong_kind, &change()).await, Err(CreateNodeError::ParentNotFound)));
    let mut elsewhere = new_node(NodeKind::Tenant, Some(&group), "T");
    elsewhere.instance = other_instance();
    assert!(matches!(store.create_node(elsewhere, &change()).await, Err(CreateNodeError::ParentNotFound)));
}

pub async fn sibling_names_are_unique_case_insensitively<S: NodeStore>(store: Arc<S>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "Acme").await;
    let dup = store.create_node(new_node(NodeKind::Group, None, " ACME "), &change()).await;
    assert!(matches!(dup, Err(CreateNodeError::DuplicateName)), "{dup:?}");
    create(&*store, NodeKind::Distributor, Some(&group), "Acme").await;
    let dup = store.create_node(new_node(NodeKind::Tenant, Some(&group), "acme"), &change()).await;
    assert!(matches!(dup, Err(CreateNodeError::DuplicateName)), "siblings of any kind share names: {dup:?}");
    let other_group = create(&*store, NodeKind::Group, None, "Other").await;
    create(&*store, NodeKind::Distributor, Some(&other_group), "Acme").await;
    let mut same_name_elsewhere = new_node(NodeKind::Group, None, "Acme");
    same_name_elsewhere.instance = other_instance();
    store.create_node(same_name_elsewhere, &change()).await.unwrap();
}

/// Names that only differ by their Unicode spelling ("é" composed, or "e" and a combining acute)
/// are one name: the key is computed from the normalised form (issue 21).
pub async fn canonically_equivalent_names_collide<S: NodeStore>(store: Arc<S>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "Caf\u{e9}").await;
    let dup = store.create_node(new_node(NodeKind::Group, None, "CAFE\u{301}"), &change()).await;
    assert!(matches!(dup, Err(CreateNodeError::DuplicateName)), "{dup:?}");
    let other = create(&*store, NodeKind::Group, None, "Other").await;
    let renamed = NodeChanges { name: Some(NodeName::parse("cafe\u{301}").unwrap()), ..Default::default() };
    let dup = store.update_node(&instance(), NodeKind::Group, other.id, renamed, &change()).await;
    assert!(matches!(dup, Err(UpdateNodeError::DuplicateName)), "{dup:?}");
    let read = store.get_node(&instance(), NodeKind::Group, group.id).await.unwrap().unwrap();
    assert_eq!(read.node.name.as_str(), "Caf\u{e9}");
}

pub async fn tenant_ids_are_unique_per_instance<S: NodeStore>(store: Arc<S>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    let mut first = new_node(NodeKind::Tenant, Some(&group), "T1");
    first.tenant_id = Some(TenantId::parse("acme").unwrap());
    store.create_node(first, &change()).await.unwrap();
    let mut second = new_node(NodeKind::Tenant, Some(&group), "T2");
    second.tenant_id = Some(TenantId::parse("ACME").unwrap());
    assert!(matches!(store.create_node(second, &change()).await, Err(CreateNodeError::DuplicateTenantId)));
    let mut other_group = new_node(NodeKind::Group, None, "G");
    other_group.instance = other_instance();
    let other_group = store.create_node(other_group, &change()).await.unwrap();
    let mut elsewhere = new_node(NodeKind::Tenant, Some(&other_group), "T1");
    elsewhere.tenant_id = Some(TenantId::parse("acme").unwrap());
    store.create_node(elsewhere, &change()).await.unwrap();
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
    match store.delete_node(&instance(), NodeKind::Group, group.id, &change()).await {
        Err(DeleteNodeError::NotEmpty(children)) => {
            assert_eq!((children.distributors, children.resellers, children.tenants), (1, 0, 1), "direct children");
        }
        other => panic!("expected NotEmpty, got {other:?}"),
    }
    assert!(store.get_node(&instance(), NodeKind::Group, group.id).await.unwrap().is_some());
    assert_eq!(store.delete_node(&instance(), NodeKind::Tenant, tenant.id, &change()).await.unwrap(), Deleted::Removed);
    let view = store.get_node(&instance(), NodeKind::Group, group.id).await.unwrap().unwrap();
    assert_eq!(view.subtree.tenants, 1, "counters follow deletions");
    assert_eq!(
        store.delete_node(&instance(), NodeKind::Distributor, distributor.id, &change()).await.unwrap(),
        Deleted::Removed
    );
    assert!(store.get_node(&instance(), NodeKind::Tenant, tenant.id).await.unwrap().is_none());
    // The name of a deleted node is free again.
    create(&*store, NodeKind::Distributor, Some(&group), "D").await;
}

pub async fn deleting_a_missing_node_is_idempotent<S: NodeStore>(store: Arc<S>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    let missing = NodeId(Uuid::new_v4());
    assert_eq!(store.delete_node(&instance(), NodeKind::Group, missing, &change()).await.unwrap(), Deleted::Absent);
    assert_eq!(store.delete_node(&instance(), NodeKind::Tenant, group.id, &change()).await.unwrap(), Deleted::Absent);
    assert_eq!(
        store.delete_node(&other_instance(), NodeKind::Group, group.id, &change()).await.unwrap(),
        Deleted::Absent
    );
    assert!(
        store.get_node(&instance(), NodeKind::Group, group.id).await.unwrap().is_some(),
        "wrong kind deletes nothing"
    );
    assert_eq!(store.delete_node(&instance(), NodeKind::Group, group.id, &change()).await.unwrap(), Deleted::Removed);
    assert_eq!(store.delete_node(&instance(), NodeKind::Group, group.id, &change()).await.unwrap(), Deleted::Absent);
}

pub async fn updates_change_fields_and_keep_uniqueness<S: NodeStore>(store: Arc<S>, _: usize) {
    prepared(&*store).await;
    let mut new = new_node(NodeKind::Group, None, "Alpha");
    new.draas_domain = Some(DraasDomain::parse("a.example").unwrap());
    let alpha = store.create_node(new, &change()).await.unwrap();
    create(&*store, NodeKind::Group, None, "Beta").await;
    let rename = |name: &str| NodeChanges { name: Some(NodeName::parse(name).unwrap()), ..Default::default() };
    let result = store.update_node(&instance(), NodeKind::Group, alpha.id, rename("BETA"), &change()).await;
    assert!(matches!(result, Err(UpdateNodeError::DuplicateName)), "{result:?}");
    let renamed = store.update_node(&instance(), NodeKind::Group, alpha.id, rename("ALPHA"), &change()).await.unwrap();
    assert_eq!(renamed.name.as_str(), "ALPHA", "a node may change the case of its own name");
    let cleared = NodeChanges { draas_domain: Some(None), ..Default::default() };
    let updated = store.update_node(&instance(), NodeKind::Group, alpha.id, cleared, &change()).await.unwrap();
    assert_eq!(updated.draas_domain, None);
    assert_eq!(store.get_node(&instance(), NodeKind::Group, alpha.id).await.unwrap().unwrap().node, updated);
    let missing = store.update_node(&instance(), NodeKind::Tenant, alpha.id, rename("x"), &change()).await;
    assert!(matches!(missing, Err(UpdateNodeError::NotFound)));
    let t1 = create(&*store, NodeKind::Tenant, Some(&alpha), "T1").await;
    let t2 = create(&*store, NodeKind::Tenant, Some(&alpha), "T2").await;
    let retag = NodeChanges { tenant_id: t1.tenant_id.clone(), ..Default::default() };
    let result = store.update_node(&instance(), NodeKind::Tenant, t2.id, retag, &change()).await;
    assert!(matches!(result, Err(UpdateNodeError::DuplicateTenantId)), "{result:?}");
    let retag = NodeChanges { tenant_id: Some(TenantId::parse("fresh").unwrap()), ..Default::default() };
    store.update_node(&instance(), NodeKind::Tenant, t1.id, retag, &change()).await.unwrap();
    let mut reuse = new_node(NodeKind::Tenant, Some(&alpha), "T3");
    reuse.tenant_id = t1.tenant_id.clone();
    store.create_node(reuse, &change()).await.expect("the old tenant id is free again");
}
