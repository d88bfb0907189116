//! Issue 21, item 4: identifiers that are unique (node and voice routing names, tenant ids,
//! e-mail addresses) are normalised (NFC) and refuse invisible and direction-changing
//! characters; uniqueness is decided on the normalised key.

mod support;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Api, BASE};

fn refusal(status: StatusCode, body: &Value) -> (StatusCode, &str, &str) {
    (
        status,
        body["error"]["code"].as_str().unwrap_or_default(),
        body["error"]["details"]["field"].as_str().unwrap_or_default(),
    )
}

#[tokio::test]
async fn invisible_and_direction_changing_names_are_refused_naming_the_field() {
    let api = Api::new().await;
    api.create(&format!("{BASE}/groups"), json!({ "name": "Acme" })).await;
    for name in ["\u{200b}", "Acme\u{200b}", "invoice\u{202e}gpj.exe", "\u{feff}Acme", "Ac\u{ad}me"] {
        let (status, body) = api.post(&format!("{BASE}/groups"), json!({ "name": name })).await;
        assert_eq!(refusal(status, &body), (StatusCode::BAD_REQUEST, "invalid_field", "name"), "{name:?}: {body}");
    }
    let (_, list) = api.get(&format!("{BASE}/groups")).await;
    assert_eq!(list["results"], 1, "nothing was created: {list}");
}

#[tokio::test]
async fn canonically_equivalent_names_are_one_name_stored_composed() {
    let api = Api::new().await;
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "Caf\u{e9}" })).await;
    let (status, body) = api.post(&format!("{BASE}/groups"), json!({ "name": "CAFE\u{301}" })).await;
    assert_eq!(refusal(status, &body), (StatusCode::BAD_REQUEST, "duplicate_name", "name"), "{body}");
    let other = api.create(&format!("{BASE}/groups"), json!({ "name": "Re\u{301}seau" })).await;
    let (_, read) = api.get(&format!("{BASE}/groups/{other}")).await;
    assert_eq!(read["name"], "R\u{e9}seau", "stored in NFC");
    let (status, body) =
        api.call(Method::PUT, &format!("{BASE}/groups/{other}"), Some(json!({ "name": "caf\u{e9}" }))).await;
    assert_eq!(refusal(status, &body), (StatusCode::BAD_REQUEST, "duplicate_name", "name"), "{body}");
    let (_, found) = api.get(&format!("{BASE}/groups?search=CAFE\u{301}")).await;
    assert_eq!(found["groups"][0]["uuid"], group, "a search is normalised too: {found}");
}

#[tokio::test]
async fn tenant_ids_e_mails_and_voice_routing_names_follow_the_same_rule() {
    let api = Api::new().await;
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
    let (status, body) =
        api.post(&format!("{BASE}/groups/{group}/tenants"), json!({ "name": "T", "tenantId": "acme\u{200b}" })).await;
    assert_eq!(refusal(status, &body), (StatusCode::BAD_REQUEST, "invalid_field", "tenantId"), "{body}");

    let admins = format!("{BASE}/groups/{group}/admins");
    let (status, body) = api.post(&admins, json!({ "adminEmail": "jo\u{200b}hn@example.com" })).await;
    assert_eq!(refusal(status, &body), (StatusCode::BAD_REQUEST, "invalid_field", "adminEmail"), "{body}");
    let (status, body) = api.post(&admins, json!({ "adminEmail": "rene\u{301}@example.com" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = api.post(&format!("{BASE}/admins"), json!({ "adminEmail": "REN\u{c9}@example.com" })).await;
    assert_eq!(refusal(status, &body), (StatusCode::BAD_REQUEST, "duplicate_email", "adminEmail"), "{body}");
    let (status, _) = api
        .call(
            Method::PUT,
            &format!("{admins}/ren\u{e9}@example.com"),
            Some(json!({ "adminEmail": "RENE\u{301}@example.com", "firstName": "R" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "found by either spelling");

    let usages = format!("{BASE}/groups/{group}/configurations/voice_routing/pstn_usages");
    let (status, body) = api.post(&usages, json!({ "name": "PSTN\u{2066}1" })).await;
    assert_eq!(refusal(status, &body), (StatusCode::BAD_REQUEST, "invalid_field", "name"), "{body}");
    let (status, _) = api.post(&usages, json!({ "name": "Usage \u{e9}" })).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = api.post(&usages, json!({ "name": "usage e\u{301}" })).await;
    assert_eq!(refusal(status, &body), (StatusCode::BAD_REQUEST, "duplicate_name", "name"), "{body}");
}
