//! Issue 21, on PostgreSQL: rows written before the rules tightened still work. Names and e-mail
//! addresses with invisible characters (item 4) read, rename and delete; a branding document with
//! a script URL and wrongly typed properties (item 2) still reads. The rows are inserted with SQL,
//! as an older Canopy wrote them (name and key, key the lowercase of the name). The memory store
//! cannot hold such rows: it lives as long as its process, which only ever parsed under the new
//! rules.

use crate::server::{Server, Store};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::{Connection, PgConnection};

const LEGACY_NAME: &str = "Acme\u{200b}";
const LEGACY_EMAIL: &str = "jo\u{200b}hn@example.com";

#[tokio::test]
async fn legacy_names_and_addresses_that_the_rule_refuses_still_read_rename_and_delete() {
    let Store::Postgres(url) = Store::postgres().await else { unreachable!() };
    let server = Server::start(Store::Postgres(url.clone())).await;
    let base = server.url("/api/v01/draas/default");
    let client = server.client().await;
    let mut db = PgConnection::connect(&url).await.unwrap();
    let group = uuid::Uuid::new_v4();
    sqlx::query("INSERT INTO nodes (id, instance, kind, name, name_key) VALUES ($1, 'default', 'group', $2, $3)")
        .bind(group)
        .bind(LEGACY_NAME)
        .bind(LEGACY_NAME.to_lowercase())
        .execute(&mut db)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO admins (instance, profile, home_id, email, email_key) VALUES ('default', 'group_admin', $1, $2, $3)",
    )
    .bind(group)
    .bind(LEGACY_EMAIL)
    .bind(LEGACY_EMAIL.to_lowercase())
    .execute(&mut db)
    .await
    .unwrap();
    sqlx::query("INSERT INTO pstn_usages (group_id, name, name_key) VALUES ($1, $2, $3)")
        .bind(group)
        .bind(LEGACY_NAME)
        .bind(LEGACY_NAME.to_lowercase())
        .execute(&mut db)
        .await
        .unwrap();

    // Reads: the node, the list, its administrators and voice routing show the stored text.
    let get = |path: String| {
        let client = client.clone();
        async move {
            let response = client.get(path).send().await.unwrap();
            (response.status(), response.json::<Value>().await.unwrap())
        }
    };
    let (status, read) = get(format!("{base}/groups/{group}")).await;
    assert_eq!((status, read["name"].as_str()), (StatusCode::OK, Some(LEGACY_NAME)), "{read}");
    let (_, list) = get(format!("{base}/groups")).await;
    assert_eq!(list["groups"][0]["name"], LEGACY_NAME, "{list}");
    let (_, admins) = get(format!("{base}/groups/{group}/admins")).await;
    assert_eq!(admins["admins"][0]["adminEmail"], LEGACY_EMAIL, "{admins}");
    let usages_path = format!("{base}/groups/{group}/configurations/voice_routing/pstn_usages");
    let (status, usages) = get(usages_path.clone()).await;
    assert_eq!((status, usages["pstnUsages"][0]["name"].as_str()), (StatusCode::OK, Some(LEGACY_NAME)), "{usages}");
    let usage = usages["pstnUsages"][0]["id"].as_i64().unwrap();

    // A branding document the new rules refuse reads back as stored, inherited below too.
    let hostile = json!({ "appTitle": 5, "favicon": "javascript:alert(1)" });
    sqlx::query("INSERT INTO branding_documents (node_id, key, document) VALUES ($1, 'general', $2)")
        .bind(group)
        .bind(hostile.to_string())
        .execute(&mut db)
        .await
        .unwrap();
    let (status, read) = get(format!("{base}/groups/{group}/configurations/branding/general")).await;
    assert_eq!(
        (status, &read["appTitle"], &read["favicon"]),
        (StatusCode::OK, &json!(5), &hostile["favicon"]),
        "{read}"
    );

    // Renames go through the new rule: a new invisible character is refused, a clean name taken.
    let rename = |path: String, body: Value| {
        let client = client.clone();
        async move { client.put(path).json(&body).send().await.unwrap().status() }
    };
    assert_eq!(
        rename(format!("{base}/groups/{group}"), json!({ "name": "Acme\u{200c}" })).await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(rename(format!("{base}/groups/{group}"), json!({ "name": "Acme" })).await, StatusCode::OK);
    assert_eq!(get(format!("{base}/groups/{group}")).await.1["name"], "Acme");
    let admin = format!("{base}/groups/{group}/admins/{LEGACY_EMAIL}");
    assert_eq!(rename(admin.clone(), json!({ "adminEmail": LEGACY_EMAIL, "firstName": "John" })).await, StatusCode::OK);
    assert_eq!(rename(format!("{usages_path}/{usage}"), json!({ "name": "Usage" })).await, StatusCode::NO_CONTENT);

    // Deletes: the administrator by its stored address, the usage, then the group.
    assert_eq!(client.delete(admin).send().await.unwrap().status(), StatusCode::NO_CONTENT);
    let (_, admins) = get(format!("{base}/groups/{group}/admins")).await;
    assert_eq!(admins["results"], 0, "{admins}");
    let response = client.delete(format!("{usages_path}/{usage}")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(client.delete(format!("{base}/groups/{group}")).send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(get(format!("{base}/groups/{group}")).await.0, StatusCode::NOT_FOUND);
    server.stop().await;
}
