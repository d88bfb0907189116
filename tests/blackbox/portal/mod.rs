//! The portal face against the real binary, once per store (issue 17): the spec's example
//! requests replayed (`examples.rs`, with their lines), on the canonical mount and the `/api/1`
//! alias, and the version race (8 PUTs on one version: exactly one applies).

mod brand;
mod examples;
mod lock;
mod session;
mod tokens;

use super::server::{Server, Store};
pub(crate) use brand::{
    concurrent_brand_writes_on_one_version_apply_exactly_once, replays_the_portal_brand_logo_and_settings_examples,
};
use examples::*;
pub(crate) use lock::{
    a_lock_refuses_the_writes_below_it_on_every_face, writes_racing_a_lock_applied_before_it_or_are_refused,
    writes_racing_a_lock_over_two_processes_applied_before_it_or_are_refused,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
pub(crate) use session::portal_logins_sessions_lists_and_links_over_the_binary;
pub(crate) use tokens::an_impersonation_token_is_audited_used_and_expires;

pub(crate) const PORTAL: &str = "/api/v01/draas/default/portal/api/1";

async fn send(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap() })
}

pub(crate) async fn replays_the_portal_specs_examples(store: Store) {
    let server = Server::start(store).await;
    let client = server.client().await;
    let portal = server.url(PORTAL);
    let alias = server.url("/api/1");

    // GET /logic/rules (L60354), GET /logic/constants (L58941), on both mounts.
    for base in [&portal, &alias] {
        let (status, rules) = send(client.get(format!("{base}/logic/rules"))).await;
        assert_eq!((status, &rules["GroupBusinessRules"]["creation"]), (StatusCode::OK, &creation_rules()));
        let (status, constants) = send(client.get(format!("{base}/logic/constants"))).await;
        assert_eq!((status, &constants["GroupsKind"]), (StatusCode::OK, &groups_kind()));
    }

    // A group under the root, found through Canopy's face: the root is its parent.
    let (_, group) = send(client.post(server.url("/api/v01/draas/default/groups")).json(&json!({ "name": "G" }))).await;
    let group_uuid = group["uuid"].as_str().unwrap().to_owned();
    let (status, group) = send(client.get(format!("{portal}/groups/{group_uuid}"))).await;
    assert_eq!(status, StatusCode::OK, "{group}");
    let (group_id, root) = (group["id"].as_i64().unwrap(), group["parent_id"].as_i64().unwrap());
    assert_eq!((group["kind"].clone(), group["grade"].clone()), (json!(10), json!(1)));

    // POST /groups/{group}/children (L33205, example L33345): the seed's example names a backup
    // storage (`storage`), which Canopy does not keep, refused by name; without it, the tenant is
    // created with its language, its `customer_id` its tenant id.
    let children = format!("{portal}/groups/{group_id}/children");
    let (status, refused) = send(client.post(&children).json(&post_children_example())).await;
    assert_eq!((status, refused["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_body")));
    assert!(refused["error"]["message"].as_str().unwrap().contains("storage"), "{refused}");
    let (status, created) = send(client.post(&children).json(&post_children_kept())).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["version"], 1);
    let (tenant_id, tenant_uuid) = (created["id"].as_i64().unwrap(), created["uuid"].as_str().unwrap().to_owned());
    let (status, duplicate) = send(client.post(&children).json(&post_children_kept())).await;
    assert_eq!((status, duplicate["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("duplicate_name")));

    // GET /groups/{group} (L22436, example L22873), by id and by uuid, on both mounts.
    let (status, tenant) = send(client.get(format!("{alias}/groups/{tenant_id}"))).await;
    assert_eq!(status, StatusCode::OK, "{tenant}");
    assert_eq!(
        tenant,
        json!({ "id": tenant_id, "uuid": tenant_uuid, "name": "Example", "kind": 40, "grade": 2,
                "parent_id": group_id, "version": 1, "status": 1, "locked": 0, "has_children": 0,
                "customer_id": "123asd", "language": "en" })
    );
    let (_, by_uuid) = send(client.get(format!("{portal}/groups/{tenant_uuid}"))).await;
    assert_eq!(by_uuid, tenant);
    let (_, root_body) = send(client.get(format!("{portal}/groups/{root}"))).await;
    assert_eq!((root_body["kind"].clone(), root_body["grade"].clone()), (json!(0), json!(0)));

    // POST /groups/{group}/lock (L36727) and DELETE (L36096), on both mounts: 204 "No Content"
    // (the examples, L36744 and L36113), the lock shown as the Canopy extension `locked`.
    for base in [&portal, &alias] {
        let (status, body) = send(client.post(format!("{base}/groups/{tenant_id}/lock"))).await;
        assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
        let (_, locked) = send(client.get(format!("{base}/groups/{tenant_uuid}"))).await;
        assert_eq!((&locked["locked"], &locked["version"]), (&json!(1), &json!(1)), "no part of the version");
        let (status, body) = send(client.delete(format!("{base}/groups/{tenant_uuid}/lock"))).await;
        assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
        let (_, unlocked) = send(client.get(format!("{base}/groups/{tenant_id}"))).await;
        assert_eq!(unlocked["locked"], 0);
    }
    let (status, root_lock) = send(client.post(format!("{portal}/groups/{root}/lock"))).await;
    assert_eq!((status, root_lock["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_target")));
    let (status, absent) = send(client.delete(format!("{portal}/groups/999999999/lock"))).await;
    assert_eq!((status, absent["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));

    // GET /groups?prefix=group&limit=10&strict=0 (L21092, its examples L21102–L21110): none is
    // named so here; then the tenant by its name.
    let (status, found) = send(client.get(format!("{portal}/groups?prefix=group&limit=10&strict=0"))).await;
    assert_eq!((status, found), (StatusCode::OK, json!({ "items": [] })));
    let (_, found) = send(client.get(format!("{alias}/groups?prefix=exam&limit=10&strict=0"))).await;
    assert_eq!(
        found,
        json!({ "items": [{ "id": tenant_id, "uuid": tenant_uuid, "name": "Example", "parent_id": group_id, "kind": 40 }] })
    );

    // GET /groups/{group}/children (L32212) with the example's request_type and uuids (L32224,
    // L32228): none of those uuids is a child here; then the tenant's own.
    let (status, batch) =
        send(client.get(format!("{children}?request_type=tenants_batch&uuids={CHILDREN_UUIDS}"))).await;
    assert_eq!((status, batch), (StatusCode::OK, json!({ "items": [] })));
    let (_, batch) = send(client.get(format!("{children}?request_type=tenants_batch&uuids={tenant_uuid}"))).await;
    assert_eq!(batch["items"][0]["id"], tenant_id);
    let (_, uuids) = send(client.get(format!("{children}?request_type=uuids_list"))).await;
    assert_eq!(uuids, json!({ "items": [tenant_uuid] }));

    // Settings (L44795–L50739): the flags' example set and read back, the logon IP list's example
    // set, read (also under `limits`), disabled; the aggregate.
    let settings = format!("{portal}/groups/{tenant_id}/settings");
    let (status, answer) = send(client.post(format!("{settings}/flags")).json(&flags_example())).await;
    assert_eq!((status, answer), (StatusCode::OK, json!("Success")));
    let (status, flags) = send(client.get(format!("{settings}/flags"))).await;
    assert_eq!((status, flags), (StatusCode::OK, flags_example()));
    let (status, answer) = send(client.post(format!("{settings}/logon_ips")).json(&logon_ips_example())).await;
    assert_eq!((status, answer), (StatusCode::OK, json!("Success")));
    let enabled = json!({ "status": 1, "items": ["203.0.113.2", "203.0.113.23 - 203.0.113.200"] });
    let (_, list) = send(client.get(format!("{settings}/logon_ips"))).await;
    assert_eq!(list, enabled);
    let (_, copy) = send(client.get(format!("{alias}/groups/{tenant_id}/limits/logon_ips"))).await;
    assert_eq!(copy, enabled);
    let (status, _) = send(client.delete(format!("{portal}/groups/{tenant_id}/limits/logon_ips"))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, all) = send(client.get(&settings)).await;
    assert_eq!(status, StatusCode::OK);
    let expected = json!({ "flags": flags_example(), "logon_ips": { "status": 0, "items": enabled["items"] },
                           "agents_autoupdate": { "status": 1 }, "local_backup_restriction": { "status": 0, "visible": 1 } });
    assert_eq!(all, expected, "the brand's test (brand.rs) replays the aggregate's own example");

    // Service users (L55997–L71512): POST /groups/{group}/users with the seed's example (refused
    // by its first field Canopy does not keep), then its kept fields; GET the list (L55997) and
    // the user (L70734); PUT (L71512) the same way; DELETE (L70012).
    let users = format!("{portal}/groups/{tenant_id}/users");
    let (status, refused) = send(client.post(&users).json(&user_example())).await;
    assert_eq!((status, refused["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_body")));
    let (status, created) = send(client.post(&users).json(&user_kept())).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (user_id, user_uuid) = (created["id"].as_i64().unwrap(), created["uuid"].as_str().unwrap().to_owned());
    let (status, duplicate) = send(client.post(&users).json(&user_kept())).await;
    assert_eq!((status, duplicate["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("duplicate_user_id")));
    let (status, user) = send(client.get(format!("{alias}/users/{user_uuid}"))).await;
    assert_eq!(status, StatusCode::OK, "{user}");
    assert_eq!(
        user,
        json!({ "id": user_id, "uuid": user_uuid, "tenant_id": tenant_id, "login": "john.doe", "firstname": "John",
                "lastname": "Doe", "email": "john.doe@mail.com", "phone": "+1(1111)-1111-1111", "version": 1 })
    );
    let (_, list) = send(client.get(format!("{users}?include_hidden=1"))).await;
    assert_eq!(list, json!({ "items": [user] }));
    let user_item = format!("{portal}/users/{user_id}");
    let (status, _) = send(client.put(format!("{user_item}?version=1")).json(&user_example())).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, changed) =
        send(client.put(format!("{user_item}?version=1")).json(&json!({ "lastname": "Smith" }))).await;
    assert_eq!((status, changed), (StatusCode::OK, json!({ "version": 2 })));
    let (status, _) = send(client.delete(format!("{user_item}?version=2"))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = send(client.delete(&user_item)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Administrators (L9683–L25601): POST /groups/{group}/admins with the seed's example, then its
    // kept fields; GET the list (L24902) and the administrator (L10405); PUT (L11068); DELETE (L9683).
    let admins = format!("{portal}/groups/{tenant_id}/admins");
    let (status, refused) = send(client.post(&admins).json(&admin_example())).await;
    assert_eq!((status, refused["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_body")));
    let (status, created) = send(client.post(&admins).json(&admin_kept())).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let admin_id = created["id"].as_i64().unwrap();
    assert_eq!(created, json!({ "id": admin_id, "user_id": admin_id, "version": 1 }));
    let (status, admin) = send(client.get(format!("{alias}/admins/{admin_id}"))).await;
    assert_eq!(status, StatusCode::OK, "{admin}");
    assert_eq!(
        admin,
        json!({ "id": admin_id, "user_id": admin_id, "login": "example@mail.com", "email": "example@mail.com",
                "firstname": "Example", "lastname": "Example", "phone": null, "group": tenant_id, "access_type": 1,
                "status": -1, "version": 1 })
    );
    let (_, list) = send(client.get(&admins)).await;
    assert_eq!(list, json!({ "items": [admin] }));
    // GET /groups?limit=10&prefix=…&strict=0 (L21092, example L21164): a group (kind 40) and an
    // administrator (kind null, its group as parent), as the seed's example shows them.
    let (status, found) = send(client.get(format!("{alias}/groups?limit=10&prefix=example&strict=0"))).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(
        found,
        json!({ "items": [
            { "id": tenant_id, "uuid": tenant_uuid, "name": "Example", "parent_id": group_id, "kind": 40 },
            { "id": admin_id, "uuid": null, "name": "example@mail.com", "parent_id": tenant_id, "kind": null }
        ] })
    );
    let admin_item = format!("{portal}/admins/{admin_id}");
    let (status, changed) =
        send(client.put(format!("{admin_item}?version=1")).json(&json!({ "lastname": "Changed" }))).await;
    assert_eq!((status, changed), (StatusCode::OK, json!({ "version": 2 })));
    let (status, _) = send(client.delete(format!("{admin_item}?version=2"))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = send(client.get(&admin_item)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // PUT /groups/{group}?version=1 (L23640, example L23897): the example whole; its stored
    // fields read back beside the ones the creation set.
    let item = format!("{portal}/groups/{tenant_id}");
    let (status, changed) = send(client.put(format!("{item}?version=1")).json(&put_group_example())).await;
    assert_eq!((status, changed), (StatusCode::OK, json!({ "version": 2 })));
    let (_, read) = send(client.get(&item)).await;
    let example = put_group_example();
    for field in ["name", "status", "billing", "internal_tag", "language"] {
        assert_eq!(read[field], example[field], "{field}: {read}");
    }
    assert_eq!(read["customer_id"], "123asd", "the tenant's id");
    let (status, stale) = send(client.put(format!("{item}?version=1")).json(&put_group_kept())).await;
    assert_eq!((status, stale["error"]["message"].as_str()), (StatusCode::UPGRADE_REQUIRED, Some("Version mismatch")));

    // DELETE /groups/{group}?version=1 (L21714): not while it holds something, 426 when stale,
    // 204, then 404.
    let (status, not_empty) = send(client.delete(format!("{portal}/groups/{group_id}"))).await;
    assert_eq!((status, not_empty["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("not_empty")));
    let (status, _) = send(client.delete(format!("{item}?version=1"))).await;
    assert_eq!(status, StatusCode::UPGRADE_REQUIRED);
    let (status, body) = send(client.delete(format!("{item}?version=2"))).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, absent) = send(client.delete(format!("{item}?version=2"))).await;
    assert_eq!((status, absent["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
    server.stop().await;
}

/// 8 PUTs of one group on one version, 5 rounds: exactly one applies each round, the others 426.
pub(crate) async fn concurrent_portal_puts_on_one_version_apply_exactly_once(store: Store) {
    let server = Server::start(store).await;
    let client = server.client().await;
    let portal = server.url(PORTAL);
    let (_, group) = send(client.post(server.url("/api/v01/draas/default/groups")).json(&json!({ "name": "G" }))).await;
    let item = format!("{portal}/groups/{}", group["uuid"].as_str().unwrap());
    for round in 0..5u64 {
        let version = round + 1;
        let puts = (0..8).map(|i| {
            let request =
                client.put(format!("{item}?version={version}")).json(&json!({ "name": format!("G{round}-{i}") }));
            async move { send(request).await }
        });
        let answers = futures::future::join_all(puts).await;
        let applied: Vec<&Value> = answers.iter().filter(|(s, _)| *s == StatusCode::OK).map(|(_, b)| b).collect();
        assert_eq!(applied, [&json!({ "version": version + 1 })], "round {round}: exactly one applies");
        let stale = answers.iter().filter(|(s, _)| *s == StatusCode::UPGRADE_REQUIRED).count();
        assert_eq!(stale, 7, "round {round}: the others are told their version is stale");
    }
    let (_, read) = send(client.get(&item)).await;
    assert_eq!(read["version"], 6, "one version per round, none lost");
    server.stop().await;
}
