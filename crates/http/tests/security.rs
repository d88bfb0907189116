//! The security review, as tests (issue 8): session tokens are 256 random bits, no response
//! carries a secret, concurrent wrong passwords still lock the account, a reseller cannot see
//! or infer its sibling's tenants through any read route, and hostile JSON bodies are refused
//! in the envelope (`bodies`, `isolation`), as are bodies too large or too slow, unread
//! (`limits`). That stores hold hashes only is checked on PostgreSQL by the black-box tests
//! (tests/blackbox/security.rs).

#[path = "security/bodies.rs"]
mod bodies;
#[path = "security/isolation.rs"]
mod isolation;
#[path = "security/limits.rs"]
mod limits;
mod support;

use axum::http::{Method, StatusCode};
use canopy_app::testing::{ROOT_EMAIL, ROOT_PASSWORD};
use canopy_domain::NodeKind;
use canopy_http::route_table;
use serde_json::json;
use std::collections::HashSet;
use support::{Api, BASE, link_token};

const PASSWORD: &str = "a password for tests";
const SIP_PASSWORD: &str = "Sip-Secret-in-no-response-77";
const API_TOKEN: &str = "Api-Token-in-no-response-31";

fn is_base64url(token: &str) -> bool {
    token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_tokens_are_256_random_bits_and_all_distinct() {
    let api = Api::new().await;
    let mut tokens = HashSet::new();
    for _ in 0..200 {
        let token = api.login(ROOT_EMAIL, ROOT_PASSWORD).await;
        assert_eq!(token.len(), 43, "256 bits in unpadded base64url: {token}");
        assert!(is_base64url(&token), "{token}");
        assert!(tokens.insert(token), "a token came twice");
    }
    // Each is a live session of its own.
    let some: Vec<&String> = tokens.iter().take(3).collect();
    for token in some {
        assert_eq!(api.with_token(Some(token.clone())).get("/api/v01/auth/me").await.0, StatusCode::OK);
    }
}

/// The path of a node of `kind` (by uuid).
fn node_path(kind: NodeKind, uuid: &str) -> String {
    format!("{BASE}/{}/{uuid}", kind.plural())
}

/// Every GET route of the table whose path names a node of `kind`, made concrete for `uuid`;
/// `None` for a route naming another kind of node.
fn get_route(path: &str, kind: NodeKind, uuid: &str) -> Option<String> {
    let before = path.split("/{uuid}").next().filter(|_| path.contains("{uuid}"))?;
    if !before.ends_with(&format!("/{}", kind.plural())) {
        return None;
    }
    let uri = path
        .replace("/api/v01/draas/{draas_instance}", BASE)
        .replace("{uuid}", uuid)
        .replace("{rate_plan}", "standard")
        .replace("{id}", "1");
    assert!(!uri.contains('{'), "teach get_route the parameters of {path}");
    Some(if uri.ends_with("/configurations/branding/styling") { format!("{uri}?type=theme") } else { uri })
}

fn get_paths() -> Vec<String> {
    route_table().into_iter().filter(|route| route.method == Method::GET).map(|route| route.path).collect()
}

/// A tree `G{D{R{T}}, R2{T2}}` with secrets in it: the configuration of each node, an activated
/// administrator of the group, one never activated, and a pending password reset of the root.
struct Secrets {
    api: Api,
    group_admin: Api,
    nodes: Vec<(NodeKind, String)>,
    secrets: Vec<String>,
}

async fn tree_with_secrets() -> Secrets {
    let api = Api::new().await;
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "G", "adminEmail": "first@example.com" })).await;
    let distributor = api.create(&format!("{BASE}/groups/{group}/distributors"), json!({ "name": "D" })).await;
    let reseller = api.create(&format!("{BASE}/distributors/{distributor}/resellers"), json!({ "name": "R" })).await;
    let tenant =
        api.create(&format!("{BASE}/resellers/{reseller}/tenants"), json!({ "name": "T", "tenantId": "tid-t" })).await;
    let nodes = vec![
        (NodeKind::Group, group.clone()),
        (NodeKind::Distributor, distributor),
        (NodeKind::Reseller, reseller),
        (NodeKind::Tenant, tenant),
    ];
    let properties = json!({ "properties": { "draas_sip_password": SIP_PASSWORD, "api_token": API_TOKEN } });
    for (kind, uuid) in &nodes {
        let path = format!("{}/configurations/general", node_path(*kind, uuid));
        let (status, body) = api.call(Method::PUT, &path, Some(properties.clone())).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    }
    let pending = api.activation_token("first@example.com").await;
    let group_admin = api.admin(&format!("/groups/{group}"), "jane@example.com").await;
    let (status, _) = api.post("/api/v01/auth/forgot", json!({ "username": ROOT_EMAIL })).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let reset = wait_for(&api, ROOT_EMAIL).await;
    let mut secrets = vec![
        ROOT_PASSWORD.to_owned(),
        PASSWORD.to_owned(),
        SIP_PASSWORD.to_owned(),
        API_TOKEN.to_owned(),
        "$argon2".to_owned(),
        pending,
        reset,
        api.token.clone().unwrap(),
        group_admin.token.clone().unwrap(),
    ];
    secrets.extend(api.outbox.messages().iter().map(|m| link_token(&m.body)));
    Secrets { api, group_admin, nodes, secrets }
}

/// The token of the first message to `to` (sent in the background).
async fn wait_for(api: &Api, to: &str) -> String {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        if let Some(message) = api.outbox.last_to(to) {
            return link_token(&message.body);
        }
        assert!(tokio::time::Instant::now() < deadline, "no message to {to}");
        tokio::task::yield_now().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_response_of_any_read_route_holds_a_secret() {
    let Secrets { api, group_admin, nodes, secrets } = tree_with_secrets().await;
    let mut paths = vec!["/api/v01/auth/me".to_owned(), format!("{BASE}/groups"), format!("{BASE}/admins")];
    for path in get_paths() {
        for (kind, uuid) in &nodes {
            paths.extend(get_route(&path, *kind, uuid));
        }
    }
    let mut read = 0;
    for caller in [&api, &group_admin] {
        for path in &paths {
            let (status, body) = caller.get(path).await;
            read += usize::from(status.is_success());
            let text = body.to_string();
            for secret in &secrets {
                assert!(!text.contains(secret.as_str()), "GET {path} answered a secret ({secret}): {text}");
            }
        }
    }
    assert!(read > 40, "the walk reads bodies: {read}");
    // The secrets are there, masked.
    let (_, general) = api.get(&format!("{}/configurations/general", node_path(nodes[3].0, &nodes[3].1))).await;
    assert_eq!(general["properties"], json!({ "draas_sip_password": "********", "api_token": "********" }));
    // Logging in answers the new token and nothing else secret.
    let (status, session) =
        api.post("/api/v01/auth/login", json!({ "username": "jane@example.com", "password": PASSWORD })).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!session.to_string().contains(PASSWORD) && !session.to_string().contains("$argon2"), "{session}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_wrong_passwords_lock_the_account() {
    let api = Api::new().await;
    let anonymous = api.with_token(None);
    let attempt = |password: &'static str| {
        let router = anonymous.router.clone();
        async move {
            let request = axum::http::Request::post("/api/v01/auth/login")
                .header("content-type", "application/json")
                .body(axum::body::Body::from(json!({ "username": ROOT_EMAIL, "password": password }).to_string()))
                .unwrap();
            tower::ServiceExt::oneshot(router, request).await.unwrap()
        }
    };
    let burst: Vec<_> = (0..20).map(|_| tokio::spawn(attempt("wrong password!"))).collect();
    let mut statuses = vec![];
    for handle in burst {
        statuses.push(handle.await.unwrap().status());
    }
    let refused = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    let locked = statuses.iter().filter(|s| **s == StatusCode::LOCKED).count();
    assert_eq!(refused + locked, 20, "{statuses:?}");
    // Every failure is counted once, however they interleave: five free ones, then the lock.
    assert!(refused <= 5, "more than the free failures were answered 401: {statuses:?}");
    let after = attempt(ROOT_PASSWORD).await;
    assert_eq!(after.status(), StatusCode::LOCKED, "the right password is refused while locked");
    let retry: i64 = after.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((30..=15 * 60).contains(&retry), "locked between the base lock and the longest: {retry}");
    api.clock.advance_secs(retry + 1);
    assert_eq!(attempt(ROOT_PASSWORD).await.status(), StatusCode::OK);
}
