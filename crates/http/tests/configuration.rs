//! The general configuration of nodes over HTTP: the spec's examples, secrets masked and kept,
//! typed standard properties, the filters of a read, the limits, and who may configure what.
//! (The 4096-character limit of a text value is the domain's test: these tests' body limit is
//! 4 KiB.)

mod support;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Api, BASE, get_without_version as get};

/// The spec's example of "Modify the configurations of a group" (and of its read).
fn spec_configuration() -> Value {
    json!({ "properties": {
        "draas_default_mode": "Direct Routing",
        "draas_dummy_user_name": "Netaxis Dummy Fusion User for E5 Activation",
        "draas_group": "Copaco",
        "draas_main_domain": "teams.cloudnettest.services",
        "draas_oc_calling_profile_id": "b77db179-e055-481d-b11b-0902971d892d",
        "draas_oc_onboarding_confirmation_required": true,
        "draas_porting_cc": "+31",
        "draas_profile_distributor_admin": "draas_distributor_admin",
        "draas_profile_group_admin": "draas_group_admin",
        "draas_profile_reseller_admin": "draas_reseller_admin",
        "draas_profile_system_admin": "draas_system_admin",
        "draas_profile_tenant_admin": "draas_tenant_admin",
        "draas_pstn_usage": "PSTN-Usage-DRAAS",
        "draas_sbc_ip": "152.70.50.133",
        "draas_sbc_port": 5061,
        "draas_tgrp_name": "teams",
        "draas_trunk_context": "testteams.copaco.nl",
        "draas_voice_route": "VR-Fusion",
        "draas_vrp": "World-Fusion",
        "eva_combinations": "STANDARDPACK+MCOCAP,ENTERPRISEPACK+MCOCAP,ENTERPRISEPREMIUM,TEAMS_EXPLORATORY+MCOCAP"
    } })
}

async fn group(api: &Api) -> String {
    api.create(&format!("{BASE}/groups"), json!({ "name": format!("G {}", uuid::Uuid::new_v4()) })).await
}

fn general(kind: &str, uuid: &str) -> String {
    format!("{BASE}/{kind}/{uuid}/configurations/general")
}

async fn put(api: &Api, path: &str, body: Value) -> (StatusCode, Value) {
    api.call(Method::PUT, path, Some(body)).await
}

async fn delete(api: &Api, path: &str, body: Value) -> (StatusCode, Value) {
    api.call(Method::DELETE, path, Some(body)).await
}

/// The refusal of a write: 400 `invalid_property` naming `key`.
fn assert_names(answer: (StatusCode, Value), key: &str) {
    let (status, body) = answer;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["code"], "invalid_property", "{body}");
    assert_eq!(body["error"]["details"]["key"], key, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains(key), "{body}");
}

#[tokio::test]
async fn the_specs_examples_replay_on_a_group() {
    let api = Api::new().await;
    let path = general("groups", &group(&api).await);
    assert_eq!(get(&api, &path).await, (StatusCode::OK, json!({ "properties": {} })), "a new group has none");

    assert_eq!(put(&api, &path, spec_configuration()).await, (StatusCode::NO_CONTENT, Value::Null));
    assert_eq!(get(&api, &path).await, (StatusCode::OK, spec_configuration()), "the spec's read, types kept");

    let upsert = json!({ "properties": {
        "draas_group": "Arrow", "draas_default_mode": "Operator Connect", "prop_1": "A new property" } });
    assert_eq!(api.post(&path, upsert).await.0, StatusCode::NO_CONTENT);
    let (_, read) = get(&api, &path).await;
    let mut expected = spec_configuration();
    expected["properties"]["draas_group"] = json!("Arrow");
    expected["properties"]["draas_default_mode"] = json!("Operator Connect");
    expected["properties"]["prop_1"] = json!("A new property");
    assert_eq!(read, expected, "an upsert changes and adds, and keeps the rest");

    let removal = json!({ "keys": ["prop_1", "prop_2", "prop_x"] });
    assert_eq!(delete(&api, &path, removal).await, (StatusCode::NO_CONTENT, Value::Null));
    let (_, read) = get(&api, &path).await;
    assert!(read["properties"].get("prop_1").is_none(), "{read}");
    assert_eq!(read["properties"].as_object().unwrap().len(), 20);

    assert_eq!(put(&api, &path, json!({ "properties": { "only": 1 } })).await.0, StatusCode::NO_CONTENT);
    assert_eq!(get(&api, &path).await.1, json!({ "properties": { "only": 1 } }), "PUT replaces the whole");
}

#[tokio::test]
async fn secrets_are_masked_and_a_read_sent_back_keeps_them() {
    let api = Api::new().await;
    let path = general("groups", &group(&api).await);
    let secrets = json!({ "properties": {
        "draas_sip_password": "s3cret-sip", "Api_TOKEN": "tok-123", "draas_group": "Copaco" } });
    assert_eq!(put(&api, &path, secrets).await.0, StatusCode::NO_CONTENT);
    let (_, read) = api.get(&path).await;
    let masked = json!({ "properties": {
        "draas_sip_password": "********", "Api_TOKEN": "********", "draas_group": "Copaco" } });
    assert_eq!(read, json!({ "properties": masked["properties"], "version": 2 }));
    assert!(!read.to_string().contains("s3cret") && !read.to_string().contains("tok-123"));

    // The read sent back (its version too) changes nothing; the masks stand for the stored secrets.
    assert_eq!(put(&api, &path, read.clone()).await.0, StatusCode::NO_CONTENT);
    assert_eq!(get(&api, &path).await.1, masked);
    assert_eq!(
        api.post(&path, json!({ "properties": { "draas_sip_password": "********" } })).await.0,
        StatusCode::NO_CONTENT
    );

    // The mask for a secret with nothing stored is refused by name, and the whole write with it.
    let unknown = json!({ "properties": { "other_password": "********", "draas_group": "Arrow" } });
    assert_names(api.post(&path, unknown.clone()).await, "other_password");
    assert_names(put(&api, &path, unknown).await, "other_password");
    assert_eq!(get(&api, &path).await.1, masked, "a refused write changes nothing");

    // A secret left out of a PUT is deleted: the mask cannot stand for it afterwards.
    assert_eq!(put(&api, &path, json!({ "properties": { "draas_group": "Copaco" } })).await.0, StatusCode::NO_CONTENT);
    assert_names(
        api.post(&path, json!({ "properties": { "draas_sip_password": "********" } })).await,
        "draas_sip_password",
    );
}

#[tokio::test]
async fn wrong_values_and_keys_are_refused_by_name_and_change_nothing() {
    let api = Api::new().await;
    let path = general("groups", &group(&api).await);
    assert_eq!(put(&api, &path, spec_configuration()).await.0, StatusCode::NO_CONTENT);
    let long_key = "k".repeat(129);
    for (properties, key) in [
        (json!({ "draas_sbc_port": "5061" }), "draas_sbc_port"),
        (json!({ "draas_oc_onboarding_confirmation_required": "true" }), "draas_oc_onboarding_confirmation_required"),
        (json!({ "draas_group": 7 }), "draas_group"),
        (json!({ "prop_1": { "nested": true } }), "prop_1"),
        (json!({ "prop_1": [1, 2] }), "prop_1"),
        (json!({ "prop_1": null }), "prop_1"),
        (json!({ "a b": "x" }), "a b"),
        (json!({ "": "x" }), ""),
        (json!({ "sip_password": "never\u{0}shown" }), "sip_password"),
    ] {
        for mode in [Method::POST, Method::PUT] {
            let answer = api.call(mode.clone(), &path, Some(json!({ "properties": properties }))).await;
            assert!(!answer.1.to_string().contains("never"), "the value is not echoed: {}", answer.1);
            assert_names(answer, key);
        }
    }
    let (status, body) = api.post(&path, json!({ "properties": { long_key.clone(): 1 } })).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_property")));
    for body in [json!({}), json!({ "properties": [] }), json!({ "properties": {}, "extra": 1 })] {
        let (status, answer) = put(&api, &path, body).await;
        assert_eq!((status, answer["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_body")));
    }
    let (status, body) = delete(&api, &path, json!({ "keys": ["ok", "not ok"] })).await;
    assert_eq!((status, body["error"]["details"]["key"].as_str()), (StatusCode::BAD_REQUEST, Some("not ok")));
    assert_eq!(get(&api, &path).await.1, spec_configuration(), "nothing refused changed anything");
}

#[tokio::test]
async fn keys_and_search_select_what_a_read_returns() {
    let api = Api::new().await;
    let path = general("groups", &group(&api).await);
    assert_eq!(put(&api, &path, spec_configuration()).await.0, StatusCode::NO_CONTENT);
    let keys = |read: &Value| read["properties"].as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    let (status, read) = get(&api, &format!("{path}?keys=draas_group,draas_sbc_port,missing")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read, json!({ "properties": { "draas_group": "Copaco", "draas_sbc_port": 5061 } }));
    let (_, read) = get(&api, &format!("{path}?search=SBC")).await;
    assert_eq!(keys(&read), ["draas_sbc_ip", "draas_sbc_port"]);
    let (_, read) = get(&api, &format!("{path}?search=profile&keys=draas_group,draas_profile_group_admin")).await;
    assert_eq!(keys(&read), ["draas_profile_group_admin"]);
    let (_, read) = get(&api, &format!("{path}?keys=&search=")).await;
    assert_eq!(read, spec_configuration(), "empty filters restrict nothing");
    let (status, body) = get(&api, &format!("{path}?keys=a%20b")).await;
    assert_eq!((status, body["error"]["details"]["key"].as_str()), (StatusCode::BAD_REQUEST, Some("a b")));
    let (status, body) = get(&api, &format!("{path}?sort=name")).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_query")));
}

#[tokio::test]
async fn a_configuration_holds_at_most_500_properties() {
    let api = Api::new().await;
    let path = general("groups", &group(&api).await);
    for chunk in 0..5 {
        let properties: serde_json::Map<String, Value> =
            (0..100).map(|i| (format!("k{}", chunk * 100 + i), json!(i))).collect();
        assert_eq!(api.post(&path, json!({ "properties": properties })).await.0, StatusCode::NO_CONTENT);
    }
    let (status, body) = api.post(&path, json!({ "properties": { "one_more": 1 } })).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_field")), "{body}");
    assert_eq!(body["error"]["details"]["field"], "properties");
    assert_eq!(api.post(&path, json!({ "properties": { "k0": "changed" } })).await.0, StatusCode::NO_CONTENT);
    assert_eq!(get(&api, &path).await.1["properties"].as_object().unwrap().len(), 500);
}

#[tokio::test]
async fn each_node_has_its_own_configuration_within_its_administrators_reach() {
    let api = Api::new().await;
    let group = group(&api).await;
    let reseller = api.create(&format!("{BASE}/groups/{group}/resellers"), json!({ "name": "R" })).await;
    let tenant =
        api.create(&format!("{BASE}/resellers/{reseller}/tenants"), json!({ "name": "T", "tenantId": "t-1" })).await;
    let tenant_admin = api.admin(&format!("/tenants/{tenant}"), "tenant.admin@example.com").await;
    let own = general("tenants", &tenant);
    let body = json!({ "properties": { "draas_sip_password": "tenant-secret", "draas_sbc_port": 5062 } });
    assert_eq!(put(&tenant_admin, &own, body).await.0, StatusCode::NO_CONTENT, "a tenant configures itself");
    assert_eq!(get(&api, &general("resellers", &reseller)).await.1, json!({ "properties": {} }));
    let (_, read) = get(&api, &own).await;
    assert_eq!(read, json!({ "properties": { "draas_sip_password": "********", "draas_sbc_port": 5062 } }));

    let (status, body) = tenant_admin.get(&general("groups", &group)).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));
    assert_eq!(body["error"]["details"]["permission"], "groups.instance.configurations.general.list");

    // The node deleted takes its configuration with it.
    assert_eq!(api.call(Method::DELETE, &format!("{BASE}/tenants/{tenant}"), None).await.0, StatusCode::OK);
    for answer in [get(&api, &own).await, delete(&api, &own, json!({ "keys": ["draas_sbc_port"] })).await] {
        assert_eq!((answer.0, answer.1["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
    }
}
