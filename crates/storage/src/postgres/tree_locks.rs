//! The PostgreSQL adapter's tree locks (`canopy_domain::tree_lock`; `nodes.locked_by`,
//! migrations/0040_tree_locks.sql): who holds a node's lock, as the holder's level.
//!
//! # A write either committed before the lock, or is refused
//!
//! * The locker takes the node's row `FOR UPDATE` (not the `FOR NO KEY UPDATE` its UPDATE of
//!   `locked_by` would take on its own), decides with the domain on the lock stored then, writes
//!   and commits.
//! * Every write with a `home` (a node administrator's change of the tree) ends with one statement
//!   that inserts its audit entry and, in the same statement, takes its home's row and every
//!   ancestor's `FOR KEY SHARE` and reads their locks ([`with_lineage_locks`]); the domain then
//!   decides ([`admit`]) and a refused write rolls back.
//!
//! `FOR KEY SHARE` conflicts with `FOR UPDATE` only. A write that holds its lineage first commits
//! before the locker gets the node; a write that comes second waits for the locker's commit, and
//! READ COMMITTED hands a row lock that waited the row's newest version: it reads the lock. Writes
//! never wait for each other here (shared locks, compatible with the `NO KEY UPDATE` of counters
//! and creations), and since the check comes last, after every lock the write took for its own
//! work, it adds no new order between locks: a write only waits for a `FOR UPDATE` on its lineage,
//! whose holder (a locker, an update or deletion by someone above) never waits for a lock that
//! write holds (everything it locked lies in its own subtree or is a shared or key-compatible
//! lock on its ancestors).

use super::PostgresStore;
use super::errors::{Fail, retrying};
use super::rows::corrupt_in;
use super::unit::{CommitError, Unit};
use crate::error::{StoreError, TreeLockError};
use canopy_domain::tree_lock::requested;
use canopy_domain::{Change, Home, InstanceSlug, Level, LockRequest, NodeId, NodeKind, TreeLock, refuses};
use sqlx::PgConnection;

/// `WITH lineage AS (…)`: the locks of the home `$param` names and of its ancestors, every row
/// held `FOR KEY SHARE`, locked or not (filters come after). The lineage is read from the home's
/// own row: nodes never move.
macro_rules! lineage {
    ($param:literal) => {
        concat!(
            "WITH lineage AS (SELECT n.locked_by FROM nodes n WHERE n.id IN (SELECT unnest(ARRAY[h.id, h.group_id, \
             h.distributor_id, h.reseller_id, h.tenant_node_id, h.site_group_id]) FROM nodes h WHERE h.id = ",
            $param,
            "::uuid) FOR KEY SHARE OF n) "
        )
    };
}

/// What a statement answers of the lineage's locks: a `text[]`, NULL when there is none.
macro_rules! locks_found {
    () => {
        "(SELECT array_agg(locked_by) FILTER (WHERE locked_by IS NOT NULL) FROM lineage)"
    };
}

/// `$insert` (one row, parameters `$1` to `$12`), holding and answering the locks of the lineage
/// of the home `$13` names.
macro_rules! with_lineage_locks {
    ($insert:expr) => {
        concat!(
            $crate::postgres::tree_locks::lineage!("$13"),
            $insert,
            " RETURNING ",
            $crate::postgres::tree_locks::locks_found!()
        )
    };
}
pub(super) use {lineage, locks_found, with_lineage_locks};

/// The check [`with_lineage_locks`] makes, alone: for a write that records nothing (a lock
/// request that changes nothing is refused all the same to an administrator a lock binds).
async fn check(conn: &mut PgConnection, change: &Change) -> Result<(), CommitError> {
    let Some(home) = change.home else { return Ok(()) };
    let locks: Option<Vec<String>> =
        sqlx::query_scalar(concat!(lineage!("$1"), "SELECT ", locks_found!())).bind(home.id.0).fetch_one(conn).await?;
    admit(home, locks).map_err(CommitError::Refused)
}

/// Refuses the write of `home`'s administrator when one of the locks read binds it.
pub(super) fn admit(home: Home, locks: Option<Vec<String>>) -> Result<(), StoreError> {
    let locks: Vec<TreeLock> = locks.unwrap_or_default().iter().map(|raw| parse(raw)).collect::<Result<_, _>>()?;
    if refuses(home.kind, locks) { Err(StoreError::TreeLocked) } else { Ok(()) }
}

fn parse(raw: &str) -> Result<TreeLock, StoreError> {
    TreeLock::parse(raw).ok_or_else(|| corrupt_in("nodes", "locked_by", format!("unknown holder {raw:?}")))
}

impl PostgresStore {
    /// `NodeStore::set_tree_lock`: see the module documentation.
    pub(super) async fn set_lock(
        &self,
        (instance, kind, id): (&InstanceSlug, NodeKind, NodeId),
        request: LockRequest,
        by: Level,
        change: &Change,
    ) -> Result<bool, TreeLockError> {
        retrying(|| async move {
            let mut tx = Unit::begin(&self.pool).await?;
            let stored: Option<Option<String>> = sqlx::query_scalar(
                "SELECT locked_by FROM nodes WHERE id = $1 AND instance = $2 AND kind = $3 FOR UPDATE",
            )
            .bind(id.0)
            .bind(instance.as_str())
            .bind(kind.as_str())
            .fetch_optional(&mut *tx)
            .await?;
            let Some(stored) = stored else { return Err(Fail::Op(TreeLockError::NotFound)) };
            let current = stored.as_deref().map(parse).transpose()?;
            let after = requested(current, request, by).map_err(|held| Fail::Op(held.into()))?;
            if after == current {
                // Nothing to record (dropping the unit rolls it back), but refused all the same.
                check(&mut tx, change).await?;
                return Ok(false);
            }
            sqlx::query("UPDATE nodes SET locked_by = $2 WHERE id = $1")
                .bind(id.0)
                .bind(after.map(TreeLock::as_str))
                .execute(&mut *tx)
                .await?;
            tx.commit(change).await?;
            Ok(true)
        })
        .await
    }
}
