//! The PostgreSQL adapter of the node port: the same behaviour as the memory adapter, made to
//! hold across processes and under concurrency with row locks taken in one global order.
//!
//! # Locking
//!
//! Two rules must survive races: a node is only deleted when it has no children (a creation
//! racing the deletion of its parent either commits first, and the deletion sees the child, or
//! finds the parent gone), and the subtree counters of every ancestor stay exact.
//!
//! * A creation locks the new node's ancestors (its lineage) root first — group, distributor,
//!   reseller — `FOR NO KEY UPDATE`, checks that the parent is still there, inserts, and bumps
//!   the ancestors' counters.
//! * A deletion locks the node's ancestors root first `FOR NO KEY UPDATE` (their counters change),
//!   then the node itself `FOR UPDATE`, counts its direct children in a snapshot taken after the
//!   lock, decides with `ensure_deletable`, deletes and decrements the ancestors' counters.
//!
//! The parent of a new node is locked by its creation and by its own deletion, so the two are
//! serialized; READ COMMITTED takes a new snapshot per statement, so the children count after the
//! lock sees every creation that held the lock before. Everyone locks in the same root-first
//! order, which rules out deadlocks between our own transactions; a deadlock or serialization
//! failure chosen by the server anyway is retried ([`errors::retrying`]).
//!
//! The price: creations and deletions within one group are serialized on the group's row (its
//! counters are written by each of them anyway). Reads take no locks.
//!
//! Administrators (`accounts`) belong to nodes through a foreign key `ON DELETE CASCADE`: a
//! deletion takes its node's administrators with it and never counts them as children; so it
//! does with the node's configuration (`configurations`).

mod accounts;
mod audit;
mod belongings;
mod branding;
mod configurations;
mod connect;
mod credentials;
mod errors;
mod list;
mod logins;
mod owned_versions;
mod rate_plans;
mod rows;
mod versions;
mod voice_list;
mod voice_routing;
mod voice_sql;

use crate::accounts::NewAdmin;
use crate::error::{CreateNodeError, DeleteNodeError, StoreError, UpdateNodeError};
use crate::nodes::{Deleted, NewNode, NodeChanges, NodeStore, NodeView, Page, PoolStats};
use async_trait::async_trait;
use canopy_domain::{Change, Version};
use canopy_domain::{
    ChildCounts, InstanceSlug, Lineage, Node, NodeId, NodeKind, PageRequest, SubtreeCounts, ensure_deletable,
};
pub use connect::{ConnectionTarget, PostgresSettings, TlsMode};
use errors::{Fail, migrate_error, retrying, store_error};
use rows::{NodeRow, NodeViewRow, node_columns};
use sqlx::postgres::{PgConnection, PgPool, PgPoolOptions};
use std::time::Duration;

/// The schema's migrations (migrations/ at the workspace root), embedded at compile time.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

/// Connections of a pool made by [`PostgresStore::connect`].
pub const DEFAULT_MAX_CONNECTIONS: u32 = 16;
/// How long to wait for a connection before reporting the store unavailable.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// A pool on `url`, with one connection opened now so that a wrong URL or a dead server
    /// fails here, within [`ACQUIRE_TIMEOUT`].
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::open(&PostgresSettings::new(url)).await
    }

    /// [`PostgresStore::connect`] with Canopy's connection options: the URL's `sslmode` and
    /// `sslrootcert`, a password and a CA file besides the URL, the pool's size. A certificate
    /// that fails verification fails here, at once (sqlx retries only refused connections).
    pub async fn open(settings: &PostgresSettings) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(settings.max_connections())
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(settings.connect_options()?)
            .await
            .map_err(store_error)?;
        Ok(Self::from_pool(pool))
    }

    /// Whether the server sees this pool's connections encrypted (`pg_stat_ssl`): what `prefer`
    /// ended up with.
    pub async fn encrypted(&self) -> Result<bool, StoreError> {
        sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            .fetch_one(&self.pool)
            .await
            .map_err(store_error)
    }

    pub fn from_pool(pool: PgPool) -> Self {
        Self { pool }
    }

    /// Brings the schema up to date; concurrent callers are serialized by sqlx's advisory lock.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        MIGRATOR.run(&self.pool).await.map_err(migrate_error)
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    async fn create_once(&self, new: &NewNode, change: &Change) -> Result<Node, Fail<CreateNodeError>> {
        let mut tx = self.pool.begin().await?;
        let lineage = match new.parent {
            None => Lineage::default(),
            Some(parent) => {
                // The parent's ancestry, read without a lock, tells which rows to lock. Nodes
                // never move, but the parent may vanish (or, in theory, be deleted and created
                // again elsewhere under the same id) before it is locked: checked below.
                let not_found = || Fail::Op(CreateNodeError::ParentNotFound);
                let seen = fetch_node(&mut tx, &new.instance, parent.kind, parent.id).await?.ok_or_else(not_found)?;
                let lineage = Lineage::of_child_of(&seen);
                let mut last = None;
                for ancestor in lineage.root_first() {
                    // An ancestor that is gone takes the parent with it (foreign keys).
                    last = Some(lock_ancestor(&mut tx, ancestor).await?.ok_or_else(not_found)?);
                }
                let locked = last.ok_or_else(not_found)?;
                if (locked.id, locked.kind, &locked.instance) != (parent.id, parent.kind, &new.instance) {
                    return Err(not_found());
                }
                if locked.lineage != seen.lineage {
                    return Err(Fail::Retry);
                }
                lineage
            }
        };
        let node = Node {
            id: new.id,
            instance: new.instance.clone(),
            kind: new.kind,
            parent: new.parent.map(|p| p.id),
            lineage,
            name: new.name.clone(),
            draas_domain: new.draas_domain.clone(),
            tenant_id: new.tenant_id.clone(),
            version: Version::FIRST,
        };
        sqlx::query(
            "INSERT INTO nodes (id, instance, kind, parent_id, group_id, distributor_id, reseller_id, \
             name, name_key, draas_domain, tenant_id, tenant_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(node.id.0)
        .bind(node.instance.as_str())
        .bind(node.kind.as_str())
        .bind(node.parent.map(|p| p.0))
        .bind(node.lineage.group.map(|id| id.0))
        .bind(node.lineage.distributor.map(|id| id.0))
        .bind(node.lineage.reseller.map(|id| id.0))
        .bind(node.name.as_str())
        .bind(node.name.key())
        .bind(node.draas_domain.as_ref().map(|d| d.as_str()))
        .bind(node.tenant_id.as_ref().map(|t| t.as_str()))
        .bind(node.tenant_id.as_ref().map(|t| t.key()))
        .execute(&mut *tx)
        .await?;
        if let Some(admin) = &new.admin {
            // The node's first administrator, in the node's transaction: an address the instance
            // already has (admins_email_key_key → DuplicateEmail) rolls the node back with it.
            let admin = NewAdmin { home: Some(node.id), ..admin.clone() };
            if accounts::insert_admin(&mut tx, &admin).await?.is_none() {
                let elsewhere = "the node's administrator names another instance than the node";
                return Err(Fail::Op(CreateNodeError::Store(StoreError::Backend(elsewhere.into()))));
            }
        }
        adjust_ancestors(&mut tx, &node, 1).await?;
        audit::applied(&mut tx, change).await?;
        tx.commit().await?;
        Ok(node)
    }

    async fn delete_once(
        &self,
        instance: &InstanceSlug,
        kind: NodeKind,
        id: NodeId,
        change: &Change,
    ) -> Result<Deleted, Fail<DeleteNodeError>> {
        let mut tx = self.pool.begin().await?;
        // Which ancestors to lock, read without a lock.
        let Some(seen) = fetch_node(&mut tx, instance, kind, id).await? else { return Ok(Deleted::Absent) };
        for ancestor in seen.lineage.root_first() {
            if lock_ancestor(&mut tx, ancestor).await?.is_none() {
                // Gone, so is the node below it (foreign keys). Dropping `tx` rolls back.
                return Ok(Deleted::Absent);
            }
        }
        let locked: Option<NodeRow> = sqlx::query_as(concat!(
            "SELECT ",
            node_columns!(),
            " FROM nodes WHERE id = $1 AND instance = $2 AND kind = $3 FOR UPDATE"
        ))
        .bind(id.0)
        .bind(instance.as_str())
        .bind(kind.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(node) = locked.map(NodeRow::into_node).transpose()? else { return Ok(Deleted::Absent) };
        if node.lineage != seen.lineage {
            return Err(Fail::Retry);
        }
        canopy_domain::check_version(change.expected, node.version)?;
        // A fresh snapshot (READ COMMITTED), taken while the node is locked against new children.
        // Every row that names the node as its parent counts, whatever its instance.
        let counts: Vec<(String, i64)> =
            sqlx::query_as("SELECT kind, count(*) FROM nodes WHERE parent_id = $1 GROUP BY kind")
                .bind(id.0)
                .fetch_all(&mut *tx)
                .await?;
        let mut children = ChildCounts::default();
        for (kind, count) in counts {
            children.add(rows::parse_kind(&kind)?, rows::count("children", count)?);
        }
        ensure_deletable(&node, &children).map_err(|_| Fail::Op(DeleteNodeError::NotEmpty(children)))?;
        // Recorded while the node is there to give its lineage.
        audit::applied(&mut tx, change).await?;
        sqlx::query("DELETE FROM nodes WHERE id = $1").bind(id.0).execute(&mut *tx).await?;
        adjust_ancestors(&mut tx, &node, -1).await?;
        tx.commit().await?;
        Ok(Deleted::Removed)
    }

    /// Locks the node alone (its version is checked under the lock), then updates it: one row
    /// lock is the whole transaction, so there is no lock order to keep.
    async fn update_once(
        &self,
        instance: &InstanceSlug,
        kind: NodeKind,
        id: NodeId,
        changes: &NodeChanges,
        change: &Change,
    ) -> Result<Node, Fail<UpdateNodeError>> {
        let mut tx = self.pool.begin().await?;
        if versions::lock_node(&mut tx, instance, kind, id, change.expected).await?.is_none() {
            return Err(Fail::Op(UpdateNodeError::NotFound));
        }
        let domain = changes.draas_domain.as_ref().map(|domain| domain.as_ref().map(|d| d.as_str()));
        let updated: Option<NodeRow> = sqlx::query_as(concat!(
            "UPDATE nodes SET name = coalesce($4, name), name_key = coalesce($5, name_key), \
             draas_domain = CASE WHEN $6 THEN $7 ELSE draas_domain END, \
             tenant_id = coalesce($8, tenant_id), tenant_key = coalesce($9, tenant_key), version = version + 1 \
             WHERE id = $1 AND instance = $2 AND kind = $3 RETURNING ",
            node_columns!()
        ))
        .bind(id.0)
        .bind(instance.as_str())
        .bind(kind.as_str())
        .bind(changes.name.as_ref().map(|n| n.as_str()))
        .bind(changes.name.as_ref().map(|n| n.key()))
        .bind(domain.is_some())
        .bind(domain.flatten())
        .bind(changes.tenant_id.as_ref().map(|t| t.as_str()))
        .bind(changes.tenant_id.as_ref().map(|t| t.key()))
        .fetch_optional(&mut *tx)
        .await?;
        let node = updated.ok_or(Fail::Op(UpdateNodeError::NotFound))?.into_node()?;
        audit::applied(&mut tx, change).await?;
        tx.commit().await?;
        Ok(node)
    }
}

/// A node of this kind in this instance, without a lock.
async fn fetch_node<E: From<StoreError>>(
    conn: &mut PgConnection,
    instance: &InstanceSlug,
    kind: NodeKind,
    id: NodeId,
) -> Result<Option<Node>, Fail<E>> {
    let row: Option<NodeRow> = sqlx::query_as(concat!(
        "SELECT ",
        node_columns!(),
        " FROM nodes WHERE id = $1 AND instance = $2 AND kind = $3"
    ))
    .bind(id.0)
    .bind(instance.as_str())
    .bind(kind.as_str())
    .fetch_optional(conn)
    .await?;
    Ok(row.map(NodeRow::into_node).transpose()?)
}

/// Locks an ancestor whose counters are about to change (and, for a parent, against its own
/// deletion). `FOR NO KEY UPDATE` is the lock an UPDATE of the counters takes anyway; taking it
/// explicitly, one row at a time, fixes the order in which rows are locked.
async fn lock_ancestor<E: From<StoreError>>(conn: &mut PgConnection, id: NodeId) -> Result<Option<Node>, Fail<E>> {
    let row: Option<NodeRow> =
        sqlx::query_as(concat!("SELECT ", node_columns!(), " FROM nodes WHERE id = $1 FOR NO KEY UPDATE"))
            .bind(id.0)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(NodeRow::into_node).transpose()?)
}

/// Adds (`sign` 1) or removes (`sign` -1) `node` from the subtree counters of its ancestors,
/// which the caller has locked.
async fn adjust_ancestors(conn: &mut PgConnection, node: &Node, sign: i64) -> Result<(), sqlx::Error> {
    let ancestors: Vec<uuid::Uuid> = node.lineage.root_first().into_iter().map(|id| id.0).collect();
    if ancestors.is_empty() {
        return Ok(());
    }
    let delta = SubtreeCounts::of_one(node.kind);
    let signed = |count: u64| if count > 0 { sign } else { 0 };
    sqlx::query(
        "UPDATE nodes SET nb_distributors = nb_distributors + $2, nb_resellers = nb_resellers + $3, \
         nb_tenants = nb_tenants + $4 WHERE id = ANY($1)",
    )
    .bind(ancestors)
    .bind(signed(delta.distributors))
    .bind(signed(delta.resellers))
    .bind(signed(delta.tenants))
    .execute(conn)
    .await?;
    Ok(())
}

#[async_trait]
impl NodeStore for PostgresStore {
    fn pool_stats(&self) -> Option<PoolStats> {
        let size = self.pool.size();
        let idle = u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX);
        Some(PoolStats { size, idle, max: self.pool.options().get_max_connections() })
    }

    async fn ready(&self) -> Result<(), StoreError> {
        // Every embedded migration, not only the latest: migrations written on parallel branches
        // may be applied out of number order, and a missing one below the maximum still matters.
        let embedded: Vec<i64> = MIGRATOR.iter().map(|m| m.version).collect();
        // A missing _sqlx_migrations table is an error like any other: not ready.
        let applied: Vec<i64> =
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success AND version = ANY($1)")
                .bind(&embedded)
                .fetch_all(&self.pool)
                .await
                .map_err(store_error)?;
        let missing: Vec<String> = embedded.iter().filter(|v| !applied.contains(v)).map(ToString::to_string).collect();
        if !missing.is_empty() {
            return Err(StoreError::Unavailable(format!(
                "schema lacks migration(s) {}: run `canopy migrate`",
                missing.join(", ")
            )));
        }
        Ok(())
    }

    async fn ensure_instances(&self, instances: &[InstanceSlug]) -> Result<(), StoreError> {
        // Sorted: concurrent callers insert overlapping slugs in one order and cannot deadlock.
        let mut slugs: Vec<String> = instances.iter().map(|i| i.as_str().to_owned()).collect();
        slugs.sort();
        slugs.dedup();
        let slugs = &slugs;
        retrying(|| async move {
            sqlx::query(
                "INSERT INTO instances (slug) SELECT slug FROM unnest($1::text[]) WITH ORDINALITY AS s(slug, n) \
                 ORDER BY n ON CONFLICT (slug) DO NOTHING",
            )
            .bind(&slugs[..])
            .execute(&self.pool)
            .await?;
            Ok(())
        })
        .await
    }

    async fn shared_secret(&self, candidate: Vec<u8>) -> Result<Vec<u8>, StoreError> {
        // Two statements, not one: a concurrent first insert makes ON CONFLICT wait for it, and
        // only a later statement's snapshot is sure to see the row it committed.
        sqlx::query("INSERT INTO server_secrets (id, secret) VALUES (1, $1) ON CONFLICT (id) DO NOTHING")
            .bind(candidate)
            .execute(&self.pool)
            .await
            .map_err(store_error)?;
        sqlx::query_scalar("SELECT secret FROM server_secrets WHERE id = 1")
            .fetch_one(&self.pool)
            .await
            .map_err(store_error)
    }

    async fn create_node(&self, new: NewNode, change: &Change) -> Result<Node, CreateNodeError> {
        retrying(|| self.create_once(&new, change)).await
    }

    async fn get_node(
        &self,
        instance: &InstanceSlug,
        kind: NodeKind,
        id: NodeId,
    ) -> Result<Option<NodeView>, StoreError> {
        let row: Option<NodeViewRow> = sqlx::query_as(concat!(
            "SELECT ",
            node_columns!(),
            ", nb_distributors, nb_resellers, nb_tenants FROM nodes WHERE id = $1 AND instance = $2 AND kind = $3"
        ))
        .bind(id.0)
        .bind(instance.as_str())
        .bind(kind.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(store_error)?;
        row.map(NodeViewRow::into_view).transpose()
    }

    async fn update_node(
        &self,
        instance: &InstanceSlug,
        kind: NodeKind,
        id: NodeId,
        changes: NodeChanges,
        change: &Change,
    ) -> Result<Node, UpdateNodeError> {
        retrying(|| self.update_once(instance, kind, id, &changes, change)).await
    }

    async fn delete_node(
        &self,
        instance: &InstanceSlug,
        kind: NodeKind,
        id: NodeId,
        change: &Change,
    ) -> Result<Deleted, DeleteNodeError> {
        retrying(|| self.delete_once(instance, kind, id, change)).await
    }

    async fn list_nodes(&self, request: &PageRequest) -> Result<Page, StoreError> {
        list::list_nodes(&self.pool, request).await
    }
}
