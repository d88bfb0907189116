//! The security review over the real binary (issue 8): PostgreSQL holds only the SHA-256 of
//! session and one-time tokens and only the argon2id hash of a password, never their text; a
//! burst of concurrent wrong passwords locks the account on both stores; and (issue 21) an
//! address without an account locks exactly as one with, across processes too.

use crate::auth::{PRINTED, printed_token};
use crate::server::{ADMIN_EMAIL, ADMIN_PASSWORD, Server, Store};
use reqwest::StatusCode;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::{AssertSqlSafe, Connection, PgConnection};

fn sha256(text: &str) -> Vec<u8> {
    Sha256::digest(text.as_bytes()).to_vec()
}

/// The tables holding `secret`, as text or as the bytes of its text, in any column.
async fn tables_holding(db: &mut PgConnection, secret: &str) -> Vec<String> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    )
    .fetch_all(&mut *db)
    .await
    .unwrap();
    assert!(tables.iter().any(|t| t == "sessions"), "the schema is there: {tables:?}");
    let mut holding = vec![];
    for table in tables {
        // A row as text shows bytea columns in hex: look for the secret and for its hex bytes. The
        // table names come from the catalogue, not from a client.
        let query = format!(
            "SELECT count(*) FROM \"{table}\" AS r
             WHERE strpos(r::text, $1) > 0 OR strpos(r::text, encode(convert_to($1, 'UTF8'), 'hex')) > 0"
        );
        let count: i64 = sqlx::query_scalar(AssertSqlSafe(query)).bind(secret).fetch_one(&mut *db).await.unwrap();
        if count > 0 {
            holding.push(table);
        }
    }
    holding
}

async fn column(db: &mut PgConnection, query: &'static str) -> Vec<Vec<u8>> {
    let mut hashes: Vec<Vec<u8>> = sqlx::query_scalar(query).fetch_all(&mut *db).await.unwrap();
    hashes.sort();
    hashes
}

#[tokio::test]
async fn postgres_holds_hashes_of_tokens_and_passwords_never_their_text() {
    let Store::Postgres(url) = Store::postgres().await else { unreachable!() };
    let server = Server::start_without_password(Store::Postgres(url.clone()), &[]).await;
    server.wait_for_stdout(PRINTED).await.expect("the activation token is printed");
    let activation = printed_token(&server.stdout_lines());
    let mut db = PgConnection::connect(&url).await.unwrap();

    // The one-time token: its SHA-256 (32 bytes) only.
    let stored = column(&mut db, "SELECT token_hash FROM one_time_tokens").await;
    assert_eq!(stored, vec![sha256(&activation)]);
    assert_eq!(stored[0].len(), 32);
    assert_eq!(tables_holding(&mut db, &activation).await, Vec::<String>::new());

    let anonymous = reqwest::Client::new();
    let activate = json!({ "token": activation, "password": ADMIN_PASSWORD });
    let response = anonymous.post(server.url("/api/v01/auth/activate")).json(&activate).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);

    // The password: an argon2id PHC string, never the password.
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM admins WHERE email = $1")
        .bind(ADMIN_EMAIL)
        .fetch_one(&mut db)
        .await
        .unwrap();
    assert!(hash.starts_with("$argon2id$v=19$m="), "{hash}");
    assert_eq!(hash.split('$').count(), 6, "a PHC string with its salt and hash: {hash}");
    assert_eq!(tables_holding(&mut db, ADMIN_PASSWORD).await, Vec::<String>::new());

    // Session tokens: their SHA-256 only.
    let mut tokens = vec![];
    for _ in 0..3 {
        tokens.push(server.login().await);
    }
    let mut expected: Vec<Vec<u8>> = tokens.iter().map(|t| sha256(t)).collect();
    expected.sort();
    assert_eq!(column(&mut db, "SELECT token_hash FROM sessions").await, expected);
    for token in &tokens {
        assert_eq!(token.len(), 43, "{token}");
        assert_eq!(tables_holding(&mut db, token).await, Vec::<String>::new(), "{token}");
    }
    // The probe finds what is there: the e-mail is stored in the clear.
    assert!(tables_holding(&mut db, ADMIN_EMAIL).await.contains(&"admins".to_owned()));
    server.stop().await;
}

/// Twenty wrong passwords at once: each is counted, so the account ends locked and the right
/// password is then refused with a `Retry-After`.
async fn concurrent_wrong_passwords_lock_the_account(store: Store) {
    let server = Server::start(store).await;
    let client = reqwest::Client::new();
    let url = server.url("/api/v01/auth/login");
    let attempt = |password: &'static str| {
        let request = client.post(&url).json(&json!({ "username": ADMIN_EMAIL, "password": password }));
        async move { request.send().await.unwrap() }
    };
    let burst = futures::future::join_all((0..20).map(|_| attempt("Wrong-passphrase-0815"))).await;
    let statuses: Vec<StatusCode> = burst.iter().map(|r| r.status()).collect();
    let refused = statuses.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    let locked = statuses.iter().filter(|s| **s == StatusCode::LOCKED).count();
    assert_eq!(refused + locked, 20, "{statuses:?}");
    assert!(refused <= 5, "more than the free failures answered 401: {statuses:?}");
    let after = attempt(ADMIN_PASSWORD).await;
    assert_eq!(after.status(), StatusCode::LOCKED);
    let retry: u64 = after.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((30..=15 * 60).contains(&retry), "{retry}");
    server.stop().await;
}

#[tokio::test]
async fn concurrent_wrong_passwords_lock_the_account_with_the_memory_store() {
    concurrent_wrong_passwords_lock_the_account(Store::Memory).await;
}

#[tokio::test]
async fn concurrent_wrong_passwords_lock_the_account_with_postgres() {
    concurrent_wrong_passwords_lock_the_account(Store::postgres().await).await;
}

/// Six wrong passwords: 401 five times, then 423 and its `Retry-After`, as a client sees them.
async fn six_wrong_logins(server: &Server, email: &str) -> Vec<(StatusCode, Option<String>, String)> {
    let client = reqwest::Client::new();
    let mut answers = vec![];
    for _ in 0..6 {
        let login = json!({ "username": email, "password": "Wrong-passphrase-0815" });
        let response = client.post(server.url("/api/v01/auth/login")).json(&login).send().await.unwrap();
        let retry_after = response.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
        let status = response.status();
        let body: serde_json::Value = response.json().await.unwrap();
        answers.push((status, retry_after, body["error"]["code"].as_str().unwrap().to_owned()));
    }
    answers
}

/// An address with an account and one without answer six wrong passwords alike: the lock and
/// its `Retry-After` no longer tell which addresses have an account.
async fn an_unknown_address_locks_exactly_as_an_account(store: Store) {
    let server = Server::start(store).await;
    let known = six_wrong_logins(&server, ADMIN_EMAIL).await;
    let unknown = six_wrong_logins(&server, "nobody@blackbox.test").await;
    let refused = (StatusCode::UNAUTHORIZED, None, "invalid_credentials".to_owned());
    let locked = (StatusCode::LOCKED, Some("30".to_owned()), "account_locked".to_owned());
    let expected = [vec![refused; 5], vec![locked]].concat();
    assert_eq!(known, expected, "an address with an account");
    assert_eq!(unknown, expected, "an address without one");
    server.stop().await;
}

#[tokio::test]
async fn an_unknown_address_locks_exactly_as_an_account_with_the_memory_store() {
    an_unknown_address_locks_exactly_as_an_account(Store::Memory).await;
}

#[tokio::test]
async fn an_unknown_address_locks_exactly_as_an_account_with_postgres() {
    an_unknown_address_locks_exactly_as_an_account(Store::postgres().await).await;
}

/// Behind a load balancer the failures of an address without an account are counted in the
/// database, as an account's are: spread over two processes, the sixth still locks it. The
/// database holds a keyed digest of the address, never the address.
#[tokio::test]
async fn failures_of_an_unknown_address_count_across_processes() {
    let Store::Postgres(url) = Store::postgres().await else { unreachable!() };
    let start = || Server::start(Store::Postgres(url.clone()));
    let (a, b) = tokio::join!(start(), start());
    let client = reqwest::Client::new();
    let login = json!({ "username": "nobody@blackbox.test", "password": "Wrong-passphrase-0815" });
    let mut statuses = vec![];
    for server in [&a, &b, &a, &b, &a, &b, &a] {
        let response = client.post(server.url("/api/v01/auth/login")).json(&login).send().await.unwrap();
        statuses.push(response.status());
    }
    let [refused, locked] = [StatusCode::UNAUTHORIZED, StatusCode::LOCKED];
    assert_eq!(statuses, [refused, refused, refused, refused, refused, locked, locked]);
    let mut db = PgConnection::connect(&url).await.unwrap();
    let rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM unknown_address_failures").fetch_one(&mut db).await.unwrap();
    assert_eq!(rows, 1, "one entry, under a keyed digest");
    assert_eq!(tables_holding(&mut db, "nobody@blackbox.test").await, Vec::<String>::new(), "never the address");
    a.stop().await;
    b.stop().await;
}
