//! The portal's signed tokens (issue 18, item 5): `GET /admins/{admin}/jwt?scope` (L12601) for
//! other services, `GET /admins/{admin}/impersonate` (L12043), audited, and `GET /login?jwt=`
//! (L61319), which opens a session of the administrator an impersonation token names. The
//! tokens are `JwtService`'s (HS256, a key derived from the server's secret, one hour).

use super::named::AdminPath;
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
use canopy_domain::AdminId;
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
