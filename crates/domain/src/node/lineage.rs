//! A node's ancestors by kind. Each kind appears at most once on a path from the root, so a
//! node's whole ancestry fits in one optional slot per kind that holds nodes.

use super::{Node, NodeId, NodeKind};

/// The ancestors of a node by kind; `group` is `None` only for groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Lineage {
    pub group: Option<NodeId>,
    pub distributor: Option<NodeId>,
    pub reseller: Option<NodeId>,
    pub tenant: Option<NodeId>,
    pub site_group: Option<NodeId>,
}

impl Lineage {
    /// The lineage of a child of `parent`: the parent's own lineage plus the parent itself.
    pub fn of_child_of(parent: &Node) -> Self {
        let mut lineage = parent.lineage;
        if let Some(slot) = lineage.slot_mut(parent.kind) {
            *slot = Some(parent.id);
        }
        lineage
    }

    /// The slot of the ancestor of `kind`; users hold nothing, so they have none.
    fn slot_mut(&mut self, kind: NodeKind) -> Option<&mut Option<NodeId>> {
        match kind {
            NodeKind::Group => Some(&mut self.group),
            NodeKind::Distributor => Some(&mut self.distributor),
            NodeKind::Reseller => Some(&mut self.reseller),
            NodeKind::Tenant => Some(&mut self.tenant),
            NodeKind::SiteGroup => Some(&mut self.site_group),
            NodeKind::User => None,
        }
    }

    fn slots(&self) -> [Option<NodeId>; 5] {
        [self.group, self.distributor, self.reseller, self.tenant, self.site_group]
    }

    /// The kinds of the slots, in their order.
    const KINDS: [NodeKind; 5] =
        [NodeKind::Group, NodeKind::Distributor, NodeKind::Reseller, NodeKind::Tenant, NodeKind::SiteGroup];

    /// Whether `id` is one of the ancestors.
    pub fn contains(&self, id: NodeId) -> bool {
        self.slots().contains(&Some(id))
    }

    /// Ancestors from the root down: the order in which adapters lock them.
    pub fn root_first(&self) -> Vec<NodeId> {
        self.slots().into_iter().flatten().collect()
    }

    /// Ancestors from the root down, each with its kind (what a face needs to name them).
    pub fn ancestors(&self) -> Vec<(NodeKind, NodeId)> {
        Self::KINDS.into_iter().zip(self.slots()).filter_map(|(kind, id)| id.map(|id| (kind, id))).collect()
    }
}
