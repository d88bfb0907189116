//! How the portal names a group (or an administrator, a user): its integer id or its uuid, either
//! way on every path (the seed: "ID or UUID"; the real `/children` refuses uuids: not here).

use canopy_domain::{NodeRef, Serial};
use serde::{Deserialize, Deserializer, de};
use uuid::Uuid;

/// A `{group}` of a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Named(pub(crate) NodeRef);

impl<'de> Deserialize<'de> for Named {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        parse(&raw).map(Self).ok_or_else(|| de::Error::custom("an integer id or a uuid"))
    }
}

fn parse(raw: &str) -> Option<NodeRef> {
    // Digits only: `+1` or ` 1` are no ids.
    if !raw.is_empty() && raw.len() <= 18 && raw.bytes().all(|b| b.is_ascii_digit()) {
        return raw.parse().ok().map(|id| NodeRef::Serial(Serial(id)));
    }
    Uuid::parse_str(raw).ok().filter(|_| raw.len() == 36).map(NodeRef::from)
}

/// The path of the routes on one group.
#[derive(Debug, Deserialize)]
pub(crate) struct GroupPath {
    pub(crate) group: Named,
}

/// The path of the routes on one administrator: its integer id (Canopy's administrators have
/// no uuid).
#[derive(Debug, Deserialize)]
pub(crate) struct AdminPath {
    pub(crate) admin: i64,
}

/// The path of the routes on one user.
#[derive(Debug, Deserialize)]
pub(crate) struct UserPath {
    pub(crate) user: Named,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_is_named_by_its_integer_id_or_its_hyphenated_uuid_and_nothing_else() {
        let uuid = "2d279ee8-524b-4400-bc2d-b5d88616879d";
        assert_eq!(parse("42"), Some(NodeRef::Serial(Serial(42))));
        assert_eq!(parse(uuid), Some(NodeRef::from(Uuid::parse_str(uuid).unwrap())));
        for bad in ["", "-1", "+1", " 1", "1.0", "0x10", "9999999999999999999", "2d279ee8524b4400bc2db5d88616879d", "x"]
        {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }
}
