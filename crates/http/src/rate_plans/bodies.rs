//! Bodies of the rate plan routes.

use canopy_app::PriceInput;
use canopy_domain::{ActivePrice, RatePlanSummary, Tariff, format_datetime};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

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

/// `DELETE …/rate_plans/{rate_plan}/prices`: which scheduled price, as `POST` names it.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PriceKeyBody {
    #[schema(example = 427)]
    pub destination_id: i64,
    #[schema(example = "2022-08-10 00:00:00")]
    pub active_since: String,
}
