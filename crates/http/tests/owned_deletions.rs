//! Issue 21, item 9, over HTTP: a node's branding document deleted (it inherits again), the
//! instance's default branding, the list of a node's rate plans, and the deletion of a rate plan's
//! destinations and scheduled prices; each versioned (`If-Match`, 426) and audited like its
//! siblings.

mod support;

use axum::http::{HeaderMap, Method, StatusCode};
use serde_json::{Value, json};
use support::{Api, BASE, get_without_version as get};

fn etag(headers: &HeaderMap) -> &str {
    headers.get("etag").and_then(|v| v.to_str().ok()).unwrap_or_default()
}

async fn actions(api: &Api) -> Vec<String> {
    let (_, log) = api.get(&format!("{BASE}/audit?page_size=100")).await;
    log["events"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn a_deleted_document_is_inherited_again_and_the_instances_own_comes_before_the_built_in() {
    let api = Api::new().await;
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
    let tenant = api.create(&format!("{BASE}/groups/{group}/tenants"), json!({ "name": "T", "tenantId": "t" })).await;
    let of = |node: &str| format!("{BASE}/{node}/configurations/branding/general");
    let (group_doc, tenant_doc) = (of(&format!("groups/{group}")), of(&format!("tenants/{tenant}")));
    let instance_doc = format!("{BASE}/configurations/branding/general");

    // The instance's own default comes before the built-in one.
    let (status, built_in) = get(&api, &instance_doc).await;
    assert_eq!((status, &built_in["name"]), (StatusCode::OK, &json!("DRaaS")));
    let (status, headers, _) =
        api.send(Method::PUT, &instance_doc, &[("if-match", "\"1\"")], Some(json!({ "appTitle": "Acme" }))).await;
    assert_eq!((status, etag(&headers)), (StatusCode::NO_CONTENT, "\"2\""));
    assert_eq!(get(&api, &tenant_doc).await.1, json!({ "appTitle": "Acme" }));

    // A node's own document, then deleted: the tenant inherits the instance's again.
    api.call(Method::PUT, &group_doc, Some(json!({ "appTitle": "Group's" }))).await;
    assert_eq!(get(&api, &tenant_doc).await.1, json!({ "appTitle": "Group's" }));
    let (status, _, body) = api.send(Method::DELETE, &group_doc, &[("if-match", "\"1\"")], None).await;
    assert_eq!((status, &body["error"]["code"]), (StatusCode::UPGRADE_REQUIRED, &json!("version_mismatch")));
    let (status, headers, _) = api.send(Method::DELETE, &format!("{group_doc}?version=2"), &[], None).await;
    assert_eq!((status, etag(&headers)), (StatusCode::NO_CONTENT, "\"3\""));
    assert_eq!(get(&api, &tenant_doc).await.1, json!({ "appTitle": "Acme" }));

    // Idempotent: a tenant administrator deletes the document its tenant never had.
    let tenant_admin = api.admin(&format!("/tenants/{tenant}"), "t@example.com").await;
    let (status, headers, _) = tenant_admin.send(Method::DELETE, &tenant_doc, &[], None).await;
    assert_eq!((status, etag(&headers)), (StatusCode::NO_CONTENT, "\"2\""));
    let (status, body) = tenant_admin.get(&instance_doc).await;
    assert_eq!(
        (status, &body["error"]["details"]["permission"]),
        (StatusCode::FORBIDDEN, &json!("configurations.branding.general.list"))
    );

    // The instance's document follows the same rules, and its deletion brings the built-in back.
    let styling = format!("{BASE}/configurations/branding/styling");
    let hostile = json!({ "type": "image", "favicon": "javascript:alert(1)" });
    let (status, body) = api.call(Method::PUT, &styling, Some(hostile)).await;
    assert_eq!((status, &body["error"]["details"]["field"]), (StatusCode::BAD_REQUEST, &json!("favicon")));
    let (status, body) = api.call(Method::DELETE, &styling, None).await;
    assert_eq!((status, &body["error"]["details"]["field"]), (StatusCode::BAD_REQUEST, &json!("type")));
    assert_eq!(api.call(Method::DELETE, &format!("{styling}?type=font"), None).await.0, StatusCode::NO_CONTENT);
    assert_eq!(api.call(Method::DELETE, &instance_doc, None).await.0, StatusCode::NO_CONTENT);
    assert_eq!(get(&api, &tenant_doc).await.1, built_in);
    let recorded = actions(&api).await;
    for action in ["instance.branding.general.update", "branding.general.delete", "instance.branding.general.delete"] {
        assert!(recorded.iter().any(|a| a == action), "{action} in {recorded:?}");
    }
}

fn price(id: i64, since: &str) -> Value {
    json!({ "destinationId": id, "activeSince": since,
            "national": { "setup": 1.0, "duration": 0.5 }, "international": { "setup": 2.0, "duration": 1.0 } })
}

#[tokio::test]
async fn rate_plans_are_listed_and_destinations_and_prices_deleted() {
    let api = Api::new().await;
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
    let tenant = api.create(&format!("{BASE}/groups/{group}/tenants"), json!({ "name": "T", "tenantId": "t" })).await;
    let node = format!("{BASE}/tenants/{tenant}");
    for (plan, id) in [("standard", 177), ("standard", 427), ("premium", 1)] {
        let path = format!("{node}/rate_plans/{plan}/destinations/{id}");
        assert_eq!(api.call(Method::PUT, &path, Some(json!({ "destination": "D" }))).await.0, StatusCode::NO_CONTENT);
    }
    let standard = format!("{node}/rate_plans/standard");
    for body in
        [price(177, "2022-08-01 00:00:00"), price(177, "2022-08-10 00:00:00"), price(427, "2022-08-01 00:00:00")]
    {
        assert_eq!(api.post(&format!("{standard}/prices"), body).await.0, StatusCode::NO_CONTENT);
    }

    // The list, read by the tenant's own administrator, by name, paged by number.
    let tenant_admin = api.admin(&format!("/tenants/{tenant}"), "t@example.com").await;
    let (status, list) = tenant_admin.get(&format!("{node}/rate_plans")).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(
        list,
        json!({ "page": 1, "pages": 1, "results": 2, "ratePlans": [
            { "name": "premium", "destinations": 1, "prices": 0, "version": 2 },
            { "name": "standard", "destinations": 2, "prices": 3, "version": 6 } ] })
    );
    let (_, page) = tenant_admin.get(&format!("{node}/rate_plans?search=STAN&page_size=1")).await;
    assert_eq!((&page["results"], &page["ratePlans"][0]["name"]), (&json!(1), &json!("standard")));

    // One scheduled price, named as POST named it; only the levels above may.
    let key = json!({ "destinationId": 177, "activeSince": "2022-08-10 00:00:00" });
    let (status, body) = tenant_admin.call(Method::DELETE, &format!("{standard}/prices"), Some(key.clone())).await;
    assert_eq!(
        (status, &body["error"]["details"]["permission"]),
        (StatusCode::FORBIDDEN, &json!("tenants.instance.rate_plans.instance.update"))
    );
    let (status, _, _) =
        api.send(Method::DELETE, &format!("{standard}/prices"), &[("if-match", "\"5\"")], Some(key.clone())).await;
    assert_eq!(status, StatusCode::UPGRADE_REQUIRED);
    let (status, headers, _) =
        api.send(Method::DELETE, &format!("{standard}/prices"), &[("if-match", "\"6\"")], Some(key.clone())).await;
    assert_eq!((status, etag(&headers)), (StatusCode::NO_CONTENT, "\"7\""));
    let bad = json!({ "destinationId": 177, "activeSince": "tomorrow" });
    let (status, body) = api.call(Method::DELETE, &format!("{standard}/prices"), Some(bad)).await;
    assert_eq!((status, &body["error"]["details"]["field"]), (StatusCode::BAD_REQUEST, &json!("activeSince")));
    let (_, list) = api.get(&format!("{node}/rate_plans")).await;
    assert_eq!(list["ratePlans"][1]["prices"], 2);

    // A destination takes its prices with it; the plan goes with its last destination.
    let destination = |id: i64| format!("{standard}/destinations/{id}");
    assert_eq!(api.call(Method::DELETE, &destination(177), None).await.0, StatusCode::NO_CONTENT);
    let (_, read) = get(&api, &standard).await;
    let ids: Vec<&Value> = read["prices"].as_array().unwrap().iter().map(|p| &p["destinationId"]).collect();
    assert_eq!(ids, [&json!(427)]);
    assert_eq!(api.call(Method::DELETE, &destination(177), None).await.0, StatusCode::NO_CONTENT, "again");
    assert_eq!(api.call(Method::DELETE, &destination(0), None).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(api.call(Method::DELETE, &destination(427), None).await.0, StatusCode::NO_CONTENT);
    assert_eq!(get(&api, &standard).await.1["error"]["code"], "rate_plan_not_found");
    let (_, list) = api.get(&format!("{node}/rate_plans")).await;
    assert_eq!(list["results"], 1);
    let recorded = actions(&api).await;
    for action in ["rate_plan.price.delete", "rate_plan.destination.delete"] {
        assert!(recorded.iter().any(|a| a == action), "{action} in {recorded:?}");
    }
}
