//! The portal's identity operations (issue 18): the router lookup `GET /accounts`, `POST /login`
//! (a session of Canopy's, its token also set as the `SESSION` cookie), `GET|POST /logout`,
//! `GET /profile`, `GET /profiles` and `/checkauth` for every method. The cookie and Canopy's
//! bearer token carry the same session; logins go through `AuthService::login`, so the throttle,
//! its 423 and the logon IP lists are Canopy's, whatever the face.

use super::kinds;
use super::session_docs as docs;
use crate::api::HttpMethod::{Delete, Get, Head, Options, Post, Put};
use crate::api::{Access, FaceInstance, Route};
use crate::client::{ClientAddress, SecureCookies};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, Authenticated, OwnSession};
use crate::session_cookie::{clear_cookie, set_cookie};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Response};
use canopy_app::{App, Place};
use canopy_domain::{Admin, NodeRef};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

pub(super) fn routes() -> Vec<Route> {
    let checkauth = || "/checkauth".to_owned();
    let mut routes = vec![
        Route::new(Get, "/accounts".to_owned(), Access::Public, accounts, docs::accounts),
        Route::new(Post, "/login".to_owned(), Access::Public, login, docs::login),
        Route::new(Post, "/logout".to_owned(), Access::Authenticated, logout, docs::logout_post).own_account(),
        Route::new(Get, "/logout".to_owned(), Access::Authenticated, logout_get, docs::logout_get),
        Route::new(Get, "/profile".to_owned(), Access::Authenticated, profile, docs::profile),
        Route::new(Get, "/profiles".to_owned(), Access::Authenticated, profiles, docs::profiles),
    ];
    for method in [Get, Post, Put, Delete, Head, Options] {
        let route = Route::new(method.clone(), checkauth(), Access::Authenticated, checkauth_ok, move || {
            docs::checkauth(method)
        });
        // It changes nothing: no lock stops it.
        routes.push(route.unconditional().own_account());
    }
    routes
}

/// `GET /accounts` (L13).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct AccountsQuery {
    /// The login (an e-mail) to route.
    pub login: Option<String>,
    /// Ignored: one account per identity.
    #[allow(dead_code)]
    pub user_id: Option<String>,
}

/// `{server_url, id, login}` (L13): where the account is served.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PortalAccountRoute)]
pub(crate) struct AccountRoute {
    /// The server's public base URL (`--portal-url`), for any login.
    pub server_url: String,
    /// Always 0: the answer never tells whether the login exists.
    pub id: i64,
    pub login: String,
}

async fn accounts(State(app): State<App>, ApiQuery(query): ApiQuery<AccountsQuery>) -> Json<AccountRoute> {
    let server_url = app.auth.portal_url().to_owned();
    Json(AccountRoute { server_url, id: 0, login: query.login.unwrap_or_default() })
}

/// `POST /login` (L62188): `additionalProperties: false`.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PortalLogin)]
pub(crate) struct LoginBody {
    /// The login: the administrator's e-mail.
    pub username: String,
    /// Ignored: one account per identity.
    #[allow(dead_code)]
    pub user_id: Option<i64>,
    pub password: String,
}

/// The group of a profile (L63724): the account's home.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PortalProfileGroup)]
pub(crate) struct ProfileGroup {
    pub id: i64,
    pub uid: Uuid,
    pub kind: i64,
    pub name: String,
}

/// A profile (L63724): the account of the session.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PortalProfile)]
pub(crate) struct ProfileBody {
    pub id: i64,
    pub user_id: i64,
    /// The login: the e-mail.
    pub login: String,
    pub email: String,
    pub firstname: Option<String>,
    pub lastname: Option<String>,
    /// The account's home; `null` for a system administrator (the root's).
    pub group: Option<ProfileGroup>,
    /// 15 (FullAccess).
    pub access_type: u8,
    pub language: &'static str,
    pub version: u64,
}

/// `200 {message, client_ip, accounts}` (L62188).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PortalLoggedIn)]
pub(crate) struct LoggedIn {
    pub message: String,
    /// The client's address as the server sees it (`--trusted-proxies`).
    pub client_ip: Option<String>,
    pub accounts: Vec<ProfileBody>,
}

async fn profile_of(app: &App, admin: &Admin) -> Result<ProfileBody, ApiError> {
    let group = match admin.home {
        None => None,
        Some(home) => {
            let place = app.nodes.locate(&admin.principal(), admin.instance.as_str(), NodeRef::Uuid(home)).await?;
            match place {
                Place::Node { node, .. } => Some(ProfileGroup {
                    id: node.serial.0,
                    uid: node.id.0,
                    kind: kinds::code(node.kind),
                    name: node.name.as_str().to_owned(),
                }),
                Place::Root => None,
            }
        }
    };
    Ok(ProfileBody {
        id: admin.id.0,
        user_id: admin.id.0,
        login: admin.email.as_str().to_owned(),
        email: admin.email.as_str().to_owned(),
        firstname: admin.details.first_name.clone(),
        lastname: admin.details.last_name.clone(),
        group,
        access_type: super::admins::access_type_of(admin),
        language: "en",
        version: admin.version.0,
    })
}

async fn login(
    State(app): State<App>,
    FaceInstance(instance): FaceInstance,
    ClientAddress(from): ClientAddress,
    SecureCookies(secure): SecureCookies,
    ApiJson(body): ApiJson<LoginBody>,
) -> Result<Response, ApiError> {
    let session = app.auth.login(Some(&instance), &body.username, body.password, from).await?;
    login_answer(&app, session, from, secure).await
}

/// The answer of a login: the profile, and the session's token set as the cookie.
pub(super) async fn login_answer(
    app: &App,
    session: canopy_app::Session,
    from: Option<std::net::IpAddr>,
    secure: bool,
) -> Result<Response, ApiError> {
    let max_age = (session.expires.0 - session.issued.0) / 1000;
    let profile = profile_of(app, &session.admin).await?;
    let client_ip = from.map(|ip| ip.to_string());
    let body = LoggedIn { message: "Success".to_owned(), client_ip, accounts: vec![profile] };
    Ok(([(SET_COOKIE, set_cookie(secure, &session.token, max_age))], Json(body)).into_response())
}

async fn logout(
    State(app): State<App>,
    SecureCookies(secure): SecureCookies,
    OwnSession(caller): OwnSession,
) -> Result<Response, ApiError> {
    app.auth.logout(&caller.token).await?;
    Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, clear_cookie(secure))]).into_response())
}

async fn logout_get(
    State(app): State<App>,
    SecureCookies(secure): SecureCookies,
    OwnSession(caller): OwnSession,
) -> Result<Response, ApiError> {
    app.auth.logout(&caller.token).await?;
    Ok(([(SET_COOKIE, clear_cookie(secure))], Json("Success")).into_response())
}

async fn profile(State(app): State<App>, caller: Authenticated) -> Result<Json<ProfileBody>, ApiError> {
    Ok(Json(profile_of(&app, &caller.admin).await?))
}

async fn profiles(State(app): State<App>, caller: Authenticated) -> Result<Json<Vec<ProfileBody>>, ApiError> {
    Ok(Json(vec![profile_of(&app, &caller.admin).await?]))
}

async fn checkauth_ok(_: Authenticated) -> StatusCode {
    StatusCode::NO_CONTENT
}
