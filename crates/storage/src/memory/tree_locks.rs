//! The memory adapter's tree locks (`canopy_domain::tree_lock`): a node's lock is a field of the
//! node, set under the one lock; every write checks the locks on its administrator's lineage
//! under that same lock, before it changes anything ([`MemoryStore::write_as`]), so a write either
//! went before a lock or is refused.

use super::{MemoryStore, State};
use crate::error::{StoreError, TreeLockError};
use canopy_domain::tree_lock::requested;
use canopy_domain::{Change, InstanceSlug, Level, LockRequest, NodeId, NodeKind, refuses};
use std::sync::RwLockWriteGuard;

impl State {
    /// Refuses `change` when a lock on its administrator's home or on one of its ancestors binds
    /// it (a home gone since the login has no lock to meet: the write fails on its own).
    fn admit(&self, change: &Change) -> Result<(), StoreError> {
        let Some(home) = change.home else { return Ok(()) };
        let Some(entry) = self.nodes.get(&home.id) else { return Ok(()) };
        let lineage = entry.node.lineage.root_first().into_iter().chain([home.id]);
        let locks = lineage.filter_map(|id| self.nodes.get(&id)).filter_map(|entry| entry.node.lock);
        if refuses(home.kind, locks) { Err(StoreError::TreeLocked) } else { Ok(()) }
    }
}

impl MemoryStore {
    /// The one lock, taken for the write `change` describes: refused (nothing changed) when a
    /// tree lock binds it. Every write port method starts here.
    pub(super) fn write_as(&self, change: &Change) -> Result<RwLockWriteGuard<'_, State>, StoreError> {
        let state = self.write();
        state.admit(change)?;
        Ok(state)
    }

    /// `NodeStore::set_tree_lock`: the domain decides on the lock stored now.
    pub(super) fn set_lock(
        &self,
        (instance, kind, id): (&InstanceSlug, NodeKind, NodeId),
        request: LockRequest,
        by: Level,
        change: &Change,
    ) -> Result<bool, TreeLockError> {
        let mut state = self.write_as(change)?;
        let entry = state.node(instance, kind, id).ok_or(TreeLockError::NotFound)?;
        let current = entry.node.lock;
        let after = requested(current, request, by)?;
        if after == current {
            return Ok(false);
        }
        state.nodes.get_mut(&id).expect("found above").node.lock = after;
        state.record(change);
        Ok(true)
    }
}
