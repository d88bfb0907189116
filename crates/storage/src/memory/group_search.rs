//! The memory adapter's lookups for the faces that name nodes by keys of their own (APIO): a node
//! by its key, and the search of a tenant's site groups by the domain's own rules.

use super::{Space, State};
use crate::nodes::NodeView;
use canopy_domain::{Found, GroupSearch, InstanceSlug, Node, NodeId, NodeKey, NodeKind};
use std::ops::Bound;
use uuid::Uuid;

impl State {
    /// The node `key` names, through the indexes (never a scan).
    pub(super) fn find(&self, instance: &InstanceSlug, key: &NodeKey) -> Option<NodeView> {
        let id = match key {
            NodeKey::TenantId(key) => self.keyed(instance, Space::TenantId, key),
            NodeKey::UserId(key) => self.keyed(instance, Space::UserId, key),
            NodeKey::SiteGroup { tenant, group_id } => {
                let list = self.by_name.get(&(instance.clone(), Some(*tenant), NodeKind::SiteGroup))?;
                let from = (group_id.clone(), NodeId(Uuid::nil()));
                let mut named = list.range((Bound::Included(&from), Bound::Unbounded));
                named.next().filter(|(k, _)| k == group_id).map(|(_, id)| *id)
            }
        }?;
        let entry = self.node(instance, key.kind(), id).filter(|entry| key.names(&entry.node))?;
        Some(NodeView { node: entry.node.clone(), subtree: entry.tally.subtree() })
    }

    fn keyed(&self, instance: &InstanceSlug, space: Space, key: &str) -> Option<NodeId> {
        self.unique_keys.get(&(instance.clone(), space, key.into())).copied()
    }

    /// The tenant's site groups that match, ordered and cut as the search says.
    pub(super) fn search_site_groups(&self, instance: &InstanceSlug, tenant: NodeId, search: &GroupSearch) -> Found {
        let ids = self.by_name.get(&(instance.clone(), Some(tenant), NodeKind::SiteGroup));
        let mut matched: Vec<&Node> = ids
            .into_iter()
            .flatten()
            .filter_map(|(_, id)| self.nodes.get(id).map(|entry| &entry.node))
            .filter(|node| search.matches(node))
            .collect();
        matched.sort_by(|a, b| search.compare(a, b));
        let total = matched.len() as u64;
        Found { groups: search.cut(matched).into_iter().cloned().collect(), total }
    }
}
