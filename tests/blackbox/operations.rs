//! Operating the binary: request ids in the log, readiness, and draining on SIGTERM.

use crate::server::{Server, Store};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::Connection;
use std::time::Duration;
use tokio::time::Instant;

#[tokio::test]
async fn a_request_id_is_echoed_and_on_the_requests_log_line() {
    let server = Server::start(Store::Memory).await;
    let response = server
        .client()
        .await
        .get(server.url("/api/v01/draas/default/groups"))
        .header("x-request-id", "trace-me-7f3a")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "trace-me-7f3a");
    assert!(server.wait_for_log("trace-me-7f3a").await, "the request's log line carries its id");
    assert_eq!(reqwest::get(server.url("/readyz")).await.unwrap().status(), StatusCode::OK);
    server.stop().await;
}

#[tokio::test]
async fn json_logs_are_one_object_per_line_with_the_request_id() {
    let server = Server::start_with(Store::Memory, &["--log-format", "json"], &[]).await;
    let client = server.client().await;
    let url = server.url("/api/v01/draas/default/groups");
    client.get(url).header("x-request-id", "json-line-77").send().await.unwrap();
    assert!(server.wait_for_log("json-line-77").await);
    for line in server.log_lines() {
        let value: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        if line.contains("json-line-77") {
            assert_eq!(value["span"]["request_id"], "json-line-77", "{line}");
        }
    }
    server.stop().await;
}

/// The database password never reaches a log line, even at the most verbose level.
#[tokio::test]
async fn the_database_password_is_never_logged() {
    let Store::Postgres(url) = Store::postgres().await else { unreachable!() };
    // The test cluster trusts local connections, so any password is accepted and ignored.
    let secret = "s3cret-Pa55word-never-logged";
    let with_password = url.replacen("postgres://canopy@", &format!("postgres://canopy:{secret}@"), 1);
    assert_ne!(with_password, url, "the URL has the expected shape");
    let server = Server::start_with(Store::Postgres(with_password), &["--log", "trace"], &[]).await;
    let base = server.url("/api/v01/draas/default");
    let client = server.client().await;
    let created = client.post(format!("{base}/groups")).json(&json!({ "name": "Logged" })).send().await.unwrap();
    assert_eq!(created.status(), StatusCode::OK, "the requests reach the store");
    assert_eq!(client.get(format!("{base}/groups")).send().await.unwrap().status(), StatusCode::OK);
    assert!(server.wait_for_log("/groups").await);
    let lines = server.log_lines();
    assert!(lines.len() > 5, "trace logging is on");
    assert!(lines.iter().all(|line| !line.contains(secret)), "a log line holds the password");
    server.stop().await;
}

#[tokio::test]
async fn a_config_file_sets_what_the_environment_does_not() {
    let path = std::env::temp_dir().join(format!("canopy-blackbox-{}.toml", std::process::id()));
    std::fs::write(&path, "instances = [\"from-file\"]\nlog_format = \"text\"\n").unwrap();
    let config = path.to_str().unwrap();
    // A fresh session on each server: the second one is a new process on a new memory store.
    async fn status(server: &Server, instance: &str) -> StatusCode {
        let url = server.url(&format!("/api/v01/draas/{instance}/groups"));
        server.client().await.get(url).send().await.unwrap().status()
    }
    let from_file = Server::start_with(Store::Memory, &["--config", config], &[]).await;
    assert_eq!(status(&from_file, "from-file").await, StatusCode::OK);
    assert_eq!(status(&from_file, "default").await, StatusCode::NOT_FOUND);
    from_file.stop().await;
    let from_env =
        Server::start_with(Store::Memory, &[], &[("CANOPY_CONFIG", config), ("CANOPY_INSTANCES", "from-env")]).await;
    assert_eq!(status(&from_env, "from-env").await, StatusCode::OK, "the environment beats the file");
    assert_eq!(status(&from_env, "from-file").await, StatusCode::NOT_FOUND);
    from_env.stop().await;
    std::fs::remove_file(&path).unwrap();
}

#[tokio::test]
async fn metrics_show_the_store_pool_and_requests() {
    let server = Server::start(Store::postgres().await).await;
    let groups = server.client().await.get(server.url("/api/v01/draas/default/groups")).send().await.unwrap();
    assert_eq!(groups.status(), StatusCode::OK);
    let text = reqwest::get(server.url("/metrics")).await.unwrap().text().await.unwrap();
    assert!(text.contains("canopy_store_pool_max_connections 16"), "{text}");
    assert!(text.lines().any(|l| l.starts_with("canopy_store_pool_connections ") && !l.ends_with(" 0")), "{text}");
    assert!(text.contains("route=\"/api/v01/draas/{draas_instance}/groups\""), "{text}");
    server.stop().await;
    let sized = Server::start_with(Store::postgres().await, &[], &[("CANOPY_DATABASE_MAX_CONNECTIONS", "7")]).await;
    let text = reqwest::get(sized.url("/metrics")).await.unwrap().text().await.unwrap();
    assert!(text.contains("canopy_store_pool_max_connections 7"), "the pool follows its option: {text}");
    sized.stop().await;
}

/// `/readyz` follows the database: 503 `not_ready` while the schema is not fully migrated (its
/// migration record is hidden), 200 again as soon as it is back, with no restart.
#[tokio::test]
async fn readiness_follows_the_schema_and_recovers_by_itself() {
    let Store::Postgres(url) = Store::postgres().await else { unreachable!() };
    let server = Server::start(Store::Postgres(url.clone())).await;
    let readyz = || async { reqwest::get(server.url("/readyz")).await.unwrap() };
    assert_eq!(readyz().await.status(), StatusCode::OK);
    let mut db = sqlx::PgConnection::connect(&url).await.unwrap();
    sqlx::query("ALTER TABLE _sqlx_migrations RENAME TO hidden_migrations").execute(&mut db).await.unwrap();
    let response = readyz().await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_ready");
    assert!(!body.to_string().contains("_sqlx_migrations"), "the cause stays in the log: {body}");
    sqlx::query("ALTER TABLE hidden_migrations RENAME TO _sqlx_migrations").execute(&mut db).await.unwrap();
    assert_eq!(readyz().await.status(), StatusCode::OK);
    server.stop().await;
}

/// A DELETE held up by a row lock is in flight when SIGTERM arrives: the server stops taking
/// work but answers it once the lock is released, then exits cleanly.
#[tokio::test]
async fn sigterm_drains_a_request_in_flight() {
    let Store::Postgres(url) = Store::postgres().await else { unreachable!() };
    let mut server = Server::start(Store::Postgres(url.clone())).await;
    let base = server.url("/api/v01/draas/default");
    let client = server.client().await;
    let created: Value = client
        .post(format!("{base}/groups"))
        .json(&json!({ "name": "Held" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let uuid = created["uuid"].as_str().unwrap().to_owned();

    let mut blocker = sqlx::PgConnection::connect(&url).await.unwrap();
    sqlx::query("BEGIN").execute(&mut blocker).await.unwrap();
    sqlx::query("SELECT id FROM nodes WHERE id = $1::uuid FOR UPDATE").bind(&uuid).execute(&mut blocker).await.unwrap();

    let in_flight = tokio::spawn({
        let url = format!("{base}/groups/{uuid}");
        async move { client.delete(url).send().await.unwrap().status() }
    });
    // Wait, with a deadline, until the DELETE is blocked on our lock inside PostgreSQL.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let waiting: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            .fetch_one(&mut blocker)
            .await
            .unwrap();
        if waiting > 0 {
            break;
        }
        assert!(Instant::now() < deadline, "the DELETE never reached the lock");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.send_sigterm().await;
    assert!(server.wait_for_log("draining in-flight requests").await);
    assert!(server.running(), "the server waits for the request in flight");

    sqlx::query("COMMIT").execute(&mut blocker).await.unwrap();
    assert_eq!(in_flight.await.unwrap(), StatusCode::OK, "the drained request was answered");
    assert!(server.wait().await.success());
    let gone: i64 = sqlx::query_scalar("SELECT count(*) FROM nodes WHERE id = $1::uuid")
        .bind(&uuid)
        .fetch_one(&mut blocker)
        .await
        .unwrap();
    assert_eq!(gone, 0, "the drained DELETE was committed");
}
