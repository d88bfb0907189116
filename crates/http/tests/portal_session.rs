//! The portal face's identity operations in-process (issue 18): `POST /login` and its cookie,
//! the cookie and the bearer token as one session on both faces, logout, the profile, the router
//! lookup that reveals nothing, `/checkauth` for every method, the logon IP lists (the client's
//! address given as the connection's), and the 501 of every operation Canopy does not serve.

mod support;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use canopy_app::testing::{ROOT_EMAIL, ROOT_PASSWORD};
use canopy_http::{Peer, route_table};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use support::{Api, BASE};
use tower::ServiceExt;

const PORTAL: &str = "/api/v01/draas/default/portal/api/1";

/// A request to the router with these headers, from `peer` when given; status, headers, body.
async fn request(
    api: &Api,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
    peer: Option<&str>,
) -> (StatusCode, HeaderMap, Value) {
    let mut builder = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    if body.is_some() {
        builder = builder.header("content-type", "application/json");
    }
    let mut request = builder.body(Body::from(body.map(|b| b.to_string()).unwrap_or_default())).unwrap();
    if let Some(peer) = peer {
        request.extensions_mut().insert(ConnectInfo(Peer(peer.parse().unwrap())));
    }
    let response = api.router.clone().oneshot(request).await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let json = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap() };
    (status, headers, json)
}

async fn portal_login(api: &Api, email: &str, password: &str, peer: Option<&str>) -> (StatusCode, HeaderMap, Value) {
    let body = json!({ "username": email, "password": password });
    request(api, Method::POST, &format!("{PORTAL}/login"), &[], Some(body), peer).await
}

/// The session token of a `Set-Cookie: SESSION=…`.
fn session_of(headers: &HeaderMap) -> String {
    let cookie = headers.get("set-cookie").unwrap().to_str().unwrap();
    cookie.strip_prefix("SESSION=").unwrap().split(';').next().unwrap().to_owned()
}

#[tokio::test]
async fn a_portal_login_sets_the_session_cookie_which_is_the_bearer_tokens_session_on_both_faces() {
    let api = Api::new().await;
    let (status, headers, body) = portal_login(&api, ROOT_EMAIL, ROOT_PASSWORD, Some("127.0.0.1:5000")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let cookie = headers.get("set-cookie").unwrap().to_str().unwrap().to_owned();
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Secure", "Max-Age=28800"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert_eq!((body["message"].clone(), body["client_ip"].clone()), (json!("Success"), json!("127.0.0.1")));
    assert_eq!(body["accounts"][0]["login"], ROOT_EMAIL);
    assert_eq!(body["accounts"][0]["group"], Value::Null, "a system administrator's home is the root");
    let token = session_of(&headers);
    let by_cookie = [("cookie", format!("other=1; SESSION={token}"))];
    let by_cookie: Vec<(&str, &str)> = by_cookie.iter().map(|(n, v)| (*n, v.as_str())).collect();
    let (status, _, profile) = request(&api, Method::GET, &format!("{PORTAL}/profile"), &by_cookie, None, None).await;
    assert_eq!((status, profile["login"].clone()), (StatusCode::OK, json!(ROOT_EMAIL)));
    let (_, _, profiles) = request(&api, Method::GET, &format!("{PORTAL}/profiles"), &by_cookie, None, None).await;
    assert_eq!(profiles, json!([profile]));
    // The same session as a bearer token on Canopy's own face, and a canopy token as the cookie.
    let bearer = api.with_token(Some(token.clone()));
    assert_eq!(bearer.get("/api/v01/auth/me").await.0, StatusCode::OK);
    let canopy_token = api.token.clone().unwrap();
    let canopy_cookie = format!("SESSION={canopy_token}");
    let (status, _, _) =
        request(&api, Method::GET, &format!("{PORTAL}/checkauth"), &[("cookie", &canopy_cookie)], None, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    // A write by cookie from another site's page is refused; from the server's own, it happens.
    let group = json!({ "name": "ByCookie", "kind": 10 });
    let root = profile_root(&api).await;
    let children = format!("{PORTAL}/groups/{root}/children");
    let forged = [by_cookie[0], ("origin", "https://evil.example"), ("host", "canopy.example")];
    let (status, _, _) = request(&api, Method::POST, &children, &forged, Some(group.clone()), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let own = [by_cookie[0], ("origin", "https://canopy.example"), ("host", "canopy.example")];
    let (status, _, created) = request(&api, Method::POST, &children, &own, Some(group), None).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    // Logging out ends the session for both faces and removes the cookie.
    let (status, headers, _) = request(&api, Method::POST, &format!("{PORTAL}/logout"), &by_cookie, None, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(headers.get("set-cookie").unwrap().to_str().unwrap().contains("Max-Age=0"));
    assert_eq!(bearer.get("/api/v01/auth/me").await.0, StatusCode::UNAUTHORIZED);
}

/// The root's integer id, from a group created through Canopy's face.
async fn profile_root(api: &Api) -> i64 {
    let uuid = api.create(&format!("{BASE}/groups"), json!({ "name": "probe-root" })).await;
    let (_, group) = api.get(&format!("{PORTAL}/groups/{uuid}")).await;
    group["parent_id"].as_i64().unwrap()
}

#[tokio::test]
async fn a_wrong_password_is_401_and_a_locked_account_423_with_retry_after_as_on_canopys_login() {
    let api = Api::new().await;
    let mut last = StatusCode::OK;
    let mut retry = None;
    for _ in 0..8 {
        let (status, headers, body) = portal_login(&api, ROOT_EMAIL, "not the password at all", None).await;
        if status == StatusCode::LOCKED {
            assert_eq!(body["error"]["code"], "account_locked", "{body}");
            retry = headers.get("retry-after").map(|value| value.to_str().unwrap().parse::<u64>().unwrap());
            last = status;
            break;
        }
        assert_eq!((status, body["error"]["code"].clone()), (StatusCode::UNAUTHORIZED, json!("invalid_credentials")));
    }
    assert_eq!(last, StatusCode::LOCKED);
    assert!(retry.is_some_and(|secs| secs > 0));
    // The lock is the account's, whichever face is used.
    let (status, _) = api
        .with_token(None)
        .post("/api/v01/auth/login", json!({ "username": ROOT_EMAIL, "password": ROOT_PASSWORD }))
        .await;
    assert_eq!(status, StatusCode::LOCKED);
    // Unknown fields are refused (the spec's additionalProperties: false).
    let extra = json!({ "username": ROOT_EMAIL, "password": "x", "remember": true });
    let (status, _, _) = request(&api, Method::POST, &format!("{PORTAL}/login"), &[], Some(extra), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_router_lookup_answers_alike_for_any_login() {
    let api = Api::new().await;
    let anonymous = api.with_token(None);
    let (status, known) = anonymous.get(&format!("{PORTAL}/accounts?login={ROOT_EMAIL}")).await;
    assert_eq!(status, StatusCode::OK);
    let (_, unknown) = anonymous.get(&format!("{PORTAL}/accounts?login=nobody@example.com")).await;
    assert_eq!((known["id"].clone(), known["server_url"].clone()), (json!(0), unknown["server_url"].clone()));
    assert_eq!(unknown["login"], "nobody@example.com");
}

#[tokio::test]
async fn checkauth_answers_204_with_a_session_and_401_without_for_every_method() {
    let api = Api::new().await;
    let token = format!("Bearer {}", api.token.clone().unwrap());
    for method in [Method::GET, Method::POST, Method::PUT, Method::DELETE, Method::HEAD, Method::OPTIONS] {
        let path = format!("{PORTAL}/checkauth");
        let (status, _, _) = request(&api, method.clone(), &path, &[("authorization", &token)], None, None).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{method}");
        let (status, _, _) = request(&api, method.clone(), &path, &[], None, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method}");
    }
}

/// The public operations the face serves (the rest of its public routes answer 501).
const SERVED_PUBLIC: [(&str, &str); 8] = [
    ("GET", "/accounts"),
    ("POST", "/login"),
    ("GET", "/login"),
    ("GET", "/actions/activate"),
    ("POST", "/actions/activate"),
    ("GET", "/actions/reset"),
    ("POST", "/actions/reset"),
    ("POST", "/actions/mail/reset"),
];

#[tokio::test]
async fn every_operation_canopy_does_not_serve_answers_501_not_supported() {
    let api = Api::new().await;
    let unsupported: Vec<_> = route_table()
        .into_iter()
        .filter(|route| route.path.contains("/portal/api/1/") && route.access == canopy_http::Access::Public)
        .filter(|route| {
            let tail = route.path.split("/api/1").nth(1).unwrap_or_default();
            !SERVED_PUBLIC.contains(&(route.method.as_str(), tail))
        })
        .collect();
    assert_eq!(unsupported.len(), 51);
    for route in unsupported {
        let path = route.path.replace("{draas_instance}", "default").replace(['{', '}'], "");
        let (status, _, body) = request(&api, route.method.clone(), &path, &[], None, None).await;
        assert_eq!(status, StatusCode::NOT_IMPLEMENTED, "{} {path}", route.method);
        if route.method != Method::HEAD {
            assert_eq!(body["error"]["code"], "not_supported", "{path}");
        }
    }
}

/// Sets the logon IP list of a node through its configuration (as the portal's
/// `…/settings/logon_ips` keeps it).
async fn allow(api: &Api, kind: &str, uuid: &str, items: &str) {
    let properties = json!({ "properties": { "portal.logon_ips.status": 1, "portal.logon_ips.items": items } });
    let (status, body) = api.post(&format!("{BASE}/{kind}/{uuid}/configurations/general"), properties).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
}

#[tokio::test]
async fn every_enabled_logon_ip_list_on_the_accounts_lineage_must_admit_the_client() {
    let api = Api::new().await;
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "Fenced" })).await;
    let tenant =
        api.create(&format!("{BASE}/groups/{group}/tenants"), json!({ "name": "Inside", "tenantId": "inside" })).await;
    api.admin(&format!("/tenants/{tenant}"), "fenced@example.com").await;
    let password = "a password for tests";
    // No list: any address.
    assert_eq!(portal_login(&api, "fenced@example.com", password, Some("192.0.2.9:1")).await.0, StatusCode::OK);
    allow(&api, "groups", &group, "192.0.2.0/24,2001:db8::1 - 2001:db8::ff").await;
    allow(&api, "tenants", &tenant, "192.0.2.5 - 192.0.2.20,198.51.100.7").await;
    let login = |peer: &'static str| portal_login(&api, "fenced@example.com", password, Some(peer));
    assert_eq!(login("192.0.2.9:1").await.0, StatusCode::OK, "in both lists");
    // The tenant's list cannot widen its group's: 198.51.100.7 is only in the tenant's.
    let (status, _, body) = login("198.51.100.7:1").await;
    assert_eq!(
        (status, body),
        (
            StatusCode::FORBIDDEN,
            json!({
        "client_ip": "198.51.100.7", "message": "access from your IP '198.51.100.7' address is not allowed" })
        )
    );
    assert_eq!(login("192.0.2.21:1").await.0, StatusCode::FORBIDDEN, "in the group's, not the tenant's");
    assert_eq!(login("[2001:db8::5]:1").await.0, StatusCode::FORBIDDEN, "in the group's IPv6 range only");
    // Canopy's own login is refused alike, in the envelope.
    let body = json!({ "username": "fenced@example.com", "password": password });
    let (status, _, refused) =
        request(&api, Method::POST, "/api/v01/auth/login", &[], Some(body), Some("203.0.113.1:1")).await;
    assert_eq!((status, refused["error"]["code"].clone()), (StatusCode::FORBIDDEN, json!("logon_ip_refused")));
    // An IPv6 list admits its range.
    allow(&api, "tenants", &tenant, "2001:db8::/120,192.0.2.5 - 192.0.2.20").await;
    assert_eq!(login("[2001:db8::5]:1").await.0, StatusCode::OK);
}
