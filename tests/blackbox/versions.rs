//! Over real HTTP, once per store: concurrent PUTs made on one version of a node and of a voice
//! route, of which exactly one applies each round (no lost update), the others answered 426.

use super::server::{Server, Store};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// `RACERS` PUTs of `path`, all with the `If-Match` of the version they read, for 5 rounds.
async fn race(client: &reqwest::Client, path: &str, body: impl Fn(usize) -> Value, ok: StatusCode) {
    const RACERS: usize = 8;
    for round in 0..5 {
        let version = round + 1;
        let puts = (0..RACERS).map(|i| {
            let request = client.put(path).header("if-match", format!("\"{version}\"")).json(&body(round * RACERS + i));
            async move { request.send().await.unwrap() }
        });
        let responses = futures::future::join_all(puts).await;
        let applied: Vec<&reqwest::Response> = responses.iter().filter(|r| r.status() == ok).collect();
        assert_eq!(applied.len(), 1, "round {round}: exactly one PUT applies");
        assert_eq!(applied[0].headers()["etag"], format!("\"{}\"", version + 1).as_str());
        let stale = responses.iter().filter(|r| r.status() == StatusCode::UPGRADE_REQUIRED).count();
        assert_eq!(stale, RACERS - 1, "round {round}: the others are told their version is stale");
    }
}

pub(super) async fn concurrent_puts_on_one_version_apply_exactly_once(store: Store) {
    let server = Server::start(store).await;
    let base = server.url("/api/v01/draas/default");
    let client = server.client().await;
    let created = client.post(format!("{base}/groups")).json(&json!({ "name": "G" })).send().await.unwrap();
    let group = created.json::<Value>().await.unwrap()["uuid"].as_str().unwrap().to_owned();
    let node = format!("{base}/groups/{group}");
    race(&client, &node, |i| json!({ "name": format!("G{i}") }), StatusCode::OK).await;
    let read = client.get(&node).send().await.unwrap();
    assert_eq!(read.headers()["etag"], "\"6\"");

    let routes = format!("{node}/configurations/voice_routing/voice_routes");
    let route = json!({ "name": "R", "priority": 1, "pattern": ".*" });
    let created = client.post(&routes).json(&route).send().await.unwrap();
    assert_eq!((created.status(), created.headers()["etag"].to_str().unwrap()), (StatusCode::NO_CONTENT, "\"1\""));
    let location = created.headers()["location"].to_str().unwrap().to_owned();
    race(&client, &server.url(&location), |i| json!({ "priority": i }), StatusCode::NO_CONTENT).await;
    let list: Value = client.get(&routes).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["voiceRoutes"][0]["version"], 6, "one version per round, none lost");
    server.stop().await;
}
