//! The APIO face over the real binary, on both stores, through both mounts (the bare `/api/v1`,
//! served for the default instance, and `/api/v01/draas/default/apio/api/v1`): every example
//! request of both spec files replayed ([`examples`]), each asserting its status and body.

mod examples;

use crate::server::{Server, Store};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

const PREFIXED: &str = "/api/v01/draas/default/apio/api/v1";
const BARE: &str = "/api/v1";

async fn send(client: &Client, method: Method, url: String, body: Option<Value>) -> (StatusCode, Value) {
    let mut request = client.request(method, &url);
    if let Some(body) = body {
        // A GET body too, as the spec's examples send it.
        request = request.header("content-type", "application/json").body(body.to_string());
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap() })
}

/// The tree the examples are replayed over (see [`examples::examples`]).
async fn fixture(server: &Server, client: &Client, mount: &str) {
    let base = server.url("/api/v01/draas/default");
    let created = |path: String, body: Value| {
        let client = client.clone();
        async move {
            let (status, answer) = send(&client, Method::POST, path.clone(), Some(body)).await;
            assert!(status.is_success(), "POST {path}: {status} {answer}");
            answer
        }
    };
    let group = created(format!("{base}/groups"), json!({ "name": "G" })).await;
    let group = group["uuid"].as_str().unwrap();
    for tenant in ["foo", "footenant"] {
        created(format!("{base}/groups/{group}/tenants"), json!({ "name": tenant, "tenantId": tenant })).await;
    }
    let groups = |tenant: &str| server.url(&format!("{mount}/tenants/{tenant}/groups/"));
    created(groups("foo"), json!({ "groupId": "foogroup", "groupName": "Foo Group", "userLimit": 10 })).await;
    for (id, name) in [("testa", "Test A"), ("testb", "Test B"), ("testc", "Test C"), ("lab", "lab test")] {
        created(groups("foo"), json!({ "groupId": id, "groupName": name, "userLimit": 5 })).await;
    }
    created(groups("footenant"), json!({ "groupId": "foogroup", "userLimit": 10 })).await;
    let users = server.url(&format!("{mount}/tenants/footenant/groups/foogroup/users/"));
    created(users, json!({ "userId": "foouser", "firstName": "Foo", "lastName": "User" })).await;
    let codes = server
        .url(&format!("{mount}/tenants/footenant/groups/foogroup/users/foouser/services/outgoing_call_barring/codes/"));
    for code in ["01", "02"] {
        created(codes.clone(), json!({ "code": code, "description": format!("test_code_{code}") })).await;
    }
}

async fn replay(store: Store, mount: &str) {
    let server = Server::start(store).await;
    let client = server.client().await;
    fixture(&server, &client, mount).await;
    for example in examples::examples() {
        let method = Method::from_bytes(example.method.as_bytes()).unwrap();
        let case = format!(
            "{} L{} {} {} ({mount}) {}",
            example.spec, example.line, example.method, example.path, example.note
        );
        let (status, answer) =
            send(&client, method, server.url(&format!("{mount}{}", example.path)), example.body).await;
        assert_eq!(status.as_u16(), example.status, "{case}: {answer}");
        if status.is_success() {
            assert_eq!(answer, example.answer, "{case}");
        } else {
            // A refusal is the envelope; the example names its code and the details it checks.
            let error = &answer["error"];
            assert_eq!(error["code"], example.answer["code"], "{case}: {answer}");
            if let Some(codes) = example.answer.get("codes") {
                assert_eq!(&error["details"]["codes"], codes, "{case}");
            }
        }
    }
    server.stop().await;
}

pub async fn the_spec_examples_replay_on_the_bare_mount(store: Store) {
    replay(store, BARE).await;
}

pub async fn the_spec_examples_replay_on_the_prefixed_mount(store: Store) {
    replay(store, PREFIXED).await;
}
