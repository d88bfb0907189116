//! The OpenAPI document against the route table and the router: every route of the table is
//! documented with exactly its access and is served (guarded as it declares), every documented
//! operation is in the table, `docs/openapi.json` is up to date, and the reference page loads,
//! from this server only.

use axum::body::Body;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, WWW_AUTHENTICATE};
use axum::http::{Method, Request, StatusCode};
use canopy_app::testing::{ROOT_EMAIL, ROOT_PASSWORD, TestApp};
use canopy_http::api::Route;
use canopy_http::{Access, HttpConfig, route_table, router};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

const METHODS: [&str; 7] = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];
/// The methods a path must refuse (405) unless documented: axum answers `HEAD` for every `GET`,
/// and `HEAD`/`OPTIONS` are documented only where a face declares them (the portal's `/checkauth`).
const REFUSED_UNLESS_DOCUMENTED: [&str; 5] = ["GET", "POST", "PUT", "DELETE", "PATCH"];

/// The router over an app serving `default`, whose root (a system administrator, holding every
/// permission) can log in.
async fn api() -> axum::Router {
    router(TestApp::start().await.app, HttpConfig::default())
}

async fn send(api: &axum::Router, method: &str, uri: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
    send_as(api, method, uri, None).await
}

/// Sends `{}` as the body of the methods that take one, with `Authorization` if given.
async fn send_as(
    api: &axum::Router,
    method: &str,
    uri: &str,
    authorization: Option<&str>,
) -> (StatusCode, HeaderMap, Vec<u8>) {
    let body = if matches!(method, "POST" | "PUT" | "PATCH") { "{}" } else { "" };
    send_body(api, method, uri, authorization, body).await
}

async fn send_body(
    api: &axum::Router,
    method: &str,
    uri: &str,
    authorization: Option<&str>,
    body: &str,
) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut request = Request::builder().method(Method::from_bytes(method.as_bytes()).unwrap()).uri(uri);
    if !body.is_empty() {
        request = request.header(CONTENT_TYPE, "application/json");
    }
    if let Some(authorization) = authorization {
        request = request.header(AUTHORIZATION, authorization);
    }
    let response = api.clone().oneshot(request.body(Body::from(body.to_owned())).unwrap()).await.unwrap();
    let (parts, body) = response.into_parts();
    (parts.status, parts.headers, body.collect().await.unwrap().to_bytes().to_vec())
}

/// `Bearer <token>` of a fresh session of the root administrator. Fresh for each request, since
/// one of the requests is a logout.
async fn root(api: &axum::Router) -> String {
    let login = json!({ "username": ROOT_EMAIL, "password": ROOT_PASSWORD }).to_string();
    let (status, _, body) = send_body(api, "POST", "/api/v01/auth/login", None, &login).await;
    assert_eq!(status, StatusCode::OK, "the root cannot log in: {}", String::from_utf8_lossy(&body));
    let session: Value = serde_json::from_slice(&body).unwrap();
    format!("Bearer {}", session["token"].as_str().unwrap())
}

/// The error code of a failure in the envelope, or in the sipXconfig face's `<response>` (XML
/// unless JSON was asked for), if the body is one.
fn error_code(body: &[u8]) -> Option<String> {
    if let Ok(json) = serde_json::from_slice::<Value>(body) {
        return json["error"]["code"].as_str().or_else(|| json["response"]["code"].as_str()).map(str::to_owned);
    }
    let text = std::str::from_utf8(body).ok()?.strip_prefix("<response><code>")?;
    text.split_once("</code>").map(|(code, _)| code.to_owned())
}

/// Whether a path is the sipXconfig face's: its schemes and failures are its own.
fn sipx(path: &str) -> bool {
    path.contains("/sipxconfig/rest/")
}

/// The schema of a path's failures, as a reference, and the content type it is listed under.
fn failure_ref(path: &str) -> (&'static str, &'static str) {
    if sipx(path) {
        ("text/xml", "#/components/schemas/SipxResponseDocument")
    } else {
        ("application/json", "#/components/schemas/ErrorEnvelope")
    }
}

/// Whether an answer says that the router has no such route or method.
fn unrouted(status: StatusCode, body: &[u8]) -> bool {
    status == StatusCode::METHOD_NOT_ALLOWED
        || matches!(error_code(body).as_deref(), Some("route_not_found" | "method_not_allowed"))
}

fn document() -> Value {
    serde_json::to_value(canopy_http::openapi()).unwrap()
}

/// `(method, path, operation)` of every operation of the document.
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut all = vec![];
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in METHODS {
            if let Some(op) = item.get(method.to_lowercase()) {
                all.push((method.to_owned(), path.clone(), op.clone()));
            }
        }
    }
    all
}

/// What `x-required-permission` must say for an access.
fn declared(access: Access) -> Value {
    match access {
        Access::Public => Value::Null,
        Access::Authenticated => Value::from("authenticated"),
        Access::Permission(permission) => Value::from(permission.to_string()),
    }
}

/// The path with a value in each parameter: the first example or enum value, else a uuid.
fn concrete(path: &str, op: &Value) -> String {
    let mut uri = path.to_owned();
    for param in op["parameters"].as_array().into_iter().flatten().filter(|p| p["in"] == "path") {
        let name = param["name"].as_str().unwrap();
        let schema = &param["schema"];
        let value = match (&schema["enum"][0], &schema["examples"][0]) {
            (Value::String(value), _) | (_, Value::String(value)) => value.clone(),
            _ => "9f0c6c44-2c6e-4a58-9a34-1c2b9d7d5d11".to_owned(),
        };
        uri = uri.replace(&format!("{{{name}}}"), &value);
    }
    assert!(!uri.contains('{'), "a path parameter of {path} is not declared: {uri}");
    uri
}

#[tokio::test]
async fn every_documented_operation_is_served_and_no_other_method() {
    let api = api().await;
    let doc = document();
    let ops = operations(&doc);
    assert!(!ops.is_empty());
    for (method, path, op) in &ops {
        // As the root, who holds every permission: the answer is the operation's own (a 400 of
        // the empty body, a 404 of the example uuid, ...), never the router's nor the guard's.
        let uri = concrete(path, op);
        let token = root(&api).await;
        let (status, _, body) = send_as(&api, method, &uri, Some(&token)).await;
        let code = error_code(&body);
        assert!(
            !unrouted(status, &body),
            "{method} {path} is documented but the router does not serve it ({uri}: {status}, {code:?})"
        );
        assert!(
            !matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN),
            "{method} {path}: the root is refused ({uri}: {status}, {code:?})"
        );
    }
    // A method that the document does not list on a path must not be served either.
    for (path, item) in doc["paths"].as_object().unwrap() {
        let (_, _, op) = ops.iter().find(|(_, p, _)| p == path).unwrap();
        let uri = concrete(path, op);
        for method in REFUSED_UNLESS_DOCUMENTED.iter().filter(|m| item.get(m.to_lowercase()).is_none()) {
            let (status, _, body) = send(&api, method, &uri).await;
            assert_eq!(
                (status, error_code(&body).as_deref()),
                (StatusCode::METHOD_NOT_ALLOWED, Some("method_not_allowed")),
                "{method} {path} is served but not documented"
            );
        }
    }
}

#[test]
fn every_route_is_documented_with_exactly_its_access() {
    let doc = document();
    let documented = operations(&doc);
    let table = route_table();
    for Route { method, path, access, .. } in &table {
        let op = documented
            .iter()
            .find(|(m, p, _)| m == method.as_str() && p == path)
            .map(|(_, _, op)| op)
            .unwrap_or_else(|| panic!("{method} {path} is served but not in the document"));
        let permission = op.get("x-required-permission").unwrap_or_else(|| panic!("{method} {path}: no permission"));
        assert_eq!(*permission, declared(*access), "{method} {path}: x-required-permission");
        let responses = &op["responses"];
        match access {
            Access::Public => {
                assert!(op.get("security").is_none(), "{method} {path}: public, yet {}", op["security"]);
                // The portal's login refuses an address its logon IP lists do not admit with the
                // seed's 403 (no permission is involved).
                let address_refused = path.ends_with("/portal/api/1/login");
                assert!(responses.get("403").is_none() || address_refused, "{method} {path}: public, yet a 403");
            }
            Access::Authenticated | Access::Permission(_) => {
                let schemes = if sipx(path) {
                    json!([{ "basic": [] }, { "bearer": [] }])
                } else if path.contains("/portal/api/1/") {
                    // The portal's session cookie carries the same session as the bearer token.
                    json!([{ "bearer": [] }, { "session_cookie": [] }])
                } else {
                    json!([{ "bearer": [] }])
                };
                assert_eq!(op["security"], schemes, "{method} {path}: security");
                let (media, failure) = failure_ref(path);
                assert_eq!(responses["401"]["content"][media]["schema"]["$ref"], failure, "{method} {path}: no 401");
                assert!(responses["401"]["headers"]["WWW-Authenticate"].is_object(), "{method} {path}: 401");
            }
        }
        match access {
            Access::Permission(permission) => {
                let forbidden = &responses["403"];
                let (media, failure) = failure_ref(path);
                assert_eq!(forbidden["content"][media]["schema"]["$ref"], failure, "{method} {path}: no 403");
                let text = forbidden["description"].as_str().unwrap();
                assert!(text.contains(&format!("`{permission}`")), "{method} {path}: 403 says {text}");
                assert!(text.contains("password_change_required"), "{method} {path}: 403 says {text}");
            }
            // Any administrator may call it: a 403 only for a session that must change its
            // password, and never on the two routes such a session may use.
            _ => {
                let pending = path.ends_with("/auth/me");
                let text = responses.get("403").and_then(|r| r["description"].as_str());
                assert_eq!(text.is_some_and(|t| t.contains("password_change_required")), pending, "{method} {path}");
            }
        }
        assert!(op["operationId"].is_string() && op["summary"].is_string(), "{method} {path}");
        assert!(op["description"].as_str().is_some_and(|d| !d.is_empty()), "{method} {path}: no description");
        assert!(op["tags"][0].is_string(), "{method} {path}: no tag");
        let successes: Vec<&String> =
            responses.as_object().unwrap().keys().filter(|status| status.starts_with('2')).collect();
        // An operation the portal face does not serve answers 501 only.
        let not_served = successes.is_empty() && responses.get("501").is_some();
        assert!(successes.len() == 1 || not_served, "{method} {path}: successes {successes:?}");
    }
    for (method, path, _) in &documented {
        assert!(
            table.iter().any(|route| route.method.as_str() == method && route.path == *path),
            "{method} {path} is documented but not in the route table"
        );
    }
    assert_eq!(documented.len(), table.len(), "a route of the table is there twice");
    let mut ids: Vec<&str> = documented.iter().map(|(_, _, op)| op["operationId"].as_str().unwrap()).collect();
    ids.sort_unstable();
    let before = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), before, "two operations share an operationId");
}

#[tokio::test]
async fn every_route_of_the_table_is_served_and_guarded_as_declared() {
    // The other half of the check: each route of the table is really served, and a protected one
    // refuses a caller without a valid token before doing anything else.
    let api = api().await;
    let doc = document();
    for Route { method, path, access, .. } in route_table() {
        let method = method.as_str();
        let uri = concrete(&path, &doc["paths"][&path][method.to_lowercase()]);
        let (status, headers, body) = send(&api, method, &uri).await;
        let code = error_code(&body);
        assert!(!unrouted(status, &body), "{method} {path} is in the route table but not served ({status}, {code:?})");
        if access == Access::Public {
            assert_ne!(status, StatusCode::UNAUTHORIZED, "{method} {path} is public but asks for a token");
            continue;
        }
        // A HEAD answer has no body to carry the code.
        let expected = (method != "HEAD").then_some("unauthenticated");
        assert_eq!(
            (status, code.as_deref()),
            (StatusCode::UNAUTHORIZED, expected),
            "{method} {path} answers a caller without a token"
        );
        let challenges: Vec<&str> = headers.get_all(WWW_AUTHENTICATE).iter().map(|v| v.to_str().unwrap()).collect();
        assert!(challenges.contains(&"Bearer"), "{method} {path}: {challenges:?}");
        assert_eq!(challenges.iter().any(|c| c.starts_with("Basic ")), sipx(&path), "{method} {path}: {challenges:?}");
        let (status, headers, body) = send_as(&api, method, &uri, Some("Bearer not-a-session")).await;
        let expected = (method != "HEAD").then_some("invalid_token");
        assert_eq!(
            (status, error_code(&body).as_deref()),
            (StatusCode::UNAUTHORIZED, expected),
            "{method} {path} answers a caller with a token that is not a session"
        );
        let challenges: Vec<&str> = headers.get_all(WWW_AUTHENTICATE).iter().map(|v| v.to_str().unwrap()).collect();
        assert!(challenges.iter().any(|c| c.starts_with("Bearer")), "{method} {path}: {challenges:?}");
    }
}

#[test]
fn the_document_declares_the_bearer_scheme() {
    let doc = document();
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["type"], "http");
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    assert!(doc.get("security").is_none(), "security is per operation: the public ones need none");
    let login = &doc["paths"]["/api/v01/auth/login"]["post"];
    assert!(login["responses"]["423"]["headers"]["Retry-After"].is_object(), "login: no 423");
    assert!(login["responses"]["401"].is_object(), "login: no 401 invalid_credentials");
    let list = &doc["paths"]["/api/v01/draas/{draas_instance}/groups/{uuid}/admins"]["get"];
    let query: Vec<&str> = list["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["in"] == "query")
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(query, ["search", "sort", "dir", "page", "page_size", "next"], "the one stack's list parameters");
}

#[test]
fn the_document_has_the_bodies_and_the_error_envelope() {
    let doc = document();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let schemas = &doc["components"]["schemas"];
    for name in [
        "GroupCreate",
        "NamedCreate",
        "TenantCreate",
        "GroupUpdate",
        "NamedUpdate",
        "TenantUpdate",
        "NodeBody",
        "UuidBody",
        "GroupList",
        "DistributorList",
        "ResellerList",
        "TenantList",
        "AdminCreate",
        "AdminModify",
        "WelcomeBody",
        "IdBody",
        "AdminBody",
        "AdminList",
        "LoginBody",
        "SessionBody",
        "RedeemBody",
        "ForgotBody",
        "MeBody",
        "ErrorEnvelope",
    ] {
        assert!(schemas[name].is_object(), "no schema {name}");
    }
    for (list, field) in [
        ("GroupList", "groups"),
        ("DistributorList", "distributors"),
        ("ResellerList", "resellers"),
        ("TenantList", "tenants"),
    ] {
        let required: Vec<&str> =
            schemas[list]["required"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert_eq!(required, ["page", "pages", "results", field], "{list}");
        assert!(schemas[list]["properties"]["next"].is_object(), "{list}");
    }
    let error = &schemas["ErrorObject"];
    let mut required: Vec<&str> = error["required"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    required.sort();
    assert_eq!(required, ["code", "context", "details", "domain", "message"]);
    assert_eq!(schemas["ErrorEnvelope"]["properties"]["error"]["$ref"], "#/components/schemas/ErrorObject");
    // Every $ref names a schema of the document.
    let text = doc.to_string();
    for piece in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = &piece[..piece.find('"').unwrap()];
        assert!(schemas[name].is_object(), "dangling $ref {name}");
    }
}

#[test]
fn docs_openapi_json_is_up_to_date() {
    let generated = format!("{}\n", serde_json::to_string_pretty(&canopy_http::openapi()).unwrap());
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default().replace("\r\n", "\n");
    assert!(
        committed == generated,
        "docs/openapi.json is not the document the code generates: run `cargo xtask openapi` and commit the result"
    );
}

#[tokio::test]
async fn the_document_is_served_as_json() {
    let api = api().await;
    let (status, headers, body) = send(&api, "GET", "/api/v01/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[CONTENT_TYPE], "application/json");
    let json: Value = serde_json::from_slice(&body).expect("the document is JSON");
    assert!(json["openapi"].as_str().unwrap().starts_with("3.1"), "{}", json["openapi"]);
    assert_eq!(json, document());
}

/// The URLs that an HTML page or a script refers to: `src`/`href` attributes and `fetch(...)`.
fn references(text: &str) -> Vec<String> {
    let mut found = vec![];
    for marker in ["src=\"", "href=\"", "fetch(\""] {
        for piece in text.split(marker).skip(1) {
            found.push(piece[..piece.find('"').unwrap()].to_owned());
        }
    }
    found
}

#[tokio::test]
async fn the_reference_page_loads_from_this_server_only() {
    let api = api().await;
    let (status, headers, body) = send(&api, "GET", "/api/v01/docs").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[CONTENT_TYPE], "text/html; charset=utf-8");
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"), "{csp}");
    let page = String::from_utf8(body).unwrap();
    assert!(page.contains("<script src=") && page.contains("rel=\"stylesheet\""));

    let mut queue: Vec<(String, String)> = references(&page).into_iter().map(|r| ("page".to_owned(), r)).collect();
    let mut seen: Vec<String> = vec![];
    let mut texts = vec![("/api/v01/docs".to_owned(), page.clone())];
    while let Some((from, reference)) = queue.pop() {
        if reference.starts_with('#') {
            continue;
        }
        assert!(
            !reference.contains(':') && !reference.starts_with("//") && !reference.starts_with('/'),
            "{from} refers to {reference}, not a relative URL"
        );
        // The page is /api/v01/docs: relative URLs resolve against /api/v01/.
        let uri = format!("/api/v01/{}", reference.trim_start_matches("./"));
        if seen.contains(&uri) {
            continue;
        }
        seen.push(uri.clone());
        let (status, headers, body) = send(&api, "GET", &uri).await;
        assert_eq!(status, StatusCode::OK, "{from} refers to {uri}");
        let content_type = headers[CONTENT_TYPE].to_str().unwrap().to_owned();
        let expected = match uri.rsplit('.').next().unwrap() {
            "js" => "text/javascript",
            "css" => "text/css",
            "json" => "application/json",
            other => panic!("{uri}: unexpected asset type {other}"),
        };
        assert!(content_type.starts_with(expected), "{uri}: {content_type}");
        let text = String::from_utf8(body).unwrap();
        if expected == "text/javascript" {
            queue.extend(references(&text).into_iter().map(|r| (uri.clone(), r)));
        }
        if expected != "application/json" {
            texts.push((uri, text));
        }
    }
    for needed in ["/api/v01/docs/app.js", "/api/v01/docs/style.css", "/api/v01/openapi.json"] {
        assert!(seen.iter().any(|uri| uri == needed), "the page does not load {needed}: {seen:?}");
    }
    for (uri, text) in texts {
        for scheme in ["http://", "https://", "url(", "@import"] {
            assert!(!text.contains(scheme), "{uri} contains {scheme}");
        }
    }

    let (status, _, body) = send(&api, "GET", "/api/v01/docs/nothing.js").await;
    assert_eq!((status, error_code(&body).as_deref()), (StatusCode::NOT_FOUND, Some("route_not_found")));
}
