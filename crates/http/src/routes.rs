//! The route table: every path of the API in one place, each bound to its kind and bodies.

use crate::dto::{
    CreateBody, GroupCreate, GroupUpdate, ListQueryParams, NamedCreate, NamedUpdate, TenantCreate, TenantUpdate,
    UpdateBody,
};
use crate::error::{ApiError, internal};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Authenticated};
use crate::nodes::{self, Under};
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use canopy_app::App;
use canopy_domain::NodeKind::{self, Distributor, Group, Reseller, Tenant};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self { body_limit: 64 * 1024 }
    }
}

const BASE: &str = "/api/v01/draas/{draas_instance}";

pub fn router(app: App, config: HttpConfig) -> Router {
    let path = |rest: &str| format!("{BASE}{rest}");
    Router::new()
        .route("/healthz", get(|| async { axum::Json(serde_json::json!({ "status": "ok" })) }))
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
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "route_not_found", "no such route") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "this route does not take this method")
        })
        .layer(DefaultBodyLimit::max(config.body_limit))
        .layer(CatchPanicLayer::custom(|_| -> Response { internal().into_response() }))
        .layer(TraceLayer::new_for_http())
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
