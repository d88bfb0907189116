//! Contract cases of issue 21, item 9: a node's branding document deleted (it inherits again),
//! the instance's own branding documents, the list of a node's rate plans, and the deletion of a
//! rate plan's destinations and prices. Each deletion is a write of its document: versioned,
//! audited, idempotent.

use crate::{Case, case, change, create, instance, other_instance, prepared};
use canopy_domain::{
    AuditScope, BrandingDocument, BrandingKey, Change, Destination, ListParams, NodeId, NodeKind, PageRequest, Price,
    RatePlanName, RatePlanSummary, Tariff, Timestamp, TokenKey, Version,
};
use canopy_storage::{Store, VersionedWriteError, WriteOwnedError};
use serde_json::json;
use std::sync::Arc;
use uuid::Uuid;

fn at(version: u64) -> Change {
    Change { expected: Some(Version(version)), ..change() }
}

fn general(name: &str) -> BrandingDocument {
    BrandingDocument::parse(BrandingKey::General, json!({ "name": name })).unwrap()
}

fn plan(name: &str) -> RatePlanName {
    RatePlanName::parse(name).unwrap()
}

fn price(destination: i64, since: i64) -> Price {
    let tariff = Tariff { setup: 1.0, duration: 0.5 };
    Price { destination, active_since: Timestamp(since), national: tariff, international: tariff }
}

/// The number of entries of the default instance's audit log.
async fn recorded(store: &dyn Store) -> u64 {
    let scope = AuditScope { instance: instance(), within: None, node: None };
    let request = PageRequest::resolve(scope, ListParams::default(), &TokenKey::new(vec![7; 32])).unwrap();
    store.list_audit(&request).await.unwrap().total
}

async fn a_deleted_branding_document_is_inherited_again_and_counts_as_a_write(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    let tenant = create(&*store, NodeKind::Tenant, Some(&group), "T").await;
    let chain = vec![tenant.id, group.id];
    store.put_branding(group.id, BrandingKey::General, general("group"), &change()).await.unwrap();
    assert_eq!(
        store.put_branding(tenant.id, BrandingKey::General, general("own"), &change()).await.unwrap(),
        Version(2)
    );
    let err = store.delete_branding(tenant.id, BrandingKey::General, &at(1)).await.unwrap_err();
    assert!(matches!(err, WriteOwnedError::VersionMismatch(_)), "{err:?}");
    assert_eq!(store.delete_branding(tenant.id, BrandingKey::General, &at(2)).await.unwrap(), Version(3));
    let (own, version) = store.branding_documents(chain.clone(), BrandingKey::General).await.unwrap();
    assert_eq!((own, version), (vec![(group.id, general("group"))], Version(3)), "the group's shows again");
    assert_eq!(store.delete_branding(tenant.id, BrandingKey::General, &change()).await.unwrap(), Version(4), "again");
    assert_eq!(store.branding_documents(vec![group.id], BrandingKey::Pages).await.unwrap().0, vec![]);
    let missing = NodeId(Uuid::new_v4());
    let err = store.delete_branding(missing, BrandingKey::General, &change()).await.unwrap_err();
    assert!(matches!(err, WriteOwnedError::NodeNotFound), "{err:?}");
}

async fn instance_branding_is_kept_per_instance_and_key_and_versioned(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let (default, other) = (instance(), other_instance());
    assert_eq!(store.instance_branding(&default, BrandingKey::General).await.unwrap(), (None, Version(1)));
    let put = store.put_instance_branding(&default, BrandingKey::General, general("mine"), &at(1)).await;
    assert_eq!(put.unwrap(), Version(2));
    let stale = store.put_instance_branding(&default, BrandingKey::General, general("lost"), &at(1)).await;
    assert!(matches!(stale, Err(VersionedWriteError::VersionMismatch(m)) if m.current == Version(2)), "{stale:?}");
    assert_eq!(
        store.instance_branding(&default, BrandingKey::General).await.unwrap(),
        (Some(general("mine")), Version(2))
    );
    assert_eq!(store.instance_branding(&default, BrandingKey::Pages).await.unwrap(), (None, Version(1)), "per key");
    assert_eq!(
        store.instance_branding(&other, BrandingKey::General).await.unwrap(),
        (None, Version(1)),
        "per instance"
    );
    assert_eq!(store.delete_instance_branding(&default, BrandingKey::General, &at(2)).await.unwrap(), Version(3));
    assert_eq!(store.instance_branding(&default, BrandingKey::General).await.unwrap(), (None, Version(3)));
    assert_eq!(store.delete_instance_branding(&default, BrandingKey::General, &change()).await.unwrap(), Version(4));
    assert_eq!(recorded(&*store).await, 3, "each applied write is recorded once, the stale one not");
}

async fn rate_plans_are_listed_and_their_destinations_and_prices_deleted(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    let g = group.id;
    assert_eq!(store.rate_plans(g).await.unwrap(), vec![]);
    for (name, id) in [("std", 1), ("std", 2), ("premium", 5)] {
        store.put_destination(g, plan(name), Destination::parse(id, "D").unwrap(), &change()).await.unwrap();
    }
    for (destination, since) in [(1, 1_000), (1, 2_000), (2, 1_000)] {
        store.add_price(g, plan("std"), price(destination, since), &change()).await.unwrap();
    }
    let summary = |name: &str, destinations, prices, version| RatePlanSummary {
        name: plan(name),
        destinations,
        prices,
        version: Version(version),
    };
    assert_eq!(store.rate_plans(g).await.unwrap(), vec![summary("premium", 1, 0, 2), summary("std", 2, 3, 6)]);

    // One scheduled price, by destination and instant; a stale version changes nothing.
    let err = store.delete_price(g, plan("std"), 1, Timestamp(1_000), &at(5)).await.unwrap_err();
    assert!(matches!(err, WriteOwnedError::VersionMismatch(_)), "{err:?}");
    assert_eq!(store.delete_price(g, plan("std"), 1, Timestamp(1_000), &at(6)).await.unwrap(), Version(7));
    let std = store.rate_plan(g, plan("std")).await.unwrap().unwrap();
    assert_eq!(std.prices, vec![price(2, 1_000), price(1, 2_000)]);
    assert_eq!(store.delete_price(g, plan("std"), 1, Timestamp(1_000), &change()).await.unwrap(), Version(8), "again");

    // A destination takes its prices with it; the plan goes with its last destination.
    assert_eq!(store.delete_destination(g, plan("std"), 1, &change()).await.unwrap(), Version(9));
    let std = store.rate_plan(g, plan("std")).await.unwrap().unwrap();
    assert_eq!((std.destinations.len(), std.prices.clone()), (1, vec![price(2, 1_000)]));
    assert_eq!(store.delete_destination(g, plan("std"), 1, &change()).await.unwrap(), Version(10), "again");
    assert_eq!(store.delete_destination(g, plan("std"), i64::MAX, &change()).await.unwrap(), Version(11));
    store.delete_destination(g, plan("std"), 2, &change()).await.unwrap();
    assert_eq!(store.rate_plan(g, plan("std")).await.unwrap(), None);
    assert_eq!(store.rate_plans(g).await.unwrap(), vec![summary("premium", 1, 0, 2)]);
    store.put_destination(g, plan("std"), Destination::parse(3, "D").unwrap(), &change()).await.unwrap();
    assert_eq!(store.rate_plans(g).await.unwrap()[1], summary("std", 1, 0, 13), "its version went on counting");

    let missing = NodeId(Uuid::new_v4());
    let err = store.delete_destination(missing, plan("std"), 1, &change()).await.unwrap_err();
    assert!(matches!(err, WriteOwnedError::NodeNotFound), "{err:?}");
    let err = store.delete_price(missing, plan("std"), 1, Timestamp(0), &change()).await.unwrap_err();
    assert!(matches!(err, WriteOwnedError::NodeNotFound), "{err:?}");
}

pub(crate) const CASES: &[Case] = &[
    case!(a_deleted_branding_document_is_inherited_again_and_counts_as_a_write),
    case!(instance_branding_is_kept_per_instance_and_key_and_versioned),
    case!(rate_plans_are_listed_and_their_destinations_and_prices_deleted),
];
