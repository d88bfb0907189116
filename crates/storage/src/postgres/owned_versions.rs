//! The versions of what nodes own in PostgreSQL (migrations/0008_versions_owned.sql).
//!
//! A write calls [`claim_version`] right after locking its node: the upsert of the document's
//! version row locks that row (`ON CONFLICT DO UPDATE` waits for, then sees, the latest committed
//! version) and counts the write, so concurrent writers of one document are serialized and each
//! compares the client's version with the one the previous writer left. A refused write rolls
//! its transaction back, and its count with it. Reads select `COALESCE((SELECT version FROM owned_versions ...), 1)`
//! inside their own statement: one snapshot with the document, 1 for a document never written.

use super::errors::Fail;
use super::versions::version_of;
use crate::error::StoreError;
use crate::owned_versions::OwnedDocument;
use canopy_domain::{NodeId, Version, VersionMismatch};
use sqlx::PgConnection;

/// A stored version of `owned_versions` read back (the one reading of stored versions,
/// [`version_of`]).
pub(super) fn parsed(raw: i64) -> Result<Version, StoreError> {
    version_of("owned_versions", raw)
}

/// Locks the document's version row (until the transaction ends), refuses a write made on the
/// strength of another version than the stored one, and counts the write: one statement, which
/// answers the new version. Anything that then fails rolls the transaction back, count included.
pub(super) async fn claim_version<E>(
    conn: &mut PgConnection,
    node: NodeId,
    document: &OwnedDocument,
    expected: Option<Version>,
) -> Result<Version, Fail<E>>
where
    E: From<StoreError> + From<VersionMismatch>,
{
    // A document never written is at version 1 (no row): its first write makes it 2.
    let raw: i64 = sqlx::query_scalar(
        "INSERT INTO owned_versions (node_id, kind, key, version) VALUES ($1, $2, $3, 2) \
         ON CONFLICT (node_id, kind, key) DO UPDATE SET version = owned_versions.version + 1 RETURNING version",
    )
    .bind(node.0)
    .bind(document.kind())
    .bind(document.key())
    .fetch_one(conn)
    .await?;
    let claimed = parsed(raw)?;
    let current = Version(claimed.0 - 1);
    canopy_domain::check_version(expected, current)?;
    Ok(claimed)
}
