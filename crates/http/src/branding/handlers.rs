//! Handlers of a node's branding documents (every kind shares them: the routes pass the kind and
//! the document in). Reads answer the version in the body and as the `ETag`; writes answer the new
//! version as the `ETag`.

use super::bodies::{BrandingParams, BrandingRead, DocumentBody};
use crate::caller::Acting;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ApiQuery, Authenticated};
use crate::owned::{OwnedPath, VERSION_KEY, expect_body_version};
use crate::versioning::{changed, tagged};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use canopy_app::{App, BrandingQuery};
use canopy_domain::{BrandingDoc, BrandingKey, DomainError, NodeKind};
use serde_json::Value;

pub async fn get_branding(
    (kind, doc): (NodeKind, BrandingDoc),
    State(app): State<App>,
    caller: Authenticated,
    ApiPath(path): ApiPath<OwnedPath>,
    ApiQuery(params): ApiQuery<BrandingParams>,
) -> Result<Response, ApiError> {
    let key = match doc {
        BrandingDoc::General => BrandingKey::General,
        BrandingDoc::Pages => BrandingKey::Pages,
        BrandingDoc::Styling => BrandingKey::styling(params.kind.as_deref())?,
    };
    if doc != BrandingDoc::Styling && params.kind.is_some() {
        return Err(DomainError::invalid("type", "only the styling document has types").into());
    }
    let query = BrandingQuery::from(&params);
    let (document, version) =
        app.branding.get(&caller.principal, &path.draas_instance, kind, path.uuid, key, &query).await?;
    Ok(tagged(version, Json(BrandingRead { document, version: version.0 })))
}

pub async fn put_branding(
    (kind, doc): (NodeKind, BrandingDoc),
    State(app): State<App>,
    Acting(mut caller): Acting,
    ApiPath(path): ApiPath<OwnedPath>,
    ApiJson(DocumentBody(mut body)): ApiJson<DocumentBody>,
) -> Result<Response, ApiError> {
    // The version a read answers beside the document is not part of it: it is the precondition.
    expect_body_version(&mut caller, body.remove(VERSION_KEY).as_ref())?;
    let key = match doc {
        BrandingDoc::General => BrandingKey::General,
        BrandingDoc::Pages => BrandingKey::Pages,
        // The type chooses the document and is not part of it.
        BrandingDoc::Styling => match body.remove("type") {
            Some(Value::String(kind)) => BrandingKey::styling(Some(&kind))?,
            Some(_) => BrandingKey::styling(Some(""))?,
            None => BrandingKey::styling(None)?,
        },
    };
    let version = app.branding.put(&caller, &path.draas_instance, kind, path.uuid, key, Value::Object(body)).await?;
    Ok(changed(version))
}
