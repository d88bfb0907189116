//! Handlers of the rate plans of every kind of node (the routes pass the kind in). Reads answer
//! the version in the body and as the `ETag`; writes answer the new version as the `ETag`.

use super::bodies::{DestinationBody, PriceBody, PriceKeyBody, PricesBody, RatePlanItem};
use crate::caller::Changing;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, Reading};
use crate::list::{ListBody, NumberedQuery};
use crate::owned::OwnedPath;
use crate::versioning::{changed, tagged};
use axum::Json;
use axum::response::Response;
use canopy_domain::NodeKind;

pub async fn get(kind: NodeKind, Reading { app, caller, path }: Reading<OwnedPath>) -> Result<Response, ApiError> {
    let (prices, version) =
        app.rate_plans.prices(&caller.principal, &path.draas_instance, kind, path.uuid, path.rate_plan()).await?;
    Ok(tagged(version, Json(PricesBody { prices: prices.into_iter().map(Into::into).collect(), version: version.0 })))
}

pub async fn put_destination(
    kind: NodeKind,
    Changing { app, caller, path }: Changing<OwnedPath>,
    ApiJson(body): ApiJson<DestinationBody>,
) -> Result<Response, ApiError> {
    let id = path.destination_id.unwrap_or_default();
    let version = app
        .rate_plans
        .put_destination(&caller, &path.draas_instance, kind, path.uuid, path.rate_plan(), (id, &body.destination))
        .await?;
    Ok(changed(version))
}

pub async fn add_price(
    kind: NodeKind,
    Changing { app, caller, path }: Changing<OwnedPath>,
    ApiJson(body): ApiJson<PriceBody>,
) -> Result<Response, ApiError> {
    let version =
        app.rate_plans.add_price(&caller, &path.draas_instance, kind, path.uuid, path.rate_plan(), body.into()).await?;
    Ok(changed(version))
}

/// `GET …/rate_plans`: one page of the node's plans.
pub async fn list(
    kind: NodeKind,
    Reading { app, caller, path }: Reading<OwnedPath>,
    ApiQuery(query): ApiQuery<NumberedQuery>,
) -> Result<Json<ListBody<RatePlanItem>>, ApiError> {
    let paging = (query.page, query.page_size);
    let page = app.rate_plans.list(&caller.principal, path.node(kind), query.search.as_deref(), paging).await?;
    Ok(Json(ListBody::new("ratePlans", page)))
}

/// 204 whether or not the plan had the destination; its prices go with it.
pub async fn delete_destination(
    kind: NodeKind,
    Changing { app, caller, path }: Changing<OwnedPath>,
) -> Result<Response, ApiError> {
    let id = path.destination_id.unwrap_or_default();
    let version = app.rate_plans.delete_destination(&caller, path.node(kind), path.rate_plan(), id).await?;
    Ok(changed(version))
}

/// 204 whether or not the plan had that price.
pub async fn delete_price(
    kind: NodeKind,
    Changing { app, caller, path }: Changing<OwnedPath>,
    ApiJson(body): ApiJson<PriceKeyBody>,
) -> Result<Response, ApiError> {
    let price = (body.destination_id, body.active_since.as_str());
    let version = app.rate_plans.delete_price(&caller, path.node(kind), path.rate_plan(), price).await?;
    Ok(changed(version))
}
