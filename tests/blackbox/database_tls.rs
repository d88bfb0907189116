//! TLS to PostgreSQL (issue 22), against the test cluster: it runs with `ssl=on` and a
//! certificate made at start for `localhost` only, by a CA of its own whose certificate
//! `cargo xtask test` (and `cargo xtask pg`) name in CANOPY_TEST_PG_CA.

use crate::server::{Server, Store, run_to_exit};
use reqwest::StatusCode;
use serde_json::json;
use sqlx::Connection;

/// The test cluster's CA certificate. Like DATABASE_URL, never skipped when missing.
fn cluster_ca() -> String {
    std::env::var("CANOPY_TEST_PG_CA").unwrap_or_else(|_| {
        panic!(
            "CANOPY_TEST_PG_CA is not set: the TLS tests never skip. Run `cargo xtask test`, or export both lines \
             `cargo xtask pg` prints."
        )
    })
}

/// `url` (on the test cluster, `127.0.0.1`, in plain text) reached through `host`, its `sslmode`
/// replaced by `params` (none: the default).
fn tls_url(url: &str, host: &str, params: &str) -> String {
    let moved = url.replacen("@127.0.0.1:", &format!("@{host}:"), 1);
    assert!(moved.contains(&format!("@{host}:")), "DATABASE_URL names the test cluster on 127.0.0.1: {url}");
    let (base, query) = moved.split_once('?').unwrap_or((&moved, ""));
    let kept = query.split('&').filter(|pair| !pair.is_empty() && !pair.starts_with("sslmode="));
    let query: Vec<&str> = kept.chain(Some(params).filter(|p| !p.is_empty())).collect();
    if query.is_empty() { base.to_owned() } else { format!("{base}?{}", query.join("&")) }
}

/// Checks that Canopy has sessions on the database of `url` and that PostgreSQL sees each of
/// them encrypted, or each of them not.
async fn assert_canopy_sessions_encrypted(url: &str, encrypted: bool) {
    let mut admin = sqlx::PgConnection::connect(url).await.unwrap();
    let sessions: Vec<bool> = sqlx::query_scalar(
        "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a ON a.pid = s.pid \
         WHERE a.datname = current_database() AND a.application_name = 'canopy'",
    )
    .fetch_all(&mut admin)
    .await
    .unwrap();
    assert!(!sessions.is_empty() && sessions.iter().all(|ssl| *ssl == encrypted), "pg_stat_ssl: {sessions:?}");
}

/// The start-up line says how Canopy connected.
fn connected_line(lines: &[String]) -> String {
    lines.iter().find(|line| line.contains("connected to PostgreSQL")).cloned().unwrap_or_else(|| panic!("{lines:?}"))
}

#[tokio::test]
async fn verify_full_with_the_ca_file_serves_over_tls() {
    let url = canopy_contract::testing::fresh_database().await;
    let verified = tls_url(&url, "localhost", "sslmode=verify-full");
    let ca = cluster_ca();
    let server = Server::start_with(Store::Postgres(verified), &["--database-ca-file", &ca], &[]).await;
    let client = server.client().await;
    let created = client.post(server.url("/api/v01/draas/default/groups")).json(&json!({ "name": "Over TLS" }));
    assert_eq!(created.send().await.unwrap().status(), StatusCode::OK, "the store answers over TLS");
    assert_canopy_sessions_encrypted(&url, true).await;
    let line = connected_line(&server.log_lines());
    assert!(line.contains("sslmode=verify-full") && line.contains("encrypted=true"), "{line}");
    assert!(line.contains("host=localhost") && line.contains(&ca), "{line}");
    server.stop().await;
}

/// `prefer`, the default, encrypts when the server offers TLS; `disable` never does: the
/// `pg_stat_ssl` check above tells them apart.
#[tokio::test]
async fn prefer_is_the_default_and_disable_stays_plain() {
    for (params, mode, encrypted) in [("", "prefer", true), ("sslmode=disable", "disable", false)] {
        let url = canopy_contract::testing::fresh_database().await;
        let server = Server::start(Store::Postgres(tls_url(&url, "127.0.0.1", params))).await;
        server.client().await;
        assert_canopy_sessions_encrypted(&url, encrypted).await;
        let line = connected_line(&server.log_lines());
        assert!(line.contains(&format!("sslmode={mode} encrypted={encrypted}")), "{line}");
        server.stop().await;
    }
}

#[tokio::test]
async fn verify_full_refuses_a_certificate_for_another_host() {
    let url = canopy_contract::testing::fresh_database().await;
    // The certificate names `localhost` only.
    let wrong_host = tls_url(&url, "127.0.0.1", "sslmode=verify-full");
    let ca = cluster_ca();
    let (status, stderr) =
        run_to_exit(&["serve", "--bind", "127.0.0.1:0", "--database-ca-file", &ca], &[("DATABASE_URL", &wrong_host)])
            .await;
    assert!(!status.success(), "{stderr}");
    assert!(stderr.contains("cannot connect to PostgreSQL at 127.0.0.1:"), "names the target: {stderr}");
    assert!(stderr.contains("sslmode=verify-full"), "names the mode: {stderr}");
    assert!(stderr.contains("certificate not valid for name \"127.0.0.1\""), "says why: {stderr}");
    assert!(!stderr.contains("canopy listening"));

    // verify-ca checks the CA only, not the name: the same URL connects.
    let any_host = tls_url(&url, "127.0.0.1", "sslmode=verify-ca");
    let server = Server::start_with(Store::Postgres(any_host), &["--database-ca-file", &ca], &[]).await;
    assert!(connected_line(&server.log_lines()).contains("sslmode=verify-ca"));
    server.stop().await;
}

#[tokio::test]
async fn an_unknown_ca_fails_verify_full_and_goes_unchecked_with_require() {
    let url = canopy_contract::testing::fresh_database().await;
    let verified = tls_url(&url, "localhost", "sslmode=verify-full");
    // Another CA than the one that signed the server's certificate.
    let stranger = rcgen::generate_simple_self_signed(["localhost".to_owned()]).unwrap();
    let path = std::env::temp_dir().join(format!("canopy-unknown-ca-{}.pem", std::process::id()));
    std::fs::write(&path, stranger.cert.pem()).unwrap();
    let other_ca = path.to_str().unwrap();
    for (what, args) in [
        ("another CA", vec!["serve", "--bind", "127.0.0.1:0", "--database-ca-file", other_ca]),
        ("the public roots only", vec!["serve", "--bind", "127.0.0.1:0"]),
    ] {
        let (status, stderr) = run_to_exit(&args, &[("DATABASE_URL", &verified)]).await;
        assert!(!status.success(), "{what}: {stderr}");
        assert!(stderr.contains("cannot connect to PostgreSQL at localhost:"), "{what}: {stderr}");
        assert!(stderr.contains("invalid peer certificate: UnknownIssuer"), "{what}: {stderr}");
    }
    // `require` checks nothing, even with a CA file (libpq would check it): as documented, it
    // connects, and Canopy warns that the file is unused.
    let required = tls_url(&url, "localhost", "sslmode=require");
    let server = Server::start_with(Store::Postgres(required), &["--database-ca-file", other_ca], &[]).await;
    assert!(connected_line(&server.log_lines()).contains("sslmode=require"));
    assert!(server.log_contains("does not check the server's certificate").await);
    server.stop().await;
    std::fs::remove_file(&path).unwrap();
}

#[tokio::test]
async fn migrate_works_over_tls() {
    let url = canopy_contract::testing::fresh_database().await;
    // The CA from the URL's own `sslrootcert`, as libpq takes it.
    let verified = tls_url(&url, "localhost", &format!("sslmode=verify-full&sslrootcert={}", cluster_ca()));
    let (status, stderr) = run_to_exit(&["migrate"], &[("DATABASE_URL", &verified)]).await;
    assert!(status.success(), "{stderr}");
    assert!(stderr.contains("sslmode=verify-full") && stderr.contains("encrypted=true"), "{stderr}");
    assert!(stderr.contains("migrations applied"), "{stderr}");
    let mut admin = sqlx::PgConnection::connect(&url).await.unwrap();
    let applied: i64 =
        sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE success").fetch_one(&mut admin).await.unwrap();
    assert_eq!(applied as usize, canopy_storage::postgres::MIGRATOR.iter().count());
}
