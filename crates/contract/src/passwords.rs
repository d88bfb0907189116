//! Contract cases of issue 21, item 8: temporary passwords (an account created with a password
//! it must change) and an account's own change of its password.

use crate::accounts::new_admin;
use crate::{Case, case, change, instance, prepared};
use canopy_domain::{Admin, AdminId, Timestamp, TokenPurpose, Version};
use canopy_storage::{AdminChanges, NewAdmin, NewOneTimeToken, NewSession, Store, TokenHash};
use std::sync::Arc;

fn session(n: u8) -> TokenHash {
    TokenHash([n; 32])
}

fn flagged(email: &str, hash: &str) -> NewAdmin {
    NewAdmin { password_hash: Some(hash.into()), must_change_password: true, ..new_admin(instance(), None, email) }
}

async fn open(store: &dyn Store, admin: AdminId, n: u8) {
    let new = NewSession { hash: session(n), admin, expires: Timestamp(i64::MAX), now: Timestamp(0) };
    store.open_session(new).await.unwrap();
}

async fn holder(store: &dyn Store, n: u8) -> Option<Admin> {
    store.session_admin(session(n), Timestamp(1)).await.unwrap()
}

async fn a_temporary_password_is_flagged_until_the_account_changes_it_itself(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let admin = store.create_admin(flagged("new@example.com", "temporary"), &change()).await.unwrap();
    assert_eq!((admin.active, admin.must_change_password), (true, true));
    open(&*store, admin.id, 1).await;
    open(&*store, admin.id, 2).await;
    assert!(holder(&*store, 1).await.unwrap().must_change_password, "its sessions say so");

    // A hash that is not the stored one changes nothing.
    let stale = store.change_password(admin.id, "other".into(), "chosen".into(), session(1), &change()).await;
    assert_eq!(stale.unwrap(), None);
    assert!(holder(&*store, 2).await.is_some());

    let changed = store.change_password(admin.id, "temporary".into(), "chosen".into(), session(1), &change()).await;
    let changed = changed.unwrap().expect("the stored hash was the one verified");
    assert_eq!((changed.must_change_password, changed.version), (false, Version(2)));
    assert!(!holder(&*store, 1).await.expect("the caller's session stays").must_change_password);
    assert_eq!(holder(&*store, 2).await, None, "every other session is closed");
    let record = crate::accounts::login_record(&*store, &instance(), "new@example.com").await.unwrap();
    assert_eq!(record.password_hash.as_deref(), Some("chosen"));

    // A flag without a password means nothing; a forced reset and a link clear it.
    let plain = NewAdmin { must_change_password: true, ..new_admin(instance(), None, "plain@example.com") };
    assert!(!store.create_admin(plain, &change()).await.unwrap().must_change_password);
    let reset = store.create_admin(flagged("reset@example.com", "t"), &change()).await.unwrap();
    let token = NewOneTimeToken { hash: session(9), purpose: TokenPurpose::Reset, expires: Timestamp(i64::MAX) };
    let changes = AdminChanges { reset: Some(token), ..Default::default() };
    let updated = store.update_admin(reset.id, changes, &change()).await.unwrap().unwrap();
    assert_eq!((updated.active, updated.must_change_password), (false, false));
    let linked = store.create_admin(flagged("link@example.com", "t"), &change()).await.unwrap();
    let token = NewOneTimeToken { hash: session(8), purpose: TokenPurpose::Reset, expires: Timestamp(i64::MAX) };
    assert!(store.issue_token(linked.id, token).await.unwrap());
    let redeemed = store.redeem_token(session(8), TokenPurpose::Reset, Timestamp(1), "own".into(), &change()).await;
    assert!(!redeemed.unwrap().unwrap().must_change_password);
}

async fn concurrent_changes_of_one_password_apply_exactly_once(store: Arc<dyn Store>, rounds: usize) {
    prepared(&*store).await;
    for round in 0..rounds.min(10) {
        let email = format!("race{round}@example.com");
        let admin = store.create_admin(flagged(&email, "temporary"), &change()).await.unwrap();
        let changes: Vec<_> = (0..8u8)
            .map(|n| {
                let store = store.clone();
                tokio::spawn(async move {
                    let new = format!("chosen-{n}");
                    store.change_password(admin.id, "temporary".into(), new, session(n), &change()).await.unwrap()
                })
            })
            .collect();
        let mut applied = Vec::new();
        for handle in changes {
            applied.extend(handle.await.unwrap());
        }
        assert_eq!(applied.len(), 1, "round {round}: one change wins, the others find another hash");
        let stored = crate::accounts::login_record(&*store, &instance(), &email).await.unwrap();
        assert_eq!(stored.admin.version, Version(2), "counted once");
    }
}

pub(crate) const CASES: &[Case] = &[
    case!(a_temporary_password_is_flagged_until_the_account_changes_it_itself),
    case!(concurrent_changes_of_one_password_apply_exactly_once),
];
