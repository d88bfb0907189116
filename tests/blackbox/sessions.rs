//! Sessions over the real binary: a group's `status` ends the sessions and logins of the accounts
//! below it (issue 17, both stores), and the in-process session cache (issue 20, item 2): a logout
//! is effective at once on the process that served it, and on another process of the same
//! database within that process's `--session-cache-ms` (at once with 0).

use crate::server::{Server, Store, bearer};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::time::Duration;
use tokio::time::Instant;

const EMAIL: &str = "disabled@example.com";
const TEMPORARY: &str = "Temporary-passphrase-42";
const CHOSEN: &str = "the administrator's own passphrase";
const BASE: &str = "/api/v01/draas/default";

async fn login(server: &Server, password: &str) -> (StatusCode, Value) {
    let body = json!({ "username": EMAIL, "password": password });
    let response = Client::new().post(server.url("/api/v01/auth/login")).json(&body).send().await.unwrap();
    (response.status(), response.json().await.unwrap())
}

async fn status_of(client: &Client, url: String) -> StatusCode {
    client.get(url).send().await.unwrap().status()
}

pub async fn a_disabled_group_stops_its_accounts_until_enabled_again(store: Store) {
    let server = Server::start(store).await;
    let root = server.client().await;
    let base = server.url(BASE);
    let created = root.post(format!("{base}/groups")).json(&json!({ "name": "G" })).send().await.unwrap();
    let group = created.json::<Value>().await.unwrap()["uuid"].as_str().unwrap().to_owned();
    let created =
        root.post(format!("{base}/groups/{group}/tenants")).json(&json!({ "name": "T", "tenantId": "t" })).send();
    let tenant = created.await.unwrap().json::<Value>().await.unwrap()["uuid"].as_str().unwrap().to_owned();
    let admin = json!({ "adminEmail": EMAIL, "temporaryPassword": TEMPORARY });
    let response = root.post(format!("{base}/tenants/{tenant}/admins")).json(&admin).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let (_, session) = login(&server, TEMPORARY).await;
    let client = bearer(session["token"].as_str().unwrap());
    let change = json!({ "currentPassword": TEMPORARY, "newPassword": CHOSEN });
    let response = client.post(server.url("/api/v01/auth/password")).json(&change).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let own = format!("{base}/tenants/{tenant}");
    assert_eq!(status_of(&client, own.clone()).await, StatusCode::OK);

    let portal_tenant = server.url(&format!("{BASE}/portal/api/1/groups/{tenant}"));
    let response = root.put(&portal_tenant).json(&json!({ "status": 0 })).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(status_of(&client, own.clone()).await, StatusCode::UNAUTHORIZED, "its session ends at once");
    let (status, body) = login(&server, CHOSEN).await;
    assert_eq!((status, &body["error"]["code"]), (StatusCode::FORBIDDEN, &json!("account_disabled")), "{body}");
    let read = root.get(&portal_tenant).send().await.unwrap().json::<Value>().await.unwrap();
    assert_eq!(read["status"], 0, "managed from above: {read}");

    let response = root.put(&portal_tenant).json(&json!({ "status": 1 })).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let (status, body) = login(&server, CHOSEN).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    server.stop().await;
}

/// Polls `url` with `client` until it answers 401, for at most `deadline`; whether it did.
async fn ends_within(client: &Client, url: &str, deadline: Duration) -> bool {
    let until = Instant::now() + deadline;
    while Instant::now() < until {
        if status_of(client, url.to_owned()).await == StatusCode::UNAUTHORIZED {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

pub async fn a_logout_ends_its_session_here_at_once_and_elsewhere_within_the_cache_lifetime() {
    let Store::Postgres(url) = Store::postgres().await else { unreachable!() };
    let (serving, caching, uncached) = tokio::join!(
        Server::start(Store::Postgres(url.clone())),
        Server::start_with(Store::Postgres(url.clone()), &["--session-cache-ms", "1000"], &[]),
        Server::start_with(Store::Postgres(url.clone()), &["--session-cache-ms", "0"], &[]),
    );
    let client = serving.client().await;
    let me = |server: &Server| server.url("/api/v01/auth/me");
    for server in [&serving, &caching, &uncached] {
        assert_eq!(status_of(&client, me(server)).await, StatusCode::OK, "one session on every process");
    }
    let response = client.post(serving.url("/api/v01/auth/logout")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(status_of(&client, me(&serving)).await, StatusCode::UNAUTHORIZED, "at once where it was served");
    assert_eq!(status_of(&client, me(&uncached)).await, StatusCode::UNAUTHORIZED, "at once without a cache");
    // Within the lifetime elsewhere; the deadline is generous for a loaded machine, the bound
    // itself is proven by the cache's unit tests with a manual clock.
    assert!(ends_within(&client, &me(&caching), Duration::from_secs(30)).await, "the cached session never ended");
    for server in [serving, caching, uncached] {
        server.stop().await;
    }
}
