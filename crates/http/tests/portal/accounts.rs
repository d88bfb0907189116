//! The portal face's accounts: service users (Canopy's users) and administrators, listed,
//! created, read, changed and deleted.

use super::*;

#[tokio::test]
async fn service_users_are_canopys_users_listed_created_read_changed_and_deleted_by_id_or_uuid() {
    let api = Api::new().await;
    let root = root(&api).await;
    let group = child(&api, root, 10, "G").await;
    let tenant = child(&api, group, 40, "T").await;
    let site = child(&api, tenant, 50, "sales").await;
    let users = format!("{PORTAL}/groups/{site}/users");
    let body = json!({ "login": "john.doe", "firstname": "John", "lastname": "Doe", "phone": "+32 2 555 01 00" });
    let (status, created) = api.post(&users, body.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (id, uuid) = (created["id"].as_i64().unwrap(), created["uuid"].as_str().unwrap().to_owned());
    let (status, duplicate) = api.post(&format!("{PORTAL}/groups/{tenant}/users"), body).await;
    assert_eq!((status, duplicate["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("duplicate_user_id")));
    let (status, read) = api.get(&format!("{PORTAL}/users/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{read}");
    assert_eq!(
        read,
        json!({ "id": id, "uuid": uuid, "tenant_id": site, "login": "john.doe", "firstname": "John", "lastname": "Doe",
                "email": null, "phone": "+32 2 555 01 00", "version": 1 })
    );
    let (_, by_uuid) = api.get(&format!("{PORTAL}/users/{uuid}")).await;
    assert_eq!(by_uuid, read);
    // The same user on Canopy's face.
    let (_, canopy) = api.get(&format!("{BASE}/users/{uuid}")).await;
    assert_eq!((canopy["userId"].clone(), canopy["id"].clone()), (json!("john.doe"), json!(id)));
    let (_, list) = api.get(&users).await;
    assert_eq!(list, json!({ "items": [read] }));
    let (_, none) = api.get(&format!("{PORTAL}/groups/{group}/users")).await;
    assert_eq!(none, json!({ "items": [] }), "a group holds no users");
    let (status, refused) = api
        .post(&format!("{PORTAL}/groups/{group}/users"), json!({ "login": "x", "firstname": "F", "lastname": "L" }))
        .await;
    assert_eq!((status, refused["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("forbidden_child")));
    let (status, refused) =
        api.post(&users, json!({ "login": "y", "firstname": "F", "lastname": "L", "roles": 1 })).await;
    assert_eq!((status, refused["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_body")));
    let item = format!("{PORTAL}/users/{id}");
    let (status, changed) =
        api.call(Method::PUT, &format!("{item}?version=1"), Some(json!({ "lastname": "Smith" }))).await;
    assert_eq!((status, changed), (StatusCode::OK, json!({ "version": 2 })));
    let (status, stale) = api.call(Method::PUT, &format!("{item}?version=1"), Some(json!({ "lastname": "X" }))).await;
    assert_eq!((status, stale["error"]["message"].as_str()), (StatusCode::UPGRADE_REQUIRED, Some("Version mismatch")));
    // A user is not a group, a group not a user.
    let (status, _) = api.get(&format!("{PORTAL}/groups/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = api.get(&format!("{PORTAL}/users/{site}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = api.call(Method::DELETE, &format!("{item}?version=2"), None).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, absent) = api.call(Method::DELETE, &item, None).await;
    assert_eq!((status, absent["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
}

#[tokio::test]
async fn administrators_are_listed_created_read_changed_and_deleted_by_integer_id() {
    let api = Api::new().await;
    let root = root(&api).await;
    let group = child(&api, root, 10, "G").await;
    let tenant = child(&api, group, 40, "T").await;
    let admins = format!("{PORTAL}/groups/{tenant}/admins");
    let body = json!({ "email": "jane@example.com", "login": "Jane@Example.com", "firstname": "Jane", "lastname": "Doe", "access_type": 15 });
    let (status, created) = api.post(&admins, body.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created, json!({ "id": id, "user_id": id, "version": 1 }));
    let (status, duplicate) =
        api.post(&format!("{PORTAL}/groups/{group}/admins"), json!({ "email": "jane@example.com" })).await;
    assert_eq!((status, duplicate["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("duplicate_email")));
    for (refused, field) in [
        (json!({ "email": "a@example.com", "access_type": 2 }), "access_type"),
        (json!({ "email": "a@example.com", "access_type": 33 }), "access_type"),
        (json!({ "email": "a@example.com", "login": "other" }), "login"),
        (json!({ "firstname": "A" }), "email"),
    ] {
        let (status, body) = api.post(&admins, refused.clone()).await;
        assert_eq!(
            (status, body["error"]["details"]["field"].as_str()),
            (StatusCode::BAD_REQUEST, Some(field)),
            "{refused}"
        );
    }
    let (status, admin) = api.get(&format!("{PORTAL}/admins/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{admin}");
    assert_eq!(
        admin,
        json!({ "id": id, "user_id": id, "login": "jane@example.com", "email": "jane@example.com", "firstname": "Jane",
                "lastname": "Doe", "phone": null, "group": tenant, "access_type": 15, "status": -1, "version": 1 })
    );
    let (_, list) = api.get(&admins).await;
    assert_eq!(list, json!({ "items": [admin] }));
    // The same administrator on Canopy's face, found by the tenant's uuid.
    let (_, tenant_body) = api.get(&format!("{PORTAL}/groups/{tenant}")).await;
    let (_, canopy) = api.get(&format!("{BASE}/tenants/{}/admins", tenant_body["uuid"].as_str().unwrap())).await;
    assert_eq!(canopy["admins"][0]["id"], id, "{canopy}");
    let (_, roots) = api.get(&format!("{PORTAL}/groups/{root}/admins")).await;
    assert_eq!(roots["items"][0]["group"], Value::Null, "the system administrators: {roots}");
    let item = format!("{PORTAL}/admins/{id}");
    let (status, changed) =
        api.call(Method::PUT, &format!("{item}?version=1"), Some(json!({ "lastname": "Smith" }))).await;
    assert_eq!((status, changed), (StatusCode::OK, json!({ "version": 2 })));
    let (status, stale) = api.call(Method::PUT, &format!("{item}?version=1"), Some(json!({ "lastname": "X" }))).await;
    assert_eq!((status, stale["error"]["message"].as_str()), (StatusCode::UPGRADE_REQUIRED, Some("Version mismatch")));
    let (status, _) = api.get(&format!("{PORTAL}/admins/not-an-id")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // `access_type` without Write (4) is a read-only administrator, shown as 1; with it, 15.
    let (_, reader) = api.post(&admins, json!({ "email": "reader@example.com", "access_type": 9 })).await;
    let reader = format!("{PORTAL}/admins/{}", reader["id"]);
    assert_eq!(api.get(&reader).await.1["access_type"], 1);
    let (_, canopy) =
        api.get(&format!("{BASE}/tenants/{}/admins?search=reader", tenant_body["uuid"].as_str().unwrap())).await;
    assert_eq!(canopy["admins"][0]["readOnly"], true, "{canopy}");
    let (status, _) = api.call(Method::PUT, &reader, Some(json!({ "access_type": 5 }))).await;
    assert_eq!((status, api.get(&reader).await.1["access_type"].as_u64()), (StatusCode::OK, Some(15)));
    let (status, body) = api.call(Method::DELETE, &item, None).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, absent) = api.call(Method::DELETE, &item, None).await;
    assert_eq!((status, absent["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("admin_not_found")));
}
