//! Contract cases of the configuration port: writes, reads, secrets kept against the stored
//! value, the node's deletion, and concurrent writes.

use crate::{Case, case, change, create, instance, prepared};
use canopy_domain::{ConfigWrite, DomainError, MASK, NodeId, NodeKind, Properties, WriteMode, parse_keys};
use canopy_storage::{Deleted, Store, WriteConfigError};
use serde_json::{Value, json};
use std::sync::Arc;

fn write(mode: WriteMode, properties: Value) -> ConfigWrite {
    let Value::Object(map) = properties else { panic!("an object") };
    ConfigWrite::parse(mode, map.into_iter().collect()).unwrap()
}

fn as_json(properties: &Properties) -> Value {
    properties.iter().map(|(k, v)| (k.as_str().to_owned(), v.to_json())).collect::<serde_json::Map<_, _>>().into()
}

async fn config(store: &dyn Store, node: NodeId) -> Value {
    as_json(&store.get_config(node).await.unwrap().expect("the node exists").0)
}

async fn configurations_are_upserted_replaced_and_pruned_per_node(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    let tenant = create(&*store, NodeKind::Tenant, Some(&group), "T").await;
    assert_eq!(config(&*store, group.id).await, json!({}), "a new node has an empty configuration");

    let spec_put = json!({ "draas_default_mode": "Direct Routing", "draas_group": "Copaco",
        "draas_oc_onboarding_confirmation_required": true, "draas_sbc_port": 5061, "ratio": 2.31, "neg": -4 });
    store.write_config(group.id, &write(WriteMode::Replace, spec_put.clone()), &change()).await.unwrap();
    assert_eq!(config(&*store, group.id).await, spec_put, "values read back with their types");

    let spec_post =
        json!({ "draas_group": "Arrow", "draas_default_mode": "Operator Connect", "prop_1": "A new property" });
    store.write_config(group.id, &write(WriteMode::Upsert, spec_post), &change()).await.unwrap();
    let after_post = config(&*store, group.id).await;
    assert_eq!(after_post["draas_group"], "Arrow");
    assert_eq!(after_post["prop_1"], "A new property");
    assert_eq!(after_post["draas_sbc_port"], 5061, "an upsert keeps what it does not name");

    let keys = parse_keys(&["prop_1".into(), "prop_x".into(), "neg".into()]).unwrap();
    store.delete_config_keys(group.id, &keys, &change()).await.unwrap();
    let after_delete = config(&*store, group.id).await;
    assert!(after_delete.get("prop_1").is_none() && after_delete.get("neg").is_none(), "{after_delete}");
    assert_eq!(after_delete.as_object().unwrap().len(), 5);

    store.write_config(group.id, &write(WriteMode::Replace, json!({ "only": "this" })), &change()).await.unwrap();
    assert_eq!(config(&*store, group.id).await, json!({ "only": "this" }), "a replacement drops the rest");
    assert_eq!(config(&*store, tenant.id).await, json!({}), "another node's configuration is untouched");
    store.write_config(group.id, &write(WriteMode::Replace, json!({})), &change()).await.unwrap();
    assert_eq!(config(&*store, group.id).await, json!({}));
}

async fn a_masked_secret_keeps_the_value_stored_at_the_write(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    let secrets = json!({ "draas_sip_password": "s3cret", "Api_Token": 42, "draas_group": "Copaco" });
    store.write_config(group.id, &write(WriteMode::Replace, secrets), &change()).await.unwrap();
    let masked_back = json!({ "draas_sip_password": MASK, "Api_Token": MASK, "draas_group": "Arrow" });
    store.write_config(group.id, &write(WriteMode::Replace, masked_back), &change()).await.unwrap();
    assert_eq!(
        config(&*store, group.id).await,
        json!({ "draas_sip_password": "s3cret", "Api_Token": 42, "draas_group": "Arrow" }),
        "the masks kept the stored secrets"
    );

    let unknown = write(WriteMode::Upsert, json!({ "new_password": MASK, "draas_group": "Changed" }));
    match store.write_config(group.id, &unknown, &change()).await {
        Err(WriteConfigError::Invalid(DomainError::InvalidProperty { key, .. })) => assert_eq!(key, "new_password"),
        other => panic!("expected the masked key to be refused: {other:?}"),
    }
    assert_eq!(config(&*store, group.id).await["draas_group"], "Arrow", "a refused write changes nothing");
}

async fn a_configuration_needs_its_node_and_goes_with_it(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let missing = NodeId(uuid::Uuid::new_v4());
    assert!(store.get_config(missing).await.unwrap().is_none());
    let err = store.write_config(missing, &write(WriteMode::Upsert, json!({ "a": "b" })), &change()).await.unwrap_err();
    assert!(matches!(err, WriteConfigError::NodeNotFound), "{err:?}");
    let err = store.delete_config_keys(missing, &parse_keys(&["a".into()]).unwrap(), &change()).await.unwrap_err();
    assert!(matches!(err, WriteConfigError::NodeNotFound), "{err:?}");

    let group = create(&*store, NodeKind::Group, None, "G").await;
    let tenant = create(&*store, NodeKind::Tenant, Some(&group), "T").await;
    let properties = json!({ "draas_sip_password": "s3cret", "draas_group": "Copaco" });
    store.write_config(tenant.id, &write(WriteMode::Replace, properties.clone()), &change()).await.unwrap();
    store.write_config(group.id, &write(WriteMode::Replace, properties), &change()).await.unwrap();
    // A configuration never blocks a deletion: it is not a child.
    assert_eq!(store.delete_node(&instance(), NodeKind::Tenant, tenant.id, &change()).await.unwrap(), Deleted::Removed);
    assert!(store.get_config(tenant.id).await.unwrap().is_none(), "gone with its node");
    assert_eq!(store.delete_node(&instance(), NodeKind::Group, group.id, &change()).await.unwrap(), Deleted::Removed);
    assert!(store.get_config(group.id).await.unwrap().is_none());
}

/// Replacements of one node, each with its own keys, race each other and upserts: afterwards
/// the replaced keys are exactly one writer's (a replacement that read a stale configuration
/// would leave another's keys behind), and concurrent upserts of distinct keys all land.
async fn concurrent_configuration_writes_never_interleave(store: Arc<dyn Store>, rounds: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    for round in 0..rounds.min(10) {
        let mut tasks = Vec::new();
        for writer in 0..8 {
            let store = store.clone();
            let own: serde_json::Map<String, Value> =
                (0..5).map(|k| (format!("w{writer}_{k}"), json!(writer))).collect();
            let replace = write(WriteMode::Replace, Value::Object(own));
            tasks.push(tokio::spawn(async move { store.write_config(group.id, &replace, &change()).await }));
        }
        for upserter in 0..8 {
            let store = store.clone();
            let upsert = write(WriteMode::Upsert, json!({ format!("u{round}_{upserter}"): true }));
            tasks.push(tokio::spawn(async move { store.write_config(group.id, &upsert, &change()).await }));
        }
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        let after = config(&*store, group.id).await;
        let replaced: Vec<(&String, &Value)> =
            after.as_object().unwrap().iter().filter(|(k, _)| k.starts_with('w')).collect();
        assert_eq!(replaced.len(), 5, "round {round}: replacements interleaved: {after}");
        let writer = replaced[0].1;
        assert!(
            replaced.iter().all(|(k, v)| *v == writer && k.starts_with(&format!("w{writer}_"))),
            "round {round}: {after}"
        );

        let mut upserts = Vec::new();
        for upserter in 0..8 {
            let store = store.clone();
            let upsert = write(WriteMode::Upsert, json!({ format!("v{round}_{upserter}"): upserter }));
            upserts.push(tokio::spawn(async move { store.write_config(group.id, &upsert, &change()).await }));
        }
        for task in upserts {
            task.await.unwrap().unwrap();
        }
        let after = config(&*store, group.id).await;
        for upserter in 0..8 {
            assert_eq!(after[format!("v{round}_{upserter}")], upserter, "round {round}: an upsert was lost: {after}");
        }
    }
}

pub(crate) const CASES: &[Case] = &[
    case!(configurations_are_upserted_replaced_and_pruned_per_node),
    case!(a_masked_secret_keeps_the_value_stored_at_the_write),
    case!(a_configuration_needs_its_node_and_goes_with_it),
    case!(concurrent_configuration_writes_never_interleave),
];
