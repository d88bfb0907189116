//! The kinds of node, in hierarchy order, and what each kind is: its names on the wire, what its
//! name is ([`NameRule`]), whether it has administrators. The creation rules (which kind holds
//! which) are in `rules.rs`, the attributes of each kind in `attributes/`.

use crate::name::NameRule;
use serde::Serialize;
use std::fmt;

/// The kinds of node, in hierarchy order: a kind may only hold kinds that come after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    Group,
    Distributor,
    Reseller,
    Tenant,
    /// A tenant's site (APIO and BroadWorks "group", portal "department").
    SiteGroup,
    /// A person with a telephony service, under a tenant or a site group.
    User,
}

impl NodeKind {
    pub const ALL: [NodeKind; 6] =
        [Self::Group, Self::Distributor, Self::Reseller, Self::Tenant, Self::SiteGroup, Self::User];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Group => "group",
            Self::Distributor => "distributor",
            Self::Reseller => "reseller",
            Self::Tenant => "tenant",
            Self::SiteGroup => "site_group",
            Self::User => "user",
        }
    }

    /// The plural used in paths and as the list field of responses.
    pub fn plural(self) -> &'static str {
        match self {
            Self::Group => "groups",
            Self::Distributor => "distributors",
            Self::Reseller => "resellers",
            Self::Tenant => "tenants",
            Self::SiteGroup => "site_groups",
            Self::User => "users",
        }
    }

    /// The kind's name for people: a title (`Group`), as documents and messages head it.
    pub fn title(self) -> &'static str {
        match self {
            Self::Group => "Group",
            Self::Distributor => "Distributor",
            Self::Reseller => "Reseller",
            Self::Tenant => "Tenant",
            Self::SiteGroup => "SiteGroup",
            Self::User => "User",
        }
    }

    /// The kind's name in a sentence: `site group` where [`as_str`](Self::as_str) is `site_group`.
    pub fn noun(self) -> &'static str {
        match self {
            Self::SiteGroup => "site group",
            other => other.as_str(),
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == raw)
    }

    /// What a node of this kind is named by: free text, or the identifier faces put in paths
    /// (a site group's `groupId`, unique among its tenant's site groups; a user's `userId`,
    /// unique in the instance).
    pub fn name_rule(self) -> NameRule {
        match self {
            Self::Group | Self::Distributor | Self::Reseller | Self::Tenant => NameRule::Display,
            Self::SiteGroup => NameRule::Identifier { field: "groupId", max: 30 },
            Self::User => NameRule::Identifier { field: "userId", max: 80 },
        }
    }

    /// Whether its name is unique among its siblings (any kind but users); a user's is unique in
    /// its instance instead, as BroadWorks user ids are system-wide.
    pub fn has_sibling_name(self) -> bool {
        self != Self::User
    }

    /// Whether nodes of this kind have administrators (every kind but users, whose own account
    /// is an end user's).
    pub fn has_admins(self) -> bool {
        self != Self::User
    }
}

impl fmt::Display for NodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
