//! Handlers of the general configuration routes, one set for every kind: the route table passes
//! the kind in.

use crate::caller::Acting;
use crate::config_dto::{ConfigQuery, KeysBody, PropertiesBody};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ApiQuery, Authenticated};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use canopy_app::App;
use canopy_domain::{NodeKind, WriteMode};
use uuid::Uuid;

pub async fn get(
    kind: NodeKind,
    State(app): State<App>,
    caller: Authenticated,
    ApiPath((instance, id)): ApiPath<(String, Uuid)>,
    ApiQuery(query): ApiQuery<ConfigQuery>,
) -> Result<Json<PropertiesBody>, ApiError> {
    let properties = app
        .configurations
        .get(&caller.principal, &instance, kind, id, query.keys.as_deref(), query.search.as_deref())
        .await?;
    Ok(Json(properties.into()))
}

/// `POST` (upsert) and `PUT` (replace): 204 with no body.
pub async fn write(
    kind: NodeKind,
    mode: WriteMode,
    State(app): State<App>,
    Acting(caller): Acting,
    ApiPath((instance, id)): ApiPath<(String, Uuid)>,
    ApiJson(body): ApiJson<PropertiesBody>,
) -> Result<StatusCode, ApiError> {
    app.configurations.write(&caller, &instance, kind, id, mode, body.into_pairs()).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn delete(
    kind: NodeKind,
    State(app): State<App>,
    Acting(caller): Acting,
    ApiPath((instance, id)): ApiPath<(String, Uuid)>,
    ApiJson(body): ApiJson<KeysBody>,
) -> Result<StatusCode, ApiError> {
    app.configurations.delete(&caller, &instance, kind, id, &body.keys).await?;
    Ok(StatusCode::NO_CONTENT)
}
