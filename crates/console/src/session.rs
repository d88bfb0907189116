//! The signed-in administrator of a console request: the API's session (the same token, looked up
//! by the same `AuthService`), carried by the `SESSION` cookie (HttpOnly, SameSite=Lax, Path=/,
//! Secure unless the operator turned it off for plain-HTTP development).

use crate::ConsoleConfig;
use crate::csrf;
use crate::problem::Problem;
use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use canopy_app::{App, AuthError};
use canopy_domain::{Admin, Principal};
use canopy_http::session_cookie;

/// The cookie's name: one session for every face (faces.md 3.2).
pub use canopy_http::session_cookie::SESSION_COOKIE;

/// An administrator signed in to the console.
#[derive(Clone)]
pub struct Signed {
    pub admin: Admin,
    /// The session token (never shown: the cookie is HttpOnly).
    pub token: String,
}

impl Signed {
    pub fn principal(&self) -> Principal {
        self.admin.principal()
    }

    /// The token every form of this session carries.
    pub fn csrf(&self) -> String {
        csrf::token(&self.token)
    }

    /// The session of the request (also one whose account must change its password when
    /// `pending_change` allows it); otherwise the answer: the sign-in page, or the password page.
    pub async fn of(parts: &Parts, app: &App, pending_change: bool) -> Result<Self, Response> {
        let Some(token) = cookie(parts) else { return Err(to_login(parts, false)) };
        let found = if pending_change { app.auth.session(&token).await } else { app.auth.authenticate(&token).await };
        match found {
            Ok(admin) => Ok(Self { admin, token }),
            Err(AuthError::PasswordChangeRequired) => Err(see_other("/console/password")),
            Err(AuthError::InvalidToken | AuthError::MissingToken) => Err(to_login(parts, true)),
            Err(other) => Err(Problem::from(other).into_response()),
        }
    }
}

impl FromRequestParts<App> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Response> {
        Self::of(parts, app, false).await
    }
}

/// The session's token from the request's cookies (the API's reading of the one cookie).
pub use canopy_http::session_cookie::cookie;

/// The `Set-Cookie` of a new session, living `max_age_secs`.
pub fn set_cookie(config: &ConsoleConfig, token: &str, max_age_secs: i64) -> HeaderValue {
    session_cookie::set_cookie(config.secure_cookie, token, max_age_secs)
}

/// The `Set-Cookie` that removes the session's cookie.
pub fn clear_cookie(config: &ConsoleConfig) -> HeaderValue {
    session_cookie::clear_cookie(config.secure_cookie)
}

/// A redirect after a form (303: the browser follows it with a GET).
pub fn see_other(to: &str) -> Response {
    let location = HeaderValue::from_str(to).unwrap_or_else(|_| HeaderValue::from_static("/console/"));
    (StatusCode::SEE_OTHER, [(LOCATION, location)]).into_response()
}

/// To the sign-in page, which comes back here afterwards; `expired` also drops the stale cookie.
fn to_login(parts: &Parts, expired: bool) -> Response {
    let back = original(parts);
    let back = if back == "/console" { "/console/" } else { back.as_str() };
    let next: String = serde_urlencoded::to_string([("next", back)]).unwrap_or_default();
    let mut response = see_other(&format!("/console/login?{next}"));
    if expired {
        let secure = parts.extensions.get::<ConsoleConfig>().is_none_or(|config| config.secure_cookie);
        let config = ConsoleConfig { secure_cookie: secure };
        response.headers_mut().insert(SET_COOKIE, clear_cookie(&config));
    }
    response
}

/// The request's path and query as the client sent it (routers nested below `/console` see
/// their own part only).
pub fn original(parts: &Parts) -> String {
    let uri = parts.extensions.get::<OriginalUri>().map_or(&parts.uri, |original| &original.0);
    uri.path_and_query().map_or_else(|| uri.path().to_owned(), |pq| pq.as_str().to_owned())
}

/// Where to go after signing in: a console page only (never another site).
pub fn safe_next(next: Option<&str>) -> &str {
    next.filter(|next| next.starts_with("/console/") && !next.contains("//") && !next.contains('\\'))
        .unwrap_or("/console/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_console_pages_are_followed_after_signing_in() {
        assert_eq!(safe_next(Some("/console/tenants/x?kind=user")), "/console/tenants/x?kind=user");
        for elsewhere in [None, Some("https://evil.example/"), Some("//evil.example"), Some("/console//evil.example")] {
            assert_eq!(safe_next(elsewhere), "/console/");
        }
        assert_eq!(safe_next(Some("/console/\\evil")), "/console/");
    }
}
