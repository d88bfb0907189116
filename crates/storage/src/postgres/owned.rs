//! The PostgreSQL adapter of the owned port (what a node owns) (migrations/0005_branding_rates.sql): enabled
//! UCs here, branding documents in `branding`, rate plans in `rate_plans`.
//!
//! Every write of what a node owns opens with [`Unit::owned`]: `FOR KEY SHARE` on its node's row
//! (a node already deleted answers `NodeNotFound`, and a deletion that comes later waits for the
//! write to commit, then cascades over what it wrote), then its document's version locked,
//! checked and counted (which serializes writers of one document) before anything changes; it
//! ends with [`Unit::commit`], which records the change in the audit log ([`write_owned`]). Reads take no
//! locks and answer the version from the same statement (or snapshot) as the document.

use super::errors::{retrying, store_error};
use super::owned_versions::parsed;
use super::unit::{Hold, Unit};
use super::{PostgresStore, branding, rate_plans};
use crate::error::{AddPriceError, StoreError, VersionedWriteError, WriteOwnedError};
use crate::owned::{OwnedStore, RatePlan};
use crate::owned_versions::OwnedDocument;
use async_trait::async_trait;
use canopy_domain::{
    BrandingDocument, BrandingKey, Change, Destination, InstanceSlug, NodeId, Price, RatePlanName, RatePlanSummary,
    Timestamp, UcPlatform, Version,
};
use sqlx::postgres::PgArguments;
use sqlx::query::Query;
use sqlx::{PgPool, Postgres};

pub(super) fn corrupt(what: &str, error: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(format!("a stored {what} no longer parses: {error}").into())
}

/// The statements of one write, made afresh for each attempt.
pub(super) type Statements<'q> = Vec<Query<'q, Postgres, PgArguments>>;

/// One write of a document the node owns: [`Unit::owned`] (the node held, the version claimed),
/// the `statements` in order, [`Unit::commit`]; retried as a whole after a transient conflict.
pub(super) async fn write_owned<'q>(
    pool: &PgPool,
    node: NodeId,
    document: &OwnedDocument,
    change: &Change,
    statements: impl Fn() -> Statements<'q> + Sync,
) -> Result<Version, WriteOwnedError> {
    let statements = &statements;
    retrying(|| async move {
        let (mut tx, version) = Unit::owned::<WriteOwnedError>(pool, (node, Hold::KeyShare), document, change).await?;
        for statement in statements() {
            statement.execute(&mut *tx).await?;
        }
        tx.commit(change).await?;
        Ok(version)
    })
    .await
}

#[async_trait]
impl OwnedStore for PostgresStore {
    async fn branding_documents(
        &self,
        nodes: Vec<NodeId>,
        key: BrandingKey,
    ) -> Result<(Vec<(NodeId, BrandingDocument)>, Version), StoreError> {
        branding::documents(&self.pool, nodes, key).await
    }

    async fn put_branding(
        &self,
        node: NodeId,
        key: BrandingKey,
        document: BrandingDocument,
        change: &Change,
    ) -> Result<Version, WriteOwnedError> {
        branding::write(&self.pool, node, key, Some(&document), change).await
    }

    async fn delete_branding(
        &self,
        node: NodeId,
        key: BrandingKey,
        change: &Change,
    ) -> Result<Version, WriteOwnedError> {
        branding::write(&self.pool, node, key, None, change).await
    }

    async fn instance_branding(
        &self,
        instance: &InstanceSlug,
        key: BrandingKey,
    ) -> Result<(Option<BrandingDocument>, Version), StoreError> {
        branding::instance_document(&self.pool, instance, key).await
    }

    async fn put_instance_branding(
        &self,
        instance: &InstanceSlug,
        key: BrandingKey,
        document: BrandingDocument,
        change: &Change,
    ) -> Result<Version, VersionedWriteError> {
        branding::write_instance(&self.pool, instance, key, Some(&document), change).await
    }

    async fn delete_instance_branding(
        &self,
        instance: &InstanceSlug,
        key: BrandingKey,
        change: &Change,
    ) -> Result<Version, VersionedWriteError> {
        branding::write_instance(&self.pool, instance, key, None, change).await
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
    ) -> Result<Version, WriteOwnedError> {
        let names: &Vec<&str> = &platforms.iter().map(|p| p.as_str()).collect();
        write_owned(&self.pool, node, &OwnedDocument::EnabledUcs, change, || {
            vec![
                sqlx::query("DELETE FROM enabled_ucs WHERE node_id = $1").bind(node.0),
                sqlx::query(
                    "INSERT INTO enabled_ucs (node_id, platform) SELECT $1, p FROM unnest($2::text[]) AS p \
                     ON CONFLICT DO NOTHING",
                )
                .bind(node.0)
                .bind(names),
            ]
        })
        .await
    }

    async fn rate_plan(&self, node: NodeId, plan: RatePlanName) -> Result<Option<RatePlan>, StoreError> {
        rate_plans::plan(&self.pool, node, plan).await
    }

    async fn rate_plans(&self, node: NodeId) -> Result<Vec<RatePlanSummary>, StoreError> {
        rate_plans::plans(&self.pool, node).await
    }

    async fn put_destination(
        &self,
        node: NodeId,
        plan: RatePlanName,
        destination: Destination,
        change: &Change,
    ) -> Result<Version, WriteOwnedError> {
        rate_plans::put_destination(&self.pool, node, &plan, &destination, change).await
    }

    async fn add_price(
        &self,
        node: NodeId,
        plan: RatePlanName,
        price: Price,
        change: &Change,
    ) -> Result<Version, AddPriceError> {
        rate_plans::add_price(&self.pool, node, &plan, &price, change).await
    }

    async fn delete_destination(
        &self,
        node: NodeId,
        plan: RatePlanName,
        destination: i64,
        change: &Change,
    ) -> Result<Version, WriteOwnedError> {
        rate_plans::delete_destination(&self.pool, node, &plan, destination, change).await
    }

    async fn delete_price(
        &self,
        node: NodeId,
        plan: RatePlanName,
        destination: i64,
        active_since: Timestamp,
        change: &Change,
    ) -> Result<Version, WriteOwnedError> {
        rate_plans::delete_price(&self.pool, node, &plan, (destination, active_since), change).await
    }
}
