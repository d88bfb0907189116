//! The authorization matrix, generated from the route table: every route × every profile ×
//! every position of the node the path names relative to the caller's own node (its own, one
//! below, one elsewhere, one above) → the answer authorization must give.
//!
//! * the profile lacks the route's permission: 403 `forbidden`, whatever the node;
//! * the node is the caller's own or below it: the operation happens (2xx, or a domain 400
//!   such as `not_empty`);
//! * the node is elsewhere or above: exactly the answer for a node that does not exist, and
//!   nothing changes; except a read of what a node owns for everyone below it
//!   ([`Owned::read_from_below`]: a tenant's user groups and custom permissions) from below that
//!   node, which happens.
//!
//! A route added to the table is in the matrix at once; one whose shape this test does not
//! know how to call fails it, so every route gets checked.

mod support;

/// The APIO face's paths, keyed by names.
#[path = "authorization/apio.rs"]
mod apio;
/// The portal face's matrix.
#[path = "authorization/portal.rs"]
mod portal;

use axum::http::{Method, StatusCode};
use canopy_domain::{NodeKind, Owned, Permission, Profile, Verb};
use canopy_http::api::Route;
use canopy_http::{Access, route_table};
use serde_json::{Value, json};
use std::collections::HashMap;
use support::{Api, BASE, code, denied_permission};
use uuid::Uuid;

/// A node of the test tree: `G1{D1{R1{T1{S1{U1, U1b}, S1s{U1s}, U1t}, T1t}, R1s{T1s}}, D1b{R1b{T1b}}},
/// G2{D2{R2{T2{S2{U2}}}}}` (`S*` site groups, `U*` users).
#[derive(Debug, Clone)]
struct TreeNode {
    name: &'static str,
    kind: NodeKind,
    uuid: String,
    /// Names of the ancestors.
    ancestors: Vec<&'static str>,
}

const TREE: &[(&str, NodeKind, Option<&str>)] = &[
    ("G1", NodeKind::Group, None),
    ("D1", NodeKind::Distributor, Some("G1")),
    ("R1", NodeKind::Reseller, Some("D1")),
    ("T1", NodeKind::Tenant, Some("R1")),
    ("T1t", NodeKind::Tenant, Some("R1")),
    ("R1s", NodeKind::Reseller, Some("D1")),
    ("T1s", NodeKind::Tenant, Some("R1s")),
    ("D1b", NodeKind::Distributor, Some("G1")),
    ("R1b", NodeKind::Reseller, Some("D1b")),
    ("T1b", NodeKind::Tenant, Some("R1b")),
    ("G2", NodeKind::Group, None),
    ("D2", NodeKind::Distributor, Some("G2")),
    ("R2", NodeKind::Reseller, Some("D2")),
    ("T2", NodeKind::Tenant, Some("R2")),
    ("S1", NodeKind::SiteGroup, Some("T1")),
    ("U1", NodeKind::User, Some("S1")),
    ("U1b", NodeKind::User, Some("S1")),
    ("S1s", NodeKind::SiteGroup, Some("T1")),
    ("U1s", NodeKind::User, Some("S1s")),
    ("U1t", NodeKind::User, Some("T1")),
    ("S2", NodeKind::SiteGroup, Some("T2")),
    ("U2", NodeKind::User, Some("S2")),
];

/// Where each profile's administrator belongs.
fn home_of(profile: Profile) -> Option<&'static str> {
    match profile {
        Profile::SystemAdmin => None,
        Profile::GroupAdmin => Some("G1"),
        Profile::DistributorAdmin => Some("D1"),
        Profile::ResellerAdmin => Some("R1"),
        Profile::TenantAdmin => Some("T1"),
        Profile::SiteGroupAdmin => Some("S1"),
        Profile::EndUser => Some("U1"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Position {
    Own,
    Below,
    Elsewhere,
    Above,
}

struct World {
    root: Api,
    caller: Api,
    nodes: HashMap<&'static str, TreeNode>,
    /// The id of the one object of each voice routing collection of each group: (group uuid,
    /// collection segment) -> id, for the `{id}` routes.
    voice: Ids,
}

/// The rate plan and destination every node of the world has.
const RATE_PLAN: &str = "standard";
const DESTINATION: &str = "177";
type Ids = HashMap<(String, &'static str), i64>;

/// The voice routing collections, and a creation body for each.
const VOICE: [(&str, &str); 3] = [
    ("pstn_usages", r#"{"name": "U"}"#),
    ("voice_routes", r#"{"name": "VR", "pattern": ".*", "priority": 1}"#),
    ("voice_routing_policies", r#"{"name": "P"}"#),
];

/// A member administrator of each node (and of the instance), for the `{username}` routes.
fn member(holder: &str) -> String {
    format!("member-{}@example.com", holder.to_lowercase())
}

impl World {
    async fn new(profile: Profile) -> Self {
        let root = Api::new().await;
        let mut nodes: HashMap<&'static str, TreeNode> = HashMap::new();
        for (name, kind, parent) in TREE {
            let (path, ancestors) = match parent {
                None => (format!("{BASE}/groups"), vec![]),
                Some(parent) => {
                    let p = &nodes[parent];
                    let mut ancestors = p.ancestors.clone();
                    ancestors.push(p.name);
                    (format!("{BASE}/{}/{}/{}", p.kind.plural(), p.uuid, kind.plural()), ancestors)
                }
            };
            let body = match kind {
                NodeKind::Tenant => json!({ "name": name, "tenantId": format!("tid-{name}") }),
                NodeKind::SiteGroup => json!({ "groupId": name, "userLimit": 10 }),
                NodeKind::User => json!({ "userId": name, "firstName": "First", "lastName": name }),
                _ => json!({ "name": name }),
            };
            let uuid = root.create(&path, body).await;
            nodes.insert(name, TreeNode { name, kind: *kind, uuid, ancestors });
            if kind.has_admins() {
                let (status, body) = root
                    .post(
                        &format!("{path_of}/admins", path_of = item_path(&nodes[name])),
                        json!({ "adminEmail": member(name) }),
                    )
                    .await;
                assert_eq!(status, StatusCode::OK, "{body}");
            }
            // Every node that has rate plans has the rate plan and destination the
            // `{rate_plan}` routes name.
            if Owned::RatePlans.kinds().contains(kind) {
                let destination =
                    format!("{}/rate_plans/{RATE_PLAN}/destinations/{DESTINATION}", item_path(&nodes[name]));
                let (status, body) =
                    root.call(Method::PUT, &destination, Some(json!({ "destination": "Italy" }))).await;
                assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
            }
        }
        let domain = json!({ "domain": apio::DOMAIN });
        let (status, body) =
            root.post(&format!("{}/domains/", apio::PREFIX.replace("{draas_instance}", "default")), domain).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        // Every user holds the code the APIO item routes name.
        for user in nodes.values().filter(|n| n.kind == NodeKind::User && n.ancestors.len() == 5) {
            let (status, body) = root.post(&apio::codes_of(user), json!({ "code": apio::CODE })).await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
        }
        let (status, body) = root.post(&format!("{BASE}/admins"), json!({ "adminEmail": member("instance") })).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        // One unlinked object per voice routing collection of each group, so that the item routes
        // (`…/{id}`) can succeed where the caller reaches the group.
        let mut voice = Ids::new();
        for group in nodes.values().filter(|n| n.kind == NodeKind::Group) {
            for (segment, body) in VOICE {
                let path = format!("{}/configurations/voice_routing/{segment}", item_path(group));
                let (status, answer) = root.post(&path, serde_json::from_str(body).unwrap()).await;
                assert_eq!(status, StatusCode::NO_CONTENT, "{answer}");
                let (_, list) = root.get(&path).await;
                let array = list.as_object().unwrap().values().find(|v| v.is_array()).unwrap();
                voice.insert((group.uuid.clone(), segment), array[0]["id"].as_i64().unwrap());
            }
        }
        // One user group and one custom permission per tenant, for the `{id}` routes of both.
        for tenant in nodes.values().filter(|n| n.kind == NodeKind::Tenant) {
            let groups = format!("{}/sipxconfig/rest/user-group", item_path(tenant));
            let (status, answer) = root.call(Method::PUT, &groups, Some(json!({ "group": { "name": "UG" } }))).await;
            assert_eq!(status, StatusCode::CREATED, "{answer}");
            let id = answer["response"]["data"]["id"].as_i64().unwrap();
            voice.insert((tenant.uuid.clone(), "user-group"), id);
            voice.insert((tenant.uuid.clone(), "user-group-permission"), id);
            let (status, custom) =
                root.post(&format!("{}/custom_permissions", item_path(tenant)), json!({ "label": "L" })).await;
            assert_eq!(status, StatusCode::OK, "{custom}");
            voice.insert((tenant.uuid.clone(), "custom_permissions"), custom["id"].as_i64().unwrap());
        }
        let caller = match home_of(profile) {
            None => root.with_token(root.token.clone()),
            // An end user is its user's own account, made by giving the user its e-mail.
            Some(home) if profile == Profile::EndUser => {
                root.end_user(&item_path(&nodes[home]), "caller@example.com").await
            }
            Some(home) => root.admin(&item_path(&nodes[home])[BASE.len()..], "caller@example.com").await,
        };
        Self { root, caller, nodes, voice }
    }

    /// Where `node` stands relative to the caller's home.
    fn position(&self, profile: Profile, node: &TreeNode) -> Position {
        let Some(home) = home_of(profile) else { return Position::Below };
        if node.name == home {
            Position::Own
        } else if node.ancestors.contains(&home) {
            Position::Below
        } else if self.nodes[home].ancestors.contains(&node.name) {
            Position::Above
        } else {
            Position::Elsewhere
        }
    }
}

fn item_path(node: &TreeNode) -> String {
    format!("{BASE}/{}/{}", node.kind.plural(), node.uuid)
}

/// The kind of the node a path's `{uuid}` names (on the APIO face: its deepest key).
fn uuid_kind(path: &str) -> Option<NodeKind> {
    if let Some(kind) = apio::kind(path) {
        return Some(kind);
    }
    let before = path.split("/{uuid}").next().filter(|_| path.contains("{uuid}"))?;
    let segment = before.rsplit('/').next()?;
    NodeKind::ALL.into_iter().find(|kind| kind.plural() == segment)
}

/// A body the route accepts, unique per call so that creations never collide.
fn body_for(method: &Method, path: &str, username: &str) -> Option<Value> {
    // The general configuration and the general branding document share their last segment.
    let configuration = path.ends_with("/configurations/general");
    let tail = if configuration { "configurations/general" } else { path.rsplit('/').next().unwrap_or_default() };
    let prices = tail == "prices";
    if path.starts_with(apio::PREFIX) {
        return apio::body(method, path);
    }
    let sipx_permissions = path.contains("/user-group-permission/");
    if *method == Method::GET || (*method == Method::DELETE && !configuration && !prices) {
        return None;
    }
    let unique = Uuid::new_v4().simple().to_string();
    let body = match (method.as_str(), tail) {
        ("POST", "admins") => Some(json!({ "adminEmail": format!("new-{unique}@example.com") })),
        ("POST", "welcome") => Some(json!({ "adminEmail": username })),
        ("PUT", "{username}") => Some(json!({ "adminEmail": username, "firstName": "Changed" })),
        ("POST", "groups") => Some(json!({ "name": unique })),
        ("POST", "distributors" | "resellers") => Some(json!({ "name": unique })),
        ("POST", "tenants") => Some(json!({ "name": unique, "tenantId": unique })),
        ("POST", "site_groups") => Some(json!({ "groupId": &unique[..20], "userLimit": 10 })),
        ("POST", "users") => Some(json!({ "userId": unique, "firstName": "First", "lastName": "Last" })),
        ("PUT", "{uuid}") => Some(match uuid_kind(path) {
            Some(NodeKind::SiteGroup) => json!({ "groupId": &unique[..20], "groupName": unique }),
            Some(NodeKind::User) => json!({ "userId": unique, "lastName": "Changed" }),
            _ => json!({ "name": unique }),
        }),
        ("PUT", "general") => Some(json!({ "appTitle": unique })),
        ("PUT", "pages") => Some(json!({ "group": { unique: { "enabled": true } } })),
        ("PUT", "styling") => Some(json!({ "type": "font", "allowed": ["Roboto", unique], "name": unique })),
        ("PUT", "enabled_ucs") => Some(json!({ "enabled_ucs": ["msteams", "zoom"] })),
        ("PUT", "{destination_id}") => Some(json!({ "destination": unique })),
        ("POST", "prices") => Some(json!({
            "destinationId": 177,
            "activeSince": "2022-08-06 00:00:00",
            "national": { "setup": 1.5, "duration": 0.5 },
            "international": { "setup": 3.0, "duration": 1.0 }
        })),
        ("POST" | "PUT", "configurations/general") => {
            Some(json!({ "properties": { format!("k{unique}"): unique, "draas_sbc_port": 5061 } }))
        }
        ("DELETE", "configurations/general") => Some(json!({ "keys": ["draas_sbc_port"] })),
        ("DELETE", "prices") => Some(json!({ "destinationId": 177, "activeSince": "2022-08-06 00:00:00" })),
        ("POST", "pstn_usages" | "voice_routing_policies") => Some(json!({ "name": unique })),
        ("POST", "voice_routes") => Some(json!({ "name": unique, "pattern": "^\\+32", "priority": 0 })),
        ("PUT", "{id}") if sipx_permissions => {
            Some(json!({ "group": { "permissions": [{ "name": "Mobile", "value": "DISABLE" }] } }))
        }
        ("PUT", "{id}") => Some(json!({ "name": unique })),
        ("PUT", "user-group") => Some(json!({ "group": { "name": unique } })),
        ("POST", "custom_permissions") => Some(json!({ "label": unique })),
        _ => None,
    };
    Some(body.unwrap_or_else(|| panic!("the matrix does not know how to call {method} {path}: teach body_for")))
}

/// The path with its parameters; `{id}` is the id of the group's object of the collection the
/// path names (`1` when the group has none, e.g. a uuid that names no group).
fn concrete(path: &str, uuid: &str, username: &str, ids: &Ids) -> String {
    let segment = path.split("/{id}").next().and_then(|before| before.rsplit('/').next()).unwrap_or_default();
    let id = ids.iter().find(|((u, s), _)| u == uuid && *s == segment).map_or(1, |(_, id)| *id);
    let uri = path
        .replace("/api/v01/draas/{draas_instance}", BASE)
        .replace("{tenant_id}", "t")
        .replace("{group_id}", "g")
        .replace("{user_id}", "u")
        .replace("{code}", apio::CODE)
        .replace("{uuid}", uuid)
        .replace("{group}", uuid)
        .replace("{user}", uuid)
        .replace("{username}", username)
        .replace("{id}", &id.to_string())
        .replace("{rate_plan}", RATE_PLAN)
        .replace("{destination_id}", DESTINATION);
    // Styling is read one type at a time (the query is ignored by its PUT).
    if uri.ends_with("/configurations/branding/styling") { format!("{uri}?type=theme") } else { uri }
}

/// What the caller gets for `method path` on `node` (`None`: the instance itself).
async fn call(
    api: &Api,
    method: &Method,
    path: &str,
    node: Option<&TreeNode>,
    uuid: &str,
    ids: &Ids,
) -> (StatusCode, Value) {
    let username = member(node.map_or("instance", |n| n.name));
    let body = body_for(method, path, &username);
    let uri = match node.filter(|_| apio::kind(path).is_some()) {
        Some(node) => apio::concrete(path, node, uuid),
        None => concrete(path, uuid, &username, ids),
    };
    api.call(method.clone(), &uri, body).await
}

fn allowed(status: StatusCode, body: &Value) -> bool {
    status.is_success() || (status == StatusCode::BAD_REQUEST && body["error"]["code"] == "not_empty")
}

/// Every route of the table that one permission guards, with that permission.
fn permission_routes() -> Vec<(Method, String, Permission)> {
    route_table()
        .into_iter()
        .filter_map(|route| match route.access {
            Access::Permission(p) => Some((route.method, route.path, p)),
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_every_profile_by_permission_and_subtree() {
    let table = permission_routes();
    assert!(table.len() > 40, "the table lists the node and administrator routes");
    let mut checked = 0;
    for (method, path, permission) in &table {
        for profile in Profile::ALL {
            let kind = uuid_kind(path);
            // The positions this route can be called at for this profile, each in a fresh world.
            let positions: Vec<Option<Position>> = match kind {
                None => vec![None],
                Some(_) => {
                    vec![Some(Position::Own), Some(Position::Below), Some(Position::Elsewhere), Some(Position::Above)]
                }
            };
            for position in positions {
                let world = World::new(profile).await;
                let target = match (kind, position) {
                    (Some(kind), Some(position)) => {
                        let mut candidates: Vec<&TreeNode> = world.nodes.values().filter(|n| n.kind == kind).collect();
                        candidates.sort_by_key(|n| n.name);
                        match candidates.into_iter().find(|n| world.position(profile, n) == position) {
                            Some(node) => Some(node.clone()),
                            None => continue, // e.g. no group lies below a distributor
                        }
                    }
                    _ => None,
                };
                let case = format!("{profile} {method} {path} at {position:?} ({:?})", target.as_ref().map(|t| t.name));
                let uuid = target.as_ref().map_or(String::new(), |t| t.uuid.clone());
                let (status, body) = call(&world.caller, method, path, target.as_ref(), &uuid, &world.voice).await;
                checked += 1;
                if !profile.grants(*permission) {
                    assert_eq!(status, StatusCode::FORBIDDEN, "{case}: {body}");
                    assert_eq!(code(&body), Some("forbidden"), "{case}");
                    assert_eq!(denied_permission(&body), &json!(permission.to_string()), "{case}");
                    continue;
                }
                let from_below = matches!(permission,
                    Permission::Owned(_, owned, Verb::List | Verb::Read) if owned.read_from_below());
                match position {
                    None | Some(Position::Own | Position::Below) => {
                        assert!(
                            allowed(status, &body),
                            "{case}: expected the operation to happen, got {status} {body}"
                        );
                        if *method == Method::DELETE && status.is_success() && path.ends_with("{uuid}") {
                            let (after, _) = world.root.get(&item_path(target.as_ref().unwrap())).await;
                            assert_eq!(after, StatusCode::NOT_FOUND, "{case}: the node was deleted");
                        }
                    }
                    Some(Position::Above) if from_below => {
                        assert!(allowed(status, &body), "{case}: read from below, got {status} {body}");
                    }
                    Some(Position::Elsewhere | Position::Above) => {
                        let target = target.as_ref().unwrap();
                        let missing = Uuid::new_v4().to_string();
                        let (absent_status, absent_body) =
                            call(&world.caller, method, path, Some(target), &missing, &world.voice).await;
                        let absent_body: Value =
                            serde_json::from_str(&absent_body.to_string().replace(&missing, &target.uuid)).unwrap();
                        assert_eq!(
                            (status, &body),
                            (absent_status, &absent_body),
                            "{case}: answered unlike a missing node"
                        );
                        assert!(!status.is_success() || *method == Method::DELETE, "{case}: {status}");
                        let (still, _) = world.root.get(&item_path(target)).await;
                        assert_eq!(still, StatusCode::OK, "{case}: a hidden node is never changed");
                    }
                }
            }
        }
    }
    assert!(checked > 1000, "only {checked} cases ran");
}

/// A read-only administrator homed where `profile`'s caller is (a system administrator for the
/// system profile), made read-only by a change after it logged in: its session sees it at once.
async fn read_only_caller(world: &World, profile: Profile) -> Api {
    let holder = home_of(profile).map_or(String::new(), |home| item_path(&world.nodes[home])[BASE.len()..].to_owned());
    let email = "reader@example.com";
    let reader = world.root.admin(&holder, email).await;
    let read_only = json!({ "adminEmail": email, "readOnly": true });
    let (status, body) = world.root.call(Method::PUT, &format!("{BASE}{holder}/admins/{email}"), Some(read_only)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    reader
}

#[tokio::test]
async fn a_read_only_administrator_reads_what_its_profile_reads_and_changes_nothing() {
    let table = permission_routes();
    let mut checked = 0;
    for profile in Profile::ALL.into_iter().filter(|profile| *profile != Profile::EndUser) {
        let world = World::new(profile).await;
        let reader = read_only_caller(&world, profile).await;
        for (method, path, permission) in &table {
            // Its own node, else one below it, of the kind the path names.
            let target = match uuid_kind(path) {
                None => None,
                Some(kind) => {
                    let mut candidates: Vec<&TreeNode> = world.nodes.values().filter(|n| n.kind == kind).collect();
                    candidates.sort_by_key(|n| (world.position(profile, n) != Position::Own, n.name));
                    match candidates
                        .into_iter()
                        .find(|n| matches!(world.position(profile, n), Position::Own | Position::Below))
                    {
                        Some(node) => Some(node.clone()),
                        None => continue,
                    }
                }
            };
            let case = format!("read-only {profile} {method} {path} ({:?})", target.as_ref().map(|t| t.name));
            let uuid = target.as_ref().map_or(String::new(), |t| t.uuid.clone());
            let (status, body) = call(&reader, method, path, target.as_ref(), &uuid, &world.voice).await;
            checked += 1;
            if profile.grants(*permission) && permission.reads() {
                assert!(allowed(status, &body), "{case}: expected the read to happen, got {status} {body}");
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{case}: {body}");
                assert_eq!(denied_permission(&body), &json!(permission.to_string()), "{case}");
            }
        }
        // What it may do is what `auth/me` says it holds.
        let (_, me) = reader.get("/api/v01/auth/me").await;
        let held: Vec<&str> = me["permissions"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
        let expected: Vec<String> =
            profile.permissions().into_iter().filter(|p| p.reads()).map(|p| p.to_string()).collect();
        assert_eq!(held, expected, "{profile}");
        assert_eq!(me["readOnly"], true, "{profile}");
    }
    assert!(checked > 500, "only {checked} cases ran");
}

#[tokio::test]
async fn every_protected_route_refuses_a_caller_without_a_valid_token() {
    let api = Api::new().await;
    for Route { method, path, access, .. } in route_table() {
        if access == Access::Public {
            continue;
        }
        let uuid = Uuid::new_v4().to_string();
        let username = "someone@example.com";
        let uri = concrete(&path, &uuid, username, &Ids::new());
        let body = match access {
            Access::Permission(_) => body_for(&method, &path, username),
            _ => (method != Method::GET).then(|| json!({})),
        };
        for (token, expected) in [(None, "unauthenticated"), (Some("not-a-token".to_owned()), "invalid_token")] {
            let (status, answer) = api.with_token(token).call(method.clone(), &uri, body.clone()).await;
            // A HEAD answer has no body to read the code from.
            let expected = (method != Method::HEAD).then_some(expected);
            assert_eq!((status, code(&answer)), (StatusCode::UNAUTHORIZED, expected), "{method} {path}");
        }
    }
}

#[tokio::test]
async fn a_group_administrator_lists_searches_and_counts_only_its_own_group() {
    let world = World::new(Profile::GroupAdmin).await;
    let (status, list) = world.caller.get(&format!("{BASE}/groups")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((list["results"].clone(), list["pages"].clone()), (json!(1), json!(1)));
    assert_eq!(list["groups"][0]["name"], "G1");
    let (_, searched) = world.caller.get(&format!("{BASE}/groups?search=G2")).await;
    assert_eq!((searched["results"].clone(), searched["groups"].clone()), (json!(0), json!([])));
    // A next token of the system administrator's list cannot be replayed by the group's.
    let (_, page) = world.root.get(&format!("{BASE}/groups?page_size=1")).await;
    let next = page["next"].as_str().expect("two groups, pages of one");
    let (status, body) = world.caller.get(&format!("{BASE}/groups?next={next}")).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_next_token")));
    // The counters of its own group count its subtree.
    let (_, group) = world.caller.get(&item_path(&world.nodes["G1"])).await;
    assert_eq!(group["nbOfTenants"], 4);
}

#[tokio::test]
async fn a_reseller_administrator_cannot_read_list_count_or_infer_a_sibling_resellers_tenants() {
    let world = World::new(Profile::ResellerAdmin).await;
    let sibling = &world.nodes["R1s"];
    let tenant = &world.nodes["T1s"];
    let missing = Uuid::new_v4().to_string();
    for (path, absent) in [
        (item_path(sibling), format!("{BASE}/resellers/{missing}")),
        (format!("{}/tenants", item_path(sibling)), format!("{BASE}/resellers/{missing}/tenants")),
        (
            format!("{}/tenants?search=T1s", item_path(sibling)),
            format!("{BASE}/resellers/{missing}/tenants?search=T1s"),
        ),
        (item_path(tenant), format!("{BASE}/tenants/{missing}")),
        (format!("{}/admins", item_path(tenant)), format!("{BASE}/tenants/{missing}/admins")),
        (format!("{}/tenants", item_path(&world.nodes["D1"])), format!("{BASE}/distributors/{missing}/tenants")),
    ] {
        let seen = world.caller.get(&path).await;
        let (status, body) = world.caller.get(&absent).await;
        let body: Value = serde_json::from_str(&body.to_string().replace(&missing, "X")).unwrap();
        let seen_body: Value = serde_json::from_str(
            &seen
                .1
                .to_string()
                .replace(&sibling.uuid, "X")
                .replace(&tenant.uuid, "X")
                .replace(&world.nodes["D1"].uuid, "X"),
        )
        .unwrap();
        assert_eq!((seen.0, seen_body), (status, body), "{path}");
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    // Its own reseller counts only its own tenants.
    let (_, own) = world.caller.get(&item_path(&world.nodes["R1"])).await;
    assert_eq!(own["nbOfTenants"], 2);
}
