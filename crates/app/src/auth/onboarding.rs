//! One-time tokens for new and reset accounts, and the messages that carry them: shared by the
//! services that create administrators (a group's `adminEmail`, `.../admins`) or reset them; and
//! the hashing of a temporary password a creator chooses instead of a link.

use crate::auth::AuthSettings;
use crate::clock::Clock;
use crate::mail::{Letters, Message};
use crate::secrets::{Passwords, random_token};
use canopy_domain::{Email, TokenPurpose};
use canopy_storage::NewOneTimeToken;
use std::sync::Arc;

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
}
