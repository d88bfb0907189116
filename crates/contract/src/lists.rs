//! Contract cases of listing: order, paging, sorting, search and totals.

use crate::accounts::new_admin;
use crate::{Case, case, change, create, instance, key, names, new_node, other_instance, prepared, request, walk};
use canopy_domain::{
    AdminDetails, AdminScope, Attributes, COUNT_LIMIT, DraasDomain, ListItem, ListParams, NodeId, NodeKind, NodeScope,
    PageRequest, TenantId,
};
use canopy_storage::Store;
use std::sync::Arc;

async fn lists_page_through_every_node_in_name_order(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let mut expected = Vec::new();
    for i in 0..23 {
        let name = format!("Group {i:02}");
        create(&*store, NodeKind::Group, None, &name).await;
        expected.push(name);
    }
    let mut elsewhere = new_node(NodeKind::Group, None, "Group in another instance");
    elsewhere.instance = other_instance();
    store.create_node(elsewhere, &change()).await.unwrap();
    let group = create(&*store, NodeKind::Group, None, "zz parent").await;
    create(&*store, NodeKind::Tenant, Some(&group), "A tenant").await;
    expected.push("zz parent".into());
    let (all, total) =
        walk(&*store, None, NodeKind::Group, ListParams { page_size: Some(5), ..Default::default() }).await;
    assert_eq!(names(&all), expected);
    assert_eq!(total, 24);
    let (tenants, total) = walk(&*store, Some(&group), NodeKind::Tenant, ListParams::default()).await;
    assert_eq!((names(&tenants), total), (vec!["A tenant".to_owned()], 1));
    let (none, total) = walk(&*store, Some(&group), NodeKind::Reseller, ListParams::default()).await;
    assert_eq!((none.len(), total), (0, 0));
}

async fn lists_sort_by_every_searchable_field_in_both_directions(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    for (name, tenant_id) in [("b", "Z9"), ("A", "y1"), ("c", "x5"), ("B2", "w0"), ("a1", "v3")] {
        let mut new = new_node(NodeKind::Tenant, Some(&group), name);
        new.attributes = Attributes::Tenant { tenant_id: TenantId::parse(tenant_id).unwrap() };
        store.create_node(new, &change()).await.unwrap();
    }
    for (sort, dir) in [
        ("name", "asc"),
        ("name", "desc"),
        ("uuid", "asc"),
        ("uuid", "desc"),
        ("tenantId", "asc"),
        ("tenantId", "desc"),
    ] {
        let params =
            ListParams { sort: Some(sort.into()), dir: Some(dir.into()), page_size: Some(2), ..Default::default() };
        let (all, total) = walk(&*store, Some(&group), NodeKind::Tenant, params).await;
        assert_eq!(total, 5);
        let mut expected = all.clone();
        expected.sort_by_key(|n| match sort {
            "name" => (n.name.key().to_owned(), n.id),
            "uuid" => (String::new(), n.id),
            _ => (n.tenant_id().unwrap().key().to_owned(), n.id),
        });
        if dir == "desc" {
            expected.reverse();
        }
        assert_eq!(names(&all), names(&expected), "sort={sort} dir={dir}");
        assert_eq!(all.len(), 5);
    }
    let (by_tenant_id, _) = walk(
        &*store,
        Some(&group),
        NodeKind::Tenant,
        ListParams { sort: Some("tenantId".into()), ..Default::default() },
    )
    .await;
    assert_eq!(names(&by_tenant_id), ["a1", "B2", "c", "A", "b"]);
    for (name, domain) in [("g1", Some("b.example")), ("g2", None), ("g3", Some("a.example"))] {
        let mut new = new_node(NodeKind::Group, None, name);
        new.attributes = Attributes::Group { draas_domain: domain.map(|d| DraasDomain::parse(d).unwrap()) };
        store.create_node(new, &change()).await.unwrap();
    }
    let params = ListParams { sort: Some("draasDomain".into()), dir: Some("desc".into()), ..Default::default() };
    let (groups, _) = walk(&*store, None, NodeKind::Group, params).await;
    assert_eq!(&names(&groups)[..2], ["g1", "g3"]);
}

async fn lists_filter_by_search_and_count_the_matches(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    for i in 0..12 {
        let name = if i % 3 == 0 { format!("Blue {i}") } else { format!("Red {i}") };
        let mut new = new_node(NodeKind::Group, None, &name);
        new.attributes =
            Attributes::Group { draas_domain: (i == 1).then(|| DraasDomain::parse("blue.example").unwrap()) };
        store.create_node(new, &change()).await.unwrap();
    }
    let literal = create(&*store, NodeKind::Group, None, "100% _done_").await;
    let search =
        |text: &str, size: u64| ListParams { search: Some(text.into()), page_size: Some(size), ..Default::default() };
    let (blue, total) = walk(&*store, None, NodeKind::Group, search("BLUE", 2)).await;
    assert_eq!(total, 5, "four names and one domain match");
    assert_eq!(names(&blue), ["Blue 0", "Blue 3", "Blue 6", "Blue 9", "Red 1"]);
    let (found, total) = walk(&*store, None, NodeKind::Group, search("0% _", 10)).await;
    assert_eq!((names(&found), total), (vec![literal.name.as_str().to_owned()], 1), "% and _ are literal");
    let (by_uuid, _) = walk(&*store, None, NodeKind::Group, search(&literal.id.to_string()[..8], 10)).await;
    assert!(by_uuid.iter().any(|n| n.id == literal.id));
    let (none, total) = walk(&*store, None, NodeKind::Group, search("nothing like it", 10)).await;
    assert_eq!((none.len(), total), (0, 0));
}

/// A searched list counts its matches up to one past `COUNT_LIMIT` (what `Listed` needs to say
/// there are more), an unsearched one every node; both still page through every match.
async fn a_searched_count_stops_one_past_the_limit_and_the_list_goes_on(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let over = COUNT_LIMIT + 4;
    for i in 0..over {
        create(&*store, NodeKind::Group, None, &format!("Many {i:05}")).await;
    }
    create(&*store, NodeKind::Group, None, "Other").await;
    let searched = request(None, NodeKind::Group, ListParams { search: Some("many".into()), ..Default::default() });
    let first = store.list_nodes(&searched).await.unwrap();
    assert_eq!((first.total, first.more), (COUNT_LIMIT + 1, true), "one past the limit, no further");
    let listed = searched.listed(first, &key());
    assert_eq!((listed.results, listed.results_capped, listed.pages), (COUNT_LIMIT, true, COUNT_LIMIT / 10));
    let few = request(None, NodeKind::Group, ListParams { search: Some("other".into()), ..Default::default() });
    assert_eq!(store.list_nodes(&few).await.unwrap().total, 1, "under the limit, exact");
    let all = store.list_nodes(&request(None, NodeKind::Group, ListParams::default())).await.unwrap();
    assert_eq!(all.total, over + 1, "an unsearched list counts every node");
    let search = ListParams { search: Some("many".into()), page_size: Some(500), ..Default::default() };
    let (every, _) = walk(&*store, None, NodeKind::Group, search).await;
    assert_eq!(every.len() as u64, over, "`next` reaches every match past the limit");
}

async fn a_page_number_skips_whole_pages(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    for i in 0..7 {
        create(&*store, NodeKind::Group, None, &format!("G{i}")).await;
    }
    let page =
        |n: u64| request(None, NodeKind::Group, ListParams { page: Some(n), page_size: Some(3), ..Default::default() });
    let third = store.list_nodes(&page(3)).await.unwrap();
    assert_eq!((names(&third.items), third.total, third.more), (vec!["G6".to_owned()], 7, false));
    let second = store.list_nodes(&page(2)).await.unwrap();
    assert_eq!((names(&second.items), second.more), (vec!["G3".to_owned(), "G4".into(), "G5".into()], true));
    assert!(store.list_nodes(&page(9)).await.unwrap().items.is_empty());
}

async fn lists_cut_to_a_subtree_count_and_page_only_its_nodes(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let mut groups = vec![];
    for i in 0..5 {
        groups.push(create(&*store, NodeKind::Group, None, &format!("G{i}")).await);
    }
    let mine = &groups[3];
    let cut = |params: ListParams, within| {
        let scope = NodeScope { instance: instance(), parent: None, kind: NodeKind::Group, within };
        PageRequest::resolve(scope, params, &key()).unwrap()
    };
    for sort in ["name", "uuid", "draasDomain"] {
        let params = ListParams { sort: Some(sort.into()), page_size: Some(1), ..Default::default() };
        let page = store.list_nodes(&cut(params, Some(mine.id))).await.unwrap();
        assert_eq!((names(&page.items), page.total, page.more), (vec!["G3".to_owned()], 1, false), "{sort}");
    }
    let searched = ListParams { search: Some("g".into()), ..Default::default() };
    assert_eq!(store.list_nodes(&cut(searched, Some(mine.id))).await.unwrap().total, 1);
    let tenant = create(&*store, NodeKind::Tenant, Some(&groups[0]), "T").await;
    let page = store.list_nodes(&cut(ListParams::default(), Some(tenant.id))).await.unwrap();
    assert_eq!((page.items.len(), page.total), (0, 0), "a group above the subtree is not in it");
    assert_eq!(store.list_nodes(&cut(ListParams::default(), None)).await.unwrap().total, 5);
}

async fn users_and_site_groups_sort_and_search_by_their_own_fields(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let (_, tenant) = crate::levels::group_and_tenant(&*store, "G").await;
    for (id, first, last) in [("u1", "Zoé", "adams"), ("u2", "anna", "Zimmer"), ("u3", "Bert", "Müller")] {
        let mut new = new_node(NodeKind::User, Some(&tenant), id);
        let value = serde_json::json!({ "firstName": first, "lastName": last });
        new.attributes = crate::levels::attributes(NodeKind::User, value);
        store.create_node(new, &change()).await.unwrap();
    }
    let sorted = |sort: &str, dir: &str| ListParams {
        sort: Some(sort.into()),
        dir: Some(dir.into()),
        page_size: Some(2),
        ..Default::default()
    };
    let users = |params| async { names(&walk(&*store, Some(&tenant), NodeKind::User, params).await.0) };
    assert_eq!(users(sorted("lastName", "asc")).await, ["u1", "u3", "u2"], "case-insensitive keys");
    assert_eq!(users(sorted("firstName", "desc")).await, ["u1", "u3", "u2"]);
    let search = ListParams { search: Some("MÜL".into()), ..Default::default() };
    assert_eq!(users(search).await, ["u3"], "a search looks into the names");
    for (name, group_name) in [("s1", "Paris"), ("s2", "amsterdam"), ("s3", "")] {
        let mut new = new_node(NodeKind::SiteGroup, Some(&tenant), name);
        let value = serde_json::json!({ "groupName": group_name, "userLimit": 3 });
        new.attributes = crate::levels::attributes(NodeKind::SiteGroup, value);
        store.create_node(new, &change()).await.unwrap();
    }
    let sites = walk(&*store, Some(&tenant), NodeKind::SiteGroup, sorted("groupName", "asc")).await;
    assert_eq!((names(&sites.0), sites.1), (vec!["s3".to_owned(), "s2".into(), "s1".into()], 3));
}

/// Every page of the administrators homed at `home`, following `next` tokens; the first total.
async fn walk_admins(store: &dyn Store, home: Option<NodeId>, params: ListParams) -> (Vec<String>, u64) {
    let scope = AdminScope { instance: instance(), home };
    let mut req = PageRequest::resolve(scope.clone(), params, &key()).unwrap();
    let mut emails = Vec::new();
    loop {
        let page = store.page_admins(&req).await.unwrap();
        assert!(page.items.len() <= req.query.page_size.get() as usize);
        emails.extend(page.items.iter().map(|admin| admin.email.as_str().to_owned()));
        let last = page.items.last().map(|admin| admin.cursor(req.query.sort));
        match req.next_token(page.total, last, page.more, &key()) {
            Some(token) => {
                let next = ListParams { next: Some(token), ..Default::default() };
                req = PageRequest::resolve(scope.clone(), next, &key()).unwrap();
            }
            None => return (emails, page.total),
        }
    }
}

async fn administrators_page_by_email_with_search_and_next_tokens(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let group = create(&*store, NodeKind::Group, None, "G").await;
    let other = create(&*store, NodeKind::Group, None, "Other").await;
    let home = Some((NodeKind::Group, group.id));
    let mut expected = Vec::new();
    for i in [7, 3, 11, 0, 9, 1, 12, 5, 10, 2, 8, 4, 6] {
        let mut new = new_admin(instance(), home, &format!("admin{i:02}@example.com"));
        if i % 4 == 0 {
            new.details = AdminDetails { last_name: Some(format!("Zebra{i}")), ..AdminDetails::default() };
        }
        store.create_admin(new, &change()).await.unwrap();
        expected.push(format!("admin{i:02}@example.com"));
    }
    expected.sort();
    store
        .create_admin(new_admin(instance(), Some((NodeKind::Group, other.id)), "b@example.com"), &change())
        .await
        .unwrap();
    store.create_admin(new_admin(instance(), None, "root@example.com"), &change()).await.unwrap();

    let paged = ListParams { page_size: Some(5), ..Default::default() };
    assert_eq!(walk_admins(&*store, Some(group.id), paged.clone()).await, (expected.clone(), 13));
    let reversed = ListParams { dir: Some("desc".into()), ..paged.clone() };
    let (mut backwards, total) = walk_admins(&*store, Some(group.id), reversed).await;
    backwards.reverse();
    assert_eq!((backwards, total), (expected.clone(), 13));
    // The search: an e-mail's part, or a last name in another case.
    let by_name = ListParams { search: Some("zebra".into()), page_size: Some(2), ..Default::default() };
    let zebras = ["admin00@example.com", "admin04@example.com", "admin08@example.com", "admin12@example.com"];
    assert_eq!(walk_admins(&*store, Some(group.id), by_name).await, (zebras.map(str::to_owned).to_vec(), 4));
    let by_email = ListParams { search: Some("admin1".into()), ..Default::default() };
    assert_eq!(walk_admins(&*store, Some(group.id), by_email).await.1, 3);
    // A page by number skips whole pages; other holders' administrators are never listed.
    let third = ListParams { page: Some(3), page_size: Some(5), ..Default::default() };
    let third = PageRequest::resolve(AdminScope { instance: instance(), home: Some(group.id) }, third, &key()).unwrap();
    let page = store.page_admins(&third).await.unwrap();
    let emails: Vec<_> = page.items.iter().map(|admin| admin.email.as_str().to_owned()).collect();
    assert_eq!(emails, expected[10..]);
    assert_eq!(
        walk_admins(&*store, Some(other.id), ListParams::default()).await,
        (vec!["b@example.com".to_owned()], 1)
    );
    assert_eq!(walk_admins(&*store, None, ListParams::default()).await, (vec!["root@example.com".to_owned()], 1));
}

pub(crate) const CASES: &[Case] = &[
    case!(users_and_site_groups_sort_and_search_by_their_own_fields),
    case!(lists_page_through_every_node_in_name_order),
    case!(lists_sort_by_every_searchable_field_in_both_directions),
    case!(lists_filter_by_search_and_count_the_matches),
    case!(a_searched_count_stops_one_past_the_limit_and_the_list_goes_on),
    case!(a_page_number_skips_whole_pages),
    case!(lists_cut_to_a_subtree_count_and_page_only_its_nodes),
    case!(administrators_page_by_email_with_search_and_next_tokens),
];
