//! Counts of nodes by kind: of a whole subtree (`nbOf*` on every ancestor), or of a node's direct
//! children (what blocks its deletion).

use super::NodeKind;
use serde::Serialize;

/// Counts of the kinds that lie below something (groups are never below anything). Shown as
/// `details.children` of a refused deletion (`siteGroups`, `users`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KindCounts {
    pub distributors: u64,
    pub resellers: u64,
    pub tenants: u64,
    pub site_groups: u64,
    pub users: u64,
}

/// How many nodes of each kind lie anywhere below a node (`nbOfDistributors`, ...).
pub type SubtreeCounts = KindCounts;

/// The direct children of a node by kind: what blocks its deletion.
pub type ChildCounts = KindCounts;

impl KindCounts {
    /// The kinds that are counted, in hierarchy order (every kind but groups).
    pub const COUNTED: [NodeKind; 5] =
        [NodeKind::Distributor, NodeKind::Reseller, NodeKind::Tenant, NodeKind::SiteGroup, NodeKind::User];

    /// The counts one node of `kind` adds to each of its ancestors.
    pub fn of_one(kind: NodeKind) -> Self {
        let mut counts = Self::default();
        counts.add(kind, 1);
        counts
    }

    pub fn is_empty(&self) -> bool {
        Self::COUNTED.into_iter().all(|kind| self.get(kind) == 0)
    }

    pub fn add(&mut self, kind: NodeKind, count: u64) {
        if let Some(counter) = self.count_mut(kind) {
            *counter += count;
        }
    }

    /// The count of `kind` (0 for groups, which are never counted).
    pub fn get(&self, kind: NodeKind) -> u64 {
        match kind {
            NodeKind::Group => 0,
            NodeKind::Distributor => self.distributors,
            NodeKind::Reseller => self.resellers,
            NodeKind::Tenant => self.tenants,
            NodeKind::SiteGroup => self.site_groups,
            NodeKind::User => self.users,
        }
    }

    /// The wire name of the count of `kind` (`siteGroups`); `nbOf` and its title make the field of
    /// a node's read (`nbOfSiteGroups`).
    pub fn wire_name(kind: NodeKind) -> &'static str {
        match kind {
            NodeKind::Group => "groups",
            NodeKind::Distributor => "distributors",
            NodeKind::Reseller => "resellers",
            NodeKind::Tenant => "tenants",
            NodeKind::SiteGroup => "siteGroups",
            NodeKind::User => "users",
        }
    }

    /// The counts of `kinds` by wire name: what a refused deletion shows of the kinds its node
    /// may hold (a group's distributors, resellers and tenants; a tenant's site groups and users).
    pub fn shown(&self, kinds: &[NodeKind]) -> serde_json::Map<String, serde_json::Value> {
        kinds.iter().map(|kind| (Self::wire_name(*kind).to_owned(), self.get(*kind).into())).collect()
    }

    /// The counter of `kind`; groups are never below anything, so they have none.
    pub fn count_mut(&mut self, kind: NodeKind) -> Option<&mut u64> {
        match kind {
            NodeKind::Group => None,
            NodeKind::Distributor => Some(&mut self.distributors),
            NodeKind::Reseller => Some(&mut self.resellers),
            NodeKind::Tenant => Some(&mut self.tenants),
            NodeKind::SiteGroup => Some(&mut self.site_groups),
            NodeKind::User => Some(&mut self.users),
        }
    }
}
