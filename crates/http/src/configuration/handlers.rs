//! Handlers of the general configuration routes, one set for every kind: the routes pass the kind
//! in.

use super::bodies::{ConfigQuery, ConfigurationRead, KeysBody, PropertiesBody};
use crate::caller::Changing;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, Reading};
use crate::owned::expect_body_version;
use crate::versioning::{changed, tagged};
use axum::Json;
use axum::response::Response;
use canopy_domain::{NodeKind, WriteMode};
use uuid::Uuid;

pub async fn get(
    kind: NodeKind,
    Reading { app, caller, path: (instance, id) }: Reading<(String, Uuid)>,
    ApiQuery(query): ApiQuery<ConfigQuery>,
) -> Result<Response, ApiError> {
    let (properties, version) = app
        .configurations
        .get(&caller.principal, &instance, kind, id, query.keys.as_deref(), query.search.as_deref())
        .await?;
    Ok(tagged(version, Json(ConfigurationRead::new(properties, version))))
}

/// `POST` (upsert) and `PUT` (replace): 204 with no body, the new version as the `ETag`.
pub async fn write(
    (kind, mode): (NodeKind, WriteMode),
    Changing { app, mut caller, path: (instance, id) }: Changing<(String, Uuid)>,
    ApiJson(body): ApiJson<PropertiesBody>,
) -> Result<Response, ApiError> {
    expect_body_version(&mut caller, body.version.as_ref())?;
    let version = app.configurations.write(&caller, &instance, kind, id, mode, body.into_pairs()).await?;
    Ok(changed(version))
}

pub async fn delete(
    kind: NodeKind,
    Changing { app, caller, path: (instance, id) }: Changing<(String, Uuid)>,
    ApiJson(body): ApiJson<KeysBody>,
) -> Result<Response, ApiError> {
    let version = app.configurations.delete(&caller, &instance, kind, id, &body.keys).await?;
    Ok(changed(version))
}
