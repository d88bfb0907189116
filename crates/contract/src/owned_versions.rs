//! Contract cases of the versions of what a node owns (optimistic concurrency): its general
//! configuration, branding documents, enabled UCs and rate plans each start at version 1, count
//! every applied write, refuse a stale version without changing anything, and let exactly one of
//! concurrent writers holding the same version through.

use crate::{Case, case, change, create, prepared};
use canopy_domain::{
    BrandingDocument, BrandingKey, Change, ConfigWrite, Destination, NodeId, NodeKind, Price, RatePlanName, Tariff,
    Timestamp, Version, VersionMismatch, WriteMode, parse_keys, parse_platforms,
};
use canopy_storage::{AddPriceError, Store, WriteConfigError, WriteOwnedError};
use serde_json::{Value, json};
use std::sync::Arc;

/// A change made on the strength of `version`.
fn at(version: u64) -> Change {
    Change { expected: Some(Version(version)), ..change() }
}

fn upsert(properties: Value) -> ConfigWrite {
    let Value::Object(map) = properties else { panic!("an object") };
    ConfigWrite::parse(WriteMode::Upsert, map.into_iter().collect()).unwrap()
}

fn general(name: &str) -> BrandingDocument {
    BrandingDocument::parse(BrandingKey::General, json!({ "name": name })).unwrap()
}

fn plan(name: &str) -> RatePlanName {
    RatePlanName::parse(name).unwrap()
}

fn price(destination: i64) -> Price {
    let tariff = Tariff { setup: 1.0, duration: 0.5 };
    Price { destination, active_since: Timestamp(0), national: tariff, international: tariff }
}

async fn config_version(store: &dyn Store, node: NodeId) -> Version {
    store.get_config(node).await.unwrap().expect("the node exists").1
}

async fn branding_version(store: &dyn Store, node: NodeId) -> Version {
    store.branding_documents(vec![node], BrandingKey::General).await.unwrap().1
}

async fn plan_version(store: &dyn Store, node: NodeId, name: &str) -> Option<Version> {
    store.rate_plan(node, plan(name)).await.unwrap().map(|found| found.version)
}

async fn owned_versions_start_at_one_and_count_each_applied_write(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    let tenant = create(&*store, NodeKind::Tenant, Some(&group), "T").await;
    let (g, t) = (group.id, tenant.id);

    assert_eq!(config_version(&*store, g).await, Version(1), "a node's configuration exists from its creation");
    assert_eq!(store.write_config(g, &upsert(json!({ "a": 1 })), &change()).await.unwrap(), Version(2));
    assert_eq!(store.write_config(g, &upsert(json!({ "a": 1 })), &at(2)).await.unwrap(), Version(3), "same values");
    let keys = parse_keys(&["a".into(), "absent".into()]).unwrap();
    assert_eq!(store.delete_config_keys(g, &keys, &at(3)).await.unwrap(), Version(4));
    let masked = upsert(json!({ "sip_password": canopy_domain::MASK }));
    assert!(matches!(store.write_config(g, &masked, &at(4)).await, Err(WriteConfigError::Invalid(_))));
    assert_eq!(config_version(&*store, g).await, Version(4), "a refused write is not counted");
    assert_eq!(config_version(&*store, t).await, Version(1), "each node has its own");

    // Branding: one version per node and key; a node inheriting its parent's document is at its own.
    assert_eq!(store.put_branding(g, BrandingKey::General, general("g"), &at(1)).await.unwrap(), Version(2));
    assert_eq!(store.put_branding(g, BrandingKey::General, general("g2"), &change()).await.unwrap(), Version(3));
    let (documents, version) = store.branding_documents(vec![t, g], BrandingKey::General).await.unwrap();
    assert_eq!((documents.len(), version), (1, Version(1)), "the tenant inherits and is at its own version 1");
    assert_eq!(branding_version(&*store, g).await, Version(3));
    let (_, pages) = store.branding_documents(vec![g], BrandingKey::Pages).await.unwrap();
    assert_eq!(pages, Version(1), "another key has its own version");

    let zoom = parse_platforms(&["zoom"]).unwrap();
    assert_eq!(store.enabled_ucs(g).await.unwrap(), (vec![], Version(1)));
    assert_eq!(store.set_enabled_ucs(g, zoom.clone(), &at(1)).await.unwrap(), Version(2));
    assert_eq!(store.enabled_ucs(g).await.unwrap(), (zoom, Version(2)));

    // A rate plan: put_destination and add_price count, per plan.
    let italy = Destination::parse(177, "Italy").unwrap();
    assert_eq!(store.put_destination(g, plan("std"), italy.clone(), &at(1)).await.unwrap(), Version(2));
    assert_eq!(plan_version(&*store, g, "std").await, Some(Version(2)));
    assert_eq!(store.add_price(g, plan("std"), price(177), &at(2)).await.unwrap(), Version(3));
    assert!(matches!(store.add_price(g, plan("std"), price(9), &at(3)).await, Err(AddPriceError::UnknownDestination)));
    assert_eq!(plan_version(&*store, g, "std").await, Some(Version(3)), "a refused price is not counted");
    assert_eq!(store.put_destination(g, plan("other"), italy, &at(1)).await.unwrap(), Version(2), "per plan");
}

async fn a_stale_owned_version_changes_nothing_and_reports_the_current_one(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let g = create(&*store, NodeKind::Group, None, "G").await.id;
    let stale = VersionMismatch { expected: Version(1), current: Version(2) };

    store.write_config(g, &upsert(json!({ "a": "kept" })), &at(1)).await.unwrap();
    let err = store.write_config(g, &upsert(json!({ "a": "lost" })), &at(1)).await.unwrap_err();
    assert!(matches!(err, WriteConfigError::VersionMismatch(m) if m == stale), "{err:?}");
    let keys = parse_keys(&["a".into()]).unwrap();
    let err = store.delete_config_keys(g, &keys, &at(1)).await.unwrap_err();
    assert!(matches!(err, WriteConfigError::VersionMismatch(m) if m == stale), "{err:?}");
    let err = store.write_config(g, &upsert(json!({ "a": "ahead" })), &at(3)).await.unwrap_err();
    assert!(matches!(err, WriteConfigError::VersionMismatch(m) if m.current == Version(2)), "a future version too");
    let (properties, version) = store.get_config(g).await.unwrap().unwrap();
    assert_eq!((properties.get("a").map(|v| v.to_json()), version), (Some(json!("kept")), Version(2)));

    store.put_branding(g, BrandingKey::General, general("kept"), &at(1)).await.unwrap();
    let err = store.put_branding(g, BrandingKey::General, general("lost"), &at(1)).await.unwrap_err();
    assert!(matches!(err, WriteOwnedError::VersionMismatch(m) if m == stale), "{err:?}");
    let (documents, version) = store.branding_documents(vec![g], BrandingKey::General).await.unwrap();
    assert_eq!((documents, version), (vec![(g, general("kept"))], Version(2)));

    let kept = parse_platforms(&["zoom"]).unwrap();
    store.set_enabled_ucs(g, kept.clone(), &at(1)).await.unwrap();
    let err = store.set_enabled_ucs(g, vec![], &at(1)).await.unwrap_err();
    assert!(matches!(err, WriteOwnedError::VersionMismatch(m) if m == stale), "{err:?}");
    assert_eq!(store.enabled_ucs(g).await.unwrap(), (kept, Version(2)));

    store.put_destination(g, plan("std"), Destination::parse(1, "Kept").unwrap(), &at(1)).await.unwrap();
    let err = store.put_destination(g, plan("std"), Destination::parse(1, "Lost").unwrap(), &at(1)).await;
    assert!(matches!(err, Err(WriteOwnedError::VersionMismatch(m)) if m == stale), "{err:?}");
    let err = store.add_price(g, plan("std"), price(1), &at(1)).await;
    assert!(matches!(err, Err(AddPriceError::VersionMismatch(m)) if m == stale), "{err:?}");
    let found = store.rate_plan(g, plan("std")).await.unwrap().unwrap();
    assert_eq!((found.destinations[0].name.as_str(), found.prices.len(), found.version), ("Kept", 0, Version(2)));
}

/// `rounds` times, 8 writers of one document all holding its current version race: exactly one
/// applies, the others are told the version it made, which is one more than before.
async fn concurrent_owned_writes_with_one_version_apply_exactly_once(store: Arc<dyn Store>, rounds: usize) {
    prepared(&*store).await;
    let g = create(&*store, NodeKind::Group, None, "G").await.id;
    for round in 0..rounds.min(10) {
        let before = config_version(&*store, g).await;
        let mut tasks = Vec::new();
        for writer in 0..8 {
            let store = store.clone();
            let write = upsert(json!({ "writer": writer }));
            tasks.push(tokio::spawn(async move { store.write_config(g, &write, &at(before.0)).await }));
        }
        let (mut applied, mut refused) = (0, 0);
        for task in tasks {
            match task.await.unwrap() {
                Ok(version) => {
                    assert_eq!(version, before.next());
                    applied += 1;
                }
                Err(WriteConfigError::VersionMismatch(m)) => {
                    assert_eq!(m, VersionMismatch { expected: before, current: before.next() }, "round {round}");
                    refused += 1;
                }
                Err(other) => panic!("round {round}: {other:?}"),
            }
        }
        assert_eq!((applied, refused), (1, 7), "round {round}");
        assert_eq!(config_version(&*store, g).await, before.next(), "round {round}");

        let before = branding_version(&*store, g).await;
        let mut tasks = Vec::new();
        for writer in 0..8 {
            let store = store.clone();
            let document = general(&format!("writer {writer}"));
            tasks.push(tokio::spawn(async move {
                store.put_branding(g, BrandingKey::General, document, &at(before.0)).await
            }));
        }
        let mut winners = Vec::new();
        for (writer, task) in tasks.into_iter().enumerate() {
            match task.await.unwrap() {
                Ok(version) => winners.push((writer, version)),
                Err(WriteOwnedError::VersionMismatch(m)) => assert_eq!(m.current, before.next(), "round {round}"),
                Err(other) => panic!("round {round}: {other:?}"),
            }
        }
        assert_eq!(winners.len(), 1, "round {round}: {winners:?}");
        let (documents, version) = store.branding_documents(vec![g], BrandingKey::General).await.unwrap();
        assert_eq!(version, before.next(), "round {round}");
        assert_eq!(documents, vec![(g, general(&format!("writer {}", winners[0].0)))], "the winner's document");
    }
}

pub(crate) const CASES: &[Case] = &[
    case!(owned_versions_start_at_one_and_count_each_applied_write),
    case!(a_stale_owned_version_changes_nothing_and_reports_the_current_one),
    case!(concurrent_owned_writes_with_one_version_apply_exactly_once),
];
