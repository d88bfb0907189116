//! A group's permissions on the sipXconfig face: every built-in and custom permission with its
//! default, values set partially (any case, blank resets), refusals naming the permission.

use super::Sipx;
use axum::http::header::ETAG;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

fn setting<'a>(group: &'a Value, name: &str) -> &'a Value {
    group["permissions"].as_array().unwrap().iter().find(|s| s["name"] == name).unwrap_or_else(|| panic!("{name}"))
}

#[tokio::test]
async fn a_group_shows_every_permission_and_sets_them_partially() {
    let sipx = Sipx::new().await;
    let (status, custom) = sipx
        .api
        .post(&format!("{}/custom_permissions", sipx.base.replace("/sipxconfig/rest", "")), json!({ "label": "Lab" }))
        .await;
    assert_eq!(status, StatusCode::OK, "{custom}");
    let custom = custom["name"].as_str().unwrap().to_owned();
    let id = sipx.create("G", Some("Desc")).await;
    let read = sipx.get_json(&format!("/user-group-permission/{id}")).await;
    assert_eq!(read.headers[ETAG], "\"1\"", "created after the custom permission");
    let group = &read.json()["group"];
    assert_eq!(
        (group["id"].clone(), group["name"].clone(), group["description"].clone()),
        (json!(id), json!("G"), json!("Desc"))
    );
    let names: Vec<&str> =
        group["permissions"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 19);
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "byte order, as the seed");
    assert_eq!(setting(group, "LocalDialing"), &json!({ "name": "LocalDialing", "defaultValue": true }));
    assert_eq!(setting(group, &custom), &json!({ "name": custom, "defaultValue": false }));

    let body = format!(
        "<group><id>999</id><name>ignored</name><permissions><setting><name>900Dialing</name><value>enable</value>\
         <defaultValue>true</defaultValue></setting><setting><name>{custom}</name><value>ENABLE</value></setting>\
         <setting><name>Mobile</name><value>Disable</value></setting></permissions></group>"
    );
    let set = sipx.put_xml(&format!("/user-group-permission/{id}"), &body).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(set.headers[ETAG], "\"2\"");
    let xml = sipx.get(&format!("/user-group-permission/{id}")).await.body;
    assert!(xml.starts_with("<group><id>"), "{xml}");
    assert!(xml.contains("<name>G</name>"), "the body's name is ignored: {xml}");
    assert!(
        xml.contains(
            "<setting><name>900Dialing</name><value>ENABLE</value><defaultValue>false</defaultValue></setting>"
        ),
        "{xml}"
    );
    assert!(
        xml.contains("<setting><name>Mobile</name><value>DISABLE</value><defaultValue>true</defaultValue></setting>"),
        "{xml}"
    );
    // Partial: a later change of one permission keeps the others; blank goes back to the default.
    let reset = json!({ "group": { "permissions": [{ "name": "Mobile", "value": "" }] } });
    assert_eq!(sipx.put_json(&format!("/user-group-permission/{id}"), reset).await.status, StatusCode::OK);
    let group = sipx.get_json(&format!("/user-group-permission/{id}")).await.json()["group"].clone();
    assert_eq!(setting(&group, "Mobile"), &json!({ "name": "Mobile", "defaultValue": true }));
    assert_eq!(setting(&group, "900Dialing")["value"], "ENABLE");
    assert_eq!(setting(&group, &custom)["value"], "ENABLE");
    let list = sipx.get_json("/user-group-permission?page=1&pagesize=10").await.json();
    assert_eq!(list["user-group-permission"]["metadata"]["totalResults"], 1);
    assert_eq!(list["user-group-permission"]["groups"][0], group);
}

#[tokio::test]
async fn an_unknown_permission_or_a_missing_value_is_refused_by_name_and_changes_nothing() {
    let sipx = Sipx::new().await;
    let id = sipx.create("G", None).await;
    for (settings, named) in [
        (json!([{ "name": "Mobile", "value": "DISABLE" }, { "name": "Teleport", "value": "ENABLE" }]), "Teleport"),
        (json!([{ "name": "perm_424242", "value": "ENABLE" }]), "perm_424242"),
        (json!([{ "name": "Mobile" }]), "permissions.Mobile.value: is required"),
        (json!([{ "name": "Mobile", "value": "MAYBE" }]), "must be ENABLE or DISABLE"),
        (json!([{ "name": "Mobile", "value": "ENABLE" }, { "name": "Mobile", "value": "" }]), "named twice"),
    ] {
        let reply = sipx.put_json(&format!("/user-group-permission/{id}"), json!({ "permissions": settings })).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{named}");
        let response = &reply.json()["response"];
        assert_eq!(response["code"], "ERROR_VALIDATION_FAILED");
        assert!(response["data"]["additionalMessage"].as_str().unwrap().contains(named), "{response}");
    }
    let after = sipx.get_json(&format!("/user-group-permission/{id}")).await;
    assert_eq!(after.headers[ETAG], "\"1\"", "nothing changed");
    assert!(after.json()["group"]["permissions"].as_array().unwrap().iter().all(|s| s.get("value").is_none()));
    let no_list = sipx.put_json(&format!("/user-group-permission/{id}"), json!({ "group": { "name": "G" } })).await;
    assert_eq!(no_list.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn deleting_a_custom_permission_takes_it_from_every_group() {
    let sipx = Sipx::new().await;
    let customs = format!("{}/custom_permissions", sipx.base.replace("/sipxconfig/rest", ""));
    let (_, created) = sipx.api.post(&customs, json!({ "label": "Lab", "defaultValue": true })).await;
    let (name, number) = (created["name"].as_str().unwrap().to_owned(), created["id"].as_i64().unwrap());
    let (_, list) = sipx.api.get(&customs).await;
    assert_eq!(
        list["customPermissions"],
        json!([{ "id": number, "name": name, "label": "Lab", "defaultValue": true }])
    );
    let id = sipx.create("G", None).await;
    let set = json!({ "permissions": [{ "name": name, "value": "DISABLE" }] });
    assert_eq!(sipx.put_json(&format!("/user-group-permission/{id}"), set).await.status, StatusCode::OK);
    let (status, _) = sipx.api.call(Method::DELETE, &format!("{customs}/{number}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let group = sipx.get_json(&format!("/user-group-permission/{id}")).await;
    assert_eq!(group.headers[ETAG], "\"3\"", "the group shows one permission less");
    assert!(!group.body.contains(&name));
    let (status, _) = sipx.api.call(Method::DELETE, &format!("{customs}/{number}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "idempotent");
}
