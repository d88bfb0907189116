//! What the faces that name nodes by keys of their own need (APIO: `/tenants/{tenant_id}/groups/
//! {group_id}/users/{user_id}`): the node such a path names, and the OCI-style search of a
//! tenant's site groups. Both authorize first, as every read does: the permission (no store
//! call), then the caller's subtree.
//!
//! A path is answered as its deepest node: whichever of its nodes is absent, or when the caller
//! does not reach the deepest one, the answer is that node's absence. So a caller learns nothing
//! about what lies outside its subtree, and a site group administrator or an end user may name
//! the tenant and site group above its own node.

use super::NodeService;
use crate::error::AppError;
use canopy_domain::{Found, GroupSearch, NodeId, NodeKey, NodeKind, Permission, Principal};
use canopy_storage::NodeView;

/// A path of keys: a tenant, its site group, the site group's user.
#[derive(Debug, Clone, Copy)]
pub struct KeyPath<'a> {
    pub tenant_id: &'a str,
    pub group_id: Option<&'a str>,
    /// Only below a site group.
    pub user_id: Option<&'a str>,
}

impl KeyPath<'_> {
    /// The kind of the node the path names.
    pub fn kind(&self) -> NodeKind {
        match (self.group_id, self.user_id) {
            (_, Some(_)) => NodeKind::User,
            (Some(_), None) => NodeKind::SiteGroup,
            (None, None) => NodeKind::Tenant,
        }
    }
}

impl NodeService {
    /// The node `path` names, for a caller holding `permission` (that of the operation the face
    /// goes on with, so that a 403 comes before anything is looked up).
    pub async fn find_path(
        &self,
        caller: &Principal,
        instance: &str,
        path: KeyPath<'_>,
        permission: Permission,
    ) -> Result<NodeView, AppError> {
        let instance = self.writes.gate().instance(caller, instance, permission)?;
        let absent = || AppError::NotFound(path.kind());
        let mut view = self.store.find_node(&instance, &NodeKey::tenant(path.tenant_id)).await?.ok_or_else(absent)?;
        if let Some(group_id) = path.group_id {
            let key = NodeKey::site_group(view.node.id, group_id);
            view = self.store.find_node(&instance, &key).await?.ok_or_else(absent)?;
        }
        if let (Some(user_id), Some(_)) = (path.user_id, path.group_id) {
            let user = self.store.find_node(&instance, &NodeKey::user(user_id)).await?.ok_or_else(absent)?;
            if user.node.parent != Some(view.node.id) {
                return Err(absent());
            }
            view = user;
        }
        if !caller.reaches(&view.node) {
            return Err(absent());
        }
        Ok(view)
    }

    /// The site groups of the tenant that `search` selects, with how many matched in all.
    pub async fn search_site_groups(
        &self,
        caller: &Principal,
        instance: &str,
        tenant: NodeId,
        search: &GroupSearch,
    ) -> Result<Found, AppError> {
        let permission = Permission::List(NodeKind::SiteGroup);
        let (instance, _) = self.writes.gate().node(caller, instance, NodeKind::Tenant, tenant, permission).await?;
        Ok(self.store.search_site_groups(&instance, tenant, search).await?)
    }
}
