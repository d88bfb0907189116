//! The account port: administrators, their sessions and one-time tokens, and login throttling.
//!
//! Secrets never reach a store in the clear: session and one-time tokens are stored as their
//! SHA-256 ([`TokenHash`]; they are 256-bit random, so a fast hash is enough), passwords as
//! argon2id PHC strings computed by the app.

use crate::error::{CreateAdminError, StoreError, VersionedWriteError};
use crate::nodes::Deleted;
use async_trait::async_trait;
use canopy_domain::Change;
use canopy_domain::{
    Admin, AdminDetails, AdminId, Email, InstanceSlug, LoginThrottle, NodeId, Profile, Timestamp, TokenPurpose,
    UnknownAddressKey,
};

/// The SHA-256 of a token handed to a client.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenHash(pub [u8; 32]);

impl std::fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenHash(..)")
    }
}

/// A one-time token to store for an administrator: single use, until `expires`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOneTimeToken {
    pub hash: TokenHash,
    pub purpose: TokenPurpose,
    pub expires: Timestamp,
}

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
    /// Stored in the same unit of work as the account (the activation link).
    pub token: Option<NewOneTimeToken>,
}

/// Changes to an administrator's details; `None` keeps a field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdminChanges {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub mobile: Option<String>,
    /// Forces a password reset: the password is cleared, every session closed, and this token
    /// stored, in the same unit of work.
    pub reset: Option<NewOneTimeToken>,
}

/// What a login needs to know about an account.
#[derive(Clone, PartialEq, Eq)]
pub struct LoginRecord {
    pub admin: Admin,
    pub password_hash: Option<String>,
    /// Until when failed logins keep the account locked.
    pub locked_until: Option<Timestamp>,
}

impl std::fmt::Debug for LoginRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRecord").field("admin", &self.admin).field("locked_until", &self.locked_until).finish()
    }
}

/// What a login reads, in one store round trip whether or not the address has an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginLookup {
    Account(Box<LoginRecord>),
    /// No account has the address: until when the failures counted for it lock it.
    Unknown {
        locked_until: Option<Timestamp>,
    },
}

/// A session to open after a successful login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub hash: TokenHash,
    pub admin: AdminId,
    pub expires: Timestamp,
    /// Sessions of this administrator that expired before `now` are dropped on the way.
    pub now: Timestamp,
}

#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait AccountStore: Send + Sync + 'static {
    /// Creates an administrator (and its token). Fails with `HomeNotFound` when its node does not
    /// exist (or is deleted concurrently), `DuplicateEmail` when the instance has the address.
    async fn create_admin(&self, new: NewAdmin, change: &Change) -> Result<Admin, CreateAdminError>;

    /// Creates `new` (a system administrator) only if its instance has no system administrator
    /// yet, atomically, so that processes starting together create one between them.
    async fn bootstrap_admin(&self, new: NewAdmin) -> Result<Option<Admin>, CreateAdminError>;

    /// The account with this e-mail key in this instance.
    async fn find_admin(&self, instance: &InstanceSlug, email_key: &str) -> Result<Option<LoginRecord>, StoreError>;

    /// The account with this e-mail key in this instance or, when there is none, the lock of the
    /// failures counted under `unknown` (those of its slot, if the slot holds this address).
    async fn find_login(
        &self,
        instance: &InstanceSlug,
        email_key: &str,
        unknown: UnknownAddressKey,
    ) -> Result<LoginLookup, StoreError>;

    /// The administrators of a node (or the system administrators), by e-mail key.
    async fn list_admins(&self, instance: &InstanceSlug, home: Option<NodeId>) -> Result<Vec<Admin>, StoreError>;

    /// `None` when there is no such administrator (any more).
    async fn update_admin(
        &self,
        id: AdminId,
        changes: AdminChanges,
        change: &Change,
    ) -> Result<Option<Admin>, VersionedWriteError>;

    /// Deletes the administrator with its sessions and tokens.
    async fn delete_admin(&self, id: AdminId, change: &Change) -> Result<Deleted, VersionedWriteError>;

    /// Stores a one-time token, replacing the administrator's earlier ones of the same purpose;
    /// `false` when the administrator does not exist.
    async fn issue_token(&self, admin: AdminId, token: NewOneTimeToken) -> Result<bool, StoreError>;

    /// The administrator an unexpired token of this purpose belongs to, without redeeming it:
    /// the password policy needs the account's e-mail before the password is hashed.
    async fn token_holder(
        &self,
        hash: TokenHash,
        purpose: TokenPurpose,
        now: Timestamp,
    ) -> Result<Option<Admin>, StoreError>;

    /// Redeems an unexpired token of this purpose, once: sets the password, deletes the token,
    /// closes every session and clears the failed logins. `None` for an unknown, used or
    /// expired token.
    /// The change is recorded in the audit log with the redemption (its actor is the token's
    /// holder, looked up by [`token_holder`](Self::token_holder) first).
    async fn redeem_token(
        &self,
        hash: TokenHash,
        purpose: TokenPurpose,
        now: Timestamp,
        password_hash: String,
        change: &Change,
    ) -> Result<Option<Admin>, StoreError>;

    /// Sets a password the administrator chose itself, provided its stored hash is still
    /// `current_hash` (the password it proved it knows; a concurrent change wins and this one
    /// answers `None`, as does an account that no longer exists). Clears the must-change flag and
    /// the failed logins, closes every session of the account but `keep` (the caller's), counts a
    /// version and records the change, in one unit of work.
    async fn change_password(
        &self,
        id: AdminId,
        current_hash: String,
        new_hash: String,
        keep: TokenHash,
        change: &Change,
    ) -> Result<Option<Admin>, StoreError>;

    /// Counts one more consecutive failed login and answers until when the account is now
    /// locked, as `throttle` decides (`LoginThrottle::after_failure`). Concurrent failures are
    /// each counted once.
    async fn record_failed_login(
        &self,
        id: AdminId,
        now: Timestamp,
        throttle: LoginThrottle,
    ) -> Result<Option<Timestamp>, StoreError>;

    /// [`record_failed_login`](Self::record_failed_login) for an address without an account,
    /// counted in its slot: an entry of another address there is replaced, so the entries never
    /// outnumber `UNKNOWN_ADDRESS_SLOTS`. Concurrent failures are each counted once.
    async fn record_unknown_address_failure(
        &self,
        unknown: UnknownAddressKey,
        now: Timestamp,
        throttle: LoginThrottle,
    ) -> Result<Option<Timestamp>, StoreError>;

    /// Opens a session after a successful login and clears the failed logins.
    async fn open_session(&self, session: NewSession) -> Result<(), StoreError>;

    /// The administrator of an unexpired session.
    async fn session_admin(&self, hash: TokenHash, now: Timestamp) -> Result<Option<Admin>, StoreError>;

    /// Closes a session (logout); closing an unknown one does nothing.
    async fn close_session(&self, hash: TokenHash) -> Result<(), StoreError>;
}
