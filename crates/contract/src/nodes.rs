//! Contract cases of the node port: creation, reading, uniqueness, counters, deletion, updates.

use crate::{Case, case, change, create, instance, new_node, other_instance, prepared};
use canopy_domain::{AttributeChanges, Attributes, DraasDomain, InstanceSlug, NodeId, NodeKind, NodeName, TenantId};
use canopy_storage::{CreateNodeError, DeleteNodeError, Deleted, NodeChanges, ParentRef, Store, UpdateNodeError};
use std::sync::Arc;
use uuid::Uuid;

async fn instances_are_ensured_idempotently(store: Arc<dyn Store>, _: usize) {
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

async fn a_prepared_store_is_ready(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    store.ready().await.expect("a migrated, reachable store is ready");
}

async fn the_first_shared_secret_wins(store: Arc<dyn Store>, _: usize) {
    assert_eq!(store.shared_secret(vec![1, 2, 3]).await.unwrap(), vec![1, 2, 3]);
    assert_eq!(store.shared_secret(vec![9, 9]).await.unwrap(), vec![1, 2, 3]);
}

async fn a_created_node_reads_back_with_empty_counts(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let mut new = new_node(NodeKind::Group, None, "  Group 1 ");
    new.attributes = Attributes::Group { draas_domain: Some(DraasDomain::parse("first.draas.domain").unwrap()) };
    let created = store.create_node(new.clone(), &change()).await.unwrap();
    assert_eq!(created.id, new.id);
    assert_eq!(created.name.as_str(), "Group 1");
    let view = store.get_node(&instance(), NodeKind::Group, new.id).await.unwrap().unwrap();
    assert_eq!(view.node, created);
    assert_eq!(view.node.draas_domain().map(|d| d.as_str()), Some("first.draas.domain"));
    assert_eq!((view.subtree.distributors, view.subtree.resellers, view.subtree.tenants), (0, 0, 0));
    let tenant = create(&*store, NodeKind::Tenant, Some(&created), "Tenant").await;
    let view = store.get_node(&instance(), NodeKind::Tenant, tenant.id).await.unwrap().unwrap();
    assert_eq!(view.node.tenant_id(), tenant.tenant_id());
    assert_eq!(view.node.parent, Some(created.id));
    assert_eq!(view.node.lineage.group, Some(created.id));
}

async fn a_node_is_found_only_with_its_kind_and_instance(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    assert!(store.get_node(&instance(), NodeKind::Group, group.id).await.unwrap().is_some());
    assert!(store.get_node(&instance(), NodeKind::Tenant, group.id).await.unwrap().is_none());
    assert!(store.get_node(&other_instance(), NodeKind::Group, group.id).await.unwrap().is_none());
    assert!(store.get_node(&instance(), NodeKind::Group, NodeId(Uuid::new_v4())).await.unwrap().is_none());
}

async fn a_child_needs_an_existing_parent_of_the_expected_kind(store: Arc<dyn Store>, _: usize) {
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

async fn sibling_names_are_unique_case_insensitively(store: Arc<dyn Store>, _: usize) {
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

async fn tenant_ids_are_unique_per_instance(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    let mut first = new_node(NodeKind::Tenant, Some(&group), "T1");
    first.attributes = Attributes::Tenant { tenant_id: TenantId::parse("acme").unwrap() };
    store.create_node(first, &change()).await.unwrap();
    let mut second = new_node(NodeKind::Tenant, Some(&group), "T2");
    second.attributes = Attributes::Tenant { tenant_id: TenantId::parse("ACME").unwrap() };
    assert!(matches!(store.create_node(second, &change()).await, Err(CreateNodeError::DuplicateTenantId)));
    let mut other_group = new_node(NodeKind::Group, None, "G");
    other_group.instance = other_instance();
    let other_group = store.create_node(other_group, &change()).await.unwrap();
    let mut elsewhere = new_node(NodeKind::Tenant, Some(&other_group), "T1");
    elsewhere.attributes = Attributes::Tenant { tenant_id: TenantId::parse("acme").unwrap() };
    store.create_node(elsewhere, &change()).await.unwrap();
}

async fn subtree_counts_cover_every_level_below(store: Arc<dyn Store>, _: usize) {
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

async fn only_an_empty_node_can_be_deleted(store: Arc<dyn Store>, _: usize) {
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

async fn deleting_a_missing_node_is_idempotent(store: Arc<dyn Store>, _: usize) {
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

async fn updates_change_fields_and_keep_uniqueness(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let mut new = new_node(NodeKind::Group, None, "Alpha");
    new.attributes = Attributes::Group { draas_domain: Some(DraasDomain::parse("a.example").unwrap()) };
    let alpha = store.create_node(new, &change()).await.unwrap();
    create(&*store, NodeKind::Group, None, "Beta").await;
    let rename = |name: &str| NodeChanges { name: Some(NodeName::parse(name).unwrap()), ..Default::default() };
    let result = store.update_node(&instance(), NodeKind::Group, alpha.id, rename("BETA"), &change()).await;
    assert!(matches!(result, Err(UpdateNodeError::DuplicateName)), "{result:?}");
    let renamed =
        store.update_node(&instance(), NodeKind::Group, alpha.id, rename("ALPHA"), &change()).await.unwrap().node;
    assert_eq!(renamed.name.as_str(), "ALPHA", "a node may change the case of its own name");
    let cleared =
        NodeChanges { attributes: Some(AttributeChanges::Group { draas_domain: Some(None) }), ..Default::default() };
    let updated = store.update_node(&instance(), NodeKind::Group, alpha.id, cleared, &change()).await.unwrap().node;
    assert_eq!(updated.draas_domain(), None);
    assert_eq!(store.get_node(&instance(), NodeKind::Group, alpha.id).await.unwrap().unwrap().node, updated);
    let missing = store.update_node(&instance(), NodeKind::Tenant, alpha.id, rename("x"), &change()).await;
    assert!(matches!(missing, Err(UpdateNodeError::NotFound)));
    let t1 = create(&*store, NodeKind::Tenant, Some(&alpha), "T1").await;
    let t2 = create(&*store, NodeKind::Tenant, Some(&alpha), "T2").await;
    let retag = NodeChanges {
        attributes: Some(AttributeChanges::Tenant { tenant_id: t1.tenant_id().cloned() }),
        ..Default::default()
    };
    let result = store.update_node(&instance(), NodeKind::Tenant, t2.id, retag, &change()).await;
    assert!(matches!(result, Err(UpdateNodeError::DuplicateTenantId)), "{result:?}");
    let retag = NodeChanges {
        attributes: Some(AttributeChanges::Tenant { tenant_id: Some(TenantId::parse("fresh").unwrap()) }),
        ..Default::default()
    };
    store.update_node(&instance(), NodeKind::Tenant, t1.id, retag, &change()).await.unwrap();
    let mut reuse = new_node(NodeKind::Tenant, Some(&alpha), "T3");
    reuse.attributes = t1.attributes.clone();
    store.create_node(reuse, &change()).await.expect("the old tenant id is free again");
}

pub(crate) const CASES: &[Case] = &[
    case!(instances_are_ensured_idempotently),
    case!(a_prepared_store_is_ready),
    case!(the_first_shared_secret_wins),
    case!(a_created_node_reads_back_with_empty_counts),
    case!(a_node_is_found_only_with_its_kind_and_instance),
    case!(a_child_needs_an_existing_parent_of_the_expected_kind),
    case!(sibling_names_are_unique_case_insensitively),
    case!(tenant_ids_are_unique_per_instance),
    case!(subtree_counts_cover_every_level_below),
    case!(only_an_empty_node_can_be_deleted),
    case!(deleting_a_missing_node_is_idempotent),
    case!(updates_change_fields_and_keep_uniqueness),
];
