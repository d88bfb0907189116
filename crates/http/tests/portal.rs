//! The portal face in-process (issue 17): its mount and alias, `{group}` by integer id or uuid,
//! the kinds and rules, and the groups' reads, changes, deletions and children, with the seed's
//! statuses where they differ from Canopy's own face.

mod support;

/// Service users and administrators.
#[path = "portal/accounts.rs"]
mod accounts;

use axum::http::{Method, StatusCode};
use canopy_app::testing::{ROOT_EMAIL, ROOT_PASSWORD, TestApp};
use canopy_http::{HttpConfig, router};
use serde_json::{Value, json};
use support::{Api, BASE};

const PORTAL: &str = "/api/v01/draas/default/portal/api/1";

/// Creates a `kind` child of `parent` (an integer id) through the portal; answers its integer id.
async fn child(api: &Api, parent: i64, kind: i64, name: &str) -> i64 {
    let (status, body) =
        api.post(&format!("{PORTAL}/groups/{parent}/children"), json!({ "name": name, "kind": kind })).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["version"], 1, "{body}");
    assert!(body["uuid"].is_string(), "{body}");
    body["id"].as_i64().unwrap()
}

/// The root's integer id: the instance's own.
async fn root(api: &Api) -> i64 {
    let (status, body) = api.post(&format!("{BASE}/groups"), json!({ "name": "probe" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let uuid = body["uuid"].as_str().unwrap().to_owned();
    let (_, group) = api.get(&format!("{PORTAL}/groups/{uuid}")).await;
    let root = group["parent_id"].as_i64().unwrap();
    let (status, _) = api.call(Method::DELETE, &format!("{PORTAL}/groups/{uuid}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    root
}

#[tokio::test]
async fn a_group_is_read_by_integer_id_or_uuid_with_its_kind_grade_and_parent() {
    let api = Api::new().await;
    let root = root(&api).await;
    let group = child(&api, root, 10, "Acme").await;
    let reseller = child(&api, group, 30, "Resell").await;
    let tenant = child(&api, reseller, 40, "Customer").await;
    let (status, by_id) = api.get(&format!("{PORTAL}/groups/{tenant}")).await;
    assert_eq!(status, StatusCode::OK, "{by_id}");
    assert_eq!(
        (by_id["kind"].clone(), by_id["grade"].clone(), by_id["parent_id"].clone(), by_id["name"].clone()),
        (json!(40), json!(3), json!(reseller), json!("Customer"))
    );
    let uuid = by_id["uuid"].as_str().unwrap();
    let (_, by_uuid) = api.get(&format!("{PORTAL}/groups/{uuid}")).await;
    assert_eq!(by_uuid, by_id);
    // The same node through Canopy's own face.
    let (_, canopy) = api.get(&format!("{BASE}/tenants/{uuid}")).await;
    assert_eq!(canopy["id"], tenant);
    let (_, group_body) = api.get(&format!("{PORTAL}/groups/{group}")).await;
    assert_eq!(
        (group_body["grade"].clone(), group_body["parent_id"].clone(), group_body["has_children"].clone()),
        (json!(1), json!(root), json!(1))
    );
    let (_, root_body) = api.get(&format!("{PORTAL}/groups/{root}")).await;
    assert_eq!(
        (root_body["kind"].clone(), root_body["grade"].clone(), root_body["uuid"].clone()),
        (json!(0), json!(0), Value::Null)
    );
    for bad in ["abc", "-1", "1.5"] {
        let (status, body) = api.get(&format!("{PORTAL}/groups/{bad}")).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_path")), "{bad}");
    }
    for absent in ["99999999", "2d279ee8-524b-4400-bc2d-b5d88616879d"] {
        let (status, body) = api.get(&format!("{PORTAL}/groups/{absent}")).await;
        assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")), "{absent}");
    }
}

#[tokio::test]
async fn the_bare_alias_serves_the_default_instance_only_when_one_is_set() {
    let TestApp { app, .. } = TestApp::start().await;
    let with =
        router(app.clone(), HttpConfig { default_instance: Some("default".to_owned()), ..HttpConfig::default() });
    let without = router(app.clone(), HttpConfig::default());
    let api = Api::new().await;
    let token = api.login(ROOT_EMAIL, ROOT_PASSWORD).await;
    let _ = token;
    let login = |router: axum::Router| {
        let app = app.clone();
        async move {
            let mut api = Api::new().await;
            api.router = router;
            api.app = app;
            api.token = Some(api.login(ROOT_EMAIL, ROOT_PASSWORD).await);
            api
        }
    };
    let served = login(with).await;
    let (status, rules) = served.get("/api/1/logic/rules").await;
    assert_eq!(status, StatusCode::OK, "{rules}");
    let (_, canonical) = served.get(&format!("{PORTAL}/logic/rules")).await;
    assert_eq!(rules, canonical);
    let unserved = login(without).await;
    let (status, body) = unserved.get("/api/1/logic/rules").await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("route_not_found")));
}

#[tokio::test]
async fn the_rules_are_canopys_creation_rules_in_portal_kinds() {
    let api = Api::new().await;
    let (status, rules) = api.get(&format!("{PORTAL}/logic/rules")).await;
    assert_eq!(status, StatusCode::OK, "{rules}");
    assert_eq!(
        rules["GroupBusinessRules"]["creation"],
        json!({
            "0": {"any": [10]}, "10": {"any": [20, 30, 40]}, "20": {"any": [30, 40]}, "30": {"any": [40]},
            "40": {"any": [50, -1]}, "50": {"any": [-1]}
        })
    );
    let (_, constants) = api.get(&format!("{PORTAL}/logic/constants")).await;
    assert_eq!(
        constants["GroupsKind"],
        json!({"Root": 0, "Distributor": 10, "SubDistributor": 20, "MSP": 30, "EndUserCompany": 40,
               "CompanyDepartment": 50, "ServiceUser": -1})
    );
    assert_eq!(constants["Status"], json!({"Inactive": -1, "Disabled": 0, "Enabled": 1}));
}

#[tokio::test]
async fn a_child_of_a_kind_its_parent_cannot_hold_is_refused_listing_the_kinds_allowed() {
    let api = Api::new().await;
    let root = root(&api).await;
    let group = child(&api, root, 10, "G").await;
    let tenant = child(&api, group, 40, "T").await;
    let site = child(&api, tenant, 50, "sales").await;
    for (parent, kind, allowed) in [
        (root, 40, json!([10])),
        (group, 10, json!([20, 30, 40])),
        (group, 21, json!([20, 30, 40])),
        (tenant, -1, json!([50])),
        (site, 50, json!([])),
        (tenant, 0, json!([50])),
    ] {
        let (status, body) =
            api.post(&format!("{PORTAL}/groups/{parent}/children"), json!({ "name": "X", "kind": kind })).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("forbidden_child")),
            "{kind}: {body}"
        );
        assert_eq!(body["error"]["details"]["allowed"], allowed, "{kind}");
    }
    for body in [json!({ "name": "X" }), json!({ "kind": 20 }), json!({ "name": "X", "kind": 20, "storage": 1 })] {
        let (status, answer) = api.post(&format!("{PORTAL}/groups/{group}/children"), body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
    }
}

#[tokio::test]
async fn duplicates_are_409_stale_versions_426_and_absent_deletions_404() {
    let api = Api::new().await;
    let root = root(&api).await;
    let group = child(&api, root, 10, "G").await;
    let first = child(&api, group, 20, "One").await;
    child(&api, group, 20, "Two").await;
    let (status, body) =
        api.post(&format!("{PORTAL}/groups/{group}/children"), json!({ "name": "one", "kind": 20 })).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("duplicate_name")), "{body}");
    let item = format!("{PORTAL}/groups/{first}");
    let (status, body) = api.call(Method::PUT, &format!("{item}?version=1"), Some(json!({ "name": "TWO" }))).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("duplicate_name")), "{body}");
    let (status, body) =
        api.call(Method::PUT, &format!("{item}?version=1"), Some(json!({ "name": "Uno", "kind": 20 }))).await;
    assert_eq!((status, body.clone()), (StatusCode::OK, json!({ "version": 2 })));
    let (status, body) = api.call(Method::PUT, &format!("{item}?version=1"), Some(json!({ "name": "Eins" }))).await;
    assert_eq!(status, StatusCode::UPGRADE_REQUIRED, "{body}");
    assert_eq!(
        (body["error"]["message"].clone(), body["error"]["details"]["current"].clone()),
        (json!("Version mismatch"), json!(2))
    );
    let (status, body) = api.call(Method::PUT, &item, Some(json!({ "kind": 30 }))).await;
    assert_eq!((status, body["error"]["details"]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("kind")), "{body}");
    let (_, read) = api.get(&item).await;
    assert_eq!((read["name"].clone(), read["version"].clone()), (json!("Uno"), json!(2)));
    // Delete: a group that holds something is refused with its counts; a stale version is 426.
    let (status, body) = api.call(Method::DELETE, &format!("{PORTAL}/groups/{group}"), None).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("not_empty")), "{body}");
    assert_eq!(body["error"]["details"]["children"]["distributors"], 2, "{body}");
    let (status, _) = api.call(Method::DELETE, &format!("{item}?version=1"), None).await;
    assert_eq!(status, StatusCode::UPGRADE_REQUIRED);
    let (status, body) = api.call(Method::DELETE, &format!("{item}?version=2"), None).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, body) = api.call(Method::DELETE, &item, None).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")), "{body}");
    let (status, body) = api.call(Method::DELETE, &format!("{PORTAL}/groups/{root}"), None).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_target")), "{body}");
}

#[tokio::test]
async fn children_list_groups_with_has_children_or_their_uuids_or_a_batch_of_them() {
    let api = Api::new().await;
    let root = root(&api).await;
    let group = child(&api, root, 10, "G").await;
    let distributor = child(&api, group, 20, "D").await;
    let tenant = child(&api, group, 40, "T").await;
    child(&api, distributor, 30, "R").await;
    let user = format!("{PORTAL}/groups/{tenant}");
    let (_, tenant_body) = api.get(&user).await;
    let tenant_uuid = tenant_body["uuid"].as_str().unwrap().to_owned();
    // A user under the tenant is no group: not listed.
    let (status, _) = api
        .post(
            &format!("{BASE}/tenants/{tenant_uuid}/users"),
            json!({ "userId": "u1", "firstName": "F", "lastName": "L" }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, list) = api.get(&format!("{PORTAL}/groups/{group}/children")).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let items = list["items"].as_array().unwrap();
    let shown: Vec<(Value, Value, Value, Value)> = items
        .iter()
        .map(|i| (i["id"].clone(), i["kind"].clone(), i["parent_id"].clone(), i["has_children"].clone()))
        .collect();
    assert_eq!(
        shown,
        [(json!(distributor), json!(20), json!(group), json!(1)), (json!(tenant), json!(40), json!(group), json!(1))]
    );
    let (_, tenant_children) = api.get(&format!("{PORTAL}/groups/{tenant}/children")).await;
    assert_eq!(tenant_children, json!({ "items": [] }));
    let (_, uuids) = api.get(&format!("{PORTAL}/groups/{group}/children?request_type=uuids_list")).await;
    assert_eq!(uuids["items"].as_array().unwrap().len(), 2);
    assert!(uuids["items"].as_array().unwrap().contains(&json!(tenant_uuid)));
    let (_, batch) = api
        .get(&format!("{PORTAL}/groups/{group}/children?request_type=tenants_batch&uuids={tenant_uuid},2d279ee8-524b-4400-bc2d-b5d88616879d"))
        .await;
    assert_eq!(batch["items"].as_array().unwrap().len(), 1, "{batch}");
    assert_eq!(batch["items"][0]["id"], tenant);
    let (status, body) =
        api.get(&format!("{PORTAL}/groups/{group}/children?request_type=tenants_batch&uuids=nope")).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_query")));
    let (status, _) = api.get(&format!("{PORTAL}/groups/{group}/children?request_type=other")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // A user is not a group on this face.
    let (_, users) = api.get(&format!("{BASE}/tenants/{tenant_uuid}/users")).await;
    let user_id = users["users"][0]["id"].as_i64().unwrap();
    let (status, _) = api.get(&format!("{PORTAL}/groups/{user_id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_tenant_takes_its_customer_id_as_tenant_id_and_a_site_group_its_name_as_group_id() {
    let api = Api::new().await;
    let root = root(&api).await;
    let group = child(&api, root, 10, "G").await;
    let (status, created) = api
        .post(
            &format!("{PORTAL}/groups/{group}/children"),
            json!({ "name": "Cust", "kind": 40, "customer_id": "c-123" }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (_, tenant) = api.get(&format!("{BASE}/tenants/{}", created["uuid"].as_str().unwrap())).await;
    assert_eq!(tenant["tenantId"], "c-123");
    let (status, body) = api
        .post(
            &format!("{PORTAL}/groups/{group}/children"),
            json!({ "name": "Other", "kind": 40, "customer_id": "C-123" }),
        )
        .await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("duplicate_tenant_id")), "{body}");
    let site = child(&api, created["id"].as_i64().unwrap(), 50, "sales").await;
    let (_, body) = api.get(&format!("{PORTAL}/groups/{site}")).await;
    assert_eq!(
        (body["name"].clone(), body["kind"].clone(), body["grade"].clone()),
        (json!("sales"), json!(50), json!(3))
    );
}

#[tokio::test]
async fn a_search_finds_groups_by_name_and_administrators_by_login_at_most_the_limit_of_each() {
    let api = Api::new().await;
    let root = root(&api).await;
    let group = child(&api, root, 10, "Acme").await;
    let tenant = child(&api, group, 40, "Acme Customer").await;
    child(&api, root, 10, "Beta").await;
    let (status, boss) =
        api.post(&format!("{PORTAL}/groups/{tenant}/admins"), json!({ "email": "acme-boss@example.com" })).await;
    assert_eq!(status, StatusCode::CREATED, "{boss}");
    let (status, found) = api.get(&format!("{PORTAL}/groups?prefix=acme")).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    let shown: Vec<(Value, Value, Value)> = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["id"].clone(), i["kind"].clone(), i["parent_id"].clone()))
        .collect();
    let admin = (boss["id"].clone(), Value::Null, json!(tenant));
    assert_eq!(shown, [(json!(group), json!(10), json!(root)), (json!(tenant), json!(40), json!(group)), admin]);
    assert_eq!(
        (&found["items"][2]["name"], &found["items"][2]["uuid"]),
        (&json!("acme-boss@example.com"), &Value::Null)
    );
    let (_, strict) = api.get(&format!("{PORTAL}/groups?prefix=ACME&strict=1")).await;
    assert_eq!(strict["items"].as_array().unwrap().len(), 1);
    let (_, strict) = api.get(&format!("{PORTAL}/groups?prefix=Acme-Boss@example.com&strict=1")).await;
    assert_eq!(strict["items"].as_array().unwrap().len(), 1, "{strict}");
    // The limit holds for groups and for administrators each (the root's and the tenant's here).
    let (_, limited) = api.get(&format!("{PORTAL}/groups?limit=1")).await;
    let kinds: Vec<bool> = limited["items"].as_array().unwrap().iter().map(|i| i["kind"].is_null()).collect();
    assert_eq!(kinds, [false, true], "{limited}");
    for bad in ["limit=0", "limit=101", "strict=2", "limit=x"] {
        let (status, body) = api.get(&format!("{PORTAL}/groups?{bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
    }
}

#[tokio::test]
async fn flags_and_logon_ips_are_kept_as_the_groups_configuration_normalised_and_bounded() {
    let api = Api::new().await;
    let root = root(&api).await;
    let group = child(&api, root, 10, "G").await;
    let settings = format!("{PORTAL}/groups/{group}/settings");
    let (status, all) = api.get(&settings).await;
    assert_eq!(status, StatusCode::OK, "{all}");
    assert_eq!(
        all,
        json!({ "flags": { "allow_add_devices": 1, "allow_download_tools": 1, "allow_download_docs": 1,
                           "allow_download_agents": 1 },
                "logon_ips": { "status": 0, "items": [] }, "agents_autoupdate": { "status": 1 },
                "local_backup_restriction": { "status": 0, "visible": 1 } })
    );
    let (status, answer) = api.post(&format!("{settings}/flags"), json!({ "allow_download_docs": 0 })).await;
    assert_eq!((status, answer), (StatusCode::OK, json!("Success")));
    let (_, flags) = api.get(&format!("{settings}/flags")).await;
    assert_eq!(flags["allow_download_docs"], 0);
    assert_eq!(flags["allow_add_devices"], 1);
    for refused in [json!({ "allow_download_docs": 2 }), json!({ "allow_everything": 1 })] {
        let (status, _) = api.post(&format!("{settings}/flags"), refused.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    }
    let items = json!({ "items": ["203.0.113.2", "203.0.113.23-203.0.113.200", "203.0.113.45/27", "2001:DB8::1", "203.0.113.2"] });
    let (status, answer) = api.post(&format!("{settings}/logon_ips"), items).await;
    assert_eq!((status, answer), (StatusCode::OK, json!("Success")));
    let expected = json!({ "status": 1, "items": ["203.0.113.2", "203.0.113.23 - 203.0.113.200", "203.0.113.32/27", "2001:db8::1"] });
    let (_, list) = api.get(&format!("{settings}/logon_ips")).await;
    assert_eq!(list, expected);
    let (_, copy) = api.get(&format!("{PORTAL}/groups/{group}/limits/logon_ips")).await;
    assert_eq!(copy, expected, "the seed's copy under limits");
    for refused in [
        json!({ "items": ["nope"] }),
        json!({ "items": ["10.0.0.9 - 10.0.0.1"] }),
        json!({}),
        json!({ "items": ["10.0.0.1"], "x": 1 }),
    ] {
        let (status, body) = api.post(&format!("{settings}/logon_ips"), refused.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}: {body}");
    }
    let many: Vec<String> = (0..101).map(|i| format!("10.0.0.{i}")).collect();
    let (status, _) = api.post(&format!("{settings}/logon_ips"), json!({ "items": many })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "at most 100 items");
    let (status, _) = api.call(Method::DELETE, &format!("{PORTAL}/groups/{group}/limits/logon_ips"), None).await;
    assert_eq!(status, StatusCode::OK);
    let (_, list) = api.get(&format!("{settings}/logon_ips")).await;
    assert_eq!((list["status"].clone(), list["items"].as_array().unwrap().len()), (json!(0), 4), "disabled, kept");
    // The same data on Canopy's face: the group's general configuration.
    let (_, group_body) = api.get(&format!("{PORTAL}/groups/{group}")).await;
    let (_, config) =
        api.get(&format!("{BASE}/groups/{}/configurations/general", group_body["uuid"].as_str().unwrap())).await;
    assert_eq!(config["properties"]["portal.flags.allow_download_docs"], 0, "{config}");
    let (status, body) = api.get(&format!("{PORTAL}/groups/{root}/settings")).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_target")));
}

#[tokio::test]
async fn a_groups_stored_fields_round_trip_are_cleared_by_null_and_a_bad_one_changes_nothing() {
    let api = Api::new().await;
    let root = root(&api).await;
    let contact = json!({ "firstname": "Ann", "email": "ann@example.com", "zipcode": "1000" });
    let privileges = json!({ "quota_storage_hard": 1000, "vm_count": -1, "local_backup": { "visible": 0 } });
    let body = json!({ "name": "Fields", "kind": 10, "contact": contact, "privileges": privileges,
                       "customer_id": "cust-7", "internal_tag": "gold", "language": "pt-BR" });
    let (status, created) = api.post(&format!("{PORTAL}/groups/{root}/children"), body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let item = format!("{PORTAL}/groups/{}", created["id"]);
    let (_, read) = api.get(&item).await;
    let kept = |read: &Value, field: &str| read[field].clone();
    assert_eq!((kept(&read, "contact"), kept(&read, "privileges")), (contact, privileges));
    assert_eq!((kept(&read, "customer_id"), kept(&read, "language")), (json!("cust-7"), json!("pt-BR")));
    assert_eq!(read["version"], 1);

    // A bad field is refused by name before anything is written: the name stays, so does the version.
    for (bad, field) in [
        (json!({ "name": "Renamed", "contact": { "street": "x" } }), "contact"),
        (json!({ "name": "Renamed", "privileges": { "vm_count": "many" } }), "privileges"),
        (json!({ "name": "Renamed", "language": "en us" }), "language"),
    ] {
        let (status, refused) = api.call(Method::PUT, &item, Some(bad)).await;
        assert_eq!((status, refused["error"]["details"]["field"].as_str()), (StatusCode::BAD_REQUEST, Some(field)));
    }
    let (status, refused) = api.call(Method::PUT, &item, Some(json!({ "storage": 1 }))).await;
    assert_eq!((status, refused["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_body")));
    assert!(refused["error"]["message"].as_str().unwrap().contains("storage"), "{refused}");
    let (_, unchanged) = api.get(&item).await;
    assert_eq!((&unchanged["name"], &unchanged["version"]), (&json!("Fields"), &json!(1)));

    // `null` clears a field; the change counts as the group's (its version).
    let (status, changed) = api
        .call(Method::PUT, &format!("{item}?version=1"), Some(json!({ "internal_tag": null, "language": "en" })))
        .await;
    assert_eq!((status, changed), (StatusCode::OK, json!({ "version": 2 })));
    let (_, read) = api.get(&item).await;
    assert_eq!((read.get("internal_tag"), &read["language"]), (None, &json!("en")));
    // Kept as the group's configuration, on Canopy's own face too.
    let (_, config) =
        api.get(&format!("{BASE}/groups/{}/configurations/general", created["uuid"].as_str().unwrap())).await;
    assert_eq!(config["properties"]["portal.group.language"], "en", "{config}");
}
