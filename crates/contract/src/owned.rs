//! Contract cases of the owned port: branding documents, enabled UCs, rate plans, and
//! their removal with their node.

use crate::{Case, case, change, create, prepared};
use canopy_domain::{
    BrandingDocument, BrandingKey, Destination, NodeId, NodeKind, Price, RatePlanName, Tariff, Timestamp,
    parse_platforms,
};
use canopy_storage::{AddPriceError, Store, WriteOwnedError};
use serde_json::json;
use std::sync::Arc;
use uuid::Uuid;

fn doc(key: BrandingKey, name: &str) -> BrandingDocument {
    match key {
        BrandingKey::Theme => BrandingDocument::parse(
            key,
            json!({ "allowed": [name], "selected": name, "themes": { name: format!("/{name}.json") } }),
        ),
        BrandingKey::Pages => BrandingDocument::parse(
            key,
            json!({ "section": { name: { "enabled": true, "nested": { "list": [1, 2.5, "\u{0}x"] } } } }),
        ),
        _ => BrandingDocument::parse(key, json!({ "name": name, "nested": { "list": [1, 2.5, "\u{0}x"] } })),
    }
    .unwrap()
}

fn plan(name: &str) -> RatePlanName {
    RatePlanName::parse(name).unwrap()
}

fn price(destination: i64, since: i64, setup: f64) -> Price {
    let tariff = Tariff { setup, duration: setup / 2.0 };
    Price { destination, active_since: Timestamp(since), national: tariff, international: tariff }
}

async fn branding_documents_are_kept_per_node_and_key_and_replaced(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    let tenant = create(&*store, NodeKind::Tenant, Some(&group), "T").await;
    let both = vec![tenant.id, group.id];
    assert!(store.branding_documents(both.clone(), BrandingKey::General).await.unwrap().0.is_empty());
    store.put_branding(group.id, BrandingKey::General, doc(BrandingKey::General, "g"), &change()).await.unwrap();
    store.put_branding(group.id, BrandingKey::Theme, doc(BrandingKey::Theme, "blue"), &change()).await.unwrap();
    store.put_branding(group.id, BrandingKey::General, doc(BrandingKey::General, "g2"), &change()).await.unwrap();
    let found = store.branding_documents(both.clone(), BrandingKey::General).await.unwrap().0;
    assert_eq!(found, vec![(group.id, doc(BrandingKey::General, "g2"))], "replaced, and the NUL survives");
    let themes = store.branding_documents(both, BrandingKey::Theme).await.unwrap().0;
    assert_eq!(themes, vec![(group.id, doc(BrandingKey::Theme, "blue"))]);
    assert!(store.branding_documents(vec![tenant.id], BrandingKey::Pages).await.unwrap().0.is_empty());
}

async fn enabled_ucs_are_replaced_whole(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    assert!(store.enabled_ucs(group.id).await.unwrap().0.is_empty(), "none by default");
    store.set_enabled_ucs(group.id, parse_platforms(&["zoom", "msteams", "webex"]).unwrap(), &change()).await.unwrap();
    store.set_enabled_ucs(group.id, parse_platforms(&["zoom", "msteams"]).unwrap(), &change()).await.unwrap();
    let names: Vec<&str> = store.enabled_ucs(group.id).await.unwrap().0.iter().map(|p| p.as_str()).collect();
    assert_eq!(names, ["msteams", "zoom"]);
    store.set_enabled_ucs(group.id, vec![], &change()).await.unwrap();
    assert!(store.enabled_ucs(group.id).await.unwrap().0.is_empty());
}

async fn rate_plans_keep_destinations_and_one_price_per_instant(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    assert_eq!(store.rate_plan(group.id, plan("standard")).await.unwrap(), None);
    let err = store.add_price(group.id, plan("standard"), price(177, 0, 1.0), &change()).await.unwrap_err();
    assert!(matches!(err, AddPriceError::UnknownDestination), "{err:?}");
    store
        .put_destination(group.id, plan("standard"), Destination::parse(177, "Italy").unwrap(), &change())
        .await
        .unwrap();
    store
        .put_destination(group.id, plan("standard"), Destination::parse(28, "Azerbaijan").unwrap(), &change())
        .await
        .unwrap();
    store
        .put_destination(group.id, plan("standard"), Destination::parse(28, "Azerbaijan Mobile").unwrap(), &change())
        .await
        .unwrap();
    store
        .put_destination(group.id, plan("premium"), Destination::parse(1, "Elsewhere").unwrap(), &change())
        .await
        .unwrap();
    store.add_price(group.id, plan("standard"), price(177, 2_000, 2.0), &change()).await.unwrap();
    store.add_price(group.id, plan("standard"), price(177, 1_000, 1.0), &change()).await.unwrap();
    store.add_price(group.id, plan("standard"), price(177, 2_000, 4.68), &change()).await.unwrap();
    store.add_price(group.id, plan("standard"), price(28, 1_000, 3.47), &change()).await.unwrap();
    let err = store.add_price(group.id, plan("standard"), price(999, 0, 1.0), &change()).await.unwrap_err();
    assert!(matches!(err, AddPriceError::UnknownDestination), "{err:?}");
    let found = store.rate_plan(group.id, plan("standard")).await.unwrap().unwrap();
    assert_eq!(
        found.destinations,
        vec![Destination::parse(28, "Azerbaijan Mobile").unwrap(), Destination::parse(177, "Italy").unwrap()]
    );
    assert_eq!(found.prices, vec![price(28, 1_000, 3.47), price(177, 1_000, 1.0), price(177, 2_000, 4.68)]);
    let premium = store.rate_plan(group.id, plan("premium")).await.unwrap().unwrap();
    assert!(premium.prices.is_empty());
    assert_eq!(store.rate_plan(group.id, plan("Standard")).await.unwrap(), None, "names are exact");
}

async fn a_node_takes_what_it_owns_with_it_and_writes_need_the_node(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    let tenant = create(&*store, NodeKind::Tenant, Some(&group), "T").await;
    for node in [group.id, tenant.id] {
        store.put_branding(node, BrandingKey::Pages, doc(BrandingKey::Pages, "p"), &change()).await.unwrap();
        store.set_enabled_ucs(node, parse_platforms(&["zoom"]).unwrap(), &change()).await.unwrap();
        store.put_destination(node, plan("standard"), Destination::parse(1, "D").unwrap(), &change()).await.unwrap();
        store.add_price(node, plan("standard"), price(1, 0, 1.0), &change()).await.unwrap();
    }
    store.delete_node(&tenant.instance, NodeKind::Tenant, tenant.id, &change()).await.unwrap();
    let both = vec![group.id, tenant.id];
    let left = store.branding_documents(both, BrandingKey::Pages).await.unwrap().0;
    assert_eq!(left.iter().map(|(id, _)| *id).collect::<Vec<_>>(), [group.id], "the group's own stay");
    assert!(store.enabled_ucs(tenant.id).await.unwrap().0.is_empty());
    assert_eq!(store.rate_plan(tenant.id, plan("standard")).await.unwrap(), None);
    assert!(store.rate_plan(group.id, plan("standard")).await.unwrap().is_some());
    // A node deleted (or never created) accepts nothing.
    for missing in [tenant.id, NodeId(Uuid::new_v4())] {
        let err = store.put_branding(missing, BrandingKey::General, doc(BrandingKey::General, "x"), &change()).await;
        assert!(matches!(err, Err(WriteOwnedError::NodeNotFound)), "{err:?}");
        let err = store.set_enabled_ucs(missing, vec![], &change()).await;
        assert!(matches!(err, Err(WriteOwnedError::NodeNotFound)), "{err:?}");
        let err =
            store.put_destination(missing, plan("standard"), Destination::parse(1, "D").unwrap(), &change()).await;
        assert!(matches!(err, Err(WriteOwnedError::NodeNotFound)), "{err:?}");
        let err = store.add_price(missing, plan("standard"), price(1, 0, 1.0), &change()).await;
        assert!(matches!(err, Err(AddPriceError::NodeNotFound)), "{err:?}");
    }
}

pub(crate) const CASES: &[Case] = &[
    case!(branding_documents_are_kept_per_node_and_key_and_replaced),
    case!(enabled_ucs_are_replaced_whole),
    case!(rate_plans_keep_destinations_and_one_price_per_instant),
    case!(a_node_takes_what_it_owns_with_it_and_writes_need_the_node),
];
