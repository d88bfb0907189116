//! The memory adapter's accounts: administrators with their credentials, sessions and one-time
//! tokens, kept in the same `State` (and so under the same lock) as the nodes they belong to. The
//! admin port's methods are in `admins.rs`.

use super::MemoryStore;
use crate::accounts::{AccountStore, LoginLookup, LoginRecord, NewOneTimeToken, NewSession, TokenHash};
use crate::admins::NewAdmin;
use crate::error::{CreateAdminError, StoreError};
use crate::nodes::Deleted;
use async_trait::async_trait;
use canopy_domain::{
    Admin, AdminId, FailedLogins, InstanceSlug, LoginThrottle, NodeId, Timestamp, TokenPurpose, UnknownAddressKey,
};
use canopy_domain::{Change, Version};
use std::collections::HashMap;

#[derive(Default)]
pub(super) struct Accounts {
    pub(super) last_id: i64,
    pub(super) admins: HashMap<AdminId, Account>,
    /// (instance, e-mail key): addresses are unique per instance.
    pub(super) by_email: HashMap<(InstanceSlug, String), AdminId>,
    pub(super) sessions: HashMap<TokenHash, (AdminId, Timestamp)>,
    pub(super) tokens: HashMap<TokenHash, (AdminId, TokenPurpose, Timestamp)>,
    /// The failed logins of addresses without an account, by slot (`UnknownAddressKey`), with
    /// the digest of the address each slot holds: at most `UNKNOWN_ADDRESS_SLOTS` entries.
    pub(super) unknown_addresses: HashMap<u32, ([u8; 32], FailedLogins)>,
}

pub(super) struct Account {
    pub(super) admin: Admin,
    pub(super) password_hash: Option<String>,
    pub(super) failures: FailedLogins,
}

impl Accounts {
    /// Adds an administrator whose home the caller has checked.
    pub(super) fn insert(&mut self, new: NewAdmin) -> Result<Admin, CreateAdminError> {
        let email_key = (new.instance.clone(), new.email.key().to_owned());
        if self.by_email.contains_key(&email_key) {
            return Err(CreateAdminError::DuplicateEmail);
        }
        self.last_id += 1;
        let id = AdminId(self.last_id);
        let admin = Admin {
            id,
            instance: new.instance,
            profile: new.profile,
            home: new.home,
            email: new.email,
            details: new.details,
            active: new.password_hash.is_some(),
            must_change_password: new.must_change_password && new.password_hash.is_some(),
            version: Version::FIRST,
            read_only: new.read_only,
        };
        self.by_email.insert(email_key, id);
        let account =
            Account { admin: admin.clone(), password_hash: new.password_hash, failures: FailedLogins::default() };
        self.admins.insert(id, account);
        if let Some(token) = new.token {
            self.store_token(id, token);
        }
        Ok(admin)
    }

    pub(super) fn remove(&mut self, id: AdminId) -> Deleted {
        let Some(account) = self.admins.remove(&id) else { return Deleted::Absent };
        self.by_email.remove(&(account.admin.instance.clone(), account.admin.email.key().to_owned()));
        self.sessions.retain(|_, (admin, _)| *admin != id);
        self.tokens.retain(|_, (admin, _, _)| *admin != id);
        Deleted::Removed
    }

    /// Removes the administrators of a node that is being deleted.
    pub(super) fn remove_home(&mut self, home: NodeId) {
        let ids: Vec<AdminId> =
            self.admins.values().filter(|a| a.admin.home == Some(home)).map(|a| a.admin.id).collect();
        for id in ids {
            self.remove(id);
        }
    }

    pub(super) fn store_token(&mut self, admin: AdminId, token: NewOneTimeToken) {
        self.tokens.retain(|_, (owner, purpose, _)| !(*owner == admin && *purpose == token.purpose));
        self.tokens.insert(token.hash, (admin, token.purpose, token.expires));
    }
}

#[async_trait]
impl AccountStore for MemoryStore {
    async fn find_login(
        &self,
        instance: &InstanceSlug,
        email_key: &str,
        unknown: UnknownAddressKey,
    ) -> Result<LoginLookup, StoreError> {
        let state = self.read();
        let accounts = &state.accounts;
        if let Some(id) = accounts.by_email.get(&(instance.clone(), email_key.to_owned())) {
            return Ok(LoginLookup::Account(Box::new(accounts.admins[id].login_record())));
        }
        let held = accounts.unknown_addresses.get(&unknown.slot).filter(|(digest, _)| *digest == unknown.digest);
        Ok(LoginLookup::Unknown { locked_until: held.and_then(|(_, run)| run.locked_until) })
    }

    async fn issue_token(&self, admin: AdminId, token: NewOneTimeToken) -> Result<bool, StoreError> {
        let mut state = self.write();
        if !state.accounts.admins.contains_key(&admin) {
            return Ok(false);
        }
        state.accounts.store_token(admin, token);
        Ok(true)
    }

    async fn token_holder(
        &self,
        hash: TokenHash,
        purpose: TokenPurpose,
        now: Timestamp,
    ) -> Result<Option<Admin>, StoreError> {
        let state = self.read();
        let accounts = &state.accounts;
        let holder = accounts.tokens.get(&hash).filter(|(_, stored, expires)| *stored == purpose && *expires > now);
        Ok(holder.and_then(|(id, _, _)| accounts.admins.get(id)).map(|account| account.admin.clone()))
    }

    async fn redeem_token(
        &self,
        hash: TokenHash,
        purpose: TokenPurpose,
        now: Timestamp,
        password_hash: String,
        change: &Change,
    ) -> Result<Option<Admin>, StoreError> {
        let mut state = self.write_as(change)?;
        let accounts = &mut state.accounts;
        let Some(&(id, stored_purpose, expires)) = accounts.tokens.get(&hash) else { return Ok(None) };
        if stored_purpose != purpose || expires <= now {
            return Ok(None);
        }
        accounts.tokens.remove(&hash);
        accounts.sessions.retain(|_, (owner, _)| *owner != id);
        let account = accounts.admins.get_mut(&id).expect("tokens go with their administrator");
        account.password_hash = Some(password_hash);
        account.admin.active = true;
        account.admin.must_change_password = false;
        // `active` is part of what the administrator's body shows: a new version.
        account.admin.version = account.admin.version.next();
        account.failures = FailedLogins::default();
        let admin = account.admin.clone();
        state.record(change);
        Ok(Some(admin))
    }

    async fn change_password(
        &self,
        id: AdminId,
        current_hash: String,
        new_hash: String,
        keep: TokenHash,
        change: &Change,
    ) -> Result<Option<Admin>, StoreError> {
        let mut state = self.write_as(change)?;
        let accounts = &mut state.accounts;
        let Some(account) = accounts.admins.get_mut(&id) else { return Ok(None) };
        if account.password_hash.as_deref() != Some(current_hash.as_str()) {
            return Ok(None);
        }
        account.password_hash = Some(new_hash);
        account.admin.must_change_password = false;
        account.admin.version = account.admin.version.next();
        account.failures = FailedLogins::default();
        let admin = account.admin.clone();
        accounts.sessions.retain(|hash, (owner, _)| *owner != id || *hash == keep);
        state.record(change);
        Ok(Some(admin))
    }

    async fn record_failed_login(
        &self,
        id: AdminId,
        now: Timestamp,
        throttle: LoginThrottle,
    ) -> Result<Option<Timestamp>, StoreError> {
        let mut state = self.write();
        let Some(account) = state.accounts.admins.get_mut(&id) else { return Ok(None) };
        account.failures = throttle.after_failure(account.failures, now);
        Ok(account.failures.locked_until)
    }

    async fn record_unknown_address_failure(
        &self,
        unknown: UnknownAddressKey,
        now: Timestamp,
        throttle: LoginThrottle,
    ) -> Result<Option<Timestamp>, StoreError> {
        let mut state = self.write();
        let slot = state.accounts.unknown_addresses.entry(unknown.slot).or_default();
        // Another address in the slot is replaced by this one.
        let before = if slot.0 == unknown.digest { slot.1 } else { FailedLogins::default() };
        *slot = (unknown.digest, throttle.after_failure(before, now));
        Ok(slot.1.locked_until)
    }

    async fn open_session(&self, session: NewSession) -> Result<(), StoreError> {
        let mut state = self.write();
        let accounts = &mut state.accounts;
        let Some(account) = accounts.admins.get_mut(&session.admin) else { return Ok(()) };
        account.failures = FailedLogins::default();
        accounts.sessions.retain(|_, (owner, expires)| !(*owner == session.admin && *expires <= session.now));
        accounts.sessions.insert(session.hash, (session.admin, session.expires));
        Ok(())
    }

    async fn session_admin(&self, hash: TokenHash, now: Timestamp) -> Result<Option<Admin>, StoreError> {
        let state = self.read();
        let accounts = &state.accounts;
        Ok(accounts
            .sessions
            .get(&hash)
            .filter(|(_, expires)| *expires > now)
            .and_then(|(id, _)| accounts.admins.get(id))
            .filter(|a| a.admin.home.is_none_or(|home| state.lineage_enabled(home)))
            .map(|a| a.admin.clone()))
    }

    async fn close_session(&self, hash: TokenHash) -> Result<(), StoreError> {
        self.write().accounts.sessions.remove(&hash);
        Ok(())
    }
}

impl Account {
    fn login_record(&self) -> LoginRecord {
        LoginRecord {
            admin: self.admin.clone(),
            password_hash: self.password_hash.clone(),
            locked_until: self.failures.locked_until,
        }
    }
}
