//! The `SESSION` cookie: one session for every face (faces.md 3.2) — the portal face's login sets
//! it, the web console signs in with it, and its value is the same session token a bearer header
//! carries. HttpOnly, SameSite=Lax, Path=/, Secure unless the operator turned that off for
//! plain-HTTP development (`--insecure-cookies`).

use axum::http::HeaderValue;
use axum::http::header::COOKIE;
use axum::http::request::Parts;

/// The cookie's name.
pub const SESSION_COOKIE: &str = "SESSION";

/// The session's token from the request's cookies (quotes around it, as the portal spec's
/// example writes them, are taken off).
pub fn cookie(parts: &Parts) -> Option<String> {
    let cookies = parts.headers.get_all(COOKIE).iter().filter_map(|value| value.to_str().ok());
    let mut pairs = cookies.flat_map(|value| value.split(';')).filter_map(|pair| pair.trim().split_once('='));
    let (_, token) = pairs.find(|(name, _)| *name == SESSION_COOKIE)?;
    let token = token.trim().trim_matches('"');
    (!token.is_empty()).then(|| token.to_owned())
}

/// The `Set-Cookie` of a new session, living `max_age_secs`.
pub fn set_cookie(secure: bool, token: &str, max_age_secs: i64) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let cookie = format!("{SESSION_COOKIE}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age_secs}{secure}");
    HeaderValue::from_str(&cookie).expect("a session token is base64url")
}

/// The `Set-Cookie` that removes the session's cookie.
pub fn clear_cookie(secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0{secure}"))
        .expect("a valid header")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    #[test]
    fn the_cookie_is_http_only_same_site_and_secure_unless_turned_off() {
        let secure = set_cookie(true, "abc", 60);
        assert_eq!(secure, "SESSION=abc; HttpOnly; SameSite=Lax; Path=/; Max-Age=60; Secure");
        assert!(!set_cookie(false, "abc", 60).to_str().unwrap().contains("Secure"));
        assert!(clear_cookie(true).to_str().unwrap().contains("Max-Age=0"));
    }

    #[test]
    fn the_token_is_read_among_other_cookies_quoted_or_not() {
        let parts = |value: &str| Request::builder().header(COOKIE, value).body(()).unwrap().into_parts().0;
        assert_eq!(cookie(&parts("a=1; SESSION=tok; b=2")).as_deref(), Some("tok"));
        assert_eq!(cookie(&parts("SESSION=\"tok\"")).as_deref(), Some("tok"));
        assert_eq!(cookie(&parts("SESSION=; other=x")), None);
        assert_eq!(cookie(&parts("SESSIONX=tok")), None);
    }
}
