//! The route table: every path of the API in one place, each with what it requires.

use crate::accounts;
use crate::caller::BodyRecorder;
use crate::dto::{
    CreateBody, GroupCreate, GroupUpdate, ListQueryParams, NamedCreate, NamedUpdate, TenantCreate, TenantUpdate,
};
use crate::error::{ApiError, internal};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Authenticated};
use crate::limits::{self, BodyLimits};
use crate::metrics::{self, Metrics};
use crate::nodes::{self, NodePath, Under};
use crate::ops;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{Method, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, post, put};
use canopy_app::App;
use canopy_domain::NodeKind::{self, Distributor, Group, Reseller, Tenant};
use canopy_domain::{AdminAction, Level, Permission};
use std::sync::Arc;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// Longest a request may take before it is answered 503 `timeout`.
    pub request_timeout: Duration,
    /// Longest a request body may take to arrive, from its first read, before it is answered
    /// 408 `request_timeout`.
    pub body_read_timeout: Duration,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            body_limit: 64 * 1024,
            request_timeout: Duration::from_secs(30),
            body_read_timeout: Duration::from_secs(10),
        }
    }
}

pub(crate) const BASE: &str = "/api/v01/draas/{draas_instance}";
const AUTH: &str = "/api/v01/auth";

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: probes, metrics, documentation, and the routes that open sessions.
    Public,
    /// Any authenticated administrator, whatever its profile.
    Authenticated,
    /// An authenticated administrator whose profile holds this permission (then, the node the
    /// path names must lie in its subtree).
    Permission(Permission),
}

/// One method on one path: the single place where a route and what it requires are declared.
/// The router, the OpenAPI document and the authorization matrix test all read this table.
pub struct Route {
    pub method: Method,
    pub path: String,
    pub access: Access,
    handler: MethodRouter<App>,
}

impl Route {
    pub(crate) fn new(method: Method, path: String, access: Access, handler: MethodRouter<App>) -> Self {
        Self { method, path, access, handler }
    }
}

/// Every route: `(method, path template, access)`.
pub fn route_table() -> Vec<(Method, String, Access)> {
    routes(Metrics::new()).into_iter().map(|route| (route.method, route.path, route.access)).collect()
}

fn routes(metrics: Arc<Metrics>) -> Vec<Route> {
    let path = |rest: &str| format!("{BASE}{rest}");
    let scrape = get(move |State(app): State<App>| metrics::scrape(metrics, app));
    let mut all = vec![
        Route::new(Method::GET, "/metrics".into(), Access::Public, scrape),
        Route::new(Method::GET, "/healthz".into(), Access::Public, get(ops::healthz)),
        Route::new(Method::GET, "/readyz".into(), Access::Public, get(ops::readyz)),
        Route::new(Method::GET, path("/logic/rules"), Access::Permission(Permission::RulesRead), get(nodes::rules)),
        Route::new(Method::GET, path("/audit"), Access::Permission(Permission::AuditList), get(crate::audit::list)),
    ];
    all.extend(crate::openapi::docs_routes());
    nodes_routes(&mut all, None, Group);
    for (parent, kind) in [
        (Group, Distributor),
        (Group, Reseller),
        (Group, Tenant),
        (Distributor, Reseller),
        (Distributor, Tenant),
        (Reseller, Tenant),
    ] {
        nodes_routes(&mut all, Some(parent), kind);
    }
    // Site groups and users get their routes in the route table of issue 13 (not built here).
    let built = [Group, Distributor, Reseller, Tenant];
    for kind in built {
        item_routes(&mut all, kind);
    }
    crate::voice_routing::voice_routes(&mut all, BASE);
    admin_routes(&mut all, None);
    for kind in built {
        admin_routes(&mut all, Some(kind));
    }
    for kind in built {
        crate::owned_routes::belonging_routes(&mut all, kind);
        crate::owned_routes::config_routes(&mut all, kind);
    }
    crate::owned_routes::instance_branding_routes(&mut all);
    let auth = |rest: &str| format!("{AUTH}{rest}");
    all.extend([
        Route::new(Method::POST, auth("/login"), Access::Public, post(accounts::login)),
        Route::new(Method::POST, auth("/logout"), Access::Authenticated, post(accounts::logout)),
        Route::new(Method::POST, auth("/password"), Access::Authenticated, post(accounts::change_password)),
        Route::new(Method::GET, auth("/me"), Access::Authenticated, get(accounts::me)),
        Route::new(Method::POST, auth("/activate"), Access::Public, post(accounts::activate)),
        Route::new(Method::POST, auth("/forgot"), Access::Public, post(accounts::forgot)),
        Route::new(Method::POST, auth("/reset"), Access::Public, post(accounts::reset)),
    ]);
    all
}

pub fn router(app: App, config: HttpConfig) -> Router {
    let metrics = Metrics::new();
    let recorder = BodyRecorder { app: app.clone(), limit: config.body_limit };
    let api = routes(metrics.clone()).into_iter().fold(Router::new(), |router, route| {
        // The bodies of authenticated changes are recorded for the audit log, once the caller
        // is known; public routes (login carries a password) are left alone.
        let handler = match route.access {
            Access::Public => route.handler,
            _ => route.handler.layer(middleware::from_fn_with_state(recorder.clone(), crate::caller::record_body)),
        };
        router.route(&route.path, handler)
    });
    let limits = BodyLimits { max_bytes: config.body_limit, read_timeout: config.body_read_timeout };
    api.fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "route_not_found", "no such route") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "this route does not take this method")
        })
        .layer(DefaultBodyLimit::max(config.body_limit))
        .layer(CatchPanicLayer::custom(|_| -> Response { internal().into_response() }))
        .layer(middleware::from_fn_with_state(config.request_timeout, ops::timeout))
        // Outside the request timeout, so that a body still arriving when it strikes is the
        // client's 408, not the server's 503.
        .layer(middleware::from_fn_with_state(limits, limits::guard_body))
        .layer(middleware::from_fn_with_state(metrics, metrics::track))
        // Outermost last: the id is set (or kept) first, every log line of the request carries
        // it through the span, and the response echoes it.
        .layer(PropagateRequestIdLayer::new(ops::REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(SetRequestIdLayer::new(ops::REQUEST_ID, ops::RequestIds))
        .layer(middleware::from_fn(ops::sanitize_request_id))
        .with_state(app)
}

/// `GET` lists and `POST` creates the `kind` nodes of the instance (groups) or of a parent.
fn nodes_routes(all: &mut Vec<Route>, parent: Option<NodeKind>, kind: NodeKind) {
    let under = Under { parent, kind };
    let path = match parent {
        None => format!("{BASE}/{}", kind.plural()),
        Some(parent) => format!("{BASE}/{}/{{uuid}}/{}", parent.plural(), kind.plural()),
    };
    let list = get(
        move |State(app): State<App>,
              caller: Authenticated,
              ApiPath(path): ApiPath<NodePath>,
              ApiQuery(query): ApiQuery<ListQueryParams>| nodes::list(under, app, caller, path, query),
    );
    let create = match kind {
        Group => create_route::<GroupCreate>(under),
        Tenant => create_route::<TenantCreate>(under),
        Distributor | Reseller | NodeKind::SiteGroup | NodeKind::User => create_route::<NamedCreate>(under),
    };
    all.push(Route::new(Method::GET, path.clone(), Access::Permission(Permission::List(kind)), list));
    all.push(Route::new(Method::POST, path, Access::Permission(Permission::Create(kind)), create));
}

fn create_route<B: CreateBody + 'static>(under: Under) -> MethodRouter<App> {
    post(
        move |State(app): State<App>,
              caller: crate::caller::Acting,
              ApiPath(path): ApiPath<NodePath>,
              ApiJson(body): ApiJson<B>| nodes::create(under, app, caller, path, body),
    )
}

/// `GET`, `PUT` and `DELETE` of one node by uuid.
fn item_routes(all: &mut Vec<Route>, kind: NodeKind) {
    let path = format!("{BASE}/{}/{{uuid}}", kind.plural());
    let update: MethodRouter<App> = match kind {
        Group => put(move |state, caller, path, body| nodes::update::<GroupUpdate>(kind, state, caller, path, body)),
        Tenant => put(move |state, caller, path, body| nodes::update::<TenantUpdate>(kind, state, caller, path, body)),
        Distributor | Reseller | NodeKind::SiteGroup | NodeKind::User => {
            put(move |state, caller, path, body| nodes::update::<NamedUpdate>(kind, state, caller, path, body))
        }
    };
    all.extend([
        Route::new(
            Method::GET,
            path.clone(),
            Access::Permission(Permission::Read(kind)),
            get(move |state, caller, path| nodes::read(kind, state, caller, path)),
        ),
        Route::new(Method::PUT, path.clone(), Access::Permission(Permission::Update(kind)), update),
        Route::new(
            Method::DELETE,
            path,
            Access::Permission(Permission::Delete(kind)),
            delete(move |state, caller, path| nodes::delete(kind, state, caller, path)),
        ),
    ]);
}

/// The administrators of the instance (`level` None) or of each node of a kind.
fn admin_routes(all: &mut Vec<Route>, level: Level) {
    let base = match level {
        None => format!("{BASE}/admins"),
        Some(kind) => format!("{BASE}/{}/{{uuid}}/admins", kind.plural()),
    };
    let access = |action| Access::Permission(Permission::Admins(level, action));
    all.extend([
        Route::new(
            Method::GET,
            base.clone(),
            access(AdminAction::List),
            get(move |state, caller, path, query| accounts::list(level, state, caller, path, query)),
        ),
        Route::new(
            Method::POST,
            base.clone(),
            access(AdminAction::Create),
            post(move |state, caller, path, body| accounts::create(level, state, caller, path, body)),
        ),
        Route::new(
            Method::POST,
            format!("{base}/welcome"),
            access(AdminAction::Welcome),
            post(move |state, caller, path, body| accounts::welcome(level, state, caller, path, body)),
        ),
        Route::new(
            Method::PUT,
            format!("{base}/{{username}}"),
            access(AdminAction::Update),
            put(move |state, caller, path, body| accounts::update(level, state, caller, path, body)),
        ),
        Route::new(
            Method::DELETE,
            format!("{base}/{{username}}"),
            access(AdminAction::Delete),
            delete(move |state, caller, path| accounts::delete(level, state, caller, path)),
        ),
    ]);
}

/// The span of one request: every log line inside it carries the request id.
fn request_span<B>(request: &axum::http::Request<B>) -> tracing::Span {
    let id = request.headers().get(ops::REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
    // `admin` is filled in once the caller is authenticated.
    tracing::info_span!(
        "request",
        request_id = %id,
        method = %request.method(),
        uri = %request.uri().path(),
        admin = tracing::field::Empty
    )
}
