//! The portal's brand, logo and settings against the real binary, once per store: the spec's
//! example requests and answers replayed (with their lines), inheritance down the tree, the
//! masked SMTP password kept when sent back, the logo's entity tag, and the version race on the
//! brand (8 writes on one version: exactly one applies).

use super::examples::{brand_example, settings_example};
use super::{PORTAL, send};
use crate::server::{Server, Store};
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use serde_json::{Value, json};

/// A 1×1 PNG image, whole (signature, IHDR, IDAT, IEND).
const PIXEL: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d,
    0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// A group and a tenant below it, by integer id.
async fn group_and_tenant(server: &Server, client: &reqwest::Client) -> (i64, i64) {
    let portal = server.url(PORTAL);
    let (_, group) = send(client.post(server.url("/api/v01/draas/default/groups")).json(&json!({ "name": "G" }))).await;
    let (_, group) = send(client.get(format!("{portal}/groups/{}", group["uuid"].as_str().unwrap()))).await;
    let group_id = group["id"].as_i64().unwrap();
    let children = format!("{portal}/groups/{group_id}/children");
    let (status, tenant) = send(client.post(&children).json(&json!({ "name": "T", "kind": 40 }))).await;
    assert_eq!(status, StatusCode::CREATED, "{tenant}");
    (group_id, tenant["id"].as_i64().unwrap())
}

pub(crate) async fn replays_the_portal_brand_logo_and_settings_examples(store: Store) {
    let server = Server::start(store).await;
    let client = server.client().await;
    let (group, tenant) = group_and_tenant(&server, &client).await;
    for base in [server.url(PORTAL), server.url("/api/1")] {
        brand_round_trip(&client, &base, group, tenant).await;
    }
    logo_round_trip(&client, &server.url(PORTAL), group, tenant).await;
    settings_round_trip(&client, &server.url(PORTAL), group, tenant).await;
    server.stop().await;
}

/// GET (L29993), POST (L30593), PUT (L31332, example L31368), DELETE (L29257) of a brand.
async fn brand_round_trip(client: &reqwest::Client, base: &str, group: i64, tenant: i64) {
    let brand = format!("{base}/groups/{group}/brand");
    let (status, none) = send(client.get(&brand)).await;
    assert_eq!((status, none["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("brand_not_found")));
    let (status, none) = send(client.put(&brand).json(&json!({ "company_name": "x" }))).await;
    assert_eq!((status, none["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("brand_not_found")));

    // Enabled with the spec's example (a real password: the example's is the mask), then read.
    let mut example = brand_example();
    example["smtp_password"] = json!("s3cret");
    let (status, enabled) = send(client.post(&brand).json(&example)).await;
    assert_eq!(status, StatusCode::OK, "{enabled}");
    let version = enabled["version"].as_u64().unwrap();
    let (status, read) = send(client.get(&brand)).await;
    assert_eq!(status, StatusCode::OK, "{read}");
    let mut expected = brand_example();
    expected["id"] = json!(group);
    // Every field of the GET's example (L30031), those the PUT example does not send as 0/"".
    for (field, unset) in [("hide_predefined", json!(0)), ("backup_console_url", json!("")), ("upsell_url", json!(""))]
    {
        if expected.get(field).is_none() {
            expected[field] = unset;
        }
    }
    assert_eq!(read, expected, "the example, its password masked as the spec shows it");

    // The PUT's example sends the mask back: the password stays; a stale version is 426.
    let (status, changed) = send(
        client
            .put(format!("{brand}?version={version}"))
            .json(&json!({ "company_name": "Other", "smtp_password": "**********" })),
    )
    .await;
    assert_eq!((status, &changed), (StatusCode::OK, &json!({ "version": version + 1 })));
    let (status, stale) = send(client.put(format!("{brand}?version={version}")).json(&brand_example())).await;
    assert_eq!((status, stale["error"]["message"].as_str()), (StatusCode::UPGRADE_REQUIRED, Some("Version mismatch")));
    let (status, refused) = send(client.put(&brand).json(&json!({ "logotype": 7 }))).await;
    assert_eq!((status, refused["error"]["details"]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("logotype")));

    // The tenant inherits it with `effective=1`, and has none of its own.
    let below = format!("{base}/groups/{tenant}/brand");
    let (status, inherited) = send(client.get(format!("{below}?effective=1"))).await;
    assert_eq!(
        (status, &inherited["company_name"], &inherited["id"]),
        (StatusCode::OK, &json!("Other"), &json!(tenant))
    );
    assert_eq!(inherited["smtp_password"], "**********");
    let (status, _) = send(client.get(&below)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // DELETE: 200 with the new version; the group has no brand again.
    let (status, deleted) = send(client.delete(format!("{brand}?version={}", version + 1))).await;
    assert_eq!((status, deleted), (StatusCode::OK, json!({ "version": version + 2 })));
    let (status, _) = send(client.get(format!("{below}?effective=1"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// POST (L37998) and GET (L37361) of a logo: the bytes back, tagged, 304 while unchanged.
async fn logo_round_trip(client: &reqwest::Client, base: &str, group: i64, tenant: i64) {
    let logo = format!("{base}/groups/{group}/logo");
    let (status, none) = send(client.get(&logo)).await;
    assert_eq!((status, none["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("logo_not_found")));
    let (status, refused) = send(client.post(&logo).header(CONTENT_TYPE, "image/png").body(b"GIF89a".to_vec())).await;
    assert_eq!((status, refused["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_field")));
    let (status, _) = send(client.post(&logo).header(CONTENT_TYPE, "image/gif").body(PIXEL.to_vec())).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // Larger than the server's limit for JSON bodies (64 KiB), within the logo's (1 MiB).
    let mut large = PIXEL.to_vec();
    large.resize(200 * 1024, 0);
    let (status, uploaded) = send(client.post(&logo).header(CONTENT_TYPE, "image/png").body(large)).await;
    assert_eq!((status, &uploaded["version"]), (StatusCode::OK, &json!(2)), "{uploaded}");
    let (status, uploaded) =
        send(client.post(format!("{logo}?version=2")).header(CONTENT_TYPE, "image/png").body(PIXEL.to_vec())).await;
    assert_eq!((status, uploaded), (StatusCode::OK, json!({ "version": 3 })));

    // The tenant shows its group's logo.
    let response = client.get(format!("{base}/groups/{tenant}/logo")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CONTENT_TYPE], "image/png");
    assert_eq!(response.headers()[CACHE_CONTROL], "max-age=86400, must-revalidate");
    let tag = response.headers()[ETAG].to_str().unwrap().to_owned();
    assert_eq!(&response.bytes().await.unwrap()[..], PIXEL);
    let again = client.get(&logo).header(IF_NONE_MATCH, &tag).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.bytes().await.unwrap().is_empty());
}

/// GET /settings (L44795, example L44847), agents_autoupdate (L45485, L46047, example L46081)
/// and local_backup_restriction (L48217, L48783, example L48813).
async fn settings_round_trip(client: &reqwest::Client, base: &str, group: i64, tenant: i64) {
    let settings = format!("{base}/groups/{group}/settings");
    let (status, unset) = send(client.get(&settings)).await;
    assert_eq!(status, StatusCode::OK, "{unset}");
    assert_eq!(
        (&unset["agents_autoupdate"], &unset["local_backup_restriction"]),
        (&json!({ "status": 1 }), &json!({ "status": 0, "visible": 1 }))
    );
    let autoupdate = format!("{settings}/agents_autoupdate");
    let (status, answer) = send(client.post(&autoupdate).json(&json!({ "apply_for_children": 0, "status": 1 }))).await;
    assert_eq!((status, answer), (StatusCode::OK, json!("Success")));
    let (status, refused) = send(client.post(&autoupdate).json(&json!({ "status": 1 }))).await;
    assert_eq!((status, refused["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_body")));
    let (status, answer) =
        send(client.post(format!("{settings}/local_backup_restriction")).json(&json!({ "status": 1 }))).await;
    assert_eq!((status, answer), (StatusCode::OK, json!("Success")));
    for (path, body) in [("flags", json!({ "allow_add_devices": 1 })), ("logon_ips", json!({ "items": ["127.0.0.1"] }))]
    {
        let (status, answer) = send(client.post(format!("{settings}/{path}")).json(&body)).await;
        assert_eq!((status, answer), (StatusCode::OK, json!("Success")), "{path}");
    }
    let (_, read) = send(client.get(&settings)).await;
    assert_eq!(read, settings_example(), "the spec's example answer");

    // Applied to its children: the tenant (no status of its own) does as the group does.
    let below = format!("{base}/groups/{tenant}/settings/agents_autoupdate");
    let (_, before) = send(client.get(&below)).await;
    assert_eq!(before, json!({ "status": 1 }));
    let (status, _) = send(client.post(&autoupdate).json(&json!({ "apply_for_children": 1, "status": 0 }))).await;
    assert_eq!(status, StatusCode::OK);
    let (_, after) = send(client.get(&below)).await;
    assert_eq!(after, json!({ "status": 0 }), "applied to the children");
    let (status, _) = send(client.post(&below).json(&json!({ "apply_for_children": 0, "status": 1 }))).await;
    assert_eq!(status, StatusCode::OK);
    let (_, own) = send(client.get(&below)).await;
    assert_eq!(own, json!({ "status": 1 }), "its own wins");
}

/// 8 PUTs of one brand on one version, 5 rounds: exactly one applies each round, the others 426.
pub(crate) async fn concurrent_brand_writes_on_one_version_apply_exactly_once(store: Store) {
    let server = Server::start(store).await;
    let client = server.client().await;
    let (group, _) = group_and_tenant(&server, &client).await;
    let brand = format!("{}/groups/{group}/brand", server.url(PORTAL));
    let (status, enabled) = send(client.post(&brand).json(&json!({ "company_name": "start" }))).await;
    assert_eq!(status, StatusCode::OK, "{enabled}");
    let first = enabled["version"].as_u64().unwrap();
    for round in 0..5u64 {
        let version = first + round;
        let puts = (0..8).map(|i| {
            let body = json!({ "company_name": format!("{round}-{i}") });
            let request = client.put(format!("{brand}?version={version}")).json(&body);
            async move { send(request).await }
        });
        let answers = futures::future::join_all(puts).await;
        let applied: Vec<&Value> = answers.iter().filter(|(s, _)| *s == StatusCode::OK).map(|(_, b)| b).collect();
        assert_eq!(applied, [&json!({ "version": version + 1 })], "round {round}: exactly one applies");
        let stale = answers.iter().filter(|(s, _)| *s == StatusCode::UPGRADE_REQUIRED).count();
        assert_eq!(stale, 7, "round {round}: the others are told their version is stale");
    }
    // Without a version, concurrent writes of different fields all land: none is lost.
    let puts = (0..8).map(|i| {
        let field = [
            "support_phone",
            "support_url",
            "terms_url",
            "home_url",
            "help_url",
            "router_url",
            "upsell_url",
            "color_scheme",
        ][i];
        let request = client.put(&brand).json(&json!({ field: format!("v{i}") }));
        async move { send(request).await }
    });
    let answers = futures::future::join_all(puts).await;
    assert!(answers.iter().all(|(status, _)| *status == StatusCode::OK), "{answers:?}");
    let (_, read) = send(client.get(&brand)).await;
    assert_eq!((read["support_phone"].as_str(), read["color_scheme"].as_str()), (Some("v0"), Some("v7")), "{read}");
    assert_eq!(read["home_url"], "v3");
    server.stop().await;
}
