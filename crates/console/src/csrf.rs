//! Protection of every change against cross-site requests: a synchronizer token bound to the
//! session, carried by each form's hidden `csrf` field, and a same-origin check of `Origin` (or
//! `Referer`) on every POST (beside the cookie's `SameSite=Lax`).
//!
//! The token is HMAC-SHA256 keyed by the session token itself: only the holder of the session
//! (whose cookie is HttpOnly) can know it, it keeps no state, and every process behind a load
//! balancer computes the same one without sharing a key. The session token cannot be recovered
//! from it.

use axum::http::HeaderMap;
use axum::http::header::{HOST, ORIGIN, REFERER};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The name of the hidden field of every form that changes something.
pub const FIELD: &str = "csrf";

const PURPOSE: &[u8] = b"canopy console csrf v1";

fn mac(session: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(session.as_bytes()).expect("HMAC takes any key");
    mac.update(PURPOSE);
    mac
}

/// The token of the forms of `session`.
pub fn token(session: &str) -> String {
    URL_SAFE_NO_PAD.encode(mac(session).finalize().into_bytes())
}

/// Whether `sent` is the token of `session` (compared in constant time).
pub fn matches(session: &str, sent: &str) -> bool {
    URL_SAFE_NO_PAD.decode(sent).is_ok_and(|bytes| mac(session).verify_slice(&bytes).is_ok())
}

/// Whether the request comes from a page of this server: its `Origin` (else its `Referer`) names
/// the host the request was sent to. A request with neither (an old browser, a privacy setting)
/// is let through: the token decides.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(HOST).and_then(|host| host.to_str().ok()) else { return false };
    let source = headers.get(ORIGIN).or_else(|| headers.get(REFERER));
    let Some(source) = source.map(|value| value.to_str().unwrap_or_default()) else { return true };
    let authority = source.split_once("://").map(|(_, rest)| rest.split('/').next().unwrap_or_default());
    authority.is_some_and(|authority| authority.eq_ignore_ascii_case(host))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn a_token_belongs_to_its_session_only() {
        let token = token("session-a");
        assert!(matches("session-a", &token));
        assert!(!matches("session-b", &token));
        assert!(!matches("session-a", "not base64 !"));
        assert!(!matches("session-a", ""));
    }

    fn headers(pairs: &[(axum::http::HeaderName, &str)]) -> HeaderMap {
        pairs.iter().map(|(name, value)| (name.clone(), HeaderValue::from_str(value).unwrap())).collect()
    }

    #[test]
    fn a_post_from_another_origin_is_told_apart() {
        assert!(same_origin(&headers(&[(HOST, "127.0.0.1:8080"), (ORIGIN, "http://127.0.0.1:8080")])));
        assert!(same_origin(&headers(&[(HOST, "c.example"), (REFERER, "https://c.example/console/x")])));
        assert!(same_origin(&headers(&[(HOST, "c.example")])), "neither header: the token decides");
        assert!(!same_origin(&headers(&[(HOST, "c.example"), (ORIGIN, "https://evil.example")])));
        assert!(!same_origin(&headers(&[(HOST, "c.example"), (ORIGIN, "null")])));
        assert!(!same_origin(&headers(&[(HOST, "c.example"), (REFERER, "https://c.example.evil/")])));
        assert!(!same_origin(&headers(&[(ORIGIN, "https://c.example")])), "no host");
    }
}
