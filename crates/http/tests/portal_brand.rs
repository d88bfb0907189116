//! The portal's brand and logo in-process (issue 17 item 7): the logo's own body limit, the
//! audit log of brand and logo changes (the SMTP password masked, the image not kept), and the
//! brand beside Canopy's own branding documents, which it leaves alone.

mod support;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Api, BASE};

const PORTAL: &str = "/api/v01/draas/default/portal/api/1";

/// A PNG's signature and `IHDR` chunk, padded with zeros to `size` bytes.
fn png(size: usize) -> Vec<u8> {
    let mut png = vec![0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n', 0, 0, 0, 13];
    png.extend(b"IHDR");
    png.resize(size, 0);
    png
}

/// A group's uuid and integer id.
async fn group(api: &Api) -> (String, i64) {
    let uuid = api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
    let (_, read) = api.get(&format!("{PORTAL}/groups/{uuid}")).await;
    (uuid, read["id"].as_i64().unwrap())
}

#[tokio::test]
async fn a_logo_may_be_larger_than_a_json_body_up_to_one_mebibyte_and_no_more() {
    let api = Api::new().await;
    let (_, id) = group(&api).await;
    let logo = format!("{PORTAL}/groups/{id}/logo");
    let (status, body) = api.raw(Method::POST, &logo, Some("image/png"), png(1024 * 1024)).await;
    assert_eq!((status, &body["version"]), (StatusCode::OK, &json!(2)), "{body}");
    let (status, body) = api.raw(Method::POST, &logo, Some("image/png"), png(1024 * 1024 + 1)).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::PAYLOAD_TOO_LARGE, Some("payload_too_large")));
    // Another route keeps the server's limit for JSON bodies (64 KiB).
    let big = json!({ "company_name": "x".repeat(70 * 1024) });
    let (status, body) = api.post(&format!("{PORTAL}/groups/{id}/brand"), big).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::PAYLOAD_TOO_LARGE, Some("payload_too_large")));
}

#[tokio::test]
async fn brand_and_logo_changes_are_audited_without_the_password_or_the_image() {
    let api = Api::new().await;
    let (uuid, id) = group(&api).await;
    let brand = format!("{PORTAL}/groups/{id}/brand");
    let (status, _) = api.post(&brand, json!({ "smtp_password": "s3cret-smtp", "company_name": "Acme" })).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = api.raw(Method::POST, &format!("{PORTAL}/groups/{id}/logo"), Some("image/png"), png(64)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = api.call(Method::DELETE, &brand, None).await;
    assert_eq!(status, StatusCode::OK);
    let (_, audit) = api.get(&format!("{BASE}/audit?pageSize=100&node={uuid}")).await;
    let events = audit["events"].as_array().unwrap();
    let actions: Vec<&str> = events.iter().filter_map(|e| e["action"].as_str()).collect();
    for action in ["portal.brand.enable", "portal.logo.update", "portal.brand.delete"] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    let text = audit.to_string();
    assert!(!text.contains("s3cret-smtp"), "the password is never kept: {text}");
    assert!(text.contains("Acme"), "the rest of the body is");
}

#[tokio::test]
async fn the_portals_brand_is_kept_beside_canopys_branding_and_changes_none_of_it() {
    let api = Api::new().await;
    let (uuid, id) = group(&api).await;
    let general = format!("{BASE}/groups/{uuid}/configurations/branding/general");
    let (status, before) = api.get(&general).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    let (status, _) = api.post(&format!("{PORTAL}/groups/{id}/brand"), json!({ "company_name": "Portal" })).await;
    assert_eq!(status, StatusCode::OK);
    let (_, after) = api.get(&general).await;
    assert_eq!(after, before, "Canopy's general document is its own");
    let (_, read) = api.get(&format!("{PORTAL}/groups/{uuid}/brand")).await;
    assert_eq!((&read["company_name"], &read["id"]), (&json!("Portal"), &Value::from(id)), "by uuid too");
}
