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
