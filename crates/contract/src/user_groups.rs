//! Contract cases of the user group port: names unique per tenant, fields replaced and versioned,
//! permission values changed partially, custom permissions and their deletion, lists, the
//! tenant's deletion, and the races the issue names.

use crate::{Case, case, change, create, prepared};
use canopy_domain::{
    Branch, Change, NewCustomPermission, Node, NodeKind, PermissionChanges, SettingInput, UserGroupFields, UserGroupId,
    UserGroupName, UserGroupQuery, Version,
};
use canopy_storage::{Deleted, Store, UserGroupWriteError, VersionedWriteError};
use std::collections::BTreeMap;
use std::sync::Arc;

fn fields(name: &str, description: Option<&str>) -> UserGroupFields {
    UserGroupFields {
        name: UserGroupName::parse(name).unwrap(),
        description: description.map(str::to_owned),
        branch: None,
    }
}

fn changes(settings: &[(&str, Option<&str>)]) -> PermissionChanges {
    let inputs: Vec<SettingInput> = settings
        .iter()
        .map(|(name, value)| SettingInput { name: (*name).to_owned(), value: value.map(str::to_owned) })
        .collect();
    PermissionChanges::parse(&inputs).unwrap()
}

fn expecting(version: u64) -> Change {
    Change { expected: Some(Version(version)), ..change() }
}

/// A group, a distributor under it, two tenants under the distributor.
async fn tenants(store: &dyn Store) -> (Node, Node, Node) {
    prepared(store).await;
    let group = create(store, NodeKind::Group, None, "G").await;
    let distributor = create(store, NodeKind::Distributor, Some(&group), "D").await;
    let t1 = create(store, NodeKind::Tenant, Some(&distributor), "T1").await;
    let t2 = create(store, NodeKind::Tenant, Some(&distributor), "T2").await;
    (distributor, t1, t2)
}

async fn user_group_names_are_unique_per_tenant_case_insensitively(store: Arc<dyn Store>, _: usize) {
    let (distributor, t1, t2) = tenants(&*store).await;
    let heroes = store.create_user_group(t1.id, fields("Heroes", None), &change()).await.unwrap();
    assert_eq!((heroes.tenant, heroes.fields.name.as_str(), heroes.version), (t1.id, "Heroes", Version::FIRST));
    let err = store.create_user_group(t1.id, fields("HEROES", None), &change()).await.unwrap_err();
    assert!(matches!(err, UserGroupWriteError::DuplicateName), "{err:?}");
    store.create_user_group(t2.id, fields("heroes", None), &change()).await.expect("another tenant");
    let other = store.create_user_group(t1.id, fields("Villains", None), &change()).await.unwrap();
    let err = store.update_user_group(t1.id, other.id, fields("heroes", None), &change()).await.unwrap_err();
    assert!(matches!(err, UserGroupWriteError::DuplicateName), "{err:?}");
    let recased = store.update_user_group(t1.id, other.id, fields("VILLAINS", None), &change()).await.unwrap();
    assert_eq!(recased.fields.name.as_str(), "VILLAINS", "its own name, recased");
    let err = store.update_user_group(t2.id, other.id, fields("X", None), &change()).await.unwrap_err();
    assert!(matches!(err, UserGroupWriteError::NotFound), "another tenant's group: {err:?}");
    let err = store.create_user_group(distributor.id, fields("X", None), &change()).await.unwrap_err();
    assert!(matches!(err, UserGroupWriteError::TenantNotFound), "a distributor holds no user group: {err:?}");
    let missing = canopy_domain::NodeId(uuid::Uuid::new_v4());
    let err = store.create_user_group(missing, fields("X", None), &change()).await.unwrap_err();
    assert!(matches!(err, UserGroupWriteError::TenantNotFound), "{err:?}");
    assert_eq!(store.get_user_group(t2.id, heroes.id).await.unwrap(), None, "another tenant's group is absent");
}

async fn user_groups_keep_their_fields_and_count_versions(store: Arc<dyn Store>, _: usize) {
    let (_, tenant, _) = tenants(&*store).await;
    let branch = Branch { id: Some(1), name: Some("HallOfJustice".into()), ..Branch::default() };
    let new = UserGroupFields { branch: Some(branch), ..fields("JusticeLeague", Some("Superheroes Unlimited")) };
    let created = store.create_user_group(tenant.id, new.clone(), &change()).await.unwrap();
    assert_eq!(created.fields, new);
    assert_eq!(store.get_user_group(tenant.id, created.id).await.unwrap().as_ref(), Some(&created));
    // An update replaces every field: what it leaves out is cleared.
    let updated = store.update_user_group(tenant.id, created.id, fields("JL", None), &expecting(1)).await.unwrap();
    assert_eq!((updated.fields, updated.version), (fields("JL", None), Version(2)));
    let err = store.update_user_group(tenant.id, created.id, fields("Stale", None), &expecting(1)).await.unwrap_err();
    assert!(matches!(err, UserGroupWriteError::VersionMismatch(_)), "{err:?}");
    let err = store.delete_user_group(tenant.id, created.id, &expecting(1)).await.unwrap_err();
    assert!(matches!(err, VersionedWriteError::VersionMismatch(_)), "{err:?}");
    let kept = store.get_user_group(tenant.id, created.id).await.unwrap().unwrap();
    assert_eq!((kept.fields.name.as_str(), kept.version), ("JL", Version(2)), "a stale change changes nothing");
    assert_eq!(store.delete_user_group(tenant.id, created.id, &expecting(2)).await.unwrap(), Deleted::Removed);
    assert_eq!(store.delete_user_group(tenant.id, created.id, &change()).await.unwrap(), Deleted::Absent);
    assert_eq!(store.get_user_group(tenant.id, created.id).await.unwrap(), None);
    let err = store.update_user_group(tenant.id, created.id, fields("Gone", None), &change()).await.unwrap_err();
    assert!(matches!(err, UserGroupWriteError::NotFound), "{err:?}");
    let again = store.create_user_group(tenant.id, fields("JusticeLeague", None), &change()).await.unwrap();
    assert!(again.id > created.id, "ids are never reused");
}

async fn permission_changes_apply_partially_and_refuse_another_tenants_permissions(store: Arc<dyn Store>, _: usize) {
    let (_, t1, t2) = tenants(&*store).await;
    let group = store.create_user_group(t1.id, fields("G", None), &change()).await.unwrap();
    let set = changes(&[("900Dialing", Some("ENABLE")), ("Mobile", Some("disable"))]);
    let after = store.set_user_group_permissions(t1.id, group.id, &set, &expecting(1)).await.unwrap();
    let expected = BTreeMap::from([("900Dialing".to_owned(), true), ("Mobile".to_owned(), false)]);
    assert_eq!((after.permissions.clone(), after.version), (expected, Version(2)));
    let custom = NewCustomPermission::parse("Lab access", None, false).unwrap();
    let mine = store.create_custom_permission(t1.id, custom.clone(), &change()).await.unwrap();
    let theirs = store.create_custom_permission(t2.id, custom, &change()).await.unwrap();
    assert_ne!(mine.id, theirs.id);
    assert_eq!(store.custom_permissions(t1.id).await.unwrap(), vec![mine.clone()]);
    let version = store.get_user_group(t1.id, group.id).await.unwrap().unwrap().version;
    assert_eq!(version, Version(3), "a new custom permission counts on every group of the tenant");
    let foreign = changes(&[("TollFree", Some("ENABLE")), (&theirs.name(), Some("ENABLE")), ("perm_999999", Some(""))]);
    let err = store.set_user_group_permissions(t1.id, group.id, &foreign, &change()).await.unwrap_err();
    match err {
        UserGroupWriteError::UnknownPermissions(names) => {
            let mut expected = vec![theirs.name(), "perm_999999".to_owned()];
            expected.sort();
            assert_eq!(names, expected);
        }
        other => panic!("{other:?}"),
    }
    let unchanged = store.get_user_group(t1.id, group.id).await.unwrap().unwrap();
    assert_eq!((unchanged.permissions.len(), unchanged.version), (2, Version(3)), "a refused change changes nothing");
    let more = changes(&[(&mine.name(), Some("ENABLE")), ("Mobile", Some("")), ("900Dialing", Some("DISABLE"))]);
    let after = store.set_user_group_permissions(t1.id, group.id, &more, &change()).await.unwrap();
    let expected = BTreeMap::from([("900Dialing".to_owned(), false), (mine.name(), true)]);
    assert_eq!((after.permissions, after.version), (expected, Version(4)));
    let err = store.set_user_group_permissions(t1.id, group.id, &more, &expecting(3)).await.unwrap_err();
    assert!(matches!(err, UserGroupWriteError::VersionMismatch(_)), "{err:?}");
    let err = store.set_user_group_permissions(t2.id, group.id, &more, &change()).await.unwrap_err();
    assert!(matches!(err, UserGroupWriteError::NotFound), "{err:?}");
}

async fn deleting_a_custom_permission_takes_its_values_and_counts_on_every_group(store: Arc<dyn Store>, _: usize) {
    let (_, tenant, other) = tenants(&*store).await;
    let custom = store
        .create_custom_permission(
            tenant.id,
            NewCustomPermission::parse("Lab", Some("The lab"), true).unwrap(),
            &change(),
        )
        .await
        .unwrap();
    assert_eq!((custom.label.as_str(), custom.description.as_deref(), custom.default), ("Lab", Some("The lab"), true));
    let a = store.create_user_group(tenant.id, fields("A", None), &change()).await.unwrap();
    let b = store.create_user_group(tenant.id, fields("B", None), &change()).await.unwrap();
    let set = changes(&[(&custom.name(), Some("DISABLE")), ("Voicemail", Some("DISABLE"))]);
    store.set_user_group_permissions(tenant.id, a.id, &set, &change()).await.unwrap();
    assert_eq!(store.delete_custom_permission(other.id, custom.id, &change()).await.unwrap(), Deleted::Absent);
    assert_eq!(store.delete_custom_permission(tenant.id, custom.id, &change()).await.unwrap(), Deleted::Removed);
    assert_eq!(store.delete_custom_permission(tenant.id, custom.id, &change()).await.unwrap(), Deleted::Absent);
    let a = store.get_user_group(tenant.id, a.id).await.unwrap().unwrap();
    assert_eq!(a.permissions, BTreeMap::from([("Voicemail".to_owned(), false)]));
    assert_eq!(a.version, Version(3), "set, then the catalogue changed");
    let b = store.get_user_group(tenant.id, b.id).await.unwrap().unwrap();
    assert_eq!(b.version, Version(2));
    assert!(store.custom_permissions(tenant.id).await.unwrap().is_empty());
}

async fn lists_sort_page_and_count_one_tenants_groups(store: Arc<dyn Store>, _: usize) {
    let (distributor, tenant, other) = tenants(&*store).await;
    for (name, description) in [("b", Some("Zeta")), ("C", None), ("a", Some("alpha")), ("D", Some("alpha"))] {
        store.create_user_group(tenant.id, fields(name, description), &change()).await.unwrap();
    }
    store.create_user_group(other.id, fields("elsewhere", None), &change()).await.unwrap();
    let names = |page: canopy_storage::UserGroupPage| -> (Vec<String>, u64) {
        (page.groups.iter().map(|g| g.fields.name.as_str().to_owned()).collect(), page.total)
    };
    let list = async |page: Option<&str>, size: Option<&str>, by: Option<&str>, dir: Option<&str>| {
        let query = UserGroupQuery::parse(page, size, by, dir).unwrap();
        names(store.list_user_groups(tenant.id, &query).await.unwrap())
    };
    assert_eq!(list(None, None, None, None).await, (vec!["b".into(), "C".into(), "a".into(), "D".into()], 4));
    assert_eq!(list(None, None, None, Some("reverse")).await.0, ["D", "a", "C", "b"]);
    assert_eq!(list(None, None, Some("name"), None).await.0, ["a", "b", "C", "D"]);
    assert_eq!(list(None, None, Some("name"), Some("reverse")).await.0, ["D", "C", "b", "a"]);
    // No description sorts as "", ties in id order in both directions.
    assert_eq!(list(None, None, Some("description"), None).await.0, ["C", "a", "D", "b"]);
    assert_eq!(list(None, None, Some("description"), Some("reverse")).await.0, ["b", "a", "D", "C"]);
    assert_eq!(list(Some("2"), Some("3"), Some("name"), None).await, (vec!["D".into()], 4));
    assert_eq!(list(Some("3"), Some("3"), Some("name"), None).await, (vec![], 4), "past the end: empty");
    let empty = create(&*store, NodeKind::Tenant, Some(&distributor), "Unused").await;
    let query = UserGroupQuery::parse(None, None, None, None).unwrap();
    assert_eq!(names(store.list_user_groups(empty.id, &query).await.unwrap()), (vec![], 0));
}

async fn a_tenants_deletion_takes_its_user_groups_and_custom_permissions(store: Arc<dyn Store>, _: usize) {
    let (_, tenant, other) = tenants(&*store).await;
    let group = store.create_user_group(tenant.id, fields("G", None), &change()).await.unwrap();
    let custom = NewCustomPermission::parse("L", None, false).unwrap();
    let custom = store.create_custom_permission(tenant.id, custom, &change()).await.unwrap();
    store
        .set_user_group_permissions(tenant.id, group.id, &changes(&[(&custom.name(), Some("ENABLE"))]), &change())
        .await
        .unwrap();
    let kept = store.create_user_group(other.id, fields("G", None), &change()).await.unwrap();
    let deleted = store.delete_node(&tenant.instance, NodeKind::Tenant, tenant.id, &change()).await.unwrap();
    assert_eq!(deleted, Deleted::Removed, "user groups never block the deletion");
    assert_eq!(store.get_user_group(tenant.id, group.id).await.unwrap(), None);
    assert!(store.custom_permissions(tenant.id).await.unwrap().is_empty());
    assert!(store.get_user_group(other.id, kept.id).await.unwrap().is_some());
}

/// Each built-in permission set by its own change, all at once on one group, `rounds` times:
/// every change applies, and the version counts each.
async fn concurrent_changes_of_disjoint_permissions_all_apply(store: Arc<dyn Store>, rounds: usize) {
    let (_, tenant, _) = tenants(&*store).await;
    for round in 0..rounds {
        let group = store.create_user_group(tenant.id, fields(&format!("R{round}"), None), &change()).await.unwrap();
        let tasks: Vec<_> = canopy_domain::BUILT_IN
            .iter()
            .enumerate()
            .map(|(i, permission)| {
                let store = store.clone();
                let value = if i % 2 == 0 { "ENABLE" } else { "DISABLE" };
                let set = changes(&[(permission.name, Some(value))]);
                tokio::spawn(
                    async move { store.set_user_group_permissions(tenant.id, group.id, &set, &change()).await },
                )
            })
            .collect();
        for task in tasks {
            task.await.unwrap().expect("every change applies");
        }
        let after = store.get_user_group(tenant.id, group.id).await.unwrap().unwrap();
        assert_eq!(after.permissions.len(), 18, "round {round}: a change was lost");
        for (i, permission) in canopy_domain::BUILT_IN.iter().enumerate() {
            assert_eq!(after.permissions[permission.name], i % 2 == 0, "round {round}: {}", permission.name);
        }
        assert_eq!(after.version, Version(19));
    }
}

/// 20 creations of one name (in various cases) race, `rounds` times: exactly one wins.
async fn concurrent_creations_of_one_user_group_name_admit_exactly_one(store: Arc<dyn Store>, rounds: usize) {
    let (_, tenant, _) = tenants(&*store).await;
    for round in 0..rounds {
        let tasks: Vec<_> = (0..20)
            .map(|i| {
                let store = store.clone();
                let name = if i % 2 == 0 { format!("Race{round}") } else { format!("RACE{round}") };
                tokio::spawn(async move { store.create_user_group(tenant.id, fields(&name, None), &change()).await })
            })
            .collect();
        let mut won = Vec::new();
        for task in tasks {
            match task.await.unwrap() {
                Ok(group) => won.push(group.id),
                Err(UserGroupWriteError::DuplicateName) => {}
                Err(other) => panic!("unexpected: {other:?}"),
            }
        }
        assert_eq!(won.len(), 1, "round {round}: {won:?}");
    }
    let all = store.list_user_groups(tenant.id, &UserGroupQuery::parse(None, None, None, None).unwrap()).await;
    assert_eq!(all.unwrap().total, rounds as u64);
}

/// A change naming a custom permission races its deletion, `rounds` times: no value of a deleted
/// permission ever remains.
async fn a_permission_change_racing_the_deletion_of_its_permission_leaves_no_value(
    store: Arc<dyn Store>,
    rounds: usize,
) {
    let (_, tenant, _) = tenants(&*store).await;
    let group: UserGroupId = store.create_user_group(tenant.id, fields("G", None), &change()).await.unwrap().id;
    for _ in 0..rounds {
        let custom = NewCustomPermission::parse("Racing", None, false).unwrap();
        let custom = store.create_custom_permission(tenant.id, custom, &change()).await.unwrap();
        let set = changes(&[(&custom.name(), Some("ENABLE"))]);
        let setter = {
            let store = store.clone();
            tokio::spawn(async move { store.set_user_group_permissions(tenant.id, group, &set, &change()).await })
        };
        let deleter = {
            let store = store.clone();
            tokio::spawn(async move { store.delete_custom_permission(tenant.id, custom.id, &change()).await })
        };
        match setter.await.unwrap() {
            Ok(_) | Err(UserGroupWriteError::UnknownPermissions(_)) => {}
            Err(other) => panic!("unexpected: {other:?}"),
        }
        assert_eq!(deleter.await.unwrap().unwrap(), Deleted::Removed);
        let after = store.get_user_group(tenant.id, group).await.unwrap().unwrap();
        assert!(!after.permissions.contains_key(&custom.name()), "a value outlived its permission");
    }
}

pub(crate) const CASES: &[Case] = &[
    case!(user_group_names_are_unique_per_tenant_case_insensitively),
    case!(user_groups_keep_their_fields_and_count_versions),
    case!(permission_changes_apply_partially_and_refuse_another_tenants_permissions),
    case!(deleting_a_custom_permission_takes_its_values_and_counts_on_every_group),
    case!(lists_sort_page_and_count_one_tenants_groups),
    case!(a_tenants_deletion_takes_its_user_groups_and_custom_permissions),
    case!(concurrent_changes_of_disjoint_permissions_all_apply),
    case!(concurrent_creations_of_one_user_group_name_admit_exactly_one),
    case!(a_permission_change_racing_the_deletion_of_its_permission_leaves_no_value),
];
