//! Contract cases of login throttling: an address without an account is counted exactly like an
//! account, in a bounded number of slots, and concurrent failures are each counted once.

use crate::accounts::new_admin;
use crate::{Case, case, change, instance, prepared};
use canopy_domain::{AdminId, LoginThrottle, Timestamp, UnknownAddressKey};
use canopy_storage::{LoginLookup, Store};
use std::sync::Arc;

const THROTTLE: LoginThrottle =
    LoginThrottle { free_failures: 2, base_lock_secs: 10, max_lock_secs: 100, forget_after_secs: 60 };
const NOW: Timestamp = Timestamp(1_800_000_000_000);

fn unknown(slot: u32, digest: u8) -> UnknownAddressKey {
    UnknownAddressKey { slot, digest: [digest; 32] }
}

async fn account(store: &dyn Store, email: &str) -> AdminId {
    store.create_admin(new_admin(instance(), None, email), &change()).await.unwrap().id
}

/// One failure of the account and one of the unknown address at `at`: both locks, which must agree.
async fn fail_both(store: &dyn Store, id: AdminId, key: UnknownAddressKey, at: Timestamp) -> Option<Timestamp> {
    let for_account = store.record_failed_login(id, at, THROTTLE).await.unwrap();
    let for_unknown = store.record_unknown_address_failure(key, at, THROTTLE).await.unwrap();
    assert_eq!(for_account, for_unknown, "an unknown address locks exactly as an account at {at:?}");
    for_account
}

async fn unknown_addresses_are_throttled_like_accounts(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let id = account(&*store, "known@example.com").await;
    let key = unknown(5, 1);
    let mut locks = vec![];
    for _ in 0..4 {
        locks.push(fail_both(&*store, id, key, NOW).await);
    }
    assert_eq!(locks, [None, None, Some(NOW.plus_secs(10)), Some(NOW.plus_secs(20))]);
    let found = store.find_login(&instance(), "known@example.com", key).await.unwrap();
    assert!(matches!(&found, LoginLookup::Account(r) if r.admin.id == id && r.locked_until == locks[3]), "{found:?}");
    let found = store.find_login(&instance(), "nobody@example.com", key).await.unwrap();
    assert_eq!(found, LoginLookup::Unknown { locked_until: locks[3] });
    for (other, why) in [(unknown(5, 2), "another address in the same slot"), (unknown(6, 1), "another slot")] {
        let found = store.find_login(&instance(), "nobody@example.com", other).await.unwrap();
        assert_eq!(found, LoginLookup::Unknown { locked_until: None }, "{why}");
    }
}

async fn a_run_of_failures_is_forgotten_after_its_window_for_both(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let id = account(&*store, "forgetful@example.com").await;
    let key = unknown(7, 1);
    assert_eq!(fail_both(&*store, id, key, NOW).await, None);
    let quiet = NOW.plus_secs(THROTTLE.forget_after_secs);
    assert_eq!(fail_both(&*store, id, key, quiet).await, None, "a failure an hour later starts a new run");
    assert_eq!(fail_both(&*store, id, key, quiet.plus_secs(1)).await, None);
    let third = quiet.plus_secs(2);
    assert_eq!(fail_both(&*store, id, key, third).await, Some(third.plus_secs(10)), "within the window it goes on");
}

async fn an_unknown_address_slot_holds_the_latest_address(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let (first, second) = (unknown(9, 1), unknown(9, 2));
    for _ in 0..3 {
        store.record_unknown_address_failure(first, NOW, THROTTLE).await.unwrap();
    }
    let locked = LoginLookup::Unknown { locked_until: Some(NOW.plus_secs(10)) };
    assert_eq!(store.find_login(&instance(), "first@example.com", first).await.unwrap(), locked);
    assert_eq!(store.record_unknown_address_failure(second, NOW, THROTTLE).await.unwrap(), None, "a fresh count");
    let evicted = store.find_login(&instance(), "first@example.com", first).await.unwrap();
    assert_eq!(evicted, LoginLookup::Unknown { locked_until: None }, "the slot holds the latest address only");
    assert_eq!(store.record_unknown_address_failure(first, NOW, THROTTLE).await.unwrap(), None, "counted anew");
}

/// 20 failures of one account and 20 of one unknown address race, `rounds` times: every failure
/// is counted once, so their locks are those of the counts 1 to 20, each exactly once.
async fn concurrent_failures_are_each_counted_once(store: Arc<dyn Store>, rounds: usize) {
    const RACERS: u32 = 20;
    prepared(&*store).await;
    let doubling =
        LoginThrottle { free_failures: 0, base_lock_secs: 1, max_lock_secs: u64::MAX, forget_after_secs: 60 };
    let expected: Vec<Option<Timestamp>> = (1..=RACERS).map(|count| doubling.locked_until(count, NOW)).collect();
    for round in 0..rounds {
        let id = account(&*store, &format!("raced{round}@example.com")).await;
        let key = unknown(u32::try_from(round).unwrap(), 3);
        let mut racers = vec![];
        for _ in 0..RACERS {
            let (for_account, for_unknown) = (store.clone(), store.clone());
            racers.push(tokio::spawn(async move { for_account.record_failed_login(id, NOW, doubling).await.unwrap() }));
            racers.push(tokio::spawn(async move {
                for_unknown.record_unknown_address_failure(key, NOW, doubling).await.unwrap()
            }));
        }
        let (mut accounts, mut unknowns) = (vec![], vec![]);
        for (i, racer) in racers.into_iter().enumerate() {
            let lock = racer.await.unwrap();
            if i % 2 == 0 { accounts.push(lock) } else { unknowns.push(lock) }
        }
        accounts.sort();
        unknowns.sort();
        assert_eq!(accounts, expected, "round {round}: an account's failures");
        assert_eq!(unknowns, expected, "round {round}: an unknown address's failures");
    }
}

pub(crate) const CASES: &[Case] = &[
    case!(unknown_addresses_are_throttled_like_accounts),
    case!(a_run_of_failures_is_forgotten_after_its_window_for_both),
    case!(an_unknown_address_slot_holds_the_latest_address),
    case!(concurrent_failures_are_each_counted_once),
];
