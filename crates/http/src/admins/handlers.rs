//! Handlers of the administrator routes: every level shares them, the routes pass the level in.

use super::bodies::{AdminBody, AdminCreate, AdminModify, IdBody, WelcomeBody};
use crate::caller::Changing;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, Reading};
use crate::list::{ListBody, ListQueryParams};
use axum::Json;
use axum::http::StatusCode;
use axum::response::Response;
use canopy_app::AdminHolder;
use canopy_domain::Level;
use serde::Deserialize;
use uuid::Uuid;

/// The path of an administrators' route: the instance, the node (absent at the system level)
/// and the administrator (on `.../admins/{username}`).
#[derive(Debug, Deserialize)]
pub struct AdminPath {
    draas_instance: String,
    uuid: Option<Uuid>,
    username: Option<String>,
}

impl AdminPath {
    fn holder(&self, level: Level) -> AdminHolder {
        level.zip(self.uuid)
    }

    fn username(&self) -> &str {
        self.username.as_deref().unwrap_or_default()
    }
}

pub async fn list(
    level: Level,
    Reading { app, caller, path }: Reading<AdminPath>,
    ApiQuery(query): ApiQuery<ListQueryParams>,
) -> Result<Json<ListBody<AdminBody>>, ApiError> {
    let page = app.admins.list(&caller.principal, &path.draas_instance, path.holder(level), query.into()).await?;
    Ok(Json(ListBody::new("admins", page)))
}

pub async fn create(
    level: Level,
    Changing { app, caller, path }: Changing<AdminPath>,
    ApiJson(body): ApiJson<AdminCreate>,
) -> Result<Response, ApiError> {
    let admin = app.admins.create(&caller, &path.draas_instance, path.holder(level), body.into()).await?;
    Ok(IdBody::answer(&admin))
}

pub async fn update(
    level: Level,
    Changing { app, caller, path }: Changing<AdminPath>,
    ApiJson(body): ApiJson<AdminModify>,
) -> Result<Response, ApiError> {
    let holder = path.holder(level);
    let admin = app.admins.update(&caller, &path.draas_instance, holder, path.username(), body.into()).await?;
    Ok(IdBody::answer(&admin))
}

/// 204 whether or not the administrator existed.
pub async fn delete(level: Level, Changing { app, caller, path }: Changing<AdminPath>) -> Result<StatusCode, ApiError> {
    app.admins.delete(&caller, &path.draas_instance, path.holder(level), path.username()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 200 with no body once the message is handed to the mail server.
pub async fn welcome(
    level: Level,
    Reading { app, caller, path }: Reading<AdminPath>,
    ApiJson(body): ApiJson<WelcomeBody>,
) -> Result<StatusCode, ApiError> {
    app.admins.welcome(&caller.principal, &path.draas_instance, path.holder(level), &body.admin_email).await?;
    Ok(StatusCode::OK)
}
