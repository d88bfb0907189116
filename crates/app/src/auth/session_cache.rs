//! Sessions read lately, kept in the process for a bounded while, so that the session check every
//! request makes costs a store read only once per token and lifetime instead of once per request.
//!
//! Staleness is bounded twice:
//! * on the process that served a change, not at all: every change that can end or alter a
//!   session (a logout, a password changed, reset or set, an administrator changed or deleted, a
//!   node changed, disabled or deleted) moves the cache to a new generation, and an entry of an
//!   older generation is never served. An entry read from the store before such a change carries
//!   the generation it was read under, so a read racing the change cannot bring a stale session
//!   back.
//! * on the other processes, by the lifetime (`--session-cache-ms`, default 1,000 ms; 0 turns
//!   the cache off): a logout or a disabled node takes effect there within it.
//!
//! The cache is bounded ([`CAPACITY`] tokens; full, it starts again empty) and holds what the
//! store answered (the administrator, never the token: entries are keyed by the token's hash).

use canopy_domain::{Admin, Timestamp};
use canopy_storage::TokenHash;
use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// The most tokens kept at once.
pub const CAPACITY: usize = 10_000;
/// The default lifetime of an entry.
pub const DEFAULT_TTL_MS: u64 = 1_000;

#[derive(Debug)]
pub(crate) struct SessionCache {
    ttl_ms: u64,
    generation: AtomicU64,
    entries: RwLock<HashMap<TokenHash, Entry>>,
}

#[derive(Debug, Clone)]
struct Entry {
    admin: Admin,
    read_at: Timestamp,
    generation: u64,
}

/// The cache's generation when a store read began: what the read's answer is kept under.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReadStart(u64);

impl SessionCache {
    pub fn new(ttl_ms: u64) -> Self {
        Self { ttl_ms, generation: AtomicU64::new(0), entries: RwLock::new(HashMap::new()) }
    }

    /// The administrator of the session `hash`, when it was read within the lifetime and no
    /// change since; otherwise what a store read must start with.
    pub fn get(&self, hash: &TokenHash, now: Timestamp) -> Result<Admin, ReadStart> {
        let start = ReadStart(self.generation.load(Ordering::Acquire));
        if self.ttl_ms == 0 {
            return Err(start);
        }
        let entries = self.entries.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        match entries.get(hash) {
            Some(entry)
                if entry.generation == start.0 && now.0 < entry.read_at.0.saturating_add(self.ttl_ms as i64) =>
            {
                Ok(entry.admin.clone())
            }
            _ => Err(start),
        }
    }

    /// Keeps what a store read that began at `start` found (a session that is valid).
    pub fn put(&self, hash: TokenHash, admin: &Admin, now: Timestamp, start: ReadStart) {
        if self.ttl_ms == 0 || start.0 != self.generation.load(Ordering::Acquire) {
            return;
        }
        let mut entries = self.entries.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        if entries.len() >= CAPACITY && !entries.contains_key(&hash) {
            entries.clear();
        }
        entries.insert(hash, Entry { admin: admin.clone(), read_at: now, generation: start.0 });
    }

    /// Something that may end or alter a session changed: no entry read before is served again.
    pub fn forget_all(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use canopy_domain::{AdminId, InstanceSlug, Profile, Version};

    fn admin() -> Admin {
        Admin {
            id: AdminId(7),
            instance: InstanceSlug::parse("default").unwrap(),
            profile: Profile::SystemAdmin,
            home: None,
            email: canopy_domain::Email::parse("a@b.test").unwrap(),
            details: Default::default(),
            active: true,
            must_change_password: false,
            version: Version::FIRST,
            read_only: false,
        }
    }

    const HASH: TokenHash = TokenHash([1; 32]);

    #[test]
    fn an_entry_is_served_within_its_lifetime_only() {
        let cache = SessionCache::new(1_000);
        let start = cache.get(&HASH, Timestamp(0)).unwrap_err();
        cache.put(HASH, &admin(), Timestamp(0), start);
        assert_eq!(cache.get(&HASH, Timestamp(999)).unwrap(), admin());
        assert!(cache.get(&HASH, Timestamp(1_000)).is_err(), "expired at its lifetime");
    }

    #[test]
    fn a_change_ends_every_entry_and_a_read_that_raced_it_is_not_kept() {
        let cache = SessionCache::new(1_000);
        let start = cache.get(&HASH, Timestamp(0)).unwrap_err();
        cache.put(HASH, &admin(), Timestamp(0), start);
        cache.forget_all();
        assert!(cache.get(&HASH, Timestamp(1)).is_err(), "a logout on this process is effective at once");
        // A read that began before a change and answers after it keeps nothing.
        let start = cache.get(&HASH, Timestamp(2)).unwrap_err();
        cache.forget_all();
        cache.put(HASH, &admin(), Timestamp(3), start);
        assert!(cache.get(&HASH, Timestamp(4)).is_err());
    }

    #[test]
    fn a_lifetime_of_zero_keeps_nothing() {
        let cache = SessionCache::new(0);
        let start = cache.get(&HASH, Timestamp(0)).unwrap_err();
        cache.put(HASH, &admin(), Timestamp(0), start);
        assert!(cache.get(&HASH, Timestamp(0)).is_err());
    }

    #[test]
    fn a_full_cache_starts_again_empty() {
        let cache = SessionCache::new(1_000);
        for i in 0..=CAPACITY {
            let mut hash = [0u8; 32];
            hash[..8].copy_from_slice(&(i as u64).to_le_bytes());
            let start = cache.get(&TokenHash(hash), Timestamp(0)).unwrap_err();
            cache.put(TokenHash(hash), &admin(), Timestamp(0), start);
        }
        assert_eq!(cache.entries.read().unwrap().len(), 1, "cleared when full, then the newest kept");
    }
}
