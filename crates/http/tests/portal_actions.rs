//! The portal's account actions in-process (issue 18, item 4): an e-mailed link's token shown
//! and redeemed without a session, `md5: 1` refused, the caller's own password changed with the
//! spec's field names, links e-mailed, and the token masked in the audit log's path.

mod support;

use axum::http::StatusCode;
use serde_json::json;
use support::{Api, BASE, link_token};

const PORTAL: &str = "/api/v01/draas/default/portal/api/1";
const PASSWORD: &str = "a brand new password";

/// A tenant administrator created (an activation link e-mailed) and its integer id.
async fn invited(api: &Api, email: &str) -> i64 {
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": format!("G {email}") })).await;
    let (status, body) = api.post(&format!("{BASE}/groups/{group}/admins"), json!({ "adminEmail": email })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, list) = api.get(&format!("{BASE}/groups/{group}/admins")).await;
    let admins = list["admins"].as_array().unwrap();
    admins.iter().find(|admin| admin["adminEmail"] == email).unwrap()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn an_activation_links_token_is_shown_then_redeemed_once_without_a_session_and_md5_is_refused() {
    let api = Api::new().await;
    invited(&api, "new@example.com").await;
    let token = api.activation_token("new@example.com").await;
    let anonymous = api.with_token(None);
    let (status, info) = anonymous.get(&format!("{PORTAL}/actions/activate?token={token}")).await;
    assert_eq!(status, StatusCode::OK, "{info}");
    assert_eq!(info, json!({ "activated": false, "login": "new@example.com", "email": "new@example.com" }));
    let path = format!("{PORTAL}/actions/activate?token={token}");
    let (status, refused) = anonymous.post(&path, json!({ "password": PASSWORD, "md5": 1 })).await;
    assert_eq!((status, refused["error"]["details"]["field"].clone()), (StatusCode::BAD_REQUEST, json!("md5")));
    assert!(refused["error"]["message"].as_str().unwrap().contains("argon2id"), "{refused}");
    let (status, done) = anonymous.post(&path, json!({ "password": PASSWORD, "md5": 0 })).await;
    assert_eq!((status, done), (StatusCode::OK, json!("Success")));
    let (status, again) = anonymous.post(&path, json!({ "password": PASSWORD })).await;
    assert_eq!((status, again["error"]["code"].clone()), (StatusCode::BAD_REQUEST, json!("invalid_one_time_token")));
    api.login("new@example.com", PASSWORD).await;
    // The audit log keeps the request's path with the token masked.
    let (_, audit) = api.get(&format!("{BASE}/audit?pageSize=1000")).await;
    let events = audit["events"].as_array().unwrap();
    let activation = events.iter().find(|event| event["action"] == "admin.activate").unwrap();
    assert_eq!(activation["path"], format!("{PORTAL}/actions/activate?token=********"), "{activation}");
    assert!(!audit.to_string().contains(&token));
}

#[tokio::test]
async fn a_reset_link_is_mailed_to_an_account_and_answered_alike_for_an_unknown_address() {
    let api = Api::new().await;
    let id = invited(&api, "forgetful@example.com").await;
    let first = api.activation_token("forgetful@example.com").await;
    api.post("/api/v01/auth/activate", json!({ "token": first, "password": PASSWORD })).await;
    let anonymous = api.with_token(None);
    let ask = |email: &str| json!({ "login": email, "email": email });
    let (status, _) = anonymous.post(&format!("{PORTAL}/actions/mail/reset"), ask("forgetful@example.com")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = anonymous.post(&format!("{PORTAL}/actions/mail/reset"), ask("nobody@example.com")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    let token = loop {
        let message = api.outbox.last_to("forgetful@example.com").unwrap();
        let token = link_token(&message.body);
        if token != first {
            break token;
        }
        assert!(tokio::time::Instant::now() < deadline, "no reset link");
        tokio::task::yield_now().await;
    };
    let (status, info) = anonymous.get(&format!("{PORTAL}/actions/reset?token={token}")).await;
    assert_eq!((status, info["activated"].clone()), (StatusCode::OK, json!(true)));
    let new = "another new password";
    let (status, _) =
        anonymous.post(&format!("{PORTAL}/actions/reset?token={token}"), json!({ "password": new })).await;
    assert_eq!(status, StatusCode::OK);
    api.login("forgetful@example.com", new).await;
    // An activation token is no reset token.
    let (status, _) = anonymous.get(&format!("{PORTAL}/actions/activate?token={token}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // An administrator who manages the account may e-mail it a fresh activation link.
    let body = json!({ "login": "forgetful@example.com", "email": "forgetful@example.com", "user_id": id });
    assert_eq!(api.post(&format!("{PORTAL}/actions/mail/activate"), body).await.0, StatusCode::NO_CONTENT);
    let wrong = json!({ "login": "x@example.com", "email": "x@example.com", "user_id": id });
    assert_eq!(api.post(&format!("{PORTAL}/actions/mail/activate"), wrong).await.0, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_caller_changes_its_own_password_with_the_specs_field_names() {
    let api = Api::new().await;
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "Selfish" })).await;
    let admin = api.admin(&format!("/groups/{group}"), "self@example.com").await;
    let path = format!("{PORTAL}/actions/change_password");
    let wrong = json!({ "current_password": "not the password at all", "new_password": PASSWORD });
    let (status, refused) = admin.post(&path, wrong).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "the spec's status for a wrong current password");
    assert_eq!(refused["error"]["details"]["field"], "current_password", "{refused}");
    let right = json!({ "current_password": "a password for tests", "new_password": PASSWORD });
    assert_eq!(admin.post(&path, right).await, (StatusCode::OK, json!("Success")));
    api.login("self@example.com", PASSWORD).await;
    assert_eq!(admin.get(&format!("{PORTAL}/profile")).await.0, StatusCode::OK, "this session stays");
}
