//! An administrator's own change of its password (`POST /api/v01/auth/password`): every account
//! may, and one created with a temporary password must before anything else.

use super::AuthService;
use crate::caller::{Caller, RequestMeta};
use crate::error::AuthError;
use crate::secrets::token_hash;
use canopy_domain::UnknownAddressKey;
use canopy_domain::{Admin, DomainError, check_password};
use canopy_storage::LoginLookup;

impl AuthService {
    /// Replaces the caller's password with `new` once it proves it knows `current`. The caller's
    /// session stays open (and may then be used for anything); every other session of the account
    /// is closed. A wrong `current` counts as a failed login (the same throttle locks the
    /// account), so a stolen session cannot guess its way to the password.
    /// The change is recorded in the audit log as the administrator's own (`admin.change_password`).
    pub async fn change_password(
        &self,
        admin: &Admin,
        session: &str,
        (current, new): (String, String),
        request: RequestMeta,
    ) -> Result<Admin, AuthError> {
        check_password(&new, Some(&admin.email)).map_err(|err| err.renamed("newPassword"))?;
        if new == current {
            return Err(DomainError::invalid("newPassword", "must differ from the current password").into());
        }
        let keep = token_hash(session).ok_or(AuthError::InvalidToken)?;
        let now = self.clock.now();
        let unknown = UnknownAddressKey::of(&self.key, &admin.instance, admin.email.key());
        let record = match self.accounts.find_login(&admin.instance, admin.email.key(), unknown).await? {
            LoginLookup::Account(record) if record.admin.id == admin.id => record,
            _ => return Err(AuthError::InvalidToken),
        };
        if let Some(until) = record.locked_until.filter(|until| *until > now) {
            return Err(AuthError::Locked { retry_after_secs: now.secs_until(until) });
        }
        let wrong = || DomainError::invalid("currentPassword", "is not the account's password").into();
        let stored = record.password_hash.clone();
        if !self.passwords.verify(stored.clone(), current).await? {
            let locked = self.accounts.record_failed_login(admin.id, now, self.settings.throttle).await?;
            return Err(match locked {
                Some(until) => AuthError::Locked { retry_after_secs: now.secs_until(until) },
                None => wrong(),
            });
        }
        let new_hash = self.passwords.hash(new).await?;
        let change = Caller::new(admin, request, now).own_account_change("admin.change_password", admin.home);
        let stored = stored.unwrap_or_default();
        // None: the password changed between the check and now (a concurrent change won).
        let changed = self.accounts.change_password(admin.id, stored, new_hash, keep, &change).await;
        // The change closes the account's other sessions and ends its pending password change.
        self.sessions.forget_all();
        changed?.ok_or_else(wrong)
    }
}
