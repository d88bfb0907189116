//! Handlers of the branding documents: a node's (every kind shares them: the routes pass the kind
//! and the document in) and the instance's own. Reads answer the version in the body and as the
//! `ETag`; writes answer the new version as the `ETag`.

use super::bodies::{BrandingParams, BrandingRead, DocumentBody, StylingType};
use crate::caller::Changing;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, Reading};
use crate::owned::{OwnedPath, VERSION_KEY, expect_body_version};
use crate::versioning::{changed, tagged};
use axum::Json;
use axum::response::Response;
use canopy_app::{BrandingQuery, Caller};
use canopy_domain::{BrandingDoc, BrandingKey, DomainError, NodeKind};
use serde::Deserialize;
use serde_json::{Map, Value};

/// `…/configurations/branding/…` of the instance itself.
#[derive(Debug, Deserialize)]
pub struct InstancePath {
    draas_instance: String,
}

/// The document a read or a deletion names: styling's by its `type` (required there, refused
/// elsewhere).
fn key_of(doc: BrandingDoc, kind: Option<&str>) -> Result<BrandingKey, ApiError> {
    match doc {
        BrandingDoc::General | BrandingDoc::Pages if kind.is_some() => {
            Err(DomainError::invalid("type", "only the styling document has types").into())
        }
        BrandingDoc::General => Ok(BrandingKey::General),
        BrandingDoc::Pages => Ok(BrandingKey::Pages),
        BrandingDoc::Styling => Ok(BrandingKey::styling(kind)?),
    }
}

/// The document a write's body holds: its `version` is the precondition, and styling's `type`
/// chooses the document; neither is part of it.
fn document_of(
    doc: BrandingDoc,
    caller: &mut Caller,
    mut body: Map<String, Value>,
) -> Result<(BrandingKey, Value), ApiError> {
    expect_body_version(caller, body.remove(VERSION_KEY).as_ref())?;
    let key = match doc {
        BrandingDoc::General => BrandingKey::General,
        BrandingDoc::Pages => BrandingKey::Pages,
        BrandingDoc::Styling => match body.remove("type") {
            Some(Value::String(kind)) => BrandingKey::styling(Some(&kind))?,
            Some(_) => BrandingKey::styling(Some(""))?,
            None => BrandingKey::styling(None)?,
        },
    };
    Ok((key, Value::Object(body)))
}

pub async fn get(
    (kind, doc): (NodeKind, BrandingDoc),
    Reading { app, caller, path }: Reading<OwnedPath>,
    ApiQuery(params): ApiQuery<BrandingParams>,
) -> Result<Response, ApiError> {
    let key = key_of(doc, params.kind.as_deref())?;
    let query = BrandingQuery::from(&params);
    let (document, version) =
        app.branding.get(&caller.principal, &path.draas_instance, kind, path.uuid, key, &query).await?;
    Ok(tagged(version, Json(BrandingRead { document, version: version.0 })))
}

pub async fn put(
    (kind, doc): (NodeKind, BrandingDoc),
    Changing { app, mut caller, path }: Changing<OwnedPath>,
    ApiJson(DocumentBody(body)): ApiJson<DocumentBody>,
) -> Result<Response, ApiError> {
    let (key, document) = document_of(doc, &mut caller, body)?;
    let version = app.branding.put(&caller, &path.draas_instance, kind, path.uuid, key, document).await?;
    Ok(changed(version))
}

/// 204 whether or not the node had its own document: it inherits from now on.
pub async fn delete(
    (kind, doc): (NodeKind, BrandingDoc),
    Changing { app, caller, path }: Changing<OwnedPath>,
    ApiQuery(params): ApiQuery<StylingType>,
) -> Result<Response, ApiError> {
    let key = key_of(doc, params.kind.as_deref())?;
    let version = app.branding.delete(&caller, &path.draas_instance, kind, path.uuid, key).await?;
    Ok(changed(version))
}

pub async fn get_instance(
    doc: BrandingDoc,
    Reading { app, caller, path }: Reading<InstancePath>,
    ApiQuery(params): ApiQuery<BrandingParams>,
) -> Result<Response, ApiError> {
    let key = key_of(doc, params.kind.as_deref())?;
    let query = BrandingQuery::from(&params);
    let (document, version) = app.branding.get_instance(&caller.principal, &path.draas_instance, key, &query).await?;
    Ok(tagged(version, Json(BrandingRead { document, version: version.0 })))
}

pub async fn put_instance(
    doc: BrandingDoc,
    Changing { app, mut caller, path }: Changing<InstancePath>,
    ApiJson(DocumentBody(body)): ApiJson<DocumentBody>,
) -> Result<Response, ApiError> {
    let (key, document) = document_of(doc, &mut caller, body)?;
    let version = app.branding.write_instance(&caller, &path.draas_instance, key, Some(document)).await?;
    Ok(changed(version))
}

/// 204 whether or not the instance had its own document: the built-in default shows from now on.
pub async fn delete_instance(
    doc: BrandingDoc,
    Changing { app, caller, path }: Changing<InstancePath>,
    ApiQuery(params): ApiQuery<StylingType>,
) -> Result<Response, ApiError> {
    let key = key_of(doc, params.kind.as_deref())?;
    let version = app.branding.write_instance(&caller, &path.draas_instance, key, None).await?;
    Ok(changed(version))
}
