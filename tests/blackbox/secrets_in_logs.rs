//! Secrets never reach a log line, even at `--log trace` (issue 6): the bootstrap password, the
//! bearer token of a login, the secret properties of a configuration, and a temporary password
//! given to a new administrator and then changed (issue 21), and the password of HTTP Basic on
//! the sipXconfig face, right or wrong, in the clear or encoded (issue 16), on both stores.

use crate::server::{Server, Store};
use base64::Engine;
use reqwest::StatusCode;
use serde_json::{Value, json};

const EMAIL: &str = "root@secrets.test";
const PASSWORD: &str = "Bootstrap-Pa55word-never-logged";
const SIP_PASSWORD: &str = "Sip-Secret-never-logged-4d1f";
const API_TOKEN: &str = "Api-Token-never-logged-93ce";
const TEMPORARY: &str = "Temporary-never-logged-7a2b";
const CHOSEN: &str = "Chosen-never-logged-51fe";
const WRONG_BASIC: &str = "Wrong-Basic-never-logged-0c7d";

async fn no_secret_is_logged(store: Store) {
    let envs = [("CANOPY_BOOTSTRAP_EMAIL", EMAIL), ("CANOPY_BOOTSTRAP_PASSWORD", PASSWORD)];
    let server = Server::start_with(store, &["--log", "trace"], &envs).await;
    let client = reqwest::Client::new();

    let login = json!({ "username": EMAIL, "password": PASSWORD });
    let response = client.post(server.url("/api/v01/auth/login")).json(&login).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let token = response.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_owned();

    let base = server.url("/api/v01/draas/default");
    let response =
        client.post(format!("{base}/groups")).bearer_auth(&token).json(&json!({ "name": "G" })).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let group = response.json::<Value>().await.unwrap()["uuid"].as_str().unwrap().to_owned();
    let general = format!("{base}/groups/{group}/configurations/general");

    let properties = json!({ "properties": {
        "draas_sip_password": SIP_PASSWORD, "api_token": API_TOKEN, "draas_group": "Copaco" } });
    let response = client.put(&general).bearer_auth(&token).json(&properties).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    // A refused write (a wrong type beside the secrets) and an upsert of the masks go through the
    // error and merge paths with the secrets in hand.
    let refused = json!({ "properties": { "draas_sip_password": SIP_PASSWORD, "draas_sbc_port": "5061" } });
    let response = client.post(&general).bearer_auth(&token).json(&refused).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let masks = json!({ "properties": { "draas_sip_password": "********", "api_token": "********" } });
    let response = client.post(&general).bearer_auth(&token).json(&masks).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);

    // A temporary password given at creation, then changed by its administrator.
    let admin = json!({ "adminEmail": "newcomer@secrets.test", "temporaryPassword": TEMPORARY });
    let response = client.post(format!("{base}/groups/{group}/admins")).bearer_auth(&token).json(&admin).send().await;
    assert_eq!(response.unwrap().status(), StatusCode::OK);
    let login = json!({ "username": "newcomer@secrets.test", "password": TEMPORARY });
    let response = client.post(server.url("/api/v01/auth/login")).json(&login).send().await.unwrap();
    let temporary_session = response.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_owned();
    let change = json!({ "currentPassword": TEMPORARY, "newPassword": CHOSEN });
    let response = client.post(server.url("/api/v01/auth/password")).bearer_auth(&temporary_session).json(&change);
    assert_eq!(response.send().await.unwrap().status(), StatusCode::NO_CONTENT);

    // HTTP Basic on the sipXconfig face: the password travels with every request.
    let tenant = json!({ "name": "T", "tenantId": "secrets" });
    let response = client.post(format!("{base}/groups/{group}/tenants")).bearer_auth(&token).json(&tenant).send();
    let tenant = response.await.unwrap().json::<Value>().await.unwrap()["uuid"].as_str().unwrap().to_owned();
    let sipx = format!("{base}/tenants/{tenant}/sipxconfig/rest/user-group");
    let created = client.put(&sipx).basic_auth(EMAIL, Some(PASSWORD)).body("<group><name>G</name></group>").send();
    assert_eq!(created.await.unwrap().status(), StatusCode::CREATED);
    let refused = client.get(&sipx).basic_auth(EMAIL, Some(WRONG_BASIC)).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let encode = |password: &str| base64::engine::general_purpose::STANDARD.encode(format!("{EMAIL}:{password}"));
    let (basic, wrong_basic) = (encode(PASSWORD), encode(WRONG_BASIC));

    let response =
        client.get(&general).bearer_auth(&token).header("x-request-id", "secrets-read-back").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let read: Value = response.json().await.unwrap();
    assert_eq!(
        read,
        json!({ "properties": { "draas_sip_password": "********", "api_token": "********", "draas_group": "Copaco" },
                "version": 3 }),
        "masked, at the version of the two writes applied"
    );

    assert!(server.wait_for_log("secrets-read-back").await, "the last request is logged");
    let lines = server.log_lines();
    assert!(lines.iter().any(|line| line.contains("DEBUG")), "debug and trace lines are on: {lines:?}");
    assert!(lines.iter().any(|line| line.contains("configurations/general")), "the configuration requests are logged");
    let secrets = [PASSWORD, token.as_str(), SIP_PASSWORD, API_TOKEN, TEMPORARY, CHOSEN, temporary_session.as_str()];
    for secret in secrets.into_iter().chain([WRONG_BASIC, basic.as_str(), wrong_basic.as_str()]) {
        let leaks: Vec<&String> = lines.iter().filter(|line| line.contains(secret)).collect();
        assert!(leaks.is_empty(), "a log line holds a secret: {leaks:?}");
    }
    server.stop().await;
}

#[tokio::test]
async fn no_secret_is_logged_with_the_memory_store() {
    no_secret_is_logged(Store::Memory).await;
}

#[tokio::test]
async fn no_secret_is_logged_with_postgres() {
    no_secret_is_logged(Store::postgres().await).await;
}
