//! The authorization every read goes through (writes take it as their first two steps,
//! `write.rs`): the permission first (no store call, so a 403 reveals nothing), then that the
//! node exists in the caller's subtree. A node outside it is answered as one that does not exist.

use crate::error::AppError;
use crate::instances::Instances;
use canopy_domain::{InstanceSlug, NodeId, NodeKind, Permission, Principal};
use canopy_storage::{NodeStore, NodeView};
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
        id: Uuid,
        permission: Permission,
    ) -> Result<(InstanceSlug, NodeView), AppError> {
        let instance = self.instance(caller, instance, permission)?;
        let view = self.reach(caller, &instance, kind, id).await?;
        Ok((instance, view))
    }

    /// The node, where the caller reaches it: one outside its subtree is not found.
    pub async fn reach(
        &self,
        caller: &Principal,
        instance: &InstanceSlug,
        kind: NodeKind,
        id: Uuid,
    ) -> Result<NodeView, AppError> {
        let view = self.nodes.get_node(instance, kind, NodeId(id)).await?;
        view.filter(|view| caller.reaches(&view.node)).ok_or(AppError::NotFound(kind))
    }
}
