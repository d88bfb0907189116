//! Optimistic concurrency in the PostgreSQL adapter: a row's version read under the row's lock,
//! in the transaction of the change, and compared with the version the client last saw.
//!
//! Every versioned change locks its row `FOR UPDATE` first (a node's update and deletion in
//! `mod.rs`, [`lock_admin`], [`lock_voice`]): of concurrent changes made on the strength of one version, the first to
//! lock commits `version = version + 1`, and the others, which waited for the lock, read the
//! new version in their next statement (READ COMMITTED) and are refused. Nothing is lost.

use super::errors::Fail;
use super::rows::corrupt_in;
use super::voice_list::Table;
use crate::error::StoreError;
use canopy_domain::{NodeId, Version, VersionMismatch, VoiceId, check_version};
use sqlx::{AssertSqlSafe, PgConnection};

impl<E: From<VersionMismatch>> From<VersionMismatch> for Fail<E> {
    fn from(mismatch: VersionMismatch) -> Self {
        Self::Op(E::from(mismatch))
    }
}

/// A stored version as the domain counts it (the schema's CHECK keeps it at 1 or more).
pub(super) fn version_of(table: &'static str, raw: i64) -> Result<Version, StoreError> {
    u64::try_from(raw)
        .ok()
        .filter(|v| *v >= 1)
        .map(Version)
        .ok_or_else(|| corrupt_in(table, "version", format!("version {raw} below 1")))
}

/// The locked row's version, checked against `expected`; `None` when there is no such row.
fn guard<E>(table: &'static str, stored: Option<i64>, expected: Option<Version>) -> Result<Option<Version>, Fail<E>>
where
    E: From<StoreError> + From<VersionMismatch>,
{
    let Some(raw) = stored else { return Ok(None) };
    let current = version_of(table, raw)?;
    check_version(expected, current)?;
    Ok(Some(current))
}

/// Locks an administrator's row and checks its version.
pub(super) async fn lock_admin<E>(
    conn: &mut PgConnection,
    id: canopy_domain::AdminId,
    expected: Option<Version>,
) -> Result<Option<Version>, Fail<E>>
where
    E: From<StoreError> + From<VersionMismatch>,
{
    let stored: Option<i64> = sqlx::query_scalar("SELECT version FROM admins WHERE id = $1 FOR UPDATE")
        .bind(id.0)
        .fetch_optional(conn)
        .await?;
    guard("admins", stored, expected)
}

/// Locks a usage, route or policy of the group and checks its version.
pub(super) async fn lock_voice<E>(
    conn: &mut PgConnection,
    table: Table,
    group: NodeId,
    id: VoiceId,
    expected: Option<Version>,
) -> Result<Option<Version>, Fail<E>>
where
    E: From<StoreError> + From<VersionMismatch>,
{
    let sql = format!("SELECT version FROM {} WHERE group_id = $1 AND id = $2 FOR UPDATE", table.name());
    let stored: Option<i64> =
        sqlx::query_scalar(AssertSqlSafe(sql)).bind(group.0).bind(id.0).fetch_optional(conn).await?;
    guard(table.name(), stored, expected)
}
