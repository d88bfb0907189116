//! E-mail addresses: an administrator's login and reference, unique per instance.

use crate::error::DomainError;
use crate::text;
use std::fmt;

/// An e-mail address as the client wrote it (trimmed, in NFC), with a case-insensitive key: two
/// addresses that differ only by case, or by the Unicode spelling of one character, are the same
/// administrator.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email {
    raw: String,
    key: String,
}

impl Email {
    /// 3 to 254 characters, one `@` with 1 to 64 characters before it and a domain of dot-separated
    /// labels after it; no spaces, control, invisible or direction-changing characters
    /// ([`text::identifier`]).
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let raw = &text::identifier("adminEmail", raw)?;
        let invalid = |reason: &str| Err(DomainError::invalid("adminEmail", reason));
        if raw.len() < 3 || raw.len() > 254 {
            return invalid("must be 3 to 254 characters");
        }
        if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return invalid("must not contain spaces or control characters");
        }
        let Some((local, domain)) = raw.split_once('@') else { return invalid("must contain an @") };
        if local.is_empty() || local.len() > 64 || domain.contains('@') {
            return invalid("must be local-part@domain, with 1 to 64 characters before the @");
        }
        let label_ok = |label: &str| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        };
        if !domain.split('.').all(label_ok) {
            return invalid("the domain after the @ is not a valid domain name");
        }
        Ok(Self { raw: raw.to_owned(), key: text::key(raw) })
    }

    /// An address read back from a store, as it was stored: never refused, so an account whose
    /// address predates a rule still reads, and can be changed or deleted. Its key is the one it
    /// was stored with (the lowercase of the stored text).
    pub fn from_stored(stored: &str) -> Self {
        Self { raw: stored.to_owned(), key: text::key(stored) }
    }

    /// The keys under which an address a client names (a login, a `{username}`) may be stored,
    /// normalised and as stored before normalisation ([`text::lookup_keys`]); nothing is refused.
    /// Text that cannot be an address (over 254 bytes) has none.
    pub fn lookup_keys(raw: &str) -> Vec<String> {
        if raw.trim().len() > 254 { vec![] } else { text::lookup_keys(raw) }
    }

    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The lowercase form that uniqueness and lookups use.
    pub fn key(&self) -> &str {
        &self.key
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_trimmed_and_keyed_in_lowercase() {
        let email = Email::parse("  John.Doe@NetAxis.be ").unwrap();
        assert_eq!(email.as_str(), "John.Doe@NetAxis.be");
        assert_eq!(email.key(), "john.doe@netaxis.be");
        assert_eq!(Email::parse("a@localhost").unwrap().key(), "a@localhost");
    }

    #[test]
    fn addresses_are_composed_and_invisible_characters_refused() {
        let email = Email::parse("Ren\u{e9}@x.be").unwrap();
        assert_eq!(Email::parse("RENE\u{301}@x.be").unwrap().key(), email.key());
        for bad in ["a\u{200b}@x.be", "\u{202e}a@x.be", "a@x\u{ad}y.be"] {
            assert_eq!(Email::parse(bad).unwrap_err().field(), Some("adminEmail"), "{bad:?}");
        }
        assert_eq!(Email::from_stored("a\u{200b}@x.be").key(), "a\u{200b}@x.be");
    }

    #[test]
    fn malformed_addresses_are_rejected() {
        for bad in [
            "",
            "ab",
            "no-at.example",
            "@example.com",
            "a@",
            "a@b@c",
            "a b@c.d",
            "a@-x.com",
            "a@x..com",
            "a@x\u{7}.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
        assert!(Email::parse(&format!("{}@x.com", "a".repeat(65))).is_err());
    }
}
