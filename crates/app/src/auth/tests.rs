//! Unit tests of `AuthService`: what never reaches the store, and that the answers of a login
//! never tell an address with an account from one without.

use super::*;
use crate::error::AppError;
use crate::mail::Outbox;
use crate::testing::{ROOT_EMAIL, TestApp};
use crate::{HashCost, ManualClock};
use canopy_domain::{AdminDetails, AdminId, Profile};
use canopy_storage::{LoginRecord, MockAccountStore};

fn service(accounts: MockAccountStore) -> AuthService {
    let instances = Instances::new([InstanceSlug::parse("default").unwrap()]);
    let letters = Letters::new(Arc::new(Outbox::new()), "http://portal");
    let settings = AuthSettings { hash_cost: HashCost::FAST, ..AuthSettings::default() };
    let clock = Arc::new(ManualClock::at(Timestamp(1000)));
    AuthService::new(Arc::new(accounts), instances, clock, letters, settings, TokenKey::new(vec![1; 32]))
}

fn locked_account(instance: &InstanceSlug) -> LoginLookup {
    let admin = Admin {
        id: AdminId(1),
        instance: instance.clone(),
        profile: Profile::SystemAdmin,
        home: None,
        email: Email::parse("a@example.com").unwrap(),
        details: AdminDetails::default(),
        active: true,
        must_change_password: false,
        version: canopy_domain::Version::FIRST,
        read_only: false,
    };
    let record =
        LoginRecord { admin, password_hash: Some("$argon2id$x".into()), locked_until: Some(Timestamp(31_000)) };
    LoginLookup::Account(Box::new(record))
}

#[tokio::test]
async fn a_malformed_bearer_token_never_reaches_the_store() {
    let err = service(MockAccountStore::new()).authenticate("not-a-token").await.unwrap_err();
    assert!(matches!(err, AuthError::InvalidToken), "{err:?}");
}

#[tokio::test]
async fn a_locked_address_is_refused_without_checking_or_counting_the_password_with_or_without_an_account() {
    let unknown_locked = |_: &InstanceSlug| LoginLookup::Unknown { locked_until: Some(Timestamp(31_000)) };
    for lookup in [locked_account as fn(&InstanceSlug) -> LoginLookup, unknown_locked] {
        let mut accounts = MockAccountStore::new();
        accounts.expect_find_login().times(1).returning(move |instance, _, _| Ok(lookup(instance)));
        accounts.expect_record_failed_login().never();
        accounts.expect_record_unknown_address_failure().never();
        accounts.expect_open_session().never();
        let err = service(accounts).login(None, "a@example.com", "anything at all".into(), None).await.unwrap_err();
        assert!(matches!(err, AuthError::Locked { retry_after_secs: 30 }), "{err:?}");
    }
}

#[tokio::test]
async fn a_failure_of_an_unknown_address_is_counted_under_its_keyed_slot() {
    let instance = InstanceSlug::parse("default").unwrap();
    let expected = UnknownAddressKey::of(&TokenKey::new(vec![1; 32]), &instance, "nobody@example.com");
    let mut accounts = MockAccountStore::new();
    accounts
        .expect_find_login()
        .withf(move |_, email_key, key| email_key == "nobody@example.com" && *key == expected)
        .returning(|_, _, _| Ok(LoginLookup::Unknown { locked_until: None }));
    accounts.expect_record_failed_login().never();
    accounts
        .expect_record_unknown_address_failure()
        .withf(move |key, _, _| *key == expected)
        .times(1)
        .returning(|_, now, _| Ok(Some(now.plus_secs(30))));
    let err = service(accounts).login(None, "Nobody@Example.com", "anything at all".into(), None).await.unwrap_err();
    assert!(matches!(err, AuthError::Locked { retry_after_secs: 30 }), "{err:?}");
}

/// What a login answers, as a client sees it: 401, or 423 with its `Retry-After`.
async fn attempt(test: &TestApp, email: &str) -> Option<u64> {
    match test.app.auth.login(None, email, "not the password at all".into(), None).await {
        Err(AuthError::InvalidCredentials) => None,
        Err(AuthError::Locked { retry_after_secs }) => Some(retry_after_secs),
        other => panic!("{email}: {other:?}"),
    }
}

#[tokio::test]
async fn an_unknown_address_answers_every_attempt_as_an_account_does() {
    let test = TestApp::start().await;
    let mut answers = vec![];
    let mut pair = async || {
        let (known, unknown) = (attempt(&test, ROOT_EMAIL).await, attempt(&test, "nobody@canopy.test").await);
        assert_eq!(known, unknown, "after {answers:?}");
        answers.push(known);
    };
    for _ in 0..8 {
        pair().await;
    }
    test.clock.advance_secs(31);
    pair().await;
    // An hour after the last failure, once the lock is over, the run is forgotten.
    test.clock.advance_secs(3600);
    pair().await;
    assert_eq!(answers, [None, None, None, None, None, Some(30), Some(30), Some(30), Some(60), None]);
}

#[tokio::test]
async fn a_password_breaking_the_policy_never_reaches_the_store() {
    let (token, _) = random_token();
    let err =
        service(MockAccountStore::new()).activate(&token, "short".into(), RequestMeta::default()).await.unwrap_err();
    assert!(matches!(err, AuthError::App(AppError::Invalid(_))), "{err:?}");
}

#[tokio::test]
async fn a_session_that_must_change_its_password_serves_only_the_password_routes() {
    let mut accounts = MockAccountStore::new();
    accounts.expect_session_admin().returning(|_, _| {
        Ok(Some(Admin {
            id: AdminId(1),
            instance: InstanceSlug::parse("default").unwrap(),
            profile: Profile::SystemAdmin,
            home: None,
            email: Email::parse("a@example.com").unwrap(),
            details: AdminDetails::default(),
            active: true,
            must_change_password: true,
            version: canopy_domain::Version::FIRST,
            read_only: false,
        }))
    });
    let service = service(accounts);
    let (token, _) = random_token();
    let err = service.authenticate(&token).await.unwrap_err();
    assert!(matches!(err, AuthError::PasswordChangeRequired), "{err:?}");
    assert!(service.session(&token).await.unwrap().must_change_password);
}

#[tokio::test]
async fn a_password_sent_with_every_request_is_verified_by_argon2_once_per_minute() {
    let test = TestApp::start().await;
    let auth = &test.app.auth;
    let before = auth.passwords().verifications();
    for _ in 0..5 {
        let admin =
            auth.authenticate_password(None, ROOT_EMAIL, crate::testing::ROOT_PASSWORD.into(), None).await.unwrap();
        assert_eq!(admin.email.as_str(), ROOT_EMAIL);
    }
    assert_eq!(auth.passwords().verifications() - before, 1, "remembered after the first verification");
    test.clock.advance_secs(VERIFIED_TTL_MS / 1000);
    auth.authenticate_password(None, ROOT_EMAIL, crate::testing::ROOT_PASSWORD.into(), None).await.unwrap();
    assert_eq!(auth.passwords().verifications() - before, 2, "verified again once the minute is over");
    // Another password is never taken for the remembered one.
    let err = auth.authenticate_password(None, ROOT_EMAIL, "not the password".into(), None).await.unwrap_err();
    assert!(matches!(err, AuthError::InvalidCredentials), "{err:?}");
}

#[tokio::test]
async fn a_remembered_password_counts_failures_and_obeys_the_lock_like_a_login() {
    let test = TestApp::start().await;
    let auth = &test.app.auth;
    let password = || crate::testing::ROOT_PASSWORD.to_owned();
    auth.authenticate_password(None, ROOT_EMAIL, password(), None).await.unwrap();
    let mut locked = false;
    for _ in 0..20 {
        match auth.authenticate_password(None, ROOT_EMAIL, "wrong password".into(), None).await {
            Err(AuthError::InvalidCredentials) => {}
            Err(AuthError::Locked { .. }) => {
                locked = true;
                break;
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(locked, "wrong passwords sent this way lock the account as failed logins do");
    let err = auth.authenticate_password(None, ROOT_EMAIL, password(), None).await.unwrap_err();
    assert!(matches!(err, AuthError::Locked { .. }), "the lock holds for a remembered password too: {err:?}");
    let err = auth.login(None, ROOT_EMAIL, password(), None).await.unwrap_err();
    assert!(matches!(err, AuthError::Locked { .. }), "and for logins: {err:?}");
}
