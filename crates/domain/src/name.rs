//! Validated text values of nodes: names, DNS domains and tenant ids.

use crate::error::DomainError;
use crate::text::{self, Keyed};

/// A node's display name (also a voice routing object's): trimmed, in NFC, 1 to 255
/// characters, no control, invisible or direction-changing characters ([`text::identifier`]).
/// Siblings compare names by [`NodeName::key`], so "ACME ", "acme" and "Acme\u{301}"-style
/// spellings of one name collide.
///
/// Some kinds are named by an identifier instead ([`NameRule`]): a site group by its `groupId`,
/// a user by its `userId`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeName {
    /// The name and its key, computed once: lists compare and search the key of every node they
    /// scan.
    keyed: Keyed,
}

/// What a kind's name is: free text (groups to tenants), or an identifier of a restricted
/// alphabet that faces use in paths (`groupId`, `userId`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRule {
    /// 1 to 255 characters, no control characters; the wire name `name`.
    Display,
    /// 1 to `max` letters, digits, `.`, `_`, `-` or `@` (any script's letters and digits, after
    /// normalisation), named `field` on the wire.
    Identifier { field: &'static str, max: usize },
}

impl NameRule {
    /// The wire name of the name: `name`, `groupId`, `userId`.
    pub fn field(self) -> &'static str {
        match self {
            Self::Display => "name",
            Self::Identifier { field, .. } => field,
        }
    }

    /// The longest name, in characters.
    pub fn max_length(self) -> usize {
        match self {
            Self::Display => 255,
            Self::Identifier { max, .. } => max,
        }
    }
}

impl NodeName {
    /// A free-text name ([`NameRule::Display`]).
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        Self::parse_as(NameRule::Display, raw)
    }

    /// A name under `rule`; refusals name the rule's field.
    pub fn parse_as(rule: NameRule, raw: &str) -> Result<Self, DomainError> {
        let field = rule.field();
        let name = text::identifier(field, raw)?;
        let length = name.chars().count();
        match rule {
            NameRule::Display => {
                if name.is_empty() || length > 255 {
                    return Err(DomainError::invalid(field, "must be 1 to 255 characters after trimming"));
                }
                if name.chars().any(char::is_control) {
                    return Err(DomainError::invalid(field, "must not contain control characters"));
                }
            }
            NameRule::Identifier { max, .. } => {
                let valid = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@');
                if length == 0 || length > max || !name.chars().all(valid) {
                    return Err(DomainError::invalid(
                        field,
                        format!("must be 1 to {max} characters of letters, digits, '.', '_', '-' or '@'"),
                    ));
                }
            }
        }
        Ok(Self { keyed: Keyed::new(&name) })
    }

    /// A name read back from a store, as it was stored: never refused, so a name stored before
    /// a rule existed (an invisible character) still reads, and can be renamed or deleted. Its
    /// key is the one it was stored with (the lowercase of the stored text).
    pub fn from_stored(stored: &str) -> Self {
        Self { keyed: Keyed::new(stored) }
    }

    pub fn as_str(&self) -> &str {
        self.keyed.text()
    }

    /// The case-insensitive form used for uniqueness (siblings', users' in their instance) and
    /// for sorting by name.
    pub fn key(&self) -> &str {
        self.keyed.key()
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
    keyed: Keyed,
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
        Ok(Self { keyed: Keyed::new(id) })
    }

    pub fn as_str(&self) -> &str {
        self.keyed.text()
    }

    /// The case-insensitive form used for uniqueness and sorting.
    pub fn key(&self) -> &str {
        self.keyed.key()
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
    fn identifier_names_take_letters_digits_and_four_marks_and_name_their_field() {
        let group_id = NameRule::Identifier { field: "groupId", max: 30 };
        let name = NodeName::parse_as(group_id, " Sales.EU_1-a@b ").unwrap();
        assert_eq!((name.as_str(), name.key()), ("Sales.EU_1-a@b", "sales.eu_1-a@b"));
        assert_eq!(NodeName::parse_as(group_id, "Zürich").unwrap().key(), "zürich");
        assert!(NodeName::parse_as(group_id, &"a".repeat(30)).is_ok());
        for raw in ["", "a b", "a/b", "a\u{200b}", &"a".repeat(31)] {
            assert_eq!(NodeName::parse_as(group_id, raw).unwrap_err().field(), Some("groupId"), "{raw:?}");
        }
        let user_id = NameRule::Identifier { field: "userId", max: 80 };
        assert!(NodeName::parse_as(user_id, "name@domain.example").is_ok());
        assert!(NodeName::parse_as(user_id, &"u".repeat(81)).is_err());
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
