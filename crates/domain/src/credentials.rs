//! The name under which a verified e-mail and password pair is remembered for a short while
//! (HTTP Basic clients send the password on every request): a keyed digest of the instance, the
//! address's key and the password, from which nobody without the server's key learns anything.

use crate::instance::InstanceSlug;
use crate::list::TokenKey;

/// The keyed digest (HMAC-SHA256 under the server's [`TokenKey`]) of one set of credentials.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CredentialDigest([u8; 32]);

impl CredentialDigest {
    pub fn of(key: &TokenKey, instance: &InstanceSlug, email_key: &str, password: &str) -> Self {
        Self(key.digest("verified-credentials", &[instance.as_str(), email_key, password]))
    }
}

impl std::fmt::Debug for CredentialDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CredentialDigest(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digest_depends_on_the_key_instance_address_and_password() {
        let key = TokenKey::new(vec![7; 32]);
        let default = InstanceSlug::parse("default").unwrap();
        let other = InstanceSlug::parse("other").unwrap();
        let digest = CredentialDigest::of(&key, &default, "a@b.c", "secret");
        assert_eq!(digest, CredentialDigest::of(&key, &default, "a@b.c", "secret"));
        assert_ne!(digest, CredentialDigest::of(&key, &other, "a@b.c", "secret"));
        assert_ne!(digest, CredentialDigest::of(&key, &default, "a@b.cd", "secret"));
        assert_ne!(digest, CredentialDigest::of(&key, &default, "a@b.c", "secret!"));
        assert_ne!(digest, CredentialDigest::of(&TokenKey::new(vec![8; 32]), &default, "a@b.c", "secret"));
        assert_eq!(format!("{digest:?}"), "CredentialDigest(..)");
    }
}
