//! HTTP tests of optimistic concurrency on nodes, administrators and voice routing: versions in
//! bodies and `ETag`s, `If-Match` and `?version=` preconditions, 426 "Version mismatch" when
//! stale with nothing changed, and concurrent changes on one version of which exactly one applies.

mod support;

use axum::http::header::ETAG;
use axum::http::{HeaderMap, Method, StatusCode};
use serde_json::{Value, json};
use std::sync::Arc;
use support::{Api, BASE};

fn etag(headers: &HeaderMap) -> &str {
    headers.get(ETAG).expect("an ETag").to_str().unwrap()
}

/// Asserts the 426 envelope of a stale version naming the current one, with its `ETag`.
fn assert_stale(status: StatusCode, headers: &HeaderMap, body: &Value, expected: u64, current: u64) {
    assert_eq!(status, StatusCode::UPGRADE_REQUIRED, "{body}");
    assert_eq!(body["error"]["code"], "version_mismatch");
    assert_eq!(body["error"]["message"], "Version mismatch");
    assert_eq!(body["error"]["details"]["current"], current);
    assert_eq!(body["error"]["details"]["expected"], expected);
    assert_eq!(etag(headers), format!("\"{current}\""));
}

#[tokio::test]
async fn a_node_carries_its_version_and_a_stale_if_match_changes_nothing() {
    let api = Api::new().await;
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
    let path = format!("{BASE}/groups/{group}");
    let (status, headers, body) = api.send(Method::GET, &path, &[], None).await;
    assert_eq!((status, etag(&headers), &body["version"]), (StatusCode::OK, "\"1\"", &json!(1)));
    let (_, list) = api.get(&format!("{BASE}/groups")).await;
    assert_eq!(list["groups"][0]["version"], 1, "list items carry it too");

    let (status, headers, body) =
        api.send(Method::PUT, &path, &[("if-match", "\"1\"")], Some(json!({ "name": "First" }))).await;
    assert_eq!((status, etag(&headers), body), (StatusCode::OK, "\"2\"", json!({ "uuid": group, "version": 2 })));
    // The same precondition again: someone changed it meanwhile.
    let (status, headers, body) =
        api.send(Method::PUT, &path, &[("if-match", "\"1\"")], Some(json!({ "name": "Lost" }))).await;
    assert_stale(status, &headers, &body, 1, 2);
    let (_, headers, body) = api.send(Method::GET, &path, &[], None).await;
    assert_eq!((body["name"].as_str(), etag(&headers)), (Some("First"), "\"2\""), "nothing changed");

    // ?version= works alike; a weak tag is accepted; no precondition applies whatever is stored.
    let (status, headers, body) =
        api.send(Method::PUT, &format!("{path}?version=1"), &[], Some(json!({ "name": "Lost" }))).await;
    assert_stale(status, &headers, &body, 1, 2);
    let (status, headers, _) =
        api.send(Method::PUT, &format!("{path}?version=2"), &[], Some(json!({ "name": "Second" }))).await;
    assert_eq!((status, etag(&headers)), (StatusCode::OK, "\"3\""));
    let (status, headers, _) =
        api.send(Method::PUT, &path, &[("if-match", "W/\"3\"")], Some(json!({ "name": "Third" }))).await;
    assert_eq!((status, etag(&headers)), (StatusCode::OK, "\"4\""));
    let (status, headers, _) = api.send(Method::PUT, &path, &[], Some(json!({ "name": "Fourth" }))).await;
    assert_eq!((status, etag(&headers)), (StatusCode::OK, "\"5\""), "the precondition is optional");

    let (status, headers, body) = api.send(Method::DELETE, &path, &[("if-match", "\"4\"")], None).await;
    assert_stale(status, &headers, &body, 4, 5);
    assert_eq!(api.get(&path).await.0, StatusCode::OK, "a stale deletion deletes nothing");
    let (status, _, body) = api.send(Method::DELETE, &path, &[("if-match", "\"5\"")], None).await;
    assert_eq!((status, body), (StatusCode::OK, json!({ "uuid": group })));
    let (status, _, _) = api.send(Method::DELETE, &path, &[("if-match", "\"5\"")], None).await;
    assert_eq!(status, StatusCode::OK, "deleting the absent stays idempotent");
}

#[tokio::test]
async fn a_malformed_or_contradictory_precondition_is_400_and_changes_nothing() {
    let api = Api::new().await;
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
    let path = format!("{BASE}/groups/{group}");
    for (query, headers) in [
        ("", vec![("if-match", "three")]),
        ("", vec![("if-match", "\"0\"")]),
        ("?version=abc", vec![]),
        ("?version=0", vec![]),
        ("?version=2", vec![("if-match", "\"1\"")]),
    ] {
        let (status, _, body) =
            api.send(Method::PUT, &format!("{path}{query}"), &headers, Some(json!({ "name": "X" }))).await;
        assert_eq!((status, &body["error"]["code"]), (StatusCode::BAD_REQUEST, &json!("invalid_precondition")));
    }
    let (_, headers, body) = api.send(Method::GET, &path, &[], None).await;
    assert_eq!((body["name"].as_str(), etag(&headers)), (Some("G"), "\"1\""));
}

#[tokio::test]
async fn administrators_carry_their_version_and_refuse_stale_changes() {
    let api = Api::new().await;
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
    let admins = format!("{BASE}/groups/{group}/admins");
    let (status, headers, body) =
        api.send(Method::POST, &admins, &[], Some(json!({ "adminEmail": "a@example.com" }))).await;
    assert_eq!((status, etag(&headers), &body["version"]), (StatusCode::OK, "\"1\"", &json!(1)));
    let item = format!("{admins}/a@example.com");
    let (status, headers, _) = api
        .send(
            Method::PUT,
            &item,
            &[("if-match", "\"1\"")],
            Some(json!({ "adminEmail": "a@example.com", "firstName": "Ann" })),
        )
        .await;
    assert_eq!((status, etag(&headers)), (StatusCode::OK, "\"2\""));
    let (status, headers, body) = api
        .send(
            Method::PUT,
            &item,
            &[("if-match", "\"1\"")],
            Some(json!({ "adminEmail": "a@example.com", "firstName": "Lost" })),
        )
        .await;
    assert_stale(status, &headers, &body, 1, 2);
    let (status, headers, body) = api.send(Method::DELETE, &format!("{item}?version=1"), &[], None).await;
    assert_stale(status, &headers, &body, 1, 2);
    let (_, list) = api.get(&admins).await;
    assert_eq!((list["admins"][0]["firstName"].as_str(), &list["admins"][0]["version"]), (Some("Ann"), &json!(2)));
    let (status, _, _) = api.send(Method::DELETE, &format!("{item}?version=2"), &[], None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn voice_routing_objects_carry_their_version_and_refuse_stale_changes() {
    let api = Api::new().await;
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
    let base = format!("{BASE}/groups/{group}/configurations/voice_routing");
    let (status, headers, _) =
        api.send(Method::POST, &format!("{base}/pstn_usages"), &[], Some(json!({ "name": "U" }))).await;
    assert_eq!((status, etag(&headers)), (StatusCode::NO_CONTENT, "\"1\""), "a creation answers its ETag");
    let (_, usages) = api.get(&format!("{base}/pstn_usages")).await;
    let usage = format!("{base}/pstn_usages/{}", usages["pstnUsages"][0]["id"]);
    assert_eq!(usages["pstnUsages"][0]["version"], 1);

    let (status, headers, _) =
        api.send(Method::PUT, &usage, &[("if-match", "\"1\"")], Some(json!({ "name": "U2" }))).await;
    assert_eq!((status, etag(&headers)), (StatusCode::NO_CONTENT, "\"2\""));
    let (status, headers, body) =
        api.send(Method::PUT, &usage, &[("if-match", "\"1\"")], Some(json!({ "name": "Lost" }))).await;
    assert_stale(status, &headers, &body, 1, 2);
    let (status, headers, body) = api.send(Method::DELETE, &format!("{usage}?version=1"), &[], None).await;
    assert_stale(status, &headers, &body, 1, 2);
    let (_, usages) = api.get(&format!("{base}/pstn_usages")).await;
    assert_eq!(usages["pstnUsages"], json!([{ "id": usages["pstnUsages"][0]["id"], "name": "U2", "version": 2 }]));

    let route = json!({ "name": "R", "priority": 1, "pattern": ".*" });
    api.send(Method::POST, &format!("{base}/voice_routes"), &[], Some(route)).await;
    let (_, routes) = api.get(&format!("{base}/voice_routes")).await;
    let route = format!("{base}/voice_routes/{}", routes["voiceRoutes"][0]["id"]);
    let (status, headers, body) = api.send(Method::DELETE, &route, &[("if-match", "\"2\"")], None).await;
    assert_stale(status, &headers, &body, 2, 1);
    let (status, _, _) = api.send(Method::DELETE, &route, &[("if-match", "\"1\"")], None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}

/// Two PUTs made on the same version, sent together, several rounds: exactly one 200 and one 426.
async fn race_two_puts(api: Arc<Api>, path: &str, body: impl Fn(usize) -> Value, ok: StatusCode) {
    let mut version = {
        let (_, headers, _) = api.send(Method::PUT, path, &[], Some(body(1000))).await;
        etag(&headers).trim_matches('"').parse::<u64>().unwrap()
    };
    for round in 0..10 {
        let tag = format!("\"{version}\"");
        let send = |i: usize| {
            let (api, path, tag, body) = (api.clone(), path.to_owned(), tag.clone(), body(round * 2 + i));
            tokio::spawn(async move { api.send(Method::PUT, &path, &[("if-match", &tag)], Some(body)).await })
        };
        let (first, second) = tokio::join!(send(0), send(1));
        let mut statuses = [first.unwrap().0, second.unwrap().0];
        statuses.sort();
        assert_eq!(statuses, [ok, StatusCode::UPGRADE_REQUIRED], "round {round}: exactly one applies");
        version += 1;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_concurrent_puts_on_one_version_of_a_node_apply_exactly_once() {
    let api = Arc::new(Api::new().await);
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
    let path = format!("{BASE}/groups/{group}");
    race_two_puts(api.clone(), &path, |i| json!({ "name": format!("G{i}") }), StatusCode::OK).await;
    let (_, headers, _) = api.send(Method::GET, &path, &[], None).await;
    assert_eq!(etag(&headers), "\"12\"", "one version per round, none lost");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_concurrent_puts_on_one_version_of_a_voice_route_apply_exactly_once() {
    let api = Arc::new(Api::new().await);
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
    let base = format!("{BASE}/groups/{group}/configurations/voice_routing/voice_routes");
    api.send(Method::POST, &base, &[], Some(json!({ "name": "R", "priority": 1, "pattern": ".*" }))).await;
    let (_, routes) = api.get(&base).await;
    let path = format!("{base}/{}", routes["voiceRoutes"][0]["id"]);
    race_two_puts(api.clone(), &path, |i| json!({ "priority": i }), StatusCode::NO_CONTENT).await;
    let (_, routes) = api.get(&base).await;
    assert_eq!(routes["voiceRoutes"][0]["version"], 12, "one version per round, none lost");
}
