//! The lock of a subtree (`POST|DELETE …/groups/{group}/lock`) against the real binary, once per
//! store: a reseller's lock of a tenant answers `423 tree_locked` to the tenant administrator's
//! writes on every face (Canopy's API, APIO, sipXconfig, the portal) while reads go on; the
//! reseller writes on and unlocks; a lock higher up binds deeper homes; and writes racing a lock
//! applied before it or were refused (one process, and two on one PostgreSQL database).

use super::{PORTAL, send};
use crate::server::{Server, Store, bearer};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

const API: &str = "/api/v01/draas/default";
const APIO: &str = "/api/v01/draas/default/apio/api/v1";
const PASSWORD: &str = "a lock test's own passphrase";

/// An administrator of `holder` (a Canopy path such as `/groups/{uuid}`), onboarded with a
/// temporary password it changes at once: its client. Changing one's own password is no write a
/// lock stops, so this works under a lock too.
async fn onboard(server: &Server, root: &Client, holder: &str, email: &str) -> Client {
    let admin = json!({ "adminEmail": email, "temporaryPassword": "Temporary-passphrase-42" });
    let (status, body) = send(root.post(server.url(&format!("{API}{holder}/admins"))).json(&admin)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let login = json!({ "username": email, "password": "Temporary-passphrase-42" });
    let (_, session) = send(Client::new().post(server.url("/api/v01/auth/login")).json(&login)).await;
    let client = bearer(session["token"].as_str().expect("a token"));
    let change = json!({ "currentPassword": "Temporary-passphrase-42", "newPassword": PASSWORD });
    let (status, body) = send(client.post(server.url("/api/v01/auth/password")).json(&change)).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    client
}

/// G > R > T (`tenantId` `lt`), and the clients of the system, of R's and of T's administrators.
struct World {
    root: Client,
    reseller_admin: Client,
    tenant_admin: Client,
    reseller: String,
    tenant: String,
}

impl World {
    async fn new(server: &Server) -> Self {
        let root = server.client().await;
        let created = |path: String, body: Value| {
            let request = root.post(server.url(&format!("{API}{path}"))).json(&body);
            async move {
                let (status, created) = send(request).await;
                assert_eq!(status, StatusCode::OK, "{created}");
                created["uuid"].as_str().unwrap().to_owned()
            }
        };
        let group = created("/groups".into(), json!({ "name": "G" })).await;
        let reseller = created(format!("/groups/{group}/resellers"), json!({ "name": "R" })).await;
        let tenant = created(format!("/resellers/{reseller}/tenants"), json!({ "name": "T", "tenantId": "lt" })).await;
        let reseller_admin = onboard(server, &root, &format!("/resellers/{reseller}"), "reseller@lock.test").await;
        let tenant_admin = onboard(server, &root, &format!("/tenants/{tenant}"), "tenant@lock.test").await;
        Self { root, reseller_admin, tenant_admin, reseller, tenant }
    }
}

/// `(status, error code)` of one write by `client` on each face, on the tenant (`nth` keeps names
/// apart): Canopy's API (a site group), APIO (a site group), sipXconfig (a user group, in JSON),
/// the portal (a child group).
async fn writes(server: &Server, client: &Client, tenant: &str, nth: usize) -> Vec<(StatusCode, Value)> {
    let site_group = |prefix: &str| json!({ "groupId": format!("{prefix}{nth}"), "userLimit": 5 });
    let canopy = client.post(server.url(&format!("{API}/tenants/{tenant}/site_groups"))).json(&site_group("c"));
    let apio = client.post(server.url(&format!("{APIO}/tenants/lt/groups/"))).json(&site_group("a"));
    let sipx = client
        .put(server.url(&format!("{API}/tenants/{tenant}/sipxconfig/rest/user-group")))
        .header("accept", "application/json")
        .json(&json!({ "group": { "name": format!("UG{nth}") } }));
    let portal = client
        .post(server.url(&format!("{PORTAL}/groups/{tenant}/children")))
        .json(&json!({ "name": format!("p{nth}"), "kind": 50 }));
    let mut answers = Vec::new();
    for request in [canopy, apio, sipx, portal] {
        let (status, body) = send(request).await;
        let code = body["error"]["code"].clone();
        answers.push((status, if code.is_null() { body["response"]["code"].clone() } else { code }));
    }
    answers
}

fn all_locked(answers: &[(StatusCode, Value)]) -> bool {
    answers.iter().all(|(status, code)| (*status, code.as_str()) == (StatusCode::LOCKED, Some("tree_locked")))
}

fn all_applied(answers: &[(StatusCode, Value)]) -> bool {
    answers.iter().all(|(status, _)| status.is_success())
}

async fn locked(server: &Server, client: &Client, group: &str) -> Value {
    let (status, body) = send(client.get(server.url(&format!("{PORTAL}/groups/{group}")))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["locked"].clone()
}

async fn lock(server: &Server, client: &Client, group: &str) -> (StatusCode, Value) {
    send(client.post(server.url(&format!("{PORTAL}/groups/{group}/lock")))).await
}

async fn unlock(server: &Server, client: &Client, group: &str) -> (StatusCode, Value) {
    send(client.delete(server.url(&format!("{PORTAL}/groups/{group}/lock")))).await
}

pub(crate) async fn a_lock_refuses_the_writes_below_it_on_every_face(store: Store) {
    let server = Server::start(store).await;
    let w = World::new(&server).await;
    let (tenant, reseller) = (w.tenant.as_str(), w.reseller.as_str());
    assert!(all_applied(&writes(&server, &w.tenant_admin, tenant, 0).await), "unlocked, the tenant writes");
    assert_eq!(locked(&server, &w.tenant_admin, tenant).await, 0);

    // The reseller locks the tenant: reads go on and show it; the tenant's writes are refused on
    // every face, and change nothing; the reseller writes on.
    assert_eq!(lock(&server, &w.reseller_admin, tenant).await, (StatusCode::NO_CONTENT, Value::Null));
    assert_eq!(locked(&server, &w.tenant_admin, tenant).await, 1);
    assert_eq!(locked(&server, &w.reseller_admin, reseller).await, 0, "the lock is the tenant's");
    let refused = writes(&server, &w.tenant_admin, tenant, 1).await;
    assert!(all_locked(&refused), "{refused:?}");
    let flags = w.tenant_admin.post(server.url(&format!("{PORTAL}/groups/{tenant}/settings/flags")));
    let (status, body) = send(flags.json(&json!({ "allow_add_devices": 0 }))).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::LOCKED, Some("tree_locked")));
    assert!(!body.to_string().contains("reseller"), "the holder is never named: {body}");
    let (_, counts) = send(w.root.get(server.url(&format!("{API}/tenants/{tenant}")))).await;
    assert_eq!(counts["nbOfSiteGroups"], 3, "only the writes made before the lock: {counts}");
    assert!(all_applied(&writes(&server, &w.reseller_admin, tenant, 2).await), "the holder writes on");
    assert_eq!(lock(&server, &w.reseller_admin, tenant).await.0, StatusCode::NO_CONTENT, "again: no error");

    // The tenant administrator cannot unlock: its profile locks nothing (the spec's `root_admin`
    // and `partner_admin` only), and the lock stays.
    let (status, body) = unlock(&server, &w.tenant_admin, tenant).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")), "{body}");
    assert_eq!(locked(&server, &w.root, tenant).await, 1);

    // The reseller unlocks: the tenant writes again.
    assert_eq!(unlock(&server, &w.reseller_admin, tenant).await.0, StatusCode::NO_CONTENT);
    assert_eq!(locked(&server, &w.tenant_admin, tenant).await, 0);
    assert!(all_applied(&writes(&server, &w.tenant_admin, tenant, 3).await), "unlocked again");

    // A lock higher up binds deeper homes: the system locks the reseller; the reseller's and the
    // tenant's administrators are refused, the reseller's unlock too (423: the lock is held
    // above it); the system unlocks.
    assert_eq!(lock(&server, &w.root, reseller).await.0, StatusCode::NO_CONTENT);
    assert!(all_locked(&writes(&server, &w.tenant_admin, tenant, 4).await));
    assert!(all_locked(&writes(&server, &w.reseller_admin, tenant, 4).await));
    let (status, body) = unlock(&server, &w.reseller_admin, reseller).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::LOCKED, Some("tree_locked")), "{body}");
    assert!(all_applied(&writes(&server, &w.root, tenant, 4).await), "the system is never locked out");
    assert_eq!(unlock(&server, &w.root, reseller).await.0, StatusCode::NO_CONTENT);
    assert!(all_applied(&writes(&server, &w.reseller_admin, tenant, 5).await));

    // The locks and unlocks are audited writes; refusals are recorded as such.
    let (_, audit) = send(w.root.get(server.url(&format!("{API}/audit?node={tenant}&page_size=1000")))).await;
    let actions: Vec<(&str, &str)> = audit["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), e["outcome"].as_str().unwrap()))
        .collect();
    assert_eq!(actions.iter().filter(|a| **a == ("tenant.lock", "applied")).count(), 1, "{actions:?}");
    assert_eq!(actions.iter().filter(|a| **a == ("tenant.unlock", "applied")).count(), 1, "{actions:?}");
    assert!(actions.iter().any(|(_, outcome)| *outcome == "refused"), "{actions:?}");
    server.stop().await;
}

/// What a client saw of one write of a race, and the request id it sent.
struct Seen {
    request_id: String,
    status: StatusCode,
}

/// 24 configuration writes by the tenant's administrator race the reseller's lock, spread over
/// `servers` (one process, or two on one database), `rounds` times. Every write answered 2xx and
/// applied before the lock (its entry older than the lock's), or answered 423; none applied after.
async fn race(servers: &[&Server], rounds: usize) {
    let w = World::new(servers[0]).await;
    for round in 0..rounds {
        let mut requests = Vec::new();
        for i in 0..24 {
            let server = servers[i % servers.len()];
            let request_id = format!("race-{round}-{i}");
            let url = server.url(&format!("{API}/tenants/{}/configurations/general", w.tenant));
            let key = format!("k{i}");
            let body = json!({ "properties": { key: round } });
            let request = w.tenant_admin.post(url).header("x-request-id", &request_id).json(&body);
            requests.push(async move { (request_id, send(request).await) });
        }
        let locker = lock(servers[servers.len() - 1], &w.reseller_admin, &w.tenant);
        let (answers, (locked_status, _)) = tokio::join!(futures::future::join_all(requests), locker);
        assert_eq!(locked_status, StatusCode::NO_CONTENT);
        let seen: Vec<Seen> = answers
            .into_iter()
            .map(|(request_id, (status, body))| {
                let refused = (status, body["error"]["code"].as_str()) == (StatusCode::LOCKED, Some("tree_locked"));
                assert!(status.is_success() || refused, "{request_id}: {status} {body}");
                Seen { request_id, status }
            })
            .collect();
        let url = servers[0].url(&format!("{API}/audit?node={}&page_size=1000", w.tenant));
        let (_, audit) = send(w.root.get(url)).await;
        let events = audit["events"].as_array().unwrap();
        // Newest first: this round's lock, and before it (older) only the writes that applied.
        let lock_at = events.iter().position(|e| e["action"] == "tenant.lock").expect("the lock is recorded");
        let applied = |e: &&Value| e["outcome"] == "applied" && e["requestId"].as_str().unwrap().starts_with("race-");
        let after: Vec<&Value> = events[..lock_at].iter().filter(applied).collect();
        assert!(after.is_empty(), "round {round}: applied after the lock: {after:?}");
        for write in &seen {
            let entry = events.iter().position(|e| e["requestId"] == write.request_id.as_str());
            let entry = entry.unwrap_or_else(|| panic!("round {round}: {} unrecorded", write.request_id));
            let outcome = events[entry]["outcome"].as_str().unwrap();
            if write.status.is_success() {
                assert!(entry > lock_at && outcome == "applied", "round {round}: {} {outcome}", write.request_id);
            } else {
                assert_eq!(outcome, "refused", "round {round}: {}", write.request_id);
            }
        }
        // The next round's lock is the newest again.
        assert_eq!(unlock(servers[0], &w.reseller_admin, &w.tenant).await.0, StatusCode::NO_CONTENT);
    }
}

pub(crate) async fn writes_racing_a_lock_applied_before_it_or_are_refused(store: Store) {
    let server = Server::start(store).await;
    race(&[&server], 4).await;
    server.stop().await;
}

/// The race spread over two `canopy` processes on one PostgreSQL database.
pub(crate) async fn writes_racing_a_lock_over_two_processes_applied_before_it_or_are_refused() {
    let Store::Postgres(url) = Store::postgres().await else { unreachable!() };
    let start = || Server::start(Store::Postgres(url.clone()));
    let (a, b) = tokio::join!(start(), start());
    race(&[&a, &b], 3).await;
    a.stop().await;
    b.stop().await;
}
