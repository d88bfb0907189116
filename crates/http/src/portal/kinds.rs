//! Canopy's levels as the portal's group kinds (`/logic/constants` `GroupsKind`, faces.md §4):
//! the instance is the root (0), then group 10 (Distributor), distributor 20 (SubDistributor),
//! reseller 30 (MSP), tenant 40 (EndUserCompany), site group 50 (CompanyDepartment), user -1
//! (ServiceUser). The portal's 21 (Provider) and 31 (Reseller) have no Canopy level.

use canopy_domain::{Holder, Node, NodeKind};

/// The root's kind: the instance itself.
pub(crate) const ROOT: i64 = 0;

/// The portal's kind of a Canopy level.
pub(crate) fn code(kind: NodeKind) -> i64 {
    match kind {
        NodeKind::Group => 10,
        NodeKind::Distributor => 20,
        NodeKind::Reseller => 30,
        NodeKind::Tenant => 40,
        NodeKind::SiteGroup => 50,
        NodeKind::User => -1,
    }
}

/// The portal's kind of a holder: the root for the instance.
pub(crate) fn holder_code(holder: Holder) -> i64 {
    match holder {
        Holder::Instance => ROOT,
        Holder::Node(kind) => code(kind),
    }
}

/// The Canopy level of a portal kind, if it has one (the root is no node).
pub(crate) fn level(code_sent: i64) -> Option<NodeKind> {
    NodeKind::ALL.into_iter().find(|kind| code(*kind) == code_sent)
}

/// A node's `grade`: its depth, the root's being 0 (a group's 1, a tenant under a reseller
/// directly under its group 3).
pub(crate) fn grade(node: &Node) -> usize {
    node.lineage.ancestors().len() + 1
}

/// The kinds of group a holder may hold through `…/children`: its creation rules without users,
/// which the portal creates through `…/users`.
pub(crate) fn child_groups(holder: Holder) -> Vec<NodeKind> {
    holder.may_hold().iter().copied().filter(|kind| *kind != NodeKind::User).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_level_has_its_own_portal_kind_and_back() {
        let codes: Vec<i64> = NodeKind::ALL.into_iter().map(code).collect();
        assert_eq!(codes, [10, 20, 30, 40, 50, -1]);
        for kind in NodeKind::ALL {
            assert_eq!(level(code(kind)), Some(kind));
        }
        for none in [ROOT, 21, 31, 7] {
            assert_eq!(level(none), None);
        }
        assert_eq!(child_groups(Holder::Node(NodeKind::Tenant)), [NodeKind::SiteGroup]);
        assert_eq!(child_groups(Holder::Instance), [NodeKind::Group]);
    }
}
