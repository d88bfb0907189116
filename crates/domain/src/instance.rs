//! The `{draas_instance}` path segment: an isolated namespace, like a realm.

use crate::error::DomainError;
use std::fmt;
use std::sync::Arc;

/// An instance name: 1 to 63 lowercase ASCII letters, digits, `-` or `_`. Shared, not copied:
/// every node, index key and audit entry holds its instance, and a clone costs no allocation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InstanceSlug(Arc<str>);

impl InstanceSlug {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let valid_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_';
        if raw.is_empty() || raw.len() > 63 || !raw.chars().all(valid_char) {
            return Err(DomainError::invalid("draas_instance", "must be 1 to 63 characters of a-z, 0-9, '-' or '_'"));
        }
        Ok(Self(raw.into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for InstanceSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lowercase_slug_is_accepted() {
        assert_eq!(InstanceSlug::parse("prod-eu_1").unwrap().as_str(), "prod-eu_1");
    }

    #[test]
    fn uppercase_empty_long_or_punctuated_slugs_are_rejected() {
        for raw in ["", "Prod", "a b", "a/b", "ü", &"a".repeat(64)] {
            assert!(InstanceSlug::parse(raw).is_err(), "{raw:?} should be rejected");
        }
    }
}
