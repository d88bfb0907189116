//! Secrets never reach a log line, even at `--log trace` (issue 6): the bootstrap password, the
//! bearer token of a login, the secret properties of a configuration, and a temporary password
//! given to a new administrator and then changed (issue 21), the password of HTTP Basic on the
//! sipXconfig face, right or wrong, in the clear or encoded (issue 16), authorization codes in
//! bodies and paths (issue 15), and on the portal face the session cookie of its login, a link's
//! `?token=`, the passwords of its actions (issue 18), a brand's SMTP password, on both stores.

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
const PORTAL_NEW: &str = "Portal-New-never-logged-6e1a";
const PORTAL_RESET: &str = "Portal-Reset-never-logged-28bd";
const SMTP_PASSWORD: &str = "Smtp-Password-never-logged-9f3c";
/// Authorization codes: digits that unlock toll calls.
const AUTH_CODE: &str = "31415926535897";
const OTHER_CODE: &str = "27182818284590";

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

    // The portal face: a login's cookie used, a password changed, a link's token in a query string.
    let portal = format!("{base}/portal/api/1");
    let login = json!({ "username": "newcomer@secrets.test", "password": CHOSEN });
    let response = client.post(format!("{portal}/login")).json(&login).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let set_cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let cookie_token = cookie.trim_start_matches("SESSION=").to_owned();
    let profile = client.get(format!("{portal}/profile")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(profile.status(), StatusCode::OK);
    let change = json!({ "current_password": CHOSEN, "new_password": PORTAL_NEW });
    let changed = client.post(format!("{portal}/actions/change_password")).header("cookie", &cookie).json(&change);
    assert_eq!(changed.send().await.unwrap().status(), StatusCode::OK);
    let link = "Link-Token-never-logged-aaaaaaaaaaaaaaaaaaaaa";
    let redeem = client.post(format!("{portal}/actions/reset?token={link}")).json(&json!({ "password": PORTAL_RESET }));
    assert_eq!(redeem.send().await.unwrap().status(), StatusCode::BAD_REQUEST);
    let shown = client.get(format!("{portal}/actions/activate?token={link}")).send().await.unwrap();
    assert_eq!(shown.status(), StatusCode::BAD_REQUEST);

    // A brand's SMTP password (issue 17), sent, refused beside a bad field, kept by its mask.
    let brand = format!("{portal}/groups/{group}/brand");
    for (body, status) in [
        (json!({ "smtp_password": SMTP_PASSWORD, "company_name": "Secrets" }), StatusCode::OK),
        (json!({ "smtp_password": SMTP_PASSWORD, "smtp_port": 0 }), StatusCode::BAD_REQUEST),
        (json!({ "smtp_password": "**********" }), StatusCode::OK),
    ] {
        let sent = client.post(&brand).bearer_auth(&token).json(&body).send().await.unwrap();
        assert_eq!(sent.status(), status, "{body}");
    }
    let read: Value = client.get(&brand).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(read["smtp_password"], "**********", "masked on read");

    // Authorization codes (the APIO face), in bodies and in item paths, refused and applied.
    codes_in_bodies_and_paths(&server, &client, &token, &format!("{base}/groups/{group}/tenants")).await;

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
    assert!(lines.iter().any(|line| line.contains("codes/{code}/")), "a code's path is logged as its template");
    let secrets = [PASSWORD, token.as_str(), SIP_PASSWORD, API_TOKEN, TEMPORARY, CHOSEN, temporary_session.as_str()];
    let codes = [AUTH_CODE, OTHER_CODE];
    let portal_secrets = [cookie_token.as_str(), PORTAL_NEW, PORTAL_RESET, link, SMTP_PASSWORD];
    let basics = [WRONG_BASIC, basic.as_str(), wrong_basic.as_str()];
    for secret in secrets.into_iter().chain(basics).chain(codes).chain(portal_secrets) {
        let leaks: Vec<&String> = lines.iter().filter(|line| line.contains(secret)).collect();
        assert!(leaks.is_empty(), "a log line holds a secret: {leaks:?}");
    }
    server.stop().await;
}

/// A tenant (`tenantId` `codes`) of the group whose tenants are at `tenants`, a site group and a
/// user through the APIO face's bare mount, and the user's codes added (as a list, one, refused),
/// read and removed by item paths (a method the path does not take too) and as a list.
async fn codes_in_bodies_and_paths(server: &Server, client: &reqwest::Client, token: &str, tenants: &str) {
    let apio = server.url("/api/v1");
    let response = client.post(tenants).bearer_auth(token).json(&json!({ "name": "Codes", "tenantId": "codes" }));
    assert_eq!(response.send().await.unwrap().status(), StatusCode::OK);
    let site = json!({ "groupId": "g", "userLimit": 2 });
    let response = client.post(format!("{apio}/tenants/codes/groups/")).bearer_auth(token).json(&site).send().await;
    assert_eq!(response.unwrap().status(), StatusCode::CREATED);
    let user = json!({ "userId": "u", "firstName": "U", "lastName": "U" });
    let users = format!("{apio}/tenants/codes/groups/g/users/");
    assert_eq!(client.post(&users).bearer_auth(token).json(&user).send().await.unwrap().status(), StatusCode::CREATED);
    let codes = format!("{users}u/services/outgoing_call_barring/codes/");
    for body in
        [json!({ "authCodes": [{ "code": AUTH_CODE }] }), json!({ "code": AUTH_CODE }), json!({ "code": OTHER_CODE })]
    {
        client.post(&codes).bearer_auth(token).json(&body).send().await.unwrap();
    }
    for method in [reqwest::Method::GET, reqwest::Method::PUT, reqwest::Method::DELETE] {
        client.request(method, format!("{codes}{AUTH_CODE}/")).bearer_auth(token).send().await.unwrap();
    }
    let gone = json!({ "authCodes": [{ "code": OTHER_CODE }] });
    let response = client.delete(&codes).bearer_auth(token).json(&gone).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn no_secret_is_logged_with_the_memory_store() {
    no_secret_is_logged(Store::Memory).await;
}

#[tokio::test]
async fn no_secret_is_logged_with_postgres() {
    no_secret_is_logged(Store::postgres().await).await;
}
