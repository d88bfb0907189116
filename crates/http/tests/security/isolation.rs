//! Isolation between siblings, generated from the route table: an administrator of one reseller
//! cannot read, list, count or infer its sibling reseller's tenants (nor anything of another
//! group) through any read route. A sibling's node answers exactly like a node that does not
//! exist, and no body the caller can obtain names a sibling's node.

use crate::support::{Api, BASE};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use canopy_domain::NodeKind;
use canopy_http::route_table;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;
use uuid::Uuid;

/// A node: its kind, uuid and (distinctive) name.
#[derive(Clone)]
struct Node {
    kind: NodeKind,
    uuid: String,
    name: String,
}

fn path_of(node: &Node) -> String {
    format!("{BASE}/{}/{}", node.kind.plural(), node.uuid)
}

async fn create(api: &Api, parent: Option<&Node>, kind: NodeKind, name: &str) -> Node {
    let path = match parent {
        None => format!("{BASE}/groups"),
        Some(parent) => format!("{}/{}", path_of(parent), kind.plural()),
    };
    let mut body = json!({ "name": name });
    if kind == NodeKind::Tenant {
        body["tenantId"] = json!(format!("tid-{name}"));
    }
    let node = Node { kind, uuid: api.create(&path, body).await, name: name.to_owned() };
    fill(api, &node).await;
    node
}

/// Gives a node something to read in each of its belongings.
async fn fill(api: &Api, node: &Node) {
    let base = path_of(node);
    let marker = format!("{}-belonging", node.name);
    let writes = [
        (Method::POST, format!("{base}/admins"), json!({ "adminEmail": format!("{}@example.com", node.name) })),
        (Method::PUT, format!("{base}/configurations/general"), json!({ "properties": { "draas_group": marker } })),
        (Method::PUT, format!("{base}/configurations/branding/general"), json!({ "appTitle": marker })),
        (Method::PUT, format!("{base}/enabled_ucs"), json!({ "enabled_ucs": ["msteams"] })),
        (Method::PUT, format!("{base}/rate_plans/standard/destinations/177"), json!({ "destination": marker })),
    ];
    for (method, path, body) in writes {
        let (status, answer) = api.call(method.clone(), &path, Some(body)).await;
        assert!(status.is_success(), "{method} {path}: {answer}");
    }
    if node.kind == NodeKind::Group {
        let path = format!("{base}/configurations/voice_routing/pstn_usages");
        let (status, answer) = api.post(&path, json!({ "name": marker })).await;
        assert!(status.is_success(), "{answer}");
    }
}

/// The GET route `path` made concrete for `node`, if the path names a node of its kind.
fn concrete(path: &str, node: &Node) -> Option<String> {
    let before = path.split("/{uuid}").next().filter(|_| path.contains("{uuid}"))?;
    if !before.ends_with(&format!("/{}", node.kind.plural())) {
        return None;
    }
    let uri = path
        .replace("/api/v01/draas/{draas_instance}", BASE)
        .replace("{uuid}", &node.uuid)
        .replace("{rate_plan}", "standard")
        .replace("{id}", "1");
    assert!(!uri.contains('{'), "teach concrete the parameters of {path}");
    Some(if uri.ends_with("/configurations/branding/styling") { format!("{uri}?type=theme") } else { uri })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reseller_admin_cannot_see_or_infer_a_sibling_resellers_tenants() {
    let root = Api::new().await;
    let group = create(&root, None, NodeKind::Group, "Home-Group").await;
    let distributor = create(&root, Some(&group), NodeKind::Distributor, "Home-Distributor").await;
    let own = create(&root, Some(&distributor), NodeKind::Reseller, "Own-Reseller").await;
    let own_tenant = create(&root, Some(&own), NodeKind::Tenant, "Own-Tenant").await;
    let sibling = create(&root, Some(&distributor), NodeKind::Reseller, "Sibling-Reseller").await;
    let sibling_tenant = create(&root, Some(&sibling), NodeKind::Tenant, "Sibling-Tenant").await;
    let other_group = create(&root, None, NodeKind::Group, "Other-Group").await;
    let other_distributor = create(&root, Some(&other_group), NodeKind::Distributor, "Other-Distributor").await;
    let other_tenant = create(&root, Some(&other_group), NodeKind::Tenant, "Other-Tenant").await;
    let caller = root.admin(&path_of(&own)[BASE.len()..], "caller@example.com").await;
    let hidden = [&sibling, &sibling_tenant, &other_group, &other_distributor, &other_tenant];

    // Every read, but the portal's `GET /logout` (the seed's), which would end the caller's session.
    let gets: Vec<String> = route_table()
        .into_iter()
        .filter(|route| route.method == Method::GET && !route.path.ends_with("/logout"))
        .map(|route| route.path)
        .collect();
    // A hidden node answers exactly like a node that does not exist.
    let mut compared = 0;
    for path in &gets {
        for node in hidden {
            let Some(uri) = concrete(path, node) else { continue };
            let missing = Node { uuid: Uuid::new_v4().to_string(), ..node.clone() };
            let (status, body) = caller.get(&uri).await;
            let (absent_status, absent) = caller.get(&concrete(path, &missing).unwrap()).await;
            let absent: Value = serde_json::from_str(&absent.to_string().replace(&missing.uuid, &node.uuid)).unwrap();
            assert_eq!((status, &body), (absent_status, &absent), "GET {uri} ({}) told a hidden node apart", node.name);
            assert!(!status.is_success(), "GET {uri} ({}) answered {body}", node.name);
            compared += 1;
        }
    }
    assert!(compared > 30, "every read route of every kind was compared: {compared}");

    // No body the caller obtains, on its own nodes or the lists it may call, names a hidden node.
    let mut uris = vec!["/api/v01/auth/me".to_owned(), format!("{BASE}/groups"), format!("{BASE}/admins")];
    for path in &gets {
        for node in [&own, &own_tenant, &group, &distributor] {
            if let Some(uri) = concrete(path, node) {
                let search = if uri.contains('?') { "&search=Sibling" } else { "?search=Sibling" };
                uris.push(format!("{uri}{search}"));
                uris.push(uri);
            }
        }
    }
    // The routes that name no node, public ones included (`/metrics`, the documentation), as text.
    for path in gets.iter().filter(|p| !p.contains("{uuid}")) {
        let uri = path.replace("/api/v01/draas/{draas_instance}", BASE);
        for token in [caller.token.clone(), None] {
            let mut request = Request::get(&uri);
            if let Some(token) = token {
                request = request.header("authorization", format!("Bearer {token}"));
            }
            let response = caller.router.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            let text = String::from_utf8_lossy(&bytes);
            for node in hidden {
                assert!(!text.contains(&node.uuid) && !text.contains(&node.name), "GET {uri} shows {}", node.name);
            }
        }
    }
    let mut answered = 0;
    for uri in &uris {
        let (status, body) = caller.get(uri).await;
        answered += usize::from(status.is_success());
        let text = body.to_string();
        for node in hidden {
            assert!(!text.contains(&node.uuid) && !text.contains(&node.name), "GET {uri} shows {}: {text}", node.name);
        }
        assert!(!text.contains("Sibling") && !text.contains("Other-"), "GET {uri}: {text}");
    }
    assert!(answered > 20, "the caller read its own belongings: {answered}");
    // Counts: the caller's reseller holds one tenant, its list says one.
    let (status, read) = caller.get(&path_of(&own)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read["nbOfTenants"], 1, "{read}");
    let (_, list) = caller.get(&format!("{}/tenants", path_of(&own))).await;
    assert_eq!(list["results"], 1, "{list}");
}
