//! The authorization every read goes through (writes take it as their first two steps,
//! `write.rs`): the permission first (no store call, so a 403 reveals nothing), then that the
//! node exists in the caller's subtree. A node outside it is answered as one that does not exist.

use crate::error::AppError;
use crate::instances::Instances;
use canopy_domain::{Denied, InstanceSlug, NodeId, NodeKind, NodeRef, Permission, Principal};
use canopy_storage::{Located, NodeStore, NodeView};
use std::sync::Arc;
use uuid::Uuid;

#[derive(Clone)]
pub struct Gate {
    nodes: Arc<dyn NodeStore>,
    instances: Instances,
}

impl Gate {
    pub fn new(nodes: Arc<dyn NodeStore>, instances: Instances) -> Self {
        Self { nodes, instances }
    }

    /// The instances served.
    pub fn instances(&self) -> &Instances {
        &self.instances
    }

    /// The instance of the path, where the caller holds `permission`. No store call.
    pub fn instance(
        &self,
        caller: &Principal,
        instance: &str,
        permission: Permission,
    ) -> Result<InstanceSlug, AppError> {
        let instance = self.instances.resolve(instance)?;
        caller.authorize(&instance, permission)?;
        Ok(instance)
    }

    /// The node of the path, where the caller holds `permission` and reaches the node.
    pub async fn node(
        &self,
        caller: &Principal,
        instance: &str,
        kind: NodeKind,
        id: impl Into<NodeRef>,
        permission: Permission,
    ) -> Result<(InstanceSlug, NodeView), AppError> {
        let instance = self.instance(caller, instance, permission)?;
        let view = self.reach(caller, &instance, kind, id).await?;
        Ok((instance, view))
    }

    /// The node of the path for a read of what it owns for everyone below it (a tenant's user
    /// groups), where the caller holds `permission`: the node in its subtree, or the node its own
    /// node lies below (one more store read, for the profiles below the node's kind only).
    /// Otherwise not found.
    pub async fn node_from_below(
        &self,
        caller: &Principal,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
        permission: Permission,
    ) -> Result<NodeView, AppError> {
        let instance = self.instance(caller, instance, permission)?;
        let view = self.nodes.get_node(&instance, kind, NodeId(id)).await?.ok_or(AppError::NotFound(kind))?;
        if caller.reaches(&view.node) {
            return Ok(view);
        }
        let home = match (caller.home, caller.profile.level()) {
            (Some(home), Some(level)) if level > kind => self.nodes.get_node(&instance, level, home).await?,
            _ => None,
        };
        let home = home.map(|home| home.node);
        if caller.reads_from_below(&view.node, home.as_ref()) { Ok(view) } else { Err(AppError::NotFound(kind)) }
    }

    /// The node, by uuid or integer id, where the caller reaches it: one outside its subtree is
    /// not found, whichever way it is named.
    pub async fn reach(
        &self,
        caller: &Principal,
        instance: &InstanceSlug,
        kind: NodeKind,
        id: impl Into<NodeRef>,
    ) -> Result<NodeView, AppError> {
        let view = match id.into() {
            NodeRef::Uuid(id) => self.nodes.get_node(instance, kind, id).await?,
            NodeRef::Serial(serial) => self.nodes.get_node_by_serial(instance, kind, serial).await?,
        };
        view.filter(|view| caller.reaches(&view.node)).ok_or(AppError::NotFound(kind))
    }

    /// What `node` names in the instance, whatever its kind, where the caller reaches it: the
    /// instance's root (system administrators only) or a node of its subtree. Anything else is
    /// not found, whichever way it is named. No permission yet: the kind decides which one the
    /// operation needs, and the caller then asks for it by the node's kind and uuid.
    pub async fn locate(&self, caller: &Principal, instance: &str, node: NodeRef) -> Result<Located, AppError> {
        let instance = self.instances.resolve(instance)?;
        if caller.instance != instance {
            return Err(Denied::OtherInstance.into());
        }
        match self.nodes.locate(&instance, node).await? {
            Some(Located::Instance) if caller.subtree().is_none() => Ok(Located::Instance),
            Some(Located::Node { view, parent }) if caller.reaches(&view.node) => Ok(Located::Node { view, parent }),
            _ => Err(AppError::NotFound(NodeKind::Group)),
        }
    }
}
