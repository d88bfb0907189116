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

use axum::http::{Method, StatusCode};
use canopy_domain::{AdminAction, BrandingDoc, NodeKind, Owned, Permission, Profile, Verb};
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

/// The APIO face's paths name nodes by keys: tenants `tid-{name}`, site groups and users by name.
mod apio {
    use super::{TreeNode, Uuid};
    use axum::http::Method;
    use canopy_domain::NodeKind;
    use serde_json::{Value, json};

    pub const PREFIX: &str = "/api/v01/draas/{draas_instance}/apio/api/v1";
    /// The code every user holds.
    pub const CODE: &str = "12";
    /// The domain of the instance the tenants may be assigned.
    pub const DOMAIN: &str = "known.example.com";

    /// The kind of the deepest key of an APIO path.
    pub fn kind(path: &str) -> Option<NodeKind> {
        let rest = path.strip_prefix(PREFIX).filter(|rest| rest.contains("{tenant_id}"))?;
        Some(if rest.contains("{user_id}") {
            NodeKind::User
        } else if rest.contains("{group_id}") {
            NodeKind::SiteGroup
        } else {
            NodeKind::Tenant
        })
    }

    fn key(name: &str, kind: NodeKind) -> String {
        if kind == NodeKind::Tenant { format!("tid-{name}") } else { name.to_owned() }
    }

    /// The path naming `node` (or, with another `uuid`, an absent node where it would be: its
    /// ancestors' keys, the uuid as its own).
    pub fn concrete(path: &str, node: &TreeNode, uuid: &str) -> String {
        let own = if uuid == node.uuid { key(node.name, node.kind) } else { uuid.to_owned() };
        let tenant = node.ancestors.get(3).map(|name| key(name, NodeKind::Tenant));
        let group = node.ancestors.get(4).map(|name| name.to_string());
        let (tenant, group, user) = match node.kind {
            NodeKind::Tenant => (own, String::new(), String::new()),
            NodeKind::SiteGroup => (tenant.unwrap(), own, String::new()),
            _ => (tenant.unwrap(), group.unwrap_or_default(), own),
        };
        path.replace("{draas_instance}", "default")
            .replace("{tenant_id}", &tenant)
            .replace("{group_id}", &group)
            .replace("{user_id}", &user)
            .replace("{code}", CODE)
    }

    /// The codes of a user in a site group.
    pub fn codes_of(user: &TreeNode) -> String {
        let path = format!(
            "{PREFIX}/tenants/{{tenant_id}}/groups/{{group_id}}/users/{{user_id}}/services/outgoing_call_barring/codes/"
        );
        concrete(&path, user, &user.uuid)
    }

    pub fn body(method: &Method, path: &str) -> Option<Value> {
        let unique = Uuid::new_v4().simple().to_string();
        let digits = format!("{:012}", Uuid::new_v4().as_u128() % 1_000_000_000_000);
        match (method.as_str(), path.trim_end_matches('/').rsplit('/').next().unwrap_or_default()) {
            ("POST", "groups") => Some(json!({ "groupId": &unique[..20], "userLimit": 10 })),
            ("PUT", "{group_id}") => Some(json!({ "groupName": unique })),
            ("POST", "users") => Some(json!({ "userId": unique, "firstName": "First", "lastName": "Last" })),
            ("PUT", "{user_id}") => Some(json!({ "lastName": "Changed" })),
            ("POST", "codes") => Some(json!({ "code": digits })),
            ("DELETE", "codes") => Some(json!({ "authCodes": [{ "code": CODE }] })),
            ("POST", "domains") if path.contains("{tenant_id}") => Some(json!({ "domain": DOMAIN })),
            ("POST", "domains") => Some(json!({ "domain": format!("{unique}.example.com") })),
            ("GET" | "DELETE", _) => None,
            _ => panic!("the matrix does not know how to call {method} {path}: teach apio::body"),
        }
    }
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

// ---- The portal face (issue 17) ----
//
// Its `{group}` routes name a node of any kind (or the instance's root) by integer id or uuid, so
// their permission is that of the kind named, decided once the node is found in the caller's
// subtree: these cases walk every such route × profile × node kind × position.

/// The portal's kind of each level that is a group on that face (users are not).
fn portal_kind(kind: NodeKind) -> Option<i64> {
    match kind {
        NodeKind::Group => Some(10),
        NodeKind::Distributor => Some(20),
        NodeKind::Reseller => Some(30),
        NodeKind::Tenant => Some(40),
        NodeKind::SiteGroup => Some(50),
        NodeKind::User => None,
    }
}

/// The group kinds a node of `kind` may hold through the portal's `…/children`.
fn child_groups(kind: NodeKind) -> Vec<NodeKind> {
    kind.may_hold().iter().copied().filter(|k| portal_kind(*k).is_some()).collect()
}

/// The permissions a portal route needs on a node of `kind`, its body, and whether the node may
/// answer `400 forbidden_child` (it cannot hold what the route creates) or, for a user's
/// impersonation, `404` (a user without an e-mail has no account).
fn portal_call(method: &Method, path: &str, kind: NodeKind) -> (Vec<Permission>, Option<Value>, bool) {
    let unique = Uuid::new_v4().simple().to_string();
    let children = child_groups(kind);
    let holds_users = kind.may_hold().contains(&NodeKind::User);
    let tail = path.rsplit('/').next().unwrap_or_default();
    match (method.as_str(), tail) {
        ("GET", "{group}" | "{user}") => (vec![Permission::Read(kind)], None, false),
        ("PUT", "{group}") => (vec![Permission::Update(kind)], Some(json!({ "name": &unique[..20] })), false),
        ("PUT", "{user}") => (vec![Permission::Update(kind)], Some(json!({ "lastname": unique })), false),
        ("DELETE", "{group}" | "{user}") => (vec![Permission::Delete(kind)], None, false),
        ("GET", "children") => (children.iter().map(|k| Permission::List(*k)).collect(), None, false),
        ("POST", "children") => {
            let child = children.first().copied();
            let body = json!({ "name": &unique[..20], "kind": child.and_then(portal_kind).unwrap_or(50) });
            (child.map(Permission::Create).into_iter().collect(), Some(body), child.is_none())
        }
        ("GET", "admins") => (vec![Permission::Admins(Some(kind), AdminAction::List)], None, false),
        ("POST", "admins") => {
            let body = json!({ "email": format!("new-{unique}@example.com") });
            (vec![Permission::Admins(Some(kind), AdminAction::Create)], Some(body), false)
        }
        ("GET", "{admin}") => (vec![Permission::Admins(Some(kind), AdminAction::List)], None, false),
        ("PUT", "{admin}") => {
            let needed = [AdminAction::List, AdminAction::Update].map(|action| Permission::Admins(Some(kind), action));
            (needed.to_vec(), Some(json!({ "lastname": "Changed" })), false)
        }
        ("DELETE", "{admin}") => {
            let needed = [AdminAction::List, AdminAction::Delete].map(|action| Permission::Admins(Some(kind), action));
            (needed.to_vec(), None, false)
        }
        // The lock of the group's subtree; the caller holds what it takes, so later cases are free.
        ("POST" | "DELETE", "lock") => (vec![Permission::Lock(kind)], None, false),
        ("GET", "settings" | "flags" | "logon_ips" | "agents_autoupdate" | "local_backup_restriction") => {
            (vec![Permission::Owned(kind, Owned::GeneralConfig, Verb::List)], None, false)
        }
        ("POST" | "DELETE", "flags" | "logon_ips" | "agents_autoupdate" | "local_backup_restriction") => {
            let body = match (method.as_str(), tail) {
                ("POST", "flags") => Some(json!({ "allow_add_devices": 0 })),
                ("POST", "agents_autoupdate") => Some(json!({ "apply_for_children": 1, "status": 0 })),
                ("POST", "local_backup_restriction") => Some(json!({ "status": 1 })),
                ("POST", _) => Some(json!({ "items": ["203.0.113.2", "2001:db8::/32"] })),
                _ => None,
            };
            (vec![Permission::Owned(kind, Owned::GeneralConfig, Verb::Create)], body, false)
        }
        // The brand and the logo: the first read finds none (404 `brand_not_found`, `logo_not_found`).
        ("GET", "brand") => (vec![brand(kind, BrandingDoc::General, Verb::List)], None, true),
        ("POST" | "PUT", "brand") => {
            (vec![brand(kind, BrandingDoc::General, Verb::Update)], Some(json!({ "company_name": unique })), false)
        }
        ("DELETE", "brand") => (vec![brand(kind, BrandingDoc::General, Verb::Delete)], None, false),
        ("GET", "logo") => (vec![brand(kind, BrandingDoc::Styling, Verb::List)], None, true),
        // Its body is a PNG: `send` below.
        ("POST", "logo") => (vec![brand(kind, BrandingDoc::Styling, Verb::Update)], None, false),
        ("GET", "users") => {
            (holds_users.then_some(Permission::List(NodeKind::User)).into_iter().collect(), None, false)
        }
        ("POST", "users") => {
            let body = json!({ "login": unique, "firstname": "F", "lastname": "L" });
            (vec![Permission::Create(NodeKind::User)], Some(body), !holds_users)
        }
        // Signed tokens (issue 18): reading the target, and changing it to impersonate it.
        ("GET", "jwt") if path.contains("{user}") => (vec![Permission::Read(NodeKind::User)], None, false),
        ("GET", "impersonate") if path.contains("{user}") => {
            (vec![Permission::Read(NodeKind::User), Permission::Update(NodeKind::User)], None, true)
        }
        ("GET", "jwt") => (vec![Permission::Admins(Some(kind), AdminAction::List)], None, false),
        ("GET", "impersonate") => {
            let needed = [AdminAction::List, AdminAction::Update].map(|action| Permission::Admins(Some(kind), action));
            (needed.to_vec(), None, false)
        }
        _ => panic!("the matrix does not know the portal route {method} {path}"),
    }
}

fn brand(kind: NodeKind, doc: BrandingDoc, verb: Verb) -> Permission {
    Permission::Owned(kind, Owned::Branding(doc), verb)
}

/// The smallest PNG the portal takes as a logo: its signature and an `IHDR` chunk.
fn tiny_png() -> Vec<u8> {
    let mut png = vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n', 0, 0, 0, 13];
    png.extend(b"IHDR");
    png.extend([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89]);
    png
}

/// A portal route's call: a logo's upload sends a PNG, every other route JSON.
async fn send(api: &Api, method: &Method, uri: &str, body: Option<Value>) -> (StatusCode, Value) {
    match *method == Method::POST && uri.ends_with("/logo") {
        true => api.raw(method.clone(), uri, Some("image/png"), tiny_png()).await,
        false => api.call(method.clone(), uri, body).await,
    }
}

/// The integer id of the member administrator of `node` (`member`), while it exists.
async fn member_id(root: &Api, node: &TreeNode) -> i64 {
    let (_, list) = root.get(&format!("{}/admins?page_size=100", item_path(node))).await;
    let admins = list["admins"].as_array().cloned().unwrap_or_default();
    let found = admins.iter().find(|admin| admin["adminEmail"] == member(node.name).as_str());
    found.and_then(|admin| admin["id"].as_i64()).unwrap_or(999_999_998)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_portal_route_on_a_group_user_or_admin_answers_every_profile_by_the_kind_it_names_and_subtree() {
    let routes: Vec<(Method, String)> = route_table()
        .into_iter()
        .filter(|route| route.path.contains("/portal/api/1/"))
        // Public: the operations Canopy does not serve, 501 to anyone (tests/portal_session.rs).
        .filter(|route| route.access != Access::Public)
        .filter(|route| ["{group}", "{user}", "{admin}"].iter().any(|name| route.path.contains(name)))
        .map(|route| (route.method, route.path))
        .collect();
    assert_eq!(routes.len(), 40, "{routes:?}");
    // Deletions last: each node is the target of one case per route and profile, so one world per
    // profile serves every case (a deletion removes a node no later case names).
    let mut ordered = routes.clone();
    ordered.sort_by_key(|(method, _)| *method == Method::DELETE);
    let mut checked = 0;
    for profile in Profile::ALL {
        let world = World::new(profile).await;
        for (method, path) in &ordered {
            let kinds: Vec<NodeKind> = if path.contains("{user}") {
                vec![NodeKind::User]
            } else if path.contains("{admin}") {
                NodeKind::ALL.into_iter().filter(|k| k.has_admins()).collect()
            } else {
                NodeKind::ALL.into_iter().filter(|k| portal_kind(*k).is_some()).collect()
            };
            for kind in kinds {
                for position in [Position::Own, Position::Below, Position::Elsewhere, Position::Above] {
                    let mut candidates: Vec<&TreeNode> = world.nodes.values().filter(|n| n.kind == kind).collect();
                    candidates.sort_by_key(|n| n.name);
                    let Some(target) = candidates.into_iter().find(|n| world.position(profile, n) == position) else {
                        continue;
                    };
                    let case = format!("{profile} {method} {path} at {position:?} ({})", target.name);
                    let (needed, body, may_refuse_child) = portal_call(method, path, kind);
                    // An `{admin}` is the member administrator of the target node, by its integer id.
                    let named = match path.contains("{admin}") {
                        true => member_id(&world.root, target).await.to_string(),
                        false => target.uuid.clone(),
                    };
                    let uri = concrete(path, &target.uuid, "", &Ids::new()).replace("{admin}", &named);
                    let (status, answer) = send(&world.caller, method, &uri, body.clone()).await;
                    checked += 1;
                    match position {
                        Position::Own | Position::Below => match needed.iter().find(|p| !profile.grants(**p)) {
                            Some(lacking) => {
                                assert_eq!(status, StatusCode::FORBIDDEN, "{case}: {answer}");
                                assert_eq!(answer["error"]["details"]["permission"], lacking.to_string(), "{case}");
                            }
                            None => {
                                let no_child = status == StatusCode::BAD_REQUEST
                                    && answer["error"]["code"] == "forbidden_child"
                                    && may_refuse_child;
                                // A user without an e-mail has no account to impersonate.
                                let no_account = path.ends_with("/impersonate")
                                    && status == StatusCode::NOT_FOUND
                                    && may_refuse_child;
                                // Nothing branded yet: the first reads find no brand, no logo.
                                let none_yet = ["brand_not_found", "logo_not_found"]
                                    .contains(&answer["error"]["code"].as_str().unwrap_or_default())
                                    && status == StatusCode::NOT_FOUND
                                    && may_refuse_child;
                                let no_child = no_child || no_account || none_yet;
                                assert!(allowed(status, &answer) || no_child, "{case}: got {status} {answer}");
                            }
                        },
                        Position::Elsewhere | Position::Above => {
                            let missing = Uuid::new_v4().to_string();
                            let absent_uri = concrete(path, &missing, "", &Ids::new()).replace("{admin}", "999999999");
                            let (absent_status, absent) = send(&world.caller, method, &absent_uri, body).await;
                            assert_eq!((status, &answer), (absent_status, &absent), "{case}: unlike a missing group");
                            assert_eq!(status, StatusCode::NOT_FOUND, "{case}");
                            let (still, _) = world.root.get(&item_path(target)).await;
                            assert_eq!(still, StatusCode::OK, "{case}: a hidden node is never changed");
                        }
                    }
                }
            }
        }
        // The search finds exactly the groups of the caller's subtree; an end user may not search.
        let (status, found) = world.caller.get(&format!("{BASE}/portal/api/1/groups?limit=100")).await;
        if profile == Profile::EndUser {
            assert_eq!((status, found["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));
        } else {
            assert_eq!(status, StatusCode::OK, "{profile}: {found}");
            let items = found["items"].as_array().unwrap();
            let groups = items.iter().filter(|i| !i["kind"].is_null());
            let mut seen: Vec<&str> = groups.map(|i| i["uuid"].as_str().unwrap()).collect();
            // The administrators found: the members of its subtree whose level it may list.
            let mut logins: Vec<&str> =
                items.iter().filter(|i| i["kind"].is_null()).map(|i| i["name"].as_str().unwrap()).collect();
            let mut members: Vec<String> = Vec::new();
            for node in world.nodes.values().filter(|n| n.kind.has_admins()) {
                let reached = matches!(world.position(profile, node), Position::Own | Position::Below);
                let listed = profile.grants(Permission::Admins(Some(node.kind), AdminAction::List));
                // The cases above deleted some of them.
                if reached && listed && member_id(&world.root, node).await != 999_999_998 {
                    members.push(member(node.name));
                }
            }
            // The instance's own member: a system administrator, listed by system administrators.
            if profile.grants(Permission::Admins(None, AdminAction::List)) {
                members.push(member("instance"));
            }
            logins.retain(|login| login.starts_with("member-"));
            logins.sort_unstable();
            members.sort_unstable();
            assert_eq!(logins, members, "{profile}: the administrators found are those of its subtree it may list");
            let mut expected: Vec<&str> = world
                .nodes
                .values()
                .filter(|n| portal_kind(n.kind).is_some())
                .filter(|n| matches!(world.position(profile, n), Position::Own | Position::Below))
                .map(|n| n.uuid.as_str())
                .collect();
            // Nodes the cases above created are in the subtree too: compare the tree's only.
            seen.retain(|uuid| world.nodes.values().any(|n| n.uuid == *uuid));
            seen.sort_unstable();
            expected.sort_unstable();
            assert_eq!(seen, expected, "{profile}: the search is its subtree");
        }
        // The root (the instance), by its integer id: the system administrator's own, above
        // everyone else, who get the answer of an id that names nothing.
        let (_, group) = world.root.get(&format!("{BASE}/portal/api/1/groups/{}", world.nodes["G1"].uuid)).await;
        let root = group["parent_id"].as_i64().expect("a group's parent is the root");
        let (status, answer) = world.caller.get(&format!("{BASE}/portal/api/1/groups/{root}")).await;
        let (absent_status, absent) = world.caller.get(&format!("{BASE}/portal/api/1/groups/999999999")).await;
        if profile == Profile::SystemAdmin {
            assert_eq!((status, answer["kind"].clone()), (StatusCode::OK, json!(0)), "{answer}");
        } else {
            assert_eq!((status, answer), (absent_status, absent), "{profile}: the root is hidden");
        }
    }
    assert!(checked > 300, "only {checked} cases ran");
}
