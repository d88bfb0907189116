//! The unit of work of every write, written once: [`Unit::begin`] opens its transaction,
//! [`Unit::commit`] records its change in the audit log and commits (one attempt; the caller
//! runs it under [`retrying`](super::errors::retrying)). The record is also where a change meets
//! the tree locks on its administrator's lineage (`super::tree_locks`): last, so that it adds no
//! lock order to any write's. Dropping a unit rolls it back: a write
//! that changed nothing (deleting what is absent) just returns.
//!
//! [`Unit::owned`] opens what every write of a document a node owns opens with: the node held
//! (a node already deleted answers `NodeNotFound`, a later deletion waits for the commit), then
//! the document's version locked, checked and counted ([`claim_version`]).

use super::audit;
use super::errors::Fail;
use super::owned_versions::claim_version;
use crate::configurations::WriteConfigError;
use crate::error::{AddPriceError, StoreError, WriteOwnedError};
use crate::owned_versions::OwnedDocument;
use canopy_domain::{Change, InstanceSlug, NodeId, NodeKind, Version, VersionMismatch};
use sqlx::{PgConnection, PgPool, Postgres, Transaction};
use std::ops::{Deref, DerefMut};

/// The transaction of one write.
pub(super) struct Unit<'p>(Transaction<'p, Postgres>);

impl Deref for Unit<'_> {
    type Target = PgConnection;

    fn deref(&self) -> &PgConnection {
        &self.0
    }
}

impl DerefMut for Unit<'_> {
    fn deref_mut(&mut self) -> &mut PgConnection {
        &mut self.0
    }
}

/// How a write of what a node owns holds its node until it commits.
#[derive(Debug, Clone, Copy)]
pub(super) enum Hold {
    /// `FOR KEY SHARE`: the node cannot be deleted meanwhile; writers of different documents of
    /// one node do not wait for each other.
    KeyShare,
    /// `FOR NO KEY UPDATE`: writers of the node's configuration take turns on the node itself
    /// (the lock a child's creation takes on its parent), so none reads a stale configuration.
    NoKeyUpdate,
}

/// Why a unit of work did not commit: the database failed, or the store refused the change at
/// its end, when the audit log records it (a tree lock binds it: `StoreError::TreeLocked`).
#[derive(Debug)]
pub(super) enum CommitError {
    Db(sqlx::Error),
    Refused(StoreError),
}

impl From<sqlx::Error> for CommitError {
    fn from(error: sqlx::Error) -> Self {
        Self::Db(error)
    }
}

impl<E: From<StoreError>> From<CommitError> for Fail<E> {
    fn from(error: CommitError) -> Self {
        match error {
            CommitError::Db(error) => Self::Db(error),
            CommitError::Refused(error) => Self::Op(E::from(error)),
        }
    }
}

/// The errors of a write whose node may be gone.
pub(super) trait NodeGone {
    fn node_gone() -> Self;
}

impl NodeGone for WriteOwnedError {
    fn node_gone() -> Self {
        Self::NodeNotFound
    }
}

impl NodeGone for AddPriceError {
    fn node_gone() -> Self {
        Self::NodeNotFound
    }
}

impl NodeGone for WriteConfigError {
    fn node_gone() -> Self {
        Self::NodeNotFound
    }
}

impl<'p> Unit<'p> {
    pub async fn begin(pool: &'p PgPool) -> Result<Self, sqlx::Error> {
        Ok(Self(super::begin::begin(pool).await?))
    }

    /// Opens a write of `document` of `node`: the node held, the document's version claimed
    /// (refused when `change` expects another). Answers the version the write makes.
    pub async fn owned<E>(
        pool: &'p PgPool,
        (node, hold): (NodeId, Hold),
        document: &OwnedDocument,
        change: &Change,
    ) -> Result<(Self, Version), Fail<E>>
    where
        E: NodeGone + From<StoreError> + From<VersionMismatch>,
    {
        let mut unit = Self::begin(pool).await?;
        let lock = match hold {
            Hold::KeyShare => "SELECT 1 FROM nodes WHERE id = $1 FOR KEY SHARE",
            Hold::NoKeyUpdate => "SELECT 1 FROM nodes WHERE id = $1 FOR NO KEY UPDATE",
        };
        let found: Option<i32> = sqlx::query_scalar(lock).bind(node.0).fetch_optional(&mut *unit).await?;
        if found.is_none() {
            return Err(Fail::Op(E::node_gone()));
        }
        let version = claim_version(&mut unit, node, document, change.expected).await?;
        Ok((unit, version))
    }

    /// Records `change` as applied (unless [`Unit::record`] did) and commits; refused instead
    /// (rolled back) when a tree lock binds it ([`audit::applied`]).
    pub async fn commit(mut self, change: &Change) -> Result<(), CommitError> {
        audit::applied(&mut self, change).await?;
        Ok(self.0.commit().await?)
    }

    /// Records `change` now, while what it deletes is still there to give the node's lineage;
    /// then [`Unit::commit_as_is`]. Refused like [`Unit::commit`].
    pub async fn record(&mut self, change: &Change) -> Result<(), CommitError> {
        audit::applied(self, change).await
    }

    /// Commits the write when it changed `rows` rows, recording it; rolls back when it changed
    /// none (adding what is there, removing what is absent: nothing to record). Answers whether
    /// it changed anything.
    pub async fn commit_if_changed(self, rows: u64, change: &Change) -> Result<bool, CommitError> {
        if rows == 0 {
            return Ok(false);
        }
        self.commit(change).await?;
        Ok(true)
    }

    /// Whether the instance has the node `id` of `kind`, held as `hold` says until the unit ends.
    pub async fn holds(
        &mut self,
        (instance, kind, id): (&InstanceSlug, NodeKind, NodeId),
        hold: Hold,
    ) -> Result<bool, sqlx::Error> {
        node_exists(self, (instance, kind, id), Some(hold)).await
    }

    /// Commits without recording: the change was recorded already, or there is none (a bootstrap).
    pub async fn commit_as_is(self) -> Result<(), sqlx::Error> {
        self.0.commit().await
    }
}

/// Whether the instance has the node `id` of `kind`; with `hold`, the row stays locked until the
/// transaction ends.
pub(super) async fn node_exists(
    conn: &mut PgConnection,
    (instance, kind, id): (&InstanceSlug, NodeKind, NodeId),
    hold: Option<Hold>,
) -> Result<bool, sqlx::Error> {
    let query = match hold {
        None => "SELECT 1 FROM nodes WHERE id = $1 AND instance = $2 AND kind = $3",
        Some(Hold::KeyShare) => "SELECT 1 FROM nodes WHERE id = $1 AND instance = $2 AND kind = $3 FOR KEY SHARE",
        Some(Hold::NoKeyUpdate) => {
            "SELECT 1 FROM nodes WHERE id = $1 AND instance = $2 AND kind = $3 FOR NO KEY UPDATE"
        }
    };
    let found: Option<i32> =
        sqlx::query_scalar(query).bind(id.0).bind(instance.as_str()).bind(kind.as_str()).fetch_optional(conn).await?;
    Ok(found.is_some())
}
