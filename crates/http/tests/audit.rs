//! The audit log over HTTP: every kind of change is listed with its request, actor, action and
//! node; secrets never show; each administrator sees its subtree only; paging; refusals.

mod support;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Api, BASE};

/// Every entry the caller sees, newest first.
async fn events(api: &Api) -> Vec<Value> {
    let (status, body) = api.get(&format!("{BASE}/audit?pageSize=1000")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["events"].as_array().unwrap().clone()
}

/// The entry of the request `id`, which must be the only one.
fn by_request<'a>(events: &'a [Value], id: &str) -> &'a Value {
    let found: Vec<&Value> = events.iter().filter(|e| e["requestId"] == id).collect();
    assert_eq!(found.len(), 1, "entries of request {id}: {found:?}");
    found[0]
}

/// Sends a change with its own request id; answers the status, after checking the id is echoed.
async fn change(api: &Api, method: Method, path: &str, id: &str, body: Option<Value>) -> StatusCode {
    let (status, headers, json) = api.send(method, path, &[("x-request-id", id)], body).await;
    assert_eq!(headers["x-request-id"], id);
    assert!(status.is_success() || status.is_client_error(), "{status}: {json}");
    status
}

#[tokio::test]
async fn every_kind_of_change_is_listed_with_its_request_actor_action_and_node() {
    let api = Api::new().await;
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
    let g = format!("{BASE}/groups/{group}");
    let tenant = api.create(&format!("{g}/tenants"), json!({ "name": "T", "tenantId": "t-1" })).await;
    let cases: Vec<(Method, String, Option<Value>, &str, String)> = vec![
        (Method::PUT, g.clone(), Some(json!({ "name": "G2" })), "group.update", group.clone()),
        (
            Method::POST,
            format!("{g}/admins"),
            Some(json!({ "adminEmail": "a@example.com" })),
            "admin.create",
            group.clone(),
        ),
        (
            Method::PUT,
            format!("{g}/configurations/general"),
            Some(json!({ "properties": { "draas_sbc_port": 5061 } })),
            "configuration.replace",
            group.clone(),
        ),
        (
            Method::PUT,
            format!("{g}/configurations/branding/general"),
            Some(json!({ "appTitle": "Acme" })),
            "branding.general.update",
            group.clone(),
        ),
        (
            Method::PUT,
            format!("{g}/enabled_ucs"),
            Some(json!({ "enabled_ucs": ["zoom"] })),
            "enabled_ucs.update",
            group.clone(),
        ),
        (
            Method::PUT,
            format!("{g}/rate_plans/gold/destinations/177"),
            Some(json!({ "destination": "Belgium" })),
            "rate_plan.destination.put",
            group.clone(),
        ),
        (
            Method::POST,
            format!("{g}/configurations/voice_routing/pstn_usages"),
            Some(json!({ "name": "U" })),
            "pstn_usage.create",
            group.clone(),
        ),
        (Method::DELETE, format!("{BASE}/tenants/{tenant}"), None, "tenant.delete", tenant.clone()),
    ];
    for (n, (method, path, body, ..)) in cases.iter().enumerate() {
        let status = change(&api, method.clone(), path, &format!("req-{n}"), body.clone()).await;
        assert!(status.is_success(), "{method} {path}: {status}");
    }
    let all = events(&api).await;
    for (n, (method, path, body, action, node)) in cases.iter().enumerate() {
        let entry = by_request(&all, &format!("req-{n}"));
        assert_eq!(entry["action"], *action);
        assert_eq!(entry["node"], node.as_str());
        assert_eq!(entry["method"], method.as_str());
        assert_eq!(entry["path"], path.as_str());
        assert_eq!(entry["actor"]["email"], canopy_app::testing::ROOT_EMAIL);
        assert_eq!(entry["outcome"], "applied");
        assert!(entry.get("reason").is_none());
        assert_eq!(entry.get("body"), Some(body.as_ref().unwrap_or(&Value::Null)));
        assert!(entry["at"].as_str().unwrap().ends_with('Z'));
    }
    // The creations before, without a request id of ours, are there too, node first.
    let created: Vec<&Value> = all.iter().filter(|e| e["action"] == "tenant.create").collect();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["node"], tenant.as_str());
    // Reads are not changes.
    assert!(all.iter().all(|e| e["method"] != "GET"));
}

#[tokio::test]
async fn secrets_never_reach_the_audit_log() {
    let api = Api::new().await;
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
    let path = format!("{BASE}/groups/{group}/configurations/general");
    let secrets = json!({ "properties": {
        "draas_sip_password": "sip-S3cret-value",
        "adminPassword": "admin-S3cret-value",
        "api_token": "token-S3cret-value",
        "plain": "visible-value",
    }});
    assert!(change(&api, Method::PUT, &path, "secret-put", Some(secrets.clone())).await.is_success());
    assert!(change(&api, Method::POST, &path, "secret-post", Some(secrets)).await.is_success());
    let (_, body) = api.get(&format!("{BASE}/audit?pageSize=1000")).await;
    let text = body.to_string();
    for secret in ["sip-S3cret-value", "admin-S3cret-value", "token-S3cret-value"] {
        assert!(!text.contains(secret), "{secret} is in the audit log: {text}");
    }
    let entry = by_request(body["events"].as_array().unwrap(), "secret-put");
    assert_eq!(entry["body"]["properties"]["draas_sip_password"], "********");
    assert_eq!(entry["body"]["properties"]["plain"], "visible-value", "only secrets are masked");
}

#[tokio::test]
async fn a_group_administrator_sees_its_subtree_and_never_a_siblings() {
    let api = Api::new().await;
    let mine = api.create(&format!("{BASE}/groups"), json!({ "name": "Mine" })).await;
    let other = api.create(&format!("{BASE}/groups"), json!({ "name": "Other" })).await;
    let admin = api.admin(&format!("/groups/{mine}"), "g@example.com").await;
    let below = format!("{BASE}/groups/{mine}/resellers");
    assert!(change(&admin, Method::POST, &below, "mine-reseller", Some(json!({ "name": "R" }))).await.is_success());
    let elsewhere = format!("{BASE}/groups/{other}/resellers");
    assert!(change(&api, Method::POST, &elsewhere, "other-reseller", Some(json!({ "name": "R" }))).await.is_success());
    let seen = events(&admin).await;
    let ids: Vec<&str> = seen.iter().map(|e| e["requestId"].as_str().unwrap()).collect();
    assert!(ids.contains(&"mine-reseller"), "{ids:?}");
    assert_eq!(by_request(&seen, "mine-reseller")["actor"]["email"], "g@example.com");
    assert!(!ids.contains(&"other-reseller"), "a sibling group's change shows: {ids:?}");
    // Instance-level entries (the groups' own creations are on the groups: those are in the
    // subtree; the system administrator's creation of another group is not).
    assert!(seen.iter().all(|e| e["node"] != other.as_str() && !e["node"].is_null()), "{seen:?}");
    // The node filter never widens the subtree; the system administrator sees both.
    let (_, filtered) = admin.get(&format!("{BASE}/audit?node={other}")).await;
    assert_eq!(filtered["results"], 0);
    let (_, everything) = api.get(&format!("{BASE}/audit?node={other}")).await;
    assert!(everything["results"].as_u64().unwrap() >= 2, "{everything}");
    let (status, body) = admin.get(&format!("{BASE}/audit?node=not-a-uuid")).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_query")));
}

#[tokio::test]
async fn paging_with_next_walks_the_log_newest_first() {
    let api = Api::new().await;
    for n in 0..5 {
        api.create(&format!("{BASE}/groups"), json!({ "name": format!("G{n}") })).await;
    }
    let (status, first) = api.get(&format!("{BASE}/audit?page_size=2")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (first["page"].as_u64(), first["pages"].as_u64(), first["results"].as_u64()),
        (Some(1), Some(3), Some(5))
    );
    let mut ids: Vec<i64> = Vec::new();
    let mut page = first;
    loop {
        ids.extend(page["events"].as_array().unwrap().iter().map(|e| e["id"].as_i64().unwrap()));
        let Some(next) = page["next"].as_str() else { break };
        let (status, body) = api.get(&format!("{BASE}/audit?next={next}")).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        page = body;
    }
    assert_eq!(ids.len(), 5);
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first, each once: {ids:?}");
    let (status, body) = api.get(&format!("{BASE}/audit?next=forged.token")).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_next_token")));
    let (status, _) = api.get(&format!("{BASE}/audit?pageSize=0")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_refused_change_is_listed_as_refused_with_its_reason() {
    let api = Api::new().await;
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
    let resellers = format!("{BASE}/groups/{group}/resellers");
    api.create(&resellers, json!({ "name": "R" })).await;
    let status = change(&api, Method::POST, &resellers, "dup", Some(json!({ "name": "r" }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "duplicate_name");
    let busy = format!("{BASE}/groups/{group}");
    assert_eq!(change(&api, Method::DELETE, &busy, "busy", None).await, StatusCode::BAD_REQUEST);
    // Refused before the store (invalid input, a node that does not exist): not recorded.
    assert_eq!(
        change(&api, Method::POST, &resellers, "invalid", Some(json!({ "name": "" }))).await,
        StatusCode::BAD_REQUEST
    );
    let missing = format!("{BASE}/groups/{}", uuid::Uuid::new_v4());
    assert_eq!(
        change(&api, Method::PUT, &missing, "missing", Some(json!({ "name": "x" }))).await,
        StatusCode::NOT_FOUND
    );
    let all = events(&api).await;
    let dup = by_request(&all, "dup");
    assert_eq!(
        (dup["outcome"].as_str(), dup["reason"].as_str()),
        (Some("refused"), Some("a sibling already has this name"))
    );
    assert_eq!(dup["node"], group.as_str(), "a refused creation is recorded on the parent");
    let busy = by_request(&all, "busy");
    assert_eq!(busy["outcome"], "refused");
    assert!(busy["reason"].as_str().unwrap().contains("children"), "{busy}");
    for absent in ["invalid", "missing"] {
        assert!(all.iter().all(|e| e["requestId"] != absent), "{absent} was recorded");
    }
    // The group's administrators see the refusals in their subtree too.
    let admin = api.admin(&format!("/groups/{group}"), "g@example.com").await;
    let seen = events(&admin).await;
    assert_eq!(by_request(&seen, "dup")["outcome"], "refused");
}

#[tokio::test]
async fn activations_are_recorded_as_the_administrators_own_changes_without_their_body() {
    let api = Api::new().await;
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
    let admin = api.admin(&format!("/groups/{group}"), "g@example.com").await;
    let activation = events(&admin)
        .await
        .into_iter()
        .find(|e| e["action"] == "admin.activate")
        .expect("the activation is in the group's log");
    assert_eq!(activation["actor"]["email"], "g@example.com", "the holder of the link acts");
    assert_eq!(activation["node"], group.as_str());
    assert_eq!(
        (activation["method"].as_str(), activation["path"].as_str()),
        (Some("POST"), Some("/api/v01/auth/activate"))
    );
    assert_eq!(activation["body"], Value::Null, "an activation's body holds only secrets: none is kept");
    assert_eq!(activation["outcome"], "applied");
}
