//! The memory adapter's admin port: administrators kept in `State::accounts`, under the one lock.

use super::{MemoryStore, State, pager};
use crate::admins::{AdminChanges, AdminStore, NewAdmin};
use crate::error::{CreateAdminError, StoreError, VersionedWriteError};
use crate::nodes::Deleted;
use async_trait::async_trait;
use canopy_domain::{
    Admin, AdminId, AdminScope, Change, InstanceSlug, NodeId, NodeSearch, Page, PageRequest, check_version,
};

#[async_trait]
impl AdminStore for MemoryStore {
    async fn create_admin(&self, new: NewAdmin, change: &Change) -> Result<Admin, CreateAdminError> {
        let mut state = self.write_as(change)?;
        if !state.holds(&new.instance, new.home) {
            return Err(CreateAdminError::HomeNotFound);
        }
        let admin = state.accounts.insert(new)?;
        state.record(change);
        Ok(admin)
    }

    async fn bootstrap_admin(&self, new: NewAdmin) -> Result<Option<Admin>, CreateAdminError> {
        let mut state = self.write();
        if !state.holds(&new.instance, None) {
            return Err(CreateAdminError::HomeNotFound);
        }
        let has_system_admin =
            state.accounts.admins.values().any(|a| a.admin.instance == new.instance && a.admin.home.is_none());
        if has_system_admin {
            return Ok(None);
        }
        state.accounts.insert(new).map(Some)
    }

    async fn find_admin(&self, instance: &InstanceSlug, email_key: &str) -> Result<Option<Admin>, StoreError> {
        let state = self.read();
        let accounts = &state.accounts;
        let found = accounts.by_email.get(&(instance.clone(), email_key.to_owned())).map(|id| &accounts.admins[id]);
        Ok(found.map(|a| a.admin.clone()))
    }

    async fn get_admin(&self, instance: &InstanceSlug, id: AdminId) -> Result<Option<Admin>, StoreError> {
        let state = self.read();
        let found = state.accounts.admins.get(&id).filter(|a| &a.admin.instance == instance);
        Ok(found.map(|a| a.admin.clone()))
    }

    async fn list_admins(&self, instance: &InstanceSlug, home: Option<NodeId>) -> Result<Vec<Admin>, StoreError> {
        let state = self.read();
        let mut admins: Vec<Admin> = state
            .accounts
            .admins
            .values()
            .filter(|a| &a.admin.instance == instance && a.admin.home == home)
            .map(|a| a.admin.clone())
            .collect();
        admins.sort_by(|a, b| a.email.key().cmp(b.email.key()));
        Ok(admins)
    }

    async fn page_admins(&self, request: &PageRequest<AdminScope>) -> Result<Page<Admin>, StoreError> {
        let state = self.read();
        let search = request.query.search.as_deref();
        let matches = state.accounts.admins.values().filter(|a| request.scope.admits(&a.admin, search));
        let keyed = matches.map(|a| (a.admin.email.key().to_owned(), a.admin.id.0, a.admin.clone())).collect();
        Ok(pager::sorted(request, keyed))
    }

    async fn search_admins(&self, search: &NodeSearch) -> Result<Vec<Admin>, StoreError> {
        let state = self.read();
        let home = |admin: &Admin| admin.home.and_then(|id| state.nodes.get(&id)).map(|entry| &entry.node);
        let mut found: Vec<&Admin> =
            state.accounts.admins.values().map(|a| &a.admin).filter(|a| search.admits_admin(a, home(a))).collect();
        found.sort_unstable_by(|a, b| (a.email.key().as_bytes(), a.id.0).cmp(&(b.email.key().as_bytes(), b.id.0)));
        Ok(found.into_iter().take(search.limit as usize).cloned().collect())
    }

    async fn update_admin(
        &self,
        id: AdminId,
        changes: AdminChanges,
        change: &Change,
    ) -> Result<Option<Admin>, VersionedWriteError> {
        let mut state = self.write_as(change)?;
        let accounts = &mut state.accounts;
        let Some(account) = accounts.admins.get_mut(&id) else { return Ok(None) };
        check_version(change.expected, account.admin.version)?;
        account.admin.version = account.admin.version.next();
        let details = &mut account.admin.details;
        if let Some(first_name) = changes.first_name {
            details.first_name = Some(first_name);
        }
        if let Some(last_name) = changes.last_name {
            details.last_name = Some(last_name);
        }
        if let Some(mobile) = changes.mobile {
            details.mobile = Some(mobile);
        }
        if let Some(read_only) = changes.read_only {
            account.admin.read_only = read_only;
        }
        let admin = if changes.reset.is_some() {
            account.password_hash = None;
            account.admin.active = false;
            account.admin.must_change_password = false;
            account.admin.clone()
        } else {
            account.admin.clone()
        };
        if let Some(token) = changes.reset {
            accounts.sessions.retain(|_, (owner, _)| *owner != id);
            accounts.store_token(id, token);
        }
        state.record(change);
        Ok(Some(admin))
    }

    async fn delete_admin(&self, id: AdminId, change: &Change) -> Result<Deleted, VersionedWriteError> {
        let mut state = self.write_as(change)?;
        if let Some(account) = state.accounts.admins.get(&id) {
            check_version(change.expected, account.admin.version)?;
        }
        let deleted = state.accounts.remove(id);
        Ok(state.record_removal(deleted, change))
    }
}

impl State {
    /// Whether an administrator may belong here: the instance exists and so does the node, if any.
    fn holds(&self, instance: &InstanceSlug, home: Option<NodeId>) -> bool {
        self.instances.contains_key(instance)
            && home.is_none_or(|id| self.nodes.get(&id).is_some_and(|e| &e.node.instance == instance))
    }
}
