//! The administrators of one holder (a node, or the instance's system administrators) as a list
//! of the one stack: searched over the e-mail and the names, sorted by e-mail, continued by
//! `next` tokens like every other list.

use super::{Cursor, ListItem, ListScope};
use crate::account::Admin;
use crate::error::DomainError;
use crate::instance::InstanceSlug;
use crate::node::NodeId;
use serde::{Deserialize, Serialize};

/// Which administrators: those homed at `home` (`None`: the instance's system administrators).
/// The caller's reach to `home` is decided before the list is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminScope {
    pub instance: InstanceSlug,
    pub home: Option<NodeId>,
}

impl AdminScope {
    /// Whether `admin` belongs to the list and, with a search key ([`crate::text::search_key`]),
    /// holds it in its e-mail or one of its names (lowercased).
    pub fn admits(&self, admin: &Admin, search: Option<&str>) -> bool {
        admin.instance == self.instance && admin.home == self.home && search.is_none_or(|needle| matches(admin, needle))
    }
}

fn matches(admin: &Admin, needle: &str) -> bool {
    let details = &admin.details;
    admin.email.key().contains(needle)
        || [&details.first_name, &details.last_name]
            .into_iter()
            .flatten()
            .any(|name| name.to_lowercase().contains(needle))
}

impl ListScope for AdminScope {
    type Sort = AdminSort;
    type Id = i64;

    /// Distinct from every other list's fingerprint, and bound to the holder.
    fn fingerprint(&self) -> String {
        let home = self.home.map(|id| id.to_string()).unwrap_or_default();
        format!("{}/admins@{home}", self.instance)
    }

    fn parse_sort(&self, raw: &str) -> Result<AdminSort, DomainError> {
        match raw {
            "email" => Ok(AdminSort::Email),
            _ => Err(DomainError::invalid("sort", "must be one of: email")),
        }
    }

    fn default_sort(&self) -> AdminSort {
        AdminSort::Email
    }
}

/// The administrators' one order: by e-mail (its key, compared byte by byte), then id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AdminSort {
    #[serde(rename = "email")]
    Email,
}

impl ListItem<AdminScope> for Admin {
    fn cursor(&self, _sort: AdminSort) -> Cursor<i64> {
        Cursor { key: self.email.key().to_owned(), id: self.id.0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Profile;
    use crate::account::{AdminDetails, AdminId};
    use crate::change::Version;
    use crate::email::Email;
    use crate::list::{ListParams, PageRequest, Position, TokenKey};
    use uuid::Uuid;

    fn admin(id: i64, email: &str, first_name: Option<&str>, home: Option<u128>) -> Admin {
        Admin {
            id: AdminId(id),
            instance: InstanceSlug::parse("default").unwrap(),
            profile: Profile::TenantAdmin,
            home: home.map(|n| NodeId(Uuid::from_u128(n))),
            email: Email::parse(email).unwrap(),
            details: AdminDetails { first_name: first_name.map(str::to_owned), ..AdminDetails::default() },
            active: true,
            must_change_password: false,
            version: Version::FIRST,
            read_only: false,
        }
    }

    fn scope(home: Option<u128>) -> AdminScope {
        AdminScope { instance: InstanceSlug::parse("default").unwrap(), home: home.map(|n| NodeId(Uuid::from_u128(n))) }
    }

    #[test]
    fn a_list_holds_its_holders_administrators_only() {
        let ana = admin(1, "ana@example.com", None, Some(7));
        assert!(scope(Some(7)).admits(&ana, None));
        assert!(!scope(Some(8)).admits(&ana, None), "another node's");
        assert!(!scope(None).admits(&ana, None), "a node's administrator is no system administrator");
    }

    #[test]
    fn the_search_finds_the_email_or_a_name_in_any_case() {
        let ana = admin(1, "ana@example.com", Some("Ánä"), Some(7));
        let list = scope(Some(7));
        assert!(list.admits(&ana, Some("example")));
        assert!(list.admits(&ana, Some("ánä")), "a first name, lowercased");
        assert!(!list.admits(&ana, Some("bob")));
    }

    #[test]
    fn a_token_of_one_holders_list_does_not_continue_anothers() {
        let key = TokenKey::new(vec![9; 32]);
        let first = PageRequest::resolve(scope(Some(7)), ListParams::default(), &key).unwrap();
        let cursor = admin(3, "c@example.com", None, Some(7)).cursor(AdminSort::Email);
        assert_eq!(cursor, Cursor { key: "c@example.com".into(), id: 3 });
        let token = first.next_token(20, Some(cursor.clone()), true, &key).unwrap();
        let next = ListParams { next: Some(token.clone()), ..ListParams::default() };
        let resumed = PageRequest::resolve(scope(Some(7)), next.clone(), &key).unwrap();
        assert_eq!((resumed.position, resumed.page, resumed.known_total), (Position::After(cursor), 2, Some(20)));
        assert!(PageRequest::resolve(scope(Some(8)), next, &key).is_err());
        assert!(scope(None).parse_sort("name").is_err());
    }
}
