//! Site groups and users over HTTP (in process, memory store): their bodies, refusals, lists and
//! the account a user gets with its e-mail.

mod support;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Api, BASE};

/// A tenant of a fresh group: (api, tenant uuid).
async fn tenant() -> (Api, String) {
    let api = Api::new().await;
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
    let tenant = api.create(&format!("{BASE}/groups/{group}/tenants"), json!({ "name": "T", "tenantId": "t" })).await;
    (api, tenant)
}

fn code(body: &Value) -> (&str, &str) {
    (body["error"]["code"].as_str().unwrap_or_default(), body["error"]["details"]["field"].as_str().unwrap_or_default())
}

#[tokio::test]
async fn bodies_of_the_new_levels_are_refused_by_shape_then_by_rule_and_create_nothing() {
    let (api, tenant) = tenant().await;
    let sites = format!("{BASE}/tenants/{tenant}/site_groups");
    for (body, expected) in [
        (json!({ "userLimit": 5 }), ("invalid_body", "")),
        (json!({ "groupId": 7, "userLimit": 5 }), ("invalid_body", "")),
        (json!({ "groupId": "s", "userLimit": "5" }), ("invalid_body", "")),
        (json!({ "groupId": "s", "userLimit": 5, "colour": "red" }), ("invalid_body", "")),
        (json!({ "groupId": "s", "userLimit": 5, "name": "S" }), ("invalid_body", "")),
        (json!({ "groupId": "a b", "userLimit": 5 }), ("invalid_field", "groupId")),
        (json!({ "groupId": "s".repeat(31), "userLimit": 5 }), ("invalid_field", "groupId")),
        (json!({ "groupId": "s" }), ("invalid_field", "userLimit")),
        (json!({ "groupId": "s", "userLimit": 0 }), ("invalid_field", "userLimit")),
        (json!({ "groupId": "s", "userLimit": 5, "timeZone": "Mars/Base" }), ("invalid_field", "timeZone")),
        (
            json!({ "groupId": "s", "userLimit": 5, "contactInformation": { "n": 1 } }),
            ("invalid_field", "contactInformation"),
        ),
    ] {
        let (status, answer) = api.post(&sites, body.clone()).await;
        assert_eq!((status, code(&answer)), (StatusCode::BAD_REQUEST, expected), "{body}: {answer}");
    }
    let users = format!("{BASE}/tenants/{tenant}/users");
    for (body, expected) in [
        (json!({ "userId": "u", "lastName": "D" }), ("invalid_field", "firstName")),
        (json!({ "userId": "u", "firstName": "J", "lastName": "D", "extension": "1" }), ("invalid_field", "extension")),
        (
            json!({ "userId": "u", "firstName": "J", "lastName": "D", "temporaryPassword": "Long-enough-passphrase-1" }),
            ("invalid_field", "temporaryPassword"),
        ),
        (
            json!({ "userId": "u", "firstName": "J", "lastName": "D", "email": "u@x.be", "temporaryPassword": "short" }),
            ("invalid_field", "temporaryPassword"),
        ),
        (json!({ "userId": "u", "firstName": "J", "lastName": "D", "userLimit": 3 }), ("invalid_body", "")),
    ] {
        let (status, answer) = api.post(&users, body.clone()).await;
        assert_eq!((status, code(&answer)), (StatusCode::BAD_REQUEST, expected), "{body}: {answer}");
    }
    let (_, read) = api.get(&format!("{BASE}/tenants/{tenant}")).await;
    assert_eq!((read["nbOfSiteGroups"].clone(), read["nbOfUsers"].clone()), (json!(0), json!(0)), "nothing was made");
}

#[tokio::test]
async fn group_ids_collide_within_a_tenant_and_user_ids_within_the_instance() {
    let (api, tenant) = tenant().await;
    let site = api
        .create(&format!("{BASE}/tenants/{tenant}/site_groups"), json!({ "groupId": "Sales", "userLimit": 5 }))
        .await;
    let (status, body) =
        api.post(&format!("{BASE}/tenants/{tenant}/site_groups"), json!({ "groupId": "SALES", "userLimit": 5 })).await;
    assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, ("duplicate_name", "groupId")));
    let user = json!({ "userId": "sales", "firstName": "S", "lastName": "A" });
    api.create(&format!("{BASE}/tenants/{tenant}/users"), user.clone()).await;
    let (status, body) = api.post(&format!("{BASE}/site_groups/{site}/users"), user).await;
    assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, ("duplicate_user_id", "userId")));
    let renamed =
        api.call(Method::PUT, &format!("{BASE}/site_groups/{site}"), Some(json!({ "groupId": "emea" }))).await;
    assert_eq!(renamed.0, StatusCode::OK, "{}", renamed.1);
    let (_, read) = api.get(&format!("{BASE}/site_groups/{site}")).await;
    assert_eq!(
        (read["groupId"].clone(), read["name"].clone(), read["version"].clone()),
        (json!("emea"), json!("emea"), json!(2))
    );
}

#[tokio::test]
async fn lists_of_the_new_levels_sort_by_their_fields_and_show_each_item_without_counters() {
    let (api, tenant) = tenant().await;
    for (id, last) in [("u1", "Zimmer"), ("u2", "adams"), ("u3", "Müller")] {
        let body = json!({ "userId": id, "firstName": "F", "lastName": last });
        api.create(&format!("{BASE}/tenants/{tenant}/users"), body).await;
    }
    let (status, list) = api.get(&format!("{BASE}/tenants/{tenant}/users?sort=lastName&dir=desc")).await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<&str> = list["users"].as_array().unwrap().iter().map(|u| u["userId"].as_str().unwrap()).collect();
    assert_eq!(ids, ["u1", "u3", "u2"]);
    assert!(list["users"][0].get("nbOfUsers").is_none() && list["users"][0]["tenantUuid"] == json!(tenant));
    let (status, body) = api.get(&format!("{BASE}/tenants/{tenant}/users?sort=groupName")).await;
    assert_eq!((status, code(&body).0), (StatusCode::BAD_REQUEST, "invalid_field"), "a sort of another kind");
    let (_, found) = api.get(&format!("{BASE}/tenants/{tenant}/users?search=ZIMM")).await;
    assert_eq!(found["results"], 1);
}

#[tokio::test]
async fn a_user_given_its_email_later_gets_an_account_that_activates_and_never_changes_address() {
    let (api, tenant) = tenant().await;
    let user = api
        .create(
            &format!("{BASE}/tenants/{tenant}/users"),
            json!({ "userId": "jane", "firstName": "J", "lastName": "D" }),
        )
        .await;
    let path = format!("{BASE}/users/{user}");
    let end_user = api.end_user(&path, "jane@example.com").await;
    let (status, own) = end_user.get(&path).await;
    assert_eq!((status, own["email"].clone()), (StatusCode::OK, json!("jane@example.com")));
    let (status, me) = end_user.get("/api/v01/auth/me").await;
    let own =
        json!(["users.instance.read", "users.instance.auth_codes.list", "users.instance.auth_codes.instance.read"]);
    assert_eq!((status, me["permissions"].clone()), (StatusCode::OK, own), "its user and its codes");
    let (status, body) = api.call(Method::PUT, &path, Some(json!({ "email": "other@example.com" }))).await;
    assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, ("invalid_field", "email")));
    let (status, _) = api.call(Method::PUT, &path, Some(json!({ "email": "JANE@example.com" }))).await;
    assert_eq!(status, StatusCode::OK, "the same address changes nothing");
    let taken = api
        .create(
            &format!("{BASE}/tenants/{tenant}/users"),
            json!({ "userId": "john", "firstName": "J", "lastName": "R" }),
        )
        .await;
    let (status, body) =
        api.call(Method::PUT, &format!("{BASE}/users/{taken}"), Some(json!({ "email": "jane@example.com" }))).await;
    assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, ("duplicate_email", "email")));
}

#[tokio::test]
async fn a_site_group_administrator_manages_its_users_and_nothing_beside_them() {
    let (api, tenant) = tenant().await;
    let site =
        api.create(&format!("{BASE}/tenants/{tenant}/site_groups"), json!({ "groupId": "s", "userLimit": 1 })).await;
    let admin = api.admin(&format!("/site_groups/{site}"), "site.admin@example.com").await;
    let users = format!("{BASE}/site_groups/{site}/users");
    admin.create(&users, json!({ "userId": "a", "firstName": "A", "lastName": "A" })).await;
    let (status, body) = admin.post(&users, json!({ "userId": "b", "firstName": "B", "lastName": "B" })).await;
    assert_eq!((status, code(&body).0), (StatusCode::BAD_REQUEST, "user_limit_reached"));
    assert_eq!(
        (body["error"]["details"]["limit"].clone(), body["error"]["details"]["count"].clone()),
        (json!(1), json!(1))
    );
    let (status, _) = admin
        .post(&format!("{BASE}/tenants/{tenant}/users"), json!({ "userId": "c", "firstName": "C", "lastName": "C" }))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the tenant lies above its site group: answered as absent");
    let (status, _) =
        admin.call(Method::PUT, &format!("{BASE}/site_groups/{site}"), Some(json!({ "userLimit": 9 }))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "its own limit is its tenant's to set");
    let (status, _) = admin.get(&format!("{BASE}/tenants/{tenant}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
