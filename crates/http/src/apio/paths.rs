//! The APIO paths name nodes by their keys (`{tenant_id}`, `{group_id}`, `{user_id}`), which the
//! app resolves ([`canopy_app::NodeService::find_path`]: a path is answered as its deepest node,
//! absent whenever the caller does not reach it); the instance is the mount's
//! ([`FaceInstance`]: the prefix's `{draas_instance}`, or the default one under `/api/v1`).

use crate::api::FaceInstance;
use crate::error::ApiError;
use canopy_app::{App, KeyPath};
use canopy_domain::{Node, Permission, Principal};
use serde::Deserialize;

/// `/tenants/{tenant_id}/…`
#[derive(Debug, Deserialize)]
pub struct TenantPath {
    pub tenant_id: String,
}

/// `/tenants/{tenant_id}/groups/{group_id}/…`
#[derive(Debug, Deserialize)]
pub struct GroupPath {
    pub tenant_id: String,
    pub group_id: String,
}

/// `/tenants/{tenant_id}/groups/{group_id}/users/{user_id}/…`
#[derive(Debug, Deserialize)]
pub struct UserPath {
    pub tenant_id: String,
    pub group_id: String,
    pub user_id: String,
}

/// `…/users/{user_id}/services/outgoing_call_barring/codes/{code}/`
#[derive(Deserialize)]
pub struct CodePath {
    pub tenant_id: String,
    pub group_id: String,
    pub user_id: String,
    pub code: String,
}

/// A path whose keys name one node.
pub trait Keys {
    fn keys(&self) -> KeyPath<'_>;

    /// The node the path names, for a caller holding `permission`.
    async fn resolve(
        &self,
        app: &App,
        caller: &Principal,
        instance: &FaceInstance,
        permission: Permission,
    ) -> Result<Node, ApiError> {
        Ok(app.nodes.find_path(caller, &instance.0, self.keys(), permission).await?.node)
    }
}

impl Keys for TenantPath {
    fn keys(&self) -> KeyPath<'_> {
        KeyPath { tenant_id: &self.tenant_id, group_id: None, user_id: None }
    }
}

impl Keys for GroupPath {
    fn keys(&self) -> KeyPath<'_> {
        KeyPath { tenant_id: &self.tenant_id, group_id: Some(&self.group_id), user_id: None }
    }
}

impl Keys for UserPath {
    fn keys(&self) -> KeyPath<'_> {
        KeyPath { tenant_id: &self.tenant_id, group_id: Some(&self.group_id), user_id: Some(&self.user_id) }
    }
}

impl Keys for CodePath {
    fn keys(&self) -> KeyPath<'_> {
        KeyPath { tenant_id: &self.tenant_id, group_id: Some(&self.group_id), user_id: Some(&self.user_id) }
    }
}

/// Where the item created by a `POST` on `collection` (the request's path) lies: the
/// collection's path, slash form, with the new key.
pub fn location(collection: &str, key: &str) -> String {
    format!("{}/{key}/", collection.trim_end_matches('/'))
}
