//! The memory adapter's user groups and custom permissions, kept in the one `State` (so under
//! the same lock as the tenants they belong to): every method validates, then applies.

use super::{MemoryStore, State};
use crate::error::{StoreError, VersionedWriteError};
use crate::nodes::Deleted;
use crate::user_groups::{UserGroupPage, UserGroupStore, UserGroupWriteError};
use async_trait::async_trait;
use canopy_domain::{
    Change, CustomPermission, NewCustomPermission, NodeId, NodeKind, PermissionChanges, SortField, UserGroup,
    UserGroupFields, UserGroupId, UserGroupQuery, Version, check_version,
};
use std::collections::BTreeMap;

#[derive(Default)]
pub(super) struct UserGroups {
    /// The last ids given: never reused, as with a PostgreSQL identity.
    last_group: i64,
    last_permission: i64,
    groups: BTreeMap<UserGroupId, UserGroup>,
    customs: BTreeMap<i64, (NodeId, CustomPermission)>,
}

impl UserGroups {
    /// Every group and custom permission of a tenant goes with it.
    pub(super) fn remove_tenant(&mut self, tenant: NodeId) {
        self.groups.retain(|_, group| group.tenant != tenant);
        self.customs.retain(|_, (owner, _)| *owner != tenant);
    }

    fn name_taken(&self, tenant: NodeId, fields: &UserGroupFields, except: Option<UserGroupId>) -> bool {
        let key = fields.name.key();
        self.groups.values().any(|g| g.tenant == tenant && g.fields.name.key() == key && Some(g.id) != except)
    }

    fn group_mut(&mut self, tenant: NodeId, id: UserGroupId) -> Option<&mut UserGroup> {
        self.groups.get_mut(&id).filter(|group| group.tenant == tenant)
    }

    fn customs_of(&self, tenant: NodeId) -> Vec<CustomPermission> {
        self.customs.values().filter(|(owner, _)| *owner == tenant).map(|(_, p)| p.clone()).collect()
    }

    /// Every group of the tenant shows one permission more or less: one version up each.
    fn count_catalogue_change(&mut self, tenant: NodeId) {
        for group in self.groups.values_mut().filter(|g| g.tenant == tenant) {
            group.version = group.version.next();
        }
    }
}

impl State {
    fn is_tenant(&self, tenant: NodeId) -> bool {
        self.nodes.get(&tenant).is_some_and(|entry| entry.node.kind == NodeKind::Tenant)
    }
}

/// The order of a list: the sort key (lowercase name or description), then the id.
fn sort_key(group: &UserGroup, field: SortField) -> String {
    match field {
        SortField::Id => String::new(),
        SortField::Name => group.fields.name.key(),
        SortField::Description => group.fields.description_key(),
    }
}

#[async_trait]
impl UserGroupStore for MemoryStore {
    async fn create_user_group(
        &self,
        tenant: NodeId,
        fields: UserGroupFields,
        change: &Change,
    ) -> Result<UserGroup, UserGroupWriteError> {
        let mut state = self.write_as(change)?;
        if !state.is_tenant(tenant) {
            return Err(UserGroupWriteError::TenantNotFound);
        }
        let groups = &mut state.user_groups;
        if groups.name_taken(tenant, &fields, None) {
            return Err(UserGroupWriteError::DuplicateName);
        }
        groups.last_group += 1;
        let id = UserGroupId(groups.last_group);
        let group = UserGroup { id, tenant, fields, permissions: BTreeMap::new(), version: Version::FIRST };
        groups.groups.insert(id, group.clone());
        state.record(change);
        Ok(group)
    }

    async fn update_user_group(
        &self,
        tenant: NodeId,
        id: UserGroupId,
        fields: UserGroupFields,
        change: &Change,
    ) -> Result<UserGroup, UserGroupWriteError> {
        let mut state = self.write_as(change)?;
        let groups = &mut state.user_groups;
        let current = groups.group_mut(tenant, id).ok_or(UserGroupWriteError::NotFound)?;
        check_version(change.expected, current.version)?;
        if groups.name_taken(tenant, &fields, Some(id)) {
            return Err(UserGroupWriteError::DuplicateName);
        }
        let group = groups.group_mut(tenant, id).expect("found above");
        group.fields = fields;
        group.version = group.version.next();
        let group = group.clone();
        state.record(change);
        Ok(group)
    }

    async fn delete_user_group(
        &self,
        tenant: NodeId,
        id: UserGroupId,
        change: &Change,
    ) -> Result<Deleted, VersionedWriteError> {
        let mut state = self.write_as(change)?;
        let Some(group) = state.user_groups.group_mut(tenant, id) else { return Ok(Deleted::Absent) };
        check_version(change.expected, group.version)?;
        state.user_groups.groups.remove(&id);
        Ok(state.record_removal(Deleted::Removed, change))
    }

    async fn set_user_group_permissions(
        &self,
        tenant: NodeId,
        id: UserGroupId,
        changes: &PermissionChanges,
        change: &Change,
    ) -> Result<UserGroup, UserGroupWriteError> {
        let mut state = self.write_as(change)?;
        let groups = &mut state.user_groups;
        let current = groups.groups.get(&id).filter(|g| g.tenant == tenant).ok_or(UserGroupWriteError::NotFound)?;
        check_version(change.expected, current.version)?;
        let defined = |custom: &i64| groups.customs.get(custom).is_some_and(|(owner, _)| *owner == tenant);
        let unknown: Vec<String> =
            changes.custom_ids().iter().filter(|id| !defined(id)).map(|id| format!("perm_{id}")).collect();
        if !unknown.is_empty() {
            return Err(UserGroupWriteError::UnknownPermissions(unknown));
        }
        let group = groups.group_mut(tenant, id).expect("found above");
        group.permissions = changes.applied_to(&group.permissions);
        group.version = group.version.next();
        let group = group.clone();
        state.record(change);
        Ok(group)
    }

    async fn get_user_group(&self, tenant: NodeId, id: UserGroupId) -> Result<Option<UserGroup>, StoreError> {
        Ok(self.read().user_groups.groups.get(&id).filter(|g| g.tenant == tenant).cloned())
    }

    async fn list_user_groups(&self, tenant: NodeId, query: &UserGroupQuery) -> Result<UserGroupPage, StoreError> {
        let state = self.read();
        let mut groups: Vec<(String, &UserGroup)> = state
            .user_groups
            .groups
            .values()
            .filter(|g| g.tenant == tenant)
            .map(|g| (sort_key(g, query.sort), g))
            .collect();
        groups.sort_by(|(key_a, a), (key_b, b)| {
            let by_key = if query.reverse { key_b.cmp(key_a) } else { key_a.cmp(key_b) };
            // Ties in id order whatever the direction; a list by id alone follows the direction.
            let by_id = if query.reverse && query.sort == SortField::Id { b.id.cmp(&a.id) } else { a.id.cmp(&b.id) };
            by_key.then(by_id)
        });
        let total = groups.len() as u64;
        let page = groups
            .into_iter()
            .skip(query.offset() as usize)
            .take(query.limit() as usize)
            .map(|(_, g)| g.clone())
            .collect();
        Ok(UserGroupPage { groups: page, total })
    }

    async fn custom_permissions(&self, tenant: NodeId) -> Result<Vec<CustomPermission>, StoreError> {
        Ok(self.read().user_groups.customs_of(tenant))
    }

    async fn create_custom_permission(
        &self,
        tenant: NodeId,
        new: NewCustomPermission,
        change: &Change,
    ) -> Result<CustomPermission, UserGroupWriteError> {
        let mut state = self.write_as(change)?;
        if !state.is_tenant(tenant) {
            return Err(UserGroupWriteError::TenantNotFound);
        }
        let groups = &mut state.user_groups;
        groups.last_permission += 1;
        let permission = CustomPermission {
            id: groups.last_permission,
            label: new.label,
            description: new.description,
            default: new.default,
        };
        groups.customs.insert(permission.id, (tenant, permission.clone()));
        groups.count_catalogue_change(tenant);
        state.record(change);
        Ok(permission)
    }

    async fn delete_custom_permission(&self, tenant: NodeId, id: i64, change: &Change) -> Result<Deleted, StoreError> {
        let mut state = self.write_as(change)?;
        let groups = &mut state.user_groups;
        if groups.customs.get(&id).is_none_or(|(owner, _)| *owner != tenant) {
            return Ok(Deleted::Absent);
        }
        groups.customs.remove(&id);
        let name = format!("perm_{id}");
        for group in groups.groups.values_mut().filter(|g| g.tenant == tenant) {
            group.permissions.remove(&name);
        }
        groups.count_catalogue_change(tenant);
        Ok(state.record_removal(Deleted::Removed, change))
    }
}
