//! G1's search, paging and sorting over a few hundred generated groups, each answer checked
//! against a reference computed here from the spec's names alone (not from Canopy's code): every
//! criterion in both cases, several sort orders, limits, and pages that split ties.

mod support;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use std::cmp::Ordering;
use support::{Api, BASE};

const APIO: &str = "/api/v01/draas/default/apio/api/v1";

/// The reference: what the spec's names mean, written here without the domain's code.
fn reference(
    groups: &[(String, String)],
    criteria: &[(&str, &str)],
    sorts: &[&str],
    window: (usize, Option<usize>),
) -> (Vec<String>, usize) {
    let text = |g: &(String, String), field: &str, sensitive: bool| {
        let raw = if field == "GroupId" { &g.0 } else { &g.1 };
        if sensitive { raw.clone() } else { raw.to_lowercase() }
    };
    let mut matched: Vec<&(String, String)> = groups
        .iter()
        .filter(|g| {
            criteria.iter().all(|(name, value)| {
                let sensitive = name.starts_with("sensitive");
                let field = if name.contains("GroupId") { "GroupId" } else { "GroupName" };
                let (hay, needle) =
                    (text(g, field, sensitive), if sensitive { value.to_string() } else { value.to_lowercase() });
                if name.ends_with("Starts") {
                    hay.starts_with(&needle)
                } else if name.ends_with("Contains") {
                    hay.contains(&needle)
                } else {
                    hay == needle
                }
            })
        })
        .collect();
    let sorts: Vec<&str> = if sorts.is_empty() { vec!["insensitiveAscendingGroupId"] } else { sorts.to_vec() };
    matched.sort_by(|a, b| {
        sorts
            .iter()
            .map(|sort| {
                let sensitive = sort.starts_with("sensitive");
                let field = if sort.ends_with("GroupId") { "GroupId" } else { "GroupName" };
                let order = text(a, field, sensitive).cmp(&text(b, field, sensitive));
                if sort.contains("Descending") { order.reverse() } else { order }
            })
            .find(|o| *o != Ordering::Equal)
            .unwrap_or_else(|| a.0.cmp(&b.0))
    });
    let total = matched.len();
    let cut = matched.into_iter().skip(window.0).take(window.1.unwrap_or(usize::MAX)).map(|g| g.0.clone()).collect();
    (cut, total)
}

#[tokio::test]
async fn search_paging_and_sorting_match_a_reference_over_generated_groups() {
    let api = Api::new().await;
    tenant(&api).await;
    let letters = ["a", "B", "b", "A", "_", "x", "X"];
    let mut groups = vec![];
    for i in 0..300usize {
        let id = format!("{}{}{}{i}", letters[i % 7], letters[(i / 7) % 7], letters[(i / 2) % 5]);
        let name = format!("{}{}{} team", letters[(i * 3) % 7], letters[(i / 13) % 7], ["%", "_", " "][i % 3]);
        group(&api, &id, &name).await;
        groups.push((id, name));
    }
    let sort_sets: [&[&str]; 5] = [
        &[],
        &["sensitiveDescendingGroupName"],
        &["insensitiveAscendingGroupName", "sensitiveDescendingGroupId"],
        &["insensitiveDescendingGroupName", "sensitiveAscendingGroupName", "insensitiveAscendingGroupId"],
        &["sensitiveAscendingGroupId"],
    ];
    let mut criteria: Vec<Vec<(&str, &str)>> = vec![vec![]];
    for case in ["sensitive", "insensitive"] {
        for (field, values) in [("GroupId", ["a", "Bb", "_x"]), ("GroupName", ["A", "b%", "x_ TEAM"])] {
            for (mode, value) in ["Starts", "Contains", "Equals"].into_iter().zip(values) {
                let name: &'static str = Box::leak(format!("{case}{field}{mode}").into_boxed_str());
                criteria.push(vec![(name, value)]);
            }
        }
    }
    criteria.push(vec![("insensitiveGroupIdStarts", "b"), ("sensitiveGroupNameContains", "a")]);
    criteria.push(vec![("sensitiveGroupNameEquals", "ab% team")]);
    for criterion in &criteria {
        for sorts in sort_sets {
            // Unlimited, a limit, and pages of 7 that split ties of the first sort.
            let windows =
                [(None, None), (Some(5), None), (None, Some((1, 7))), (None, Some((8, 7))), (None, Some((295, 7)))];
            for (limit, paging) in windows {
                let mut body = serde_json::Map::new();
                for (name, value) in criterion {
                    body.insert((*name).into(), json!(value));
                }
                if !sorts.is_empty() {
                    body.insert("sortOrders".into(), json!(sorts));
                }
                if let Some(limit) = limit {
                    body.insert("responseSizeLimit".into(), json!(limit));
                }
                if let Some((start, size)) = paging {
                    body.insert("pagingControl".into(), json!({ "startIndex": start, "pageSize": size }));
                }
                let window = match (limit, paging) {
                    (_, Some((start, size))) => (start - 1, Some(size)),
                    (limit, None) => (0, limit),
                };
                let (expected, total) = reference(&groups, criterion, sorts, window);
                let (status, answer, got_total) = search_body(&api, Value::Object(body.clone())).await;
                assert_eq!(status, StatusCode::OK, "{body:?}: {answer}");
                let got: Vec<String> = answer["groups"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|g| g["groupId"].as_str().unwrap().to_owned())
                    .collect();
                assert_eq!((got, got_total), (expected, Some(total as u64)), "{body:?}");
            }
        }
    }
}

async fn tenant(api: &Api) {
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
    api.create(&format!("{BASE}/groups/{group}/tenants"), json!({ "name": "acme", "tenantId": "Acme-1" })).await;
}

async fn group(api: &Api, group_id: &str, name: &str) {
    let body = json!({ "groupId": group_id, "groupName": name, "userLimit": 10 });
    let (status, answer) = api.post(&format!("{APIO}/tenants/acme-1/groups/"), body).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
}

async fn search_body(api: &Api, body: Value) -> (StatusCode, Value, Option<u64>) {
    let (status, headers, answer) =
        api.send(Method::GET, &format!("{APIO}/tenants/acme-1/groups/"), &[], Some(body)).await;
    let total = headers.get("x-total-count").map(|v| v.to_str().unwrap().parse().unwrap());
    (status, answer, total)
}
