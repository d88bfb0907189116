//! Optimistic concurrency of what a node owns over HTTP: its general configuration, branding
//! documents, enabled UCs and rate plans answer their `version` and `ETag`; a write with the
//! current one (`If-Match`, `?version=` or the body's `version`) applies and answers the new
//! `ETag`, a stale one is 426 `version_mismatch` and changes nothing, and of two concurrent
//! writes made on one version exactly one applies.

mod support;

use axum::http::{HeaderMap, Method, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;
use support::{Api, BASE};

async fn group(api: &Api) -> String {
    api.create(&format!("{BASE}/groups"), json!({ "name": "Group 1" })).await
}

fn etag(headers: &HeaderMap) -> &str {
    headers.get("etag").expect("an ETag").to_str().unwrap()
}

/// A 426 in the envelope, with the stored version in its details and `ETag`.
fn assert_stale((status, headers, body): &(StatusCode, HeaderMap, Value), expected: u64, current: u64) {
    assert_eq!(*status, StatusCode::UPGRADE_REQUIRED, "{body}");
    assert_eq!(body["error"]["code"], "version_mismatch");
    assert_eq!(body["error"]["message"], "Version mismatch");
    assert_eq!(
        (&body["error"]["details"]["expected"], &body["error"]["details"]["current"]),
        (&json!(expected), &json!(current))
    );
    assert_eq!(etag(headers), format!("\"{current}\""));
}

#[tokio::test]
async fn a_configuration_answers_its_version_and_refuses_a_stale_one() {
    let api = Api::new().await;
    let path = format!("{BASE}/groups/{}/configurations/general", group(&api).await);
    let (status, headers, read) = api.send(Method::GET, &path, &[], None).await;
    assert_eq!((status, etag(&headers), &read), (StatusCode::OK, "\"1\"", &json!({ "properties": {}, "version": 1 })));

    let first = json!({ "properties": { "draas_group": "First" } });
    let (status, headers, _) = api.send(Method::PUT, &path, &[("if-match", "\"1\"")], Some(first)).await;
    assert_eq!((status, etag(&headers)), (StatusCode::NO_CONTENT, "\"2\""), "applied, the new ETag");

    // The same If-Match again: someone changed it meanwhile.
    let lost = json!({ "properties": { "draas_group": "Lost" } });
    assert_stale(&api.send(Method::PUT, &path, &[("if-match", "\"1\"")], Some(lost.clone())).await, 1, 2);
    assert_stale(&api.send(Method::POST, &path, &[("if-match", "W/\"1\"")], Some(lost.clone())).await, 1, 2);
    assert_stale(&api.send(Method::PUT, &format!("{path}?version=1"), &[], Some(lost.clone())).await, 1, 2);
    let in_body = json!({ "properties": { "draas_group": "Lost" }, "version": 1 });
    assert_stale(&api.send(Method::PUT, &path, &[], Some(in_body)).await, 1, 2);
    let keys = json!({ "keys": ["draas_group"] });
    assert_stale(&api.send(Method::DELETE, &path, &[("if-match", "\"1\"")], Some(keys.clone())).await, 1, 2);
    let (_, headers, read) = api.send(Method::GET, &path, &[], None).await;
    assert_eq!(read, json!({ "properties": { "draas_group": "First" }, "version": 2 }), "nothing changed");
    assert_eq!(etag(&headers), "\"2\"");

    // ?version= and the body's version work like If-Match; no precondition always applies.
    let (status, headers, _) =
        api.send(Method::POST, &format!("{path}?version=2"), &[], Some(json!({ "properties": { "a": 1 } }))).await;
    assert_eq!((status, etag(&headers)), (StatusCode::NO_CONTENT, "\"3\""));
    let (status, headers, _) =
        api.send(Method::PUT, &path, &[], Some(json!({ "properties": { "a": 2 }, "version": 3 }))).await;
    assert_eq!((status, etag(&headers)), (StatusCode::NO_CONTENT, "\"4\""));
    let (status, headers, _) = api.send(Method::POST, &path, &[], Some(json!({ "properties": { "b": true } }))).await;
    assert_eq!((status, etag(&headers)), (StatusCode::NO_CONTENT, "\"5\""));
    let (status, headers, _) = api.send(Method::DELETE, &path, &[("if-match", "\"5\"")], Some(keys)).await;
    assert_eq!((status, etag(&headers)), (StatusCode::NO_CONTENT, "\"6\""));
    assert_eq!(api.get(&path).await.1, json!({ "properties": { "a": 2, "b": true }, "version": 6 }));
}

#[tokio::test]
async fn a_stale_delete_of_keys_keeps_them_and_bad_versions_are_refused() {
    let api = Api::new().await;
    let path = format!("{BASE}/groups/{}/configurations/general", group(&api).await);
    api.send(Method::PUT, &path, &[], Some(json!({ "properties": { "k1": "v1", "k2": "v2" } }))).await;
    api.send(Method::POST, &path, &[], Some(json!({ "properties": { "k3": 3 } }))).await;
    let keys = json!({ "keys": ["k1", "k2"] });
    assert_stale(&api.send(Method::DELETE, &format!("{path}?version=2"), &[], Some(keys.clone())).await, 2, 3);
    assert_eq!(api.get(&path).await.1, json!({ "properties": { "k1": "v1", "k2": "v2", "k3": 3 }, "version": 3 }));

    // Malformed or contradictory versions are the client's mistake: 400, nothing changes.
    let body = json!({ "properties": { "k1": "x" } });
    for (path, headers, body) in [
        (path.clone(), vec![("if-match", "\"3\"")], json!({ "properties": {}, "version": 2 })),
        (path.clone(), vec![], json!({ "properties": {}, "version": 0 })),
        (path.clone(), vec![], json!({ "properties": {}, "version": "3" })),
        (format!("{path}?version=x"), vec![], body.clone()),
        (path.clone(), vec![("if-match", "three")], body.clone()),
    ] {
        let (status, _, answer) = api.send(Method::PUT, &path, &headers, Some(body)).await;
        assert_eq!((status, answer["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_precondition")));
    }
    assert_eq!(api.get(&path).await.1["version"], 3);
}

#[tokio::test]
async fn branding_documents_count_per_node_and_key_even_when_inherited() {
    let api = Api::new().await;
    let g = group(&api).await;
    let tenant = api.create(&format!("{BASE}/groups/{g}/tenants"), json!({ "name": "T", "tenantId": "t-1" })).await;
    let general = |kind: &str, id: &str| format!("{BASE}/{kind}/{id}/configurations/branding/general");
    let (path, below) = (general("groups", &g), general("tenants", &tenant));
    let (status, headers, _) =
        api.send(Method::PUT, &path, &[("if-match", "\"1\"")], Some(json!({ "name": "G" }))).await;
    assert_eq!((status, etag(&headers)), (StatusCode::NO_CONTENT, "\"2\""));
    assert_stale(&api.send(Method::PUT, &path, &[("if-match", "\"1\"")], Some(json!({ "name": "Lost" }))).await, 1, 2);
    let (_, headers, read) = api.send(Method::GET, &path, &[], None).await;
    assert_eq!((read, etag(&headers)), (json!({ "name": "G", "version": 2 }), "\"2\""));

    // The tenant shows its group's document at its own version; a read sent back is made its own.
    let (_, headers, inherited) = api.send(Method::GET, &below, &[], None).await;
    assert_eq!((&inherited, etag(&headers)), (&json!({ "name": "G", "version": 1 }), "\"1\""));
    let (status, headers, _) = api.send(Method::PUT, &below, &[], Some(inherited.clone())).await;
    assert_eq!((status, etag(&headers)), (StatusCode::NO_CONTENT, "\"2\""));
    assert_stale(&api.send(Method::PUT, &below, &[], Some(inherited)).await, 1, 2);
    assert_eq!(api.get(&below).await.1, json!({ "name": "G", "version": 2 }), "the version is not stored in it");
    let pages = format!("{BASE}/groups/{g}/configurations/branding/pages");
    assert_eq!(api.get(&pages).await.1["version"], 1, "each key has its own");
}

#[tokio::test]
async fn enabled_ucs_and_rate_plans_refuse_stale_versions() {
    let api = Api::new().await;
    let g = group(&api).await;
    let ucs = format!("{BASE}/groups/{g}/enabled_ucs");
    let (_, headers, read) = api.send(Method::GET, &ucs, &[], None).await;
    assert_eq!((read, etag(&headers)), (json!({ "enabled_ucs": [], "version": 1 }), "\"1\""));
    let zoom = json!({ "enabled_ucs": ["zoom"] });
    let (status, headers, _) = api.send(Method::PUT, &ucs, &[("if-match", "\"1\"")], Some(zoom.clone())).await;
    assert_eq!((status, etag(&headers)), (StatusCode::NO_CONTENT, "\"2\""));
    assert_stale(&api.send(Method::PUT, &ucs, &[], Some(json!({ "enabled_ucs": [], "version": 1 }))).await, 1, 2);
    assert_eq!(api.get(&ucs).await.1, json!({ "enabled_ucs": ["zoom"], "version": 2 }));

    let plan = format!("{BASE}/groups/{g}/rate_plans/standard");
    let (status, headers, _) = api
        .send(
            Method::PUT,
            &format!("{plan}/destinations/177"),
            &[("if-match", "\"1\"")],
            Some(json!({ "destination": "Italy" })),
        )
        .await;
    assert_eq!((status, etag(&headers)), (StatusCode::NO_CONTENT, "\"2\""), "a plan without destination is at 1");
    let price = json!({ "destinationId": 177, "activeSince": "2022-08-04 00:00:00",
        "national": { "setup": 1.0, "duration": 2.0 }, "international": { "setup": 3.0, "duration": 4.0 } });
    let (status, headers, _) =
        api.send(Method::POST, &format!("{plan}/prices?version=2"), &[], Some(price.clone())).await;
    assert_eq!((status, etag(&headers)), (StatusCode::NO_CONTENT, "\"3\""));
    assert_stale(&api.send(Method::POST, &format!("{plan}/prices?version=2"), &[], Some(price)).await, 2, 3);
    let rename = json!({ "destination": "Lost" });
    assert_stale(&api.send(Method::PUT, &format!("{plan}/destinations/177?version=1"), &[], Some(rename)).await, 1, 3);
    let (_, headers, read) = api.send(Method::GET, &plan, &[], None).await;
    assert_eq!((read["version"].clone(), etag(&headers)), (json!(3), "\"3\""));
    assert_eq!((read["prices"].as_array().unwrap().len(), &read["prices"][0]["destination"]), (1, &json!("Italy")));
}

/// Two concurrent writes made on the same version, `rounds` times: exactly one applies.
async fn race(api: &Arc<Api>, method: Method, path: &str, bodies: [Value; 2]) {
    for round in 0..5 {
        let version = api.get(path).await.1["version"].as_u64().unwrap();
        let tag = format!("\"{version}\"");
        let writers: Vec<_> = bodies
            .iter()
            .cloned()
            .map(|body| {
                let (api, method, path, tag) = (api.clone(), method.clone(), path.to_owned(), tag.clone());
                tokio::spawn(async move { api.send(method, &path, &[("if-match", &tag)], Some(body)).await })
            })
            .collect();
        let mut statuses = Vec::new();
        for writer in writers {
            statuses.push(writer.await.unwrap().0);
        }
        statuses.sort();
        assert_eq!(statuses, [StatusCode::NO_CONTENT, StatusCode::UPGRADE_REQUIRED], "{path}, round {round}");
        assert_eq!(api.get(path).await.1["version"], version + 1, "{path}, round {round}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_two_concurrent_writes_on_one_version_exactly_one_applies() {
    let api = Arc::new(Api::new().await);
    let g = group(&api).await;
    let config = format!("{BASE}/groups/{g}/configurations/general");
    race(&api, Method::PUT, &config, [json!({ "properties": { "w": 1 } }), json!({ "properties": { "w": 2 } })]).await;
    let branding = format!("{BASE}/groups/{g}/configurations/branding/general");
    race(&api, Method::PUT, &branding, [json!({ "name": "A" }), json!({ "name": "B" })]).await;
    let ucs = format!("{BASE}/groups/{g}/enabled_ucs");
    race(&api, Method::PUT, &ucs, [json!({ "enabled_ucs": ["zoom"] }), json!({ "enabled_ucs": ["webex"] })]).await;
}
