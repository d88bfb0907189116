//! One group or one user, read, changed and deleted (APIO-shaped Canopy extensions): the same
//! three handlers for both, given the kind their route serves and the path naming the node.

use super::bodies::{Empty, shown};
use super::paths::Keys;
use crate::api::FaceInstance;
use crate::caller::Changing;
use crate::error::ApiError;
use crate::extract::{ApiJson, Reading};
use crate::nodes::NodeUpdateBody;
use crate::versioning::tagged;
use axum::Json;
use axum::http::StatusCode;
use axum::response::Response;
use canopy_domain::{NodeKind, Permission};
use serde::de::DeserializeOwned;

/// The node, with its `ETag`.
pub async fn read<P: Keys + DeserializeOwned + Send>(
    kind: NodeKind,
    Reading { app, caller, path }: Reading<P>,
    instance: FaceInstance,
) -> Result<Response, ApiError> {
    let node = path.resolve(&app, &caller.principal, &instance, Permission::Read(kind)).await?;
    Ok(tagged(node.version, Json(shown(&node))))
}

/// Changes the node (absent fields are kept; its key renames it); answers it as changed.
pub async fn update<P: Keys + DeserializeOwned + Send, B: NodeUpdateBody>(
    kind: NodeKind,
    Changing { app, caller, path }: Changing<P>,
    instance: FaceInstance,
    ApiJson(body): ApiJson<B>,
) -> Result<Response, ApiError> {
    let node = path.resolve(&app, &caller.principal, &instance, Permission::Update(kind)).await?;
    let node = app.nodes.update(&caller, &instance.0, kind, node.id, body.into_update()).await?;
    Ok(tagged(node.version, Json(shown(&node))))
}

/// Deletes the node (a group only when empty; a user with its account and codes): `200 {}`, also
/// when there is no such node (APIO's idempotence).
pub async fn delete<P: Keys + DeserializeOwned + Send>(
    kind: NodeKind,
    Changing { app, caller, path }: Changing<P>,
    instance: FaceInstance,
) -> Result<Json<Empty>, ApiError> {
    let node = match path.resolve(&app, &caller.principal, &instance, Permission::Delete(kind)).await {
        Ok(node) => node,
        Err(absent) if absent.status == StatusCode::NOT_FOUND && absent.code == "not_found" => {
            return Ok(Json(Empty {}));
        }
        Err(other) => return Err(other),
    };
    app.nodes.delete(&caller, &instance.0, kind, node.id).await?;
    Ok(Json(Empty {}))
}
