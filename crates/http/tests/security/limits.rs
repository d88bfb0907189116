//! Bodies that never arrive (issue 21): a stalled body is `408 request_timeout` after the body
//! read timeout, a client's fault in the metrics; a change with an invalid token is refused
//! before its body is read; a declared length over the limit is `413` unread.

use crate::support::{Api, BASE, assert_envelope};
use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode};
use canopy_http::{HttpConfig, router};
use futures::StreamExt;
use http_body_util::BodyExt;
use serde_json::Value;
use std::time::Duration;
use tower::ServiceExt;

/// An API with a short body read timeout and a long request timeout, so that only the first can
/// answer.
async fn with_short_body_timeout() -> Api {
    let api = Api::new().await;
    let config = HttpConfig {
        body_limit: 4096,
        request_timeout: Duration::from_secs(600),
        body_read_timeout: Duration::from_millis(200),
        ..HttpConfig::default()
    };
    Api { router: router(api.app.clone(), config), ..api }
}

/// A body whose first bytes arrive and whose rest never does.
fn stalled() -> Body {
    let start = futures::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"{\"name\": \"G"))]);
    Body::from_stream(start.chain(futures::stream::pending()))
}

async fn post(api: &Api, path: &str, token: Option<&str>, body: Body, length: Option<&str>) -> (StatusCode, Value) {
    let mut request = Request::post(path).header("content-type", "application/json");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    if let Some(length) = length {
        request = request.header("content-length", length);
    }
    let response = api.router.clone().oneshot(request.body(body).unwrap()).await.unwrap();
    let status = response.status();
    if status == StatusCode::REQUEST_TIMEOUT || status == StatusCode::PAYLOAD_TOO_LARGE {
        assert_eq!(response.headers()["connection"], "close", "the rest of the body is never read");
    }
    let json: Value = serde_json::from_slice(&response.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_envelope(&json);
    (status, json)
}

#[tokio::test]
async fn a_body_that_never_arrives_is_408_and_a_client_fault_in_the_metrics() {
    let api = with_short_body_timeout().await;
    let token = api.token.clone().unwrap();
    for (path, token) in [(format!("{BASE}/groups"), Some(token.as_str())), ("/api/v01/auth/login".into(), None)] {
        let (status, body) = post(&api, &path, token, stalled(), None).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::REQUEST_TIMEOUT, Some("request_timeout")));
    }
    let metrics = api.router.clone().oneshot(Request::get("/metrics").body(Body::empty()).unwrap()).await.unwrap();
    let text = String::from_utf8(metrics.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert!(text.contains("canopy_http_errors_total{code=\"request_timeout\"} 2"), "{text}");
    let requests = text.lines().filter(|l| l.starts_with("canopy_http_requests_total{"));
    assert!(requests.clone().filter(|l| l.contains("status=\"408\"")).count() == 2, "{text}");
    assert!(requests.clone().all(|l| !l.contains("status=\"5")), "no server error counted:\n{text}");
    assert!(!text.contains("code=\"timeout\""), "{text}");
}

#[tokio::test]
async fn a_change_with_an_invalid_token_is_refused_before_its_body_is_read() {
    let api = with_short_body_timeout().await;
    // The body never ends: an answer other than 408 proves it was never read.
    let (status, body) = post(&api, &format!("{BASE}/groups"), Some("made-up-token"), stalled(), None).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("invalid_token")));
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_413_whatever_the_token() {
    let api = with_short_body_timeout().await;
    for (path, token) in [(format!("{BASE}/groups"), Some("made-up-token")), ("/api/v01/auth/login".into(), None)] {
        let (status, body) = post(&api, &path, token, stalled(), Some("99999999999")).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::PAYLOAD_TOO_LARGE, Some("payload_too_large"))
        );
    }
}
