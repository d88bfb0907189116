//! HTTP tests of a group's voice routing, replaying the spec's examples (fusion-draas-groups,
//! "Get the list of pstn usages" through "Delete a voice routing policy").

mod support;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Api, BASE};

struct Group {
    api: Api,
    base: String,
}

impl Group {
    async fn new() -> Self {
        let api = Api::new().await;
        let uuid = api.create(&format!("{BASE}/groups"), json!({ "name": "CBUR Test POST" })).await;
        Self { api, base: format!("{BASE}/groups/{uuid}/configurations/voice_routing") }
    }

    fn path(&self, rest: &str) -> String {
        format!("{}/{rest}", self.base)
    }

    async fn call(&self, method: Method, rest: &str, body: Option<Value>) -> (StatusCode, Value) {
        self.api.call(method, &self.path(rest), body).await
    }

    /// Creates and answers the new id, read back from the list by name.
    async fn create(&self, collection: &str, body: Value) -> i64 {
        let (status, answer) = self.call(Method::POST, collection, Some(body.clone())).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{answer}");
        assert_eq!(answer, Value::Null, "no body");
        let (_, list) = self.call(Method::GET, &format!("{collection}?page_size=1000"), None).await;
        let items = list.as_object().unwrap().values().find(|v| v.is_array()).unwrap().as_array().unwrap();
        items.iter().find(|item| item["name"] == body["name"]).unwrap()["id"].as_i64().unwrap()
    }
}

fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn the_spec_examples_create_list_modify_and_delete_voice_routing() {
    let g = Group::new().await;
    let draas = g.create("pstn_usages", json!({ "name": "PSTN-Usage-DRAAS" })).await;
    let test = g.create("pstn_usages", json!({ "name": "PSTN Test name" })).await;
    let (_, usages) = g.call(Method::GET, "pstn_usages", None).await;
    assert_eq!(
        usages,
        json!({ "page": 1, "pageSize": 10, "pages": 1, "results": 2, "pstnUsages": [
            { "id": test, "name": "PSTN Test name", "version": 1 },
            { "id": draas, "name": "PSTN-Usage-DRAAS", "version": 1 } ] })
    );
    // "Modify an existing pstn usage"
    let (status, _) =
        g.call(Method::PUT, &format!("pstn_usages/{draas}"), Some(json!({ "name": "Test PSTN 45" }))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    g.create("voice_routes", json!({ "name": "VR-DRaaS", "priority": 1, "pattern": ".*" })).await;
    let new = g
        .create(
            "voice_routes",
            json!({ "name": "VR-DRaaS New", "priority": 5, "pattern": ".*", "pstnUsages": [draas, test] }),
        )
        .await;
    let (_, routes) = g.call(Method::GET, "voice_routes", None).await;
    assert_eq!(routes["results"], 2);
    assert_eq!(
        routes["voiceRoutes"][1],
        json!({ "id": new, "name": "VR-DRaaS New", "pattern": ".*", "priority": 5, "pstnUsages": [
            { "id": draas, "name": "Test PSTN 45" }, { "id": test, "name": "PSTN Test name" } ], "version": 1 })
    );
    assert_eq!(routes["voiceRoutes"][0]["pstnUsages"], json!([]));
    // "Modify an existing voice route": the missing entries are disconnected, the rest kept.
    let (status, _) = g
        .call(
            Method::PUT,
            &format!("voice_routes/{new}"),
            Some(json!({ "name": "VR-DRaaS modified", "pstnUsages": [test] })),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, routes) = g.call(Method::GET, "voice_routes?search=modified", None).await;
    assert_eq!(
        routes["voiceRoutes"],
        json!([{ "id": new, "name": "VR-DRaaS modified", "pattern": ".*", "priority": 5,
                 "pstnUsages": [{ "id": test, "name": "PSTN Test name" }], "version": 2 }])
    );

    let world = g.create("voice_routing_policies", json!({ "name": "World-DRaaS", "pstnUsages": [draas, test] })).await;
    let (_, policies) = g.call(Method::GET, "voice_routing_policies", None).await;
    assert_eq!(
        policies,
        json!({ "page": 1, "pageSize": 10, "pages": 1, "results": 1, "voiceRoutingPolicies": [
            { "id": world, "name": "World-DRaaS", "pstnUsages": [
                { "id": draas, "name": "Test PSTN 45" }, { "id": test, "name": "PSTN Test name" } ], "version": 1 } ] })
    );
    let put = json!({ "name": "VR-DRaaS modified", "pstnUsages": [test] });
    let (status, _) = g.call(Method::PUT, &format!("voice_routing_policies/{world}"), Some(put)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    // Deletions answer 204, also the second time.
    for rest in
        [format!("voice_routing_policies/{world}"), format!("voice_routes/{new}"), format!("pstn_usages/{draas}")]
    {
        for _ in 0..2 {
            let (status, body) = g.call(Method::DELETE, &rest, None).await;
            assert_eq!(status, StatusCode::NO_CONTENT, "{rest}: {body}");
        }
    }
    let (_, usages) = g.call(Method::GET, "pstn_usages", None).await;
    assert_eq!(usages["results"], 1);
}

#[tokio::test]
async fn a_creation_names_its_object_in_location() {
    let g = Group::new().await;
    let request = axum::http::Request::post(g.path("pstn_usages"))
        .header("content-type", "application/json")
        .header("authorization", format!("Bearer {}", g.api.token.as_deref().unwrap()))
        .body(axum::body::Body::from(r#"{"name": "Test PSTN 42"}"#))
        .unwrap();
    let response = tower::ServiceExt::oneshot(g.api.router.clone(), request).await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let (_, list) = g.call(Method::GET, "pstn_usages", None).await;
    assert_eq!(location, g.path(&format!("pstn_usages/{}", list["pstnUsages"][0]["id"])));
}

#[tokio::test]
async fn a_linked_usage_is_refused_deletion_with_its_referrers_and_changes_nothing() {
    let g = Group::new().await;
    let usage = g.create("pstn_usages", json!({ "name": "U" })).await;
    let route =
        g.create("voice_routes", json!({ "name": "VR", "priority": 1, "pattern": ".*", "pstnUsages": [usage] })).await;
    let policy = g.create("voice_routing_policies", json!({ "name": "P", "pstnUsages": [usage] })).await;
    let (status, body) = g.call(Method::DELETE, &format!("pstn_usages/{usage}"), None).await;
    assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "pstn_usage_in_use"));
    let referrers = json!([
        { "kind": "voiceRoute", "id": route, "name": "VR" },
        { "kind": "voiceRoutingPolicy", "id": policy, "name": "P" }
    ]);
    assert_eq!(body["error"]["details"]["referrers"], referrers);
    let (status, refs) = g.call(Method::GET, &format!("pstn_usages/{usage}/references"), None).await;
    assert_eq!((status, refs), (StatusCode::OK, json!({ "referrers": referrers })));
    let (_, usages) = g.call(Method::GET, "pstn_usages", None).await;
    assert_eq!(usages["results"], 1, "nothing deleted");
    let (status, body) = g.call(Method::GET, "pstn_usages/999/references", None).await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "not_found"));
}

#[tokio::test]
async fn bad_input_gets_a_4xx_in_the_envelope_and_changes_nothing() {
    let g = Group::new().await;
    let usage = g.create("pstn_usages", json!({ "name": "U" })).await;
    // A usage of another group of the same instance.
    let uuid = g.api.create(&format!("{BASE}/groups"), json!({ "name": "Other" })).await;
    let other = Group {
        api: g.api.with_token(g.api.token.clone()),
        base: format!("{BASE}/groups/{uuid}/configurations/voice_routing"),
    };
    let foreign = other.create("pstn_usages", json!({ "name": "Foreign" })).await;
    let route = |extra: Value| {
        let mut body = json!({ "name": "VR", "priority": 1, "pattern": ".*" });
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };
    for (body, expected, field) in [
        (route(json!({ "pattern": "(" })), "invalid_field", Some("pattern")),
        (route(json!({ "pattern": "\\w{1000}\\w{1000}" })), "invalid_field", Some("pattern")),
        (route(json!({ "priority": -1 })), "invalid_field", Some("priority")),
        (route(json!({ "priority": 1.5 })), "invalid_body", None),
        (route(json!({ "pstnUsages": [usage, usage] })), "invalid_field", Some("pstnUsages")),
        (route(json!({ "name": "  " })), "invalid_field", Some("name")),
        (route(json!({ "colour": "red" })), "invalid_body", None),
        (json!({ "name": "VR" }), "invalid_body", None),
        (route(json!({ "pstnUsages": [usage, 777, foreign] })), "unknown_pstn_usage", Some("pstnUsages")),
    ] {
        let (status, answer) = g.call(Method::POST, "voice_routes", Some(body.clone())).await;
        assert_eq!((status, code(&answer)), (StatusCode::BAD_REQUEST, expected), "{body}: {answer}");
        if let Some(field) = field {
            assert_eq!(answer["error"]["details"]["field"], field, "{answer}");
        }
    }
    let (_, answer) = g.call(Method::POST, "voice_routes", Some(route(json!({ "pstnUsages": [foreign, 777] })))).await;
    let mut ids = vec![foreign, 777];
    ids.sort();
    assert_eq!(answer["error"]["details"]["ids"], json!(ids), "the unknown ids are named");
    let (_, routes) = g.call(Method::GET, "voice_routes", None).await;
    assert_eq!(routes["results"], 0, "nothing was created");

    let (status, answer) = g.call(Method::POST, "pstn_usages", Some(json!({ "name": " u " }))).await;
    assert_eq!((status, code(&answer)), (StatusCode::BAD_REQUEST, "duplicate_name"));
    let (status, answer) = g.call(Method::PUT, "pstn_usages/999", Some(json!({ "name": "X" }))).await;
    assert_eq!((status, code(&answer)), (StatusCode::NOT_FOUND, "not_found"));
    let (status, answer) = g.call(Method::PUT, &format!("pstn_usages/{foreign}"), Some(json!({ "name": "X" }))).await;
    assert_eq!((status, code(&answer)), (StatusCode::NOT_FOUND, "not_found"), "another group's usage");
    let (status, answer) = g.call(Method::PUT, "voice_routes/abc", Some(json!({}))).await;
    assert_eq!((status, code(&answer)), (StatusCode::BAD_REQUEST, "invalid_path"));
    for bad in ["sort=pattern", "dir=up", "page_size=0", "next=abc.def"] {
        let (status, answer) = g.call(Method::GET, &format!("voice_routing_policies?{bad}"), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {answer}");
    }
}

#[tokio::test]
async fn lists_page_with_a_next_token_bound_to_their_list() {
    let g = Group::new().await;
    for i in 0..5 {
        g.create("pstn_usages", json!({ "name": format!("Usage {i}") })).await;
    }
    let (_, first) = g.call(Method::GET, "pstn_usages?page_size=2&sort=name&dir=desc", None).await;
    assert_eq!(
        (first["results"].clone(), first["pages"].clone(), first["pageSize"].clone()),
        (json!(5), json!(3), json!(2))
    );
    let next = first["next"].as_str().unwrap().to_owned();
    let (_, second) = g.call(Method::GET, &format!("pstn_usages?next={next}"), None).await;
    assert_eq!(second["page"], 2);
    assert_eq!(second["pstnUsages"][0]["name"], "Usage 2");
    let (status, body) = g.call(Method::GET, &format!("voice_routes?next={next}"), None).await;
    assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "invalid_next_token"), "another list");
    let mut tampered = next.clone();
    tampered.replace_range(2..3, if &next[2..3] == "A" { "B" } else { "A" });
    let (status, body) = g.call(Method::GET, &format!("pstn_usages?next={tampered}"), None).await;
    assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "invalid_next_token"), "tampered");
}

#[tokio::test]
async fn deleting_the_group_takes_its_voice_routing_but_child_nodes_still_block_it() {
    let g = Group::new().await;
    let usage = g.create("pstn_usages", json!({ "name": "U" })).await;
    g.create("voice_routes", json!({ "name": "VR", "priority": 1, "pattern": ".*", "pstnUsages": [usage] })).await;
    let group = g.base.trim_end_matches("/configurations/voice_routing").to_owned();
    let distributor = g.api.create(&format!("{group}/distributors"), json!({ "name": "D" })).await;
    let (status, body) = g.api.call(Method::DELETE, &group, None).await;
    assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "not_empty"));
    g.api.call(Method::DELETE, &format!("{BASE}/distributors/{distributor}"), None).await;
    let (status, body) = g.api.call(Method::DELETE, &group, None).await;
    assert_eq!(status, StatusCode::OK, "voice routing does not block: {body}");
    let (status, _) = g.call(Method::GET, "pstn_usages", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// A usage's deletion races routes linking it over HTTP: afterwards no route links a deleted
/// usage, and a refused deletion named exactly routes that exist.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_usage_deletion_racing_routes_that_link_it_never_leaves_a_dangling_link() {
    let g = std::sync::Arc::new(Group::new().await);
    for round in 0..20 {
        let usage = g.create("pstn_usages", json!({ "name": format!("U{round}") })).await;
        let mut tasks = Vec::new();
        for i in 0..10 {
            let g = g.clone();
            let body =
                json!({ "name": format!("R{round}-{i}"), "priority": i, "pattern": ".*", "pstnUsages": [usage] });
            tasks.push(tokio::spawn(async move { g.call(Method::POST, "voice_routes", Some(body)).await }));
        }
        let deleter = {
            let g = g.clone();
            tokio::spawn(async move { g.call(Method::DELETE, &format!("pstn_usages/{usage}"), None).await })
        };
        let mut created = 0;
        for task in tasks {
            let (status, body) = task.await.unwrap();
            match status {
                StatusCode::NO_CONTENT => created += 1,
                StatusCode::BAD_REQUEST => assert_eq!(code(&body), "unknown_pstn_usage", "{body}"),
                other => panic!("round {round}: {other} {body}"),
            }
        }
        let (status, body) = deleter.await.unwrap();
        let (_, routes) = g.call(Method::GET, "voice_routes?page_size=1000", None).await;
        let linking =
            routes["voiceRoutes"].as_array().unwrap().iter().filter(|r| r["pstnUsages"][0]["id"] == usage).count();
        let (_, usages) = g.call(Method::GET, "pstn_usages?page_size=1000", None).await;
        let exists = usages["pstnUsages"].as_array().unwrap().iter().any(|u| u["id"] == usage);
        if status == StatusCode::NO_CONTENT {
            assert!(!exists && created == 0 && linking == 0, "round {round}: a route links a deleted usage");
        } else {
            assert_eq!(code(&body), "pstn_usage_in_use", "{body}");
            assert!(exists && linking == created && created > 0, "round {round}");
        }
        for route in routes["voiceRoutes"].as_array().unwrap() {
            g.call(Method::DELETE, &format!("voice_routes/{}", route["id"]), None).await;
        }
    }
}
