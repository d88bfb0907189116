//! Contract cases of concurrency: the invariants hold while requests race.

use crate::{Case, case, change, create, instance, new_node, prepared, walk};
use canopy_domain::{ListParams, NodeKind};
use canopy_storage::{CreateNodeError, DeleteNodeError, Deleted, Store};
use std::sync::Arc;

/// 50 creations under one parent race the parent's deletion, `rounds` times: at the end either
/// the parent and every acknowledged child exist, or the parent is gone and no child of it does.
async fn concurrent_creations_never_outlive_a_deleted_parent(store: Arc<dyn Store>, rounds: usize) {
    prepared(&*store).await;
    let (mut kept, mut deleted) = (0, 0);
    for round in 0..rounds {
        let group = create(&*store, NodeKind::Group, None, &format!("Race {round}")).await;
        let parent = create(&*store, NodeKind::Reseller, Some(&group), "Parent").await;
        let mut creations = Vec::new();
        for i in 0..50 {
            let store = store.clone();
            let new = new_node(NodeKind::Tenant, Some(&parent), &format!("Child {i}"));
            creations.push(tokio::spawn(async move { store.create_node(new, &change()).await }));
        }
        let deleter = {
            let store = store.clone();
            tokio::spawn(async move { store.delete_node(&instance(), NodeKind::Reseller, parent.id, &change()).await })
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
async fn concurrent_same_name_creations_admit_exactly_one(store: Arc<dyn Store>, rounds: usize) {
    prepared(&*store).await;
    for round in 0..rounds.min(10) {
        let group = create(&*store, NodeKind::Group, None, &format!("Names {round}")).await;
        let mut attempts = Vec::new();
        for i in 0..20 {
            let store = store.clone();
            let name = if i % 2 == 0 { "Same" } else { " SAME " };
            let new = new_node(NodeKind::Distributor, Some(&group), name);
            attempts.push(tokio::spawn(async move { store.create_node(new, &change()).await }));
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

pub(crate) const CASES: &[Case] = &[
    case!(concurrent_creations_never_outlive_a_deleted_parent),
    case!(concurrent_same_name_creations_admit_exactly_one),
];
