//! Handlers of a group's voice routing, one set for its three collections (PSTN usages, voice
//! routes, voice routing policies), each a [`Collection`]. Creations, changes and deletions answer
//! `204` with no body, as the spec says; a creation names its object in `Location`, and creations
//! and changes carry the object's new version as `ETag`.

use super::bodies::{
    PolicyCreate, PolicyItem, PolicyModify, PstnUsageItem, ReferencesBody, RouteCreate, RouteItem, RouteModify,
    UsageBody,
};
use crate::caller::Changing;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, Reading};
use crate::list::{ListBody, ListQueryParams};
use crate::versioning::changed;
use axum::Json;
use axum::http::header::LOCATION;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use canopy_app::{App, AppError, Caller};
use canopy_domain::{
    ListParams, Listed, Principal, PstnUsage, Version, VoiceId, VoiceKind, VoiceRoute, VoiceRoutingPolicy,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::future::Future;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

/// One collection of a group's voice routing: its bodies, and the service calls that serve it.
pub(crate) trait Collection: Send + Sync + 'static {
    const KIND: VoiceKind;
    /// What the service answers for one object.
    type Stored: Send;
    /// How a list shows one object.
    type Item: Serialize + ToSchema + From<Self::Stored>;
    type Create: DeserializeOwned + Validate + ToSchema + Send;
    type Modify: DeserializeOwned + Validate + ToSchema + Send;

    fn list(
        app: &App,
        caller: &Principal,
        path: &VoicePath,
        params: ListParams,
    ) -> impl Future<Output = Result<Listed<Self::Stored>, AppError>> + Send;
    /// The new object's id and version.
    fn create(
        app: &App,
        caller: &Caller,
        path: &VoicePath,
        body: Self::Create,
    ) -> impl Future<Output = Result<(VoiceId, Version), AppError>> + Send;
    /// The object's new version.
    fn modify(
        app: &App,
        caller: &Caller,
        path: &VoicePath,
        body: Self::Modify,
    ) -> impl Future<Output = Result<Version, AppError>> + Send;
    fn delete(app: &App, caller: &Caller, path: &VoicePath) -> impl Future<Output = Result<(), AppError>> + Send;
}

/// The path of a voice routing route: the instance, the group, and the object's id on items.
#[derive(Debug, serde::Deserialize)]
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

pub(super) async fn list<C: Collection>(
    Reading { app, caller, path }: Reading<VoicePath>,
    ApiQuery(query): ApiQuery<ListQueryParams>,
) -> Result<Json<ListBody<C::Item>>, ApiError> {
    let list = C::list(&app, &caller.principal, &path, query.into()).await?;
    Ok(Json(ListBody::new(super::field(C::KIND), list).with_page_size()))
}

/// `204` with `Location` naming the new object (`…/{segment}/{id}`) and its first `ETag`.
pub(super) async fn create<C: Collection>(
    Changing { app, caller, path }: Changing<VoicePath>,
    ApiJson(body): ApiJson<C::Create>,
) -> Result<Response, ApiError> {
    let (id, version) = C::create(&app, &caller, &path, body).await?;
    let location = format!(
        "/api/v01/draas/{}/groups/{}/configurations/voice_routing/{}/{id}",
        path.draas_instance,
        path.uuid,
        C::KIND.segment()
    );
    let mut response = changed(version);
    // The instance was resolved by the service, so the path is plain ASCII.
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(LOCATION, value);
    }
    Ok(response)
}

pub(super) async fn modify<C: Collection>(
    Changing { app, caller, path }: Changing<VoicePath>,
    ApiJson(body): ApiJson<C::Modify>,
) -> Result<Response, ApiError> {
    Ok(changed(C::modify(&app, &caller, &path, body).await?))
}

pub(super) async fn delete<C: Collection>(
    Changing { app, caller, path }: Changing<VoicePath>,
) -> Result<StatusCode, ApiError> {
    C::delete(&app, &caller, &path).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) async fn usage_references(
    Reading { app, caller, path }: Reading<VoicePath>,
) -> Result<Json<ReferencesBody>, ApiError> {
    let referrers =
        app.voice_routing.usage_references(&caller.principal, &path.draas_instance, path.uuid, path.id()).await?;
    Ok(Json(ReferencesBody { referrers: referrers.iter().map(Into::into).collect() }))
}

pub(crate) struct Usages;
pub(crate) struct Routes;
pub(crate) struct Policies;

impl Collection for Usages {
    const KIND: VoiceKind = VoiceKind::PstnUsage;
    type Stored = PstnUsage;
    type Item = PstnUsageItem;
    type Create = UsageBody;
    type Modify = UsageBody;

    async fn list(
        app: &App,
        caller: &Principal,
        path: &VoicePath,
        params: ListParams,
    ) -> Result<Listed<PstnUsage>, AppError> {
        app.voice_routing.list_usages(caller, &path.draas_instance, path.uuid, params).await
    }

    async fn create(
        app: &App,
        caller: &Caller,
        path: &VoicePath,
        body: UsageBody,
    ) -> Result<(VoiceId, Version), AppError> {
        let usage = app.voice_routing.create_usage(caller, &path.draas_instance, path.uuid, &body.name).await?;
        Ok((usage.id, usage.version))
    }

    async fn modify(app: &App, caller: &Caller, path: &VoicePath, body: UsageBody) -> Result<Version, AppError> {
        let usage = app.voice_routing.rename_usage(caller, &path.draas_instance, path.uuid, path.id(), &body.name);
        Ok(usage.await?.version)
    }

    async fn delete(app: &App, caller: &Caller, path: &VoicePath) -> Result<(), AppError> {
        app.voice_routing.delete_usage(caller, &path.draas_instance, path.uuid, path.id()).await
    }
}

impl Collection for Routes {
    const KIND: VoiceKind = VoiceKind::VoiceRoute;
    type Stored = VoiceRoute;
    type Item = RouteItem;
    type Create = RouteCreate;
    type Modify = RouteModify;

    async fn list(
        app: &App,
        caller: &Principal,
        path: &VoicePath,
        params: ListParams,
    ) -> Result<Listed<VoiceRoute>, AppError> {
        app.voice_routing.list_routes(caller, &path.draas_instance, path.uuid, params).await
    }

    async fn create(
        app: &App,
        caller: &Caller,
        path: &VoicePath,
        body: RouteCreate,
    ) -> Result<(VoiceId, Version), AppError> {
        let route = app.voice_routing.create_route(caller, &path.draas_instance, path.uuid, body.into()).await?;
        Ok((route.id, route.version))
    }

    async fn modify(app: &App, caller: &Caller, path: &VoicePath, body: RouteModify) -> Result<Version, AppError> {
        let route = app.voice_routing.update_route(caller, &path.draas_instance, path.uuid, path.id(), body.into());
        Ok(route.await?.version)
    }

    async fn delete(app: &App, caller: &Caller, path: &VoicePath) -> Result<(), AppError> {
        app.voice_routing.delete_route(caller, &path.draas_instance, path.uuid, path.id()).await
    }
}

impl Collection for Policies {
    const KIND: VoiceKind = VoiceKind::VoiceRoutingPolicy;
    type Stored = VoiceRoutingPolicy;
    type Item = PolicyItem;
    type Create = PolicyCreate;
    type Modify = PolicyModify;

    async fn list(
        app: &App,
        caller: &Principal,
        path: &VoicePath,
        params: ListParams,
    ) -> Result<Listed<VoiceRoutingPolicy>, AppError> {
        app.voice_routing.list_policies(caller, &path.draas_instance, path.uuid, params).await
    }

    async fn create(
        app: &App,
        caller: &Caller,
        path: &VoicePath,
        body: PolicyCreate,
    ) -> Result<(VoiceId, Version), AppError> {
        let policy = app.voice_routing.create_policy(caller, &path.draas_instance, path.uuid, body.into()).await?;
        Ok((policy.id, policy.version))
    }

    async fn modify(app: &App, caller: &Caller, path: &VoicePath, body: PolicyModify) -> Result<Version, AppError> {
        let policy = app.voice_routing.update_policy(caller, &path.draas_instance, path.uuid, path.id(), body.into());
        Ok(policy.await?.version)
    }

    async fn delete(app: &App, caller: &Caller, path: &VoicePath) -> Result<(), AppError> {
        app.voice_routing.delete_policy(caller, &path.draas_instance, path.uuid, path.id()).await
    }
}
