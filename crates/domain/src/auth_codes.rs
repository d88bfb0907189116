//! A user's outgoing call barring authorization codes (BroadWorks "authorization codes", which
//! APIO serves): digits a caller dials to place a barred (toll) call. They are secrets: no
//! `Debug` or error message shows one; the audit log records them masked ([`crate::mask_secrets`]).
//!
//! Rules: a code is 2 to 14 digits (OCI allows 2–14 characters; digits because it is dialled),
//! unique per user, at most [`MAX_CODES`] per user; a description is 1 to 80 characters or absent.
//! A list is added whole or not at all.

use crate::error::DomainError;
use std::collections::BTreeSet;
use std::fmt;

/// The most codes one user holds.
pub const MAX_CODES: usize = 1000;

/// One code, checked.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AuthCode(String);

impl AuthCode {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        if !(2..=14).contains(&raw.len()) || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DomainError::invalid("code", "must be 2 to 14 digits"));
        }
        Ok(Self(raw.to_owned()))
    }

    /// A code read back from a store (checked on the way in).
    pub fn from_stored(stored: String) -> Self {
        Self(stored)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

// A code never reaches a log line through `Debug`.
impl fmt::Debug for AuthCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuthCode(********)")
    }
}

/// A code with its description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthCodeEntry {
    pub code: AuthCode,
    pub description: Option<String>,
}

impl AuthCodeEntry {
    /// From the client's values: the description, when sent, is 1 to 80 characters without
    /// control characters.
    pub fn parse(code: &str, description: Option<&str>) -> Result<Self, DomainError> {
        let description = match description {
            None => None,
            Some(text) => {
                let length = text.chars().count();
                if !(1..=80).contains(&length) || text.chars().any(char::is_control) {
                    return Err(DomainError::invalid(
                        "description",
                        "must be 1 to 80 characters without control characters",
                    ));
                }
                Some(text.to_owned())
            }
        };
        Ok(Self { code: AuthCode::parse(code)?, description })
    }
}

/// Codes to add together: each at most once in the list (a code named twice is refused, naming it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCodes(Vec<AuthCodeEntry>);

impl NewCodes {
    pub fn new(entries: Vec<AuthCodeEntry>) -> Result<Self, DomainError> {
        if entries.is_empty() {
            return Err(DomainError::invalid("authCodes", "must name at least one code"));
        }
        let mut seen = BTreeSet::new();
        let twice: BTreeSet<AuthCode> =
            entries.iter().filter(|e| !seen.insert(&e.code)).map(|e| e.code.clone()).collect();
        if !twice.is_empty() {
            return Err(DomainError::DuplicateCodes(twice.into_iter().collect()));
        }
        Ok(Self(entries))
    }

    pub fn entries(&self) -> &[AuthCodeEntry] {
        &self.0
    }

    /// Whether these codes may join a user's `stored` codes: none of them stored already (the
    /// refusal names those that are), and the user holds at most [`MAX_CODES`] afterwards.
    /// Called by the adapters under the user's lock.
    pub fn admit(&self, stored: &BTreeSet<AuthCode>) -> Result<(), DomainError> {
        let taken: Vec<AuthCode> = self.0.iter().filter(|e| stored.contains(&e.code)).map(|e| e.code.clone()).collect();
        if !taken.is_empty() {
            return Err(DomainError::DuplicateCodes(taken));
        }
        if stored.len() + self.0.len() > MAX_CODES {
            return Err(DomainError::invalid("authCodes", format!("a user holds at most {MAX_CODES} codes")));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(code: &str) -> AuthCodeEntry {
        AuthCodeEntry::parse(code, None).unwrap()
    }

    #[test]
    fn a_code_is_two_to_fourteen_digits() {
        for good in ["01", "12345678901234", "0000"] {
            assert!(AuthCode::parse(good).is_ok(), "{good}");
        }
        for bad in ["", "1", "123456789012345", "fooCode", "12a", " 12", "１２"] {
            assert_eq!(AuthCode::parse(bad).unwrap_err().field(), Some("code"), "{bad}");
        }
    }

    #[test]
    fn a_description_is_one_to_eighty_characters() {
        assert!(AuthCodeEntry::parse("01", Some("test_code_01")).is_ok());
        assert!(AuthCodeEntry::parse("01", Some("")).is_err());
        assert!(AuthCodeEntry::parse("01", Some(&"x".repeat(81))).is_err());
        assert!(AuthCodeEntry::parse("01", Some("a\nb")).is_err());
    }

    #[test]
    fn a_list_names_each_code_once_and_never_a_stored_one() {
        let twice = NewCodes::new(vec![entry("01"), entry("02"), entry("01")]).unwrap_err();
        assert_eq!(twice, DomainError::DuplicateCodes(vec![AuthCode::parse("01").unwrap()]));
        let new = NewCodes::new(vec![entry("03"), entry("04"), entry("05")]).unwrap();
        let stored: BTreeSet<AuthCode> = ["04", "05"].into_iter().map(|c| AuthCode::parse(c).unwrap()).collect();
        let taken = new.admit(&stored).unwrap_err();
        assert_eq!(taken, DomainError::DuplicateCodes(stored.iter().cloned().collect()));
        assert!(NewCodes::new(vec![]).is_err());
    }

    #[test]
    fn a_user_holds_at_most_a_thousand_codes() {
        let stored: BTreeSet<AuthCode> = (0..999).map(|n| AuthCode::parse(&format!("{n:04}")).unwrap()).collect();
        assert!(NewCodes::new(vec![entry("99999")]).unwrap().admit(&stored).is_ok());
        let two = NewCodes::new(vec![entry("99999"), entry("99998")]).unwrap();
        assert_eq!(two.admit(&stored).unwrap_err().field(), Some("authCodes"));
    }

    #[test]
    fn no_debug_output_shows_a_code() {
        let shown =
            format!("{:?} {:?}", entry("4711"), DomainError::DuplicateCodes(vec![AuthCode::parse("4711").unwrap()]));
        assert!(!shown.contains("4711"), "{shown}");
    }
}
