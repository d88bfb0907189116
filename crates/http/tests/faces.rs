//! The face seam, proven by a second face defined here only: mounted beside the canopy face under
//! its own prefix, it writes its failures as XML (or JSON when the client asks for it) and takes
//! the session token from a `SESSION` cookie instead of a bearer header. Neither face sees the
//! other's ways: the canopy API keeps its envelope and refuses the cookie.

use axum::Json;
use axum::body::Body;
use axum::extract::Path;
use axum::http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE, WWW_AUTHENTICATE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::response::Response;
use canopy_app::AuthError;
use canopy_app::testing::{ROOT_EMAIL, ROOT_PASSWORD, TestApp};
use canopy_http::api::{
    Access, AuthScheme, ErrorStyle, Face, FaceInstance, HttpMethod, Mount, Op, Route, Tag, errors, json_ok,
};
use canopy_http::{ApiError, Authenticated, HttpConfig, router_with};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};

/// The session token in a `SESSION` cookie.
struct SessionCookie;

impl AuthScheme for SessionCookie {
    fn name(&self) -> &'static str {
        "session"
    }

    fn security_scheme(&self) -> SecurityScheme {
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("SESSION")))
    }

    fn token(&self, parts: &Parts) -> Option<Result<String, AuthError>> {
        let cookies = parts.headers.get_all(COOKIE).iter().filter_map(|value| value.to_str().ok());
        let mut pairs = cookies.flat_map(|value| value.split(';')).filter_map(|pair| pair.trim().split_once('='));
        pairs.find(|(name, _)| *name == "SESSION").map(|(_, token)| Ok(token.to_owned()))
    }
}

/// Failures in a `<response>` document, or its JSON twin when negotiated.
fn response_document(error: &ApiError, media: &'static str) -> Response {
    match media {
        "application/json" => {
            let body = json!({ "response": { "code": error.code, "message": error.message } });
            error.render(media, body.to_string())
        }
        _ => {
            let message = error.message.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
            error.render(media, format!("<response><code>{}</code><message>{message}</message></response>", error.code))
        }
    }
}

fn test_face() -> Mount {
    let face = Face {
        name: "test",
        prefix: "/test/face",
        alias: None,
        errors: ErrorStyle::Render(response_document, canopy_http::api::schema::<String>),
        media: &["application/xml", "application/json"],
        auth: &[&SessionCookie],
    };
    let op = || Op {
        id: "whoAmI".to_owned(),
        tag: Tag::new("test", "A face under test."),
        summary: "The caller".to_owned(),
        description: "The caller's e-mail, and the number of the path (0 is not found).".to_owned(),
        params: vec![],
        body: None,
        ok: json_ok("The caller.", canopy_http::api::schema::<String>()),
        errors: errors(&[(404, "`not_found`")]),
    };
    let handler = |caller: Authenticated, Path(n): Path<u32>| async move {
        if n == 0 {
            return Err(ApiError::new(StatusCode::NOT_FOUND, "not_found", "no thing 0 <here>"));
        }
        Ok(Json(json!({ "email": caller.admin.email.as_str(), "n": n })))
    };
    let route = Route::new(HttpMethod::Get, "/whoami/{n}".to_owned(), Access::Authenticated, handler, op);
    Mount { face, routes: vec![route] }
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

async fn send(router: &axum::Router, method: &str, uri: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = router.clone().oneshot(request.body(Body::from(body.to_owned())).unwrap()).await.unwrap();
    let (parts, body) = response.into_parts();
    let body = String::from_utf8(body.collect().await.unwrap().to_bytes().to_vec()).unwrap();
    Answer { status: parts.status, headers: parts.headers, body }
}

#[tokio::test]
async fn a_second_face_has_its_own_prefix_error_style_and_authentication() {
    let router = router_with(TestApp::start().await.app, HttpConfig::default(), [test_face()]);
    let login = json!({ "username": ROOT_EMAIL, "password": ROOT_PASSWORD }).to_string();
    let session = send(&router, "POST", "/api/v01/auth/login", &[("content-type", "application/json")], &login).await;
    assert_eq!(session.status, StatusCode::OK, "{}", session.body);
    let token = serde_json::from_str::<Value>(&session.body).unwrap()["token"].as_str().unwrap().to_owned();
    let cookie = format!("theme=dark; SESSION={token}");
    let bearer = format!("Bearer {token}");

    // The test face: its cookie authenticates, its failures are `<response>` documents.
    let found = send(&router, "GET", "/test/face/whoami/7", &[(COOKIE.as_str(), &cookie)], "").await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    assert_eq!(serde_json::from_str::<Value>(&found.body).unwrap(), json!({ "email": ROOT_EMAIL, "n": 7 }));
    let missing = send(&router, "GET", "/test/face/whoami/0", &[(COOKIE.as_str(), &cookie)], "").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.headers[CONTENT_TYPE], "application/xml");
    assert_eq!(missing.body, "<response><code>not_found</code><message>no thing 0 &lt;here&gt;</message></response>");
    // A bearer token is not one of its schemes: the caller is not authenticated, and hears it as XML
    // (with the headers of the failure kept).
    let refused = send(&router, "GET", "/test/face/whoami/7", &[(AUTHORIZATION.as_str(), &bearer)], "").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.headers[CONTENT_TYPE], "application/xml");
    assert!(refused.body.starts_with("<response><code>unauthenticated</code>"), "{}", refused.body);
    assert!(refused.headers.contains_key(WWW_AUTHENTICATE));
    // The client may negotiate the face's other content type.
    let negotiated =
        send(&router, "GET", "/test/face/whoami/7", &[(ACCEPT.as_str(), "text/html, application/json;q=0.9")], "")
            .await;
    assert_eq!(negotiated.status, StatusCode::UNAUTHORIZED);
    assert_eq!(negotiated.headers[CONTENT_TYPE], "application/json");
    assert_eq!(
        serde_json::from_str::<Value>(&negotiated.body).unwrap()["response"]["code"],
        "unauthenticated",
        "{}",
        negotiated.body
    );

    // The canopy face is untouched: bearer only, the envelope.
    let me = send(&router, "GET", "/api/v01/auth/me", &[(AUTHORIZATION.as_str(), &bearer)], "").await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    let by_cookie = send(&router, "GET", "/api/v01/auth/me", &[(COOKIE.as_str(), &cookie)], "").await;
    assert_eq!(by_cookie.status, StatusCode::UNAUTHORIZED);
    assert_eq!(by_cookie.headers[CONTENT_TYPE], "application/json");
    let envelope: Value = serde_json::from_str(&by_cookie.body).unwrap();
    assert_eq!(
        (envelope["error"]["code"].as_str(), envelope["error"]["domain"].as_str()),
        (Some("unauthenticated"), Some("canopy"))
    );

    // Failures of either face are counted by their code.
    let metrics = send(&router, "GET", "/metrics", &[], "").await;
    assert!(metrics.body.contains("canopy_http_errors_total{code=\"not_found\"} 1"), "{}", metrics.body);
    assert!(metrics.body.contains("canopy_http_errors_total{code=\"unauthenticated\"} 3"), "{}", metrics.body);
}

#[tokio::test]
async fn the_served_faces_are_documented_and_a_face_under_test_is_not() {
    let document = serde_json::to_value(canopy_http::openapi()).unwrap();
    let paths = document["paths"].as_object().unwrap();
    assert!(paths.keys().all(|path| !path.starts_with("/test/face")));
    assert!(paths.contains_key("/api/v01/auth/login") && paths.contains_key("/healthz"));
    let schemes: Vec<&String> = document["components"]["securitySchemes"].as_object().unwrap().keys().collect();
    assert_eq!(schemes, ["basic", "bearer"], "the schemes of the served faces");
}

/// A face whose routes name their instance, with an alias standing for the default instance.
fn aliased_face() -> Mount {
    let face = Face {
        name: "aliased",
        prefix: "/test/{draas_instance}/face",
        alias: Some("/t"),
        errors: ErrorStyle::Envelope,
        media: &["application/json"],
        auth: &[&canopy_http::api::Bearer],
    };
    let op = || Op {
        id: "whichInstance".to_owned(),
        tag: Tag::new("aliased", "A face under test, with an alias."),
        summary: "The instance addressed".to_owned(),
        description: "The instance the path names, or the default one under the alias.".to_owned(),
        params: vec![],
        body: None,
        ok: json_ok("The instance.", canopy_http::api::schema::<String>()),
        errors: errors(&[]),
    };
    // Under the alias there is no `{draas_instance}`: a face's handlers read their other path
    // parameters by name.
    #[derive(serde::Deserialize)]
    struct Thing {
        n: u32,
    }
    let handler = |FaceInstance(instance): FaceInstance, Path(Thing { n }): Path<Thing>| async move {
        Json(json!({ "instance": instance, "n": n }))
    };
    let route = Route::new(HttpMethod::Get, "/thing/{n}".to_owned(), Access::Public, handler, op);
    Mount { face, routes: vec![route] }
}

#[tokio::test]
async fn a_face_alias_stands_for_the_default_instance_and_exists_only_with_one() {
    let app = TestApp::start().await.app;
    let with_default = HttpConfig { default_instance: Some("default".to_owned()), ..HttpConfig::default() };
    let router = router_with(app.clone(), with_default, [aliased_face()]);
    let canonical = send(&router, "GET", "/test/eu/face/thing/3", &[], "").await;
    assert_eq!(serde_json::from_str::<Value>(&canonical.body).unwrap(), json!({ "instance": "eu", "n": 3 }));
    let aliased = send(&router, "GET", "/t/thing/4", &[], "").await;
    assert_eq!(aliased.status, StatusCode::OK, "{}", aliased.body);
    assert_eq!(serde_json::from_str::<Value>(&aliased.body).unwrap(), json!({ "instance": "default", "n": 4 }));

    let without = router_with(app, HttpConfig::default(), [aliased_face()]);
    let absent = send(&without, "GET", "/t/thing/4", &[], "").await;
    assert_eq!(absent.status, StatusCode::NOT_FOUND);
    assert_eq!(serde_json::from_str::<Value>(&absent.body).unwrap()["error"]["code"], "route_not_found");
    let still = send(&without, "GET", "/test/eu/face/thing/5", &[], "").await;
    assert_eq!(still.status, StatusCode::OK, "{}", still.body);
}
