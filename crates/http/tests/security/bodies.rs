//! Hostile JSON bodies: too large (413), nested ten thousand deep, numbers out of range; each is
//! a 4xx in the envelope, changes nothing, and leaves the server answering.

use crate::support::{Api, BASE};
use axum::http::{Method, StatusCode};
use canopy_http::{HttpConfig, router};
use serde_json::json;
use uuid::Uuid;

/// An API whose body limit lets a deeply nested document through, to reach the JSON parser.
async fn with_body_limit(limit: usize) -> Api {
    let api = Api::new().await;
    let router = router(api.app.clone(), HttpConfig { body_limit: limit, ..HttpConfig::default() });
    Api { router, ..api }
}

#[tokio::test]
async fn an_oversized_body_is_413_and_changes_nothing() {
    let api = Api::new().await;
    let name = "x".repeat(5000);
    for (method, path) in [
        (Method::POST, format!("{BASE}/groups")),
        (Method::POST, "/api/v01/auth/login".to_owned()),
        (Method::PUT, format!("{BASE}/groups/{}", Uuid::new_v4())),
    ] {
        let (status, body) = api.call(method.clone(), &path, Some(json!({ "name": name }))).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::PAYLOAD_TOO_LARGE, Some("payload_too_large"))
        );
    }
    assert_eq!(api.get(&format!("{BASE}/groups")).await.1["results"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_nested_ten_thousand_deep_is_a_4xx_and_the_server_still_answers() {
    let api = with_body_limit(1 << 20).await;
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
    let deep = |open: &str, close: &str| format!("{}{}", open.repeat(10_000), close.repeat(10_000));
    let arrays = deep("[", "]");
    let objects = deep("{\"a\":", "}").replacen('}', "1}", 1);
    let node = format!("{BASE}/groups/{group}");
    // Where a free-form JSON value is accepted the parser itself must stop the descent...
    let free_form = [
        (Method::POST, format!("{node}/configurations/general"), format!(r#"{{"properties": {{"k": {arrays}}}}}"#)),
        (Method::PUT, format!("{node}/configurations/general"), format!(r#"{{"properties": {{"k": {objects}}}}}"#)),
        (Method::PUT, format!("{node}/configurations/branding/general"), format!(r#"{{"appTitle": {objects}}}"#)),
        (Method::PUT, format!("{node}/configurations/branding/pages"), format!(r#"{{"x": {arrays}}}"#)),
    ];
    for (method, path, body) in free_form {
        assert!(body.len() < 1 << 20);
        let (status, answer) = api.raw(method.clone(), &path, Some("application/json"), body.into_bytes()).await;
        assert_eq!((status, answer["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("malformed_json")));
    }
    // ...elsewhere the shape is refused before any depth.
    for path in [format!("{BASE}/groups"), "/api/v01/auth/login".to_owned(), format!("{node}/admins")] {
        for body in [format!(r#"{{"name": {arrays}}}"#), objects.clone(), arrays.clone()] {
            let (status, answer) = api.raw(Method::POST, &path, Some("application/json"), body.into_bytes()).await;
            assert!(status.is_client_error(), "POST {path}: {status} {answer}");
        }
    }
    let (_, read) = api.get(&format!("{node}/configurations/general")).await;
    assert_eq!(read["properties"], json!({}), "nothing was written");
    assert_eq!(api.get(&format!("{BASE}/groups")).await.1["results"], 1, "nothing was created");
    assert_eq!(api.get("/api/v01/auth/me").await.0, StatusCode::OK, "the server still answers");
}

#[tokio::test]
async fn numbers_out_of_range_are_400() {
    let api = Api::new().await;
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
    let node = format!("{BASE}/groups/{group}");
    let general = format!("{node}/configurations/general");
    let prices = format!("{node}/rate_plans/standard/prices");
    let price = |destination: &str, setup: &str| {
        format!(
            r#"{{"destinationId": {destination}, "activeSince": "2022-08-06 00:00:00",
                "national": {{"setup": {setup}, "duration": 0.5}},
                "international": {{"setup": 1, "duration": 1}}}}"#
        )
    };
    let destination = format!("{node}/rate_plans/standard/destinations/177");
    let (status, body) = api.call(Method::PUT, &destination, Some(json!({ "destination": "Italy" }))).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let cases = [
        (general.clone(), r#"{"properties": {"draas_sbc_port": 1e400}}"#.to_owned()),
        (general.clone(), r#"{"properties": {"any_number": 1e400}}"#.to_owned()),
        (prices.clone(), price("18446744073709551616", "1")),
        (prices.clone(), price("1e400", "1")),
        (prices.clone(), price("177", "1e400")),
        (format!("{node}/configurations/voice_routing/voice_routes"), {
            r#"{"name": "VR", "pattern": ".*", "priority": 18446744073709551616}"#.to_owned()
        }),
        (format!("{node}/configurations/voice_routing/voice_routes"), {
            r#"{"name": "VR", "pattern": ".*", "priority": 1e400}"#.to_owned()
        }),
    ];
    let routes = format!("{node}/configurations/voice_routing/voice_routes");
    for (path, body) in cases {
        let (status, answer) = api.raw(Method::POST, &path, Some("application/json"), body.clone().into_bytes()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "POST {path} {body}: {answer}");
    }
    let (status, _) = api.get(&format!("{BASE}/groups?page=18446744073709551616")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = api.get(&format!("{BASE}/groups?page_size=1e400")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (_, read) = api.get(&general).await;
    assert_eq!(read["properties"], json!({}), "nothing was written");
    let (_, voice) = api.get(&routes).await;
    assert!(!voice.to_string().contains("VR"), "no voice route was written: {voice}");
    // The same bodies with numbers in range are accepted: the numbers alone were refused.
    let controls = [
        (general, r#"{"properties": {"draas_sbc_port": 5061}}"#.to_owned()),
        (prices, price("177", "1")),
        (routes, r#"{"name": "VR", "pattern": ".*", "priority": 1}"#.to_owned()),
    ];
    for (path, body) in controls {
        let (status, answer) = api.raw(Method::POST, &path, Some("application/json"), body.clone().into_bytes()).await;
        assert!(status.is_success(), "POST {path} {body}: {answer}");
    }
}
