//! Nodes of the hierarchy (group > distributor > reseller > tenant) and the delete-when-empty rule.

mod attributes;

pub use attributes::{AttributeChanges, Attributes, Field, JsonType};

use crate::change::Version;
use crate::error::DomainError;
use crate::instance::InstanceSlug;
use crate::name::{DraasDomain, NodeName, TenantId};
use serde::Serialize;
use std::fmt;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct NodeId(pub Uuid);

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The kinds of node, in hierarchy order: a kind may only hold kinds that come after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    Group,
    Distributor,
    Reseller,
    Tenant,
}

impl NodeKind {
    pub const ALL: [NodeKind; 4] = [Self::Group, Self::Distributor, Self::Reseller, Self::Tenant];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Group => "group",
            Self::Distributor => "distributor",
            Self::Reseller => "reseller",
            Self::Tenant => "tenant",
        }
    }

    /// The plural used in paths and as the list field of responses.
    pub fn plural(self) -> &'static str {
        match self {
            Self::Group => "groups",
            Self::Distributor => "distributors",
            Self::Reseller => "resellers",
            Self::Tenant => "tenants",
        }
    }

    /// The kind's name for people: a title (`Group`), as documents and messages head it.
    pub fn title(self) -> &'static str {
        match self {
            Self::Group => "Group",
            Self::Distributor => "Distributor",
            Self::Reseller => "Reseller",
            Self::Tenant => "Tenant",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == raw)
    }
}

impl fmt::Display for NodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The ancestors of a node by kind. Each kind appears at most once on a path from the root,
/// so a node's whole ancestry fits in three optional slots; `group` is `None` only for groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Lineage {
    pub group: Option<NodeId>,
    pub distributor: Option<NodeId>,
    pub reseller: Option<NodeId>,
}

impl Lineage {
    /// The lineage of a child of `parent`: the parent's own lineage plus the parent itself.
    pub fn of_child_of(parent: &Node) -> Self {
        let mut lineage = parent.lineage;
        match parent.kind {
            NodeKind::Group => lineage.group = Some(parent.id),
            NodeKind::Distributor => lineage.distributor = Some(parent.id),
            NodeKind::Reseller => lineage.reseller = Some(parent.id),
            NodeKind::Tenant => {}
        }
        lineage
    }

    /// Whether `id` is one of the ancestors.
    pub fn contains(&self, id: NodeId) -> bool {
        [self.group, self.distributor, self.reseller].contains(&Some(id))
    }

    /// Ancestors from the root down: the order in which adapters lock them.
    pub fn root_first(&self) -> Vec<NodeId> {
        [self.group, self.distributor, self.reseller].into_iter().flatten().collect()
    }

    /// Ancestors from the root down, each with its kind (what a face needs to name them).
    pub fn ancestors(&self) -> Vec<(NodeKind, NodeId)> {
        let slots = [(NodeKind::Group, self.group), (NodeKind::Distributor, self.distributor)];
        let slots = slots.into_iter().chain([(NodeKind::Reseller, self.reseller)]);
        slots.filter_map(|(kind, id)| id.map(|id| (kind, id))).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub id: NodeId,
    pub instance: InstanceSlug,
    pub kind: NodeKind,
    pub parent: Option<NodeId>,
    pub lineage: Lineage,
    pub name: NodeName,
    /// What its kind carries beyond the name (of the node's kind).
    pub attributes: Attributes,
    /// 1 when created, one more with every change (optimistic concurrency).
    pub version: Version,
}

impl Node {
    /// A group's domain, when it has one.
    pub fn draas_domain(&self) -> Option<&DraasDomain> {
        self.attributes.draas_domain()
    }

    /// A tenant's id (every tenant has one).
    pub fn tenant_id(&self) -> Option<&TenantId> {
        self.attributes.tenant_id()
    }
}

/// Counts of distributors, resellers and tenants (groups are never below anything).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct KindCounts {
    pub distributors: u64,
    pub resellers: u64,
    pub tenants: u64,
}

/// How many nodes of each kind lie anywhere below a node (`nbOfDistributors`, ...).
pub type SubtreeCounts = KindCounts;

/// The direct children of a node by kind: what blocks its deletion.
pub type ChildCounts = KindCounts;

impl KindCounts {
    /// The kinds that are counted, in hierarchy order (every kind but groups).
    pub const COUNTED: [NodeKind; 3] = [NodeKind::Distributor, NodeKind::Reseller, NodeKind::Tenant];

    /// The count of `kind` (0 for groups, which are never counted).
    pub fn get(&self, kind: NodeKind) -> u64 {
        match kind {
            NodeKind::Group => 0,
            NodeKind::Distributor => self.distributors,
            NodeKind::Reseller => self.resellers,
            NodeKind::Tenant => self.tenants,
        }
    }

    /// The counts one node of `kind` adds to each of its ancestors.
    pub fn of_one(kind: NodeKind) -> Self {
        let mut counts = Self::default();
        counts.add(kind, 1);
        counts
    }

    pub fn is_empty(&self) -> bool {
        self.distributors == 0 && self.resellers == 0 && self.tenants == 0
    }

    pub fn add(&mut self, kind: NodeKind, count: u64) {
        if let Some(counter) = self.count_mut(kind) {
            *counter += count;
        }
    }

    /// The counter of `kind`; groups are never below anything, so they have none.
    pub fn count_mut(&mut self, kind: NodeKind) -> Option<&mut u64> {
        match kind {
            NodeKind::Group => None,
            NodeKind::Distributor => Some(&mut self.distributors),
            NodeKind::Reseller => Some(&mut self.resellers),
            NodeKind::Tenant => Some(&mut self.tenants),
        }
    }
}

/// A node can only be deleted when it holds no child of any kind. Adapters call this inside
/// the unit of work that deletes, after locking the node against new children.
pub fn ensure_deletable(node: &Node, children: &ChildCounts) -> Result<(), DomainError> {
    if children.is_empty() { Ok(()) } else { Err(DomainError::NotEmpty { node: node.id, children: *children }) }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn node(kind: NodeKind, id: u128, parent: Option<&Node>) -> Node {
        Node {
            id: NodeId(Uuid::from_u128(id)),
            instance: InstanceSlug::parse("default").unwrap(),
            kind,
            parent: parent.map(|p| p.id),
            lineage: parent.map(Lineage::of_child_of).unwrap_or_default(),
            name: NodeName::parse(&format!("node {id}")).unwrap(),
            attributes: Attributes::blank(kind),
            version: Version::FIRST,
        }
    }

    #[test]
    fn a_childs_lineage_adds_its_parent_by_kind() {
        let group = node(NodeKind::Group, 1, None);
        let reseller = node(NodeKind::Reseller, 2, Some(&group));
        let tenant = node(NodeKind::Tenant, 3, Some(&reseller));
        assert_eq!(tenant.lineage.group, Some(group.id));
        assert_eq!(tenant.lineage.distributor, None);
        assert_eq!(tenant.lineage.reseller, Some(reseller.id));
        assert_eq!(tenant.lineage.root_first(), vec![group.id, reseller.id]);
        assert_eq!(tenant.lineage.ancestors(), vec![(NodeKind::Group, group.id), (NodeKind::Reseller, reseller.id)]);
    }

    #[test]
    fn an_empty_node_is_deletable() {
        let group = node(NodeKind::Group, 1, None);
        assert_eq!(ensure_deletable(&group, &ChildCounts::default()), Ok(()));
    }

    #[test]
    fn a_node_with_any_child_is_not_deletable_and_the_error_counts_them() {
        let group = node(NodeKind::Group, 1, None);
        let mut children = ChildCounts::default();
        children.add(NodeKind::Tenant, 2);
        let err = ensure_deletable(&group, &children).unwrap_err();
        assert_eq!(err, DomainError::NotEmpty { node: group.id, children });
        assert_eq!(children.tenants, 2);
        assert_eq!(KindCounts::COUNTED.map(|kind| children.get(kind)), [0, 0, 2]);
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in NodeKind::ALL {
            assert_eq!(NodeKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(NodeKind::parse("site"), None);
    }
}
