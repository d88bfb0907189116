//! Credentials verified lately, so that a client sending its e-mail and password on every
//! request (HTTP Basic) does not pay an argon2 verification each time.
//!
//! * **Key**: the [`CredentialDigest`] of instance, address and password (keyed by the server's
//!   secret): the password itself is never kept.
//! * **Value**: the account's id and the stored password hash the password matched. A hit is
//!   accepted only if the account's hash, read again by the request (the same one store read a
//!   login makes), is still that one: a changed password, a deleted account, a lock or another
//!   profile are seen at once, so an entry is never stale in what it grants.
//! * **Bound**: [`CAPACITY`] entries, each [`TTL_MS`] after its verification at most; when full,
//!   the expired entries go, then the oldest. A failed verification removes its entry.

use canopy_domain::{AdminId, CredentialDigest, Timestamp};
use std::collections::HashMap;
use std::sync::Mutex;

/// The most credentials remembered at once.
pub const CAPACITY: usize = 1024;
/// How long a verification is remembered: one minute.
pub const TTL_MS: i64 = 60_000;

struct Verified {
    admin: AdminId,
    hash: String,
    at: Timestamp,
}

#[derive(Default)]
pub(crate) struct VerifiedCredentials {
    entries: Mutex<HashMap<CredentialDigest, Verified>>,
}

impl VerifiedCredentials {
    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<CredentialDigest, Verified>> {
        // Each method leaves the map whole: a poisoned lock is safe to keep using.
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Whether `digest` was verified less than [`TTL_MS`] ago for `admin`, against `hash`.
    pub fn holds(&self, digest: &CredentialDigest, admin: AdminId, hash: &str, now: Timestamp) -> bool {
        let mut entries = self.entries();
        match entries.get(digest) {
            Some(entry) if entry.admin == admin && entry.hash == hash && now.0 - entry.at.0 < TTL_MS => true,
            Some(_) => {
                entries.remove(digest);
                false
            }
            None => false,
        }
    }

    /// Remembers a successful verification.
    pub fn remember(&self, digest: CredentialDigest, admin: AdminId, hash: String, now: Timestamp) {
        let mut entries = self.entries();
        if entries.len() >= CAPACITY && !entries.contains_key(&digest) {
            entries.retain(|_, entry| now.0 - entry.at.0 < TTL_MS);
            if entries.len() >= CAPACITY
                && let Some(oldest) = entries.iter().min_by_key(|(_, entry)| entry.at.0).map(|(digest, _)| *digest)
            {
                entries.remove(&oldest);
            }
        }
        entries.insert(digest, Verified { admin, hash, at: now });
    }

    pub fn forget(&self, digest: &CredentialDigest) {
        self.entries().remove(digest);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use canopy_domain::{InstanceSlug, TokenKey};

    fn digest(n: usize) -> CredentialDigest {
        let instance = InstanceSlug::parse("default").unwrap();
        CredentialDigest::of(&TokenKey::new(vec![1; 32]), &instance, &format!("{n}@x.y"), "pw")
    }

    #[test]
    fn a_verification_holds_for_its_account_and_hash_until_it_expires() {
        let cache = VerifiedCredentials::default();
        cache.remember(digest(1), AdminId(7), "hash".into(), Timestamp(1000));
        assert!(cache.holds(&digest(1), AdminId(7), "hash", Timestamp(1000 + TTL_MS - 1)));
        assert!(!cache.holds(&digest(2), AdminId(7), "hash", Timestamp(1000)), "other credentials");
        assert!(!cache.holds(&digest(1), AdminId(7), "changed", Timestamp(1000)), "the password changed");
        assert!(!cache.holds(&digest(1), AdminId(7), "hash", Timestamp(1000)), "a mismatch forgets the entry");
        cache.remember(digest(1), AdminId(7), "hash".into(), Timestamp(1000));
        assert!(!cache.holds(&digest(1), AdminId(8), "hash", Timestamp(1000)), "another account");
        cache.remember(digest(1), AdminId(7), "hash".into(), Timestamp(1000));
        assert!(!cache.holds(&digest(1), AdminId(7), "hash", Timestamp(1000 + TTL_MS)), "expired");
        cache.remember(digest(1), AdminId(7), "hash".into(), Timestamp(1000));
        cache.forget(&digest(1));
        assert!(!cache.holds(&digest(1), AdminId(7), "hash", Timestamp(1000)));
    }

    #[test]
    fn it_never_holds_more_than_its_capacity_and_drops_the_oldest_first() {
        let cache = VerifiedCredentials::default();
        for n in 0..CAPACITY + 10 {
            cache.remember(digest(n), AdminId(1), "h".into(), Timestamp(n as i64));
        }
        assert_eq!(cache.len(), CAPACITY);
        let now = Timestamp(CAPACITY as i64 + 10);
        assert!(!cache.holds(&digest(0), AdminId(1), "h", now), "the oldest went first");
        assert!(cache.holds(&digest(CAPACITY + 9), AdminId(1), "h", now));
        // Expired entries go before live ones.
        cache.remember(digest(99_999), AdminId(1), "h".into(), Timestamp(TTL_MS + 20));
        assert!(cache.len() <= CAPACITY);
        assert!(cache.holds(&digest(99_999), AdminId(1), "h", Timestamp(TTL_MS + 20)));
    }
}
