//! The account port: what lets an administrator log in — credentials, sessions, one-time tokens
//! and login throttling. The administrators themselves are the admin port's ([`crate::AdminStore`]).
//!
//! Secrets never reach a store in the clear: session and one-time tokens are stored as their
//! SHA-256 ([`TokenHash`]; they are 256-bit random, so a fast hash is enough), passwords as
//! argon2id PHC strings computed by the app.

use crate::error::StoreError;
use async_trait::async_trait;
use canopy_domain::Change;
use canopy_domain::{Admin, AdminId, InstanceSlug, LoginThrottle, Timestamp, TokenPurpose, UnknownAddressKey};

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
    /// The account with this e-mail key in this instance or, when there is none, the lock of the
    /// failures counted under `unknown` (those of its slot, if the slot holds this address).
    async fn find_login(
        &self,
        instance: &InstanceSlug,
        email_key: &str,
        unknown: UnknownAddressKey,
    ) -> Result<LoginLookup, StoreError>;

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
