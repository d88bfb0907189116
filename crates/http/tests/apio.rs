//! The APIO face in process: its mounts (prefixed, the `/api/v1` alias with a default instance,
//! both slash forms), G1's search as a GET body or query parameters, G2 with its settings,
//! templates and domain registry, and the group items. The search against a reference:
//! `apio_search.rs`; users and codes: `apio_codes.rs`.

mod support;

use axum::http::{Method, StatusCode};
use canopy_http::{HttpConfig, router};
use serde_json::{Value, json};
use support::{Api, BASE};

const APIO: &str = "/api/v01/draas/default/apio/api/v1";

/// A tenant `acme` (tenant id `Acme-1`) under a group and a reseller; answers the tenant's uuid.
async fn tenant(api: &Api) -> String {
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
    let reseller = api.create(&format!("{BASE}/groups/{group}/resellers"), json!({ "name": "Res" })).await;
    api.create(&format!("{BASE}/resellers/{reseller}/tenants"), json!({ "name": "acme", "tenantId": "Acme-1" })).await
}

async fn group(api: &Api, group_id: &str, name: &str) {
    let body = json!({ "groupId": group_id, "groupName": name, "userLimit": 10 });
    let (status, answer) = api.post(&format!("{APIO}/tenants/acme-1/groups/"), body).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
}

#[tokio::test]
async fn a_group_is_created_read_changed_and_deleted_through_either_slash_form() {
    let api = Api::new().await;
    tenant(&api).await;
    let (status, headers, created) = api
        .send(
            Method::POST,
            &format!("{APIO}/tenants/ACME-1/groups"),
            &[],
            Some(json!({ "groupId": "foogroup_new", "groupName": "Foo Group New", "userLimit": 25, "timeZone": "europe/brussels" })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(
        created,
        json!({ "groupId": "foogroup_new", "groupName": "Foo Group New", "userLimit": 25, "timeZone": "Europe/Brussels" })
    );
    assert_eq!(headers["location"], format!("{APIO}/tenants/ACME-1/groups/foogroup_new/"));
    assert_eq!(headers["etag"], "\"1\"");
    let item = format!("{APIO}/tenants/acme-1/groups/FOOGROUP_NEW/");
    assert_eq!(api.get(&item).await, (StatusCode::OK, created.clone()));
    assert_eq!(api.get(item.trim_end_matches('/')).await, (StatusCode::OK, created));
    let (status, changed) =
        api.call(Method::PUT, &item, Some(json!({ "groupName": "Renamed", "cliName": null }))).await;
    assert_eq!((status, changed["groupName"].clone()), (StatusCode::OK, json!("Renamed")));
    // The spec's example posts to an item path (L88): items take no POST.
    let (status, body) = api.post(&item, json!({ "groupId": "x", "userLimit": 1 })).await;
    assert_eq!((status, body["error"]["code"].clone()), (StatusCode::METHOD_NOT_ALLOWED, json!("method_not_allowed")));
    assert_eq!(api.call(Method::DELETE, &item, None).await, (StatusCode::OK, json!({})));
    assert_eq!(api.call(Method::DELETE, &item, None).await, (StatusCode::OK, json!({})), "absent is no error");
    let (status, body) = api.get(&item).await;
    assert_eq!((status, body["error"]["code"].clone()), (StatusCode::NOT_FOUND, json!("not_found")));
}

#[tokio::test]
async fn a_creation_is_refused_by_name_and_changes_nothing() {
    let api = Api::new().await;
    let tenant_uuid = tenant(&api).await;
    let groups = format!("{APIO}/tenants/acme-1/groups/");
    group(&api, "foogroup", "Foo").await;
    for (body, code, field) in [
        (json!({ "groupId": "FooGroup", "userLimit": 5 }), "duplicate_name", "groupId"),
        (json!({ "groupId": "g2" }), "invalid_field", "userLimit"),
        (json!({ "groupId": "g2", "userLimit": 0 }), "invalid_field", "userLimit"),
        (json!({ "groupId": "g2", "userLimit": 5, "templateName": "none" }), "invalid_field", "templateName"),
        (json!({ "groupId": "g2", "userLimit": 5, "resellerId": "Other" }), "invalid_field", "resellerId"),
    ] {
        let (status, answer) = api.post(&groups, body.clone()).await;
        assert_eq!((status, answer["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some(code)), "{body}");
        assert_eq!(answer["error"]["details"]["field"], field, "{body}");
    }
    let (status, answer) = api.post(&groups, json!({ "groupId": "g2", "userLimit": 5, "unknown": 1 })).await;
    assert_eq!((status, answer["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_body")));
    let (status, _) = api.post(&groups, json!({ "groupId": "g3", "userLimit": 5, "resellerId": "res" })).await;
    assert_eq!(status, StatusCode::CREATED, "the tenant's own reseller, by name");
    let (_, tenant) = api.get(&format!("{BASE}/tenants/{tenant_uuid}")).await;
    assert_eq!(tenant["nbOfSiteGroups"], 2, "{tenant}");
    let (status, body) = api.get(&format!("{APIO}/tenants/nobody/groups/")).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
}

#[tokio::test]
async fn the_bare_mount_serves_the_default_instance_only_when_configured() {
    let api = Api::new().await;
    tenant(&api).await;
    group(&api, "foogroup", "Foo Group").await;
    let (status, _) = api.get("/api/v1/tenants/acme-1/groups/").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no alias without a default instance");
    let config = HttpConfig { default_instance: Some("default".into()), ..HttpConfig::default() };
    let aliased = Api { router: router(api.app.clone(), config), ..api.with_token(api.token.clone()) };
    let expected = json!({ "groups": [{ "groupId": "foogroup", "groupName": "Foo Group", "userLimit": 10 }] });
    for path in
        ["/api/v1/tenants/acme-1/groups/", "/api/v1/tenants/acme-1/groups", &format!("{APIO}/tenants/acme-1/groups/")]
    {
        assert_eq!(aliased.get(path).await, (StatusCode::OK, expected.clone()), "{path}");
    }
}

/// Sends G1's search as a GET body.
async fn search_body(api: &Api, body: Value) -> (StatusCode, Value, Option<u64>) {
    let (status, headers, answer) =
        api.send(Method::GET, &format!("{APIO}/tenants/acme-1/groups/"), &[], Some(body)).await;
    let total = headers.get("x-total-count").map(|v| v.to_str().unwrap().parse().unwrap());
    (status, answer, total)
}

#[tokio::test]
async fn a_search_comes_as_a_get_body_or_as_query_parameters_but_not_both() {
    let api = Api::new().await;
    tenant(&api).await;
    for (id, name) in [("b1", "Test B"), ("a1", "Test A"), ("c1", "Prod")] {
        group(&api, id, name).await;
    }
    let body = json!({ "sensitiveGroupNameContains": "Test", "sortOrders": ["sensitiveDescendingGroupId"] });
    let (status, answer, total) = search_body(&api, body).await;
    assert_eq!((status, total), (StatusCode::OK, Some(2)));
    assert_eq!(
        answer["groups"].as_array().unwrap().iter().map(|g| g["groupId"].clone()).collect::<Vec<_>>(),
        [json!("b1"), json!("a1")]
    );
    let query = format!(
        "{APIO}/tenants/acme-1/groups/?sensitiveGroupNameContains=Test&sortOrders=sensitiveDescendingGroupId&startIndex=2&pageSize=1"
    );
    let (status, headers, answer) = api.send(Method::GET, &query, &[], None).await;
    assert_eq!((status, &headers["x-total-count"]), (StatusCode::OK, &"2".parse::<axum::http::HeaderValue>().unwrap()));
    assert_eq!(answer, json!({ "groups": [{ "groupId": "a1", "groupName": "Test A", "userLimit": 10 }] }));
    let (status, body) = api.send(Method::GET, &query, &[], Some(json!({}))).await.into_parts();
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_field")));
    for bad in [
        json!({ "sortOrders": ["insensitiveAscendingGroupId", "sensitiveAscendingGroupId", "insensitiveAscendingGroupName", "sensitiveAscendingGroupName"] }),
        json!({ "sortOrders": ["byName"] }),
        json!({ "pagingControl": { "startIndex": 0, "pageSize": 2 } }),
        json!({ "pagingControl": { "startIndex": 1, "pageSize": 1001 } }),
        json!({ "pagingControl": { "startIndex": 1 } }),
        json!({ "responseSizeLimit": 0 }),
        json!({ "sensitiveGroupNameContains": "" }),
        json!({ "sensitiveGroupNameLike": "x" }),
        json!({ "sensitiveGroupNameContains": 3 }),
        json!([1]),
    ] {
        let (status, answer, _) = search_body(&api, bad.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {answer}");
    }
    let (status, answer) =
        api.raw(Method::GET, &format!("{APIO}/tenants/acme-1/groups/"), Some("text/plain"), b"{}".to_vec()).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{answer}");
    let (status, answer) = api
        .raw(Method::GET, &format!("{APIO}/tenants/acme-1/groups/"), None, b"{\"responseSizeLimit\": 1}".to_vec())
        .await;
    assert_eq!(
        (status, answer["groups"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(1)),
        "no Content-Type is JSON"
    );
}

trait Parts {
    fn into_parts(self) -> (StatusCode, Value);
}

impl Parts for (StatusCode, axum::http::HeaderMap, Value) {
    fn into_parts(self) -> (StatusCode, Value) {
        (self.0, self.2)
    }
}

#[tokio::test]
async fn a_default_domain_is_the_tenants_or_registered_with_the_group_when_asked() {
    let api = Api::new().await;
    let tenant_uuid = tenant(&api).await;
    let groups = format!("{APIO}/tenants/acme-1/groups/");
    let (status, refused) =
        api.post(&groups, json!({ "groupId": "g1", "userLimit": 5, "defaultDomain": "voice.acme.example" })).await;
    assert_eq!(
        (status, refused["error"]["details"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("defaultDomain"))
    );
    let (status, _) = api
        .post(&groups, json!({ "groupId": "g1", "userLimit": 5, "defaultDomain": "Voice.Acme.Example.", "autoCreateDomain": true }))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        api.get(&format!("{APIO}/domains/")).await,
        (StatusCode::OK, json!({ "domains": ["voice.acme.example"] }))
    );
    let tenant_domains = format!("{APIO}/tenants/acme-1/domains/");
    assert_eq!(api.get(&tenant_domains).await, (StatusCode::OK, json!({ "domains": ["voice.acme.example"] })));
    let (status, _) =
        api.post(&groups, json!({ "groupId": "g2", "userLimit": 5, "defaultDomain": "voice.acme.example" })).await;
    assert_eq!(status, StatusCode::CREATED, "the tenant's domain now");
    // The setting, read along the lineage, registers too; the body's false overrides it.
    let config = format!("{BASE}/tenants/{tenant_uuid}/configurations/general");
    let (status, body) = api.post(&config, json!({ "properties": { "AUTO_CREATE.GROUP_DEFAULT_DOMAIN": true } })).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, _) = api
        .post(
            &groups,
            json!({ "groupId": "g3", "userLimit": 5, "defaultDomain": "b.example", "autoCreateDomain": false }),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = api.post(&groups, json!({ "groupId": "g3", "userLimit": 5, "defaultDomain": "b.example" })).await;
    assert_eq!(status, StatusCode::CREATED);
    // Domains are added to the instance, then assigned; a change must use an assigned one.
    assert_eq!(
        api.post(&format!("{APIO}/domains/"), json!({ "domain": "c.example" })).await,
        (StatusCode::CREATED, json!({}))
    );
    assert_eq!(
        api.post(&format!("{APIO}/domains/"), json!({ "domain": "C.example" })).await,
        (StatusCode::OK, json!({}))
    );
    let item = format!("{groups}g1/");
    let (status, _) = api.call(Method::PUT, &item, Some(json!({ "defaultDomain": "c.example" }))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "not the tenant's yet");
    let (status, refused) = api.post(&tenant_domains, json!({ "domain": "unknown.example" })).await;
    assert_eq!((status, refused["error"]["details"]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("domain")));
    assert_eq!(api.post(&tenant_domains, json!({ "domain": "c.example" })).await, (StatusCode::CREATED, json!({})));
    let (status, changed) = api.call(Method::PUT, &item, Some(json!({ "defaultDomain": "c.example" }))).await;
    assert_eq!((status, changed["defaultDomain"].as_str()), (StatusCode::OK, Some("c.example")));
}

#[tokio::test]
async fn a_group_template_named_or_by_default_lies_under_the_body() {
    let api = Api::new().await;
    let tenant_uuid = tenant(&api).await;
    let (_, tenant) = api.get(&format!("{BASE}/tenants/{tenant_uuid}")).await;
    assert_eq!(tenant["tenantId"], "Acme-1");
    let groups = format!("{APIO}/tenants/acme-1/groups/");
    let standard = json!({ "category": "group", "defaults": { "userLimit": 50, "timeZone": "Europe/Brussels", "cliName": "Acme" } });
    let user_kind = json!({ "category": "user", "defaults": {} });
    // Templates are configuration properties `TEMPLATE.<name>`, inherited: set on the tenant here.
    let config = format!("{BASE}/tenants/{tenant_uuid}/configurations/general");
    let properties = json!({ "properties": {
        "TEMPLATE.standard": standard.to_string(), "TEMPLATE.users": user_kind.to_string() } });
    assert_eq!(api.post(&config, properties).await.0, StatusCode::NO_CONTENT);
    let (status, created) =
        api.post(&groups, json!({ "groupId": "g1", "templateName": "standard", "cliName": "Own" })).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(
        created,
        json!({ "groupId": "g1", "groupName": "", "userLimit": 50, "timeZone": "Europe/Brussels", "cliName": "Own" })
    );
    for (name, field) in [("users", "templateName"), ("nothing", "templateName")] {
        let (status, refused) =
            api.post(&groups, json!({ "groupId": "g2", "userLimit": 1, "templateName": name })).await;
        assert_eq!(
            (status, refused["error"]["details"]["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some(field)),
            "{name}"
        );
    }
    let default = json!({ "properties": { "DEFAULT_TEMPLATES.GROUP_CREATE": "standard" } });
    assert_eq!(api.post(&config, default).await.0, StatusCode::NO_CONTENT);
    let (status, created) = api.post(&groups, json!({ "groupId": "g3", "userLimit": 3 })).await;
    assert_eq!(
        (status, created["userLimit"].clone(), created["cliName"].clone()),
        (StatusCode::CREATED, json!(3), json!("Acme"))
    );
    let (status, refused) = api.post(&config, json!({ "properties": { "DEFAULT_TEMPLATES.GROUP_CREATE": 3 } })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "settings are typed: {refused}");
}
