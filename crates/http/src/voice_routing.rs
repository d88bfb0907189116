//! Handlers and routes of a group's voice routing: PSTN usages, voice routes and voice routing
//! policies (spec fusion-draas-groups). Creations, changes and deletions answer `204` with no
//! body, as the spec says; a creation names its object in `Location`, and creations and changes
//! carry the object's new version as `ETag`.

use crate::caller::Acting;
use crate::dto::ListQueryParams;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ApiQuery, Authenticated};
use crate::routes::{Access, Route};
use crate::versioning::tagged;
use crate::voice_dto::{
    PolicyCreate, PolicyList, PolicyModify, ReferencesBody, RouteCreate, RouteList, RouteModify, UsageBody, UsageList,
};
use axum::Json;
use axum::extract::State;
use axum::http::header::LOCATION;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::Response;
use axum::routing::{delete, get, post, put};
use canopy_app::App;
use canopy_domain::{Listed, NodeKind, Owned, Permission, Verb, Version, VoiceId, VoiceKind};
use serde::Deserialize;
use uuid::Uuid;

/// The path of a voice routing route: the instance, the group, and the object's id on items.
#[derive(Debug, Deserialize)]
pub struct VoicePath {
    draas_instance: String,
    uuid: Uuid,
    id: Option<i64>,
}

impl VoicePath {
    fn id(&self) -> i64 {
        self.id.unwrap_or_default()
    }
}

/// `204` with the `ETag` of the object's version after a change.
fn changed(version: Version) -> Response {
    tagged(version, StatusCode::NO_CONTENT)
}

/// `204` with `Location` naming the new object (`…/{segment}/{id}`) and its first `ETag`.
fn created(path: &VoicePath, kind: VoiceKind, id: VoiceId, version: Version) -> Response {
    let location = format!(
        "/api/v01/draas/{}/groups/{}/configurations/voice_routing/{}/{id}",
        path.draas_instance,
        path.uuid,
        kind.segment()
    );
    let mut response = changed(version);
    // The instance was resolved by the service, so the path is plain ASCII.
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

fn parts<T, U: From<T>>(list: Listed<T>) -> (u64, u32, u64, u64, Option<String>, Vec<U>) {
    let items = list.items.into_iter().map(Into::into).collect();
    (list.page, list.page_size, list.pages, list.results, list.next, items)
}

async fn list_usages(
    State(app): State<App>,
    caller: Authenticated,
    ApiPath(path): ApiPath<VoicePath>,
    ApiQuery(query): ApiQuery<ListQueryParams>,
) -> Result<Json<UsageList>, ApiError> {
    let list = app.voice_routing.list_usages(&caller.principal, &path.draas_instance, path.uuid, query.into()).await?;
    let (page, page_size, pages, results, next, pstn_usages) = parts(list);
    Ok(Json(UsageList { page, page_size, pages, results, next, pstn_usages }))
}

async fn create_usage(
    State(app): State<App>,
    Acting(caller): Acting,
    ApiPath(path): ApiPath<VoicePath>,
    ApiJson(body): ApiJson<UsageBody>,
) -> Result<Response, ApiError> {
    let usage = app.voice_routing.create_usage(&caller, &path.draas_instance, path.uuid, &body.name).await?;
    Ok(created(&path, VoiceKind::PstnUsage, usage.id, usage.version))
}

async fn update_usage(
    State(app): State<App>,
    Acting(caller): Acting,
    ApiPath(path): ApiPath<VoicePath>,
    ApiJson(body): ApiJson<UsageBody>,
) -> Result<Response, ApiError> {
    let (instance, group, id) = (&path.draas_instance, path.uuid, path.id());
    let changed_one = app.voice_routing.rename_usage(&caller, instance, group, id, &body.name).await?;
    Ok(changed(changed_one.version))
}

async fn delete_usage(
    State(app): State<App>,
    Acting(caller): Acting,
    ApiPath(path): ApiPath<VoicePath>,
) -> Result<StatusCode, ApiError> {
    app.voice_routing.delete_usage(&caller, &path.draas_instance, path.uuid, path.id()).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn usage_references(
    State(app): State<App>,
    caller: Authenticated,
    ApiPath(path): ApiPath<VoicePath>,
) -> Result<Json<ReferencesBody>, ApiError> {
    let referrers =
        app.voice_routing.usage_references(&caller.principal, &path.draas_instance, path.uuid, path.id()).await?;
    Ok(Json(ReferencesBody { referrers: referrers.iter().map(Into::into).collect() }))
}

async fn list_routes(
    State(app): State<App>,
    caller: Authenticated,
    ApiPath(path): ApiPath<VoicePath>,
    ApiQuery(query): ApiQuery<ListQueryParams>,
) -> Result<Json<RouteList>, ApiError> {
    let list = app.voice_routing.list_routes(&caller.principal, &path.draas_instance, path.uuid, query.into()).await?;
    let (page, page_size, pages, results, next, voice_routes) = parts(list);
    Ok(Json(RouteList { page, page_size, pages, results, next, voice_routes }))
}

async fn create_route(
    State(app): State<App>,
    Acting(caller): Acting,
    ApiPath(path): ApiPath<VoicePath>,
    ApiJson(body): ApiJson<RouteCreate>,
) -> Result<Response, ApiError> {
    let route = app.voice_routing.create_route(&caller, &path.draas_instance, path.uuid, body.into()).await?;
    Ok(created(&path, VoiceKind::VoiceRoute, route.id, route.version))
}

async fn update_route(
    State(app): State<App>,
    Acting(caller): Acting,
    ApiPath(path): ApiPath<VoicePath>,
    ApiJson(body): ApiJson<RouteModify>,
) -> Result<Response, ApiError> {
    let (instance, group, id) = (&path.draas_instance, path.uuid, path.id());
    let changed_one = app.voice_routing.update_route(&caller, instance, group, id, body.into()).await?;
    Ok(changed(changed_one.version))
}

async fn delete_route(
    State(app): State<App>,
    Acting(caller): Acting,
    ApiPath(path): ApiPath<VoicePath>,
) -> Result<StatusCode, ApiError> {
    app.voice_routing.delete_route(&caller, &path.draas_instance, path.uuid, path.id()).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list_policies(
    State(app): State<App>,
    caller: Authenticated,
    ApiPath(path): ApiPath<VoicePath>,
    ApiQuery(query): ApiQuery<ListQueryParams>,
) -> Result<Json<PolicyList>, ApiError> {
    let list =
        app.voice_routing.list_policies(&caller.principal, &path.draas_instance, path.uuid, query.into()).await?;
    let (page, page_size, pages, results, next, voice_routing_policies) = parts(list);
    Ok(Json(PolicyList { page, page_size, pages, results, next, voice_routing_policies }))
}

async fn create_policy(
    State(app): State<App>,
    Acting(caller): Acting,
    ApiPath(path): ApiPath<VoicePath>,
    ApiJson(body): ApiJson<PolicyCreate>,
) -> Result<Response, ApiError> {
    let policy = app.voice_routing.create_policy(&caller, &path.draas_instance, path.uuid, body.into()).await?;
    Ok(created(&path, VoiceKind::VoiceRoutingPolicy, policy.id, policy.version))
}

async fn update_policy(
    State(app): State<App>,
    Acting(caller): Acting,
    ApiPath(path): ApiPath<VoicePath>,
    ApiJson(body): ApiJson<PolicyModify>,
) -> Result<Response, ApiError> {
    let (instance, group, id) = (&path.draas_instance, path.uuid, path.id());
    let changed_one = app.voice_routing.update_policy(&caller, instance, group, id, body.into()).await?;
    Ok(changed(changed_one.version))
}

async fn delete_policy(
    State(app): State<App>,
    Acting(caller): Acting,
    ApiPath(path): ApiPath<VoicePath>,
) -> Result<StatusCode, ApiError> {
    app.voice_routing.delete_policy(&caller, &path.draas_instance, path.uuid, path.id()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The routes of a group's voice routing, for the route table.
pub(crate) fn voice_routes(all: &mut Vec<Route>, base: &str) {
    let collection =
        |kind: VoiceKind| format!("{base}/groups/{{uuid}}/configurations/voice_routing/{}", kind.segment());
    let item = |kind: VoiceKind| format!("{}/{{id}}", collection(kind));
    let access = |owned, verb| Access::Permission(Permission::Owned(NodeKind::Group, owned, verb));
    let (usage, route, policy) = (VoiceKind::PstnUsage, VoiceKind::VoiceRoute, VoiceKind::VoiceRoutingPolicy);
    let (u, r, p) = (Owned::PstnUsages, Owned::VoiceRoutes, Owned::VoiceRoutingPolicies);
    all.extend([
        Route::new(Method::GET, collection(usage), access(u, Verb::List), get(list_usages)),
        Route::new(Method::POST, collection(usage), access(u, Verb::Create), post(create_usage)),
        Route::new(Method::PUT, item(usage), access(u, Verb::Update), put(update_usage)),
        Route::new(Method::DELETE, item(usage), access(u, Verb::Delete), delete(delete_usage)),
        Route::new(Method::GET, format!("{}/references", item(usage)), access(u, Verb::Read), get(usage_references)),
        Route::new(Method::GET, collection(route), access(r, Verb::List), get(list_routes)),
        Route::new(Method::POST, collection(route), access(r, Verb::Create), post(create_route)),
        Route::new(Method::PUT, item(route), access(r, Verb::Update), put(update_route)),
        Route::new(Method::DELETE, item(route), access(r, Verb::Delete), delete(delete_route)),
        Route::new(Method::GET, collection(policy), access(p, Verb::List), get(list_policies)),
        Route::new(Method::POST, collection(policy), access(p, Verb::Create), post(create_policy)),
        Route::new(Method::PUT, item(policy), access(p, Verb::Update), put(update_policy)),
        Route::new(Method::DELETE, item(policy), access(p, Verb::Delete), delete(delete_policy)),
    ]);
}
