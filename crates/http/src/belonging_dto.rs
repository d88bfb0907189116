//! Bodies of the routes of a node's belongings: branding documents, enabled UCs, rate plans.

use canopy_app::{BrandingQuery, PriceInput};
use canopy_domain::{ActivePrice, RatePlanSummary, Tariff, format_datetime};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

/// Query of `GET …/configurations/branding/{general|pages|styling}`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BrandingParams {
    /// `true` returns the whole document, ignoring `keys` and `search`.
    pub full: Option<bool>,
    /// A comma-separated list of top-level keys to return.
    pub keys: Option<String>,
    /// Returns the top-level keys containing this text (case-insensitive).
    pub search: Option<String>,
    /// Styling only, required there: `font`, `image` or `theme`.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub kind: Option<String>,
}

impl From<&BrandingParams> for BrandingQuery {
    fn from(params: &BrandingParams) -> Self {
        Self { full: params.full.unwrap_or(false), keys: params.keys.clone(), search: params.search.clone() }
    }
}

/// Query of `DELETE …/configurations/branding/{general|pages|styling}`: styling's `type`, and the
/// `version` precondition (read with `If-Match` by the caller's extractor).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StylingType {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    #[allow(dead_code)]
    version: Option<String>,
}

/// A branding document: a JSON object of properties (styling also carries its `type`). Its
/// rules are the domain's (`BrandingDocument::parse`). A top-level `version` is not part of it:
/// it is the version the write is made on (as a read answers it), checked like `If-Match`.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct DocumentBody(pub Map<String, Value>);

impl Validate for DocumentBody {
    fn validate(&self) -> Result<(), validator::ValidationErrors> {
        Ok(())
    }
}

/// `GET …/enabled_ucs` and the body of `PUT …/enabled_ucs` (the spec's snake_case name).
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnabledUcsBody {
    /// UC platforms: `msteams`, `zoom`, `webex`.
    #[validate(length(max = 64, message = "must list at most 64 platforms"))]
    #[schema(example = json!(["msteams", "zoom"]))]
    pub enabled_ucs: Vec<String>,
    /// The version the write is made on (a read sent back carries it): the write applies only if
    /// it is still the stored one, like `If-Match`. Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<u64>, minimum = 1, example = 2)]
    pub version: Option<Value>,
}

/// `PUT …/rate_plans/{rate_plan}/destinations/{destination_id}`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DestinationBody {
    /// The destination's name, 1 to 255 characters.
    #[schema(example = "Italy")]
    pub destination: String,
}

/// A setup fee and a price per minute.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TariffBody {
    #[schema(example = 5.8)]
    pub setup: f64,
    #[schema(example = 2.43)]
    pub duration: f64,
}

impl From<Tariff> for TariffBody {
    fn from(t: Tariff) -> Self {
        Self { setup: t.setup, duration: t.duration }
    }
}

/// `POST …/rate_plans/{rate_plan}/prices`: a price of a defined destination, active from
/// `activeSince` (UTC) until the destination's next price.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PriceBody {
    #[schema(example = 427)]
    pub destination_id: i64,
    #[schema(example = "2022-08-10 00:00:00")]
    pub active_since: String,
    pub national: TariffBody,
    pub international: TariffBody,
}

impl From<PriceBody> for PriceInput {
    fn from(body: PriceBody) -> Self {
        Self {
            destination_id: body.destination_id,
            active_since: body.active_since,
            national: (body.national.setup, body.national.duration),
            international: (body.international.setup, body.international.duration),
        }
    }
}

/// One destination's price active now (spec: "Get a specific rateplan").
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PriceItem {
    #[schema(example = "2022-08-04 00:00:00")]
    pub active_since: String,
    #[schema(example = "Belgium Freephone")]
    pub destination: String,
    #[schema(example = 427)]
    pub destination_id: i64,
    pub international: TariffBody,
    pub national: TariffBody,
    /// When the next scheduled price starts; absent when none is.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "2022-08-10 00:00:00")]
    pub next_update: Option<String>,
}

impl From<ActivePrice> for PriceItem {
    fn from(a: ActivePrice) -> Self {
        Self {
            active_since: format_datetime(a.price.active_since),
            destination: a.destination.name,
            destination_id: a.destination.id,
            international: a.price.international.into(),
            national: a.price.national.into(),
            next_update: a.next_update.map(format_datetime),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PricesBody {
    pub prices: Vec<PriceItem>,
    /// The rate plan's version (its destinations and prices): one more with each write; also
    /// answered as the `ETag`.
    #[schema(example = 4)]
    pub version: u64,
}

/// A rate plan of a node, as its list shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RatePlanItem {
    /// The `{rate_plan}` of its routes.
    #[schema(example = "standard")]
    pub name: String,
    /// How many destinations it defines.
    #[schema(example = 2)]
    pub destinations: u64,
    /// How many prices it holds: past, active and scheduled.
    #[schema(example = 5)]
    pub prices: u64,
    /// The plan's version, as `GET …/rate_plans/{rate_plan}` answers it.
    #[schema(minimum = 1, example = 4)]
    pub version: u64,
}

impl From<RatePlanSummary> for RatePlanItem {
    fn from(plan: RatePlanSummary) -> Self {
        Self {
            name: plan.name.as_str().to_owned(),
            destinations: plan.destinations,
            prices: plan.prices,
            version: plan.version.0,
        }
    }
}

/// One page of a node's rate plans, by name.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RatePlanList {
    /// The number of this page, 1-based.
    pub page: u64,
    /// `ceil(results / page_size)`, at least 1.
    pub pages: u64,
    /// The number of plans matching the query.
    pub results: u64,
    pub rate_plans: Vec<RatePlanItem>,
}

/// `DELETE …/rate_plans/{rate_plan}/prices`: which scheduled price, as `POST` names it.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PriceKeyBody {
    #[schema(example = 427)]
    pub destination_id: i64,
    #[schema(example = "2022-08-10 00:00:00")]
    pub active_since: String,
}
