//! Issue 21, item 8, over the real binary on both stores: without `--smtp-host` the start-up
//! warning says how to onboard administrators without mail, and the whole flow works: an
//! administrator created with a temporary password logs in, may only change it, changes it, and
//! then works with its session and its own password.

use crate::server::{Server, Store, bearer};
use reqwest::StatusCode;
use serde_json::{Value, json};

const EMAIL: &str = "onboarded@example.com";
const TEMPORARY: &str = "Temporary-passphrase-42";
const CHOSEN: &str = "the administrator's own passphrase";

async fn login(server: &Server, password: &str) -> Value {
    let body = json!({ "username": EMAIL, "password": password });
    let response = reqwest::Client::new().post(server.url("/api/v01/auth/login")).json(&body).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

pub async fn administrators_are_onboarded_without_mail_by_a_temporary_password(store: Store) {
    let server = Server::start(store).await;
    assert!(server.log_contains("temporaryPassword").await, "the warning says how: {:?}", server.log_lines());
    let base = server.url("/api/v01/draas/default");
    let root = server.client().await;
    let response = root.post(format!("{base}/groups")).json(&json!({ "name": "G" })).send().await.unwrap();
    let group = response.json::<Value>().await.unwrap()["uuid"].as_str().unwrap().to_owned();
    let admin = json!({ "adminEmail": EMAIL, "temporaryPassword": TEMPORARY });
    let response = root.post(format!("{base}/groups/{group}/admins")).json(&admin).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    let session = login(&server, TEMPORARY).await;
    assert_eq!(session["mustChangePassword"], true);
    let client = bearer(session["token"].as_str().unwrap());
    let response = client.get(format!("{base}/groups/{group}")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(response.json::<Value>().await.unwrap()["error"]["code"], "password_change_required");

    let change = json!({ "currentPassword": TEMPORARY, "newPassword": CHOSEN });
    let response = client.post(server.url("/api/v01/auth/password")).json(&change).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let response = client.get(format!("{base}/groups/{group}")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "the same session now works");
    assert_eq!(login(&server, CHOSEN).await["mustChangePassword"], false);
    server.stop().await;
}
