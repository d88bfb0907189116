//! The HTTP stack's own refusals over raw TCP (issue 21): each answers the error envelope with
//! `Content-Type: application/json`, including those hyper makes before any route sees the
//! request; a declared length over the limit is refused at once, unread, whatever the token; a
//! body that stops early is `408` after the body read timeout, long before the request timeout.

use crate::raw::exchange;
use crate::server::{Server, Store};
use std::time::Duration;

const GROUPS: &str = "/api/v01/draas/default/groups";
const LOGIN: &str = "/api/v01/auth/login";
/// The server's request timeout in these tests: no answer below may wait for it.
const REQUEST_TIMEOUT_SECS: &str = "60";
/// How long the client waits for an answer: a deadline, far below the request timeout.
const CLIENT_DEADLINE: Duration = Duration::from_secs(10);

fn post(path: &str, token: Option<&str>, declared_length: u64, sent: &str) -> Vec<u8> {
    let authorization = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    format!(
        "POST {path} HTTP/1.1\r\nHost: canopy\r\n{authorization}Content-Type: application/json\r\n\
         Content-Length: {declared_length}\r\n\r\n{sent}"
    )
    .into_bytes()
}

fn get_with(extra_headers: &str) -> Vec<u8> {
    format!("GET /healthz HTTP/1.1\r\nHost: canopy\r\n{extra_headers}\r\n").into_bytes()
}

async fn every_refusal_of_the_http_stack_answers_the_envelope(store: Store) {
    let args = ["--request-timeout-secs", REQUEST_TIMEOUT_SECS, "--body-read-timeout-secs", "1"];
    let server = Server::start_with(store, &args, &[]).await;
    let token = server.login().await;
    let many_headers: String = (0..150).map(|i| format!("X-Header-{i}: {i}\r\n")).collect();
    let huge_header = format!("X-Huge: {}\r\n", "h".repeat(1024 * 1024));
    let cases: [(&str, Vec<u8>, u16, &str); 10] = [
        (
            "a 100 KB URL",
            format!("GET /{} HTTP/1.1\r\nHost: canopy\r\n\r\n", "a".repeat(100_000)).into_bytes(),
            414,
            "uri_too_long",
        ),
        ("150 headers", get_with(&many_headers), 431, "headers_too_large"),
        ("a 1 MiB header", get_with(&huge_header), 431, "headers_too_large"),
        ("a header line without a colon", get_with("no colon here\r\n"), 400, "bad_request"),
        (
            "a method the path does not take",
            b"DELETE /healthz HTTP/1.1\r\nHost: canopy\r\n\r\n".to_vec(),
            405,
            "method_not_allowed",
        ),
        (
            "a huge length and a made-up token",
            post(GROUPS, Some("made-up"), 99_999_999_999, "{"),
            413,
            "payload_too_large",
        ),
        ("a huge length and a valid token", post(GROUPS, Some(&token), 99_999_999_999, "{"), 413, "payload_too_large"),
        ("a huge length on the public login", post(LOGIN, None, 99_999_999_999, "{"), 413, "payload_too_large"),
        ("a login body that stops early", post(LOGIN, None, 100, "{\"username\": \"a"), 408, "request_timeout"),
        ("a creation body that stops early", post(GROUPS, Some(&token), 100, "{\"name\": \"G"), 408, "request_timeout"),
    ];
    for (case, request, status, code) in cases {
        let answer = exchange(server.addr(), request, CLIENT_DEADLINE).await;
        assert_eq!(answer.status, status, "{case}: {answer:?}");
        assert_eq!(answer.header("content-type"), Some("application/json"), "{case}: {answer:?}");
        let error = &answer.body["error"];
        assert_eq!((error["code"].as_str(), error["domain"].as_str()), (Some(code), Some("canopy")), "{case}");
        assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()) && error["context"].is_object(), "{case}");
        assert!(answer.header("x-request-id").is_some(), "{case}: every answer carries a request id");
    }
    // None of it was a server fault, and none of it stopped the server.
    let metrics = reqwest::get(server.url("/metrics")).await.unwrap().text().await.unwrap();
    let requests = metrics.lines().filter(|line| line.starts_with("canopy_http_requests_total{"));
    assert!(requests.clone().all(|line| !line.contains("status=\"5")), "{metrics}");
    assert_eq!(requests.filter(|line| line.contains("status=\"408\"")).count(), 2, "{metrics}");
    let created = crate::server::bearer(&token).post(server.url(GROUPS)).json(&serde_json::json!({ "name": "G" }));
    assert_eq!(created.send().await.unwrap().status(), reqwest::StatusCode::OK, "the stopped creation left no trace");
    server.stop().await;
}

#[tokio::test]
async fn every_refusal_of_the_http_stack_answers_the_envelope_with_the_memory_store() {
    every_refusal_of_the_http_stack_answers_the_envelope(Store::Memory).await;
}

#[tokio::test]
async fn every_refusal_of_the_http_stack_answers_the_envelope_with_postgres() {
    every_refusal_of_the_http_stack_answers_the_envelope(Store::postgres().await).await;
}
