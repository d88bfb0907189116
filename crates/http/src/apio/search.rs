//! The search of G1 (`GET …/tenants/{tenant_id}/groups/`) as a client sends it: a JSON object in
//! the GET's body, as the spec shows (Content-Type absent or `application/json`), or query
//! parameters of the same names (`startIndex`, `pageSize`, `sortOrders=a,b`) for the clients and
//! proxies that drop GET bodies; both at once is a 400. The names become the domain's values
//! ([`GroupSearch`]); what they mean is decided there.

use crate::error::ApiError;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use canopy_domain::{Criterion, DomainError, GroupSearch, SortOrder, Window};
use serde_json::{Map, Value};

/// The search the request carries.
pub fn requested(headers: &HeaderMap, query: Vec<(String, String)>, body: &[u8]) -> Result<GroupSearch, ApiError> {
    let has_body = body.iter().any(|byte| !byte.is_ascii_whitespace());
    match (has_body, !query.is_empty()) {
        (true, true) => Err(invalid("body", "send the search either as a JSON body or as query parameters, not both")),
        (true, false) => from_body(headers, body),
        (false, true) => from_query(query),
        (false, false) => Ok(GroupSearch::new(vec![], vec![], Window::default())?),
    }
}

fn invalid(field: &'static str, reason: &str) -> ApiError {
    ApiError::from(DomainError::invalid(field, reason.to_owned())).with_details(serde_json::json!({ "apioCode": 42 }))
}

fn from_body(headers: &HeaderMap, body: &[u8]) -> Result<GroupSearch, ApiError> {
    let json = headers.get(CONTENT_TYPE).is_none_or(|value| {
        value
            .to_str()
            .is_ok_and(|v| v.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json")))
    });
    if !json {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "expected a body with Content-Type: application/json (or none)",
        ));
    }
    let value: Value = serde_json::from_slice(body).map_err(|err| {
        ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", format!("the body is not JSON: {err}"))
    })?;
    let Value::Object(object) = value else {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_body", "the search is a JSON object"));
    };
    from_object(object)
}

fn from_object(object: Map<String, Value>) -> Result<GroupSearch, ApiError> {
    let mut criteria = vec![];
    let (mut limit, mut paging, mut sorts) = (None, None, vec![]);
    for (name, value) in object {
        match name.as_str() {
            "responseSizeLimit" => limit = Some(count(&value, "responseSizeLimit")?),
            "pagingControl" => {
                let Value::Object(control) = value else { return Err(invalid("pagingControl", "must be an object")) };
                let field = |key: &'static str| {
                    control.get(key).ok_or_else(|| invalid("pagingControl", "needs startIndex and pageSize"))
                };
                paging = Some((
                    count(field("startIndex")?, "pagingControl.startIndex")?,
                    count(field("pageSize")?, "pagingControl.pageSize")?,
                ));
            }
            "sortOrders" => {
                let Value::Array(names) = value else { return Err(invalid("sortOrders", "must be an array of names")) };
                for name in names {
                    let Value::String(name) = name else {
                        return Err(invalid("sortOrders", "must be an array of names"));
                    };
                    sorts.push(SortOrder::parse(&name)?);
                }
            }
            _ => {
                let Value::String(text) = &value else {
                    return criterion(&name, "").and(Err(invalid("body", &format!("{name} must be a string"))));
                };
                criteria.push(criterion(&name, text)?);
            }
        }
    }
    let window = match paging {
        // `responseSizeLimit` is ignored when `pagingControl` is present (spec L57).
        Some((start, size)) => Window::paged(start, size)?,
        None => Window::limited(limit)?,
    };
    Ok(GroupSearch::new(criteria, sorts, window)?)
}

fn criterion(name: &str, value: &str) -> Result<Criterion, ApiError> {
    match Criterion::named(name, value) {
        Some(criterion) => Ok(criterion?),
        None => Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_body", format!("unknown search key `{name}`"))
            .with_details(serde_json::json!({ "field": name, "apioCode": 42 }))),
    }
}

fn count(value: &Value, field: &'static str) -> Result<u64, ApiError> {
    value.as_u64().ok_or_else(|| invalid(field, "must be a positive integer"))
}

/// The same names as query parameters: `pagingControl`'s members stand alone.
fn from_query(pairs: Vec<(String, String)>) -> Result<GroupSearch, ApiError> {
    let mut object = Map::new();
    let mut control = Map::new();
    for (name, value) in pairs {
        let number = |value: &str| value.parse::<u64>().map(Value::from).unwrap_or(Value::Null);
        let (target, value) = match name.as_str() {
            "startIndex" | "pageSize" => (&mut control, number(&value)),
            "responseSizeLimit" => (&mut object, number(&value)),
            "sortOrders" => (&mut object, Value::from(value.split(',').map(str::trim).collect::<Vec<_>>())),
            _ => (&mut object, Value::from(value)),
        };
        if target.insert(name.clone(), value).is_some() {
            return Err(invalid("query", &format!("{name} is given twice")));
        }
    }
    if !control.is_empty() {
        object.insert("pagingControl".into(), Value::Object(control));
    }
    from_object(object)
}
