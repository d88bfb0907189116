//! The portal's signed tokens (issue 18, item 5): `GET /admins/{admin}/jwt?scope` (L12601) for
//! other services, `GET /admins/{admin}/impersonate` (L12043), audited, and `GET /login?jwt=`
//! (L61319), which opens a session of the administrator an impersonation token names. The
//! tokens are `JwtService`'s (HS256, a key derived from the server's secret, one hour).

use super::named::{AdminPath, UserPath};
use super::session::login_answer;
use crate::api::HttpMethod::Get;
use crate::api::{Access, FaceInstance, Route};
use crate::caller::Changing;
use crate::client::{ClientAddress, SecureCookies};
use crate::error::ApiError;
use crate::extract::{ApiQuery, Reading};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use canopy_app::App;
use canopy_domain::{AdminId, Node, NodeKind, Principal};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub(super) fn routes() -> Vec<Route> {
    vec![
        Route::new(Get, "/admins/{admin}/jwt".to_owned(), Access::Authenticated, issue, super::jwt_docs::issue),
        Route::new(
            Get,
            "/admins/{admin}/impersonate".to_owned(),
            Access::Authenticated,
            impersonate,
            super::jwt_docs::impersonate,
        )
        .unconditional(),
        Route::new(Get, "/login".to_owned(), Access::Public, login, super::jwt_docs::login),
        Route::new(
            Get,
            "/users/{user}/jwt".to_owned(),
            Access::Authenticated,
            issue_for_user,
            super::jwt_docs::user_jwt,
        ),
        Route::new(
            Get,
            "/users/{user}/impersonate".to_owned(),
            Access::Authenticated,
            impersonate_user,
            super::jwt_docs::user_impersonate,
        )
        .unconditional(),
    ]
}

/// `?scope=a,b` (L12601).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ScopeQuery {
    /// The token's `scope`, comma-separated.
    pub scope: Option<String>,
}

/// `?jwt=` (L61319).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct JwtQuery {
    /// An impersonation token (masked in every log line and in the audit log).
    pub jwt: String,
}

/// `{jwt}` (L12601, L12043).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PortalJwt)]
pub(crate) struct JwtBody {
    pub jwt: String,
}

async fn issue(
    Reading { app, caller, path }: Reading<AdminPath>,
    FaceInstance(instance): FaceInstance,
    ApiQuery(query): ApiQuery<ScopeQuery>,
) -> Result<Json<JwtBody>, ApiError> {
    let scope = query.scope.map(|raw| raw.split(',').map(|s| s.trim().to_owned()).collect()).unwrap_or_default();
    let jwt = app.jwt.issue(&caller.principal, &instance, AdminId(path.admin), scope).await?;
    Ok(Json(JwtBody { jwt }))
}

async fn impersonate(
    Changing { app, caller, path }: Changing<AdminPath>,
    FaceInstance(instance): FaceInstance,
) -> Result<Json<JwtBody>, ApiError> {
    let jwt = app.jwt.impersonate(&caller, &instance, AdminId(path.admin)).await?;
    Ok(Json(JwtBody { jwt }))
}

/// The user `{user}` names, read as the caller may (reach and `users.read`).
async fn read_user(app: &App, caller: &Principal, instance: &str, path: &UserPath) -> Result<Node, ApiError> {
    let (node, _) = super::users::user(app, caller, instance, path).await?;
    Ok(app.nodes.get(caller, instance, NodeKind::User, node.id).await?.node)
}

async fn issue_for_user(
    Reading { app, caller, path }: Reading<UserPath>,
    FaceInstance(instance): FaceInstance,
    ApiQuery(query): ApiQuery<ScopeQuery>,
) -> Result<Json<JwtBody>, ApiError> {
    let user = read_user(&app, &caller.principal, &instance, &path).await?;
    let scope = query.scope.map(|raw| raw.split(',').map(|s| s.trim().to_owned()).collect()).unwrap_or_default();
    Ok(Json(JwtBody { jwt: app.jwt.issue_for_user(&user, scope).await? }))
}

async fn impersonate_user(
    Changing { app, caller, path }: Changing<UserPath>,
    FaceInstance(instance): FaceInstance,
) -> Result<Json<JwtBody>, ApiError> {
    let user = read_user(&app, &caller.principal, &instance, &path).await?;
    Ok(Json(JwtBody { jwt: app.jwt.impersonate_user(&caller, &user).await? }))
}

async fn login(
    State(app): State<App>,
    FaceInstance(instance): FaceInstance,
    ClientAddress(from): ClientAddress,
    SecureCookies(secure): SecureCookies,
    ApiQuery(query): ApiQuery<JwtQuery>,
) -> Result<Response, ApiError> {
    let session = app.jwt.login(&instance, &query.jwt, from).await?;
    login_answer(&app, session, from, secure).await
}
