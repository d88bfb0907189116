//! HTTP Basic authentication, as sipXconfig clients send it: `Authorization: Basic
//! base64(email:password)` on every request, over the same accounts, throttle and lock as a
//! login (`AuthService::authenticate_password`). The instance whose accounts are searched is the
//! `{draas_instance}` of the request's path.

use crate::api::{AuthScheme, Credentials, DefaultInstance};
use axum::extract::MatchedPath;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use canopy_app::AuthError;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

/// `Authorization: Basic <base64 of email:password>`.
pub struct Basic;

/// The name of the scheme in the document.
pub const BASIC: &str = "basic";

impl AuthScheme for Basic {
    fn name(&self) -> &'static str {
        BASIC
    }

    fn security_scheme(&self) -> SecurityScheme {
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Basic)
                .description(Some(
                    "An administrator's e-mail and password (`Authorization: Basic base64(email:password)`), as \
                     sipXconfig clients send them with every request: checked as a login is (a wrong password \
                     counts as a failed login, a locked account is refused), without opening a session. A \
                     verification is remembered for at most a minute (1024 credentials at most), while the \
                     account's password stays the one verified.",
                ))
                .build(),
        )
    }

    fn token(&self, _parts: &Parts) -> Option<Result<String, AuthError>> {
        None
    }

    fn credentials(&self, parts: &Parts) -> Option<Result<Credentials, AuthError>> {
        let header = parts.headers.get(AUTHORIZATION)?;
        let (scheme, encoded) = header.to_str().ok()?.split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("basic") {
            return None;
        }
        let decoded = STANDARD.decode(encoded.trim()).ok().and_then(|bytes| String::from_utf8(bytes).ok());
        let Some((email, password)) = decoded.as_deref().and_then(|text| text.split_once(':')) else {
            return Some(Err(AuthError::InvalidCredentials));
        };
        let instance = match parts.extensions.get::<DefaultInstance>() {
            Some(DefaultInstance(default)) => Some(default.to_string()),
            None => path_segment(parts, "{draas_instance}"),
        };
        Some(Ok(Credentials { instance, email: email.to_owned(), password: password.to_owned() }))
    }
}

/// The segment of the request's path that stands where `param` stands in its route's template.
fn path_segment(parts: &Parts, param: &str) -> Option<String> {
    let template = parts.extensions.get::<MatchedPath>()?.as_str();
    let index = template.split('/').position(|segment| segment == param)?;
    parts.uri.path().split('/').nth(index).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(authorization: &str) -> Parts {
        Request::builder().uri("/x").header(AUTHORIZATION, authorization).body(()).unwrap().into_parts().0
    }

    #[test]
    fn basic_credentials_are_read_and_other_schemes_left_alone() {
        let found = Basic.credentials(&parts("Basic cm9vdEBleGFtcGxlLmNvbTpwYTpzcw==")).unwrap().unwrap();
        assert_eq!((found.email.as_str(), found.password.as_str()), ("root@example.com", "pa:ss"));
        assert!(Basic.credentials(&parts("Bearer abc")).is_none());
        assert!(matches!(Basic.credentials(&parts("basic !!!")), Some(Err(AuthError::InvalidCredentials))));
        assert!(matches!(Basic.credentials(&parts("Basic bm9jb2xvbg==")), Some(Err(AuthError::InvalidCredentials))));
        assert!(!format!("{found:?}").contains("pa:ss"), "a password never shows in Debug");
    }
}
