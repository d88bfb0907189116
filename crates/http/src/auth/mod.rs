//! Authentication, under `/api/v01/auth`: logins, sessions, account activation and password
//! resets. Each handler is documented by `#[utoipa::path]`, whose method and path its route takes;
//! activation and reset share one handler, documented beside its route.

mod bodies;

use crate::api::HttpMethod::Post;
use crate::api::{
    Access, BODY_400, BODY_ERRORS_413, BODY_ERRORS_415, ErrorEnvelope, Op, PASSWORD_CHANGE_403, Route, Tag, empty,
    errors, schema,
};
use crate::caller::RequestInfo;
use crate::client::ClientAddress;
use crate::error::ApiError;
use crate::extract::{ApiJson, Authenticated, OwnSession};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bodies::{ForgotBody, LoginBody, MeBody, PasswordChangeBody, RedeemBody, SessionBody};
use canopy_app::App;

pub(crate) fn routes() -> Vec<Route> {
    let tag = Tag::new("authentication", "Logins, sessions, account activation and password resets.");
    [
        Route::derived::<__path_login, _, _>(tag.clone(), Access::Public, login),
        own(Route::derived::<__path_logout, _, _>(tag.clone(), Access::Authenticated, logout)),
        own(Route::derived::<__path_change_password, _, _>(tag.clone(), Access::Authenticated, change_password)),
        Route::derived::<__path_me, _, _>(tag.clone(), Access::Authenticated, me),
        Route::derived::<__path_forgot, _, _>(tag.clone(), Access::Public, forgot),
        vec![redeem_route(tag.clone(), Redeem::Activate), redeem_route(tag, Redeem::Reset)],
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Routes of the caller's own session or password, which no tree lock stops.
fn own(routes: Vec<Route>) -> Vec<Route> {
    routes.into_iter().map(Route::own_account).collect()
}

const PASSWORD_400: &str =
    "`invalid_field` `password` (12 to 128 characters, no control characters, at least 5 different ones)";
const INSTANCE_400: &str = "`invalid_field` `instance` (left out while the server serves several instances)";
const INSTANCE_404: &str = "`instance_not_found`: the `instance` is not served.";
const LOGIN: &str = "Checks an administrator's e-mail (`username`) and password and opens a session: send its token \
                     as `Authorization: Bearer <token>` on every other call. It expires after 8 hours by default. An \
                     unknown e-mail, a wrong password and an account not yet activated all answer 401 \
                     `invalid_credentials`, after the same work. After 5 failures in a row each further one locks \
                     the address, 30 seconds at first and doubling up to 15 minutes (by default): while locked \
                     every login answers 423 `account_locked`, without checking the password. An address without \
                     an account is throttled alike, so the answers never tell whether it has one. A successful login \
                     clears the count, as does an hour without a failure once no lock holds. An account created with \
                     a temporary password logs in with it: the answer says `mustChangePassword: true`, and that \
                     session may only change the password (`POST /api/v01/auth/password`) or log out; anything else \
                     answers 403 `password_change_required`.";

#[utoipa::path(
    post,
    path = "/auth/login",
    summary = "Log in",
    description = LOGIN,
    request_body = LoginBody,
    responses(
        (status = 200, description = "The session opened.", body = SessionBody),
        (status = 400, description = format!("{BODY_400}, {INSTANCE_400}."), body = ErrorEnvelope),
        (status = 401, description = "`invalid_credentials`: wrong e-mail or password, or an account not activated \
                                      yet.", body = ErrorEnvelope),
        (status = 404, description = INSTANCE_404, body = ErrorEnvelope),
        (status = 413, description = BODY_ERRORS_413.1, body = ErrorEnvelope),
        (status = 415, description = BODY_ERRORS_415.1, body = ErrorEnvelope),
        (status = 423, description = "`account_locked`: too many failed logins; `Retry-After` and \
                                      `details.retryAfter` give the seconds left.", body = ErrorEnvelope),
    )
)]
async fn login(
    State(app): State<App>,
    ClientAddress(from): ClientAddress,
    ApiJson(body): ApiJson<LoginBody>,
) -> Result<Json<SessionBody>, ApiError> {
    let session = app.auth.login(body.instance.as_deref(), &body.username, body.password, from).await?;
    let must_change = session.admin.must_change_password;
    Ok(Json(SessionBody::new(session.token, session.issued, session.expires, must_change)))
}

#[utoipa::path(
    post,
    path = "/auth/logout",
    summary = "Log out",
    description = "Closes the session of the bearer token: the token stops working at once, also a session that \
                   must change its password first. Answers 204.",
    responses((status = 204, description = "The session is closed."))
)]
async fn logout(State(app): State<App>, OwnSession(caller): OwnSession) -> Result<StatusCode, ApiError> {
    app.auth.logout(&caller.token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 204: the password is changed, this session stays open (now for any use), the account's other
/// sessions are closed.
#[utoipa::path(
    post,
    path = "/auth/password",
    operation_id = "changePassword",
    summary = "Change the caller's password",
    description = "Canopy extension. Any administrator changes its own password, proving it knows the current one; \
                   an account created with a temporary password must do this before anything else (its session may \
                   call only this route and logout). The new password follows the policy and differs from the \
                   current one. A wrong `currentPassword` counts as a failed login (the same lock, 423). On success \
                   (204) the must-change flag is cleared, this session stays open and may now be used for anything, \
                   every other session of the account is closed, and the change is recorded in the audit log \
                   (`admin.change_password`, passwords never).",
    request_body = PasswordChangeBody,
    responses(
        (status = 204, description = "Changed: this session stays, the account's other sessions are closed."),
        (status = 400, description = format!(
            "`invalid_field` `currentPassword` (not the account's password), `newPassword` (the policy: 12 to 128 \
             characters, no control characters, at least 5 different ones, not the e-mail, not the current \
             password), {BODY_400}."
        ), body = ErrorEnvelope),
        (status = 413, description = BODY_ERRORS_413.1, body = ErrorEnvelope),
        (status = 415, description = BODY_ERRORS_415.1, body = ErrorEnvelope),
        (status = 423, description = "`account_locked`: too many wrong passwords (logins and changes alike); \
                                      `Retry-After` gives the seconds left.", body = ErrorEnvelope),
    )
)]
async fn change_password(
    State(app): State<App>,
    OwnSession(caller): OwnSession,
    RequestInfo(request): RequestInfo,
    ApiJson(body): ApiJson<PasswordChangeBody>,
) -> Result<StatusCode, ApiError> {
    let passwords = (body.current_password, body.new_password);
    app.auth.change_password(&caller.admin, &caller.token, passwords, request).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get,
    path = "/auth/me",
    summary = "The caller",
    description = "The administrator of the bearer token: its account, its instance, the node it belongs to (absent \
                   for a system administrator) and every permission of its profile, spelled as \
                   `x-required-permission` spells them.",
    responses(
        (status = 200, description = "The caller.", body = MeBody),
        (status = 403, description = format!("{PASSWORD_CHANGE_403}."), body = ErrorEnvelope),
    )
)]
async fn me(caller: Authenticated) -> Json<MeBody> {
    Json(caller.admin.into())
}

/// What the token of an e-mailed link is redeemed for: both set the account's password.
#[derive(Clone, Copy)]
enum Redeem {
    Activate,
    Reset,
}

/// `POST …/activate` and `POST …/reset`.
fn redeem_route(tag: Tag, redeem: Redeem) -> Route {
    let handler = move |State(app): State<App>,
                        RequestInfo(request): RequestInfo,
                        ApiJson(body): ApiJson<RedeemBody>| {
        async move {
            let RedeemBody { token, password } = body;
            match redeem {
                Redeem::Activate => drop(app.auth.activate(&token, password, request).await?),
                Redeem::Reset => drop(app.auth.reset(&token, password, request).await?),
            }
            Ok::<_, ApiError>(StatusCode::NO_CONTENT)
        }
    };
    let (path, id, summary, what, link) = match redeem {
        Redeem::Activate => (
            "/auth/activate",
            "activate",
            "Activate an account",
            "Sets the first password of an account",
            "its activation e-mail (valid 72 hours by default)",
        ),
        Redeem::Reset => (
            "/auth/reset",
            "reset",
            "Reset a password",
            "Sets a new password",
            "a reset e-mail (from `POST /api/v01/auth/forgot` or a forced reset; valid 1 hour by default)",
        ),
    };
    let op = move || Op {
        id: id.to_owned(),
        tag,
        summary: summary.to_owned(),
        description: format!(
            "{what} with the token of {link}. The token is single use; redeeming it also clears a login lock and \
             closes every session of the account. Answers 204."
        ),
        params: vec![],
        body: Some(schema::<RedeemBody>()),
        ok: empty(204, "The password is set: the account can log in."),
        errors: errors(&[
            (
                400,
                &format!(
                    "`invalid_one_time_token` (unknown, expired, already used, or a token of the other kind of \
                     link), {PASSWORD_400}, {BODY_400}."
                ),
            ),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    };
    Route::new(Post, path.to_owned(), Access::Public, handler, op)
}

/// 202 whether or not the address has an account: the answer reveals nothing.
#[utoipa::path(
    post,
    path = "/auth/forgot",
    summary = "Ask for a password reset link",
    description = "If the address has an account, e-mails it a reset link (valid 1 hour by default) to \
                   `POST /api/v01/auth/reset`. The answer is 202 either way, and takes as long: it reveals nothing \
                   about which addresses have an account.",
    request_body = ForgotBody,
    responses(
        (status = 202, description = "Accepted, whether or not the address has an account."),
        (status = 400, description = format!("{BODY_400}, `invalid_field` `username` (not an e-mail), {INSTANCE_400}."),
         body = ErrorEnvelope),
        (status = 404, description = INSTANCE_404, body = ErrorEnvelope),
        (status = 413, description = BODY_ERRORS_413.1, body = ErrorEnvelope),
        (status = 415, description = BODY_ERRORS_415.1, body = ErrorEnvelope),
    )
)]
async fn forgot(State(app): State<App>, ApiJson(body): ApiJson<ForgotBody>) -> Result<StatusCode, ApiError> {
    app.auth.forgot(body.instance.as_deref(), &body.username)?;
    Ok(StatusCode::ACCEPTED)
}
