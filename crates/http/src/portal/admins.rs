//! The administrators of the portal (L9683–L25601): Canopy's administrators, listed and created
//! by `/groups/{group}/admins` (the root's: the system administrators), read, changed and
//! deleted by `/admins/{admin}` (integer id). Their role is their home's level: root (the
//! instance), partner (10, 20, 30), company (40), unit (50); `access_type` with Write (4) is
//! full access (shown 15), without it a read-only administrator (shown 1), faces.md §3.

use super::bodies::VersionBody;
use super::docs;
use super::groups::place;
use super::named::{AdminPath, GroupPath};
use crate::api::HttpMethod::{Delete, Get, Post, Put};
use crate::api::{Access, FaceInstance, Route};
use crate::caller::Changing;
use crate::error::ApiError;
use crate::extract::{ApiJson, Reading};
use crate::versioning::tagged;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use canopy_app::{AdminHolder, AdminInput, AdminUpdate, App, Place};
use canopy_domain::{Admin, AdminId, ListParams, Principal};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use validator::Validate;

/// `access_type` FullAccess (`/logic/constants` `AccessTypes`): an administrator's every permission.
pub(super) const FULL_ACCESS: u8 = 15;
/// `access_type` ReadAccess: a read-only administrator's.
pub(super) const READ_ACCESS: u8 = 1;
/// The Write bit of `access_type`: without it, an administrator is read-only.
const WRITE_BIT: u8 = 4;

/// What an administrator's `access_type` shows: 15, or 1 for a read-only one.
pub(super) fn access_type_of(admin: &Admin) -> u8 {
    if admin.read_only { READ_ACCESS } else { FULL_ACCESS }
}

pub(super) fn routes() -> Vec<Route> {
    let access = Access::Authenticated;
    let (list, one) = ("/groups/{group}/admins".to_owned(), "/admins/{admin}".to_owned());
    vec![
        Route::new(Get, list.clone(), access, list_admins, docs::admins),
        Route::new(Post, list, access, create, docs::create_admin),
        Route::new(Get, one.clone(), access, read, docs::admin),
        Route::new(Put, one.clone(), access, update, docs::update_admin),
        Route::new(Delete, one, access, delete, docs::delete_admin),
    ]
}

/// An administrator (L10405).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PortalAdmin)]
pub(crate) struct AdminBody {
    pub id: i64,
    /// Its identity's id: the same (one account per e-mail).
    pub user_id: i64,
    /// Its login: the e-mail.
    pub login: String,
    pub email: String,
    pub firstname: Option<String>,
    pub lastname: Option<String>,
    pub phone: Option<String>,
    /// The integer id of its group; `null` for the root's (system) administrators.
    pub group: Option<i64>,
    /// 15 (FullAccess), or 1 (ReadAccess) for a read-only administrator.
    pub access_type: u8,
    /// 1 once its password is set, -1 (Inactive) until then.
    pub status: i8,
    pub version: u64,
}

impl AdminBody {
    fn of(admin: &Admin, group: Option<i64>) -> Self {
        Self {
            id: admin.id.0,
            user_id: admin.id.0,
            login: admin.email.as_str().to_owned(),
            email: admin.email.as_str().to_owned(),
            firstname: admin.details.first_name.clone(),
            lastname: admin.details.last_name.clone(),
            phone: admin.details.mobile.clone(),
            group,
            access_type: access_type_of(admin),
            status: if admin.active { 1 } else { -1 },
            version: admin.version.0,
        }
    }
}

/// `{"items": [...]}` of `GET /groups/{group}/admins` (L24902).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PortalAdmins)]
pub(crate) struct AdminsBody {
    pub items: Vec<AdminBody>,
}

/// `POST /groups/{group}/admins` (L25550): the fields Canopy keeps. The login is the e-mail.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PortalAdminCreate)]
pub(crate) struct AdminCreate {
    pub email: Option<String>,
    /// When sent, the e-mail (Canopy's administrators log in with it).
    pub login: Option<String>,
    pub firstname: Option<String>,
    pub lastname: Option<String>,
    /// A mobile number, E.164.
    pub phone: Option<String>,
    /// A bitmask of `AccessTypes` holding Read (1): with Write (4) full access, without it
    /// read-only. Default 15.
    pub access_type: Option<u8>,
}

/// `PUT /admins/{admin}` (L11068): the fields Canopy keeps; an absent one is kept.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PortalAdminUpdate)]
pub(crate) struct AdminChange {
    pub firstname: Option<String>,
    pub lastname: Option<String>,
    pub phone: Option<String>,
    /// As on creation: with Write (4) full access, without it read-only; absent keeps it.
    pub access_type: Option<u8>,
}

/// `201 {id, user_id, version}` of a creation (L25550).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PortalAdminCreated)]
pub(crate) struct AdminCreated {
    pub id: i64,
    pub user_id: i64,
    pub version: u64,
}

/// Whether an `access_type` sent makes a read-only administrator (`None`: not sent). Only Read
/// and Write mean something in Canopy; the other bits (branding, external, migration) are not
/// kept. Without Read, or beyond the five bits, it is refused.
fn read_only_of(sent: Option<u8>) -> Result<Option<bool>, ApiError> {
    match sent {
        None => Ok(None),
        Some(bits) if bits & READ_ACCESS != 0 && bits < 32 => Ok(Some(bits & WRITE_BIT == 0)),
        Some(other) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_field",
            format!("access_type: {other} must hold Read (1), with Write (4) for full access, below 32"),
        )
        .with_details(json!({ "field": "access_type" }))),
    }
}

/// The holder `{group}` names and its integer id (`None` for the root).
async fn holder(
    app: &App,
    caller: &Principal,
    instance: &str,
    path: &GroupPath,
) -> Result<(AdminHolder, Option<i64>), ApiError> {
    Ok(match place(app, caller, instance, path).await? {
        Place::Root => (None, None),
        Place::Node { node, .. } => (Some((node.kind, node.id.0)), Some(node.serial.0)),
    })
}

/// The integer id of an administrator's home.
async fn group_of(app: &App, caller: &Principal, instance: &str, holder: AdminHolder) -> Result<Option<i64>, ApiError> {
    let Some((_, home)) = holder else { return Ok(None) };
    match app.nodes.locate(caller, instance, home.into()).await? {
        Place::Node { node, .. } => Ok(Some(node.serial.0)),
        Place::Root => Ok(None),
    }
}

async fn list_admins(
    Reading { app, caller, path }: Reading<GroupPath>,
    FaceInstance(instance): FaceInstance,
) -> Result<Json<AdminsBody>, ApiError> {
    let principal = &caller.principal;
    let (holder, group) = holder(&app, principal, &instance, &path).await?;
    // The face's list is not paged: every page of the one stack, following its `next` tokens.
    let mut items = Vec::new();
    let mut next = None;
    loop {
        let params = ListParams { page_size: Some(1000), next: next.take(), ..ListParams::default() };
        let listed = app.admins.list(principal, &instance, holder, params).await?;
        items.extend(listed.items.iter().map(|admin| AdminBody::of(admin, group)));
        match listed.next {
            Some(token) => next = Some(token),
            None => return Ok(Json(AdminsBody { items })),
        }
    }
}

async fn create(
    Changing { app, caller, path }: Changing<GroupPath>,
    FaceInstance(instance): FaceInstance,
    ApiJson(body): ApiJson<AdminCreate>,
) -> Result<Response, ApiError> {
    let read_only = read_only_of(body.access_type)?.unwrap_or(false);
    let email = match (body.email, body.login) {
        (Some(email), Some(login)) if !login.trim().eq_ignore_ascii_case(email.trim()) => {
            let refused = ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_field",
                "login: must be the e-mail, which is the login here",
            );
            return Err(refused.with_details(json!({ "field": "login" })));
        }
        (Some(email), _) | (None, Some(email)) => email,
        (None, None) => {
            let refused = ApiError::new(StatusCode::BAD_REQUEST, "invalid_field", "email: is required");
            return Err(refused.with_details(json!({ "field": "email" })));
        }
    };
    let (holder, _) = holder(&app, &caller.principal, &instance, &path).await?;
    let input = AdminInput {
        email,
        first_name: body.firstname,
        last_name: body.lastname,
        mobile: body.phone,
        read_only,
        ..AdminInput::default()
    };
    let admin = app.admins.create(&caller, &instance, holder, input).await?;
    let created = AdminCreated { id: admin.id.0, user_id: admin.id.0, version: admin.version.0 };
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

async fn read(
    Reading { app, caller, path }: Reading<AdminPath>,
    FaceInstance(instance): FaceInstance,
) -> Result<Response, ApiError> {
    let principal = &caller.principal;
    let (holder, admin) = app.admins.by_id(principal, &instance, AdminId(path.admin)).await?;
    let group = group_of(&app, principal, &instance, holder).await?;
    Ok(tagged(admin.version, Json(AdminBody::of(&admin, group))))
}

async fn update(
    Changing { app, caller, path }: Changing<AdminPath>,
    FaceInstance(instance): FaceInstance,
    ApiJson(body): ApiJson<AdminChange>,
) -> Result<Response, ApiError> {
    let read_only = read_only_of(body.access_type)?;
    let (holder, admin) = app.admins.by_id(&caller.principal, &instance, AdminId(path.admin)).await?;
    let email = admin.email.as_str().to_owned();
    let change = AdminUpdate {
        email: email.clone(),
        first_name: body.firstname,
        last_name: body.lastname,
        mobile: body.phone,
        force_reset: false,
        read_only,
    };
    let updated = app.admins.update(&caller, &instance, holder, &email, change).await?;
    Ok(tagged(updated.version, VersionBody::of(updated.version)))
}

async fn delete(
    Changing { app, caller, path }: Changing<AdminPath>,
    FaceInstance(instance): FaceInstance,
) -> Result<Response, ApiError> {
    let (holder, admin) = app.admins.by_id(&caller.principal, &instance, AdminId(path.admin)).await?;
    app.admins.delete(&caller, &instance, holder, admin.email.as_str()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
