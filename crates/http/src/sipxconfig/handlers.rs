//! The handlers of the sipXconfig face: extract (the negotiated type first, then the caller,
//! the path, the query or body), call one service method, write the document.

use super::bodies;
use super::shape::{Node, fields, respond, success};
use crate::api::Negotiated;
use crate::caller::Changing;
use crate::error::ApiError;
use crate::extract::{ApiQuery, Reading};
use crate::owned::{OwnedItemPath, OwnedPath};
use crate::versioning::tagged;
use axum::body::Bytes;
use axum::http::header::LOCATION;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::Response;
use canopy_app::{Caller, UserGroupListInput};
use canopy_domain::user_groups::permissions::value_text;
use canopy_domain::{Branch, Metadata, Setting, UserGroup, UserGroupId};
use serde::Deserialize;

/// `…/tenants/{uuid}/sipxconfig/rest/…`
type TenantPath = OwnedPath;
/// `…/user-group/{id}`, `…/user-group-permission/{id}`: the id as sent, read by [`id_of`].
type ItemPath = OwnedItemPath<String>;

/// The list parameters, as sent (unknown ones are ignored, as sipXconfig does).
#[derive(Deserialize)]
pub struct ListQuery {
    page: Option<String>,
    pagesize: Option<String>,
    sortby: Option<String>,
    sortdir: Option<String>,
}

impl From<ListQuery> for UserGroupListInput {
    fn from(q: ListQuery) -> Self {
        Self { page: q.page, pagesize: q.pagesize, sortby: q.sortby, sortdir: q.sortdir }
    }
}

/// sipXconfig's `ERROR_ID_INVALID` for an id that is not an integer from 1.
fn id_of(raw: &str) -> Result<UserGroupId, ApiError> {
    UserGroupId::parse(raw).ok_or_else(|| {
        let shown: String = raw.chars().take(64).collect();
        ApiError::new(StatusCode::BAD_REQUEST, "ERROR_ID_INVALID", shown)
    })
}

fn branch(branch: &Branch) -> Node {
    let address = branch.address.as_ref().map(|a| {
        fields(vec![
            ("id", a.id.map(Node::Number)),
            ("street", Node::text(a.street.as_deref())),
            ("city", Node::text(a.city.as_deref())),
            ("country", Node::text(a.country.as_deref())),
            ("state", Node::text(a.state.as_deref())),
            ("zip", Node::text(a.zip.as_deref())),
            ("officeDesignation", Node::text(a.office_designation.as_deref())),
        ])
    });
    fields(vec![
        ("id", branch.id.map(Node::Number)),
        ("name", Node::text(branch.name.as_deref())),
        ("description", Node::text(branch.description.as_deref())),
        ("address", address),
        ("phoneNumber", Node::text(branch.phone_number.as_deref())),
        ("faxNumber", Node::text(branch.fax_number.as_deref())),
    ])
}

/// A group as `GET /user-group/{id}` and the list show it (sipXconfig's `UserGroupRestInfoFull`).
fn group(group: &UserGroup) -> Node {
    fields(vec![
        ("id", Some(Node::Number(group.id.0))),
        ("name", Some(Node::Text(group.fields.name.as_str().to_owned()))),
        ("description", Node::text(group.fields.description.as_deref())),
        ("branch", group.fields.branch.as_ref().map(branch)),
    ])
}

/// A group with its permissions (`UserGroupPermissionRestInfoFull`): `value` only when set.
fn group_permissions(group: &UserGroup, settings: &[Setting]) -> Node {
    let settings = settings
        .iter()
        .map(|s| {
            fields(vec![
                ("name", Some(Node::Text(s.name.clone()))),
                ("value", s.value.map(|v| Node::Text(value_text(v).to_owned()))),
                ("defaultValue", Some(Node::Bool(s.default))),
            ])
        })
        .collect();
    fields(vec![
        ("id", Some(Node::Number(group.id.0))),
        ("name", Some(Node::Text(group.fields.name.as_str().to_owned()))),
        ("description", Node::text(group.fields.description.as_deref())),
        ("permissions", Some(Node::List("setting", settings))),
    ])
}

fn metadata(m: &Metadata) -> Node {
    let number = |n: u64| Node::Number(i64::try_from(n).unwrap_or(i64::MAX));
    Node::Fields(vec![
        ("totalResults", number(m.total_results)),
        ("currentPage", number(m.current_page)),
        ("totalPages", number(m.total_pages)),
        ("resultsPerPage", number(m.results_per_page)),
    ])
}

fn list(m: &Metadata, groups: Vec<Node>) -> Node {
    Node::Fields(vec![("metadata", metadata(m)), ("groups", Node::List("group", groups))])
}

/// The change's body, as read, for the audit log (an XML body is recorded as its JSON reading).
fn read_body(caller: &mut Caller, headers: &HeaderMap, body: &[u8]) -> Result<serde_json::Value, ApiError> {
    let (value, _) = bodies::read(headers, body)?;
    caller.request = std::mem::take(&mut caller.request).with_body(value.clone());
    Ok(value)
}

pub async fn list_groups(
    Negotiated(media): Negotiated,
    call: Reading<TenantPath>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    let OwnedPath { draas_instance, uuid, .. } = call.path;
    let service = &call.app.user_groups;
    let (groups, meta) = service.list(&call.caller.principal, &draas_instance, uuid, &query.into()).await?;
    Ok(respond(StatusCode::OK, media, "user-group", &list(&meta, groups.iter().map(group).collect())))
}

pub async fn create_group(
    Negotiated(media): Negotiated,
    call: Changing<TenantPath>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (OwnedPath { draas_instance, uuid, .. }, mut caller) = (call.path, call.caller);
    let input = bodies::group(&read_body(&mut caller, &headers, &body)?)?;
    let created = call.app.user_groups.create(&caller, &draas_instance, uuid, &input).await?;
    let mut response = success(StatusCode::CREATED, media, "SUCCESS_CREATED", "Created", created.id.0);
    if let Ok(location) = HeaderValue::from_str(&format!("{}/{}", uri.path().trim_end_matches('/'), created.id)) {
        response.headers_mut().insert(LOCATION, location);
    }
    Ok(tagged(created.version, response))
}

pub async fn read_group(Negotiated(media): Negotiated, call: Reading<ItemPath>) -> Result<Response, ApiError> {
    let OwnedItemPath { draas_instance, uuid, id } = call.path;
    let found = call.app.user_groups.get(&call.caller.principal, &draas_instance, uuid, id_of(&id)?).await?;
    Ok(tagged(found.version, respond(StatusCode::OK, media, "group", &group(&found))))
}

pub async fn update_group(
    Negotiated(media): Negotiated,
    call: Changing<ItemPath>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (OwnedItemPath { draas_instance, uuid, id }, mut caller) = (call.path, call.caller);
    let id = id_of(&id)?;
    let input = bodies::group(&read_body(&mut caller, &headers, &body)?)?;
    let updated = call.app.user_groups.update(&caller, &draas_instance, uuid, id, &input).await?;
    Ok(tagged(updated.version, success(StatusCode::OK, media, "SUCCESS_UPDATED", "Updated", id.0)))
}

pub async fn delete_group(Negotiated(media): Negotiated, call: Changing<ItemPath>) -> Result<Response, ApiError> {
    let OwnedItemPath { draas_instance, uuid, id } = call.path;
    let id = id_of(&id)?;
    if call.app.user_groups.delete(&call.caller, &draas_instance, uuid, id).await? {
        Ok(success(StatusCode::OK, media, "SUCCESS_DELETED", "Deleted", id.0))
    } else {
        // sipXconfig's answer for what is not there, not Canopy's idempotent success.
        Err(canopy_app::AppError::UserGroupNotFound(id).into())
    }
}

pub async fn list_permissions(
    Negotiated(media): Negotiated,
    call: Reading<TenantPath>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    let OwnedPath { draas_instance, uuid, .. } = call.path;
    let service = &call.app.user_groups;
    let page = service.list_permissions(&call.caller.principal, &draas_instance, uuid, &query.into()).await?;
    let groups = page.groups.iter().map(|(g, settings)| group_permissions(g, settings)).collect();
    Ok(respond(StatusCode::OK, media, "user-group-permission", &list(&page.metadata, groups)))
}

pub async fn read_permissions(Negotiated(media): Negotiated, call: Reading<ItemPath>) -> Result<Response, ApiError> {
    let OwnedItemPath { draas_instance, uuid, id } = call.path;
    let service = &call.app.user_groups;
    let (found, settings) = service.get_permissions(&call.caller.principal, &draas_instance, uuid, id_of(&id)?).await?;
    let document = group_permissions(&found, &settings);
    Ok(tagged(found.version, respond(StatusCode::OK, media, "group", &document)))
}

pub async fn set_permissions(
    Negotiated(media): Negotiated,
    call: Changing<ItemPath>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (OwnedItemPath { draas_instance, uuid, id }, mut caller) = (call.path, call.caller);
    let id = id_of(&id)?;
    let values = bodies::settings(&read_body(&mut caller, &headers, &body)?)?;
    let (group, _) = call.app.user_groups.set_permissions(&caller, &draas_instance, uuid, id, &values).await?;
    Ok(tagged(group.version, success(StatusCode::OK, media, "SUCCESS_UPDATED", "Updated", id.0)))
}
