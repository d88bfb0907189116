//! The creation rules: which holder may hold which kind of node, as data.
//!
//! group > distributor > reseller > tenant: levels may be skipped downward, never upward.
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
    CreationRule { holder: Holder::Node(NodeKind::Tenant), may_hold: &[] },
];

pub fn ensure_can_hold(holder: Holder, child: NodeKind) -> Result<(), DomainError> {
    let allowed =
        CREATION_RULES.iter().find(|rule| rule.holder == holder).is_some_and(|rule| rule.may_hold.contains(&child));
    if allowed { Ok(()) } else { Err(DomainError::ForbiddenChild { parent: holder.as_str(), child: child.as_str() }) }
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
        for child in [Distributor, Reseller, Tenant] {
            assert!(ensure_can_hold(Holder::Instance, child).is_err());
        }
    }

    #[test]
    fn every_holder_has_exactly_one_rule() {
        let holders: Vec<_> = CREATION_RULES.iter().map(|rule| rule.holder).collect();
        assert_eq!(holders.len(), 5);
        assert!(holders.contains(&Holder::Instance));
        for kind in NodeKind::ALL {
            assert_eq!(holders.iter().filter(|h| **h == Holder::Node(kind)).count(), 1);
        }
    }
}
