//! Issue 21, item 8, over HTTP: onboarding without mail. An administrator created with a
//! temporary password logs in to a session that may only change it (or log out); changing it
//! keeps that session and closes the others. Every account may change its own password.

mod support;

use axum::http::{Method, StatusCode};
use canopy_app::testing::{ROOT_EMAIL, ROOT_PASSWORD};
use serde_json::{Value, json};
use support::{Api, BASE};

const TEMPORARY: &str = "Temporary-passphrase-42";
const CHOSEN: &str = "a brand new passphrase 77";
const EMAIL: &str = "new.admin@example.com";

fn code(body: &Value) -> (&str, &str) {
    (body["error"]["code"].as_str().unwrap_or_default(), body["error"]["details"]["field"].as_str().unwrap_or_default())
}

async fn login(api: &Api, password: &str) -> (StatusCode, Value) {
    api.with_token(None).post("/api/v01/auth/login", json!({ "username": EMAIL, "password": password })).await
}

async fn change(api: &Api, current: &str, new: &str) -> (StatusCode, Value) {
    api.post("/api/v01/auth/password", json!({ "currentPassword": current, "newPassword": new })).await
}

#[tokio::test]
async fn a_temporary_password_opens_a_session_that_may_only_change_it() {
    let api = Api::new().await;
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
    let admins = format!("{BASE}/groups/{group}/admins");
    for (password, why) in [("short", "too short"), ("new.admin@example.com!", "holds the e-mail")] {
        let (status, body) = api.post(&admins, json!({ "adminEmail": EMAIL, "temporaryPassword": password })).await;
        assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, ("invalid_field", "temporaryPassword")), "{why}");
    }
    let (status, body) = api.post(&admins, json!({ "adminEmail": EMAIL, "temporaryPassword": TEMPORARY })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, list) = api.get(&admins).await;
    assert_eq!((&list["admins"][0]["active"], &list["admins"][0]["mustChangePassword"]), (&json!(true), &json!(true)));
    // No link is sent for it (one created after it without a password gets its link).
    assert_eq!(api.post(&admins, json!({ "adminEmail": "other@example.com" })).await.0, StatusCode::OK);
    api.activation_token("other@example.com").await;
    assert!(api.outbox.last_to(EMAIL).is_none(), "no link for a temporary password");

    let (status, session) = login(&api, TEMPORARY).await;
    assert_eq!((status, &session["mustChangePassword"]), (StatusCode::OK, &json!(true)), "{session}");
    let pending = api.with_token(session["token"].as_str().map(str::to_owned));
    for (method, path) in [
        (Method::GET, "/api/v01/auth/me".to_owned()),
        (Method::GET, format!("{BASE}/groups/{group}")),
        (Method::POST, format!("{BASE}/groups/{group}/tenants")),
    ] {
        let body = (method == Method::POST).then(|| json!({ "name": "T", "tenantId": "t" }));
        let (status, answer) = pending.call(method.clone(), &path, body).await;
        assert_eq!((status, code(&answer).0), (StatusCode::FORBIDDEN, "password_change_required"), "{method} {path}");
    }
    let (_, other) = login(&api, TEMPORARY).await;
    let other = api.with_token(other["token"].as_str().map(str::to_owned));
    let (_, leaving) = login(&api, TEMPORARY).await;
    let leaving = api.with_token(leaving["token"].as_str().map(str::to_owned));
    assert_eq!(leaving.post("/api/v01/auth/logout", json!({})).await.0, StatusCode::NO_CONTENT, "it may log out");
    assert_eq!(leaving.get("/api/v01/auth/me").await.1["error"]["code"], "invalid_token");

    // The change itself: the current password proven, the policy applied to the new one.
    for (current, new, field) in [
        ("wrong password!", CHOSEN, "currentPassword"),
        (TEMPORARY, TEMPORARY, "newPassword"),
        (TEMPORARY, "weak", "newPassword"),
    ] {
        let (status, body) = change(&pending, current, new).await;
        assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, ("invalid_field", field)), "{body}");
    }
    let (status, body) = change(&pending, TEMPORARY, CHOSEN).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));

    // This session is now a full one; the other one is closed; the temporary password is gone.
    let (status, me) = pending.get("/api/v01/auth/me").await;
    assert_eq!((status, &me["mustChangePassword"]), (StatusCode::OK, &json!(false)), "{me}");
    assert_eq!(other.get("/api/v01/auth/me").await.1["error"]["code"], "invalid_token");
    assert_eq!(login(&api, TEMPORARY).await.0, StatusCode::UNAUTHORIZED);
    let (status, session) = login(&api, CHOSEN).await;
    assert_eq!((status, &session["mustChangePassword"]), (StatusCode::OK, &json!(false)));

    // Recorded as the administrator's own change; no password in any entry.
    let (_, log) = api.get(&format!("{BASE}/audit?page_size=100")).await;
    let events = log["events"].as_array().unwrap();
    let changed = events.iter().find(|e| e["action"] == "admin.change_password").expect("the change is recorded");
    assert_eq!(changed["actor"]["email"], EMAIL);
    let created = events.iter().find(|e| e["action"] == "admin.create" && e["body"]["adminEmail"] == EMAIL).unwrap();
    assert_eq!(created["body"]["temporaryPassword"], "********", "{created}");
    let text = log.to_string();
    assert!(!text.contains(TEMPORARY) && !text.contains(CHOSEN), "{text}");
}

#[tokio::test]
async fn every_account_changes_its_own_password_and_wrong_ones_lock_it() {
    let api = Api::new().await;
    let (status, body) = change(&api, ROOT_PASSWORD, CHOSEN).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    assert_eq!(api.get("/api/v01/auth/me").await.0, StatusCode::OK, "the caller's session stays");
    let login = |password: &str| json!({ "username": ROOT_EMAIL, "password": password });
    assert_eq!(
        api.with_token(None).post("/api/v01/auth/login", login(ROOT_PASSWORD)).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(api.with_token(None).post("/api/v01/auth/login", login(CHOSEN)).await.0, StatusCode::OK);

    // Wrong current passwords count as failed logins: the account locks.
    let mut statuses = vec![];
    for _ in 0..6 {
        statuses.push(change(&api, "not the password", "another fine password").await.0);
    }
    assert_eq!(statuses.last(), Some(&StatusCode::LOCKED), "{statuses:?}");
    assert_eq!(api.with_token(None).post("/api/v01/auth/login", login(CHOSEN)).await.0, StatusCode::LOCKED);

    // No token, no change.
    let (status, body) = api.with_token(None).post("/api/v01/auth/password", json!({})).await;
    assert_eq!((status, code(&body).0), (StatusCode::UNAUTHORIZED, "unauthenticated"));
}
