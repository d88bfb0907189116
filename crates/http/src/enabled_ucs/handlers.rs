//! Handlers of the enabled UCs of every kind of node (the routes pass the kind in). Reads answer
//! the version in the body and as the `ETag`; writes answer the new version as the `ETag`.

use super::bodies::{EnabledUcsBody, EnabledUcsRead};
use crate::caller::Changing;
use crate::error::ApiError;
use crate::extract::{ApiJson, Reading};
use crate::owned::{OwnedPath, expect_body_version};
use crate::versioning::{changed, tagged};
use axum::Json;
use axum::response::Response;
use canopy_domain::NodeKind;

pub async fn get(kind: NodeKind, Reading { app, caller, path }: Reading<OwnedPath>) -> Result<Response, ApiError> {
    let (platforms, version) = app.enabled_ucs.list(&caller.principal, &path.draas_instance, kind, path.uuid).await?;
    Ok(tagged(version, Json(EnabledUcsRead::new(&platforms, version))))
}

pub async fn put(
    kind: NodeKind,
    Changing { app, mut caller, path }: Changing<OwnedPath>,
    ApiJson(body): ApiJson<EnabledUcsBody>,
) -> Result<Response, ApiError> {
    expect_body_version(&mut caller, body.version.as_ref())?;
    let version = app.enabled_ucs.set(&caller, &path.draas_instance, kind, path.uuid, &body.enabled_ucs).await?;
    Ok(changed(version))
}
