//! The creation rules: which holder may hold which kind of node, as data.
//!
//! group > distributor > reseller > tenant > site group > user: levels may be skipped downward,
//! never upward (a user sits in a site group or directly in its tenant).
//! The table is served read-only at `/logic/rules`, so clients and server share one source.

use crate::error::DomainError;
use crate::node::NodeKind;
use serde::Serialize;

/// What may hold nodes: the instance itself (for groups) or a node of some kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Holder {
    Instance,
    #[serde(untagged)]
    Node(NodeKind),
}

impl Holder {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Instance => "instance",
            Self::Node(kind) => kind.as_str(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CreationRule {
    pub holder: Holder,
    pub may_hold: &'static [NodeKind],
}

pub const CREATION_RULES: &[CreationRule] = &[
    CreationRule { holder: Holder::Instance, may_hold: &[NodeKind::Group] },
    CreationRule {
        holder: Holder::Node(NodeKind::Group),
        may_hold: &[NodeKind::Distributor, NodeKind::Reseller, NodeKind::Tenant],
    },
    CreationRule { holder: Holder::Node(NodeKind::Distributor), may_hold: &[NodeKind::Reseller, NodeKind::Tenant] },
    CreationRule { holder: Holder::Node(NodeKind::Reseller), may_hold: &[NodeKind::Tenant] },
    CreationRule { holder: Holder::Node(NodeKind::Tenant), may_hold: &[NodeKind::SiteGroup, NodeKind::User] },
    CreationRule { holder: Holder::Node(NodeKind::SiteGroup), may_hold: &[NodeKind::User] },
    CreationRule { holder: Holder::Node(NodeKind::User), may_hold: &[] },
];

impl NodeKind {
    /// The kinds a node of this kind may hold (the creation rules).
    pub fn may_hold(self) -> &'static [NodeKind] {
        Holder::Node(self).may_hold()
    }

    /// The kinds that may lie anywhere below a node of this kind (the rules followed down): the
    /// counters a read of it shows.
    pub fn below(self) -> Vec<NodeKind> {
        let mut below: Vec<NodeKind> = self.may_hold().to_vec();
        let mut i = 0;
        while let Some(kind) = below.get(i).copied() {
            below.extend(kind.may_hold().iter().filter(|k| !below.contains(k)).collect::<Vec<_>>());
            i += 1;
        }
        below.sort();
        below
    }

    /// What may hold a node of this kind: the instance and/or nodes of some kinds.
    pub fn holders(self) -> impl Iterator<Item = Holder> {
        CREATION_RULES.iter().filter(move |rule| rule.may_hold.contains(&self)).map(|rule| rule.holder)
    }
}

impl Holder {
    /// The kinds this holder may hold (the creation rules).
    pub fn may_hold(self) -> &'static [NodeKind] {
        CREATION_RULES.iter().find(|rule| rule.holder == self).map_or(&[], |rule| rule.may_hold)
    }
}

pub fn ensure_can_hold(holder: Holder, child: NodeKind) -> Result<(), DomainError> {
    if holder.may_hold().contains(&child) {
        Ok(())
    } else {
        let parent = match holder {
            Holder::Node(kind) => kind.noun(),
            Holder::Instance => holder.as_str(),
        };
        Err(DomainError::ForbiddenChild { parent, child: child.noun() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use NodeKind::*;

    #[test]
    fn levels_may_be_skipped_downward() {
        for (holder, child) in [
            (Holder::Instance, Group),
            (Holder::Node(Group), Distributor),
            (Holder::Node(Group), Reseller),
            (Holder::Node(Group), Tenant),
            (Holder::Node(Distributor), Reseller),
            (Holder::Node(Distributor), Tenant),
            (Holder::Node(Reseller), Tenant),
            (Holder::Node(Tenant), SiteGroup),
            (Holder::Node(Tenant), User),
            (Holder::Node(SiteGroup), User),
        ] {
            assert_eq!(ensure_can_hold(holder, child), Ok(()), "{holder:?} > {child:?}");
        }
    }

    #[test]
    fn no_kind_holds_its_own_kind_or_one_above_it() {
        for holder in NodeKind::ALL {
            for child in NodeKind::ALL.into_iter().filter(|child| *child <= holder) {
                assert!(ensure_can_hold(Holder::Node(holder), child).is_err(), "{holder:?} > {child:?}");
            }
        }
        for child in [Distributor, Reseller, Tenant, SiteGroup, User] {
            assert!(ensure_can_hold(Holder::Instance, child).is_err());
        }
        for child in [SiteGroup, User] {
            for holder in [Group, Distributor, Reseller] {
                assert!(ensure_can_hold(Holder::Node(holder), child).is_err(), "only tenants hold {child:?}");
            }
        }
    }

    #[test]
    fn kinds_know_what_they_hold_and_what_holds_them_from_the_rules() {
        assert_eq!(Group.may_hold(), &[Distributor, Reseller, Tenant]);
        assert_eq!(Tenant.may_hold(), &[SiteGroup, User]);
        assert!(User.may_hold().is_empty());
        assert_eq!(User.holders().collect::<Vec<_>>(), [Holder::Node(Tenant), Holder::Node(SiteGroup)]);
        assert_eq!(Group.below(), [Distributor, Reseller, Tenant, SiteGroup, User]);
        assert_eq!(Reseller.below(), [Tenant, SiteGroup, User]);
        assert_eq!(SiteGroup.below(), [User]);
        assert!(User.below().is_empty());
        assert_eq!(Group.holders().collect::<Vec<_>>(), [Holder::Instance]);
        let tenant_holders: Vec<Holder> = Tenant.holders().collect();
        assert_eq!(tenant_holders, [Holder::Node(Group), Holder::Node(Distributor), Holder::Node(Reseller)]);
    }

    #[test]
    fn every_holder_has_exactly_one_rule() {
        let holders: Vec<_> = CREATION_RULES.iter().map(|rule| rule.holder).collect();
        assert_eq!(holders.len(), NodeKind::ALL.len() + 1);
        assert!(holders.contains(&Holder::Instance));
        for kind in NodeKind::ALL {
            assert_eq!(holders.iter().filter(|h| **h == Holder::Node(kind)).count(), 1);
        }
    }
}
