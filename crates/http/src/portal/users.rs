//! The service users of the portal (L55997–L71512): Canopy's users (kind -1), under a tenant or a
//! site group, listed and created by `/groups/{group}/users`, read, changed and deleted by
//! `/users/{user}` (integer id or uuid). The portal's `login` is the user's `userId`.

use super::bodies::{Created, VersionBody};
use super::docs;
use super::groups::{all_children, node_of, place};
use super::named::{GroupPath, UserPath};
use crate::api::HttpMethod::{Delete, Get, Post, Put};
use crate::api::{Access, FaceInstance, Route};
use crate::caller::Changing;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, Reading};
use crate::versioning::tagged;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use canopy_app::{App, AppError, NodeInput, NodeUpdate, Place};
use canopy_domain::{Node, NodeKind, Principal, Serial};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

pub(super) fn routes() -> Vec<Route> {
    let access = Access::Authenticated;
    let (list, one) = ("/groups/{group}/users".to_owned(), "/users/{user}".to_owned());
    vec![
        Route::new(Get, list.clone(), access, list_users, docs::users),
        Route::new(Post, list, access, create_user, docs::create_user),
        Route::new(Get, one.clone(), access, read, docs::user),
        Route::new(Put, one.clone(), access, update, docs::update_user),
        Route::new(Delete, one, access, delete, docs::delete_user),
    ]
}

/// A service user (L70734).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PortalUser)]
pub(crate) struct UserBody {
    pub id: i64,
    pub uuid: Uuid,
    /// The integer id of the group it is in (a tenant or a site group).
    pub tenant_id: i64,
    /// Its `userId`.
    pub login: String,
    pub firstname: Option<String>,
    pub lastname: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub version: u64,
}

impl UserBody {
    fn of(node: &Node, parent: Serial) -> Self {
        let wire = node.attributes.to_wire();
        let text = |field: &str| wire.get(field).and_then(Value::as_str).map(str::to_owned);
        Self {
            id: node.serial.0,
            uuid: node.id.0,
            tenant_id: parent.0,
            login: node.name.as_str().to_owned(),
            firstname: text("firstName"),
            lastname: text("lastName"),
            email: text("email"),
            phone: text("phoneNumber"),
            version: node.version.0,
        }
    }
}

/// `{"items": [...]}` of `GET /groups/{group}/users` (L55997).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PortalUsers)]
pub(crate) struct UsersBody {
    pub items: Vec<UserBody>,
}

/// `POST /groups/{group}/users` (L56627): the fields Canopy keeps.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PortalUserCreate)]
pub(crate) struct UserCreate {
    /// The user's `userId`, unique in the instance.
    pub login: String,
    pub firstname: String,
    pub lastname: String,
    /// Gives the user its own account (`end_user`), e-mailed an activation link.
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// `PUT /users/{user}` (L71512): the fields Canopy keeps; an absent one is kept.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PortalUserUpdate)]
pub(crate) struct UserUpdate {
    pub login: Option<String>,
    pub firstname: Option<String>,
    pub lastname: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// `GET /groups/{group}/users` query: `include_hidden` (no user is hidden in Canopy).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct UsersQuery {
    #[param(minimum = 0, maximum = 1)]
    pub include_hidden: Option<u8>,
}

fn attributes(fields: [(&str, Option<String>); 4]) -> Map<String, Value> {
    fields.into_iter().filter_map(|(name, value)| value.map(|value| (name.to_owned(), value.into()))).collect()
}

/// The user `{user}` names (integer id or uuid) in the caller's subtree, with its group's id.
pub(super) async fn user(
    app: &App,
    caller: &Principal,
    instance: &str,
    path: &UserPath,
) -> Result<(Node, Serial), ApiError> {
    match app.nodes.locate(caller, instance, path.user.0).await {
        Ok(Place::Node { node, parent, .. }) if node.kind == NodeKind::User => Ok((*node, parent)),
        Ok(_) | Err(AppError::NotFound(_)) => Err(AppError::NotFound(NodeKind::User).into()),
        Err(other) => Err(other.into()),
    }
}

async fn list_users(
    Reading { app, caller, path }: Reading<GroupPath>,
    FaceInstance(instance): FaceInstance,
    ApiQuery(query): ApiQuery<UsersQuery>,
) -> Result<Json<UsersBody>, ApiError> {
    if query.include_hidden.is_some_and(|flag| flag > 1) {
        let refused = ApiError::new(StatusCode::BAD_REQUEST, "invalid_field", "include_hidden: must be 0 or 1");
        return Err(refused.with_details(serde_json::json!({ "field": "include_hidden" })));
    }
    let principal = &caller.principal;
    let place = place(&app, principal, &instance, &path).await?;
    let (kind, id) = node_of(&place)?;
    let Place::Node { node, .. } = &place else { unreachable!("node_of answers nodes only") };
    // Only tenants and site groups hold users: elsewhere the list is empty.
    let users = if kind.may_hold().contains(&NodeKind::User) {
        all_children(&app, principal, &instance, Some((kind, id)), NodeKind::User).await?
    } else {
        vec![]
    };
    Ok(Json(UsersBody { items: users.iter().map(|user| UserBody::of(user, node.serial)).collect() }))
}

async fn create_user(
    Changing { app, caller, path }: Changing<GroupPath>,
    FaceInstance(instance): FaceInstance,
    ApiJson(body): ApiJson<UserCreate>,
) -> Result<Response, ApiError> {
    let (kind, id) = node_of(&place(&app, &caller.principal, &instance, &path).await?)?;
    let fields = [
        ("firstName", Some(body.firstname)),
        ("lastName", Some(body.lastname)),
        ("email", body.email),
        ("phoneNumber", body.phone),
    ];
    let input = NodeInput { name: body.login, attributes: attributes(fields), ..NodeInput::default() };
    let node = app.nodes.create(&caller, &instance, Some((kind, id)), NodeKind::User, input).await?;
    Ok(Created::answer(&node))
}

async fn read(
    Reading { app, caller, path }: Reading<UserPath>,
    FaceInstance(instance): FaceInstance,
) -> Result<Response, ApiError> {
    let (node, parent) = user(&app, &caller.principal, &instance, &path).await?;
    let view = app.nodes.get(&caller.principal, &instance, NodeKind::User, node.id).await?;
    Ok(tagged(view.node.version, Json(UserBody::of(&view.node, parent))))
}

async fn update(
    Changing { app, caller, path }: Changing<UserPath>,
    FaceInstance(instance): FaceInstance,
    ApiJson(body): ApiJson<UserUpdate>,
) -> Result<Response, ApiError> {
    let (node, _) = user(&app, &caller.principal, &instance, &path).await?;
    let fields = [
        ("firstName", body.firstname),
        ("lastName", body.lastname),
        ("email", body.email),
        ("phoneNumber", body.phone),
    ];
    let update = NodeUpdate { name: body.login, attributes: attributes(fields), enabled: None };
    let node = app.nodes.update(&caller, &instance, NodeKind::User, node.id, update).await?;
    Ok(tagged(node.version, VersionBody::of(node.version)))
}

async fn delete(
    Changing { app, caller, path }: Changing<UserPath>,
    FaceInstance(instance): FaceInstance,
) -> Result<Response, ApiError> {
    let (node, _) = user(&app, &caller.principal, &instance, &path).await?;
    app.nodes.delete_existing(&caller, &instance, NodeKind::User, node.id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
