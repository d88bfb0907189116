//! A group's `status` (issue 17): a disabled group's accounts, and those below it, neither log in
//! nor keep their sessions, on every face, while administrators above it go on managing it; an
//! administrator cannot switch its own group; enabling it again lets its accounts log in.

mod support;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Api, BASE, code};

const PORTAL: &str = "/api/v01/draas/default/portal/api/1";
const PASSWORD: &str = "a password for tests";

/// `G{R{T}}` with an administrator on R and on T, logged in; answers (reseller admin, tenant admin,
/// the tenant's portal path, the tenant's uuid, the reseller's portal path).
async fn tree(api: &Api) -> (Api, Api, String, String, String) {
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
    let reseller = api.create(&format!("{BASE}/groups/{group}/resellers"), json!({ "name": "R" })).await;
    let tenant =
        api.create(&format!("{BASE}/resellers/{reseller}/tenants"), json!({ "name": "T", "tenantId": "t" })).await;
    let reseller_admin = api.admin(&format!("/resellers/{reseller}"), "reseller@status.test").await;
    let tenant_admin = api.admin(&format!("/tenants/{tenant}"), "tenant@status.test").await;
    let (tenant_path, reseller_path) = (format!("{PORTAL}/groups/{tenant}"), format!("{PORTAL}/groups/{reseller}"));
    (reseller_admin, tenant_admin, tenant_path, tenant, reseller_path)
}

async fn set_status(api: &Api, path: &str, status: u8) -> (StatusCode, Value) {
    api.call(Method::PUT, path, Some(json!({ "status": status }))).await
}

async fn login(api: &Api, email: &str) -> (StatusCode, Value) {
    api.post("/api/v01/auth/login", json!({ "username": email, "password": PASSWORD })).await
}

#[tokio::test]
async fn a_disabled_group_ends_its_accounts_sessions_and_logins_while_management_from_above_goes_on() {
    let api = Api::new().await;
    let (reseller_admin, tenant_admin, tenant, uuid, _) = tree(&api).await;
    let (_, body) = api.get(&tenant).await;
    assert_eq!(body["status"], 1, "enabled when created: {body}");
    assert_eq!(tenant_admin.get(&format!("{BASE}/tenants/{uuid}")).await.0, StatusCode::OK);

    let (status, body) = set_status(&reseller_admin, &tenant, 0).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // At once on this process: the session is refused on every face, and so is a new login.
    let (status, body) = tenant_admin.get(&format!("{BASE}/tenants/{uuid}")).await;
    assert_eq!((status, code(&body)), (StatusCode::UNAUTHORIZED, Some("invalid_token")), "{body}");
    assert_eq!(tenant_admin.get(&tenant).await.0, StatusCode::UNAUTHORIZED);
    let (status, body) = login(&api, "tenant@status.test").await;
    assert_eq!((status, code(&body)), (StatusCode::FORBIDDEN, Some("account_disabled")), "{body}");
    // A wrong password still answers as one: the state of an account is shown only to its owner.
    let wrong = json!({ "username": "tenant@status.test", "password": "not the password" });
    assert_eq!(api.post("/api/v01/auth/login", wrong).await.0, StatusCode::UNAUTHORIZED);

    // Above it, management goes on: the tenant is read (status 0), renamed, given a child.
    let (_, body) = reseller_admin.get(&tenant).await;
    assert_eq!(body["status"], 0, "{body}");
    let (status, body) = reseller_admin.call(Method::PUT, &tenant, Some(json!({ "name": "T2" }))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let site = json!({ "name": "site", "kind": 50 });
    assert_eq!(reseller_admin.post(&format!("{tenant}/children"), site).await.0, StatusCode::CREATED);

    let (status, body) = set_status(&reseller_admin, &tenant, 1).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = login(&api, "tenant@status.test").await;
    assert_eq!(status, StatusCode::OK, "enabled again, its accounts log in: {body}");
}

#[tokio::test]
async fn disabling_a_group_stops_the_accounts_of_every_level_below_it() {
    let api = Api::new().await;
    let (reseller_admin, tenant_admin, _, _, reseller_path) = tree(&api).await;
    // The system administrator disables the reseller: its administrator and the tenant's stop.
    let (status, body) = set_status(&api, &reseller_path, 0).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(reseller_admin.get("/api/v01/auth/me").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(tenant_admin.get("/api/v01/auth/me").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(login(&api, "tenant@status.test").await.0, StatusCode::FORBIDDEN);
    // The system administrator is not below it.
    assert_eq!(api.get("/api/v01/auth/me").await.0, StatusCode::OK);
}

#[tokio::test]
async fn an_administrator_cannot_switch_its_own_group_and_a_status_is_0_or_1() {
    let api = Api::new().await;
    let (_, tenant_admin, tenant, _, _) = tree(&api).await;
    // A node's own administrators never change it (the permission is for the levels below).
    let (status, body) = set_status(&tenant_admin, &tenant, 0).await;
    assert_eq!((status, code(&body)), (StatusCode::FORBIDDEN, Some("forbidden")), "{body}");
    assert_eq!(tenant_admin.get(&tenant).await.1["status"], 1, "unchanged");
    let (status, body) = set_status(&api, &tenant, 2).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (_, body) = api.get(&tenant).await;
    assert_eq!((body["status"].clone(), body["version"].clone()), (json!(1), json!(1)), "nothing changed");
}
