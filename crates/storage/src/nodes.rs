//! The node port: create, read, change, delete and list the nodes of the hierarchy.

use crate::admins::NewAdmin;
use crate::error::{CreateNodeError, DeleteNodeError, StoreError, UpdateNodeError};
use async_trait::async_trait;
use canopy_domain::Change;
use canopy_domain::{
    AttributeChanges, Attributes, InstanceSlug, Node, NodeId, NodeKind, NodeName, NodeScope, Page, PageRequest,
    SubtreeCounts,
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
    /// An administrator created with the node, in the same unit of work (a group's
    /// `adminEmail`); its `home` is set to the new node by the store.
    pub admin: Option<NewAdmin>,
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
}

/// A node with the counts of its whole subtree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeView {
    pub node: Node,
    pub subtree: SubtreeCounts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deleted {
    Removed,
    /// There was no such node: deleting is idempotent.
    Absent,
}

// automock must see the trait before async_trait rewrites it.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait NodeStore: Send + Sync + 'static {
    /// Creates a node under its parent, atomically with respect to a concurrent deletion of the
    /// parent: either the parent still exists when the node is committed, or nothing is created.
    async fn create_node(&self, new: NewNode, change: &Change) -> Result<Node, CreateNodeError>;

    /// A node of this kind in this instance, with its subtree counts.
    async fn get_node(
        &self,
        instance: &InstanceSlug,
        kind: NodeKind,
        id: NodeId,
    ) -> Result<Option<NodeView>, StoreError>;

    async fn update_node(
        &self,
        instance: &InstanceSlug,
        kind: NodeKind,
        id: NodeId,
        changes: NodeChanges,
        change: &Change,
    ) -> Result<Node, UpdateNodeError>;

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
}
