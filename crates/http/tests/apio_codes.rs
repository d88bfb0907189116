//! The APIO face's users and authorization codes in process: users counted against the group's
//! limit, codes added one or as a list (all or nothing, duplicates named), read from the end user
//! up and changed from the site group administrator up, and never shown by the audit log.

mod support;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Api, BASE};

const APIO: &str = "/api/v01/draas/default/apio/api/v1";
const USERS: &str = "/api/v01/draas/default/apio/api/v1/tenants/footenant/groups/foogroup/users/";
const CODES: &str = "/api/v01/draas/default/apio/api/v1/tenants/footenant/groups/foogroup/users/foouser/services/outgoing_call_barring/codes/";

/// `footenant` / `foogroup` (limit 2) / `foouser`; answers the uuids of the tenant and the group.
async fn world(api: &Api) -> (String, String) {
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
    let tenant =
        api.create(&format!("{BASE}/groups/{group}/tenants"), json!({ "name": "foo", "tenantId": "footenant" })).await;
    let (status, body) =
        api.post(&format!("{APIO}/tenants/footenant/groups/"), json!({ "groupId": "foogroup", "userLimit": 2 })).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, user) = api.post(USERS, json!({ "userId": "foouser", "firstName": "Foo", "lastName": "User" })).await;
    assert_eq!(status, StatusCode::CREATED, "{user}");
    let (_, site_groups) = api.get(&format!("{BASE}/tenants/{tenant}/site_groups")).await;
    (tenant, site_groups["site_groups"][0]["uuid"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn users_of_a_group_are_listed_created_up_to_its_limit_changed_and_deleted() {
    let api = Api::new().await;
    world(&api).await;
    let (status, second) = api.post(USERS, json!({ "userId": "bar", "firstName": "Bar", "lastName": "User" })).await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    let (status, refused) = api.post(USERS, json!({ "userId": "baz", "firstName": "Baz", "lastName": "User" })).await;
    assert_eq!((status, refused["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("user_limit_reached")));
    let (status, list) = api.get(USERS.trim_end_matches('/')).await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<&str> = list["users"].as_array().unwrap().iter().map(|u| u["userId"].as_str().unwrap()).collect();
    assert_eq!(ids, ["bar", "foouser"]);
    let item = format!("{USERS}FooUser/");
    let (status, changed) = api.call(Method::PUT, &item, Some(json!({ "lastName": "Changed" }))).await;
    assert_eq!((status, changed["lastName"].as_str()), (StatusCode::OK, Some("Changed")));
    assert_eq!(api.get(&item).await, (StatusCode::OK, changed));
    // A user is found through its own group only.
    let (status, body) =
        api.post(&format!("{APIO}/tenants/footenant/groups/"), json!({ "groupId": "other", "userLimit": 2 })).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, _) = api.get(&format!("{APIO}/tenants/footenant/groups/other/users/foouser/")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(api.call(Method::DELETE, &format!("{USERS}bar/"), None).await, (StatusCode::OK, json!({})));
    let (_, list) = api.get(USERS).await;
    assert_eq!(list["users"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn codes_are_added_one_or_as_a_list_all_or_nothing_and_removed_without_error_when_absent() {
    let api = Api::new().await;
    world(&api).await;
    assert_eq!(api.get(CODES).await, (StatusCode::OK, json!({ "authCodes": [] })));
    let list = json!({ "authCodes": [{ "code": "04", "description": "test_code_04" }, { "code": "03", "description": "test_code_03" }] });
    assert_eq!(api.post(CODES, list).await, (StatusCode::CREATED, json!({})));
    assert_eq!(
        api.post(CODES, json!({ "code": "01", "description": "test_code_01" })).await,
        (StatusCode::CREATED, json!({}))
    );
    let (status, refused) =
        api.post(CODES, json!({ "authCodes": [{ "code": "05" }, { "code": "03" }, { "code": "05" }] })).await;
    assert_eq!((status, refused["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("duplicate_code")));
    assert_eq!(refused["error"]["details"]["codes"], json!(["05"]), "named twice in the list");
    let (status, refused) = api.post(CODES, json!({ "authCodes": [{ "code": "05" }, { "code": "03" }] })).await;
    assert_eq!((status, refused["error"]["details"]["codes"].clone()), (StatusCode::BAD_REQUEST, json!(["03"])));
    assert_eq!(refused["error"]["details"]["apioCode"], 11);
    assert!(!refused["error"]["message"].as_str().unwrap().contains("03"), "the message never names a code");
    for bad in [
        json!({ "code": "1" }),
        json!({ "code": "fooCode" }),
        json!({ "code": "012345678901234" }),
        json!({ "authCodes": [] }),
        json!({ "code": "12", "description": "" }),
        json!({}),
    ] {
        let (status, answer) = api.post(CODES, bad.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {answer}");
    }
    let (_, codes) = api.get(CODES).await;
    let listed: Vec<&str> =
        codes["authCodes"].as_array().unwrap().iter().map(|c| c["code"].as_str().unwrap()).collect();
    assert_eq!(listed, ["01", "03", "04"], "in code order, nothing of the refused lists");
    assert_eq!(
        api.get(&format!("{CODES}03/")).await,
        (StatusCode::OK, json!({ "code": "03", "description": "test_code_03" }))
    );
    let (status, absent) = api.get(&format!("{CODES}fooCode/")).await;
    assert_eq!((status, absent["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("code_not_found")));
    let remove = json!({ "authCodes": [{ "code": "01" }, { "code": "02" }] });
    assert_eq!(api.call(Method::DELETE, CODES, Some(remove)).await, (StatusCode::OK, json!({})));
    assert_eq!(api.call(Method::DELETE, &format!("{CODES}04"), None).await, (StatusCode::OK, json!({})));
    assert_eq!(api.call(Method::DELETE, &format!("{CODES}fooCode/"), None).await, (StatusCode::OK, json!({})));
    let (_, codes) = api.get(CODES).await;
    assert_eq!(codes, json!({ "authCodes": [{ "code": "03", "description": "test_code_03" }] }));
}

#[tokio::test]
async fn an_end_user_reads_its_codes_and_a_site_group_administrator_changes_them() {
    let api = Api::new().await;
    let (_, site_group) = world(&api).await;
    api.post(CODES, json!({ "code": "4711" })).await;
    let (_, users) = api.get(&format!("{BASE}/site_groups/{site_group}/users")).await;
    let user = users["users"][0]["uuid"].as_str().unwrap().to_owned();
    let end_user = api.end_user(&format!("{BASE}/users/{user}"), "foo.user@example.com").await;
    assert_eq!(end_user.get(CODES).await.0, StatusCode::OK);
    assert_eq!(end_user.get(&format!("{CODES}4711/")).await.0, StatusCode::OK);
    let (status, body) = end_user.post(CODES, json!({ "code": "12" })).await;
    assert_eq!(
        (status, body["error"]["details"]["permission"].as_str()),
        (StatusCode::FORBIDDEN, Some("users.instance.auth_codes.create"))
    );
    let admin = api.admin(&format!("/site_groups/{site_group}"), "site.admin@example.com").await;
    assert_eq!(admin.post(CODES, json!({ "code": "12" })).await.0, StatusCode::CREATED);
    assert_eq!(admin.call(Method::DELETE, &format!("{CODES}12/"), None).await.0, StatusCode::OK);
    // Outside its subtree, a tenant answers as absent: the same answer as a tenant that does not exist.
    let (status, hidden) = admin.get(&format!("{APIO}/tenants/footenant/groups/")).await;
    let (_, absent) = admin.get(&format!("{APIO}/tenants/nosuchtenant/groups/")).await;
    assert_eq!((status, hidden), (StatusCode::NOT_FOUND, absent));
}

#[tokio::test]
async fn the_audit_log_never_shows_a_code_in_a_body_or_a_path() {
    let api = Api::new().await;
    world(&api).await;
    api.post(CODES, json!({ "authCodes": [{ "code": "4711", "description": "x" }] })).await;
    api.post(CODES, json!({ "code": "0815" })).await;
    api.post(CODES, json!({ "code": "0815" })).await; // refused: recorded, masked
    api.call(Method::DELETE, &format!("{CODES}4711/"), None).await;
    api.call(Method::DELETE, CODES, Some(json!({ "authCodes": [{ "code": "0815" }] }))).await;
    let (status, log) = api.get(&format!("{BASE}/audit?page_size=100")).await;
    assert_eq!(status, StatusCode::OK);
    let text = log.to_string();
    // A code shows as a JSON string or as a path segment; its bare digits may appear by chance
    // inside a random request id or node UUID, so those are not what is searched for.
    let leaked = ["4711", "0815"].iter().any(|code| {
        text.contains(&format!("\"{code}\""))
            || text.contains(&format!("/{code}/"))
            || text.contains(&format!("/{code}\""))
    });
    assert!(!leaked, "{text}");
    let entries: Vec<&Value> = log.as_object().unwrap().values().find_map(Value::as_array).unwrap().iter().collect();
    let actions: Vec<&str> =
        entries.iter().filter_map(|e| e["action"].as_str()).filter(|a| a.starts_with("auth_codes")).collect();
    assert_eq!(actions.len(), 5, "{actions:?}");
    assert!(text.contains("codes/{code}/"), "the path's template: {text}");
}
