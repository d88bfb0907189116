//! The race scenarios over real HTTP, spread across the processes of one deployment: run once
//! per store against one process, and on PostgreSQL against two processes on one database, as
//! behind a load balancer, where request `i` of a scenario goes to process `i % n`. Every
//! invariant (delete-when-empty, one update per version, unique names) must hold either way:
//! the rules live in the database's locks and constraints, never in one process's memory.

use super::server::{Server, Store};
use futures::future::join_all;
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};

/// The processes a scenario speaks to, and one administrator's session valid on all of them.
struct Processes<'a> {
    servers: &'a [Server],
    client: Client,
}

impl<'a> Processes<'a> {
    async fn new(servers: &'a [Server]) -> Self {
        Self { servers, client: servers[0].client().await }
    }

    /// `path` below the default instance, on the process that serves request `i`.
    fn url(&self, i: usize, path: &str) -> String {
        self.servers[i % self.servers.len()].url(&format!("/api/v01/draas/default{path}"))
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Response {
        request.send().await.unwrap()
    }

    async fn create(&self, i: usize, path: &str, body: Value) -> Response {
        self.send(self.client.post(self.url(i, path)).json(&body)).await
    }

    async fn read(&self, i: usize, path: &str) -> Value {
        let response = self.send(self.client.get(self.url(i, path))).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        response.json().await.unwrap()
    }
}

async fn uuid_of(response: Response) -> String {
    assert_eq!(response.status(), StatusCode::OK);
    response.json::<Value>().await.unwrap()["uuid"].as_str().unwrap().to_owned()
}

/// 50 tenant creations race the deletion of their reseller, 5 rounds: either the deletion
/// wins and no creation was acknowledged, or it is refused and the counters count exactly the
/// acknowledged tenants.
async fn creations_racing_a_delete_keep_the_tree_whole(on: &Processes<'_>) {
    for round in 0..5 {
        let group = uuid_of(on.create(round, "/groups", json!({ "name": format!("Race {round}") })).await).await;
        let reseller = on.create(round + 1, &format!("/groups/{group}/resellers"), json!({ "name": "R" })).await;
        let reseller = uuid_of(reseller).await;
        let tenants = format!("/resellers/{reseller}/tenants");
        let creations = (0..50)
            .map(|i| on.create(i, &tenants, json!({ "name": format!("T{i}"), "tenantId": format!("r{round}-t{i}") })));
        let deletion = on.send(on.client.delete(on.url(round, &format!("/resellers/{reseller}"))));
        let (responses, deletion) = tokio::join!(join_all(creations), deletion);
        let acknowledged = responses.iter().filter(|r| r.status() == StatusCode::OK).count();
        assert!(responses.iter().all(|r| [StatusCode::OK, StatusCode::NOT_FOUND].contains(&r.status())));
        let reseller_status = on.send(on.client.get(on.url(round + 1, &format!("/resellers/{reseller}")))).await;
        let group = on.read(round, &format!("/groups/{group}")).await;
        match deletion.status() {
            StatusCode::OK => {
                assert_eq!(reseller_status.status(), StatusCode::NOT_FOUND);
                assert_eq!(acknowledged, 0, "round {round}: a tenant was acknowledged under a deleted reseller");
                assert_eq!(group["nbOfTenants"], 0);
            }
            StatusCode::BAD_REQUEST => {
                assert_eq!(reseller_status.status(), StatusCode::OK);
                let list = on.read(round + 1, &format!("{tenants}?page_size=1000")).await;
                assert_eq!(list["results"], acknowledged as u64);
                assert_eq!(group["nbOfTenants"], acknowledged as u64);
            }
            other => panic!("unexpected deletion status {other}"),
        }
    }
}

/// 8 PUTs made on one version, 5 rounds: exactly one applies each round, the others are told
/// their version is stale (426).
async fn race_puts(on: &Processes<'_>, path: &str, body: impl Fn(usize) -> Value, ok: StatusCode) {
    const RACERS: usize = 8;
    for round in 0..5 {
        let version = round + 1;
        let puts = (0..RACERS).map(|i| {
            let request = on.client.put(on.url(i, path)).header("if-match", format!("\"{version}\""));
            on.send(request.json(&body(round * RACERS + i)))
        });
        let responses = join_all(puts).await;
        let applied: Vec<&Response> = responses.iter().filter(|r| r.status() == ok).collect();
        assert_eq!(applied.len(), 1, "round {round}: exactly one PUT applies");
        assert_eq!(applied[0].headers()["etag"], format!("\"{}\"", version + 1).as_str());
        let stale = responses.iter().filter(|r| r.status() == StatusCode::UPGRADE_REQUIRED).count();
        assert_eq!(stale, RACERS - 1, "round {round}: the others are told their version is stale");
    }
}

/// Concurrent PUTs on one version of a node and of a voice route: no lost update.
async fn puts_on_one_version_apply_exactly_once(on: &Processes<'_>) {
    let group = uuid_of(on.create(0, "/groups", json!({ "name": "G" })).await).await;
    let node = format!("/groups/{group}");
    race_puts(on, &node, |i| json!({ "name": format!("G{i}") }), StatusCode::OK).await;
    let read = on.send(on.client.get(on.url(1, &node))).await;
    assert_eq!(read.headers()["etag"], "\"6\"");

    let routes = format!("{node}/configurations/voice_routing/voice_routes");
    let route = json!({ "name": "R", "priority": 1, "pattern": ".*" });
    let created = on.create(0, &routes, route).await;
    assert_eq!((created.status(), created.headers()["etag"].to_str().unwrap()), (StatusCode::NO_CONTENT, "\"1\""));
    let location = created.headers()["location"].to_str().unwrap();
    let route = location.strip_prefix("/api/v01/draas/default").expect("a location below the instance").to_owned();
    race_puts(on, &route, |i| json!({ "priority": i }), StatusCode::NO_CONTENT).await;
    let list = on.read(1, &routes).await;
    assert_eq!(list["voiceRoutes"][0]["version"], 6, "one version per round, none lost");
}

/// 10 creations of one name (in another case each time) under one parent: exactly one wins,
/// the others are refused as duplicates, and one such child is stored.
async fn same_name_creations_store_one(on: &Processes<'_>) {
    let group = uuid_of(on.create(0, "/groups", json!({ "name": "Names" })).await).await;
    let resellers = format!("/groups/{group}/resellers");
    let creations = (0..10).map(|i| {
        let name = if i % 2 == 0 { "Same" } else { "SAME" };
        on.create(i, &resellers, json!({ "name": name }))
    });
    let responses = join_all(creations).await;
    assert_eq!(responses.iter().filter(|r| r.status() == StatusCode::OK).count(), 1, "exactly one wins");
    for refused in responses.into_iter().filter(|r| r.status() != StatusCode::OK) {
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
        assert_eq!(refused.json::<Value>().await.unwrap()["error"]["code"], "duplicate_name");
    }
    assert_eq!(on.read(1, &resellers).await["results"], 1);
    assert_eq!(on.read(0, &format!("/groups/{group}")).await["nbOfResellers"], 1);
}

/// Every scenario against one process of `store`.
pub(super) async fn races_keep_every_invariant(store: Store) {
    let servers = [Server::start(store).await];
    run_all(&Processes::new(&servers).await).await;
    for server in servers {
        server.stop().await;
    }
}

/// Every scenario spread across two processes on one PostgreSQL database.
pub(super) async fn races_spread_over_two_processes_keep_every_invariant() {
    let Store::Postgres(url) = Store::postgres().await else { unreachable!() };
    let start = || Server::start(Store::Postgres(url.clone()));
    let (a, b) = tokio::join!(start(), start());
    let servers = [a, b];
    run_all(&Processes::new(&servers).await).await;
    for server in servers {
        server.stop().await;
    }
}

async fn run_all(on: &Processes<'_>) {
    creations_racing_a_delete_keep_the_tree_whole(on).await;
    puts_on_one_version_apply_exactly_once(on).await;
    same_name_creations_store_one(on).await;
}
