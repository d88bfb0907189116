//! Handlers of a node's belongings (every kind shares them: the route table passes the kind in):
//! enabled UCs and rate plans (branding documents: `crate::branding`). Reads answer the version
//! in the body and as the `ETag`; writes answer the new version as the `ETag`.

use crate::account_dto::NumberedQuery;
use crate::belonging_dto::{
    DestinationBody, EnabledUcsBody, PriceBody, PriceKeyBody, PricesBody, RatePlanItem, RatePlanList,
};
use crate::caller::Acting;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ApiQuery, Authenticated};
use crate::owned_dto::{EnabledUcsRead, expect_body_version};
use crate::versioning::tagged;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use canopy_app::App;
use canopy_domain::NodeKind;
use serde::Deserialize;
use uuid::Uuid;

/// `…/{kinds}/{uuid}/…`, with the rate plan and destination of the rate plan routes.
#[derive(Debug, Deserialize)]
pub struct BelongingPath {
    pub(crate) draas_instance: String,
    pub(crate) uuid: Uuid,
    rate_plan: Option<String>,
    destination_id: Option<i64>,
}

impl BelongingPath {
    fn rate_plan(&self) -> &str {
        self.rate_plan.as_deref().unwrap_or_default()
    }

    /// Where the node is: its instance, kind and uuid.
    fn node(&self, kind: NodeKind) -> (&str, NodeKind, Uuid) {
        (&self.draas_instance, kind, self.uuid)
    }
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

/// `GET …/rate_plans`: one page of the node's plans.
pub async fn list_rate_plans(
    kind: NodeKind,
    State(app): State<App>,
    caller: Authenticated,
    ApiPath(path): ApiPath<BelongingPath>,
    ApiQuery(query): ApiQuery<NumberedQuery>,
) -> Result<Json<RatePlanList>, ApiError> {
    let paging = (query.page, query.page_size);
    let page = app.rate_plans.list(&caller.principal, path.node(kind), query.search.as_deref(), paging).await?;
    let rate_plans = page.items.into_iter().map(RatePlanItem::from).collect();
    Ok(Json(RatePlanList { page: page.page, pages: page.pages, results: page.results, rate_plans }))
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

/// 204 whether or not the plan had the destination; its prices go with it.
pub async fn delete_destination(
    kind: NodeKind,
    State(app): State<App>,
    Acting(caller): Acting,
    ApiPath(path): ApiPath<BelongingPath>,
) -> Result<Response, ApiError> {
    let id = path.destination_id.unwrap_or_default();
    let version = app.rate_plans.delete_destination(&caller, path.node(kind), path.rate_plan(), id).await?;
    Ok(tagged(version, StatusCode::NO_CONTENT))
}

/// 204 whether or not the plan had that price.
pub async fn delete_price(
    kind: NodeKind,
    State(app): State<App>,
    Acting(caller): Acting,
    ApiPath(path): ApiPath<BelongingPath>,
    ApiJson(body): ApiJson<PriceKeyBody>,
) -> Result<Response, ApiError> {
    let price = (body.destination_id, body.active_since.as_str());
    let version = app.rate_plans.delete_price(&caller, path.node(kind), path.rate_plan(), price).await?;
    Ok(tagged(version, StatusCode::NO_CONTENT))
}
