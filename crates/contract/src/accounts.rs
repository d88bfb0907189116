//! Contract cases of the account port: administrators, sessions, one-time tokens, throttling.

use crate::{Case, case, change, create, instance, new_node, other_instance, prepared};
use canopy_domain::{
    AdminDetails, Email, InstanceSlug, LoginThrottle, NodeKind, Profile, Timestamp, TokenPurpose, UnknownAddressKey,
};
use canopy_storage::{
    AdminChanges, CreateAdminError, CreateNodeError, Deleted, LoginLookup, LoginRecord, NewAdmin, NewOneTimeToken,
    NewSession, Store, TokenHash,
};
use std::sync::Arc;

pub(crate) fn new_admin(
    instance: InstanceSlug,
    home: Option<(NodeKind, canopy_domain::NodeId)>,
    email: &str,
) -> NewAdmin {
    NewAdmin {
        instance,
        profile: Profile::of_level(home.map(|(kind, _)| kind)),
        home: home.map(|(_, id)| id),
        email: Email::parse(email).unwrap(),
        details: AdminDetails::default(),
        password_hash: None,
        must_change_password: false,
        read_only: false,
        token: None,
    }
}

pub(crate) fn hash(n: u8) -> TokenHash {
    TokenHash([n; 32])
}

fn token(n: u8, purpose: TokenPurpose, expires: i64) -> NewOneTimeToken {
    NewOneTimeToken { hash: hash(n), purpose, expires: Timestamp(expires) }
}

async fn admins_are_unique_per_instance_and_listed_by_home(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    let home = Some((NodeKind::Group, group.id));
    let b = store.create_admin(new_admin(instance(), home, "b@example.com"), &change()).await.unwrap();
    let a = store.create_admin(new_admin(instance(), home, "A@example.com"), &change()).await.unwrap();
    assert_ne!(a.id, b.id);
    assert_eq!((a.profile, a.home, a.active), (Profile::GroupAdmin, Some(group.id), false));
    let err = store.create_admin(new_admin(instance(), None, "a@EXAMPLE.com"), &change()).await.unwrap_err();
    assert!(matches!(err, CreateAdminError::DuplicateEmail), "{err:?}");
    // One address in two Unicode spellings (composed, decomposed) is one address.
    store.create_admin(new_admin(instance(), home, "ren\u{e9}@example.com"), &change()).await.unwrap();
    let err = store.create_admin(new_admin(instance(), None, "RENE\u{301}@example.com"), &change()).await.unwrap_err();
    assert!(matches!(err, CreateAdminError::DuplicateEmail), "{err:?}");
    store.create_admin(new_admin(other_instance(), None, "a@example.com"), &change()).await.expect("another instance");
    let system = store.create_admin(new_admin(instance(), None, "root@example.com"), &change()).await.unwrap();

    let listed = store.list_admins(&instance(), Some(group.id)).await.unwrap();
    assert_eq!(
        listed.iter().map(|admin| admin.email.as_str()).collect::<Vec<_>>(),
        ["A@example.com", "b@example.com", "ren\u{e9}@example.com"]
    );
    assert_eq!(listed[..2], [a.clone(), b]);
    assert_eq!(store.list_admins(&instance(), None).await.unwrap(), vec![system]);
    let found = login_record(&*store, &instance(), "a@example.com").await.unwrap();
    assert_eq!((&found.admin, found.password_hash, found.locked_until), (&a, None, None));
    assert_eq!(store.find_admin(&instance(), "a@example.com").await.unwrap(), Some(a));
    assert!(store.find_admin(&other_instance(), "b@example.com").await.unwrap().is_none());
    assert!(login_record(&*store, &other_instance(), "b@example.com").await.is_none());
}

async fn an_admin_needs_an_existing_home(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    let missing = canopy_domain::NodeId(uuid::Uuid::new_v4());
    for new in [
        new_admin(instance(), Some((NodeKind::Group, missing)), "x@example.com"),
        new_admin(other_instance(), Some((NodeKind::Group, group.id)), "x@example.com"),
        new_admin(InstanceSlug::parse("nowhere").unwrap(), None, "x@example.com"),
    ] {
        let err = store.create_admin(new, &change()).await.unwrap_err();
        assert!(matches!(err, CreateAdminError::HomeNotFound), "{err:?}");
    }
    assert!(store.find_admin(&instance(), "x@example.com").await.unwrap().is_none());
}

async fn a_node_created_with_its_admin_is_one_unit(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    store.create_admin(new_admin(instance(), None, "taken@example.com"), &change()).await.unwrap();
    let with_admin = |name: &str, email: &str| {
        let mut node = new_node(NodeKind::Group, None, name);
        node.admin = Some(NewAdmin {
            profile: Profile::GroupAdmin,
            token: Some(token(9, TokenPurpose::Activation, i64::MAX)),
            ..new_admin(instance(), None, email)
        });
        node
    };
    let err = store.create_node(with_admin("G1", "TAKEN@example.com"), &change()).await.unwrap_err();
    assert!(matches!(err, CreateNodeError::DuplicateEmail), "{err:?}");
    assert!(
        store.list_nodes(&super::request(None, NodeKind::Group, Default::default())).await.unwrap().items.is_empty()
    );

    let group = store.create_node(with_admin("G1", "first@example.com"), &change()).await.unwrap();
    let admin = store.find_admin(&instance(), "first@example.com").await.unwrap().unwrap();
    assert_eq!((admin.home, admin.profile), (Some(group.id), Profile::GroupAdmin));
    let redeemed =
        store.redeem_token(hash(9), TokenPurpose::Activation, Timestamp(0), "h".into(), &change()).await.unwrap();
    assert_eq!(redeemed.map(|a| a.id), Some(admin.id), "the activation token was stored with the admin");
}

async fn deleting_a_node_removes_its_admins_and_their_sessions(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    let tenant = create(&*store, NodeKind::Tenant, Some(&group), "T").await;
    let admin = store
        .create_admin(new_admin(instance(), Some((NodeKind::Tenant, tenant.id)), "t@example.com"), &change())
        .await
        .unwrap();
    let session = NewSession { hash: hash(1), admin: admin.id, expires: Timestamp(1000), now: Timestamp(0) };
    store.open_session(session).await.unwrap();
    assert!(store.session_admin(hash(1), Timestamp(1)).await.unwrap().is_some());

    assert_eq!(store.delete_node(&instance(), NodeKind::Tenant, tenant.id, &change()).await.unwrap(), Deleted::Removed);
    assert!(store.find_admin(&instance(), "t@example.com").await.unwrap().is_none());
    assert!(store.session_admin(hash(1), Timestamp(1)).await.unwrap().is_none());
    // The address is free again.
    store
        .create_admin(new_admin(instance(), Some((NodeKind::Group, group.id)), "t@example.com"), &change())
        .await
        .unwrap();
}

async fn sessions_open_expire_and_close(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let admin = store.create_admin(new_admin(instance(), None, "s@example.com"), &change()).await.unwrap();
    let open = |n: u8, expires: i64, now: i64| {
        store.open_session(NewSession {
            hash: hash(n),
            admin: admin.id,
            expires: Timestamp(expires),
            now: Timestamp(now),
        })
    };
    open(1, 100, 0).await.unwrap();
    open(2, 500, 0).await.unwrap();
    assert_eq!(store.session_admin(hash(1), Timestamp(99)).await.unwrap(), Some(admin.clone()));
    assert_eq!(store.session_admin(hash(1), Timestamp(100)).await.unwrap(), None, "expired at its instant");
    assert_eq!(store.session_admin(hash(3), Timestamp(0)).await.unwrap(), None, "unknown");
    store.close_session(hash(2)).await.unwrap();
    assert_eq!(store.session_admin(hash(2), Timestamp(1)).await.unwrap(), None, "closed");
    store.close_session(hash(2)).await.unwrap();
    assert_eq!(store.delete_admin(admin.id, &change()).await.unwrap(), Deleted::Removed);
    assert_eq!(store.delete_admin(admin.id, &change()).await.unwrap(), Deleted::Absent);
}

async fn one_time_tokens_are_single_use_of_their_purpose_and_expire(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let admin = store.create_admin(new_admin(instance(), None, "o@example.com"), &change()).await.unwrap();
    assert!(store.issue_token(admin.id, token(1, TokenPurpose::Reset, 100)).await.unwrap());
    assert!(!store.issue_token(canopy_domain::AdminId(-1), token(2, TokenPurpose::Reset, 100)).await.unwrap());
    let session = NewSession { hash: hash(7), admin: admin.id, expires: Timestamp(1000), now: Timestamp(0) };
    store.open_session(session).await.unwrap();

    let redeemed_by = change();
    let redeem =
        |n: u8, purpose, now| store.redeem_token(hash(n), purpose, Timestamp(now), format!("hash-{n}"), &redeemed_by);
    assert!(redeem(1, TokenPurpose::Activation, 0).await.unwrap().is_none(), "another purpose");
    assert!(redeem(1, TokenPurpose::Reset, 100).await.unwrap().is_none(), "expired");
    // A newer token of the same purpose replaces the older one.
    store.issue_token(admin.id, token(3, TokenPurpose::Reset, 100)).await.unwrap();
    store.issue_token(admin.id, token(4, TokenPurpose::Reset, 100)).await.unwrap();
    assert!(redeem(3, TokenPurpose::Reset, 0).await.unwrap().is_none(), "replaced");
    let holder = |n: u8, purpose, now| store.token_holder(hash(n), purpose, Timestamp(now));
    let named = holder(4, TokenPurpose::Reset, 99).await.unwrap().expect("a valid token names its holder");
    assert_eq!((named.id, named.email.key()), (admin.id, "o@example.com"));
    assert!(holder(4, TokenPurpose::Activation, 0).await.unwrap().is_none(), "another purpose has no holder");
    assert!(holder(4, TokenPurpose::Reset, 100).await.unwrap().is_none(), "an expired token has no holder");
    assert!(holder(3, TokenPurpose::Reset, 0).await.unwrap().is_none(), "a replaced token has no holder");
    let redeemed = redeem(4, TokenPurpose::Reset, 99).await.unwrap().expect("valid");
    assert!(redeemed.active);
    assert!(redeem(4, TokenPurpose::Reset, 0).await.unwrap().is_none(), "single use");
    assert!(holder(4, TokenPurpose::Reset, 0).await.unwrap().is_none(), "a redeemed token has no holder");
    let record = login_record(&*store, &instance(), "o@example.com").await.unwrap();
    assert_eq!(record.password_hash.as_deref(), Some("hash-4"));
    assert!(store.session_admin(hash(7), Timestamp(1)).await.unwrap().is_none(), "a new password closes sessions");
}

async fn failed_logins_lock_and_a_session_clears_them(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let admin = store.create_admin(new_admin(instance(), None, "l@example.com"), &change()).await.unwrap();
    let throttle = LoginThrottle { free_failures: 2, base_lock_secs: 10, max_lock_secs: 100, forget_after_secs: 3600 };
    let now = Timestamp(5_000);
    assert_eq!(store.record_failed_login(admin.id, now, throttle).await.unwrap(), None);
    assert_eq!(store.record_failed_login(admin.id, now, throttle).await.unwrap(), None);
    assert_eq!(store.record_failed_login(admin.id, now, throttle).await.unwrap(), Some(now.plus_secs(10)));
    assert_eq!(store.record_failed_login(admin.id, now, throttle).await.unwrap(), Some(now.plus_secs(20)));
    let record = login_record(&*store, &instance(), "l@example.com").await.unwrap();
    assert_eq!(record.locked_until, Some(now.plus_secs(20)));
    let session = NewSession { hash: hash(1), admin: admin.id, expires: Timestamp(i64::MAX), now };
    store.open_session(session).await.unwrap();
    assert_eq!(login_record(&*store, &instance(), "l@example.com").await.unwrap().locked_until, None);
    assert_eq!(store.record_failed_login(admin.id, now, throttle).await.unwrap(), None, "the count restarts");
}

async fn updates_keep_absent_details_and_a_forced_reset_closes_sessions(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let new = NewAdmin { password_hash: Some("h".into()), ..new_admin(instance(), None, "u@example.com") };
    let admin = store.create_admin(new, &change()).await.unwrap();
    assert!(admin.active);
    let session = NewSession { hash: hash(1), admin: admin.id, expires: Timestamp(1000), now: Timestamp(0) };
    store.open_session(session).await.unwrap();
    let changes =
        AdminChanges { first_name: Some("Jo".into()), mobile: Some("+3212345678".into()), ..Default::default() };
    let updated = store.update_admin(admin.id, changes, &change()).await.unwrap().unwrap();
    assert_eq!(updated.details.first_name.as_deref(), Some("Jo"));
    let changes = AdminChanges { last_name: Some("Doe".into()), ..Default::default() };
    let updated = store.update_admin(admin.id, changes, &change()).await.unwrap().unwrap();
    assert_eq!(
        (
            updated.details.first_name.as_deref(),
            updated.details.last_name.as_deref(),
            updated.details.mobile.as_deref()
        ),
        (Some("Jo"), Some("Doe"), Some("+3212345678"))
    );
    assert!(store.session_admin(hash(1), Timestamp(1)).await.unwrap().is_some(), "a plain update keeps sessions");

    let reset = AdminChanges { reset: Some(token(2, TokenPurpose::Reset, 1000)), ..Default::default() };
    let updated = store.update_admin(admin.id, reset, &change()).await.unwrap().unwrap();
    assert!(!updated.active);
    assert!(store.session_admin(hash(1), Timestamp(1)).await.unwrap().is_none());
    assert_eq!(login_record(&*store, &instance(), "u@example.com").await.unwrap().password_hash, None);
    assert!(
        store
            .redeem_token(hash(2), TokenPurpose::Reset, Timestamp(1), "new".into(), &change())
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store.update_admin(canopy_domain::AdminId(-5), AdminChanges::default(), &change()).await.unwrap().is_none()
    );
}

async fn concurrent_bootstraps_create_one_system_admin(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move {
                store.bootstrap_admin(new_admin(instance(), None, &format!("boot{i}@example.com"))).await
            })
        })
        .collect();
    let mut created = 0;
    for task in tasks {
        if task.await.unwrap().unwrap().is_some() {
            created += 1;
        }
    }
    assert_eq!(created, 1);
    assert_eq!(store.list_admins(&instance(), None).await.unwrap().len(), 1);
    assert!(store.bootstrap_admin(new_admin(instance(), None, "late@example.com")).await.unwrap().is_none());
    assert!(store.bootstrap_admin(new_admin(other_instance(), None, "boot@example.com")).await.unwrap().is_some());
}

async fn admins_created_while_their_node_is_deleted_never_outlive_it(store: Arc<dyn Store>, rounds: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    for round in 0..rounds.min(50) {
        let tenant = create(&*store, NodeKind::Tenant, Some(&group), &format!("T{round}")).await;
        let home = Some((NodeKind::Tenant, tenant.id));
        let creations: Vec<_> = (0..10)
            .map(|i| {
                let store = store.clone();
                let new = new_admin(instance(), home, &format!("r{round}-{i}@example.com"));
                tokio::spawn(async move { store.create_admin(new, &change()).await })
            })
            .collect();
        let deletion = {
            let store = store.clone();
            tokio::spawn(async move { store.delete_node(&instance(), NodeKind::Tenant, tenant.id, &change()).await })
        };
        for creation in creations {
            match creation.await.unwrap() {
                Ok(_) | Err(CreateAdminError::HomeNotFound) => {}
                Err(err) => panic!("{err:?}"),
            }
        }
        assert_eq!(deletion.await.unwrap().unwrap(), Deleted::Removed, "admins never block a deletion");
        assert!(store.list_admins(&instance(), Some(tenant.id)).await.unwrap().is_empty(), "round {round}");
        for i in 0..10 {
            let email = format!("r{round}-{i}@example.com");
            assert!(store.find_admin(&instance(), &email).await.unwrap().is_none(), "round {round}: {email}");
        }
    }
}

async fn concurrent_same_email_creations_admit_exactly_one(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let store = store.clone();
            let home = (i % 2 == 0).then_some((NodeKind::Group, group.id));
            tokio::spawn(
                async move { store.create_admin(new_admin(instance(), home, "SAME@example.com"), &change()).await },
            )
        })
        .collect();
    let mut won = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => won += 1,
            Err(CreateAdminError::DuplicateEmail) => {}
            Err(err) => panic!("{err:?}"),
        }
    }
    assert_eq!(won, 1);
}

/// The account of an address, as a login reads it (`None`: no account has it).
pub(crate) async fn login_record(store: &dyn Store, instance: &InstanceSlug, email_key: &str) -> Option<LoginRecord> {
    let unknown = UnknownAddressKey { slot: 0, digest: [0; 32] };
    match store.find_login(instance, email_key, unknown).await.unwrap() {
        LoginLookup::Account(record) => Some(*record),
        LoginLookup::Unknown { .. } => None,
    }
}

async fn a_read_only_administrator_stays_so_until_changed_and_its_session_reads_it(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    let home = Some((NodeKind::Group, group.id));
    let new =
        NewAdmin { read_only: true, password_hash: Some("h".into()), ..new_admin(instance(), home, "r@example.com") };
    let admin = store.create_admin(new, &change()).await.unwrap();
    assert!(admin.read_only && admin.principal().read_only);
    assert_eq!(store.list_admins(&instance(), Some(group.id)).await.unwrap(), vec![admin.clone()]);
    let session = NewSession { hash: hash(5), admin: admin.id, expires: Timestamp(1000), now: Timestamp(0) };
    store.open_session(session).await.unwrap();
    assert!(store.session_admin(hash(5), Timestamp(1)).await.unwrap().unwrap().read_only);
    let named = AdminChanges { first_name: Some("Ro".into()), ..Default::default() };
    let kept = store.update_admin(admin.id, named, &change()).await.unwrap().unwrap();
    assert!(kept.read_only, "a change that does not name it keeps it");
    let full = AdminChanges { read_only: Some(false), ..Default::default() };
    let changed = store.update_admin(admin.id, full, &change()).await.unwrap().unwrap();
    assert!(!changed.read_only);
    let seen = store.session_admin(hash(5), Timestamp(1)).await.unwrap().unwrap();
    assert!(!seen.read_only, "the session reads the account as it is now");
    assert!(!store.create_admin(new_admin(instance(), None, "w@example.com"), &change()).await.unwrap().read_only);
}

pub(crate) const CASES: &[Case] = &[
    case!(admins_are_unique_per_instance_and_listed_by_home),
    case!(an_admin_needs_an_existing_home),
    case!(a_node_created_with_its_admin_is_one_unit),
    case!(deleting_a_node_removes_its_admins_and_their_sessions),
    case!(sessions_open_expire_and_close),
    case!(one_time_tokens_are_single_use_of_their_purpose_and_expire),
    case!(failed_logins_lock_and_a_session_clears_them),
    case!(updates_keep_absent_details_and_a_forced_reset_closes_sessions),
    case!(concurrent_bootstraps_create_one_system_admin),
    case!(admins_created_while_their_node_is_deleted_never_outlive_it),
    case!(concurrent_same_email_creations_admit_exactly_one),
    case!(a_read_only_administrator_stays_so_until_changed_and_its_session_reads_it),
];
