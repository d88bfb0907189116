//! The handlers of a user's outgoing call barring authorization codes (C1–C6). The collection's
//! `POST` is C2 (a list, `authCodes`) or C3 (one code), decided by the body; its `DELETE` takes
//! the list to remove in a JSON body. Codes are secrets: the item routes (whose path carries one)
//! are logged and audited by their template (`Route::secret_path`).

use super::bodies::Empty;
use super::paths::{CodePath, Keys, UserPath};
use crate::api::FaceInstance;
use crate::caller::Changing;
use crate::error::ApiError;
use crate::extract::{ApiJson, Reading};
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use canopy_domain::{AuthCodeEntry, NodeKind, Owned, Permission, Verb};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

fn codes(verb: Verb) -> Permission {
    Permission::Owned(NodeKind::User, Owned::AuthCodes, verb)
}

/// One code as APIO shows it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeBody {
    /// 2 to 14 digits, unique among the user's codes.
    #[schema(example = "01")]
    pub code: String,
    /// 1 to 80 characters; absent when none was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "test_code_01")]
    pub description: Option<String>,
}

impl From<AuthCodeEntry> for CodeBody {
    fn from(entry: AuthCodeEntry) -> Self {
        Self { code: entry.code.as_str().to_owned(), description: entry.description }
    }
}

/// The user's codes (C1), and the list of C2.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"authCodes": [{"code": "01", "description": "test_code_01"}, {"code": "02", "description": "test_code_02"}]}))]
pub struct CodeList {
    pub auth_codes: Vec<CodeBody>,
}

/// C2 or C3: a list of codes to add (`authCodes`), or one code (`code`, `description`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum CodesToAdd {
    List(CodeList),
    One(CodeBody),
}

/// A code to remove (C5): its `code` only.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeRef {
    #[schema(example = "01")]
    pub code: String,
}

/// C5's body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"authCodes": [{"code": "01"}, {"code": "02"}]}))]
pub struct CodesToRemove {
    pub auth_codes: Vec<CodeRef>,
}

impl Validate for CodesToAdd {
    fn validate(&self) -> Result<(), validator::ValidationErrors> {
        Ok(())
    }
}

impl Validate for CodesToRemove {
    fn validate(&self) -> Result<(), validator::ValidationErrors> {
        Ok(())
    }
}

/// C1: the user's codes, in code order.
pub async fn list(
    Reading { app, caller, path }: Reading<UserPath>,
    instance: FaceInstance,
) -> Result<Json<CodeList>, ApiError> {
    let user = path.resolve(&app, &caller.principal, &instance, codes(Verb::List)).await?;
    let entries = app.auth_codes.list(&caller.principal, &instance.0, user.id.0).await?;
    Ok(Json(CodeList { auth_codes: entries.into_iter().map(CodeBody::from).collect() }))
}

/// C2 / C3: adds a list (all or none) or one code; `201 {}`.
pub async fn add(
    Changing { app, caller, path }: Changing<UserPath>,
    instance: FaceInstance,
    ApiJson(body): ApiJson<CodesToAdd>,
) -> Result<Response, ApiError> {
    let user = path.resolve(&app, &caller.principal, &instance, codes(Verb::Create)).await?;
    let sent = match body {
        CodesToAdd::List(list) => list.auth_codes,
        CodesToAdd::One(one) => vec![one],
    };
    let sent = sent.into_iter().map(|code| (code.code, code.description)).collect();
    app.auth_codes.add(&caller, &instance.0, user.id.0, sent).await?;
    Ok((StatusCode::CREATED, Json(Empty {})).into_response())
}

/// C4: one code.
pub async fn read(
    Reading { app, caller, path }: Reading<CodePath>,
    instance: FaceInstance,
) -> Result<Json<CodeBody>, ApiError> {
    let user = path.resolve(&app, &caller.principal, &instance, codes(Verb::Read)).await?;
    let entry = app.auth_codes.get(&caller.principal, &instance.0, user.id.0, &path.code).await?;
    Ok(Json(entry.into()))
}

/// C5: removes a list; codes the user does not hold are no error. `200 {}`.
pub async fn remove_list(
    Changing { app, caller, path }: Changing<UserPath>,
    instance: FaceInstance,
    ApiJson(body): ApiJson<CodesToRemove>,
) -> Result<Json<Empty>, ApiError> {
    let user = path.resolve(&app, &caller.principal, &instance, codes(Verb::Delete)).await?;
    let named = body.auth_codes.into_iter().map(|code| code.code).collect();
    app.auth_codes.delete(&caller, &instance.0, user.id.0, named).await?;
    Ok(Json(Empty {}))
}

/// C6: removes one code; absent is no error. `200 {}`.
pub async fn remove(
    Changing { app, caller, path }: Changing<CodePath>,
    instance: FaceInstance,
) -> Result<Json<Empty>, ApiError> {
    let user = path.resolve(&app, &caller.principal, &instance, codes(Verb::Delete)).await?;
    app.auth_codes.delete(&caller, &instance.0, user.id.0, vec![path.code.clone()]).await?;
    Ok(Json(Empty {}))
}
