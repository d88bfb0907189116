//! The admin port: the administrators of the instance and of its nodes (create, find, list,
//! change, delete). What lets them log in is the account port's ([`crate::AccountStore`]).

use crate::accounts::NewOneTimeToken;
use crate::error::{CreateAdminError, StoreError, VersionedWriteError};
use crate::nodes::Deleted;
use async_trait::async_trait;
use canopy_domain::{
    Admin, AdminDetails, AdminId, AdminScope, Change, Email, InstanceSlug, NodeId, NodeSearch, Page, PageRequest,
    Profile,
};

/// An administrator to create; the store assigns the numeric id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAdmin {
    pub instance: InstanceSlug,
    pub profile: Profile,
    /// The node it belongs to (of the profile's kind); `None` for system administrators.
    pub home: Option<NodeId>,
    pub email: Email,
    pub details: AdminDetails,
    /// An argon2id PHC string, or `None` until the account is activated.
    pub password_hash: Option<String>,
    /// The password is a temporary one (set by the creator): it must be changed at first login.
    pub must_change_password: bool,
    /// Holds its profile's reading permissions only.
    pub read_only: bool,
    /// Stored in the same unit of work as the account (the activation link).
    pub token: Option<NewOneTimeToken>,
}

/// Changes to an administrator's details; `None` keeps a field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdminChanges {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub mobile: Option<String>,
    /// Makes the administrator read-only (`true`) or not.
    pub read_only: Option<bool>,
    /// Forces a password reset: the password is cleared, every session closed, and this token
    /// stored, in the same unit of work.
    pub reset: Option<NewOneTimeToken>,
}

#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait AdminStore: Send + Sync + 'static {
    /// Creates an administrator (and its token). Fails with `HomeNotFound` when its node does not
    /// exist (or is deleted concurrently), `DuplicateEmail` when the instance has the address.
    async fn create_admin(&self, new: NewAdmin, change: &Change) -> Result<Admin, CreateAdminError>;

    /// Creates `new` (a system administrator) only if its instance has no system administrator
    /// yet, atomically, so that processes starting together create one between them.
    async fn bootstrap_admin(&self, new: NewAdmin) -> Result<Option<Admin>, CreateAdminError>;

    /// The administrator with this e-mail key in this instance.
    async fn find_admin(&self, instance: &InstanceSlug, email_key: &str) -> Result<Option<Admin>, StoreError>;

    /// The administrator (or end user's account) with this integer id in this instance.
    async fn get_admin(&self, instance: &InstanceSlug, id: AdminId) -> Result<Option<Admin>, StoreError>;

    /// The administrators of a node (or the system administrators), by e-mail key: all of them,
    /// for the faces whose lists are not paged.
    async fn list_admins(&self, instance: &InstanceSlug, home: Option<NodeId>) -> Result<Vec<Admin>, StoreError>;

    /// One page of a node's administrators (or the system administrators), searched over the
    /// e-mail and the names, in e-mail key order (byte by byte) then id.
    async fn page_admins(&self, request: &PageRequest<AdminScope>) -> Result<Page<Admin>, StoreError>;

    /// The administrators `search` finds by their e-mail (`NodeSearch::admits_admin`: homed in
    /// its subtree, no end user), at most its limit, in e-mail key order (byte by byte) then id.
    async fn search_admins(&self, search: &NodeSearch) -> Result<Vec<Admin>, StoreError>;

    /// `None` when there is no such administrator (any more).
    async fn update_admin(
        &self,
        id: AdminId,
        changes: AdminChanges,
        change: &Change,
    ) -> Result<Option<Admin>, VersionedWriteError>;

    /// Deletes the administrator with its sessions and tokens.
    async fn delete_admin(&self, id: AdminId, change: &Change) -> Result<Deleted, VersionedWriteError>;
}
