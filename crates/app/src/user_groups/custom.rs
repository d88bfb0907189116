//! The custom permissions a tenant defines for its user groups (`perm_<id>`). sipXconfig's user
//! group API has no route for them: the canopy face defines, lists and deletes them. Defining or
//! deleting one changes what every group of the tenant shows (one version up on each); deleting
//! one takes every group's value of it.

use super::{UserGroupService, from_write};
use crate::caller::Caller;
use crate::error::AppError;
use canopy_domain::{Change, CustomPermission, NewCustomPermission, NodeKind, Owned, Permission, Principal, Verb};
use canopy_storage::Deleted;
use uuid::Uuid;

/// A custom permission as the client sent it.
#[derive(Debug, Clone, Default)]
pub struct CustomPermissionInput {
    pub label: String,
    pub description: Option<String>,
    pub default_value: bool,
}

fn permission(verb: Verb) -> Permission {
    Permission::Owned(NodeKind::Tenant, Owned::CustomPermissions, verb)
}

impl UserGroupService {
    /// The tenant's custom permissions, in id order.
    pub async fn custom_permissions(
        &self,
        caller: &Principal,
        instance: &str,
        tenant: Uuid,
    ) -> Result<Vec<CustomPermission>, AppError> {
        let gate = self.writes.gate();
        let view = gate.node_from_below(caller, instance, NodeKind::Tenant, tenant, permission(Verb::List)).await?;
        Ok(self.store.custom_permissions(view.node.id).await?)
    }

    pub async fn create_custom_permission(
        &self,
        caller: &Caller,
        instance: &str,
        tenant: Uuid,
        input: &CustomPermissionInput,
    ) -> Result<CustomPermission, AppError> {
        let parse = || NewCustomPermission::parse(&input.label, input.description.as_deref(), input.default_value);
        let create = async |tenant, new, change: &Change| {
            self.store.create_custom_permission(tenant, new, change).await.map_err(|err| from_write(err, None, None))
        };
        let (target, action) =
            (crate::write::Target::Node(NodeKind::Tenant, tenant.into()), "custom_permission.create");
        let on_tenant =
            async |at: &crate::write::Reached, new, change: &Change| create(at.node().node.id, new, change).await;
        self.writes.run(caller, instance, target, permission(Verb::Create), action, parse, on_tenant).await
    }

    /// Deletes a custom permission and every group's value of it: `false` when the tenant has
    /// none with this id.
    pub async fn delete_custom_permission(
        &self,
        caller: &Caller,
        instance: &str,
        tenant: Uuid,
        id: i64,
    ) -> Result<bool, AppError> {
        let (target, action) =
            (crate::write::Target::Node(NodeKind::Tenant, tenant.into()), "custom_permission.delete");
        let delete = async |at: &crate::write::Reached, (), change: &Change| {
            Ok(self.store.delete_custom_permission(at.node().node.id, id, change).await? == Deleted::Removed)
        };
        self.writes.run(caller, instance, target, permission(Verb::Delete), action, || Ok(()), delete).await
    }
}
