//! A tenant's custom permissions (Canopy extension): sipXconfig's user group API shows and sets
//! them (`perm_<id>`) but has no route to define them, so the canopy face defines, lists and
//! deletes them, below the tenant.

use crate::api::HttpMethod::{Delete, Get, Post};
use crate::api::{
    Access, BODY_400, BODY_ERRORS_413, BODY_ERRORS_415, INSTANCE_404, Op, Route, Tag, empty, errors, json_ok,
    node_not_found, node_params, path_param, schema,
};
use crate::caller::Changing;
use crate::canopy::INSTANCE;
use crate::error::ApiError;
use crate::extract::{ApiJson, Reading};
use crate::owned::{OwnedItemPath, OwnedPath};
use axum::Json;
use axum::http::StatusCode;
use canopy_app::CustomPermissionInput;
use canopy_domain::{CustomPermission, NodeKind, Owned, Permission, Verb};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::path::Parameter;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use validator::Validate;

/// `POST …/custom_permissions`
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CustomPermissionBody {
    /// What the permission is called in a console: 1 to 255 characters.
    #[schema(example = "Lab access")]
    label: String,
    /// At most 255 characters.
    description: Option<String>,
    /// Its value in a group that sets none; `false` when left out.
    default_value: Option<bool>,
}

/// A custom permission.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomPermissionItem {
    #[schema(example = 3)]
    id: i64,
    /// How user groups name it: `perm_<id>`.
    #[schema(example = "perm_3")]
    name: String,
    label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    default_value: bool,
}

impl From<CustomPermission> for CustomPermissionItem {
    fn from(p: CustomPermission) -> Self {
        Self { id: p.id, name: p.name(), label: p.label, description: p.description, default_value: p.default }
    }
}

/// `GET …/custom_permissions`
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomPermissionList {
    custom_permissions: Vec<CustomPermissionItem>,
}

async fn list(call: Reading<OwnedPath>) -> Result<Json<CustomPermissionList>, ApiError> {
    let OwnedPath { draas_instance, uuid, .. } = call.path;
    let found = call.app.user_groups.custom_permissions(&call.caller.principal, &draas_instance, uuid).await?;
    Ok(Json(CustomPermissionList { custom_permissions: found.into_iter().map(Into::into).collect() }))
}

async fn create(
    call: Changing<OwnedPath>,
    ApiJson(body): ApiJson<CustomPermissionBody>,
) -> Result<Json<CustomPermissionItem>, ApiError> {
    let OwnedPath { draas_instance, uuid, .. } = call.path;
    let input = CustomPermissionInput {
        label: body.label,
        description: body.description,
        default_value: body.default_value.unwrap_or(false),
    };
    let created = call.app.user_groups.create_custom_permission(&call.caller, &draas_instance, uuid, &input).await?;
    Ok(Json(created.into()))
}

async fn delete(call: Changing<OwnedItemPath<i64>>) -> Result<StatusCode, ApiError> {
    let OwnedItemPath { draas_instance, uuid, id } = call.path;
    call.app.user_groups.delete_custom_permission(&call.caller, &draas_instance, uuid, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn tag() -> Tag {
    Tag::new(
        "custom permissions",
        "The permissions a tenant defines for its user groups (Canopy extension): sipXconfig's user groups show \
         and set them as `perm_<id>`.",
    )
}

fn access(verb: Verb) -> Access {
    Permission::Owned(NodeKind::Tenant, Owned::CustomPermissions, verb).into()
}

fn item_params() -> Vec<Parameter> {
    let mut params = node_params(NodeKind::Tenant);
    params.push(path_param(
        "id",
        "The custom permission's id (the `3` of `perm_3`); anything but a number answers 400 `invalid_path`.",
        ObjectBuilder::new().schema_type(Type::Integer),
    ));
    params
}

pub(crate) fn routes() -> Vec<Route> {
    let path = format!("{INSTANCE}/tenants/{{uuid}}/custom_permissions");
    let item = format!("{path}/{{id}}");
    let tenant_404 = || format!("{} or {INSTANCE_404}.", node_not_found("tenant"));
    let list_op = move || Op {
        id: "listCustomPermissions".to_owned(),
        tag: tag(),
        summary: "List a tenant's custom permissions".to_owned(),
        description: "Every custom permission of the tenant, in id order. Every administrator level reads them, \
                      the levels below the tenant included."
            .to_owned(),
        params: node_params(NodeKind::Tenant),
        body: None,
        ok: json_ok("The tenant's custom permissions.", schema::<CustomPermissionList>()),
        errors: errors(&[(400, "`invalid_path`."), (404, &tenant_404())]),
    };
    let create_op = move || Op {
        id: "createCustomPermission".to_owned(),
        tag: tag(),
        summary: "Define a custom permission".to_owned(),
        description: "A new permission of the tenant's user groups, named `perm_<id>`: every group of the tenant \
                      shows it from now on (one version more each), at its default value until it sets one."
            .to_owned(),
        params: node_params(NodeKind::Tenant),
        body: Some(schema::<CustomPermissionBody>()),
        ok: json_ok("The new custom permission.", schema::<CustomPermissionItem>()),
        errors: errors(&[
            (400, &format!("{BODY_400}, `invalid_field` (`label`, `description`), `invalid_path`.")),
            (404, &tenant_404()),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    };
    let delete_op = move || Op {
        id: "deleteCustomPermission".to_owned(),
        tag: tag(),
        summary: "Delete a custom permission".to_owned(),
        description: "Deletes the permission and every group's value of it (every group of the tenant counts one \
                      version more). Answers 204 also when there is no such permission (idempotent)."
            .to_owned(),
        params: item_params(),
        body: None,
        ok: empty(204, "Deleted, or there was nothing to delete."),
        errors: errors(&[(400, "`invalid_path`."), (404, &tenant_404())]),
    };
    vec![
        Route::new(Get, path.clone(), access(Verb::List), list, list_op),
        Route::new(Post, path, access(Verb::Create), create, create_op),
        // A deletion of what has no version: no precondition.
        Route::new(Delete, item, access(Verb::Delete), delete, delete_op).unconditional(),
    ]
}
