//! The memory adapter's audit log, kept in the one `State`: a write records its change under the
//! lock it changes things under ([`State::record`], called right before its successful return),
//! so a change and its record appear together.

use super::chunked::Chunked;
use super::{MemoryStore, State, pager};
use crate::audit::AuditStore;
use crate::error::StoreError;
use crate::nodes::Deleted;
use async_trait::async_trait;
use canopy_domain::{
    Actor, AuditEntry, AuditScope, Change, InstanceSlug, NodeId, Outcome, Page, PageRequest, Timestamp,
};
use std::sync::Arc;

#[derive(Default)]
pub(super) struct Audit {
    /// Oldest first; an entry's id is its position + 1. By chunks: a push never moves the log.
    entries: Chunked<Recorded>,
}

/// An entry as kept: every creation is audited, so an entry costs memory as a node does
/// (docs/performance.md, "Memory per node"). Its texts are single allocations; its body is kept
/// as its JSON text, since a parsed `Value` is a B-tree whose smallest node takes about 600
/// bytes, and parsed again when the log is read; the actor and the action are shared with the
/// entry before when they are the same (a run of one administrator's creations).
struct Recorded {
    instance: InstanceSlug,
    /// The entry's node then its ancestors, at the moment of the change.
    lineage: Box<[NodeId]>,
    at: Timestamp,
    actor: Arc<Actor>,
    node: Option<NodeId>,
    method: Box<str>,
    path: Box<str>,
    action: Arc<str>,
    body: Option<Box<str>>,
    request_id: Box<str>,
    outcome: Outcome,
    reason: Option<Box<str>>,
}

impl Recorded {
    /// The entry at `position` in the log.
    fn entry(&self, position: usize) -> AuditEntry {
        AuditEntry {
            id: position as i64 + 1,
            at: self.at,
            actor: Actor::clone(&self.actor),
            node: self.node,
            method: self.method.to_string(),
            path: self.path.to_string(),
            action: self.action.to_string(),
            // Written by `serde_json` from a `Value`, so it parses back to that value.
            body: self.body.as_deref().and_then(|text| serde_json::from_str(text).ok()),
            request_id: self.request_id.to_string(),
            outcome: self.outcome,
            reason: self.reason.as_deref().map(str::to_owned),
        }
    }
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
        let last = entries.last();
        let actor = match last {
            Some(last) if *last.actor == change.actor => last.actor.clone(),
            _ => Arc::new(change.actor.clone()),
        };
        let action = match last {
            Some(last) if *last.action == *change.action => last.action.clone(),
            _ => Arc::from(change.action.as_str()),
        };
        entries.push(Recorded {
            instance: change.instance.clone(),
            lineage: lineage.into_boxed_slice(),
            at: change.at,
            actor,
            node: change.node,
            method: change.method.as_str().into(),
            path: change.path.as_str().into(),
            action,
            body: change.body.as_ref().map(|body| body.to_string().into_boxed_str()),
            request_id: change.request_id.as_str().into(),
            outcome,
            reason: reason.map(String::into_boxed_str),
        });
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
        let admitted = || {
            let entries = state.audit.entries.positioned_from_last();
            entries.filter(|(_, r)| r.instance == scope.instance && scope.admits(&r.lineage))
        };
        let after = admitted()
            .filter(|(position, _)| request.is_after("", &(*position as i64 + 1)))
            .map(|(position, r)| r.entry(position));
        Ok(pager::take(request, after, || admitted().count() as u64))
    }
}
