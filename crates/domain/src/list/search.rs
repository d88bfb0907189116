//! A search by name across every level of a subtree at once (the portal's `GET /groups?prefix`):
//! the nodes that are groups on every face (users are not), whose name starts with a prefix, or
//! is it (`strict`), case-insensitively; at most `limit` of them, in name order. The same search
//! finds the administrators of the subtree by their e-mail ([`NodeSearch::admits_admin`]).

use crate::access::Profile;
use crate::account::Admin;
use crate::error::DomainError;
use crate::instance::InstanceSlug;
use crate::node::{Node, NodeId, NodeKind};
use crate::text;

/// The most a search answers, and what it answers when the client says nothing.
pub const SEARCH_LIMIT_MAX: u32 = 100;
pub const SEARCH_LIMIT_DEFAULT: u32 = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeSearch {
    pub instance: InstanceSlug,
    /// The caller's subtree (its own node); `None`: the whole instance.
    pub within: Option<NodeId>,
    /// The prefix's key: trimmed, NFC, lowercase, as names' keys are.
    pub prefix: String,
    /// Only names equal to the prefix (case-insensitively).
    pub strict: bool,
    pub limit: u32,
}

impl NodeSearch {
    /// The search of `prefix` (empty: every name), at most `limit` (1 to [`SEARCH_LIMIT_MAX`]).
    pub fn parse(
        instance: InstanceSlug,
        within: Option<NodeId>,
        prefix: &str,
        strict: bool,
        limit: Option<u64>,
    ) -> Result<Self, DomainError> {
        let limit = match limit {
            None => SEARCH_LIMIT_DEFAULT,
            Some(limit) if (1..=u64::from(SEARCH_LIMIT_MAX)).contains(&limit) => limit as u32,
            Some(_) => return Err(DomainError::invalid("limit", format!("must be 1 to {SEARCH_LIMIT_MAX}"))),
        };
        let prefix = text::key(&text::identifier("prefix", prefix)?);
        if prefix.chars().count() > 255 {
            return Err(DomainError::invalid("prefix", "must be at most 255 characters"));
        }
        Ok(Self { instance, within, prefix, strict, limit })
    }

    /// The kinds searched: every level but users.
    pub fn kinds() -> impl Iterator<Item = NodeKind> {
        NodeKind::ALL.into_iter().filter(|kind| *kind != NodeKind::User)
    }

    /// Whether `node` is one this search finds (the adapters' filter, before the limit).
    pub fn admits(&self, node: &Node) -> bool {
        let key = node.name.key();
        node.instance == self.instance
            && node.kind != NodeKind::User
            && self.within.is_none_or(|w| node.id == w || node.lineage.contains(w))
            && self.matches(key)
    }

    /// Whether `admin` (homed at `home`, as read) is an administrator this search finds: by its
    /// e-mail (its login), homed in the subtree (the whole instance's system administrators
    /// only when the search is the instance's). End users' accounts are no administrators.
    pub fn admits_admin(&self, admin: &Admin, home: Option<&Node>) -> bool {
        let in_subtree = match (self.within, home) {
            (None, _) => true,
            (Some(w), Some(home)) => home.id == w || home.lineage.contains(w),
            (Some(_), None) => false,
        };
        admin.instance == self.instance
            && admin.profile != Profile::EndUser
            && in_subtree
            && self.matches(admin.email.key())
    }

    fn matches(&self, key: &str) -> bool {
        if self.strict { key == self.prefix } else { key.starts_with(&self.prefix) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::name::NodeName;

    fn node(kind: NodeKind, id: u128, name: &str, parent: Option<&Node>) -> Node {
        Node { name: NodeName::parse(name).unwrap(), ..crate::node::tests::node(kind, id, parent) }
    }

    #[test]
    fn a_search_finds_names_by_prefix_or_exactly_in_the_subtree_and_never_users() {
        let instance = InstanceSlug::parse("default").unwrap();
        let search =
            |prefix: &str, strict, within| NodeSearch::parse(instance.clone(), within, prefix, strict, None).unwrap();
        let group = node(NodeKind::Group, 1, "Acme Group", None);
        let tenant = node(NodeKind::Tenant, 2, "Acme Tenant", Some(&group));
        let user = node(NodeKind::User, 3, "acme", Some(&tenant));
        assert!(search(" ACME ", false, None).admits(&group));
        assert!(search("acme group", true, None).admits(&group));
        assert!(!search("acme", true, None).admits(&group), "strict: the whole name");
        assert!(!search("group", false, None).admits(&group), "a prefix, not a substring");
        assert!(search("", false, Some(group.id)).admits(&tenant));
        assert!(!search("", false, Some(tenant.id)).admits(&group), "above the subtree");
        assert!(search("acme t", false, Some(tenant.id)).admits(&tenant));
        assert!(!search("acme", false, None).admits(&user), "users are not groups");
        assert_eq!(search("", false, None).limit, SEARCH_LIMIT_DEFAULT);
        let admin = |profile, home: Option<&Node>| Admin {
            id: crate::account::AdminId(1),
            instance: instance.clone(),
            profile,
            home: home.map(|n| n.id),
            email: crate::email::Email::parse("Ann@Example.com").unwrap(),
            details: crate::account::AdminDetails::default(),
            active: true,
            must_change_password: false,
            version: crate::change::Version::FIRST,
            read_only: false,
        };
        let tenant_admin = admin(Profile::TenantAdmin, Some(&tenant));
        assert!(search("ann@", false, Some(group.id)).admits_admin(&tenant_admin, Some(&tenant)));
        assert!(search("ann@example.com", true, None).admits_admin(&tenant_admin, Some(&tenant)));
        assert!(!search("ann", true, None).admits_admin(&tenant_admin, Some(&tenant)), "strict: the whole e-mail");
        assert!(
            !search("ann", false, Some(tenant.id))
                .admits_admin(&admin(Profile::GroupAdmin, Some(&group)), Some(&group))
        );
        assert!(!search("ann", false, Some(group.id)).admits_admin(&admin(Profile::SystemAdmin, None), None));
        assert!(search("ann", false, None).admits_admin(&admin(Profile::SystemAdmin, None), None));
        assert!(
            !search("ann", false, None).admits_admin(&admin(Profile::EndUser, Some(&user)), Some(&user)),
            "end users"
        );
        for limit in [0, 101] {
            assert!(NodeSearch::parse(instance.clone(), None, "", false, Some(limit)).is_err());
        }
    }
}
