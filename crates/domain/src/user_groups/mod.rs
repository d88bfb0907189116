//! User groups (the sipXconfig face): a tenant's named groups of users, each with an optional
//! branch (kept as the client sent it) and the values it gives to permissions
//! ([`permissions`]). Their lists are paged and sorted as sipXconfig clients ask ([`list`]).
//!
//! Names follow sipXconfig's rules where Canopy's text rules allow them: the identifier rule of
//! every unique name (trimmed, NFC, no invisible characters), no whitespace at all (sipXconfig
//! splits group lists on whitespace), at most 255 characters, unique per tenant
//! case-insensitively ([`UserGroupName::key`]).

pub mod branch;
pub mod list;
pub mod permissions;

use crate::change::Version;
use crate::error::DomainError;
use crate::node::NodeId;
use crate::text;
use branch::Branch;
use std::collections::BTreeMap;
use std::fmt;

/// The longest name or description, in characters (sipXconfig's columns).
pub const MAX_TEXT: usize = 255;

/// A user group's id: a number from the store, as sipXconfig's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserGroupId(pub i64);

impl UserGroupId {
    /// An id as a path names it: a decimal integer from 1 (sipXconfig answers anything else
    /// `ERROR_ID_INVALID`).
    pub fn parse(raw: &str) -> Option<Self> {
        if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        raw.parse::<i64>().ok().filter(|id| *id >= 1).map(Self)
    }
}

impl fmt::Display for UserGroupId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A user group's name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UserGroupName(String);

impl UserGroupName {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let name = text::identifier("name", raw)?;
        if name.is_empty() {
            return Err(DomainError::invalid("name", "cannot be empty"));
        }
        if name.chars().any(char::is_whitespace) {
            return Err(DomainError::invalid("name", "cannot contain whitespace"));
        }
        if name.chars().any(char::is_control) {
            return Err(DomainError::invalid("name", "cannot contain control characters"));
        }
        if name.chars().count() > MAX_TEXT {
            return Err(DomainError::invalid("name", format!("is longer than {MAX_TEXT} characters")));
        }
        Ok(Self(name))
    }

    /// A name as stored: never refused (its rules may tighten after it was written).
    pub fn from_stored(stored: String) -> Self {
        Self(stored)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What uniqueness compares and the name sort orders by: the lowercase form.
    pub fn key(&self) -> String {
        text::key(&self.0)
    }
}

/// Free text of at most [`MAX_TEXT`] characters without control characters (a description, a
/// branch's street): `None` when blank.
pub fn optional_text(field: &'static str, raw: Option<&str>) -> Result<Option<String>, DomainError> {
    let Some(trimmed) = raw.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
    if trimmed.chars().any(char::is_control) {
        return Err(DomainError::invalid(field, "cannot contain control characters"));
    }
    if trimmed.chars().count() > MAX_TEXT {
        return Err(DomainError::invalid(field, format!("is longer than {MAX_TEXT} characters")));
    }
    Ok(Some(trimmed.to_owned()))
}

/// What a creation or an update sets: the whole group but its permissions (sipXconfig's update
/// "uses the same XML as for creation": what is left out is cleared).
#[derive(Debug, Clone, PartialEq)]
pub struct UserGroupFields {
    pub name: UserGroupName,
    pub description: Option<String>,
    pub branch: Option<Branch>,
}

impl UserGroupFields {
    /// The description's sort key: its lowercase form, `""` when there is none.
    pub fn description_key(&self) -> String {
        self.description.as_deref().map(text::key).unwrap_or_default()
    }
}

/// A user group as stored: its fields, the permissions it sets (name → enabled; a permission
/// it does not name has its default value) and its version.
#[derive(Debug, Clone, PartialEq)]
pub struct UserGroup {
    pub id: UserGroupId,
    pub tenant: NodeId,
    pub fields: UserGroupFields,
    pub permissions: BTreeMap<String, bool>,
    pub version: Version,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_a_decimal_integer_from_one() {
        assert_eq!(UserGroupId::parse("19"), Some(UserGroupId(19)));
        for raw in ["", "0", "-3", "+3", "3.0", "abc", " 3", "99999999999999999999", "٣"] {
            assert_eq!(UserGroupId::parse(raw), None, "{raw}");
        }
    }

    #[test]
    fn a_name_has_no_whitespace_and_compares_case_insensitively() {
        let name = UserGroupName::parse("  JusticeLeague ").unwrap();
        assert_eq!((name.as_str(), name.key().as_str()), ("JusticeLeague", "justiceleague"));
        for (raw, reason) in [
            ("", "name: cannot be empty"),
            ("Justice League", "name: cannot contain whitespace"),
            ("a\u{a0}b", "name: cannot contain whitespace"),
            ("a\u{200b}b", "name: must not contain invisible or direction-changing characters (U+200B)"),
        ] {
            assert_eq!(UserGroupName::parse(raw).unwrap_err().to_string(), reason, "{raw:?}");
        }
        assert!(UserGroupName::parse(&"x".repeat(256)).is_err());
        assert!(UserGroupName::parse(&"é".repeat(255)).is_ok());
    }

    #[test]
    fn free_text_is_trimmed_bounded_and_blank_means_none() {
        assert_eq!(optional_text("description", Some("  Heroes ")).unwrap().as_deref(), Some("Heroes"));
        assert_eq!(optional_text("description", Some("   ")).unwrap(), None);
        assert_eq!(optional_text("description", None).unwrap(), None);
        assert!(optional_text("description", Some("a\u{7}b")).is_err());
        assert!(optional_text("description", Some(&"d".repeat(256))).is_err());
    }
}
