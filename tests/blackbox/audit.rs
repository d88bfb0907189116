//! Over real HTTP, once per store: changes land in the audit log with the request id the client
//! sent, a refused change is listed as refused, and no recorded body holds the secret written.
//! On PostgreSQL the log is read again by a second process on the same database: it is durable,
//! not a cache of the process that wrote it.

use super::server::{Server, Store};
use reqwest::StatusCode;
use serde_json::{Value, json};

const SECRET: &str = "blackbox-sip-secret-9431";

async fn events(server: &Server) -> Value {
    let client = server.client().await;
    let list = client.get(server.url("/api/v01/draas/default/audit?page_size=100")).send().await.unwrap();
    assert_eq!(list.status(), StatusCode::OK);
    let text = list.text().await.unwrap();
    assert!(!text.contains(SECRET), "the audit log holds the secret: {text}");
    let body: Value = serde_json::from_str(&text).unwrap();
    body["events"].clone()
}

fn find<'a>(events: &'a Value, request_id: &str) -> &'a Value {
    let all = events.as_array().unwrap();
    all.iter().find(|e| e["requestId"] == request_id).unwrap_or_else(|| panic!("no entry of {request_id}: {events}"))
}

pub(super) async fn changes_are_audited_with_their_request_id_and_no_secret(store: Store) {
    let database = match &store {
        Store::Postgres(url) => Some(url.clone()),
        Store::Memory => None,
    };
    let server = Server::start(store).await;
    let base = server.url("/api/v01/draas/default");
    let client = server.client().await;

    let created = client.post(format!("{base}/groups")).header("x-request-id", "bb-audit-create");
    let created = created.json(&json!({ "name": "Audited" })).send().await.unwrap();
    assert_eq!(created.status(), StatusCode::OK);
    let group = created.json::<Value>().await.unwrap()["uuid"].as_str().unwrap().to_owned();
    let config = format!("{base}/groups/{group}/configurations/general");
    let body = json!({ "properties": { "draas_group": "Audited", "draas_sip_password": SECRET } });
    let written = client.put(&config).header("x-request-id", "bb-audit-config").json(&body).send().await.unwrap();
    assert!(written.status().is_success(), "{}", written.status());
    let refused = client.post(format!("{base}/groups")).header("x-request-id", "bb-audit-dup");
    let refused = refused.json(&json!({ "name": "audited" })).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "a sibling name differing only in case");

    let mut readers = vec![server];
    if let Some(url) = database {
        readers.push(Server::start(Store::Postgres(url)).await);
    }
    for reader in &readers {
        let events = events(reader).await;
        let creation = find(&events, "bb-audit-create");
        assert_eq!(
            (creation["action"].as_str(), creation["outcome"].as_str()),
            (Some("group.create"), Some("applied"))
        );
        assert_eq!(creation["node"], group.as_str());
        assert_eq!(creation["actor"]["email"], super::server::ADMIN_EMAIL);
        let write = find(&events, "bb-audit-config");
        assert_eq!(write["action"], "configuration.replace");
        assert_eq!(write["body"]["properties"]["draas_sip_password"], "********");
        assert_eq!(write["body"]["properties"]["draas_group"], "Audited");
        let duplicate = find(&events, "bb-audit-dup");
        assert_eq!(duplicate["outcome"], "refused");
        assert!(duplicate["reason"].as_str().is_some_and(|r| !r.is_empty()), "{duplicate}");
    }
    for reader in readers {
        reader.stop().await;
    }
}
