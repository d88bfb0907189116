//! Rows of the `nodes` table and their conversion into domain values.
//!
//! Stored values were validated on the way in, so they are parsed again with the domain's own
//! constructors; a value that no longer parses means the table was altered behind the adapter's
//! back and is reported as a backend error, never papered over.

use crate::error::StoreError;
use crate::nodes::NodeView;
use canopy_domain::{DraasDomain, InstanceSlug, Lineage, Node, NodeId, NodeKind, NodeName, SubtreeCounts, TenantId};
use uuid::Uuid;

/// The columns [`NodeRow`] reads, as a literal so that queries can stay `&'static str`.
macro_rules! node_columns {
    () => {
        "id, instance, kind, parent_id, group_id, distributor_id, reseller_id, name, draas_domain, tenant_id"
    };
}
pub(super) use node_columns;

#[derive(sqlx::FromRow)]
pub(super) struct NodeRow {
    id: Uuid,
    instance: String,
    kind: String,
    parent_id: Option<Uuid>,
    group_id: Option<Uuid>,
    distributor_id: Option<Uuid>,
    reseller_id: Option<Uuid>,
    name: String,
    draas_domain: Option<String>,
    tenant_id: Option<String>,
}

/// A node row with its subtree counters (`node_columns!()` plus the three `nb_*` columns).
#[derive(sqlx::FromRow)]
pub(super) struct NodeViewRow {
    #[sqlx(flatten)]
    node: NodeRow,
    nb_distributors: i64,
    nb_resellers: i64,
    nb_tenants: i64,
}

/// A stored value the domain rejects.
#[derive(Debug, thiserror::Error)]
#[error("the nodes table holds an invalid {column}: {reason}")]
pub(super) struct CorruptRow {
    column: &'static str,
    reason: String,
}

fn corrupt(column: &'static str, reason: impl ToString) -> StoreError {
    StoreError::Backend(Box::new(CorruptRow { column, reason: reason.to_string() }))
}

pub(super) fn parse_kind(raw: &str) -> Result<NodeKind, StoreError> {
    NodeKind::parse(raw).ok_or_else(|| corrupt("kind", format!("unknown kind {raw:?}")))
}

pub(super) fn count(column: &'static str, raw: i64) -> Result<u64, StoreError> {
    u64::try_from(raw).map_err(|_| corrupt(column, format!("negative count {raw}")))
}

impl NodeRow {
    pub(super) fn into_node(self) -> Result<Node, StoreError> {
        Ok(Node {
            id: NodeId(self.id),
            instance: InstanceSlug::parse(&self.instance).map_err(|e| corrupt("instance", e))?,
            kind: parse_kind(&self.kind)?,
            parent: self.parent_id.map(NodeId),
            lineage: Lineage {
                group: self.group_id.map(NodeId),
                distributor: self.distributor_id.map(NodeId),
                reseller: self.reseller_id.map(NodeId),
            },
            name: NodeName::parse(&self.name).map_err(|e| corrupt("name", e))?,
            draas_domain: self
                .draas_domain
                .as_deref()
                .map(DraasDomain::parse)
                .transpose()
                .map_err(|e| corrupt("draas_domain", e))?,
            tenant_id: self
                .tenant_id
                .as_deref()
                .map(TenantId::parse)
                .transpose()
                .map_err(|e| corrupt("tenant_id", e))?,
        })
    }
}

impl NodeViewRow {
    pub(super) fn into_view(self) -> Result<NodeView, StoreError> {
        Ok(NodeView {
            node: self.node.into_node()?,
            subtree: SubtreeCounts {
                distributors: count("nb_distributors", self.nb_distributors)?,
                resellers: count("nb_resellers", self.nb_resellers)?,
                tenants: count("nb_tenants", self.nb_tenants)?,
            },
        })
    }
}
