//! Rate plans and enabled UCs over HTTP: the spec's examples, the price active at the clock's
//! time, and refusals that change nothing.

mod support;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Api, BASE, get_without_version as get};

/// 2022-08-08 00:00:00 UTC.
const AUG_8_2022: i64 = 1_659_916_800_000;

async fn group(api: &Api) -> String {
    api.create(&format!("{BASE}/groups"), json!({ "name": "Group 1" })).await
}

async fn put(api: &Api, path: &str, body: Value) -> (StatusCode, Value) {
    api.call(Method::PUT, path, Some(body)).await
}

fn price(id: i64, since: &str, national: (f64, f64), international: (f64, f64)) -> Value {
    json!({
        "destinationId": id,
        "activeSince": since,
        "national": { "setup": national.0, "duration": national.1 },
        "international": { "setup": international.0, "duration": international.1 }
    })
}

#[tokio::test]
async fn a_rate_plan_answers_the_spec_example_at_the_clocks_time() {
    let api = Api::new().await;
    api.clock.advance_secs((AUG_8_2022 - 1_800_000_000_000) / 1000);
    let plan = format!("{BASE}/groups/{}/rate_plans/standard", group(&api).await);
    for (id, name) in [
        (177, "Italy"),
        (427, "Belgium Freephone"),
        (450, "Croatia Premium"),
        (414, "Austria Freephone"),
        (28, "Azerbaijan Mobile"),
    ] {
        let (status, body) = put(&api, &format!("{plan}/destinations/{id}"), json!({ "destination": name })).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    }
    for body in [
        price(177, "2022-08-01 00:00:00", (9.0, 9.0), (9.0, 9.0)),
        price(177, "2022-08-06 00:00:00", (0.0, 0.0), (0.0, 0.0)),
        price(177, "2022-08-11 00:00:00", (1.0, 1.0), (1.0, 1.0)),
        price(427, "2022-08-04 00:00:00", (5.8, 2.43), (5.78, 4.68)),
        price(427, "2022-08-10 00:00:00", (1.0, 1.0), (1.0, 1.0)),
        price(450, "2022-08-02 00:00:00", (3.7, 4.97), (6.24, 7.51)),
        price(414, "2022-07-12 00:00:00", (1.16, 2.31), (3.47, 4.68)),
        price(28, "2022-07-09 00:00:00", (1.16, 2.31), (3.47, 4.68)),
    ] {
        let (status, answer) = api.post(&format!("{plan}/prices"), body).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{answer}");
    }
    let (status, body) = get(&api, &plan).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let expected = json!({ "prices": [
        { "activeSince": "2022-08-06 00:00:00", "destination": "Italy", "destinationId": 177,
          "international": { "duration": 0.0, "setup": 0.0 }, "national": { "duration": 0.0, "setup": 0.0 },
          "nextUpdate": "2022-08-11 00:00:00" },
        { "activeSince": "2022-08-04 00:00:00", "destination": "Belgium Freephone", "destinationId": 427,
          "international": { "duration": 4.68, "setup": 5.78 }, "national": { "duration": 2.43, "setup": 5.8 },
          "nextUpdate": "2022-08-10 00:00:00" },
        { "activeSince": "2022-08-02 00:00:00", "destination": "Croatia Premium", "destinationId": 450,
          "international": { "duration": 7.51, "setup": 6.24 }, "national": { "duration": 4.97, "setup": 3.7 } },
        { "activeSince": "2022-07-12 00:00:00", "destination": "Austria Freephone", "destinationId": 414,
          "international": { "duration": 4.68, "setup": 3.47 }, "national": { "duration": 2.31, "setup": 1.16 } },
        { "activeSince": "2022-07-09 00:00:00", "destination": "Azerbaijan Mobile", "destinationId": 28,
          "international": { "duration": 4.68, "setup": 3.47 }, "national": { "duration": 2.31, "setup": 1.16 } }
    ]});
    assert_eq!(body, expected);

    // Two days later, Belgium's scheduled price is active and announces nothing more.
    api.clock.advance_secs(2 * 86_400);
    let (_, later) = get(&api, &plan).await;
    let belgium = later["prices"].as_array().unwrap().iter().find(|p| p["destinationId"] == 427).unwrap();
    assert_eq!((belgium["activeSince"].clone(), belgium.get("nextUpdate")), (json!("2022-08-10 00:00:00"), None));
    assert_eq!(later["prices"][0]["destinationId"], 427, "the most recently activated first");
}

#[tokio::test]
async fn bad_prices_and_unknown_plans_are_refused_and_change_nothing() {
    let api = Api::new().await;
    let plan = format!("{BASE}/groups/{}/rate_plans/standard", group(&api).await);
    let (status, body) = get(&api, &plan).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("rate_plan_not_found")));
    put(&api, &format!("{plan}/destinations/177"), json!({ "destination": "Italy" })).await;
    let prices = format!("{plan}/prices");
    for (body, code, field) in [
        (price(999, "2022-08-06 00:00:00", (1.0, 1.0), (1.0, 1.0)), "unknown_destination", "destinationId"),
        (price(177, "2022-08-06T00:00:00Z", (1.0, 1.0), (1.0, 1.0)), "invalid_field", "activeSince"),
        (price(177, "2022-08-06 00:00:00", (-1.0, 1.0), (1.0, 1.0)), "invalid_field", "national"),
    ] {
        let (status, answer) = api.post(&prices, body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
        assert_eq!(
            (answer["error"]["code"].as_str(), answer["error"]["details"]["field"].as_str()),
            (Some(code), Some(field))
        );
    }
    let (status, answer) = api.post(&prices, json!({ "destinationId": 177 })).await;
    assert_eq!((status, answer["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_body")));
    let (status, answer) = put(&api, &format!("{plan}/destinations/abc"), json!({ "destination": "X" })).await;
    assert_eq!((status, answer["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_path")));
    let (status, answer) = get(&api, &plan.replace("standard", "bad%20name")).await;
    assert_eq!((status, answer["error"]["details"]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("rate_plan")));
    let (_, body) = get(&api, &plan).await;
    assert_eq!(body, json!({ "prices": [] }), "the destination exists, no price was stored");
}

#[tokio::test]
async fn enabled_ucs_follow_the_spec_and_only_the_levels_above_set_them() {
    let api = Api::new().await;
    let group = group(&api).await;
    let tenant = api.create(&format!("{BASE}/groups/{group}/tenants"), json!({ "name": "T", "tenantId": "t-1" })).await;
    let ucs = format!("{BASE}/tenants/{tenant}/enabled_ucs");
    let (status, body) = get(&api, &ucs).await;
    assert_eq!((status, body), (StatusCode::OK, json!({ "enabled_ucs": [] })));
    let (status, _) = put(&api, &ucs, json!({ "enabled_ucs": ["zoom", "msteams", "zoom"] })).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, body) = get(&api, &ucs).await;
    assert_eq!(body, json!({ "enabled_ucs": ["msteams", "zoom"] }));

    let (status, body) = put(&api, &ucs, json!({ "enabled_ucs": ["webex", "skype"] })).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_field")));
    assert!(body["error"]["message"].as_str().unwrap().contains("skype"), "{body}");
    let (_, body) = get(&api, &ucs).await;
    assert_eq!(body, json!({ "enabled_ucs": ["msteams", "zoom"] }), "nothing changed");

    let tenant_admin = api.admin(&format!("/tenants/{tenant}"), "t@example.com").await;
    let (status, body) = get(&tenant_admin, &ucs).await;
    assert_eq!((status, body), (StatusCode::OK, json!({ "enabled_ucs": ["msteams", "zoom"] })));
    let (status, body) = put(&tenant_admin, &ucs, json!({ "enabled_ucs": [] })).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));
    assert_eq!(body["error"]["details"]["permission"], "tenants.instance.enabled_ucs.update");

    // Deleting the tenant takes its settings with it.
    let (status, _) = api.call(Method::DELETE, &format!("{BASE}/tenants/{tenant}"), None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = get(&api, &ucs).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
