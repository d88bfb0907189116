//! The router on a test app (memory store, outbox, manual clock), driven without a socket, as a
//! logged-in administrator.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use canopy_app::mail::Outbox;
use canopy_app::testing::{ROOT_EMAIL, ROOT_PASSWORD, TestApp};
use canopy_app::{App, ManualClock};
use canopy_http::{HttpConfig, router};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::sync::Arc;
use tower::ServiceExt;

pub const BASE: &str = "/api/v01/draas/default";

pub struct Api {
    pub router: axum::Router,
    pub app: App,
    pub outbox: Arc<Outbox>,
    pub clock: Arc<ManualClock>,
    /// The bearer token requests are sent with; `None` sends none.
    pub token: Option<String>,
}

impl Api {
    /// A fresh app, logged in as its system administrator.
    pub async fn new() -> Self {
        let TestApp { app, outbox, clock } = TestApp::start().await;
        let router = router(app.clone(), HttpConfig { body_limit: 4096, ..HttpConfig::default() });
        let mut api = Self { router, app, outbox, clock, token: None };
        api.token = Some(api.login(ROOT_EMAIL, ROOT_PASSWORD).await);
        api
    }

    /// The same app, as another caller.
    pub fn with_token(&self, token: Option<String>) -> Self {
        Self {
            router: self.router.clone(),
            app: self.app.clone(),
            outbox: self.outbox.clone(),
            clock: self.clock.clone(),
            token,
        }
    }

    /// Logs in and returns the bearer token.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let (status, body) = self.post("/api/v01/auth/login", json!({ "username": email, "password": password })).await;
        assert_eq!(status, StatusCode::OK, "login of {email}: {body}");
        body["token"].as_str().unwrap().to_owned()
    }

    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> (StatusCode, Value) {
        // JSON whichever face answers (the sipXconfig face speaks XML unless asked).
        let mut request = Request::builder().method(method).uri(path).header("accept", "application/json");
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        if let Some(token) = &self.token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let response = self.router.clone().oneshot(request.body(Body::from(body)).unwrap()).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let json =
            if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).expect("every body is JSON") };
        if !status.is_success() {
            assert_failure(path, &json);
        }
        (status, json)
    }

    /// A request with extra headers (`If-Match`, `X-Request-Id`), answering the response headers
    /// too (`ETag`).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> (StatusCode, HeaderMap, Value) {
        let mut request = Request::builder().method(method).uri(path).header("accept", "application/json");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        if body.is_some() {
            request = request.header("content-type", "application/json");
        }
        if let Some(token) = &self.token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let bytes = body.map(|b| b.to_string().into_bytes()).unwrap_or_default();
        let response = self.router.clone().oneshot(request.body(Body::from(bytes)).unwrap()).await.unwrap();
        let (status, headers) = (response.status(), response.headers().clone());
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let json =
            if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).expect("every body is JSON") };
        if !status.is_success() {
            assert_failure(path, &json);
        }
        (status, headers, json)
    }

    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        match body {
            Some(body) => self.raw(method, path, Some("application/json"), body.to_string().into_bytes()).await,
            None => self.raw(method, path, None, vec![]).await,
        }
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn create(&self, path: &str, body: Value) -> String {
        let (status, json) = self.post(path, body).await;
        assert_eq!(status, StatusCode::OK, "{json}");
        json["uuid"].as_str().unwrap().to_owned()
    }

    /// Creates an administrator on `holder` (`""` for the instance, else `/groups/{uuid}`...),
    /// activates it through the link it was e-mailed, and logs it in.
    pub async fn admin(&self, holder: &str, email: &str) -> Api {
        let (status, body) = self.post(&format!("{BASE}{holder}/admins"), json!({ "adminEmail": email })).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let password = "a password for tests";
        let token = self.activation_token(email).await;
        let (status, body) = self.post("/api/v01/auth/activate", json!({ "token": token, "password": password })).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        let token = self.login(email, password).await;
        self.with_token(Some(token))
    }

    /// Gives the user at `user` (`…/users/{uuid}`) the e-mail `email`, which creates its account
    /// (`end_user`), activates it through the link it was e-mailed, and logs it in.
    pub async fn end_user(&self, user: &str, email: &str) -> Api {
        let (status, body) = self.call(Method::PUT, user, Some(json!({ "email": email }))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let password = "a password for tests";
        let token = self.activation_token(email).await;
        let (status, body) = self.post("/api/v01/auth/activate", json!({ "token": token, "password": password })).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        let token = self.login(email, password).await;
        self.with_token(Some(token))
    }

    /// The token of the newest link e-mailed to `email`, waiting (with a deadline) for the
    /// message, which is sent in the background.
    pub async fn activation_token(&self, email: &str) -> String {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            if let Some(message) = self.outbox.last_to(email) {
                return link_token(&message.body);
            }
            assert!(tokio::time::Instant::now() < deadline, "no message to {email}");
            tokio::task::yield_now().await;
        }
    }
}

/// The token of the first `?token=` link of a message.
/// A read of a versioned document, without the `version` it carries beside its fields (checked
/// here to be a version; tests/versions_owned.rs checks how it counts), for tests of the rest.
pub async fn get_without_version(api: &Api, path: &str) -> (StatusCode, Value) {
    let (status, mut body) = api.get(path).await;
    if status == StatusCode::OK {
        let version = body.as_object_mut().and_then(|read| read.remove("version"));
        assert!(version.as_ref().and_then(Value::as_u64).is_some_and(|v| v >= 1), "{version:?}");
    }
    (status, body)
}

pub fn link_token(body: &str) -> String {
    let start = body.find("?token=").expect("a link") + "?token=".len();
    body[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

/// The code of a failure, whichever face wrote it (the envelope, or sipXconfig's `response`).
pub fn code(json: &Value) -> Option<&str> {
    json["error"]["code"].as_str().or_else(|| json["response"]["code"].as_str())
}

/// The permission a 403 names, whichever face wrote it.
pub fn denied_permission(json: &Value) -> &Value {
    if json["error"].is_object() {
        &json["error"]["details"]["permission"]
    } else {
        &json["response"]["data"]["permission"]
    }
}

/// A failure in the shape of the face `path` lies under.
pub fn assert_failure(path: &str, json: &Value) {
    if path.contains("/sipxconfig/rest") {
        let response = &json["response"];
        assert!(response["code"].is_string() && response["message"].is_string(), "{json}");
    } else {
        assert_envelope(json);
    }
}

pub fn assert_envelope(json: &Value) {
    let error = &json["error"];
    assert!(error["code"].is_string(), "{json}");
    assert!(error["message"].is_string(), "{json}");
    assert_eq!(error["domain"], "canopy");
    assert!(error["details"].is_object(), "{json}");
    assert_eq!(error["context"], json!({}));
}
