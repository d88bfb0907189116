//! What a node's writes hold and move (`nodes.rs`): a node read or locked by kind and instance,
//! its lineage locked root first (the one lock order of every write, docs/storage.md "Locking"),
//! and the subtree counters a creation or deletion changes on its ancestors.

use super::errors::Fail;
use super::rows::{NodeRow, node_columns};
use crate::error::StoreError;
use canopy_domain::{InstanceSlug, Node, NodeId, NodeKind, SubtreeCounts};
use sqlx::postgres::PgConnection;

/// A node of this kind in this instance, without a lock.
pub(super) async fn fetch_node<E: From<StoreError>>(
    conn: &mut PgConnection,
    instance: &InstanceSlug,
    kind: NodeKind,
    id: NodeId,
) -> Result<Option<Node>, Fail<E>> {
    let query = concat!("SELECT ", node_columns!(), " FROM nodes WHERE id = $1 AND instance = $2 AND kind = $3");
    select_node(conn, query, instance, kind, id).await
}

/// A node of this kind in this instance, locked against every other change until the commit.
pub(super) async fn lock_node<E: From<StoreError>>(
    conn: &mut PgConnection,
    instance: &InstanceSlug,
    kind: NodeKind,
    id: NodeId,
) -> Result<Option<Node>, Fail<E>> {
    let query =
        concat!("SELECT ", node_columns!(), " FROM nodes WHERE id = $1 AND instance = $2 AND kind = $3 FOR UPDATE");
    select_node(conn, query, instance, kind, id).await
}

pub(super) async fn select_node<E: From<StoreError>>(
    conn: &mut PgConnection,
    query: &'static str,
    instance: &InstanceSlug,
    kind: NodeKind,
    id: NodeId,
) -> Result<Option<Node>, Fail<E>> {
    let row: Option<NodeRow> =
        sqlx::query_as(query).bind(id.0).bind(instance.as_str()).bind(kind.as_str()).fetch_optional(conn).await?;
    Ok(row.map(NodeRow::into_node).transpose()?)
}

/// The node `id` (of `kind`, in `instance`) and its ancestors, root first, each locked as an
/// ancestor whose counters are about to change ([`lock_ancestor`]): one statement, which locks
/// its rows in the order it returns them. The ancestors are those of the node as read before the
/// lock (the caller checks them against the locked node's lineage); a row that went meanwhile is
/// left out.
pub(super) async fn lock_lineage<E: From<StoreError>>(
    conn: &mut PgConnection,
    instance: &InstanceSlug,
    kind: NodeKind,
    id: NodeId,
) -> Result<Vec<Node>, Fail<E>> {
    let query = concat!(
        "SELECT ",
        node_columns!(),
        " FROM nodes WHERE id IN (SELECT unnest(ARRAY[group_id, distributor_id, reseller_id, tenant_node_id, \
         site_group_id, id]) FROM nodes WHERE id = $1 AND instance = $2 AND kind = $3) \
         ORDER BY array_position(ARRAY['group', 'distributor', 'reseller', 'tenant', 'site_group', 'user'], kind) \
         FOR NO KEY UPDATE"
    );
    let rows: Vec<NodeRow> =
        sqlx::query_as(query).bind(id.0).bind(instance.as_str()).bind(kind.as_str()).fetch_all(conn).await?;
    Ok(rows.into_iter().map(NodeRow::into_node).collect::<Result<_, _>>()?)
}

/// Locks an ancestor whose counters are about to change (and, for a parent, against its own
/// deletion). `FOR NO KEY UPDATE` is the lock an UPDATE of the counters takes anyway; taking it
/// explicitly, one row at a time, fixes the order in which rows are locked.
pub(super) async fn lock_ancestor<E: From<StoreError>>(
    conn: &mut PgConnection,
    id: NodeId,
) -> Result<Option<Node>, Fail<E>> {
    let row: Option<NodeRow> =
        sqlx::query_as(concat!("SELECT ", node_columns!(), " FROM nodes WHERE id = $1 FOR NO KEY UPDATE"))
            .bind(id.0)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(NodeRow::into_node).transpose()?)
}

/// `UPDATE` of the subtree counters of the nodes whose ids are in the array parameter `$ids`, by
/// the deltas in the next five parameters (distributors, resellers, tenants, site groups, users).
macro_rules! counters_update {
    ($ids:literal, $distributors:literal, $resellers:literal, $tenants:literal, $site_groups:literal, $users:literal) => {
        concat!(
            "UPDATE nodes SET nb_distributors = nb_distributors + ",
            $distributors,
            ", nb_resellers = nb_resellers + ",
            $resellers,
            ", nb_tenants = nb_tenants + ",
            $tenants,
            ", nb_site_groups = nb_site_groups + ",
            $site_groups,
            ", nb_users = nb_users + ",
            $users,
            " WHERE id = ANY(",
            $ids,
            ")"
        )
    };
}
pub(super) use counters_update;

/// What a node adds to (`sign` 1) or removes from (`sign` -1) its ancestors' counters.
pub(super) struct CounterDelta {
    pub(super) distributors: i64,
    pub(super) resellers: i64,
    pub(super) tenants: i64,
    pub(super) site_groups: i64,
    pub(super) users: i64,
}

impl CounterDelta {
    pub(super) fn of(kind: NodeKind, sign: i64) -> Self {
        let delta = SubtreeCounts::of_one(kind);
        let signed = |count: u64| if count > 0 { sign } else { 0 };
        Self {
            distributors: signed(delta.distributors),
            resellers: signed(delta.resellers),
            tenants: signed(delta.tenants),
            site_groups: signed(delta.site_groups),
            users: signed(delta.users),
        }
    }
}

pub(super) fn ancestor_ids(node: &Node) -> Vec<uuid::Uuid> {
    node.lineage.root_first().into_iter().map(|id| id.0).collect()
}

/// Removes `node` from the subtree counters of its ancestors, which the caller has locked.
pub(super) async fn uncount(conn: &mut PgConnection, node: &Node) -> Result<(), sqlx::Error> {
    let ancestors = ancestor_ids(node);
    if ancestors.is_empty() {
        return Ok(());
    }
    let delta = CounterDelta::of(node.kind, -1);
    sqlx::query(counters_update!("$1", "$2", "$3", "$4", "$5", "$6"))
        .bind(ancestors)
        .bind(delta.distributors)
        .bind(delta.resellers)
        .bind(delta.tenants)
        .bind(delta.site_groups)
        .bind(delta.users)
        .execute(conn)
        .await?;
    Ok(())
}
