//! Rate plans in PostgreSQL (migrations/0005_branding_rates.sql): destinations, and prices that
//! belong to a destination and go with it (`rate_plan_prices_destination_fkey … ON DELETE
//! CASCADE`). A plan exists while it has a destination; its version lives in `owned_versions`.
//! Writes go through `owned::write_owned` (node locked, version claimed, audited), except
//! `add_price`, whose refusal of an unknown destination is its own error.

use super::errors::{Fail, retrying, store_error};
use super::owned::{corrupt, write_owned};
use super::owned_versions::parsed;
use super::unit::{Hold, Unit};
use crate::error::{AddPriceError, StoreError, WriteOwnedError};
use crate::owned::RatePlan;
use crate::owned_versions::OwnedDocument;
use canopy_domain::{Change, Destination, NodeId, Price, RatePlanName, RatePlanSummary, Tariff, Timestamp, Version};
use sqlx::PgPool;

#[derive(sqlx::FromRow)]
struct PriceRow {
    destination_id: i32,
    active_since_ms: i64,
    national_setup: f64,
    national_duration: f64,
    international_setup: f64,
    international_duration: f64,
}

pub(super) async fn plan(pool: &PgPool, node: NodeId, plan: RatePlanName) -> Result<Option<RatePlan>, StoreError> {
    // One snapshot for both reads, so prices never name a destination the read missed.
    let mut tx = super::begin::begin(pool).await.map_err(store_error)?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await
        .map_err(store_error)?;
    let rows: Vec<(i32, String)> = sqlx::query_as(
        "SELECT destination_id, name FROM rate_plan_destinations WHERE node_id = $1 AND rate_plan = $2 \
         ORDER BY destination_id",
    )
    .bind(node.0)
    .bind(plan.as_str())
    .fetch_all(&mut *tx)
    .await
    .map_err(store_error)?;
    if rows.is_empty() {
        return Ok(None);
    }
    let document = OwnedDocument::RatePlan(plan.clone());
    let version: i64 = sqlx::query_scalar(
        "SELECT COALESCE((SELECT version FROM owned_versions WHERE node_id = $1 AND kind = $2 AND key = $3), 1)",
    )
    .bind(node.0)
    .bind(document.kind())
    .bind(document.key())
    .fetch_one(&mut *tx)
    .await
    .map_err(store_error)?;
    let destinations = rows
        .into_iter()
        .map(|(id, name)| Destination::parse(i64::from(id), &name).map_err(|e| corrupt("destination", e)))
        .collect::<Result<Vec<_>, _>>()?;
    let prices: Vec<PriceRow> = sqlx::query_as(
        "SELECT destination_id, active_since_ms, national_setup, national_duration, international_setup, \
         international_duration FROM rate_plan_prices WHERE node_id = $1 AND rate_plan = $2 \
         ORDER BY active_since_ms, destination_id",
    )
    .bind(node.0)
    .bind(plan.as_str())
    .fetch_all(&mut *tx)
    .await
    .map_err(store_error)?;
    let prices = prices
        .into_iter()
        .map(|row| {
            let tariff = |field, setup, duration| Tariff::parse(field, setup, duration);
            Ok(Price {
                destination: i64::from(row.destination_id),
                active_since: Timestamp(row.active_since_ms),
                national: tariff("national", row.national_setup, row.national_duration)
                    .map_err(|e| corrupt("price", e))?,
                international: tariff("international", row.international_setup, row.international_duration)
                    .map_err(|e| corrupt("price", e))?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(Some(RatePlan { destinations, prices, version: parsed(version)? }))
}

pub(super) async fn plans(pool: &PgPool, node: NodeId) -> Result<Vec<RatePlanSummary>, StoreError> {
    // One statement, so one snapshot of destinations, prices and versions.
    let rows: Vec<(String, i64, i64, i64)> = sqlx::query_as(
        "SELECT d.rate_plan, count(*), \
         (SELECT count(*) FROM rate_plan_prices p WHERE p.node_id = $1 AND p.rate_plan = d.rate_plan), \
         COALESCE((SELECT version FROM owned_versions v \
                   WHERE v.node_id = $1 AND v.kind = $2 AND v.key = d.rate_plan), 1) \
         FROM rate_plan_destinations d WHERE d.node_id = $1 GROUP BY d.rate_plan ORDER BY d.rate_plan",
    )
    .bind(node.0)
    .bind(OwnedDocument::RATE_PLAN_KIND)
    .fetch_all(pool)
    .await
    .map_err(store_error)?;
    rows.into_iter()
        .map(|(name, destinations, prices, version)| {
            Ok(RatePlanSummary {
                name: RatePlanName::parse(&name).map_err(|e| corrupt("rate plan name", e))?,
                destinations: u64::try_from(destinations).unwrap_or_default(),
                prices: u64::try_from(prices).unwrap_or_default(),
                version: parsed(version)?,
            })
        })
        .collect()
}

pub(super) async fn put_destination(
    pool: &PgPool,
    node: NodeId,
    plan: &RatePlanName,
    destination: &Destination,
    change: &Change,
) -> Result<Version, WriteOwnedError> {
    let id = i32::try_from(destination.id).map_err(|e| StoreError::Backend(Box::new(e)))?;
    write_owned(pool, node, &OwnedDocument::RatePlan(plan.clone()), change, || {
        vec![
            sqlx::query(
                "INSERT INTO rate_plan_destinations (node_id, rate_plan, destination_id, name) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (node_id, rate_plan, destination_id) \
                 DO UPDATE SET name = EXCLUDED.name",
            )
            .bind(node.0)
            .bind(plan.as_str())
            .bind(id)
            .bind(&destination.name),
        ]
    })
    .await
}

pub(super) async fn add_price(
    pool: &PgPool,
    node: NodeId,
    plan: &RatePlanName,
    price: &Price,
    change: &Change,
) -> Result<Version, AddPriceError> {
    let versioned = &OwnedDocument::RatePlan(plan.clone());
    retrying(|| async move {
        let (mut tx, version) = Unit::owned::<AddPriceError>(pool, (node, Hold::KeyShare), versioned, change).await?;
        // A destination id beyond the column's range is not one of the plan's.
        let Ok(id) = i32::try_from(price.destination) else {
            return Err(Fail::Op(AddPriceError::UnknownDestination));
        };
        // A destination that does not exist is refused by rate_plan_prices_destination_fkey.
        sqlx::query(
            "INSERT INTO rate_plan_prices (node_id, rate_plan, destination_id, active_since_ms, national_setup, \
             national_duration, international_setup, international_duration) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (node_id, rate_plan, destination_id, active_since_ms) DO UPDATE SET \
             national_setup = EXCLUDED.national_setup, national_duration = EXCLUDED.national_duration, \
             international_setup = EXCLUDED.international_setup, \
             international_duration = EXCLUDED.international_duration",
        )
        .bind(node.0)
        .bind(plan.as_str())
        .bind(id)
        .bind(price.active_since.0)
        .bind(price.national.setup)
        .bind(price.national.duration)
        .bind(price.international.setup)
        .bind(price.international.duration)
        .execute(&mut *tx)
        .await?;
        tx.commit(change).await?;
        Ok(version)
    })
    .await
}

/// Deletes a destination; its prices go with it (the foreign key cascades). An id beyond the
/// column's range names no destination: nothing to delete, the write still counts.
pub(super) async fn delete_destination(
    pool: &PgPool,
    node: NodeId,
    plan: &RatePlanName,
    destination: i64,
    change: &Change,
) -> Result<Version, WriteOwnedError> {
    let id = i32::try_from(destination).ok();
    write_owned(pool, node, &OwnedDocument::RatePlan(plan.clone()), change, || {
        vec![
            sqlx::query(
                "DELETE FROM rate_plan_destinations WHERE node_id = $1 AND rate_plan = $2 AND destination_id = $3",
            )
            .bind(node.0)
            .bind(plan.as_str())
            .bind(id),
        ]
    })
    .await
}

pub(super) async fn delete_price(
    pool: &PgPool,
    node: NodeId,
    plan: &RatePlanName,
    (destination, active_since): (i64, Timestamp),
    change: &Change,
) -> Result<Version, WriteOwnedError> {
    let id = i32::try_from(destination).ok();
    write_owned(pool, node, &OwnedDocument::RatePlan(plan.clone()), change, || {
        vec![
            sqlx::query(
                "DELETE FROM rate_plan_prices WHERE node_id = $1 AND rate_plan = $2 AND destination_id = $3 \
                 AND active_since_ms = $4",
            )
            .bind(node.0)
            .bind(plan.as_str())
            .bind(id)
            .bind(active_since.0),
        ]
    })
    .await
}
