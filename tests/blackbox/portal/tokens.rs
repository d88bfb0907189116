//! The portal's signed tokens against the real binary, once per store (issue 18, item 5): an
//! impersonation token issued to an administrator who may manage the target, audited, used to
//! log in, and refused once expired (`--jwt-ttl-secs 2`, polled with a deadline); a scoped token
//! logs in nowhere; at `--log trace`, no token reaches a log line.

use super::PORTAL;
use crate::server::{Server, Store, bearer};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const CUSTOMER: &str = "customer@tokens.test";
const TEMPORARY: &str = "Walled-garden-temporary-8813";
const CHOSEN: &str = "Walled-garden-chosen-4471";

async fn send(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap() })
}

pub(crate) async fn an_impersonation_token_is_audited_used_and_expires(store: Store) {
    let server = Server::start_with(store, &["--jwt-ttl-secs", "2", "--log", "trace"], &[]).await;
    let root = server.client().await;
    let base = server.url("/api/v01/draas/default");
    let (_, group) = send(root.post(format!("{base}/groups")).json(&json!({ "name": "Tokens" }))).await;
    let group = group["uuid"].as_str().unwrap().to_owned();
    let admin = json!({ "adminEmail": CUSTOMER, "temporaryPassword": TEMPORARY });
    assert_eq!(send(root.post(format!("{base}/groups/{group}/admins")).json(&admin)).await.0, StatusCode::OK);
    // The customer sets its own password (a temporary one's sessions may do nothing else).
    let login = json!({ "username": CUSTOMER, "password": TEMPORARY });
    let (_, session) = send(reqwest::Client::new().post(server.url("/api/v01/auth/login")).json(&login)).await;
    let change = json!({ "currentPassword": TEMPORARY, "newPassword": CHOSEN });
    let changed = bearer(session["token"].as_str().unwrap()).post(server.url("/api/v01/auth/password")).json(&change);
    assert_eq!(send(changed).await.0, StatusCode::NO_CONTENT);
    let (_, list) = send(root.get(format!("{base}/groups/{group}/admins"))).await;
    let id = list["admins"][0]["id"].as_i64().unwrap();
    let portal = server.url(PORTAL);
    let anonymous = reqwest::Client::new();

    let (status, scoped) = send(root.get(format!("{portal}/admins/{id}/jwt?scope=backup"))).await;
    assert_eq!(status, StatusCode::OK, "{scoped}");
    let scoped = scoped["jwt"].as_str().unwrap().to_owned();
    assert_eq!(send(anonymous.get(format!("{portal}/login?jwt={scoped}"))).await.0, StatusCode::UNAUTHORIZED);

    let request_id = "impersonation-under-audit";
    let impersonate = root.get(format!("{portal}/admins/{id}/impersonate")).header("x-request-id", request_id);
    let (status, answer) = send(impersonate).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let jwt = answer["jwt"].as_str().unwrap().to_owned();
    let (status, logged_in) = send(anonymous.get(format!("{portal}/login?jwt={jwt}"))).await;
    assert_eq!((status, logged_in["accounts"][0]["login"].clone()), (StatusCode::OK, json!(CUSTOMER)));

    let (_, audit) = send(root.get(format!("{base}/audit?pageSize=1000"))).await;
    let events = audit["events"].as_array().unwrap();
    let recorded = events.iter().find(|event| event["requestId"] == request_id).expect("the impersonation is audited");
    assert_eq!(recorded["action"], "admin.impersonate");
    assert!(!audit.to_string().contains(&jwt), "no token in the audit log");

    // Expired after its two seconds: polled, never slept on blindly.
    let started = Instant::now();
    loop {
        let (status, _) = send(anonymous.get(format!("{portal}/login?jwt={jwt}"))).await;
        if status == StatusCode::UNAUTHORIZED {
            break;
        }
        assert_eq!(status, StatusCode::OK);
        assert!(started.elapsed() < Duration::from_secs(20), "the token never expired");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // A session opened with it is the customer's, on Canopy's face too, and only its own.
    let (status, again) = send(root.get(format!("{portal}/admins/{id}/impersonate"))).await;
    assert_eq!(status, StatusCode::OK);
    let response =
        anonymous.get(format!("{portal}/login?jwt={}", again["jwt"].as_str().unwrap())).send().await.unwrap();
    let cookie = response.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let token = cookie.trim_start_matches("SESSION=").to_owned();
    let (status, me) = send(bearer(&token).get(server.url("/api/v01/auth/me"))).await;
    assert_eq!((status, me["adminEmail"].clone()), (StatusCode::OK, json!(CUSTOMER)));
    assert!(server.wait_for_log(request_id).await);
    let lines = server.log_lines();
    assert!(lines.iter().all(|line| !line.contains(&jwt) && !line.contains(&token)), "a token in the log");
    server.stop().await;
}
