//! Contract cases of the levels below tenants (site groups, users): the same tree guarantees as
//! the levels above (counters, delete-when-empty, lineage, uniqueness), the integer ids of every
//! node and instance, and what the attributes of the new levels read back as.

use crate::{Case, case, change, create, instance, new_node, other_instance, prepared, walk};
use canopy_domain::{
    Attributes, InstanceSlug, KindCounts, ListParams, Node, NodeId, NodeKind, NodeName, Serial, TenantId,
};
use canopy_storage::{CreateNodeError, DeleteNodeError, Deleted, NodeChanges, Store, UpdateNodeError};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::sync::Arc;

/// A group with one tenant under it.
pub(crate) async fn group_and_tenant(store: &dyn Store, name: &str) -> (Node, Node) {
    let group = create(store, NodeKind::Group, None, name).await;
    let tenant = create(store, NodeKind::Tenant, Some(&group), "T").await;
    (group, tenant)
}

/// A site group of `tenant` holding at most `limit` users.
pub(crate) async fn site_group(store: &dyn Store, tenant: &Node, name: &str, limit: u32) -> Node {
    let mut new = new_node(NodeKind::SiteGroup, Some(tenant), name);
    new.attributes = attributes(NodeKind::SiteGroup, json!({ "userLimit": limit }));
    store.create_node(new, &change()).await.unwrap()
}

pub(crate) fn attributes(kind: NodeKind, value: Value) -> Attributes {
    Attributes::parse_new(kind, value.as_object().unwrap()).unwrap()
}

async fn counts(store: &dyn Store, node: &Node) -> KindCounts {
    store.get_node(&node.instance, node.kind, node.id).await.unwrap().unwrap().subtree
}

async fn a_tenant_holds_site_groups_and_users_counted_on_every_ancestor(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    let reseller = create(&*store, NodeKind::Reseller, Some(&group), "R").await;
    let tenant = create(&*store, NodeKind::Tenant, Some(&reseller), "T").await;
    let site = site_group(&*store, &tenant, "brussels", 10).await;
    let in_site = create(&*store, NodeKind::User, Some(&site), "jane@acme").await;
    create(&*store, NodeKind::User, Some(&tenant), "john").await;
    assert_eq!(
        (site.lineage.tenant, site.lineage.reseller, site.parent),
        (Some(tenant.id), Some(reseller.id), Some(tenant.id))
    );
    assert_eq!((in_site.lineage.tenant, in_site.lineage.site_group), (Some(tenant.id), Some(site.id)));
    assert_eq!(in_site.lineage.root_first(), [group.id, reseller.id, tenant.id, site.id]);
    for (node, site_groups, users) in [(&group, 1, 2), (&reseller, 1, 2), (&tenant, 1, 2), (&site, 0, 1)] {
        let counts = counts(&*store, node).await;
        assert_eq!((counts.site_groups, counts.users), (site_groups, users), "{}", node.kind);
    }
    assert_eq!(counts(&*store, &group).await.tenants, 1);
    let read = store.get_node(&instance(), NodeKind::User, in_site.id).await.unwrap().unwrap().node;
    assert_eq!(read, in_site);
    assert_eq!(read.name.as_str(), "jane@acme");
}

async fn site_groups_and_users_block_their_holders_deletion_with_counts(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let (group, tenant) = group_and_tenant(&*store, "G").await;
    let site = site_group(&*store, &tenant, "s1", 5).await;
    let user = create(&*store, NodeKind::User, Some(&site), "u1").await;
    create(&*store, NodeKind::User, Some(&tenant), "u2").await;
    let refused = |result| match result {
        Err(DeleteNodeError::NotEmpty(children)) => children,
        other => panic!("expected NotEmpty, got {other:?}"),
    };
    let children = refused(store.delete_node(&instance(), NodeKind::Tenant, tenant.id, &change()).await);
    assert_eq!((children.site_groups, children.users), (1, 1), "direct children only");
    let children = refused(store.delete_node(&instance(), NodeKind::SiteGroup, site.id, &change()).await);
    assert_eq!((children.site_groups, children.users), (0, 1));
    assert_eq!(store.delete_node(&instance(), NodeKind::User, user.id, &change()).await.unwrap(), Deleted::Removed);
    assert_eq!(
        store.delete_node(&instance(), NodeKind::SiteGroup, site.id, &change()).await.unwrap(),
        Deleted::Removed
    );
    let counts = counts(&*store, &group).await;
    assert_eq!((counts.site_groups, counts.users), (0, 1), "counters follow deletions");
}

async fn group_ids_are_unique_per_tenant_and_user_ids_per_instance(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let (_, tenant) = group_and_tenant(&*store, "G").await;
    let (_, other_tenant) = group_and_tenant(&*store, "H").await;
    site_group(&*store, &tenant, "Sales", 5).await;
    let dup = store.create_node(new_node(NodeKind::SiteGroup, Some(&tenant), "SALES"), &change()).await;
    assert!(matches!(dup, Err(CreateNodeError::DuplicateName)), "{dup:?}");
    site_group(&*store, &other_tenant, "sales", 5).await;
    // Users are not in the sibling namespace: a user `sales` beside the site group `Sales`.
    let user = create(&*store, NodeKind::User, Some(&tenant), "sales").await;
    let dup = store.create_node(new_node(NodeKind::User, Some(&other_tenant), "SALES"), &change()).await;
    assert!(matches!(dup, Err(CreateNodeError::DuplicateUserId)), "user ids are unique per instance: {dup:?}");
    let mut elsewhere = new_node(NodeKind::Group, None, "G");
    elsewhere.instance = other_instance();
    let elsewhere = store.create_node(elsewhere, &change()).await.unwrap();
    let elsewhere = create(&*store, NodeKind::Tenant, Some(&elsewhere), "T").await;
    create(&*store, NodeKind::User, Some(&elsewhere), "sales").await;
    let second = create(&*store, NodeKind::User, Some(&other_tenant), "second").await;
    let rename = NodeChanges {
        name: Some(NodeName::parse_as(NodeKind::User.name_rule(), "Sales").unwrap()),
        ..Default::default()
    };
    let result = store.update_node(&instance(), NodeKind::User, second.id, rename, &change()).await;
    assert!(matches!(result, Err(UpdateNodeError::DuplicateUserId)), "{result:?}");
    // A tenant id and a user id of the same text live in different namespaces.
    let mut tagged = new_node(NodeKind::Tenant, Some(&group_of(&*store, &tenant).await), "Other");
    tagged.attributes = Attributes::Tenant { tenant_id: TenantId::parse("sales").unwrap() };
    store.create_node(tagged, &change()).await.unwrap();
    assert_eq!(store.delete_node(&instance(), NodeKind::User, user.id, &change()).await.unwrap(), Deleted::Removed);
    create(&*store, NodeKind::User, Some(&other_tenant), "SALES").await;
}

/// The group a tenant is in, to create a sibling tenant.
async fn group_of(store: &dyn Store, tenant: &Node) -> Node {
    let group = tenant.lineage.group.unwrap();
    store.get_node(&instance(), NodeKind::Group, group).await.unwrap().unwrap().node
}

async fn a_site_group_refuses_users_beyond_its_limit_and_a_limit_below_its_users(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let (_, tenant) = group_and_tenant(&*store, "G").await;
    let site = site_group(&*store, &tenant, "s", 2).await;
    create(&*store, NodeKind::User, Some(&site), "u1").await;
    create(&*store, NodeKind::User, Some(&site), "u2").await;
    let refused = store.create_node(new_node(NodeKind::User, Some(&site), "u3"), &change()).await.unwrap_err();
    let CreateNodeError::Invalid(reason) = refused else { panic!("{refused:?}") };
    assert_eq!(reason, canopy_domain::DomainError::UserLimitReached { limit: 2, count: 2 });
    create(&*store, NodeKind::User, Some(&tenant), "u3").await;
    let limit = |value: u32| NodeChanges {
        attributes: Some(
            Attributes::parse_changes(NodeKind::SiteGroup, json!({ "userLimit": value }).as_object().unwrap()).unwrap(),
        ),
        ..Default::default()
    };
    let refused = store.update_node(&instance(), NodeKind::SiteGroup, site.id, limit(1), &change()).await.unwrap_err();
    let UpdateNodeError::Invalid(reason) = refused else { panic!("{refused:?}") };
    assert_eq!(reason, canopy_domain::DomainError::UserLimitBelowCount { limit: 1, count: 2 });
    let view = store.get_node(&instance(), NodeKind::SiteGroup, site.id).await.unwrap().unwrap();
    assert_eq!((view.node.version, view.node.attributes.site_group().unwrap().user_limit()), (site.version, 2));
    let raised = store.update_node(&instance(), NodeKind::SiteGroup, site.id, limit(3), &change()).await.unwrap().node;
    assert_eq!(raised.attributes.site_group().unwrap().user_limit(), 3);
    create(&*store, NodeKind::User, Some(&site), "u4").await;
}

async fn concurrent_creations_never_pass_the_user_limit(store: Arc<dyn Store>, rounds: usize) {
    prepared(&*store).await;
    let (group, tenant) = group_and_tenant(&*store, "G").await;
    for round in 0..rounds.min(10) {
        let site = site_group(&*store, &tenant, &format!("race-{round}"), 10).await;
        let attempts: Vec<_> = (0..20)
            .map(|i| {
                let (store, new) = (store.clone(), new_node(NodeKind::User, Some(&site), &format!("r{round}-u{i}")));
                tokio::spawn(async move { store.create_node(new, &change()).await })
            })
            .collect();
        let mut created = 0;
        for attempt in attempts {
            match attempt.await.unwrap() {
                Ok(_) => created += 1,
                Err(CreateNodeError::Invalid(canopy_domain::DomainError::UserLimitReached { limit: 10, .. })) => {}
                Err(other) => panic!("round {round}: {other:?}"),
            }
        }
        assert_eq!(created, 10, "round {round}: exactly the limit");
        let listed =
            walk(&*store, Some(&site), NodeKind::User, ListParams { page_size: Some(100), ..Default::default() });
        assert_eq!(listed.await.0.len(), 10, "round {round}");
        assert_eq!(counts(&*store, &site).await.users, 10);
        assert_eq!(counts(&*store, &group).await.users, 10 * (round as u64 + 1), "round {round}: exact counters");
    }
}

async fn a_lowered_limit_racing_creations_is_never_overshot(store: Arc<dyn Store>, rounds: usize) {
    prepared(&*store).await;
    let (_, tenant) = group_and_tenant(&*store, "G").await;
    for round in 0..rounds.min(10) {
        let site = site_group(&*store, &tenant, &format!("low-{round}"), 20).await;
        for i in 0..3 {
            create(&*store, NodeKind::User, Some(&site), &format!("l{round}-first{i}")).await;
        }
        let creations: Vec<_> = (0..15)
            .map(|i| {
                let (store, new) = (store.clone(), new_node(NodeKind::User, Some(&site), &format!("l{round}-u{i}")));
                tokio::spawn(async move { store.create_node(new, &change()).await.is_ok() })
            })
            .collect();
        let lowering = {
            let store = store.clone();
            let patch = json!({ "userLimit": 8 });
            let changes = NodeChanges {
                attributes: Some(Attributes::parse_changes(NodeKind::SiteGroup, patch.as_object().unwrap()).unwrap()),
                ..Default::default()
            };
            tokio::spawn(async move {
                store.update_node(&instance(), NodeKind::SiteGroup, site.id, changes, &change()).await
            })
        };
        let mut created = 0;
        for creation in creations {
            created += u64::from(creation.await.unwrap());
        }
        let view = store.get_node(&instance(), NodeKind::SiteGroup, site.id).await.unwrap().unwrap();
        let limit = view.node.attributes.site_group().unwrap().user_limit();
        match lowering.await.unwrap() {
            Ok(_) => assert_eq!(limit, 8, "round {round}"),
            Err(UpdateNodeError::Invalid(canopy_domain::DomainError::UserLimitBelowCount { .. })) => {
                assert_eq!(limit, 20)
            }
            Err(other) => panic!("round {round}: {other:?}"),
        }
        assert_eq!(view.subtree.users, 3 + created, "round {round}: every acknowledged user is counted");
        assert!(
            view.subtree.users <= u64::from(limit),
            "round {round}: {} users over a limit of {limit}",
            view.subtree.users
        );
    }
}

async fn every_node_and_instance_has_its_own_integer_id_never_reused(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let (group, tenant) = group_and_tenant(&*store, "G").await;
    let site = site_group(&*store, &tenant, "s", 5).await;
    let user = create(&*store, NodeKind::User, Some(&site), "u").await;
    let default = store.instance_serial(&instance()).await.unwrap().expect("an ensured instance has an id");
    let other = store.instance_serial(&other_instance()).await.unwrap().unwrap();
    let never = InstanceSlug::parse("never-ensured").unwrap();
    assert_eq!(store.instance_serial(&never).await.unwrap(), None);
    let mut ids = HashSet::from([default, other]);
    for node in [&group, &tenant, &site, &user] {
        assert!(node.serial.0 > 0 && ids.insert(node.serial), "{} has a fresh id", node.kind);
        let found = store.get_node_by_serial(&instance(), node.kind, node.serial).await.unwrap().unwrap();
        assert_eq!(&found.node, node);
    }
    assert!(store.get_node_by_serial(&instance(), NodeKind::Tenant, user.serial).await.unwrap().is_none(), "kind");
    assert!(store.get_node_by_serial(&other_instance(), NodeKind::User, user.serial).await.unwrap().is_none());
    assert!(store.get_node_by_serial(&instance(), NodeKind::Group, default).await.unwrap().is_none(), "an instance's");
    store.ensure_instances(&[instance()]).await.unwrap();
    assert_eq!(store.instance_serial(&instance()).await.unwrap(), Some(default), "ensuring again keeps the id");
    store.delete_node(&instance(), NodeKind::User, user.id, &change()).await.unwrap();
    assert!(store.get_node_by_serial(&instance(), NodeKind::User, user.serial).await.unwrap().is_none());
    let again = create(&*store, NodeKind::User, Some(&site), "u").await;
    assert!(!ids.contains(&again.serial) && again.serial != user.serial, "ids are never reused");
    let reread = store.get_node(&instance(), NodeKind::Group, group.id).await.unwrap().unwrap().node;
    assert_eq!(reread.serial, group.serial, "an id is stable");
    assert!(store.get_node_by_serial(&instance(), NodeKind::Group, Serial(i64::MAX)).await.unwrap().is_none());
    assert!(store.get_node_by_serial(&instance(), NodeKind::Group, Serial(-1)).await.unwrap().is_none());
    assert_ne!(NodeId(uuid::Uuid::nil()), group.id);
}

async fn the_new_levels_attributes_read_back_and_change_as_patches(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let (_, tenant) = group_and_tenant(&*store, "G").await;
    let full = json!({
        "groupName": "Brussels office", "userLimit": 25, "defaultDomain": "brussels.example.com", "cliName": "Acme",
        "cliPhoneNumber": "+32 2 555 01 00", "locationDialingCode": "02", "timeZone": "Europe/Brussels",
        "contactInformation": {"name": "Jane"}, "addressInformation": {"city": "Brussels", "street": {"line1": "Rue Haute 1"}}
    });
    let mut new = new_node(NodeKind::SiteGroup, Some(&tenant), "bxl");
    new.attributes = attributes(NodeKind::SiteGroup, full.clone());
    // The domain registry is checked on creation: registered with the group.
    new.register_domain = true;
    let site = store.create_node(new, &change()).await.unwrap();
    let read = store.get_node(&instance(), NodeKind::SiteGroup, site.id).await.unwrap().unwrap().node;
    assert_eq!(Value::Object(read.attributes.to_wire()), full);
    let mut new = new_node(NodeKind::User, Some(&site), "jane");
    new.attributes = attributes(NodeKind::User, json!({"firstName": "Jane", "lastName": "Doe", "extension": "0123"}));
    let user = store.create_node(new, &change()).await.unwrap();
    let patch = json!({"lastName": "Smith", "extension": null, "phoneNumber": "+32 2 555 01 23"});
    let changes = NodeChanges {
        attributes: Some(Attributes::parse_changes(NodeKind::User, patch.as_object().unwrap()).unwrap()),
        ..Default::default()
    };
    let changed = store.update_node(&instance(), NodeKind::User, user.id, changes, &change()).await.unwrap();
    assert_eq!(changed.account, None, "no e-mail, no account");
    let read = store.get_node(&instance(), NodeKind::User, user.id).await.unwrap().unwrap().node;
    assert_eq!(
        Value::Object(read.attributes.to_wire()),
        json!({"firstName": "Jane", "lastName": "Smith", "phoneNumber": "+32 2 555 01 23"})
    );
    assert_eq!(read, changed.node);
}

pub(crate) const CASES: &[Case] = &[
    case!(a_tenant_holds_site_groups_and_users_counted_on_every_ancestor),
    case!(site_groups_and_users_block_their_holders_deletion_with_counts),
    case!(group_ids_are_unique_per_tenant_and_user_ids_per_instance),
    case!(a_site_group_refuses_users_beyond_its_limit_and_a_limit_below_its_users),
    case!(concurrent_creations_never_pass_the_user_limit),
    case!(a_lowered_limit_racing_creations_is_never_overshot),
    case!(every_node_and_instance_has_its_own_integer_id_never_reused),
    case!(the_new_levels_attributes_read_back_and_change_as_patches),
];
