//! The handlers of the site groups (APIO groups): G1's search and G2's creation (one group's
//! read, change and deletion are `items.rs`'). Thin: resolve the path's keys, call the app, shape
//! the answer.

use super::bodies::{GroupCreate, GroupRow, GroupRows, shown};
use super::paths::{Keys, TenantPath, location};
use super::search;
use crate::api::FaceInstance;
use crate::caller::Changing;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, Reading};
use crate::versioning::tagged;
use axum::Json;
use axum::body::Bytes;
use axum::http::header::LOCATION;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use canopy_domain::{NodeKind, Permission};

const SITE_GROUP: NodeKind = NodeKind::SiteGroup;
/// How many groups matched in all, whatever the window (a Canopy addition; the body is APIO's).
pub const TOTAL_COUNT: HeaderName = HeaderName::from_static("x-total-count");

/// G1: the tenant's groups that the search selects.
pub async fn search(
    Reading { app, caller, path }: Reading<TenantPath>,
    instance: FaceInstance,
    ApiQuery(query): ApiQuery<Vec<(String, String)>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let tenant = path.resolve(&app, &caller.principal, &instance, Permission::List(SITE_GROUP)).await?;
    let wanted = search::requested(&headers, query, &body)?;
    let found = app.nodes.search_site_groups(&caller.principal, &instance.0, tenant.id, &wanted).await?;
    let rows = GroupRows { groups: found.groups.iter().map(GroupRow::of).collect() };
    Ok(([(TOTAL_COUNT, HeaderValue::from(found.total))], Json(rows)).into_response())
}

/// G2: a new group of the tenant; 201 with the group and its `Location`.
pub async fn create(
    Changing { app, caller, path }: Changing<TenantPath>,
    instance: FaceInstance,
    uri: Uri,
    ApiJson(body): ApiJson<GroupCreate>,
) -> Result<Response, ApiError> {
    let tenant = path.resolve(&app, &caller.principal, &instance, Permission::Create(SITE_GROUP)).await?;
    let options = body.options();
    let node = app.site_groups.create(&caller, &instance.0, tenant.id, body.into_input(), options).await?;
    let at = location(uri.path(), node.name.as_str());
    let answer = (StatusCode::CREATED, [(LOCATION, at)], Json(shown(&node)));
    Ok(tagged(node.version, answer))
}
