//! Validated text values of nodes: names, DNS domains and tenant ids.

use crate::error::DomainError;
use crate::text;

/// A node's display name (also a voice routing object's): trimmed, in NFC, 1 to 255
/// characters, no control, invisible or direction-changing characters ([`text::identifier`]).
/// Siblings compare names by [`NodeName::key`], so "ACME ", "acme" and "Acme\u{301}"-style
/// spellings of one name collide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeName {
    name: String,
    /// Computed once: lists compare and search it for every node they scan.
    key: String,
}

impl NodeName {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let name = text::identifier("name", raw)?;
        if name.is_empty() || name.chars().count() > 255 {
            return Err(DomainError::invalid("name", "must be 1 to 255 characters after trimming"));
        }
        if name.chars().any(char::is_control) {
            return Err(DomainError::invalid("name", "must not contain control characters"));
        }
        Ok(Self { key: text::key(&name), name })
    }

    /// A name read back from a store, as it was stored: never refused, so a name stored before
    /// a rule existed (an invisible character) still reads, and can be renamed or deleted. Its
    /// key is the one it was stored with (the lowercase of the stored text).
    pub fn from_stored(stored: &str) -> Self {
        Self { name: stored.to_owned(), key: text::key(stored) }
    }

    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// The case-insensitive form used for sibling uniqueness and for sorting by name.
    pub fn key(&self) -> &str {
        &self.key
    }
}

/// A DNS name (RFC 1123 labels), stored lowercase without a trailing dot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraasDomain(String);

impl DraasDomain {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let domain = raw.trim().strip_suffix('.').unwrap_or(raw.trim()).to_ascii_lowercase();
        let label_ok = |label: &str| {
            !label.is_empty()
                && label.len() <= 63
                && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        };
        if domain.is_empty() || domain.len() > 253 || !domain.split('.').all(label_ok) {
            return Err(DomainError::invalid(
                "draasDomain",
                "must be a DNS name: dot-separated labels of 1 to 63 letters, digits or '-', 253 characters at most",
            ));
        }
        Ok(Self(domain))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A tenant's external id, used by the APIO paths (`/tenants/{tenant_id}/...`): 1 to 64
/// characters of letters, digits, `.`, `_` or `-`. Unique per instance, case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantId {
    id: String,
    key: String,
}

impl TenantId {
    /// ASCII only, so already free of what [`text::identifier`] refuses and normalised by it.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let id = &text::identifier("tenantId", raw)?;
        let valid = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
        if id.is_empty() || id.len() > 64 || !id.chars().all(valid) {
            return Err(DomainError::invalid(
                "tenantId",
                "must be 1 to 64 characters of letters, digits, '.', '_' or '-'",
            ));
        }
        Ok(Self { id: id.to_owned(), key: text::key(id) })
    }

    pub fn as_str(&self) -> &str {
        &self.id
    }

    /// The case-insensitive form used for uniqueness and sorting.
    pub fn key(&self) -> &str {
        &self.key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_trimmed_and_keyed_case_insensitively() {
        let name = NodeName::parse("  Group Ä ").unwrap();
        assert_eq!(name.as_str(), "Group Ä");
        assert_eq!(name.key(), "group ä");
    }

    #[test]
    fn canonically_equivalent_names_share_one_key_and_invisible_ones_are_refused() {
        let composed = NodeName::parse("Acm\u{e9}").unwrap();
        let decomposed = NodeName::parse("ACME\u{301}").unwrap();
        assert_eq!(decomposed.as_str(), "ACM\u{c9}", "stored in NFC");
        assert_eq!(composed.key(), decomposed.key());
        for raw in ["\u{200b}", "Acme\u{200b}", "invoice\u{202e}gpj.exe"] {
            assert_eq!(NodeName::parse(raw).unwrap_err().field(), Some("name"), "{raw:?}");
        }
        let legacy = NodeName::from_stored("Acme\u{200b}");
        assert_eq!((legacy.as_str(), legacy.key()), ("Acme\u{200b}", "acme\u{200b}"));
    }

    #[test]
    fn a_name_of_255_chars_is_accepted_and_256_rejected() {
        assert!(NodeName::parse(&"é".repeat(255)).is_ok());
        assert!(NodeName::parse(&"é".repeat(256)).is_err());
    }

    #[test]
    fn blank_and_control_character_names_are_rejected() {
        for raw in ["", "   ", "a\u{0}b", "line\nbreak"] {
            assert!(NodeName::parse(raw).is_err(), "{raw:?} should be rejected");
        }
    }

    #[test]
    fn dns_names_are_normalised_and_validated() {
        assert_eq!(DraasDomain::parse("First.Draas.Domain.").unwrap().as_str(), "first.draas.domain");
        assert!(DraasDomain::parse("localhost").is_ok());
        assert!(DraasDomain::parse(&format!("{}.com", "a".repeat(63))).is_ok());
        for raw in ["", ".", "a..b", "-a.com", "a-.com", "a_b.com", "a b.com", &format!("{}.com", "a".repeat(64))] {
            assert!(DraasDomain::parse(raw).is_err(), "{raw:?} should be rejected");
        }
        let long = vec!["abcdefghi"; 26].join(".");
        assert!(long.len() > 253);
        assert!(DraasDomain::parse(&long).is_err());
    }

    #[test]
    fn tenant_ids_allow_a_restricted_alphabet() {
        assert_eq!(TenantId::parse(" Acme-1.eu_x ").unwrap().key(), "acme-1.eu_x");
        for raw in ["", "a/b", "a b", &"a".repeat(65)] {
            assert!(TenantId::parse(raw).is_err(), "{raw:?} should be rejected");
        }
    }
}
