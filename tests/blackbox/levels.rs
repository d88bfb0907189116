//! Issue 14 over the real binary, on both stores: a tenant → site group → user chain created and
//! counted on every ancestor, the deletions it blocks with their counts, the user limit raced by
//! concurrent creations, and an end user who logs in and is refused everything but its own reads.

use crate::server::{Server, Store, bearer};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

const END_USER: &str = "jane.doe@example.com";
const TEMPORARY: &str = "Temporary-passphrase-42";
const CHOSEN: &str = "the end user's own passphrase";

async fn created(client: &Client, path: String, body: Value) -> String {
    let response = client.post(&path).json(&body).send().await.unwrap();
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::OK, "POST {path}: {body}");
    body["uuid"].as_str().unwrap().to_owned()
}

async fn read(client: &Client, path: String) -> (StatusCode, Value) {
    let response = client.get(&path).send().await.unwrap();
    (response.status(), response.json().await.unwrap())
}

pub async fn site_groups_and_users_are_counted_guarded_and_limited(store: Store) {
    let server = Server::start(store).await;
    let base = server.url("/api/v01/draas/default");
    let root = server.client().await;
    let group = created(&root, format!("{base}/groups"), json!({ "name": "G" })).await;
    let reseller = created(&root, format!("{base}/groups/{group}/resellers"), json!({ "name": "R" })).await;
    let tenant =
        created(&root, format!("{base}/resellers/{reseller}/tenants"), json!({ "name": "T", "tenantId": "t" })).await;
    let site_body =
        json!({ "groupId": "brussels", "groupName": "Brussels", "userLimit": 10, "timeZone": "Europe/Brussels" });
    let site = created(&root, format!("{base}/tenants/{tenant}/site_groups"), site_body).await;
    let user_body = json!({ "userId": "jane@acme", "firstName": "Jane", "lastName": "Doe" });
    let user = created(&root, format!("{base}/site_groups/{site}/users"), user_body).await;
    created(
        &root,
        format!("{base}/tenants/{tenant}/users"),
        json!({ "userId": "john", "firstName": "John", "lastName": "Roe" }),
    )
    .await;

    // Counted on every ancestor, shown with the ids and the lineage.
    for (path, site_groups, users) in [
        (format!("{base}/groups/{group}"), json!(1), json!(2)),
        (format!("{base}/resellers/{reseller}"), json!(1), json!(2)),
        (format!("{base}/tenants/{tenant}"), json!(1), json!(2)),
        (format!("{base}/site_groups/{site}"), Value::Null, json!(1)),
    ] {
        let (status, node) = read(&root, path.clone()).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!((node["nbOfSiteGroups"].clone(), node["nbOfUsers"].clone()), (site_groups, users), "{path}");
        assert!(node["id"].as_i64().is_some_and(|id| id > 0), "{node}");
    }
    let (_, read_site) = read(&root, format!("{base}/site_groups/{site}")).await;
    assert_eq!((read_site["groupId"].clone(), read_site["name"].clone()), (json!("brussels"), json!("brussels")));
    assert_eq!((read_site["userLimit"].clone(), read_site["tenantUuid"].clone()), (json!(10), json!(tenant)));
    let (_, read_user) = read(&root, format!("{base}/users/{user}")).await;
    assert_eq!((read_user["userId"].clone(), read_user["siteGroupUuid"].clone()), (json!("jane@acme"), json!(site)));
    assert_ne!(read_user["id"], read_site["id"], "one sequence for every kind");

    // Deletions refused with the counts of what blocks them.
    for (path, children) in [
        (format!("{base}/tenants/{tenant}"), json!({ "siteGroups": 1, "users": 1 })),
        (format!("{base}/site_groups/{site}"), json!({ "users": 1 })),
    ] {
        let response = root.delete(&path).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(
            (body["error"]["code"].clone(), body["error"]["details"]["children"].clone()),
            (json!("not_empty"), children)
        );
    }

    // 20 concurrent creations against a limit of 10 (one user already in): 9 succeed.
    let creations = (0..20).map(|i| {
        let (root, path) = (root.clone(), format!("{base}/site_groups/{site}/users"));
        async move {
            let body = json!({ "userId": format!("race-{i}"), "firstName": "R", "lastName": format!("{i}") });
            let response = root.post(path).json(&body).send().await.unwrap();
            (response.status(), response.json::<Value>().await.unwrap())
        }
    });
    let answers = futures::future::join_all(creations).await;
    let created_count = answers.iter().filter(|(status, _)| *status == StatusCode::OK).count();
    assert_eq!(created_count, 9, "exactly up to the limit");
    for (status, body) in answers.iter().filter(|(status, _)| *status != StatusCode::OK) {
        assert_eq!(*status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"]["code"], "user_limit_reached", "{body}");
        assert_eq!(body["error"]["details"]["limit"], 10);
    }
    let (_, list) = read(&root, format!("{base}/site_groups/{site}/users?page_size=100")).await;
    assert_eq!(list["results"], 10);
    let (_, tenant_read) = read(&root, format!("{base}/tenants/{tenant}")).await;
    assert_eq!(tenant_read["nbOfUsers"], 11, "counters exact after the race");
    let lower = root.put(format!("{base}/site_groups/{site}")).json(&json!({ "userLimit": 5 })).send().await.unwrap();
    assert_eq!(lower.status(), StatusCode::BAD_REQUEST);
    assert_eq!(lower.json::<Value>().await.unwrap()["error"]["code"], "user_limit_below_count");
    server.stop().await;
}

async fn login(server: &Server, password: &str) -> (StatusCode, Value) {
    let body = json!({ "username": END_USER, "password": password });
    let response = Client::new().post(server.url("/api/v01/auth/login")).json(&body).send().await.unwrap();
    (response.status(), response.json().await.unwrap())
}

pub async fn an_end_user_logs_in_and_reads_its_own_user_only(store: Store) {
    let server = Server::start(store).await;
    let base = server.url("/api/v01/draas/default");
    let root = server.client().await;
    let group = created(&root, format!("{base}/groups"), json!({ "name": "G" })).await;
    let tenant =
        created(&root, format!("{base}/groups/{group}/tenants"), json!({ "name": "T", "tenantId": "t" })).await;
    let site =
        created(&root, format!("{base}/tenants/{tenant}/site_groups"), json!({ "groupId": "s", "userLimit": 5 })).await;
    let body = json!({ "userId": "jane", "firstName": "Jane", "lastName": "Doe", "email": END_USER,
                       "temporaryPassword": TEMPORARY });
    let user = created(&root, format!("{base}/site_groups/{site}/users"), body).await;
    let other = created(
        &root,
        format!("{base}/site_groups/{site}/users"),
        json!({ "userId": "john", "firstName": "J", "lastName": "R" }),
    )
    .await;

    let (status, session) = login(&server, TEMPORARY).await;
    assert_eq!((status, session["mustChangePassword"].clone()), (StatusCode::OK, json!(true)));
    let client = bearer(session["token"].as_str().unwrap());
    let change = json!({ "currentPassword": TEMPORARY, "newPassword": CHOSEN });
    let response = client.post(server.url("/api/v01/auth/password")).json(&change).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);

    let (status, me) = read(&client, server.url("/api/v01/auth/me")).await;
    assert_eq!((status, me["profile"].clone()), (StatusCode::OK, json!("end_user")), "{me}");
    let (status, own) = read(&client, format!("{base}/users/{user}")).await;
    assert_eq!((status, own["email"].clone()), (StatusCode::OK, json!(END_USER)));
    let (status, _) = read(&client, format!("{base}/users/{other}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another user is answered as absent");
    for path in [
        format!("{base}/groups"),
        format!("{base}/site_groups/{site}"),
        format!("{base}/site_groups/{site}/users"),
        format!("{base}/tenants/{tenant}"),
        format!("{base}/logic/rules"),
        format!("{base}/audit"),
        format!("{base}/site_groups/{site}/admins"),
    ] {
        let (status, body) = read(&client, path.clone()).await;
        assert_eq!((status, body["error"]["code"].clone()), (StatusCode::FORBIDDEN, json!("forbidden")), "{path}");
    }
    let response = client.put(format!("{base}/users/{user}")).json(&json!({ "lastName": "X" })).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "it cannot change its own user");
    let response = client.delete(format!("{base}/users/{user}")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    // Deleting the user takes its account and sessions.
    let response = root.delete(format!("{base}/users/{user}")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let (status, _) = read(&client, server.url("/api/v01/auth/me")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the session went with the account");
    assert_eq!(login(&server, CHOSEN).await.0, StatusCode::UNAUTHORIZED);
    server.stop().await;
}
