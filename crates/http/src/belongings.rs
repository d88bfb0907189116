//! Handlers of a node's belongings (every kind shares them: the route table passes the kind in):
//! branding documents, enabled UCs, rate plans. Reads answer the version in the body and as the
//! `ETag`; writes answer the new version as the `ETag`.

use crate::belonging_dto::{BrandingParams, DestinationBody, DocumentBody, EnabledUcsBody, PriceBody, PricesBody};
use crate::caller::Acting;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ApiQuery, Authenticated};
use crate::owned_dto::{BrandingRead, EnabledUcsRead, VERSION_KEY, expect_body_version};
use crate::versioning::tagged;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use canopy_app::{App, BrandingQuery};
use canopy_domain::{BrandingDoc, BrandingKey, DomainError, NodeKind};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

/// `…/{kinds}/{uuid}/…`, with the rate plan and destination of the rate plan routes.
#[derive(Debug, Deserialize)]
pub struct BelongingPath {
    draas_instance: String,
    uuid: Uuid,
    rate_plan: Option<String>,
    destination_id: Option<i64>,
}

impl BelongingPath {
    fn rate_plan(&self) -> &str {
        self.rate_plan.as_deref().unwrap_or_default()
    }
}

pub async fn get_branding(
    (kind, doc): (NodeKind, BrandingDoc),
    State(app): State<App>,
    caller: Authenticated,
    ApiPath(path): ApiPath<BelongingPath>,
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
    ApiPath(path): ApiPath<BelongingPath>,
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
    Ok(tagged(version, StatusCode::NO_CONTENT))
}

pub async fn get_enabled_ucs(
    kind: NodeKind,
    State(app): State<App>,
    caller: Authenticated,
    ApiPath(path): ApiPath<BelongingPath>,
) -> Result<Response, ApiError> {
    let (platforms, version) = app.enabled_ucs.list(&caller.principal, &path.draas_instance, kind, path.uuid).await?;
    Ok(tagged(version, Json(EnabledUcsRead::new(&platforms, version))))
}

pub async fn put_enabled_ucs(
    kind: NodeKind,
    State(app): State<App>,
    Acting(mut caller): Acting,
    ApiPath(path): ApiPath<BelongingPath>,
    ApiJson(body): ApiJson<EnabledUcsBody>,
) -> Result<Response, ApiError> {
    expect_body_version(&mut caller, body.version.as_ref())?;
    let version = app.enabled_ucs.set(&caller, &path.draas_instance, kind, path.uuid, &body.enabled_ucs).await?;
    Ok(tagged(version, StatusCode::NO_CONTENT))
}

pub async fn get_rate_plan(
    kind: NodeKind,
    State(app): State<App>,
    caller: Authenticated,
    ApiPath(path): ApiPath<BelongingPath>,
) -> Result<Response, ApiError> {
    let (prices, version) =
        app.rate_plans.prices(&caller.principal, &path.draas_instance, kind, path.uuid, path.rate_plan()).await?;
    Ok(tagged(version, Json(PricesBody { prices: prices.into_iter().map(Into::into).collect(), version: version.0 })))
}

pub async fn put_destination(
    kind: NodeKind,
    State(app): State<App>,
    Acting(caller): Acting,
    ApiPath(path): ApiPath<BelongingPath>,
    ApiJson(body): ApiJson<DestinationBody>,
) -> Result<Response, ApiError> {
    let id = path.destination_id.unwrap_or_default();
    let version = app
        .rate_plans
        .put_destination(&caller, &path.draas_instance, kind, path.uuid, path.rate_plan(), (id, &body.destination))
        .await?;
    Ok(tagged(version, StatusCode::NO_CONTENT))
}

pub async fn add_price(
    kind: NodeKind,
    State(app): State<App>,
    Acting(caller): Acting,
    ApiPath(path): ApiPath<BelongingPath>,
    ApiJson(body): ApiJson<PriceBody>,
) -> Result<Response, ApiError> {
    let version =
        app.rate_plans.add_price(&caller, &path.draas_instance, kind, path.uuid, path.rate_plan(), body.into()).await?;
    Ok(tagged(version, StatusCode::NO_CONTENT))
}
