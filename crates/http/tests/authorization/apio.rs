//! The APIO face's paths name nodes by keys: tenants `tid-{name}`, site groups and users by name.

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
