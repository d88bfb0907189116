//! Signed tokens of the portal face (`…/jwt`, `…/impersonate`, `GET /login?jwt=`): JSON Web
//! Tokens signed with HS256 under a key derived from the server's secret (HKDF, label
//! `portal-jwt/<generation>`). The operator rotates the key by raising its generation: tokens of
//! the generation before stay valid until they expire, older ones stop at once.

use crate::list::TokenKey;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// How long a token lives, in seconds (the seed's `exp = iat + 3600`).
pub const JWT_TTL_SECS: i64 = 3600;
/// Tokens longer than this are refused before any decoding work.
const MAX_JWT_LEN: usize = 4096;

/// A signing key and its generation (the token's `kid`).
#[derive(Clone)]
pub struct JwtKey {
    pub generation: u32,
    key: [u8; 32],
}

impl std::fmt::Debug for JwtKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "JwtKey({}, ..)", self.generation)
    }
}

impl JwtKey {
    pub fn derive(secret: &TokenKey, generation: u32) -> Self {
        Self { generation, key: secret.derive(&format!("portal-jwt/{generation}")) }
    }

    /// The keys a server accepts: its generation's (which signs) and the one before.
    pub fn ring(secret: &TokenKey, generation: u32) -> Vec<Self> {
        let previous = generation.checked_sub(1).map(|before| Self::derive(secret, before));
        std::iter::once(Self::derive(secret, generation)).chain(previous).collect()
    }

    fn mac(&self, signed: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC accepts keys of any length");
        mac.update(signed.as_bytes());
        mac
    }
}

/// The claims (the seed's example, L12601–12636), plus `instance` and, for impersonation, `imp`
/// (the administrator who asked for it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JwtClaims {
    pub aud: String,
    pub email: String,
    pub exp: i64,
    pub iat: i64,
    pub iss: String,
    pub name: String,
    pub nbf: i64,
    pub scope: Vec<String>,
    #[serde(rename = "tenantId")]
    pub tenant_id: Option<String>,
    pub uid: i64,
    pub instance: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imp: Option<i64>,
}

/// Why a token is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JwtRefusal {
    /// Not a token of this server (shape, algorithm, key, signature).
    Invalid,
    /// Outside its `nbf`..`exp` window.
    Expired,
}

#[derive(Serialize, Deserialize)]
struct Header {
    alg: String,
    typ: String,
    kid: String,
}

/// The token of `claims`, signed with `key`.
pub fn sign_jwt(key: &JwtKey, claims: &JwtClaims) -> String {
    let header = Header { alg: "HS256".into(), typ: "JWT".into(), kid: key.generation.to_string() };
    let encode = |value: &[u8]| URL_SAFE_NO_PAD.encode(value);
    let header = encode(&serde_json::to_vec(&header).expect("a header serializes"));
    let claims = encode(&serde_json::to_vec(claims).expect("claims serialize"));
    let signed = format!("{header}.{claims}");
    let signature = encode(&key.mac(&signed).finalize().into_bytes());
    format!("{signed}.{signature}")
}

/// The claims of `token` if one of `keys` (by its `kid`) signed it and `now_secs` lies in its
/// window.
pub fn verify_jwt(token: &str, keys: &[JwtKey], now_secs: i64) -> Result<JwtClaims, JwtRefusal> {
    if token.len() > MAX_JWT_LEN {
        return Err(JwtRefusal::Invalid);
    }
    let mut parts = token.split('.');
    let (Some(header), Some(claims), Some(signature), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtRefusal::Invalid);
    };
    let decode = |part: &str| URL_SAFE_NO_PAD.decode(part).map_err(|_| JwtRefusal::Invalid);
    let parsed: Header = serde_json::from_slice(&decode(header)?).map_err(|_| JwtRefusal::Invalid)?;
    if parsed.alg != "HS256" {
        return Err(JwtRefusal::Invalid);
    }
    let key = keys.iter().find(|key| key.generation.to_string() == parsed.kid).ok_or(JwtRefusal::Invalid)?;
    key.mac(&format!("{header}.{claims}")).verify_slice(&decode(signature)?).map_err(|_| JwtRefusal::Invalid)?;
    let claims: JwtClaims = serde_json::from_slice(&decode(claims)?).map_err(|_| JwtRefusal::Invalid)?;
    if now_secs < claims.nbf || now_secs >= claims.exp {
        return Err(JwtRefusal::Expired);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(now: i64) -> JwtClaims {
        JwtClaims {
            aud: "portal".into(),
            email: "a@example.com".into(),
            exp: now + JWT_TTL_SECS,
            iat: now,
            iss: "canopy".into(),
            name: "A".into(),
            nbf: now,
            scope: vec![],
            tenant_id: None,
            uid: 7,
            instance: "default".into(),
            imp: Some(1),
        }
    }

    #[test]
    fn a_token_verifies_under_its_key_within_its_window_and_the_previous_generation_too() {
        let secret = TokenKey::new(vec![9; 32]);
        let ring = JwtKey::ring(&secret, 2);
        let token = sign_jwt(&ring[0], &claims(1000));
        assert_eq!(verify_jwt(&token, &ring, 1000), Ok(claims(1000)));
        assert_eq!(verify_jwt(&token, &ring, 1000 + JWT_TTL_SECS), Err(JwtRefusal::Expired));
        assert_eq!(verify_jwt(&token, &ring, 999), Err(JwtRefusal::Expired));
        // Rotated once: still valid; twice: refused.
        assert!(verify_jwt(&token, &JwtKey::ring(&secret, 3), 1000).is_ok());
        assert_eq!(verify_jwt(&token, &JwtKey::ring(&secret, 4), 1000), Err(JwtRefusal::Invalid));
        // Another server's secret, a changed claim, another algorithm: refused.
        let other = JwtKey::ring(&TokenKey::new(vec![8; 32]), 2);
        assert_eq!(verify_jwt(&token, &other, 1000), Err(JwtRefusal::Invalid));
        let (head, rest) = token.split_once('.').unwrap();
        let (_, signature) = rest.split_once('.').unwrap();
        let forged = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&JwtClaims { uid: 1, ..claims(1000) }).unwrap());
        assert_eq!(verify_jwt(&format!("{head}.{forged}.{signature}"), &ring, 1000), Err(JwtRefusal::Invalid));
        let none = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT","kid":"2"}"#);
        assert_eq!(verify_jwt(&format!("{none}.{forged}."), &ring, 1000), Err(JwtRefusal::Invalid));
        assert_eq!(verify_jwt("a.b", &ring, 1000), Err(JwtRefusal::Invalid));
    }

    #[test]
    fn derived_keys_differ_by_label() {
        let secret = TokenKey::new(vec![1; 32]);
        assert_ne!(secret.derive("portal-jwt/1"), secret.derive("portal-jwt/2"));
        assert_eq!(secret.derive("portal-jwt/1"), secret.derive("portal-jwt/1"));
    }
}
