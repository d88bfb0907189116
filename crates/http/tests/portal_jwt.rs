//! The portal's signed tokens in-process (issue 18, item 5): a scoped token issued for another
//! service and refused as a login, an impersonation token issued only to a caller that may
//! manage the administrator, audited, used to log in, and refused once expired.

mod support;

use axum::http::StatusCode;
use base64::Engine;
use serde_json::{Value, json};
use support::{Api, BASE};

const PORTAL: &str = "/api/v01/draas/default/portal/api/1";

/// The claims of a token, decoded without checking it.
fn claims(jwt: &str) -> Value {
    let part = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

/// The integer id of the administrator `email` of the group `uuid`.
async fn admin_id(api: &Api, group: &str, email: &str) -> i64 {
    let (_, list) = api.get(&format!("{BASE}/groups/{group}/admins")).await;
    let admins = list["admins"].as_array().unwrap();
    admins.iter().find(|admin| admin["adminEmail"] == email).unwrap()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn an_impersonation_is_permitted_audited_used_and_expires_and_a_scoped_token_logs_in_nowhere() {
    let api = Api::new().await;
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "Acme" })).await;
    let tenant =
        api.create(&format!("{BASE}/groups/{group}/tenants"), json!({ "name": "T", "tenantId": "t-jwt" })).await;
    let partner = api.admin(&format!("/groups/{group}"), "partner@example.com").await;
    let customer = api.admin(&format!("/tenants/{tenant}"), "customer@example.com").await;
    let (_, list) = api.get(&format!("{BASE}/tenants/{tenant}/admins")).await;
    let customer_id = list["admins"][0]["id"].as_i64().unwrap();
    let partner_id = admin_id(&api, &group, "partner@example.com").await;

    // A scoped token for another service: the seed's claims, and no login with it.
    let (status, issued) = partner.get(&format!("{PORTAL}/admins/{customer_id}/jwt?scope=backup,billing")).await;
    assert_eq!(status, StatusCode::OK, "{issued}");
    let scoped = issued["jwt"].as_str().unwrap().to_owned();
    let seen = claims(&scoped);
    assert_eq!((seen["uid"].clone(), seen["email"].clone()), (json!(customer_id), json!("customer@example.com")));
    assert_eq!(seen["scope"], json!(["backup", "billing"]));
    assert_eq!(seen["exp"].as_i64().unwrap() - seen["iat"].as_i64().unwrap(), 3600);
    let anonymous = api.with_token(None);
    let (status, _) = anonymous.get(&format!("{PORTAL}/login?jwt={scoped}")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "a scoped token is for other services");

    // The customer may not impersonate its partner (outside its subtree: as absent).
    let (status, _) = customer.get(&format!("{PORTAL}/admins/{partner_id}/impersonate")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The partner may impersonate its customer: recorded in the audit log.
    let (status, answer) = partner.get(&format!("{PORTAL}/admins/{customer_id}/impersonate")).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let jwt = answer["jwt"].as_str().unwrap().to_owned();
    assert_eq!(claims(&jwt)["imp"], partner_id);
    let (_, audit) = api.get(&format!("{BASE}/audit?pageSize=1000")).await;
    let events = audit["events"].as_array().unwrap();
    let recorded = events.iter().find(|event| event["action"] == "admin.impersonate").expect("audited");
    assert_eq!(recorded["actor"]["email"], "partner@example.com", "{recorded}");
    assert!(recorded.to_string().contains("customer@example.com"), "{recorded}");

    // The token logs in as the customer; its query value is never kept.
    let (status, logged_in) = anonymous.get(&format!("{PORTAL}/login?jwt={jwt}")).await;
    assert_eq!(status, StatusCode::OK, "{logged_in}");
    assert_eq!(logged_in["accounts"][0]["login"], "customer@example.com");
    assert!(!api.get(&format!("{BASE}/audit?pageSize=1000")).await.1.to_string().contains(&jwt));
    // A forged signature, then the token an hour later: refused.
    let forged = format!("{}x", &jwt[..jwt.len() - 1]);
    assert_eq!(anonymous.get(&format!("{PORTAL}/login?jwt={forged}")).await.0, StatusCode::UNAUTHORIZED);
    api.clock.advance_secs(3600);
    assert_eq!(anonymous.get(&format!("{PORTAL}/login?jwt={jwt}")).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_service_users_token_describes_it_and_its_account_is_impersonated_by_who_may_change_users() {
    let api = Api::new().await;
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "Acme" })).await;
    let tenant =
        api.create(&format!("{BASE}/groups/{group}/tenants"), json!({ "name": "T", "tenantId": "t-users" })).await;
    let body = json!({ "userId": "alice", "firstName": "Alice", "lastName": "Doe" });
    let alice = api.create(&format!("{BASE}/tenants/{tenant}/users"), body).await;
    let body = json!({ "userId": "bob", "firstName": "Bob", "lastName": "Roe" });
    let bob = api.create(&format!("{BASE}/tenants/{tenant}/users"), body).await;
    api.end_user(&format!("{BASE}/users/{alice}"), "alice@example.com").await;
    let (_, read) = api.get(&format!("{PORTAL}/users/{alice}")).await;
    let id = read["id"].as_i64().unwrap();

    let (status, issued) = api.get(&format!("{PORTAL}/users/{id}/jwt?scope=voice")).await;
    assert_eq!(status, StatusCode::OK, "{issued}");
    let seen = claims(issued["jwt"].as_str().unwrap());
    assert_eq!((seen["uid"].clone(), seen["email"].clone()), (json!(id), json!("alice@example.com")));
    assert_eq!((seen["name"].clone(), seen["scope"].clone()), (json!("Alice Doe"), json!(["voice"])));

    let (status, answer) = api.get(&format!("{PORTAL}/users/{alice}/impersonate")).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let (status, logged_in) =
        api.with_token(None).get(&format!("{PORTAL}/login?jwt={}", answer["jwt"].as_str().unwrap())).await;
    assert_eq!((status, logged_in["accounts"][0]["login"].clone()), (StatusCode::OK, json!("alice@example.com")));
    let (_, audit) = api.get(&format!("{BASE}/audit?pageSize=1000")).await;
    assert!(audit["events"].as_array().unwrap().iter().any(|event| event["action"] == "user.impersonate"));
    // A user without an e-mail has no account to impersonate.
    assert_eq!(api.get(&format!("{PORTAL}/users/{bob}/impersonate")).await.0, StatusCode::NOT_FOUND);
}
