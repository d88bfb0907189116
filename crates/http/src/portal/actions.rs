//! The portal's account actions (L788–L9013): an e-mailed link's token shown and redeemed
//! (`/actions/activate`, `/actions/reset`: the token is the credential, no session), the caller's
//! own password changed (`/actions/change_password`), and links e-mailed (`/actions/mail/activate`
//! by an administrator who may manage the account, `/actions/mail/reset` by anyone, answering
//! alike whether or not the address has an account). All on Canopy's one-time tokens, password
//! policy, throttle, mailer and audit log (`AuthService`, `AdminService::welcome`).

use super::actions_docs as docs;
use crate::api::HttpMethod::{Get, Post};
use crate::api::{Access, FaceInstance, Op, Route};
use crate::caller::RequestInfo;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, Authenticated, OwnSession};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use canopy_app::App;
use canopy_domain::{AdminId, TokenPurpose};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use validator::Validate;

pub(super) fn routes() -> Vec<Route> {
    let path = |tail: &str| format!("/actions/{tail}");
    let activation = token_routes(path("activate"), TokenPurpose::Activation, docs::activation_info, docs::activate);
    let reset = token_routes(path("reset"), TokenPurpose::Reset, docs::reset_info, docs::reset);
    activation
        .into_iter()
        .chain(reset)
        .chain([
            Route::new(Post, path("change_password"), Access::Authenticated, change_password, docs::change_password)
                .own_account(),
            Route::new(Post, path("mail/activate"), Access::Authenticated, mail_activate, docs::mail_activate),
            Route::new(Post, path("mail/reset"), Access::Public, mail_reset, docs::mail_reset),
        ])
        .collect()
}

/// `GET` (whom the link is for) and `POST` (set the password) of the links of `purpose`: no
/// session, the token is the credential.
fn token_routes(path: String, purpose: TokenPurpose, shown: fn() -> Op, redeemed: fn() -> Op) -> [Route; 2] {
    let show = move |State(app): State<App>, ApiQuery(q): ApiQuery<TokenQuery>| async move {
        let admin = app.auth.token_holder(purpose, &q.token).await?;
        let email = admin.email.as_str().to_owned();
        Ok::<_, ApiError>(Json(TokenInfo { activated: admin.active, login: email.clone(), email }))
    };
    let redeem = move |State(app): State<App>,
                       RequestInfo(request): RequestInfo,
                       ApiQuery(q): ApiQuery<TokenQuery>,
                       ApiJson(body): ApiJson<SetPassword>| async move {
        plain_only(body.md5)?;
        match purpose {
            TokenPurpose::Activation => app.auth.activate(&q.token, body.password, request).await?,
            TokenPurpose::Reset => app.auth.reset(&q.token, body.password, request).await?,
        };
        Ok::<_, ApiError>(Json("Success"))
    };
    [
        Route::new(Get, path.clone(), Access::Public, show, shown),
        Route::new(Post, path, Access::Public, redeem, redeemed),
    ]
}

/// `?token=`: the token of an e-mailed link.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct TokenQuery {
    /// The link's token (masked in every log line and in the audit log).
    pub token: String,
}

/// Whom a link is for (L788).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PortalTokenInfo)]
pub(crate) struct TokenInfo {
    /// Whether the account already has a password.
    pub activated: bool,
    pub login: String,
    pub email: String,
}

/// `{password, md5}` (L1389, L9013).
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PortalSetPassword)]
pub(crate) struct SetPassword {
    pub password: String,
    /// 0 only: a password hashed by the client (1) cannot be stored as argon2id.
    pub md5: Option<u8>,
}

/// `{current_password, new_password}` (L2893).
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PortalChangePassword)]
pub(crate) struct ChangePassword {
    pub current_password: String,
    pub new_password: String,
}

/// `{login, email, user_id}` (L5103, L7362).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PortalMailLink)]
pub(crate) struct MailLink {
    /// The account's login: its e-mail (the `email` is what is read).
    #[allow(dead_code)]
    pub login: String,
    pub email: String,
    /// The administrator's integer id (required by `mail/activate` here).
    pub user_id: Option<serde_json::Value>,
}

fn plain_only(md5: Option<u8>) -> Result<(), ApiError> {
    match md5 {
        None | Some(0) => Ok(()),
        Some(_) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_field",
            "md5: only 0 is served; passwords are stored with argon2id, which needs the password itself",
        )
        .with_details(json!({ "field": "md5" }))),
    }
}

async fn change_password(
    State(app): State<App>,
    OwnSession(caller): OwnSession,
    RequestInfo(request): RequestInfo,
    ApiJson(body): ApiJson<ChangePassword>,
) -> Result<Json<&'static str>, ApiError> {
    let passwords = (body.current_password, body.new_password);
    app.auth.change_password(&caller.admin, &caller.token, passwords, request).await.map_err(|err| {
        // The portal's names of the fields Canopy's face calls currentPassword, newPassword.
        let mut error = ApiError::from(err);
        for (canopy, portal) in [("currentPassword", "current_password"), ("newPassword", "new_password")] {
            error.message = error.message.replace(canopy, portal);
            if error.details.get("field").and_then(|f| f.as_str()) == Some(canopy) {
                error.details["field"] = json!(portal);
            }
        }
        error
    })?;
    Ok(Json("Success"))
}

async fn mail_activate(
    State(app): State<App>,
    caller: Authenticated,
    FaceInstance(instance): FaceInstance,
    ApiJson(body): ApiJson<MailLink>,
) -> Result<StatusCode, ApiError> {
    let id = body.user_id.as_ref().and_then(|id| id.as_i64().or_else(|| id.as_str()?.parse().ok()));
    let id = id.ok_or_else(|| {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_field", "user_id: the administrator's integer id is required")
            .with_details(json!({ "field": "user_id" }))
    })?;
    let (holder, admin) = app.admins.by_id(&caller.principal, &instance, AdminId(id)).await?;
    if !admin.email.as_str().eq_ignore_ascii_case(body.email.trim()) {
        let refused = ApiError::new(StatusCode::BAD_REQUEST, "invalid_field", "email: not this administrator's");
        return Err(refused.with_details(json!({ "field": "email" })));
    }
    app.admins.welcome(&caller.principal, &instance, holder, admin.email.as_str()).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn mail_reset(
    State(app): State<App>,
    FaceInstance(instance): FaceInstance,
    ApiJson(body): ApiJson<MailLink>,
) -> Result<StatusCode, ApiError> {
    app.auth.forgot(Some(&instance), &body.email)?;
    Ok(StatusCode::NO_CONTENT)
}
