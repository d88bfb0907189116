//! A change as the audit log and optimistic concurrency see it: who asks for it, through which
//! request, where in the hierarchy, and which version of the resource the client last saw.
//!
//! Every write port method takes a [`Change`]: the store records it in the transaction of the
//! change itself (the audit log), and compares [`Change::expected`] with the stored version
//! before it changes anything (a stale client gets [`VersionMismatch`], nothing changes).

use crate::account::{AdminId, Timestamp};
use crate::configuration::{MASK, is_secret};
use crate::instance::InstanceSlug;
use crate::node::NodeId;
use crate::tree_lock::Home;
use serde_json::Value;

/// The version of a mutable resource: 1 when created, one more with every change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version(pub u64);

impl Version {
    pub const FIRST: Self = Self(1);

    pub fn next(self) -> Self {
        Self(self.0.saturating_add(1))
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The client changed a resource on the strength of a version that is no longer the stored one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("version mismatch: the client sent version {expected}, the stored version is {current}")]
pub struct VersionMismatch {
    pub expected: Version,
    pub current: Version,
}

/// Whether a change made on the strength of `expected` may go ahead on `current`: always when
/// the client named no version (the spec makes the precondition optional), else only when equal.
pub fn check_version(expected: Option<Version>, current: Version) -> Result<(), VersionMismatch> {
    match expected {
        Some(expected) if expected != current => Err(VersionMismatch { expected, current }),
        _ => Ok(()),
    }
}

/// Why the version a client sent cannot be read: answered `400 invalid_precondition`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadPrecondition(pub &'static str);

/// A version as a client writes it (`?version=3`, the inside of an entity tag): digits only,
/// 1 or more, within `u64`.
pub fn parse_version(text: &str) -> Option<Version> {
    let digits = text.trim();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<u64>().ok().filter(|v| *v > 0).map(Version)
}

/// An `If-Match` header: one entity tag, strong (`"3"`) or weak (`W/"3"`, read as its version:
/// versions are exact), or `*`, which asserts nothing (`None`).
pub fn parse_if_match(value: &str) -> Result<Option<Version>, BadPrecondition> {
    let text = value.trim();
    if text == "*" {
        return Ok(None);
    }
    let tag = text.strip_prefix("W/").unwrap_or(text);
    let inner = tag.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(tag);
    parse_version(inner).map(Some).ok_or(BadPrecondition("If-Match must name one version, such as \"3\""))
}

/// The precondition of a request that names a version in two places: both must agree.
pub fn agree(first: Option<Version>, second: Option<Version>) -> Result<Option<Version>, BadPrecondition> {
    match (first, second) {
        (Some(a), Some(b)) if a != b => {
            Err(BadPrecondition("If-Match, ?version= and the body name different versions"))
        }
        (first, second) => Ok(first.or(second)),
    }
}

/// The administrator who asks for a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub admin: AdminId,
    pub email: String,
}

/// One change asked for by a client, with everything the audit log records about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub instance: InstanceSlug,
    pub actor: Actor,
    pub at: Timestamp,
    /// The request's `x-request-id`.
    pub request_id: String,
    pub method: String,
    /// The request path with its query string.
    pub path: String,
    /// What is done, `<resource>.<verb>`: `group.update`, `configuration.write`, ...
    pub action: String,
    /// The node whose subtree the change belongs to; `None` for the instance itself (system
    /// administrators). The store records the node's lineage with it.
    pub node: Option<NodeId>,
    /// The request's JSON body with every secret masked ([`mask_secrets`]).
    pub body: Option<Value>,
    /// The version the client last saw (`If-Match` or `?version=`); `None` changes whatever
    /// version is stored.
    pub expected: Option<Version>,
    /// The home of the administrator whose change of the tree this is: the store refuses it when
    /// a lock on that home's lineage binds it ([`crate::tree_lock`]). `None` for a system
    /// administrator, and for an account's own credentials (its activation, reset or password
    /// change), which no lock stops.
    pub home: Option<Home>,
}

/// Replaces, at any depth, the value of every key that names a secret (the configuration's
/// rule: `password` or `token` in any case; and `code`, an authorization code's digits, which
/// unlock toll calls) by the mask, so a recorded body never holds one.
pub fn mask_secrets(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if is_secret(key) || key == "code" {
                    *value = Value::String(MASK.to_owned());
                } else {
                    mask_secrets(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_secrets),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn authorization_codes_are_masked_one_or_in_a_list() {
        let mut one = json!({"code": "4711", "description": "toll"});
        mask_secrets(&mut one);
        assert_eq!(one, json!({"code": MASK, "description": "toll"}));
        let mut list = json!({"authCodes": [{"code": "4711"}, {"code": "0815", "description": "x"}]});
        mask_secrets(&mut list);
        assert_eq!(list, json!({"authCodes": [{"code": MASK}, {"code": MASK, "description": "x"}]}));
    }

    #[test]
    fn no_expected_version_always_passes() {
        assert_eq!(check_version(None, Version(7)), Ok(()));
    }

    #[test]
    fn the_expected_version_must_be_the_stored_one() {
        assert_eq!(check_version(Some(Version(7)), Version(7)), Ok(()));
        assert_eq!(
            check_version(Some(Version(6)), Version(7)),
            Err(VersionMismatch { expected: Version(6), current: Version(7) })
        );
        assert!(check_version(Some(Version(8)), Version(7)).is_err());
    }

    #[test]
    fn a_precondition_is_one_positive_version() {
        assert_eq!(parse_version(" 12 "), Some(Version(12)));
        for bad in ["", "0", "-1", "+1", "1.0", "three", "99999999999999999999999"] {
            assert_eq!(parse_version(bad), None, "{bad:?}");
        }
        assert_eq!(parse_if_match("\"3\""), Ok(Some(Version(3))));
        assert_eq!(parse_if_match("W/\"4\""), Ok(Some(Version(4))));
        assert_eq!(parse_if_match(" * "), Ok(None));
        assert!(parse_if_match("\"1\", \"2\"").is_err());
        assert!(parse_if_match("W/\"x\"").is_err());
    }

    #[test]
    fn two_preconditions_must_agree() {
        assert_eq!(agree(None, Some(Version(2))), Ok(Some(Version(2))));
        assert_eq!(agree(Some(Version(2)), Some(Version(2))), Ok(Some(Version(2))));
        assert_eq!(agree(None, None), Ok(None));
        assert!(agree(Some(Version(2)), Some(Version(3))).is_err());
    }

    #[test]
    fn versions_count_up_from_one() {
        assert_eq!(Version::FIRST.next(), Version(2));
        assert_eq!(Version(u64::MAX).next(), Version(u64::MAX));
    }

    #[test]
    fn secrets_are_masked_at_any_depth() {
        let mut body = json!({
            "name": "acme",
            "password": "hunter2",
            "properties": {"draas_sip_password": "s3cret", "Api_TOKEN": 42, "timeout": 5},
            "list": [{"newPassword": ["a"]}, "plain"],
        });
        mask_secrets(&mut body);
        assert_eq!(
            body,
            json!({
                "name": "acme",
                "password": MASK,
                "properties": {"draas_sip_password": MASK, "Api_TOKEN": MASK, "timeout": 5},
                "list": [{"newPassword": MASK}, "plain"],
            })
        );
    }
}
