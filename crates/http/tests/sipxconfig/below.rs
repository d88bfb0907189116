//! The sipXconfig face from below the tenant: a site group administrator reads its tenant's user
//! groups and their permissions (not another tenant's) and changes nothing; an end user is
//! refused every route, in the face's `<response>` shape, by bearer token and by HTTP Basic.

use super::basic::basic;
use super::support::BASE;
use super::{Reply, Sipx};
use axum::http::{Method, StatusCode};
use serde_json::json;

/// A site group of the sipXconfig tenant, and the uuid of a user in it.
async fn site_group_and_user(sipx: &Sipx) -> (String, String) {
    let sites = format!("{BASE}/tenants/{}/site_groups", sipx.tenant);
    let site = sipx.api.create(&sites, json!({ "groupId": "S1", "userLimit": 10 })).await;
    let users = format!("{BASE}/site_groups/{site}/users");
    let user = sipx.api.create(&users, json!({ "userId": "u1", "firstName": "F", "lastName": "L" })).await;
    (site, user)
}

fn forbidden(reply: &Reply, permission: &str, case: &str) {
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{case}: {}", reply.body);
    assert!(reply.body.starts_with("<response><code>forbidden</code>"), "{case}: {}", reply.body);
    assert!(reply.body.contains(&format!(">{permission}<")), "{case} names {permission}: {}", reply.body);
}

/// The group the tenant's administrators made, unchanged: its name and first version.
async fn unchanged(sipx: &Sipx, id: i64) {
    let read = sipx.get_json(&format!("/user-group/{id}")).await;
    assert_eq!((read.status, read.headers["etag"].to_str().unwrap()), (StatusCode::OK, "\"1\""), "{}", read.body);
    assert_eq!(read.json()["group"]["name"], "Sales");
    let list = sipx.get_json("/user-group").await;
    assert_eq!(list.json()["user-group"]["metadata"]["totalResults"], 1, "{}", list.body);
}

#[tokio::test]
async fn a_site_group_administrator_reads_its_tenants_groups_and_changes_nothing() {
    let sipx = Sipx::new().await;
    let id = sipx.create("Sales", Some("s")).await;
    let (site, _) = site_group_and_user(&sipx).await;
    let admin = sipx.api.admin(&format!("/site_groups/{site}"), "site@example.com").await;
    let below = Sipx { api: admin, tenant: sipx.tenant.clone(), base: sipx.base.clone() };
    let list = below.get("/user-group").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(list.body.contains("<name>Sales</name>"), "{}", list.body);
    let one = below.get_json(&format!("/user-group/{id}")).await;
    assert_eq!((one.status, one.json()["group"]["name"].clone()), (StatusCode::OK, json!("Sales")), "{}", one.body);
    for rest in ["/user-group-permission".to_owned(), format!("/user-group-permission/{id}")] {
        let read = below.get_json(&rest).await;
        assert_eq!(read.status, StatusCode::OK, "{rest}: {}", read.body);
    }
    let (status, custom) = below.api.get(&format!("{BASE}/tenants/{}/custom_permissions", sipx.tenant)).await;
    assert_eq!(status, StatusCode::OK, "{custom}");
    // Writes are the tenant's level's and above: 403 before anything is looked up.
    let item = format!("/user-group/{id}");
    let xml = [("content-type", "text/xml")];
    let create = below.send(Method::PUT, "/user-group", &xml, "<group><name>Mine</name></group>").await;
    forbidden(&create, "tenants.instance.user_groups.create", "create");
    let update = below.send(Method::PUT, &item, &xml, "<group><name>Renamed</name></group>").await;
    forbidden(&update, "tenants.instance.user_groups.instance.update", "update");
    let delete = below.send(Method::DELETE, &item, &[], "").await;
    forbidden(&delete, "tenants.instance.user_groups.instance.delete", "delete");
    let settings =
        "<group><permissions><setting><name>Mobile</name><value>DISABLE</value></setting></permissions></group>";
    let set = below.send(Method::PUT, &format!("/user-group-permission/{id}"), &xml, settings).await;
    forbidden(&set, "tenants.instance.user_groups.instance.update", "permissions");
    unchanged(&sipx, id).await;
    // Another tenant is not above its site group: answered as a tenant that does not exist.
    let group = sipx.api.create(&format!("{BASE}/groups"), json!({ "name": "G2" })).await;
    let other =
        sipx.api.create(&format!("{BASE}/groups/{group}/tenants"), json!({ "name": "T2", "tenantId": "t2" })).await;
    let elsewhere = Sipx { base: format!("{BASE}/tenants/{other}/sipxconfig/rest"), ..below };
    let hidden = elsewhere.get_json("/user-group").await;
    let missing = Sipx { base: format!("{BASE}/tenants/{}/sipxconfig/rest", uuid::Uuid::new_v4()), ..elsewhere };
    let absent = missing.get_json("/user-group").await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{}", hidden.body);
    assert_eq!(hidden.json()["response"]["code"], absent.json()["response"]["code"]);
    assert_eq!(hidden.json()["response"]["message"], absent.json()["response"]["message"]);
}

#[tokio::test]
async fn an_end_user_is_refused_every_route_by_token_and_by_basic() {
    let sipx = Sipx::new().await;
    let id = sipx.create("Sales", None).await;
    let (_, user) = site_group_and_user(&sipx).await;
    let end_user = sipx.api.end_user(&format!("{BASE}/users/{user}"), "user@example.com").await;
    let as_user = Sipx { api: end_user, tenant: sipx.tenant.clone(), base: sipx.base.clone() };
    let settings =
        "<group><permissions><setting><name>Mobile</name><value>DISABLE</value></setting></permissions></group>";
    let (item, permissions) = (format!("/user-group/{id}"), format!("/user-group-permission/{id}"));
    let calls = [
        (Method::GET, "/user-group", "", "tenants.instance.user_groups.list"),
        (Method::PUT, "/user-group", "<group><name>Mine</name></group>", "tenants.instance.user_groups.create"),
        (Method::GET, &item, "", "tenants.instance.user_groups.instance.read"),
        (Method::PUT, &item, "<group><name>Renamed</name></group>", "tenants.instance.user_groups.instance.update"),
        (Method::DELETE, &item, "", "tenants.instance.user_groups.instance.delete"),
        (Method::GET, "/user-group-permission", "", "tenants.instance.user_groups.list"),
        (Method::GET, &permissions, "", "tenants.instance.user_groups.instance.read"),
        (Method::PUT, &permissions, settings, "tenants.instance.user_groups.instance.update"),
    ];
    let by_basic = basic("user@example.com", "a password for tests");
    for (method, rest, body, permission) in calls {
        let by_token = as_user.send(method.clone(), rest, &[("content-type", "text/xml")], body).await;
        forbidden(&by_token, permission, &format!("{method} {rest} by token"));
        let headers = [("content-type", "text/xml"), ("authorization", by_basic.as_str())];
        let by_password = as_user.send(method.clone(), rest, &headers, body).await;
        forbidden(&by_password, permission, &format!("{method} {rest} by HTTP Basic"));
    }
    let (status, body) = as_user.api.get(&format!("{BASE}/tenants/{}/custom_permissions", sipx.tenant)).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")), "{body}");
    unchanged(&sipx, id).await;
}
