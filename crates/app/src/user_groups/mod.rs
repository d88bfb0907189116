//! The user groups of a tenant (the sipXconfig face, usable by any face): their lists, reads and
//! changes, the values they give to permissions, and the tenant's custom permissions
//! (`custom.rs`).
//!
//! Reads are open to every level that holds the permission, the levels below the tenant
//! included ([`Gate::node_from_below`]); changes go the one way of every write
//! ([`Writes::run`]): the permission (no store call), the tenant in the caller's subtree, the
//! client's values, then one store call.

mod custom;

pub use custom::CustomPermissionInput;

use crate::audit::Refusals;
use crate::caller::Caller;
use crate::error::AppError;
use crate::gate::Gate;
use crate::write::{Reached, Target, Writes};
use canopy_domain::user_groups::permissions::settings;
use canopy_domain::{
    Branch, Change, CustomPermission, DomainError, Metadata, NodeId, NodeKind, Owned, Permission, PermissionChanges,
    Principal, Setting, SettingInput, UserGroup, UserGroupFields, UserGroupId, UserGroupName, UserGroupQuery, Verb,
};
use canopy_storage::{Deleted, UserGroupStore, UserGroupWriteError, VersionedWriteError};
use serde_json::Value;
use std::sync::Arc;
use uuid::Uuid;

/// A user group as the client sent it (a creation, or an update, which replaces every field).
#[derive(Debug, Clone, Default)]
pub struct UserGroupInput {
    pub name: Option<String>,
    pub description: Option<String>,
    /// The `branch` element as JSON (its XML form read as JSON text values).
    pub branch: Option<Value>,
}

/// The list parameters as the client sent them.
#[derive(Debug, Clone, Default)]
pub struct UserGroupListInput {
    pub page: Option<String>,
    pub pagesize: Option<String>,
    pub sortby: Option<String>,
    pub sortdir: Option<String>,
}

/// A page of groups, each with every permission it shows, and the page's metadata.
#[derive(Debug, Clone)]
pub struct UserGroupPermissionsPage {
    pub groups: Vec<(UserGroup, Vec<Setting>)>,
    pub metadata: Metadata,
}

pub struct UserGroupService {
    writes: Writes,
    store: Arc<dyn UserGroupStore>,
}

fn permission(verb: Verb) -> Permission {
    Permission::Owned(NodeKind::Tenant, Owned::UserGroups, verb)
}

fn from_write(err: UserGroupWriteError, id: Option<UserGroupId>, name: Option<&UserGroupName>) -> AppError {
    match err {
        UserGroupWriteError::TenantNotFound => AppError::NotFound(NodeKind::Tenant),
        UserGroupWriteError::NotFound => AppError::UserGroupNotFound(id.unwrap_or(UserGroupId(0))),
        UserGroupWriteError::DuplicateName => {
            AppError::DuplicateUserGroupName(name.map(|n| n.as_str().to_owned()).unwrap_or_default())
        }
        UserGroupWriteError::UnknownPermissions(names) => AppError::UnknownPermissions(names),
        UserGroupWriteError::VersionMismatch(mismatch) => mismatch.into(),
        UserGroupWriteError::Store(err) => err.into(),
    }
}

impl UserGroupInput {
    fn parse(&self) -> Result<UserGroupFields, DomainError> {
        Ok(UserGroupFields {
            name: UserGroupName::parse(self.name.as_deref().unwrap_or_default())?,
            description: canopy_domain::user_groups::optional_text("description", self.description.as_deref())?,
            branch: Branch::parse(self.branch.as_ref())?,
        })
    }
}

impl UserGroupService {
    pub fn new(gate: Gate, store: Arc<dyn UserGroupStore>) -> Self {
        Self { writes: Writes::new(gate), store }
    }

    /// Records the store's refusals of this service's changes.
    pub fn recording(self, refusals: Refusals) -> Self {
        Self { writes: self.writes.recording(refusals), ..self }
    }

    /// The tenant of a read, reached from above or from below.
    async fn tenant(&self, caller: &Principal, instance: &str, tenant: Uuid, verb: Verb) -> Result<NodeId, AppError> {
        let gate = self.writes.gate();
        let view = gate.node_from_below(caller, instance, NodeKind::Tenant, tenant, permission(verb)).await?;
        Ok(view.node.id)
    }

    /// One change of the tenant's groups, the one way of every write.
    async fn write<I, T>(
        &self,
        caller: &Caller,
        (instance, tenant): (&str, Uuid),
        (verb, action): (Verb, &str),
        parse: impl FnOnce() -> Result<I, DomainError>,
        apply: impl AsyncFnOnce(NodeId, I, &Change) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let target = Target::Node(NodeKind::Tenant, tenant.into());
        let on_tenant = async |at: &Reached, input, change: &Change| apply(at.node().node.id, input, change).await;
        self.writes.run(caller, instance, target, permission(verb), action, parse, on_tenant).await
    }

    pub async fn list(
        &self,
        caller: &Principal,
        instance: &str,
        tenant: Uuid,
        input: &UserGroupListInput,
    ) -> Result<(Vec<UserGroup>, Metadata), AppError> {
        let tenant = self.tenant(caller, instance, tenant, Verb::List).await?;
        let query = UserGroupQuery::parse(
            input.page.as_deref(),
            input.pagesize.as_deref(),
            input.sortby.as_deref(),
            input.sortdir.as_deref(),
        )?;
        let page = self.store.list_user_groups(tenant, &query).await?;
        let metadata = query.metadata(page.total, page.groups.len() as u64);
        Ok((page.groups, metadata))
    }

    pub async fn get(
        &self,
        caller: &Principal,
        instance: &str,
        tenant: Uuid,
        id: UserGroupId,
    ) -> Result<UserGroup, AppError> {
        let tenant = self.tenant(caller, instance, tenant, Verb::Read).await?;
        self.store.get_user_group(tenant, id).await?.ok_or(AppError::UserGroupNotFound(id))
    }

    /// A page of groups with every permission of the tenant each shows.
    pub async fn list_permissions(
        &self,
        caller: &Principal,
        instance: &str,
        tenant: Uuid,
        input: &UserGroupListInput,
    ) -> Result<UserGroupPermissionsPage, AppError> {
        let (groups, metadata) = self.list(caller, instance, tenant, input).await?;
        let customs = self.customs_of(groups.first().map(|g| g.tenant)).await?;
        let groups = groups
            .into_iter()
            .map(|group| {
                let settings = settings(&group.permissions, &customs);
                (group, settings)
            })
            .collect();
        Ok(UserGroupPermissionsPage { groups, metadata })
    }

    /// A group and every permission of the tenant it shows.
    pub async fn get_permissions(
        &self,
        caller: &Principal,
        instance: &str,
        tenant: Uuid,
        id: UserGroupId,
    ) -> Result<(UserGroup, Vec<Setting>), AppError> {
        let group = self.get(caller, instance, tenant, id).await?;
        let customs = self.customs_of(Some(group.tenant)).await?;
        let settings = settings(&group.permissions, &customs);
        Ok((group, settings))
    }

    async fn customs_of(&self, tenant: Option<NodeId>) -> Result<Vec<CustomPermission>, AppError> {
        match tenant {
            Some(tenant) => Ok(self.store.custom_permissions(tenant).await?),
            None => Ok(vec![]),
        }
    }

    pub async fn create(
        &self,
        caller: &Caller,
        instance: &str,
        tenant: Uuid,
        input: &UserGroupInput,
    ) -> Result<UserGroup, AppError> {
        let create = async |tenant, fields: UserGroupFields, change: &Change| {
            let name = fields.name.clone();
            self.store.create_user_group(tenant, fields, change).await.map_err(|err| from_write(err, None, Some(&name)))
        };
        self.write(caller, (instance, tenant), (Verb::Create, "user_group.create"), || input.parse(), create).await
    }

    pub async fn update(
        &self,
        caller: &Caller,
        instance: &str,
        tenant: Uuid,
        id: UserGroupId,
        input: &UserGroupInput,
    ) -> Result<UserGroup, AppError> {
        let update = async |tenant, fields: UserGroupFields, change: &Change| {
            let name = fields.name.clone();
            let updated = self.store.update_user_group(tenant, id, fields, change).await;
            updated.map_err(|err| from_write(err, Some(id), Some(&name)))
        };
        self.write(caller, (instance, tenant), (Verb::Update, "user_group.update"), || input.parse(), update).await
    }

    /// Deletes a group: `false` when the tenant has none with this id (nothing changed, nothing
    /// recorded; whether that is a failure is each face's to say).
    pub async fn delete(
        &self,
        caller: &Caller,
        instance: &str,
        tenant: Uuid,
        id: UserGroupId,
    ) -> Result<bool, AppError> {
        let delete = async |tenant, (), change: &Change| match self.store.delete_user_group(tenant, id, change).await {
            Ok(deleted) => Ok(deleted == Deleted::Removed),
            Err(VersionedWriteError::VersionMismatch(mismatch)) => Err(mismatch.into()),
            Err(VersionedWriteError::Store(err)) => Err(err.into()),
        };
        self.write(caller, (instance, tenant), (Verb::Delete, "user_group.delete"), || Ok(()), delete).await
    }

    /// Sets some of a group's permission values, atomically; answers the group and every
    /// permission it shows afterwards.
    pub async fn set_permissions(
        &self,
        caller: &Caller,
        instance: &str,
        tenant: Uuid,
        id: UserGroupId,
        values: &[SettingInput],
    ) -> Result<(UserGroup, Vec<Setting>), AppError> {
        let set = async |tenant, changes: PermissionChanges, change: &Change| {
            let group = self.store.set_user_group_permissions(tenant, id, &changes, change).await;
            group.map_err(|err| from_write(err, Some(id), None))
        };
        let parse = || PermissionChanges::parse(values);
        let verb = (Verb::Update, "user_group.permissions.update");
        let group = self.write(caller, (instance, tenant), verb, parse, set).await?;
        let customs = self.store.custom_permissions(group.tenant).await?;
        let settings = settings(&group.permissions, &customs);
        Ok((group, settings))
    }
}

#[cfg(test)]
mod tests;
