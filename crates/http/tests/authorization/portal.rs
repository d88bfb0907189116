//! The portal face (issue 17). Its `{group}` routes name a node of any kind (or the instance's
//! root) by integer id or uuid, so their permission is that of the kind named, decided once the
//! node is found in the caller's subtree: these cases walk every such route × profile × node kind
//! × position.

use super::*;
use canopy_domain::{AdminAction, BrandingDoc};

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
