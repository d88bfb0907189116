//! Handlers of the administrator routes (every level shares them: the route table passes the
//! level in) and of the authentication routes.

use crate::account_dto::{
    AdminCreate, AdminList, AdminModify, ForgotBody, IdBody, LoginBody, MeBody, NumberedQuery, PasswordChangeBody,
    RedeemBody, SessionBody, WelcomeBody,
};
use crate::caller::{Acting, RequestInfo};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ApiQuery, Authenticated, OwnSession};
use crate::versioning::tagged;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use canopy_app::{AdminHolder, App};
use canopy_domain::Level;
use serde::Deserialize;
use uuid::Uuid;

/// The path of an administrators' route: the instance, the node (absent at the system level)
/// and the administrator (on `.../admins/{username}`).
#[derive(Debug, Deserialize)]
pub struct AdminPath {
    draas_instance: String,
    uuid: Option<Uuid>,
    username: Option<String>,
}

impl AdminPath {
    fn holder(&self, level: Level) -> AdminHolder {
        level.zip(self.uuid)
    }

    fn username(&self) -> &str {
        self.username.as_deref().unwrap_or_default()
    }
}

pub async fn list(
    level: Level,
    State(app): State<App>,
    caller: Authenticated,
    ApiPath(path): ApiPath<AdminPath>,
    ApiQuery(query): ApiQuery<NumberedQuery>,
) -> Result<Json<AdminList>, ApiError> {
    let page = app
        .admins
        .list(
            &caller.principal,
            &path.draas_instance,
            path.holder(level),
            query.search.as_deref(),
            query.page,
            query.page_size,
        )
        .await?;
    let admins = page.items.into_iter().map(Into::into).collect();
    Ok(Json(AdminList { page: page.page, pages: page.pages, results: page.results, admins }))
}

pub async fn create(
    level: Level,
    State(app): State<App>,
    Acting(caller): Acting,
    ApiPath(path): ApiPath<AdminPath>,
    ApiJson(body): ApiJson<AdminCreate>,
) -> Result<Response, ApiError> {
    let admin = app.admins.create(&caller, &path.draas_instance, path.holder(level), body.into()).await?;
    Ok(tagged(admin.version, Json(IdBody { id: admin.id.0, version: admin.version.0 })))
}

pub async fn update(
    level: Level,
    State(app): State<App>,
    Acting(caller): Acting,
    ApiPath(path): ApiPath<AdminPath>,
    ApiJson(body): ApiJson<AdminModify>,
) -> Result<Response, ApiError> {
    let holder = path.holder(level);
    let admin = app.admins.update(&caller, &path.draas_instance, holder, path.username(), body.into()).await?;
    Ok(tagged(admin.version, Json(IdBody { id: admin.id.0, version: admin.version.0 })))
}

/// 204 whether or not the administrator existed.
pub async fn delete(
    level: Level,
    State(app): State<App>,
    Acting(caller): Acting,
    ApiPath(path): ApiPath<AdminPath>,
) -> Result<StatusCode, ApiError> {
    app.admins.delete(&caller, &path.draas_instance, path.holder(level), path.username()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 200 with no body once the message is handed to the mail server.
pub async fn welcome(
    level: Level,
    State(app): State<App>,
    caller: Authenticated,
    ApiPath(path): ApiPath<AdminPath>,
    ApiJson(body): ApiJson<WelcomeBody>,
) -> Result<StatusCode, ApiError> {
    app.admins.welcome(&caller.principal, &path.draas_instance, path.holder(level), &body.admin_email).await?;
    Ok(StatusCode::OK)
}

pub async fn login(State(app): State<App>, ApiJson(body): ApiJson<LoginBody>) -> Result<Json<SessionBody>, ApiError> {
    let session = app.auth.login(body.instance.as_deref(), &body.username, body.password).await?;
    let must_change = session.admin.must_change_password;
    Ok(Json(SessionBody::new(session.token, session.issued, session.expires, must_change)))
}

/// Also for a session that must change its password first.
pub async fn logout(State(app): State<App>, OwnSession(caller): OwnSession) -> Result<StatusCode, ApiError> {
    app.auth.logout(&caller.token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 204: the password is changed, this session stays open (now for any use), the account's other
/// sessions are closed.
pub async fn change_password(
    State(app): State<App>,
    OwnSession(caller): OwnSession,
    RequestInfo(request): RequestInfo,
    ApiJson(body): ApiJson<PasswordChangeBody>,
) -> Result<StatusCode, ApiError> {
    let passwords = (body.current_password, body.new_password);
    app.auth.change_password(&caller.admin, &caller.token, passwords, request).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn me(caller: Authenticated) -> Json<MeBody> {
    Json(caller.admin.into())
}

pub async fn activate(
    State(app): State<App>,
    RequestInfo(request): RequestInfo,
    ApiJson(body): ApiJson<RedeemBody>,
) -> Result<StatusCode, ApiError> {
    app.auth.activate(&body.token, body.password, request).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn reset(
    State(app): State<App>,
    RequestInfo(request): RequestInfo,
    ApiJson(body): ApiJson<RedeemBody>,
) -> Result<StatusCode, ApiError> {
    app.auth.reset(&body.token, body.password, request).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 202 whether or not the address has an account: the answer reveals nothing.
pub async fn forgot(State(app): State<App>, ApiJson(body): ApiJson<ForgotBody>) -> Result<StatusCode, ApiError> {
    app.auth.forgot(body.instance.as_deref(), &body.username)?;
    Ok(StatusCode::ACCEPTED)
}
