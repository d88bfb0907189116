//! Authentication over real HTTP: bearer tokens, sessions from login to logout, the printed
//! activation token of the first administrator, secrets kept out of the log, and (PostgreSQL)
//! stateless processes sharing one database.

use crate::server::{ADMIN_EMAIL, ADMIN_PASSWORD, Server, Store, bearer};
use reqwest::StatusCode;
use reqwest::header::WWW_AUTHENTICATE;
use serde_json::{Value, json};
use sqlx::Connection;

const GROUPS: &str = "/api/v01/draas/default/groups";
const ME: &str = "/api/v01/auth/me";
pub(crate) const PRINTED: &str = "canopy: the first system administrator";
const BOOTSTRAPPED: &str = "first system administrator created";

/// Asserts a 401 with the error envelope, its code and its `WWW-Authenticate` challenge.
async fn assert_refused(response: reqwest::Response, code: &str, challenge: &str) {
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers()[WWW_AUTHENTICATE], challenge);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], code, "{body}");
    assert_eq!(body["error"]["domain"], "canopy", "{body}");
    assert_eq!(body["error"]["context"], json!({}), "{body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
}

/// The activation token printed on standard output, from the line announcing the first
/// administrator (one line, with the `curl` command that carries it).
pub(crate) fn printed_token(stdout: &[String]) -> String {
    let start = stdout.iter().position(|line| line.starts_with(PRINTED)).expect("the announcement is printed");
    let text = stdout[start..].join("\n");
    let token = text.split("\"token\": \"").nth(1).and_then(|rest| rest.split('"').next()).expect("a token");
    assert_eq!(token.len(), 43, "256 random bits in base64url: {token}");
    token.to_owned()
}

async fn a_request_without_a_valid_token_is_refused(store: Store) {
    let server = Server::start(store).await;
    let anonymous = reqwest::Client::new();
    assert_refused(anonymous.get(server.url(GROUPS)).send().await.unwrap(), "unauthenticated", "Bearer").await;
    let invalid = "Bearer error=\"invalid_token\"";
    let garbage = bearer("not-a-session-token");
    assert_refused(garbage.get(server.url(GROUPS)).send().await.unwrap(), "invalid_token", invalid).await;
    let basic = anonymous.get(server.url(GROUPS)).header("authorization", "Basic cm9vdDpyb290");
    assert_refused(basic.send().await.unwrap(), "invalid_token", invalid).await;
    // The probes stay public.
    assert_eq!(anonymous.get(server.url("/healthz")).send().await.unwrap().status(), StatusCode::OK);
    server.stop().await;
}

async fn a_session_lasts_from_login_to_logout(store: Store) {
    let server = Server::start(store).await;
    let token = server.login().await;
    let client = bearer(&token);
    let me: Value = client.get(server.url(ME)).send().await.unwrap().json().await.unwrap();
    assert_eq!((&me["adminEmail"], &me["profile"]), (&json!(ADMIN_EMAIL), &json!("system_admin")), "{me}");
    assert_eq!((&me["instance"], &me["active"]), (&json!("default"), &json!(true)), "{me}");
    assert_eq!(client.get(server.url(GROUPS)).send().await.unwrap().status(), StatusCode::OK);

    let logout = client.post(server.url("/api/v01/auth/logout")).send().await.unwrap();
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    let invalid = "Bearer error=\"invalid_token\"";
    assert_refused(client.get(server.url(ME)).send().await.unwrap(), "invalid_token", invalid).await;
    assert_refused(client.get(server.url(GROUPS)).send().await.unwrap(), "invalid_token", invalid).await;
    server.stop().await;
}

async fn the_printed_activation_token_sets_the_first_password_once(store: Store) {
    let server = Server::start_without_password(store, &["--log", "trace"]).await;
    server.wait_for_stdout(PRINTED).await.expect("the activation token is printed");
    let token = printed_token(&server.stdout_lines());
    let anonymous = reqwest::Client::new();
    let login = json!({ "username": ADMIN_EMAIL, "password": ADMIN_PASSWORD });
    let refused = anonymous.post(server.url("/api/v01/auth/login")).json(&login).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED, "no password before the activation");

    let activate = json!({ "token": token, "password": ADMIN_PASSWORD });
    let url = server.url("/api/v01/auth/activate");
    assert_eq!(anonymous.post(&url).json(&activate).send().await.unwrap().status(), StatusCode::NO_CONTENT);
    let client = server.client().await;
    assert_eq!(client.get(server.url(GROUPS)).send().await.unwrap().status(), StatusCode::OK);

    let again = json!({ "token": token, "password": "Another-passphrase-0815" });
    let response = anonymous.post(&url).json(&again).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(response.json::<Value>().await.unwrap()["error"]["code"], "invalid_one_time_token");
    assert!(server.wait_for_log("/auth/activate").await);
    let lines = server.log_lines();
    assert!(lines.iter().all(|line| !line.contains(&token) && !line.contains(ADMIN_PASSWORD)), "{lines:#?}");
    server.stop().await;
}

/// At the most verbose level, neither a password (right or wrong) nor a session token reaches
/// a log line, through login, group creation with its first administrator, and logout.
async fn neither_passwords_nor_tokens_are_ever_logged(store: Store) {
    let server = Server::start_with(store, &["--log", "trace"], &[]).await;
    let wrong = "Wrong-passphrase-0815";
    let anonymous = reqwest::Client::new();
    let login = json!({ "username": ADMIN_EMAIL, "password": wrong });
    let refused = anonymous.post(server.url("/api/v01/auth/login")).json(&login).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let token = server.login().await;
    let client = bearer(&token);
    let group = json!({ "name": "Logged", "adminEmail": "first.admin@logged.test" });
    assert_eq!(client.post(server.url(GROUPS)).json(&group).send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(client.get(server.url(ME)).send().await.unwrap().status(), StatusCode::OK);
    let logout = client.post(server.url("/api/v01/auth/logout")).send().await.unwrap();
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    assert!(server.wait_for_log("/auth/logout").await);
    let lines = server.log_lines();
    assert!(lines.len() > 5, "trace logging is on");
    for secret in [ADMIN_PASSWORD, wrong, token.as_str()] {
        assert!(lines.iter().all(|line| !line.contains(secret)), "a log line holds {secret}: {lines:#?}");
    }
    server.stop().await;
}

/// Two processes started at once on an empty database: exactly one creates (and prints) the
/// first administrator; its token activates it through the other; both then accept the login.
async fn two_processes_started_at_once_bootstrap_one_administrator() {
    let Store::Postgres(url) = Store::postgres().await else { unreachable!() };
    let start = || Server::start_without_password(Store::Postgres(url.clone()), &[]);
    let (a, b) = tokio::join!(start(), start());
    let a_printed = tokio::select! {
        Some(_) = a.wait_for_stdout(PRINTED) => true,
        Some(_) = b.wait_for_stdout(PRINTED) => false,
        else => panic!("neither process printed the first administrator"),
    };
    let (printer, silent) = if a_printed { (a, b) } else { (b, a) };
    let token = printed_token(&printer.stdout_lines());
    let activate = json!({ "token": token, "password": ADMIN_PASSWORD });
    let activated = reqwest::Client::new().post(silent.url("/api/v01/auth/activate")).json(&activate).send().await;
    assert_eq!(activated.unwrap().status(), StatusCode::NO_CONTENT);
    for server in [&printer, &silent] {
        assert_eq!(server.client().await.get(server.url(ME)).send().await.unwrap().status(), StatusCode::OK);
    }
    let logged =
        [&printer, &silent].map(|server| server.log_lines().iter().filter(|l| l.contains(BOOTSTRAPPED)).count());
    assert_eq!(logged, [1, 0], "only the printing process created the administrator");

    let mut db = sqlx::PgConnection::connect(&url).await.unwrap();
    let admins: i64 = sqlx::query_scalar("SELECT count(*) FROM admins").fetch_one(&mut db).await.unwrap();
    assert_eq!(admins, 1, "one system administrator in the database");
    let (printed, silent) = (printer.stdout_at_exit().await, silent.stdout_at_exit().await);
    assert!(printed.0.success() && silent.0.success());
    assert_eq!(printed.1.iter().filter(|line| line.starts_with(PRINTED)).count(), 1, "{:?}", printed.1);
    assert!(silent.1.is_empty(), "the second process prints nothing: {:?}", silent.1);
}

/// Processes on one database keep no session state of their own, as behind a load balancer: a
/// session opened on one is honoured by the other, and a logout on one is seen by the other.
async fn processes_on_one_database_share_their_sessions() {
    let Store::Postgres(url) = Store::postgres().await else { unreachable!() };
    let start = || Server::start(Store::Postgres(url.clone()));
    let (a, b) = tokio::join!(start(), start());
    let logged = [&a, &b].map(|server| server.log_lines().iter().filter(|l| l.contains(BOOTSTRAPPED)).count());
    assert_eq!(logged.iter().sum::<usize>(), 1, "exactly one process created the administrator: {logged:?}");

    let token = a.login().await;
    let client = bearer(&token);
    let me: Value = client.get(b.url(ME)).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["adminEmail"], ADMIN_EMAIL, "{me}");
    let created = client.post(a.url(GROUPS)).json(&json!({ "name": "Shared" })).send().await.unwrap();
    let uuid = created.json::<Value>().await.unwrap()["uuid"].as_str().unwrap().to_owned();
    let read = client.get(b.url(&format!("{GROUPS}/{uuid}"))).send().await.unwrap();
    assert_eq!(read.status(), StatusCode::OK);
    let other = b.client().await;
    assert_eq!(other.get(a.url(ME)).send().await.unwrap().status(), StatusCode::OK, "both accept the login");

    let logout = client.post(b.url("/api/v01/auth/logout")).send().await.unwrap();
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    let invalid = "Bearer error=\"invalid_token\"";
    assert_refused(client.get(a.url(ME)).send().await.unwrap(), "invalid_token", invalid).await;
    assert_refused(client.get(b.url(GROUPS)).send().await.unwrap(), "invalid_token", invalid).await;
    assert_eq!(other.get(a.url(ME)).send().await.unwrap().status(), StatusCode::OK, "other sessions stay open");
    a.stop().await;
    b.stop().await;
}

/// Each case runs once per store (`auth::memory::…`, `auth::postgres::…`); the cases about
/// several processes on one database run on PostgreSQL only.
macro_rules! on_each_store {
    ($($case:ident),* $(,)?) => {
        mod memory {
            $(#[tokio::test] async fn $case() { super::$case(super::Store::Memory).await })*
        }
        mod postgres {
            $(#[tokio::test] async fn $case() { super::$case(super::Store::postgres().await).await })*

            #[tokio::test]
            async fn two_processes_started_at_once_bootstrap_one_administrator() {
                super::two_processes_started_at_once_bootstrap_one_administrator().await
            }

            #[tokio::test]
            async fn processes_on_one_database_share_their_sessions() {
                super::processes_on_one_database_share_their_sessions().await
            }
        }
    };
}

on_each_store!(
    a_request_without_a_valid_token_is_refused,
    a_session_lasts_from_login_to_logout,
    the_printed_activation_token_sets_the_first_password_once,
    neither_passwords_nor_tokens_are_ever_logged,
);
