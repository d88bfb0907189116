//! The route table and what is built from it. Every route is declared once, in the module of the
//! resource it serves ([`Route`]: method, path, access, handler, OpenAPI operation); each face
//! ([`Face`]) mounts its resources' routes under its prefix. The router, the OpenAPI document, the
//! docs page (which renders the document) and the authorization matrix test all read this table.

mod doc;
mod document;
mod face;
mod finish;
mod given;
mod params;
mod route;
mod schemas;
mod schemes;
mod secret;

pub use doc::{Answer, Op, SchemaRef, Tag, capitalize, empty, errors, json_ok, schema, versioned, with_etag};
pub(crate) use doc::{JSON, header, text_ok};
pub(crate) use face::{DefaultInstance, RenderedFaces, alias_path, aliased, render_unrouted, schemes, within};
pub use face::{ErrorStyle, Face, FaceInstance, Mount, Negotiated};
pub use finish::{AUTHENTICATED, PERMISSION_EXTENSION};
pub use given::Given;
pub use params::{
    BODY_400, BODY_ERRORS_413, BODY_ERRORS_415, INSTANCE_404, InstancePath, PASSWORD_CHANGE_403, STORE_503,
    instance_param, node_not_found, node_params, path_param, uuid_param,
};
pub use route::{Access, Route};
pub(crate) use schemas::ErrorEnvelope;
pub use schemes::{AuthScheme, BEARER, Bearer, Credentials, SESSION_COOKIE_SCHEME, SessionCookie};
pub(crate) use schemes::{Presented, presented};
pub(crate) use secret::SecretTemplate;
pub use utoipa::openapi::path::HttpMethod;

use crate::caller::{BodyRecorder, is_change, record_body};
use crate::error::ApiError;
use crate::limits::{self, BodyLimits};
use crate::metrics::{self, Metrics};
use crate::ops;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::MethodRouter;
use canopy_app::App;
use secret::SecretPaths;
use std::sync::Arc;
use std::time::Duration;
use utoipa::openapi::OpenApi;

#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// Longest a request may take before it is answered 503 `timeout`.
    pub request_timeout: Duration,
    /// Longest a request body may take to arrive, from its first read, before it is answered
    /// 408 `request_timeout`.
    pub body_read_timeout: Duration,
    /// The instance a face's alias (`/api/v1`, `/api/1`) stands for; `None` serves no alias.
    pub default_instance: Option<String>,
    /// The proxies whose `X-Forwarded-For` names the client (for the logon IP lists).
    pub trusted_proxies: Vec<canopy_domain::LogonIp>,
    /// Whether the session cookie is `Secure` (off only for plain-HTTP development).
    pub secure_cookies: bool,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            body_limit: 64 * 1024,
            request_timeout: Duration::from_secs(30),
            body_read_timeout: Duration::from_secs(10),
            default_instance: None,
            trusted_proxies: Vec::new(),
            secure_cookies: true,
        }
    }
}

/// The faces this server speaks, each with its routes.
fn faces(metrics: Arc<Metrics>) -> Vec<Mount> {
    vec![
        crate::canopy::mount(),
        crate::sipxconfig::mount(),
        crate::apio::mount(),
        crate::portal::mount(),
        crate::ops::mount(metrics),
    ]
}

/// Every route, with its whole path.
pub fn route_table() -> Vec<Route> {
    faces(Metrics::new()).into_iter().flat_map(Mount::mounted).map(|(_, route)| route).collect()
}

/// The OpenAPI document of every route.
pub fn openapi() -> OpenApi {
    document::document(faces(Metrics::new()))
}

/// The router of every face.
pub fn router(app: App, config: HttpConfig) -> Router {
    router_with(app, config, [])
}

/// The router of every face and of `more` (a face under test).
pub fn router_with(app: App, config: HttpConfig, more: impl IntoIterator<Item = Mount>) -> Router {
    router_serving(app, config, more, Router::new())
}

/// The router of every face, of `more`, and of `pages`: the routes of another adapter over the
/// same app (the web console), which are no API operations (no OpenAPI document, no envelope of
/// their own) but pass through the same layers as every route: request ids, tracing, metrics,
/// body limits, the request timeout and the panic catcher.
pub fn router_serving(
    app: App,
    config: HttpConfig,
    more: impl IntoIterator<Item = Mount>,
    pages: Router<App>,
) -> Router {
    let metrics = Metrics::new();
    let recorder = BodyRecorder { app: app.clone(), limit: config.body_limit };
    let default_instance: Option<Arc<str>> = config.default_instance.as_deref().map(Arc::from);
    let mounts: Vec<_> = faces(metrics.clone()).into_iter().chain(more).flat_map(Mount::mounted).collect();
    let secrets = SecretPaths::of(mounts.iter().map(|(face, route)| (face.as_ref(), route)));
    // Each path once, with the methods of its routes: the canonical one and, with a default
    // instance, the face's alias. The body recorder on each route that needs a session (login
    // carries a password and is left alone).
    let mut paths: Vec<(Arc<Face>, String, MethodRouter<App>)> = Vec::new();
    // The routes whose bodies are bounded by their own limit, by method and path template.
    let mut wider: Vec<limits::WiderLimit> = Vec::new();
    let mut add = |face: &Arc<Face>, path: String, handler: MethodRouter<App>| match paths
        .iter_mut()
        .find(|(_, known, _)| *known == path)
    {
        Some((_, _, methods)) => *methods = std::mem::take(methods).merge(handler),
        None => paths.push((face.clone(), path, handler)),
    };
    for (face, route) in mounts {
        let recorder = BodyRecorder { limit: route.body_limit.unwrap_or(recorder.limit), ..recorder.clone() };
        // Only on changes: a read's route has no body to keep and goes without the layer.
        let handler = match route.access {
            Access::Public => route.handler,
            _ if !is_change(&route.method) => route.handler,
            _ => route.handler.layer(middleware::from_fn_with_state(recorder, record_body)),
        };
        let handler = match route.body_limit {
            Some(bytes) => handler.layer(DefaultBodyLimit::max(bytes)),
            None => handler,
        };
        let mut served = vec![];
        if let Some((default, path)) = default_instance.clone().zip(alias_path(&face, &route.path)) {
            served.push((path, aliased(handler.clone(), default)));
        }
        served.push((route.path, handler));
        if let Some(bytes) = route.body_limit {
            let templates = served.iter().map(|(path, _)| path.clone());
            wider.extend(templates.map(|path| limits::WiderLimit::new(route.method.clone(), &path, bytes)));
        }
        for (path, handler) in served {
            // A path that carries a secret is audited as its template (`secret.rs`).
            let handler = if route.secret_path { secret::audited_as(handler, &path) } else { handler };
            // A path declared with its trailing slash (APIO's form) is served without it too.
            if let Some(bare) = path.strip_suffix('/').filter(|bare| !bare.is_empty()) {
                add(&face, bare.to_owned(), handler.clone());
            }
            add(&face, path, handler);
        }
    }
    // (Kept for the refusals made before routing, below.)
    let mut prefixes: Vec<Arc<Face>> = Vec::new();
    let mut api = Router::new();
    for (face, path, methods) in paths {
        // A known path with another method: 405 with `Allow`, written the face's way (the face
        // outermost, so that the recorder authenticates the face's way too).
        api = api.route(&path, within(methods.fallback(method_not_allowed), face.clone()));
        if matches!(face.errors, ErrorStyle::Render(..)) && !prefixes.iter().any(|known| known.prefix == face.prefix) {
            prefixes.push(face);
        }
    }
    // Below the prefix of a face that does not write the envelope, an unknown path is answered
    // the face's way too.
    for face in &prefixes {
        for path in [face.prefix.to_owned(), format!("{}/{{*rest}}", face.prefix)] {
            api = api.route(&path, within(axum::routing::any(route_not_found), face.clone()));
        }
    }
    // The console's pages carry their template out for the metrics, as the faces' routes do.
    let api = api.merge(pages.layer(middleware::from_fn(metrics::carry_route)));
    let clients = crate::client::Clients {
        trusted_proxies: config.trusted_proxies.clone().into(),
        secure_cookies: config.secure_cookies,
    };
    let limits =
        BodyLimits { max_bytes: config.body_limit, read_timeout: config.body_read_timeout, wider: Arc::new(wider) };
    let bounds = crate::stack::Bounds {
        metrics,
        faces: RenderedFaces(Arc::new(prefixes)),
        limits,
        request_timeout: config.request_timeout,
    };
    let span = move |request: &axum::http::Request<axum::body::Body>| request_span(request, &secrets);
    crate::stack::around(api.fallback(route_not_found).with_state(app), clients, span, bounds, config.body_limit)
}

async fn route_not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "route_not_found", "no such route")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "this route does not take this method")
}

/// The span of one request: every log line inside it carries the request id, and the path (its
/// template when it carries a secret).
fn request_span<B>(request: &axum::http::Request<B>, secrets: &SecretPaths) -> tracing::Span {
    let id = request.headers().get(ops::REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
    // `admin` is filled in once the caller is authenticated.
    tracing::info_span!(
        "request",
        request_id = %id,
        method = %request.method(),
        uri = %secrets.logged(request.uri().path()),
        admin = tracing::field::Empty
    )
}
