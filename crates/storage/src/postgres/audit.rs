//! The PostgreSQL adapter of the audit log (migrations/0006_audit.sql).
//!
//! Every write method of the other ports calls [`applied`] inside its own transaction, right
//! before the commit (a node's deletion: right before its DELETE, while the node still gives its
//! lineage), so a change and its record commit together or not at all. The lineage is read by
//! the INSERT itself, in the change's transaction. Refusals are one INSERT of their own.

use super::PostgresStore;
use super::errors::store_error;
use super::pager::{self, Table};
use super::rows::corrupt_in;
use super::tree_locks::{self, with_lineage_locks};
use super::unit::CommitError;
use crate::audit::AuditStore;
use crate::error::StoreError;
use async_trait::async_trait;
use canopy_domain::{Actor, AdminId, AuditEntry, AuditScope, Change, NodeId, Outcome, Page, PageRequest, Timestamp};
use sqlx::postgres::PgRow;
use sqlx::{FromRow, PgConnection, Postgres, QueryBuilder};

/// The INSERT of one entry, its node's lineage read by the statement itself.
macro_rules! insert_entry {
    () => {
        "INSERT INTO audit_events (instance, at, actor_admin_id, actor_email, node_id, group_id, distributor_id, \
         reseller_id, tenant_node_id, site_group_id, method, path, action, body, request_id, outcome, reason) \
         SELECT $1, 'epoch'::timestamptz + $2::bigint * interval '1 millisecond', $3, $4, $5::uuid, \
         n.group_id, n.distributor_id, n.reseller_id, n.tenant_node_id, n.site_group_id, \
         $6, $7, $8, $9, $10, $11, $12 \
         FROM (VALUES (1)) AS one LEFT JOIN nodes n ON n.id = $5::uuid"
    };
}

/// `query` (of [`insert_entry`]) with the parameters of `change`'s entry bound, `$1` to `$12`.
macro_rules! bind_entry {
    ($query:expr, $change:expr, $outcome:expr, $reason:expr) => {
        $query
            .bind($change.instance.as_str())
            .bind($change.at.0)
            .bind($change.actor.admin.0)
            .bind(&$change.actor.email)
            .bind($change.node.map(|n| n.0))
            .bind(&$change.method)
            .bind(&$change.path)
            .bind(&$change.action)
            // Text, not jsonb: see the migration. A body is always serializable (it was parsed as JSON).
            .bind($change.body.as_ref().map(|body| body.to_string()))
            .bind(&$change.request_id)
            .bind($outcome.as_str())
            .bind($reason)
    };
}

/// Records `change` as applied, in the caller's transaction. A change with a `home` is refused
/// instead when a tree lock binds it: the same statement holds and reads the locks of the home's
/// lineage (`tree_locks::with_lineage_locks`), so the check costs no round trip of its own; the
/// caller's transaction, dropped, takes the entry back.
pub(super) async fn applied(conn: &mut PgConnection, change: &Change) -> Result<(), CommitError> {
    let Some(home) = change.home else {
        return Ok(insert(conn, change, Outcome::Applied, None).await?);
    };
    let checked = sqlx::query_scalar(with_lineage_locks!(insert_entry!()));
    let locks: Option<Vec<String>> =
        bind_entry!(checked, change, Outcome::Applied, None::<&str>).bind(home.id.0).fetch_one(conn).await?;
    tree_locks::admit(home, locks).map_err(CommitError::Refused)
}

async fn insert(
    conn: &mut PgConnection,
    change: &Change,
    outcome: Outcome,
    reason: Option<&str>,
) -> Result<(), sqlx::Error> {
    bind_entry!(sqlx::query(insert_entry!()), change, outcome, reason).execute(conn).await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    at_ms: i64,
    actor_admin_id: i64,
    actor_email: String,
    node_id: Option<uuid::Uuid>,
    method: String,
    path: String,
    action: String,
    body: Option<String>,
    request_id: String,
    outcome: String,
    reason: Option<String>,
}

impl EntryRow {
    fn into_entry(self) -> Result<AuditEntry, StoreError> {
        let corrupt = |column, reason: String| corrupt_in("audit_events", column, reason);
        let outcome = Outcome::parse(&self.outcome)
            .ok_or_else(|| corrupt("outcome", format!("{:?} of entry {}", self.outcome, self.id)))?;
        let body = self
            .body
            .map(|text| serde_json::from_str(&text))
            .transpose()
            .map_err(|e| corrupt("body", format!("entry {}: {e}", self.id)))?;
        Ok(AuditEntry {
            id: self.id,
            at: Timestamp(self.at_ms),
            actor: Actor { admin: AdminId(self.actor_admin_id), email: self.actor_email },
            node: self.node_id.map(NodeId),
            method: self.method,
            path: self.path,
            action: self.action,
            body,
            request_id: self.request_id,
            outcome,
            reason: self.reason,
        })
    }
}

/// The columns an [`EntryRow`] reads.
const COLUMNS: &str = "id, round(extract(epoch FROM at) * 1000)::bigint AS at_ms, actor_admin_id, actor_email, \
    node_id, method, path, action, body, request_id, outcome, reason";

/// The list's filter: the instance, the caller's subtree and the node filter, each `$n IN` the
/// entry's node and its lineage (served by the per-column indexes).
fn push_filter(sql: &mut QueryBuilder<Postgres>, scope: &AuditScope) {
    sql.push("instance = ").push_bind(scope.instance.as_str().to_owned());
    for top in [scope.within, scope.node].into_iter().flatten() {
        sql.push(" AND ")
            .push_bind(top.0)
            .push(" IN (node_id, group_id, distributor_id, reseller_id, tenant_node_id, site_group_id)");
    }
}

#[async_trait]
impl AuditStore for PostgresStore {
    async fn record_refusal(&self, change: &Change, reason: &str) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await.map_err(store_error)?;
        insert(&mut conn, change, Outcome::Refused, Some(reason)).await.map_err(store_error)
    }

    async fn record_action(&self, change: &Change) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await.map_err(store_error)?;
        insert(&mut conn, change, Outcome::Applied, None).await.map_err(store_error)
    }

    async fn list_audit(&self, request: &PageRequest<AuditScope>) -> Result<Page<AuditEntry>, StoreError> {
        // Newest first by id; the count shares the page's statement, hence its snapshot.
        let table = Table { from: "audit_events", columns: COLUMNS, id: "id" };
        let filter = |sql: &mut QueryBuilder<Postgres>| push_filter(sql, &request.scope);
        let parse = |row: &PgRow| EntryRow::from_row(row).map_err(store_error)?.into_entry();
        pager::page(&self.pool, request, &table, None, filter, parse).await
    }
}
