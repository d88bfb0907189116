//! One-time tokens for new and reset accounts, and the messages that carry them: shared by the
//! services that create administrators (a group's `adminEmail`, `.../admins`) or reset them; and
//! the hashing of a temporary password a creator chooses instead of a link.

use crate::auth::AuthSettings;
use crate::clock::Clock;
use crate::error::AppError;
use crate::mail::{Letters, Message};
use crate::secrets::{Passwords, random_token};
use canopy_domain::{AdminDetails, Email, InstanceSlug, NodeId, Profile, TokenPurpose};
use canopy_storage::{NewAdmin, NewOneTimeToken};
use std::sync::Arc;

/// An account to create, as its creator decided it.
#[derive(Clone)]
pub struct AccountPlan {
    pub instance: InstanceSlug,
    pub profile: Profile,
    /// `None` for a system administrator; a node's account gets its node from the store when the
    /// node is created with it.
    pub home: Option<NodeId>,
    pub email: Email,
    pub details: AdminDetails,
    /// A password chosen by the creator (checked already): the account is active at once and must
    /// change it at its first login. Without one, an activation link is e-mailed.
    pub temporary_password: Option<String>,
    /// Holds its profile's reading permissions only.
    pub read_only: bool,
}

// The temporary password never reaches a log.
impl std::fmt::Debug for AccountPlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountPlan")
            .field("profile", &self.profile)
            .field("email", &self.email)
            .field("temporary_password", &self.temporary_password.as_ref().map(|_| "********"))
            .finish_non_exhaustive()
    }
}

#[derive(Clone)]
pub struct Onboarding {
    clock: Arc<dyn Clock>,
    letters: Letters,
    settings: AuthSettings,
    /// Hashes the temporary passwords creators choose.
    passwords: Passwords,
}

impl Onboarding {
    pub fn new(clock: Arc<dyn Clock>, letters: Letters, settings: AuthSettings) -> Self {
        let passwords = Passwords::new(settings.hash_cost);
        Self { clock, letters, settings, passwords }
    }

    pub fn passwords(&self) -> &Passwords {
        &self.passwords
    }

    /// A fresh token for the client (to e-mail) and what the store keeps of it.
    pub fn token(&self, purpose: TokenPurpose) -> (String, NewOneTimeToken) {
        let (token, hash) = random_token();
        let expires = self.clock.now().plus_secs(self.settings.ttl_secs(purpose));
        (token, NewOneTimeToken { hash, purpose, expires })
    }

    pub fn letter(&self, purpose: TokenPurpose, to: &Email, token: &str) -> Message {
        self.letters.compose(purpose, to, token, self.settings.ttl_secs(purpose))
    }

    pub fn letters(&self) -> &Letters {
        &self.letters
    }

    /// What the store creates for `plan`, and the activation token to e-mail once it is committed
    /// (none with a temporary password, which is hashed here: call it once the caller is
    /// authorized, so a refused caller costs no argon2 work).
    pub async fn account(&self, plan: AccountPlan) -> Result<(NewAdmin, Option<String>), AppError> {
        let (token, password_hash) = match plan.temporary_password {
            Some(password) => (None, Some(self.passwords.hash(password).await?)),
            None => (Some(self.token(TokenPurpose::Activation)), None),
        };
        let new = NewAdmin {
            instance: plan.instance,
            profile: plan.profile,
            home: plan.home,
            email: plan.email,
            details: plan.details,
            must_change_password: password_hash.is_some(),
            read_only: plan.read_only,
            password_hash,
            token: token.as_ref().map(|(_, stored)| stored.clone()),
        };
        Ok((new, token.map(|(token, _)| token)))
    }

    /// E-mails the activation link of a new account in the background.
    pub fn invite(&self, email: &Email, token: &str) {
        self.letters.send_in_background(self.letter(TokenPurpose::Activation, email, token));
    }
}
