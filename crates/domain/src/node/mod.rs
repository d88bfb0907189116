//! Nodes of the hierarchy (group > distributor > reseller > tenant > site group > user) and the
//! delete-when-empty rule.

mod attributes;
mod counts;
mod kind;
mod lineage;

pub use attributes::{
    AttributeChanges, Attributes, Field, InfoObject, JsonType, SiteGroupAttributes, SiteGroupChanges, TimeZone,
    UserAttributes, UserChanges,
};
pub use counts::{ChildCounts, KindCounts, SubtreeCounts};
pub use kind::NodeKind;
pub use lineage::Lineage;

use crate::change::Version;
use crate::email::Email;
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

/// The integer id of a node (or of an instance), shown as `id` beside the uuid: drawn by the store
/// from one sequence shared by every node and instance, so it is never reused and names one thing
/// whatever the kind. The portal and sipXconfig faces name things by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Serial(pub i64);

impl fmt::Display for Serial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// How a client names a node: by uuid, or by its integer id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeRef {
    Uuid(NodeId),
    Serial(Serial),
}

impl From<Uuid> for NodeRef {
    fn from(id: Uuid) -> Self {
        Self::Uuid(NodeId(id))
    }
}

impl From<NodeId> for NodeRef {
    fn from(id: NodeId) -> Self {
        Self::Uuid(id)
    }
}

impl From<Serial> for NodeRef {
    fn from(serial: Serial) -> Self {
        Self::Serial(serial)
    }
}

impl fmt::Display for NodeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Uuid(id) => id.fmt(f),
            Self::Serial(serial) => serial.fmt(f),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub id: NodeId,
    /// The integer id, drawn by the store.
    pub serial: Serial,
    pub instance: InstanceSlug,
    pub kind: NodeKind,
    pub parent: Option<NodeId>,
    pub lineage: Lineage,
    /// Free text, or the kind's identifier (`groupId`, `userId`: [`NodeKind::name_rule`]).
    pub name: NodeName,
    /// What its kind carries beyond the name (of the node's kind).
    pub attributes: Attributes,
    /// 1 when created, one more with every change (optimistic concurrency).
    pub version: Version,
    /// Whether the accounts homed at or below it may log in and keep their sessions (the portal's
    /// `status`). A disabled node is still managed from above it; it is not a delete precondition.
    pub enabled: bool,
    /// The lock on its subtree, if any ([`crate::tree_lock`]); no part of its version.
    pub lock: Option<crate::tree_lock::TreeLock>,
}

/// A key unique among the nodes of an instance (beside sibling names), in its own namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UniqueKey<'a> {
    /// A tenant's id, case-insensitively.
    TenantId(&'a str),
    /// A user's id (its name), case-insensitively.
    UserId(&'a str),
}

/// How a face names a node by a key of its own rather than by uuid (the APIO paths'
/// `{tenant_id}`, `{group_id}`, `{user_id}`): the key compared is the lowercase form every one
/// of them is unique by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NodeKey {
    /// A tenant by its `tenantId`, unique in the instance.
    TenantId(String),
    /// A site group by its `groupId`, unique among its tenant's site groups.
    SiteGroup { tenant: NodeId, group_id: String },
    /// A user by its `userId`, unique in the instance.
    UserId(String),
}

impl NodeKey {
    pub fn tenant(raw: &str) -> Self {
        Self::TenantId(crate::text::search_key(raw))
    }

    pub fn site_group(tenant: NodeId, raw: &str) -> Self {
        Self::SiteGroup { tenant, group_id: crate::text::search_key(raw) }
    }

    pub fn user(raw: &str) -> Self {
        Self::UserId(crate::text::search_key(raw))
    }

    /// The kind of the node it names.
    pub fn kind(&self) -> NodeKind {
        match self {
            Self::TenantId(_) => NodeKind::Tenant,
            Self::SiteGroup { .. } => NodeKind::SiteGroup,
            Self::UserId(_) => NodeKind::User,
        }
    }

    /// Whether `node` is the one this key names (what a store looks up by index).
    pub fn names(&self, node: &Node) -> bool {
        node.kind == self.kind()
            && match self {
                Self::TenantId(key) => node.tenant_id().is_some_and(|id| id.key() == key),
                Self::SiteGroup { tenant, group_id } => node.parent == Some(*tenant) && node.name.key() == group_id,
                Self::UserId(key) => node.name.key() == key,
            }
    }
}

impl Node {
    /// The node, then its ancestors nearest first: the order in which what they own (branding,
    /// settings) is inherited.
    pub fn self_and_ancestors(&self) -> Vec<NodeId> {
        std::iter::once(self.id).chain(self.lineage.root_first().into_iter().rev()).collect()
    }

    /// A group's domain, when it has one.
    pub fn draas_domain(&self) -> Option<&DraasDomain> {
        self.attributes.draas_domain()
    }

    /// A tenant's id (every tenant has one).
    pub fn tenant_id(&self) -> Option<&TenantId> {
        self.attributes.tenant_id()
    }

    /// A user's e-mail, when it has one (its login).
    pub fn email(&self) -> Option<&Email> {
        self.attributes.user().and_then(|user| user.email())
    }

    /// The key this node holds unique in its instance, if its kind has one.
    pub fn unique_key(&self) -> Option<UniqueKey<'_>> {
        match self.kind {
            NodeKind::User => Some(UniqueKey::UserId(self.name.key())),
            _ => self.tenant_id().map(|id| UniqueKey::TenantId(id.key())),
        }
    }
}

/// A node can only be deleted when it holds no child of any kind. Adapters call this inside
/// the unit of work that deletes, after locking the node against new children.
pub fn ensure_deletable(node: &Node, children: &ChildCounts) -> Result<(), DomainError> {
    if children.is_empty() { Ok(()) } else { Err(DomainError::NotEmpty { node: node.id, children: *children }) }
}

/// Whether `parent` has room for one more child of `kind`: a site group holds at most its
/// `userLimit` users (`users`: how many it holds now). Adapters call this inside the unit of work
/// that creates, after locking the parent.
pub fn ensure_room(parent: &Node, kind: NodeKind, users: u64) -> Result<(), DomainError> {
    match parent.attributes.site_group() {
        Some(site_group) if kind == NodeKind::User => site_group.admit_user(users),
        _ => Ok(()),
    }
}

/// Whether `node`, as changed, still holds the `users` it holds: a site group's limit may not drop
/// below them. Adapters call this inside the unit of work that changes, after locking the node.
pub fn ensure_holds_users(node: &Node, users: u64) -> Result<(), DomainError> {
    node.attributes.site_group().map_or(Ok(()), |site_group| site_group.ensure_holds(users))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn node(kind: NodeKind, id: u128, parent: Option<&Node>) -> Node {
        Node {
            id: NodeId(Uuid::from_u128(id)),
            serial: Serial(id as i64),
            instance: InstanceSlug::parse("default").unwrap(),
            kind,
            parent: parent.map(|p| p.id),
            lineage: parent.map(Lineage::of_child_of).unwrap_or_default(),
            name: NodeName::parse(&format!("node {id}")).unwrap(),
            attributes: Attributes::blank(kind),
            version: Version::FIRST,
            enabled: true,
            lock: None,
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
        assert_eq!(KindCounts::COUNTED.map(|kind| children.get(kind)), [0, 0, 2, 0, 0]);
        let mut users = ChildCounts::default();
        users.add(NodeKind::User, 1);
        assert!(!users.is_empty(), "a user blocks its holder's deletion");
        let shown = serde_json::Value::Object(users.shown(NodeKind::Tenant.may_hold()));
        assert_eq!(shown, serde_json::json!({ "siteGroups": 0, "users": 1 }), "the kinds a tenant may hold");
    }

    #[test]
    fn the_lineage_of_a_user_names_every_ancestor_down_to_its_site_group() {
        let group = node(NodeKind::Group, 1, None);
        let tenant = node(NodeKind::Tenant, 2, Some(&group));
        let site = node(NodeKind::SiteGroup, 3, Some(&tenant));
        let user = node(NodeKind::User, 4, Some(&site));
        assert_eq!((user.lineage.tenant, user.lineage.site_group), (Some(tenant.id), Some(site.id)));
        assert_eq!(user.lineage.root_first(), vec![group.id, tenant.id, site.id]);
        let kinds: Vec<NodeKind> = user.lineage.ancestors().into_iter().map(|(kind, _)| kind).collect();
        assert_eq!(kinds, [NodeKind::Group, NodeKind::Tenant, NodeKind::SiteGroup]);
        assert!(user.lineage.contains(site.id) && !tenant.lineage.contains(site.id));
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in NodeKind::ALL {
            assert_eq!(NodeKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(NodeKind::parse("site"), None);
    }
}
