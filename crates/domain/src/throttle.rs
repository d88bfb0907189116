//! Login throttling: the rule that locks an address after failed logins, the same for an address
//! with an account and for one without (so that the answers never tell them apart), and the
//! bounded key under which an address without an account is counted.

use crate::account::Timestamp;
use crate::instance::InstanceSlug;
use crate::list::TokenKey;

/// Login throttling per address: the first `free_failures` consecutive failures cost nothing;
/// each one after locks the address for `base_lock_secs`, doubling with every further failure up
/// to `max_lock_secs`. While locked, attempts are refused without checking the password, so
/// guessing cannot go on. A run of failures ends with a successful login (accounts only) or once
/// its lock is over and its last failure is `forget_after_secs` old.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginThrottle {
    pub free_failures: u32,
    pub base_lock_secs: u64,
    pub max_lock_secs: u64,
    pub forget_after_secs: u64,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self { free_failures: 5, base_lock_secs: 30, max_lock_secs: 15 * 60, forget_after_secs: 3600 }
    }
}

/// A run of consecutive failed logins of one address.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FailedLogins {
    pub count: u32,
    /// When the last failure happened; `None` before the first.
    pub last: Option<Timestamp>,
    pub locked_until: Option<Timestamp>,
}

impl LoginThrottle {
    /// Until when the address is locked after its `failures`-th consecutive failure at `now`.
    pub fn locked_until(&self, failures: u32, now: Timestamp) -> Option<Timestamp> {
        let over = failures.checked_sub(self.free_failures).filter(|over| *over > 0)?;
        let doubling = 2u64.saturating_pow(over - 1);
        Some(now.plus_secs(self.base_lock_secs.saturating_mul(doubling).min(self.max_lock_secs)))
    }

    /// Whether `run` is over at `now`: its lock has expired and its last failure is at least
    /// `forget_after_secs` old. A run that is over counts from zero again, and a store may drop it.
    pub fn is_over(&self, run: &FailedLogins, now: Timestamp) -> bool {
        run.locked_until.is_none_or(|until| until <= now)
            && run.last.is_none_or(|last| last.plus_secs(self.forget_after_secs) <= now)
    }

    /// The run after one more failure at `now`.
    pub fn after_failure(&self, run: FailedLogins, now: Timestamp) -> FailedLogins {
        let before = if self.is_over(&run, now) { 0 } else { run.count };
        let count = before.saturating_add(1);
        FailedLogins { count, last: Some(now), locked_until: self.locked_until(count, now) }
    }
}

/// The most addresses without an account whose failed logins are kept at once: the bound of the
/// state that made-up addresses can create (one store entry per slot, about 100 bytes each).
pub const UNKNOWN_ADDRESS_SLOTS: u32 = 1 << 17;

/// Where the failed logins of an address without an account are counted: a keyed digest of the
/// instance and the address's key (the address itself is never stored), and the slot it takes
/// among [`UNKNOWN_ADDRESS_SLOTS`]. A slot holds one address: the latest to fail replaces the one
/// before, so the entries never outnumber the slots however many addresses are made up.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct UnknownAddressKey {
    pub slot: u32,
    pub digest: [u8; 32],
}

impl UnknownAddressKey {
    pub fn of(key: &TokenKey, instance: &InstanceSlug, email_key: &str) -> Self {
        let digest = key.digest("login-throttle", &[instance.as_str(), email_key]);
        let head = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]);
        // A power of two: the remainder keeps the digest's uniform spread over the slots.
        Self { slot: head % UNKNOWN_ADDRESS_SLOTS, digest }
    }
}

impl std::fmt::Debug for UnknownAddressKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UnknownAddressKey").field("slot", &self.slot).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp(1_000_000);

    #[test]
    fn failures_lock_after_the_free_ones_doubling_up_to_the_cap() {
        let throttle =
            LoginThrottle { free_failures: 5, base_lock_secs: 30, max_lock_secs: 600, forget_after_secs: 60 };
        assert_eq!(throttle.locked_until(0, NOW), None);
        assert_eq!(throttle.locked_until(5, NOW), None);
        assert_eq!(throttle.locked_until(6, NOW), Some(NOW.plus_secs(30)));
        assert_eq!(throttle.locked_until(7, NOW), Some(NOW.plus_secs(60)));
        assert_eq!(throttle.locked_until(9, NOW), Some(NOW.plus_secs(240)));
        assert_eq!(throttle.locked_until(10, NOW), Some(NOW.plus_secs(480)));
        assert_eq!(throttle.locked_until(11, NOW), Some(NOW.plus_secs(600)));
        assert_eq!(throttle.locked_until(u32::MAX, NOW), Some(NOW.plus_secs(600)));
    }

    #[test]
    fn a_run_counts_each_failure_and_locks_by_its_count() {
        let throttle = LoginThrottle::default();
        let mut run = FailedLogins::default();
        let mut locks = vec![];
        for _ in 0..7 {
            run = throttle.after_failure(run, NOW);
            locks.push(run.locked_until.map(|until| NOW.secs_until(until)));
        }
        assert_eq!(locks, [None, None, None, None, None, Some(30), Some(60)]);
        assert_eq!((run.count, run.last), (7, Some(NOW)));
    }

    #[test]
    fn a_run_is_forgotten_once_its_lock_is_over_and_its_last_failure_old() {
        let throttle =
            LoginThrottle { free_failures: 1, base_lock_secs: 100, max_lock_secs: 100, forget_after_secs: 60 };
        let quiet = throttle.after_failure(FailedLogins::default(), NOW);
        assert!(!throttle.is_over(&quiet, NOW.plus_secs(59)));
        assert!(throttle.is_over(&quiet, NOW.plus_secs(60)));
        assert_eq!(throttle.after_failure(quiet, NOW.plus_secs(59)).count, 2, "within the window the run goes on");
        assert_eq!(throttle.after_failure(quiet, NOW.plus_secs(60)).count, 1, "after it, it starts again");

        let locked = throttle.after_failure(quiet, NOW);
        assert_eq!(locked.locked_until, Some(NOW.plus_secs(100)));
        assert!(!throttle.is_over(&locked, NOW.plus_secs(99)), "a lock outlasting the window keeps the run");
        assert!(throttle.is_over(&locked, NOW.plus_secs(100)));
        assert!(throttle.is_over(&FailedLogins::default(), NOW));
    }

    #[test]
    fn an_unknown_address_has_a_stable_keyed_slot_and_never_shows_the_address() {
        let key = TokenKey::new(vec![9; 32]);
        let default = InstanceSlug::parse("default").unwrap();
        let of = |instance: &InstanceSlug, email: &str| UnknownAddressKey::of(&key, instance, email);
        let first = of(&default, "nobody@example.com");
        assert_eq!(first, of(&default, "nobody@example.com"));
        assert_ne!(first.digest, of(&default, "somebody@example.com").digest);
        assert_ne!(first.digest, of(&InstanceSlug::parse("other").unwrap(), "nobody@example.com").digest);
        let other_key = UnknownAddressKey::of(&TokenKey::new(vec![8; 32]), &default, "nobody@example.com");
        assert_ne!(first.digest, other_key.digest, "the digest depends on the server's key");
        let slots: std::collections::HashSet<u32> =
            (0..1000).map(|i| of(&default, &format!("user{i}@example.com")).slot).collect();
        assert!(slots.iter().all(|slot| *slot < UNKNOWN_ADDRESS_SLOTS));
        assert!(slots.len() > 990, "addresses spread over the slots: {}", slots.len());
        assert!(!format!("{first:?}").contains("digest"), "{first:?}");
    }
}
