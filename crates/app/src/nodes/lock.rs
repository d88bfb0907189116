//! Locking a node's subtree (`canopy_domain::tree_lock`): a write like any other — permission
//! (`Permission::Lock`), the node in the caller's subtree, the store's one unit of work, the
//! audit log — whose effect is that every later write by an administrator homed inside the node
//! (but the holder) is refused, on every face, by the store itself.

use super::NodeService;
use crate::caller::Caller;
use crate::error::AppError;
use crate::write::{Reached, Target};
use canopy_domain::{Change, LockRequest, NodeKind, NodeRef, Permission};
use canopy_storage::TreeLockError;

impl NodeService {
    /// Locks the subtree of a node of `kind` in the caller's subtree. Locking it again is no
    /// error: the lock goes to the higher of its holder and the caller (`tree_lock::requested`).
    pub async fn lock(
        &self,
        caller: &Caller,
        instance: &str,
        kind: NodeKind,
        id: impl Into<NodeRef>,
    ) -> Result<(), AppError> {
        self.request_lock(caller, instance, kind, id.into(), LockRequest::Lock).await
    }

    /// Unlocks it: by the holder or above; below, `TreeLocked`. An unlocked node stays so.
    pub async fn unlock(
        &self,
        caller: &Caller,
        instance: &str,
        kind: NodeKind,
        id: impl Into<NodeRef>,
    ) -> Result<(), AppError> {
        self.request_lock(caller, instance, kind, id.into(), LockRequest::Unlock).await
    }

    async fn request_lock(
        &self,
        caller: &Caller,
        instance: &str,
        kind: NodeKind,
        id: NodeRef,
        request: LockRequest,
    ) -> Result<(), AppError> {
        let by = caller.principal.profile.level();
        let apply = async |at: &Reached, (), change: &Change| {
            let id = at.id.expect("a lock reaches its node");
            match self.store.set_tree_lock(&at.instance, kind, id, request, by, change).await {
                Ok(_) => Ok(()),
                Err(TreeLockError::NotFound) => Err(AppError::NotFound(kind)),
                Err(TreeLockError::HeldAbove(_)) => Err(AppError::TreeLocked),
                Err(TreeLockError::Store(err)) => Err(err.into()),
            }
        };
        let verb = match request {
            LockRequest::Lock => "lock",
            LockRequest::Unlock => "unlock",
        };
        let (target, action) = (Target::Reach(kind, id), format!("{}.{verb}", kind.as_str()));
        self.writes.run(caller, instance, target, Permission::Lock(kind), action, || Ok(()), apply).await
    }
}
