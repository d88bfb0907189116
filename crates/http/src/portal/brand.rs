//! The portal's brand and logo of a group (L29257–L31332, L37361–L37998): kept by the app as two
//! more of the node's branding documents (`BrandingService::portal_brand`, `logo`), versioned,
//! audited and inherited like Canopy's own.

use super::bodies::VersionBody;
use super::brand_docs as docs;
use super::groups::{node_in, node_of, place};
use super::named::GroupPath;
use crate::api::HttpMethod::{Delete, Get, Post, Put};
use crate::api::{Access, FaceInstance, Given, Route};
use crate::caller::Changing;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, Reading};
use crate::versioning::tagged;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use canopy_app::{App, BrandWrite};
use canopy_domain::{MAX_LOGO_BYTES, NodeKind, Principal};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use uuid::Uuid;

/// What a logo may be cached for before it is checked again (the spec's example, L37361).
const LOGO_CACHE: &str = "max-age=86400, must-revalidate";
/// The media type of a logo.
pub(super) const PNG: &str = "image/png";

pub(super) fn routes() -> Vec<Route> {
    let access = Access::Authenticated;
    let brand = "/groups/{group}/brand".to_owned();
    let logo = "/groups/{group}/logo".to_owned();
    vec![
        Route::new(Get, brand.clone(), access, read, docs::read),
        Route::new(Post, brand.clone(), access, write.given(BrandWrite::Enable), docs::enable).conditional(),
        Route::new(Put, brand.clone(), access, write.given(BrandWrite::Modify), docs::modify),
        Route::new(Delete, brand, access, disable, docs::disable),
        Route::new(Get, logo.clone(), access, read_logo, docs::read_logo),
        // The body is the image: a body limit of its own, above the server's for JSON.
        Route::binary(Post, logo, access, upload_logo, PNG, docs::upload_logo).conditional().body_limit(MAX_LOGO_BYTES),
    ]
}

/// `?effective=1`: the brand the group shows, its own or inherited (default 0: its own).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct BrandQuery {
    #[param(minimum = 0, maximum = 1)]
    pub effective: Option<u8>,
}

/// A brand's fields as sent: an object, checked field by field by the domain.
#[derive(Debug, Deserialize)]
pub(crate) struct BrandBody(Map<String, Value>);

impl validator::Validate for BrandBody {
    fn validate(&self) -> Result<(), validator::ValidationErrors> {
        Ok(())
    }
}

/// The node `{group}` names (the root has no brand: the server's configuration is its).
async fn node(app: &App, caller: &Principal, instance: &str, path: &GroupPath) -> Result<(NodeKind, Uuid), ApiError> {
    node_of(&place(app, caller, instance, path).await?)
}

async fn read(
    Reading { app, caller, path }: Reading<GroupPath>,
    FaceInstance(instance): FaceInstance,
    ApiQuery(query): ApiQuery<BrandQuery>,
) -> Result<Response, ApiError> {
    let effective = match query.effective {
        None | Some(0) => false,
        Some(1) => true,
        Some(_) => {
            return Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", "effective: must be 0 or 1")
                .with_details(json!({ "field": "effective" })));
        }
    };
    let place = place(&app, &caller.principal, &instance, &path).await?;
    let node = node_in(&place)?;
    let (brand, version) =
        app.branding.portal_brand(&caller.principal, &instance, node.kind, node.id.0, effective).await?;
    // `id`: the group asked for, by its integer id (the spec's required field).
    let mut body = Map::from_iter([("id".to_owned(), Value::from(node.serial.0))]);
    body.extend(brand);
    Ok(tagged(version, Json(body)))
}

/// `POST` (enable) or `PUT` (modify) of the group's own brand.
async fn write(
    mode: BrandWrite,
    Changing { app, caller, path }: Changing<GroupPath>,
    FaceInstance(instance): FaceInstance,
    ApiJson(BrandBody(body)): ApiJson<BrandBody>,
) -> Result<Response, ApiError> {
    let (kind, id) = node(&app, &caller.principal, &instance, &path).await?;
    let version = app.branding.write_portal_brand(&caller, &instance, kind, id, Value::Object(body), mode).await?;
    Ok(tagged(version, VersionBody::of(version)))
}

async fn disable(
    Changing { app, caller, path }: Changing<GroupPath>,
    FaceInstance(instance): FaceInstance,
) -> Result<Response, ApiError> {
    let (kind, id) = node(&app, &caller.principal, &instance, &path).await?;
    let version = app.branding.delete_portal_brand(&caller, &instance, kind, id).await?;
    Ok(tagged(version, VersionBody::of(version)))
}

/// The logo the group shows (its own, else its nearest ancestor's), tagged by its content: a
/// client that sends the tag back in `If-None-Match` is answered `304` without it.
async fn read_logo(
    Reading { app, caller, path }: Reading<GroupPath>,
    FaceInstance(instance): FaceInstance,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (kind, id) = node(&app, &caller.principal, &instance, &path).await?;
    let logo = app.branding.logo(&caller.principal, &instance, kind, id).await?;
    let tag = format!("\"{}\"", logo.tag());
    let cached = headers
        .get(IF_NONE_MATCH)
        .and_then(|sent| sent.to_str().ok())
        .is_some_and(|sent| sent.split(',').any(|one| one.trim().trim_start_matches("W/") == tag || one.trim() == "*"));
    let etag = HeaderValue::from_str(&tag).map_err(|_| crate::error::internal())?;
    let cache = HeaderValue::from_static(LOGO_CACHE);
    if cached {
        return Ok((StatusCode::NOT_MODIFIED, [(ETAG, etag), (CACHE_CONTROL, cache)]).into_response());
    }
    let headers = [(CONTENT_TYPE, HeaderValue::from_static(PNG)), (ETAG, etag), (CACHE_CONTROL, cache)];
    Ok((headers, logo.png).into_response())
}

/// Replaces the group's own logo by the PNG of the body (`Content-Type: image/png`).
async fn upload_logo(
    Changing { app, caller, path }: Changing<GroupPath>,
    FaceInstance(instance): FaceInstance,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => crate::extract::too_large(),
        _ => ApiError::new(StatusCode::BAD_REQUEST, "invalid_body", rejection.body_text()),
    })?;
    let media = headers.get(CONTENT_TYPE).and_then(|value| value.to_str().ok()).unwrap_or_default();
    let essence = media.split(';').next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case(PNG) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "a logo is sent as Content-Type: image/png",
        ));
    }
    let (kind, id) = node(&app, &caller.principal, &instance, &path).await?;
    let version = app.branding.put_logo(&caller, &instance, kind, id, &body).await?;
    Ok(tagged(version, VersionBody::of(version)))
}
