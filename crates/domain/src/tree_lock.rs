//! Locks on a subtree (the portal's `POST|DELETE /groups/{group}/lock`; faces.md §3, "Lock").
//!
//! A lock on node N, taken by an administrator homed at H (H is N or one of its ancestors, or the
//! instance for a system administrator), refuses every write, on every face, by an administrator
//! homed inside N — N itself or below — unless it is homed at H. Administrators homed at H or
//! above write on, and only they may unlock.
//!
//! An administrator writes only in its own subtree, so the rule needs nothing of the write's
//! target: an administrator homed at h is inside N exactly when N lies on h's lineage (h or an
//! ancestor), and then h is at H or above only when h = H = N. So a write is refused when a lock
//! on h's lineage or on h itself is held by anyone but h ([`refuses`]). A system administrator
//! (homed at the instance) is above every holder and never refused.
//!
//! Nodes never move and each kind appears at most once on a lineage, so the holder is stored as
//! its level: the instance, or the kind of H on N's lineage.

use crate::access::Level;
use crate::node::{NodeId, NodeKind};

/// A node's lock: the level of the administrator who holds it (`None`: the instance).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreeLock {
    pub holder: Level,
}

/// The home of the administrator a write comes from, as locks see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Home {
    pub id: NodeId,
    pub kind: NodeKind,
}

/// What a client asks of a node's lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockRequest {
    Lock,
    Unlock,
}

/// An unlock asked by an administrator below the lock's holder: refused like a locked write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the lock is held above this administrator")]
pub struct HeldAbove;

impl TreeLock {
    /// The holder as stored: `instance`, or the kind of its node (`reseller`).
    pub fn as_str(self) -> &'static str {
        self.holder.map_or("instance", NodeKind::as_str)
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "instance" => Some(Self { holder: None }),
            kind => NodeKind::parse(kind).map(|kind| Self { holder: Some(kind) }),
        }
    }

    /// Whether this lock, on the home of a write's administrator or on one of its ancestors,
    /// refuses the write: unless the administrator is the holder itself.
    pub fn binds(self, home: NodeKind) -> bool {
        self.holder != Some(home)
    }
}

/// Whether a write by an administrator homed at a node of kind `home` is refused, given the
/// locks on that node and its ancestors (nodes without a lock contribute nothing).
pub fn refuses(home: NodeKind, locks: impl IntoIterator<Item = TreeLock>) -> bool {
    locks.into_iter().any(|lock| lock.binds(home))
}

/// A node's lock after `request` by an administrator of level `by` (a system administrator,
/// `None`, or one homed at the node or an ancestor; its reach was checked before).
///
/// * Locking an unlocked node gives it to `by`. Locking a locked one again keeps the higher of
///   the two holders: by the holder or anyone below it, nothing changes; by an administrator
///   above it, the lock moves up to it (the administrators between are locked out from then
///   on, as that administrator asked).
/// * Unlocking takes the lock away when `by` is the holder or above it; below it, [`HeldAbove`].
///   Unlocking an unlocked node changes nothing.
pub fn requested(current: Option<TreeLock>, request: LockRequest, by: Level) -> Result<Option<TreeLock>, HeldAbove> {
    // Levels order from the root down: the instance (`None`) first, then the kinds.
    match (request, current) {
        (LockRequest::Lock, None) => Ok(Some(TreeLock { holder: by })),
        (LockRequest::Lock, Some(held)) => Ok(Some(TreeLock { holder: held.holder.min(by) })),
        (LockRequest::Unlock, None) => Ok(None),
        (LockRequest::Unlock, Some(held)) if by <= held.holder => Ok(None),
        (LockRequest::Unlock, Some(_)) => Err(HeldAbove),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use NodeKind::*;

    fn by(holder: Level) -> TreeLock {
        TreeLock { holder }
    }

    #[test]
    fn a_lock_binds_everyone_inside_its_node_but_its_holder() {
        // A reseller administrator locks a tenant: the tenant's and its site groups' administrators
        // (and end users) are refused; the reseller's never reach the check (the lock is below).
        let reseller = by(Some(Reseller));
        for home in [Tenant, SiteGroup, User] {
            assert!(refuses(home, [reseller]), "{home:?}");
        }
        // A tenant administrator locks its own tenant: it writes on, those below it do not.
        let own = by(Some(Tenant));
        assert!(!refuses(Tenant, [own]));
        assert!(refuses(SiteGroup, [own]));
        // The system's lock on a group binds the group's own administrators too.
        assert!(refuses(Group, [by(None)]));
        assert!(!refuses(Tenant, []), "no lock, no refusal");
    }

    #[test]
    fn one_lock_on_the_lineage_is_enough() {
        // The holder of a tenant's own lock, inside a lock its reseller took higher up.
        assert!(refuses(Tenant, [by(Some(Distributor)), by(Some(Tenant))]));
        assert!(!refuses(Tenant, [by(Some(Tenant)), by(Some(Tenant))]));
    }

    #[test]
    fn locking_again_keeps_the_higher_holder() {
        let lock = LockRequest::Lock;
        assert_eq!(requested(None, lock, Some(Reseller)), Ok(Some(by(Some(Reseller)))));
        assert_eq!(requested(Some(by(Some(Reseller))), lock, Some(Reseller)), Ok(Some(by(Some(Reseller)))));
        assert_eq!(requested(Some(by(Some(Reseller))), lock, Some(Tenant)), Ok(Some(by(Some(Reseller)))));
        assert_eq!(requested(Some(by(Some(Reseller))), lock, Some(Group)), Ok(Some(by(Some(Group)))));
        assert_eq!(requested(Some(by(Some(Group))), lock, None), Ok(Some(by(None))));
    }

    #[test]
    fn only_the_holder_or_above_unlocks() {
        let unlock = LockRequest::Unlock;
        assert_eq!(requested(Some(by(Some(Reseller))), unlock, Some(Reseller)), Ok(None));
        assert_eq!(requested(Some(by(Some(Reseller))), unlock, Some(Distributor)), Ok(None));
        assert_eq!(requested(Some(by(Some(Reseller))), unlock, None), Ok(None));
        assert_eq!(requested(Some(by(Some(Reseller))), unlock, Some(Tenant)), Err(HeldAbove));
        assert_eq!(requested(Some(by(None)), unlock, Some(Group)), Err(HeldAbove));
        assert_eq!(requested(None, unlock, Some(Tenant)), Ok(None), "nothing to unlock");
    }

    #[test]
    fn a_holder_is_stored_as_its_level() {
        for holder in std::iter::once(None).chain(NodeKind::ALL.map(Some)) {
            assert_eq!(TreeLock::parse(by(holder).as_str()), Some(by(holder)));
        }
        assert_eq!(by(None).as_str(), "instance");
        assert_eq!(TreeLock::parse("root"), None);
    }
}
