//! Contract cases of what the portal face (and any face that names every level by one integer
//! id or uuid) needs from the store: finding what an id names whatever its kind.

use crate::accounts::new_admin;
use crate::levels::{group_and_tenant, site_group};
use crate::{Case, case, create, instance, other_instance, prepared};
use canopy_domain::{AdminId, Node, NodeKind, NodeRef, NodeSearch, Serial};
use canopy_storage::{Located, Store};
use std::collections::HashSet;
use std::sync::Arc;

async fn an_integer_id_or_a_uuid_names_a_node_of_any_kind_or_the_instance_root(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let (group, tenant) = group_and_tenant(&*store, "G").await;
    let site = site_group(&*store, &tenant, "s", 5).await;
    let user = create(&*store, NodeKind::User, Some(&site), "u").await;
    for node in [&group, &tenant, &site, &user] {
        for named in [NodeRef::Uuid(node.id), NodeRef::Serial(node.serial)] {
            let found = store.locate(&instance(), named).await.unwrap();
            let Some(Located::Node { view, parent }) = found else { panic!("{} by {named}: {found:?}", node.kind) };
            assert_eq!(&view.node, node, "{} by {named}", node.kind);
            let expected = match node.kind {
                NodeKind::Group => store.instance_serial(&instance()).await.unwrap().unwrap(),
                NodeKind::Tenant => group.serial,
                NodeKind::SiteGroup => tenant.serial,
                _ => site.serial,
            };
            assert_eq!(parent, expected, "the parent's integer id of the {}", node.kind);
        }
        let elsewhere = store.locate(&other_instance(), NodeRef::Serial(node.serial)).await.unwrap();
        assert_eq!(elsewhere, None, "another instance's {} is not found", node.kind);
    }
    let found = store.locate(&instance(), NodeRef::Uuid(tenant.id)).await.unwrap();
    let Some(Located::Node { view, .. }) = found else { panic!("the tenant") };
    assert_eq!(view.subtree.users, 1, "with its subtree's counters");
    let root = store.instance_serial(&instance()).await.unwrap().unwrap();
    assert_eq!(store.locate(&instance(), NodeRef::Serial(root)).await.unwrap(), Some(Located::Instance));
    assert_eq!(store.locate(&other_instance(), NodeRef::Serial(root)).await.unwrap(), None, "not its root");
    for absent in [Serial(i64::MAX), Serial(0), Serial(-1)] {
        assert_eq!(store.locate(&instance(), NodeRef::Serial(absent)).await.unwrap(), None);
    }
    assert_eq!(store.locate(&instance(), NodeRef::from(uuid::Uuid::new_v4())).await.unwrap(), None);
}

async fn a_search_by_name_prefix_finds_every_level_but_users_in_the_subtree_in_name_order(
    store: Arc<dyn Store>,
    _: usize,
) {
    prepared(&*store).await;
    let (group, tenant) = group_and_tenant(&*store, "Acme").await;
    let site = site_group(&*store, &tenant, "acme-site", 5).await;
    create(&*store, NodeKind::User, Some(&site), "acme-user").await;
    let (_, other_tenant) = group_and_tenant(&*store, "ACME Two").await;
    let (beta, _) = group_and_tenant(&*store, "Beta").await;
    let search = |prefix: &str, strict: bool, within: Option<&Node>, limit: Option<u64>| {
        NodeSearch::parse(instance(), within.map(|n| n.id), prefix, strict, limit).unwrap()
    };
    let names = |found: Vec<Node>| found.into_iter().map(|n| n.name.as_str().to_owned()).collect::<Vec<_>>();
    let all = store.search_nodes(&search("acme", false, None, None)).await.unwrap();
    assert_eq!(names(all), ["Acme", "ACME Two", "acme-site"], "name order by key, users never");
    let strict = store.search_nodes(&search("ACME", true, None, None)).await.unwrap();
    assert_eq!(names(strict), ["Acme"]);
    let within = store.search_nodes(&search("", false, Some(&group), None)).await.unwrap();
    assert_eq!(names(within), ["Acme", "acme-site", "T"], "the subtree only, itself included");
    let limited = store.search_nodes(&search("", false, None, Some(2))).await.unwrap();
    assert_eq!(limited.len(), 2);
    let tenants = store.search_nodes(&search("t", true, None, None)).await.unwrap();
    let ids: HashSet<_> = tenants.iter().map(|n| n.id).collect();
    assert!(tenants.len() == 3 && ids.contains(&tenant.id) && ids.contains(&other_tenant.id), "{tenants:?}");
    let under_beta = store.search_nodes(&search("t", true, Some(&beta), None)).await.unwrap();
    assert_eq!(under_beta.len(), 1);
    let elsewhere = NodeSearch::parse(other_instance(), None, "acme", false, None).unwrap();
    assert!(store.search_nodes(&elsewhere).await.unwrap().is_empty(), "another instance's");
}

async fn an_administrator_is_found_by_its_integer_id_in_its_instance_only(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let (group, _) = group_and_tenant(&*store, "G").await;
    let new = new_admin(instance(), Some((NodeKind::Group, group.id)), "admin@example.com");
    let admin = store.create_admin(new, &crate::change()).await.unwrap();
    assert_eq!(store.get_admin(&instance(), admin.id).await.unwrap(), Some(admin.clone()));
    assert_eq!(store.get_admin(&other_instance(), admin.id).await.unwrap(), None, "another instance's");
    assert_eq!(store.get_admin(&instance(), AdminId(admin.id.0 + 1000)).await.unwrap(), None);
    store.delete_admin(admin.id, &crate::change()).await.unwrap();
    assert_eq!(store.get_admin(&instance(), admin.id).await.unwrap(), None, "deleted");
}

async fn a_search_finds_the_administrators_of_the_subtree_by_e_mail_prefix_never_end_users(
    store: Arc<dyn Store>,
    _: usize,
) {
    prepared(&*store).await;
    let (group, tenant) = group_and_tenant(&*store, "G").await;
    let (other, _) = group_and_tenant(&*store, "Other").await;
    let user = create(&*store, NodeKind::User, Some(&tenant), "u").await;
    let homes = [
        (None, "acme-root@example.com"),
        (Some((NodeKind::Group, group.id)), "Acme-Group@example.com"),
        (Some((NodeKind::Tenant, tenant.id)), "acme-tenant@example.com"),
        (Some((NodeKind::Group, other.id)), "acme-other@example.com"),
        (Some((NodeKind::User, user.id)), "acme-user@example.com"),
    ];
    for (home, email) in homes {
        store.create_admin(new_admin(instance(), home, email), &crate::change()).await.unwrap();
    }
    let search = |prefix: &str, strict: bool, within: Option<&Node>, limit: Option<u64>| {
        NodeSearch::parse(instance(), within.map(|n| n.id), prefix, strict, limit).unwrap()
    };
    let emails =
        |found: Vec<canopy_domain::Admin>| found.into_iter().map(|a| a.email.key().to_owned()).collect::<Vec<_>>();
    let all = store.search_admins(&search("ACME", false, None, None)).await.unwrap();
    assert_eq!(
        emails(all),
        ["acme-group@example.com", "acme-other@example.com", "acme-root@example.com", "acme-tenant@example.com"],
        "e-mail order, end users never"
    );
    let within = store.search_admins(&search("acme", false, Some(&group), None)).await.unwrap();
    assert_eq!(emails(within), ["acme-group@example.com", "acme-tenant@example.com"], "the subtree, its own node's");
    let below = store.search_admins(&search("acme", false, Some(&tenant), None)).await.unwrap();
    assert_eq!(emails(below), ["acme-tenant@example.com"]);
    let strict = store.search_admins(&search("acme-root@example.com", true, None, None)).await.unwrap();
    assert_eq!(emails(strict), ["acme-root@example.com"]);
    assert!(store.search_admins(&search("acme-root", true, None, None)).await.unwrap().is_empty(), "strict: whole");
    assert_eq!(store.search_admins(&search("acme", false, None, Some(1))).await.unwrap().len(), 1);
    let elsewhere = NodeSearch::parse(other_instance(), None, "acme", false, None).unwrap();
    assert!(store.search_admins(&elsewhere).await.unwrap().is_empty(), "another instance's");
}

pub(crate) const CASES: &[Case] = &[
    case!(a_search_finds_the_administrators_of_the_subtree_by_e_mail_prefix_never_end_users),
    case!(an_administrator_is_found_by_its_integer_id_in_its_instance_only),
    case!(an_integer_id_or_a_uuid_names_a_node_of_any_kind_or_the_instance_root),
    case!(a_search_by_name_prefix_finds_every_level_but_users_in_the_subtree_in_name_order),
];
