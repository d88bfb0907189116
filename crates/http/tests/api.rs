//! In-process HTTP tests: the router on the memory store, requests without a socket.

mod support;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::json;
use support::{Api, BASE};
use tower::ServiceExt;

#[tokio::test]
async fn the_specs_group_examples_round_trip() {
    let api = Api::new().await;
    let body =
        json!({ "name": "CBUR Test POST", "draasDomain": "my.fusion.domain", "adminEmail": "john.doe@netaxis.be" });
    let uuid = api.create(&format!("{BASE}/groups"), body).await;
    let (status, group) = api.get(&format!("{BASE}/groups/{uuid}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(group["id"].as_i64().is_some_and(|id| id > 0), "{group}");
    assert_eq!(
        group,
        json!({ "uuid": uuid, "id": group["id"], "name": "CBUR Test POST", "draasDomain": "my.fusion.domain",
                "nbOfDistributors": 0, "nbOfResellers": 0, "nbOfTenants": 0, "nbOfSiteGroups": 0, "nbOfUsers": 0,
                "version": 1 })
    );
    let (status, body) = api
        .call(
            Method::PUT,
            &format!("{BASE}/groups/{uuid}"),
            Some(json!({ "name": "Group 1", "draasDomain": "first.fusion.domain" })),
        )
        .await;
    assert_eq!((status, body), (StatusCode::OK, json!({ "uuid": uuid, "version": 2 })));
    let (status, list) = api.get(&format!("{BASE}/groups")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        list,
        json!({ "page": 1, "pages": 1, "results": 1,
                "groups": [{ "uuid": uuid, "id": group["id"], "name": "Group 1", "draasDomain": "first.fusion.domain",
                             "version": 2 }] })
    );
    let (status, body) = api.call(Method::DELETE, &format!("{BASE}/groups/{uuid}"), None).await;
    assert_eq!((status, body), (StatusCode::OK, json!({ "uuid": uuid })));
    assert_eq!(api.get(&format!("{BASE}/groups/{uuid}")).await.0, StatusCode::NOT_FOUND);
    let (status, body) = api.call(Method::DELETE, &format!("{BASE}/groups/{uuid}"), None).await;
    assert_eq!((status, body), (StatusCode::OK, json!({ "uuid": uuid })), "deleting a missing group succeeds");
}

#[tokio::test]
async fn the_hierarchy_is_built_and_counted_through_every_child_route() {
    let api = Api::new().await;
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
    let distributor = api.create(&format!("{BASE}/groups/{group}/distributors"), json!({ "name": "D" })).await;
    let reseller = api.create(&format!("{BASE}/distributors/{distributor}/resellers"), json!({ "name": "R" })).await;
    let tenant =
        api.create(&format!("{BASE}/resellers/{reseller}/tenants"), json!({ "name": "T", "tenantId": "t1" })).await;
    api.create(&format!("{BASE}/distributors/{distributor}/tenants"), json!({ "name": "T2", "tenantId": "t2" })).await;
    api.create(&format!("{BASE}/groups/{group}/resellers"), json!({ "name": "R2" })).await;
    api.create(&format!("{BASE}/groups/{group}/tenants"), json!({ "name": "T3", "tenantId": "t3" })).await;

    let (_, g) = api.get(&format!("{BASE}/groups/{group}")).await;
    assert_eq!(
        (g["nbOfDistributors"].clone(), g["nbOfResellers"].clone(), g["nbOfTenants"].clone()),
        (json!(1), json!(2), json!(3))
    );
    let (_, d) = api.get(&format!("{BASE}/distributors/{distributor}")).await;
    assert_eq!(
        d,
        json!({ "uuid": distributor, "id": d["id"], "name": "D", "groupUuid": group, "nbOfResellers": 1,
                "nbOfTenants": 2, "nbOfSiteGroups": 0, "nbOfUsers": 0, "version": 1 })
    );
    let (_, t) = api.get(&format!("{BASE}/tenants/{tenant}")).await;
    assert_eq!(
        t,
        json!({ "uuid": tenant, "id": t["id"], "name": "T", "tenantId": "t1", "groupUuid": group,
                "distributorUuid": distributor, "resellerUuid": reseller, "nbOfSiteGroups": 0, "nbOfUsers": 0,
                "version": 1 })
    );
    let (_, tenants) = api.get(&format!("{BASE}/distributors/{distributor}/tenants")).await;
    assert_eq!(tenants["results"], 1);
    assert_eq!(tenants["tenants"][0]["name"], "T2");
    let (status, _) = api.get(&format!("{BASE}/groups/{tenant}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a tenant is not a group");
    let (status, body) =
        api.post(&format!("{BASE}/resellers/{group}/tenants"), json!({ "name": "X", "tenantId": "x" })).await;
    assert_eq!((status, body["error"]["code"].clone()), (StatusCode::NOT_FOUND, json!("not_found")));
}

#[tokio::test]
async fn deleting_a_non_empty_node_answers_400_with_the_children_by_kind() {
    let api = Api::new().await;
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
    api.create(&format!("{BASE}/groups/{group}/distributors"), json!({ "name": "D" })).await;
    api.create(&format!("{BASE}/groups/{group}/tenants"), json!({ "name": "T", "tenantId": "t" })).await;
    api.create(&format!("{BASE}/groups/{group}/tenants"), json!({ "name": "T2", "tenantId": "t2" })).await;
    let (status, body) = api.call(Method::DELETE, &format!("{BASE}/groups/{group}"), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["code"], "not_empty");
    assert_eq!(body["error"]["details"]["children"], json!({ "distributors": 1, "resellers": 0, "tenants": 2 }));
    assert_eq!(api.get(&format!("{BASE}/groups/{group}")).await.0, StatusCode::OK);
}

#[tokio::test]
async fn bad_bodies_get_a_4xx_envelope_and_change_nothing() {
    let api = Api::new().await;
    let groups = format!("{BASE}/groups");
    let cases: Vec<(Option<&str>, Vec<u8>, StatusCode, &str)> = vec![
        (Some("application/json"), b"{\"name\": ".to_vec(), StatusCode::BAD_REQUEST, "malformed_json"),
        (Some("application/json"), b"{\"name\": 42}".to_vec(), StatusCode::BAD_REQUEST, "invalid_body"),
        (
            Some("application/json"),
            b"{\"name\": \"G\", \"color\": \"red\"}".to_vec(),
            StatusCode::BAD_REQUEST,
            "invalid_body",
        ),
        (Some("application/json"), b"{}".to_vec(), StatusCode::BAD_REQUEST, "invalid_body"),
        (Some("application/json"), b"[]".to_vec(), StatusCode::BAD_REQUEST, "invalid_body"),
        (
            Some("text/plain"),
            b"{\"name\": \"G\"}".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
        (None, vec![], StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
        (
            Some("application/json"),
            format!("{{\"name\": \"{}\"}}", "x".repeat(5000)).into_bytes(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
        (Some("application/json"), b"{\"name\": \"   \"}".to_vec(), StatusCode::BAD_REQUEST, "invalid_field"),
        (
            Some("application/json"),
            b"{\"name\": \"G\", \"draasDomain\": \"not a domain\"}".to_vec(),
            StatusCode::BAD_REQUEST,
            "invalid_field",
        ),
        (
            Some("application/json"),
            b"{\"name\": \"G\", \"adminEmail\": \"nope\"}".to_vec(),
            StatusCode::BAD_REQUEST,
            "invalid_field",
        ),
        (
            Some("application/json"),
            b"{\"name\": \"G\", \"tenantId\": \"t\"}".to_vec(),
            StatusCode::BAD_REQUEST,
            "invalid_body",
        ),
    ];
    for (content_type, body, status, code) in cases {
        let (got, json) = api.raw(Method::POST, &groups, content_type, body.clone()).await;
        assert_eq!(
            (got, json["error"]["code"].as_str().unwrap()),
            (status, code),
            "{}",
            String::from_utf8_lossy(&body)
        );
    }
    let (_, list) = api.get(&groups).await;
    assert_eq!(list["results"], 0, "nothing was created");
    let (_, json) = api.post(&groups, json!({ "name": "G", "adminEmail": "nope" })).await;
    assert_eq!(json["error"]["details"]["field"], "adminEmail", "{json}");
}

#[tokio::test]
async fn bad_paths_and_queries_get_a_4xx_envelope() {
    let api = Api::new().await;
    api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
    for (path, status, code) in [
        (format!("{BASE}/groups/not-a-uuid"), StatusCode::BAD_REQUEST, "invalid_path"),
        ("/api/v01/draas/nowhere/groups".to_owned(), StatusCode::NOT_FOUND, "instance_not_found"),
        ("/api/v01/draas/NOT%20VALID/groups".to_owned(), StatusCode::NOT_FOUND, "instance_not_found"),
        (format!("{BASE}/groups?page_size=0"), StatusCode::BAD_REQUEST, "invalid_field"),
        (format!("{BASE}/groups?page_size=1001"), StatusCode::BAD_REQUEST, "invalid_field"),
        (format!("{BASE}/groups?page_size=ten"), StatusCode::BAD_REQUEST, "invalid_query"),
        (format!("{BASE}/groups?page=-1"), StatusCode::BAD_REQUEST, "invalid_query"),
        (format!("{BASE}/groups?page=0"), StatusCode::BAD_REQUEST, "invalid_field"),
        (format!("{BASE}/groups?sort=nbOfTenants"), StatusCode::BAD_REQUEST, "invalid_field"),
        (format!("{BASE}/groups?dir=up"), StatusCode::BAD_REQUEST, "invalid_field"),
        (format!("{BASE}/groups?next=garbage"), StatusCode::BAD_REQUEST, "invalid_next_token"),
        (format!("{BASE}/nothing-here"), StatusCode::NOT_FOUND, "route_not_found"),
    ] {
        let (got, json) = api.get(&path).await;
        assert_eq!((got, json["error"]["code"].as_str().unwrap()), (status, code), "{path}");
    }
    let (status, json) = api.call(Method::PATCH, &format!("{BASE}/groups"), None).await;
    assert_eq!(
        (status, json["error"]["code"].as_str().unwrap()),
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
    );
}

#[tokio::test]
async fn next_tokens_walk_the_list_and_refuse_other_filters() {
    let api = Api::new().await;
    for i in 0..25 {
        api.create(&format!("{BASE}/groups"), json!({ "name": format!("Group {i:02}") })).await;
    }
    let (_, first) = api.get(&format!("{BASE}/groups?page_size=10&search=group")).await;
    assert_eq!(
        (first["page"].clone(), first["pages"].clone(), first["results"].clone()),
        (json!(1), json!(3), json!(25))
    );
    let mut seen: Vec<String> =
        first["groups"].as_array().unwrap().iter().map(|g| g["name"].as_str().unwrap().to_owned()).collect();
    let mut next = first["next"].as_str().unwrap().to_owned();
    loop {
        let (status, page) = api.get(&format!("{BASE}/groups?next={next}")).await;
        assert_eq!(status, StatusCode::OK);
        seen.extend(page["groups"].as_array().unwrap().iter().map(|g| g["name"].as_str().unwrap().to_owned()));
        match page["next"].as_str() {
            Some(token) => next = token.to_owned(),
            None => {
                assert_eq!(page["page"], 3);
                break;
            }
        }
    }
    let expected: Vec<String> = (0..25).map(|i| format!("Group {i:02}")).collect();
    assert_eq!(seen, expected);
    let token = first["next"].as_str().unwrap();
    let (status, body) = api.get(&format!("{BASE}/groups?next={token}&search=other")).await;
    assert_eq!((status, body["error"]["code"].as_str().unwrap()), (StatusCode::BAD_REQUEST, "invalid_next_token"));
    let tampered = format!("{}A", token);
    let (status, _) = api.get(&format!("{BASE}/groups?next={tampered}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn duplicates_are_refused_with_the_field_named() {
    let api = Api::new().await;
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "Acme" })).await;
    let (status, body) = api.post(&format!("{BASE}/groups"), json!({ "name": " ACME " })).await;
    assert_eq!((status, body["error"]["code"].as_str().unwrap()), (StatusCode::BAD_REQUEST, "duplicate_name"));
    assert_eq!(body["error"]["details"]["field"], "name");
    api.create(&format!("{BASE}/groups/{group}/tenants"), json!({ "name": "T", "tenantId": "acme" })).await;
    let (status, body) =
        api.post(&format!("{BASE}/groups/{group}/tenants"), json!({ "name": "T2", "tenantId": "ACME" })).await;
    assert_eq!((status, body["error"]["code"].as_str().unwrap()), (StatusCode::BAD_REQUEST, "duplicate_tenant_id"));
}

#[tokio::test]
async fn a_put_can_clear_the_domain_with_null_and_keeps_absent_fields() {
    let api = Api::new().await;
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "G", "draasDomain": "g.example" })).await;
    api.call(Method::PUT, &format!("{BASE}/groups/{group}"), Some(json!({ "name": "G2" }))).await;
    let (_, body) = api.get(&format!("{BASE}/groups/{group}")).await;
    assert_eq!((body["name"].clone(), body["draasDomain"].clone()), (json!("G2"), json!("g.example")));
    api.call(Method::PUT, &format!("{BASE}/groups/{group}"), Some(json!({ "draasDomain": null }))).await;
    let (_, body) = api.get(&format!("{BASE}/groups/{group}")).await;
    assert!(body.get("draasDomain").is_none(), "{body}");
    let missing = uuid::Uuid::new_v4();
    let (status, _) = api.call(Method::PUT, &format!("{BASE}/groups/{missing}"), Some(json!({ "name": "X" }))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_creation_rules_are_served_as_data() {
    let api = Api::new().await;
    let (status, body) = api.get(&format!("{BASE}/logic/rules")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({ "creation": {
            "instance": ["group"],
            "group": ["distributor", "reseller", "tenant"],
            "distributor": ["reseller", "tenant"],
            "reseller": ["tenant"],
            "tenant": ["site_group", "user"],
            "site_group": ["user"],
            "user": [],
        } })
    );
}

#[tokio::test]
async fn liveness_and_readiness_answer_without_an_instance() {
    let api = Api::new().await;
    assert_eq!(api.get("/healthz").await, (StatusCode::OK, json!({ "status": "ok" })));
    assert_eq!(api.get("/readyz").await, (StatusCode::OK, json!({ "status": "ready" })));
}

#[tokio::test]
async fn every_response_echoes_a_request_id() {
    let api = Api::new().await;
    let send = |id: Option<&'static str>| {
        let router = api.router.clone();
        async move {
            let mut request = Request::get(format!("{BASE}/groups/not-a-uuid"));
            if let Some(id) = id {
                request = request.header("x-request-id", id);
            }
            let response = router.oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
            response.headers().get("x-request-id").map(|v| v.to_str().unwrap().to_owned())
        }
    };
    assert_eq!(send(Some("client-chosen-42")).await.as_deref(), Some("client-chosen-42"));
    let generated = send(None).await.expect("an id is generated");
    assert!(uuid::Uuid::parse_str(&generated).is_ok(), "{generated}");
    let replaced = send(Some("has spaces in it")).await.expect("an id is generated");
    assert!(uuid::Uuid::parse_str(&replaced).is_ok(), "an unprintable id is replaced: {replaced}");
}

#[tokio::test]
async fn metrics_count_requests_by_route_template_status_and_error_code() {
    let api = Api::new().await;
    let uuid = api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
    api.get(&format!("{BASE}/groups/{uuid}")).await;
    api.get(&format!("{BASE}/groups/{uuid}")).await;
    api.get(&format!("{BASE}/groups/not-a-uuid")).await;
    let request = Request::get("/metrics").body(Body::empty()).unwrap();
    let response = api.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    let item = "route=\"/api/v01/draas/{draas_instance}/groups/{uuid}\"";
    // Series come in no particular order: find the one line with every label of interest.
    let ok = text.lines().find(|l| {
        l.starts_with("canopy_http_requests_total{")
            && l.contains("method=\"GET\"")
            && l.contains(item)
            && l.contains("status=\"200\"")
    });
    assert!(ok.is_some_and(|l| l.ends_with(" 2")), "two reads by uuid, counted under the template:\n{text}");
    assert!(!text.contains(&uuid), "raw paths never become labels");
    assert!(text.contains("canopy_http_errors_total{code=\"invalid_path\"} 1"), "{text}");
    assert!(text.contains("canopy_http_request_duration_seconds_bucket"), "{text}");
    assert!(text.contains("canopy_http_requests_in_flight"), "{text}");
}

#[tokio::test]
async fn a_searched_list_counts_up_to_its_limit_and_says_there_are_more() {
    let api = Api::new().await;
    for i in 0..1003 {
        let (status, body) = api.post(&format!("{BASE}/groups"), json!({ "name": format!("Bulk {i:04}") })).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, first) = api.get(&format!("{BASE}/groups?search=bulk&page_size=100")).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!((&first["results"], &first["pages"], &first["resultsCapped"]), (&json!(1000), &json!(10), &json!(true)));
    // The tokens go on past the count: every match is reached.
    let mut seen = first["groups"].as_array().unwrap().len();
    let mut next = first["next"].as_str().map(str::to_owned);
    while let Some(token) = next {
        let (_, page) = api.get(&format!("{BASE}/groups?next={token}")).await;
        assert_eq!(page["resultsCapped"], true, "every page of the list says so");
        seen += page["groups"].as_array().unwrap().len();
        next = page["next"].as_str().map(str::to_owned);
    }
    assert_eq!(seen, 1003);
    // Unsearched, or under the limit: exact, and no flag.
    let (_, all) = api.get(&format!("{BASE}/groups?page_size=10")).await;
    assert_eq!((&all["results"], all.get("resultsCapped")), (&json!(1003), None));
    let (_, few) = api.get(&format!("{BASE}/groups?search=bulk%20000")).await;
    assert_eq!((&few["results"], few.get("resultsCapped")), (&json!(10), None));
}
