//! HTTP Basic on the sipXconfig face: an administrator's e-mail and password on every request,
//! refused as a login would be, and never on the canopy face.

use super::Sipx;
use super::support::BASE;
use axum::http::header::WWW_AUTHENTICATE;
use axum::http::{Method, StatusCode};
use base64::Engine;
use canopy_app::testing::{ROOT_EMAIL, ROOT_PASSWORD};

pub fn basic(email: &str, password: &str) -> String {
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{email}:{password}")))
}

#[tokio::test]
async fn an_administrator_authenticates_with_its_email_and_password() {
    let sipx = Sipx::new().await;
    let auth = basic(ROOT_EMAIL, ROOT_PASSWORD);
    let created =
        sipx.send(Method::PUT, "/user-group", &[("authorization", &auth)], "<group><name>B</name></group>").await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let listed = sipx.send(Method::GET, "/user-group", &[("authorization", &auth)], "").await;
    assert_eq!(listed.status, StatusCode::OK);
    let wrong =
        sipx.send(Method::GET, "/user-group", &[("authorization", &basic(ROOT_EMAIL, "nope nope nope"))], "").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.starts_with("<response><code>invalid_credentials</code>"), "{}", wrong.body);
    let challenges: Vec<&str> = wrong.headers.get_all(WWW_AUTHENTICATE).iter().map(|v| v.to_str().unwrap()).collect();
    assert!(challenges[0].starts_with("Basic realm=\"sipXconfig\""), "{challenges:?}");
    let nobody = sipx.send(Method::GET, "/user-group", &[("authorization", "")], "").await;
    assert_eq!(nobody.status, StatusCode::UNAUTHORIZED);
    // The canopy face takes bearer tokens only.
    let request = axum::http::Request::builder()
        .uri(format!("{BASE}/groups"))
        .header("authorization", &auth)
        .body(axum::body::Body::empty())
        .unwrap();
    let response = tower::ServiceExt::oneshot(sipx.api.router.clone(), request).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn wrong_passwords_lock_the_account_for_basic_and_for_logins_alike() {
    let sipx = Sipx::new().await;
    let wrong = basic(ROOT_EMAIL, "not the right password");
    let mut locked = None;
    for attempt in 0..20 {
        let reply = sipx.send(Method::GET, "/user-group", &[("authorization", &wrong)], "").await;
        if reply.status == StatusCode::LOCKED {
            locked = Some(attempt);
            assert!(reply.headers.contains_key("retry-after"));
            break;
        }
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    assert!(locked.is_some(), "the throttle locks the account");
    let right =
        sipx.send(Method::GET, "/user-group", &[("authorization", &basic(ROOT_EMAIL, ROOT_PASSWORD))], "").await;
    assert_eq!(right.status, StatusCode::LOCKED, "the lock holds for the right password too");
    let (status, _) = sipx
        .api
        .with_token(None)
        .post("/api/v01/auth/login", serde_json::json!({ "username": ROOT_EMAIL, "password": ROOT_PASSWORD }))
        .await;
    assert_eq!(status, StatusCode::LOCKED, "and for logins");
}
