//! The route table: every path of the API in one place, each bound to its kind and bodies.

use crate::dto::{
    CreateBody, GroupCreate, GroupUpdate, ListQueryParams, NamedCreate, NamedUpdate, TenantCreate, TenantUpdate,
    UpdateBody,
};
use crate::error::{ApiError, internal};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Authenticated};
use crate::metrics::{self, Metrics};
use crate::nodes::{self, Under};
use crate::ops;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use canopy_app::App;
use canopy_domain::NodeKind::{self, Distributor, Group, Reseller, Tenant};
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// Longest a request may take before it is answered 503 `timeout`.
    pub request_timeout: Duration,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self { body_limit: 64 * 1024, request_timeout: Duration::from_secs(30) }
    }
}

const BASE: &str = "/api/v01/draas/{draas_instance}";

pub fn router(app: App, config: HttpConfig) -> Router {
    let path = |rest: &str| format!("{BASE}{rest}");
    let metrics = Metrics::new();
    let scraped = metrics.clone();
    Router::new()
        .route("/metrics", get(move |State(app): State<App>| metrics::scrape(scraped, app)))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route(&path("/logic/rules"), get(nodes::rules))
        .route(&path("/groups"), top_level::<GroupCreate>(Group))
        .route(&path("/groups/{uuid}"), item::<GroupUpdate>(Group))
        .route(&path("/groups/{uuid}/distributors"), children::<NamedCreate>(Group, Distributor))
        .route(&path("/groups/{uuid}/resellers"), children::<NamedCreate>(Group, Reseller))
        .route(&path("/groups/{uuid}/tenants"), children::<TenantCreate>(Group, Tenant))
        .route(&path("/distributors/{uuid}"), item::<NamedUpdate>(Distributor))
        .route(&path("/distributors/{uuid}/resellers"), children::<NamedCreate>(Distributor, Reseller))
        .route(&path("/distributors/{uuid}/tenants"), children::<TenantCreate>(Distributor, Tenant))
        .route(&path("/resellers/{uuid}"), item::<NamedUpdate>(Reseller))
        .route(&path("/resellers/{uuid}/tenants"), children::<TenantCreate>(Reseller, Tenant))
        .route(&path("/tenants/{uuid}"), item::<TenantUpdate>(Tenant))
        .merge(crate::docs_router())
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "route_not_found", "no such route") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "this route does not take this method")
        })
        .layer(DefaultBodyLimit::max(config.body_limit))
        .layer(CatchPanicLayer::custom(|_| -> Response { internal().into_response() }))
        .layer(middleware::from_fn_with_state(config.request_timeout, ops::timeout))
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

/// `GET` lists and `POST` creates the nodes that sit directly in the instance (groups).
fn top_level<B: CreateBody + 'static>(kind: NodeKind) -> MethodRouter<App> {
    let under = Under { parent: None, kind };
    get(
        move |State(app): State<App>,
              caller: Authenticated,
              ApiPath(instance): ApiPath<String>,
              ApiQuery(query): ApiQuery<ListQueryParams>| {
            nodes::list(under, app, caller, instance, None, query)
        },
    )
    .post(
        move |State(app): State<App>,
              caller: Authenticated,
              ApiPath(instance): ApiPath<String>,
              ApiJson(body): ApiJson<B>| { nodes::create(under, app, caller, instance, None, body) },
    )
}

/// `GET` lists and `POST` creates the `kind` children of a `parent` node.
fn children<B: CreateBody + 'static>(parent: NodeKind, kind: NodeKind) -> MethodRouter<App> {
    let under = Under { parent: Some(parent), kind };
    get(
        move |State(app): State<App>,
              caller: Authenticated,
              ApiPath((instance, id)): ApiPath<(String, Uuid)>,
              ApiQuery(query): ApiQuery<ListQueryParams>| {
            nodes::list(under, app, caller, instance, Some(id), query)
        },
    )
    .post(
        move |State(app): State<App>,
              caller: Authenticated,
              ApiPath((instance, id)): ApiPath<(String, Uuid)>,
              ApiJson(body): ApiJson<B>| nodes::create(under, app, caller, instance, Some(id), body),
    )
}

/// `GET`, `PUT` and `DELETE` of one node by uuid.
fn item<B: UpdateBody + 'static>(kind: NodeKind) -> MethodRouter<App> {
    get(move |state, caller, path| nodes::read(kind, state, caller, path))
        .put(move |state, caller, path, body| nodes::update::<B>(kind, state, caller, path, body))
        .delete(move |state, caller, path| nodes::delete(kind, state, caller, path))
}

/// The span of one request: every log line inside it carries the request id.
fn request_span<B>(request: &axum::http::Request<B>) -> tracing::Span {
    let id = request.headers().get(ops::REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
    tracing::info_span!("request", request_id = %id, method = %request.method(), uri = %request.uri().path())
}
