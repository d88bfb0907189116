//! Logins, sessions and one-time tokens (activation, reset); an account's own change of its
//! password (`own_password`); the tokens and letters of new and reset accounts (`onboarding`).

mod lineage;
mod onboarding;
mod own_password;
mod session_cache;
mod verified;

pub use lineage::LoginLineage;
pub use onboarding::{AccountPlan, Onboarding};
pub(crate) use session_cache::SessionCache;
pub use session_cache::{CAPACITY as SESSION_CACHE_CAPACITY, DEFAULT_TTL_MS as SESSION_CACHE_TTL_MS};
pub use verified::{CAPACITY as VERIFIED_CAPACITY, TTL_MS as VERIFIED_TTL_MS};

use crate::caller::{Caller, RequestMeta};
use crate::clock::Clock;
use crate::error::AuthError;
use crate::instances::Instances;
use crate::mail::Letters;
use crate::secrets::{HashCost, Passwords, random_token, token_hash};
use canopy_domain::{Admin, DomainError, Email, InstanceSlug, LoginThrottle, Timestamp, TokenPurpose, check_password};
use canopy_domain::{CredentialDigest, TokenKey, UnknownAddressKey};
use canopy_storage::{AccountStore, LoginLookup, LoginRecord, NewOneTimeToken, NewSession};
use std::net::IpAddr;
use std::sync::Arc;

/// How long tokens live, how logins are throttled, where links point, what hashing costs.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    pub session_ttl_secs: u64,
    pub activation_ttl_secs: u64,
    pub reset_ttl_secs: u64,
    pub throttle: LoginThrottle,
    /// The portal the e-mailed links open (`{portal_url}/activate?token=...`).
    pub portal_url: String,
    pub hash_cost: HashCost,
    /// The generation of the key that signs the portal's tokens (raise it to rotate the key).
    pub jwt_key_generation: u32,
    /// How long the portal's signed tokens live.
    pub jwt_ttl_secs: u64,
    /// How long a session read from the store is kept in the process (`session_cache.rs`); 0
    /// reads it on every request.
    pub session_cache_ms: u64,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            session_ttl_secs: 8 * 3600,
            activation_ttl_secs: 72 * 3600,
            reset_ttl_secs: 3600,
            throttle: LoginThrottle::default(),
            portal_url: "http://127.0.0.1:8080".to_owned(),
            hash_cost: HashCost::default(),
            jwt_key_generation: 1,
            jwt_ttl_secs: canopy_domain::JWT_TTL_SECS.unsigned_abs(),
            session_cache_ms: session_cache::DEFAULT_TTL_MS,
        }
    }
}

impl AuthSettings {
    pub fn ttl_secs(&self, purpose: TokenPurpose) -> u64 {
        match purpose {
            TokenPurpose::Activation => self.activation_ttl_secs,
            TokenPurpose::Reset => self.reset_ttl_secs,
        }
    }
}

/// A session opened by a login: the bearer token is shown to the client once, here.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub issued: Timestamp,
    pub expires: Timestamp,
    pub admin: Admin,
}

pub struct AuthService {
    accounts: Arc<dyn AccountStore>,
    instances: Instances,
    clock: Arc<dyn Clock>,
    passwords: Passwords,
    letters: Letters,
    settings: AuthSettings,
    /// The server's secret: the key of the digests that name addresses without an account.
    key: TokenKey,
    /// Credentials verified lately (HTTP Basic), by their keyed digest.
    verified: verified::VerifiedCredentials,
    /// Sessions read lately, by their token's hash; the services whose changes end or alter
    /// sessions share it ([`sessions`](Self::sessions)).
    sessions: Arc<SessionCache>,
    /// What every login passes on the account's lineage: its nodes enabled, its logon IP lists
    /// (none in tests that build the service alone).
    lineage: Option<LoginLineage>,
}

impl AuthService {
    pub fn new(
        accounts: Arc<dyn AccountStore>,
        instances: Instances,
        clock: Arc<dyn Clock>,
        letters: Letters,
        settings: AuthSettings,
        key: TokenKey,
    ) -> Self {
        let passwords = Passwords::new(settings.hash_cost);
        let verified = verified::VerifiedCredentials::default();
        let sessions = Arc::new(SessionCache::new(settings.session_cache_ms));
        Self { accounts, instances, clock, passwords, letters, settings, key, verified, sessions, lineage: None }
    }

    /// The cache of sessions, for the services whose changes end or alter sessions.
    pub(crate) fn sessions(&self) -> Arc<SessionCache> {
        self.sessions.clone()
    }

    /// Every login also passes the account's lineage: its nodes enabled, its logon IP lists.
    pub fn with_lineage(mut self, lineage: LoginLineage) -> Self {
        self.lineage = Some(lineage);
        self
    }

    /// Refuses a login of an account below a disabled node, or from an address an enabled logon
    /// IP list of the account does not admit.
    async fn admit(&self, admin: &Admin, from: Option<IpAddr>) -> Result<(), AuthError> {
        match &self.lineage {
            Some(lineage) => lineage.admit(admin, from).await,
            None => Ok(()),
        }
    }

    /// The server's public base URL, which e-mailed links open (the portal's `/accounts` answer).
    pub fn portal_url(&self) -> &str {
        &self.settings.portal_url
    }

    pub(crate) fn passwords(&self) -> &Passwords {
        &self.passwords
    }

    pub(crate) fn instances(&self) -> &Instances {
        &self.instances
    }

    /// The administrator of a bearer token, for any use: one store read. A session of an
    /// account that must change its password is refused (`PasswordChangeRequired`): it may only
    /// change the password or end ([`session`](Self::session)).
    pub async fn authenticate(&self, token: &str) -> Result<Admin, AuthError> {
        let admin = self.session(token).await?;
        if admin.must_change_password {
            return Err(AuthError::PasswordChangeRequired);
        }
        Ok(admin)
    }

    /// The administrator of a bearer token, also when its account must change its password:
    /// for the routes that change the password and end the session only.
    /// Read from the store at most once per [`AuthSettings::session_cache_ms`] (`session_cache.rs`).
    pub async fn session(&self, token: &str) -> Result<Admin, AuthError> {
        let hash = token_hash(token).ok_or(AuthError::InvalidToken)?;
        let now = self.clock.now();
        let admin = match self.sessions.get(&hash, now) {
            Ok(admin) => admin,
            Err(start) => {
                let admin = self.accounts.session_admin(hash, now).await?.ok_or(AuthError::InvalidToken)?;
                self.sessions.put(hash, &admin, now, start);
                admin
            }
        };
        // An instance taken off the configuration takes its sessions with it.
        if !self.instances.contains(&admin.instance) {
            return Err(AuthError::InvalidToken);
        }
        Ok(admin)
    }

    /// Checks an e-mail and password ([`verify`](Self::verify)) and the client's address `from`
    /// against the account's logon IP lists, and opens a session.
    pub async fn login(
        &self,
        instance: Option<&str>,
        email: &str,
        password: String,
        from: Option<IpAddr>,
    ) -> Result<Session, AuthError> {
        let instance = self.instance_of(instance)?;
        let record = self.verify(&instance, email, password, None).await?;
        self.open_session(record.admin, from).await
    }

    /// The administrator of an e-mail and password sent with a request (HTTP Basic), without a
    /// session: the checks of a login, on every request (its throttle and lock, and a failure
    /// counted as a failed login). A verification is remembered for a short while under the
    /// credentials' keyed digest (`verified.rs`), so a busy client is not verified by argon2 on
    /// every request; the account is still read each time, as a session is.
    pub async fn authenticate_password(
        &self,
        instance: Option<&str>,
        email: &str,
        password: String,
        from: Option<IpAddr>,
    ) -> Result<Admin, AuthError> {
        let instance = self.instance_of(instance)?;
        let keys = Email::lookup_keys(email);
        let first = keys.first().map_or_else(|| email.trim().to_lowercase(), Clone::clone);
        let digest = CredentialDigest::of(&self.key, &instance, &first, &password);
        let record = self.verify(&instance, email, password, Some(digest)).await?;
        self.admit(&record.admin, from).await?;
        Ok(record.admin)
    }

    /// Checks an e-mail and password. Unknown addresses, wrong passwords and accounts without a
    /// password answer alike, after the same work: one store read, then either the refusal of a
    /// lock or an argon2 verification (against a decoy hash when there is no password; skipped
    /// when `remembered` names a verification of this very hash that still holds) and, on a
    /// failure, one store write that counts it, under the same `LoginThrottle` for an address
    /// with or without an account.
    async fn verify(
        &self,
        instance: &InstanceSlug,
        email: &str,
        password: String,
        remembered: Option<CredentialDigest>,
    ) -> Result<LoginRecord, AuthError> {
        let now = self.clock.now();
        let (record, locked_until, unknown) = self.find_login(instance, email).await?;
        if let Some(until) = locked_until.filter(|until| *until > now) {
            return Err(AuthError::Locked { retry_after_secs: now.secs_until(until) });
        }
        let hash = record.as_ref().and_then(|r| r.password_hash.clone());
        let held = match (&remembered, &record, &hash) {
            (Some(digest), Some(record), Some(hash)) => self.verified.holds(digest, record.admin.id, hash, now),
            _ => false,
        };
        let matches = held || self.passwords.verify(hash.clone(), password).await?;
        match record {
            Some(record) if matches => {
                if let (Some(digest), Some(hash), false) = (remembered, hash, held) {
                    self.verified.remember(digest, record.admin.id, hash, now);
                }
                Ok(record)
            }
            _ => {
                if let Some(digest) = &remembered {
                    self.verified.forget(digest);
                }
                let throttle = self.settings.throttle;
                let locked = match &record {
                    Some(record) => self.accounts.record_failed_login(record.admin.id, now, throttle).await?,
                    None => self.accounts.record_unknown_address_failure(unknown, now, throttle).await?,
                };
                Err(match locked {
                    Some(until) => AuthError::Locked { retry_after_secs: now.secs_until(until) },
                    None => AuthError::InvalidCredentials,
                })
            }
        }
    }

    /// The account of an address as a client typed it (normalised, or as stored before
    /// normalisation existed: an address that predates the rule still logs in), the lock on it,
    /// and the keyed slot its failures count in when no account has it. Every lookup key is read,
    /// found or not, so the work depends on what was typed, never on what exists.
    async fn find_login(
        &self,
        instance: &InstanceSlug,
        email: &str,
    ) -> Result<(Option<LoginRecord>, Option<Timestamp>, UnknownAddressKey), AuthError> {
        let keys = Email::lookup_keys(email);
        // A malformed address is nobody's: its failures count under the slot of what was typed.
        let first = keys.first().map_or_else(|| email.trim().to_lowercase(), Clone::clone);
        let unknown = UnknownAddressKey::of(&self.key, instance, &first);
        let (mut record, mut locked_until) = (None, None);
        for (i, key) in keys.iter().enumerate() {
            let slot = if i == 0 { unknown } else { UnknownAddressKey::of(&self.key, instance, key) };
            match self.accounts.find_login(instance, key, slot).await? {
                LoginLookup::Account(found) if record.is_none() => {
                    locked_until = found.locked_until;
                    record = Some(*found);
                }
                LoginLookup::Unknown { locked_until: lock } if record.is_none() && i == 0 => locked_until = lock,
                _ => {}
            }
        }
        Ok((record, locked_until, unknown))
    }

    /// Opens a session of `admin`, whose identity is proven (its password, an impersonation
    /// token): an account without a password still cannot log in, and its logon IP lists apply.
    pub(crate) async fn open_session(&self, admin: Admin, from: Option<IpAddr>) -> Result<Session, AuthError> {
        if !admin.active {
            return Err(AuthError::InvalidCredentials);
        }
        self.admit(&admin, from).await?;
        let now = self.clock.now();
        let (token, hash) = random_token();
        let expires = now.plus_secs(self.settings.session_ttl_secs);
        self.accounts.open_session(NewSession { hash, admin: admin.id, expires, now }).await?;
        Ok(Session { token, issued: now, expires, admin })
    }

    /// Closes the session of `token`; an unknown token is already closed.
    pub async fn logout(&self, token: &str) -> Result<(), AuthError> {
        if let Some(hash) = token_hash(token) {
            let closed = self.accounts.close_session(hash).await;
            self.sessions.forget_all();
            closed?;
        }
        Ok(())
    }

    /// The account an unexpired, unused one-time token of `purpose` belongs to, without redeeming
    /// it (the portal's `GET /actions/activate?token`, which shows whom a link is for).
    pub async fn token_holder(&self, purpose: TokenPurpose, token: &str) -> Result<Admin, AuthError> {
        let hash = token_hash(token).ok_or(AuthError::InvalidOneTimeToken)?;
        let holder = self.accounts.token_holder(hash, purpose, self.clock.now()).await?;
        holder.ok_or(AuthError::InvalidOneTimeToken)
    }

    /// Sets the first password with an activation token.
    pub async fn activate(&self, token: &str, password: String, request: RequestMeta) -> Result<Admin, AuthError> {
        self.redeem(TokenPurpose::Activation, token, password, request).await
    }

    /// Sets a new password with a reset token.
    pub async fn reset(&self, token: &str, password: String, request: RequestMeta) -> Result<Admin, AuthError> {
        self.redeem(TokenPurpose::Reset, token, password, request).await
    }

    /// Sets the password of the token's holder, recorded in the audit log as the holder's own
    /// change of its account.
    async fn redeem(
        &self,
        purpose: TokenPurpose,
        token: &str,
        password: String,
        request: RequestMeta,
    ) -> Result<Admin, AuthError> {
        check_password(&password, None)?;
        let hash = token_hash(token).ok_or(AuthError::InvalidOneTimeToken)?;
        // The account is looked up first for the policy's e-mail rule; redeeming stays one atomic
        // store call (single use under concurrency), which checks the token again.
        let holder = self.accounts.token_holder(hash, purpose, self.clock.now()).await?;
        let holder = holder.ok_or(AuthError::InvalidOneTimeToken)?;
        check_password(&password, Some(&holder.email))?;
        let phc = self.passwords.hash(password).await?;
        let action = match purpose {
            TokenPurpose::Activation => "admin.activate",
            TokenPurpose::Reset => "admin.reset_password",
        };
        let now = self.clock.now();
        let change = Caller::new(&holder, request, now).own_account_change(action, holder.home);
        let admin = self.accounts.redeem_token(hash, purpose, now, phc, &change).await;
        // A reset closes the account's sessions.
        self.sessions.forget_all();
        let admin = admin?;
        admin.ok_or(AuthError::InvalidOneTimeToken)
    }

    /// Sends a reset link if the address has an account. The answer, and how long it takes, is
    /// the same either way: the lookup and the mail happen after it, in the background.
    pub fn forgot(&self, instance: Option<&str>, email: &str) -> Result<(), AuthError> {
        let instance = self.instance_of(instance)?;
        let email = Email::parse(email)?;
        let accounts = self.accounts.clone();
        let letters = self.letters.clone();
        let valid_secs = self.settings.reset_ttl_secs;
        let expires = self.clock.now().plus_secs(valid_secs);
        let unknown = UnknownAddressKey::of(&self.key, &instance, email.key());
        tokio::spawn(async move {
            let outcome = async {
                let found = accounts.find_login(&instance, email.key(), unknown).await?;
                let LoginLookup::Account(record) = found else { return Ok(()) };
                let (token, hash) = random_token();
                let issued = NewOneTimeToken { hash, purpose: TokenPurpose::Reset, expires };
                if accounts.issue_token(record.admin.id, issued).await? {
                    letters.send_in_background(letters.compose(TokenPurpose::Reset, &email, &token, valid_secs));
                }
                Ok::<_, canopy_storage::StoreError>(())
            };
            if let Err(error) = outcome.await {
                tracing::warn!(%error, "could not issue a reset link");
            }
        });
        Ok(())
    }

    /// The instance a login names; it may be left out when the server serves only one.
    fn instance_of(&self, raw: Option<&str>) -> Result<InstanceSlug, AuthError> {
        match raw {
            Some(raw) => Ok(self.instances.resolve(raw)?),
            None => self.instances.only().ok_or_else(|| {
                DomainError::invalid("instance", "is required: this server serves several instances").into()
            }),
        }
    }
}

#[cfg(test)]
mod tests;
