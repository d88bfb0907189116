//! The OpenAPI 3.1 document of the API (built from the route table by `crate::api`), and the
//! routes that serve it with a browsable reference page (hand-written, embedded in the binary: no
//! external URL anywhere). `crates/http/tests/openapi.rs` checks that the route table, the router
//! and the document agree, and that `docs/openapi.json` (written by `cargo xtask openapi`) is up
//! to date.

use crate::api::HttpMethod::Get;
use crate::api::{Access, Op, Route, Tag, errors, path_param, text_ok};
use crate::error::ApiError;
use crate::extract::ApiPath;
use axum::http::StatusCode;
use axum::http::header::{CONTENT_TYPE, HeaderName};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::sync::OnceLock;
use utoipa::openapi::schema::{ObjectBuilder, Type};

/// Where the document is served.
pub const DOCUMENT_PATH: &str = "/api/v01/openapi.json";
/// Where the reference page is served; its assets are below it.
pub const PAGE_PATH: &str = "/api/v01/docs";

/// The page and its assets, embedded: `(file name, content type, body)`.
const ASSETS: &[(&str, &str, &str)] = &[
    ("app.js", "text/javascript; charset=utf-8", include_str!("../../assets/app.js")),
    ("style.css", "text/css; charset=utf-8", include_str!("../../assets/style.css")),
];
const PAGE: &str = include_str!("../../assets/index.html");
const HTML: &str = "text/html; charset=utf-8";
/// The page loads nothing from elsewhere, and the browser enforces it.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; \
                   base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The routes of the document and of the reference page.
pub(crate) fn routes() -> Vec<Route> {
    let tag = Tag::new("documentation", "This document and its reference page.");
    let mut all = Route::derived::<__path_document, _, _>(tag.clone(), Access::Public, document);
    all.extend(Route::derived::<__path_page, _, _>(tag.clone(), Access::Public, page));
    let path = format!("{PAGE_PATH}/{{asset}}");
    all.push(Route::new(Get, path, Access::Public, asset, move || asset_op(tag)));
    all
}

fn asset_op(tag: Tag) -> Op {
    let names: Vec<Value> = ASSETS.iter().map(|(name, _, _)| Value::from(*name)).collect();
    let content_types: Vec<&str> = ASSETS.iter().map(|(_, content_type, _)| *content_type).collect();
    Op {
        id: "docsAsset".to_owned(),
        tag,
        summary: "An asset of the reference page".to_owned(),
        description: "The page's script and style sheet, embedded in the server.".to_owned(),
        params: vec![path_param(
            "asset",
            "The asset's file name.",
            ObjectBuilder::new().schema_type(Type::String).enum_values(Some(names)),
        )],
        body: None,
        ok: text_ok("The asset.", &content_types),
        errors: errors(&[(404, "`route_not_found`: no such asset.")]),
    }
}

#[utoipa::path(
    get,
    path = DOCUMENT_PATH,
    operation_id = "openapi",
    summary = "This OpenAPI document",
    description = "The OpenAPI 3.1 document of the API, generated from the code.",
    responses((status = 200, description = "The document.", body = Object))
)]
async fn document() -> Response {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    let body = DOCUMENT.get_or_init(|| serde_json::to_string(&crate::openapi()).expect("the document serializes"));
    ([(CONTENT_TYPE, crate::api::JSON)], body.as_str()).into_response()
}

#[utoipa::path(
    get,
    path = PAGE_PATH,
    operation_id = "docs",
    summary = "The API reference page",
    description = "A browsable reference rendered from this document; it loads nothing from outside the server.",
    responses((status = 200, description = "The page.", body = String, content_type = HTML))
)]
async fn page() -> Response {
    let csp = HeaderName::from_static("content-security-policy");
    ([(CONTENT_TYPE, HTML), (csp, CSP)], PAGE).into_response()
}

async fn asset(ApiPath(name): ApiPath<String>) -> Response {
    match ASSETS.iter().find(|(file, _, _)| *file == name) {
        Some((_, content_type, body)) => ([(CONTENT_TYPE, *content_type)], *body).into_response(),
        None => ApiError::new(StatusCode::NOT_FOUND, "route_not_found", "no such route").into_response(),
    }
}
