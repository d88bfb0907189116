//! The memory adapter's audit log, kept in the one `State`: a write records its change under the
//! lock it changes things under ([`State::record`], called right before its successful return),
//! so a change and its record appear together.

use super::{MemoryStore, State, pager};
use crate::audit::AuditStore;
use crate::error::StoreError;
use crate::nodes::Deleted;
use async_trait::async_trait;
use canopy_domain::{AuditEntry, AuditScope, Change, InstanceSlug, NodeId, Outcome, Page, PageRequest};

#[derive(Default)]
pub(super) struct Audit {
    /// Oldest first; an entry's id is its position + 1.
    entries: Vec<Recorded>,
}

struct Recorded {
    instance: InstanceSlug,
    /// The entry's node then its ancestors, at the moment of the change.
    lineage: Vec<NodeId>,
    entry: AuditEntry,
}

impl State {
    /// Records `change` as applied, with its node's lineage as it is now.
    pub(super) fn record(&mut self, change: &Change) {
        self.record_as(change, Outcome::Applied, None);
    }

    /// Records `change` when it removed something: deleting what is absent changes nothing.
    pub(super) fn record_removal(&mut self, deleted: Deleted, change: &Change) -> Deleted {
        if deleted == Deleted::Removed {
            self.record(change);
        }
        deleted
    }

    fn record_as(&mut self, change: &Change, outcome: Outcome, reason: Option<String>) {
        let mut lineage = Vec::new();
        if let Some(node) = change.node {
            lineage.push(node);
            if let Some(entry) = self.nodes.get(&node) {
                lineage.extend(entry.node.lineage.root_first());
            }
        }
        let entries = &mut self.audit.entries;
        let entry = AuditEntry {
            id: entries.len() as i64 + 1,
            at: change.at,
            actor: change.actor.clone(),
            node: change.node,
            method: change.method.clone(),
            path: change.path.clone(),
            action: change.action.clone(),
            body: change.body.clone(),
            request_id: change.request_id.clone(),
            outcome,
            reason,
        };
        entries.push(Recorded { instance: change.instance.clone(), lineage, entry });
    }
}

#[async_trait]
impl AuditStore for MemoryStore {
    async fn record_refusal(&self, change: &Change, reason: &str) -> Result<(), StoreError> {
        self.write().record_as(change, Outcome::Refused, Some(reason.to_owned()));
        Ok(())
    }

    async fn record_action(&self, change: &Change) -> Result<(), StoreError> {
        self.write().record_as(change, Outcome::Applied, None);
        Ok(())
    }

    async fn list_audit(&self, request: &PageRequest<AuditScope>) -> Result<Page<AuditEntry>, StoreError> {
        let state = self.read();
        let scope = &request.scope;
        // Recorded oldest first: newest first is the log read backwards.
        let admitted =
            || state.audit.entries.iter().rev().filter(|r| r.instance == scope.instance && scope.admits(&r.lineage));
        let after = admitted().filter(|r| request.is_after("", &r.entry.id)).map(|r| r.entry.clone());
        Ok(pager::take(request, after, || admitted().count() as u64))
    }
}
