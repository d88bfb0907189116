//! The node port: create, read, change, delete and list the nodes of the hierarchy.

use crate::admins::NewAdmin;
use crate::error::{CreateNodeError, DeleteNodeError, StoreError, TreeLockError, UpdateNodeError};
use async_trait::async_trait;
use canopy_domain::Change;
use canopy_domain::{
    Admin, AttributeChanges, Attributes, Found, GroupSearch, InstanceSlug, Level, LockRequest, Node, NodeId, NodeKey,
    NodeKind, NodeName, NodeRef, NodeScope, NodeSearch, Page, PageRequest, Serial, SubtreeCounts,
};

/// The parent a new node goes under, with the kind the caller expects it to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParentRef {
    pub id: NodeId,
    pub kind: NodeKind,
}

/// A node to create. The id comes from the caller so that stores never draw randomness.
#[derive(Debug, Clone)]
pub struct NewNode {
    pub id: NodeId,
    pub instance: InstanceSlug,
    /// `None` only for groups, which sit directly in the instance.
    pub parent: Option<ParentRef>,
    pub name: NodeName,
    /// What its kind carries beyond the name; they say the node's kind.
    pub attributes: Attributes,
    /// An account created with the node, in the same unit of work: a group's first administrator
    /// (`adminEmail`), a user's own (`end_user`, its `email`); its `home` is set to the new node by
    /// the store.
    pub admin: Option<NewAdmin>,
    /// A site group's `defaultDomain` that its tenant lacks is registered for the instance and
    /// the tenant with the group (else the creation is refused): `DomainStore`.
    pub register_domain: bool,
}

impl NewNode {
    pub fn kind(&self) -> NodeKind {
        self.attributes.kind()
    }
}

/// Changes to a node; `None` keeps a field as it is.
#[derive(Debug, Clone, Default)]
pub struct NodeChanges {
    pub name: Option<NodeName>,
    /// Changes to the attributes of the node's kind.
    pub attributes: Option<AttributeChanges>,
    /// The user's own account, created in the same unit of work when the change gives the user its
    /// e-mail (which it had not): its e-mail and home are the user's, set by the store.
    pub account: Option<NewAdmin>,
    /// Enables or disables the node ([`Node::enabled`]).
    pub enabled: Option<bool>,
}

/// A node as changed, and the account the change created (a user given its e-mail).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Updated {
    pub node: Node,
    pub account: Option<Admin>,
}

/// A node with the counts of its whole subtree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeView {
    pub node: Node,
    pub subtree: SubtreeCounts,
}

/// What an integer id or a uuid names in an instance, whatever its kind: the instance itself
/// (its root, by its integer id) or a node, with the integer id of its parent (the instance's
/// for a group).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Located {
    Instance,
    Node { view: Box<NodeView>, parent: Serial },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deleted {
    Removed,
    /// There was no such node: deleting is idempotent.
    Absent,
}

/// The account a change creates: a user's own, when its e-mail goes from absent to set (from the
/// change's template, with the user's e-mail and home). Adapters call it under the node's lock.
pub(crate) fn account_created(
    old: &Node,
    new: &Node,
    template: Option<NewAdmin>,
) -> Result<Option<NewAdmin>, StoreError> {
    let (None, Some(email)) = (old.email(), new.email()) else { return Ok(None) };
    let template = template.ok_or_else(|| StoreError::Backend("a user's e-mail set without its account".into()))?;
    Ok(Some(NewAdmin { instance: new.instance.clone(), home: Some(new.id), email: email.clone(), ..template }))
}

// automock must see the trait before async_trait rewrites it.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait NodeStore: Send + Sync + 'static {
    /// Creates a node under its parent, atomically with respect to a concurrent deletion of the
    /// parent: either the parent still exists when the node is committed, or nothing is created.
    /// A user beyond its site group's limit is refused (`Invalid`), decided under the site group's
    /// lock. The store draws the node's integer id.
    async fn create_node(&self, new: NewNode, change: &Change) -> Result<Node, CreateNodeError>;

    /// A node of this kind in this instance, with its subtree counts.
    async fn get_node(
        &self,
        instance: &InstanceSlug,
        kind: NodeKind,
        id: NodeId,
    ) -> Result<Option<NodeView>, StoreError>;

    /// The same, found by its integer id.
    async fn get_node_by_serial(
        &self,
        instance: &InstanceSlug,
        kind: NodeKind,
        serial: Serial,
    ) -> Result<Option<NodeView>, StoreError>;

    /// The node a face's key names (a tenant by `tenantId`, a site group by its tenant and
    /// `groupId`, a user by `userId`), with its subtree counts.
    async fn find_node(&self, instance: &InstanceSlug, key: &NodeKey) -> Result<Option<NodeView>, StoreError>;

    /// The site groups of `tenant` that match `search`, in its order, cut to its window, with
    /// how many matched in all (one snapshot for both).
    async fn search_site_groups(
        &self,
        instance: &InstanceSlug,
        tenant: NodeId,
        search: &GroupSearch,
    ) -> Result<Found, StoreError>;

    /// What `node` names in this instance, whatever its kind (the faces that name every level
    /// by one integer id or uuid, like the portal's `{group}`): the instance's root or a node.
    async fn locate(&self, instance: &InstanceSlug, node: NodeRef) -> Result<Option<Located>, StoreError>;

    /// Whether the node and every node above it are enabled ([`Node::enabled`](canopy_domain::Node)):
    /// the accounts homed at or below a disabled node do not log in, and their sessions are
    /// refused by [`AccountStore::session_admin`](crate::AccountStore::session_admin). A node
    /// that is gone holds nobody back (its accounts went with it).
    async fn lineage_enabled(&self, node: NodeId) -> Result<bool, StoreError>;

    /// The nodes a search by name across levels finds (users never), in name order then uuid, at
    /// most its limit.
    async fn search_nodes(&self, search: &NodeSearch) -> Result<Vec<Node>, StoreError>;

    /// Changes a node. A user limit lowered below the site group's users, or a user's e-mail
    /// changed once set, is refused (`Invalid`) after the node is locked.
    async fn update_node(
        &self,
        instance: &InstanceSlug,
        kind: NodeKind,
        id: NodeId,
        changes: NodeChanges,
        change: &Change,
    ) -> Result<Updated, UpdateNodeError>;

    /// Deletes a node of this kind only when it has no children (`ensure_deletable`), holding
    /// off concurrent child creations while it decides. Its administrators go with it, with
    /// their sessions and tokens.
    async fn delete_node(
        &self,
        instance: &InstanceSlug,
        kind: NodeKind,
        id: NodeId,
        change: &Change,
    ) -> Result<Deleted, DeleteNodeError>;

    /// One page of the scope's nodes, ordered by the query's sort key then uuid. Pages after a
    /// cursor are found by an index seek (keyset), never by skipping rows.
    async fn list_nodes(&self, request: &PageRequest<NodeScope>) -> Result<Page<Node>, StoreError>;

    /// Locks or unlocks the subtree of a node of this kind, as `canopy_domain::tree_lock::requested`
    /// decides on the lock stored at that moment for an administrator of level `by`. Atomic with
    /// respect to every write the lock binds: such a write committed before, or is refused
    /// (`StoreError::TreeLocked`). Answers whether the lock changed (recorded only then); an
    /// unlock from below the holder is `HeldAbove`.
    async fn set_tree_lock(
        &self,
        instance: &InstanceSlug,
        kind: NodeKind,
        id: NodeId,
        request: LockRequest,
        by: Level,
        change: &Change,
    ) -> Result<bool, TreeLockError>;
}
