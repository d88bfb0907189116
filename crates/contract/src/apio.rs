//! Contract cases of what the APIO face stores and looks up: nodes found by their face keys, the
//! OCI-style search of a tenant's site groups (checked against the domain's own rules over a few
//! hundred generated groups), and users' authorization codes (all or nothing, one winner per code
//! under races, gone with their user).

use crate::levels::{attributes, group_and_tenant, site_group};
use crate::{Case, case, change, create, instance, new_node, other_instance, prepared};
use canopy_domain::{
    Attributes, AuthCode, AuthCodeEntry, Criterion, DomainError, DraasDomain, GroupSearch, NewCodes, Node, NodeKey,
    NodeKind, SortOrder, Window,
};
use canopy_storage::{AssignDomainError, CodesError, CreateNodeError, NodeChanges, Store, UpdateNodeError};
use serde_json::json;
use std::sync::Arc;
use uuid::Uuid;

async fn nodes_are_found_by_their_face_keys_case_insensitively(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let (_, tenant) = group_and_tenant(&*store, "G").await;
    let (_, other_tenant) = group_and_tenant(&*store, "G2").await;
    let site = site_group(&*store, &tenant, "Sales", 5).await;
    let user_id = format!("Jane.{}@Example.com", Uuid::new_v4().simple());
    let user = create(&*store, NodeKind::User, Some(&site), &user_id).await;
    let tenant_id = tenant.tenant_id().unwrap().as_str().to_uppercase();
    let found = |key: NodeKey| {
        let store = store.clone();
        async move { store.find_node(&instance(), &key).await.unwrap().map(|view| view.node.id) }
    };
    assert_eq!(found(NodeKey::tenant(&tenant_id)).await, Some(tenant.id));
    assert_eq!(found(NodeKey::site_group(tenant.id, "SALES")).await, Some(site.id));
    assert_eq!(found(NodeKey::site_group(other_tenant.id, "sales")).await, None, "a groupId is its tenant's");
    assert_eq!(found(NodeKey::user(&user_id.to_lowercase())).await, Some(user.id));
    assert_eq!(found(NodeKey::tenant("no-such-tenant")).await, None);
    assert_eq!(found(NodeKey::user("sales")).await, None, "a site group is no user");
    let elsewhere = store.find_node(&other_instance(), &NodeKey::tenant(&tenant_id)).await.unwrap();
    assert!(elsewhere.is_none(), "keys are unique per instance");
    let view = store.find_node(&instance(), &NodeKey::site_group(tenant.id, "sales")).await.unwrap().unwrap();
    assert_eq!(view.subtree.users, 1, "with its counters");
}

/// A site group of `tenant` named `group_id`, with `group_name` and a user limit.
async fn named_group(store: &dyn Store, tenant: &Node, group_id: &str, group_name: &str) -> Node {
    let mut new = new_node(NodeKind::SiteGroup, Some(tenant), group_id);
    new.attributes = attributes(NodeKind::SiteGroup, json!({ "userLimit": 10, "groupName": group_name }));
    store.create_node(new, &change()).await.unwrap()
}

async fn a_site_group_search_filters_orders_and_cuts_as_the_domain_rules_say(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let (_, tenant) = group_and_tenant(&*store, "G").await;
    let (_, other) = group_and_tenant(&*store, "G2").await;
    named_group(&*store, &other, "Alpha-1", "Alpha").await;
    // Ids and names drawn from few letters in both cases, so criteria match many, sorts tie often
    // (names repeat), and case matters; `%`, `_` and `.` are plain characters.
    let letters = ["a", "B", "b", "A", "_", ".", "c"];
    let name_letters = ["a", "B", "b", "A", "_", "%", "c"];
    let mut groups = vec![];
    for i in 0..240usize {
        let id = format!("{}{}{}-{i}", letters[i % 7], letters[(i / 7) % 7], letters[(i / 3) % 5]);
        let name = format!("{}{} Team", name_letters[(i * 5) % 7], name_letters[(i / 11) % 7]);
        groups.push(named_group(&*store, &tenant, &id, &name).await);
    }
    let criteria = |pairs: &[(&str, &str)]| -> Vec<Criterion> {
        pairs.iter().map(|(name, value)| Criterion::named(name, value).unwrap().unwrap()).collect()
    };
    let sorts = |names: &[&str]| -> Vec<SortOrder> { names.iter().map(|n| SortOrder::parse(n).unwrap()).collect() };
    let cases = [
        (criteria(&[]), sorts(&[]), Window::default()),
        (criteria(&[("sensitiveGroupIdStarts", "a")]), sorts(&["sensitiveDescendingGroupId"]), Window::default()),
        (
            criteria(&[("insensitiveGroupIdStarts", "A")]),
            sorts(&["insensitiveAscendingGroupName"]),
            Window::paged(3, 7).unwrap(),
        ),
        (criteria(&[("sensitiveGroupIdContains", "_")]), sorts(&[]), Window::limited(Some(5)).unwrap()),
        (criteria(&[("insensitiveGroupIdContains", ".B")]), sorts(&["sensitiveAscendingGroupName"]), Window::default()),
        (criteria(&[("sensitiveGroupIdEquals", "aaa-0")]), sorts(&[]), Window::default()),
        (criteria(&[("insensitiveGroupIdEquals", "AAA-0")]), sorts(&[]), Window::default()),
        (
            criteria(&[("sensitiveGroupNameStarts", "B")]),
            sorts(&["sensitiveDescendingGroupName", "insensitiveDescendingGroupId"]),
            Window::paged(2, 4).unwrap(),
        ),
        (
            criteria(&[("insensitiveGroupNameStarts", "b")]),
            sorts(&["insensitiveDescendingGroupName"]),
            Window::paged(10, 10).unwrap(),
        ),
        (criteria(&[("sensitiveGroupNameContains", "% T")]), sorts(&[]), Window::default()),
        (
            criteria(&[("insensitiveGroupNameContains", "a t")]),
            sorts(&["insensitiveAscendingGroupName", "sensitiveAscendingGroupId"]),
            Window::paged(1, 1000).unwrap(),
        ),
        (criteria(&[("sensitiveGroupNameEquals", "ab Team")]), sorts(&[]), Window::default()),
        (
            criteria(&[("insensitiveGroupNameEquals", "AB TEAM")]),
            sorts(&["sensitiveDescendingGroupName"]),
            Window::default(),
        ),
        (
            criteria(&[("insensitiveGroupIdStarts", "b"), ("insensitiveGroupNameContains", "b")]),
            sorts(&["sensitiveAscendingGroupName", "sensitiveDescendingGroupId", "insensitiveAscendingGroupId"]),
            Window::paged(4, 3).unwrap(),
        ),
        (criteria(&[("sensitiveGroupIdStarts", "zzz")]), sorts(&[]), Window::default()),
        (criteria(&[]), sorts(&["insensitiveAscendingGroupName"]), Window::paged(500, 10).unwrap()),
    ];
    for (criteria, sorts, window) in cases {
        let search = GroupSearch::new(criteria, sorts, window).unwrap();
        let mut expected: Vec<&Node> = groups.iter().filter(|g| search.matches(g)).collect();
        expected.sort_by(|a, b| search.compare(a, b));
        let total = expected.len() as u64;
        let expected: Vec<&str> = search.cut(expected).into_iter().map(|g| g.name.as_str()).collect();
        let found = store.search_site_groups(&instance(), tenant.id, &search).await.unwrap();
        let got: Vec<&str> = found.groups.iter().map(|g| g.name.as_str()).collect();
        assert_eq!((got, found.total), (expected, total), "{search:?}");
    }
}

fn entries(codes: &[&str]) -> NewCodes {
    NewCodes::new(codes.iter().map(|code| AuthCodeEntry::parse(code, Some("test")).unwrap()).collect()).unwrap()
}

fn code(raw: &str) -> AuthCode {
    AuthCode::parse(raw).unwrap()
}

async fn user_of(store: &dyn Store, name: &str) -> Node {
    let (_, tenant) = group_and_tenant(store, name).await;
    let site = site_group(store, &tenant, "s", 5).await;
    create(store, NodeKind::User, Some(&site), &format!("u{}", Uuid::new_v4().simple())).await
}

async fn listed(store: &dyn Store, user: &Node) -> Vec<String> {
    let codes = store.list_codes(&instance(), user.id).await.unwrap().expect("the user exists");
    codes.into_iter().map(|entry| entry.code.as_str().to_owned()).collect()
}

async fn authorization_codes_are_added_whole_or_not_at_all(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let user = user_of(&*store, "G").await;
    assert_eq!(listed(&*store, &user).await, Vec::<String>::new());
    store.add_codes(&instance(), user.id, &entries(&["02", "01"]), &change()).await.unwrap();
    let refused = store.add_codes(&instance(), user.id, &entries(&["03", "02", "04"]), &change()).await;
    match refused {
        Err(CodesError::Invalid(DomainError::DuplicateCodes(codes))) => assert_eq!(codes, vec![code("02")]),
        other => panic!("expected the duplicate named, got {other:?}"),
    }
    assert_eq!(listed(&*store, &user).await, ["01", "02"], "nothing of the refused list, in code order");
    let many: Vec<String> = (0..998).map(|n| format!("{:05}", n + 100)).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    store.add_codes(&instance(), user.id, &entries(&many), &change()).await.unwrap();
    let over = store.add_codes(&instance(), user.id, &entries(&["77"]), &change()).await;
    assert!(matches!(over, Err(CodesError::Invalid(DomainError::Invalid { .. }))), "at most 1000: {over:?}");
    store.delete_codes(&instance(), user.id, &[code("01"), code("99")], &change()).await.unwrap();
    assert_eq!(listed(&*store, &user).await.len(), 999, "the absent code is no error");
    let absent = canopy_domain::NodeId(Uuid::new_v4());
    assert!(store.list_codes(&instance(), absent).await.unwrap().is_none());
    let gone = store.add_codes(&instance(), absent, &entries(&["01"]), &change()).await;
    assert!(matches!(gone, Err(CodesError::UserNotFound)), "{gone:?}");
}

async fn authorization_codes_go_with_their_user(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let user = user_of(&*store, "G").await;
    store.add_codes(&instance(), user.id, &entries(&["4711"]), &change()).await.unwrap();
    store.delete_node(&instance(), NodeKind::User, user.id, &change()).await.unwrap();
    assert!(store.list_codes(&instance(), user.id).await.unwrap().is_none());
    let elsewhere = store.list_codes(&other_instance(), user.id).await.unwrap();
    assert!(elsewhere.is_none(), "a user is its instance's");
}

/// Lists of codes that overlap pairwise race for one user: each code is added by exactly one
/// list, every list applies whole or not at all.
async fn concurrent_overlapping_code_lists_admit_each_code_exactly_once(store: Arc<dyn Store>, rounds: usize) {
    prepared(&*store).await;
    for round in 0..rounds.min(10) {
        let user = user_of(&*store, &format!("Codes {round}")).await;
        let lists: Vec<Vec<String>> = (0..12).map(|i| vec![format!("{:02}", i), format!("{:02}", i + 1)]).collect();
        let mut attempts = vec![];
        for list in lists.clone() {
            let store = store.clone();
            attempts.push(tokio::spawn(async move {
                let codes: Vec<&str> = list.iter().map(String::as_str).collect();
                store.add_codes(&instance(), user.id, &entries(&codes), &change()).await
            }));
        }
        let mut applied = vec![];
        for (list, attempt) in lists.into_iter().zip(attempts) {
            match attempt.await.unwrap() {
                Ok(()) => applied.extend(list),
                Err(CodesError::Invalid(DomainError::DuplicateCodes(_))) => {}
                Err(other) => panic!("unexpected: {other:?}"),
            }
        }
        applied.sort();
        let before = applied.len();
        applied.dedup();
        assert_eq!(before, applied.len(), "round {round}: a code added by two lists");
        assert_eq!(listed(&*store, &user).await, applied, "round {round}: exactly the codes of the lists applied");
        assert!(!applied.is_empty());
    }
}

async fn domains_are_kept_per_instance_and_assigned_to_tenants(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let (_, tenant) = group_and_tenant(&*store, "G").await;
    let domain = |name: &str| DraasDomain::parse(name).unwrap();
    assert!(store.add_domain(&instance(), &domain("b.example"), &change()).await.unwrap());
    assert!(store.add_domain(&instance(), &domain("a.example"), &change()).await.unwrap());
    assert!(!store.add_domain(&instance(), &domain("a.example"), &change()).await.unwrap(), "once");
    assert_eq!(store.list_domains(&instance()).await.unwrap(), [domain("a.example"), domain("b.example")]);
    assert!(store.list_domains(&other_instance()).await.unwrap().is_empty(), "per instance");
    let unknown = store.assign_domain(&instance(), tenant.id, &domain("c.example"), &change()).await;
    assert!(matches!(unknown, Err(AssignDomainError::UnknownDomain)), "{unknown:?}");
    assert!(store.assign_domain(&instance(), tenant.id, &domain("b.example"), &change()).await.unwrap());
    assert!(!store.assign_domain(&instance(), tenant.id, &domain("b.example"), &change()).await.unwrap());
    assert_eq!(store.tenant_domains(&instance(), tenant.id).await.unwrap(), Some(vec![domain("b.example")]));
    let elsewhere = store.assign_domain(&other_instance(), tenant.id, &domain("b.example"), &change()).await;
    assert!(matches!(elsewhere, Err(AssignDomainError::TenantNotFound)), "{elsewhere:?}");
    store.delete_node(&instance(), NodeKind::Tenant, tenant.id, &change()).await.unwrap();
    assert_eq!(store.tenant_domains(&instance(), tenant.id).await.unwrap(), None, "gone with the tenant");
    assert_eq!(store.list_domains(&instance()).await.unwrap().len(), 2, "the instance keeps its domains");
}

async fn a_site_groups_default_domain_is_its_tenants_or_registered_with_it(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let (_, tenant) = group_and_tenant(&*store, "G").await;
    let with_domain = |name: &str, domain: &str, register: bool| {
        let mut new = new_node(NodeKind::SiteGroup, Some(&tenant), name);
        new.attributes = attributes(NodeKind::SiteGroup, json!({ "userLimit": 5, "defaultDomain": domain }));
        new.register_domain = register;
        new
    };
    let refused = store.create_node(with_domain("s1", "voice.example", false), &change()).await;
    match refused {
        Err(CreateNodeError::Invalid(refusal)) => assert_eq!(refusal.field(), Some("defaultDomain")),
        other => panic!("expected the domain refused, got {other:?}"),
    }
    assert!(store.list_domains(&instance()).await.unwrap().is_empty(), "nothing registered");
    let site = store.create_node(with_domain("s1", "voice.example", true), &change()).await.unwrap();
    let registered = vec![DraasDomain::parse("voice.example").unwrap()];
    assert_eq!(store.list_domains(&instance()).await.unwrap(), registered);
    assert_eq!(store.tenant_domains(&instance(), tenant.id).await.unwrap(), Some(registered));
    store.create_node(with_domain("s2", "voice.example", false), &change()).await.unwrap();
    let patch = json!({ "defaultDomain": "other.example" });
    let changes = NodeChanges {
        attributes: Some(Attributes::parse_changes(NodeKind::SiteGroup, patch.as_object().unwrap()).unwrap()),
        ..Default::default()
    };
    let refused = store.update_node(&instance(), NodeKind::SiteGroup, site.id, changes, &change()).await;
    assert!(matches!(refused, Err(UpdateNodeError::Invalid(_))), "a change registers nothing: {refused:?}");
}

pub(crate) const CASES: &[Case] = &[
    case!(domains_are_kept_per_instance_and_assigned_to_tenants),
    case!(a_site_groups_default_domain_is_its_tenants_or_registered_with_it),
    case!(nodes_are_found_by_their_face_keys_case_insensitively),
    case!(a_site_group_search_filters_orders_and_cuts_as_the_domain_rules_say),
    case!(authorization_codes_are_added_whole_or_not_at_all),
    case!(authorization_codes_go_with_their_user),
    case!(concurrent_overlapping_code_lists_admit_each_code_exactly_once),
];
