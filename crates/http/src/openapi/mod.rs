//! The OpenAPI 3.1 document of the API, built from the code, and the routes that serve it with
//! a browsable reference page (hand-written, embedded in the binary: no external URL anywhere).
//!
//! The route table builds its handlers with closures over a kind, so the operations are declared
//! here, one small table per shape of route (`nodes.rs`: collections, items, rules; `accounts.rs`:
//! administrators at every level, authentication), rather than on the handlers. The bodies come
//! from the DTOs themselves (`ToSchema`), so a renamed or added field shows up in the document.
//!
//! What an operation requires is never written here: `operations.rs` looks each `(method, path)`
//! up in [`crate::routes::route_table`], the table the router is built from, and writes it in the
//! extension `x-required-permission`:
//! * `Access::Permission(p)`: the permission as the spec spells it (`p.to_string()`, e.g.
//!   `groups.instance.admins.create`);
//! * `Access::Authenticated`: the string `"authenticated"` (any logged-in administrator);
//! * `Access::Public`: `null`.
//!
//! Every operation that is not public also gets `security: [{bearer: []}]` (the `bearer` scheme of
//! the components) and a 401; one that requires a permission, a 403 naming it.
//! `crates/http/tests/openapi.rs` checks that the route table, the router and the document agree,
//! and that `docs/openapi.json` (written by `cargo xtask openapi`) is up to date.

use crate::error::ApiError;
use crate::extract::ApiPath;
use crate::routes::{Access, Route};
use axum::http::header::{CONTENT_TYPE, HeaderName};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::sync::OnceLock;

mod accounts;
mod audit;
mod auth;
mod belongings;
mod branding;
mod configurations;
mod nodes;
mod operations;
mod schemas;
mod versions_owned;
mod voice_routing;

pub use operations::openapi;

/// Where the document is served.
pub const DOCUMENT_PATH: &str = "/api/v01/openapi.json";
/// Where the reference page is served; its assets are below it.
pub const PAGE_PATH: &str = "/api/v01/docs";

const BASE: &str = "/api/v01/draas/{draas_instance}";
const JSON: &str = "application/json";
/// The extension naming what an operation requires: a permission, [`AUTHENTICATED`], or `null`
/// (public).
pub const PERMISSION_EXTENSION: &str = "x-required-permission";
/// The value of [`PERMISSION_EXTENSION`] of the operations open to any logged-in administrator.
pub const AUTHENTICATED: &str = "authenticated";
/// The name of the security scheme (HTTP bearer) of every operation that is not public.
pub const BEARER: &str = "bearer";

/// The page and its assets, embedded: `(file name, content type, body)`.
const ASSETS: &[(&str, &str, &str)] = &[
    ("app.js", "text/javascript; charset=utf-8", include_str!("../../assets/app.js")),
    ("style.css", "text/css; charset=utf-8", include_str!("../../assets/style.css")),
];
const PAGE: &str = include_str!("../../assets/index.html");
/// The page loads nothing from elsewhere, and the browser enforces it.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; \
                   base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The routes of the document and of the reference page, for the route table.
pub(crate) fn docs_routes() -> Vec<Route> {
    vec![
        Route::new(Method::GET, DOCUMENT_PATH.into(), Access::Public, get(document)),
        Route::new(Method::GET, PAGE_PATH.into(), Access::Public, get(page)),
        Route::new(Method::GET, format!("{PAGE_PATH}/{{asset}}"), Access::Public, get(asset)),
    ]
}

async fn document() -> Response {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    let body = DOCUMENT.get_or_init(|| serde_json::to_string(&openapi()).expect("the document serializes"));
    ([(CONTENT_TYPE, JSON)], body.as_str()).into_response()
}

async fn page() -> Response {
    let csp = HeaderName::from_static("content-security-policy");
    ([(CONTENT_TYPE, "text/html; charset=utf-8"), (csp, CSP)], PAGE).into_response()
}

async fn asset(ApiPath(name): ApiPath<String>) -> Response {
    match ASSETS.iter().find(|(file, _, _)| *file == name) {
        Some((_, content_type, body)) => ([(CONTENT_TYPE, *content_type)], *body).into_response(),
        None => ApiError::new(StatusCode::NOT_FOUND, "route_not_found", "no such route").into_response(),
    }
}
