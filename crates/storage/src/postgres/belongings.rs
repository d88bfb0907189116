//! The PostgreSQL adapter of the belongings port (migrations/0005_branding_rates.sql).
//!
//! Every write first takes `FOR KEY SHARE` on its node's row: a node already deleted answers
//! `NodeNotFound`, and a deletion that comes later waits for the write to commit, then cascades
//! over what it wrote. Reads take no locks. Replacing a node's UC platforms is one transaction
//! (delete, then insert).
//!
//! After the node, a write locks, checks and counts its document's version ([`claim_version`]:
//! this serializes writers of one document) before changing anything.
//! Reads answer the version from the same statement (or snapshot) as the document.

use super::errors::{Fail, retrying, store_error};
use super::owned_versions::{claim_version, parsed};
use super::{PostgresStore, audit};
use crate::belongings::{BelongingStore, RatePlan};
use crate::error::{AddPriceError, StoreError, WriteBelongingError};
use crate::owned_versions::OwnedDocument;
use async_trait::async_trait;
use canopy_domain::Change;
use canopy_domain::{
    BrandingDocument, BrandingKey, Destination, NodeId, Price, RatePlanName, Tariff, Timestamp, UcPlatform, Version,
};
use sqlx::PgConnection;
use uuid::Uuid;

/// Locks the node against deletion until the transaction ends; `false` when it is gone.
async fn hold_node(conn: &mut PgConnection, node: NodeId) -> Result<bool, sqlx::Error> {
    let found: Option<i32> = sqlx::query_scalar("SELECT 1 FROM nodes WHERE id = $1 FOR KEY SHARE")
        .bind(node.0)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(found.is_some())
}

fn corrupt(what: &str, error: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(format!("a stored {what} no longer parses: {error}").into())
}

#[derive(sqlx::FromRow)]
struct PriceRow {
    destination_id: i32,
    active_since_ms: i64,
    national_setup: f64,
    national_duration: f64,
    international_setup: f64,
    international_duration: f64,
}

#[async_trait]
impl BelongingStore for PostgresStore {
    async fn branding_documents(
        &self,
        nodes: Vec<NodeId>,
        key: BrandingKey,
    ) -> Result<(Vec<(NodeId, BrandingDocument)>, Version), StoreError> {
        let ids: Vec<Uuid> = nodes.iter().map(|n| n.0).collect();
        let document = OwnedDocument::Branding(key);
        // One statement, so one snapshot: the version row, joined with the documents found.
        let rows: Vec<(i64, Option<Uuid>, Option<String>)> = sqlx::query_as(
            "SELECT v.version, b.node_id, b.document FROM (SELECT COALESCE((SELECT version FROM owned_versions \
             WHERE node_id = $1[1] AND kind = $3 AND key = $2), 1) AS version) v \
             LEFT JOIN branding_documents b ON b.node_id = ANY($1) AND b.key = $2",
        )
        .bind(&ids)
        .bind(key.as_str())
        .bind(document.kind())
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        let version = parsed(rows.first().map_or(1, |row| row.0))?;
        let documents = rows
            .into_iter()
            .filter_map(|row| match row {
                (_, Some(id), Some(json)) => Some((id, json)),
                _ => None, // the version's row with no document joined
            })
            .map(|(id, json)| {
                let doc = BrandingDocument::from_stored(&json).map_err(|e| corrupt("branding document", e))?;
                Ok((NodeId(id), doc))
            })
            .collect::<Result<_, StoreError>>()?;
        Ok((documents, version))
    }

    async fn put_branding(
        &self,
        node: NodeId,
        key: BrandingKey,
        document: BrandingDocument,
        change: &Change,
    ) -> Result<Version, WriteBelongingError> {
        let json = &document.to_json();
        let versioned = &OwnedDocument::Branding(key);
        retrying(|| async move {
            let mut tx = self.pool.begin().await?;
            if !hold_node(&mut tx, node).await? {
                return Err(Fail::Op(WriteBelongingError::NodeNotFound));
            }
            let version = claim_version(&mut tx, node, versioned, change.expected).await?;
            sqlx::query(
                "INSERT INTO branding_documents (node_id, key, document) VALUES ($1, $2, $3) \
                 ON CONFLICT (node_id, key) DO UPDATE SET document = EXCLUDED.document",
            )
            .bind(node.0)
            .bind(key.as_str())
            .bind(json)
            .execute(&mut *tx)
            .await?;
            audit::applied(&mut tx, change).await?;
            tx.commit().await?;
            Ok(version)
        })
        .await
    }

    async fn enabled_ucs(&self, node: NodeId) -> Result<(Vec<UcPlatform>, Version), StoreError> {
        let document = OwnedDocument::EnabledUcs;
        // One statement, so one snapshot: the version row, joined with the platforms.
        let rows: Vec<(i64, Option<String>)> = sqlx::query_as(
            "SELECT v.version, e.platform FROM (SELECT COALESCE((SELECT version FROM owned_versions \
             WHERE node_id = $1 AND kind = $2 AND key = $3), 1) AS version) v \
             LEFT JOIN enabled_ucs e ON e.node_id = $1",
        )
        .bind(node.0)
        .bind(document.kind())
        .bind(document.key())
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        let version = parsed(rows.first().map_or(1, |row| row.0))?;
        let mut platforms = rows
            .iter()
            .filter_map(|(_, platform)| platform.as_deref())
            .map(|p| UcPlatform::parse(p).map_err(|e| corrupt("UC platform", e)))
            .collect::<Result<Vec<_>, _>>()?;
        platforms.sort_unstable();
        Ok((platforms, version))
    }

    async fn set_enabled_ucs(
        &self,
        node: NodeId,
        platforms: Vec<UcPlatform>,
        change: &Change,
    ) -> Result<Version, WriteBelongingError> {
        let names: &Vec<&str> = &platforms.iter().map(|p| p.as_str()).collect();
        retrying(|| async move {
            let mut tx = self.pool.begin().await?;
            if !hold_node(&mut tx, node).await? {
                return Err(Fail::Op(WriteBelongingError::NodeNotFound));
            }
            let version = claim_version(&mut tx, node, &OwnedDocument::EnabledUcs, change.expected).await?;
            sqlx::query("DELETE FROM enabled_ucs WHERE node_id = $1").bind(node.0).execute(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO enabled_ucs (node_id, platform) SELECT $1, p FROM unnest($2::text[]) AS p \
                 ON CONFLICT DO NOTHING",
            )
            .bind(node.0)
            .bind(names)
            .execute(&mut *tx)
            .await?;
            audit::applied(&mut tx, change).await?;
            tx.commit().await?;
            Ok(version)
        })
        .await
    }

    async fn rate_plan(&self, node: NodeId, plan: RatePlanName) -> Result<Option<RatePlan>, StoreError> {
        // One snapshot for both reads, so prices never name a destination the read missed.
        let mut tx = self.pool.begin().await.map_err(store_error)?;
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

    async fn put_destination(
        &self,
        node: NodeId,
        plan: RatePlanName,
        destination: Destination,
        change: &Change,
    ) -> Result<Version, WriteBelongingError> {
        let (plan, destination) = (&plan, &destination);
        let versioned = &OwnedDocument::RatePlan(plan.clone());
        let id = i32::try_from(destination.id).map_err(|e| StoreError::Backend(Box::new(e)))?;
        retrying(|| async move {
            let mut tx = self.pool.begin().await?;
            if !hold_node(&mut tx, node).await? {
                return Err(Fail::Op(WriteBelongingError::NodeNotFound));
            }
            let version = claim_version(&mut tx, node, versioned, change.expected).await?;
            sqlx::query(
                "INSERT INTO rate_plan_destinations (node_id, rate_plan, destination_id, name) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (node_id, rate_plan, destination_id) \
                 DO UPDATE SET name = EXCLUDED.name",
            )
            .bind(node.0)
            .bind(plan.as_str())
            .bind(id)
            .bind(&destination.name)
            .execute(&mut *tx)
            .await?;
            audit::applied(&mut tx, change).await?;
            tx.commit().await?;
            Ok(version)
        })
        .await
    }

    async fn add_price(
        &self,
        node: NodeId,
        plan: RatePlanName,
        price: Price,
        change: &Change,
    ) -> Result<Version, AddPriceError> {
        let (plan, price) = (&plan, &price);
        let versioned = &OwnedDocument::RatePlan(plan.clone());
        retrying(|| async move {
            let mut tx = self.pool.begin().await?;
            if !hold_node(&mut tx, node).await? {
                return Err(Fail::Op(AddPriceError::NodeNotFound));
            }
            let version = claim_version(&mut tx, node, versioned, change.expected).await?;
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
            audit::applied(&mut tx, change).await?;
            tx.commit().await?;
            Ok(version)
        })
        .await
    }
}
