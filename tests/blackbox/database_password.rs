//! The database password from CANOPY_DATABASE_PASSWORD or a password file (issue 21, item 7),
//! against a role the test cluster asks a password of: `cargo xtask` writes a `pg_hba.conf` that
//! demands one (scram-sha-256) from the members of `canopy_password_login`.

use crate::server::{Server, Store, run_to_exit};
use reqwest::StatusCode;
use serde_json::json;
use sqlx::Connection;
use uuid::Uuid;

/// A role of its own, owning a fresh database, whose password the cluster demands: the URL
/// without a password, and the password.
async fn password_role() -> (String, String) {
    let url = canopy_contract::testing::fresh_database().await;
    let mut admin = sqlx::PgConnection::connect(&url).await.unwrap();
    // Idempotent, and safe when tests run concurrently.
    sqlx::query(
        "DO $$ BEGIN CREATE ROLE canopy_password_login NOLOGIN; \
         EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$",
    )
    .execute(&mut admin)
    .await
    .unwrap();
    let database: String = sqlx::query_scalar("SELECT current_database()").fetch_one(&mut admin).await.unwrap();
    let hex = Uuid::new_v4().simple().to_string();
    let (role, password) = (format!("canopy_pw_{}", &hex[..12]), format!("Db-Pa55-{}", &hex[12..]));
    // Names and password are made here of hex digits, never from outside input.
    for statement in [
        format!("CREATE ROLE {role} LOGIN PASSWORD '{password}' IN ROLE canopy_password_login"),
        format!("ALTER DATABASE {database} OWNER TO {role}"),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(statement)).execute(&mut admin).await.unwrap();
    }
    let role_url = url.replacen("postgres://canopy@", &format!("postgres://{role}@"), 1);
    assert_ne!(role_url, url, "DATABASE_URL has the test cluster's shape: {url}");
    let refused = sqlx::PgConnection::connect(&role_url).await.err().map(|err| err.to_string()).unwrap_or_default();
    assert!(
        refused.contains("password"),
        "the cluster must demand this role's password (cargo xtask writes its pg_hba.conf), got: {refused:?}"
    );
    (role_url, password)
}

/// Serves with the password from `envs`, creates a group, and checks that no log line holds it.
async fn serves_with_the_password(url: String, password: &str, envs: &[(&str, &str)], source: &str) {
    let server = Server::start_with(Store::Postgres(url), &["--log", "trace"], envs).await;
    let client = server.client().await;
    let created = client.post(server.url("/api/v01/draas/default/groups")).json(&json!({ "name": "Passworded" }));
    assert_eq!(created.send().await.unwrap().status(), StatusCode::OK, "the store answers");
    let lines = server.log_lines();
    let connected = lines.iter().find(|line| line.contains("connected to PostgreSQL")).expect("a start-up line");
    assert!(connected.contains(&format!("password={source}")), "names the source: {connected}");
    let leaks: Vec<&String> = lines.iter().filter(|line| line.contains(password)).collect();
    assert!(leaks.is_empty(), "a log line holds the database password: {leaks:?}");
    server.stop().await;
}

#[tokio::test]
async fn the_password_comes_from_the_environment() {
    let (url, password) = password_role().await;
    let envs = [("CANOPY_DATABASE_PASSWORD", password.as_str())];
    serves_with_the_password(url, &password, &envs, "CANOPY_DATABASE_PASSWORD").await;
}

/// The container-secret convention: a file, with the line end `echo` leaves, that replaces a
/// (wrong) password in the URL; `canopy migrate` reads it too.
#[tokio::test]
async fn the_password_comes_from_a_file_and_replaces_the_urls() {
    let (url, password) = password_role().await;
    let path = std::env::temp_dir().join(format!("canopy-db-password-{}", Uuid::new_v4().simple()));
    std::fs::write(&path, format!("{password}\n")).unwrap();
    let file = path.to_str().unwrap();
    let with_wrong = url.replacen("@127.0.0.1", ":wrong-password@127.0.0.1", 1);
    let (status, stderr) =
        run_to_exit(&["migrate"], &[("DATABASE_URL", &with_wrong), ("CANOPY_DATABASE_PASSWORD_FILE", file)]).await;
    assert!(status.success(), "{stderr}");
    assert!(!stderr.contains(&password), "{stderr}");
    let envs = [("CANOPY_DATABASE_PASSWORD_FILE", file)];
    serves_with_the_password(with_wrong, &password, &envs, &format!("file {file}")).await;
    std::fs::remove_file(&path).unwrap();
}

#[tokio::test]
async fn a_wrong_conflicting_or_unreadable_password_fails_at_start_without_showing_it() {
    let (url, password) = password_role().await;
    let path = std::env::temp_dir().join(format!("canopy-db-password-{}", Uuid::new_v4().simple()));
    std::fs::write(&path, &password).unwrap();
    let file = path.to_str().unwrap();
    let missing = "/nonexistent/canopy-db-password";
    let cases: [(&[(&str, &str)], &str); 3] = [
        (&[("CANOPY_DATABASE_PASSWORD", "Wrong-Pa55word-4d1f")], "password authentication failed"),
        (
            &[("CANOPY_DATABASE_PASSWORD", &password), ("CANOPY_DATABASE_PASSWORD_FILE", file)],
            "both CANOPY_DATABASE_PASSWORD and a database password file",
        ),
        (&[("CANOPY_DATABASE_PASSWORD_FILE", missing)], "cannot read the database password file /nonexistent"),
    ];
    for (envs, reason) in cases {
        let mut envs = envs.to_vec();
        envs.push(("DATABASE_URL", &url));
        let (status, stderr) = run_to_exit(&["serve", "--bind", "127.0.0.1:0"], &envs).await;
        assert!(!status.success(), "{stderr}");
        assert!(stderr.contains(reason), "expected {reason:?}: {stderr}");
        assert!(!stderr.contains(&password) && !stderr.contains("Wrong-Pa55word"), "{stderr}");
    }
    std::fs::remove_file(&path).unwrap();
}
