//! The OpenAPI document against the router: every documented operation is served, every served
//! route is documented with its permission, `docs/openapi.json` is up to date, and the reference
//! page loads, from this server only.

use axum::body::Body;
use axum::http::header::{CONTENT_TYPE, HeaderMap};
use axum::http::{Method, Request, StatusCode};
use canopy_app::App;
use canopy_domain::InstanceSlug;
use canopy_http::{HttpConfig, router};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

const BASE: &str = "/api/v01/draas/{draas_instance}";

/// Every route the router serves: `(method, path template, required permission)`. A route added
/// to the router must be added here, and to the document (`crates/http/src/openapi.rs`).
const ROUTES: &[(&str, &str, Option<&str>)] = &[
    ("GET", "/healthz", None),
    ("GET", "/readyz", None),
    ("GET", "/metrics", None),
    ("GET", "/api/v01/openapi.json", None),
    ("GET", "/api/v01/docs", None),
    ("GET", "/api/v01/docs/{asset}", None),
    ("GET", "{BASE}/logic/rules", Some("logic.rules.read")),
    ("GET", "{BASE}/groups", Some("groups.list")),
    ("POST", "{BASE}/groups", Some("groups.create")),
    ("GET", "{BASE}/groups/{uuid}", Some("groups.instance.read")),
    ("PUT", "{BASE}/groups/{uuid}", Some("groups.instance.update")),
    ("DELETE", "{BASE}/groups/{uuid}", Some("groups.instance.delete")),
    ("GET", "{BASE}/groups/{uuid}/distributors", Some("distributors.list")),
    ("POST", "{BASE}/groups/{uuid}/distributors", Some("distributors.create")),
    ("GET", "{BASE}/groups/{uuid}/resellers", Some("resellers.list")),
    ("POST", "{BASE}/groups/{uuid}/resellers", Some("resellers.create")),
    ("GET", "{BASE}/groups/{uuid}/tenants", Some("tenants.list")),
    ("POST", "{BASE}/groups/{uuid}/tenants", Some("tenants.create")),
    ("GET", "{BASE}/distributors/{uuid}", Some("distributors.instance.read")),
    ("PUT", "{BASE}/distributors/{uuid}", Some("distributors.instance.update")),
    ("DELETE", "{BASE}/distributors/{uuid}", Some("distributors.instance.delete")),
    ("GET", "{BASE}/distributors/{uuid}/resellers", Some("resellers.list")),
    ("POST", "{BASE}/distributors/{uuid}/resellers", Some("resellers.create")),
    ("GET", "{BASE}/distributors/{uuid}/tenants", Some("tenants.list")),
    ("POST", "{BASE}/distributors/{uuid}/tenants", Some("tenants.create")),
    ("GET", "{BASE}/resellers/{uuid}", Some("resellers.instance.read")),
    ("PUT", "{BASE}/resellers/{uuid}", Some("resellers.instance.update")),
    ("DELETE", "{BASE}/resellers/{uuid}", Some("resellers.instance.delete")),
    ("GET", "{BASE}/resellers/{uuid}/tenants", Some("tenants.list")),
    ("POST", "{BASE}/resellers/{uuid}/tenants", Some("tenants.create")),
    ("GET", "{BASE}/tenants/{uuid}", Some("tenants.instance.read")),
    ("PUT", "{BASE}/tenants/{uuid}", Some("tenants.instance.update")),
    ("DELETE", "{BASE}/tenants/{uuid}", Some("tenants.instance.delete")),
];

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "DELETE", "PATCH"];

async fn api() -> axum::Router {
    let app = App::in_memory(&[InstanceSlug::parse("default").unwrap()]).await.unwrap();
    router(app, HttpConfig::default())
}

async fn send(api: &axum::Router, method: &str, uri: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut request = Request::builder().method(Method::from_bytes(method.as_bytes()).unwrap()).uri(uri);
    let body = if matches!(method, "POST" | "PUT" | "PATCH") {
        request = request.header(CONTENT_TYPE, "application/json");
        Body::from("{}")
    } else {
        Body::empty()
    };
    let response = api.clone().oneshot(request.body(body).unwrap()).await.unwrap();
    let (parts, body) = response.into_parts();
    (parts.status, parts.headers, body.collect().await.unwrap().to_bytes().to_vec())
}

/// The error code of a failure in the envelope, if the body is one.
fn error_code(body: &[u8]) -> Option<String> {
    let json: Value = serde_json::from_slice(body).ok()?;
    json["error"]["code"].as_str().map(str::to_owned)
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
        let uri = concrete(path, op);
        let (status, _, body) = send(&api, method, &uri).await;
        let code = error_code(&body);
        assert!(
            status != StatusCode::METHOD_NOT_ALLOWED
                && !matches!(code.as_deref(), Some("route_not_found" | "method_not_allowed")),
            "{method} {path} is documented but the router does not serve it ({uri}: {status}, {code:?})"
        );
    }
    // A method that the document does not list on a path must not be served either.
    for (path, item) in doc["paths"].as_object().unwrap() {
        let (_, _, op) = ops.iter().find(|(_, p, _)| p == path).unwrap();
        let uri = concrete(path, op);
        for method in METHODS.iter().filter(|m| item.get(m.to_lowercase()).is_none()) {
            let (status, _, body) = send(&api, method, &uri).await;
            assert_eq!(
                (status, error_code(&body).as_deref()),
                (StatusCode::METHOD_NOT_ALLOWED, Some("method_not_allowed")),
                "{method} {path} is served but not documented"
            );
        }
    }
}

#[tokio::test]
async fn every_route_is_documented_with_its_permission() {
    let doc = document();
    let documented: Vec<(String, String, Value)> = operations(&doc);
    for (method, path, permission) in ROUTES {
        let path = path.replace("{BASE}", BASE);
        let op =
            documented.iter().find(|(m, p, _)| m == method && *p == path).map(|(_, _, op)| op).unwrap_or_else(|| {
                panic!("{method} {path} is served but not in the document (crates/http/src/openapi.rs)")
            });
        let declared = op.get("x-required-permission").unwrap_or_else(|| panic!("{method} {path}: no permission"));
        assert_eq!(declared.as_str(), *permission, "{method} {path}: permission");
        assert!(op["operationId"].is_string() && op["summary"].is_string(), "{method} {path}");
        assert!(op["tags"][0].is_string(), "{method} {path}: no tag");
        assert!(op["responses"]["200"].is_object(), "{method} {path}: no 200");
    }
    for (method, path, _) in &documented {
        assert!(
            ROUTES.iter().any(|(m, p, _)| m == method && p.replace("{BASE}", BASE) == *path),
            "{method} {path} is documented but missing from this test's ROUTES"
        );
    }
    assert_eq!(documented.len(), ROUTES.len());
}

#[tokio::test]
async fn every_route_of_the_test_table_is_served() {
    // The other half of the check: each entry of ROUTES is really served (so the table follows
    // the router, and the document, checked against the table, follows it too).
    let api = api().await;
    let doc = document();
    for (method, path, _) in ROUTES {
        let path = path.replace("{BASE}", BASE);
        let op = &doc["paths"][&path][method.to_lowercase()];
        let uri = concrete(&path, op);
        let (status, _, body) = send(&api, method, &uri).await;
        let code = error_code(&body);
        assert!(
            !matches!(code.as_deref(), Some("route_not_found" | "method_not_allowed")),
            "{method} {path} is in ROUTES but not served ({status}, {code:?})"
        );
    }
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
