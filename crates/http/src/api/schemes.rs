//! How a face's callers authenticate ([`AuthScheme`]): by presenting a session token (the
//! canopy face's [`Bearer`]; a session cookie) or credentials that the app verifies on every
//! request ([`Credentials`]: the sipXconfig face's HTTP Basic). The first of a face's schemes
//! that the request uses decides ([`presented`]).

use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use canopy_app::AuthError;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

/// A way for a caller to authenticate: by presenting a session token (a bearer header, a
/// session cookie), or credentials that the app verifies on each request (HTTP Basic).
pub trait AuthScheme: Send + Sync {
    /// Its name in the OpenAPI document's security schemes.
    fn name(&self) -> &'static str;
    /// Its description in the OpenAPI document.
    fn security_scheme(&self) -> SecurityScheme;
    /// The token the request presents this way: `None` when it does not use this scheme,
    /// an error when it does but not in a form this scheme reads.
    fn token(&self, parts: &Parts) -> Option<Result<String, AuthError>>;
    /// The credentials the request presents this way, for schemes that carry an account's
    /// e-mail and password instead of a token (`None` by default: the scheme carries tokens).
    fn credentials(&self, _parts: &Parts) -> Option<Result<Credentials, AuthError>> {
        None
    }
}

/// An e-mail and password sent with a request, to be verified as a login is (its throttle and
/// lock) without opening a session.
pub struct Credentials {
    /// The instance the request's path names, whose accounts the e-mail is looked up among
    /// (`None`: the server's only instance).
    pub instance: Option<String>,
    pub email: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("instance", &self.instance)
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

/// What a request presents, by the first of its face's schemes it uses.
pub(crate) enum Presented {
    Token(String),
    Credentials(Credentials),
}

/// What the request presents by the first of `schemes` it uses; `None` when it uses none.
pub(crate) fn presented(schemes: &[&'static dyn AuthScheme], parts: &Parts) -> Option<Result<Presented, AuthError>> {
    schemes.iter().find_map(|scheme| {
        let token = scheme.token(parts).map(|token| token.map(Presented::Token));
        token.or_else(|| scheme.credentials(parts).map(|found| found.map(Presented::Credentials)))
    })
}

/// `Authorization: Bearer <token>`.
pub struct Bearer;

/// The name of the bearer scheme in the document.
pub const BEARER: &str = "bearer";

impl AuthScheme for Bearer {
    fn name(&self) -> &'static str {
        BEARER
    }

    fn security_scheme(&self) -> SecurityScheme {
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some(
                    "The session token answered by `POST /api/v01/auth/login`, sent as `Authorization: Bearer \
                     <token>`. It expires after 8 hours (by default); `POST /api/v01/auth/logout` closes it at once.",
                ))
                .build(),
        )
    }

    fn token(&self, parts: &Parts) -> Option<Result<String, AuthError>> {
        let header = parts.headers.get(AUTHORIZATION)?;
        let token = header
            .to_str()
            .ok()
            .and_then(|value| value.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim().to_owned());
        Some(token.ok_or(AuthError::InvalidToken))
    }
}

/// The `SESSION` cookie set by the portal face's login (and the console's sign-in): the same
/// session token a bearer header carries. A request that changes something and whose `Origin`
/// names another site than its `Host` is refused (a cross-site request forged with the cookie);
/// JSON-only bodies and `SameSite=Lax` keep forms of other sites out as well.
pub struct SessionCookie;

/// The name of the cookie scheme in the document.
pub const SESSION_COOKIE_SCHEME: &str = "session_cookie";

impl AuthScheme for SessionCookie {
    fn name(&self) -> &'static str {
        SESSION_COOKIE_SCHEME
    }

    fn security_scheme(&self) -> SecurityScheme {
        let mut key = utoipa::openapi::security::ApiKeyValue::new(crate::session_cookie::SESSION_COOKIE);
        key.description = Some(
            "The `SESSION` cookie set by the portal's `POST /login` (HttpOnly, SameSite=Lax): the session's token,              interchangeable with `Authorization: Bearer`. A write by cookie whose `Origin` is another site is              refused (401 `invalid_token`)."
                .to_owned(),
        );
        SecurityScheme::ApiKey(utoipa::openapi::security::ApiKey::Cookie(key))
    }

    fn token(&self, parts: &Parts) -> Option<Result<String, AuthError>> {
        let token = crate::session_cookie::cookie(parts)?;
        Some(if cross_site_write(parts) { Err(AuthError::InvalidToken) } else { Ok(token) })
    }
}

/// A request that changes something, sent from a page of another origin than the server's.
fn cross_site_write(parts: &Parts) -> bool {
    use axum::http::Method;
    if matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    let Some(origin) = parts.headers.get(axum::http::header::ORIGIN).and_then(|value| value.to_str().ok()) else {
        return false;
    };
    let host = parts.headers.get(axum::http::header::HOST).and_then(|value| value.to_str().ok());
    let origin_host = origin.split_once("://").map(|(_, rest)| rest.trim_end_matches('/'));
    origin_host.is_none_or(|origin_host| Some(origin_host) != host)
}
